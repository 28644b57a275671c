"""Which resistance zone a breakout watches: the one rule, and the same answer session by session
for history mode without finding every zone again each day.

The rule (`choose`): of the resistance zones with enough touches, the one whose top a close
cleared most recently within ``recent`` sessions, counting only the first close above the top
since the zone's last touch (of two cleared on the same session, the nearer, then the lower, as
`zones_as_of` orders them); else the nearest zone overhead (`nearest_overhead`).

`ZoneTrack` answers that rule for every session of a symbol's bars: the same zone `zones_as_of`
and `choose` give on the bars cut at that session. A session's zones depend only on the pivot
highs inside the lookback and on where its tolerance falls among the gaps and widths of their
clusters (`analysis.facts.zones.clusters`), so the clusters are made again only when one of those
changes; the first close above each zone's top after its last touch is found once per zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.days import to_dates
from analysis.facts.watched import nearest_overhead
from analysis.facts.zones import DAYS_PER_YEAR, Zone, clusters, place


def first_close_above(close: np.ndarray, after: np.ndarray, top: np.ndarray) -> list[int]:
    """Per zone: the first session index t >= ``after`` whose close is above ``top`` (len(close)
    when none). It reads later closes, but `cleared_at` only asks whether it is <= the as-of
    session, which the closes up to that session decide."""
    n = len(close)
    out = []
    for a, t in zip(np.asarray(after).tolist(), np.asarray(top).tolist(), strict=True):
        hit = np.flatnonzero(close[a:] > t)
        out.append(a + int(hit[0]) if len(hit) else n)
    return out


def cleared_at(first_above: int, n: int, recent: int) -> int:
    """The session index at which a zone's top was cleared within the last ``recent`` sessions
    of ``n`` (its first close above since the last touch), -1 when it was not."""
    return first_above if n - 1 - recent <= first_above <= n - 1 else -1


@dataclass(frozen=True)
class Band:
    """A resistance zone's band, for `nearest_overhead`."""

    low: float
    high: float
    kind: str = "resistance"


def choose(bands: Sequence[Band | Zone], first_above: Sequence[int], n: int, recent: int,
           price: float) -> int | None:
    """The index in ``bands`` (strong resistance zones; ``first_above`` per band) of the watched
    zone after ``n`` sessions, the last closing at ``price``; None when none (module docstring)."""
    cleared = [cleared_at(int(f), n, recent) for f in first_above]
    latest = max(cleared, default=-1)
    if latest >= 0:
        tied = [k for k, c in enumerate(cleared) if c == latest]
        return min(tied, key=lambda k: (abs(place(bands[k].low, bands[k].high, price)[1]),
                                        bands[k].low))
    over = nearest_overhead(bands, price)
    return None if over is None else next(k for k, b in enumerate(bands) if b is over)


class ZoneTrack:
    """The watched resistance zone of every session of one symbol's usable bars (module
    docstring). ``piv``: `pivot_arrays`; ``tolerance``: `rolling_tolerance`; the other settings
    as `zones_as_of` (``at_least``: the fewest touches of a watched zone)."""

    def __init__(self, piv: tuple[np.ndarray, ...], day: np.ndarray, close: np.ndarray,
                 tolerance: np.ndarray, *, at_least: int, lookback_years: float = 3.0,
                 tolerance_atr: float = 1.0, min_touches: int = 2,
                 max_width_atr: float = 4.0) -> None:
        is_high, price, pday, pconf = piv
        sel = is_high & (price > 0)  # a price <= 0 is no level
        self._price, self._pday, self._pconf = price[sel], pday[sel], pconf[sel]
        since = day - int(round(lookback_years * DAYS_PER_YEAR))
        # The pivot highs inside a session's lookback are named by how many began before its
        # start and how many were confirmed by it.
        left = np.searchsorted(np.sort(self._pday), since, "left")
        entered = np.searchsorted(np.sort(self._pconf), day, "right")
        self._set_of = list(zip(left.tolist(), entered.tolist(), strict=True))
        self._since, self._day, self._close = since.tolist(), day, close
        self._tol = tolerance.tolist()
        self._ta, self._mw = tolerance_atr, max_width_atr
        self._min_touches, self._need = min_touches, max(min_touches, at_least)
        self._set: tuple[int, int] | None = None
        self._sorted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._valid = (np.inf, -np.inf, np.inf, -np.inf)  # holds for no tolerance
        self._bands: tuple[list[Band], list[int], list[int], list, list] | None = None

    def at(self, i: int, recent: int) -> Zone | None:
        """The watched zone as of session index ``i``, None when there is none."""
        tol = self._tol[i]
        if not tol > 0:
            return None
        if self._set_of[i] != self._set:
            self._set = self._set_of[i]
            self._sorted = self._pivots(i)
            self._valid = (np.inf, -np.inf, np.inf, -np.inf)
        if self._sorted is None:
            return None
        gap, width = self._ta * tol, self._mw * tol
        kept_step, cut_step, kept, split = self._valid
        if not (kept_step <= gap < cut_step and kept <= width < split):
            self._cluster(gap, width)
        return self._watched(i, recent)

    def _pivots(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The pivot highs of session i's lookback: (prices, log prices, days) by price."""
        keep = (self._pday >= self._since[i]) & (self._pconf <= self._day[i])
        if np.count_nonzero(keep) < self._min_touches:
            return None
        prices, days = self._price[keep], self._pday[keep]
        order = np.argsort(prices, kind="stable")
        return prices[order], np.log(prices[order]), days[order]

    def _cluster(self, gap: float, width: float) -> None:
        prices, logp, days = self._sorted  # type: ignore[misc]
        starts, self._valid = clusters(logp, gap, width)
        ends = np.empty_like(starts)
        ends[:-1], ends[-1] = starts[1:], len(prices)
        big = (ends - starts) >= self._need
        lo, hi = prices[starts[big]], prices[ends[big] - 1]
        last = np.maximum.reduceat(days, starts)[big]
        after = np.searchsorted(self._day, last, "right")
        self._bands = (
            [Band(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)],
            first_close_above(self._close, after, hi),
            (ends - starts)[big].tolist(),
            to_dates(np.minimum.reduceat(days, starts)[big]),
            to_dates(last),
        )

    def _watched(self, i: int, recent: int) -> Zone | None:
        if self._bands is None:
            return None
        bands, first_above, touches, first, last = self._bands
        price = float(self._close[i])
        k = choose(bands, first_above, i + 1, recent, price)
        if k is None:
            return None
        b = bands[k]
        return Zone("resistance", b.low, b.high, touches[k], first[k], last[k],
                    *place(b.low, b.high, price))
