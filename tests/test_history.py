"""History mode: breakout outcomes with bounded definitions (r21/r63, the highest rise within 63
sessions, -8% before +5% within 63) computed by hand, and a constructed cup with handle scanned day
by day."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.history import breakout_outcome, scan_history, summarize
from analysis.sources.sample import load_sample
from tests.synthetic_bars import active_base, bars_from, cup_with_handle, line
from tui.commands.history_text import format_history


def _path(after):
    closes = np.r_[np.full(60, 95.0), after]
    return bars_from(closes), 60


def test_outcome_of_a_breakout_that_worked_by_hand():
    after = np.r_[100.0, line(100, 115, 15), line(115, 88, 20), np.full(40, 88.0)]
    bars, at = _path(after)
    o = breakout_outcome(bars, at, 99.5, "flat-base pivot")
    assert o.close == 100.0 and o.kind == "flat_base"
    assert o.r21 == pytest.approx((after[21] / 100 - 1) * 100)
    assert o.r63 == pytest.approx((after[63] / 100 - 1) * 100)
    # the highest high of the next 63 sessions: 115 x 1.005 (bars' highs are close x 1.005)
    assert o.max_rise_63 == pytest.approx((115 * 1.005 / 100 - 1) * 100)
    assert o.failed is False  # +5% came (session 4) before -8%


def test_a_breakout_whose_stop_came_first_failed_and_without_63_sessions_has_no_r63():
    after = np.r_[100.0, line(100, 103, 5), line(103, 90, 10)]
    bars, at = _path(after)
    o = breakout_outcome(bars, at, 99.0, "resistance zone 98.00-99.00 (3 touches since Jan 2020)")
    assert o.failed is True and o.kind == "zone"
    assert o.r63 is None and o.max_rise_63 is None


def test_undecided_while_neither_5_pct_nor_the_stop_has_happened():
    bars, at = _path(np.r_[100.0, line(100, 103, 5), np.full(5, 102.0)])
    o = breakout_outcome(bars, at, 99.0, "cup-with-handle pivot")
    assert o.failed is None and o.kind == "cup_with_handle"


def test_summary_counts_only_decided_breakouts_in_the_failure_rate():
    bars, at = _path(np.r_[100.0, line(100, 115, 15), line(115, 88, 20), np.full(40, 88.0)])
    worked = breakout_outcome(bars, at, 99.0, "cup pivot")
    bars2, at2 = _path(np.r_[100.0, line(100, 103, 5), line(103, 90, 10)])
    bust = breakout_outcome(bars2, at2, 99.0, "cup pivot")
    bars3, at3 = _path(np.r_[100.0, line(100, 103, 5)])
    open_ = breakout_outcome(bars3, at3, 99.0, "cup pivot")
    s = summarize("cup", [worked, bust, open_])
    assert (s.breakouts, s.decided, s.failures) == (3, 2, 1)
    assert s.failure_rate_pct == pytest.approx(50.0)
    assert s.mean_r63 == pytest.approx(worked.r63) and s.median_r63 == pytest.approx(worked.r63)
    assert s.mean_max_rise_63 == pytest.approx(worked.max_rise_63)


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
