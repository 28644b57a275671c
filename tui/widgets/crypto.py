"""The crypto pane: last, 24h and 7d change, a sparkline, the ratio to the first coin (ETH/BTC)
with its trend, and where each coin stands in the reference-high race."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text

from tui import format as fmt
from tui.widgets import cells
from tui.widgets.pane_table import Col, PaneTable, Row, Sort, View, colored, is_stale, lags

if TYPE_CHECKING:
    from analysis.facts.race import RaceResult
    from analysis.facts.strength import RelativeStrength
    from tui.semantic import SemanticColors

SPARK = (12, 8)


def ratio_cell(sym: str, ratio: RelativeStrength | None, sem: SemanticColors) -> Text:
    """The coin against the first coin (ETH/BTC) and its trend; blank for the other coins."""
    if ratio is None or ratio.symbol != sym:
        return colored("", None)
    color = {"up": sem.up, "down": sem.down}.get(ratio.trend)
    value = fmt.price(ratio.ratio) if ratio.ratio < 1 or ratio.ratio >= 10 else (
        fmt.number(ratio.ratio, 4))
    return colored(f"{value} {fmt.trend_arrow(ratio.trend)}", color, bold=ratio.new_high)


def race_cell(sym: str, race: RaceResult | None, sem: SemanticColors) -> Text:
    """How far the coin is from its reference-session high, or when it crossed it."""
    if race is None:
        return colored("", None)
    entry = next((e for e in race.entries if e.symbol == sym), None)
    if entry is None:
        return colored("", None)
    if entry.crossed_on is not None:
        won = race.winner == sym
        word = "WON" if won else "crossed"
        return colored(f"{word} {fmt.short_date(entry.crossed_on)}", sem.breakout, bold=won)
    return colored(f"{fmt.pct(entry.distance_pct)} to hi", None)


class CryptoTable(PaneTable):
    """Crypto coins with 24h / 7d change, the ETH/BTC ratio and the reference-high race."""

    TITLE = "3 Crypto"
    PANE_KEY = "crypto"
    COLUMNS: ClassVar = (
        Col("symbol", "Symbol", 8, 8),
        Col("last", "Last", 9, 9, right=True),
        Col("chg", "24h", 6, 6, right=True),
        Col("chg7", "7d", 6, 6, right=True),
        Col("spark", "30 days", SPARK[0], SPARK[1]),
        Col("ratio", "vs 1st", 9, 9, right=True),
        Col("race", "Race", 13, 13),
    )
    SORTS: ClassVar = (
        Sort("list order"),
        Sort("24h", "chg", descending=True),
        Sort("7d", "chg7", descending=True),
    )

    def columns_for(self, compact: bool) -> tuple[Col, ...]:
        """Without a race in the config, no Race column."""
        cols = super().columns_for(compact)
        if self.view is not None and not self.view.config.race.symbols:
            return tuple(c for c in cols if c.key != "race")
        return cols

    def label_for(self, col: Col, view: View) -> str:
        if col.key == "ratio" and view.config.crypto:
            return f"vs {view.config.crypto[0].removesuffix('-USD')}"
        return super().label_for(col, view)

    def subtitle(self, view: View) -> str:
        snap = view.snapshot
        if snap is None:
            return ""
        parts = []
        ratio = snap.market.crypto_ratio
        if ratio is not None:
            a, b = ratio.symbol.removesuffix("-USD"), ratio.benchmark.removesuffix("-USD")
            parts.append(f"{a}/{b} 1m {fmt.rs_change(ratio.trend, ratio.change_1m)}")
        race = snap.market.race
        if race is not None:
            parts.append(f"race to {fmt.short_date(race.reference_date)} highs: {race.status}")
        return " · ".join(parts)

    def row(self, sym: str, view: View) -> Row:
        sem, compact, snap = view.semantic, view.compact, view.snapshot
        keys = tuple(c.key for c in self.COLUMNS)
        facts = snap.symbols.get(sym) if snap else None
        error = snap.errors.get(sym) if snap else None
        if facts is None:
            out = cells.filler(keys, "" if error else "…", sem)
            out["symbol"] = cells.symbol_cell(sym, sem, error=bool(error))
            msg = fmt.truncate(cells.error_message(sym, error), 13) if error else "loading…"
            out["race"] = colored(msg, sem.down if error else sem.stale)
            return Row(sym, out, tone="error" if error else None, search=sym)
        stale = is_stale(snap, facts)
        out = {
            "symbol": cells.symbol_cell(sym, sem, facts),
            "last": colored(fmt.money(facts.last, facts.currency, True, 9), None, right=True),
            "chg": cells.change_cell(facts.change_pct, sem),
            "chg7": cells.change_cell(facts.change_7d_pct, sem),
            "spark": cells.spark_cell(facts.spark, SPARK[1] if compact else SPARK[0], sem),
            "ratio": ratio_cell(sym, snap.market.crypto_ratio, sem),
            "race": race_cell(sym, snap.market.race, sem),
        }
        if stale and lags(snap, facts) and not snap.fallback:
            out["race"] = colored(f"stale {fmt.short_date(facts.asof)}", sem.stale, bold=True)
        return Row(sym, out, tone="stale" if stale else None, search=sym,
                   sort={"chg": facts.change_pct, "chg7": facts.change_7d_pct})
