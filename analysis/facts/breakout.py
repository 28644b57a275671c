"""The breakout state machine: below -> near -> breaking -> confirmed -> extended | failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATES = ("below", "near", "breaking", "confirmed", "extended", "failed")


@dataclass(frozen=True)
class Breakout:
    """The breakout state of a symbol against ``level`` (its active base pivot, or the nearest
    overhead zone). ``level_source`` says which ("cup_with_handle pivot", "resistance zone", ...);
    ``volume_ratio`` is the session's (projected, intraday) volume / 50-day average; ``since`` is
    the session the state began; ``needs`` says what the next step needs, in words a trader reads
    ("close above 70.12 on volume above 9.8M")."""

    state: str
    level: float
    level_source: str
    pct_to_level: float
    volume_ratio: float | None
    since: date | None
    needs: str
