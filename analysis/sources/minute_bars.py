"""Yahoo's 5-minute bars of the last few sessions, pre- and after-market included: fetched as one v8
chart request (``interval=5m``, ``range=5d``, ``includePrePost=true``) and read into a frame with
each bar's session.

The frame (``minute_frame``) has ``open high low close volume`` and ``session`` ("pre", "regular"
or "post"), indexed by each bar's START time in the symbol's time zone (``analysis.bars.tz_for``).
A bar's session comes from the periods Yahoo sends with the body (``meta.tradingPeriods``: per day,
the pre, regular and post periods; or only the regular ones; else ``meta.currentTradingPeriod``
for the latest day); a bar no period covers is placed by the NYSE clock (regular 09:30-16:00
New York, pre before, post after). Crypto trades around the clock: every bar is "regular".
Bars without a close (Yahoo sends nulls for minutes without trades) are left out.

The request goes through yfinance's ``YfData`` (cookie and crumb) in a guarded worker thread under
our deadline (``yfcall.run_guarded``), like every Yahoo call; the tui never imports yfinance.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.bars import tz_for
from analysis.sources.yfcall import configure_yfinance, run_guarded, yfinance_reasons
from analysis.symbols import is_crypto, validate_symbol

if TYPE_CHECKING:
    import pandas as pd

CHART_URL = "https://query2.finance.yahoo.com/v8/finance/chart/"
INTERVAL = "5m"
RANGE = "5d"
SESSIONS: tuple[str, ...] = ("pre", "regular", "post")
MINUTE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", "volume")
_OPEN_MIN, _CLOSE_MIN = 9 * 60 + 30, 16 * 60  # NYSE regular hours, minutes after midnight (ET)


def empty_minutes(tz: str) -> pd.DataFrame:
    """A minute frame with no rows."""
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in MINUTE_COLUMNS})
    frame["session"] = pd.Series(dtype=object)
    frame.index = pd.DatetimeIndex([], tz=tz, name="time")
    return frame


def _periods(meta: dict) -> Iterator[tuple[str, int, int]]:
    """(session, start, end) of every period the chart's meta gives (epoch seconds)."""
    def spans(value: Any) -> Iterator[dict]:
        if isinstance(value, dict):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from spans(item)

    periods = meta.get("tradingPeriods")
    if isinstance(periods, list):  # includePrePost=false: the regular periods only
        periods = {"regular": periods}
    if not isinstance(periods, dict):
        periods = meta.get("currentTradingPeriod") or {}
    for session in SESSIONS:
        for span in spans(periods.get(session)):
            start, end = span.get("start"), span.get("end")
            if isinstance(start, int | float) and isinstance(end, int | float):
                yield session, int(start), int(end)


def _sessions_of(secs: np.ndarray, meta: dict, symbol: str) -> np.ndarray:
    """The session of each bar starting at ``secs`` (see the module docstring)."""
    import pandas as pd

    if is_crypto(symbol):
        return np.full(secs.size, "regular", object)
    local = pd.DatetimeIndex(pd.to_datetime(secs, unit="s", utc=True)).tz_convert(
        "America/New_York")
    minute = np.asarray(local.hour * 60 + local.minute)
    out = np.where(minute < _OPEN_MIN, "pre",
                   np.where(minute >= _CLOSE_MIN, "post", "regular")).astype(object)
    for session, start, end in _periods(meta):
        out[(secs >= start) & (secs < end)] = session
    return out


def parse_minute_chart(payload: Any, symbol: str) -> pd.DataFrame:
    """The bars of a v8 chart body (any intraday interval) as a minute frame (module docstring).

    A body with an error or no result raises ValueError with Yahoo's description."""
    import pandas as pd

    chart = (payload or {}).get("chart") if isinstance(payload, dict) else None
    results = (chart or {}).get("result")
    if not results:
        error = (chart or {}).get("error") or {}
        raise ValueError(f"{symbol}: {error.get('description') or 'no intraday chart in answer'}")
    result = results[0]
    tz = tz_for(symbol)
    stamps = result.get("timestamp") or []
    quote = ((result.get("indicators") or {}).get("quote") or [{}])[0] or {}
    if not stamps:
        return empty_minutes(tz)
    secs = np.asarray(stamps, dtype=np.int64)

    def column(name: str) -> np.ndarray:
        values = quote.get(name) or [None] * secs.size
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    data = {c: column(c) for c in MINUTE_COLUMNS}
    data["volume"] = np.nan_to_num(data["volume"])
    data["session"] = _sessions_of(secs, result.get("meta") or {}, symbol)
    index = pd.DatetimeIndex(pd.to_datetime(secs, unit="s", utc=True), name="time").tz_convert(tz)
    frame = pd.DataFrame(data, index=index)
    frame = frame[np.isfinite(frame["close"].to_numpy())]
    for c in ("open", "high", "low"):  # a bar with a close but no range: flat at the close
        frame[c] = frame[c].fillna(frame["close"])
    return frame[~frame.index.duplicated(keep="last")].sort_index()


def fetch_minute_bars(symbol: str, session: Any, timeout: float) -> pd.DataFrame:
    """The last ``RANGE`` of ``INTERVAL`` bars of ``symbol``, pre- and after-market included.

    Raises what ``run_guarded`` raises (``TimedOut``, ``Busy``), whatever the request raised (an
    HTTP error, yfinance's rate-limit error, a JSON error) and ValueError for an unusable body."""
    sym = validate_symbol(symbol)
    per_request = max(1.0, timeout)

    def call() -> Any:
        import yfinance as yf

        from analysis.sources.yf_adapter import yahoo_data

        configure_yfinance(yf)
        with yfinance_reasons():
            return yahoo_data(session).get_raw_json(
                CHART_URL + sym, params={"interval": INTERVAL, "range": RANGE,
                                         "includePrePost": "true"}, timeout=per_request)

    return parse_minute_chart(run_guarded(call, timeout, f"5-minute bars of {sym}"), sym)
