"""The rows and price arrays the facts can trust: finite positive closes, highs never below the
close.

Bar frames from `analysis.bars.normalize_bars` already satisfy most of this; these helpers make
every fact function robust to frames that do not (rows with a NaN or non-positive close are
dropped, a missing or NaN high is taken as the close, a missing or non-positive adjusted close
falls back to the close). They copy nothing when the frame is already clean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def usable(bars: pd.DataFrame) -> pd.DataFrame:
    """``bars`` without rows whose close is missing, non-finite or <= 0 (same object if none)."""
    close = _close_column(bars)
    ok = np.isfinite(close) & (close > 0)
    return bars if ok.all() else bars[ok]


def _close_column(bars: pd.DataFrame) -> np.ndarray:
    """``bars["close"]`` as float64 (NaN where missing), read from the frame's values when every
    column converts (a view of a frame of floats: no Series built), else from the column."""
    at = bars.columns.get_loc("close")
    if isinstance(at, int):
        try:
            return bars.to_numpy(dtype="float64", na_value=np.nan)[:, at]
        except (TypeError, ValueError):
            pass
    return bars["close"].to_numpy(dtype="float64", na_value=np.nan)


def closes(bars: pd.DataFrame) -> np.ndarray:
    """The close as a float array (call on `usable` bars)."""
    return bars["close"].to_numpy(dtype="float64", na_value=np.nan)


def highs(bars: pd.DataFrame) -> np.ndarray:
    """The high as a float array, never below the close (a NaN or missing high is the close)."""
    close = closes(bars)
    if "high" not in bars.columns:
        return close
    high = bars["high"].to_numpy(dtype="float64", na_value=np.nan)
    return np.fmax(np.where(np.isfinite(high), high, close), close)


def adjusted(bars: pd.DataFrame) -> np.ndarray:
    """The adjusted close as a float array; the close where it is missing, non-finite or <= 0."""
    close = closes(bars)
    if "adj_close" not in bars.columns:
        return close
    adj = bars["adj_close"].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isfinite(adj) & (adj > 0), adj, close)


def day_numbers(index: pd.DatetimeIndex) -> np.ndarray:
    """The calendar day of each timestamp in its own time zone, as int64 days since 1970-01-01."""
    naive = index.tz_localize(None) if index.tz is not None else index
    return naive.values.astype("datetime64[D]").astype(np.int64)
