"""Streaks of consecutive higher (lower) closes, and an event study of what followed such streaks
in the symbol's own history.

- A streak counts consecutive closes strictly above (+) or below (-) the previous close; an
  unchanged close ends it (0), and so does a missing close. The first bar has streak 0.
- The event study for a length L (sign = direction) takes every session on which a streak first
  reached |L| in that direction — one event per streak, however long it then ran — and the forward
  return of the adjusted close 5, 21 and 63 sessions later. An event without that many sessions
  after it is left out of that horizon. The streak still running at the last bar is not an event of
  its own study (its outcome is what the study is about). The baseline is the same statistics over
  every session with enough sessions after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.clean import usable
from analysis.facts.pivots import frame_arrays
from analysis.facts.ranges import median

if TYPE_CHECKING:
    import pandas as pd

HORIZONS: tuple[int, ...] = (5, 21, 63)


@dataclass(frozen=True)
class ForwardStats:
    """Forward returns (adjusted close, %) ``horizon`` sessions after the events."""

    horizon: int
    count: int
    mean: float | None
    median: float | None
    pct_positive: float | None


@dataclass(frozen=True)
class StreakStudy:
    """Every past streak that reached at least ``length`` (same sign), counted once per streak
    at the session it reached ``length``; ``after`` per horizon, ``baseline`` over all sessions.
    ``returns`` holds each event's forward returns per horizon (for a histogram).
    ``longest_before`` is the longest earlier streak in the same direction (absolute, the running
    one excluded), so "first 12-day streak in the data; the longest before was 10" can be said."""

    length: int
    events: int
    after: tuple[ForwardStats, ...]
    baseline: tuple[ForwardStats, ...]
    returns: tuple[tuple[float, ...], ...]
    longest_before: int = 0


@dataclass(frozen=True)
class Streak:
    """The current streak, signed (+12: twelve higher closes in a row), and its study.

    ``deferred``: the analysis left the study out (a universe's member outside the config, whose
    study only a drill-down or a scan of it shows); `study_for` works it out from the same bars,
    and every view that shows a study asks it."""

    length: int
    study: StreakStudy | None
    deferred: bool = False


def streak_series(close: np.ndarray) -> np.ndarray:
    """Signed running streak per bar (int64): +3 = third higher close in a row; 0 when unchanged.

    Each value depends only on the closes up to that bar. NaN closes end a streak.
    """
    close = np.asarray(close, dtype="float64")
    n = len(close)
    out = np.zeros(n, dtype=np.int64)
    if n < 2:
        return out
    diff = close[1:] - close[:-1]
    # +1 up, -1 down, 0 unchanged or NaN (a NaN compares False both ways)
    step = (diff > 0).view(np.int8) - (diff < 0).view(np.int8)
    pos = np.arange(n - 1)
    starts = np.empty(n - 1, dtype=bool)
    starts[0] = True
    np.not_equal(step[1:], step[:-1], out=starts[1:])
    run_start = np.maximum.accumulate(np.where(starts, pos, 0))
    np.multiply(pos - run_start + 1, step, out=out[1:])
    return out


def last_streak(close: np.ndarray) -> int:
    """``streak_series(close)[-1]`` without the series: the run of equal steps ending at the last
    bar, signed."""
    close = np.asarray(close, dtype="float64")
    if len(close) < 2:
        return 0
    diff = close[1:] - close[:-1]
    step = (diff > 0).view(np.int8) - (diff < 0).view(np.int8)
    last = int(step[-1])
    if last == 0:
        return 0
    other = np.flatnonzero(step != last)
    return (len(step) - (int(other[-1]) + 1 if other.size else 0)) * last


def _stats(horizon: int, values: np.ndarray) -> ForwardStats:
    """The statistics of ``values``, which are reordered (the caller's scratch array)."""
    m = values.size
    if m == 0:
        return ForwardStats(horizon, 0, None, None, None)
    mean = float(np.add.reduce(values) / m)  # what ndarray.mean computes (before reordering)
    positive = float(np.count_nonzero(values > 0) / m * 100.0)
    return ForwardStats(horizon=horizon, count=m, mean=mean,
                        median=median(values, overwrite=True), pct_positive=positive)


def _study(adj: np.ndarray, st: np.ndarray, length: int) -> StreakStudy:
    n = len(st)
    # The streak running at the last bar (in this direction) is not part of its own history.
    past = st[: n - abs(int(st[-1])) if st[-1] * length > 0 else n]
    # A streak reaches |length| in this direction where its signed value equals ``length``.
    events = np.flatnonzero(past == length)
    top = (int(past.max()) if length > 0 else -int(past.min())) if past.size else 0
    after, baseline, returns = [], [], []
    for h in HORIZONS:
        fwd = np.divide(adj[h:], adj[:-h]) if n > h else np.empty(0)
        fwd -= 1.0
        fwd *= 100.0  # (adj[h:] / adj[:-h] - 1) x 100, without two temporaries
        # events ascend: those with h sessions after them are a prefix
        ev = fwd[events[: int(np.searchsorted(events, fwd.size))]]
        returns.append(tuple(ev.tolist()))  # in event order, before the statistics reorder ev
        after.append(_stats(h, ev))
        baseline.append(_stats(h, fwd))
    return StreakStudy(
        length=length,
        events=int(events.size),
        after=tuple(after),
        baseline=tuple(baseline),
        returns=tuple(returns),
        longest_before=max(top, 0),
    )


def streak(bars: pd.DataFrame, study: bool = True) -> Streak:
    """The current streak and the study of streaks at least that long (None when it is 0);
    without ``study``, the study of a running streak is deferred (see `Streak`)."""
    a = frame_arrays(bars)
    if len(a.close) < 2:
        return Streak(0, None)
    if not study:
        length = last_streak(a.close)
        return Streak(length=length, study=None, deferred=length != 0)
    st = streak_series(a.close)
    length = int(st[-1])
    return Streak(length=length, study=_study(a.adj, st, length) if length else None)


def study_for(found: Streak, bars: pd.DataFrame | None) -> StreakStudy | None:
    """The study of ``found``: the one analysed, or when it was deferred, the study of ``bars``
    (the bars ``found`` was found on, as the analysis got them: up to its as-of session; rows
    without a price are dropped here as there). None without bars, or when they do not end in the
    same streak."""
    if not found.deferred or bars is None:
        return found.study
    now = streak(usable(bars)) if len(bars) else Streak(0, None)
    return now.study if now.length == found.length else None
