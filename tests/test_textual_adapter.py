"""Textual's private key naming as the key handling uses it (``tui.keys.textual_adapter``): fails
loudly when a Textual release moves or changes it."""

from textual.keys import Keys

from tui.keys.textual_adapter import character_key_name


def test_letters_and_digits_are_their_own_key_names():
    assert [character_key_name(c) for c in "aZ7"] == ["a", "Z", "7"]


def test_punctuation_has_the_names_bindings_use():
    assert character_key_name("?") == "question_mark"
    assert character_key_name("+") == "plus"
    assert character_key_name("/") == "slash"
    assert character_key_name("[") == "left_square_bracket"


def test_every_printable_character_has_a_distinct_name():
    names = [character_key_name(chr(c)) for c in range(33, 127)]
    assert len(set(names)) == len(names)
    assert all(name and " " not in name for name in names)
    assert Keys.Escape.value == "escape"
