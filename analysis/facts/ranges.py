"""Range queries over a price array: the max (min) of ``values[a..b]`` and where it is, for many
ranges at once (a sparse table: O(n log n) to build, O(1) per query, all vectorised).

The base detector asks thousands of "highest high between the left-side peak and today" questions
per symbol; a sparse table answers them as a handful of array operations instead of a loop.
Ties: ``first=True`` returns the earliest position of the extreme, ``first=False`` the latest.

Also `trailing_mean`, the one moving average of the facts and the chart, and `median`
(``np.median`` of a 1-D array, the same value, without its per-call overhead) for the facts that
take a median per symbol.
"""

from __future__ import annotations

import numpy as np

_LOG2 = np.zeros(2, dtype=np.int64)


def floor_log2(n: int) -> np.ndarray:
    """``floor(log2(i))`` for i in 0..n (0 for 0 and 1), read-only; one table grown as needed and
    shared by every `RangeExtreme`."""
    global _LOG2
    table = _LOG2
    if len(table) < n + 1:
        table = np.zeros(max(n + 1, 2 * len(table)), dtype=np.int64)
        table[2:] = np.floor(np.log2(np.arange(2, len(table)))).astype(np.int64)
        table.flags.writeable = False
        _LOG2 = table
    return table[: n + 1]


class RangeExtreme:
    """Range max (``kind="max"``) or min (``kind="min"``) over a fixed 1-D float array.

    ``max_len`` bounds the length of the ranges that will be asked (a smaller table); a longer
    range is then answered wrongly, so leave it None unless the bound is certain."""

    def __init__(self, values: np.ndarray, kind: str = "max", first: bool = True,
                 max_len: int | None = None) -> None:
        if kind not in ("max", "min"):
            raise ValueError(f"kind must be 'max' or 'min', not {kind!r}")
        self.kind = kind
        self.first = first
        vals = np.asarray(values, dtype="float64")
        # Work on a max table: a min is the max of the negated values.
        self._sign = 1.0 if kind == "max" else -1.0
        v = vals * self._sign
        n = len(v)
        self.n = n
        longest = n if max_len is None else min(n, max_len)
        top = int(longest).bit_length() - 1 if longest > 0 else 0  # floor(log2(longest))
        # Level k holds the answer for the span of 2**k starting at each of its first
        # n - 2**k + 1 positions; the queries never read past them (so no zero fill).
        table = np.empty((top + 1, max(n, 1)), dtype=np.int64)
        table[0, :n] = np.arange(n, dtype=np.int64)
        best = v  # the extreme of each level's span, carried along: no gathers to compare
        for k in range(1, top + 1):
            span = 1 << (k - 1)
            m = n - 2 * span + 1
            left_v, right_v = best[:m], best[span : span + m]
            take_right = (right_v > left_v) if first else (right_v >= left_v)
            table[k, :m] = np.where(take_right, table[k - 1, span : span + m], table[k - 1, :m])
            best = np.where(take_right, right_v, left_v)
        self._table = table
        self._top = top
        self._v = v
        self._log = floor_log2(n)  # floor(log2(length)) for every possible length 1..n

    def argext(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Position of the extreme in ``values[a..b]`` (inclusive) for each pair; -1 where a > b.

        ``a`` and ``b`` must lie within 0..n-1 where a <= b (they are clipped otherwise).
        """
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        empty = a > b
        if self.n == 0:
            return np.full(np.broadcast(a, b).shape, -1, dtype=np.int64)
        top = self.n - 1
        a_ = np.minimum(np.maximum(a, 0), top)  # np.clip is several times slower on small arrays
        b_ = np.minimum(np.maximum(np.maximum(a, b), 0), top)
        k = np.minimum(self._log[b_ - a_ + 1], self._top)
        left = self._table[k, a_]
        right = self._table[k, b_ - (np.int64(1) << k) + 1]
        vl, vr = self._v[left], self._v[right]
        take_right = (vr > vl) if self.first else (vr >= vl)
        return np.where(empty, -1, np.where(take_right, right, left))

    def value(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The extreme of ``values[a..b]``; -inf for a max (+inf for a min) where a > b."""
        idx = self.argext(a, b)
        out = self._v[np.maximum(idx, 0)] * self._sign
        return np.where(idx < 0, -np.inf * self._sign, out)

    def query(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(value, position) of the extreme of ``values[a..b]``; (-inf/+inf, -1) where a > b."""
        idx = self.argext(a, b)
        out = self._v[np.maximum(idx, 0)] * self._sign
        return np.where(idx < 0, -np.inf * self._sign, out), idx


def trailing_mean(values: np.ndarray, window: int, min_count: int | None = None) -> np.ndarray:
    """Per position i: the mean of the last ``window`` values up to and including i; at the start,
    of the fewer there are, down to ``min_count`` (default ``window``), NaN below that.

    Each full window is summed on its own (``np.add.reduce`` over a sliding view, so a mean does
    not depend on what came before it, bit for bit the same as ``sliding_window_view(...).mean``);
    the shorter ones at the start from a running sum."""
    values = np.ascontiguousarray(values, dtype="float64")
    n = values.size
    need = window if min_count is None else max(int(min_count), 1)
    out = np.full(n, np.nan)
    if n >= window:
        step = values.strides[0]
        view = np.ndarray((n - window + 1, window), dtype="float64", buffer=values,
                          strides=(step, step))
        out[window - 1 :] = np.add.reduce(view, axis=1) / window
    head = min(window - 1, n)
    if head > 0 and need < window:
        counts = np.arange(1, head + 1)
        out[:head] = np.where(counts >= need, np.cumsum(values[:head]) / counts, np.nan)
    return out


def prefix_sum(values: np.ndarray) -> np.ndarray:
    """``out[i]`` = sum of ``values[:i]`` (length n + 1): sum(values[a..b]) = out[b+1] - out[a]."""
    out = np.zeros(len(values) + 1, dtype="float64")
    np.cumsum(values, out=out[1:])
    return out


def range_sum(prefix: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sum of the original values over ``[a..b]`` (0 where a > b) from a `prefix_sum` array."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ok = a <= b
    hi = np.where(ok, b + 1, 0)
    lo = np.where(ok, a, 0)
    return prefix[hi] - prefix[lo]


def median(values: np.ndarray, overwrite: bool = False) -> float:
    """``np.median`` of a non-empty 1-D float array, as a float: the middle element, or the mean
    of the two middle elements (the same arithmetic); NaN when any value is NaN. ``overwrite``:
    the caller's array may be reordered (no copy)."""
    m = values.size
    if m == 1:
        return float(values[0])
    half = m // 2
    # One order statistic: selecting two at once (half - 1, half) is several times slower on
    # arrays not partitioned just before (every symbol's are new); the one below the middle is
    # the largest of the lower half.
    if overwrite:
        values.partition(half)
        part = values
    else:
        part = np.partition(values, half)
    if np.isnan(part[half:].max()):  # a NaN sorts last, so one would be in the upper half
        return float("nan")
    return float(part[half] if m % 2 else (part[:half].max() + part[half]) / 2.0)
