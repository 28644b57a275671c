"""The drill-down's side facts, in words a trader reads: record highs and the prior-cycle peak, the
base with its quality and reasons, the nearest resistance zone, the breakout state and what it
needs next, and relative strength. Rendering only: every value comes from ``SymbolFacts``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.color import Color
from textual.widgets import Static

from analysis.facts.watched import nearest_overhead
from tui import format as fmt
from tui.format import DASH
from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from analysis.facts.bases import Base
    from analysis.facts.breakout import Breakout
    from analysis.facts.highs import RecordHighs
    from analysis.facts.strength import RelativeStrength
    from analysis.facts.zones import Zone
    from analysis.snapshot import SymbolFacts

STATE_ROLE = {"breaking": "breakout", "confirmed": "breakout", "failed": "failed",
              "extended": "stale", "near": "pivot"}


def _price(v: float | None) -> str:
    return fmt.price(v)


def _pct(v: float | None, digits: int = 1) -> str:
    return fmt.pct(v, digits)


def _style(colors: SemanticColors, role: str, bold: bool = False) -> Style:
    colour = getattr(colors, role, None)
    return Style(color=Color.parse(colour).rich_color if colour else None, bold=bold)


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1), expand=False)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def highs_block(h: RecordHighs, colors: SemanticColors) -> list:
    """Record highs: closing and intraday ATH with dates, flags, and the prior-cycle peak."""
    out: list = [_section(f"Record highs (data since {h.first_date:%Y-%m-%d})")]
    grid = _grid()
    close = Text(f"{_price(h.ath_close)}  {h.ath_close_date:%Y-%m-%d}")
    if h.new_closing_ath:
        close.append("  NEW", style=_style(colors, "ath", bold=True))
    grid.add_row("ATH close", close)
    intraday = Text(f"{_price(h.ath_high)}  {h.ath_high_date:%Y-%m-%d}")
    if h.new_intraday_ath:
        intraday.append("  NEW", style=_style(colors, "ath", bold=True))
    grid.add_row("ATH high", intraday)
    away = "at the high" if h.pct_from_ath >= 0 else _pct(h.pct_from_ath)
    grid.add_row("from ATH", f"{away} ({h.sessions_since_record} sessions)")
    if h.prior_cycle_peak is not None and h.prior_cycle_peak_date is not None:
        grid.add_row("prior peak", f"{_price(h.prior_cycle_peak)}  "
                     f"{h.prior_cycle_peak_date:%Y-%m-%d}")
        grid.add_row("vs peak", _pct(h.pct_vs_prior_cycle_peak))
    else:
        grid.add_row("prior peak", "no 20% drawdown in the data")
    out.append(grid)
    return out


def base_block(base: Base | None, colors: SemanticColors) -> list:
    """The most recent base: kind, status, depth, length, pivot, quality, why it is that kind and
    why its quality is not 100."""
    from tui.format import words

    out: list = [_section("Base")]
    if base is None:
        out.append(Text("no base detected", style="dim"))
        return out
    grid = _grid()
    grid.add_row("kind", f"{words(base.kind)} ({base.status.replace('_', ' ')})")
    grid.add_row("span", f"{base.start:%Y-%m-%d} → {base.end:%Y-%m-%d}")
    grid.add_row("length", f"{base.length_weeks:.0f} weeks")
    grid.add_row("depth", f"{fmt.pct(base.depth_pct, signed=False)}  low {_price(base.low)}")
    grid.add_row("pivot", Text(_price(base.pivot), style=_style(colors, "pivot", bold=True)))
    if base.handle is not None:
        hd = base.handle
        grid.add_row("handle", f"{hd.start:%m-%d} → {hd.end:%m-%d}, {hd.depth_pct:.1f}% deep")
    grid.add_row("quality", Text(f"{base.quality}/100", style="bold"))
    if base.why:
        grid.add_row("why", Text(base.why, style="dim"))
    out.append(grid)
    if base.reasons:
        why = Table.grid(padding=(0, 1), expand=False)  # a wrapped reason keeps its indent
        why.add_column(no_wrap=True)
        why.add_column(style="dim")
        for reason in base.reasons:
            why.add_row(" ·", reason)
        out.append(why)
    return out


def zone_block(zone: Zone | None, colors: SemanticColors) -> list:
    """The nearest overhead resistance zone: band, touches, since when, where the price is."""
    out: list = [_section("Resistance zone")]
    if zone is None:
        out.append(Text("none overhead", style="dim"))
        return out
    grid = _grid()
    grid.add_row("band", Text(f"{_price(zone.low)} – {_price(zone.high)}",
                              style=_style(colors, "zone", bold=True)))
    grid.add_row("touches", f"{zone.touches}, {zone.first_touch:%Y-%m-%d} → "
                            f"{zone.last_touch:%Y-%m-%d}")
    where = "inside it" if zone.position == "inside" else (
        f"{fmt.pct(abs(zone.distance_pct), signed=False)} {zone.position} it")
    grid.add_row("price", where)
    out.append(grid)
    return out


def breakout_block(bo: Breakout | None, colors: SemanticColors) -> list:
    """The breakout state, since when, distance to the level, volume, and what it needs next."""
    out: list = [_section("Breakout")]
    if bo is None:
        out.append(Text("no level to break", style="dim"))
        return out
    role = STATE_ROLE.get(bo.state)
    state = Text(fmt.state_label(bo.state),
                 style=_style(colors, role, bold=True) if role else Style(bold=True))
    grid = _grid()
    grid.add_row("state", state)
    if bo.since is not None:
        grid.add_row("since", f"{bo.since:%Y-%m-%d}")
    grid.add_row("level", f"{_price(bo.level)} ({bo.level_source})")
    grid.add_row("price", f"{fmt.vs_level(bo.pct_vs_level)} vs it")
    if bo.volume_ratio is not None:
        grid.add_row("volume", f"{fmt.ratio(bo.volume_ratio)} the 50-day average")
    out.append(grid)
    if bo.needs:
        out.append(Text.assemble(("needs: ", "bold"), bo.needs))
    return out


def rs_block(rs: RelativeStrength | None, benchmark: str) -> list:
    """Relative strength against the benchmark the RS panel shows."""
    out: list = [_section(f"RS vs {benchmark or DASH}")]
    if rs is None:
        out.append(Text("not measured against this benchmark", style="dim"))
        return out
    grid = _grid()
    grid.add_row("changes", f"1M {_pct(rs.change_1m)}  3M {_pct(rs.change_3m)}  "
                            f"6M {_pct(rs.change_6m)}")
    extra = f", Mansfield {fmt.pct(rs.mansfield)}" if rs.mansfield is not None else ""
    grid.add_row("trend", f"{fmt.rs_change(rs.trend, rs.change_1m)} 1M{extra}")
    if rs.quadrant:
        signs = fmt.rotation_signs(rs.change_3m, rs.change_1m)
        grid.add_row("rotation", f"{rs.quadrant} ({signs})")
    if rs.new_high:
        grid.add_row("", Text("RS line at a new high", style="bold"))
    out.append(grid)
    return out


def facts_renderable(facts: SymbolFacts, colors: SemanticColors, benchmark: str,
                     rs: RelativeStrength | None) -> Group:
    """Every block, in reading order, separated by blank lines."""
    from analysis.instruments import InstrumentKind

    # a volatility index: nothing sets up or breaks out (a cached snapshot holds the kind as text)
    if not InstrumentKind(facts.instrument).has_setups:
        blocks = [[_section("Volatility index"),
                   Text("a gauge of expected swings: no bases, breakouts or record highs",
                        style="dim")],
                  zone_block(nearest_overhead(facts.zones, facts.last), colors),
                  rs_block(rs, benchmark)]
    else:
        blocks = [
            breakout_block(facts.breakout, colors),
            base_block(facts.bases[0] if facts.bases else None, colors),
            zone_block(nearest_overhead(facts.zones, facts.last), colors),
            highs_block(facts.highs, colors),
            rs_block(rs, benchmark),
        ]
    parts: list = []
    for block in blocks:
        if parts:
            parts.append(Text(""))
        parts.extend(block)
    return Group(*parts)


class FactsPanel(Static):
    """Side facts of one symbol; ``show`` replaces them."""

    DEFAULT_CSS = """
    FactsPanel { height: auto; width: 1fr; }
    """

    def __init__(self, *, colors: SemanticColors | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.semantic = colors
        self.facts: SymbolFacts | None = None

    def show(self, facts: SymbolFacts | None, benchmark: str,
             rs: RelativeStrength | None) -> None:
        self.facts = facts
        colors = (self.semantic or getattr(self.app, "semantic_colors", None)
                  or SemanticColors())
        if facts is None:
            self.update(Text("no facts for this symbol", style="dim"))
            return
        self.update(facts_renderable(facts, colors, benchmark, rs))
