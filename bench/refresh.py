"""Refresh cycle: ``Pipeline(Config(), SampleSource())`` analysing the default universe (the bundled
real bars, 25 symbols x 8 years) — first analysis, a warm refresh where every symbol hits the facts
memo, and a refresh where one symbol's last bar changed (the other symbols hit the memo)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 50.0
TARGET_FIRST_MS = 500.0  # the first analysis of a start, lazy imports included
TARGET_FRESH_MS = 300.0  # every symbol analysed, nothing memoised
REPEATS = 15
CHANGED = "KRE"  # not the benchmark: a changed benchmark invalidates every symbol's RS

_COLD = """
import time
t0 = time.perf_counter()
from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
pipe = Pipeline(Config(), SampleSource())
fetched = pipe.fetch()
t1 = time.perf_counter()
pipe.analyze(fetched)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _cold() -> tuple[float, float]:
    """(imports + bundled bars, first analysis) in seconds, in a fresh interpreter."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _COLD], cwd=root, capture_output=True, text=True,
                         check=True, timeout=300).stdout.split()
    return float(out[0]), float(out[1])


def _ms(fn) -> float:
    """Wall-clock milliseconds of one call (the machine is shared: see the CPU figure too)."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def _nudged(df, step: int):
    """``df`` with its last close and volume moved a little (a new quote)."""
    df = df.copy()
    last = df.index[-1]
    df.loc[last, "close"] = df.loc[last, "close"] * (1.0 + 0.0001 * step)
    df.loc[last, "high"] = max(df.loc[last, "high"], df.loc[last, "close"])
    df.loc[last, "volume"] = df.loc[last, "volume"] + 100.0 * step
    return df


def _with_last_bar_nudged(fetched, symbols, step: int):
    """The same fetch with each of ``symbols``' last bar moved (a quote cycle)."""
    from analysis.sources.base import FetchResult

    moved = {s: _nudged(fetched.bars[s], step) for s in symbols}
    return FetchResult(bars={**fetched.bars, **moved}, source=fetched.source,
                       fetched_at=fetched.fetched_at)


def run() -> list[dict]:
    from analysis.config import Config
    from analysis.pipeline import Pipeline
    from analysis.sources.sample import SampleSource

    load_s, first_s = _cold()

    pipe = Pipeline(Config(), SampleSource())
    fetched = pipe.fetch()
    n = len(fetched.bars)
    rows = sum(len(df) for df in fetched.bars.values())
    pipe.analyze(fetched)  # imports, calendars, first fill of the memo

    full = [_ms(lambda: Pipeline(Config(), SampleSource()).analyze(fetched))
            for _ in range(5)]
    warm = [_ms(lambda: pipe.analyze(fetched)) for _ in range(REPEATS)]
    hits_before, misses_before = pipe.cache.hits, pipe.cache.misses
    nudged = [_with_last_bar_nudged(fetched, [CHANGED], i + 1) for i in range(REPEATS)]
    one = [_ms(lambda f=f: pipe.analyze(f)) for f in nudged]
    recomputed = (pipe.cache.misses - misses_before) / REPEATS
    reused = (pipe.cache.hits - hits_before) / REPEATS
    cycles = [_with_last_bar_nudged(fetched, list(fetched.bars), 100 + i) for i in range(REPEATS)]
    every = [_ms(lambda f=f: pipe.analyze(f)) for f in cycles]

    med = statistics.median
    return [
        {
            "name": f"refresh: first analysis, fresh process ({n} symbols)",
            "id": "refresh: first analysis, fresh process",
            "measured": first_s * 1000.0,
            "target": TARGET_FIRST_MS,
            "unit": "ms",
            "note": f"after {load_s:.2f} s of imports + loading {rows:,} bundled bars; includes "
            "lazy imports and reading the bundled NYSE calendar",
        },
        {
            "name": "refresh: warm, every symbol from the facts memo",
            "measured": med(warm),
            "target": TARGET_MS,
            "unit": "ms",
            "note": f"median of {REPEATS}; best {min(warm):.1f}, worst {max(warm):.1f} ms; market "
            "facts (leaders, pair, race, clock) are recomputed every time",
        },
        {
            "name": f"refresh: one bar changed ({CHANGED})",
            "measured": med(one),
            "target": TARGET_MS,
            "unit": "ms",
            "note": f"median of {REPEATS}; re-analysed {recomputed:.0f} symbol(s), "
            f"{reused:.0f} from the memo",
        },
        {
            "name": "refresh: every last bar moved (an intraday quote cycle)",
            "measured": med(every),
            "target": TARGET_MS,
            "unit": "ms",
            "note": f"median of {REPEATS}; every symbol re-analysed, {med(every) / n:.1f} ms "
            f"per symbol; best {min(every):.1f}, worst {max(every):.1f} ms",
        },
        {
            "name": "refresh: a fresh pipeline (empty memo)",
            "measured": med(full),
            "target": TARGET_FRESH_MS,
            "unit": "ms",
            "note": "median of 5",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
