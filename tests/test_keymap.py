"""Key remapping from the config's [keys]: a remap really changes the key in a Textual app, and an
unknown id, a bad key or a clash is reported clearly (and the clashing remap is not applied)."""

from __future__ import annotations

import re

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.keys.keymap import KeyStringError, apply_keymap, normalize_key

APP = (
    Binding("q", "quit_app", "Quit", id="quit"),
    Binding("r", "count('refresh')", "Refresh", id="refresh"),
    Binding("t", "count('theme')", "Theme", id="theme"),
)
BOARD = (
    Binding("a", "count('add')", "Add", id="add"),
    Binding("x", "count('remove')", "Remove", id="remove"),
    Binding("j,down", "count('down')", "Down", id="down"),
    Binding("s", "count('sort')", "Sort", id="sort"),
)
CHART = (
    Binding("s", "count('style')", "Candles/line", id="chart_style"),
    Binding("escape", "count('back')", "Back", id="back"),
)
SCOPES = {"app": APP, "dashboard": BOARD, "drilldown": CHART}
IDS = ["add", "back", "chart_style", "down", "quit", "refresh", "remove", "sort", "theme"]


class Board(Screen):
    BINDINGS = list(BOARD)

    def compose(self):
        yield Static("board")

    def action_count(self, name: str) -> None:
        self.app.count(name)


class KeyApp(App):
    BINDINGS = list(APP)

    def __init__(self, keys: dict[str, str]) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.result = apply_keymap(SCOPES, keys)
        self.set_keymap(self.result.keymap)

    def on_mount(self) -> None:
        self.push_screen(Board())

    def count(self, name: str) -> None:
        self.pressed.append(name)

    def action_count(self, name: str) -> None:
        self.count(name)

    def action_quit_app(self) -> None:
        self.count("quit")


async def press(keys: dict[str, str], *presses: str) -> tuple[list[str], tuple[str, ...]]:
    app = KeyApp(keys)
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in presses:
            await pilot.press(key)
        await pilot.pause()
    return app.pressed, app.result.problems


async def test_without_a_keymap_the_defaults_work():
    pressed, problems = await press({}, "r", "a", "j", "down", "t")
    assert pressed == ["refresh", "add", "down", "down", "theme"] and problems == ()


async def test_a_remap_moves_the_action_to_the_new_key():
    pressed, problems = await press({"refresh": "f5", "add": "plus,i"}, "r", "f5", "a", "i",
                                    "plus")
    assert problems == ()
    assert pressed == ["refresh", "add", "add"]  # r and a no longer do anything


async def test_swapping_two_keys_is_not_a_clash():
    pressed, problems = await press({"add": "x", "remove": "a"}, "a", "x")
    assert problems == ()
    assert pressed == ["remove", "add"]


async def test_a_clash_is_reported_and_the_defaults_stay():
    pressed, problems = await press({"refresh": "a"}, "a", "r")
    assert len(problems) == 1
    msg = problems[0]
    assert "clash" in msg and "'a'" in msg and "'refresh'" in msg and "'add'" in msg
    assert "dashboard" in msg
    assert pressed == ["add", "refresh"]  # nothing was lost


def test_a_clash_with_an_app_wide_key_is_caught_on_every_screen():
    result = apply_keymap(SCOPES, {"chart_style": "q"})
    assert dict(result.keymap) == {}
    assert len(result.problems) == 1
    assert "'q'" in result.problems[0] and "'chart_style'" in result.problems[0]
    assert "'quit'" in result.problems[0]


def test_the_same_key_in_different_screens_is_fine():
    result = apply_keymap(SCOPES, {"chart_style": "o", "sort": "o"})
    assert result.problems == ()
    assert dict(result.keymap) == {"chart_style": "o", "sort": "o"}


def test_two_remaps_onto_one_key_are_both_dropped():
    result = apply_keymap(SCOPES, {"add": "f2", "remove": "f2", "sort": "f3"})
    assert dict(result.keymap) == {"sort": "f3"}
    assert len(result.problems) == 1 and "'add' and 'remove'" in result.problems[0]


def test_unknown_id_names_the_valid_ids_and_the_closest():
    result = apply_keymap(SCOPES, {"refrsh": "f5", "sort": "o"})
    assert dict(result.keymap) == {"sort": "o"}
    (msg,) = result.problems
    assert "unknown binding id 'refrsh'" in msg and "Did you mean 'refresh'?" in msg
    assert "Valid ids: " + ", ".join(IDS) in msg


@pytest.mark.parametrize("key, expected", [
    ("f5", "f5"), ("F5", "f5"), ("Ctrl+R", "ctrl+r"), ("shift+ctrl+x", "ctrl+shift+x"),
    ("?", "question_mark"), ("+", "plus"), ("/", "slash"), ("space", "space"), ("R", "R"),
    ("enter", "enter"), ("pageup", "pageup"), ("ctrl+f12", "ctrl+f12"), (" j ", "j"),
])
def test_key_strings_are_normalised_to_textual_names(key, expected):
    assert normalize_key(key) == expected


@pytest.mark.parametrize("key, why", [
    ("", "empty"), ("ctl+r", "'ctl' in 'ctl+r' is not a modifier"),
    ("f55", "did you mean"), ("ctrl+ctrl+a", "repeats"), ("enterr", "did you mean 'enter'"),
    ("\x07", "is not a key"),
])
def test_bad_key_strings_say_why(key, why):
    with pytest.raises(KeyStringError, match=re.escape(why)):
        normalize_key(key)


def test_bad_key_string_is_reported_and_skipped():
    result = apply_keymap(SCOPES, {"refresh": "ctl+r", "theme": "f9"})
    assert dict(result.keymap) == {"theme": "f9"}
    (msg,) = result.problems
    assert msg.startswith("[keys] refresh = 'ctl+r'") and "not a modifier" in msg
