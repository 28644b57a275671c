"""What the drill-down draws: slicing at the as-of session, aggregation to about one bar per
column, explicit ticks, cells on plotext's grid, the facts as levels, and the RS line."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from plotext._utility import get_matrix_data

from analysis.facts.bases import Base, Handle
from analysis.facts.zones import Zone
from analysis.sources.sample import load_sample
from tui.chart import cells as cc
from tui.chart import data as cd
from tui.chart import levels as cl

ASOF = date(2025, 12, 9)


@pytest.fixture(scope="module")
def kre() -> pd.DataFrame:
    return load_sample("KRE")


@pytest.fixture(scope="module")
def spy() -> pd.DataFrame:
    return load_sample("SPY")


@pytest.fixture(scope="module")
def kre_facts():
    from analysis.config import Config
    from analysis.pipeline import Pipeline
    from analysis.sources.sample import SampleSource

    refresh = Pipeline(Config(), SampleSource()).refresh(["KRE", "SPY"], asof=ASOF)
    return refresh.snapshot.symbols["KRE"]


# --------------------------------------------------------------------------- slicing


def test_window_ends_at_the_asof_session_even_when_later_bars_exist(kre):
    win = cd.window(kre, ASOF, "3M")
    assert win.index[-1].date() == ASOF
    assert kre.index[-1].date() > ASOF  # the sample goes on to the end of 2025
    first_allowed = pd.Timestamp(ASOF, tz=kre.index.tz) - pd.DateOffset(months=3)
    assert win.index[0] > first_allowed
    earlier = kre[kre.index <= first_allowed]
    assert earlier.index[-1] < win.index[0]  # nothing inside the window was left out


def test_window_of_crypto_is_in_utc():
    btc = load_sample("BTC-USD")
    win = cd.window(btc, ASOF, "1M")
    assert str(win.index.tz) == "UTC"
    assert win.index[-1].date() == ASOF
    assert len(win) in (30, 31)  # every calendar day trades


# --------------------------------------------------------------------------- aggregation


def _weekly_by_loop(daily: pd.DataFrame) -> list[tuple]:
    """Weeks ending Friday, by a plain loop: (last session, open, high, low, close, volume)."""
    weeks: dict[date, list] = {}
    for ts, row in daily.iterrows():
        d = ts.date()
        friday = d + timedelta(days=(4 - d.weekday()) % 7)
        weeks.setdefault(friday, []).append((d, row))
    out = []
    for friday in sorted(weeks):
        rows = weeks[friday]
        out.append((rows[-1][0], rows[0][1]["open"], max(r["high"] for _, r in rows),
                    min(r["low"] for _, r in rows), rows[-1][1]["close"],
                    sum(r["volume"] for _, r in rows)))
    return out


def test_short_timeframes_stay_daily_when_they_fit(kre):
    win = cd.window(kre, ASOF, "3M")
    agg = cd.aggregate(win, 120)
    assert agg.period == "daily" and len(agg.frame) == len(win)


def test_weekly_bars_match_a_hand_aggregation_labelled_by_their_last_session(kre):
    win = cd.window(kre, ASOF, "1Y")
    agg = cd.aggregate(win, 100)
    assert agg.period == "weekly"
    expected = _weekly_by_loop(win)
    got = agg.frame
    assert len(got) == len(expected)
    for (ts, row), (last, o, h, lo, c, v) in zip(got.iterrows(), expected, strict=True):
        assert ts.date() == last
        assert (row["open"], row["high"], row["low"], row["close"]) == (o, h, lo, c)
        assert row["volume"] == pytest.approx(v)
    # The last week is partial: it is labelled with the as-of session, not a future Friday.
    assert got.index[-1].date() == ASOF


def to_weekly(df):
    """The weekly bar convention read plainly with pandas: weeks ending Friday, first open, max
    high, min low, last close, summed volume (the last week may be partial), labelled Friday."""
    agg = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum",
           "adj_close": "last"}
    return df.resample("W-FRI").agg(agg).dropna(subset=["close"])


@pytest.mark.parametrize("symbol", ["KRE", "BTC-USD"])
def test_weekly_bars_are_the_bar_conventions_to_weekly(symbol):
    win = cd.window(load_sample(symbol), ASOF, "3Y")
    agg = cd.aggregate(win, 200)
    assert agg.period == "weekly"
    expected = to_weekly(win)
    np.testing.assert_array_equal(agg.frame.to_numpy(), expected.to_numpy())
    # to_weekly labels a week with its Friday; the chart with the week's last session.
    fridays = [ts.date() for ts in expected.index]
    for label, friday in zip(agg.frame.index, fridays, strict=True):
        assert 0 <= (friday - label.date()).days < 7


@pytest.mark.parametrize("columns", [20, 37, 60, 88, 111, 150, 230])
def test_five_years_fit_in_the_columns_with_about_one_bar_each(kre, columns):
    win = cd.window(kre, ASOF, "5Y")
    agg = cd.aggregate(win, columns)
    n = len(agg.frame)
    assert n <= columns
    assert n > columns / 2  # not coarser than it needs to be
    assert agg.frame["volume"].sum() == pytest.approx(win["volume"].sum())
    # Every bar covers the sessions after the previous label up to its own label.
    labels = list(agg.frame.index) + []
    prev = None
    for ts, row in agg.frame.iterrows():
        part = win[(win.index <= ts) & ((win.index > prev) if prev is not None else True)]
        assert row["high"] == part["high"].max() and row["low"] == part["low"].min()
        assert row["open"] == part["open"].iloc[0] and row["close"] == part["close"].iloc[-1]
        prev = ts
    assert labels[-1].date() == ASOF


def test_grouped_weeks_do_not_move_when_a_session_is_added(kre):
    """Groups are anchored to a fixed epoch: the next session changes only the last bar (and the
    first, as the window's start moves with it)."""
    day1, day2 = date(2025, 12, 8), ASOF
    a = cd.aggregate(cd.window(kre, day1, "5Y"), 60).frame
    b = cd.aggregate(cd.window(kre, day2, "5Y"), 60).frame
    assert a.index[-1].date() == day1 and b.index[-1].date() == day2
    pd.testing.assert_frame_equal(a.iloc[1:-1], b.iloc[1:-1])


# --------------------------------------------------------------------------- no look-ahead


@pytest.mark.parametrize("timeframe", cd.TIMEFRAMES)
def test_what_is_drawn_ignores_bars_after_the_asof_session(kre, timeframe):
    cut = kre[kre.index.date <= ASOF]
    full = cd.prepare_price(kre, ASOF, timeframe, 120, 30)
    only = cd.prepare_price(cut, ASOF, timeframe, 120, 30)
    pd.testing.assert_frame_equal(full.frame, only.frame)
    assert full.ylim == only.ylim and full.xticks == only.xticks and full.yticks == only.yticks
    for w in cd.MA_WINDOWS:
        np.testing.assert_array_equal(full.ma[w], only.ma[w])


def test_moving_average_is_the_mean_of_the_last_50_closes_up_to_each_bar(kre):
    view = cd.prepare_price(kre, ASOF, "1Y", 120, 30)
    closes = kre[kre.index.date <= ASOF]["close"]
    for i in (0, len(view.frame) // 2, len(view.frame) - 1):
        label = view.frame.index[i]
        upto = closes[closes.index <= label]
        assert view.ma[50][i] == pytest.approx(sum(upto.iloc[-50:]) / 50)
        assert view.ma[200][i] == pytest.approx(sum(upto.iloc[-200:]) / 200)


# --------------------------------------------------------------------------- ticks


@pytest.mark.parametrize("timeframe", cd.TIMEFRAMES)
def test_x_ticks_sit_on_calendar_boundaries_and_never_touch(kre, timeframe):
    view = cd.prepare_price(kre, ASOF, timeframe, 120, 30)
    ticks, labels = view.xticks, view.frame.index
    assert ticks.positions, "explicit ticks expected"
    per_bar = view.canvas_width / view.n
    for pos, text in zip(ticks.positions, ticks.labels, strict=True):
        i = int(pos)
        assert i == pos and 0 < i < view.n
        a, b = labels[i - 1], labels[i]
        if timeframe == "1M":
            assert a.isocalendar()[:2] != b.isocalendar()[:2]
            assert text == b.strftime("%b %d")
        elif timeframe == "5Y":
            assert a.year != b.year and text == str(b.year)
        else:
            assert (a.year, a.month) != (b.year, b.month)
            assert text == (str(b.year) if b.month == 1 else b.strftime("%b"))
    gaps = np.diff(ticks.positions) * per_bar
    longest = max(len(t) for t in ticks.labels)
    assert all(g >= longest + 1 for g in gaps)


def test_nice_ticks_are_round_steps_inside_the_range():
    for lo, hi, k in ((57.3, 66.5, 5), (0.0891, 0.1071, 4), (18_000.0, 126_000.0, 6), (1, 2, 2),
                      (0.0905, 0.107, 3)):
        ticks = cd.nice_ticks(lo, hi, k)
        assert 2 <= len(ticks) <= k
        assert all(lo - 1e-9 <= t <= hi + 1e-9 for t in ticks)
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


def test_price_labels_show_the_decimals_the_step_needs():
    assert cd.price_labels((58.0, 60.0, 62.0)) == ("58", "60", "62")
    assert cd.price_labels((0.09, 0.1)) == ("0.09", "0.10")
    assert cd.price_labels((90_000.0, 100_000.0)) == ("90,000", "100,000")
    assert cd.compact(180_500_000) == "180.5M"


# --------------------------------------------------------------------------- the grid


def test_columns_and_rows_match_plotexts_own_mapping():
    n, width, height, ylim = 53, 107, 21, (46.4, 67.6)
    x = np.arange(n)
    assert cc.columns_of(x, n, width).tolist() == get_matrix_data(
        x.tolist(), (-0.5, n - 0.5), width)
    y = np.linspace(46.4, 67.6, 40)
    assert cc.rows_of(y, ylim, height).tolist() == get_matrix_data(y.tolist(), ylim, height)


def _frame(rows: list[tuple[float, float, float, float, float]]) -> pd.DataFrame:
    idx = pd.date_range("2025-01-06", periods=len(rows), freq="D", tz="America/New_York")
    df = pd.DataFrame(rows, columns=["open", "high", "low", "close", "volume"], index=idx)
    df["adj_close"] = df["close"]
    return df


def test_candles_fill_wick_and_body_rows_by_hand():
    frame = _frame([(2, 9, 0, 7, 100), (7, 8, 3, 4, 50), (5, 5, 5, 5, 0)])
    ylim, width, height = (0.0, 9.0), 3, 10  # one row per unit, one column per bar
    cells = cc.candle_cells(frame, ylim, width, height)
    got = {(c, r): (ch, role) for c, r, ch, role in zip(cells.cols, cells.rows, cells.chars,
                                                         cells.roles, strict=True)}
    expected = {}
    for col, (o, h, lo, c, _v) in enumerate(frame[["open", "high", "low", "close", "volume"]]
                                            .itertuples(index=False)):
        role = "up" if c >= o else "down"
        for row in range(int(lo), int(h) + 1):
            body = min(o, c) <= row <= max(o, c)
            expected[(col, row)] = ("█" if body else "│", role)
    assert got == expected


def test_ohlc_bars_tick_the_open_left_and_the_close_right():
    frame = _frame([(2, 9, 0, 7, 100)])
    cells = cc.candle_cells(frame, (0.0, 9.0), 1, 10, mode="ohlc")
    got = dict(zip(cells.rows.tolist(), cells.chars.tolist(), strict=True))
    assert got[2] == "┤" and got[7] == "├" and got[5] == "│" and set(got) == set(range(10))


def test_volume_bars_scale_to_the_tallest_in_eighths():
    frame = _frame([(1, 1, 1, 1, 800), (1, 1, 1, 1, 300), (1, 1, 1, 0.5, 50)])
    cells = cc.volume_cells(frame, 3, 4)
    heights = {c: 0.0 for c in range(3)}
    blocks = " ▁▂▃▄▅▆▇█"
    for c, r, ch in zip(cells.cols, cells.rows, cells.chars, strict=True):
        heights[int(c)] = max(heights[int(c)], r + blocks.index(ch) / 8)
    # 800 -> 4 rows; 300 -> 1.5 rows; 50 -> 0.25 rows (eighths: 32, 12, 2)
    assert heights == {0: 3 + 1.0, 1: 1 + 0.5, 2: 0 + 0.25}
    assert set(cells.roles[cells.cols == 2]) == {"down"}


# --------------------------------------------------------------------------- facts as levels


def test_levels_take_the_forming_base_pivot_and_a_five_percent_buy_zone(kre_facts):
    base = Base("cup_with_handle", date(2025, 6, 2), ASOF, 66.0, 52.0, 64.1, 21.2, 27.0,
                Handle(date(2025, 11, 20), ASOF, 64.1, 60.0, 6.4), 80, ("deep",), "forming")
    older = dataclasses.replace(base, start=date(2024, 1, 5), end=date(2024, 6, 3),
                                status="broken_out")
    facts = dataclasses.replace(kre_facts, bases=(base, older), breakout=None)
    lv = cl.levels_from_facts(facts, extended_pct=5.0)
    assert lv.pivot == 64.1 and lv.buy_zone_top == pytest.approx(64.1 * 1.05)
    assert lv.base is base
    assert lv.breakouts == (date(2024, 6, 4),)  # the session after the base's last day


def test_the_zone_drawn_is_the_nearest_overhead_resistance(kre_facts):
    zones = (
        Zone("resistance", 70.0, 72.0, 3, date(2023, 1, 3), date(2025, 1, 3), "below", 8.0),
        Zone("support", 60.0, 61.0, 4, date(2023, 1, 3), date(2025, 1, 3), "above", -5.0),
        Zone("resistance", 66.0, 67.5, 5, date(2023, 2, 3), date(2025, 10, 6), "below", 1.9),
        Zone("resistance", 50.0, 52.0, 5, date(2023, 2, 3), date(2025, 10, 6), "above", -20.0),
    )
    facts = dataclasses.replace(kre_facts, zones=zones, last=64.8)
    assert cl.levels_from_facts(facts).zone == zones[2]


def test_level_cells_put_the_pivot_on_its_row_from_the_base_start(kre, kre_facts):
    lv = cl.levels_from_facts(kre_facts)
    assert lv.pivot is not None and lv.base is not None
    view = cd.prepare_price(kre, ASOF, "1Y", 120, 30, levels=lv)
    width, height = view.canvas_width, 24
    layers = cc.level_cells(view, width, height)
    pivot = layers[0]
    row = get_matrix_data([lv.pivot], view.ylim, height)[0]
    assert set(pivot.rows.tolist()) == {row} and set(pivot.roles) == {"pivot"}
    start_bar = int(np.searchsorted(view.frame.index.date, lv.base.start))
    assert pivot.cols.min() == cc.columns_of(np.array([start_bar]), view.n, width)[0]
    assert pivot.cols.max() == width - 1
    assert pivot.layer == "under"
    assert any(layer.layer == "back" and set(layer.roles) == {"zone"} for layer in layers)


# --------------------------------------------------------------------------- RS


@pytest.mark.parametrize(("symbol", "timeframe"), [("SMH", "1Y"), ("SMH", "5Y"), ("KRE", "3M")])
def test_rs_line_and_its_new_highs_match_a_plain_loop(spy, symbol, timeframe):
    bars = load_sample(symbol)
    view = cd.prepare_rs(bars, spy, ASOF, timeframe, 100, 12)
    a = bars[bars.index.date <= ASOF]["close"]
    b = spy[spy.index.date <= ASOF]["close"]
    ratio = {}
    for ts, close in a.items():
        if ts in b.index:
            ratio[ts] = close / b[ts]
    best, highs = -math.inf, []
    for i, (ts, r) in enumerate(ratio.items()):
        if i > 0 and r > best:
            highs.append(ts)
        best = max(best, r)
    labels = view.labels
    for i, label in enumerate(labels):
        assert view.line[i] == pytest.approx(ratio[label])
        prev = labels[i - 1] if i else cd.window(bars, ASOF, timeframe).index[0] - timedelta(
            days=1)
        inside = [t for t in highs if prev < t <= label]
        assert bool(view.new_high[i]) == bool(inside)
    if symbol == "SMH":  # semiconductors led: their RS line made new highs in view
        assert view.new_high.sum() > 0


def test_benchmarks_cycle_without_the_symbol_itself_and_only_with_bars():
    from analysis.config import Config

    config = Config()
    assert cl.benchmarks_for("KRE", config, ("KRE", "SPY", "IWM")) == ("SPY", "IWM")
    assert cl.benchmarks_for("SPY", config, ("SPY", "IWM")) == ("IWM",)
    assert cl.benchmarks_for("ETH-USD", config, ("ETH-USD", "BTC-USD", "SPY"))[0] == "BTC-USD"
