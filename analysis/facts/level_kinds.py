"""The words for a breakout level's kind, and back: "cup-with-handle pivot" <-> cup_with_handle,
"resistance zone ..." -> zone. Plain Python (no numpy): the dashboard's first frame uses it."""

from __future__ import annotations

KIND_WORDS = {
    "cup_with_handle": "cup-with-handle",
    "cup": "cup",
    "flat_base": "flat-base",
    "double_bottom": "double-bottom",
    "consolidation": "consolidation",
}


def level_kind(level_source: str) -> str:
    """The base kind a level's words name ("cup-with-handle pivot" -> cup_with_handle), else
    "zone"."""
    return next((k for k, w in KIND_WORDS.items() if level_source.startswith(w + " ")), "zone")
