"""A yes/no question in a box over the screen (deleting a watchlist). ``y`` answers yes; ``n`` or
Esc answers no. The keys are ``CONFIRM_BINDINGS`` (ids ``confirm_yes`` / ``confirm_no``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys.bindings import CONFIRM_BINDINGS


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True (yes) or False (no)."""

    BINDINGS: ClassVar = list(CONFIRM_BINDINGS)
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    #confirm-box {
        width: 64; max-width: 100%; height: auto;
        border: round $error; background: $surface; padding: 0 1;
    }
    #confirm-question { text-style: bold; }
    #confirm-detail { color: $text-muted; }
    """

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = "Are you sure?"
            box.border_subtitle = self._keys_hint()
            yield Static(Content(self.question), id="confirm-question")
            if self.detail:
                yield Static(Content(self.detail), id="confirm-detail")

    def _keys_hint(self) -> str:
        keymap = getattr(self.app, "keymap", {})
        yes, no = (keymap.get(b.id, b.key).split(",")[0] for b in CONFIRM_BINDINGS)
        return f"{yes}: yes · {no}: no"

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
