"""A bounded memo of per-symbol facts, so a refresh only re-analyses symbols whose bars changed.

The key fingerprints everything the facts depend on: the bars (length, first and last timestamp,
the last bar, and sums of close and volume, which catch revised history), the benchmark's bars,
the share of the session elapsed and the config. Replay and live both use it; it holds at most
``maxsize`` entries (least recently used dropped), so an app open all day does not grow.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


def fingerprint(df: pd.DataFrame | None) -> Hashable:
    """A cheap, collision-resistant summary of a bar frame."""
    if df is None or df.empty:
        return None
    values = df.to_numpy()
    stamps = df.index.asi8  # no Timestamp boxing: this runs for every symbol on every refresh
    return (
        len(df),
        int(stamps[0]),
        int(stamps[-1]),
        tuple(values[-1].tolist()),
        float(values[:, 3].sum()),
        float(values[:, 4].sum()),
    )


class FactsCache:
    """Least-recently-used memo: ``get(key, compute)`` returns the cached value or computes it."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def lookup(self, key: Hashable) -> tuple[bool, object]:
        """``(True, value)`` when ``key`` is memoised (counted as a hit), else ``(False, None)``."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return True, self._items[key]
        return False, None

    def put(self, key: Hashable, value: object) -> None:
        """Remember ``value`` (counted as a miss: it had to be computed)."""
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The memoised value for ``key``, else ``compute()`` remembered."""
        found, value = self.lookup(key)
        if found:
            return value  # type: ignore[return-value]
        value = compute()
        self.put(key, value)
        return value
