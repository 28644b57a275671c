"""The footer does not leak: Textual's Footer kept every FooterKey it ever made alive (the
``data_bind`` watcher of each stayed on the Footer, Textualize/textual#6666) — about 0.5 MB per
focus change, and in a replay one recompose per session. Counted here as live FooterKey objects
after many focus changes and many replayed sessions."""

from __future__ import annotations

import gc
import time
from datetime import date

from textual.widgets._footer import FooterKey

from analysis.config import Config
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tests.frozen_feed import NOW, FrozenFeed

SMALL = Config(watchlist=("SPY", "KRE"), sectors=(), crypto=("BTC-USD", "ETH-USD"))




def live_footer_keys() -> tuple[int, int]:
    """(FooterKeys alive, of which mounted). A refresh an earlier test's app abandoned when it
    quit (``tui.background``) keeps that app alive until it ends: wait for those first."""
    import threading

    ends = time.monotonic() + 60
    while any(t.name == "refresh" and t.is_alive() for t in threading.enumerate()):
        assert time.monotonic() < ends
        time.sleep(0.05)
    gc.collect()
    keys = [o for o in gc.get_objects() if isinstance(o, FooterKey)]
    return len(keys), sum(k.is_attached for k in keys)


async def _wait(pilot, done, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline
        await pilot.pause(0.05)


async def test_moving_the_focus_many_times_keeps_only_the_shown_keys():
    from tui.app import BasewatchApp

    app = BasewatchApp(SMALL, lambda: FrozenFeed(SMALL), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: app.refreshes_applied >= 1 and not app.busy)
        await pilot.pause()
        for _ in range(60):
            await pilot.press("tab")
        await pilot.pause()
        alive, shown = live_footer_keys()
        assert shown > 0
        assert alive == shown  # was about 20 more per focus change


async def test_a_replay_does_not_pile_up_footer_keys():
    from tui.app import BasewatchApp

    feed = ReplayFeed(Pipeline(SMALL, SampleSource()), start=date(2025, 9, 1), speed=64.0)
    app = BasewatchApp(SMALL, lambda: feed, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: app.refreshes_applied >= 60)
        app.action_pause()  # stop ticking, so no recompose is half done while counting
        await _wait(pilot, lambda: not app.busy)
        await pilot.pause(0.2)
        alive, shown = live_footer_keys()
        assert shown > 0 and alive == shown
