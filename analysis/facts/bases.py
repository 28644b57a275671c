"""Bases: cup with handle, cup, flat base, double bottom, and tight consolidation near highs, with
published (IBD, Bulkowski) rules as defaults and a 0-100 quality score with its reasons.

A base starts at a left-side high: the high of a completed week that nothing has traded above since
and that tops the two weeks before it. Depth is measured from that high to the lowest low since;
length in calendar weeks from that high to the last session (a partial current week counts only as
far as it has traded). Each kind adds O'Neil's rules (see `BaseRules`); one span (left-side high)
is one base, of the most specific kind that fits it (`SPECIFICITY`), and a base inside a cup with
handle's handle or a double bottom's second half is part of it; among the candidates of a kind the
best quality (then the longest) wins. Buy points (pivots): the handle high for a cup with handle,
the left-side high for a cup without handle, a flat base and a consolidation, the middle peak for a
double bottom — plus the tick. Every base says why it is its kind (``Base.why``).

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
from string import Formatter
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_date
from analysis.facts import base_shapes as shapes
from analysis.facts.base_rules import (
    KINDS,
    MESSAGES,
    RECENT_PRIORITY,
    SPECIFICITY,
    BaseKind,
    BaseRules,
    rules_for_symbol,
    why,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "Base", "BaseCandidate", "BaseKind", "BaseRules", "Handle", "find_bases",
           "find_bases_many", "rules_for_symbol"]


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
    ``reasons`` says what lowered ``quality`` from 100; ``why`` why it is this kind (the rules it
    met, with its numbers, and "base on base" when it formed on top of a base that broke out)."""

    kind: BaseKind
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
    why: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", BaseKind(self.kind))  # an unknown kind fails here


@dataclass(frozen=True)
class BaseCandidate:
    """Why a kind of base was found or not (`basewatch scan --why`).

    ``reasons`` lists the failed rules of a rejected candidate, or what lowered the quality of an
    accepted one; ``status`` is the found base's ("forming", "broken_out", "failed"), None for a
    rejected one. Dates and numbers are None when no left-side high exists at all."""

    kind: str
    accepted: bool
    start: date | None
    end: date | None
    pivot: float | None
    depth_pct: float | None
    length_weeks: float | None
    reasons: tuple[str, ...]
    status: str | None = None


def _cell(ev: shapes.Evaluation, row: int, col: int) -> dict[str, float]:
    ci = int(ev.cell[row, col])
    return {k: float(v[ci]) for k, v in ev.f.items()}


def _say(label: str, cell: dict[str, float], rules: BaseRules) -> str:
    return MESSAGES[label].format(r=rules, **cell)


def _measured(label: str, cell: dict[str, float]) -> bool:
    """Does the rule's message name only finite figures of the candidate? (A cup still at its
    low has no right side: "right side -inf" says nothing the "no right side" rule does not.)"""
    names = {f for _, f, _, _ in Formatter().parse(MESSAGES[label]) if f and f in cell}
    return all(np.isfinite(cell[f]) for f in names)


def _date(p: shapes.Prepared, i: int) -> date:
    return to_date(p.day[int(i)])


def _make_base(p: shapes.Prepared, ev: shapes.Evaluation, kind: str, row: int, col: int,
               rules: BaseRules, status: str = "forming") -> Base:
    c = _cell(ev, row, col)
    ci = int(ev.cell[row, col])
    reasons = tuple(_say(lbl, c, rules) for hit, lbl in ev.penalties[kind] if hit[ci])
    handle = None
    if kind == BaseKind.CUP_WITH_HANDLE:
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
        why=why(BaseKind(kind), c, rules),
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


def _nested(ev: shapes.Evaluation, found: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """[rows, kinds]: the bases that are part of a cup with handle or a double bottom found on the
    same session, so one setup is named once, by its whole shape: a base starting at or after the
    handle's first session is the handle; one starting after a W's first low is the W's second half
    (a cup with handle there is kept: it is the more specific shape)."""
    ar = np.arange(len(found))[:, None]
    starts = ev.get("hd", ar, cols)
    j_cwh = KINDS.index(BaseKind.CUP_WITH_HANDLE)
    j_db = KINDS.index(BaseKind.DOUBLE_BOTTOM)
    handle_at = ev.get("r_at", ar[:, 0], cols[:, j_cwh])[:, None]
    first_low = ev.get("t1", ar[:, 0], cols[:, j_db])[:, None]
    inside = found[:, [j_cwh]] & (starts >= handle_at)
    in_w = found[:, [j_db]] & (starts > first_low)
    in_w[:, j_cwh] = False
    return inside | in_w


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
        found[:, j], cols[:, j] = shapes.best(ev, kind)
    found &= ~_nested(ev, found, cols)
    for j, kind in enumerate(KINDS):
        fnd, col = found[:, j], cols[:, j]
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
    forming.sort(key=lambda b: (-b.quality, SPECIFICITY.index(b.kind)))
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
    # The same left-side high is the same base: never reported twice.
    forming = [f for f in forming if f.start != broke.start]
    if status == "broken_out":
        forming = [_on_base(f, broke, breakout_day) for f in forming]
    if any(f.start > breakout_day for f in forming):
        return (*forming, broke)
    return (broke, *forming)


def _on_base(base: Base, below: Base, breakout_day: date) -> Base:
    """``base`` marked as a base on base when it began after ``below`` broke out and its low held
    at or above ``below``'s pivot (O'Neil: the advance stalled and a second base formed on top of
    the first); unchanged otherwise."""
    if base.start < breakout_day or base.low < below.pivot:
        return base
    note = (f"; base on base: on top of the {below.kind.words} that broke out on "
            f"{breakout_day:%Y-%m-%d}, its low above that pivot {below.pivot:.2f}")
    return replace(base, why=base.why + note)


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


def explain(bars: pd.DataFrame, rules: BaseRules | None = None,
            found: tuple[Base, ...] | None = None) -> tuple[BaseCandidate, ...]:
    """For each kind, as of the last bar: the base of that kind in ``found`` (default
    `find_bases`; a caller passes the bases its views show, so that the answers agree) with what
    cost it quality; else the best candidate accepted on the last bar, else the nearest miss
    (fewest broken rules, then the longest) and the rules it broke."""
    rules = rules or BaseRules()
    found = find_bases(bars, rules) if found is None else found
    p = shapes.prepare(bars, tail_days=rules.tail_days())
    n = len(p.day)
    if n < 2:
        return tuple(BaseCandidate(k, False, None, None, None, None, None, ("too few bars",))
                     for k in KINDS)
    ev = shapes.evaluate(p, np.array([n - 1]), rules)
    out = []
    for kind in KINDS:
        b = next((b for b in found if b.kind == kind), None)
        if b is not None:
            out.append(BaseCandidate(kind, True, b.start, b.end, b.pivot, b.depth_pct,
                                     b.length_weeks, b.reasons, b.status))
            continue
        fnd, col = shapes.best(ev, kind)
        if fnd[0]:
            b = _make_base(p, ev, kind, 0, int(col[0]), rules)
            out.append(BaseCandidate(kind, True, b.start, b.end, b.pivot, b.depth_pct,
                                     b.length_weeks, b.reasons, b.status))
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
                        if not passes[ev.cell[0, c]] and _measured(lbl, cell))
        pivot = float(shapes.pivot_of(ev, kind, np.array([0]), np.array([c]), rules.tick)[0])
        out.append(BaseCandidate(kind, False, _date(p, cell["hd"]), _date(p, cell["d"]), pivot,
                                 cell["depth"], cell["weeks"], reasons))
    return tuple(out)
