"""The drill-down's intraday timeframes: the 1D / 5D keys, the legend they show (VWAP, prior
close, pre/post shading), the bar cursor on 5-minute bars, the refresh timer, and the honest note
when Yahoo cannot be reached or was never asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from drilldown_app import ASOF, DrillApp, YahooDrillApp, got_minutes, widget_text

from analysis.sources.store import BarStore
from tui.chart.price import PriceChart
from tui.screens.drilldown import DrilldownScreen

SIZE = (120, 40)


async def test_1d_key_without_yahoo_says_no_intraday_bars_are_stored():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, DrilldownScreen) and screen.timeframe == "1D"
        legend = await got_minutes(pilot, screen)
        assert "no intraday bars stored (intraday needs Yahoo)" in legend
        assert "1D" in widget_text(screen.query_one("#dd-title"))
        await pilot.press("4")  # back to a daily chart: the daily legend again
        await pilot.pause()
        assert "intraday" not in widget_text(screen.query_one("#dd-legend"))


async def test_1d_key_draws_the_last_session_of_5_minute_bars_with_vwap_and_prior_close(
        fake_yahoo, tmp_path):
    app = YahooDrillApp(fake_yahoo, BarStore(tmp_path / "bars.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("i")
        legend = await got_minutes(pilot, screen)
        view = screen.query_one(PriceChart).view
        assert view.intraday is not None and view.n > 0
        assert set(view.frame.index.date) == {ASOF}
        assert legend.startswith(view.period) and view.period.endswith(("-min", "-hour"))
        prior = float(app.latest.bars["KRE"]["close"].iloc[-2])
        assert f"prior close {prior:.2f}" in legend
        assert "VWAP" in legend and "pre/post" in legend and "needs Yahoo" not in legend
        assert [r.params["interval"] for r in fake_yahoo.requests_of("minutes")] == ["5m"]
        # The cursor reads a bar by its start time (the first press: the last bar, 19:45).
        await pilot.press("left", "left")
        await pilot.pause()
        cursor = widget_text(screen.query_one("#dd-legend"))
        assert cursor.startswith("┊ Tue 19:30 15-min  O ")
        await pilot.press("I")  # five sessions, in 2-hour bars: the cursor stays at that time
        await got_minutes(pilot, screen)
        view = screen.query_one(PriceChart).view
        assert len(set(view.frame.index.date)) == 5 and view.period == "2-hour"
        assert widget_text(screen.query_one("#dd-legend")).startswith("┊ Tue 18:00 2-hour")


async def test_offline_after_a_fetch_shows_the_stored_bars_and_when_they_were_fetched(
        fake_yahoo, tmp_path):
    app = YahooDrillApp(fake_yahoo, BarStore(tmp_path / "bars.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("i")
        await got_minutes(pilot, screen)
        fake_yahoo.offline = True
        app.clock = datetime(ASOF.year, ASOF.month, ASOF.day, 19, 3, tzinfo=UTC)
        screen._intraday_tick()  # the market is open at 14:03 New York: asks again
        legend = await got_minutes(pilot, screen, 2)
        assert screen.intraday_fetches == 2
        assert screen.query_one(PriceChart).view.n > 0  # still drawn, from the store
        assert "intraday needs Yahoo; last fetched" in legend and "ET" in legend


@pytest.mark.parametrize(("hour", "asks"), [(19, True), (2, False)])
async def test_the_timer_asks_again_only_while_the_market_is_open(fake_yahoo, tmp_path,
                                                                  hour, asks):
    app = YahooDrillApp(fake_yahoo, BarStore(tmp_path / "bars.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("i")
        await got_minutes(pilot, screen)
        app.clock = datetime(ASOF.year, ASOF.month, ASOF.day, hour, 30, tzinfo=UTC)
        screen._intraday_tick()
        await got_minutes(pilot, screen, 2 if asks else 1)
        assert len(fake_yahoo.requests_of("minutes")) == (2 if asks else 1)


async def test_a_hanging_yahoo_never_blocks_the_chart(fake_yahoo, tmp_path):
    app = YahooDrillApp(fake_yahoo, BarStore(tmp_path / "bars.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        fake_yahoo.inject("hang", symbol="KRE")
        await pilot.press("i")
        await pilot.pause(0.2)
        assert "loading 5-minute bars" in widget_text(screen.query_one("#dd-legend"))
        await pilot.press("2")  # the keys still work while the request hangs
        await pilot.pause()
        assert screen.timeframe == "3M" and screen.query_one(PriceChart).view.n > 0
        fake_yahoo.release()
        await got_minutes(pilot, screen)
