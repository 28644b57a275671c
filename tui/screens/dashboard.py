"""The dashboard screen: the market strip, the watchlist, sector-bases and crypto panes, the event
log and the prompt. It renders the app's latest snapshot and turns keys into app actions
(watchlist edits are the app's: ``tui.mixins.watchlists``). It sees the app only through
``tui.screens.host.DashboardHost``.

Wide terminals show every pane (the focused one larger); below 100x32 the panes become tabs
(1/2/3/4, Tab) so each still gets the whole height.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui.keys.bindings import DASHBOARD_BINDINGS
from tui.messages import RefreshFailed, SnapshotReady
from tui.screens.host import DashboardHost
from tui.widgets.crypto import CryptoTable
from tui.widgets.event_log import EventLogPane
from tui.widgets.event_toast import toast_text
from tui.widgets.footer import Footer, FooterFit
from tui.widgets.market_strip import MarketStrip, StripState
from tui.widgets.pane_table import PaneTable, View
from tui.widgets.sector_bases import SectorBasesTable
from tui.widgets.symbol_input import SymbolInput
from tui.widgets.watchlist import WatchlistTable

PROMPT_ACTIONS = frozenset({"filter", "add_symbol", "new_watchlist"})

PANES: tuple[str, ...] = ("watchlist", "sectors", "crypto", "events")
COMPACT_WIDTH, COMPACT_HEIGHT = 100, 32
TOAST_SHARE, TOAST_MIN_WIDTH = 0.334, 30
"""A toast's width (app.tcss says the same): the Events pane's third of the screen, at least 30."""


class DashboardScreen(FooterFit, Screen):
    """The screen a trader keeps open all day."""

    BINDINGS: ClassVar = list(DASHBOARD_BINDINGS)
    HELP_SECTIONS: ClassVar = ("Dashboard", "In a pane")
    FOOTER_NARROW = 100  # below it the footer leaves these out (they work; ? lists them)
    FOOTER_WIDE_ONLY = frozenset({"refresh", "pause", "theme", "replay_faster", "replay_slower"})
    app: DashboardHost  # type: ignore[assignment]  # the hosting app, seen through its protocol

    def compose(self) -> ComposeResult:
        yield MarketStrip(id="strip")
        yield Static(id="tabs")
        with Vertical(id="panes"):
            yield WatchlistTable(id="watchlist", classes="pane -active")
            yield SectorBasesTable(id="sectors", classes="pane")
            with Horizontal(id="bottom"):
                yield CryptoTable(id="crypto", classes="pane")
                yield EventLogPane(id="events", classes="pane")
        yield SymbolInput(id="prompt")
        yield Footer()

    compact: bool | None = None
    ready = False

    def on_mount(self) -> None:
        self.ready = True
        self.query_one(SymbolInput).display = False
        self._layout_for(self.size.width, self.size.height)  # the first call renders every pane
        self.show_history()
        self.query_one("#watchlist").focus()
        self.set_interval(5, self.update_strip, name="strip-clock")

    # -- helpers ---------------------------------------------------------------------------------

    def pane(self, name: str) -> Widget:
        return self.query_one(f"#{name}")

    def tables(self) -> list[PaneTable]:
        return list(self.query(PaneTable))

    @property
    def active_pane(self) -> str:
        for name in PANES:
            if self.pane(name).has_class("-active"):
                return name
        return PANES[0]

    def _layout_for(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self.query_one(Footer).compact = compact
            self.render_all()
        self._mark_active(self.active_pane)

    def _mark_active(self, name: str) -> None:
        for other in PANES:
            self.pane(other).set_class(other == name, "-active")
        self.query_one("#bottom").set_class(name in ("crypto", "events"), "-active")
        tabs = Text()
        for i, other in enumerate(PANES, start=1):
            label = f" {i} {other.capitalize()} "
            tabs.append(label, style="reverse bold" if other == name else "dim")
            tabs.append(" ")
        self.query_one("#tabs", Static).update(tabs)

    def view_for(self, table: PaneTable) -> View:
        app = self.app
        symbols = {
            "watchlist": tuple(app.watchlist),
            "sectors": tuple(s.etf for s in app.config.sectors),
            "crypto": tuple(app.config.crypto),
        }[table.PANE_KEY]
        snap = app.shown_snapshot
        lists = (app.state.names, app.state.active) if table.PANE_KEY == "watchlist" else ((), "")
        return View(snap, symbols, app.semantic_colors, bool(self.compact), app.config,
                    frozenset(app.pending), *lists)

    # -- rendering -------------------------------------------------------------------------------

    def render_all(self) -> None:
        """Re-render every pane and the strip from the app's latest snapshot (or the cached one;
        if that cannot be rendered, it is dropped and the panes show loading rows)."""
        if not self.ready:
            return
        try:
            for table in self.tables():
                table.show(self.view_for(table))
        except Exception as exc:  # a cached file that decoded but does not fit the panes
            if self.app.cached_at is None:
                raise
            self.app.drop_cached(repr(exc))
            for table in self.tables():
                table.show(self.view_for(table))
        self.update_strip()

    def render_pane(self, name: str) -> None:
        table = self.pane(name)
        if isinstance(table, PaneTable):
            table.show(self.view_for(table))

    def update_strip(self) -> None:
        app = self.app
        self.query_one(MarketStrip).update_state(StripState(
            snapshot=app.shown_snapshot, label=app.feed_label, now=app.market_now(),
            wall_now=app.now(), cached_at=app.cached_at,
            updated_at=app.updated_at, busy_since=app.busy_since,
            semantic=app.semantic_colors, paused=app.paused, busy=app.busy,
            error=app.last_error, error_at=app.last_error_at, stale_after=app.stale_after,
            replay=app.replaying,
        ))

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.render_all()
        if message.events:
            self.announce(message.events)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self.update_strip()
        self.note(f"refresh failed: {message.error}", error=True)

    def note(self, text: str, error: bool = False) -> None:
        """A line in the Events pane that is not an event (a failed refresh or alert)."""
        self.query_one(EventLogPane).note(text, self.app.semantic_colors.down if error else None)

    def show_history(self) -> None:
        """The event log's earlier events (read by the first refresh), once."""
        if self.ready and self.app.history:
            self.query_one(EventLogPane).add_earlier(self.app.history, self.app.semantic_colors)

    def announce(self, events) -> None:
        """Log every event (one line each); show those that alert in one toast that replaces the
        previous event toast, sized to sit over the Events pane rather than the tables (compact:
        one line over the tab line's empty right end); a signal the track record does not alert on
        stays in the log, quietly; ring the bell if the config asks for it."""
        from analysis.track_record.record import is_alerted

        self.query_one(EventLogPane).add_events(events, self.app.semantic_colors)
        events = [e for e in events if is_alerted(e)]
        if not events:
            return
        width = max(round(self.size.width * TOAST_SHARE), TOAST_MIN_WIDTH) - 4  # edge, padding
        title, body = toast_text(events, width, max_lines=1 if self.compact else 5)
        timeout = min(max(self.app.refresh_delay * 1.5, 2.0), 10.0)  # replay ticks fast
        warn = any(e.kind == "failed" for e in events)
        self.app.replace_event_toast(title, body, "warning" if warn else "information", timeout)
        if self.app.config.alerts.bell:
            self.app.bell()

    def on_resize(self, event) -> None:
        self._layout_for(event.size.width, event.size.height)
        self.refresh_bindings()  # the footer shows fewer keys in a narrow terminal

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        name = widget.id if widget.id in PANES else None
        if name:
            self._mark_active(name)

    # -- actions ---------------------------------------------------------------------------------

    def action_pane(self, name: str) -> None:
        self._mark_active(name)
        self.pane(name).focus()

    def action_cycle_pane(self, step: int) -> None:
        i = PANES.index(self.active_pane)
        self.action_pane(PANES[(i + step) % len(PANES)])

    def focused_table(self) -> PaneTable | None:
        pane = self.pane(self.active_pane)
        return pane if isinstance(pane, PaneTable) else None

    def action_sort(self) -> None:
        table = self.focused_table()
        if table is None:
            self.notify("The event log is in time order; sort a table pane (1-3).")
            return
        sort = table.cycle_sort()
        self.notify(f"{table.TITLE[2:]}: sorted by {sort.name}", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The prompt openers (priority bindings) stand aside while the prompt has the focus, so
        "/", "a" and "n" type into it."""
        return not (action in PROMPT_ACTIONS and isinstance(self.focused, SymbolInput))

    def action_filter(self) -> None:
        self.query_one(SymbolInput).open("filter", self.tables()[0].filter_text)

    def action_clear_filter(self) -> None:
        if any(t.filter_text for t in self.tables()):
            self.apply_filter("")

    def apply_filter(self, text: str) -> None:
        for table in self.tables():
            table.set_filter(text)

    def action_setups(self) -> None:
        from tui.screens.setups import SetupsScreen

        self.app.push_screen(SetupsScreen())

    def action_add_symbol(self) -> None:
        self.query_one(SymbolInput).open("add")

    def action_remove_symbol(self) -> None:
        table = self.focused_table()
        if not isinstance(table, WatchlistTable):
            self.notify("x removes from the watchlist: go to the watchlist (1) first.",
                        severity="warning")
            return
        sym = table.cursor_key()
        if sym is None:
            return
        if self.app.remove_symbol(sym):
            from tui.screens.help import key_label

            undo = key_label(self.app, next(b for b in DASHBOARD_BINDINGS
                                            if b.id == "undo_remove"), self.app.keymap)
            self.notify(f"Removed {sym} — {undo} to undo", timeout=6, markup=False)

    def action_alert(self) -> None:
        table = self.focused_table()
        sym = table.cursor_key() if table is not None else None
        if sym is None:
            self.notify("A sets an alert on the symbol under the cursor: go to a pane (1-3).",
                        severity="warning")
            return
        self.app.action_alert_for(sym)

    def action_undo_remove(self) -> None:
        removed = self.app.last_removed
        self.notify(self.app.undo_remove(), timeout=3, markup=False)
        if removed is not None and removed.symbol in self.app.watchlist:
            self.follow(removed.symbol)

    def follow(self, sym: str) -> None:
        """Put the watchlist's cursor on ``sym`` and scroll it into view (a filter that hides it
        is cleared)."""
        self.action_pane("watchlist")
        table = self.pane("watchlist")
        if not isinstance(table, WatchlistTable):
            return
        if sym not in table.visible_keys() and table.filter_text:
            self.apply_filter("")
        if sym in table.visible_keys():
            table.move_cursor(row=table.get_row_index(sym), animate=False, scroll=True)

    def action_move_symbol(self, step: int) -> None:
        """Move the symbol under the cursor past its visible neighbour (up: -1, down: 1)."""
        table = self.focused_table()
        if not isinstance(table, WatchlistTable):
            self.notify("Reordering works in the watchlist: go to it (1) first.",
                        severity="warning")
            return
        if table.sort_index:
            self.notify(f"The watchlist is sorted by {table.current_sort.name}: press s until "
                        "'list order' to reorder it.", severity="warning", markup=False)
            return
        sym, visible = table.cursor_key(), table.visible_keys()
        if sym is None or not 0 <= visible.index(sym) + step < len(visible):
            return
        order = self.app.watchlist
        self.app.move_symbol(sym, order.index(visible[visible.index(sym) + step])
                             - order.index(sym))

    def action_next_watchlist(self) -> None:
        self.app.next_watchlist()
        self.action_pane("watchlist")

    def action_new_watchlist(self) -> None:
        self.query_one(SymbolInput).open("watchlist")

    def action_delete_watchlist(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        state = self.app.state
        name = state.active
        if len(state.names) == 1:
            self.notify(f"'{name}' is the last watchlist: it cannot be deleted.",
                        severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            error = self.app.delete_watchlist(name) if yes else None
            if error:
                self.notify(error, severity="error", markup=False)

        count = len(state.symbols)
        self.app.push_screen(ConfirmScreen(
            f"Delete the watchlist '{name}' ({count} symbol{'s' * (count != 1)})?",
            "Other watchlists keep their symbols; this cannot be undone."), answered)

    def on_symbol_input_typed(self, message: SymbolInput.Typed) -> None:
        self.apply_filter(message.value)

    def on_symbol_input_done(self, message: SymbolInput.Done) -> None:
        prompt = self.query_one(SymbolInput)
        if message.mode == "filter":
            self.apply_filter(message.value)
            self._close_prompt()
            return
        if message.mode == "watchlist":
            error, title = self.app.create_watchlist(message.value), "Not created"
        else:
            error, title = self.app.add_symbol(message.value), "Not added"
        if error:
            prompt.show_error(error)
            self.notify(error, title=title, severity="error", markup=False)
            return
        self._close_prompt()
        if message.mode == "watchlist":
            self.action_pane("watchlist")
        elif self.app.watchlist:
            self.follow(self.app.last_added or self.app.watchlist[-1])

    def on_symbol_input_cancelled(self, message: SymbolInput.Cancelled) -> None:
        if message.mode == "filter":
            self.apply_filter("")
        self._close_prompt()

    def _close_prompt(self) -> None:
        self.query_one(SymbolInput).close()
        self.pane(self.active_pane).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if not isinstance(table, PaneTable):
            return
        sym = event.row_key.value
        snap = self.app.latest.snapshot if self.app.latest else None
        if snap is None and self.app.cached_at is not None:
            self.notify(f"{sym}: the chart opens once the first refresh lands (the figures on "
                        "screen are from the last session, cached)", title=sym, timeout=4)
            return
        if snap is None or sym not in snap.symbols:
            why = snap.errors.get(sym) if snap else None
            self.notify(why or f"{sym}: no data yet", title=sym,
                        severity="error" if why else "information")
            return
        from tui.screens.drilldown import DrilldownScreen

        self.app.push_screen(DrilldownScreen(sym, tuple(table.visible_keys())))
