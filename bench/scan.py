"""Scan throughput: 3,000 synthetic symbols x 10 years of daily bars (seeded random walks with
realistic OHLCV) through the WHOLE ``analyze()`` — every per-symbol fact, then the market facts
(leaders over all of them) — on one core, the way `basewatch scan` calls it, reported also as a
ratio to one numpy pass (a running max) over the same closes.

``BASEWATCH_BENCH_SYMBOLS`` shrinks the universe for a quick look (the figure is then scaled).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

SYMBOLS = int(os.environ.get("BASEWATCH_BENCH_SYMBOLS", "3000"))
SESSIONS = 2520  # 10 years of sessions
TARGET_S = 5.0
TARGET_RATIO = 250.0  # the whole analysis: ~250 running maxima over the same closes
RUNS = 3
SEED = 20251209


def synthetic_universe(symbols: int = SYMBOLS, sessions: int = SESSIONS, seed: int = SEED):
    """``{symbol: bar frame}`` of seeded random walks, plus the closes as one (symbols, sessions)
    array. Each walk has its own drift and volatility, with regimes (calm/volatile stretches);
    open/high/low bracket the close, volume is lognormal and rises on big moves."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    shape = (symbols, sessions)
    start = rng.uniform(5.0, 400.0, (symbols, 1))
    drift = rng.normal(0.0003, 0.0005, (symbols, 1))
    base_vol = rng.uniform(0.008, 0.035, (symbols, 1))
    regime = np.repeat(rng.uniform(0.6, 1.6, (symbols, sessions // 60 + 1)), 60, axis=1)
    vol = base_vol * regime[:, :sessions]
    ret = rng.normal(drift, vol, shape)
    close = start * np.exp(np.cumsum(ret, axis=1))
    gap = rng.normal(0.0, 0.35, shape) * vol
    open_ = np.concatenate([start, close[:, :-1]], axis=1) * np.exp(gap)
    high = np.maximum(open_, close) * (1.0 + np.abs(rng.normal(0.0, 0.5, shape)) * vol)
    low = np.minimum(open_, close) * (1.0 - np.abs(rng.normal(0.0, 0.5, shape)) * vol)
    volume = np.round(rng.lognormal(13.5, 0.35, shape) * (1.0 + 20.0 * np.abs(ret)))
    index = pd.bdate_range("2016-01-04", periods=sessions, tz="America/New_York", name="date")
    names = [f"S{i:04d}" for i in range(symbols - 1)] + ["SPY"]  # the last one is the benchmark
    frames = {
        name: pd.DataFrame({"open": open_[i], "high": high[i], "low": low[i], "close": close[i],
                            "volume": volume[i], "adj_close": close[i]}, index=index)
        for i, name in enumerate(names)
    }
    return frames, close


def _numpy_pass(close: np.ndarray) -> float:
    """Best of 5: one running max over every close (the floor any scan must pay)."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        np.maximum.accumulate(close, axis=1)
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> list[dict]:
    from datetime import UTC, datetime

    from analysis.config import Config
    from analysis.pipeline import Pipeline
    from analysis.sources.base import FetchResult

    frames, close = synthetic_universe()
    config = Config()
    fetched = FetchResult(bars=frames, source="synthetic",
                          fetched_at=datetime(2025, 12, 9, 22, 0, tzinfo=UTC))
    now = datetime(2025, 12, 9, 22, 0, tzinfo=UTC)
    warm = FetchResult(bars=dict(list(frames.items())[:3]), source="synthetic",
                       fetched_at=fetched.fetched_at)
    Pipeline(config, source=None).analyze(warm, now=now)  # imports and calendars, not timed
    walls, cpus = [], []
    for _ in range(RUNS):  # each with a fresh pipeline: nothing memoised between runs
        t0 = time.perf_counter()
        c0 = time.process_time()
        snap = Pipeline(config, source=None).analyze(fetched, now=now).snapshot
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - t0)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    floor = _numpy_pass(close)
    n = len(frames)
    scale = 3000 / n
    analysed = len(snap.symbols)
    return [
        {
            "id": "scan: 3,000 symbols",
            "name": f"scan: {n:,} symbols x {SESSIONS:,} bars, whole analyze()",
            "measured": wall * scale,
            "target": TARGET_S,
            "unit": "s",
            "note": f"median of {RUNS} runs ({', '.join(f'{w * scale:.2f}' for w in walls)} s); "
            f"{wall / n * 1000:.2f} ms per symbol (CPU {cpu / n * 1000:.2f} ms); "
            f"{analysed:,} analysed, {len(snap.errors)} errors; one numpy running max over the "
            f"same {n:,}x{SESSIONS:,} closes: {floor * 1000:.1f} ms"
            + (f"; scaled x{scale:g} from {n} symbols" if scale != 1 else ""),
        },
        {
            "id": "scan: vs one numpy pass",
            "name": "scan vs one numpy pass over the same closes (ratio)",
            "measured": wall / floor,
            "target": TARGET_RATIO,
            "unit": "x",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
