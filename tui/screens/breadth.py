"""The breadth chart (``b`` on the setups screen): the universe's breadth over its last year of
sessions, from ``analysis.facts.breadth_history``. The top panel draws the % of members above their
50- and 200-session averages (0-100), the bottom one the count at new highs and at new lows. The
history is computed in a thread, off the UI; Esc goes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tui import format as fmt
from tui.keys.bindings import BREADTH_BINDINGS
from tui.screens.host import DashboardHost
from tui.widgets.footer import Footer

if TYPE_CHECKING:
    from analysis.facts.breadth_history import BreadthHistory

TICKS = 5  # date labels on the x axis


def history_title(spec: str, h: BreadthHistory) -> str:
    """'Breadth of SPEC · 252 sessions to DAY · above 50d 62% · 200d 50% · new highs 1 · lows 0'
    (the values of the last session)."""
    if len(h.dates) == 0:
        return f"Breadth of {spec}: no sessions"

    def pct(value: float) -> str:
        return fmt.DASH if np.isnan(value) else f"{value:.0f}%"

    return (f"Breadth of {spec} · {len(h.dates)} sessions to {h.dates[-1]} · "
            f"above 50d {pct(h.pct_above_50[-1])} · 200d {pct(h.pct_above_200[-1])} · "
            f"new highs {h.new_highs[-1]} · lows {h.new_lows[-1]}")


def _line(plt, xs: np.ndarray, ys: np.ndarray, label: str, color: str) -> None:
    ok = np.isfinite(ys)
    if ok.any():
        plt.plot(xs[ok].tolist(), ys[ok].astype(float).tolist(), label=label, color=color,
                 marker="braille")


class BreadthScreen(Screen):
    """The universe's breadth over time."""

    BINDINGS: ClassVar = list(BREADTH_BINDINGS)
    DEFAULT_CSS = """
    BreadthScreen { layout: vertical; }
    BreadthScreen #breadth-title { height: auto; padding: 0 1; background: $panel; }
    BreadthScreen #breadth-pct { height: 3fr; }
    BreadthScreen #breadth-highs { height: 2fr; }
    """
    app: DashboardHost  # type: ignore[assignment]  # the hosting app, seen through its protocol

    def __init__(self) -> None:
        super().__init__()
        self.history: BreadthHistory | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("computing breadth…", style="italic"), id="breadth-title")
        yield PlotextPlot(id="breadth-pct")
        yield PlotextPlot(id="breadth-highs")
        yield Footer()

    def on_mount(self) -> None:
        refresh = self.app.latest
        snap = refresh.snapshot if refresh is not None else None
        uni = getattr(snap, "universe", None) if snap is not None else None
        if refresh is None or snap is None or uni is None:
            self.query_one("#breadth-title", Static).update(Text("No universe to chart."))
            return
        members = [m.symbol for m in uni.members if m.symbol in snap.symbols]
        self._compute(uni.spec, members, refresh.bars)

    @work(thread=True, exit_on_error=False, group="breadth")
    def _compute(self, spec: str, members: list[str], bars) -> None:
        from analysis.facts.breadth_history import members_history

        history = members_history(members, bars)
        self.app.call_from_thread(self._show, spec, history)

    def _show(self, spec: str, h: BreadthHistory) -> None:
        self.history = h
        self.query_one("#breadth-title", Static).update(Text(history_title(spec, h)))
        if len(h.dates) == 0:
            return
        xs = np.arange(len(h.dates))
        ticks = np.unique(np.linspace(0, len(xs) - 1, TICKS).round().astype(int)).tolist()
        labels = [str(h.dates[i]) for i in ticks]
        top = self.query_one("#breadth-pct", PlotextPlot)
        plt = top.plt
        plt.clear_figure()
        plt.title("% of members above their 50d / 200d average")
        _line(plt, xs, h.pct_above_50, "above 50d", "cyan")
        _line(plt, xs, h.pct_above_200, "above 200d", "orange")
        plt.ylim(0, 100)
        plt.xticks(ticks, labels)
        top.refresh()
        bottom = self.query_one("#breadth-highs", PlotextPlot)
        plt = bottom.plt
        plt.clear_figure()
        plt.title("members at a new 252-session high / low")
        _line(plt, xs, h.new_highs, "new highs", "green")
        _line(plt, xs, h.new_lows, "new lows", "red")
        plt.xticks(ticks, labels)
        bottom.refresh()

    def action_back(self) -> None:
        self.dismiss()
