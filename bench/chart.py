"""Drill-down chart builds: the price chart (candles, volume, MAs, base, pivot, zone, breakouts)
and the RS panel of KRE as of 2025-12-09, for every timeframe, at the sizes they get on a 160x45
and an 80x24 terminal, plus the price chart filling a whole 160x45 terminal on 5 years of bars.

A build is everything from the bars to the strips Textual paints: slicing, aggregation, ticks,
plotext's frame and lines, the cells, and the conversion to strips. Median of ``REPEATS``.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import Any

TARGET_MS = 60.0
TARGET_OPEN_MS = 500.0  # Enter to both charts on screen: well under a second
TARGET_HISTORY_MS = 3000.0  # the past-breakout markers follow within 3 s
REPEATS = 9
ASOF = date(2025, 12, 9)


def _median_ms(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def _open_drilldown(width: int, height: int) -> tuple[Any, Any, float]:
    """Sizes of the price chart and the RS panel inside the drill-down at a terminal size, and
    the time from pushing the screen to both charts painting their first line (headless, ms;
    the second opening, as a trader opens charts all day)."""
    import asyncio

    from textual.app import App

    from tui.chart.canvas import CellChart
    from tui.chart.price import PriceChart
    from tui.chart.rs import RSChart
    from tui.screens.drilldown import DrilldownScreen

    sizes: dict[str, Any] = {}
    painted: dict[str, float] = {}
    original = CellChart.render_line

    def render_line(self, y):  # note when each chart paints first
        line = original(self, y)
        painted.setdefault(type(self).__name__, time.perf_counter())
        return line

    class _App(App):
        def __init__(self, latest) -> None:
            super().__init__()
            self.latest = latest

    async def measure() -> None:
        app = _App(_refresh())
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            for _ in range(2):
                painted.clear()
                started = time.perf_counter()
                app.push_screen(DrilldownScreen("KRE", ["KRE"]))
                while len(painted) < 2:
                    await pilot.pause()
                sizes["open"] = (max(painted.values()) - started) * 1000.0
                screen = app.screen
                sizes["price"] = tuple(screen.query_one(PriceChart).size)
                sizes["rs"] = tuple(screen.query_one(RSChart).size)
                await app.workers.wait_for_complete()
                app.pop_screen()
                await pilot.pause()

    CellChart.render_line = render_line
    try:
        asyncio.run(measure())
    finally:
        CellChart.render_line = original
    return sizes["price"], sizes["rs"], sizes["open"]


_CACHE: dict = {}


def _refresh():
    if "refresh" not in _CACHE:
        from analysis.config import Config
        from analysis.pipeline import Pipeline
        from analysis.sources.sample import SampleSource

        _CACHE["refresh"] = Pipeline(Config(), SampleSource()).refresh(["KRE", "SPY"], asof=ASOF)
    return _CACHE["refresh"]


def run() -> list[dict]:
    from tui.chart.data import TIMEFRAMES
    from tui.chart.levels import levels_from_facts, past_breakouts
    from tui.chart.price import PriceChart
    from tui.chart.rs import RSChart

    refresh = _refresh()
    facts = refresh.snapshot.symbols["KRE"]
    bars, bench = refresh.bars["KRE"], refresh.bars["SPY"]
    levels = levels_from_facts(facts, 5.0, past_breakouts(bars, ASOF, "KRE"))
    price, rs = PriceChart(), RSChart()
    price.show("KRE", bars, ASOF, levels)
    rs.show("KRE", bars, "SPY", bench, ASOF)
    results: list[dict] = []

    price.timeframe = "5Y"
    results.append({
        "name": "chart: price 5Y filling 160x45 (candles+volume+overlays)",
        "measured": _median_ms(lambda: price.build_strips(160, 45)),
        "target": TARGET_MS, "unit": "ms",
    })
    for term in ((160, 45), (80, 24)):
        (pw, ph), (rw, rh), opened = _open_drilldown(*term)
        tag = f"{term[0]}x{term[1]}"
        results.append({
            "name": f"chart: drill-down {tag} open to charts painted (headless, 1Y)",
            "measured": opened, "target": TARGET_OPEN_MS, "unit": "ms",
            "note": "push the screen -> compose, CSS, layout, both charts built and painting",
        })
        for tf in TIMEFRAMES:
            price.timeframe = rs.timeframe = tf
            p = _median_ms(lambda w=pw, h=ph: price.build_strips(w, h))
            r = _median_ms(lambda w=rw, h=rh: rs.build_strips(w, h))
            view = price.view
            results.append({
                "name": f"chart: drill-down {tag} {tf} price {pw}x{ph} + RS {rw}x{rh}",
                "measured": p + r,
                "target": TARGET_MS,
                "unit": "ms",
                "note": f"price {p:.1f} ms ({view.n} {view.period} bars), RS {r:.1f} ms",
            })
    results.append({
        "name": "chart: past breakouts, 5 years (worker thread)",
        "measured": _median_ms(lambda: past_breakouts(bars, ASOF, "KRE"), repeats=3),
        "target": TARGET_HISTORY_MS, "unit": "ms",
        "note": "analysis history mode off the UI thread; markers appear when it is done",
    })
    return results
