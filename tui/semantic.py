"""Semantic colours: what a colour means to a trader (up, down, breakout, ...), per theme.

Themes (files in ``themes/``) provide these next to Textual's own theme colours; widgets and charts
read them from here, never hard-code colours.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

SEMANTIC_NAMES: tuple[str, ...] = (
    "up", "down", "breakout", "failed", "stale", "zone", "pivot", "ath",
)


@dataclass(frozen=True)
class SemanticColors:
    """Colours as Textual colour strings ("#22c55e", "green", "ansi_bright_green")."""

    up: str = "#22c55e"
    down: str = "#ef4444"
    breakout: str = "#facc15"
    failed: str = "#f97316"
    stale: str = "#6b7280"
    zone: str = "#a78bfa"
    pivot: str = "#38bdf8"
    ath: str = "#e879f9"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
