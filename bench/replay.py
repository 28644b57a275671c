"""A long replay at the speed a trader asks for: ``--speed 50`` over the default universe (25
symbols), through the running dashboard, headless, in a fresh process.

The replay loops over the last ``SESSIONS`` (500) bundled sessions (rewound at the end), so what
one session costs stays the same all along and any growth of memory is a leak, not longer
history. Measured: resident memory after ``BASEWATCH_REPLAY_T1`` seconds (60) and after
``BASEWATCH_REPLAY_T2`` seconds (600) (target: within 10%), and the speed achieved against the
speed asked, with the header's label at the end (it must show the achieved speed when the
replay falls short). ``BASEWATCH_REPLAY_TRACE=1`` also prints the 10 allocation sites that grew
most between T1 and T2 (tracemalloc; slows the replay down several times).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

T1 = float(os.environ.get("BASEWATCH_REPLAY_T1", "60"))
T2 = float(os.environ.get("BASEWATCH_REPLAY_T2", "600"))
TRACE = os.environ.get("BASEWATCH_REPLAY_TRACE", "") == "1"
SPEED = 50.0
SESSIONS = 500
TARGET_RSS_GROWTH_PCT = 10.0
ROOT = Path(__file__).resolve().parent.parent

REPLAY = r"""
import asyncio, gc, json, sys, time, tracemalloc

from analysis.config import Config
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tui.app import BasewatchApp

T1, T2, SPEED, SESSIONS, TRACE = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5] == "1"
RECENT = 5.0  # seconds: the header's speed is held to the sessions/s of the last few seconds


class Looping(ReplayFeed):
    # The replay feed over the last SESSIONS sessions, rewound at its end.
    def _load(self, symbols):
        super()._load(symbols)
        self._sessions = self._sessions[-SESSIONS:]

    @property
    def finished(self):  # never: the app would stop ticking
        return False

    def next(self, symbols):
        if self._sessions and self._index >= len(self._sessions) - 1:
            self.rewind()
            self.loops += 1
        self.sessions += 1
        return super().next(symbols)

    loops = sessions = 0


def rss_kb():
    return next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmRSS:"))


async def main():
    config = Config()
    feed = Looping(Pipeline(config, SampleSource()), start=None, speed=SPEED)
    app = BasewatchApp(config, lambda: feed, auto_refresh=True)
    marks, traced = {}, None
    async with app.run_test(headless=True, size=(120, 40), notifications=True):
        t0 = time.monotonic()
        while app.refreshes_applied < 1:
            await asyncio.sleep(0.1)
        t0 = time.monotonic()  # the clock starts with the first frame of data
        if TRACE:
            tracemalloc.start(12)
        for name, at in (("t1", T1), ("t2", T2)):
            while time.monotonic() - t0 < at - RECENT:
                await asyncio.sleep(0.5)
            before = (time.monotonic(), feed.sessions)  # the speed of the last RECENT seconds
            while time.monotonic() - t0 < at:
                await asyncio.sleep(0.05)
            label, now, sessions = app.feed_label, time.monotonic(), feed.sessions
            gc.collect()
            marks[name] = {"rss_kb": rss_kb(), "sessions": sessions,
                           "at": now - t0, "label": label, "achieved": feed.achieved,
                           "recent": (sessions - before[1]) / (now - before[0])}
            if TRACE:
                snap = tracemalloc.take_snapshot()
                if traced is not None:
                    for stat in snap.compare_to(traced, "traceback")[:10]:
                        print(f"{stat.size_diff / 1024:+.0f} KB {stat.count_diff:+d}",
                              file=sys.stderr)
                        for line in stat.traceback.format()[-8:]:
                            print("   ", line, file=sys.stderr)
                traced = snap
        marks["loops"] = feed.loops
        marks["universe"] = len(app.universe())
        marks["memo"] = len(feed.pipeline.cache)
        app.action_pause()  # and let the running refresh land before the app closes
        while app.busy:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
    print(json.dumps(marks))


asyncio.run(main())
"""


TARGET_SHOWN_ERROR_PCT = 20.0  # the header's "Nx" within 20% of the sessions/s reached


def _shown_error(label: str, rate: float) -> float:
    """How far (in %) the speed the header shows ("REPLAY 2025-09-15 5.8x (50x asked)": 5.8) is
    from the sessions per second measured by the bench over the same moments (the last few
    seconds: the header shows the speed now, and a shared machine's speed varies over minutes);
    100 when the header shows none."""
    import re

    m = re.search(r"(\d+(?:\.\d+)?)x", label)
    if m is None or rate <= 0:
        return 100.0
    return abs(float(m.group(1)) / rate - 1.0) * 100.0


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="basewatch-replay-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BASEWATCH_")}
        for kind in ("config", "cache", "data"):
            (Path(tmp) / kind).mkdir()
            env[f"BASEWATCH_{kind.upper()}_DIR"] = str(Path(tmp) / kind)
        done = subprocess.run([sys.executable, "-c", REPLAY, str(T1), str(T2), str(SPEED),
                               str(SESSIONS), "1" if TRACE else "0"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=T2 * 3 + 600)
    if TRACE:
        print(done.stderr, file=sys.stderr)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-25:])
        raise RuntimeError(f"the replay process exited with {done.returncode}:\n{tail}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    t1, t2 = marks["t1"], marks["t2"]
    growth = (t2["rss_kb"] - t1["rss_kb"]) / t1["rss_kb"] * 100.0
    rate = (t2["sessions"] - t1["sessions"]) / (t2["at"] - t1["at"])
    return [
        {
            "name": f"replay {SPEED:g}x: RSS growth {T1:g} s -> {T2:g} s",
            "measured": growth,
            "target": TARGET_RSS_GROWTH_PCT,
            "unit": "%",
            "note": f"{t1['rss_kb'] / 1024:.0f} MB after {t1['sessions']:,} sessions, "
            f"{t2['rss_kb'] / 1024:.0f} MB after {t2['sessions']:,}; {marks['universe']} "
            f"symbols, {marks['loops']} passes over {SESSIONS} sessions, facts memo "
            f"{marks['memo']} entries",
        },
        {
            "name": f"replay {SPEED:g}x: header's speed vs the speed achieved",
            "measured": _shown_error(t2["label"], t2["recent"]),
            "target": TARGET_SHOWN_ERROR_PCT,
            "unit": "%",
            "note": f"{t2['recent']:.2f} sessions/s in the last 5 s ({rate:.2f} on average "
                    f"from {T1:g} s to {T2:g} s), {SPEED:g} asked; the header said "
                    f"{t2['label']!r} (it must say what is reached, not what was asked)",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
