"""Swing pivots confirmed causally: a pivot at bar i is known only once k bars after it exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Pivot:
    """A confirmed swing high or low. ``confirmed`` is the session it became known (i + k)."""

    kind: str  # "high" | "low"
    date: date
    price: float
    confirmed: date
    position: int
