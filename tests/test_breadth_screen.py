"""The breadth chart (b on the setups screen) over the bundled real bars with a universe of sample
ETFs: it opens from the setups screen, its title gives the last session's breadth (the snapshot's),
it draws both panels, and Esc goes back."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from tests.test_setups import _app, _open
from tui.screens.breadth import BreadthScreen
from tui.screens.setups import SetupsScreen


async def test_b_charts_the_breadth_and_esc_goes_back():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BreadthScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        h = screen.history
        b = app.latest.snapshot.universe.breadth
        assert h is not None and len(h.dates) == 252
        assert str(h.dates[-1]) == str(app.latest.snapshot.asof)
        assert h.members[-1] == b.members == 8
        assert (h.pct_above_50[-1], h.pct_above_200[-1]) == (b.pct_above_50, b.pct_above_200)
        assert (h.new_highs[-1], h.new_lows[-1]) == (b.new_highs, b.new_lows)
        title = str(screen.query_one("#breadth-title").render())
        assert title.startswith("Breadth of etfs.csv · 252 sessions to ")
        assert f"above 50d {b.pct_above_50:.0f}% · 200d {b.pct_above_200:.0f}%" in title
        assert f"new highs {b.new_highs} · lows {b.new_lows}" in title
        top = str(screen.query_one("#breadth-pct", PlotextPlot).render())
        bottom = str(screen.query_one("#breadth-highs", PlotextPlot).render())
        assert "above their 50d / 200d average" in top and "above 200d" in top
        assert "new 252-session high / low" in bottom and "new lows" in bottom
        assert str(h.dates[-1]) in top  # the last session labels the x axis
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SetupsScreen)


async def test_b_without_a_universe_says_so_and_stays():
    app = _app(universe=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SetupsScreen)
