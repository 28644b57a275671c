"""The one-line prompt at the bottom of the dashboard: add a symbol (``a``), filter rows (``/``) or
name a new watchlist (``n``).

It only collects text; the screen validates it and decides what happens. Enter submits, Escape
cancels; in filter mode every keystroke is reported so the panes filter as the user types.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

PROMPTS: dict[str, tuple[str, str]] = {
    "add": ("Add symbol", "e.g. NVDA, ^RUT, BTC-USD — Enter adds, Esc cancels"),
    "filter": ("Filter", "symbol or sector — Enter keeps the filter, Esc clears it"),
    "watchlist": ("New watchlist", "a name: letters, digits, spaces, . - _ — Enter creates it"),
}


class SymbolInput(Input):
    """A prompt with a ``mode`` ("add", "filter" or "watchlist")."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", show=False)]

    class Done(Message):
        """The user pressed Enter."""

        def __init__(self, mode: str, value: str) -> None:
            super().__init__()
            self.mode, self.value = mode, value

    class Cancelled(Message):
        """The user pressed Escape."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    class Typed(Message):
        """The text changed (filter mode only)."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = "add"

    def open(self, mode: str, value: str = "") -> None:
        """Show the prompt in ``mode`` with ``value`` and focus it."""
        self.mode = mode
        title, hint = PROMPTS[mode]
        self.border_title = title
        self.placeholder = hint
        self.value = value
        self.remove_class("-error")
        self.display = True
        # Focus now, not after the queued messages (Widget.focus defers it): keys typed right
        # after the one that opened the prompt ("/xl" typed fast, or pasted) belong to it, and
        # must not reach the table, where "x" would remove a symbol.
        self.screen.set_focus(self)

    def close(self) -> None:
        self.display = False
        self.remove_class("-error")

    def show_error(self, message: str) -> None:
        """Keep the prompt open, marked as wrong, with the reason as its subtitle."""
        self.add_class("-error")
        self.border_subtitle = Content(message)  # literal: the user's text may hold "[/]"

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.remove_class("-error")
        self.border_subtitle = ""
        if self.mode == "filter":
            self.post_message(self.Typed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self.mode, event.value))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self.mode))
