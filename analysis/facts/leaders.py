"""Leaders: which benchmark or sector ETF made a new closing high first in the current run, and
which followed.

The window is the last ``window`` sessions of the union of all the frames' calendar dates (63 by
default: about three months). For each symbol, its leading session is the first session inside the
window on which it closed strictly above every earlier close in its data (a new closing ATH; see
`analysis.facts.highs`). The order is: symbols with such a session, earliest first (same date:
closer to the ATH now first, then by name), then the rest, closest to their ATH first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_date
from analysis.facts.highs import record_mask
from analysis.facts.pivots import frame_arrays

if TYPE_CHECKING:
    import pandas as pd



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


@dataclass(frozen=True)
class LeaderTail:
    """All `leaders` needs of one symbol: its last ``window`` session days, which of them closed
    at a new closing ATH (against every earlier close), and how far its last close is from the
    ATH close (%). The window always starts within these days (see `leaders_of`)."""

    days: np.ndarray
    records: np.ndarray
    pct_from_ath: float


def leader_tail(day: np.ndarray, close: np.ndarray, window: int) -> LeaderTail | None:
    """`LeaderTail` of a symbol's usable session days and closes (None without a bar)."""
    if len(close) == 0:
        return None
    tail = close[-window:]
    if len(close) > window:  # the closes before the tail count as one earlier maximum
        prior = float(close[:-window].max())
        records = record_mask(np.r_[prior, tail])[1:]
        top = max(prior, float(tail.max()))
    else:
        records = record_mask(tail)
        top = float(tail.max())
    return LeaderTail(day[-window:], records, float((close[-1] / top - 1.0) * 100.0))


def leaders_of(tails: Mapping[str, LeaderTail | None], window: int) -> Leaders | None:
    """`leaders` from each symbol's `leader_tail` (None: no usable bar).

    The window's first session is the ``window``-th latest of the union of every symbol's last
    ``window`` days, so it is never earlier than any symbol's own ``window``-th latest day: the
    tails hold every session the window can contain.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 session, got {window}")
    frames = {s: t for s, t in tails.items() if t is not None}
    if not frames:
        return None
    recent = np.unique(np.concatenate([t.days for t in frames.values()]))
    start = int(recent[-window:][0])
    rows: list[tuple[int, float, str, Leader]] = []
    for sym, t in frames.items():
        first = int(np.searchsorted(t.days, start, side="left"))
        hits = np.flatnonzero(t.records[first:])
        day = int(t.days[first + hits[0]]) if hits.size else None
        leader = Leader(sym, to_date(day) if day is not None else None, t.pct_from_ath)
        rows.append((day if day is not None else np.iinfo(np.int64).max, -t.pct_from_ath, sym,
                     leader))
    rows.sort(key=lambda r: r[:3])
    order = tuple(r[3] for r in rows)
    return Leaders(to_date(start), order, order[0].symbol if order[0].first_new_high else None)


def leaders(bars_by_symbol: Mapping[str, pd.DataFrame], window: int = 63) -> Leaders | None:
    """Who made a new closing ATH first within the last ``window`` sessions (window >= 1).

    None when no frame has a usable bar. Frames should end at the as-of session.
    """
    tails = {}
    for sym, bars in bars_by_symbol.items():
        a = frame_arrays(bars)  # the usable rows; shared with the other facts of the frame
        tails[sym] = leader_tail(a.day, a.close, window)
    return leaders_of(tails, window)
