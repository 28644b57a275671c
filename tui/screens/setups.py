"""The setups screen (``u``): every member of the universe in one sortable, filterable table, under
a line of the universe's breadth. Rows update in place on each refresh; Enter opens the chart, and
``[``/``]`` there step through the rows as filtered and sorted here.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from tui.keys.bindings import SETUPS_BINDINGS
from tui.messages import SnapshotReady
from tui.screens.host import DashboardHost
from tui.widgets.footer import Footer, FooterFit
from tui.widgets.market_strip import StripState, breadth_line
from tui.widgets.pane_table import View
from tui.widgets.setups_table import SetupsTable
from tui.widgets.symbol_input import SymbolInput

COMPACT_WIDTH = 120
TYPING_PAUSE = 0.15  # seconds without a key before the typed filter is applied
FILTER_HINT = "words (symbol, name, sector, state) and rs>80 — Enter keeps, Esc clears"
NO_UNIVERSE = ("No universe to scan: start with --universe FILE (a symbol list, an iShares "
               "holdings CSV or csv:DIR) or set [universe] file in the config.")


class SetupsScreen(FooterFit, Screen):
    """The universe's members and their setups."""

    BINDINGS: ClassVar = list(SETUPS_BINDINGS)
    FOOTER_NARROW = 140  # below it the footer leaves out refresh, pause and theme (? lists them)
    FOOTER_WIDE_ONLY = frozenset({"refresh", "pause", "theme"})
    DEFAULT_CSS = """
    SetupsScreen { layout: vertical; }
    SetupsScreen #breadth { height: 1; padding: 0 1; background: $panel; }
    SetupsScreen #setups { height: 1fr; }
    """
    app: DashboardHost  # type: ignore[assignment]  # the hosting app, seen through its protocol
    _typed: Timer | None = None  # the pending filter while the user types

    def compose(self) -> ComposeResult:
        yield Static(id="breadth")
        yield SetupsTable(id="setups", classes="pane")
        yield SymbolInput(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SymbolInput).display = False
        self.render_all()
        self.query_one(SetupsTable).focus()

    @property
    def table(self) -> SetupsTable:
        return self.query_one(SetupsTable)

    def view(self) -> View:
        app = self.app
        compact = self.size.width < COMPACT_WIDTH
        self.query_one(Footer).compact = compact
        return View(app.shown_snapshot, (), app.semantic_colors, compact, app.config)

    def render_all(self) -> None:
        """The table and the breadth line from the app's snapshot."""
        view = self.view()
        self.table.show(view)
        snap = view.snapshot
        if snap is None:
            self.query_one("#breadth", Static).update(Text("loading market data…", style="italic"))
            return
        if getattr(snap, "universe", None) is None:
            self.query_one("#breadth", Static).update(Text(NO_UNIVERSE, style="italic"))
            return
        state = StripState(snapshot=snap, label="", now=self.app.now(),
                           semantic=self.app.semantic_colors)
        width = max(self.size.width - 2, 20)
        self.query_one("#breadth", Static).update(breadth_line(state, width))

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.render_all()

    def on_resize(self, event) -> None:
        self.render_all()
        self.refresh_bindings()  # the footer shows fewer keys in a narrow terminal

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """'/' types into the prompt while it has the focus."""
        return not (action == "filter" and isinstance(self.focused, SymbolInput))

    def action_sort(self) -> None:
        self.notify(f"Setups: sorted by {self.table.cycle_sort().name}", timeout=2)

    def action_reverse_sort(self) -> None:
        self.notify(f"Setups: sorted by {self.table.reverse_sort().name}", timeout=2)

    def action_filter(self) -> None:
        prompt = self.query_one(SymbolInput)
        prompt.open("filter", self.table.filter_text)
        prompt.placeholder = FILTER_HINT

    def action_breadth_chart(self) -> None:
        """The universe's breadth over its last year (nothing to chart without a universe)."""
        snap = self.app.shown_snapshot
        if snap is None or getattr(snap, "universe", None) is None:
            self.notify(NO_UNIVERSE, severity="warning")
            return
        from tui.screens.breadth import BreadthScreen

        self.app.push_screen(BreadthScreen())

    def action_back(self) -> None:
        if self.table.filter_text:
            self.table.set_filter("")
            return
        self.dismiss()

    def on_symbol_input_typed(self, message: SymbolInput.Typed) -> None:
        """Filter as the user types, once the keys pause (each filter of thousands of rows
        refills the table)."""
        if self._typed is not None:
            self._typed.stop()
        value = message.value
        self._typed = self.set_timer(TYPING_PAUSE, lambda: self.table.set_filter(value))

    def on_symbol_input_done(self, message: SymbolInput.Done) -> None:
        if self._typed is not None:
            self._typed.stop()
        self.table.set_filter(message.value)
        self._close_prompt()

    def on_symbol_input_cancelled(self, message: SymbolInput.Cancelled) -> None:
        if self._typed is not None:
            self._typed.stop()
        self.table.set_filter("")
        self._close_prompt()

    def _close_prompt(self) -> None:
        self.query_one(SymbolInput).close()
        self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        sym = event.row_key.value
        snap = self.app.latest.snapshot if self.app.latest else None
        if snap is None or sym not in snap.symbols:
            why = snap.errors.get(sym) if snap else None
            self.notify(why or f"{sym}: no data yet", title=sym,
                        severity="error" if why else "information")
            return
        from tui.screens.drilldown import DrilldownScreen

        self.app.push_screen(DrilldownScreen(sym, tuple(self.table.visible_keys())))
