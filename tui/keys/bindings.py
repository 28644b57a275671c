"""Every key binding of the dashboard, each with an ``id``, in one place.

The config's ``[keys]`` table maps these ids to other keys (``refresh = "f5"``) through Textual's
keymap; the help screen and the command palette are generated from these same lists, so what they
show is always what the keys do.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

from tui.keys.drilldown import DRILLDOWN_BINDINGS, DRILLDOWN_HELP

APP_BINDINGS: tuple[Binding, ...] = (
    Binding("q", "quit", "Quit", id="quit"),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("r", "refresh", "Refresh", id="refresh"),
    Binding("p", "pause", "Pause", id="pause"),
    Binding("t", "cycle_theme", "Theme", id="theme"),
    Binding("exclamation_mark", "alerts", "Alerts", show=False, key_display="!", id="alerts"),
)
"""Keys that work on every screen."""

REPLAY_BINDINGS: tuple[Binding, ...] = (
    Binding("space", "pause", "Pause", show=False, id="replay_pause"),
    Binding("full_stop", "replay_step", "Step", key_display=".", id="replay_step"),
    Binding("plus", "replay_speed(2.0)", "Faster", key_display="+", id="replay_faster"),
    Binding("minus", "replay_speed(0.5)", "Slower", key_display="-", id="replay_slower"),
)
"""Keys that work only while replaying history (``basewatch --replay``), on every screen."""

DASHBOARD_BINDINGS: tuple[Binding, ...] = (
    Binding("1", "pane('watchlist')", "Watchlist", show=False, id="pane_watchlist"),
    Binding("2", "pane('sectors')", "Sectors", show=False, id="pane_sectors"),
    Binding("3", "pane('crypto')", "Crypto", show=False, id="pane_crypto"),
    Binding("4", "pane('events')", "Events", show=False, id="pane_events"),
    Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="next_pane"),
    Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="prev_pane"),
    Binding("slash", "filter", "Filter", id="filter", priority=True),
    Binding("s", "sort", "Sort", id="sort"),
    Binding("a", "add_symbol", "Add", id="add", priority=True),
    Binding("x", "remove_symbol", "Remove", id="remove"),
    Binding("z", "undo_remove", "Undo remove", show=False, id="undo_remove"),
    Binding("shift+up,K", "move_symbol(-1)", "Move up", show=False, id="move_up"),
    Binding("shift+down,J", "move_symbol(1)", "Move down", show=False, id="move_down"),
    Binding("w", "next_watchlist", "Next list", show=False, id="next_watchlist"),
    Binding("n", "new_watchlist", "New list", show=False, id="new_watchlist",
            priority=True),
    Binding("D", "delete_watchlist", "Delete list", show=False, id="delete_watchlist"),
    Binding("A", "alert", "Alert", show=False, id="alert"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
    Binding("u", "setups", "Setups", show=False, id="setups"),
)
"""Keys of the dashboard screen. The three that open the prompt are priority bindings: the
prompt then has the focus before the next key is dispatched, so keys typed fast after them
("/xl", "a" then a symbol) go into the prompt, never to the table ("x" would remove a symbol);
while the prompt is open they type their own character (see DashboardScreen.check_action)."""

TABLE_BINDINGS: tuple[Binding, ...] = (
    Binding("down,j", "cursor_down", "Down", show=False, id="down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="up"),
    Binding("enter", "select_cursor", "Chart", id="drilldown"),
    Binding("left", "cursor_left", "Scroll left", show=False, id="left"),
    Binding("right", "cursor_right", "Scroll right", show=False, id="right"),
    Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
)
"""Keys inside a pane (a table of symbols)."""

SETUPS_BINDINGS: tuple[Binding, ...] = (
    Binding("slash", "filter", "Filter", id="setups_filter", priority=True),
    Binding("s", "sort", "Sort", id="setups_sort"),
    Binding("S", "reverse_sort", "Reverse", id="setups_reverse"),
    Binding("b", "breadth_chart", "Breadth", id="breadth_chart"),
    Binding("escape", "back", "Back", id="setups_back"),
)
"""Keys of the setups screen (the universe's members); "/" opens the filter prompt at once, like
the dashboard's."""

CONFIRM_BINDINGS: tuple[Binding, ...] = (
    Binding("y", "answer(True)", "Yes", id="confirm_yes"),
    Binding("n,escape", "answer(False)", "No", id="confirm_no"),
)
"""Keys of a yes/no question (deleting a watchlist)."""

BREADTH_BINDINGS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="breadth_back"),
)
"""Keys of the breadth chart (``b`` on the setups screen)."""

ALERTS_BINDINGS: tuple[Binding, ...] = (
    Binding("x,delete", "delete_alert", "Delete", id="alerts_delete"),
    Binding("escape", "back", "Back", id="alerts_back"),
)
"""Keys of the alerts screen (``!``)."""

SECTIONS: tuple[tuple[str, tuple[Binding, ...]], ...] = (
    ("Everywhere", APP_BINDINGS),
    ("Replay (basewatch --replay)", REPLAY_BINDINGS),
    ("Dashboard", DASHBOARD_BINDINGS),
    ("In a pane", TABLE_BINDINGS),
    ("Setups screen (u)", SETUPS_BINDINGS),
    ("Breadth chart (b on the setups screen)", BREADTH_BINDINGS),
    ("In a chart (Enter on a row)", DRILLDOWN_BINDINGS),
    ("Answering a question (deleting a watchlist)", CONFIRM_BINDINGS),
    ("Alerts (!)", ALERTS_BINDINGS),
)

KEYMAP_SCOPES: dict[str, tuple[Binding, ...]] = {
    "app": (*APP_BINDINGS, *REPLAY_BINDINGS),
    "dashboard": (*DASHBOARD_BINDINGS, *TABLE_BINDINGS),
    "drilldown": DRILLDOWN_BINDINGS,
    "setups": (*SETUPS_BINDINGS, *TABLE_BINDINGS),
    "breadth": BREADTH_BINDINGS,
    "confirm": CONFIRM_BINDINGS,
    "alerts": ALERTS_BINDINGS,
}
"""Where each binding is live, for checking a remap for clashes (app keys work everywhere)."""

HELP_TEXT: dict[str, str] = {
    "quit": "quit Basewatch",
    "help": "this list of keys",
    "refresh": "refresh now",
    "pause": "pause / resume automatic refresh",
    "theme": "next colour theme",
    "replay_pause": "replay: pause / resume the clock",
    "replay_step": "replay: step one session",
    "replay_faster": "replay: twice as fast",
    "replay_slower": "replay: half as fast",
    "pane_watchlist": "go to the watchlist pane",
    "pane_sectors": "go to the sector-bases pane",
    "pane_crypto": "go to the crypto pane",
    "pane_events": "go to the event log",
    "next_pane": "next pane",
    "prev_pane": "previous pane",
    "filter": "filter rows by symbol or sector",
    "sort": "cycle the sort order of the pane",
    "add": "add a symbol to the watchlist",
    "remove": "remove the symbol under the cursor from the watchlist (z undoes it)",
    "undo_remove": "undo the last removal: the symbol goes back where it was",
    "move_up": "move the symbol under the cursor up the watchlist (saved)",
    "move_down": "move the symbol under the cursor down the watchlist (saved)",
    "next_watchlist": "switch to the next named watchlist",
    "new_watchlist": "create a named watchlist (starts empty) and switch to it",
    "delete_watchlist": "delete the watchlist on screen (asks first; never the last one)",
    "alerts": "the alerts you set: list and delete them",
    "alert": "set an alert on the symbol: a price level, near the pivot, volume pace, a state",
    "alerts_delete": "delete the alert under the cursor",
    "alerts_back": "back to where you were",
    "confirm_yes": "yes: do it",
    "confirm_no": "no: leave everything as it is",
    "clear_filter": "clear the filter / close the prompt",
    "setups": "the setups screen: every member of the universe, its RS rating, base and state",
    "setups_filter": "filter members: words (symbol, name, sector, state) and rs>80, rs<30",
    "setups_sort": "sort by the next column",
    "setups_reverse": "reverse the sort direction",
    "setups_back": "clear the filter, else back to the dashboard",
    "breadth_chart": "chart the universe's breadth over the last year",
    "breadth_back": "back to the setups screen",
    "down": "move down",
    "up": "move up",
    "drilldown": "open the chart of the symbol under the cursor",
    "left": "scroll the pane left",
    "right": "scroll the pane right",
    "page_up": "page up",
    "page_down": "page down",
    **DRILLDOWN_HELP,
}
"""What each binding does, in the words the help screen and the command palette show."""


def keys_for(binding: Binding, keymap: Mapping[str, str]) -> tuple[str, ...]:
    """The keys that trigger ``binding`` once ``keymap`` (id -> "key1,key2") is applied."""
    raw = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return tuple(k.strip() for k in raw.split(",") if k.strip())
