"""The reference-high race: who first trades above their own high of a reference session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RaceEntry:
    """One runner: its level (high of the reference session), when it first traded above that level
    after the start (None: not yet), and how far its last high is from the level (%)."""

    symbol: str
    level: float | None
    crossed_on: date | None
    distance_pct: float | None


@dataclass(frozen=True)
class RaceResult:
    """``winner`` is the first runner to cross after ``start`` (ties: both crossed the same session,
    winner is None and ``status`` is "tie"); ``status`` is "running", "won", "tie" or "invalid"
    (with ``note`` saying why, e.g. no bar on the reference date)."""

    reference_date: date
    start: date
    entries: tuple[RaceEntry, ...]
    winner: str | None
    won_on: date | None
    status: str
    note: str = ""
