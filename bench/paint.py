"""First paint and idle CPU of the real dashboard, in a real pseudo-terminal (120x40).

First paint: from process start (`python -m tui.cli --source sample`, no config) until the
dashboard's frame is drawn (its pane titles), and until it has drawn the bundled data (SPY's last
close appears on the terminal), each against the same measure for a bare Textual app showing one
DataTable (25 rows), measured in the same run; target: no more than 1.5x the bare app. Two starts
per run: cold (fresh user dirs: nothing cached, the rows wait for pandas and the first analysis)
and warm (the same dirs again: the rows come from the snapshot the cold start saved, marked
CACHED, until the first refresh replaces them — the everyday start). For the warm start the bench
checks that CACHED was on screen and also reports when the live figures replaced the cached ones
(the market clock, which only a live snapshot shows, appears; on data older than the last session,
how old it is, which the cached strip leaves out too).

Both programs run with compiled bytecode, as from an installed wheel (pip compiles it): the
environment may set PYTHONDONTWRITEBYTECODE, which would recompile Basewatch's ~25 modules on
every start (~50 ms) but not Textual's (compiled at install), so the bench gives the children a
bytecode cache of their own (PYTHONPYCACHEPREFIX in a temp dir) and one untimed start of each to
fill it.

Idle: the open dashboard between refreshes (the live feed over the bundled data next refreshes
minutes later): CPU time of the process over ``IDLE_SECONDS`` after it settled, as % of one core;
target < 1%.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

COLS, ROWS = 120, 40
RUNS = 5
IDLE_SECONDS = float(os.environ.get("BASEWATCH_BENCH_IDLE_SECONDS", "20"))
SETTLE_SECONDS = 3.0
TARGET_RATIO = 1.5
# The first start ever (nothing cached) cannot show data at 1.5x a bare app: importing pandas alone
# takes about as long as the bare app's whole first paint. Every later start is the warm rows.
TARGET_COLD_DATA_RATIO = 6.0
TARGET_BARE_MS = 1500.0  # the yardstick: slower than this, the machine is too busy to measure
TARGET_LIVE_MS = 3000.0  # a warm start's live figures replace the cached ones within 3 s
TARGET_IDLE_PCT = 1.0
ROOT = Path(__file__).resolve().parent.parent
FRAME = b"Watchlist"  # a pane title: the dashboard's frame is drawn (rows may still be loading)
CACHED = b"CACHED"  # the strip's mark while the rows are the last session's
# Only a live snapshot's strip has these (the cached one leaves them out): the market clock, or on
# data older than the last session (the bundled sample, a year on) how old it is instead.
LIVE = (b"NYSE ", b" old")

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns(*[f"col{i}" for i in range(10)])
        for r in range(25):
            table.add_row(*[("MARK4242" if (r, c) == (0, 1) else f"{r * 10 + c:,.2f}")
                            for c in range(10)])

Bare().run()
"""


class Terminal:
    """A child process on a pseudo-terminal of COLS x ROWS; its output is read and kept."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.output = bytearray()

    def read(self, timeout: float) -> int:
        """Read what the program wrote within ``timeout`` s; returns the number of bytes."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return 0
        self.output += chunk
        return len(chunk)

    def wait_for(self, marker: bytes | tuple[bytes, ...], limit: float = 60.0) -> float:
        """Seconds from start until ``marker`` (one of them) appeared in the output."""
        while not self.shows(marker):
            if time.perf_counter() - self.started > limit:
                raise TimeoutError(f"{marker!r} not drawn within {limit:g} s")
            self.read(0.05)
        return time.perf_counter() - self.started

    def shows(self, marker: bytes | tuple[bytes, ...]) -> bool:
        return any(m in self.output for m in (marker if isinstance(marker, tuple) else (marker,)))

    def drain(self, seconds: float) -> int:
        """Keep reading for ``seconds``; returns the bytes written meanwhile."""
        ends, total = time.perf_counter() + seconds, 0
        while (left := ends - time.perf_counter()) > 0:
            total += self.read(min(left, 0.2))
        return total

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            ends = time.perf_counter() + grace
            while time.perf_counter() < ends:
                self.read(0.05)
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    os.close(self.fd)
                    return
        os.close(self.fd)


def _env(home: Path, pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASEWATCH_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    for kind in ("config", "cache", "data"):
        path = home / kind
        path.mkdir(exist_ok=True)
        env[f"BASEWATCH_{kind.upper()}_DIR"] = str(path)
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        env[var] = "http://127.0.0.1:9"  # the sample source needs no network; be sure
    env.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("TEXTUAL", None)
    return env


def _spy_last_close() -> bytes:
    from analysis.sources.sample import load_sample

    return f"{load_sample('SPY')['close'].iloc[-1]:,.2f}".encode()


def _cache_written(home: Path, limit: float = 30.0) -> None:
    """Wait until the cold start has saved its snapshot for the next start."""
    from analysis.snapshot_cache import FILE_NAME

    ends = time.perf_counter() + limit
    while not (home / "cache" / FILE_NAME).exists():
        if time.perf_counter() > ends:
            raise TimeoutError("the dashboard saved no snapshot cache")
        time.sleep(0.05)


def _ms(times: list[float]) -> str:
    return ", ".join(f"{t * 1000:.0f}" for t in times)


def run() -> list[dict]:
    marker = _spy_last_close()
    dash = [sys.executable, "-m", "tui.cli", "--source", "sample"]
    t: dict[str, list[float]] = {k: [] for k in (
        "bare", "cold_frame", "cold_data", "warm_frame", "warm_data", "warm_live")}
    idle_pct = idle_bytes = None
    with tempfile.TemporaryDirectory(prefix="basewatch-paint-") as tmp:
        pycache = Path(tmp) / "pycache"
        for i in range(-1, RUNS):  # run -1: untimed, fills the bytecode cache
            home = Path(tmp) / f"run{i}"
            home.mkdir()
            env = _env(home, pycache)
            bare = Terminal([sys.executable, "-c", BARE_APP], env)
            try:
                took = bare.wait_for(b"MARK4242")
            finally:
                bare.close()
            cold = Terminal(dash, env)
            try:
                frame, data = cold.wait_for(FRAME), cold.wait_for(marker)
                _cache_written(home)
            finally:
                cold.close()
            warm = Terminal(dash, env)
            try:
                w_frame, w_data = warm.wait_for(FRAME), warm.wait_for(marker)
                if CACHED not in warm.output or warm.shows(LIVE):
                    raise RuntimeError("the warm start did not paint the cached snapshot first")
                w_live = warm.wait_for(LIVE)
                if i == RUNS - 1:  # the last one stays open: idle CPU between refreshes
                    warm.drain(SETTLE_SECONDS)
                    cpu0, t0 = warm.cpu_seconds(), time.perf_counter()
                    idle_bytes = warm.drain(IDLE_SECONDS)
                    wall = time.perf_counter() - t0
                    idle_pct = (warm.cpu_seconds() - cpu0) / wall * 100.0
            finally:
                warm.close()
            if i >= 0:
                for key, value in zip(t, (took, frame, data, w_frame, w_data, w_live),
                                      strict=True):
                    t[key].append(value)
    med = {k: statistics.median(v) for k, v in t.items()}
    bare_s = med["bare"]
    return [
        {
            "name": "first paint: bare Textual app, one DataTable",
            "measured": bare_s * 1000.0,
            "target": TARGET_BARE_MS,
            "unit": "ms",
            "note": f"median of {RUNS}: {_ms(t['bare'])} ms",
        },
        {
            "name": "first paint, cold: dashboard frame / bare app",
            "measured": med["cold_frame"] / bare_s,
            "target": TARGET_RATIO,
            "unit": "x",
            "note": f"frame: {_ms(t['cold_frame'])} ms (pane titles drawn, rows loading, pandas "
            "not imported yet)",
        },
        {
            "name": "first paint, cold: dashboard with data / bare app",
            "measured": med["cold_data"] / bare_s,
            "target": TARGET_COLD_DATA_RATIO,
            "unit": "x",
            "note": f"with data: {_ms(t['cold_data'])} ms until SPY's last close "
            f"({marker.decode()}) is drawn = imports of pandas/numpy + reading 25 bundled files + "
            "the first analysis (nothing cached yet: first start, or a new config/universe)",
        },
        {
            "name": "first paint, warm: dashboard frame / bare app",
            "measured": med["warm_frame"] / bare_s,
            "target": TARGET_RATIO,
            "unit": "x",
            "note": f"frame: {_ms(t['warm_frame'])} ms",
        },
        {
            "name": "first paint, warm: dashboard with cached data / bare app",
            "measured": med["warm_data"] / bare_s,
            "target": TARGET_RATIO,
            "unit": "x",
            "note": f"with data: {_ms(t['warm_data'])} ms; the rows are the last session's "
            "snapshot, marked CACHED in the strip",
        },
        {
            "name": "warm start: live figures replace the cached ones",
            "measured": med["warm_live"] * 1000.0,
            "target": TARGET_LIVE_MS,
            "unit": "ms",
            "note": f"{_ms(t['warm_live'])} ms from process start (pandas, bundled files, first "
            "analysis, in the worker after the first frame)",
        },
        {
            "id": "idle: open dashboard between refreshes",
            "name": f"idle: open dashboard between refreshes ({IDLE_SECONDS:g} s)",
            "measured": idle_pct,
            "target": TARGET_IDLE_PCT,
            "unit": "% core",
            "note": f"{idle_bytes:,} bytes written to the terminal meanwhile",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
