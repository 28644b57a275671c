"""The drill-down screen driven by its keys (Pilot), against the real pipeline on bundled bars."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from rich.color import ColorType
from textual.widgets import DataTable

from analysis.sources.sample import load_sample
from tests.drilldown_app import (
    ASOF,
    PANE,
    DrillApp,
    sample_refresh,
    screen_text,
    settle,
    widget_text,
)
from tui.chart.price import PriceChart
from tui.chart.rs import RSChart
from tui.messages import SnapshotReady
from tui.screens.drilldown import DrilldownScreen
from tui.semantic import SemanticColors
from tui.widgets.facts_panel import FactsPanel
from tui.widgets.study_table import ReturnsHistogram, StudyTable

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch):
    """The app reads the terminal's colours from the environment: these run as on a truecolor
    terminal, wherever the tests run (the 16-colour test sets its own)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


async def _settle(app, pilot) -> None:
    await settle(pilot)


async def test_open_shows_the_symbol_its_chart_and_its_facts():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DrilldownScreen)
        facts = app.latest.snapshot.symbols["KRE"]
        text = screen_text(app)
        assert "KRE" in text.splitlines()[0] and "as of 2025-12-09 ET" in text
        chart = screen.query_one(PriceChart)
        assert chart.view is not None and chart.view.timeframe == "1Y" and chart.view.n > 40
        assert chart.view.frame.index[-1].date() == ASOF
        # The facts as the snapshot has them, in words.
        side = widget_text(screen.query_one(FactsPanel))
        assert f"{facts.breakout.level:,.2f}" in side
        assert f"needs: {facts.breakout.needs}" in side
        assert "Record highs (data since 2018-01-02)" in side
        base = facts.bases[0]
        from analysis.track_record.record import quality_predicts

        flat = " ".join(side.split())
        if quality_predicts():
            assert f"quality {base.quality}/100" in flat
        else:  # the measured record stands in for a score that did not predict
            assert "/100" not in flat and "not predictive: see record" in flat
        assert "Track record" in flat and "flat base breakouts:" in flat
        study = widget_text(screen.query_one(StudyTable))
        assert "count" in study and "all: % up" in study
        counts = study.split("count")[1].split()[:3]
        assert counts == [str(s.count) for s in facts.streak.study.after]


async def test_timeframe_keys_change_the_chart_and_aggregation():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        await pilot.press("1")
        await pilot.pause()
        kre = load_sample("KRE")
        start = pd.Timestamp(ASOF, tz=kre.index.tz) - pd.DateOffset(months=1)
        sessions = [d for d in kre.index if start < d and d.date() <= ASOF]
        assert chart.view.timeframe == "1M" and chart.view.period == "daily"
        assert chart.view.n == len(sessions)
        await pilot.press("6")
        await pilot.pause()
        assert chart.view.timeframe == "5Y" and chart.view.period.endswith("week")
        assert chart.view.n <= chart.view.canvas_width
        assert "5Y" in screen_text(app).splitlines()[0]


async def test_brackets_step_through_the_symbols_of_the_pane_and_wrap():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        chart = screen.query_one(PriceChart)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.symbol == "XLK" and chart.view.symbol == "XLK"
        assert screen_text(app).splitlines()[0].lstrip().startswith("XLK")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.symbol == PANE[0]  # BTC-USD, then around to IWM
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert screen.symbol == "XLK"


async def test_crypto_is_charted_in_utc():
    app = DrillApp("BTC-USD")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        assert str(chart.view.frame.index.tz) == "UTC"
        assert "UTC" in screen_text(app).splitlines()[0]


async def test_escape_returns_to_the_dashboard_where_it_was():
    app = DrillApp("XLK", open_on_mount=False)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        table.focus()
        await pilot.pause()
        assert table.cursor_row == 2
        app.open()
        await _settle(app, pilot)
        assert isinstance(app.screen, DrilldownScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DrilldownScreen)
        assert app.query_one(DataTable).cursor_row == 2 and app.focused is table


async def test_a_snapshot_rebuilds_the_screen_only_when_this_symbols_data_changed():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        chart = screen.query_one(PriceChart)
        loads, builds = screen.loads, chart.builds
        screen.post_message(SnapshotReady(sample_refresh(ASOF), ()))
        await pilot.pause()
        assert (screen.loads, chart.builds) == (loads, builds)
        later = sample_refresh(date(2025, 12, 10))
        app.latest = later
        screen.post_message(SnapshotReady(later, ()))
        await _settle(app, pilot)
        assert screen.loads == loads + 1 and chart.builds > builds
        assert chart.view.frame.index[-1].date() == date(2025, 12, 10)
        assert "as of 2025-12-10" in screen_text(app)


async def test_the_chart_is_built_once_per_data_or_size_not_per_repaint():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        builds = chart.builds
        chart.refresh()
        app.screen.query_one(RSChart).refresh()
        await pilot.pause()
        assert chart.builds == builds
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert chart.builds == builds + 1


async def test_benchmark_key_cycles_the_rs_panel_and_its_facts():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        rs = app.screen.query_one(RSChart)
        assert rs.benchmark == "SPY" and "RS KRE / SPY" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert rs.benchmark == "IWM" and rs.view is not None
        assert "RS KRE / IWM" in screen_text(app)
        assert "RS vs IWM" in widget_text(app.screen.query_one(FactsPanel))
        await pilot.press("b")
        await pilot.pause()
        assert rs.benchmark == "SPY"


async def test_benchmark_key_says_which_benchmark_is_shown():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "RS KRE / IWM (benchmark 2 of 2)" in said


async def test_benchmark_key_skips_a_configured_benchmark_equal_to_large_caps():
    # The default config measures RS against SPY, which is also the large-cap benchmark: the
    # cycle holds SPY once, so the first press always changes the panel.
    app = DrillApp("KRE")
    assert app.config.benchmark.rs_against == app.config.benchmark.large == "SPY"
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        rs = app.screen.query_one(RSChart)
        shown = [rs.benchmark]
        for _ in range(2):
            await pilot.press("b")
            await pilot.pause()
            shown.append(rs.benchmark)
        assert shown == ["SPY", "IWM", "SPY"]


async def test_benchmark_key_with_one_benchmark_says_it_is_the_only_one():
    app = DrillApp("IWM")  # IWM is the small-cap benchmark itself: only SPY is left
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one(RSChart).benchmark == "SPY"
        assert any("only benchmark" in n.message and "IWM / SPY" in n.message
                   for n in app._notifications)


async def test_benchmark_key_with_the_histogram_on_shows_the_new_rs_panel():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        hist, rs = screen.query_one(ReturnsHistogram), screen.query_one(RSChart)
        await pilot.press("h")
        await pilot.pause()
        assert hist.display and not rs.display
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert rs.display and not hist.display and rs.benchmark == "IWM"
        assert "RS KRE / IWM" in screen_text(app)


async def test_histogram_key_shows_each_horizon_then_hides():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        hist, rs = screen.query_one(ReturnsHistogram), screen.query_one(RSChart)
        study = app.latest.snapshot.symbols["KRE"].streak.study
        assert study is not None and study.events > 0
        seen = []
        for _ in study.after:
            await pilot.press("h")
            await pilot.pause()
            assert hist.display and not rs.display
            seen.append(hist.horizon)
            assert f"{len(study.returns[len(seen) - 1])} forward returns" in screen_text(app)
        assert seen == [s.horizon for s in study.after]
        await pilot.press("h")
        await pilot.pause()
        assert not hist.display and rs.display


async def test_mode_volume_and_overlay_keys():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        modes = []
        for _ in range(3):
            await pilot.press("c")
            await pilot.pause()
            modes.append(chart.mode)
        assert modes == ["line", "ohlc", "candles"]
        assert "M┤" in screen_text(app)  # the volume panel's label (e.g. 180.5M)
        await pilot.press("v")
        await pilot.pause()
        assert "M┤" not in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert "overlays off" in screen_text(app)


async def test_past_breakouts_are_marked_and_none_after_the_asof_session():
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        chart = app.screen.query_one(PriceChart)
        levels = chart.view.levels
        assert levels.breakouts, "KRE confirmed breakouts in 2021-2025"
        assert all(d <= ASOF for d in levels.breakouts + levels.failures)
        text = screen_text(app)
        assert "▲" in text.split("RS KRE")[0]  # on the price chart


async def test_sixteen_colour_theme_draws_in_terminal_colours_without_tints():
    ansi = SemanticColors(up="ansi_green", down="ansi_red", breakout="ansi_yellow",
                          failed="ansi_bright_red", stale="ansi_bright_black",
                          zone="ansi_bright_blue", pivot="ansi_cyan", ath="ansi_magenta")
    app = DrillApp("KRE", semantic=ansi)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        bodies = [seg for strip in chart._strips for seg in strip if "█" in seg.text]
        assert bodies
        assert {seg.style.color.type for seg in bodies} == {ColorType.STANDARD}
        assert {seg.style.color.number for seg in bodies} <= {2, 1}  # green, red
        zone = [seg for strip in chart._strips for seg in strip
                if seg.style.color is not None and seg.style.color.number == 12]
        assert zone and all(set(seg.text) <= {"·"} for seg in zone)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_readable_at_small_and_large_sizes(size):
    app = DrillApp("KRE")
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        assert chart.view is not None and chart.view.n > 10
        text = screen_text(app)
        assert "Breakout" in text and "RS KRE / SPY" in text


async def test_a_symbol_without_data_says_so_and_draws_nothing():
    app = DrillApp("KRE", open_on_mount=False)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DrilldownScreen("KRE", ["KRE", "NOPE"]))
        await _settle(app, pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        screen = app.screen
        assert screen.symbol == "NOPE"
        first = screen_text(app).splitlines()[0]
        assert "NOPE" in first and "no data for this symbol" in first
        assert screen.query_one(PriceChart).view is None
        assert screen.query_one(RSChart).view is None
        assert "RS KRE" not in screen_text(app)
        await pilot.press("right_square_bracket")
        await _settle(app, pilot)
        assert screen.query_one(PriceChart).view.symbol == "KRE"


async def test_sixteen_colour_terminal_draws_the_zone_as_dots_not_a_tint(monkeypatch):
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    app = DrillApp("KRE")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert app.console.color_system == "standard"
        chart = app.screen.query_one(PriceChart)
        zone = app.semantic_colors.zone
        dots = [seg for strip in chart._strips for seg in strip if "·" in seg.text]
        assert dots and all(seg.style.color.name == zone for seg in dots)
        backgrounds = {seg.style.bgcolor for strip in chart._strips for seg in strip}
        assert backgrounds <= {chart.rich_style.bgcolor}  # no tinted band


@pytest.mark.parametrize("width", [26, 40])
def test_the_streak_study_never_cuts_a_figure_in_a_narrow_panel(width):
    from rich.console import Console

    from analysis.facts.streaks import streak
    from tui.widgets.study_table import study_table

    study = streak(load_sample("IWM")).study
    console = Console(width=width, record=True, color_system=None)
    console.print(study_table(study))
    text = console.export_text()
    assert "…" not in text
    for stats in study.after:  # every count is there whole; the labels wrap instead
        assert str(stats.count) in text
    assert "median" in text
