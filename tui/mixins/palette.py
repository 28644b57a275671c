"""The command palette (ctrl+p): every key's action by name, from the same binding lists the help
screen reads, each title once (Textual's own Keys, Theme and Quit are ours already)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding

from tui.keys.bindings import APP_BINDINGS, DASHBOARD_BINDINGS, HELP_TEXT, REPLAY_BINDINGS


class Palette:
    """Mixed into the App, before Textual's App (whose commands follow ours)."""

    replaying: bool

    def get_system_commands(self, screen: Any) -> Iterable[SystemCommand]:
        """The app's keys, the replay keys while replaying, then the screen's own keys."""
        from tui.screens.dashboard import DashboardScreen

        groups: list[tuple[Any, tuple]] = [(self, APP_BINDINGS)]
        if self.replaying:
            groups.append((self, REPLAY_BINDINGS[1:]))  # space is another key for Pause
        if isinstance(screen, DashboardScreen):
            groups.append((screen, DASHBOARD_BINDINGS))
        else:
            groups.append((screen, tuple(b for b in screen.BINDINGS
                                         if isinstance(b, Binding) and b.id)))
        titles: set[str] = set()
        for target, bindings in groups:
            for binding in bindings:
                if binding.description in titles:
                    continue
                titles.add(binding.description)
                yield SystemCommand(
                    binding.description, HELP_TEXT.get(binding.id or "", ""),
                    lambda t=target, a=binding.action: self.run_action(a, t),  # type: ignore[attr-defined]
                )
        yield from (c for c in super().get_system_commands(screen)  # type: ignore[misc]
                    if c.title not in titles)
