"""Properties of the facts. (1) hypothesis: arbitrary bar frames — NaNs, gaps, zero volume, flat
prices, 0, 1 or 2 bars — never raise anything undocumented and never give NaN where a number is
promised. (2) No look-ahead: for random bundled symbols and dates D, every fact as of D is identical
whether the data ends at D or runs on to the end.

To add a fact to the no-look-ahead property, append a `LookAheadCase` to `LOOK_AHEAD`: a callable
``(frames, symbol, day) -> value`` that computes the fact for ``symbol`` as of ``day`` from
``frames`` (a mapping symbol -> bar frame that ends at ``day`` in one run and at the end of the
data in the other). The value must be comparable with ``==`` (frozen dataclasses are).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.bars import upto
from analysis.facts.highs import record_highs
from analysis.facts.leaders import leaders
from analysis.facts.race import reference_race
from analysis.facts.streaks import streak, streak_series
from analysis.facts.strength import relative_strength, rs_line
from analysis.sources.sample import available_symbols, load_sample

# ---------------------------------------------------------------- (1) arbitrary frames

PRICE = st.one_of(
    st.floats(min_value=0.01, max_value=1e6, allow_nan=False),
    st.just(float("nan")),
    st.just(0.0),
    st.just(-1.0),
)


@st.composite
def bar_frames(draw, max_bars: int = 30) -> pd.DataFrame:
    """Sorted unique days with gaps (either time zone); any column may hold NaN; prices may be
    flat, zero or negative; volume is often zero."""
    n = draw(st.integers(min_value=0, max_value=max_bars))
    tz = draw(st.sampled_from(["America/New_York", "UTC"]))
    gaps = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=n, max_size=n))
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.cumsum(gaps), unit="D")
    if draw(st.booleans()):  # flat prices
        closes = [draw(PRICE)] * n
    else:
        closes = draw(st.lists(PRICE, min_size=n, max_size=n))

    def col():
        return draw(st.lists(PRICE, min_size=n, max_size=n))

    vol = draw(st.lists(st.sampled_from([0.0, 1e3, float("nan")]), min_size=n, max_size=n))
    frame = pd.DataFrame(
        {"open": col(), "high": col(), "low": col(), "close": closes, "volume": vol,
         "adj_close": col()},
        index=pd.DatetimeIndex(days, name="date").tz_localize(tz),
        dtype="float64",
    )
    return frame


@st.composite
def long_frame_pairs(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two frames long enough for the rotation windows, built from a drawn seed: random walks with
    drawn rates of NaN, zero/negative closes, flat stretches and missing sessions on either side."""
    n = draw(st.sampled_from([60, 150, 260, 400]))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    nan_rate, bad_rate, drop_rate = (
        draw(st.sampled_from([0.0, 0.0, 0.01, 0.3])) for _ in range(3)
    )
    tz = draw(st.sampled_from(["America/New_York", "UTC"]))
    days = pd.bdate_range("2023-01-02", periods=n).tz_localize(tz)

    def walk() -> pd.DataFrame:
        close = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
        if n and draw(st.booleans()):
            close[: n // 2] = close[0]  # a flat stretch
        close[rng.random(n) < nan_rate] = np.nan
        close[rng.random(n) < bad_rate] = rng.choice([0.0, -1.0])
        frame = pd.DataFrame({"open": close, "high": close * 1.01, "low": close * 0.99,
                              "close": close, "volume": 0.0, "adj_close": close}, index=days)
        return frame[rng.random(n) >= drop_rate]

    return walk(), walk()


def assert_no_nan(value, path="result"):
    """Every float in a (nested) result is finite; Optional fields may be None."""
    if is_dataclass(value):
        for f in fields(value):
            assert_no_nan(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, tuple | list):
        for k, v in enumerate(value):
            assert_no_nan(v, f"{path}[{k}]")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            assert_no_nan(v, f"{path}[{k!r}]")
    elif isinstance(value, float):
        assert math.isfinite(value), path


def n_usable(frame: pd.DataFrame) -> int:
    c = frame["close"].to_numpy()
    return int((np.isfinite(c) & (c > 0)).sum())


SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(bar_frames(), st.sampled_from([5.0, 20.0, 50.0]))
def test_record_highs_on_arbitrary_frames(frame, drawdown):
    got = record_highs(frame, drawdown_pct=drawdown)
    if n_usable(frame) == 0:
        assert got is None
        return
    assert_no_nan(got)
    assert got.pct_from_ath <= 0 and got.sessions_since_record >= 0
    assert got.ath_high >= got.ath_close
    assert (got.prior_cycle_peak is None) == (got.pct_vs_prior_cycle_peak is None)
    if n_usable(frame) == 1:
        assert not got.new_closing_ath and not got.new_intraday_ath


@SETTINGS
@given(bar_frames())
def test_streaks_on_arbitrary_frames(frame):
    now = streak(frame)
    assert isinstance(now.length, int)
    assert abs(now.length) <= max(n_usable(frame) - 1, 0)
    assert (now.study is None) == (now.length == 0)
    study = now.study
    if study is None:
        return
    assert_no_nan(study)
    for stats in (*study.after, *study.baseline):
        assert (stats.count == 0) == (stats.mean is None) == (stats.median is None)
        if stats.pct_positive is not None:
            assert 0 <= stats.pct_positive <= 100
    assert [len(r) for r in study.returns] == [s.count for s in study.after]
    assert streak_series(frame["close"].to_numpy()).dtype == np.int64


@SETTINGS
@given(st.one_of(long_frame_pairs(), st.tuples(bar_frames(), bar_frames())))
def test_relative_strength_on_arbitrary_frames(pair):
    a, b = pair
    got = relative_strength(a, b, "A", "B")
    line = rs_line(a, b)
    if line.empty:
        assert got is None
        return
    assert_no_nan(got)
    assert got.trend in ("up", "down", "flat")
    assert got.quadrant in (None, "leading", "weakening", "lagging", "improving")


@SETTINGS
@given(bar_frames(), bar_frames(), st.integers(min_value=0, max_value=40),
       st.integers(min_value=0, max_value=40))
def test_race_on_arbitrary_frames(a, b, ref_offset, start_offset):
    ref = date(2024, 1, 1) + pd.Timedelta(days=ref_offset)
    start = date(2024, 1, 1) + pd.Timedelta(days=start_offset)
    got = reference_race({"A": a, "B": b}, ["A", "B"], ref, start)
    assert got.status in ("running", "won", "tie", "invalid")
    assert_no_nan(got)
    if got.status == "won":
        assert got.winner in ("A", "B") and got.won_on > max(ref, start)
    if got.status == "invalid":
        assert got.note and got.winner is None


@SETTINGS
@given(st.lists(bar_frames(), min_size=0, max_size=4), st.integers(min_value=1, max_value=70))
def test_leaders_on_arbitrary_frames(frames, window):
    mapping = {f"S{k}": f for k, f in enumerate(frames)}
    got = leaders(mapping, window)
    if not any(n_usable(f) for f in frames):
        assert got is None
        return
    assert_no_nan(got)
    assert {x.symbol for x in got.order} == {s for s, f in mapping.items() if n_usable(f)}


# ---------------------------------------------------------------- (2) no look-ahead

Frames = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class LookAheadCase:
    name: str
    fact: Callable[[Frames, str, date], object]


def _row_at(table: pd.DataFrame | pd.Series, day: date):
    """The row of a per-session series at ``day`` (the last one on or before it), as a tuple."""
    rows = table[table.index.date <= day]
    if rows.empty:
        return None
    values = np.atleast_1d(np.asarray(rows.iloc[-1], dtype=object)).tolist()
    return tuple(None if isinstance(v, float) and math.isnan(v) else v for v in values)


class _EndsAt(Mapping):
    """``frames`` cut at ``day``, each one only when it is asked for."""

    def __init__(self, frames: Frames, day: date) -> None:
        self._frames, self._day = frames, day

    def __getitem__(self, symbol: str) -> pd.DataFrame:
        return upto(self._frames[symbol], self._day)

    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


def _asof(frames: Frames, day: date) -> Mapping[str, pd.DataFrame]:
    return _EndsAt(frames, day)


BENCH = "SPY"
SECTORS = ("SPY", "QQQ", "IWM", "SOXX", "SMH", "XLK", "XLF", "XLI", "XLV", "XLE")

LOOK_AHEAD: list[LookAheadCase] = [
    # Facts as of the last bar: given the data up to D.
    LookAheadCase("record_highs", lambda f, s, d: record_highs(upto(f[s], d))),
    LookAheadCase("streak", lambda f, s, d: streak(upto(f[s], d))),
    LookAheadCase("relative_strength",
                  lambda f, s, d: relative_strength(upto(f[s], d), upto(f[BENCH], d), s, BENCH)),
    LookAheadCase("leaders", lambda f, s, d: leaders(_asof({k: f[k] for k in SECTORS}, d), 21)),
    LookAheadCase("race", lambda f, s, d: reference_race(
        _asof({k: f[k] for k in (s, BENCH)}, d), [s, BENCH], "2024-07-10", "2024-08-01")),
    # Per-session series, read at D from whatever data they are given: any forward-looking
    # window (centred rolling, shift(-k), a global max) shows up here.
    LookAheadCase("streak_series at D", lambda f, s, d: _row_at(
        pd.Series(streak_series(f[s]["close"].to_numpy()), index=f[s].index), d)),
    LookAheadCase("rs_line at D", lambda f, s, d: _row_at(rs_line(f[s], f[BENCH]), d)),
]


@pytest.fixture(scope="module")
def universe() -> dict[str, pd.DataFrame]:
    return {s: load_sample(s) for s in available_symbols()}


def _random_points(count: int, seed: int = 20251209) -> list[tuple[str, date]]:
    rng = np.random.default_rng(seed)
    symbols = available_symbols()
    out = []
    for _ in range(count):
        sym = symbols[int(rng.integers(len(symbols)))]
        index = load_sample(sym).index
        out.append((sym, index[int(rng.integers(len(index)))].date()))
    return out


POINTS = _random_points(12) + [("XLK", date(2025, 12, 9)), ("^RUT", date(2025, 12, 9)),
                               ("ETH-USD", date(2025, 12, 13))]


@pytest.mark.parametrize("case", LOOK_AHEAD, ids=lambda c: c.name)
@pytest.mark.parametrize(("symbol", "day"), POINTS, ids=lambda p: str(p))
def test_no_fact_changes_when_later_bars_are_appended(universe, case, symbol, day):
    ends_at_day = case.fact(_asof(universe, day), symbol, day)
    runs_on = case.fact(universe, symbol, day)
    assert ends_at_day == runs_on


@pytest.mark.parametrize(("symbol", "day"), POINTS, ids=lambda p: str(p))
def test_last_bar_facts_agree_with_the_full_history_series(universe, symbol, day):
    bars = universe[symbol]
    cut = upto(bars, day)
    highs_now = record_highs(cut)
    close, high = bars["close"], bars["high"]
    flags = pd.DataFrame({"close": close > close.cummax().shift(1),  # NaN before: never a record
                          "high": high > high.cummax().shift(1)})
    assert (highs_now.new_closing_ath, highs_now.new_intraday_ath) == _row_at(flags, day)
    series = pd.Series(streak_series(bars["close"].to_numpy()), index=bars.index)
    assert streak(cut).length == _row_at(series, day)[0]
    rs = relative_strength(cut, upto(universe[BENCH], day), symbol, BENCH)
    if rs is not None:
        assert rs.ratio == _row_at(rs_line(bars, universe[BENCH]), day)[0]
