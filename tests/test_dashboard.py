"""The dashboard driven from the keyboard (Textual Pilot) against the bundled real bars.

Feeds here are real Feed implementations over the real pipeline and the bundled sample, frozen at
chosen sessions, with the automatic refresh timer off unless a test is about the timer.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from analysis.config import Config
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.base import FetchResult
from analysis.sources.sample import SampleSource
from tui.app import BasewatchApp
from tui.bindings import HELP_TEXT, all_bindings

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


async def loaded(pilot, app: BasewatchApp, count: int = 1, timeout: float = 60.0) -> None:
    """Wait until ``count`` refreshes have been applied and the UI is idle."""
    deadline = time.monotonic() + timeout
    while app.refreshes_applied < count or app.busy:
        if time.monotonic() > deadline:
            raise AssertionError("refresh did not finish")
        await pilot.pause(0.05)
    await pilot.pause()


def table(app, name):
    return app.screen.query_one(f"#{name}")


def plain_strip(app) -> str:
    strip = app.screen.query_one("#strip")
    return strip.render().plain


# -- first paint, loading state -------------------------------------------------------------------

def test_first_paint_happens_before_pandas_is_imported():
    """In a fresh interpreter: the dashboard paints its loading state with pandas not imported."""
    code = r"""
import asyncio, sys, threading
from analysis.config import Config
from tui.app import BasewatchApp
gate = threading.Event()
def make_feed():
    gate.wait(30)
    raise RuntimeError("never mind")
async def main():
    app = BasewatchApp(Config(), make_feed, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        strip = app.screen.query_one("#strip").render().plain
        rows = app.screen.query_one("#watchlist").row_count
        print("pandas" in sys.modules, "loading market data" in strip, rows)
        gate.set()
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         check=True)
    assert out.stdout.split() == ["False", "True", str(len(Config().watchlist))]


async def test_loading_rows_then_data_when_the_refresh_lands():
    gate = threading.Event()
    config = Config()
    app = make_app(FixedFeed(config, gate=gate), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wl = table(app, "watchlist")
        assert wl.visible_keys() == list(config.watchlist)
        assert wl.cell_text("KRE", "state") == "loading…"
        gate.set()
        await loaded(pilot, app)
        assert wl.cell_text("KRE", "last") == f"{app.latest.snapshot.symbols['KRE'].last:,.2f}"
        assert "loading" not in plain_strip(app)


# -- keys -----------------------------------------------------------------------------------------

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
        assert wl.cell_text("XLY", "last") == f"{app.latest.snapshot.symbols['XLY'].last:,.2f}"
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
        order = ["breaking", "confirmed", "near", "below", "extended", "failed"]

        def rank(etf):
            b = snap.symbols[etf].breakout
            if b is None:
                return (len(order), 0.0)
            return (order.index(b.state), abs(b.pct_to_level))

        etfs = [s.etf for s in Config().sectors]
        assert table(app, "sectors").visible_keys() == sorted(etfs, key=rank)


async def test_pause_stops_the_timer_and_r_still_refreshes():
    config = Config()
    feed = FixedFeed(config, delay=0.05)
    app = make_app(feed, config, auto_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app, 3)
        assert feed.max_running == 1  # one refresh at a time, scheduled after the last
        await pilot.press("p")
        assert app.paused and "PAUSED" in plain_strip(app)
        await loaded(pilot, app, app.refreshes_applied)
        calls, applied = len(feed.calls), app.refreshes_applied
        await pilot.pause(0.4)
        assert len(feed.calls) == calls
        await pilot.press("r")
        await loaded(pilot, app, applied + 1)
        assert len(feed.calls) == calls + 1
        await pilot.pause(0.3)
        assert len(feed.calls) == calls + 1
        await pilot.press("p")
        await loaded(pilot, app, applied + 3)
        assert not app.paused and "PAUSED" not in plain_strip(app)


async def test_a_symbol_that_fails_shows_its_error_and_the_rest_keep_working():
    config = Config()
    feed = FixedFeed(config, source=BrokenFor("KRE", "KRE: HTTP 404 Not Found"))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        assert wl.cell_text("KRE", "state") == "HTTP 404 Not Found"
        assert wl.cell_text("KRE", "last") == "error"
        assert wl.tone_of("KRE") == "error"
        snap = app.latest.snapshot
        for sym in config.watchlist:
            if sym != "KRE":
                assert wl.cell_text(sym, "last") == f"{snap.symbols[sym].last:,.2f}"
        index = list(app.watchlist).index("KRE")
        await pilot.press(*["j"] * index, "enter")
        await pilot.pause()
        assert any("HTTP 404" in n.message for n in app._notifications)
        assert app.screen.id == "dashboard"


async def test_a_failed_refresh_keeps_the_last_snapshot_and_says_so():
    config = Config()

    class FailsSecond(FixedFeed):
        def next(self, symbols):
            if self.calls:
                self.calls.append(tuple(symbols))
                raise ConnectionError("network unreachable")
            return super().next(symbols)

    app = make_app(FailsSecond(config), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        first = app.latest
        await pilot.press("r")
        while app.busy or not app.last_error:
            await pilot.pause(0.05)
        await pilot.pause()
        assert app.latest is first
        assert "refresh failed" in plain_strip(app) and "network unreachable" in plain_strip(app)
        assert table(app, "watchlist").cell_text("SPY", "last") != "…"


async def test_result_for_a_universe_that_changed_meanwhile_is_dropped():
    config = Config()
    gate = threading.Event()
    feed = FixedFeed(config, gate=gate)
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"nvda", "enter")  # while the first refresh is still running
        await pilot.pause()
        assert table(app, "watchlist").cell_text("NVDA", "state") == "loading…"
        gate.set()
        await loaded(pilot, app)
        assert len(feed.calls) == 2 and "NVDA" not in feed.calls[0] and "NVDA" in feed.calls[1]
        assert app.refreshes_applied == 1  # the first result was dropped, not applied
        # NVDA is not in the bundled data: its row says so, the others have prices
        assert "not in the bundled sample data" in app.latest.snapshot.errors["NVDA"]
        assert table(app, "watchlist").cell_text("NVDA", "last") == "error"


async def test_breakout_between_two_snapshots_highlights_the_row_and_logs_one_event():
    """Replaying the bundled data: IWM clears its resistance zone on 2025-12-10."""
    config = Config()
    feed = ReplayFeed(Pipeline(config, SampleSource()), start=DAY, end=date(2025, 12, 10))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        before = app.latest.snapshot.symbols["IWM"].breakout
        assert before is not None and before.state not in ("breaking", "confirmed")
        assert wl.tone_of("IWM") is None
        await pilot.press("j", "j", "j")
        cursor = wl.cursor_key()
        await pilot.press("r")
        await loaded(pilot, app, 2)
        after = app.latest.snapshot.symbols["IWM"].breakout
        assert after.state in ("breaking", "confirmed")
        assert wl.tone_of("IWM") == "breakout"
        assert wl.cell_text("IWM", "state").strip().startswith(after.state.upper())
        log = app.screen.query_one("#events")
        lines = [strip.text for strip in log.lines]
        iwm_breakouts = [ln for ln in lines if " IWM " in f" {ln} "
                         and ("breaking" in ln or "confirmed" in ln)]
        assert len(iwm_breakouts) == 1
        assert wl.cursor_key() == cursor  # applied in place: the cursor stayed on its symbol
        assert wl.visible_keys() == list(config.watchlist)


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
        for binding in all_bindings():
            assert HELP_TEXT[binding.id] in shown
        assert "f5" in shown
        await pilot.press("escape")
        assert app.screen.id == "dashboard"
        applied = app.refreshes_applied
        await pilot.press("f5")
        await loaded(pilot, app, applied + 1)


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
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for name in ("Refresh", "Pause", "Theme", "Filter", "Sort", "Add", "Remove", "Keys"):
            assert name in titles


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


class Lagging(SampleSource):
    """The bundled data, with one symbol's last sessions missing (a source that lags for it)."""

    def __init__(self, symbol: str, drop: int) -> None:
        self.symbol, self.drop = symbol, drop

    def fetch(self, symbols):
        got = super().fetch(symbols)
        bars = dict(got.bars)
        bars[self.symbol] = bars[self.symbol][bars[self.symbol].index.date <= DAY].iloc[:-self.drop]
        return dataclasses.replace(got, bars=bars)


class FromFallback(SampleSource):
    """The bundled data served as a fallback, as auto does when Yahoo is unreachable."""

    def fetch(self, symbols):
        return dataclasses.replace(super().fetch(symbols), fallback=True,
                                   note="Yahoo unreachable")


async def test_a_symbol_whose_data_lags_is_marked_stale():
    config = Config()
    app = make_app(FixedFeed(config, source=Lagging("KRE", 2)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        kre_day = app.latest.snapshot.symbols["KRE"].asof
        assert kre_day < DAY
        assert wl.cell_text("KRE", "state") == f"stale {kre_day:%m-%d}"
        assert wl.tone_of("KRE") == "stale"
        assert wl.tone_of("SPY") != "stale" and not wl.cell_text("SPY", "state").startswith("stale")


async def test_fallback_data_is_marked_in_the_strip_and_every_row():
    config = Config()
    app = make_app(FixedFeed(config, source=FromFallback()), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert "FALLBACK: Yahoo unreachable" in plain_strip(app)
        wl = table(app, "watchlist")
        assert all(wl.tone_of(s) == "stale" for s in config.watchlist)


async def test_the_strip_says_stale_when_refreshes_stop_arriving():
    clock = {"now": NOW}
    config = Config()
    app = BasewatchApp(config, lambda: FixedFeed(config, delay=60.0), auto_refresh=False,
                       now=lambda: clock["now"])
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert "STALE" not in plain_strip(app)
        assert app.stale_after == 2 * 60 + config.refresh.deadline
        clock["now"] = NOW + timedelta(seconds=app.stale_after + 1)
        app.screen.update_strip()
        await pilot.pause()
        assert "STALE since" in plain_strip(app)
        # the countdown follows the clock too: 16:30 + 166 s -> the open is 16h 58m away
        assert "opens 16h 58m" in plain_strip(app)


class AfterHours(SampleSource):
    """The bundled data up to DAY, served live at 17:10 New York with an after-hours trade in
    IWM and the feed's health as given."""

    def __init__(self, status: str = "live", note: str = "") -> None:
        self.status, self.note = status, note

    def fetch(self, symbols):
        from analysis.bars import upto
        from analysis.sources.quotes import ExtendedQuote

        got = super().fetch(symbols)
        bars = {s: upto(df, DAY) for s, df in got.bars.items()}
        close = float(bars["IWM"]["close"].iloc[-1])
        quote = ExtendedQuote("post", round(close * 1.004, 2), NOW + timedelta(minutes=40),
                              0.4, close)
        return dataclasses.replace(got, bars=bars, extended={"IWM": quote}, status=self.status,
                                   note=self.note, fallback=self.status != "live")


class LiveAt(FixedFeed):
    """Like FixedFeed but without an as-of date: the pipeline's live path at a fixed time."""

    def next(self, symbols):
        self.calls.append(tuple(symbols))
        return self.pipeline.refresh(symbols, now=NOW + timedelta(minutes=40))


async def test_after_hours_price_is_shown_and_marked():
    config = Config()
    app = make_app(LiveAt(config, source=AfterHours()), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        quote = app.latest.snapshot.symbols["IWM"].extended
        assert quote is not None and quote.session == "post"
        assert wl.cell_text("IWM", "last") == f"{quote.price:,.2f}"
        assert wl.cell_text("IWM", "chg") == "AH+0.4%"
        spy = app.latest.snapshot.symbols["SPY"]
        assert wl.cell_text("SPY", "chg") == f"{spy.change_pct:+.1f}%"


async def test_an_offline_feed_says_so_in_the_strip_and_keeps_the_rows():
    config = Config()
    note = "offline since 10:42 — stored bars; Yahoo could not be reached"
    app = make_app(LiveAt(config, source=AfterHours("offline", note)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        strip = plain_strip(app)
        assert "offline since 10:42 — stored bars" in strip
        assert "Yahoo could not be reached" not in strip  # the why stays out of the header
        wl = table(app, "watchlist")
        spy = app.latest.snapshot.symbols["SPY"]
        assert wl.cell_text("SPY", "last") == f"{spy.last:,.2f}" and wl.tone_of("SPY") == "stale"


async def test_replay_keys_step_pause_and_change_speed():
    config = Config()
    feed = ReplayFeed(Pipeline(config, SampleSource()), start=DAY, end=date(2025, 12, 12),
                      speed=0.25)
    app = make_app(feed, config, auto_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert app.feed_label.startswith("REPLAY 2025-12-09") and app.replaying
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        assert app.latest.snapshot.asof == date(2025, 12, 10)
        assert "REPLAY 2025-12-10" in plain_strip(app)
        await pilot.press("plus")
        assert feed.speed == 0.5 and app._timer is not None
        await pilot.press("minus", "minus")
        assert feed.speed == 0.125
        await pilot.press("space")
        assert app.paused and app._timer is None and "PAUSED" in plain_strip(app)
        await pilot.press("full_stop")  # steps while paused
        await loaded(pilot, app, 3)
        assert app.latest.snapshot.asof == date(2025, 12, 11) and app._timer is None
        await pilot.press("full_stop")
        await loaded(pilot, app, 4)
        assert feed.finished and "(end)" in app.feed_label
        await pilot.press("space")  # resuming at the end ticks once more, then stops
        await loaded(pilot, app, 5)
        assert app._timer is None and app.latest.snapshot.asof == date(2025, 12, 12)


async def test_replay_keys_do_nothing_on_a_live_feed():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        applied = app.refreshes_applied
        await pilot.press("full_stop", "plus")
        await pilot.pause(0.2)
        assert app.refreshes_applied == applied and not app.replaying
