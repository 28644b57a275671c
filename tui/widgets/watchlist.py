"""The watchlist pane: one row per watched symbol with its price, trend and breakout state."""

from __future__ import annotations

from typing import ClassVar

from tui import format as fmt
from tui.widgets import cells
from tui.widgets.pane_table import (
    Col,
    PaneTable,
    Row,
    Sort,
    View,
    colored,
    is_stale,
    lags,
    signed_color,
)

SPARK = (20, 5)


class WatchlistTable(PaneTable):
    """Symbol, last, change %, sparkline, % from ATH (with a new-ATH mark), streak, RS vs the
    benchmark, volume pace and breakout state. A failed symbol shows its error in its row."""

    TITLE = "1 Watchlist"
    PANE_KEY = "watchlist"
    COLUMNS: ClassVar = (
        Col("symbol", "Symbol", 9, 7, short="Sym"),
        Col("last", "Last", 10, 8, right=True),
        Col("chg", "Chg", 7, 7, right=True),
        Col("spark", "30 sessions", SPARK[0], SPARK[1], short="Trend"),
        Col("ath", "From ATH", 9, 6, right=True, short="vsATH"),
        Col("streak", "Strk", 4, 3, right=True, short="Stk"),
        Col("rs", "RS 1m", 8, 6, right=True),
        Col("pace", "Vol", 5, 4, right=True),
        Col("state", "Breakout", 26, 11),
    )
    SORTS: ClassVar = (
        Sort("list order"),
        Sort("change", "chg", descending=True),
        Sort("near ATH", "ath", descending=True),
        Sort("streak", "streak", descending=True),
        Sort("RS", "rs", descending=True),
        Sort("breakout", "breakout"),
    )

    def subtitle(self, view: View) -> str:
        if not view.symbols:
            return "empty: a adds a symbol · w next list"
        return f"RS vs {view.config.benchmark.rs_against} · Enter: chart"

    def heading(self) -> str:
        """'1 Watchlist · default', and which of several lists: 'semis (2/3)'."""
        view = self.view
        if view is None or not view.active:
            return self.TITLE
        where = ""
        if len(view.lists) > 1 and view.active in view.lists:
            where = f" ({view.lists.index(view.active) + 1}/{len(view.lists)})"
        return f"{self.TITLE} · {view.active}{where}"

    def row(self, sym: str, view: View) -> Row:
        sem, compact, snap = view.semantic, view.compact, view.snapshot
        keys = tuple(c.key for c in self.COLUMNS)
        facts = snap.symbols.get(sym) if snap else None
        error = snap.errors.get(sym) if snap else None
        if facts is None:
            if error and sym not in view.pending:
                out = cells.filler(keys, "", sem)
                out["symbol"] = cells.symbol_cell(sym, sem, error=True)
                out["last"] = colored("error", sem.down, right=True)
                width = 11 if compact else 26
                out["state"] = colored(fmt.truncate(cells.error_message(sym, error), width),
                                       sem.down)
                return Row(sym, out, tone="error", search=sym)
            out = cells.filler(keys, "…", sem)
            out["symbol"] = cells.symbol_cell(sym, sem)
            out["state"] = colored("loading…", sem.stale)
            return Row(sym, out, search=sym)
        rs = facts.rs
        rs_text = fmt.rs_change(rs.trend, rs.change_1m, 0 if compact else 1) if rs else fmt.DASH
        rs_color = {"up": sem.up, "down": sem.down}.get(rs.trend if rs else "")
        rs_cell = colored(rs_text, sem.ath if rs and rs.new_high else rs_color,
                          bold=bool(rs and rs.new_high), right=True)
        pace_hot = facts.volume_pace is not None and (
            facts.volume_pace >= view.config.thresholds.confirm_volume_ratio)
        stale = is_stale(snap, facts)
        state = cells.state_cell(facts.breakout, sem, compact)
        if stale and lags(snap, facts) and not snap.fallback:
            state = colored(f"stale {fmt.short_date(facts.asof)}", sem.stale, bold=True)
        out = {
            "symbol": cells.symbol_cell(sym, sem, facts, compact=compact),
            "last": colored(fmt.money(facts.last, facts.currency, compact, 8 if compact else 10),
                            None, right=True),
            "chg": cells.change_cell(facts.change_pct, sem),
            **cells.extended_cells(facts.extended, sem, compact),
            "spark": cells.spark_cell(facts.spark, SPARK[1] if compact else SPARK[0], sem),
            "ath": cells.ath_cell(facts, sem, compact),
            "streak": colored(fmt.streak(facts.streak.length),
                              signed_color(facts.streak.length, sem), right=True),
            "rs": rs_cell,
            "pace": colored(fmt.ratio(facts.volume_pace), sem.breakout if pace_hot else None,
                            bold=pace_hot, right=True),
            "state": state,
        }
        tone = "stale" if stale else cells.tone_for(facts.breakout)
        return Row(
            sym, out, tone=tone, search=sym,
            sort={
                "chg": facts.change_pct,
                "ath": facts.highs.pct_from_ath if facts.highs else None,
                "streak": facts.streak.length,
                "rs": rs.change_1m if rs else None,
                "breakout": cells.breakout_rank(facts.breakout),
            },
        )
