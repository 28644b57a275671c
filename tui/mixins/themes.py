"""The app's colour themes: the built-in and user themes registered at start, the one chosen by
--theme, the saved state or the config, the semantic colours that go with it, and `t` to cycle."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

from tui.semantic import SemanticColors


class Themes:
    """Mixed into the App, which holds ``state``, ``config``, ``messages`` and ``dashboard``."""

    _themes: list[Any]
    _theme_name: str | None

    def _setup_themes(self, wanted: str | None) -> None:
        from tui.themes import load_themes, resolve_theme_name

        self._themes, problems = load_themes()
        self.messages.extend(problems)
        for loaded in self._themes:
            self.register_theme(loaded.theme)
        name, problems = resolve_theme_name(
            self._themes, ("--theme", wanted), ("state", self.state.theme),
            ("config", self.config.theme))
        self.messages.extend(problems)
        self._theme_name = name if any(t.name == name for t in self._themes) else None

    def _on_theme_changed(self, theme: Any) -> None:
        loaded = next((t for t in self._themes if t.name == theme.name), None)
        self.semantic_colors = loaded.semantic if loaded else SemanticColors()
        dash = self.dashboard
        if dash is not None:
            dash.render_all()

    def action_cycle_theme(self) -> None:
        from analysis.state import StateError, save_state
        from tui.themes import next_theme_name

        self.theme = next_theme_name(self._themes, self.theme)
        self.state = dataclasses.replace(self.state, theme=self.theme)
        with contextlib.suppress(StateError):
            save_state(self.state)
        self.notify(f"Theme: {self.theme}", timeout=2)
