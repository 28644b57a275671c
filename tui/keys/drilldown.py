"""Keys of the drill-down screen, each with an id (the config's ``[keys]`` remaps them), and what
each does in words for the help screen. Light on purpose: the help screen and the keymap import
this without importing the charts."""

from __future__ import annotations

from textual.binding import Binding

TIMEFRAMES: tuple[str, ...] = ("1M", "3M", "6M", "1Y", "3Y", "5Y")

_TIMEFRAME_KEYS = Binding.Group("Timeframe", compact=True)
_STEP_KEYS = Binding.Group("Prev/next", compact=True)

DRILLDOWN_BINDINGS: tuple[Binding, ...] = (
    *(Binding(str(i), f"timeframe('{tf}')", tf, id=f"drilldown_{tf.lower()}",
              group=_TIMEFRAME_KEYS)
      for i, tf in enumerate(TIMEFRAMES, start=1)),
    Binding("c", "cycle_mode", "Chart type", id="drilldown_mode"),
    Binding("v", "toggle_volume", "Volume", id="drilldown_volume"),
    Binding("o", "toggle_overlays", "Overlays", id="drilldown_overlays"),
    Binding("b", "cycle_benchmark", "Benchmark", id="drilldown_benchmark"),
    Binding("h", "histogram", "Histogram", id="drilldown_histogram"),
    Binding("A", "alert", "Alert", show=False, id="alert"),
    Binding("left_square_bracket", "step(-1)", "Prev", key_display="[", id="drilldown_prev",
            group=_STEP_KEYS),
    Binding("right_square_bracket", "step(1)", "Next", key_display="]", id="drilldown_next",
            group=_STEP_KEYS),
    Binding("escape", "back", "Back", id="drilldown_back"),
)
"""Keys of the drill-down screen."""

DRILLDOWN_HELP: dict[str, str] = {
    **{f"drilldown_{tf.lower()}": "chart the last " + (
        ("" if tf[:-1] == "1" else f"{tf[:-1]} ") + ("month" if tf.endswith("M") else "year")
        + ("" if tf[:-1] == "1" else "s")) for tf in TIMEFRAMES},
    "drilldown_mode": "candles, line, OHLC bars",
    "drilldown_volume": "show / hide volume",
    "drilldown_overlays": "show / hide moving averages, base, pivot, zone and breakouts",
    "drilldown_benchmark": "next benchmark for relative strength (says which; hides the histogram)",
    "drilldown_histogram": "histogram of returns after past streaks (5, 21, 63 sessions, off)",
    "drilldown_prev": "previous symbol of the pane",
    "drilldown_next": "next symbol of the pane",
    "drilldown_back": "back to the dashboard",
}
"""What each drill-down key does, for the help screen and the command palette."""
