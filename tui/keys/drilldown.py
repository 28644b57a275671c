"""Keys of the drill-down screen, each with an id (the config's ``[keys]`` remaps them), and what
each does in words for the help screen. Light on purpose: the help screen and the keymap import
this without importing the charts."""

from __future__ import annotations

from textual.binding import Binding

TIMEFRAMES: tuple[str, ...] = ("1M", "3M", "6M", "1Y", "3Y", "5Y")
INTRADAY_TIMEFRAMES: tuple[str, ...] = ("1D", "5D")
"""Charts of 5-minute bars (``i``: the last session, ``I``: the last five)."""

_TIMEFRAME_KEYS = Binding.Group("Timeframe", compact=True)
_STEP_KEYS = Binding.Group("Symbol", compact=True)
_BAR_KEYS = Binding.Group("Bar", compact=True)

DRILLDOWN_BINDINGS: tuple[Binding, ...] = (
    *(Binding(str(i), f"timeframe('{tf}')", tf, id=f"drilldown_{tf.lower()}",
              group=_TIMEFRAME_KEYS)
      for i, tf in enumerate(TIMEFRAMES, start=1)),
    *(Binding(key, f"timeframe('{tf}')", tf, id=f"drilldown_{tf.lower()}", group=_TIMEFRAME_KEYS)
      for key, tf in zip(("i", "I"), INTRADAY_TIMEFRAMES, strict=True)),
    Binding("c", "cycle_mode", "Chart", id="drilldown_mode"),
    Binding("v", "toggle_volume", "Volume", show=False, id="drilldown_volume"),
    Binding("o", "toggle_overlays", "Overlays", show=False, id="drilldown_overlays"),
    Binding("b", "cycle_benchmark", "Benchmark", id="drilldown_benchmark"),
    Binding("h", "histogram", "Returns", id="drilldown_histogram"),
    Binding("s", "study", "Study", id="drilldown_study"),
    Binding("left", "cursor('left')", "Bar", key_display="←", priority=True,
            id="drilldown_bar_prev", group=_BAR_KEYS),
    Binding("right", "cursor('right')", "Bar", key_display="→", priority=True,
            id="drilldown_bar_next", group=_BAR_KEYS),
    Binding("home", "cursor('first')", "First bar", show=False, priority=True,
            id="drilldown_bar_first"),
    Binding("end", "cursor('last')", "Last bar", show=False, priority=True,
            id="drilldown_bar_last"),
    Binding("A", "alert", "Alert", show=False, id="alert"),
    Binding("left_square_bracket", "step(-1)", "Prev", key_display="[", id="drilldown_prev",
            group=_STEP_KEYS),
    Binding("right_square_bracket", "step(1)", "Next", key_display="]", id="drilldown_next",
            group=_STEP_KEYS),
    Binding("escape", "back", "Back", id="drilldown_back"),
)
"""Keys of the drill-down screen."""

NARROW_FOOTER = 110
"""Below this many columns the chart's footer leaves out ``WIDE_ONLY`` (``?`` lists them)."""
WIDE_ONLY: frozenset[str] = frozenset({"drilldown_mode", "drilldown_benchmark",
                                       "drilldown_histogram", "drilldown_prev", "drilldown_next"})

QUIET_APP_KEYS: tuple[Binding, ...] = (
    Binding("r", "app.refresh", "Refresh", show=False, id="refresh"),
    Binding("p", "app.pause", "Pause", show=False, id="pause"),
    Binding("t", "app.cycle_theme", "Theme", show=False, id="theme"),
)
"""App keys that work in a chart as everywhere but leave its footer to the chart's own keys
(same ids as the app's, so a remap moves both)."""

DRILLDOWN_HELP: dict[str, str] = {
    **{f"drilldown_{tf.lower()}": "chart the last " + (
        ("" if tf[:-1] == "1" else f"{tf[:-1]} ") + ("month" if tf.endswith("M") else "year")
        + ("" if tf[:-1] == "1" else "s")) for tf in TIMEFRAMES},
    "drilldown_1d": "intraday: the last session in 5-minute bars (VWAP, prior close)",
    "drilldown_5d": "intraday: the last five sessions (5-minute bars, grouped to fit)",
    "drilldown_mode": "candles, line, OHLC bars",
    "drilldown_volume": "show / hide volume",
    "drilldown_overlays": "show / hide moving averages, base, pivot, zone and breakouts",
    "drilldown_benchmark": "next benchmark for relative strength (says which; hides the histogram)",
    "drilldown_histogram": "histogram of returns after past streaks (5, 21, 63 sessions, off)",
    "drilldown_study": "scroll the side panel to the streak study (again: back to the top)",
    "drilldown_bar_prev": "bar cursor one bar left: the bar's date, OHLC, volume and change",
    "drilldown_bar_next": "bar cursor one bar right",
    "drilldown_bar_first": "bar cursor on the first bar",
    "drilldown_bar_last": "bar cursor on the last bar",
    "drilldown_prev": "previous symbol of the pane",
    "drilldown_next": "next symbol of the pane",
    "drilldown_back": "hide the bar cursor; else back to the dashboard",
}
"""What each drill-down key does, for the help screen and the command palette."""
