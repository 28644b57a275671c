"""plotext's private API as the cell charts use it (``tui.chart.plotext_adapter``): these fail
loudly, naming the piece, when a plotext release moves or changes one of them."""

import plotext._utility
from plotext._figure import _figure_class

from tui.chart import plotext_adapter
from tui.chart.plotext_adapter import COLOR_CODES, build_matrix, no_duplicates, set_canvas_size


def test_importing_the_adapter_makes_plotext_dedupe_in_first_seen_order():
    assert plotext._utility.no_duplicates is plotext_adapter.no_duplicates
    words = ["x", "b", "a", "x", "c", "b"]
    assert plotext._utility.no_duplicates(words) == ["x", "b", "a", "c"]
    assert no_duplicates(range(3)) == [0, 1, 2]


def test_plotext_still_calls_its_dedupe_through_the_module():
    """The fix works only while plotext looks ``no_duplicates`` up on ``plotext._utility`` at call
    time (``ut.no_duplicates(...)``), not through a name imported before the patch."""
    import inspect

    import plotext._monitor

    assert "ut.no_duplicates(" in inspect.getsource(plotext._monitor)


def test_colour_names_are_plotexts_ansi_indexes():
    assert COLOR_CODES["red"] == 1 and COLOR_CODES["blue"] == 4


def figure(subplots: bool) -> _figure_class:
    plt = _figure_class()
    set_canvas_size(plt, 40, 12)
    if subplots:
        plt.subplots(2, 1)
        plt.subplot(1, 1).plot([1, 2, 3], [1, 3, 2])
        plt.subplot(2, 1).bar([1, 2, 3], [3, 1, 2])
    else:
        plt.plot([1, 2, 3], [1, 3, 2])
    return plt


def test_a_single_plot_builds_one_matrix_of_the_canvas_size():
    plt = figure(subplots=False)
    seen = []

    def finish(sub):
        seen.append(sub)
        return sub.monitor.matrix

    matrix = build_matrix(plt, finish)
    assert seen == [plt]
    assert len(matrix.marker) == 12 and {len(row) for row in matrix.marker} == {40}
    assert len(matrix.Cols_canvas) > 0 and len(matrix.Rows_canvas) > 0
    assert any(ch not in " " for row in matrix.marker for ch in row)


def test_subplots_are_built_one_by_one_and_joined():
    plt = figure(subplots=True)
    seen = []

    def finish(sub):
        seen.append(sub)
        return sub.monitor.matrix

    matrix = build_matrix(plt, finish)
    assert len(seen) == 2 and seen[0] is not seen[1]
    assert len(matrix.marker) == 12 and {len(row) for row in matrix.marker} == {40}
