"""Messages the app posts to its screens and widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from analysis.events import Event
    from analysis.pipeline import Refresh


class SnapshotReady(Message):
    """A refresh finished: a whole new immutable snapshot (and the bars it was computed from)."""

    def __init__(self, refresh: Refresh, events: tuple[Event, ...]) -> None:
        super().__init__()
        self.refresh = refresh
        self.events = events


class RefreshFailed(Message):
    """A refresh failed as a whole; the last good snapshot stays on screen."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
