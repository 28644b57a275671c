"""The table every pane is built on: stable column and row keys, cells updated in place.

A pane turns a ``View`` (the snapshot, its symbols, the colours) into ``Row`` objects; this class
reconciles them with what is on screen: it adds and removes rows only when the set of visible
symbols changes, updates only the cells whose content changed, re-orders for the current sort and
keeps the cursor on the same symbol. Rows in a breakout state, stale or failed rows get a row
style (a tint of the theme's semantic colour).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.widgets import DataTable

from tui.format import printable, short_date
from tui.keys.bindings import TABLE_BINDINGS
from tui.semantic import SemanticColors

FILTER_SHOWN = 24  # characters of the filter echoed in the pane title

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.snapshot import Snapshot, SymbolFacts


@dataclass(frozen=True)
class Col:
    """A column: stable ``key``, header ``label``, width in wide and compact layouts (and a
    ``short`` label for the compact one)."""

    key: str
    label: str
    width: int
    compact: int | None = None
    right: bool = False
    short: str | None = None


@dataclass(frozen=True)
class Row:
    """One row: ``cells`` by column key, values to sort by, a ``tone`` for the row style
    ("breakout", "failed", "stale", "error" or None) and the text a filter matches against."""

    key: str
    cells: dict[str, Text]
    sort: dict[str, Any] = field(default_factory=dict)
    tone: str | None = None
    search: str = ""


@dataclass(frozen=True)
class View:
    """What a pane renders: the latest snapshot (None while loading), the pane's symbols in the
    user's order, the colours, whether the layout is compact, and the config; for the watchlist
    pane, the names of the watchlists and the active one."""

    snapshot: Snapshot | None
    symbols: tuple[str, ...]
    semantic: SemanticColors
    compact: bool
    config: Config
    pending: frozenset[str] = frozenset()
    lists: tuple[str, ...] = ()
    active: str = ""


@dataclass(frozen=True)
class Sort:
    """A sort order: its name for the pane title, the Row.sort key, and the direction."""

    name: str
    key: str | None = None
    descending: bool = False


def is_stale(snapshot: Snapshot, facts: SymbolFacts) -> bool:
    """A row is stale when the data came from a fallback source, its last bar is not from the
    current or the last session when the snapshot was computed (``analysis.freshness``), or it
    lags the newest bar of its kind (equities vs crypto) in the same snapshot."""
    from analysis.freshness import is_current

    if snapshot.fallback or lags(snapshot, facts):
        return True
    return not is_current(facts.symbol, facts.asof, snapshot.market.clock.now)


def stale_state(snapshot: Snapshot, facts: SymbolFacts, semantic: SemanticColors) -> Text | None:
    """The "stale <date>" cell that replaces a row's breakout state in every pane, or None: only
    a row whose bars lag the others of its kind says so (data that is old as a whole is marked by
    the header and the row's grey; its states are still those of its own last session)."""
    if snapshot.fallback or not lags(snapshot, facts):
        return None
    return colored(f"stale {short_date(facts.asof)}", semantic.stale, bold=True)


def lags(snapshot: Snapshot, facts: SymbolFacts) -> bool:
    """The row's last bar is older than the newest bar of its kind (equities vs crypto) in the
    same snapshot (the row then says "stale <date>" instead of its state)."""
    from analysis.symbols import is_crypto

    crypto = is_crypto(facts.symbol)
    newest = max(
        (f.asof for f in snapshot.symbols.values() if is_crypto(f.symbol) == crypto),
        default=facts.asof,
    )
    return facts.asof < newest


def colored(text: str, color: str | None = None, bold: bool = False, right: bool = False) -> Text:
    """A cell: ``text`` in ``color`` (a Textual colour string), optionally bold, right-aligned."""
    style = Style(color=Color.parse(color).rich_color if color else None, bold=bold or None)
    return Text(text, style=style, justify="right" if right else "left", no_wrap=True)


def signed_color(value: float | None, semantic: SemanticColors) -> str | None:
    """Up colour for a positive number, down colour for a negative one."""
    if value is None or value == 0:
        return None
    return semantic.up if value > 0 else semantic.down


class PaneTable(DataTable):
    """A pane: a DataTable with a border title, sort cycling, a filter and row tones."""

    BINDINGS: ClassVar = list(TABLE_BINDINGS)
    COLUMNS: ClassVar[tuple[Col, ...]] = ()
    COMPACT_ORDER: ClassVar[tuple[str, ...]] = ()
    """Column keys in the order the compact layout shows them (default: COLUMNS order)."""
    SORTS: ClassVar[tuple[Sort, ...]] = (Sort("list order"),)
    TITLE: ClassVar[str] = ""
    PANE_KEY: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self.view: View | None = None
        self.filter_text = ""
        self.sort_index = 0
        self._tones: dict[str, str] = {}
        self._tone_styles: dict[str, Style] = {}
        self._shown: dict[str, dict[str, Text]] = {}
        self._layout: bool | None = None
        self._rows: list[Row] = []

    # -- what each pane implements -------------------------------------------------------------

    def build_rows(self, view: View) -> list[Row]:
        """The rows for ``view`` in the pane's natural order: one `row` per symbol."""
        return [self.row(sym, view) for sym in view.symbols]

    def row(self, sym: str, view: View) -> Row:
        """The row of one symbol (panes whose rows are symbols)."""
        raise NotImplementedError

    def subtitle(self, view: View) -> str:
        """Text under the pane (the border subtitle)."""
        return ""

    def heading(self) -> str:
        """The pane's name in its title (before the sort and the filter)."""
        return self.TITLE

    # -- public API ------------------------------------------------------------------------------

    @property
    def current_sort(self) -> Sort:
        return self.SORTS[self.sort_index]

    def show(self, view: View) -> None:
        """Render ``view``: rebuild the columns only when the layout changed, then sync rows."""
        self.view = view
        if self._layout != view.compact:
            self._build_columns(view)
        styles = self._make_tone_styles(view.semantic)
        if styles != self._tone_styles:  # a new theme: row styles are not in DataTable's caches
            self._tone_styles = styles
            self._clear_caches()
            self.refresh()
        self._rows = self.build_rows(view)
        self._sync()
        self.border_subtitle = self.subtitle(view)

    def cycle_sort(self) -> Sort:
        self.sort_index = (self.sort_index + 1) % len(self.SORTS)
        self._sync()
        return self.current_sort

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self._sync()

    def cursor_key(self) -> str | None:
        """The row key (symbol) under the cursor, None for an empty table."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def visible_keys(self) -> list[str]:
        return [r.key.value for r in self.ordered_rows]

    def tone_of(self, key: str) -> str | None:
        """How the row of ``key`` is drawn: "breakout", "failed", "stale", "error" or None."""
        return self._tones.get(key)

    # -- internals -------------------------------------------------------------------------------

    def columns_for(self, compact: bool) -> tuple[Col, ...]:
        """The columns of a layout, in display order."""
        if compact and self.COMPACT_ORDER:
            by_key = {c.key: c for c in self.COLUMNS}
            return tuple(by_key[k] for k in self.COMPACT_ORDER)
        return self.COLUMNS

    def label_for(self, col: Col, view: View) -> str:
        """A column's header in this view (panes override it for labels that name symbols)."""
        return (col.short or col.label) if view.compact else col.label

    def _build_columns(self, view: View) -> None:
        compact = view.compact
        self.clear(columns=True)
        self._shown.clear()
        for col in self.columns_for(compact):
            width = col.compact if compact and col.compact is not None else col.width
            label = Text(self.label_for(col, view), justify="right" if col.right else "left")
            self.add_column(label, width=width, key=col.key)
        self._layout = compact

    def _matches(self, row: Row) -> bool:
        if not self.filter_text:
            return True
        return self.filter_text.lower() in (row.search or row.key).lower()

    def _ordered(self) -> list[Row]:
        rows = [r for r in self._rows if self._matches(r)]
        sort = self.current_sort
        if sort.key is None:
            return rows
        present = [r for r in rows if r.sort.get(sort.key) is not None]
        missing = [r for r in rows if r.sort.get(sort.key) is None]
        present.sort(key=lambda r: r.sort[sort.key], reverse=sort.descending)
        return present + missing

    def _sync(self) -> None:
        keep = self.cursor_key()
        rows = self._ordered()
        wanted = {r.key for r in rows}
        for key in [k for k in self._shown if k not in wanted]:
            self.remove_row(key)
            del self._shown[key]
        columns = [c.key for c in self.columns_for(bool(self._layout))]
        for row in rows:
            shown = self._shown.get(row.key)
            if shown is None:
                self.add_row(*(row.cells[c] for c in columns), key=row.key)
                self._shown[row.key] = dict(row.cells)
                continue
            for c in columns:
                if shown[c] != row.cells[c]:
                    self.update_cell(row.key, c, row.cells[c])
                    shown[c] = row.cells[c]
        order = [r.key for r in rows]
        if order != self.visible_keys():
            first = columns[0]
            rank = {id(self.get_cell(k, first)): i for i, k in enumerate(order)}
            self.sort(first, key=lambda cell: rank[id(cell)])
        tones = {r.key: r.tone for r in rows if r.tone}
        if tones != self._tones:
            self._tones = tones
            self._clear_caches()  # row styles are not part of DataTable's cache keys
            self.refresh()
        if keep is not None and keep in wanted:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
        self._update_title()

    def _update_title(self) -> None:
        parts = [self.heading()]
        if self.sort_index:
            parts.append(f"sort: {self.current_sort.name}")
        if self.filter_text:
            shown = printable(self.filter_text, FILTER_SHOWN)  # never a raw escape, never 10,000
            parts.append(f"filter: {shown} ({self.row_count} of {len(self._rows)})")
        self.border_title = Content(" · ".join(parts))  # literal: a filter may hold "[/]"

    def _make_tone_styles(self, semantic: SemanticColors) -> dict[str, Style]:
        """Row styles per tone: a tint of the semantic colour over the background; with an ANSI
        theme (16 colours, the terminal's palette) bold instead, since a tint cannot be drawn."""
        stale = Style(color=Color.parse(semantic.stale).rich_color, italic=True)
        error = Style(color=Color.parse(semantic.down).rich_color)
        try:
            theme = self.app.current_theme
            base = Color.parse(theme.background or "#000000")
            ansi = theme.ansi or base.ansi is not None
        except Exception:  # no running app (unit use) or an unparsable theme colour
            base, ansi = Color(0, 0, 0), False
        if ansi or Color.parse(semantic.breakout).ansi is not None:
            return {"breakout": Style(bold=True), "failed": Style(), "stale": stale,
                    "error": error}

        def tint(color: str) -> Any:
            return base.blend(Color.parse(color), 0.22).rich_color

        return {
            "breakout": Style(bgcolor=tint(semantic.breakout), bold=True),
            "failed": Style(bgcolor=tint(semantic.failed)),
            "stale": stale,
            "error": error,
        }

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        style = super()._get_row_style(row_index, base_style)
        if row_index < 0:
            return style
        key = self._row_locations.get_key(row_index)
        tone = self.tone_of(key.value) if key is not None else None
        return style + self._tone_styles[tone] if tone in self._tone_styles else style

