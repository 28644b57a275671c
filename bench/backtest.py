"""`basewatch backtest` of 238 stocks x 17 years on one core: the track-record engine on seeded
random walks (synthetic, as in bench/bases.py). Every symbol costs the same day-by-day pass, so a
sample of ``BASEWATCH_BENCH_BACKTEST_SYMBOLS`` symbols (default 24) is timed and scaled to 238."""

from __future__ import annotations

import os
import time

from bench.bases import frames, synthetic

UNIVERSE = 238
SESSIONS = 17 * 252
SAMPLE = int(os.environ.get("BASEWATCH_BENCH_BACKTEST_SYMBOLS", "24"))
TARGET_S = 60.0


def run() -> list[dict]:
    from analysis.track_record.engine import backtest

    index, open_, high, low, close, volume = synthetic(SAMPLE, SESSIONS, seed=20040102)
    dfs = frames(index, open_, high, low, close, volume)
    universe = {f"S{i:03d}": df for i, df in enumerate(dfs)}
    backtest(dict(list(universe.items())[:1]), alerted=frozenset())  # warm imports
    t0, c0 = time.perf_counter(), time.process_time()
    result = backtest(universe, alerted=frozenset())
    cpu = time.process_time() - c0  # CPU time: the machine is shared, wall time is noisy
    wall = time.perf_counter() - t0
    per_symbol = cpu / len(universe)
    return [{
        "name": f"backtest: {UNIVERSE} symbols x {SESSIONS:,} sessions (scaled)",
        "measured": per_symbol * UNIVERSE,
        "target": TARGET_S,
        "unit": "s",
        "note": f"CPU time of {len(universe)} symbols ({wall:.1f} s wall), "
                f"{per_symbol * 1000:.0f} ms per symbol, {len(result.signals)} signals",
    }]


if __name__ == "__main__":
    for row in run():
        print(row)
