"""The day's VWAP on 5-minute bars, and the close an intraday chart is measured against.

- ``session_vwap``: for each regular-session bar, the volume-weighted average price of its day's
  regular session from the open through the end of that bar: sum(typical x volume) / sum(volume),
  typical = (high + low + close) / 3. The window is that one session day (it starts again each
  day); pre- and after-market bars are not in it and get NaN, as does a bar before any volume
  traded. Adding later bars never changes an earlier bar's value (it is cumulative).
- ``prior_close``: the close of the last daily bar dated before ``day``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def session_vwap(minutes: pd.DataFrame) -> np.ndarray:
    """The day's VWAP at each bar of a minute frame (see the module docstring), aligned with it."""
    import pandas as pd

    if len(minutes) == 0:
        return np.zeros(0)
    regular = (minutes["session"] == "regular").to_numpy()
    typical = minutes[["high", "low", "close"]].to_numpy(float).mean(axis=1)
    volume = np.where(regular, np.nan_to_num(minutes["volume"].to_numpy(float)), 0.0)
    day = minutes.index.tz_localize(None).normalize() if minutes.index.tz is not None \
        else minutes.index.normalize()
    sums = pd.DataFrame({"pv": typical * volume, "v": volume}).groupby(
        np.asarray(day)).cumsum()
    pv, v = sums["pv"].to_numpy(), sums["v"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(v > 0, pv / np.where(v > 0, v, 1.0), np.nan)
    return np.where(regular, out, np.nan)


def prior_close(daily: pd.DataFrame | None, day: date) -> float | None:
    """The close of the last daily bar before ``day`` (None without one)."""
    if daily is None or len(daily) == 0:
        return None
    before = daily[np.asarray(daily.index.date) < day]
    if before.empty:
        return None
    value = float(before["close"].iloc[-1])
    return value if np.isfinite(value) else None
