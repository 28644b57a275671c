"""The dashboard driven from the keyboard (Textual Pilot) against the bundled real bars: panes,
keys, the prompt, filter, sort, help, themes, the command palette, layouts, the drill-down.

Feeds here are real Feed implementations over the real pipeline and the bundled sample, frozen at
chosen sessions, with the automatic refresh timer off unless a test is about the timer. The
helpers are shared with test_dashboard_refresh.py and test_dashboard_snapshots.py.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, date, datetime

import pytest

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.base import FetchResult
from analysis.sources.sample import SampleSource
from tests.frozen_feed import loaded
from tui.app import BasewatchApp
from tui.keys.bindings import (
    APP_BINDINGS,
    DASHBOARD_BINDINGS,
    HELP_TEXT,
    REPLAY_BINDINGS,
    TABLE_BINDINGS,
)
from tui.keys.drilldown import DRILLDOWN_BINDINGS

DAY = date(2025, 12, 9)
NOW = datetime(2025, 12, 9, 21, 30, tzinfo=UTC)  # 16:30 New York, after the close


class FixedFeed:
    """The live pipeline over the bundled data, frozen at one session; counts its calls."""

    def __init__(self, config: Config, day: date = DAY, source=None, delay: float = 3600.0,
                 gate: threading.Event | None = None) -> None:
        self.pipeline = Pipeline(config, source or SampleSource())
        self.day, self._delay, self.gate = day, delay, gate
        self.calls: list[tuple[str, ...]] = []
        self.running = 0
        self.max_running = 0
        self._lock = threading.Lock()

    def next(self, symbols):
        with self._lock:
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            self.calls.append(tuple(symbols))
            if self.gate is not None:
                self.gate.wait(30)
            return self.pipeline.refresh(symbols, asof=self.day)
        finally:
            with self._lock:
                self.running -= 1

    def delay(self, refresh) -> float:
        return self._delay

    def label(self, refresh) -> str:
        return "LIVE"


class BrokenFor(SampleSource):
    """The bundled data, except that one symbol fails to load (as a flaky source would)."""

    def __init__(self, broken: str, message: str) -> None:
        self.broken, self.message = broken, message

    def fetch(self, symbols):
        got = super().fetch([s for s in symbols if s != self.broken])
        errors = {**got.errors, self.broken: self.message} if self.broken in symbols else got.errors
        return FetchResult(got.bars, got.source, got.fetched_at, errors)


def make_app(feed=None, config: Config | None = None, **kw) -> BasewatchApp:
    config = config or Config()
    feed = feed or FixedFeed(config)
    kw.setdefault("auto_refresh", False)
    return BasewatchApp(config, lambda: feed, now=lambda: NOW, **kw)


def table(app, name):
    return app.screen.query_one(f"#{name}")


def plain_strip(app) -> str:
    strip = app.screen.query_one("#strip")
    return strip.render().plain


# -- keys and panes ------------------------------------------------------------------------------

async def test_j_k_move_and_number_keys_and_tab_switch_panes():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        await pilot.press("j", "j", "down")
        assert wl.cursor_key() == Config().watchlist[3]
        await pilot.press("k")
        assert wl.cursor_key() == Config().watchlist[2]
        await pilot.press("2")
        assert app.focused.id == "sectors"
        await pilot.press("3")
        assert app.focused.id == "crypto"
        await pilot.press("tab")
        assert app.focused.id == "events"
        await pilot.press("tab")
        assert app.focused.id == "watchlist"
        await pilot.press("shift+tab")
        assert app.focused.id == "events"
        await pilot.press("1")
        assert app.focused.id == "watchlist" and wl.cursor_key() == Config().watchlist[2]


async def test_adding_a_bad_symbol_says_why_and_adds_nothing():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        before = list(app.watchlist)
        await pilot.press("a")
        await pilot.press(*"AB$C", "enter")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt")
        assert prompt.display and prompt.has_class("-error")
        assert "not a valid symbol" in str(prompt.border_subtitle)
        assert any("not a valid symbol" in n.message for n in app._notifications)
        assert app.watchlist == before
        assert table(app, "watchlist").visible_keys() == before
        await pilot.press("escape")
        assert not prompt.display


async def test_adding_a_symbol_fetches_it_and_saves_the_watchlist(user_dirs):
    config = Config()
    feed = FixedFeed(config)
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("a", *"xly", "enter")
        await loaded(pilot, app, 2)
        wl = table(app, "watchlist")
        assert wl.visible_keys()[-1] == "XLY"
        assert wl.get_cell("XLY", "last").plain == f"{app.latest.snapshot.symbols['XLY'].last:,.2f}"
        saved = json.loads((user_dirs["data"] / "state.json").read_text())
        assert saved["watchlists"]["default"][-1] == "XLY"
        await pilot.press("a", *"xly", "enter")
        await pilot.pause()
        assert "already in the watchlist" in str(app.screen.query_one("#prompt").border_subtitle)


async def test_removing_the_symbol_under_the_cursor(user_dirs):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        index = list(app.watchlist).index("KRE")
        await pilot.press(*["j"] * index)
        assert wl.cursor_key() == "KRE"
        await pilot.press("x")
        await loaded(pilot, app, 2)
        assert "KRE" not in wl.visible_keys() and "KRE" not in app.watchlist
        assert wl.row_count == len(Config().watchlist) - 1
        saved = json.loads((user_dirs["data"] / "state.json").read_text())
        assert "KRE" not in saved["watchlists"]["default"]
        # x outside the watchlist removes nothing
        await pilot.press("2", "x")
        assert len(app.watchlist) == len(Config().watchlist) - 1


async def test_filter_narrows_every_pane_and_escape_clears_it():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("slash", "x", "l")
        wl, sectors = table(app, "watchlist"), table(app, "sectors")
        expected = [s for s in Config().watchlist if "XL" in s]
        assert wl.visible_keys() == expected
        assert sorted(sectors.visible_keys()) == sorted(s.etf for s in Config().sectors)
        await pilot.press("backspace", "backspace", *"health")
        assert sectors.visible_keys() == ["XLV"]  # matches the sector name too
        assert wl.visible_keys() == []
        await pilot.press("enter")
        assert "filter: health" in str(sectors.border_title)
        await pilot.press("escape")
        assert wl.visible_keys() == list(Config().watchlist)
        assert len(sectors.visible_keys()) == len(Config().sectors)


async def test_sort_cycles_and_keeps_the_cursor_on_the_same_symbol():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        await pilot.press("j", "j")
        sym = wl.cursor_key()
        await pilot.press("s")
        snap = app.latest.snapshot
        changes = {s: snap.symbols[s].change_pct for s in app.watchlist}
        expected = sorted(changes, key=lambda s: -changes[s])
        assert wl.visible_keys() == expected
        assert wl.cursor_key() == sym
        assert "sort: change" in str(wl.border_title)


async def test_sector_pane_is_ranked_by_closeness_to_a_breakout():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        snap = app.latest.snapshot
        order = ["breaking", "confirmed", "near", "back_in_base", "below", "extended", "failed"]

        def rank(etf):
            b = snap.symbols[etf].breakout
            if b is None:
                return (len(order), 0.0)
            return (order.index(b.state), abs(b.pct_vs_level))

        etfs = [s.etf for s in Config().sectors]
        assert table(app, "sectors").visible_keys() == sorted(etfs, key=rank)


async def test_help_lists_every_key_with_remaps_applied():
    config = dataclasses.replace(Config(), keys={"refresh": "f5"})
    app = make_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.query_one("#help-text").content
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(text)
        assert app.screen.query_one("#help-box").region.width >= 80
        shown = console.export_text()
        for binding in (*APP_BINDINGS, *DASHBOARD_BINDINGS, *TABLE_BINDINGS):
            assert HELP_TEXT[binding.id] in shown
        assert "f5" in shown
        # only the keys of this screen: no chart keys, no replay keys in live mode
        here = {b.id for b in (*APP_BINDINGS, *DASHBOARD_BINDINGS)}
        for binding in (*DRILLDOWN_BINDINGS, *REPLAY_BINDINGS):
            assert binding.id in here or HELP_TEXT[binding.id] not in shown
        await pilot.press("escape")
        assert app.screen.id == "dashboard"
        applied = app.refreshes_applied
        await pilot.press("f5")
        await loaded(pilot, app, applied + 1)


class ReplayLike(FixedFeed):
    """A frozen feed that can change speed, as a replay does (the app then shows replay keys)."""

    def faster(self) -> float:
        return 2.0

    def slower(self) -> float:
        return 0.5


def _help_text(app) -> str:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(app.screen.query_one("#help-text").content)
    return console.export_text()


async def test_help_in_a_chart_lists_the_chart_keys_not_the_dashboards():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        shown = _help_text(app)
        for binding in DRILLDOWN_BINDINGS:
            assert HELP_TEXT[binding.id] in shown
        for binding in DASHBOARD_BINDINGS:
            assert binding.id == "alert" or HELP_TEXT[binding.id] not in shown


async def test_help_in_a_replay_lists_the_replay_keys():
    app = make_app(feed=ReplayLike(Config()))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = _help_text(app)
        for binding in REPLAY_BINDINGS:
            assert HELP_TEXT[binding.id] in shown


async def test_theme_key_cycles_themes_and_the_trader_colours():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        first, colours = app.theme, app.semantic_colors
        seen = {first}
        for _ in range(len(app._themes) - 1):
            await pilot.press("t")
            seen.add(app.theme)
        assert len(seen) == len(app._themes) >= 2
        loaded_theme = next(t for t in app._themes if t.name == app.theme)
        assert app.semantic_colors == loaded_theme.semantic
        assert app.semantic_colors != colours or app.theme == first


async def test_command_palette_offers_the_same_actions():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("Refresh", "Pause", "Theme", "Filter", "Sort", "Add", "Remove", "Keys"):
            assert name in titles
        for name in ("Keys", "Theme", "Quit"):
            assert titles.count(name) == 1, name


async def test_compact_layout_shows_one_pane_at_a_time():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        assert app.screen.has_class("-compact")
        shown = [p for p in ("watchlist", "sectors", "crypto", "events")
                 if table(app, p).display and table(app, p).region.height > 0]
        assert shown == ["watchlist"]
        await pilot.press("3")
        await pilot.pause()
        crypto = table(app, "crypto")
        assert crypto.region.height > 5 and table(app, "watchlist").region.height == 0
        assert crypto.region.width >= 70


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_watchlist_column_fits_without_scrolling(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        assert wl.virtual_size.width <= wl.scrollable_content_region.width


async def test_enter_opens_the_chart_of_the_row_with_its_pane_and_escape_comes_back():
    from tui.screens.drilldown import DrilldownScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("2", "j")
        sectors = table(app, "sectors")
        sym = sectors.cursor_key()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrilldownScreen)
        assert app.screen.symbol == sym and app.screen.symbols == sectors.visible_keys()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "dashboard" and app.focused.id == "sectors"
        assert sectors.cursor_key() == sym


async def test_the_garbage_collector_is_back_on_once_the_first_frame_is_drawn():
    """`basewatch` starts with the collector off (tui.cli); the app turns it on after its first
    frame, so an app open all day collects its garbage."""
    import gc

    from tests.frozen_feed import FrozenFeed

    config = Config()
    gc.disable()
    try:
        app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW,
                           auto_refresh=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


def test_every_other_command_runs_with_the_garbage_collector_on(monkeypatch):
    import gc

    from tui.cli import main
    from tui.commands import themes

    seen = []
    monkeypatch.setattr(themes, "run", lambda args: seen.append(gc.isenabled()) or 0)
    assert main(["themes"]) == 0 and seen == [True] and gc.isenabled()


async def test_keys_typed_fast_after_a_prompt_key_go_into_the_prompt():
    """"/xl" typed (or pasted) faster than a frame: every key after "/" is the prompt's. Before,
    they reached the table first, where "x" removed the symbol under the cursor. Inside the
    prompt, "a" and "/" type themselves."""
    from textual import events

    from tests.frozen_feed import FrozenFeed
    from tui.widgets.symbol_input import SymbolInput

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        before = list(app.watchlist)
        prompt = app.screen.query_one(SymbolInput)

        async def burst(*keys: str) -> None:  # all queued before any is handled
            for key in keys:
                app.post_message(events.Key(key, "/" if key == "slash" else key))
            await pilot.pause(0.2)

        await burst("slash", "x", "l")
        assert prompt.has_focus and prompt.mode == "filter" and prompt.value == "xl"
        assert app.watchlist == before
        assert app.screen.query_one("#watchlist").visible_keys() == [
            s for s in before if "XL" in s]
        await pilot.press("escape")
        await burst("a", "x", "l", "a", "slash")
        assert prompt.mode == "add" and prompt.value == "xla/"
        assert app.watchlist == before
