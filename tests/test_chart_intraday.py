"""The intraday chart view (1D, 5D) on the fake Yahoo's 5-minute bars: which bars, grouped how,
the VWAP and prior close it carries, its axis, and the shading cells."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from fakeminutes import minute_chart_answer

from analysis.facts.session_vwap import session_vwap
from analysis.sources.minute_bars import parse_minute_chart
from tui.chart.intraday import MinuteInput, group_minutes, intraday_cells, prepare_intraday
from tui.chart.levels import Levels


@pytest.fixture
def minutes(fake_yahoo):
    _, body = minute_chart_answer(fake_yahoo, "KRE", {"range": "5d", "includePrePost": "true"})
    return parse_minute_chart(body, "KRE")


def test_1d_is_the_last_session_and_5d_the_last_five(minutes):
    one = prepare_intraday(MinuteInput(minutes, 64.0), "1D", 120, 30)
    five = prepare_intraday(MinuteInput(minutes, 64.0), "5D", 120, 30)
    assert set(one.frame.index.date) == {date(2025, 12, 9)}
    assert len(set(five.frame.index.date)) == 5
    assert one.n <= one.canvas_width and five.n <= five.canvas_width


def test_bars_are_grouped_to_fit_without_mixing_sessions(minutes):
    day = minutes[minutes.index.date == date(2025, 12, 9)]
    grouped, k, ends = group_minutes(day, 70)
    assert k == 15 and len(grouped) <= 70
    starts = np.r_[0, ends[:-1] + 1]
    for s, e, session in zip(starts, ends, grouped["session"], strict=True):
        assert set(day["session"].iloc[s:e + 1]) == {session}
    first = day[day["session"] == "regular"].iloc[:3]  # 09:30, 09:35, 09:40 make one bar
    bar = grouped.loc[first.index[0]]
    assert (bar["open"], bar["high"], bar["low"], bar["close"], bar["volume"]) == pytest.approx(
        (first["open"].iloc[0], first["high"].max(), first["low"].min(), first["close"].iloc[-1],
         first["volume"].sum()))
    assert len(group_minutes(day, 500)[0]) == len(day)  # room enough: 5-minute bars


def test_the_vwap_of_a_bar_is_the_days_vwap_at_its_last_5_minute_bar(minutes):
    view = prepare_intraday(MinuteInput(minutes, 64.0), "1D", 120, 30)
    day = minutes[minutes.index.date == date(2025, 12, 9)]
    _, _, ends = group_minutes(day, view.canvas_width)
    expected = session_vwap(day)[ends]
    assert np.allclose(view.intraday.vwap, expected, equal_nan=True)
    assert np.isnan(view.intraday.vwap[view.intraday.extended]).all()


def test_prior_close_widens_the_range_and_levels_keep_only_pivot_and_zone(minutes):
    day = minutes[minutes.index.date == date(2025, 12, 9)]
    low = float(day["low"].min())
    levels = Levels(pivot=float(day["high"].max()) * 1.01)
    prior = low - 0.2 * (float(day["high"].max()) - low)  # near the bars: in view
    view = prepare_intraday(MinuteInput(minutes, prior), "1D", 120, 30, levels=levels)
    assert view.ylim[0] < prior < low and view.intraday.prior_close == prior
    assert view.levels.base is None and view.levels.breakouts == ()
    assert view.levels.pivot == levels.pivot


def test_axis_names_hours_on_1d_and_days_on_5d(minutes):
    one = prepare_intraday(MinuteInput(minutes, None), "1D", 120, 30)
    five = prepare_intraday(MinuteInput(minutes, None), "5D", 120, 30)
    assert "10:00" in one.xticks.labels and all(t.endswith(":00") for t in one.xticks.labels)
    assert five.xticks.labels == ("Thu 04", "Fri 05", "Mon 08", "Tue 09")


def test_pre_and_post_market_columns_are_shaded(minutes):
    view = prepare_intraday(MinuteInput(minutes, 64.0), "1D", 120, 30)
    cells = intraday_cells(view, view.canvas_width, 20)
    shade = next(c for c in cells if c.layer == "back")
    shaded = set(shade.cols.tolist())
    from tui.chart.cells import columns_of

    cols = columns_of(np.arange(view.n), view.n, view.canvas_width)
    assert {int(c) for c in cols[view.intraday.extended]} <= shaded
    assert not {int(c) for c in cols[~view.intraday.extended]} & shaded
    assert set(shade.chars[shade.rows == 0]) == {"░"}  # what 16 colours show instead of a tint


def test_no_minutes_gives_an_empty_view():
    assert prepare_intraday(None, "1D", 120, 30).n == 0
