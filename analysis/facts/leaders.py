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

from analysis.facts.highs import record_mask
from analysis.facts.pivots import frame_arrays

if TYPE_CHECKING:
    import pandas as pd

_EPOCH = np.datetime64("1970-01-01", "D")


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


def _as_date(day: int) -> date:
    return (_EPOCH + np.timedelta64(int(day), "D")).item()


def leaders(bars_by_symbol: Mapping[str, pd.DataFrame], window: int = 63) -> Leaders | None:
    """Who made a new closing ATH first within the last ``window`` sessions (window >= 1).

    None when no frame has a usable bar. Frames should end at the as-of session.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 session, got {window}")
    frames: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for sym, bars in bars_by_symbol.items():
        a = frame_arrays(bars)  # the usable rows; shared with the other facts of the frame
        if len(a.close):
            frames[sym] = (a.day, a.close)
    if not frames:
        return None
    recent = np.unique(np.concatenate([days[-window:] for days, _ in frames.values()]))
    start = int(recent[-window:][0])
    rows: list[tuple[int, float, str, Leader]] = []
    for sym, (days, close) in frames.items():
        first = int(np.searchsorted(days, start, side="left"))
        hits = np.flatnonzero(record_mask(close)[first:])
        pct = float((close[-1] / close.max() - 1.0) * 100.0)
        day = int(days[first + hits[0]]) if hits.size else None
        leader = Leader(sym, _as_date(day) if day is not None else None, pct)
        rows.append((day if day is not None else np.iinfo(np.int64).max, -pct, sym, leader))
    rows.sort(key=lambda r: r[:3])
    order = tuple(r[3] for r in rows)
    return Leaders(_as_date(start), order, order[0].symbol if order[0].first_new_high else None)
