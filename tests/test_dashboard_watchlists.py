"""Editing watchlists from the dashboard (Textual Pilot, bundled real bars): reordering symbols,
creating, switching and deleting named watchlists, every edit saved at once to the state file,
a failed save shown while the edit stays, and the new keys remappable from the config.
"""

from __future__ import annotations

import dataclasses
import json

from test_dashboard import FixedFeed, make_app, table

from analysis.config import Config
from analysis.state import load_state
from tests.frozen_feed import loaded
from tui.screens.confirm import ConfirmScreen


def saved(user_dirs) -> dict:
    return json.loads((user_dirs["data"] / "state.json").read_text())


def swapped(order: list[str], i: int, j: int) -> list[str]:
    out = list(order)
    out[i], out[j] = out[j], out[i]
    return out


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_reordering_moves_the_row_keeps_the_cursor_and_is_saved(user_dirs):
    config = Config()
    app = make_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        order = list(config.watchlist)
        i = order.index("KRE")
        await pilot.press(*["j"] * i)
        for key, step in (("K", -1), ("shift+up", -1), ("J", 1), ("shift+down", 1),
                          ("shift+down", 1)):
            await pilot.press(key)
            order = swapped(order, i, i + step)
            i += step
            assert wl.visible_keys() == order, key
            assert wl.cursor_key() == "KRE"
            assert saved(user_dirs)["watchlists"]["default"] == order
        assert app.watchlist == order and app.refreshes_applied == 1  # same symbols: no refetch
        # the first row cannot go higher
        await pilot.press("home", *["k"] * len(order), "K")
        assert wl.cursor_key() == order[0] and wl.visible_keys() == order
        # a sorted pane says how to reorder instead of moving anything
        await pilot.press("s", "J")
        assert any("press s until 'list order'" in m for m in messages(app))
        assert app.watchlist == order
    assert load_state().symbols == tuple(order)
    again = make_app(config=config)  # a restart shows the saved order
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, again)
        assert table(again, "watchlist").visible_keys() == order


async def test_moving_with_a_filter_jumps_over_hidden_rows(user_dirs):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("slash", "x", "l", "enter")
        wl = table(app, "watchlist")
        visible = wl.visible_keys()
        assert visible == ["XLF", "XLI", "XLV", "XLK"]
        await pilot.press("j", "K")  # XLI above XLF
        assert wl.visible_keys() == ["XLI", "XLF", "XLV", "XLK"]
        full = list(Config().watchlist)
        full.remove("XLI")
        full.insert(full.index("XLF"), "XLI")
        assert app.watchlist == full == saved(user_dirs)["watchlists"]["default"]


async def test_creating_and_switching_watchlists_changes_rows_universe_and_state(user_dirs):
    config = Config()
    feed = FixedFeed(config)
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        assert str(wl.border_title) == "1 Watchlist · default"
        await pilot.press("n")
        prompt = app.screen.query_one("#prompt")
        prompt.value = "a/b"
        await pilot.press("enter")  # not a name: the prompt stays open and says why
        assert prompt.display and "not a watchlist name" in str(prompt.border_subtitle)
        prompt.value = "default"
        await pilot.press("enter")
        assert "already exists" in str(prompt.border_subtitle)
        prompt.value = "semis"
        await pilot.press("enter")
        assert not prompt.display
        assert str(wl.border_title) == "1 Watchlist · semis (2/2)"
        assert wl.visible_keys() == [] and "empty" in str(wl.border_subtitle)
        assert saved(user_dirs)["active"] == "semis"
        assert saved(user_dirs)["watchlists"]["semis"] == []
        applied = app.refreshes_applied
        for sym in ("soxx", "nvda"):
            await pilot.press("a", *sym, "enter")
        await loaded(pilot, app, applied + 1)
        assert wl.visible_keys() == ["SOXX", "NVDA"]
        assert "NVDA" in feed.calls[-1]  # the refresh fetches the active list
        assert saved(user_dirs)["watchlists"]["semis"] == ["SOXX", "NVDA"]
        assert saved(user_dirs)["watchlists"]["default"] == list(config.watchlist)
        # w cycles through the lists in the order they were made, wrapping
        seen = []
        for _ in range(2):
            await pilot.press("w")
            seen.append((app.state.active, wl.visible_keys()))
        assert seen == [("default", list(config.watchlist)), ("semis", ["SOXX", "NVDA"])]
        await loaded(pilot, app, app.refreshes_applied)
        applied = app.refreshes_applied
        await pilot.press("w")
        await loaded(pilot, app, applied + 1)
        assert "NVDA" not in feed.calls[-1]
        assert str(wl.border_title) == "1 Watchlist · default (1/2)"
        assert wl.get_cell("SPY", "last").plain == f"{app.latest.snapshot.symbols['SPY'].last:,.2f}"
        assert saved(user_dirs)["active"] == "default"
    state = load_state()
    assert state.names == ("default", "semis") and state.active == "default"


async def test_w_from_another_pane_shows_the_watchlist():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("n", *"x", "enter")
        await pilot.press("2", "w")
        assert app.focused.id == "watchlist" and app.state.active == "default"


async def test_the_last_watchlist_cannot_be_deleted_and_deleting_asks_first(user_dirs):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("last watchlist" in m for m in messages(app))
        assert app.state.names == ("default",)
        await pilot.press("n", *"semis", "enter", "a", *"xly", "enter")
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "'semis' (1 symbol)" in str(app.screen.query_one("#confirm-question").content)
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert app.screen.id == "dashboard" and app.state.names == ("default", "semis")
        await pilot.press("D", "escape")
        await pilot.pause()
        assert app.state.names == ("default", "semis")
        await pilot.press("D", "y")
        await pilot.pause()
        assert app.state.names == ("default",) and app.state.active == "default"
        assert table(app, "watchlist").visible_keys() == list(Config().watchlist)
        assert saved(user_dirs)["watchlists"] == {"default": list(Config().watchlist)}
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and app.state.names == ("default",)


async def test_a_failed_save_is_shown_and_the_edit_stays_for_the_session(user_dirs):
    (user_dirs["data"] / "state.json").mkdir()  # cannot be replaced by a file: every save fails
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("j", "K")
        expected = swapped(list(Config().watchlist), 0, 1)
        assert app.watchlist == expected == table(app, "watchlist").visible_keys()
        assert any("could not save the state" in m for m in messages(app))
        await pilot.press("n", *"semis", "enter")
        assert app.state.active == "semis" and table(app, "watchlist").visible_keys() == []
    assert (user_dirs["data"] / "state.json").is_dir()


async def test_the_watchlist_keys_can_be_remapped():
    keys = {"move_up": "ctrl+up", "move_down": "ctrl+down", "next_watchlist": "f6",
            "new_watchlist": "f7", "delete_watchlist": "f8", "confirm_yes": "enter"}
    app = make_app(config=dataclasses.replace(Config(), keys=keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert not [m for m in app.messages if m.startswith("[keys]")]
        wl = table(app, "watchlist")
        order = list(Config().watchlist)
        await pilot.press("j", "K", "shift+up")  # the default keys are gone
        assert wl.visible_keys() == order
        await pilot.press("ctrl+up")
        assert wl.visible_keys() == swapped(order, 0, 1)
        await pilot.press("ctrl+down")
        assert wl.visible_keys() == order
        await pilot.press("f7", *"b", "enter")
        assert app.state.active == "b"
        await pilot.press("f6")
        assert app.state.active == "default"
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.query_one("#confirm-box").border_subtitle.startswith("enter: yes")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.names == ("b",)


async def test_help_and_the_command_palette_list_the_watchlist_actions():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Move up", "Move down", "Next list", "New list", "Delete list"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "New list")
        await command.callback()
        await pilot.pause()
        assert app.screen.query_one("#prompt").display


async def test_x_removes_with_a_toast_that_names_z_and_z_puts_it_back_in_place(user_dirs):
    config = Config()
    app = make_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        order = list(config.watchlist)
        i = order.index("XLF")
        await pilot.press(*["j"] * i, "x")
        await pilot.pause()
        assert "XLF" not in app.watchlist
        assert "Removed XLF — z to undo" in messages(app)
        assert "XLF" not in saved(user_dirs)["watchlists"]["default"]
        await pilot.press("z")
        await pilot.pause()
        assert app.watchlist == order and wl.cursor_key() == "XLF"
        assert saved(user_dirs)["watchlists"]["default"] == order
        await pilot.press("z")  # only the last removal is undone, once
        assert any("nothing to undo" in m for m in messages(app))


async def test_an_added_symbol_gets_the_cursor_and_is_scrolled_into_view(user_dirs):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        assert wl.cursor_key() == app.watchlist[0]
        await pilot.press("a", *"KRE", "backspace", "backspace", "backspace", *"XLE", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.watchlist[-1] == "XLE" and wl.cursor_key() == "XLE"
        row = wl.get_row_index("XLE")
        assert wl.scroll_offset.y <= row < wl.scroll_offset.y + wl.size.height - 1
