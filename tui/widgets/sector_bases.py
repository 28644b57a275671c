"""The sector-bases pane: each sector of the benchmark index, its ETF's base and breakout state,
ranked by how close it is to a breakout. With a universe whose members have sectors, each sector
also shows how many of its members are in a base near its pivot (of its members with bars) and
their average RS rating, in place of the resistance zone, and the pane ranks sectors by that
(``analysis.universe_facts``): sectors building bases, measured bottom-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from analysis.facts.watched import nearest_overhead
from tui import format as fmt
from tui.widgets import cells
from tui.widgets.pane_table import Col, PaneTable, Row, Sort, View, colored, is_stale, stale_state

if TYPE_CHECKING:
    from rich.text import Text

    from analysis.facts.bases import Base
    from analysis.facts.zones import Zone
    from analysis.snapshot import SymbolFacts

SHORT_SECTORS: dict[str, str] = {
    "Information Technology": "Technology",
    "Consumer Discretionary": "Cons. Disc.",
    "Communication Services": "Comm. Svcs",
    "Consumer Staples": "Staples",
}


# The sectors in at most 8 letters, for the setups table's narrow sector column.
TINY_SECTORS: dict[str, str] = {
    "Information Technology": "Tech", "Technology": "Tech", "Consumer Discretionary": "Discret.",
    "Communication Services": "Comms", "Consumer Staples": "Staples", "Health Care": "Health",
    "Financials": "Finance", "Industrials": "Industry", "Real Estate": "Real Est",
    "Materials": "Material", "Utilities": "Utility",
}


def short_sector(name: str, width: int) -> str:
    """A sector's name in ``width`` characters or fewer: the pane's short names (11), the tiny
    ones below that, else cut with an ellipsis."""
    short = SHORT_SECTORS.get(name, name)
    if len(short) > width:
        short = TINY_SECTORS.get(name, short)
    return fmt.truncate(short, width)


STATUS_MARK: dict[str, str] = {"forming": "", "broken_out": "↑", "failed": "✗"}


def watched_base(facts: SymbolFacts) -> Base | None:
    """The base the breakout state machine watches: the newest one, whatever its status."""
    return facts.bases[0] if facts.bases else None


def zone_text(zone: Zone | None, compact: bool) -> str:
    if zone is None:
        return fmt.DASH
    low, high = fmt.price(zone.low, True), fmt.price(zone.high, True)
    if compact:
        return f"{low}-{high}"
    where = "in" if zone.position == "inside" else fmt.pct(-abs(zone.distance_pct))
    return f"{low}-{high} ×{zone.touches} {where}"


def weight_label(fund: str) -> str:
    """The weight column's header: the fund (whose index the weights are of) and %, as "SPY%"; a
    symbol too long for the column falls back to "Wt%"."""
    return f"{fund}%" if len(fund) <= 4 else "Wt%"


class SectorBasesTable(PaneTable):
    """Sector, ETF, weight in the index, base kind, depth, length, pivot, the price vs the pivot
    (%), the nearest resistance zone and the breakout state. Ranked by closeness to a breakout by
    default."""

    TITLE = "2 Sector bases"
    PANE_KEY = "sectors"
    COLUMNS: ClassVar = (
        Col("sector", "Sector", 13, 11),
        Col("symbol", "ETF", 5, 4),
        Col("weight", "Wt%", 5, 4, right=True),
        Col("base", "Base", 11, 11),
        Col("depth", "Depth", 5, 4, right=True, short="Dep"),
        Col("length", "Len", 4, 3, right=True),
        Col("pivot", "Pivot", 8, 7, right=True),
        Col("gap", "vs Piv", 6, 6, right=True),
        Col("zone", "Resistance zone", 22, 11, short="Resistance"),
        Col("state", "State since", 17, 11, short="State"),
    )
    COMPACT_ORDER: ClassVar = ("symbol", "sector", "state", "gap", "pivot", "base", "depth",
                               "length", "zone", "weight")
    SORTS: ClassVar = (
        Sort("closest to breakout", "rank"),
        Sort("index weight", "weight", descending=True),
        Sort("base depth", "depth"),
        Sort("sector", "name"),
        Sort("members near pivots", "members"),
    )
    MEMBER_COLUMNS: ClassVar = (
        Col("members", "Near/all", 8, 7, right=True, short="Near"),
        Col("members_rs", "RS", 3, 3, right=True),
    )
    bottom_up = False  # the universe's members have sectors: the member columns are shown

    def columns_for(self, compact: bool) -> tuple[Col, ...]:
        cols = super().columns_for(compact)
        if not self.bottom_up:
            return cols
        out: list[Col] = []
        for col in cols:
            if col.key == "base":
                out.extend(self.MEMBER_COLUMNS)
            if col.key != "zone":
                out.append(col)
        return tuple(out)

    def show(self, view: View) -> None:
        uni = getattr(view.snapshot, "universe", None) if view.snapshot is not None else None
        bottom_up = bool(uni is not None and uni.sectors)
        if bottom_up != self.bottom_up:
            self.bottom_up = bottom_up
            self._layout = None  # rebuild the columns
            members = [s.key for s in self.SORTS].index("members")
            if bottom_up and self.sort_index == 0:
                self.sort_index = members  # rank bottom-up at first
            elif not bottom_up and self.sort_index == members:
                self.sort_index = 0
        super().show(view)

    def subtitle(self, view: View) -> str:
        from analysis.market import index_of

        snap = view.snapshot
        if snap is None:
            return ""
        w = snap.market.sector_weights
        fund = view.config.benchmark.weights_of
        source = f"{w.source} {w.asof}" if w.asof else w.source
        if not w.weights and any(sec.weight is not None for sec in view.config.sectors):
            source = "from the config"
        return f"{weight_label(fund)} = % of the {index_of(fund)}: {source}"

    def label_for(self, col: Col, view: View) -> str:
        """The weight column names the fund whose index the weights are of: SPY%, IWM%."""
        if col.key == "weight":
            return weight_label(view.config.benchmark.weights_of)
        return super().label_for(col, view)

    def build_rows(self, view: View) -> list[Row]:
        return [self.sector_row(s.name, s.etf, s.weight, view) for s in view.config.sectors
                if s.etf in view.symbols]

    def sector_row(self, name: str, etf: str, weight: float | None, view: View) -> Row:
        sem, compact, snap = view.semantic, view.compact, view.snapshot
        keys = tuple(c.key for c in self.COLUMNS)
        if snap is not None:
            weight = snap.market.sector_weights.weights.get(name, weight)
        label = SHORT_SECTORS.get(name, name)
        base_cells = {
            "sector": colored(fmt.truncate(label, 11 if compact else 13), None),
            "weight": colored(fmt.number(weight), None, right=True),
        }
        search = f"{etf} {name}"
        members, members_rank = self.member_cells(name, view)
        facts = snap.symbols.get(etf) if snap else None
        error = snap.errors.get(etf) if snap else None
        sort_common = {"weight": weight, "name": name}
        if facts is None:
            out = cells.filler(keys, "…" if not error else "", sem) | base_cells
            out["symbol"] = cells.symbol_cell(etf, sem, error=bool(error))
            msg = fmt.truncate(cells.error_message(etf, error), 30) if error else "loading…"
            out["state"] = colored(msg, sem.down if error else sem.stale)
            return Row(etf, out | members, tone="error" if error else None, search=search,
                       sort=sort_common | {"rank": (99, 0.0), "members": members_rank})
        base = watched_base(facts)
        b = facts.breakout
        stale = is_stale(snap, facts)
        state = cells.state_cell(b, sem, compact, with_level=False, with_since=True)
        state = stale_state(snap, facts, sem) or state
        out = base_cells | {
            "symbol": cells.symbol_cell(etf, sem, facts),
            "base": colored(fmt.base_kind(base.kind) + STATUS_MARK.get(base.status, "")
                            if base else fmt.DASH, None if base else sem.stale),
            "depth": colored(fmt.pct(base.depth_pct, 0, signed=False) if base else fmt.DASH,
                             None, right=True),
            "length": colored(f"{base.length_weeks:.0f}w" if base else fmt.DASH, None,
                              right=True),
            "pivot": colored(fmt.price(b.level, True) if b else fmt.DASH, sem.pivot, right=True),
            "gap": cells.gap_cell(b, sem, view.config.thresholds.near_pct),
            "zone": colored(zone_text(nearest_overhead(facts.zones, facts.last), compact),
                            sem.zone),
            "state": state,
        }
        tone = "stale" if stale else cells.tone_for(b)
        return Row(etf, out | members, tone=tone, search=search,
                   sort=sort_common | {"rank": cells.breakout_rank(b),
                                       "depth": base.depth_pct if base else None,
                                       "members": members_rank})

    def member_cells(self, name: str, view: View) -> tuple[dict[str, Text], tuple | None]:
        """The member columns of a sector ("8/28": members near a pivot of those with bars; the
        average RS rating of the ones near) and its bottom-up rank (None: no members)."""
        if not self.bottom_up:
            return {}, None
        from analysis.universe_facts import sector_setups

        row = sector_setups(name, view.snapshot.universe.sectors)
        if row is None:
            return {"members": colored(fmt.DASH, view.semantic.stale, right=True),
                    "members_rs": colored(fmt.DASH, view.semantic.stale, right=True)}, None
        near = colored(f"{row.near_pivot}/{row.members}",
                       view.semantic.pivot if row.near_pivot else None, right=True)
        rs = colored(f"{row.near_rs:.0f}" if row.near_rs is not None else fmt.DASH, None,
                     right=True)
        rank = (-row.near_pivot, -row.in_base, -(row.near_rs or 0.0))
        return {"members": near, "members_rs": rs}, rank
