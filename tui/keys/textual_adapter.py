"""The one private Textual function the key handling needs: the key name Textual gives a
printable character (``"?"`` -> ``"question_mark"``), which its key events and bindings use.
``tests/test_textual_adapter.py`` fails loudly when a Textual release moves or changes it."""

from __future__ import annotations

from textual.keys import _character_to_key


def character_key_name(character: str) -> str:
    """Textual's name for the key that types ``character`` (one printable character)."""
    return _character_to_key(character)
