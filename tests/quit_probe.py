"""Run by tests/test_quit.py in a subprocess: the dashboard with a refresh stuck for good and a
queue of slow alert commands; `q` is pressed and the process must end at once.

Prints "running <pid>" once the first alert command runs (its pid), "pressed" just before `q` and
"closed <seconds>" once the app has closed and asyncio has shut its executor down (where stuck
threads used to hold it for the whole fetch deadline): the seconds from the key press to then.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from datetime import UTC, date, datetime

from analysis.config import Alerts, Config
from analysis.events import Event
from tui.app import BasewatchApp

STUCK = threading.Event()  # never set: the refresh hangs like a fetch on a silent network


class StuckFeed:
    def next(self, symbols):
        STUCK.wait()

    def delay(self, refresh) -> float:
        return 3600.0

    def label(self, refresh) -> str:
        return "LIVE"


async def main() -> None:
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    config = Config(alerts=Alerts(command=tuple(slow), timeout_seconds=30.0))
    app = BasewatchApp(config, StuckFeed, now=lambda: datetime.now(UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        at = datetime.now(UTC)
        app.alerts.put([Event("near", "KRE", date(2025, 12, 9), at, f"alert {i}")
                        for i in range(50)])
        ends = time.monotonic() + 20
        while app.alerts._proc is None and time.monotonic() < ends:
            await pilot.pause(0.05)
        print(f"running {app.alerts._proc.pid}", flush=True)
        await pilot.pause(0.3)
        assert app.busy, "the refresh should be stuck"
        print("pressed", flush=True)
        PRESSED.append(time.monotonic())
        await pilot.press("q")


PRESSED: list[float] = []

if __name__ == "__main__":
    asyncio.run(main())
    print(f"closed {time.monotonic() - PRESSED[0]:.3f}", flush=True)
