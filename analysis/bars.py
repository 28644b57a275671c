"""The bar-frame convention every downstream function relies on, its validation, and resampling.

A bar frame is a pandas DataFrame with a sorted, unique, tz-aware DatetimeIndex (America/New_York
for US symbols, UTC for crypto) and float columns ``open high low close volume adj_close``.
``adj_close`` equals ``close`` where the source has no adjusted series.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from analysis.symbols import is_crypto

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", "volume", "adj_close")
US_TZ = "America/New_York"
CRYPTO_TZ = "UTC"

_RENAMES = {
    "Open": "open",
    "High": "high",
    "Low": "low",
    "Close": "close",
    "Adj Close": "adj_close",
    "Adj_Close": "adj_close",
    "AdjClose": "adj_close",
    "adjclose": "adj_close",
    "Volume": "volume",
}


class BarsError(ValueError):
    """Bars that cannot be brought to the convention (missing columns, unparseable index)."""


def tz_for(symbol: str) -> str:
    """Time zone of a symbol's daily bars: UTC for crypto, exchange time for the rest."""
    return CRYPTO_TZ if is_crypto(symbol) else US_TZ


def latest_plausible_day(now: datetime | None = None) -> date:
    """The last date a daily bar may carry: tomorrow in UTC (a session dated today anywhere on
    Earth is at most a day ahead of UTC). A bar dated later is a data error, never "now": one
    file must not move the whole dashboard's clock."""
    current = now or datetime.now(UTC)
    return (current.astimezone(UTC) + timedelta(days=1)).date()


def empty_bars(tz: str = US_TZ) -> pd.DataFrame:
    """A bar frame with no rows."""
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series(dtype="float64") for c in COLUMNS},
        index=pd.DatetimeIndex([], tz=tz, name="date"),
    )


def normalize_bars(df: pd.DataFrame, tz: str = US_TZ) -> pd.DataFrame:
    """Bring a frame from any source to the convention.

    Renames Yahoo-style columns, localises (or converts) the index to ``tz``, sorts, drops duplicate
    timestamps (last wins), drops rows without a price (a close that is missing, infinite or not
    positive: Yahoo sends 0 for "no trade"), fills a missing ``adj_close`` from ``close``, a missing
    or non-positive open/high/low from ``close`` and a missing or negative ``volume`` with 0.
    Raises BarsError if open/high/low/close are absent.
    """
    import numpy as np
    import pandas as pd

    out = df.rename(columns=_RENAMES).copy()
    out.columns = [str(c).lower() for c in out.columns]
    missing = [c for c in ("open", "high", "low", "close") if c not in out.columns]
    if missing:
        raise BarsError(f"missing columns: {', '.join(missing)}")
    if "volume" not in out.columns:
        out["volume"] = 0.0
    if "adj_close" not in out.columns:
        out["adj_close"] = np.nan
    values = {c: _floats(out[c]) for c in COLUMNS}
    try:
        idx = pd.DatetimeIndex(out.index)
    except (TypeError, ValueError) as exc:
        raise BarsError(f"index is not dates: {exc}") from exc
    idx = idx.tz_localize(tz) if idx.tz is None else idx.tz_convert(tz)
    # Keep rows with a date, the last of each duplicated date, in date order, with a price.
    keep = ~np.asarray(idx.isna()) & ~idx.duplicated(keep="last")
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(idx.asi8[rows], kind="stable")]
    close = values["close"][rows]
    rows = rows[np.isfinite(close) & (close > 0)]
    close = values["close"][rows]

    def priced(col: str) -> np.ndarray:  # a missing or non-positive price is the close
        v = values[col][rows]
        return np.where(v > 0, v, close)

    adj = values["adj_close"][rows]
    volume = values["volume"][rows]
    return pd.DataFrame(
        {"open": priced("open"), "high": priced("high"), "low": priced("low"), "close": close,
         "volume": np.where(np.isnan(volume) | (volume < 0), 0.0, volume),
         "adj_close": np.where(np.isnan(adj), close, adj)},
        index=idx[rows].rename("date"),
    )


def _floats(column: pd.Series) -> np.ndarray:
    """A column as float64, anything that is not a number as NaN."""
    import numpy as np
    import pandas as pd

    if column.dtype.kind in "fiub":
        return column.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def upto(df: pd.DataFrame, asof) -> pd.DataFrame:
    """Bars up to and including the session ``asof`` (date, string or Timestamp); O(log n)."""
    import pandas as pd

    if asof is None or df.empty:
        return df
    ts = pd.Timestamp(asof)
    day = ts.tz_convert(df.index.tz).date() if ts.tzinfo is not None else ts.date()
    end = pd.Timestamp(day) + pd.Timedelta(days=1)
    end = end.tz_localize(df.index.tz) if df.index.tz is not None else end
    return df.iloc[: df.index.searchsorted(end, side="left")]
