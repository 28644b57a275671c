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

import numpy as np

from analysis.facts.base_arrays import NEG, Prepared, prepare, prepare_many
from analysis.facts.base_rules import SPECIFICITY, BaseKind, BaseRules
from analysis.facts.ranges import range_sum

__all__ = ["Evaluation", "Prepared", "best", "evaluate", "pivot_of", "prepare",
           "prepare_many"]


@dataclass
class Evaluation:
    """Measurements of the candidates of every (evaluation session, offset) cell.

    Only cells that are left-side highs (``structural``) are measured: ``cell[row, col]`` is the
    index of a cell into the 1-D arrays of ``f``, ``checks`` and ``penalties`` (-1 elsewhere).
    ``ok[kind]`` and ``quality[kind]`` are 2-D ``[len(days), offsets]``; ``ok`` marks cells meeting
    every hard rule of that kind; ``checks[kind]`` lists (passes, label) for each hard rule and
    ``penalties[kind]`` (hit, label) for the quality score (labels are keys of
    `analysis.facts.base_rules.MESSAGES`).
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


def _left_side_highs(p: Prepared, days: np.ndarray, rules: BaseRules
                     ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The (evaluation session, weeks back) cells whose week high is a left-side high: nothing
    traded above it since (the later weeks, then the current week so far), and it tops the weeks
    just before it. Returns the 2-D mask and, per structural cell (1-D, row-major), the session
    ``d``, the high's session ``hd``, the high ``hl``, its week ``wk`` and the length ``weeks``.

    Worked out as [weeks back, session] (each step over contiguous rows: the running maximum
    back from the current week is one array operation per week back), then transposed."""
    days = np.asarray(days, dtype=np.int64)
    d = days[None, :]
    o = np.arange(1, int(np.ceil(rules.max_weeks)) + 3)[:, None]
    wk = p.week[d] - o
    first_week = p.first_week[d]
    exists = wk >= first_week
    wk_ = np.maximum(wk, first_week)
    hd = p.week_high_at[wk_]
    hl = p.week_high[wk_]
    # The highest high after each week: this week so far, then each later week's high
    later = np.empty(hl.shape)
    later[0] = p.hmax.value(_week_start(p, days), days)
    later[1:] = np.where(exists[:-1], hl[:-1], NEG)
    for j in range(1, len(later)):
        np.maximum(later[j - 1], later[j], out=later[j])
    peak = _week_tops_prior(p, rules.peak_weeks)[wk_]
    structural = np.ascontiguousarray((exists & (hl >= later) & peak & (hd < d)).T)
    cells = np.flatnonzero(structural)
    row, col = np.divmod(cells, structural.shape[1])
    hd_c, d_c = hd[col, row], days[row]
    return structural, {"d": d_c, "hd": hd_c, "hl": hl[col, row], "wk": wk_[col, row],
                        "weeks": (p.cal[d_c] - p.cal[hd_c]) / 7.0}


def _measure_prior(p: Prepared, m: dict[str, np.ndarray], rules: BaseRules) -> None:
    """The base low (the last session at the lowest low), its depth, and the advance into the
    high. The advance starts at the lowest low since price was last above the high (within the
    prior window): a high inside a deeper correction has no prior advance of its own."""
    dd, hd, hl, wk = m["d"], m["hd"], m["hl"], m["wk"]
    first_row, first_wk = p.first[dd], p.first_week[dd]
    low, t_low = p.lmin.query(hd + 1, dd)
    prior_start = np.maximum(_pos_of_day_before(p, p.cal[hd] - int(rules.prior_weeks * 7)),
                             first_row)
    back = wk[..., None] - np.arange(1, int(np.ceil(rules.prior_weeks)) + 1)
    above = (back >= first_wk[..., None]) & (p.week_high[np.maximum(back, 0)] > hl[..., None])
    nearest = np.argmax(above, axis=-1)
    higher_at = p.week_high_at[np.maximum(np.take_along_axis(back, nearest[..., None], -1)[..., 0],
                                          0)]
    prior_start = np.where(above.any(axis=-1), np.maximum(higher_at, prior_start), prior_start)
    prior_low = p.lmin.value(prior_start, hd)
    m.update(low=low, t_low_raw=t_low, t_low=np.maximum(t_low, 0),
             depth=(1.0 - low / hl) * 100.0, prior_gain=(hl / prior_low - 1.0) * 100.0)


def _measure_cup(p: Prepared, m: dict[str, np.ndarray], rules: BaseRules) -> None:
    """The cup's right-side high after the low, and the handle after it (its length, low, depth,
    volume against the cup's, and how late its low came)."""
    dd, hd, hl, low, t_low = m["d"], m["hd"], m["hl"], m["low"], m["t_low"]
    cal = p.cal
    rs, r_at = p.hmax.query(t_low + 1, dd)
    r_ = np.maximum(r_at, 0)
    h_low, h_low_at = p.lmin.query(r_ + 1, dd)
    h_low = np.where(r_at >= 0, h_low, np.inf)
    n_cup = np.maximum(r_ - hd + 1, 1)
    n_handle = np.maximum(dd - r_, 1)
    m.update(
        rs=rs, r_at=r_, has_right=r_at > m["t_low_raw"],
        handle_sessions=np.where(r_at >= 0, dd - r_ + 1, 0).astype("float64"),
        handle_under=range_sum(p.undersum, r_, dd),
        cup_weeks=np.where(r_at >= 0, (cal[r_] - cal[hd]) / 7.0, m["weeks"]),
        h_low=h_low, h_low_at=np.maximum(h_low_at, 0),
        h_depth=np.where(np.isfinite(h_low), (1.0 - h_low / np.where(rs > 0, rs, 1.0)) * 100.0,
                         0.0),
        mid=low + rules.handle_min_position * (hl - low),
        cup_vol=range_sum(p.vsum, hd, r_) / n_cup,
        handle_vol=range_sum(p.vsum, r_ + 1, dd) / n_handle,
        v_ratio=(range_sum(p.csum, hd, r_) / n_cup - low) / np.where(hl > low, hl - low, 1.0),
        drift=(np.maximum(h_low_at, 0) - r_) / n_handle,
        r_found=r_at >= 0,
    )


def _measure_w(p: Prepared, m: dict[str, np.ndarray], rules: BaseRules) -> None:
    """Double bottom: a first low at least a few weeks before the (second, lowest) low, the
    middle peak between them, and whether price has traded above that peak since."""
    dd, hd, low, t_low = m["d"], m["hd"], m["low"], m["t_low"]
    b1 = _pos_of_day_before(p, p.cal[t_low] - int(rules.db_min_separation_weeks * 7))
    low1, t1 = p.lmin.query(hd + 1, np.minimum(b1, dd))
    t1_ = np.maximum(t1, 0)
    mid_peak, m_at = p.hmax.query(t1_ + 1, t_low - 1)
    m_ = np.maximum(m_at, 0)
    w_found = (t1 >= 0) & (m_at >= 0)
    m.update(
        low1=low1, t1=t1_, mid_peak=mid_peak, m_at=m_, after_mid=p.hmax.value(m_ + 1, dd),
        w_found=w_found,
        # A W whose second low holds above the first: the lowest low, a peak, then a higher low.
        b_found=~w_found & m["has_right"] & (dd > m["r_at"]),
        undercut=(low1 / np.where(low > 0, low, 1.0) - 1.0) * 100.0,
        rally=(mid_peak / np.where(low1 > 0, low1, 1.0) - 1.0) * 100.0,
    )


def _measure_volume(p: Prepared, m: dict[str, np.ndarray]) -> None:
    """Volume drying up late in the base, the price against its 50-session average, and whether
    the left-side high is the all-time high in the data."""
    dd, hd = m["d"], m["hd"]
    last10 = np.maximum(dd - 9, hd)
    ma_from = np.maximum(dd - 49, p.first[dd])
    ma50 = range_sum(p.csum, ma_from, dd) / (dd - ma_from + 1)
    m.update(
        late_vol=range_sum(p.vsum, last10, dd) / (dd - last10 + 1),
        base_vol=range_sum(p.vsum, hd, dd) / np.maximum(dd - hd + 1, 1),
        ma50=ma50, below_ma=(p.close[dd] < ma50) & (p.pos[dd] >= 49),
        ath_ok=m["hl"] >= p.ath_before[hd],
    )


Rules = dict[str, list[tuple[np.ndarray, str]]]


def _checks(m: dict[str, np.ndarray], rules: BaseRules) -> Rules:
    """Per kind, (passes, label) for each hard rule."""
    depth, weeks, prior_gain = m["depth"], m["weeks"], m["prior_gain"]
    w_found, b_found = m["w_found"], m["b_found"]
    max_depth = rules.bear_max_depth_pct
    handle = m["r_found"] & (m["handle_sessions"] >= rules.handle_min_sessions)
    cup_common = [
        (prior_gain >= rules.cup_prior_uptrend_pct, "prior_uptrend_cup"),
        (depth >= rules.cup_min_depth_pct, "too_shallow_cup"),
        (depth <= max_depth, "too_deep_cup"),
        (weeks <= rules.max_weeks, "too_long"),
        (m["has_right"], "no_right_side"),
        (m["rs"] >= m["hl"] * (1.0 - rules.lip_pct / 100.0), "right_side_low"),
    ]
    return {
        BaseKind.CUP_WITH_HANDLE: [
            *cup_common,
            (m["cup_weeks"] >= rules.cup_min_weeks, "too_short_cup_part"),
            (weeks >= rules.cwh_min_weeks, "too_short_cwh"),
            (handle, "no_handle"),
            (m["h_depth"] <= rules.handle_max_depth_pct, "handle_too_deep"),
            (m["h_low"] >= m["mid"], "handle_lower_half"),
            (m["handle_under"] == 0, "handle_below_ma"),
        ],
        BaseKind.CUP: [*cup_common, (weeks >= rules.cup_min_weeks, "too_short_cup"),
                       (~handle, "has_handle")],
        BaseKind.FLAT_BASE: [
            (prior_gain >= rules.flat_prior_uptrend_pct, "prior_uptrend_flat"),
            (depth <= rules.flat_max_depth_pct, "too_deep_flat"),
            (weeks >= rules.flat_min_weeks, "too_short_flat"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
        BaseKind.DOUBLE_BOTTOM: [
            (prior_gain >= rules.cup_prior_uptrend_pct, "prior_uptrend_cup"),
            (w_found | b_found, "no_w"),
            (w_found | ~b_found, "no_undercut_b"),
            (~w_found | (m["low"] < m["low1"]), "no_undercut"),
            (~w_found | (m["undercut"] <= rules.db_max_undercut_pct), "undercut_too_deep"),
            (~w_found | (m["rally"] >= rules.db_min_rally_pct), "middle_peak_low"),
            (~w_found | (m["mid_peak"] >= m["after_mid"]), "middle_peak_taken"),
            (depth >= rules.db_min_depth_pct, "too_shallow_db"),
            (depth <= max_depth, "too_deep_cup"),
            (weeks >= rules.db_min_weeks, "too_short_db"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
        BaseKind.CONSOLIDATION: [
            (m["ath_ok"], "not_at_ath"),
            (depth <= rules.consolidation_depth_pct, "too_deep_consolidation"),
            (weeks >= rules.consolidation_min_weeks, "too_short_consolidation"),
            (weeks <= rules.max_weeks, "too_long"),
        ],
    }


def _penalties(m: dict[str, np.ndarray], rules: BaseRules) -> Rules:
    """Per kind, (hit, label) for each fault that lowers the quality score."""
    deep = (m["depth"] > rules.cup_max_depth_pct) & (not rules.bear_market)
    v_shape = m["v_ratio"] > rules.v_shape_max
    drying = m["late_vol"] >= m["base_vol"]
    below_ma = m["below_ma"]
    return {
        BaseKind.CUP_WITH_HANDLE: [
            (deep, "deep_bull"),
            (v_shape, "v_shape"),
            (m["handle_vol"] >= m["cup_vol"], "handle_volume"),
            (m["drift"] < 1.0 / 3.0, "handle_not_drifting"),
            (below_ma, "below_ma"),
        ],
        BaseKind.CUP: [(deep, "deep_bull"), (v_shape, "v_shape"), (drying, "no_dry_up"),
                       (below_ma, "below_ma")],
        BaseKind.FLAT_BASE: [(drying, "no_dry_up"), (below_ma, "below_ma")],
        BaseKind.DOUBLE_BOTTOM: [(deep, "deep_bull"), (drying, "no_dry_up"),
                                 (below_ma, "below_ma")],
        BaseKind.CONSOLIDATION: [(drying, "no_dry_up"), (below_ma, "below_ma")],
    }


def evaluate(p: Prepared, days: np.ndarray, rules: BaseRules) -> Evaluation:
    """Measure every candidate base ending at each session index in ``days``: only the cells that
    are left-side highs (1-D), spread back to 2-D [session, weeks back] for the choice."""
    structural, m = _left_side_highs(p, days, rules)
    with np.errstate(invalid="ignore", divide="ignore"):  # cells without a W: nan, ruled out
        _measure_prior(p, m, rules)
        _measure_cup(p, m, rules)
        _measure_w(p, m, rules)
        _measure_volume(p, m)
    checks, penalties = _checks(m, rules), _penalties(m, rules)
    shape = structural.shape
    cells = np.flatnonzero(structural)

    def spread(x: np.ndarray, fill) -> np.ndarray:
        out = np.full(shape, fill, dtype=np.result_type(x, type(fill)))
        out.ravel()[cells] = x
        return out

    ok, quality = {}, {}
    taken = np.zeros(len(cells), dtype=bool)
    for kind in SPECIFICITY:  # one base per span: the most specific kind that fits it
        checks[kind].append((~taken, "same_span"))
        mask = np.ones(len(cells), dtype=bool)
        for passes, _ in checks[kind]:
            mask &= passes
        taken |= mask
        ok[kind] = spread(mask, False)
    for kind in checks:
        points = np.full(len(cells), 100.0)
        for hit, label in penalties[kind]:
            points -= np.where(hit, rules.penalty(label), 0.0)
        quality[kind] = spread(np.minimum(np.maximum(points, 0.0), 100.0), 0.0)
    f = {k: v for k, v in m.items() if v.dtype != bool and k not in ("wk", "t_low_raw")}
    return Evaluation(np.asarray(days), f, structural, spread(np.arange(len(cells)), -1), checks,
                      penalties, ok, quality, spread(m["weeks"], 0.0))


def best(ev: Evaluation, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Per evaluation session: (found, offset column) of the best candidate of ``kind``: highest
    quality, then the longest base."""
    score = np.where(ev.ok[kind], ev.quality[kind] * 1000.0 + ev.weeks, NEG)
    col = np.argmax(score, axis=1)
    found = np.isfinite(score[np.arange(len(col)), col])
    return found, col


LEVEL_KEY = {BaseKind.CUP_WITH_HANDLE: "rs", BaseKind.DOUBLE_BOTTOM: "mid_peak"}


def pivot_of(ev: Evaluation, kind: str, rows: np.ndarray, cols: np.ndarray, tick: float
             ) -> np.ndarray:
    """The buy point of candidates: handle high for a cup with handle, the middle peak for a
    double bottom, the left-side (= base) high otherwise; plus the tick."""
    return ev.get(LEVEL_KEY.get(kind, "hl"), rows, cols) + tick
