"""Resistance and support zones: clusters of pivot highs (lows) within a volatility-scaled band.

How a zone is found (no fixed number of clusters):

1. Take the confirmed swing pivots (`analysis.facts.pivots`) of the last ``lookback_years``.
2. Express the tolerance as a fraction of price: ``tolerance_atr`` x the median ATR/close over the
   same lookback (about one typical day's range), so one setting serves a $60 ETF and a coin.
3. Sorted-gap clustering in log price: sort the pivot prices and cut wherever two neighbours are
   more than the tolerance apart. A cluster wider than ``max_width_atr`` x ATR/close is cut again
   at its widest gap, until none is (so a staircase of pivots cannot chain into one huge band).
4. Clusters with at least ``min_touches`` pivots are zones: pivot highs make resistance zones,
   pivot lows support zones. The band is the lowest to the highest pivot price in the cluster.

``position`` says where the last close is relative to the band; ``distance_pct`` is signed: from
the last close to the nearest edge of the band, positive when the band is above the price, negative
when below, 0 inside. Zones are ordered nearest first.

No look-ahead: only pivots confirmed by the last bar are used (pivots never change once confirmed)
and the ATR and lookback are measured as of the last bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_dates
from analysis.facts.pivots import (
    Pivot,
    average_true_range,
    frame_arrays,
    pivot_table,
)
from analysis.facts.ranges import median
from analysis.facts.watched import nearest_overhead as nearest_overhead  # the one rule

if TYPE_CHECKING:
    import pandas as pd

DAYS_PER_YEAR = 365.25
PIVOT_K = 5


@dataclass(frozen=True)
class Zone:
    """A price band touched repeatedly. ``position`` is where the last close is: "below", "inside"
    or "above"; ``distance_pct`` is from the last close to the nearest edge (0 inside)."""

    kind: str  # "resistance" | "support"
    low: float
    high: float
    touches: int
    first_touch: date
    last_touch: date
    position: str
    distance_pct: float


def cluster_starts(logp: np.ndarray, gap: float, max_width: float) -> np.ndarray:
    """Start positions of the clusters of sorted log prices ``logp``: neighbours more than ``gap``
    apart start a new cluster; a cluster wider than ``max_width`` is split at its widest internal
    gap until every cluster fits."""
    return clusters(logp, gap, max_width)[0]


def clusters(logp: np.ndarray, gap: float, max_width: float
             ) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """`cluster_starts`, and the bounds within which another (gap', max_width') gives the same
    clusters: (largest step not cut, smallest step cut, widest cluster kept, narrowest cluster
    split). Every comparison the clustering makes comes out the same when ``largest kept step <=
    gap' < smallest cut step`` and ``widest kept <= max_width' < narrowest split``."""
    n = len(logp)
    if n == 0:
        return np.zeros(0, dtype=np.int64), (-np.inf, np.inf, -np.inf, np.inf)
    steps = logp[1:] - logp[:-1]
    cut = steps > gap
    cuts = np.flatnonzero(cut) + 1
    kept_step = float(steps[~cut].max()) if len(cuts) < n - 1 else -np.inf
    cut_step = float(steps[cut].min()) if len(cuts) else np.inf
    bounds = np.empty(len(cuts) + 2, dtype=np.int64)
    bounds[0], bounds[-1] = 0, n
    bounds[1:-1] = cuts
    widths = logp[bounds[1:] - 1] - logp[bounds[:-1]]
    wide = widths > max_width
    if not wide.any():
        return bounds[:-1], (kept_step, cut_step, float(widths.max()), np.inf)
    starts = set(bounds[:-1].tolist())
    split = float(widths[wide].min())
    kept = float(widths[~wide].max()) if not wide.all() else -np.inf
    pending = [(int(bounds[i]), int(bounds[i + 1])) for i in np.flatnonzero(wide)]
    while pending:  # split a too-wide cluster at its widest gap, until every cluster fits
        a, b = pending.pop()
        width = float(logp[b - 1] - logp[a])
        if b - a > 1 and width > max_width:
            split = min(split, width)
            at = a + 1 + int(np.argmax(steps[a : b - 1]))
            starts.add(at)
            pending += [(a, at), (at, b)]
        else:
            kept = max(kept, width)
    return np.array(sorted(starts), dtype=np.int64), (kept_step, cut_step, kept, split)


def atr_ratio(bars: pd.DataFrame, atr_window: int = 14) -> np.ndarray:
    """ATR / close per bar of (usable) ``bars``; bar i uses bars up to i only."""
    a = frame_arrays(bars)
    return average_true_range(a.high, a.low, a.close, atr_window) / a.close


def pivot_arrays(pivots: tuple[Pivot, ...]) -> tuple[np.ndarray, ...]:
    """(is_high, price, day, confirmed_day) arrays of ``pivots`` (days since 1970-01-01)."""
    def days(ds):
        return np.array(ds, dtype="datetime64[D]").astype(np.int64)

    return (
        np.array([p.kind == "high" for p in pivots], dtype=bool),
        np.array([p.price for p in pivots], dtype="float64"),
        days([p.date for p in pivots]),
        days([p.confirmed for p in pivots]),
    )


def rolling_tolerance(ratio: np.ndarray, day: np.ndarray, lookback_years: float = 3.0
                      ) -> np.ndarray:
    """Per bar, the zone tolerance `zones_as_of` computes as of it: the median ATR/close ratio of
    the bars of the last ``lookback_years`` (NaN when one of them is NaN), for all bars at once."""
    import pandas as pd

    span = int(round(lookback_years * DAYS_PER_YEAR))
    when = pd.to_datetime(day, unit="D")
    r = pd.Series(ratio, index=when)
    window = r.rolling(f"{span + 1}D", closed="right")
    med = window.median().to_numpy()
    nans = r.isna().astype(float).rolling(f"{span + 1}D", closed="right").sum().to_numpy()
    return np.where(nans > 0, np.nan, med)


def zones_as_of(
    piv: tuple[np.ndarray, ...],
    ratio: np.ndarray,
    day: np.ndarray,
    last: float,
    *,
    lookback_years: float = 3.0,
    tolerance_atr: float = 1.0,
    min_touches: int = 2,
    max_width_atr: float = 4.0,
    kinds: tuple[str, ...] = ("resistance", "support"),
    at_least: int = 0,
    tol: float | None = None,
) -> tuple[Zone, ...]:
    """Zones from pivot arrays (`pivot_arrays`) and the ATR/close ratio of the bars up to the
    as-of bar (``ratio``, ``day`` end at it; ``last`` is its close). ``kinds`` and ``at_least``
    (touches) keep only some of them (the same zones, in the same order, as filtering after).
    ``tol``: the as-of bar's `rolling_tolerance` when the caller has it (the same value)."""
    if len(day) == 0:
        return ()
    is_high, price, pday, pconf = piv
    last_day = int(day[-1])
    since_day = last_day - int(round(lookback_years * DAYS_PER_YEAR))
    keep = (pday >= since_day) & (pconf <= last_day)
    if np.count_nonzero(keep) < min_touches:
        return ()
    if tol is None:
        recent = ratio[int(np.searchsorted(day, since_day)) :]
        tol = median(recent) if len(recent) else 0.0
    if not tol > 0:
        return ()
    parts = []  # per side: kind, low, high, touches, first day, last day of each zone
    for want_high, name in ((True, "resistance"), (False, "support")):
        if name not in kinds:
            continue
        sel = keep & (is_high == want_high) & (price > 0)  # a price <= 0 is no level
        if np.count_nonzero(sel) < min_touches:
            continue
        prices, days = price[sel], pday[sel]
        order = np.argsort(prices, kind="stable")
        prices, days = prices[order], days[order]
        starts = cluster_starts(np.log(prices), tolerance_atr * tol, max_width_atr * tol)
        ends = np.empty_like(starts)
        ends[:-1], ends[-1] = starts[1:], len(prices)
        big = (ends - starts) >= max(min_touches, at_least)
        if not big.any():
            continue
        parts.append((
            name,
            prices[starts[big]],
            prices[ends[big] - 1],
            (ends - starts)[big],
            np.minimum.reduceat(days, starts)[big],
            np.maximum.reduceat(days, starts)[big],
        ))
    if not parts:
        return ()
    kind = [p[0] for p in parts for _ in range(len(p[1]))]
    lo, hi, touches, first, latest = (np.concatenate([p[i] for p in parts]) for i in range(1, 6))
    # where the last close is (see `Zone`): below / above the band, or inside it
    lo_l, hi_l = lo.tolist(), hi.tolist()
    places = [place(a, b, last) for a, b in zip(lo_l, hi_l, strict=True)]
    # nearest first; then resistance before support, then the lower band (a stable sort)
    order = sorted(range(len(lo_l)), key=lambda j: (abs(places[j][1]), kind[j] == "support",
                                                     lo_l[j]))
    first_d, last_d, touch = to_dates(first), to_dates(latest), touches.tolist()
    return tuple(
        Zone(kind[j], lo_l[j], hi_l[j], touch[j], first_d[j], last_d[j], *places[j])
        for j in order
    )


def place(low: float, high: float, last: float) -> tuple[str, float]:
    """Where the close ``last`` is against the band ``low``..``high``: "below", "inside" or
    "above", and the signed distance in % to the nearest edge (positive when the band is above the
    price, 0 inside)."""
    if last < low:
        return "below", (low / last - 1.0) * 100.0
    if last > high:
        return "above", (high / last - 1.0) * 100.0
    return "inside", 0.0


def find_zones(
    bars: pd.DataFrame,
    pivots: tuple[Pivot, ...] | None = None,
    lookback_years: float = 3.0,
    tolerance_atr: float = 1.0,
    min_touches: int = 2,
    max_width_atr: float = 4.0,
    atr_window: int = 14,
) -> tuple[Zone, ...]:
    """Resistance and support zones of ``bars`` as of its last bar (see the module docstring).

    ``pivots`` may be passed to avoid recomputing them (e.g. ``find_pivots(bars)``); pivots not yet
    confirmed by the last bar are ignored either way.
    """
    a = frame_arrays(bars)
    if len(a.close) == 0:
        return ()
    last = float(a.close[-1])
    opts = dict(lookback_years=lookback_years, tolerance_atr=tolerance_atr,
                min_touches=min_touches, max_width_atr=max_width_atr)
    if pivots is not None:
        ratio = average_true_range(a.high, a.low, a.close, atr_window) / a.close
        return zones_as_of(pivot_arrays(pivots), ratio, a.day, last, **opts)
    # Only the lookback matters: start there, early enough for the pivots' windows and the ATR.
    since_day = int(a.day[-1]) - int(round(lookback_years * DAYS_PER_YEAR))
    first = max(int(np.searchsorted(a.day, since_day)) - (PIVOT_K + atr_window + 2), 0)
    *piv, ratio = pivot_table(a, k=PIVOT_K, atr_window=atr_window, start=first)
    return zones_as_of(tuple(piv), ratio, a.day[first:], last, **opts)
