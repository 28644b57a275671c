"""Bases: textbook shapes are found with the right pivot, near-misses are rejected with the reason,
and the detector never looks ahead (real bundled bars)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.facts.bases import (
    BaseRules,
    active_base,
    explain,
    find_bases,
    rules_for_symbol,
)
from analysis.history import daily_states
from analysis.sources.sample import load_sample
from tests.synthetic_bars import SPREAD, bars_from, cup_with_handle, line, uptrend


def _why(bars, kind: str, rules: BaseRules | None = None) -> tuple[str, ...]:
    cand = next(c for c in explain(bars, rules) if c.kind == kind)
    assert not cand.accepted, f"{kind} unexpectedly accepted"
    return cand.reasons


def test_textbook_cup_with_handle_is_found_with_the_handle_high_as_pivot():
    closes, volume, marks = cup_with_handle()
    bars = bars_from(closes, volume)
    base = active_base(bars)
    assert base is not None and base.kind == "cup_with_handle"
    right_high = closes[marks["right"]] * (1 + SPREAD)
    assert base.pivot == pytest.approx(right_high)
    assert base.left_high == pytest.approx(100 * (1 + SPREAD))
    assert base.low == pytest.approx(75 * (1 - SPREAD))
    assert base.depth_pct == pytest.approx((1 - 75 * 0.995 / 100.5) * 100)
    assert base.start == bars.index[marks["left"]].date()
    assert base.handle is not None and base.handle.start == bars.index[marks["right"]].date()
    assert base.handle.low == pytest.approx(92 * (1 - SPREAD))
    assert base.length_weeks == pytest.approx((bars.index[-1] - bars.index[marks["left"]]).days / 7)
    assert base.quality >= 90 and base.status == "forming"


def test_handle_volume_not_lighter_costs_quality_and_says_so():
    closes, _, _ = cup_with_handle()
    heavy = np.full(len(closes), 1_000_000.0)
    heavy[-10:] = 2_000_000.0
    base = active_base(bars_from(closes, heavy))
    assert base is not None and base.kind == "cup_with_handle"
    assert any("handle volume" in r for r in base.reasons)
    assert base.quality <= 90


def test_the_pivot_is_the_high_itself_for_every_symbol():
    closes, volume, marks = cup_with_handle()
    bars = bars_from(closes, volume)
    right_high = closes[marks["right"]] * (1 + SPREAD)
    assert active_base(bars, rules_for_symbol("^GSPC")).pivot == pytest.approx(right_high)
    assert active_base(bars, rules_for_symbol("BTC-USD")).pivot == pytest.approx(right_high)
    assert active_base(bars, rules_for_symbol("KRE")).pivot == pytest.approx(right_high)


def test_cup_without_handle_pivots_at_the_left_side_high():
    closes, volume, marks = cup_with_handle()
    bars = bars_from(closes[: marks["right"] + 1], volume[: marks["right"] + 1])
    base = active_base(bars)
    assert base is not None and base.kind == "cup" and base.handle is None
    assert base.pivot == pytest.approx(100 * (1 + SPREAD))


def test_too_deep_cup_is_rejected_with_the_depth():
    closes, volume, _ = cup_with_handle(depth_bottom=40.0)
    reasons = _why(bars_from(closes, volume), "cup_with_handle")
    assert any("deep > 50% maximum" in r for r in reasons), reasons


def test_deeper_than_33_pct_costs_quality_unless_bear_market():
    closes, volume, _ = cup_with_handle(depth_bottom=62.0, right=97.0, handle_low=90.0)
    bars = bars_from(closes, volume)
    bull = active_base(bars)
    assert bull is not None and bull.kind == "cup_with_handle"
    assert any("beyond 33%" in r for r in bull.reasons)
    bear = active_base(bars, BaseRules(bear_market=True))
    assert bear.quality == bull.quality + 25


def test_handle_in_the_lower_half_is_rejected_with_the_midpoint():
    closes, volume, _ = cup_with_handle(depth_bottom=70.0, handle_low=84.0)
    bars = bars_from(closes, volume)
    reasons = _why(bars, "cup_with_handle")
    midpoint = 70 * 0.995 + 0.5 * (100.5 - 70 * 0.995)
    assert len(reasons) == 1, reasons
    assert reasons[0].startswith(f"handle low {84 * 0.995:.2f} in the lower half of the cup")
    assert float(reasons[0].rsplit(" ", 1)[1].rstrip(")")) == pytest.approx(midpoint, abs=0.006)


def test_too_short_cup_is_rejected_with_its_length():
    closes, volume, _ = cup_with_handle(cup_sessions=14, handle_sessions=5)
    bars = bars_from(closes, volume)
    reasons = _why(bars, "cup_with_handle")
    weeks = (bars.index[-1] - bars.index[149]).days / 7
    assert f"{weeks:.1f} weeks < 7-week minimum" in reasons


def test_too_deep_handle_is_rejected():
    closes, volume, _ = cup_with_handle(depth_bottom=60.0, handle_low=80.0)
    reasons = _why(bars_from(closes, volume), "cup_with_handle")
    assert any("handle" in r and "deep > 15%" in r for r in reasons), reasons


def _flat(weeks: int) -> np.ndarray:
    legs = [(100, 91), (91, 97), (97, 92), (92, 98), (98, 93), (93, 96), (96, 94)]
    per = max(1, weeks * 5 // len(legs))
    return np.concatenate([uptrend()] + [line(a, b, per) for a, b in legs])


def test_flat_base_is_found_with_the_base_high_as_pivot():
    closes = _flat(7)
    bars = bars_from(closes)
    base = active_base(bars)
    assert base is not None and base.kind == "flat_base"
    assert base.pivot == pytest.approx(closes.max() * (1 + SPREAD))
    assert base.depth_pct == pytest.approx((1 - 91 * 0.995 / 100.5) * 100)


def test_too_short_flat_base_is_rejected():
    closes = _flat(3)
    bars = bars_from(closes)
    assert active_base(bars) is None
    reasons = _why(bars, "flat_base")
    assert any("< 5-week minimum" in r for r in reasons), reasons


def test_flat_base_without_a_prior_advance_is_rejected():
    closes = np.concatenate([np.full(150, 100.0), _flat(7)[150:]])
    closes[149] = 100.0
    reasons = _why(bars_from(closes), "flat_base")
    assert any(r.startswith("prior advance") for r in reasons), reasons


def _w(second_low: float) -> np.ndarray:
    legs = [(100, 80, 15), (80, 90, 15), (90, second_low, 15), (second_low, 86, 10)]
    return np.concatenate([uptrend()] + [line(a, b, n) for a, b, n in legs])


def test_double_bottom_is_found_with_the_middle_peak_as_pivot():
    closes = _w(78.0)
    base = active_base(bars_from(closes))
    assert base is not None and base.kind == "double_bottom"
    assert base.pivot == pytest.approx(90 * (1 + SPREAD))
    assert base.low == pytest.approx(78 * (1 - SPREAD))


def test_w_whose_second_low_does_not_undercut_is_rejected():
    bars = bars_from(_w(82.0))
    reasons = _why(bars, "double_bottom")
    assert f"second low {82 * 0.995:.2f} does not undercut the first {80 * 0.995:.2f}" in reasons


def test_consolidation_near_the_high():
    # Up to an all-time high, then five weeks inside a 6% range under it, then a small lift.
    closes = np.concatenate([np.linspace(80, 100, 60), line(100, 95, 5)]
                            + [line(95, 99, 5), line(99, 95, 5)] * 2 + [line(95, 97, 5)])
    bars = bars_from(closes)
    kinds = {b.kind: b for b in find_bases(bars)}
    assert "consolidation" in kinds
    assert kinds["consolidation"].pivot == pytest.approx(100 * (1 + SPREAD))


def test_at_a_new_high_there_is_no_base_and_explain_says_why():
    bars = bars_from(uptrend())
    assert find_bases(bars) == ()
    assert all("no left-side high" in c.reasons[0] for c in explain(bars))


def test_breakout_keeps_the_base_with_status_and_puts_it_first():
    closes, volume, _ = cup_with_handle()
    pivot = active_base(bars_from(closes, volume)).pivot
    after = np.array([99.0, 100.0, 101.0])
    bars = bars_from(np.r_[closes, after], np.r_[volume, [3e6, 2e6, 2e6]])
    bases = find_bases(bars)
    assert bases[0].kind == "cup_with_handle" and bases[0].status == "broken_out"
    assert bases[0].pivot == pytest.approx(pivot)
    assert bases[0].end == bars.index[len(closes) - 1].date()
    back = bars_from(np.r_[closes, [99.0, 95.0]], np.r_[volume, [3e6, 1e6]])
    assert find_bases(back)[0].status == "failed"


def test_partial_week_counts_only_the_sessions_traded():
    closes, volume, marks = cup_with_handle()
    bars = bars_from(closes, volume)
    # Cut mid-week: the length is measured to the last session, not to the week's Friday.
    for cut in range(len(closes) - 5, len(closes)):
        base = active_base(bars.iloc[: cut + 1])
        if base is not None:
            expect = (bars.index[cut] - bars.index[marks["left"]]).days / 7
            assert base.length_weeks == pytest.approx(expect)


@pytest.mark.parametrize("symbol", ["KRE", "XLK", "SOXX", "BTC-USD"])
def test_no_look_ahead_bases_as_of_a_day_match_the_one_pass_history(symbol):
    """find_bases on bars cut at D equals the history engine's answer for D computed from the full
    data (which has the future in memory): nothing after D leaks in."""
    full = load_sample(symbol)
    rules = rules_for_symbol(symbol)
    rng = random.Random(7)
    days = sorted(rng.sample(range(400, len(full) - 1), 6))
    for i, found, _ in daily_states(full, days[0], days[-1], rules):
        if i in days:
            assert find_bases(full.iloc[: i + 1], rules) == found, full.index[i]


def test_kre_as_of_2025_12_09_shows_the_september_base_and_the_rejected_big_cup():
    bars = load_sample("KRE").loc[:"2025-12-09"]
    base = active_base(bars, rules_for_symbol("KRE"))
    assert base is not None and base.kind in ("flat_base", "cup")
    assert str(base.start) == "2025-09-05"
    assert base.pivot == pytest.approx(66.97)
    big = next(c for c in explain(bars) if c.kind == "cup_with_handle")
    assert not big.accepted and str(big.start) == "2024-11-25"
    assert any("lower half" in r for r in big.reasons)


def test_many_symbols_evaluated_together_give_the_same_bases():
    from analysis.facts.bases import find_bases_many
    from analysis.sources.sample import available_symbols

    frames = [load_sample(s) for s in available_symbols()]
    frames += [f.iloc[: 300 + 97 * i] for i, f in enumerate(frames)] + [frames[0].iloc[:1]]
    closes, volume, _ = cup_with_handle()
    frames.append(bars_from(closes, volume))
    expect = [find_bases(f) for f in frames]
    assert find_bases_many(frames, chunk=7) == expect
    assert any(expect) and not all(expect)


def test_bases_day_by_day_in_one_evaluation_equal_each_day_cut_alone():
    """History mode evaluates many sessions at once (every row's recent breakouts); each day
    must match `find_bases` on the bars cut at that day, which asks only for its last row."""
    import numpy as np

    from analysis.facts import base_shapes as shapes
    from analysis.facts.bases import bases_at, watch_table

    bars = load_sample("KRE").loc[:"2025-12-31"]
    rules = rules_for_symbol("KRE")
    p = shapes.prepare(bars)
    days = np.arange(len(bars) - 60 - rules.recent_sessions, len(bars))  # + the look-back
    ev = shapes.evaluate(p, days, rules)
    w = watch_table(p, ev, rules)
    statuses = set()
    for row, i in list(enumerate(days))[rules.recent_sessions:]:
        alone = find_bases(bars.iloc[: i + 1], rules)
        assert bases_at(p, ev, w, row, rules) == alone, bars.index[i]
        statuses.update(b.status for b in alone)
    assert len(statuses) > 1  # the window has more than forming bases
