"""History mode: bases and breakout states evaluated day by day over a period, without look-ahead,
with the outcome of every confirmed breakout (`basewatch scan --history`).

For each session D in [start, end] the facts are exactly what `find_bases`, `find_zones` and
`breakout_state` say on the bars up to D (the base shapes are evaluated for all sessions in one
vectorised pass; pivots are computed once because a confirmed pivot never changes). Only the
*outcomes* look forward — that is their point — and with the bounded definitions of the track
record (`analysis.track_record.outcomes`), from the close of the confirming session:

- r21, r63: the close 21 and 63 sessions later against it;
- max rise within 63 sessions: the highest high of the next 63 sessions against it;
- failed: a low 8% under it came before a high 5% above it, within 63 sessions (None while
  neither has happened and fewer than 63 sessions followed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts import base_shapes as shapes
from analysis.facts.bases import KINDS, Base, BaseRules, bases_at, watch_table
from analysis.facts.breakout import (
    Breakout,
    BreakoutRules,
    average_volume,
    level_kind,
    state_from_arrays,
)
from analysis.facts.clean import closes, day_numbers, highs, usable
from analysis.facts.pivots import find_pivots
from analysis.facts.zone_watch import ZoneTrack
from analysis.facts.zones import atr_ratio, pivot_arrays, rolling_tolerance
from analysis.instruments import instrument_kind
from analysis.track_record.outcomes import outcomes

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class HistoryBase:
    """A base seen forming between ``first_seen`` and ``last_seen`` (values as last seen).
    ``outcome``: "broke out", "failed", "still forming" or "dropped" (stopped meeting the rules,
    e.g. undercut too deep, before any close above its pivot)."""

    kind: str
    start: date
    first_seen: date
    last_seen: date
    pivot: float
    depth_pct: float
    length_weeks: float
    quality: int
    outcome: str


@dataclass(frozen=True)
class Transition:
    """A change of breakout state on ``date`` (``previous`` None on the first session)."""

    date: date
    state: str
    previous: str | None
    level: float
    level_source: str
    close: float
    volume_ratio: float | None


@dataclass(frozen=True)
class Outcome:
    """What followed a confirmed breakout above ``level``, from ``close`` (the confirming
    session's close; percent, bounded windows: see the module docstring)."""

    date: date
    level: float
    level_source: str
    close: float
    r21: float | None
    r63: float | None
    max_rise_63: float | None
    failed: bool | None
    kind: str = "zone"


@dataclass(frozen=True)
class HistorySummary:
    """Outcome statistics of a set of confirmed breakouts (``kind``: "all", a base kind, "zone"):
    the failure rate of the decided ones, and the mean (median) returns of those with the bars."""

    kind: str
    breakouts: int
    decided: int
    failures: int
    failure_rate_pct: float | None
    mean_r21: float | None
    mean_r63: float | None
    median_r63: float | None
    mean_max_rise_63: float | None


@dataclass(frozen=True)
class HistoryReport:
    symbol: str
    start: date
    end: date
    bases: tuple[HistoryBase, ...]
    transitions: tuple[Transition, ...]
    outcomes: tuple[Outcome, ...]
    summary: HistorySummary
    by_kind: tuple[HistorySummary, ...] = ()


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.mean(vals)) if vals else None


def _median(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.median(vals)) if vals else None


def breakout_outcome(good: pd.DataFrame, at: int, level: float, source: str) -> Outcome:
    """The outcome of a breakout above ``level`` confirmed at session index ``at``."""
    close = closes(good)
    high = highs(good)
    low = good["low"].to_numpy(dtype="float64", na_value=np.nan)
    low = np.where(np.isfinite(low), np.fmin(low, close), close)
    out = outcomes(close, high, low, np.array([at]))

    def opt(name: str) -> float | None:
        v = float(out[name][0])
        return v if np.isfinite(v) else None

    failed = opt("failed")
    return Outcome(
        kind=level_kind(source),
        date=good.index[at].date(),
        level=level,
        level_source=source,
        close=float(close[at]),
        r21=opt("r21"),
        r63=opt("r63"),
        max_rise_63=opt("max_rise_63"),
        failed=None if failed is None else bool(failed),
    )


def summarize(kind: str, outcomes_: list[Outcome]) -> HistorySummary:
    """Failure rate (of the decided) and mean/median returns of ``outcomes_``."""
    decided = [o for o in outcomes_ if o.failed is not None]
    failures = sum(1 for o in decided if o.failed)
    return HistorySummary(
        kind=kind,
        breakouts=len(outcomes_),
        decided=len(decided),
        failures=failures,
        failure_rate_pct=failures / len(decided) * 100.0 if decided else None,
        mean_r21=_mean([o.r21 for o in outcomes_]),
        mean_r63=_mean([o.r63 for o in outcomes_]),
        median_r63=_median([o.r63 for o in outcomes_]),
        mean_max_rise_63=_mean([o.max_rise_63 for o in outcomes_]),
    )


def _history_bases(p, ev, w, first_row: int, last_row: int, rules: BaseRules
                   ) -> list[HistoryBase]:
    seen: dict[tuple[str, int], list[int]] = {}
    for j, kind in enumerate(KINDS):
        rows = np.flatnonzero(w.found[first_row : last_row + 1, j]) + first_row
        starts = ev.get("hd", rows, w.cols[rows, j])
        for s in np.unique(starts):
            seen[(kind, int(s))] = rows[starts == s].tolist()
    out = []
    for (kind, s), rows in seen.items():
        r = rows[-1]
        j = KINDS.index(kind)
        col = int(w.cols[r, j])
        pivot = float(w.pivots[r, j])
        d_then = int(ev.days[r])
        after = p.close[d_then + 1 :]
        above = np.flatnonzero(after[: rules.recent_sessions] > pivot)
        if r == last_row:
            outcome = "still forming"
        elif len(above):
            b = d_then + 1 + int(above[0])
            window = p.close[b + 1 : b + rules.fail_sessions + 1]
            outcome = "failed" if (window < pivot).any() else "broke out"
        else:
            outcome = "dropped"
        out.append(HistoryBase(
            kind=kind,
            start=p.index[s].date(),
            first_seen=p.index[int(ev.days[rows[0]])].date(),
            last_seen=p.index[d_then].date(),
            pivot=pivot,
            depth_pct=float(ev.get("depth", r, col)),
            length_weeks=float(ev.get("weeks", r, col)),
            quality=int(round(float(ev.quality[kind][r, col]))),
            outcome=outcome,
        ))
    out.sort(key=lambda b: (b.first_seen, KINDS.index(b.kind)))
    return out


def base_watch(good: pd.DataFrame, i0: int, i1: int, rules: BaseRules) -> tuple:
    """The base evaluation behind sessions i0..i1 of the usable bars ``good`` (from
    ``recent_sessions`` earlier, for the recent-breakout look-back): (prepared arrays, evaluation,
    watch table, first evaluated row)."""
    p = shapes.prepare(good)
    first = max(0, i0 - rules.recent_sessions)
    ev = shapes.evaluate(p, np.arange(first, i1 + 1), rules)
    return p, ev, watch_table(p, ev, rules), first


def daily_states(
    good: pd.DataFrame,
    i0: int,
    i1: int,
    rules: BaseRules,
    breakout: BreakoutRules | None = None,
    *,
    watch: tuple | None = None,
) -> Iterator[tuple[int, tuple[Base, ...], Breakout | None]]:
    """For each session index i in [i0, i1] of the usable bars ``good``: (i, the `find_bases`
    answer, the `breakout_state` answer) as of that session — the same as calling them on
    ``good.iloc[:i + 1]`` (zones only when no base is watched), in one pass. ``watch``: the
    `base_watch` of the same sessions when the caller has it already."""
    # a zone or base counts as recently cleared over the same span the base watch uses
    breakout = dataclasses.replace(breakout or BreakoutRules(),
                                   recent_sessions=rules.recent_sessions)
    p, ev, w, first = watch or base_watch(good, i0, i1, rules)
    day = day_numbers(good.index)
    close = closes(good)
    volume = np.nan_to_num(good["volume"].to_numpy(dtype="float64", na_value=np.nan))
    avg = average_volume(volume)
    memo: dict = {}  # the state fold resumes where it stood the session before (same answer)
    # the zone the breakout level would come from, as `zones_as_of` + `watched_zone` answer it
    track = ZoneTrack(pivot_arrays(find_pivots(good)), day, close,
                      rolling_tolerance(atr_ratio(good), day), at_least=breakout.zone_min_touches)
    for i in range(i0, i1 + 1):
        found = bases_at(p, ev, w, i - first, rules)
        n = i + 1
        zone = None if found else track.at(i, breakout.recent_sessions)
        state = state_from_arrays(
            day[:n], close[:n], volume[:n], avg[:n], found[0] if found else None, None,
            breakout, memo=memo, zone=zone,
        )
        yield i, found, state


def scan_history(
    bars: pd.DataFrame,
    symbol: str,
    start: date | str | None = None,
    end: date | str | None = None,
    rules: BaseRules | None = None,
    *,
    breakout: BreakoutRules | None = None,
) -> HistoryReport:
    """Every base and breakout transition of ``symbol`` over [start, end] (default: all bars)."""
    import pandas as pd

    rules = rules or BaseRules()
    breakout = breakout or BreakoutRules()
    # A breakout is counted once per level: re-entries after a shakeout are the same breakout.
    good = usable(bars)
    if good.empty:
        raise ValueError(f"no bars for {symbol}")
    dates = good.index.tz_localize(None).normalize() if good.index.tz else good.index.normalize()
    i0 = int(np.searchsorted(dates, pd.Timestamp(start))) if start else 0
    i1 = int(np.searchsorted(dates, pd.Timestamp(end), "right")) - 1 if end else len(good) - 1
    if i1 < i0:
        raise ValueError(f"no sessions for {symbol} between {start} and {end}")
    if not instrument_kind(symbol).has_setups:  # a volatility index: no bases, no breakouts
        return HistoryReport(symbol, good.index[i0].date(), good.index[i1].date(), (), (), (),
                             summarize("all", []))
    transitions: list[Transition] = []
    found: list[Outcome] = []
    prev: Breakout | None = None
    counted: set[float] = set()
    close = closes(good)
    watch = base_watch(good, i0, i1, rules)  # once: the states and the bases below share it
    for i, _, state in daily_states(good, i0, i1, rules, breakout, watch=watch):
        if state is None:
            prev = None
            continue
        same_level = prev is not None and abs(prev.level - state.level) < 1e-9
        changed = prev is None or state.state != prev.state
        if changed or (not same_level and state.state != "below"):
            transitions.append(Transition(
                date=good.index[i].date(), state=state.state,
                previous=prev.state if prev else None, level=state.level,
                level_source=state.level_source, close=float(close[i]),
                volume_ratio=state.volume_ratio,
            ))
        entered = state.state == "confirmed" or (
            state.state == "extended" and (state.volume_ratio or 0) >= breakout.confirm_volume_ratio
        )
        if entered and round(state.level, 6) not in counted:
            counted.add(round(state.level, 6))
            found.append(breakout_outcome(good, i, state.level, state.level_source))
        prev = state
    p, ev, w, first = watch
    summary = summarize("all", found)
    kinds = sorted({o.kind for o in found}, key=lambda k: (KINDS + ("zone",)).index(k))
    return HistoryReport(
        symbol=symbol,
        start=good.index[i0].date(),
        end=good.index[i1].date(),
        bases=tuple(_history_bases(p, ev, w, i0 - first, i1 - first, rules)),
        transitions=tuple(transitions),
        outcomes=tuple(found),
        summary=summary,
        by_kind=tuple(summarize(k, [o for o in found if o.kind == k]) for k in kinds),
    )
