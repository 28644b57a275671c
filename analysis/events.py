"""Events: what changed between two snapshots (breakout, confirmed, failed, new ATH, streak
milestone, race decided, FOMC tomorrow), and the bounded JSON-lines event log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

KINDS = (
    "near", "breaking", "confirmed", "extended", "failed", "new_ath", "new_intraday_ath", "streak",
    "race", "fomc",
)


@dataclass(frozen=True)
class Event:
    """One thing a trader should notice. ``data`` holds the numbers behind it."""

    kind: str
    symbol: str | None
    asof: date
    at: datetime
    message: str
    data: Mapping[str, float | int | str | None] = field(default_factory=dict)
