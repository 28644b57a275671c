"""The README's screenshots: SVGs of the real app over the bundled sample data, made by Textual's
own screenshot export (no hand editing).

    python -m tui.screenshots [OUT_DIR]        (or `make screenshots`; default OUT_DIR:
                                                 tui/screenshots/)

Every shot is the app exactly as ``basewatch --source sample --replay --from 2025-12-09
--to 2025-12-09`` shows it: the bundled bars as of 2025-12-09 (the article's day), after the close,
with a fixed wall clock, so the countdowns and every number come out the same on every run. The
user's config, state file, themes and bar store are never read or written: the config, cache and
data dirs point at a temporary folder while the shots are taken. The sample source reads package
files only, so there is no network.

Shots: ``dashboard.svg`` (120x40, the default dark theme), ``drilldown.svg`` (KRE's drill-down,
120x40, opened with enter on its watchlist row), ``dashboard-light.svg`` (``basewatch-light``) and
``dashboard-80x24.svg`` (80x24, ``ansi16`` theme on a 16-colour terminal: how it looks over SSH or
in tmux), and ``setups.svg`` (120x40: the setups screen, ``u``, over a universe of the bundled
ETFs with their names and sectors, ``SAMPLE_MEMBERS``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ASOF = date(2025, 12, 9)
NOW = datetime(2025, 12, 9, 21, 30, tzinfo=UTC)  # 16:30 in New York, after the close
DEFAULT_OUT = Path(__file__).parent
TIMEOUT = 120.0  # seconds a shot may take to load before it is reported as failed

# The terminal each shot runs in: the colour environment Rich reads to pick its colour system.
TRUECOLOR = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
ANSI16 = {"TERM": "xterm", "COLORTERM": None}


@dataclass(frozen=True)
class Shot:
    """One screenshot: file name, terminal size, theme (None: the default), terminal colours,
    and the symbol whose drill-down is opened (None: the dashboard)."""

    filename: str
    size: tuple[int, int]
    theme: str | None = None
    terminal: tuple[tuple[str, str | None], ...] = tuple(TRUECOLOR.items())
    drilldown: str | None = None
    setups: bool = False


SAMPLE_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("DIA", "SPDR Dow Jones Industrial Average ETF", ""),
    ("IJR", "iShares Core S&P Small-Cap ETF", ""),
    ("IWM", "iShares Russell 2000 ETF", ""),
    ("QQQ", "Invesco QQQ Trust", ""),
    ("SPY", "SPDR S&P 500 ETF Trust", ""),
    ("KRE", "SPDR S&P Regional Banking ETF", "Financials"),
    ("XLF", "Financial Select Sector SPDR", "Financials"),
    ("SMH", "VanEck Semiconductor ETF", "Information Technology"),
    ("SOXX", "iShares Semiconductor ETF", "Information Technology"),
    ("XLK", "Technology Select Sector SPDR", "Information Technology"),
    ("XLB", "Materials Select Sector SPDR", "Materials"),
    ("XLC", "Communication Services Select Sector SPDR", "Communication Services"),
    ("XLE", "Energy Select Sector SPDR", "Energy"),
    ("XLI", "Industrial Select Sector SPDR", "Industrials"),
    ("XLP", "Consumer Staples Select Sector SPDR", "Consumer Staples"),
    ("XLRE", "Real Estate Select Sector SPDR", "Real Estate"),
    ("XLU", "Utilities Select Sector SPDR", "Utilities"),
    ("XLV", "Health Care Select Sector SPDR", "Health Care"),
    ("XLY", "Consumer Discretionary Select Sector SPDR", "Consumer Discretionary"),
)
"""The setups shot's universe: the bundled ETFs (the package ships no single stocks)."""

SHOTS: tuple[Shot, ...] = (
    Shot("dashboard.svg", (120, 40)),
    Shot("drilldown.svg", (120, 40), drilldown="KRE"),
    Shot("dashboard-light.svg", (120, 40), theme="basewatch-light"),
    Shot("dashboard-80x24.svg", (80, 24), theme="ansi16", terminal=tuple(ANSI16.items())),
    Shot("setups.svg", (120, 40), setups=True),
)


@contextlib.contextmanager
def isolated_env(terminal: Sequence[tuple[str, str | None]]) -> Iterator[Path]:
    """Temporary config/cache/data dirs and the given terminal variables; all restored after."""
    with tempfile.TemporaryDirectory(prefix="basewatch-shots-") as tmp:
        wanted: dict[str, str | None] = dict(terminal)
        for kind in ("config", "cache", "data"):
            folder = Path(tmp) / kind
            folder.mkdir()
            wanted[f"BASEWATCH_{kind.upper()}_DIR"] = str(folder)
        saved = {name: os.environ.get(name) for name in wanted}
        try:
            for name, value in wanted.items():
                _setenv(name, value)
            yield Path(tmp)
        finally:
            for name, value in saved.items():
                _setenv(name, value)


def _setenv(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def make_app(theme: str | None, setups: bool = False) -> Any:
    """The dashboard app as ``basewatch --source sample --replay --from/--to 2025-12-09`` builds
    it (with ``setups``: and the universe of ``SAMPLE_MEMBERS``), with the wall clock fixed and no
    refresh timer."""
    from analysis.config import Config
    from analysis.universe import Member, Universe
    from tui.app import BasewatchApp
    from tui.commands.dashboard import replay_feed_factory

    config = Config(source="sample")
    universe = Universe("bundled ETFs", tuple(Member(*m) for m in SAMPLE_MEMBERS)) if setups \
        else None
    make_feed = replay_feed_factory(config, "sample", ASOF, ASOF, 1.0, universe)
    return BasewatchApp(config, make_feed, auto_refresh=False, now=lambda: NOW, theme=theme)


async def _until(pilot: Any, done: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"screenshot: {what} did not finish in {TIMEOUT:g} s")
        await pilot.pause(0.05)
    await pilot.pause()


async def _open_drilldown(pilot: Any, symbol: str) -> None:
    """Enter on the symbol's watchlist row, then wait until the chart shows its past breakouts."""
    from tui.screens.drilldown import DrilldownScreen

    app = pilot.app
    table = app.screen.pane("watchlist")
    keys = table.visible_keys()
    if symbol not in keys:
        raise LookupError(f"screenshot: {symbol} is not in the watchlist")
    table.focus()
    table.move_cursor(row=keys.index(symbol))
    await pilot.pause()
    await pilot.press("enter")
    await _until(pilot, lambda: isinstance(app.screen, DrilldownScreen) and app.screen.past_ready,
                 f"{symbol}'s drill-down")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def take(shot: Shot, out_dir: Path) -> Path:
    """Run the app headless at the shot's size, wait for the data, save the SVG."""
    app = make_app(shot.theme, shot.setups)
    async with app.run_test(size=shot.size) as pilot:
        await _until(pilot, lambda: app.refreshes_applied >= 1 and not app.busy, "the refresh")
        if app.latest is None or app.latest.snapshot.errors:
            errors = app.latest.snapshot.errors if app.latest else {}
            raise RuntimeError(f"screenshot: the sample data did not load cleanly: {errors}")
        if shot.drilldown:
            await _open_drilldown(pilot, shot.drilldown)
        if shot.setups:
            await pilot.press("u")
            await pilot.pause()
        await pilot.pause()
        path = Path(app.save_screenshot(shot.filename, str(out_dir)))
    return path


def main(argv: Sequence[str] | None = None, shots: Sequence[Shot] = SHOTS) -> list[Path]:
    """Take ``shots`` into OUT_DIR (created if missing); returns the files written."""
    parser = argparse.ArgumentParser(prog="python -m tui.screenshots",
                                     description="Write the README's SVG screenshots.")
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT,
                        help=f"where the SVGs go (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for shot in shots:
        started = time.perf_counter()
        with isolated_env(shot.terminal):
            written.append(asyncio.run(take(shot, out_dir)))
        print(f"{written[-1]}  ({time.perf_counter() - started:.1f} s)")
    return written


if __name__ == "__main__":
    try:
        main()
    except (TimeoutError, RuntimeError, LookupError) as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
