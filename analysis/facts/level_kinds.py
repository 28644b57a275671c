"""A breakout level's kind from its words and back: "cup-with-handle pivot" <-> cup_with_handle,
"resistance zone ..." -> zone. No numpy: the dashboard's first frame uses it."""

from __future__ import annotations

from analysis.facts.base_rules import BaseKind

KIND_WORDS = {kind: kind.words for kind in BaseKind}


def level_kind(level_source: str) -> str:
    """The base kind a level's words name ("cup-with-handle pivot" -> cup_with_handle), else
    "zone"."""
    return next((k for k, w in KIND_WORDS.items() if level_source.startswith(w + " ")), "zone")
