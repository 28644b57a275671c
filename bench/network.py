"""Network cost of a refresh: 120 symbols through the default source (``auto``: Yahoo through the
bar store) against the fake Yahoo of the test suite (tests/fakeyahoo.py, answers built from the
bundled real bars; nothing leaves the machine).

Counts ``yf.download`` batches (each runs in its own worker thread, so chart requests are grouped
by thread), chart requests, and — on the second refresh, a session later — how much history was
asked for again: every request must start at the symbol's last stored session (that bar may have
been partial), so no bar older than it is downloaded twice.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

SYMBOLS = 120
TARGET_BATCHES = 3
_BUNDLED_US = ("SPY", "XLK", "KRE", "IWM", "XLF", "QQQ", "SOXX", "XLV", "DIA", "IJR")
_BUNDLED_CRYPTO = ("BTC-USD", "ETH-USD")


@contextmanager
def _offline_user_dirs():
    """Temporary config/cache/data dirs and every HTTP(S) proxy on a closed local port."""
    names = [f"BASEWATCH_{k}_DIR" for k in ("CONFIG", "CACHE", "DATA")]
    proxies = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
               "all_proxy"]
    saved = {k: os.environ.get(k) for k in (*names, *proxies)}
    with tempfile.TemporaryDirectory(prefix="basewatch-bench-") as tmp:
        for name in names:
            path = Path(tmp) / name.lower()
            path.mkdir()
            os.environ[name] = str(path)
        for name in proxies:
            os.environ[name] = "http://127.0.0.1:9"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _universe() -> dict[str, str]:
    """120 made-up symbols -> the bundled symbol whose real bars the fake serves for them."""
    out = {}
    for i in range(SYMBOLS - 10):
        out[f"T{i:03d}"] = _BUNDLED_US[i % len(_BUNDLED_US)]
    for i in range(10):
        out[f"C{i:02d}-USD"] = _BUNDLED_CRYPTO[i % len(_BUNDLED_CRYPTO)]
    return out


def _refresh(fake, source, symbols):
    """One refresh; (result, seconds, batches, chart requests, other requests) it cost."""
    fake.log.clear()
    t0 = time.perf_counter()
    result = source.fetch(symbols)
    took = time.perf_counter() - t0
    charts = fake.requests_of("chart")
    batches = {r.thread for r in charts}
    other = [r for r in fake.log if r.kind != "chart"]
    return result, took, len(batches), charts, other


def _stale_bars_asked(fake, charts, last_stored) -> int:
    """Bars older than the symbol's last stored session that a chart request would serve."""
    count = 0
    for req in charts:
        served = fake.bars_for(req.symbol)
        start = req.period1
        if served is None or start is None:  # a `range=` request: the whole range is history
            count += 0 if served is None else len(served)
            continue
        days = served.index.normalize()
        count += int(((days >= start.tz_convert(days.tz).normalize())
                      & (days < last_stored[req.symbol].normalize())).sum())
    return count


def run() -> list[dict]:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tests"))
    try:
        with _offline_user_dirs():
            return _measure()
    finally:
        sys.path.remove(str(root / "tests"))


def _measure() -> list[dict]:
    from fakeyahoo import FakeYahoo, reset_yfinance

    from analysis.sources.select import make_source
    from analysis.sources.store import BarStore

    reset_yfinance()
    aliases = _universe()
    fake = FakeYahoo(asof="2025-12-09", aliases=aliases)
    symbols = list(aliases)
    with BarStore() as store:
        source = make_source("auto", session=fake, store=store, deadline=120.0)
        first, t1, b1, c1, o1 = _refresh(fake, source, symbols)
        assert first.source == "yahoo" and not first.errors, (first.source, first.errors)
        rows = sum(len(df) for df in first.bars.values())
        last_stored = {s: store.last_timestamp(s) for s in symbols}
        fake.advance("2025-12-10")
        second, t2, b2, c2, o2 = _refresh(fake, source, symbols)
        assert second.source == "yahoo" and not second.errors, (second.source, second.errors)
        stale = _stale_bars_asked(fake, c2, last_stored)
        new_rows = sum(len(df) for df in second.bars.values()) - rows
        third, t3, b3, c3, _ = _refresh(fake, source, symbols)  # same session again
    reset_yfinance()
    per_symbol = {r.symbol for r in c2}
    return [
        {
            "name": f"network: first refresh, {SYMBOLS} symbols, empty store (batches)",
            "measured": b1,
            "target": TARGET_BATCHES,
            "unit": "calls",
            "note": f"{len(c1)} chart requests + {len(o1)} others (cookie, crumb, time zones); "
            f"{rows:,} bars stored; {t1:.1f} s against the local fake",
        },
        {
            "name": f"network: next session's refresh, {SYMBOLS} symbols (batches)",
            "measured": b2,
            "target": TARGET_BATCHES,
            "unit": "calls",
            "note": f"{len(c2)} chart requests for {len(per_symbol)} symbols + {len(o2)} others; "
            f"+{new_rows} new bars; {t2:.2f} s; same session again: {b3} batches, "
            f"{len(c3)} chart requests, {t3:.2f} s",
        },
        {
            "name": "network: history bars re-downloaded on the second refresh",
            "measured": stale,
            "target": 0,
            "unit": "bars",
            "note": "bars older than each symbol's last stored session that the second refresh "
            "asked for (each request starts at the last stored session, inclusive)",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
