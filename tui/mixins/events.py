"""What the app does with events besides showing them in the Events pane: keeps them (live: the
JSON-lines log in the user data dir, whole lines or nothing; a replay: in memory only, so replayed
history never enters or rotates away the live log), reads the log's last ones at start, and shows
each refresh's events in one toast that replaces the previous one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.events import Event, EventLog, MemoryEventLog
    from tui.screens.dashboard import DashboardScreen

HISTORY = 200
"""How many of the event log's most recent events the Events pane shows at start."""


class EventKeeping:
    """Mixed into the App, which says whether it is ``replaying`` and which ``dashboard`` is up."""

    history: tuple[Event, ...] | None = None
    """The log's earlier events, once read."""
    event_log: EventLog | MemoryEventLog | None = None
    """Where this run's events go; known with the feed."""
    _event_toast = None

    def open_event_log(self) -> None:
        """In the first refresh worker, once the feed is known (before anything is appended):
        pick where events go and, live, read the log's last events for the Events pane."""
        from analysis.events import EventLog, MemoryEventLog

        if self.replaying:
            self.event_log = MemoryEventLog()
            return
        self.event_log = EventLog()
        try:
            earlier = tuple(self.event_log.read()[-HISTORY:])
        except OSError as exc:
            self.call_from_thread(self.notify, f"could not read the event log: {exc}",
                                  severity="warning", markup=False)
            return
        for problem in self.event_log.problems[-3:]:
            self.call_from_thread(self.notify, problem, title="Event log", severity="warning",
                                  markup=False)
        if earlier:
            self.call_from_thread(self._show_history, earlier)

    def keep_events(self, events: Sequence[Event]) -> str:
        """Append a refresh's events; a warning to show when they could not be saved, else ""."""
        if not events:
            return ""
        try:
            self.event_log.append(events)
        except OSError as exc:
            n = len(events)
            return (f"could not write the event log ({n} event{'s' * (n != 1)} shown but not "
                    f"saved; the log is intact): {exc}")
        return ""

    def _show_history(self, earlier: Sequence[Event]) -> None:
        self.history = tuple(earlier)
        dash: DashboardScreen | None = self.dashboard
        if dash is not None:
            dash.show_history()

    def replace_event_toast(self, title: str, body: str, severity: str, timeout: float) -> None:
        """Show a refresh's events toast in place of the previous one (taken off at once, with its
        holder: Textual would leave an empty holder that pushes the next toast out of place)."""
        from textual.css.query import NoMatches
        from textual.notifications import Notification, Notify
        from textual.widgets._toast import ToastRack

        previous = self._event_toast
        if previous is not None and previous in self._notifications:
            self._unnotify(previous, refresh=False)
            with contextlib.suppress(NoMatches):
                self.screen.get_child_by_type(ToastRack).get_child_by_id(
                    ToastRack._toast_id(previous)).remove()
        self._event_toast = Notification(body, title, severity, timeout, markup=False)
        self.post_message(Notify(self._event_toast))
