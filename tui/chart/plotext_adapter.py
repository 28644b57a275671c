"""Every use of plotext's private API, in one place: the few internals the cell charts need to
build a figure's character matrix without printing it, plotext's colour-name table, and one fix.

The fix: plotext removes duplicates with ``set()``, whose order changes with the hash seed, so the
same data could draw different ticks from one run to the next. Importing this module makes
plotext keep first-seen order; the app (through ``tui.chart.canvas``), the screenshots and the
tests all import it, so they render alike. ``tests/test_plotext_adapter.py`` fails loudly when a
plotext release moves any of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import plotext._utility as _utility
from plotext._dict import color_codes as _color_codes
from plotext._matrix import join_matrices as _join_matrices


def no_duplicates(data: Iterable[Any]) -> list[Any]:
    """``data`` without repeats, in first-seen order (plotext's own uses set order)."""
    return list(dict.fromkeys(data))


_utility.no_duplicates = no_duplicates

COLOR_CODES: Mapping[str, int] = _color_codes
"""plotext's colour names -> the ANSI palette index they draw."""


def set_canvas_size(plt: Any, width: int, height: int) -> None:
    """Size the whole figure to exactly ``width`` x ``height`` cells (not the terminal's size)."""
    plt.plotsize(width, height)
    plt._set_size(width, height)


def build_matrix(plt: Any, finish: Callable[[Any], Any]) -> Any:
    """Let plotext draw every subplot of the figure into its character matrix, hand each
    subplot to ``finish`` (which returns its matrix, after drawing into it), and return the
    figure's matrix (the subplots' joined, or the single plot's)."""
    plt._set_sizes()
    if plt._no_plots:
        plt.monitor.build_plot()
        return finish(plt)
    grid = []
    for row in plt._Rows:
        line = []
        for col in plt._Cols:
            sub = plt._get_subplot(row, col)
            sub._build_matrix()
            line.append(finish(sub))
        grid.append(line)
    return _join_matrices(grid)
