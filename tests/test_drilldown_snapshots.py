"""Snapshots of the drill-down for KRE as of 2025-12-09 (bundled bars, real pipeline), at 120x40
and 80x24: fixed size, fixed data, no timers; past breakouts are waited for."""

from __future__ import annotations

import pytest

from tests.drilldown_app import DrillApp, YahooDrillApp, got_minutes, settle

_ready = settle


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch):
    """The app reads the terminal's colours from the environment: these run as on a truecolor
    terminal, wherever the tests run (the 16-colour test sets its own)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_drilldown_kre(snap_compare, size):
    assert snap_compare(DrillApp("KRE"), terminal_size=size, run_before=_ready)


def test_drilldown_kre_5y_ohlc_with_histogram(snap_compare):
    async def keys(pilot) -> None:
        await _ready(pilot)
        await pilot.press("6", "c", "c", "h", "h")
        await _ready(pilot)

    assert snap_compare(DrillApp("KRE"), terminal_size=(120, 40), run_before=keys)


def test_drilldown_kre_1d_intraday(snap_compare, fake_yahoo, tmp_path):
    """1D on the fake Yahoo's 5-minute bars, cut at 14:02 New York: pre-market shaded, the prior
    close, the VWAP, the pivot and the zone."""
    import pandas as pd

    from analysis.sources.store import BarStore

    fake_yahoo.minutes_until = pd.Timestamp("2025-12-09 14:02", tz="America/New_York")

    async def keys(pilot) -> None:
        await _ready(pilot)
        await pilot.press("i")
        await got_minutes(pilot, pilot.app.screen)

    app = YahooDrillApp(fake_yahoo, BarStore(tmp_path / "bars.sqlite3"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys)
