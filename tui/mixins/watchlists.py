"""Watchlist editing for the app: add, remove and reorder symbols, create, switch and delete named
watchlists. Every edit goes through the pure helpers of ``analysis.state`` and is saved at once
(atomically, ``save_state``); a failed save is shown and the edit stays in memory for the session.

An edit that changes the set of symbols (add, remove, switch, delete) changes the refresh universe:
the refresh loop drops a result computed for the old one and fetches again. A reorder keeps the
same symbols, so it only re-renders the pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.state import AppState


@dataclass(frozen=True)
class Removal:
    """The last symbol removed: from which watchlist, and at which place."""

    watchlist: str
    symbol: str
    index: int


class WatchlistEditing:
    """Mixed into the App: ``state`` (AppState), ``watchlist`` (the active list's symbols),
    ``pending`` (symbols added and not yet fetched) and the refresh loop's generation live there."""

    state: AppState
    watchlist: list[str]
    pending: set[str]
    _generation: int
    last_removed: Removal | None = None
    last_added: str | None = None

    # -- saving ----------------------------------------------------------------------------------

    def save_state_now(self) -> bool:
        """Save the state; on failure say why (the in-memory state stays as it is)."""
        from analysis.state import StateError, save_state

        try:
            save_state(self.state)
        except StateError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=8)
            return False
        return True

    def _changed(self, state: AppState, *, universe: bool = True, added: str | None = None
                 ) -> None:
        self.state = state
        self.watchlist = list(state.symbols)
        if added:
            self.pending.add(added)
        if universe:
            self._generation += 1  # a refresh running for the old universe is dropped
        self.save_state_now()
        dash = self.dashboard
        if dash is not None:
            dash.render_pane("watchlist")
        if universe:
            self.request_refresh()

    # -- symbols ---------------------------------------------------------------------------------

    def add_symbol(self, raw: str) -> str | None:
        """Add a symbol to the active watchlist; returns an error message, or None when added."""
        from analysis.state import WatchlistError, add_symbol
        from analysis.symbols import SymbolError, validate_symbol

        try:
            sym = validate_symbol(raw)
            if sym in self.watchlist:
                return f"{sym} is already in the watchlist '{self.state.active}'"
            state = add_symbol(self.state, sym)
        except (SymbolError, WatchlistError) as exc:
            return str(exc)
        self.last_added = sym
        self._changed(state, added=sym)
        self.notify(f"Added {sym}: loading…", timeout=3)
        return None

    def remove_symbol(self, sym: str) -> bool:
        """Remove ``sym`` from the active watchlist (True if it was there); the removal is kept
        so ``undo_remove`` can put it back in its place."""
        from analysis.state import remove_symbol

        if sym not in self.watchlist:
            return False
        self.last_removed = Removal(self.state.active, sym, self.watchlist.index(sym))
        self._changed(remove_symbol(self.state, sym))
        return True

    def undo_remove(self) -> str:
        """Put the last removed symbol back where it was (in its watchlist, which becomes the
        active one); returns what happened, in words."""
        from analysis.state import WatchlistError, add_symbol, switch_watchlist

        removed = getattr(self, "last_removed", None)
        if removed is None:
            return "nothing to undo: x removes the symbol under the cursor"
        self.last_removed = None
        if removed.watchlist not in self.state.watchlists:
            return f"the watchlist '{removed.watchlist}' is gone: {removed.symbol} not restored"
        try:
            state = switch_watchlist(self.state, removed.watchlist)
            if removed.symbol in state.watchlists[removed.watchlist]:
                return f"{removed.symbol} is already back in '{removed.watchlist}'"
            state = add_symbol(state, removed.symbol, at=removed.index)
        except WatchlistError as exc:
            return str(exc)
        self._changed(state)
        return f"{removed.symbol} is back in '{removed.watchlist}'"

    def move_symbol(self, sym: str, delta: int) -> None:
        """Move ``sym`` by ``delta`` places in the active watchlist (negative: up)."""
        from analysis.state import move_symbol

        if sym not in self.watchlist:
            return
        state = move_symbol(self.state, sym, delta)
        if state is not self.state:
            self._changed(state, universe=False)

    # -- named watchlists ------------------------------------------------------------------------

    def create_watchlist(self, raw_name: str) -> str | None:
        """Create an empty named watchlist and switch to it; returns an error message or None."""
        from analysis.state import WatchlistError, create_watchlist, switch_watchlist

        try:
            state = create_watchlist(self.state, raw_name)
        except WatchlistError as exc:
            return str(exc)
        name = state.names[-1]
        self._changed(switch_watchlist(state, name))
        self.notify(f"Watchlist '{name}' created: a adds symbols, w switches lists", timeout=5,
                    markup=False)
        return None

    def next_watchlist(self, step: int = 1) -> None:
        from analysis.state import cycle_watchlist

        names = self.state.names
        if len(names) == 1:
            self.notify(f"'{names[0]}' is the only watchlist: n creates another", timeout=3,
                        markup=False)
            return
        self._changed(cycle_watchlist(self.state, step))
        where = f"{names.index(self.state.active) + 1} of {len(names)}"
        self.notify(f"Watchlist '{self.state.active}' ({where})", timeout=2, markup=False)

    def delete_watchlist(self, name: str) -> str | None:
        """Delete watchlist ``name``; returns an error message (e.g. it is the last one) or None."""
        from analysis.state import WatchlistError, delete_watchlist

        try:
            state = delete_watchlist(self.state, name)
        except WatchlistError as exc:
            return str(exc)
        self._changed(state)
        self.notify(f"Deleted watchlist '{name}'; now showing '{state.active}'", timeout=4,
                    markup=False)
        return None
