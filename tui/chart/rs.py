"""The relative-strength panel of the drill-down: the symbol's ratio line against a benchmark, with
the bars where the ratio made a new high marked. The values come from ``tui.chart.data.prepare_rs``
(which takes the ratio from ``analysis.facts.strength.rs_line``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tui.chart.canvas import CellChart, ChartPalette, plotext_colour

if TYPE_CHECKING:
    import pandas as pd

    from tui.chart.canvas import Layers
    from tui.chart.cells import Cells
    from tui.chart.data import RSView


class RSChart(CellChart):
    """Ratio line of ``symbol`` / ``benchmark`` over the timeframe; ``•`` on RS-line new highs."""

    DEFAULT_CSS = """
    RSChart { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, palette: ChartPalette | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(palette=palette, id=id, classes=classes)
        self.bars: pd.DataFrame | None = None
        self.bench: pd.DataFrame | None = None
        self.asof: date | None = None
        self.symbol = ""
        self.benchmark = ""
        self.timeframe = "6M"
        self.version = 0
        self.view: RSView | None = None

    def show(self, symbol: str, bars: pd.DataFrame | None, benchmark: str,
             bench: pd.DataFrame | None, asof: date | None) -> None:
        """New data (``bench`` None: no benchmark bars, the panel says so)."""
        self.symbol, self.bars, self.benchmark, self.bench, self.asof = (
            symbol, bars, benchmark, bench, asof)
        self.version += 1
        self.refresh()

    def configure(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        self.refresh()

    def inputs_key(self) -> tuple:
        return (self.version, self.timeframe)

    def draw(self, width: int, height: int) -> list[Layers]:
        from tui.chart import cells as cc
        from tui.chart import data as cd

        plt = self.plt
        self.view = None
        if self.bars is None or self.bench is None or width < 12 or height < 4:
            return []
        view = cd.prepare_rs(self.bars, self.bench, self.asof, self.timeframe, width, height,
                             symbol=self.symbol, benchmark=self.benchmark)
        self.view = view
        n = len(view.labels)
        if n == 0 or view.line.size == 0:
            return []
        palette = self.palette or ChartPalette()
        plt.xlim(-0.5, n - 0.5)
        plt.ylim(*view.ylim)
        plt.yticks(list(view.yticks.positions), list(view.yticks.labels))
        plt.xticks(list(view.xticks.positions), list(view.xticks.labels))
        plt.xaxes(True, False)
        ok = np.flatnonzero(np.isfinite(view.line))
        plt.plot(ok.tolist(), view.line[ok].tolist(), marker="braille",
                 color=plotext_colour(palette.role("line")))
        if ok.size < 2:
            plt.scatter([-0.5], [view.ylim[0]], marker=" ")

        def marks(cw: int, ch: int) -> list[Cells]:
            hits = np.flatnonzero(view.new_high)
            return [cc.clip_cells(cc.marker_cells(hits, view.line[hits], n, view.ylim, cw, ch,
                                                  "•", "ath"), cw, ch)]

        return [(plt, marks)]

    def caption(self) -> str:
        """'KRE / SPY' with the count of RS-line new highs in view."""
        if self.bars is None:
            return ""
        if self.view is None:
            return f"RS {self.symbol} / {self.benchmark or '—'}: no benchmark bars"
        highs = int(self.view.new_high.sum())
        tail = f" · {highs} new high{'s' if highs != 1 else ''} (•)" if highs else ""
        return f"RS {self.symbol} / {self.benchmark}{tail}"
