"""The alerts screen (``!``): every alert the trader set, what it waits for, whether it holds
now, and once or every time; ``x`` deletes the one under the cursor, Esc goes back. The keys are
``ALERTS_BINDINGS`` (ids ``alerts_delete`` / ``alerts_back``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.keys.bindings import ALERTS_BINDINGS
from tui.messages import SnapshotReady
from tui.widgets.footer import Footer


class AlertsScreen(Screen):
    """A table of ``app.state.alerts``; redrawn on every refresh (an alert may now hold)."""

    BINDINGS: ClassVar = list(ALERTS_BINDINGS)
    HELP_SECTIONS: ClassVar = ("Alerts (!)",)
    DEFAULT_CSS = """
    #alerts-title { height: 1; padding: 0 1; background: $panel; }
    #alerts-table { height: 1fr; }
    #alerts-hint { height: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="alerts-title")
        yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=False)
        yield Static("A on a row of the dashboard or in a chart sets an alert; it fires when its "
                     "condition becomes true (a toast, the bell if configured, the event log "
                     "and the alert command), never again while it stays true.", id="alerts-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (("symbol", "Symbol"), ("alert", "Alert"), ("now", "Now"),
                           ("repeat", "Fires")):
            table.add_column(label, key=key)
        self.show()
        table.focus()

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.show()

    def show(self) -> None:
        """(Re)build the rows from the app's state, keeping the cursor on the same alert."""
        from analysis.user_alerts import holds

        table = self.query_one(DataTable)
        keep = self._cursor_id()
        table.clear()
        alerts = self.app.state.alerts
        latest = getattr(self.app, "latest", None)
        symbols = latest.snapshot.symbols if latest is not None else {}
        for alert in alerts:
            facts = symbols.get(alert.symbol)
            now = ("no data" if facts is None
                   else "true now" if holds(alert, facts) else "waiting")
            table.add_row(alert.symbol, alert.describe().rsplit(" (", 1)[0], now,
                          "every time" if alert.every else "once", key=alert.id)
        count = len(alerts)
        self.query_one("#alerts-title", Static).update(
            f"[b]Alerts[/b]  {count} set" if count else
            "[b]Alerts[/b]  none set: A on a row or in a chart sets one")
        if keep is not None and any(a.id == keep for a in alerts):
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def _cursor_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_delete_alert(self) -> None:
        alert_id = self._cursor_id()
        if alert_id is None:
            return
        gone = self.app.delete_alert(alert_id)
        self.show()
        if gone is not None:
            self.notify(f"Deleted the alert: {gone.describe()}", timeout=3, markup=False)

    def action_back(self) -> None:
        self.dismiss()
