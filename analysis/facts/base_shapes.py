"""Vectorised evaluation of base candidates: for every (evaluation session, left-side high) pair,
the shape measurements and which published rules it meets.

A candidate base starts at the high of a completed week before the evaluation session's week (the
left-side high) and runs to the evaluation session. Every measurement is a range query over daily
bars up to the evaluation session (so a partial current week is used only as far as it has traded),
answered for all pairs at once with sparse tables (`analysis.facts.ranges`). `analysis.facts.bases`
turns the best candidate of each kind into a `Base`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import week_numbers
from analysis.facts.pivots import frame_arrays
from analysis.facts.ranges import RangeExtreme, prefix_sum, range_sum

if TYPE_CHECKING:
    import pandas as pd

    from analysis.facts.bases import BaseRules

CUP_KINDS = ("cup_with_handle", "cup")
NEG = -np.inf


SHIFT_DAYS = 7 * 20_000  # calendar gap between symbols stacked in one Prepared (whole weeks)


@dataclass
class Prepared:
    """Daily arrays of (tails of) one or more symbols' bars stacked end to end, their weeks, and
    range-query tables. ``cal`` is the calendar day shifted by ``SHIFT_DAYS`` per symbol so that
    ranges and weeks never straddle two symbols; ``day`` is the true day. ``first`` is the index of
    the first row of each row's symbol, ``pos`` a row's position in its own (usable) frame.
    ``index`` is the usable index of a single symbol (None when several are stacked)."""

    index: pd.DatetimeIndex | None
    day: np.ndarray
    cal: np.ndarray
    first: np.ndarray
    pos: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    ath_before: np.ndarray
    week: np.ndarray
    first_week: np.ndarray
    week_high: np.ndarray
    week_high_at: np.ndarray
    hmax: RangeExtreme
    lmin: RangeExtreme
    csum: np.ndarray
    vsum: np.ndarray
    bounds: np.ndarray


def prepare(bars: pd.DataFrame, tail_days: int | None = None) -> Prepared:
    """Arrays for `evaluate`. ``tail_days`` keeps only the last that many calendar days (plus the
    all-time high before them), which is all the shape rules look at."""
    p = prepare_many([bars], tail_days)
    p.index = frame_arrays(bars).index
    return p


def prepare_many(frames: list[pd.DataFrame], tail_days: int | None = None) -> Prepared:
    """`prepare` for several symbols at once (``bounds[i]:bounds[i+1]`` are symbol i's rows)."""
    parts = []
    for i, bars in enumerate(frames):
        a = frame_arrays(bars)
        n = len(a.close)
        ath = np.empty(n)
        if n:
            ath[0] = NEG
            ath[1:] = np.maximum.accumulate(a.high)[:-1]
        start = 0
        if tail_days is not None and n:
            start = int(np.searchsorted(a.day, a.day[-1] - tail_days))
        sl = slice(start, None)
        parts.append((a.high[sl], a.low[sl], a.close[sl], a.volume[sl], a.day[sl], ath[sl],
                      np.arange(start, n), i))
    sizes = np.array([len(part[0]) for part in parts], dtype=np.int64)
    longest = int(sizes.max()) if len(sizes) else 0  # no range spans two symbols
    bounds = np.r_[0, np.cumsum(sizes)]

    def cat(j: int, dtype="float64") -> np.ndarray:
        return np.concatenate([part[j] for part in parts]).astype(dtype) if parts else \
            np.zeros(0, dtype)

    high, low, close, volume, day, ath = (cat(j) for j in range(6))
    day = day.astype(np.int64)
    pos = cat(6, np.int64)
    sym = np.repeat(np.arange(len(parts)), sizes)
    cal = day + sym * SHIFT_DAYS
    first = np.repeat(bounds[:-1], sizes)
    week_id = week_numbers(cal)  # weeks end on Friday: the chart's weekly bars
    new_week = np.r_[True, np.diff(week_id) != 0] if len(day) else np.zeros(0, bool)
    starts = np.flatnonzero(new_week)
    week = np.cumsum(new_week) - 1
    if len(day):
        week_high = np.maximum.reduceat(high, starts)
        at_max = np.where(high == week_high[week], np.arange(len(high)), len(high))
        week_high_at = np.minimum.reduceat(at_max, starts)
    else:
        week_high = np.zeros(0)
        week_high_at = np.zeros(0, dtype=np.int64)
    return Prepared(
        index=None,
        day=day,
        cal=cal,
        first=first,
        pos=pos,
        high=high,
        low=low,
        close=close,
        volume=volume,
        ath_before=ath,
        week=week.astype(np.int64),
        first_week=week[first].astype(np.int64) if len(day) else np.zeros(0, np.int64),
        week_high=week_high,
        week_high_at=week_high_at.astype(np.int64),
        hmax=RangeExtreme(high, "max", first=True, max_len=longest),
        lmin=RangeExtreme(low, "min", first=False, max_len=longest),
        csum=prefix_sum(close),
        vsum=prefix_sum(volume),
        bounds=bounds,
    )


@dataclass
class Evaluation:
    """Measurements of the candidates of every (evaluation session, offset) cell.

    Only cells that are left-side highs (``structural``) are measured: ``cell[row, col]`` is the
    index of a cell into the 1-D arrays of ``f``, ``checks`` and ``penalties`` (-1 elsewhere).
    ``ok[kind]`` and ``quality[kind]`` are 2-D ``[len(days), offsets]``; ``ok`` marks cells meeting
    every hard rule of that kind; ``checks[kind]`` lists (passes, label) for each hard rule and
    ``penalties[kind]`` (hit, label) for the quality score (labels are keys of
    `analysis.facts.bases.MESSAGES`).
    """

    days: np.ndarray
    f: dict[str, np.ndarray]
    structural: np.ndarray
    cell: np.ndarray
    checks: dict[str, list[tuple[np.ndarray, str]]]
    penalties: dict[str, list[tuple[np.ndarray, str]]]
    ok: dict[str, np.ndarray]
    quality: dict[str, np.ndarray]
    weeks: np.ndarray

    def get(self, key: str, rows, cols) -> np.ndarray:
        """Measurement ``key`` at cells (rows, cols); 0 where a cell was not measured."""
        idx = self.cell[rows, cols]
        arr = self.f[key]
        if arr.size == 0:
            return np.zeros(np.shape(idx))
        return np.where(idx >= 0, arr[np.maximum(idx, 0)], 0)


def _pos_of_day_before(p: Prepared, target_day: np.ndarray) -> np.ndarray:
    """Index of the last session on or before each calendar day (-1 if none)."""
    return np.searchsorted(p.cal, target_day, side="right") - 1


def _week_start(p: Prepared, d: np.ndarray) -> np.ndarray:
    """Index of the first session of the week of each session index ``d``."""
    return np.searchsorted(p.week, p.week[d], side="left")


def _week_tops_prior(p: Prepared, peak_weeks: int) -> np.ndarray:
    """Per week: its high is at least the high of each of the ``peak_weeks`` weeks before it (of
    the same symbol; weeks before the symbol's first do not count). Once per week, not per cell."""
    n = len(p.week_high)
    w = np.arange(n)
    first = p.first_week[np.searchsorted(p.week, w)] if n else w
    top = np.full(n, NEG)
    for j in range(1, peak_weeks + 1):  # a few weeks back, each one array operation
        top = np.maximum(top, np.where(w - j >= first, p.week_high[np.maximum(w - j, 0)], NEG))
    return p.week_high >= top


def evaluate(p: Prepared, days: np.ndarray, rules: BaseRules) -> Evaluation:
    """Measure every candidate base ending at each session index in ``days``."""
    d = np.asarray(days, dtype=np.int64)[:, None]
    max_o = int(np.ceil(rules.max_weeks)) + 2
    o = np.arange(1, max_o + 1)[None, :]
    wk = p.week[d] - o
    first_week = p.first_week[d]
    exists = wk >= first_week
    wk_ = np.maximum(wk, first_week)
    hd = p.week_high_at[wk_]
    hl = p.week_high[wk_]
    cal = p.cal
    weeks = (cal[d] - cal[hd]) / 7.0
    # The left-side high: nothing traded above it since (the later weeks, then the current week
    # so far), and it tops the weeks just before it.
    this_week = p.hmax.value(_week_start(p, d), d)
    later_max = np.maximum.accumulate(np.c_[this_week, np.where(exists, hl, NEG)[:, :-1]], axis=1)
    peak = _week_tops_prior(p, rules.peak_weeks)[wk_]
    structural = exists & (hl >= later_max) & peak & (hd < d)
    # Measure only the candidates that are left-side highs (1-D), then spread back to 2-D.
    shape = structural.shape
    cells = np.flatnonzero(structural)

    def pick(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, shape).ravel()[cells]

    dd, hd, hl, wk_, weeks = pick(d), pick(hd), pick(hl), pick(wk_), pick(weeks)
    first_row, first_wk = p.first[dd], p.first_week[dd]
    # The base low (the last session at the lowest low) and the prior advance into the high.
    low, t_low = p.lmin.query(hd + 1, dd)
    t_low_ = np.maximum(t_low, 0)
    depth = (1.0 - low / hl) * 100.0
    # The advance into the high starts at the lowest low since price was last above it (within
    # the prior window): a high inside a deeper correction has no prior advance of its own.
    prior_start = np.maximum(_pos_of_day_before(p, cal[hd] - int(rules.prior_weeks * 7)),
                             first_row)
    back = wk_[..., None] - np.arange(1, int(np.ceil(rules.prior_weeks)) + 1)
    above = (back >= first_wk[..., None]) & (p.week_high[np.maximum(back, 0)] > hl[..., None])
    nearest = np.argmax(above, axis=-1)
    higher_at = p.week_high_at[np.maximum(np.take_along_axis(back, nearest[..., None], -1)[..., 0],
                                          0)]
    prior_start = np.where(above.any(axis=-1), np.maximum(higher_at, prior_start), prior_start)
    prior_low = p.lmin.value(prior_start, hd)
    prior_gain = (hl / prior_low - 1.0) * 100.0
    # Cup: the right-side high after the low, and the handle after it.
    rs, r_at = p.hmax.query(t_low_ + 1, dd)
    r_ = np.maximum(r_at, 0)
    handle_weeks = np.where(r_at >= 0, (cal[dd] - cal[r_]) / 7.0, 0.0)
    cup_weeks = np.where(r_at >= 0, (cal[r_] - cal[hd]) / 7.0, weeks)
    h_low, h_low_at = p.lmin.query(r_ + 1, dd)
    h_low = np.where(r_at >= 0, h_low, np.inf)
    h_depth = np.where(np.isfinite(h_low), (1.0 - h_low / np.where(rs > 0, rs, 1.0)) * 100.0, 0.0)
    mid = low + rules.handle_min_position * (hl - low)
    n_cup = np.maximum(r_ - hd + 1, 1)
    n_handle = np.maximum(dd - r_, 1)
    cup_vol = range_sum(p.vsum, hd, r_) / n_cup
    handle_vol = range_sum(p.vsum, r_ + 1, dd) / n_handle
    cup_close = range_sum(p.csum, hd, r_) / n_cup
    v_ratio = (cup_close - low) / np.where(hl > low, hl - low, 1.0)
    drift = (np.maximum(h_low_at, 0) - r_) / n_handle
    handle = (r_at >= 0) & (handle_weeks >= rules.handle_min_weeks)
    lip_ok = rs >= hl * (1.0 - rules.lip_pct / 100.0)
    # Double bottom: the second low undercuts a first low at least a few weeks earlier.
    b1 = _pos_of_day_before(p, cal[t_low_] - int(rules.db_min_separation_weeks * 7))
    low1, t1 = p.lmin.query(hd + 1, np.minimum(b1, dd))
    t1_ = np.maximum(t1, 0)
    mid_peak, m_at = p.hmax.query(t1_ + 1, t_low_ - 1)
    m_ = np.maximum(m_at, 0)
    after_mid = p.hmax.value(m_ + 1, dd)
    w_found = (t1 >= 0) & (m_at >= 0)
    # A W whose second low holds above the first: the lowest low, a peak, then a higher low.
    b_found = ~w_found & (r_at > t_low) & (dd > r_)
    undercut = (low1 / np.where(low > 0, low, 1.0) - 1.0) * 100.0
    rally = (mid_peak / np.where(low1 > 0, low1, 1.0) - 1.0) * 100.0
    # Volume drying up late in the base, and the price against its 50-session average.
    last10 = np.maximum(dd - 9, hd)
    late_vol = range_sum(p.vsum, last10, dd) / (dd - last10 + 1)
    base_vol = range_sum(p.vsum, hd, dd) / np.maximum(dd - hd + 1, 1)
    ma_from = np.maximum(dd - 49, first_row)
    ma50 = range_sum(p.csum, ma_from, dd) / (dd - ma_from + 1)
    below_ma = (p.close[dd] < ma50) & (p.pos[dd] >= 49)
    ath_ok = hl >= p.ath_before[hd]

    f = {
        "hd": hd, "hl": hl, "weeks": weeks, "low": low, "t_low": t_low_, "depth": depth,
        "prior_gain": prior_gain, "rs": rs, "r_at": r_, "handle_weeks": handle_weeks,
        "cup_weeks": cup_weeks, "h_low": h_low, "h_low_at": np.maximum(h_low_at, 0),
        "h_depth": h_depth, "mid": mid, "cup_vol": cup_vol, "handle_vol": handle_vol,
        "v_ratio": v_ratio, "low1": low1, "t1": t1_, "mid_peak": mid_peak, "m_at": m_,
        "undercut": undercut, "rally": rally, "late_vol": late_vol, "base_vol": base_vol,
        "ma50": ma50, "d": dd,
    }
    max_depth = rules.bear_max_depth_pct
    drying = late_vol >= base_vol
    cup_common = [
        (prior_gain >= rules.cup_prior_uptrend_pct, "prior_uptrend_cup"),
        (depth >= rules.cup_min_depth_pct, "too_shallow_cup"),
        (depth <= max_depth, "too_deep_cup"),
        (weeks >= rules.cup_min_weeks, "too_short_cup"),
        (weeks <= rules.max_weeks, "too_long"),
        (r_at > t_low, "no_right_side"),
        (lip_ok, "right_side_low"),
    ]
    deep = (depth > rules.cup_max_depth_pct) & (not rules.bear_market)
    checks = {
        "cup_with_handle": [
            *cup_common,
            (handle, "no_handle"),
            (h_depth <= rules.handle_max_depth_pct, "handle_too_deep"),
            (h_low >= mid, "handle_lower_half"),
        ],
        "cup": [*cup_common, (~handle, "has_handle")],
        "flat_base": [
            (prior_gain >= rules.flat_prior_uptrend_pct, "prior_uptrend_flat"),
            (depth <= rules.flat_max_depth_pct, "too_deep_flat"),
            (weeks >= rules.flat_min_weeks, "too_short_flat"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
        "double_bottom": [
            (prior_gain >= rules.cup_prior_uptrend_pct, "prior_uptrend_cup"),
            (w_found | b_found, "no_w"),
            (w_found | ~b_found, "no_undercut_b"),
            (~w_found | (low < low1), "no_undercut"),
            (~w_found | (undercut <= rules.db_max_undercut_pct), "undercut_too_deep"),
            (~w_found | (rally >= rules.db_min_rally_pct), "middle_peak_low"),
            (~w_found | (mid_peak >= after_mid), "middle_peak_taken"),
            (depth >= rules.db_min_depth_pct, "too_shallow_db"),
            (depth <= max_depth, "too_deep_cup"),
            (weeks >= rules.db_min_weeks, "too_short_db"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
        "consolidation": [
            (ath_ok, "not_at_ath"),
            (depth <= rules.consolidation_depth_pct, "too_deep_consolidation"),
            (weeks >= rules.consolidation_min_weeks, "too_short_consolidation"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
    }
    v_shape = v_ratio > rules.v_shape_max
    penalties = {
        "cup_with_handle": [
            (deep, "deep_bull"),
            (v_shape, "v_shape"),
            (h_depth > rules.handle_ideal_depth_pct, "handle_deep"),
            (handle_vol >= cup_vol, "handle_volume"),
            (drift < 1.0 / 3.0, "handle_not_drifting"),
            (below_ma, "below_ma"),
        ],
        "cup": [(deep, "deep_bull"), (v_shape, "v_shape"), (drying, "no_dry_up"),
                (below_ma, "below_ma")],
        "flat_base": [(drying, "no_dry_up"), (below_ma, "below_ma")],
        "double_bottom": [(deep, "deep_bull"), (drying, "no_dry_up"), (below_ma, "below_ma")],
        "consolidation": [(drying, "no_dry_up"), (below_ma, "below_ma")],
    }
    def spread(x: np.ndarray, fill) -> np.ndarray:
        out = np.full(shape, fill, dtype=np.result_type(x, type(fill)))
        out.ravel()[cells] = x
        return out

    ok, quality = {}, {}
    for kind, rule_list in checks.items():
        mask = np.ones(len(cells), dtype=bool)
        for passes, _ in rule_list:
            mask &= passes
        ok[kind] = spread(mask, False)
        points = np.full(len(cells), 100.0)
        for hit, label in penalties[kind]:
            points -= np.where(hit, rules.penalty(label), 0.0)
        quality[kind] = spread(np.minimum(np.maximum(points, 0.0), 100.0), 0.0)
    cell = spread(np.arange(len(cells)), -1)
    return Evaluation(np.asarray(days), f, structural, cell, checks, penalties, ok, quality,
                      spread(weeks, 0.0))


def best(ev: Evaluation, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Per evaluation session: (found, offset column) of the best candidate of ``kind``: highest
    quality, then the longest base."""
    score = np.where(ev.ok[kind], ev.quality[kind] * 1000.0 + ev.weeks, NEG)
    col = np.argmax(score, axis=1)
    found = np.isfinite(score[np.arange(len(col)), col])
    return found, col


LEVEL_KEY = {"cup_with_handle": "rs", "double_bottom": "mid_peak"}


def pivot_of(ev: Evaluation, kind: str, rows: np.ndarray, cols: np.ndarray, tick: float
             ) -> np.ndarray:
    """The buy point of candidates: handle high for a cup with handle, the middle peak for a
    double bottom, the left-side (= base) high otherwise; plus the tick."""
    return ev.get(LEVEL_KEY.get(kind, "hl"), rows, cols) + tick
