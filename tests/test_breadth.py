"""Breadth of a universe, checked against counts made by hand on a small fixture; sectors ranked
bottom-up from their members; breadth in `scan --json`."""

from datetime import UTC, date, datetime

import numpy as np

from analysis.config import Config
from analysis.facts.bases import Base
from analysis.facts.breadth import Breadth, PriceBreadth, breadth, price_breadth, setup_flags
from analysis.facts.breakout import Breakout
from analysis.report import snapshot_to_json
from analysis.snapshot import analyze
from analysis.sources.base import FetchResult
from analysis.universe import Member, Universe
from tests.synthetic_bars import bars_from


def _flags(close, high=None, low=None) -> PriceBreadth:
    close = np.asarray(close, dtype=float)
    return price_breadth(close, close + 1 if high is None else high,
                         close - 1 if low is None else low)


def test_rising_member_is_above_both_averages_at_a_new_high():
    f = _flags(np.arange(1.0, 261.0))
    assert f == PriceBreadth(above_50=True, above_200=True, new_high=True, new_low=False)


def test_falling_member_is_below_both_averages_at_a_new_low():
    f = _flags(np.arange(300.0, 40.0, -1.0))
    assert f == PriceBreadth(above_50=False, above_200=False, new_high=False, new_low=True)


def test_a_close_equal_to_its_average_is_not_above_it():
    f = _flags(np.full(253, 5.0), np.full(253, 5.0), np.full(253, 5.0))
    assert f == PriceBreadth(above_50=False, above_200=False, new_high=False, new_low=False)


def test_figures_need_that_many_bars():
    assert _flags(np.r_[np.full(99, 10.0), 11.0]) == PriceBreadth(True, None, None, None)
    assert _flags(np.full(49, 10.0)) == PriceBreadth(None, None, None, None)
    assert _flags(np.full(252, 10.0)).new_high is None  # 253 bars needed
    assert _flags(np.full(253, 10.0)).new_high is False


def test_new_high_window_is_exactly_the_252_sessions_before_the_last():
    close = np.full(300, 10.0)
    high = close + 1
    high[-1] = 12.0
    outside = high.copy()
    outside[-1 - 253] = 50.0  # 253 sessions back: outside the window
    inside = high.copy()
    inside[-1 - 252] = 50.0  # 252 sessions back: inside
    assert price_breadth(close, outside, close - 1).new_high is True
    assert price_breadth(close, inside, close - 1).new_high is False


def _base(status: str) -> Base:
    return Base("flat_base", date(2021, 1, 4), date(2021, 3, 1), 100.0, 90.0, 100.0, 10.0, 8.0,
                None, 80, (), status)


def _state(name: str) -> Breakout:
    return Breakout(name, 100.0, "flat-base pivot", 2.0, None, None, "")


def test_setup_flags():
    assert setup_flags((), _state("near")) == (False, False, False)
    assert setup_flags((_base("forming"),), _state("below")) == (True, False, False)
    assert setup_flags((_base("forming"),), _state("near")) == (True, True, False)
    assert setup_flags((_base("broken_out"),), _state("breaking")) == (False, False, True)
    assert setup_flags((_base("broken_out"),), _state("confirmed")) == (False, False, True)
    assert setup_flags((_base("broken_out"),), _state("extended")) == (False, False, False)


def test_breadth_counts_by_hand():
    prices = {
        "M1": _flags(np.arange(1.0, 261.0)),              # 260 bars, rising
        "M2": _flags(np.arange(300.0, 40.0, -1.0)),       # 260 bars, falling
        "M3": _flags(np.r_[np.full(99, 10.0), 11.0]),     # 100 bars, last close up
        "M4": _flags(np.full(30, 10.0)),                  # 30 bars: only a member
        "M5": _flags(np.full(253, 5.0), np.full(253, 5.0), np.full(253, 5.0)),  # flat
    }
    setups = {"M1": (False, False, True), "M2": (True, True, False), "M3": (True, False, False),
              "M4": (False, False, False), "M5": (True, True, False)}
    assert breadth(prices, setups) == Breadth(
        members=5,
        with_50=4, above_50=2, pct_above_50=50.0,       # M1, M3 of M1, M2, M3, M5
        with_200=3, above_200=1, pct_above_200=100 / 3,  # M1 of M1, M2, M5
        with_253=3, new_highs=1, new_lows=1,             # M1 / M2 of M1, M2, M5
        in_base=3, near_pivot=2, breaking=1,
    )


def test_empty_breadth_has_no_percentages():
    b = breadth({}, {})
    assert b.members == 0 and b.pct_above_50 is None and b.pct_above_200 is None


def test_breadth_and_sectors_in_the_snapshot_and_scan_json():
    n = 300
    frames = {
        "UP": bars_from(np.linspace(20, 80, n)),
        "DOWN": bars_from(np.linspace(80, 20, n)),
        "SHORT": bars_from(np.linspace(20, 30, 120)),
    }
    uni = Universe("t", (Member("UP", "Up Inc", "Tech"), Member("DOWN", "Down Co", "Energy"),
                         Member("SHORT", "", "Tech"), Member("GONE", "", "Tech")))
    snap = analyze(FetchResult(frames, "test", datetime(2021, 6, 1, tzinfo=UTC)), Config(),
                   universe=uni)
    b = snap.universe.breadth
    assert (b.members, b.with_50, b.above_50, b.with_200, b.above_200) == (3, 3, 2, 2, 1)
    assert (b.with_253, b.new_highs, b.new_lows) == (2, 1, 1)
    assert snap.universe.missing == ("GONE",)
    assert {s.sector: s.members for s in snap.universe.sectors} == {"Tech": 2, "Energy": 1}
    doc = snapshot_to_json(snap)
    assert doc["breadth"]["pct_above_200"] == 50.0
    assert doc["breadth"]["new_highs"] == 1
    assert doc["universe"]["missing"] == ["GONE"]


def test_without_a_universe_the_scan_has_no_breadth():
    frames = {"UP": bars_from(np.linspace(20, 80, 300))}
    snap = analyze(FetchResult(frames, "test", datetime(2021, 6, 1, tzinfo=UTC)), Config())
    doc = snapshot_to_json(snap)
    assert doc["breadth"] is None and doc["universe"] is None
    assert doc["symbols"][0]["rs_rating"] is None


def test_breadth_as_of_a_date_ignores_later_bars():
    n = 300
    frames = {"UP": bars_from(np.linspace(20, 80, n)), "DOWN": bars_from(np.linspace(80, 20, n)),
              "FLAT": bars_from(np.r_[np.full(n - 1, 30.0), 30.5])}
    uni = Universe("t", tuple(Member(s) for s in frames))
    asof = frames["UP"].index[260].date()
    cut = {s: df[df.index.date <= asof] for s, df in frames.items()}
    # afterwards DOWN soars to a record and UP collapses: nothing of it may show as of the date
    later = dict(frames)
    later["DOWN"] = bars_from(np.r_[frames["DOWN"]["close"].to_numpy()[:261], np.full(39, 500.0)])
    later["UP"] = bars_from(np.r_[frames["UP"]["close"].to_numpy()[:261], np.full(39, 1.0)])
    when = datetime(2021, 6, 1, tzinfo=UTC)
    early = analyze(FetchResult(later, "t", when), Config(), universe=uni, asof=asof)
    exact = analyze(FetchResult(cut, "t", when), Config(), universe=uni, asof=asof)
    assert early.universe.breadth == exact.universe.breadth
    assert early.universe.breadth.new_highs == 1 and early.universe.breadth.new_lows == 1
