"""The drill-down screen: one symbol's chart and the facts that explain it.

Pushed by the dashboard on Enter with the symbols of the current pane (``[`` / ``]`` step through
them); Esc pops it and the dashboard is exactly where it was. It reads the app's latest refresh
(``app.latest``: snapshot + bars) and rebuilds only when this symbol's bars or facts change.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.chart import levels as lv
from tui.chart.data import MODES, TIMEFRAMES
from tui.chart.intraday import INTRADAY_TIMEFRAMES
from tui.chart.price import PriceChart
from tui.chart.rs import RSChart
from tui.keys.drilldown import DRILLDOWN_BINDINGS, NARROW_FOOTER, QUIET_APP_KEYS, WIDE_ONLY
from tui.messages import SnapshotReady
from tui.screens.drilldown_intraday import IntradayCharts
from tui.semantic import SemanticColors
from tui.widgets.facts_panel import FactsPanel
from tui.widgets.footer import Footer, FooterFit
from tui.widgets.study_table import ReturnsHistogram, StudyTable

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.pipeline import Refresh

DEFAULT_TIMEFRAME = "1Y"
HISTORY_CACHE = 32  # symbols whose past breakouts are kept
HISTORY_EVERY = 10.0  # seconds: as the as-of date moves on (replay), recompute at most this often


@dataclass(frozen=True)
class _Past:
    """Past breakouts of a symbol as found on its bars up to ``asof`` (at ``when``, monotonic)."""

    asof: date
    found: tuple
    when: float


_PAST: dict[str, _Past] = {}
"""Shared by every drill-down: reopening a chart or stepping back to a symbol reuses them."""


def _config(app: Any) -> Config:
    from analysis.config import Config

    return getattr(app, "config", None) or Config()


class DrilldownScreen(FooterFit, IntradayCharts, Screen):
    """Chart, RS panel, side facts and the streak study of ``symbol`` (intraday: 1D, 5D)."""

    BINDINGS = [*DRILLDOWN_BINDINGS, *QUIET_APP_KEYS]
    FOOTER_NARROW = NARROW_FOOTER
    FOOTER_WIDE_ONLY = WIDE_ONLY
    HELP_SECTIONS = ("In a chart (Enter on a row)",)
    CSS_PATH = "../styles/drilldown.tcss"

    def __init__(self, symbol: str, symbols: Sequence[str] = (), *,
                 timeframe: str = DEFAULT_TIMEFRAME) -> None:
        super().__init__()
        self.symbols: list[str] = list(dict.fromkeys(symbols)) or [symbol]
        if symbol not in self.symbols:
            self.symbols.insert(0, symbol)
        self.symbol = symbol
        self.timeframe = timeframe
        self.mode = MODES[0]
        self.benchmark = ""
        self.histogram = -1  # index into the study horizons; -1: hidden
        self._key: tuple | None = None
        self._levels_args: tuple | None = None
        self._completed: tuple[Any, Any] | None = None  # (the snapshot's facts, completed)
        self.past_ready = False  # the chart shows the past breakouts of this symbol and date
        self._title = ""
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(id="dd-title")
        with Horizontal(id="dd-body"):
            with Vertical(id="dd-charts"):
                yield PriceChart(id="dd-price")
                yield Static(id="dd-legend")
                yield Static(id="dd-rs-caption")
                yield RSChart(id="dd-rs")
                yield ReturnsHistogram(id="dd-hist")
            with VerticalScroll(id="dd-side"):
                yield FactsPanel(id="dd-facts")
                yield StudyTable(id="dd-study")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dd-hist").display = False
        self._fit_side(self.app.size.width)
        self.load(force=True)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.intraday_mount()
        self.intraday_load()

    def _theme_changed(self, _theme: Any) -> None:
        # After the app has taken the theme's semantic colours: facts and titles in them.
        self.call_after_refresh(self.load, True)

    def on_resize(self, event: Any) -> None:
        self._fit_side(event.size.width)
        self.refresh_bindings()  # the footer shows fewer keys in a narrow terminal

    def _fit_side(self, width: int) -> None:
        side = self.query_one("#dd-side")
        side.styles.width = max(30, min(46, width * 7 // 20))  # 42 at 120 columns

    # ------------------------------------------------------------------ data

    @property
    def refresh_data(self) -> Refresh | None:
        return getattr(self.app, "latest", None)

    def _data_key(self, refresh: Refresh | None) -> tuple:
        """What this screen shows depends on: the symbol's facts, its last bar, the benchmark's."""
        if refresh is None:
            return (self.symbol, None)
        facts = refresh.snapshot.symbols.get(self.symbol)
        return (self.symbol, self.benchmark, facts, _last_bar(refresh.bars.get(self.symbol)),
                _last_bar(refresh.bars.get(self.benchmark)))

    def _facts(self, refresh: Refresh | None) -> Any:
        """The symbol's facts in ``refresh`` with what the analysis deferred for a universe's
        member outside the config (`analysis.symbol_facts.complete`)."""
        from analysis.symbol_facts import complete

        facts = refresh.snapshot.symbols.get(self.symbol) if refresh is not None else None
        if facts is None:
            return None
        if self._completed is not None and self._completed[0] is facts:
            return self._completed[1]  # the same facts (the memo's): worked out once
        against = _config(self.app).benchmark.rs_against
        done = complete(facts, refresh.bars.get(self.symbol), refresh.bars.get(against), against)
        self._completed = (facts, done)
        return done

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.load()

    def load(self, force: bool = False) -> None:
        """Show the symbol from ``app.latest``; nothing is rebuilt unless its data changed."""
        refresh = self.refresh_data
        key = self._data_key(refresh)
        if not force and key == self._key:
            return
        self._key = key
        self.loads += 1
        price = self.query_one(PriceChart)
        rs = self.query_one(RSChart)
        facts = self._facts(refresh)
        bars = refresh.bars.get(self.symbol) if refresh is not None else None
        if refresh is None or facts is None or bars is None or bars.empty:
            error = refresh.snapshot.errors.get(self.symbol) if refresh is not None else None
            why = error or ("waiting for the first refresh…" if refresh is None
                            else "no data for this symbol in the last refresh")
            self._title = ""
            self.query_one("#dd-title", Static).update(Text.assemble((self.symbol, "bold"),
                                                                     "  ", why))
            self._levels_args = None
            price.show(self.symbol, None, None, None)
            rs.show(self.symbol, None, "", None, None)
            self.query_one(FactsPanel).show(None, "", None)
            self.query_one(StudyTable).show(None)
            self.histogram = -1
            self._show_histogram()
            self.call_after_refresh(self._update_captions)
            return
        config = _config(self.app)
        choices = lv.benchmarks_for(self.symbol, config, tuple(refresh.bars))
        if self.benchmark not in choices:
            self.benchmark = choices[0] if choices else ""
            self._key = self._data_key(refresh)
        bench = refresh.bars.get(self.benchmark) if self.benchmark else None
        asof = facts.asof
        price.configure(timeframe=self.timeframe, mode=self.mode)
        self._levels_args = (self.symbol, bars, asof, facts, config.thresholds.extended_pct)
        entry = _PAST.get(self.symbol)
        # Found on bars up to an earlier (or the same) session: still true as of now. Found on
        # later bars (the as-of date went back): their outcomes would look ahead, so not used.
        known = entry is not None and entry.asof <= asof
        past = tuple(p for p in entry.found if p.day <= asof) if known else ()
        price.show(self.symbol, bars, asof,
                   lv.levels_from_facts(facts, config.thresholds.extended_pct, past))
        self.past_ready = known and entry.asof == asof
        stale = not known or (entry.asof < asof
                              and time.monotonic() - entry.when >= HISTORY_EVERY)
        if stale:
            # After the first paint, so the worker's CPU does not delay it.
            self.call_after_refresh(self._find_past_breakouts, self.symbol, bars, asof,
                                    config.thresholds)
        rs.configure(timeframe=self.timeframe)
        rs.show(self.symbol, bars, self.benchmark, bench, asof)
        if facts.rs is not None and facts.rs.benchmark == self.benchmark:
            rs_now = facts.rs
        else:
            rs_now = (lv.rs_facts(bars, bench, asof, self.symbol, self.benchmark)
                      if bench is not None else None)
        self.query_one(FactsPanel).show(facts, self.benchmark, rs_now, past if known else None)
        self.query_one(StudyTable).show(facts.streak)
        self._show_histogram()
        self._intraday_show()  # the prior close may have changed
        self._update_titles()

    # ------------------------------------------------------------------ past breakouts

    def _find_past_breakouts(self, symbol: str, bars: Any, asof: Any, thresholds: Any) -> None:
        """Past confirmed breakouts take a few hundred ms (the analysis' history mode): found in a
        thread worker, then drawn; the chart shows the snapshot's own breakouts meanwhile."""
        def work() -> None:
            found = lv.past_breakouts(bars, asof, symbol, thresholds)
            with contextlib.suppress(RuntimeError):  # the app has gone meanwhile
                self.app.call_from_thread(self._past_breakouts_found, symbol, asof, found)

        self.run_worker(work, thread=True, exclusive=True, group="drilldown-history",
                        name=f"past breakouts {symbol}")

    def _past_breakouts_found(self, symbol: str, asof: date, found: tuple) -> None:
        kept = _PAST.get(symbol)
        if kept is None or kept.asof <= asof:  # a late worker never replaces newer findings
            _PAST.pop(symbol, None)
            _PAST[symbol] = _Past(asof, found, time.monotonic())
        while len(_PAST) > HISTORY_CACHE:
            _PAST.pop(next(iter(_PAST)))
        args = self._levels_args
        if not self.is_attached or args is None or (args[0], args[2]) != (symbol, asof):
            return
        symbol, bars, asof, facts, extended = args
        self.query_one(PriceChart).show(symbol, bars, asof,
                                        lv.levels_from_facts(facts, extended, found))
        self.query_one(FactsPanel).show_past(found)
        self.past_ready = True
        self.call_after_refresh(self._update_captions)

    # ------------------------------------------------------------------ titles

    def _update_titles(self) -> None:
        from tui.format import money, pct

        refresh = self.refresh_data
        facts = refresh.snapshot.symbols.get(self.symbol) if refresh is not None else None
        if facts is None:
            return
        from analysis.bars import tz_for

        tz = "UTC" if tz_for(self.symbol) == "UTC" else "ET"
        change = facts.change_pct
        colors = getattr(self.app, "semantic_colors", None) or SemanticColors()
        colour = "" if change is None else (colors.up if change >= 0 else colors.down)
        pos = f"{self.symbols.index(self.symbol) + 1}/{len(self.symbols)}"
        live = " live" if facts.intraday else ""
        change_text = f"[{colour}]{pct(change)}[/]" if colour else pct(change)
        self._title = (f"[b]{self.symbol}[/b] {money(facts.last, facts.currency)} {change_text}  "
                       f"[dim]as of {facts.asof:%Y-%m-%d} {tz}{live} · {pos}[/]  "
                       f"[b]{self.timeframe}[/b] ")
        self._show_title()
        self.call_after_refresh(self._update_captions)

    def _show_title(self) -> None:
        chart = self.query_one(PriceChart)
        view = chart.view
        mode = ("daily close line" if view is not None and view.close_line
                and view.timeframe == self.timeframe and chart.mode != "line" else self.mode)
        self.query_one("#dd-title", Static).update(
            self._title + mode + ("" if chart.show_volume else " · no volume"))

    def _update_captions(self) -> None:
        if self._title:
            self._show_title()  # the mode as drawn ("daily close line" where candles do not fit)
        self.query_one("#dd-legend", Static).update(self.query_one(PriceChart).legend())
        hist = self.query_one(ReturnsHistogram)
        caption = hist.caption() if self.histogram >= 0 else self.query_one(RSChart).caption()
        self.query_one("#dd-rs-caption", Static).update(caption)

    # ------------------------------------------------------------------ actions

    def action_timeframe(self, timeframe: str) -> None:
        if timeframe not in TIMEFRAMES + INTRADAY_TIMEFRAMES or timeframe == self.timeframe:
            return
        self.timeframe = timeframe
        self.query_one(PriceChart).configure(timeframe=timeframe)
        if timeframe in TIMEFRAMES:  # RS stays on the last daily timeframe
            self.query_one(RSChart).configure(timeframe=timeframe)
        self.intraday_load()
        self._update_titles()

    def action_cycle_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.query_one(PriceChart).configure(mode=self.mode)
        self._update_titles()

    def action_toggle_volume(self) -> None:
        chart = self.query_one(PriceChart)
        chart.configure(show_volume=not chart.show_volume)
        self._update_titles()

    def action_toggle_overlays(self) -> None:
        chart = self.query_one(PriceChart)
        chart.configure(show_overlays=not chart.show_overlays)
        self._update_titles()

    def action_cycle_benchmark(self) -> None:
        """The next benchmark for RS (duplicates and the symbol itself skipped); always says which
        one is shown, and brings the RS panel back when the histogram hides it."""
        refresh = self.refresh_data
        if refresh is None:
            return
        choices = lv.benchmarks_for(self.symbol, _config(self.app), tuple(refresh.bars))
        if not choices:
            self.notify(f"no benchmark with bars for {self.symbol}", severity="warning",
                        timeout=3)
            return
        i = choices.index(self.benchmark) if self.benchmark in choices else -1
        self.benchmark = choices[(i + 1) % len(choices)]
        if self.histogram >= 0:
            self.histogram = -1  # the RS panel is what changed: show it
        self.load(force=True)
        self.notify(lv.benchmark_notice(self.symbol, self.benchmark, choices), timeout=3,
                    markup=False)

    def action_histogram(self) -> None:
        facts = self._facts(self.refresh_data)
        study = facts.streak.study if facts is not None else None
        horizons = len(study.after) if study is not None else 0
        if horizons == 0 or study is None or study.events == 0:
            self.histogram = -1
            self.notify("no past streaks to show", timeout=3)
        else:
            self.histogram = self.histogram + 1 if self.histogram + 1 < horizons else -1
        self._show_histogram()
        self._update_captions()

    def _show_histogram(self) -> None:
        facts = self._facts(self.refresh_data)
        study = facts.streak.study if facts is not None else None
        hist = self.query_one(ReturnsHistogram)
        if study is None or study.events == 0:
            self.histogram = -1
        shown = self.histogram >= 0
        hist.display = shown
        self.query_one(RSChart).display = not shown
        if shown:
            hist.show(study, self.histogram)

    def action_step(self, delta: int) -> None:
        if len(self.symbols) < 2:
            return
        i = self.symbols.index(self.symbol)
        self.symbol = self.symbols[(i + delta) % len(self.symbols)]
        self.histogram = -1
        self.query_one("#dd-side", VerticalScroll).scroll_home(animate=False)
        self.load(force=True)
        self.intraday_load()

    def action_alert(self) -> None:
        opener = getattr(self.app, "action_alert_for", None)
        if opener is not None:
            opener(self.symbol)

    def action_study(self) -> None:
        """Scroll the side panel to the streak study, or back to the top when it is there."""
        side = self.query_one("#dd-side", VerticalScroll)
        study = self.query_one(StudyTable)
        top = study.virtual_region.y
        if side.scroll_y >= min(top, side.max_scroll_y) and side.scroll_y > 0:
            side.scroll_home(animate=False)
        else:
            side.scroll_to(y=top, animate=False)

    def action_back(self) -> None:
        chart = self.query_one(PriceChart)
        if chart.cursor is not None:
            chart.configure(cursor=None)
            self.call_after_refresh(self._update_captions)
            return
        self.dismiss()


def _last_bar(df: Any) -> tuple | None:
    """Identity of a frame's newest bar (its time and values), to see whether it changed."""
    if df is None or len(df) == 0:
        return None
    row = df.iloc[-1]
    return (len(df), df.index[-1], *(float(v) for v in row.to_numpy()))
