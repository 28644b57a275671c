"""The benchmark ETF's sector weights from Yahoo's fund data (e.g. IWM -> Russell 2000 sectors),
mapped to the sector names of the config, in percent; and a daily cache of them for the pipeline.

Called only from worker threads, under our own deadline like every yfinance call.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from analysis.sources.yfcall import configure_yfinance, run_guarded, yfinance_reasons
from analysis.symbols import validate_symbol

YAHOO_SECTORS = {
    "financial_services": "Financials", "industrials": "Industrials",
    "healthcare": "Health Care", "technology": "Information Technology",
    "consumer_cyclical": "Consumer Discretionary", "energy": "Energy",
    "consumer_defensive": "Consumer Staples", "communication_services": "Communication Services",
    "basic_materials": "Materials", "realestate": "Real Estate", "utilities": "Utilities",
}


def sector_weights_from_yahoo(raw: dict[str, Any]) -> dict[str, float]:
    """Yahoo's fund sector weightings (fractions, Yahoo's keys) -> GICS-style names in percent."""
    out: dict[str, float] = {}
    for key, value in raw.items():
        try:
            number = float(value.get("raw") if isinstance(value, dict) else value)
        except (TypeError, ValueError):
            continue
        name = YAHOO_SECTORS.get(str(key), str(key).replace("_", " ").title())
        out[name] = out.get(name, 0.0) + number
    if out and sum(out.values()) <= 1.5:  # fractions of 1 (Yahoo's way) -> percent
        out = {k: v * 100.0 for k, v in out.items()}
    return {k: round(v, 4) for k, v in out.items()}


def fetch_sector_weights(fund_symbol: str, session: Any = None,
                         deadline: float = 20.0) -> dict[str, float] | None:
    """Sector -> weight (%) of a fund from Yahoo's fund data; None when unreachable or missing."""
    sym = validate_symbol(fund_symbol)
    owned = session is None
    if owned:
        from curl_cffi import requests as curl_requests

        session = curl_requests.Session(impersonate="chrome")

    def call():
        import yfinance as yf

        configure_yfinance(yf)
        with yfinance_reasons():
            return yf.Ticker(sym, session=session).funds_data.sector_weightings

    try:
        raw = run_guarded(call, deadline, f"fund data {sym}")
    except Exception:  # noqa: BLE001 - timed out, unreachable, busy, yfinance failed: no weights
        return None
    finally:
        if owned:  # also makes a call stuck past the deadline fail fast
            with contextlib.suppress(Exception):
                session.close()
    weights = sector_weights_from_yahoo(dict(raw or {}))
    return weights or None


class DailyWeights:
    """Asks ``fetch`` for a fund's weights at most once a day (once an hour after a failure), so a
    refresh every minute costs one request a day; the last good answer is kept meanwhile."""

    def __init__(self, fetch: Callable[[str], dict[str, float] | None] = fetch_sector_weights,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch, self._clock = fetch, clock
        self._last: dict[str, tuple[float, dict[str, float] | None]] = {}

    def __call__(self, fund_symbol: str) -> dict[str, float] | None:
        now = self._clock()
        when, weights = self._last.get(fund_symbol, (None, None))
        wait = 86_400.0 if weights else 3_600.0
        if when is not None and now - when < wait:
            return weights
        fresh = self._fetch(fund_symbol)
        self._last[fund_symbol] = (now, fresh or weights)
        return fresh or weights
