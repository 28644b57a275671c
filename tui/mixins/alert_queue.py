"""The alert command, run for every new event off the UI thread, one event at a time, in order.

Events are queued as refreshes produce them; one thread worker drains the queue, running
``analysis.alerts.run_alert_command`` (which kills a command that outlives its timeout). Failures
in one drained batch are reported together, once: a toast and a line in the Events pane. A command
that keeps hanging cannot pile up work without bound: past ``MAX_PENDING`` waiting events the
oldest are dropped, and that is reported too.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from analysis.config import Alerts
    from analysis.events import Event

MAX_PENDING = 100


class AlertQueue:
    """``report`` is called on the UI thread with one line about the failures of a batch."""

    def __init__(self, app: App, alerts: Alerts, report: Callable[[str], None]) -> None:
        self.app, self.alerts, self.report = app, alerts, report
        self._queue: deque[Event] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._dropped = 0
        self.delivered = 0
        self.failed = 0

    @property
    def enabled(self) -> bool:
        return bool(self.alerts.command)

    def put(self, events: Iterable[Event]) -> None:
        """Queue events (UI thread); starts the worker when none is draining."""
        if not self.enabled:
            return
        with self._lock:
            self._queue.extend(events)
            while len(self._queue) > MAX_PENDING:
                self._queue.popleft()
                self._dropped += 1
            start = bool(self._queue) and not self._running
            self._running = self._running or start
        if start:
            self.app.run_worker(self._drain, thread=True, group="alerts", name="alerts",
                                exit_on_error=False)

    def _drain(self) -> None:
        from analysis.alerts import run_alert_command

        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    return
                batch, dropped = list(self._queue), self._dropped
                self._queue.clear()
                self._dropped = 0
            errors: list[str] = []
            for event in batch:
                outcome = run_alert_command(self.alerts.command, event,
                                            self.alerts.timeout_seconds)
                if outcome.ok:
                    self.delivered += 1
                else:
                    self.failed += 1
                    errors.append(outcome.error)
            if errors or dropped:
                self._report(failure_line(len(errors), len(batch), errors, dropped))

    def _report(self, line: str) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing: nobody left to tell
            self.app.call_from_thread(self.report, line)


def failure_line(failed: int, total: int, errors: list[str], dropped: int = 0) -> str:
    """'alert command failed for 2 of 5 events: notify-send exited 1: no display'."""
    parts = []
    if failed:
        first = errors[0]
        more = f" (and {len(set(errors)) - 1} other errors)" if len(set(errors)) > 1 else ""
        parts.append(f"alert command failed for {failed} of {total} events: {first}{more}")
    if dropped:
        parts.append(f"{dropped} older alerts skipped (the command is too slow)")
    return "; ".join(parts)
