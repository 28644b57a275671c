"""A universe of 2,000 synthetic members x 10 years (the seeded random walks of ``bench.scan``)
through the live pipeline with the universe (every per-symbol fact, RS ratings, breadth, sectors),
measured in a fresh process on one core (numpy's threads pinned to 1):

- the full analysis from bars in memory (what a first refresh after the store costs);
- a refresh in which one day's bars changed for 1% of the members (a few quotes ticked): only
  those are analysed again (the facts cache), the universe's ratings and breadth recomputed;
- for comparison, a refresh in which every member gained a session (each one changed);
- the peak RSS of that process;
- `basewatch scan --universe` of the 238 stocks in ``../shared/data/sp500`` (CSV files read, parsed
  and analysed, end to end), only when that folder exists (``BASEWATCH_EVAL_DATA`` points
  elsewhere).

``BASEWATCH_BENCH_MEMBERS`` shrinks the universe for a quick look (figures are then not scaled).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

MEMBERS = int(os.environ.get("BASEWATCH_BENCH_MEMBERS", "2000"))
SESSIONS = 2520
TARGET_FULL_S = 2.0
TARGET_REFRESH_S = 0.5
TARGET_RSS_MB = 600.0
TARGET_SCAN_S = 5.0
TICKED = 0.01  # share of members whose last bar changes in the one-day refresh
ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BASEWATCH_EVAL_DATA",
                             ROOT.parent / "shared" / "data" / "sp500"))
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _ticked(frames: dict, share: float) -> dict:
    """The frames with the last bar of every 1/share-th member moved up 1% (a live quote)."""
    step = max(int(round(1 / share)), 1)
    out = dict(frames)
    for name in list(frames)[::step]:
        df = frames[name].copy()
        last = df.index[-1]
        df.loc[last, "close"] *= 1.01
        df.loc[last, "high"] = max(df.loc[last, "high"], df.loc[last, "close"])
        out[name] = df
    return out


def _next_session(frames: dict) -> dict:
    """Every frame with one more session (the last bar repeated 0.5% higher, a day later)."""
    import numpy as np
    import pandas as pd

    out = {}
    for name, df in frames.items():
        bar = df.iloc[[-1]] * np.where(df.columns == "volume", 1.0, 1.005)  # one block, as the
        bar.index = bar.index + pd.offsets.BDay(1)  # app's bars (`*=` on columns split them)
        out[name] = pd.concat([df, bar])
    return out


def _frames(members: int) -> dict:
    """``members`` frames from ``bench.scan``'s walks, made 100 at a time (so the generator's
    temporary arrays do not inflate the peak RSS), named U0000...; the benchmark SPY among them."""
    from bench.scan import SEED, synthetic_universe

    frames: dict = {}
    for k in range(0, members, 100):
        chunk, _ = synthetic_universe(min(100, members - k), SESSIONS, seed=SEED + k)
        for j, (name, df) in enumerate(chunk.items()):
            frames["SPY" if (k == 0 and name == "SPY") else f"U{k + j:04d}"] = df
    return frames


def _timed(fn) -> tuple[float, float]:
    """(wall, CPU) seconds of ``fn()``."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def _peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not ``ru_maxrss``: Linux carries that
    over from the parent through fork and exec, so a child of `python -m bench`, which has run the
    3,000-symbol benchmarks in-process, reported the parent's 1.1 GB."""
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kb / 1024.0


def measure() -> dict:
    """Run in the child process: the timings and the peak RSS, as a dict."""
    from datetime import UTC, datetime

    from analysis.config import Config
    from analysis.pipeline import Pipeline
    from analysis.sources.base import FetchResult
    from analysis.universe import Member, Universe

    frames = _frames(MEMBERS)
    sectors = ("Financials", "Industrials", "Health Care", "Information Technology", "Energy")
    universe = Universe("synthetic", tuple(Member(s, s, sectors[i % len(sectors)])
                                           for i, s in enumerate(frames)))
    config = Config()
    now = datetime(2025, 12, 9, 22, 0, tzinfo=UTC)

    def fetched(bars: dict) -> FetchResult:
        return FetchResult(bars=bars, source="synthetic", fetched_at=now)

    warm = dict(list(frames.items())[:3])
    Pipeline(config, None, universe).analyze(fetched(warm), now=now)  # imports, calendars
    pipe = Pipeline(config, None, universe)
    out: list = []
    full = _timed(lambda: out.append(pipe.analyze(fetched(frames), now=now).snapshot))
    snap = out[0]
    ticked = _ticked(frames, TICKED)
    refresh = _timed(lambda: pipe.analyze(fetched(ticked), now=now))
    rss = _peak_rss_mb()
    changed = sum(ticked[s] is not frames[s] for s in frames)
    ticked.clear()
    later = _next_session(frames)  # a second copy of every bar: measured after the RSS
    every = _timed(lambda: pipe.analyze(fetched(later), now=now))
    return {
        "members": len(frames), "full": full, "refresh": refresh, "every": every, "rss_mb": rss,
        "rated": len(snap.universe.rs_rating), "errors": len(snap.errors),
        "changed": changed,
    }


def _child() -> dict:
    env = {**os.environ, **ONE_CORE, "PYTHONPATH": str(ROOT)}
    code = "import json, bench.universe as b; print(json.dumps(b.measure()))"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _scan_shared() -> tuple[float, float]:
    """(wall, CPU) seconds of `basewatch scan --universe csv:DIR --json` over the shared stocks."""
    import resource

    spec = f"csv:{SHARED}"
    env = {**os.environ, **ONE_CORE, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui.cli", "scan", "--source", spec, "--universe", spec,
                    "--json"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run() -> list[dict]:
    m = _child()
    n = m["members"]
    rows = [
        {"name": f"universe: {n:,} members x {SESSIONS:,} bars, full analysis (CPU)",
         "measured": m["full"][1], "target": TARGET_FULL_S, "unit": "s",
         "note": f"CPU seconds on one core (wall {m['full'][0]:.2f} s on a shared machine); "
                 f"{m['rated']:,} rated, {m['errors']} errors; every fact, RS, breadth, sectors"},
        {"name": f"universe: refresh, one day changed for {m['changed']} members (CPU)",
         "measured": m["refresh"][1], "target": TARGET_REFRESH_S, "unit": "s",
         "note": f"wall {m['refresh'][0]:.2f} s; only the changed members analysed again, "
                 "ratings and breadth of all"},
        {"name": "universe: refresh, every member a new session (CPU)",
         "measured": m["every"][1], "target": TARGET_FULL_S, "unit": "s",
         "note": f"wall {m['every'][0]:.2f} s; the first refresh of a session: every member "
                 "changed and is analysed again, so it has the full analysis' target"},
        {"name": "universe: peak RSS of that process", "measured": m["rss_mb"],
         "target": TARGET_RSS_MB, "unit": "MB",
          "note": "after the full analysis and one refresh: bars of every member, the facts "
                 "cache, the snapshots"},
    ]
    if SHARED.is_dir():
        count = len(list(SHARED.glob("*.csv")))
        wall, cpu = _scan_shared()
        rows.append({"name": f"universe: scan --universe of {count} shared stocks (CPU)",
                     "measured": cpu, "target": TARGET_SCAN_S, "unit": "s",
                     "note": f"wall {wall:.2f} s on a shared machine; end to end: start, read "
                             f"{count} CSV files, analyse, print the JSON"})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
