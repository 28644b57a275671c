"""RS rating: the weighted score and the percentile rank (ties share their midpoint), checked
against values computed by hand; and through analyze() and `scan --json` without look-ahead."""

from datetime import UTC, datetime

import numpy as np

from analysis.config import Config
from analysis.facts.rs_rating import rs_ratings, rs_score
from analysis.report import snapshot_to_json
from analysis.snapshot import analyze
from analysis.sources.base import FetchResult
from analysis.universe import Member, Universe
from tests.synthetic_bars import bars_from


def test_score_weights_each_lookback_by_hand():
    close = np.full(253, 90.0)
    close[-1] = 120.0
    close[-1 - 63] = 100.0   # r63 = +20%
    close[-1 - 126] = 80.0   # r126 = +50%
    close[-1 - 189] = 150.0  # r189 = -20%
    close[-1 - 252] = 60.0   # r252 = +100%
    # 0.4*0.2 + 0.2*0.5 + 0.2*(-0.2) + 0.2*1.0 = 0.08 + 0.10 - 0.04 + 0.20
    assert abs(rs_score(close) - 0.34) < 1e-12


def test_no_score_under_253_bars():
    assert rs_score(np.linspace(10, 20, 252)) is None
    assert rs_score(np.linspace(10, 20, 253)) is not None


def test_ratings_by_hand_with_a_tie():
    # sorted: D < A < B = C < E; n = 5, so p = (L + E/2) / 4 and rating = 1 + floor(98p + 1/2)
    ratings = rs_ratings({"A": 0.10, "B": 0.20, "C": 0.20, "D": -0.05, "E": 0.50})
    assert ratings == {
        "D": 1,   # p = 0
        "A": 26,  # p = 1/4: 98 * 0.25 = 24.5 -> 25 -> 26
        "B": 62,  # p = (2 + 0.5) / 4 = 0.625: 61.25 -> 61 -> 62
        "C": 62,
        "E": 99,  # p = 1
    }


def test_ratings_small_and_degenerate_universes():
    assert rs_ratings({}) == {}
    assert rs_ratings({"X": 0.3}) == {"X": 50}
    assert rs_ratings({"X": 0.3, "Y": 0.3, "Z": 0.3}) == {"X": 50, "Y": 50, "Z": 50}
    assert rs_ratings({"lo": -1.0, "hi": 1.0}) == {"lo": 1, "hi": 99}
    # n = 3: the middle one is p = 1/2 -> 1 + floor(49.5) = 50
    assert rs_ratings({"a": 1.0, "b": 2.0, "c": 3.0}) == {"a": 1, "b": 50, "c": 99}


def test_ratings_stay_within_1_and_99_for_many_members():
    rng = np.random.default_rng(7)
    scores = {f"S{i}": float(v) for i, v in enumerate(rng.normal(size=2000))}
    ratings = rs_ratings(scores)
    assert min(ratings.values()) == 1 and max(ratings.values()) == 99
    order = sorted(scores, key=scores.get)
    assert [ratings[s] for s in order] == sorted(ratings.values())


def _fetched(frames):
    return FetchResult(frames, "test", datetime(2021, 6, 1, tzinfo=UTC))


def _member_bars():
    n = 300
    growth = {"UP": 0.002, "FLAT": 0.0, "DOWN": -0.001, "MID": 0.001}
    frames = {s: bars_from(50.0 * np.exp(g * np.arange(n))) for s, g in growth.items()}
    frames["YOUNG"] = bars_from(np.linspace(10, 30, 200))
    return frames


UNIVERSE = Universe("test", tuple(Member(s) for s in ("UP", "FLAT", "DOWN", "MID", "YOUNG")))


def test_analyze_rates_members_and_scan_json_carries_rs_rating():
    snap = analyze(_fetched(_member_bars()), Config(), universe=UNIVERSE)
    assert snap.universe is not None
    # four rated (YOUNG has 200 bars): p = 0, 1/3, 2/3, 1 -> 1 + floor(98p + 1/2)
    assert dict(snap.universe.rs_rating) == {"DOWN": 1, "FLAT": 34, "MID": 66, "UP": 99}
    doc = snapshot_to_json(snap)
    by_sym = {s["symbol"]: s for s in doc["symbols"]}
    assert by_sym["UP"]["rs_rating"] == 99
    assert by_sym["YOUNG"]["rs_rating"] is None
    assert doc["universe"]["rated"] == 4


def test_rs_rating_as_of_a_date_ignores_later_bars():
    frames = _member_bars()
    asof = frames["UP"].index[270].date()
    cut = {s: df[df.index.date <= asof] for s, df in frames.items()}
    # later bars make DOWN the leader; as of the date it is still last
    frames["DOWN"] = bars_from(np.r_[frames["DOWN"]["close"].to_numpy()[:271],
                                     np.linspace(60, 400, 29)])
    early = analyze(_fetched(frames), Config(), universe=UNIVERSE, asof=asof)
    exact = analyze(_fetched(cut), Config(), universe=UNIVERSE, asof=asof)
    assert early.universe.rs_rating == exact.universe.rs_rating
    assert early.universe.rs_rating["DOWN"] == 1
    late = analyze(_fetched(frames), Config(), universe=UNIVERSE)
    assert late.universe.rs_rating["DOWN"] == 99
