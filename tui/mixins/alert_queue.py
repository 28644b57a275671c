"""The alert command, run for every new event off the UI thread, one event at a time, in order.

Events are queued as refreshes produce them; one thread worker drains the queue, running
``analysis.alerts.run_alert_command`` (which kills a command that outlives its timeout). Failures
in one drained batch are reported together, once: a toast and a line in the Events pane. A command
that keeps hanging cannot pile up work without bound: past ``MAX_PENDING`` waiting events the
oldest are dropped, and that is reported too.

Quitting never waits for alerts: ``stop`` kills the command that is running (with its process
group), drops the waiting events and says so in a line of the event log (kind "alerts").
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

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
        self._closed = False
        self._left = 0
        self._proc: subprocess.Popen | None = None
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
            if self._closed:
                return
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
            for i, event in enumerate(batch):
                with self._lock:
                    if self._closed:
                        return
                    self._left = len(batch) - i - 1  # taken from the queue, not yet run
                outcome = run_alert_command(self.alerts.command, event,
                                            self.alerts.timeout_seconds, self._started)
                with self._lock:
                    self._proc = None
                    if self._closed:
                        return
                if outcome.ok:
                    self.delivered += 1
                else:
                    self.failed += 1
                    errors.append(outcome.error)
            if errors or dropped:
                self._report(failure_line(len(errors), len(batch), errors, dropped))

    def _started(self, proc: subprocess.Popen) -> None:
        from analysis.alerts import kill

        with self._lock:
            self._proc = proc
            closed = self._closed
        if closed:  # stopped while it was starting
            kill(proc)

    def stop(self, log: bool = False) -> str:
        """Quitting: kill the running command, drop the waiting events, accept no more. Returns
        what was given up ("" when nothing was); ``log``: also write it to the event log."""
        from analysis.alerts import kill

        with self._lock:
            self._closed = True
            waiting = len(self._queue) + self._left
            self._queue.clear()
            self._left = 0
            proc = self._proc
        killed = proc is not None and kill(proc)
        line = quit_line(killed, waiting)
        if line and log:
            log_note(line)
        return line

    def _report(self, line: str) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing: nobody left to tell
            self.app.call_from_thread(self.report, line)


def log_note(line: str) -> None:
    """``line`` as an "alerts" entry of the event log (an unwritable log is not an error here)."""
    from datetime import UTC, datetime

    from analysis.events import Event, EventLog

    now = datetime.now(UTC)
    with contextlib.suppress(OSError):
        EventLog().append([Event(kind="alerts", symbol=None, asof=now.astimezone().date(),
                                 at=now, message=line)])


def quit_line(killed: bool, dropped: int) -> str:
    """'on quit: the running alert command was killed; 57 waiting alerts were dropped'."""
    parts = (["the running alert command was killed"] if killed else []) + (
        [f"{dropped} waiting alert{'s' * (dropped != 1)} {'were' if dropped != 1 else 'was'} "
         "dropped"] if dropped else [])
    return "on quit: " + "; ".join(parts) if parts else ""


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
