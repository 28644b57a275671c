"""Swing pivots confirmed causally: a pivot at bar i is known only once k bars after it exist.

A swing high at bar i is a high strictly above the k highs before it and at least as high as the k
highs after it (so of two equal highs the first is the pivot), that stands out from the lows on
*both* sides by at least ``prominence_atr`` x the average true range as of bar i. Swing lows mirror
it. Scaling by ATR instead of a fixed % lets one rule serve a $60 ETF and a $100,000 coin.

No look-ahead: a pivot at bar i uses bars i-k..i+k only and is reported with ``confirmed`` = the
date of bar i+k; the last k bars are never pivots. Appending bars never changes or removes a pivot
already confirmed. Everything is array operations (sliding windows), no loop over bars.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_dates
from analysis.facts.clean import day_numbers
from analysis.facts.ranges import trailing_mean

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Pivot:
    """A confirmed swing high or low. ``confirmed`` is the session it became known (i + k)."""

    kind: str  # "high" | "low"
    date: date
    price: float
    confirmed: date
    position: int


_DAYS: dict[int, tuple[weakref.ref, np.ndarray]] = {}

# frame_arrays memo: id(frame) -> (weakref to the frame, its index, its columns, its shape, Arrays).
# Bounded (the facts of one symbol, and the benchmark every symbol asks for, are what repeats);
# a dead or reshaped frame's entry is never returned (the weakref and the guards are checked).
_ARRAYS: OrderedDict[int, tuple[weakref.ref, object, object, tuple[int, int], Arrays]] = (
    OrderedDict()
)
_ARRAYS_KEEP = 64
_ARRAYS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Arrays:
    """The usable rows of a bar frame as float arrays (see `analysis.facts.clean`): rows with a
    finite positive close; a missing high (low) is the close, and never below (above) it; a
    missing, non-finite or non-positive adjusted close is the close; a missing volume is 0.
    The arrays are read-only (they are shared between the facts of one frame)."""

    index: pd.DatetimeIndex
    day: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    adj: np.ndarray | None = None


def frame_arrays(bars: pd.DataFrame) -> Arrays:
    """`Arrays` of ``bars`` from one conversion of the frame, remembered while the frame lives.

    Every fact of a symbol starts here, so the frame is converted once however many facts ask.
    A frame is a value: the memo notices a new index, new columns or a new shape, not an element
    edited in place after its facts were asked for (the data flow never does that: a new quote
    makes a new frame)."""
    key = id(bars)
    index, columns, shape = bars.index, bars.columns, bars.shape
    with _ARRAYS_LOCK:
        hit = _ARRAYS.get(key)
        if hit is not None:
            if (hit[0]() is bars and hit[1] is index and hit[2] is columns
                    and hit[3] == shape):
                _ARRAYS.move_to_end(key)
                return hit[4]
            del _ARRAYS[key]
    arrays = _convert(bars)
    try:
        ref = weakref.ref(bars)
    except TypeError:
        return arrays
    with _ARRAYS_LOCK:
        _ARRAYS[key] = (ref, index, columns, shape, arrays)
        while len(_ARRAYS) > _ARRAYS_KEEP:
            _ARRAYS.popitem(last=False)
    return arrays


_NAMES = ("close", "high", "low", "volume", "adj_close")


def _float_rows(bars: pd.DataFrame, cols: list[str], names: list[str]) -> np.ndarray:
    """``bars[names]`` as one float64 (len(names), rows) array (a row per column)."""
    try:  # one conversion of the whole frame, then pick the columns
        arr = bars.to_numpy(dtype="float64", na_value=np.nan)
        return arr.T[[cols.index(c) for c in names]]
    except (TypeError, ValueError):  # a non-numeric extra column: convert column by column
        return np.array([bars[c].to_numpy(dtype="float64", na_value=np.nan) for c in names],
                        dtype="float64").reshape(len(names), len(bars))


def _convert(bars: pd.DataFrame) -> Arrays:
    cols = bars.columns.tolist()
    if "close" not in cols:
        raise KeyError("close")
    names = [c for c in _NAMES if c in cols]
    rows = _float_rows(bars, cols, names)
    close = rows[0]
    ok = np.isfinite(close) & (close > 0)
    index = bars.index
    if not ok.all():
        rows, index = rows[:, ok], index[ok]
        close = rows[0]
    clean = bool(np.isfinite(rows).all())

    def col(name: str, fill: np.ndarray) -> np.ndarray:
        if name not in names:
            return fill
        v = rows[names.index(name)]
        return v if clean else np.where(np.isfinite(v), v, fill)

    adj = close
    if "adj_close" in names:
        raw = rows[names.index("adj_close")]
        good = raw > 0 if clean else np.isfinite(raw) & (raw > 0)
        adj = raw if good.all() else np.where(good, raw, close)
    arrays = Arrays(
        index=index,
        day=session_days(index),
        high=np.fmax(col("high", close), close),
        low=np.fmin(col("low", close), close),
        close=close,
        volume=col("volume", np.zeros(len(close))),
        adj=adj,
    )
    for v in (arrays.high, arrays.low, arrays.close, arrays.volume, arrays.adj):
        v.flags.writeable = False
    return arrays


def session_days(index: pd.DatetimeIndex) -> np.ndarray:
    """`analysis.facts.clean.day_numbers` of ``index``, remembered while the index lives (the
    facts of one frame ask for it several times; an index is immutable). Read-only result."""
    key = id(index)
    hit = _DAYS.get(key)
    if hit is not None and hit[0]() is index:
        return hit[1]
    days = _days_of_stamps(index)
    try:
        ref = weakref.ref(index, lambda _, k=key: _DAYS.pop(k, None))
    except TypeError:
        return days
    _DAYS[key] = (ref, days)
    return days


# The stamps of the longest index converted so far per dtype (time zone and unit) and their days:
# the members of a universe share their sessions, so most indexes are a run of those stamps and
# take their days from there (the same numbers: the conversion is element by element).
_SPANS: dict[object, tuple[np.ndarray, np.ndarray]] = {}


def _days_of_stamps(index: pd.DatetimeIndex) -> np.ndarray:
    """`day_numbers` of ``index``, read-only; from `_SPANS` when its stamps are a run of the
    stamps kept there."""
    stamps = index.asi8
    n = len(stamps)
    known = _SPANS.get(index.dtype)
    if known is not None and n:
        at = int(np.searchsorted(known[0], stamps[0]))
        if at + n <= len(known[0]) and np.array_equal(known[0][at : at + n], stamps):
            return known[1][at : at + n]
    days = day_numbers(index)
    days.flags.writeable = False
    if n and (known is None or n >= len(known[0])):
        _SPANS[index.dtype] = (stamps.copy(), days)
    return days


def average_true_range(
    high: np.ndarray, low: np.ndarray, close: np.ndarray, window: int = 14
) -> np.ndarray:
    """Simple moving average of the true range over ``window`` bars (fewer at the start).

    Bar i uses bars up to i only. The first bar's true range is its high - low.
    """
    n = len(close)
    if n == 0:
        return np.zeros(0)
    prev = np.empty(n)
    prev[0] = close[0]
    prev[1:] = close[:-1]
    tr = np.maximum(high, prev) - np.minimum(low, prev)
    return trailing_mean(tr, window, min_count=1)


def pivot_masks(
    high: np.ndarray,
    low: np.ndarray,
    atr: np.ndarray,
    k: int = 5,
    prominence_atr: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean arrays (swing high, swing low) per bar, under the rule in the module docstring."""
    n = len(high)
    is_high = np.zeros(n, dtype=bool)
    is_low = np.zeros(n, dtype=bool)
    if k < 1 or n < 2 * k + 1:
        return is_high, is_low
    ch, cl = high[k : n - k], low[k : n - k]
    need = prominence_atr * atr[k : n - k]
    m = n - 2 * k
    # Extremes of every run of k bars (k shifted array ops, no window copies); the k bars before
    # centre c are the run starting at c - k, the k bars after it the run starting at c + 1.
    runs = n - k + 1
    run_hi, run_lo = high[:runs].copy(), low[:runs].copy()
    for j in range(1, k):
        np.maximum(run_hi, high[j : j + runs], out=run_hi)
        np.minimum(run_lo, low[j : j + runs], out=run_lo)
    left_hi, right_hi = run_hi[:m], run_hi[k + 1 :]
    left_lo, right_lo = run_lo[:m], run_lo[k + 1 :]
    drop = np.minimum(ch - left_lo, ch - right_lo)
    rise = np.minimum(left_hi - cl, right_hi - cl)
    is_high[k : n - k] = (ch > left_hi) & (ch >= right_hi) & (drop >= need)
    is_low[k : n - k] = (cl < left_lo) & (cl <= right_lo) & (rise >= need)
    return is_high, is_low


def pivot_table(
    a: Arrays, k: int = 5, prominence_atr: float = 1.0, atr_window: int = 14, start: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pivots of ``a`` (rows from ``start`` on) as arrays, without building `Pivot` objects:
    (is_high, price, day, confirmed_day, atr/close per row from ``start``). Days are since
    1970-01-01. Pivots at rows before ``start + k`` (and the ATR of the first ``atr_window`` rows)
    may differ from those of the whole frame: start early enough."""
    high, low, close, days = a.high[start:], a.low[start:], a.close[start:], a.day[start:]
    atr = average_true_range(high, low, close, atr_window)
    is_high, is_low = pivot_masks(high, low, atr, k, prominence_atr)
    hi_pos, lo_pos = np.flatnonzero(is_high), np.flatnonzero(is_low)
    pos = np.concatenate((hi_pos, lo_pos))
    kind = np.concatenate((np.ones(len(hi_pos), bool), np.zeros(len(lo_pos), bool)))
    price = np.concatenate((high[hi_pos], low[lo_pos]))
    return kind, price, days[pos], days[pos + k], atr / close


def find_pivots(
    bars: pd.DataFrame, k: int = 5, prominence_atr: float = 1.0, atr_window: int = 14
) -> tuple[Pivot, ...]:
    """Confirmed swing highs and lows of ``bars``, in date order (see the module docstring)."""
    a = frame_arrays(bars)
    if len(a.close) < 2 * k + 1:
        return ()
    high, low, close = a.high, a.low, a.close
    atr = average_true_range(high, low, close, atr_window)
    is_high, is_low = pivot_masks(high, low, atr, k, prominence_atr)
    hi_pos, lo_pos = np.flatnonzero(is_high), np.flatnonzero(is_low)
    pos = np.concatenate((hi_pos, lo_pos))
    if len(pos) == 0:
        return ()
    is_hi = np.concatenate((np.ones(len(hi_pos), bool), np.zeros(len(lo_pos), bool)))
    order = np.lexsort((~is_hi, pos))  # by position; an outside bar's high before its low
    pos, is_hi = pos[order], is_hi[order]
    price = np.where(is_hi, high[pos], low[pos])
    days = a.day
    when = to_dates(days[pos])
    known = to_dates(days[pos + k])
    return tuple(
        Pivot(
            kind="high" if is_hi[j] else "low",
            date=when[j],
            price=float(price[j]),
            confirmed=known[j],
            position=int(pos[j]),
        )
        for j in range(len(pos))
    )
