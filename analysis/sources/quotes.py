"""Yahoo's batched quote: one v7 ``/finance/quote`` request for up to ``MAX_QUOTE_BATCH`` symbols,
read into ``Quote``s, and what of it is an extended-hours price (``ExtendedQuote``).

A quote carries the regular session so far (``regularMarketPrice/Open/DayHigh/DayLow/Volume`` and
``regularMarketTime``, the last regular trade), Yahoo's ``marketState`` (PREPRE PRE REGULAR POST
POSTPOST CLOSED) for the symbol's own exchange, the ``currency`` its prices are in (USD; GBp =
pence; EUR…), that exchange's time zone (``exchangeTimezoneName``) and, where the symbol trades
outside regular hours, the last pre-market and after-hours trades (``preMarketPrice/Time``,
``postMarketPrice/Time``). The request goes through
yfinance's own ``YfData`` (it handles Yahoo's cookie and crumb), in a worker thread under our
deadline (``yfcall.run_guarded``), like every other Yahoo call.

An extended-hours price counts only when it is newer than the last regular trade: during the
session Yahoo still carries the morning's pre-market price, and that is history, not a quote.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from analysis.sources.yfcall import (
    Busy,
    TimedOut,
    configure_yfinance,
    plain,
    run_guarded,
    yfinance_reasons,
)

QUOTE_URL = "https://query1.finance.yahoo.com/v7/finance/quote"
MAX_QUOTE_BATCH = 100  # symbols per request: the whole default universe (25) is one request


@dataclass(frozen=True)
class ExtendedQuote:
    """A trade outside regular hours: ``session`` "pre" (before the open) or "post" (after the
    close), its ``price`` and ``time`` (UTC), and ``change_pct``, the move in % from ``base``, the
    last regular close (None when Yahoo gave none)."""

    session: str
    price: float
    time: datetime
    change_pct: float | None
    base: float | None


@dataclass(frozen=True)
class Quote:
    """One symbol's v7 quote. Prices are floats or None; times are UTC or None."""

    symbol: str
    market_state: str
    price: float | None
    open: float | None
    day_high: float | None
    day_low: float | None
    volume: float | None
    time: datetime | None
    pre_price: float | None = None
    pre_time: datetime | None = None
    post_price: float | None = None
    post_time: datetime | None = None
    quote_type: str | None = None  # Yahoo's quoteType: EQUITY, ETF, INDEX, CRYPTOCURRENCY, ...
    currency: str | None = None
    exchange_tz: str | None = None


def _number(value: Any) -> float | None:
    """Yahoo's number (plain, or {"raw": ...} when formatted) -> a finite float, else None."""
    if isinstance(value, Mapping):
        value = value.get("raw")
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _time(value: Any) -> datetime | None:
    secs = _number(value)
    if secs is None or secs <= 0:
        return None
    try:
        return datetime.fromtimestamp(secs, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _price(value: Any) -> float | None:
    out = _number(value)
    return out if out is not None and out > 0 else None


def _text(value: Any) -> str | None:
    """A short plain word from Yahoo ("GBp", "Europe/London"), else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= 40 and value.isprintable() else None


def parse_quotes(payload: Any) -> dict[str, Quote]:
    """Quotes by symbol from one v7 answer; rows without a symbol or a price are skipped."""
    try:
        rows = payload["quoteResponse"]["result"] or []
    except (KeyError, TypeError):
        return {}
    out: dict[str, Quote] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping) or not isinstance(row.get("symbol"), str):
            continue
        price = _price(row.get("regularMarketPrice"))
        if price is None:
            continue
        sym = row["symbol"].upper()
        volume = _number(row.get("regularMarketVolume"))
        out[sym] = Quote(
            symbol=sym,
            market_state=str(row.get("marketState") or ""),
            price=price,
            open=_price(row.get("regularMarketOpen")),
            day_high=_price(row.get("regularMarketDayHigh")),
            day_low=_price(row.get("regularMarketDayLow")),
            volume=volume if volume is not None and volume >= 0 else None,
            time=_time(row.get("regularMarketTime")),
            pre_price=_price(row.get("preMarketPrice")),
            pre_time=_time(row.get("preMarketTime")),
            post_price=_price(row.get("postMarketPrice")),
            post_time=_time(row.get("postMarketTime")),
            quote_type=row["quoteType"] if isinstance(row.get("quoteType"), str) else None,
            currency=_text(row.get("currency")),
            exchange_tz=_text(row.get("exchangeTimezoneName")),
        )
    return out


def extended_quote(quote: Quote) -> ExtendedQuote | None:
    """The newest pre- or after-hours trade that came after the last regular trade (None if
    there is none), with its change from the last regular price."""
    if quote.time is None:
        return None
    best: ExtendedQuote | None = None
    for session, price, when in (("pre", quote.pre_price, quote.pre_time),
                                 ("post", quote.post_price, quote.post_time)):
        if price is None or when is None or when <= quote.time:
            continue
        if best is None or when > best.time:
            change = (price / quote.price - 1.0) * 100.0 if quote.price else None
            best = ExtendedQuote(session, price, when, change, quote.price)
    return best


def fetch_quotes(symbols: Sequence[str], session: Any, timeout: float,
                 request_timeout: float = 10.0) -> dict[str, Quote]:
    """Quotes for ``symbols`` (validated already), ``MAX_QUOTE_BATCH`` per request, through
    yfinance's cookie/crumb handling, in one guarded call of at most ``timeout`` seconds.

    Raises what ``run_guarded`` raises (``TimedOut``, ``Busy``) and whatever the request raised
    (yfinance's ``YFRateLimitError`` on HTTP 429, an HTTP error, a JSON error); the caller decides.
    Symbols Yahoo does not know are simply absent.
    """
    names = list(dict.fromkeys(symbols))
    chunks = [names[i:i + MAX_QUOTE_BATCH] for i in range(0, len(names), MAX_QUOTE_BATCH)]
    per_request = max(1.0, min(request_timeout, timeout))

    def call() -> list[Any]:
        import yfinance as yf

        from analysis.sources.yf_adapter import yahoo_data

        configure_yfinance(yf)
        with yfinance_reasons():
            data = yahoo_data(session)
            return [data.get_raw_json(QUOTE_URL, params={"symbols": ",".join(chunk),
                                                         "formatted": "false"},
                                      timeout=per_request) for chunk in chunks]

    if not chunks:
        return {}
    out: dict[str, Quote] = {}
    for payload in run_guarded(call, timeout, f"quotes for {len(names)} symbols"):
        out.update(parse_quotes(payload))
    return out


def quotes_or_why(symbols: Sequence[str], session: Callable[[], Any], left: float,
                  request_timeout: float, deadline: float, abandon: Callable[[], None]
                  ) -> tuple[dict[str, Quote], str | None, str | None]:
    """``fetch_quotes`` for a source: (quotes, why they failed, why to stop the whole fetch).

    A failed quote call (HTTP 429, a server error, a garbled answer) is not fatal, the charts are
    tried next; a call overrunning ``left`` seconds (``abandon`` is then called) or a previous
    call still stuck stops the fetch, since nothing else would get through either.
    """
    if not symbols or left <= 0:
        return {}, None, None
    try:
        return fetch_quotes(symbols, session(), left, request_timeout), None, None
    except TimedOut:
        abandon()
        return {}, None, f"Yahoo did not answer within {deadline:g} s"
    except Busy as exc:
        return {}, None, f"{exc}; not asking again until it does"
    except Exception as exc:  # noqa: BLE001 - yfinance can raise anything; the charts still go
        return {}, plain(f"{type(exc).__name__}: {exc}"), None
