"""Breadth of a universe: how many of its members are above their averages, at new highs or lows,
and in bases, near pivots or breaking out. Each figure is counted as of each member's last bar.

- ``members``: members with at least one bar.
- ``pct_above_50`` (``pct_above_200``): of the members with at least 50 (200) bars, the % whose
  last close is strictly above the simple average of their last 50 (200) closes, the last one
  included (``above_50`` / ``with_50`` are the counts). None when no member has that many bars.
- ``new_highs`` (``new_lows``): of the members with at least 253 bars (``with_253``), how many have
  a last high strictly above the highest high (a last low strictly below the lowest low) of the
  252 sessions before the last.
- ``in_base``: members whose watched base (the newest) is still forming (price inside it).
- ``near_pivot``: of those, the ones whose breakout state is "near" (within the near threshold
  below the pivot).
- ``breaking``: members with a watched base whose state is "breaking" or "confirmed" (above the
  base's pivot, not yet extended or failed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analysis.facts.bases import Base
    from analysis.facts.breakout import Breakout

HIGH_LOW_SESSIONS = 252
BREAKING_STATES = ("breaking", "confirmed")


@dataclass(frozen=True)
class PriceBreadth:
    """One member's price facts for breadth (None: not enough bars for that figure)."""

    above_50: bool | None
    above_200: bool | None
    new_high: bool | None
    new_low: bool | None


@dataclass(frozen=True)
class Breadth:
    """The breadth of a universe (see the module's definitions)."""

    members: int
    with_50: int
    above_50: int
    pct_above_50: float | None
    with_200: int
    above_200: int
    pct_above_200: float | None
    with_253: int
    new_highs: int
    new_lows: int
    in_base: int
    near_pivot: int
    breaking: int


def _above(close: np.ndarray, window: int) -> bool | None:
    if len(close) < window:
        return None
    return bool(close[-1] > close[-window:].mean())


def price_breadth(close: np.ndarray, high: np.ndarray, low: np.ndarray) -> PriceBreadth:
    """One member's above-average and new-high/low flags from its bars (oldest first)."""
    new_high = new_low = None
    if len(close) > HIGH_LOW_SESSIONS:
        prior = slice(-1 - HIGH_LOW_SESSIONS, -1)
        new_high = bool(high[-1] > high[prior].max())
        new_low = bool(low[-1] < low[prior].min())
    return PriceBreadth(_above(close, 50), _above(close, 200), new_high, new_low)


def setup_flags(bases: tuple[Base, ...], state: Breakout | None) -> tuple[bool, bool, bool]:
    """(in a base, near its pivot, breaking out of it) for one member."""
    if not bases:
        return False, False, False
    in_base = bases[0].status == "forming"
    name = state.state if state is not None else None
    return in_base, in_base and name == "near", name in BREAKING_STATES


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def breadth(prices: Mapping[str, PriceBreadth],
            setups: Mapping[str, tuple[bool, bool, bool]]) -> Breadth:
    """Breadth from each member's price facts and setup flags (one entry per member with bars)."""
    flags = list(prices.values())
    with_50 = sum(f.above_50 is not None for f in flags)
    above_50 = sum(bool(f.above_50) for f in flags)
    with_200 = sum(f.above_200 is not None for f in flags)
    above_200 = sum(bool(f.above_200) for f in flags)
    marks = list(setups.values())
    return Breadth(
        members=len(flags),
        with_50=with_50,
        above_50=above_50,
        pct_above_50=_pct(above_50, with_50),
        with_200=with_200,
        above_200=above_200,
        pct_above_200=_pct(above_200, with_200),
        with_253=sum(f.new_high is not None for f in flags),
        new_highs=sum(bool(f.new_high) for f in flags),
        new_lows=sum(bool(f.new_low) for f in flags),
        in_base=sum(m[0] for m in marks),
        near_pivot=sum(m[1] for m in marks),
        breaking=sum(m[2] for m in marks),
    )
