"""The fake Yahoo's answer to the batched v7 quote call (see tests/fakeyahoo.py, ``FakeYahoo``)."""

from __future__ import annotations

import pandas as pd

from analysis.symbols import is_crypto


def quote_type(symbol: str) -> str:
    """Yahoo's quoteType of a symbol of the fake's universe (^VIX is an INDEX at Yahoo too)."""
    if is_crypto(symbol):
        return "CRYPTOCURRENCY"
    return "INDEX" if symbol.startswith("^") else "ETF"


def quote_answer(fake, symbols: str) -> dict:
    """Yahoo's v7 quote answer for a comma-separated list (unknown symbols left out)."""
    out = []
    for symbol in (s.strip().upper() for s in symbols.split(",") if s.strip()):
        bars = fake.bars_for(symbol)
        if bars is None or bars.empty:
            continue
        real = fake.aliases.get(symbol, symbol)
        last = bars.iloc[-1]
        day = bars.index[-1]
        if fake.quote_at is not None:
            at = pd.Timestamp(fake.quote_at)
        elif is_crypto(real):
            at = pd.Timestamp(day.date()).tz_localize("UTC") + pd.Timedelta(hours=23, minutes=59)
        else:
            at = pd.Timestamp(day.date()).tz_localize("America/New_York") + pd.Timedelta(hours=16)
        row = {
            "symbol": symbol, "quoteType": quote_type(real),
            "marketState": "REGULAR" if is_crypto(real) else fake.market_state,
            "exchangeTimezoneName": "UTC" if is_crypto(real) else "America/New_York",
            "currency": "USD",
            "regularMarketPrice": float(last["close"]), "regularMarketOpen": float(last["open"]),
            "regularMarketDayHigh": float(last["high"]),
            "regularMarketDayLow": float(last["low"]),
            "regularMarketVolume": None if pd.isna(last["volume"]) else int(last["volume"]),
            "regularMarketTime": int(at.timestamp()),
            "regularMarketPreviousClose": float(bars["close"].iloc[-2]) if len(bars) > 1
            else None,
        }
        for session, (price, when) in fake._extended.get(symbol, {}).items():
            row[f"{session}MarketPrice"] = price
            row[f"{session}MarketTime"] = int(when.timestamp())
            row[f"{session}MarketChangePercent"] = (price / float(last["close"]) - 1) * 100
        out.append(row)
    return {"quoteResponse": {"result": out, "error": None}}

