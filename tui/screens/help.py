"""The help screen (``?``): the keys of the screen it was opened on (plus the keys that work
everywhere, and the replay keys only in a replay), generated from ``tui.keys.bindings`` with
remaps applied. A screen names its sections of ``SECTIONS`` in ``HELP_SECTIONS``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys.bindings import HELP_TEXT, SECTIONS, keys_for


def key_label(app, binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of ``binding`` as the footer shows them: "j / down", "?", "^p"."""
    keys = keys_for(binding, keymap)
    return " / ".join(app.get_key_display(Binding(k, binding.action)) for k in keys)


REPLAY_SECTION = SECTIONS[1][0]


def sections_for(screen: Any, replaying: bool) -> tuple[tuple[str, tuple[Binding, ...]], ...]:
    """The sections the help shows on ``screen``: the app-wide keys, the replay keys while
    replaying, and the screen's own (its ``HELP_SECTIONS``; every section for a screen that
    names none)."""
    own = getattr(screen, "HELP_SECTIONS", None)
    return tuple((title, bindings) for i, (title, bindings) in enumerate(SECTIONS)
                 if (replaying if title == REPLAY_SECTION
                     else i == 0 or own is None or title in own))


def help_table(app, keymap: Mapping[str, str],
               sections: Sequence[tuple[str, tuple[Binding, ...]]] = SECTIONS) -> Group:
    """A table per section, every binding with its keys and what it does."""
    tables = []
    for title, bindings in (*sections, ("Also", ())):
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False,
                      title=Text(title, style="bold underline"), title_justify="left")
        table.add_column("key", style="bold", no_wrap=True, min_width=12)
        table.add_column("does")
        for binding in bindings:
            table.add_row(key_label(app, binding, keymap),
                          HELP_TEXT.get(binding.id or "", binding.description))
        if not bindings:
            table.add_row("^p", "command palette: every action by name")
        else:
            table.add_row("", "")
        tables.append(table)
    return Group(*tables)


class HelpScreen(ModalScreen[None]):
    """Keys, in a box over the dashboard; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False),
        Binding("down,j", "scroll('down')", show=False),
        Binding("up,k", "scroll('up')", show=False),
        Binding("pagedown,space", "scroll('page_down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
    ]

    def __init__(self, under: Any = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "keymap", {})
        sections = sections_for(self.under, bool(getattr(self.app, "replaying", False)))
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Basewatch keys"
            box.border_subtitle = "Esc closes"
            yield Static(help_table(self.app, keymap, sections), id="help-text")

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        getattr(box, f"scroll_{where}")(animate=False)
