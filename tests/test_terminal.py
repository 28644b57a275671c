"""The terminal around the dashboard: resized down to 40x12 and back (Pilot, on the dashboard, the
drill-down and help, and for real: a pseudo-terminal whose size changes under the running
`basewatch`), and a 16-colour terminal (only the 16 ANSI colours ever reach it)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from analysis.config import Config
from analysis.sources.sample import load_sample
from tests.frozen_feed import NOW, FrozenFeed, loaded

ROOT = Path(__file__).resolve().parents[1]
SIZES = [(120, 40), (80, 24), (60, 16), (40, 12), (41, 13), (40, 12), (120, 40)]




async def _walk_sizes(app, pilot) -> None:
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await pilot.pause()
        assert app.size == (width, height)
        svg = app.export_screenshot()  # renders every visible widget at this size
        assert "<svg" in svg


async def test_the_dashboard_survives_40x12_and_comes_back_whole():
    from tui.app import BasewatchApp

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        watchlist = app.screen.query_one("#watchlist")
        rows = watchlist.visible_keys()
        await _walk_sizes(app, pilot)
        assert app.screen.query_one("#watchlist").visible_keys() == rows
        assert app.screen.query_one("#watchlist").get_cell("SPY", "last").plain == \
            f"{app.latest.snapshot.symbols['SPY'].last:,.2f}"
        # and the keys still work after all that
        await pilot.press("j", "j")
        assert watchlist.cursor_key() == rows[2]


async def test_drilldown_and_help_survive_40x12():
    from tui.app import BasewatchApp
    from tui.screens.drilldown import DrilldownScreen
    from tui.screens.help import HelpScreen

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")  # the symbol under the cursor
        deadline = time.monotonic() + 30
        while not isinstance(app.screen, DrilldownScreen):
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await _walk_sizes(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.action_help()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await _walk_sizes(app, pilot)


# ------------------------------------------------------------------------ a real pseudo-terminal

class Pty:
    """`basewatch --source sample` on a pseudo-terminal; its output is kept."""

    def __init__(self, cols: int, rows: int, env: dict[str, str], *args: str) -> None:
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(ROOT)
            argv = [sys.executable, "-m", "tui.cli", "--source", "sample", *args]
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.resize(cols, rows)
        self.output = bytearray()

    def resize(self, cols: int, rows: int) -> None:
        """What a terminal window does: set the size; the kernel sends SIGWINCH to the app."""
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def read_for(self, seconds: float) -> None:
        ends = time.monotonic() + seconds
        while (left := ends - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.1))
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def wait_for(self, marker: bytes, limit: float = 60.0) -> None:
        """Until ``marker`` is in the output (kept since the start, or the last ``clear``)."""
        ends = time.monotonic() + limit
        while marker not in self.output:
            assert self.alive(), self.output[-2000:].decode(errors="replace")
            assert time.monotonic() < ends, f"{marker!r} never drawn"
            self.read_for(0.1)

    def alive(self) -> bool:
        return os.waitpid(self.pid, os.WNOHANG) == (0, 0)

    def close(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            for _ in range(50):
                self.read_for(0.1)
                if not self.alive():
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        os.close(self.fd)


def pty_env(user_dirs, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({f"BASEWATCH_{k.upper()}_DIR": str(v) for k, v in user_dirs.items()})
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TEXTUAL_COLOR_SYSTEM", None)
    env.update(extra)
    return env


def spy_close() -> bytes:
    return f"{load_sample('SPY')['close'].iloc[-1]:,.2f}".encode()


def test_a_real_terminal_resized_to_40x12_and_back(user_dirs):
    term = Pty(120, 40, pty_env(user_dirs))
    try:
        term.wait_for(spy_close())
        for cols, rows in [(80, 24), (40, 12), (40, 12), (120, 40)]:
            term.resize(cols, rows)
            term.read_for(0.7)
            assert term.alive()
        term.output.clear()
        term.resize(119, 40)  # one more change: the app redraws the whole dashboard again
        term.wait_for(b"Watchlist", limit=30)
        term.wait_for(spy_close(), limit=30)
    finally:
        term.close()


SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def colours_used(output: bytes) -> set[str]:
    """Every colour an SGR sequence sets: '16' for the 16 ANSI colours, '256' or 'rgb' else."""
    found: set[str] = set()
    for match in SGR.finditer(output):
        params = [p for p in match.group(1).split(b";") if p]
        i = 0
        while i < len(params):
            p = int(params[i])
            if p in (38, 48) and i + 1 < len(params):
                kind = int(params[i + 1])
                found.add("256" if kind == 5 else "rgb")
                i += 3 if kind == 5 else 5
                continue
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                found.add("16")
            i += 1
    return found


@pytest.mark.parametrize("theme", ["ansi16", "basewatch-dark"])
def test_a_16_colour_terminal_only_gets_the_16_colours(user_dirs, theme):
    env = pty_env(user_dirs, TERM="xterm", TEXTUAL_COLOR_SYSTEM="standard")
    env.pop("COLORTERM")
    term = Pty(100, 30, env, "--theme", theme)
    try:
        term.wait_for(spy_close())
        term.read_for(0.5)
    finally:
        term.close()
    used = colours_used(bytes(term.output))
    assert used == {"16"}, used


def test_the_colour_check_can_tell_truecolor_apart(user_dirs):
    """The same check on a truecolor terminal sees RGB colours: it is not blind."""
    term = Pty(100, 30, pty_env(user_dirs))
    try:
        term.wait_for(spy_close())
    finally:
        term.close()
    assert "rgb" in colours_used(bytes(term.output))
