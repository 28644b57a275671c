"""The setups table: one row per member of the universe (symbol, name, sector, last, change, RS
rating, watched base, pivot, % to pivot, breakout state, volume pace, and the measured failure
rate of its kind of breakout from the bundled track record), sortable by any column in
both directions and filtered by words and RS bounds.

The filter is words separated by spaces, all of which must match: a word matches the symbol, the
name, the sector or the state as a substring (case ignored); ``rs>80``, ``rs>=80``, ``rs<30``,
``rs<=30`` or ``rs=99`` bound the RS rating (members without a rating never pass an RS bound).
"""

from __future__ import annotations

import contextlib
import gc
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from tui import format as fmt
from tui.widgets import cells
from tui.widgets.pane_table import Col, PaneTable, Row, Sort, View, colored, signed_color
from tui.widgets.sector_bases import STATUS_MARK, short_sector, watched_base

if TYPE_CHECKING:
    from rich.text import Text

    from analysis.facts.breakout import Breakout
    from analysis.snapshot import SymbolFacts
    from analysis.track_record.record import KindRecord
    from analysis.universe import Member
    from tui.semantic import SemanticColors

_RS_BOUND = re.compile(r"^rs(>=|<=|>|<|=)(\d{1,2})$")
_OPS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq,
}


@dataclass(frozen=True)
class SetupsFilter:
    """A parsed filter: words that must each appear in a row's search text, and RS bounds."""

    words: tuple[str, ...] = ()
    rs: tuple[tuple[Callable[[int, int], bool], int], ...] = ()

    def matches(self, search: str, rating: int | None) -> bool:
        if not all(w in search for w in self.words):
            return False
        return all(rating is not None and op(rating, bound) for op, bound in self.rs)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No garbage collection while thousands of cells are made: each pass would walk every
    object of the app (most of the time such a loop took); one pass may follow it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def kind_record_of(breakout: Breakout | None) -> KindRecord | None:
    """The bundled track record of the breakout signal of ``breakout``'s level kind (None
    without a level, or when that kind was not measured)."""
    if breakout is None:
        return None
    from analysis.facts.level_kinds import level_kind
    from analysis.track_record.record import kind_record

    return kind_record(f"breakout {level_kind(breakout.level_source)}")


def failure_rate(breakout: Breakout | None) -> float | None:
    """The Fail column's figure: the measured failure rate of that kind of breakout, in %."""
    rec = kind_record_of(breakout)
    return rec.failure_rate if rec is not None else None


def record_cell(breakout: Breakout | None, sem: SemanticColors) -> Text:
    """The Fail column: `failure_rate`, dim when that kind does not alert (no measured edge);
    a dash without one."""
    rec = kind_record_of(breakout)
    if rec is None or rec.failure_rate is None:
        return colored(fmt.DASH, sem.stale, right=True)
    return colored(fmt.pct(rec.failure_rate, 0, signed=False),
                   None if rec.alerted else sem.stale, right=True)


def parse_filter(text: str) -> SetupsFilter:
    """``"tech near rs>80"`` -> words ("tech", "near") and the bound RS > 80."""
    words: list[str] = []
    bounds = []
    for part in text.lower().split():
        m = _RS_BOUND.match(part)
        if m:
            bounds.append((_OPS[m.group(1)], int(m.group(2))))
        else:
            words.append(part)
    return SetupsFilter(tuple(words), tuple(bounds))


class SetupsTable(PaneTable):
    """The universe's members with their setups; sorted by RS rating (highest first) at start."""

    TITLE = "Setups"
    PANE_KEY = "setups"
    COLUMNS: ClassVar = (
        Col("symbol", "Symbol", 6, 6, short="Sym"),
        Col("name", "Name", 7, 10),
        Col("sector", "Sector", 8, 8),
        Col("last", "Last", 8, 7, right=True),
        Col("chg", "Chg", 6, 6, right=True),
        Col("rs", "RS", 3, 3, right=True),
        Col("base", "Base", 10, 7),
        Col("depth", "Depth", 5, 4, right=True, short="Dep"),
        Col("length", "Len", 3, 3, right=True),
        Col("pivot", "Pivot", 7, 7, right=True),
        Col("gap", "vs Piv", 6, 6, right=True),
        Col("state", "State since", 11, 11, short="State"),
        Col("pace", "Vol", 5, 5, right=True),
        Col("record", "Fail", 4, 4, right=True),
    )
    COMPACT_ORDER: ClassVar = ("symbol", "rs", "state", "gap", "pivot", "base", "record", "depth",
                               "length", "chg", "last", "pace", "sector", "name")
    SORTS: ClassVar = tuple(Sort(c.label, c.key) for c in COLUMNS)
    DEFAULT_SORT = "rs"
    DESCENDING_FIRST = frozenset({"chg", "rs", "depth", "length", "pace", "last", "pivot"})
    NAME_WIDTH = {False: 7, True: 10}  # the name column's width in the wide / compact layout

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.sort_key = self.DEFAULT_SORT
        self.descending = True
        self._filter = SetupsFilter()
        self._ratings: dict[str, int] = {}
        self._order: list[str] | None = None  # the row keys on screen, in order
        self._built: dict[str, tuple[tuple, Row]] = {}  # per member: what its row was made of

    # -- sorting and filtering -------------------------------------------------------------------

    @property
    def current_sort(self) -> Sort:
        label = next(c.label for c in self.COLUMNS if c.key == self.sort_key)
        return Sort(f"{label} {'↓' if self.descending else '↑'}", self.sort_key, self.descending)

    def sort_by(self, key: str, descending: bool | None = None) -> Sort:
        """Sort by column ``key``; the same column again flips the direction."""
        if descending is None:
            descending = (not self.descending if key == self.sort_key
                          else key in self.DESCENDING_FIRST)
        self.sort_key, self.descending = key, descending
        self._sync()
        return self.current_sort

    def cycle_sort(self) -> Sort:
        """The next column, in its natural first direction."""
        keys = [c.key for c in self.columns_for(bool(self._layout))]
        nxt = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        return self.sort_by(nxt, nxt in self.DESCENDING_FIRST)

    def reverse_sort(self) -> Sort:
        return self.sort_by(self.sort_key, not self.descending)

    def set_filter(self, text: str) -> None:
        self._filter = parse_filter(text)
        super().set_filter(text)

    # -- thousands of rows: rebuilt in one go, unchanged rows reused ------------------------------

    def _build_columns(self, view: View) -> None:
        super()._build_columns(view)
        self._order = None
        self._built.clear()

    def _sync(self) -> None:
        """Like PaneTable's, for thousands of rows: when the set of rows changes (a filter), the
        table is cleared and refilled in one pass (removing rows one by one costs O(n) each);
        otherwise the cells of rows that changed are updated, then the rows re-ordered in one
        sort if the order changed."""
        keep = self.cursor_key()
        rows = self._ordered()
        columns = [c.key for c in self.columns_for(bool(self._layout))]
        order = [r.key for r in rows]
        if self._order is None or set(order) != set(self._order):
            self.clear()
            self._shown.clear()
            with _no_gc():
                for row in rows:
                    self.add_row(*(row.cells[c] for c in columns), key=row.key)
                    self._shown[row.key] = row.cells
            self._order = order
        else:
            for row in rows:
                shown = self._shown[row.key]
                if shown is row.cells:
                    continue
                for c in columns:
                    if shown[c] != row.cells[c]:
                        self.update_cell(row.key, c, row.cells[c])
                self._shown[row.key] = row.cells
            if order != self._order:
                first = columns[0]
                rank = {id(self.get_cell(k, first)): i for i, k in enumerate(order)}
                self.sort(first, key=lambda cell: rank[id(cell)])
                self._order = order
        tones = {r.key: r.tone for r in rows if r.tone}
        if tones != self._tones:
            self._tones = tones
            self._clear_caches()
            self.refresh()
        if keep is not None and keep in self._shown:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
        self._update_title()

    def _matches(self, row: Row) -> bool:
        return self._filter.matches(row.search, self._ratings.get(row.key))

    def heading(self) -> str:
        return f"{self.TITLE} · {self.row_count:,} of {len(self._rows):,}"

    def _update_title(self) -> None:
        parts = [self.heading(), f"sort: {self.current_sort.name}"]
        if self.filter_text:
            parts.append(f"filter: {fmt.printable(self.filter_text, 24)}")
        from textual.content import Content

        self.border_title = Content(" · ".join(parts))

    def on_data_table_header_selected(self, event) -> None:
        """A click on a column header sorts by it (again: the other direction)."""
        event.stop()
        self.sort_by(str(event.column_key.value))

    # -- rows ------------------------------------------------------------------------------------

    def subtitle(self, view: View) -> str:
        uni = view.snapshot.universe if view.snapshot is not None else None
        if uni is None:
            return ""
        missing = f" · {len(uni.missing):,} without data" if uni.missing else ""
        return (f"{uni.spec} · {len(uni.rs_rating):,} rated{missing} · Fail: how often the "
                "kind's breakouts failed · Enter: chart")

    def build_rows(self, view: View) -> list[Row]:
        snap = view.snapshot
        uni = snap.universe if snap is not None else None
        if snap is None or uni is None:
            self._ratings = {}
            return []
        self._ratings = dict(uni.rs_rating)
        newest = max((f.asof for f in snap.symbols.values()), default=None)
        with _no_gc():
            return [self._member_row_cached(m, snap, newest, view) for m in uni.members]

    def _member_row_cached(self, m: Member, snap, newest, view: View) -> Row:
        """The member's row; the one made last time when nothing it shows changed (the facts of
        an unchanged member are the same object refresh after refresh: the facts cache)."""
        facts, error = snap.symbols.get(m.symbol), snap.errors.get(m.symbol)
        made = (facts, error, self._ratings.get(m.symbol), m, newest, view.semantic,
                view.compact, view.config.thresholds)
        old = self._built.get(m.symbol)
        if old is not None and all(a is b or a == b for a, b in zip(old[0], made, strict=True)):
            return old[1]
        row = self.member_row(m, facts, error, newest, view)
        self._built[m.symbol] = (made, row)
        return row

    def member_row(self, member: Member, facts: SymbolFacts | None, error: str | None, newest,
                   view: View) -> Row:
        sem, compact = view.semantic, view.compact
        sector = short_sector(member.sector, 8)
        rating = self._ratings.get(member.symbol)
        common = {
            "name": colored(fmt.truncate(member.name.title() if member.name.isupper()
                                         else member.name, self.NAME_WIDTH[compact])
                            .replace(" …", "…") or fmt.DASH,
                            None if member.name else sem.stale),
            "sector": colored(sector or fmt.DASH,
                              None if sector else sem.stale),
            "rs": colored(str(rating) if rating is not None else fmt.DASH,
                          sem.up if rating is not None and rating >= 80 else None,
                          bold=rating is not None and rating >= 90, right=True),
        }
        search = f"{member.symbol} {member.name} {member.sector}".lower()
        sort_common = {"symbol": member.symbol, "name": member.name.lower() or None,
                       "sector": member.sector or None, "rs": rating}
        keys = tuple(c.key for c in self.COLUMNS)
        if facts is None:
            out = cells.filler(keys, "", sem) | common
            out["symbol"] = cells.symbol_cell(member.symbol, sem, error=bool(error))
            out["state"] = colored(fmt.truncate(cells.error_message(member.symbol, error), 10)
                                   if error else "loading…", sem.down if error else sem.stale)
            return Row(member.symbol, out, tone="error" if error else None, search=search,
                       sort=sort_common)
        base = watched_base(facts)
        b = facts.breakout
        pace_hot = facts.volume_pace is not None and (
            facts.volume_pace >= view.config.thresholds.confirm_volume_ratio)
        stale = newest is not None and facts.asof < newest
        out = common | {
            "symbol": cells.symbol_cell(member.symbol, sem, facts),
            "last": colored(fmt.price(facts.last, compact), None, right=True),
            "chg": colored(fmt.pct(facts.change_pct), signed_color(facts.change_pct, sem),
                           right=True),
            "base": colored(fmt.base_kind(base.kind) + STATUS_MARK.get(base.status, "")
                            if base else fmt.DASH, None if base else sem.stale),
            "depth": colored(f"{base.depth_pct:.0f}%" if base else fmt.DASH, None, right=True),
            "length": colored(f"{base.length_weeks:.0f}w" if base else fmt.DASH, None,
                              right=True),
            "pivot": colored(fmt.price(b.level, True) if b else fmt.DASH, sem.pivot, right=True),
            "gap": cells.gap_cell(b, sem, view.config.thresholds.near_pct),
            "state": cells.state_cell(b, sem, True, with_level=False, with_since=True),
            "pace": colored(fmt.ratio(facts.volume_pace), sem.breakout if pace_hot else None,
                            bold=pace_hot, right=True),
            "record": record_cell(b, sem),
        }
        if b is not None:
            search += f" {b.state}"
        return Row(member.symbol, out, tone="stale" if stale else cells.tone_for(b),
                   search=search, sort=sort_common | {
                       "last": facts.last, "chg": facts.change_pct,
                       "base": base.kind if base else None,
                       "depth": base.depth_pct if base else None,
                       "length": base.length_weeks if base else None,
                       "pivot": b.level if b else None,
                       "gap": b.pct_vs_level if b else None,
                       "state": cells.breakout_rank(b) if b else None,
                       "pace": facts.volume_pace, "record": failure_rate(b)})
