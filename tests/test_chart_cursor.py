"""A chart you can read: the bar cursor (what a bar held, checked against the bundled bars by
hand), years on the long timeframes' axis, moving-average labels on weekly bars, and the
drill-down's footer, side panel and study key at 120x40."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.sources.sample import load_sample
from tests.drilldown_app import ASOF, DrillApp, screen_text, settle, widget_text
from tui.chart import data as cd
from tui.chart.cursor import bar_info, cursor_index, cursor_text, step_cursor
from tui.chart.price import PriceChart
from tui.widgets.facts_panel import FactsPanel
from tui.widgets.study_table import StudyTable


@pytest.fixture(scope="module")
def kre() -> pd.DataFrame:
    return load_sample("KRE")


def test_a_weekly_bar_under_the_cursor_holds_its_weeks_sessions(kre):
    view = cd.prepare_price(kre, ASOF, "3Y", 250, 30)
    assert view.period == "weekly"
    i = cursor_index(view.frame.index, date(2025, 11, 19))  # a Wednesday
    info = bar_info(view, i)
    week = kre[(kre.index.date >= date(2025, 11, 17)) & (kre.index.date <= date(2025, 11, 21))]
    before = kre[(kre.index.date >= date(2025, 11, 10)) & (kre.index.date <= date(2025, 11, 14))]
    assert info.day == date(2025, 11, 21) and info.period == "weekly"
    assert info.open == pytest.approx(week["open"].iloc[0])
    assert info.high == pytest.approx(week["high"].max())
    assert info.low == pytest.approx(week["low"].min())
    assert info.close == pytest.approx(week["close"].iloc[-1])
    assert info.volume == pytest.approx(week["volume"].sum())
    assert info.change_pct == pytest.approx(
        (week["close"].iloc[-1] / before["close"].iloc[-1] - 1) * 100)
    text = cursor_text(info)
    assert text.startswith("week to Fri 2025-11-21  O ")
    assert f"C {info.close:,.2f}" in text


def test_a_daily_bar_says_its_day_and_the_first_bar_has_no_change(kre):
    view = cd.prepare_price(kre, ASOF, "1M", 120, 30)
    first = bar_info(view, 0)
    assert first.change_pct is None and first.period == "daily"
    last = bar_info(view, view.n - 1)
    assert last.day == ASOF and cursor_text(last).startswith("Tue 2025-12-09  O ")
    narrow = cursor_text(last, narrow=True)
    assert narrow.startswith("12-09 O") and f"C{last.close:,.2f}" in narrow and len(narrow) <= 48


def test_cursor_steps_stop_at_the_ends_and_start_on_the_last_bar(kre):
    labels = cd.prepare_price(kre, ASOF, "1M", 120, 30).frame.index
    days = list(labels.date)
    assert step_cursor(labels, None, "left") == days[-1]
    assert step_cursor(labels, days[-1], "left") == days[-2]
    assert step_cursor(labels, days[-1], "right") == days[-1]
    assert step_cursor(labels, days[5], "first") == days[0]
    assert step_cursor(labels, days[0], "left") == days[0]
    assert step_cursor(labels, days[0], "last") == days[-1]


@pytest.mark.parametrize("timeframe", ["3Y", "5Y"])
@pytest.mark.parametrize("width", [80, 120, 160])
def test_long_timeframes_name_the_years_on_the_axis(kre, timeframe, width):
    view = cd.prepare_price(kre, ASOF, timeframe, width, 30)
    labels = view.xticks.labels
    assert sum(t.isdigit() for t in labels) >= 2, labels
    assert all(t.isdigit() and int(t) in range(2018, 2026) or t in (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
        for t in labels)


async def test_cursor_keys_show_the_bar_in_the_legend_and_esc_hides_it_first():
    app = DrillApp("KRE")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(PriceChart)
        await pilot.press("left", "left")
        await pilot.pause()
        await pilot.pause()
        labels = chart.view.frame.index
        assert chart.cursor == labels[-2].date()
        assert cursor_text(bar_info(chart.view, len(labels) - 2)) in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert chart.cursor == labels[0].date()
        await pilot.press("end")
        await pilot.pause()
        assert chart.cursor == labels[-1].date()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert chart.cursor is None and app.screen.is_current  # still in the chart
        assert "┊ " not in screen_text(app).splitlines()[-3]


async def test_bars_of_weeks_label_their_averages_in_days():
    app = DrillApp("KRE")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")  # 3Y: groups of weeks at this width
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "-week" in text and "50-day MA" in text and "MA50 " not in text


async def test_the_charts_footer_is_whole_at_120_columns():
    from test_dashboard import make_app

    from tests.frozen_feed import loaded

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("←→ Bar", "1", "c Chart", "b Benchmark", "h Returns", "s Study",
                    "[] Symbol", "esc Back", "q Quit", "? Keys"):
            assert key in footer, footer
        await pilot.press("r")  # the app keys the footer leaves out still work
        await loaded(pilot, app, 2)


async def test_side_panel_rows_fit_at_120_columns_and_s_shows_the_study():
    app = DrillApp("KRE")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        side = app.screen.query_one("#dd-side")
        facts = app.screen.query_one(FactsPanel)
        inner = facts.size.width
        for line in widget_text(facts).splitlines():
            if line.startswith(("needs:", "why ", "this kind", "this symbol", "failed:", " ")) or (
                    not line.strip()):
                continue  # sentences (what it needs, why the base is that kind, a record) wrap
            assert len(line.rstrip()) <= inner, line
        study = app.screen.query_one(StudyTable)
        await pilot.press("s")
        await pilot.pause()
        await pilot.pause()
        assert side.scroll_y == min(study.virtual_region.y, side.max_scroll_y) > 0
        assert study.region.height >= min(study.size.height, side.size.height)
        await pilot.press("s")
        await pilot.pause()
        assert side.scroll_y == 0


def test_one_year_at_120_columns_is_daily_closes_with_every_session(kre):
    view = cd.prepare_price(kre, ASOF, "1Y", 78, 30)  # the chart's width at 120x40
    sessions = cd.window(kre, ASOF, "1Y")
    assert view.close_line and view.period == "daily" and view.n == len(sessions) > 240
    assert list(view.frame["close"]) == list(sessions["close"])
    weekly = cd.prepare_price(kre, ASOF, "3Y", 78, 30)
    assert not weekly.close_line and weekly.period.endswith("week")
    line = cd.prepare_price(kre, ASOF, "1M", 78, 30)
    assert not line.close_line and line.period == "daily"  # candles fit


def test_volume_of_several_sessions_in_one_column_is_their_mean(kre):
    from tui.chart.cells import columns_of, volume_columns

    frame = cd.window(kre, ASOF, "1Y")
    cols, vol, opens, closes = volume_columns(frame, 70)
    where = columns_of(np.arange(len(frame)), len(frame), 70)
    assert list(cols) == sorted(set(where))
    for k in (0, len(cols) // 2, len(cols) - 1):
        mine = frame[where == cols[k]]
        assert vol[k] == pytest.approx(mine["volume"].mean())
        assert (opens[k], closes[k]) == (mine["open"].iloc[0], mine["close"].iloc[-1])


async def test_one_year_chart_at_120x40_draws_the_daily_close_line():
    app = DrillApp("KRE")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(PriceChart)
        assert chart.view.close_line and chart.view.timeframe == "1Y"
        text = screen_text(app)
        assert "daily closes" in text
        await pilot.press("left")
        await pilot.pause()
        await pilot.pause()
        assert chart.cursor == ASOF
        assert f"{ASOF:%a %Y-%m-%d}  O " in screen_text(app)


async def test_the_charts_footer_at_80_columns_names_fewer_keys_all_whole():
    from test_dashboard import make_app

    from tests.frozen_feed import loaded

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for key in ("←→ Bar", "Timeframe", "s Study", "esc Back", "q Quit", "? Keys"):
            assert key in footer, footer
        assert "b Benchmark" not in footer
        await pilot.press("b")  # not named, still works (IWM, the first row: SPY is the only one)
        await pilot.pause()
        assert any(n.message.startswith("RS IWM / SPY") for n in app._notifications)


@pytest.mark.parametrize(("size", "shown"), [((80, 24), False), ((120, 40), True)])
async def test_the_dashboards_footer_is_never_cut(size, shown):
    from test_dashboard import make_app

    from tests.frozen_feed import loaded

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "? Keys" in footer and "q Quit" in footer, footer
        assert ("r Refresh" in footer and "t Theme" in footer) == shown, footer
        assert " Pau▏" not in footer  # no key cut in half
        await pilot.press("r")  # a key the narrow footer leaves out still works
        await loaded(pilot, app, 2)
