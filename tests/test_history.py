"""History mode: breakout outcomes (max gain before an 8% loss, 21/63-session gains, Bulkowski's
bust, ultimate rise) against plain loops, and a constructed cup with handle scanned day by day."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.facts.bases import active_base
from analysis.history import breakout_outcome, scan_history, summarize
from analysis.sources.sample import load_sample
from tests.synthetic_bars import bars_from, cup_with_handle, line
from tui.commands.history_text import format_history


def _loop_outcome(bars, at, level, stop=8.0):
    high, low, close = (bars[c].tolist()[at:] for c in ("high", "low", "close"))
    best, stopped = -np.inf, None
    for j, (h, lo) in enumerate(zip(high, low, strict=True)):
        if lo <= level * (1 - stop / 100):
            stopped = j
            break
        best = max(best, h)
    if stopped == 0:
        best = high[0]
    run, ultimate = -np.inf, None
    for h, lo in zip(high, low, strict=True):
        run = max(run, h)
        if lo <= run * 0.8:
            ultimate = (run / level - 1) * 100
            break
    gain = (best / level - 1) * 100
    g21 = (close[21] / level - 1) * 100 if len(close) > 21 else None
    return gain, stopped, g21, ultimate


def _path(after):
    closes = np.r_[np.full(60, 95.0), after]
    return bars_from(closes), 60


def test_outcome_of_a_breakout_that_worked():
    bars, at = _path(np.r_[line(101, 115, 15), line(115, 88, 20), np.full(40, 88.0)])
    o = breakout_outcome(bars, at, 100.0, "flat-base pivot")
    gain, stopped, g21, ultimate = _loop_outcome(bars, at, 100.0)
    assert o.max_gain_pct == pytest.approx(gain) and o.max_gain_pct > 5
    assert o.stopped == bars.index[at + stopped].date()
    assert o.failed is False and o.kind == "flat_base"
    assert o.gain_21_pct == pytest.approx(g21)
    assert o.gain_63_pct == pytest.approx((bars["close"].iloc[at + 63] / 100 - 1) * 100)
    assert o.ultimate_rise_pct == pytest.approx(ultimate)


def test_a_breakout_that_never_got_5_pct_past_the_level_and_hit_the_stop_is_a_bust():
    bars, at = _path(np.r_[line(101, 103, 5), line(103, 90, 10)])
    o = breakout_outcome(bars, at, 100.0, "resistance zone 98.00-100.00 (3 touches since Jan 2020)")
    assert o.failed is True and o.max_gain_pct < 5 and o.kind == "zone"
    assert o.gain_63_pct is None


def test_undecided_while_neither_5_pct_nor_the_stop_has_happened():
    bars, at = _path(np.r_[line(101, 103, 5), np.full(5, 102.0)])
    o = breakout_outcome(bars, at, 100.0, "cup-with-handle pivot")
    assert o.failed is None and o.stopped is None and o.ultimate_rise_pct is None
    assert o.kind == "cup_with_handle"


def test_summary_counts_only_decided_breakouts_in_the_failure_rate():
    bars, at = _path(np.r_[line(101, 115, 15), line(115, 88, 20)])
    worked = breakout_outcome(bars, at, 100.0, "cup pivot")
    bars2, at2 = _path(np.r_[line(101, 103, 5), line(103, 90, 10)])
    bust = breakout_outcome(bars2, at2, 100.0, "cup pivot")
    bars3, at3 = _path(np.r_[line(101, 103, 5)])
    open_ = breakout_outcome(bars3, at3, 100.0, "cup pivot")
    s = summarize("cup", [worked, bust, open_])
    assert (s.breakouts, s.decided, s.failures) == (3, 2, 1)
    assert s.failure_rate_pct == pytest.approx(50.0)
    assert s.avg_max_gain_pct == pytest.approx(
        np.mean([worked.max_gain_pct, bust.max_gain_pct, open_.max_gain_pct]))


def test_scan_of_a_constructed_cup_with_handle_breakout():
    closes, volume, _ = cup_with_handle()
    pivot = active_base(bars_from(closes, volume)).pivot
    after = np.r_[line(97.5, 99.0, 2), line(99.0, 120.0, 40)]
    vols = np.r_[np.full(1, 2e6), np.full(len(after) - 1, 1e6)]
    bars = bars_from(np.r_[closes, after], np.r_[volume, vols])
    report = scan_history(bars, "TEST", start=bars.index[200].date())
    cwh = [b for b in report.bases if b.kind == "cup_with_handle"]
    assert cwh and cwh[-1].outcome == "broke out" and cwh[-1].pivot == pytest.approx(pivot)
    confirmed = [t for t in report.transitions if t.state == "confirmed"]
    assert confirmed and confirmed[0].level == pytest.approx(pivot)
    assert confirmed[0].date == bars.index[len(closes)].date()
    (o,) = [o for o in report.outcomes if o.kind == "cup_with_handle"]
    assert o.level == pytest.approx(pivot) and o.failed is False
    assert o.date == confirmed[0].date
    text = format_history(report)
    assert "summary (all): " in text and "cup_with_handle" in text


def test_history_of_real_bars_runs_and_reports_within_the_period():
    report = scan_history(load_sample("XLK"), "XLK", "2024-01-01", "2024-12-31")
    assert str(report.start) == "2024-01-02" and str(report.end) == "2024-12-31"
    assert all(report.start <= t.date <= report.end for t in report.transitions)
    assert all(report.start <= o.date <= report.end for o in report.outcomes)
    assert report.summary.breakouts == len(report.outcomes)


def test_history_rejects_an_empty_period():
    with pytest.raises(ValueError):
        scan_history(load_sample("XLK"), "XLK", "2030-01-01", "2030-02-01")
