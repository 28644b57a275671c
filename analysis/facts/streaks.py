"""Streaks of consecutive higher (lower) closes, and an event study of what followed such streaks
in the symbol's own history."""

from __future__ import annotations

from dataclasses import dataclass

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
    ``returns`` holds each event's forward returns per horizon (for a histogram)."""

    length: int
    events: int
    after: tuple[ForwardStats, ...]
    baseline: tuple[ForwardStats, ...]
    returns: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Streak:
    """The current streak, signed (+12: twelve higher closes in a row), and its study."""

    length: int
    study: StreakStudy | None
