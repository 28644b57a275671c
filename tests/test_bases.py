"""Bases: textbook shapes are found with the right pivot, near-misses are rejected with the reason,
and the detector never looks ahead (real bundled bars)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.facts.bases import (
    BaseRules,
    explain,
    find_bases,
    rules_for_symbol,
)
from analysis.history import daily_states
from analysis.sources.sample import load_sample
from tests.synthetic_bars import SPREAD, active_base, bars_from, cup_with_handle, line, uptrend


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
    # a 10.7% handle (within 12%) that still sinks under the cup's midpoint
    closes, volume, _ = cup_with_handle(depth_bottom=70.0, right=92.0, handle_low=83.0)
    bars = bars_from(closes, volume)
    reasons = _why(bars, "cup_with_handle")
    midpoint = 70 * 0.995 + 0.5 * (100.5 - 70 * 0.995)
    half = [r for r in reasons if "lower half" in r]
    assert len(half) == 1 and not any("deep" in r for r in reasons), reasons
    assert half[0].startswith(f"handle low {83 * 0.995:.2f} in the lower half of the cup")
    assert float(half[0].rsplit(" ", 1)[1].rstrip(")")) == pytest.approx(midpoint, abs=0.006)


def test_too_short_cup_is_rejected_with_its_length():
    closes, volume, _ = cup_with_handle(cup_sessions=14, handle_sessions=5)
    bars = bars_from(closes, volume)
    reasons = _why(bars, "cup_with_handle")
    weeks = (bars.index[-1] - bars.index[149]).days / 7
    assert f"{weeks:.1f} weeks < 7-week minimum" in reasons


def test_handle_deeper_than_12_pct_is_rejected():
    closes, volume, _ = cup_with_handle(depth_bottom=60.0, handle_low=84.0)
    reasons = _why(bars_from(closes, volume), "cup_with_handle")
    depth = (1 - 84 * (1 - SPREAD) / (97 * (1 + SPREAD))) * 100  # 14.3%
    assert reasons == (f"handle {depth:.1f}% deep > 12%",), reasons


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


def test_consolidation_near_the_high_says_why_it_is_not_a_flat_base():
    # Up to an all-time high, then four weeks inside a 6% range under it: too short for a flat
    # base, so a consolidation.
    closes = np.concatenate([np.linspace(80, 100, 60), line(100, 95, 5), line(95, 99, 5),
                             line(99, 95, 5), line(95, 97, 6)])
    bars = bars_from(closes)
    bases = find_bases(bars)
    assert [b.kind for b in bases] == ["consolidation"]
    assert bases[0].pivot == pytest.approx(100 * (1 + SPREAD))
    weeks = (bars.index[-1] - bars.index[59]).days / 7  # 4.1, from the high's session
    depth = (1 - 95 * (1 - SPREAD) / (100 * (1 + SPREAD))) * 100  # 5.9%
    assert bases[0].why.startswith(f"{weeks:.1f} weeks within {depth:.1f}% under the all-time "
                                   "high 100.50")
    assert bases[0].why.endswith("not a flat base: under 5 weeks")


def test_a_span_that_is_a_flat_base_and_a_consolidation_is_reported_once_as_a_flat_base():
    # Up to an all-time high after a 25% advance, then six weeks inside a 6% range under it.
    closes = np.concatenate([np.linspace(80, 100, 60), line(100, 95, 5)]
                            + [line(95, 99, 5), line(99, 95, 5)] * 2 + [line(95, 97, 5)])
    bases = find_bases(bars_from(closes))
    assert [b.kind for b in bases] == ["flat_base"]
    assert bases[0].why.startswith("6.0 weeks only 5.9% deep, after a 26% advance")
    kinds = {c.kind: c for c in explain(bars_from(closes))}
    assert "the same span is a more specific base" in kinds["consolidation"].reasons


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


def test_kre_as_of_2025_12_09_shows_the_september_base_whose_handle_has_not_formed():
    bars = load_sample("KRE").loc[:"2025-12-09"]
    base = active_base(bars, rules_for_symbol("KRE"))
    assert base is not None and base.kind in ("flat_base", "cup")
    assert str(base.start) == "2025-09-05"
    assert base.pivot == pytest.approx(66.97)
    cwh = next(c for c in explain(bars) if c.kind == "cup_with_handle")
    assert not cwh.accepted and str(cwh.start) == "2025-09-05"
    assert cwh.reasons == ("no handle yet (sessions since the right-side high 65.76: 1 < 5)",)


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


def test_a_handle_makes_a_cup_a_cup_with_handle():
    # Built here: an uptrend into 100, a U-shaped cup to 75 and back to 97 over 12 weeks,
    # then a handle drifting down to 92 on lighter volume.
    up = np.linspace(65.0, 100.0, 150)
    x = np.linspace(-1, 1, 61)[1:]
    cup = np.where(x < 0, 75 + 25 * x**2, 75 + 22 * x**2)
    closes = np.concatenate([up, cup])
    volume = np.full(len(closes) + 10, 1_000_000.0)
    volume[len(closes):] = 600_000.0
    left_high, right_high = 100 * (1 + SPREAD), closes[-1] * (1 + SPREAD)

    no_handle = find_bases(bars_from(closes, volume[: len(closes)]))
    assert [b.kind for b in no_handle] == ["cup"]
    assert no_handle[0].pivot == pytest.approx(left_high) and no_handle[0].handle is None

    short = np.r_[closes, line(closes[-1], 95.0, 3)]  # a 4-session pullback is no handle yet
    assert [b.kind for b in find_bases(bars_from(short, volume[: len(short)]))] == ["cup"]

    handled = np.r_[closes, line(closes[-1], 92.0, 10)]
    bases = find_bases(bars_from(handled, volume))
    assert [b.kind for b in bases] == ["cup_with_handle"]  # one base for the span, not a cup too
    assert bases[0].pivot == pytest.approx(right_high)
    assert bases[0].start == no_handle[0].start
    assert bases[0].handle.low == pytest.approx(92 * (1 - SPREAD))
    assert "handle 11 sessions" in bases[0].why and "pivot = the handle's high" in bases[0].why


def test_a_handle_closing_under_the_10_week_average_is_rejected():
    # The cup's right side rises fast and waits near the top for eight weeks, so the 50-session
    # average is high; the handle then closes under it (while still in the upper half).
    closes = np.concatenate([uptrend(), line(100, 70, 10), line(70, 97, 10), line(97, 97.5, 40),
                             line(97.5, 89, 8)])
    bars = bars_from(closes)
    ma = closes[-50:].mean()
    assert closes[-1] < ma
    assert _why(bars, "cup_with_handle") == ("a handle close under the 10-week average",)


def test_base_on_base_is_named_with_the_base_it_sits_on():
    # A flat base, a breakout to 110, and a second flat base whose low holds above the first pivot.
    first = _flat(7)
    closes = np.concatenate([first, line(first[-1], 110, 10), line(110, 103, 5), line(103, 108, 5),
                             line(108, 104, 5), line(104, 107, 10)])
    bases = find_bases(bars_from(closes))
    assert [(b.kind, b.status) for b in bases] == [("flat_base", "forming"),
                                                   ("flat_base", "broken_out")]
    top, below = bases
    assert top.low > below.pivot
    assert "base on base: on top of the flat-base that broke out on" in top.why
    assert f"its low above that pivot {below.pivot:.2f}" in top.why


@pytest.mark.parametrize("symbol", ["SPY", "^GSPC", "XLF", "KRE", "IWM", "XLK"])
def test_no_span_is_reported_twice_on_the_bundled_data(symbol):
    """Every session of 2025: no two bases share a left-side high (SPY, ^GSPC and XLF used to get
    a flat base and a consolidation with the same pivot, depth and dates)."""
    full = load_sample(symbol)
    rules = rules_for_symbol(symbol)
    i0 = int(np.searchsorted(full.index.tz_localize(None), np.datetime64("2025-01-02")))
    kinds = set()
    for _, found, _ in daily_states(full, i0, len(full) - 1, rules):
        starts = [b.start for b in found]
        assert len(starts) == len(set(starts)), found
        kinds.update(b.kind for b in found)
    assert kinds


def test_a_long_handle_is_the_cup_with_handles_handle_not_a_flat_base_of_its_own():
    closes, volume, marks = cup_with_handle(handle_sessions=30)
    bars = bars_from(closes, volume)
    flat = next(c for c in explain(bars) if c.kind == "flat_base")
    assert flat.accepted and flat.start == bars.index[marks["right"]].date()  # the handle alone
    assert [b.kind for b in find_bases(bars)] == ["cup_with_handle"]

