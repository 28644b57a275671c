"""The daily arrays the base rules read: one or more symbols' bars (their tails) stacked end to
end, their weeks (ending on Friday) with each week's high and where it was made, and the range-query
tables (`analysis.facts.ranges`) every base measurement is answered from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import week_numbers
from analysis.facts.pivots import frame_arrays
from analysis.facts.ranges import RangeExtreme, prefix_sum

if TYPE_CHECKING:
    import pandas as pd

NEG = -np.inf
MA_SESSIONS = 50  # the 10-week average, in sessions


def under_average(close: np.ndarray, start: int = 0) -> np.ndarray:
    """Per session from ``start`` on: the close is under its ``MA_SESSIONS``-session average
    (sessions with fewer before them are never under). The averages come from the running sum
    of the whole array, whatever ``start``."""
    sums = prefix_sum(close)
    at = np.arange(start, len(close))
    lo = np.maximum(at - MA_SESSIONS + 1, 0)
    return (at >= MA_SESSIONS - 1) & (close[start:] < (sums[at + 1] - sums[lo]) / (at + 1 - lo))


def highest_before(high: np.ndarray, start: int = 0) -> np.ndarray:
    """Per session from ``start`` on: the highest high of the sessions before it (-inf for the
    first session)."""
    n = len(high)
    out = np.empty(n - start)
    if start >= n:
        return out
    out[0] = high[:start].max() if start else NEG
    np.maximum.accumulate(high[start : n - 1], out=out[1:])
    if start:
        np.maximum(out[1:], out[0], out=out[1:])
    return out
SHIFT_DAYS = 7 * 20_000  # calendar gap between symbols stacked in one Prepared (whole weeks)


@dataclass
class Prepared:
    """Daily arrays of (tails of) one or more symbols' bars stacked end to end, their weeks, and
    range-query tables. ``cal`` is the calendar day shifted by ``SHIFT_DAYS`` per symbol so that
    ranges and weeks never straddle two symbols; ``day`` is the true day. ``first`` is the index of
    the first row of each row's symbol, ``pos`` a row's position in its own (usable) frame.
    ``index`` is the usable index of a single symbol (None when several are stacked). ``undersum``
    is the prefix count of closes under their 10-week average (measured on the whole frame)."""

    index: pd.DatetimeIndex | None
    day: np.ndarray
    cal: np.ndarray
    first: np.ndarray
    pos: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    ath_before: np.ndarray
    week: np.ndarray
    first_week: np.ndarray
    week_high: np.ndarray
    week_high_at: np.ndarray
    hmax: RangeExtreme
    lmin: RangeExtreme
    csum: np.ndarray
    vsum: np.ndarray
    undersum: np.ndarray
    bounds: np.ndarray


def prepare(bars: pd.DataFrame, tail_days: int | None = None) -> Prepared:
    """Arrays for `evaluate`. ``tail_days`` keeps only the last that many calendar days (plus the
    all-time high before them), which is all the shape rules look at."""
    p = prepare_many([bars], tail_days)
    p.index = frame_arrays(bars).index
    return p


def prepare_many(frames: list[pd.DataFrame], tail_days: int | None = None) -> Prepared:
    """`prepare` for several symbols at once (``bounds[i]:bounds[i+1]`` are symbol i's rows)."""
    parts = []
    for bars in frames:
        a = frame_arrays(bars)
        n = len(a.close)
        start = 0
        if tail_days is not None and n:
            start = int(np.searchsorted(a.day, a.day[-1] - tail_days))
        sl = slice(start, None)
        parts.append((a.high[sl], a.low[sl], a.close[sl], a.volume[sl], a.day[sl],
                      highest_before(a.high, start), np.arange(start, n),
                      under_average(a.close, start)))
    sizes = np.array([len(part[0]) for part in parts], dtype=np.int64)
    longest = int(sizes.max()) if len(sizes) else 0  # no range spans two symbols
    bounds = np.r_[0, np.cumsum(sizes)]

    def cat(j: int, dtype="float64") -> np.ndarray:
        return np.concatenate([part[j] for part in parts]).astype(dtype) if parts else \
            np.zeros(0, dtype)

    high, low, close, volume, day, ath = (cat(j) for j in range(6))
    day = day.astype(np.int64)
    pos = cat(6, np.int64)
    sym = np.repeat(np.arange(len(parts)), sizes)
    cal = day + sym * SHIFT_DAYS
    first = np.repeat(bounds[:-1], sizes)
    week_id = week_numbers(cal)  # weeks end on Friday: the chart's weekly bars
    new_week = np.r_[True, np.diff(week_id) != 0] if len(day) else np.zeros(0, bool)
    starts = np.flatnonzero(new_week)
    week = np.cumsum(new_week) - 1
    if len(day):
        week_high = np.maximum.reduceat(high, starts)
        at_max = np.where(high == week_high[week], np.arange(len(high)), len(high))
        week_high_at = np.minimum.reduceat(at_max, starts)
    else:
        week_high = np.zeros(0)
        week_high_at = np.zeros(0, dtype=np.int64)
    return Prepared(
        index=None,
        day=day,
        cal=cal,
        first=first,
        pos=pos,
        high=high,
        low=low,
        close=close,
        volume=volume,
        ath_before=ath,
        week=week.astype(np.int64),
        first_week=week[first].astype(np.int64) if len(day) else np.zeros(0, np.int64),
        week_high=week_high,
        week_high_at=week_high_at.astype(np.int64),
        hmax=RangeExtreme(high, "max", first=True, max_len=longest),
        lmin=RangeExtreme(low, "min", first=False, max_len=longest),
        csum=prefix_sum(close),
        vsum=prefix_sum(volume),
        undersum=prefix_sum(cat(7)),
        bounds=bounds,
    )
