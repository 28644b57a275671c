"""All day, and then some: ``SESSIONS`` (10,000) replayed sessions through the running dashboard,
headless, as fast as it goes — the replay feed over the bundled real bars (2018-2025), started over
each time it reaches the end, every snapshot applied to the screen and diffed into the event log.

Measured in a fresh process: resident memory after warm-up (the first whole pass over the history:
the frames are then at their longest and the facts memo full; ``WARMUP`` sessions for a run
shorter than two passes) and at the end (target: < 5% growth), threads and open file handles (no
growth), and whether the app applied every replayed session to the screen (a refresh loop that
drops or stalls results would show here). The event-log file is reported: a replay writes nothing
to it (its events stay in memory, bounded).

``BASEWATCH_SOAK_SESSIONS`` / ``BASEWATCH_SOAK_SYMBOLS`` change the length and the universe (the
default: the watchlist's first 6 symbols, SPY/IWM, 2 crypto and the race; the default universe
of 25 symbols costs ~0.2 s of analysis per session here, so 10,000 sessions would take an hour).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SESSIONS = int(os.environ.get("BASEWATCH_SOAK_SESSIONS", "10000"))
SYMBOLS = int(os.environ.get("BASEWATCH_SOAK_SYMBOLS", "6"))
WARMUP = max(SESSIONS // 10, 50)
TARGET_RSS_GROWTH_PCT = 5.0
ROOT = Path(__file__).resolve().parent.parent

SOAK = r"""
import asyncio, dataclasses, json, os, sys, time
from datetime import UTC, datetime

from analysis.config import Config
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tui.app import BasewatchApp
from tui.widgets.event_log import EventLogPane

SESSIONS, SYMBOLS, WARMUP = (int(x) for x in sys.argv[1:4])


class Looping:
    # The replay feed over the whole bundled history, started over at its end.
    def __init__(self, config):
        self.pipeline = Pipeline(config, SampleSource())
        self.feed = ReplayFeed(self.pipeline, start=datetime(2018, 3, 1).date(), speed=64.0)
        self.sessions = self.loops = 0

    def next(self, symbols):
        if self.feed.finished:
            self.feed = ReplayFeed(self.pipeline, start=self.feed.start, speed=64.0)
            self.loops += 1
        refresh = self.feed.next(symbols)
        self.sessions += 1
        return refresh

    def delay(self, refresh):
        return 0.0

    # A replay can change speed: the app knows it by these, and keeps its events in memory.
    def faster(self):
        return self.feed.faster()

    def slower(self):
        return self.feed.slower()

    def label(self, refresh):
        return self.feed.label(refresh)


def proc():
    rss = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmRSS:"))
    return {"rss_kb": rss, "threads": len(os.listdir("/proc/self/task")),
            "fds": len(os.listdir("/proc/self/fd"))}


async def main():
    base = Config()
    config = dataclasses.replace(base, watchlist=base.watchlist[:SYMBOLS], sectors=(),
                                 crypto=base.crypto[:2])
    feed = Looping(config)
    app = BasewatchApp(config, lambda: feed, auto_refresh=True)
    samples = []
    t0 = time.perf_counter()
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        warm = None
        while feed.sessions < SESSIONS:
            await asyncio.sleep(0.5)
            # warm: one whole pass over the history (the longest frames, a full memo), or for a
            # run shorter than two passes, WARMUP sessions
            passed = feed.loops >= 1 if SESSIONS >= 2 * 2000 else feed.sessions >= WARMUP
            if warm is None and passed:
                warm = {**proc(), "sessions": feed.sessions, "at": time.perf_counter() - t0}
            samples.append({**proc(), "sessions": feed.sessions})
        await pilot.pause()
        pane = app.screen.query_one(EventLogPane)
        end = {**proc(), "sessions": feed.sessions, "at": time.perf_counter() - t0,
               "loops": feed.loops, "applied": app.refreshes_applied,
               "pane_lines": len(pane.lines), "pane_max": pane.max_lines,
               "universe": len(app.universe())}
    from analysis.events import EventLog
    log = EventLog()
    end["log_bytes"] = sum(p.stat().st_size for p in log.files())
    end["log_limit"] = (log.backups + 1) * log.max_bytes
    end["log_events"] = len(log.read())
    print(json.dumps({"warm": warm, "end": end, "samples": samples[-400:]}))


asyncio.run(main())
"""


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="basewatch-soak-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BASEWATCH_")}
        for kind in ("config", "cache", "data"):
            (Path(tmp) / kind).mkdir()
            env[f"BASEWATCH_{kind.upper()}_DIR"] = str(Path(tmp) / kind)
        done = subprocess.run([sys.executable, "-c", SOAK, str(SESSIONS), str(SYMBOLS),
                               str(WARMUP)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=6 * 3600)
    if done.returncode != 0:  # say why: the last lines of the soak's own error output
        tail = "\n".join(done.stderr.strip().splitlines()[-25:])
        raise RuntimeError(f"the soak process exited with {done.returncode}:\n{tail}")
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    warm, end, samples = doc["warm"], doc["end"], doc["samples"]
    after = [s for s in samples if s["sessions"] >= warm["sessions"]]
    peak = max(s["rss_kb"] for s in after)
    growth = (end["rss_kb"] - warm["rss_kb"]) / warm["rss_kb"] * 100.0
    rate = (end["sessions"] - warm["sessions"]) / (end["at"] - warm["at"])
    return [
        {
            "id": "all day: RSS growth",
            "name": f"all day: RSS growth over {end['sessions']:,} replayed sessions",
            "measured": growth,
            "target": TARGET_RSS_GROWTH_PCT,
            "unit": "%",
            "note": f"{warm['rss_kb'] / 1024:.0f} MB after {warm['sessions']:,} sessions, "
            f"{end['rss_kb'] / 1024:.0f} MB at the end (peak {peak / 1024:.0f} MB); "
            f"{end['universe']} symbols, {end['loops']} passes over the bundled history, "
            f"{rate:.1f} sessions/s, {end['at'] / 60:.1f} min",
        },
        {
            "name": "all day: threads (end - after warm-up)",
            "measured": end["threads"] - warm["threads"],
            "target": 0,
            "unit": "",
            "note": f"{warm['threads']} -> {end['threads']}; max over the run "
            f"{max(s['threads'] for s in after)}",
        },
        {
            "name": "all day: open file handles (end - after warm-up)",
            "measured": end["fds"] - warm["fds"],
            "target": 0,
            "unit": "",
            "note": f"{warm['fds']} -> {end['fds']}; max over the run "
            f"{max(s['fds'] for s in after)}",
        },
        {
            "id": "all day: sessions not applied to the screen",
            "name": "all day: replayed sessions not applied to the screen",
            "measured": end["sessions"] - end["applied"],
            "target": 1,
            "unit": "",
            "note": f"{end['sessions']:,} computed, {end['applied']:,} applied (the last may still "
            f"be in flight); {end['pane_lines']} lines on screen",
        },
        {
            "name": "all day: bytes the replay wrote to the live event log",
            "measured": end["log_bytes"],
            "target": 0,
            "unit": "B",
            "baseline": False,
            "note": "a replay keeps its events in memory (bounded): replayed history never enters "
            "or rotates away the live log",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
