"""A small app for the drill-down tests: a stand-in dashboard (a table with a cursor) that pushes
the drill-down, and the app attributes the screen reads (``latest``, ``config``,
``semantic_colors``), from the real pipeline on the bundled bars."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from analysis.config import Config
from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from analysis.sources.store import BarStore

ASOF = date(2025, 12, 9)
PANE = ("IWM", "KRE", "XLK", "BTC-USD")
UNIVERSE = ("IWM", "SPY", "KRE", "XLK", "BTC-USD", "ETH-USD")


@lru_cache(maxsize=4)
def sample_refresh(asof: date = ASOF):
    """The real pipeline on the bundled bars, as of ``asof`` (cached: tests only read it)."""
    from analysis.pipeline import Pipeline
    from analysis.sources.sample import SampleSource

    return Pipeline(Config(), SampleSource()).refresh(UNIVERSE, asof=asof)


class DrillApp(App):
    """Pushes ``DrilldownScreen(symbol, PANE)`` when ``open`` is called (or on mount)."""

    def __init__(self, symbol: str = "KRE", *, open_on_mount: bool = True,
                 semantic: SemanticColors | None = None, asof: date = ASOF) -> None:
        super().__init__()
        self.config = Config()
        self.latest = sample_refresh(asof)
        self.semantic_colors = semantic or SemanticColors()
        self.symbol = symbol
        self.open_on_mount = open_on_mount

    def compose(self) -> ComposeResult:
        table = DataTable(id="pane")
        table.add_column("symbol")
        for sym in PANE:
            table.add_row(sym, key=sym)
        yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).move_cursor(row=PANE.index(self.symbol))
        if self.open_on_mount:
            self.open()

    def open(self) -> None:
        from tui.screens.drilldown import DrilldownScreen

        self.push_screen(DrilldownScreen(self.symbol, PANE))


class YahooDrillApp(DrillApp):
    """The drill-down on the bundled bars, with a Yahoo source (the fake) for its 5-minute bars;
    ``now`` is the fake's session at 19:02 UTC (14:02 New York)."""

    def __init__(self, fake, store: BarStore, symbol: str = "KRE") -> None:
        from analysis.sources.yahoo import YahooSource

        super().__init__(symbol)
        self.data_source = YahooSource(session=fake, store=store, deadline=10.0)
        self.clock = datetime(ASOF.year, ASOF.month, ASOF.day, 19, 2, tzinfo=UTC)

    def now(self) -> datetime:
        return self.clock


async def got_minutes(pilot, screen, fetches: int = 1) -> str:
    """Until the screen has got its 5-minute bars (``fetches`` worker runs); the legend then."""
    for _ in range(300):
        await pilot.pause(0.02)
        if screen.intraday_fetches >= fetches and screen._minutes is not None and not any(
                w.group == "drilldown-intraday" for w in pilot.app.workers):
            break
    await pilot.pause()
    return widget_text(screen.query_one("#dd-legend"))


def screen_text(app: App) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join("".join(seg.text for seg in strip)
                     for strip in app.screen._compositor.render_strips())


def widget_text(widget, width: int = 200) -> str:
    """A Static's content as plain text, unwrapped (``width`` wide)."""
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def settle(pilot) -> None:
    """Until the drill-down shows its past breakouts (found in a worker after the first paint)."""
    from tui.screens.drilldown import DrilldownScreen

    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, DrilldownScreen) or screen.past_ready:
            break
        await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
