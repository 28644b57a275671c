"""Bases + zones + breakout state as of the last bar for 3,000 synthetic symbols x 10 years of
daily bars (seeded random walks) on one core, against a single numpy pass over the same array."""

from __future__ import annotations

import os
import time

import numpy as np

SYMBOLS = int(os.environ.get("BASEWATCH_BENCH_SYMBOLS", "3000"))
SESSIONS = 2520  # 10 years
TARGET_S = 5.0
TARGET_RATIO = 150.0  # the work of 150 running maxima over the same array (93x measured)


def synthetic(symbols: int = SYMBOLS, sessions: int = SESSIONS, seed: int = 20251209):
    """Seeded random-walk OHLCV as arrays of shape (symbols, sessions) and the session index."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    start = rng.uniform(20, 500, (symbols, 1))
    drift = rng.normal(0.0003, 0.0004, (symbols, 1))
    vol = rng.uniform(0.008, 0.03, (symbols, 1))
    close = start * np.exp(np.cumsum(rng.normal(drift, vol, (symbols, sessions)), axis=1))
    rng_hi = np.abs(rng.normal(0, 0.6, close.shape)) * vol
    rng_lo = np.abs(rng.normal(0, 0.6, close.shape)) * vol
    open_ = close * (1 + rng.normal(0, 0.3, close.shape) * vol)
    high = np.maximum(close, open_) * (1 + rng_hi)
    low = np.minimum(close, open_) * (1 - rng_lo)
    volume = rng.lognormal(13, 0.4, close.shape)
    index = pd.bdate_range("2016-01-04", periods=sessions, tz="America/New_York", name="date")
    return index, open_, high, low, close, volume


def frames(index, open_, high, low, close, volume):
    import pandas as pd

    return [
        pd.DataFrame({"open": open_[i], "high": high[i], "low": low[i], "close": close[i],
                      "volume": volume[i], "adj_close": close[i]}, index=index)
        for i in range(len(close))
    ]


def analyse(bars) -> None:
    """One symbol on its own (find_bases; analyze() batches them like `analyse_many`)."""
    from analysis.facts.bases import find_bases
    from analysis.facts.breakout import breakout_state
    from analysis.facts.zones import find_zones

    zones = find_zones(bars)
    bases = find_bases(bars)
    breakout_state(bars, bases[0] if bases else None, zones)


def analyse_many(frames_) -> None:
    """All symbols: bases evaluated together (`find_bases_many`), zones and state per symbol."""
    from analysis.facts.bases import find_bases_many
    from analysis.facts.breakout import breakout_state
    from analysis.facts.zones import find_zones

    for bars, bases in zip(frames_, find_bases_many(frames_), strict=True):
        breakout_state(bars, bases[0] if bases else None, find_zones(bars))


def run() -> list[dict]:
    index, open_, high, low, close, volume = synthetic()
    dfs = frames(index, open_, high, low, close, volume)
    analyse(dfs[0])  # warm imports
    analyse_many(dfs[:2])
    t0, c0 = time.perf_counter(), time.process_time()
    analyse_many(dfs)
    wall = time.perf_counter() - t0
    total = time.process_time() - c0  # CPU time: the machine is shared, wall time is noisy
    sample = dfs[:300]
    c1 = time.process_time()
    for df in sample:
        analyse(df)
    per_symbol = (time.process_time() - c1) / len(sample)
    floor_times = []
    for _ in range(5):
        f0 = time.perf_counter()
        np.maximum.accumulate(close, axis=1)
        floor_times.append(time.perf_counter() - f0)
    floor = min(floor_times)
    n = len(dfs)
    return [
        {
            "id": "bases: 3,000 symbols",
            "name": f"bases+zones+breakout: {n:,} symbols x {SESSIONS:,} bars",
            "measured": total,
            "target": TARGET_S,
            "unit": "s",
            "note": f"CPU time, one core ({wall:.1f} s wall); {total / n * 1000:.2f} ms per "
            f"symbol with bases evaluated together (find_bases_many); one symbol at a time "
            f"(find_bases): {per_symbol * 1000:.2f} ms per symbol, "
            f"{per_symbol * n:.1f} s for {n:,}",
        },
        {
            "id": "bases: vs one numpy pass",
            "name": "bases+zones+breakout vs one numpy pass over the same array (ratio)",
            "measured": total / floor,
            "target": TARGET_RATIO,
            "unit": "x",
            "note": f"floor: np.maximum.accumulate over the {n:,}x{SESSIONS:,} closes, "
            f"{floor * 1000:.1f} ms",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
