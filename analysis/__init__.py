"""Basewatch analysis: data in, facts out. Never imports textual or the tui package."""

__version__ = "0.1.0"
