"""Screenshots of the dashboard over the bundled data as of 2025-12-09 (after the close), compared
with the stored SVGs in tests/__snapshots__/ (update with ``--snapshot-update`` after a deliberate
change, then look at the new SVGs).

Fixed data, a fixed clock (so the countdown to the next open is always 17h 00m), no refresh timer.
"""

from __future__ import annotations

import time
from pathlib import Path

from test_dashboard import NOW, FixedFeed

from analysis.config import Config, load_config
from tui.app import BasewatchApp

ARTICLE = Path(__file__).resolve().parent.parent / "examples" / "article.toml"


def app(config: Config | None = None) -> BasewatchApp:
    config = config or Config()
    feed = FixedFeed(config)
    return BasewatchApp(config, lambda: feed, auto_refresh=False, now=lambda: NOW)


async def wait_loaded(pilot) -> None:
    deadline = time.monotonic() + 60
    while pilot.app.refreshes_applied < 1 or pilot.app.busy:
        assert time.monotonic() < deadline, "refresh did not finish"
        await pilot.pause(0.05)
    await pilot.pause()


def test_dashboard_120x40(snap_compare):
    assert snap_compare(app(), terminal_size=(120, 40), run_before=wait_loaded)


def test_dashboard_120x40_with_the_articles_config(snap_compare):
    """The article's day with its set-up: the ETH/BTC race, the Russell 2000's weights (IWM%)."""
    config = load_config(ARTICLE)
    assert snap_compare(app(config), terminal_size=(120, 40), run_before=wait_loaded)


def test_dashboard_80x24_watchlist(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24), run_before=wait_loaded)


def test_dashboard_80x24_sector_bases(snap_compare):
    async def sectors(pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=sectors)


def test_help_screen_80x24(snap_compare):
    async def help_screen(pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=help_screen)
