"""What the dashboard screen needs from the app that hosts it, as a typed protocol.

The screen depends on this protocol, not on the App class (``tui.app`` imports the screen, never
the other way round). It reads the app's state (the snapshot on screen, the refresh status, the
watchlists) and asks for the changes a trader makes (watchlist edits); everything else the app
tells the screen through messages (``tui.messages``). A test checks that the app satisfies it and
that the screen uses nothing else of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.screen import Screen

    from analysis.config import Config
    from analysis.events import Event
    from analysis.pipeline import Refresh
    from analysis.snapshot import Snapshot
    from analysis.state import AppState
    from tui.mixins.watchlists import Removal
    from tui.semantic import SemanticColors


@runtime_checkable
class DashboardHost(Protocol):
    """The app as the dashboard screen sees it."""

    # -- what is on screen
    config: Config
    state: AppState
    watchlist: list[str]
    pending: set[str]
    """Symbols added since the last refresh (shown as loading rows)."""
    latest: Refresh | None
    history: tuple[Event, ...] | None
    semantic_colors: SemanticColors

    @property
    def shown_snapshot(self) -> Snapshot | None: ...
    @property
    def cached_at(self) -> datetime | None: ...

    # -- the refresh status (the market strip)
    feed_label: str
    paused: bool
    busy: bool
    busy_since: datetime | None
    last_error: str
    last_error_at: datetime | None
    stale_after: float | None
    now: Callable[[], datetime]

    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def refresh_delay(self) -> float: ...
    @property
    def replaying(self) -> bool: ...
    def market_now(self) -> datetime: ...

    # -- what the screen asks of the app (each returns an error message, or None when done)
    def add_symbol(self, raw: str) -> str | None: ...
    def remove_symbol(self, sym: str) -> bool: ...
    def undo_remove(self) -> str: ...
    last_removed: Removal | None
    """The last symbol removed (``undo_remove`` puts it back), None when there is none."""
    last_added: str | None
    keymap: dict[str, str]
    def action_alert_for(self, symbol: str) -> None: ...
    def move_symbol(self, sym: str, delta: int) -> None: ...
    def create_watchlist(self, raw_name: str) -> str | None: ...
    def next_watchlist(self, step: int = 1) -> None: ...
    def delete_watchlist(self, name: str) -> str | None: ...
    def drop_cached(self, why: str) -> None: ...
    def bell(self) -> None: ...
    def push_screen(self, screen: Screen[Any], callback: Any = None) -> Any: ...
