"""Relative strength of a symbol against a benchmark: ratio line, changes, new highs, Mansfield RS,
the trend and the rotation quadrant (read off the 1- and 3-month changes), and RS-ratio and
RS-momentum (rolling z-scores).

The ratio line is close / benchmark close on the sessions both traded, matched by calendar date
(each frame's own time zone), so crypto's UTC day bars line up with US sessions (weekends drop out).

What the dashboard shows is read off the changes it prints beside it:

- ``trend`` (the arrow) is the direction of the 1-month change (``change_1m``, the ratio's %
  change over 21 sessions): "up" above +``TREND_BAND_PCT``, "down" below -``TREND_BAND_PCT``,
  "flat" within (``↑+2.2%``, ``→-0.6%``, ``↓-3.1%``: never an arrow against the number beside it).
  Both read the changes as shown, to 0.1% (a -0.04% change is the "0.0%" on screen).
- ``quadrant`` (rotation) is the signs of the 3-month change (is it outperforming over the
  quarter?) and the 1-month change (is it gaining now?): both >= 0 leading; 3m >= 0 and 1m < 0
  weakening; both < 0 lagging; 3m < 0 and 1m >= 0 improving. KRE as of 2025-12-09: 3m -4.7%,
  1m +4.4%: improving.

``rs_ratio`` and ``rs_momentum`` are the smoothed JdK-RRG-like coordinates for a rotation chart
(every window rolling, nothing anchored to the first bar, so a value depends only on the last
``ROTATION_BARS`` ratio values up to its own session); they are not what the quadrant is read from:

- ``rs_ratio`` = 100 + z-score of the smoothed ratio (its ``SMOOTH``-session mean) against the
  last ``Z_WINDOW`` smoothed values (mean and standard deviation over that rolling window);
- ``rs_momentum`` = 100 + z-score of the ``LAG``-session rate of change of ``rs_ratio`` (in %)
  against its last ``Z_WINDOW`` values. A flat window (zero spread) scores 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.pivots import frame_arrays
from analysis.facts.ranges import trailing_mean

if TYPE_CHECKING:
    import pandas as pd

QUADRANTS = ("leading", "weakening", "lagging", "improving")

SMOOTH = 10  # sessions in the mean that smooths the ratio before scoring it
Z_WINDOW = 63  # rolling window (sessions) of both z-scores: about three months
LAG = 10  # rate-of-change lag (sessions) of rs_ratio that gives rs_momentum
RATIO_BARS = SMOOTH + Z_WINDOW - 1  # ratio values needed for one rs_ratio
ROTATION_BARS = RATIO_BARS + LAG + Z_WINDOW - 1  # ... and for one rs_momentum
CHANGES = (21, 63, 126)  # 1, 3 and 6 months of sessions
MANSFIELD_WINDOW = 200
TREND_BAND_PCT = 1.0  # a 1-month change within +-1% is a "flat" trend


@dataclass(frozen=True)
class RelativeStrength:
    """RS of ``symbol`` against ``benchmark`` as of the last common bar.

    ``ratio`` is close / benchmark close; changes are the ratio's % change over 21/63/126 sessions;
    ``new_high`` is True when the ratio closed above every earlier value; ``mansfield`` is
    (ratio / its 200-session mean - 1) x 100; ``rs_ratio`` and ``rs_momentum`` are centred on 100;
    ``quadrant`` is one of QUADRANTS, from the signs of ``change_3m`` and ``change_1m``; ``trend``
    is "up", "down" or "flat", the direction of ``change_1m`` (see the module docstring). Any value
    the history is too short for is None (the trend is then "flat").
    """

    symbol: str
    benchmark: str
    ratio: float
    change_1m: float | None
    change_3m: float | None
    change_6m: float | None
    new_high: bool
    mansfield: float | None
    rs_ratio: float | None
    rs_momentum: float | None
    quadrant: str | None
    trend: str


def rs_line(bars: pd.DataFrame, bench: pd.DataFrame) -> pd.Series:
    """close / benchmark close on the calendar dates both have a usable bar, on ``bars``' index."""
    import pandas as pd

    values, index = _ratio(bars, bench)
    return pd.Series(values, index=index, name="rs")


def _ratio(bars: pd.DataFrame, bench: pd.DataFrame) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """The values and the index of `rs_line`."""
    a, b = frame_arrays(bars), frame_arrays(bench)
    if a.index is b.index or a.index.equals(b.index):
        return a.close / b.close, a.index
    da, db = a.day, b.day
    # Daily bars carry one row per date; should a frame hold more, its last row of the date counts.
    keep_a = np.r_[da[1:] != da[:-1], True] if da.size else np.zeros(0, bool)
    keep_b = np.r_[db[1:] != db[:-1], True] if db.size else np.zeros(0, bool)
    ia, ib = np.flatnonzero(keep_a), np.flatnonzero(keep_b)
    _, pa, pb = np.intersect1d(da[ia], db[ib], assume_unique=True, return_indices=True)
    ia, ib = ia[pa], ib[pb]
    return a.close[ia] / b.close[ib], a.index[ia]


def _windows(values: np.ndarray, window: int) -> np.ndarray:
    """The (len - window + 1, window) sliding windows of a 1-D float array, as a view (the
    layout `numpy.lib.stride_tricks.sliding_window_view` gives, without its per-call checks)."""
    values = np.ascontiguousarray(values, dtype="float64")
    m = values.size - window + 1
    step = values.strides[0]
    return np.ndarray((m, window), dtype="float64", buffer=values, strides=(step, step))


def _rolling(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Rolling mean and population std over complete windows (len - window + 1 values).

    The arithmetic of ``view.mean(axis=1)`` and ``view.std(axis=1)``, with the window sums
    shared between the two."""
    view = _windows(values, window)
    mean = np.add.reduce(view, axis=1) / window
    dev = view - mean[:, None]
    np.multiply(dev, dev, out=dev)
    std = np.sqrt(np.add.reduce(dev, axis=1) / window)
    return mean, std


def _rolling_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Rolling mean over complete windows (`trailing_mean`, the arithmetic of
    ``view.mean(axis=1)``)."""
    return trailing_mean(values, window)[window - 1 :]


def _zscore(values: np.ndarray, window: int) -> np.ndarray:
    """Rolling z-score of each complete window's last value; 0 where the window has no spread."""
    mean, std = _rolling(values, window)
    last = values[window - 1 :]
    flat = std <= 1e-12 * np.maximum(np.abs(mean), 1.0)
    return np.where(flat, 0.0, (last - mean) / np.where(flat, 1.0, std))


def _rotation_arrays(ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rs_ratio (aligned to the last len-RATIO_BARS+1 values) and rs_momentum (last ...)."""
    if ratio.size < RATIO_BARS:
        return np.empty(0), np.empty(0)
    smooth = _rolling_mean(ratio, SMOOTH)
    rs_ratio = 100.0 + _zscore(smooth, Z_WINDOW)
    if rs_ratio.size < LAG + Z_WINDOW:
        return rs_ratio, np.empty(0)
    roc = (rs_ratio[LAG:] / rs_ratio[:-LAG] - 1.0) * 100.0
    return rs_ratio, 100.0 + _zscore(roc, Z_WINDOW)


def quadrant(change_3m: float, change_1m: float) -> str:
    """The rotation quadrant of the 3-month and the 1-month RS change (in %): leading (both >= 0),
    weakening (3m >= 0, 1m < 0), lagging (both < 0), improving (3m < 0, 1m >= 0)."""
    if change_3m >= 0.0:
        return "leading" if change_1m >= 0.0 else "weakening"
    return "improving" if change_1m >= 0.0 else "lagging"


def trend_of(change_1m: float | None) -> str:
    """The RS trend: the direction of the 1-month change, "flat" within +-``TREND_BAND_PCT``."""
    if change_1m is None or abs(change_1m) <= TREND_BAND_PCT:
        return "flat"
    return "up" if change_1m > 0 else "down"


def relative_strength(
    bars: pd.DataFrame, bench: pd.DataFrame, symbol: str, benchmark: str
) -> RelativeStrength | None:
    """RS facts of ``symbol`` against ``benchmark`` as of their last common session.

    None when the two have no session in common.
    """
    values, _ = _ratio(bars, bench)
    n = values.size
    if n == 0:
        return None
    last = float(values[-1])
    changes = [
        float((last / values[-1 - k] - 1.0) * 100.0) if n > k else None for k in CHANGES
    ]
    mansfield = None
    if n >= MANSFIELD_WINDOW:
        mansfield = float((last / values[-MANSFIELD_WINDOW:].mean() - 1.0) * 100.0)
    rs_ratio, rs_mom = _rotation_arrays(values[-ROTATION_BARS:])
    r = float(rs_ratio[-1]) if rs_ratio.size else None
    m = float(rs_mom[-1]) if rs_mom.size else None
    return RelativeStrength(
        symbol=symbol,
        benchmark=benchmark,
        ratio=last,
        change_1m=changes[0],
        change_3m=changes[1],
        change_6m=changes[2],
        new_high=n > 1 and bool(last > values[:-1].max()),
        mansfield=mansfield,
        rs_ratio=r,
        rs_momentum=m,
        quadrant=(quadrant(round(changes[1], 1), round(changes[0], 1))
                  if changes[0] is not None and changes[1] is not None else None),
        trend=trend_of(None if changes[0] is None else round(changes[0], 1)),
    )
