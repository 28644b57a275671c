"""The market calendar: NYSE clock (exchange-calendars, imported lazily and cached), the bundled FOMC
decision dates, and the benchmark index's sector weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class MarketClock:
    """NYSE status at ``now``: "open", "pre-market", "after-hours", "closed", "holiday" (or weekend:
    "closed"); ``early_close`` is True on a half day; ``next_open``/``next_close`` are tz-aware."""

    now: datetime
    status: str
    early_close: bool
    next_open: datetime
    next_close: datetime
    session_fraction: float


@dataclass(frozen=True)
class FomcInfo:
    """The next FOMC decision on or after today; ``banner`` is non-empty the day before and the day
    of ("FOMC decision tomorrow 14:00 ET")."""

    next_decision: date | None
    days_until: int | None
    banner: str


@dataclass(frozen=True)
class SectorWeights:
    """Sector -> weight (%) of the benchmark index; ``source`` says live or bundled, ``asof`` when."""

    weights: Mapping[str, float]
    source: str
    asof: date | None
