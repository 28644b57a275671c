"""First paint and idle CPU of the real dashboard, in a real pseudo-terminal (120x40).

First paint: from process start (`python -m tui.cli --source sample`, fresh user dirs, no config)
until the dashboard's frame is drawn (its pane titles), and until it has drawn the bundled data
(SPY's last close appears on the terminal), each against the same measure for a bare Textual app
showing one DataTable (25 rows), measured in the same run; target: no more than 1.5x the bare app.

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
RUNS = 3
IDLE_SECONDS = float(os.environ.get("BASEWATCH_BENCH_IDLE_SECONDS", "20"))
SETTLE_SECONDS = 3.0
TARGET_RATIO = 1.5
TARGET_IDLE_PCT = 1.0
ROOT = Path(__file__).resolve().parent.parent
FRAME = b"Watchlist"  # a pane title: the dashboard's frame is drawn (rows may still be loading)

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

    def wait_for(self, marker: bytes, limit: float = 60.0) -> float:
        """Seconds from start until ``marker`` appeared in the output."""
        while marker not in self.output:
            if time.perf_counter() - self.started > limit:
                raise TimeoutError(f"{marker!r} not drawn within {limit:g} s")
            self.read(0.05)
        return time.perf_counter() - self.started

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


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASEWATCH_")}
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


def run() -> list[dict]:
    marker = _spy_last_close()
    dash_times, bare_times, frame_times = [], [], []
    idle_pct = idle_bytes = None
    with tempfile.TemporaryDirectory(prefix="basewatch-paint-") as tmp:
        for i in range(RUNS):
            home = Path(tmp) / f"run{i}"
            home.mkdir()
            env = _env(home)
            bare = Terminal([sys.executable, "-c", BARE_APP], env)
            try:
                bare_times.append(bare.wait_for(b"MARK4242"))
            finally:
                bare.close()
            dash = Terminal([sys.executable, "-m", "tui.cli", "--source", "sample"], env)
            try:
                frame_times.append(dash.wait_for(FRAME))
                dash_times.append(dash.wait_for(marker))
                if i == RUNS - 1:  # the last one stays open: idle CPU between refreshes
                    dash.drain(SETTLE_SECONDS)
                    cpu0, t0 = dash.cpu_seconds(), time.perf_counter()
                    idle_bytes = dash.drain(IDLE_SECONDS)
                    wall = time.perf_counter() - t0
                    idle_pct = (dash.cpu_seconds() - cpu0) / wall * 100.0
            finally:
                dash.close()
    dash_s, bare_s = statistics.median(dash_times), statistics.median(bare_times)
    frame_s = statistics.median(frame_times)
    return [
        {
            "name": "first paint: dashboard frame, rows loading (pty 120x40)",
            "measured": frame_s * 1000.0,
            "target": None,
            "unit": "ms",
            "note": f"median of {RUNS}: {', '.join(f'{t * 1000:.0f}' for t in frame_times)} ms, "
            "until the pane titles are on the terminal (pandas not imported yet)",
        },
        {
            "name": "first paint: dashboard frame / bare app",
            "measured": frame_s / bare_s,
            "target": TARGET_RATIO,
            "unit": "x",
        },
        {
            "name": "first paint: dashboard with bundled data (pty 120x40)",
            "measured": dash_s * 1000.0,
            "target": None,
            "unit": "ms",
            "note": f"median of {RUNS}: {', '.join(f'{t * 1000:.0f}' for t in dash_times)} ms, "
            f"process start until SPY's last close ({marker.decode()}) is on the terminal",
        },
        {
            "name": "first paint: bare Textual app, one DataTable",
            "measured": bare_s * 1000.0,
            "target": None,
            "unit": "ms",
            "note": f"median of {RUNS}: {', '.join(f'{t * 1000:.0f}' for t in bare_times)} ms",
        },
        {
            "name": "first paint: dashboard with data / bare app",
            "measured": dash_s / bare_s,
            "target": TARGET_RATIO,
            "unit": "x",
            "note": "with data = imports of pandas/numpy + reading 25 bundled files + the first "
            "analysis (see bench refresh: first analysis in a fresh process)",
        },
        {
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
