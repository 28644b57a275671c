"""Leaders: which benchmark or sector ETF made a new closing high first in the current run, and
which followed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Leader:
    """A symbol and the session of its first new closing high within the window (None: none yet)."""

    symbol: str
    first_new_high: date | None
    pct_from_ath: float


@dataclass(frozen=True)
class Leaders:
    """``order`` lists symbols by their first new closing high in the window (earliest first), then
    the ones without one; ``first`` is the leader (None when nobody made one)."""

    window_start: date
    order: tuple[Leader, ...]
    first: str | None
