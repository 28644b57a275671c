"""A feed for app tests: the live pipeline over the bundled data at one session, 2025-12-09 (no
timer worth waiting for, no network); ``NOW`` is that evening, for a deterministic market clock.
``loaded`` waits until an app has applied its refreshes."""

import time
from datetime import UTC, date, datetime

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource

NOW = datetime(2025, 12, 9, 21, 30, tzinfo=UTC)


class FrozenFeed:
    def __init__(self, config: Config) -> None:
        self.pipeline = Pipeline(config, SampleSource())

    def next(self, symbols):
        return self.pipeline.refresh(symbols, asof=date(2025, 12, 9))

    def delay(self, refresh) -> float:
        return 3600.0

    def label(self, refresh) -> str:
        return "LIVE"


async def loaded(pilot, app, count: int = 1, timeout: float = 60.0) -> None:
    """Wait until ``app`` has applied ``count`` refreshes and the UI is idle."""
    deadline = time.monotonic() + timeout
    while app.refreshes_applied < count or app.busy:
        if time.monotonic() > deadline:
            raise AssertionError("refresh did not finish")
        await pilot.pause(0.05)
    await pilot.pause()
