"""Cells shared by the panes: symbol, change, sparkline, breakout state, error and loading rows.

Each function turns one fact into a coloured ``rich.text.Text`` for a table cell; none computes
analysis, they only choose words, marks and colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.color import Color

from tui import format as fmt
from tui.semantic import SemanticColors
from tui.widgets.pane_table import colored, signed_color
from tui.widgets.sparkline import sparkline

if TYPE_CHECKING:
    from analysis.facts.breakout import Breakout
    from analysis.snapshot import SymbolFacts

STATE_RANK: dict[str, int] = {
    "breaking": 0, "confirmed": 1, "near": 2, "below": 3, "extended": 4, "failed": 5,
}
"""Closest to a breakout first: the order the sector pane ranks by."""


def tone_for(breakout: Breakout | None) -> str | None:
    """The row tone of a breakout state: highlighted while breaking or confirmed."""
    if breakout is None:
        return None
    if breakout.state in ("breaking", "confirmed"):
        return "breakout"
    if breakout.state == "failed":
        return "failed"
    return None


def breakout_rank(breakout: Breakout | None) -> tuple[int, float]:
    """Sort key: state order, then distance to the level."""
    if breakout is None:
        return (len(STATE_RANK), 0.0)
    return (STATE_RANK.get(breakout.state, len(STATE_RANK)), abs(breakout.pct_vs_level))


def state_cell(breakout: Breakout | None, sem: SemanticColors, compact: bool,
               with_level: bool = True, with_since: bool = False) -> Text:
    """The state and where the price is against the level (`fmt.vs_level`): BREAKING +0.8% (a
    badge in the breakout colour), near -1.2%, below -8.0%, FAILED -2.0%; the wide layout adds the
    level; ``with_since`` shows the session the state began instead of the distance."""
    if breakout is None:
        return colored(fmt.DASH, sem.stale)
    label = fmt.state_label(breakout.state, compact)
    gap = fmt.vs_level(breakout.pct_vs_level)
    at = "" if compact or not with_level else f" @{fmt.price(breakout.level, True)}"
    if with_since:
        gap = fmt.short_date(breakout.since) if breakout.since else ""
    if breakout.state in ("breaking", "confirmed"):
        color = Color.parse(sem.breakout).rich_color
        badge = label if compact else f" {label} "
        text = Text(badge, style=Style(color=color, reverse=True, bold=True), no_wrap=True)
        text.append(f" {gap}", style=Style(color=color, bold=True))
        text.append(at, style=Style(color=Color.parse(sem.pivot).rich_color))
        return text
    color = {"near": sem.pivot, "failed": sem.failed, "extended": sem.up}.get(breakout.state)
    text = colored(f"{label} {gap}", color or sem.stale, bold=breakout.state == "failed")
    text.append(at, style=Style(color=Color.parse(sem.pivot).rich_color))
    return text


def gap_cell(breakout: Breakout | None, sem: SemanticColors, near_pct: float) -> Text:
    """Where the price is against the level (`fmt.vs_level`, -2.2%: below it); the pivot colour
    within ``near_pct`` under it, the breakout colour above it."""
    if breakout is None:
        return colored(fmt.DASH, sem.stale, right=True)
    gap = breakout.pct_vs_level
    color = sem.breakout if gap >= 0 else sem.pivot if gap >= -near_pct else None
    return colored(fmt.vs_level(gap), color, right=True)


INSTRUMENT_MARK: dict[str, str] = {"index": " idx", "volatility": " vol"}
INSTRUMENT_MARK_COMPACT: dict[str, str] = {"index": "ⁱ", "volatility": "ᵛ"}


def symbol_cell(symbol: str, sem: SemanticColors, facts: SymbolFacts | None = None,
                error: bool = False, compact: bool = False) -> Text:
    """The symbol, bold; red with a ! when it failed; with a ★ after a new closing ATH; an index
    marked "idx" and a volatility index "vol" (dim; "ⁱ" and "ᵛ" when ``compact``)."""
    if error:
        return colored(f"{symbol}!", sem.down, bold=True)
    text = colored(symbol, None, bold=True)
    if facts is not None and facts.highs is not None and facts.highs.new_closing_ath:
        text.append("★", style=Style(color=Color.parse(sem.ath).rich_color))
    marks = INSTRUMENT_MARK_COMPACT if compact else INSTRUMENT_MARK
    mark = marks.get(facts.instrument) if facts is not None else None
    if mark:
        text.append(mark, style=Style(dim=True))
    return text


def change_cell(value: float | None, sem: SemanticColors, digits: int = 1) -> Text:
    return colored(fmt.pct(value, digits), signed_color(value, sem), right=True)


def spark_cell(values: tuple[float, ...], width: int, sem: SemanticColors) -> Text:
    """The sparkline, in the up colour when the window rose, down when it fell."""
    if not values:
        return colored("", None)
    color = sem.up if values[-1] >= values[0] else sem.down
    return colored(sparkline(values, width), color)


def ath_cell(facts: SymbolFacts, sem: SemanticColors, compact: bool) -> Text:
    """% from the all-time high, or a mark for a new closing (ATH▲) or intraday (iATH△) record."""
    h = facts.highs
    if h is None:
        return colored(fmt.DASH, sem.stale, right=True)
    if h.new_closing_ath:
        return colored("ATH▲" if compact else "new ATH▲", sem.ath, bold=True, right=True)
    if h.new_intraday_ath:
        return colored("iATH△" if compact else "intraday△", sem.ath, bold=True, right=True)
    color = sem.ath if h.pct_from_ath > -1.0 else None
    return colored(fmt.pct(h.pct_from_ath), color, right=True)


EXTENDED_MARK: dict[str, str] = {"pre": "PM", "post": "AH"}


def extended_cells(quote, sem: SemanticColors, compact: bool) -> dict[str, Text]:
    """A pre-market / after-hours quote replaces Last and Chg, marked: "PM+0.4%" / "AH-1.2%"
    (the change from the last regular close), in italics. Empty when there is none."""
    if quote is None:
        return {}
    mark = EXTENDED_MARK.get(quote.session, quote.session[:2].upper())
    last = colored(fmt.price(quote.price, compact), sem.pivot, right=True)
    last.stylize("italic")
    change = colored(f"{mark}{fmt.pct(quote.change_pct)}", signed_color(quote.change_pct, sem),
                     right=True)
    change.stylize("italic")
    return {"last": last, "chg": change}


def error_message(symbol: str, message: str) -> str:
    """An error without the symbol repeated at its start."""
    text = message.strip()
    if text.upper().startswith(symbol.upper()):
        text = text[len(symbol):].lstrip(" :-")
    return text or "failed to load"


def filler(columns: tuple[str, ...], text: str, sem: SemanticColors) -> dict[str, Text]:
    """Placeholder cells (loading / error rows)."""
    return {c: colored(text, sem.stale) for c in columns}
