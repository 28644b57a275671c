"""The help screen (``?``): every key, generated from ``tui.bindings`` with the user's remaps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.bindings import HELP_TEXT, SECTIONS, keys_for


def key_label(app, binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of ``binding`` as the footer shows them: "j / down", "?", "^p"."""
    keys = keys_for(binding, keymap)
    return " / ".join(app.get_key_display(Binding(k, binding.action)) for k in keys)


def help_table(app, keymap: Mapping[str, str]) -> Table:
    """One table, a section per scope, every binding with its keys and what it does."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column("key", style="bold", no_wrap=True, min_width=12)
    table.add_column("does")
    for title, bindings in SECTIONS:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            table.add_row(key_label(app, binding, keymap),
                          HELP_TEXT.get(binding.id or "", binding.description))
        table.add_row("", "")
    table.add_row(Text("Also", style="bold underline"), "")
    table.add_row("^p", "command palette: every action by name")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys, in a box over the dashboard; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False),
        Binding("down,j", "scroll('down')", show=False),
        Binding("up,k", "scroll('up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "keymap", {})
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Basewatch keys"
            box.border_subtitle = "Esc closes"
            yield Static(help_table(self.app, keymap), id="help-text")

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_down() if where == "down" else box.scroll_up()
