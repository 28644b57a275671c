"""Resistance and support zones: clusters of pivot highs (lows) within a volatility-scaled band."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Zone:
    """A price band touched repeatedly. ``position`` is where the last close is: "below", "inside"
    or "above"; ``distance_pct`` is from the last close to the nearest edge (0 inside)."""

    kind: str  # "resistance" | "support"
    low: float
    high: float
    touches: int
    first_touch: date
    last_touch: date
    position: str
    distance_pct: float
