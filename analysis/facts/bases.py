"""Bases: cup with handle, cup, flat base, double bottom, and tight consolidation near highs, with
published (IBD, Bulkowski) rules as defaults and a 0-100 quality score with its reasons.

A base starts at a left-side high: the high of a completed week that nothing has traded above since
and that tops the two weeks before it. Depth is measured from that high to the lowest low since;
length in calendar weeks from that high to the last session (a partial current week counts only as
far as it has traded). Each kind adds its published rules (see `BaseRules`); among the candidates
of a kind the best quality (then the longest) wins. Buy points (pivots): the handle high for a cup
with handle, the left-side high for a cup without handle, a flat base and a consolidation, the
middle peak for a double bottom — plus the tick.

Lifecycle, as of the last bar and without look-ahead: a base is "forming" while nothing has traded
above the high that defines its pivot. Once something has, the base seen forming at the most recent
earlier session stays reported for ``recent_sessions`` sessions, so the breakout state machine can
follow it: "broken_out" after a close above the pivot, "failed" if a close then came back below the
pivot within ``fail_sessions``, still "forming" if it only traded above intraday.

Order of `find_bases`: the base the breakout machine should watch comes first — a recent breakout
unless a newer base has started since, else the best forming base; then the other forming kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts import base_shapes as shapes
from analysis.symbols import is_crypto

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("cup_with_handle", "cup", "flat_base", "double_bottom", "consolidation")
RECENT_PRIORITY = {"cup_with_handle": 4, "double_bottom": 3, "cup": 2, "flat_base": 1,
                   "consolidation": 0}

PENALTIES: tuple[tuple[str, int], ...] = (
    ("deep_bull", 25),
    ("v_shape", 10),
    ("handle_deep", 10),
    ("handle_volume", 10),
    ("handle_not_drifting", 5),
    ("no_dry_up", 5),
    ("below_ma", 10),
)


@dataclass(frozen=True)
class Handle:
    start: date
    end: date
    high: float
    low: float
    depth_pct: float


@dataclass(frozen=True)
class Base:
    """A detected base. ``status`` is "forming" (price still in it), "broken_out" or "failed";
    ``reasons`` says what lowered ``quality`` from 100."""

    kind: str
    start: date
    end: date
    left_high: float
    low: float
    pivot: float
    depth_pct: float
    length_weeks: float
    handle: Handle | None
    quality: int
    reasons: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class BaseCandidate:
    """Why the best candidate of a kind was accepted or rejected (for tests and the drill-down).

    ``reasons`` lists the failed rules of a rejected candidate, or what lowered the quality of an
    accepted one. Dates and numbers are None when no left-side high exists at all."""

    kind: str
    accepted: bool
    start: date | None
    end: date | None
    pivot: float | None
    depth_pct: float | None
    length_weeks: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BaseRules:
    """Every parameter of the base detector. Percentages in %, lengths in calendar weeks.

    Defaults follow IBD (O'Neil) and Bulkowski: cup with handle after a >= 30% advance, 12-33% deep
    (to 50% when ``bear_market``; deeper than 33% otherwise costs quality), 7 to 65 weeks, handle
    >= 1 week in the upper half of the cup, <= 15% deep (ideally <= 12%), drifting down on lighter
    volume; flat base >= 5 weeks, <= 15% deep after a >= 20% advance; double bottom >= 7 weeks with
    the second low undercutting the first (by at most ``db_max_undercut_pct``) and a middle peak
    >= ``db_min_rally_pct`` above the first low; consolidation near highs: >= 4 weeks within 8%
    under an all-time (in-data) high. ``tick`` is added to every pivot: none by default, the high
    itself is the buy point (a fixed 10 cents is 12% of a $0.81 split-adjusted price).
    """

    tick: float = 0.0
    max_weeks: float = 65.0
    prior_weeks: float = 26.0
    peak_weeks: int = 2
    cup_prior_uptrend_pct: float = 30.0
    cup_min_depth_pct: float = 12.0
    cup_max_depth_pct: float = 33.0
    bear_max_depth_pct: float = 50.0
    bear_market: bool = False
    cup_min_weeks: float = 7.0
    lip_pct: float = 10.0
    v_shape_max: float = 0.5
    handle_min_weeks: float = 1.0
    handle_max_depth_pct: float = 15.0
    handle_ideal_depth_pct: float = 12.0
    handle_min_position: float = 0.5
    flat_min_weeks: float = 5.0
    flat_max_depth_pct: float = 15.0
    flat_prior_uptrend_pct: float = 20.0
    db_min_weeks: float = 7.0
    db_min_depth_pct: float = 10.0
    db_max_undercut_pct: float = 6.0
    db_min_rally_pct: float = 10.0
    db_min_separation_weeks: float = 3.0
    consolidation_min_weeks: float = 4.0
    consolidation_depth_pct: float = 8.0
    recent_sessions: int = 40
    fail_sessions: int = 10
    penalties: tuple[tuple[str, int], ...] = PENALTIES

    def penalty(self, label: str) -> float:
        """Quality points a penalty label costs."""
        return float(dict(self.penalties).get(label, 0))

    def tail_days(self) -> int:
        """Calendar days of history the rules can look at from the first evaluated session."""
        weeks = self.max_weeks + self.prior_weeks + self.peak_weeks + 4
        return int(weeks * 7 + self.recent_sessions * 1.5 + 10)


def rules_for_symbol(symbol: str, rules: BaseRules | None = None) -> BaseRules:
    """Rules with the tick that fits the symbol: no tick for an index (^...) or a coin, where a
    10-cent buy stop means nothing; the given (default 0.10) tick otherwise."""
    rules = rules or BaseRules()
    if symbol.startswith("^") or is_crypto(symbol):
        return replace(rules, tick=0.0)
    return rules


MESSAGES = {
    "prior_uptrend_cup": "prior advance {prior_gain:.0f}% < {r.cup_prior_uptrend_pct:.0f}%",
    "prior_uptrend_flat": "prior advance {prior_gain:.0f}% < {r.flat_prior_uptrend_pct:.0f}%",
    "too_shallow_cup": "{depth:.1f}% deep < {r.cup_min_depth_pct:.0f}% minimum for a cup",
    "too_deep_cup": "{depth:.1f}% deep > {r.bear_max_depth_pct:.0f}% maximum",
    "too_short_cup": "{weeks:.1f} weeks < {r.cup_min_weeks:.0f}-week minimum",
    "too_long": "{weeks:.1f} weeks > {r.max_weeks:.0f}-week maximum",
    "no_right_side": "still at its low: no right side yet",
    "right_side_low": "right side {rs:.2f} not within {r.lip_pct:.0f}% of the left-side high "
    "{hl:.2f}",
    "no_handle": "no handle yet (right-side high {rs:.2f} is {handle_weeks:.1f} weeks old)",
    "has_handle": "has a handle ({handle_weeks:.1f} weeks)",
    "handle_too_deep": "handle {h_depth:.1f}% deep > {r.handle_max_depth_pct:.0f}%",
    "handle_lower_half": "handle low {h_low:.2f} in the lower half of the cup (midpoint {mid:.2f})",
    "too_deep_flat": "{depth:.1f}% deep > {r.flat_max_depth_pct:.0f}% for a flat base",
    "too_short_flat": "{weeks:.1f} weeks < {r.flat_min_weeks:.0f}-week minimum",
    "no_w": "no first low at least {r.db_min_separation_weeks:.0f} weeks before the low",
    "no_undercut": "second low {low:.2f} does not undercut the first {low1:.2f}",
    "no_undercut_b": "second low {h_low:.2f} does not undercut the first {low:.2f}",
    "undercut_too_deep": "second low undercuts the first by {undercut:.1f}% > "
    "{r.db_max_undercut_pct:.0f}%",
    "middle_peak_low": "middle peak {mid_peak:.2f} only {rally:.1f}% above the first low",
    "middle_peak_taken": "price already traded above the middle peak {mid_peak:.2f}",
    "too_shallow_db": "{depth:.1f}% deep < {r.db_min_depth_pct:.0f}% minimum",
    "too_short_db": "{weeks:.1f} weeks < {r.db_min_weeks:.0f}-week minimum",
    "not_at_ath": "left-side high {hl:.2f} is not the all-time high in the data",
    "too_deep_consolidation": "range {depth:.1f}% > {r.consolidation_depth_pct:.0f}% under the "
    "high",
    "too_short_consolidation": "{weeks:.1f} weeks < {r.consolidation_min_weeks:.0f}-week minimum",
    "deep_bull": "{depth:.1f}% deep: beyond {r.cup_max_depth_pct:.0f}% (only normal in a bear "
    "market)",
    "v_shape": "V-shaped: little time near the low",
    "handle_deep": "handle {h_depth:.1f}% deep (ideal <= {r.handle_ideal_depth_pct:.0f}%)",
    "handle_volume": "handle volume not lighter than the cup's",
    "handle_not_drifting": "handle not drifting down (its low came early)",
    "no_dry_up": "volume not drying up in the last two weeks",
    "below_ma": "price below its 50-day average",
}


def _cell(ev: shapes.Evaluation, row: int, col: int) -> dict[str, float]:
    ci = int(ev.cell[row, col])
    return {k: float(v[ci]) for k, v in ev.f.items()}


def _say(label: str, cell: dict[str, float], rules: BaseRules) -> str:
    return MESSAGES[label].format(r=rules, **cell)


def _date(p: shapes.Prepared, i: int) -> date:
    return np.datetime64(int(p.day[int(i)]), "D").astype(object)


def _make_base(p: shapes.Prepared, ev: shapes.Evaluation, kind: str, row: int, col: int,
               rules: BaseRules, status: str = "forming") -> Base:
    c = _cell(ev, row, col)
    ci = int(ev.cell[row, col])
    reasons = tuple(_say(lbl, c, rules) for hit, lbl in ev.penalties[kind] if hit[ci])
    handle = None
    if kind == "cup_with_handle":
        handle = Handle(start=_date(p, c["r_at"]), end=_date(p, c["d"]), high=c["rs"],
                        low=c["h_low"], depth_pct=c["h_depth"])
    pivot = float(shapes.pivot_of(ev, kind, np.array([row]), np.array([col]), rules.tick)[0])
    return Base(
        kind=kind,
        start=_date(p, c["hd"]),
        end=_date(p, c["d"]),
        left_high=c["hl"],
        low=c["low"],
        pivot=pivot,
        depth_pct=c["depth"],
        length_weeks=c["weeks"],
        handle=handle,
        quality=int(round(float(ev.quality[kind][row, col]))),
        reasons=reasons,
        status=status,
    )


@dataclass
class Watch:
    """Per evaluated session: the best forming candidate per kind and the most recent breakout."""

    found: np.ndarray  # [rows, kinds] bool
    cols: np.ndarray  # [rows, kinds] candidate column
    quality: np.ndarray  # [rows, kinds]
    pivots: np.ndarray  # [rows, kinds], nan where none
    recent_row: np.ndarray  # [rows] row of the base that broke out, -1 if none
    recent_kind: np.ndarray  # [rows] kind index of it


def watch_table(p: shapes.Prepared, ev: shapes.Evaluation, rules: BaseRules,
                at: np.ndarray | None = None) -> Watch:
    """Forming bases for every evaluated session (``ev.days`` consecutive) and recent breakouts
    for the sessions (rows) ``at`` (default: every row; -1 for the rows left out). Only the rows
    in ``at`` may be passed to `bases_at`."""
    rows = len(ev.days)
    k = len(KINDS)
    found = np.zeros((rows, k), dtype=bool)
    cols = np.zeros((rows, k), dtype=np.int64)
    quality = np.full((rows, k), -1.0)
    pivots = np.full((rows, k), np.nan)
    ar = np.arange(rows)
    for j, kind in enumerate(KINDS):
        fnd, col = shapes.best(ev, kind)
        found[:, j], cols[:, j] = fnd, col
        quality[:, j] = np.where(fnd, ev.quality[kind][ar, col], -1.0)
        pivots[:, j] = np.where(fnd, shapes.pivot_of(ev, kind, ar, col, rules.tick), np.nan)
    asked = ar if at is None else np.asarray(at, dtype=np.int64)
    back = np.arange(1, rules.recent_sessions + 1)[None, :]
    then = asked[:, None] - back
    then_ = np.maximum(then, 0)
    # Rows of the same symbol only (several symbols may be stacked).
    valid = (then >= 0) & (p.first[ev.days[then_]] == p.first[ev.days[asked]][:, None])
    d_now = np.broadcast_to(ev.days[asked][:, None], then.shape)
    best_high = p.hmax.value(ev.days[then_] + 1, d_now)
    defining = np.nan_to_num(pivots, nan=np.inf) - rules.tick  # [rows, kinds]
    # Pairs (session, earlier session) where something traded above a base seen then.
    q_idx, b_idx = np.nonzero(valid & (best_high > defining.min(axis=1)[then_]))
    r_idx = asked[q_idx]
    t_idx = then_[q_idx, b_idx]
    crossed = found[t_idx] & (best_high[q_idx, b_idx][:, None] > defining[t_idx])
    # The latest-starting base that was crossed, and for one start (left-side high) the kind whose
    # pivot sits below that high (once a cup-with-handle or a W breaks out, the "cup" seen at the
    # same high is the same base), then the most recent session it was seen forming.
    starts = ev.get("hd", ar[:, None], cols)  # [rows, kinds]
    prio = np.array([RECENT_PRIORITY[kind] for kind in KINDS], dtype="float64")
    score = np.where(crossed, starts[t_idx] * 4096.0 + prio * 512 - (b_idx + 1)[:, None], -1.0)
    kind_best = np.argmax(score, axis=1)
    pair_score = score[np.arange(len(r_idx)), kind_best]
    recent_row = np.full(rows, -1)
    recent_kind = np.zeros(rows, dtype=np.int64)
    keep = pair_score >= 0
    if keep.any():
        order = np.lexsort((pair_score[keep], r_idx[keep]))  # by row, best last
        rr = r_idx[keep][order]
        last = np.r_[rr[1:] != rr[:-1], True]
        recent_row[rr[last]] = t_idx[keep][order][last]
        recent_kind[rr[last]] = kind_best[keep][order][last]
    return Watch(found, cols, quality, pivots, recent_row, recent_kind)


def bases_at(p: shapes.Prepared, ev: shapes.Evaluation, w: Watch, row: int,
             rules: BaseRules) -> tuple[Base, ...]:
    """The `find_bases` answer as of evaluated session ``row``."""
    forming = [
        _make_base(p, ev, kind, row, int(w.cols[row, j]), rules)
        for j, kind in enumerate(KINDS)
        if w.found[row, j]
    ]
    forming.sort(key=lambda b: (-b.quality, KINDS.index(b.kind)))
    r0 = int(w.recent_row[row])
    if r0 < 0:
        return tuple(forming)
    j = int(w.recent_kind[row])
    kind = KINDS[j]
    level = float(w.pivots[r0, j])
    d_then, d_now = int(ev.days[r0]), int(ev.days[row])
    above = np.flatnonzero(p.close[d_then + 1 : d_now + 1] > level)
    if len(above):
        b = d_then + 1 + int(above[0])
        window = p.close[b + 1 : min(b + rules.fail_sessions, d_now) + 1]
        status = "failed" if (window < level).any() else "broken_out"
    else:  # traded above the base's high but has not closed above the pivot: still in play
        b = d_then + 1 + int(np.argmax(p.high[d_then + 1 : d_now + 1] > level - rules.tick))
        status = "forming"
    broke = _make_base(p, ev, kind, r0, int(w.cols[r0, j]), rules, status)
    breakout_day = _date(p, b)
    if any(f.start > breakout_day for f in forming):
        return (*forming, broke)
    return (broke, *forming)


def find_bases(bars: pd.DataFrame, rules: BaseRules | None = None) -> tuple[Base, ...]:
    """Bases of ``bars`` as of its last bar: the one to watch first (see the module docstring)."""
    rules = rules or BaseRules()
    p = shapes.prepare(bars, tail_days=rules.tail_days())
    n = len(p.day)
    if n < 2:
        return ()
    days = np.arange(max(0, n - 1 - rules.recent_sessions), n)
    ev = shapes.evaluate(p, days, rules)
    w = watch_table(p, ev, rules, at=np.array([len(days) - 1]))
    return bases_at(p, ev, w, len(days) - 1, rules)


def find_bases_many(
    frames: list[pd.DataFrame], rules: BaseRules | None = None, chunk: int = 200
) -> list[tuple[Base, ...]]:
    """`find_bases` of many symbols' bars (same answers), evaluated together, ``chunk`` symbols
    per pass: one set of array operations for all of them instead of one per symbol."""
    rules = rules or BaseRules()
    out: list[tuple[Base, ...]] = []
    for lo in range(0, len(frames), chunk):
        p = shapes.prepare_many(frames[lo : lo + chunk], tail_days=rules.tail_days())
        ends = p.bounds[1:]
        starts = np.maximum(ends - 1 - rules.recent_sessions, p.bounds[:-1])
        rows = [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]
        days = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        ev = shapes.evaluate(p, days, rules)
        last_rows = np.cumsum([len(r) for r in rows]) - 1
        w = watch_table(p, ev, rules, at=last_rows)
        for size, row in zip(np.diff(p.bounds), last_rows, strict=True):
            out.append(bases_at(p, ev, w, int(row), rules) if size >= 2 else ())
    return out


def active_base(bars: pd.DataFrame, rules: BaseRules | None = None) -> Base | None:
    """The best base still forming as of the last bar, or None."""
    return next((b for b in find_bases(bars, rules) if b.status == "forming"), None)


def explain(bars: pd.DataFrame, rules: BaseRules | None = None) -> tuple[BaseCandidate, ...]:
    """For each kind, as of the last bar: the best accepted candidate and what cost it quality, or
    the nearest miss (fewest broken rules, then the longest) and the rules it broke."""
    rules = rules or BaseRules()
    p = shapes.prepare(bars, tail_days=rules.tail_days())
    n = len(p.day)
    if n < 2:
        return tuple(BaseCandidate(k, False, None, None, None, None, None, ("too few bars",))
                     for k in KINDS)
    ev = shapes.evaluate(p, np.array([n - 1]), rules)
    out = []
    for kind in KINDS:
        fnd, col = shapes.best(ev, kind)
        if fnd[0]:
            b = _make_base(p, ev, kind, 0, int(col[0]), rules)
            out.append(BaseCandidate(kind, True, b.start, b.end, b.pivot, b.depth_pct,
                                     b.length_weeks, b.reasons))
            continue
        if not ev.structural[0].any():
            out.append(BaseCandidate(kind, False, None, None, None, None, None, (
                "no left-side high: the price has traded above every completed week's high "
                f"of the last {rules.max_weeks:.0f} weeks (at a new high, or a base under a "
                "week old)",)))
            continue
        cols = np.flatnonzero(ev.structural[0])
        ci = ev.cell[0, cols]
        fails = sum((~passes[ci]).astype(float) for passes, _ in ev.checks[kind])
        c = int(cols[np.argmax(-fails * 1000.0 + ev.weeks[0, cols])])
        cell = _cell(ev, 0, c)
        reasons = tuple(_say(lbl, cell, rules) for passes, lbl in ev.checks[kind]
                        if not passes[ev.cell[0, c]])
        pivot = float(shapes.pivot_of(ev, kind, np.array([0]), np.array([c]), rules.tick)[0])
        out.append(BaseCandidate(kind, False, _date(p, cell["hd"]), _date(p, cell["d"]), pivot,
                                 cell["depth"], cell["weeks"], reasons))
    return tuple(out)
