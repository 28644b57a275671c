"""The fake Yahoo's intraday chart (``interval=5m``, see tests/fakeyahoo.py): v8 chart bodies in
Yahoo's format, built from the bundled daily bars.

Each session of the ``range`` (default 5d) ending at the fake's ``asof`` gets pre-market bars
(04:00-09:25 New York), 78 regular bars (09:30-15:55) and after-hours bars (16:00-19:55); crypto
gets 288 bars a UTC day. The regular bars walk from the day's open to its low and high (the low
first on a down day) and end at its close, so their OHLC agree with the daily bar; the day's volume
is spread evenly over them. Pre-market trades flat at the prior close, after-hours flat at the
close, each bar with 1/1000 of the day's volume. ``meta.tradingPeriods`` names each day's pre,
regular and post periods (with ``includePrePost=true``; only the regular ones otherwise), and
``meta.currentTradingPeriod`` the last day's. ``fake.minutes_until`` (a tz-aware time) cuts the
last session there, as if it were still trading.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.symbols import is_crypto

ET = "America/New_York"
STEP = 300  # seconds per bar


def _regular_path(o: float, h: float, low: float, c: float, n: int) -> np.ndarray:
    """n + 1 prices from the open through the day's extremes to the close."""
    first, second = (low, h) if c >= o else (h, low)
    knots = np.array([o, first, second, c])
    at = np.array([0, n // 3, 2 * n // 3, n], float)
    return np.interp(np.arange(n + 1), at, knots)


def _day_bars(day: pd.Timestamp, row: pd.Series, prior: float, crypto: bool,
              prepost: bool) -> tuple[list[int], dict[str, list[float]], dict[str, tuple]]:
    """One session's bar starts (epoch s), OHLCV lists and its (pre, regular, post) periods."""
    o, h, low, c, v = (float(row[k]) for k in ("open", "high", "low", "close", "volume"))
    if crypto:
        start = int(pd.Timestamp(day.date(), tz="UTC").timestamp())
        periods = {"regular": (start, start + 86400)}
        n_reg, pre_n, post_n, reg_start = 288, 0, 0, start
    else:
        base = pd.Timestamp(day.date()).tz_localize(ET)
        pre0, reg_start, post0 = (int((base + pd.Timedelta(hours=hh)).timestamp())
                                  for hh in (4, 9.5, 16))
        periods = {"pre": (pre0, reg_start), "regular": (reg_start, post0),
                   "post": (post0, post0 + 4 * 3600)}
        n_reg = 78
        pre_n, post_n = ((reg_start - pre0) // STEP, 48) if prepost else (0, 0)
    path = _regular_path(o, h, low, c, n_reg)
    opens, closes = path[:-1], path[1:]
    highs, lows = np.maximum(opens, closes), np.minimum(opens, closes)
    stamps = ([reg_start - STEP * (pre_n - i) for i in range(pre_n)]
              + [reg_start + STEP * i for i in range(n_reg)]
              + [reg_start + STEP * (n_reg + i) for i in range(post_n)])
    side = v / 1000.0
    cols = {
        "open": [prior] * pre_n + opens.tolist() + [c] * post_n,
        "high": [prior] * pre_n + highs.tolist() + [c] * post_n,
        "low": [prior] * pre_n + lows.tolist() + [c] * post_n,
        "close": [prior] * pre_n + closes.tolist() + [c] * post_n,
        "volume": [side] * pre_n + [v / n_reg] * n_reg + [side] * post_n,
    }
    return stamps, cols, periods


def minute_chart_answer(fake, symbol: str, params: dict[str, str]) -> tuple[int, dict]:
    """(status, body) of a 5-minute chart request to the fake."""
    from fakeyahoo import UNKNOWN_CHART

    bars = fake.bars_for(symbol)
    if bars is None:
        return 404, UNKNOWN_CHART
    real = fake.aliases.get(symbol, symbol)
    crypto = is_crypto(real)
    prepost = params.get("includePrePost", "false").lower() == "true"
    days = int(params.get("range", "5d").rstrip("d") or 5)
    shown = bars.iloc[-days:]
    priors = bars["close"].shift(1).iloc[-days:].fillna(bars["open"].iloc[-days:])
    stamps: list[int] = []
    cols: dict[str, list[float]] = {k: [] for k in ("open", "high", "low", "close", "volume")}
    trading: dict[str, list] = {"pre": [], "regular": [], "post": []}
    tz = "UTC" if crypto else ET
    for (day, row), prior in zip(shown.iterrows(), priors, strict=True):
        s, c, periods = _day_bars(day, row, float(prior), crypto, prepost)
        stamps += s
        for k in cols:
            cols[k] += c[k]
        for name, (a, b) in periods.items():
            trading[name].append([{"timezone": "EST", "start": a, "end": b, "gmtoffset": -18000}])
    until = getattr(fake, "minutes_until", None)
    keep = np.ones(len(stamps), bool) if until is None else (
        np.asarray(stamps) + STEP <= pd.Timestamp(until).timestamp())
    stamps = [t for t, k in zip(stamps, keep, strict=True) if k]
    cols = {k: [x for x, m in zip(v, keep, strict=True) if m] for k, v in cols.items()}
    last = {name: spans[-1][0] for name, spans in trading.items() if spans}
    meta = {
        "currency": "USD", "symbol": symbol, "exchangeName": "PCX", "instrumentType": "ETF",
        "regularMarketTime": stamps[-1] if stamps else 0, "hasPrePostMarketData": not crypto,
        "gmtoffset": 0 if crypto else -18000, "timezone": "UTC" if crypto else "EST",
        "exchangeTimezoneName": tz, "regularMarketPrice": cols["close"][-1] if stamps else None,
        "chartPreviousClose": float(priors.iloc[0]), "priceHint": 2,
        "currentTradingPeriod": last,
        "tradingPeriods": {k: v for k, v in trading.items() if v} if prepost
        else trading["regular"],
        "dataGranularity": "5m", "range": f"{days}d",
    }
    volume = [int(round(x)) for x in cols["volume"]]
    return 200, {"chart": {"result": [{
        "meta": meta, "timestamp": stamps,
        "indicators": {"quote": [{"open": cols["open"], "high": cols["high"], "low": cols["low"],
                                  "close": cols["close"], "volume": volume}]},
    }], "error": None}}
