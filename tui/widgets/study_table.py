"""The streak event study of the drill-down: a small table (5/21/63 sessions after past streaks as
long as the current one: count, mean, median, % positive, against all days) and, on a key, a
histogram of those forward returns. Rendering only: the numbers are ``StreakStudy``'s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui import format as fmt
from tui.chart.canvas import CellChart, ChartPalette

if TYPE_CHECKING:
    from analysis.facts.streaks import ForwardStats, Streak, StreakStudy
    from tui.chart.canvas import Layers
    from tui.chart.cells import Cells

def _pct(v: float | None, signed: bool = True) -> str:
    """A mean or median return (+1.2%), or a share of ups (54%)."""
    return fmt.pct(v) if signed else fmt.pct(v, 0, signed=False)


def streak_words(length: int) -> str:
    """+12 -> '12 higher closes in a row'."""
    if length == 0:
        return "no streak (last close unchanged)"
    n = abs(length)
    way = "higher" if length > 0 else "lower"
    return f"{n} {way} close{'s' if n != 1 else ''} in a row"


def study_table(study: StreakStudy) -> Table:
    """Rows: count, mean, median, % up after the streaks, then mean and % up over all days;
    columns: the horizons in sessions."""
    after: tuple[ForwardStats, ...] = study.after
    base: tuple[ForwardStats, ...] = study.baseline
    rows = [
        ("count", [str(s.count) for s in after]),
        ("mean", [_pct(s.mean) for s in after]),
        ("median", [_pct(s.median) for s in after]),
        ("% up", [_pct(s.pct_positive, signed=False) for s in after]),
        ("all: mean", [_pct(s.mean) for s in base]),
        ("all: % up", [_pct(s.pct_positive, signed=False) for s in base]),
    ]
    table = Table(box=None, padding=(0, 1), collapse_padding=True, pad_edge=False,
                  show_edge=False, header_style="bold")
    # In a narrow panel the labels wrap ("all:" over "mean"); a figure is never cut.
    table.add_column("after", style="dim", min_width=len("median"))
    for k, stats in enumerate(after):
        head = f"{stats.horizon}d"
        widest = max(len(head), *(len(values[k]) for _, values in rows))
        table.add_column(head, justify="right", no_wrap=True, min_width=widest)
    for label, values in rows:
        table.add_row(label, *values)
    return table


def study_renderable(streak: Streak) -> Group:
    """Title (the streak in words, how many past streaks), then the table or why there is none."""
    title = Text(f"Streak {streak.length:+d}" if streak.length else "Streak 0",
                 style="bold underline")
    parts: list[Any] = [title, Text(streak_words(streak.length), style="dim")]
    study = streak.study
    if study is None:
        return Group(*parts)
    n = abs(study.length)
    way = "up" if study.length > 0 else "down"
    if study.events == 0:
        parts.append(Text(f"no earlier {way} streak of {n}+ in the data"
                          + (f" (longest before: {study.longest_before})"
                             if study.longest_before else "")))
        return Group(*parts)
    parts.append(Text(f"{study.events} earlier {way} streak{'s' if study.events != 1 else ''} "
                      f"of {n}+; forward returns:"))
    parts.append(study_table(study))
    return Group(*parts)


class StudyTable(Static):
    """The event-study table of the current streak."""

    DEFAULT_CSS = """
    StudyTable { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.streak: Streak | None = None

    def show(self, streak: Streak | None) -> None:
        self.streak = streak
        self.update(study_renderable(streak) if streak is not None else Text(""))


# --------------------------------------------------------------------------- histogram


def histogram_bins(values: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts and edges of forward returns (equal-width bins over their range)."""
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.zeros(0, int), np.zeros(1)
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    return np.histogram(values, bins=max(int(bins), 1), range=(lo, hi))


class ReturnsHistogram(CellChart):
    """Histogram of the forward returns after past streaks, for one horizon; zero is marked."""

    DEFAULT_CSS = """
    ReturnsHistogram { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, palette: ChartPalette | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(palette=palette, id=id, classes=classes)
        self.study: StreakStudy | None = None
        self.horizon_index = 1
        self.version = 0

    def show(self, study: StreakStudy | None, horizon_index: int) -> None:
        self.study, self.horizon_index = study, horizon_index
        self.version += 1
        self.refresh()

    def inputs_key(self) -> tuple:
        return (self.version,)

    @property
    def horizon(self) -> int | None:
        if self.study is None or not self.study.after:
            return None
        return self.study.after[self.horizon_index % len(self.study.after)].horizon

    def values(self) -> np.ndarray:
        if self.study is None or not self.study.returns:
            return np.zeros(0)
        return np.asarray(self.study.returns[self.horizon_index % len(self.study.returns)], float)

    def draw(self, width: int, height: int) -> list[Layers]:
        from tui.chart import cells as cc
        from tui.chart import data as cd

        values = self.values()
        if values.size == 0 or width < 12 or height < 4:
            return []
        counts, edges = histogram_bins(values, max(min(width // 3, 24), 5))
        n = counts.size
        top = int(counts.max())
        plt = self.plt
        plt.xlim(-0.5, n - 0.5)
        plt.ylim(0, top)
        yt = cd.nice_ticks(0, top, max(2, min(4, height // 3)))
        plt.yticks(list(yt), [f"{int(t)}" for t in yt])
        ticks = np.linspace(0, n - 1, min(n, max(2, width // 10)))
        centres = (edges[:-1] + edges[1:]) / 2
        plt.xticks(ticks.tolist(), [f"{centres[int(round(t))]:+.0f}%" for t in ticks])
        plt.scatter([-0.5], [0.0], marker=" ")
        plt.xaxes(True, False)
        zero_bin = float(np.searchsorted(edges, 0.0) - 0.5) if edges[0] < 0 < edges[-1] else None

        def cells(cw: int, ch: int) -> list[Cells]:
            eighths = np.round(counts / max(top, 1) * ch * 8).astype(int)
            full, part = eighths // 8, eighths % 8
            col = cc.columns_of(np.arange(n), n, cw)
            half = cc.body_width(n, cw) // 2
            role = np.where(centres >= 0, "up", "down").astype(object)
            owner = np.repeat(np.arange(n), full)
            rows = np.arange(full.sum()) - np.repeat(np.cumsum(full) - full, full)
            has = np.flatnonzero(part > 0)
            tips = np.array(list(" ▁▂▃▄▅▆▇█"), object)[part[has]]
            parts = []
            for d in range(-half, half + 1):
                parts.append(cc.Cells(col[owner] + d, rows, np.full(rows.size, "█", object),
                                      role[owner]))
                parts.append(cc.Cells(col[has] + d, full[has], tips, role[has]))
            out = [cc.clip_cells(cc.concat(*parts), cw, ch)]
            if zero_bin is not None:
                zc = int(cc.columns_of(np.array([zero_bin]), n, cw)[0])
                rows = np.arange(ch)
                out.append(cc.Cells(np.full(ch, zc), rows, np.full(ch, "┊", object),
                                    np.full(ch, "base", object), "under"))
            return out

        return [(plt, cells)]

    def caption(self) -> str:
        h = self.horizon
        if h is None:
            return "no forward returns to show"
        values = self.values()
        return (f"{values.size} forward returns {h} sessions after past streaks "
                f"(h: next horizon)")
