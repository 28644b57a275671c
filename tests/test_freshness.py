"""Old data is never LIVE: one rule (``analysis.freshness``) says whether the bars are from the
current or the last session, and the header, the rows and `basewatch scan` all follow it. "Now" is
fixed in every test (2026-12-06 is a Sunday; the bundled sample ends on 2025-12-31)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from analysis.config import Config
from analysis.freshness import freshness, is_current, last_session
from analysis.pipeline import Pipeline
from analysis.report import snapshot_to_json
from analysis.sources.base import SourceError
from analysis.sources.sample import SampleSource
from tests.frozen_feed import loaded
from tui.app import BasewatchApp
from tui.commands.scan_table import market_lines
from tui.semantic import SemanticColors
from tui.widgets.market_strip import StripState, _fit, pair_parts, status_parts
from tui.widgets.pane_table import is_stale

SUNDAY = datetime(2026, 12, 6, 19, 33, tzinfo=UTC)
CONFIG = Config()


@pytest.fixture(scope="module")
def old():
    """The bundled sample analysed on 2026-12-06: data of 2025-12-31."""
    return Pipeline(CONFIG, SampleSource()).refresh(CONFIG.universe(), now=SUNDAY).snapshot


def with_source(snap, source: str):
    import dataclasses

    return dataclasses.replace(snap, source=source)


def strip_line(snap, width: int, *, now=SUNDAY, error: str = "") -> str:
    st = StripState(snap, "LIVE", now, SemanticColors(), wall_now=now, error=error)
    return _fit(status_parts(st, False), status_parts(st, True), width).plain


# -- the rule ------------------------------------------------------------------------------------

def test_a_bar_of_the_last_closed_session_is_current_and_one_older_is_not():
    # Wednesday 2025-12-10 at noon in New York: the session under way is 12-10, the last one 12-09
    noon = datetime(2025, 12, 10, 17, 0, tzinfo=UTC)
    assert last_session("SPY", noon) == date(2025, 12, 9)
    assert is_current("SPY", date(2025, 12, 10), noon)
    assert is_current("SPY", date(2025, 12, 9), noon)
    assert not is_current("SPY", date(2025, 12, 8), noon)
    # on Sunday the last session is Friday's
    assert last_session("SPY", SUNDAY) == date(2026, 12, 4)
    assert is_current("SPY", date(2026, 12, 4), SUNDAY)


def test_crypto_is_current_by_the_utc_day():
    late = datetime(2025, 12, 10, 23, 59, tzinfo=UTC)
    assert is_current("BTC-USD", date(2025, 12, 9), late)
    assert not is_current("BTC-USD", date(2025, 12, 9), datetime(2025, 12, 11, 0, 1, tzinfo=UTC))


def test_the_sample_of_2025_on_a_day_of_2026_is_sample_not_live(old):
    fresh = freshness(old)
    assert (fresh.state, fresh.label, fresh.current) == ("sample", "SAMPLE", False)
    assert fresh.data_date == date(2025, 12, 31)
    assert fresh.last_session == date(2026, 12, 4)
    assert fresh.date_text(short=True) == "2025-12-31"  # the year, since it is not today's
    assert freshness(with_source(old, "store")).label == "STORED"
    assert freshness(with_source(old, "yahoo")).label == "STALE"
    assert freshness(with_source(old, "csv:/bars")).label == "STALE"
    assert freshness(old, history=True).label == "HISTORY"


def test_the_same_data_the_next_morning_is_live():
    snap = Pipeline(CONFIG, SampleSource()).refresh(
        CONFIG.universe(), now=datetime(2026, 1, 2, 15, 0, tzinfo=UTC)).snapshot
    fresh = freshness(snap)
    assert (fresh.state, fresh.current) == ("live", True)
    assert fresh.date_text(short=True) == "2025-12-31"
    assert fresh.date_text(short=True) != "12-31"


# -- the header ----------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [200, 120, 80])
def test_the_header_says_sample_with_the_year_and_shows_no_clock_or_fomc(old, width):
    line = strip_line(old, width)
    assert line.lstrip().startswith("SAMPLE")
    assert "LIVE" not in line
    assert "2025-12-31" in line
    assert "opens" not in line and "closed" not in line and "FOMC" not in line
    assert "340 days old" in line or "340d old" in line


def test_a_stored_or_yahoo_snapshot_of_old_data_says_stored_or_stale(old):
    assert strip_line(with_source(old, "store"), 120).lstrip().startswith("STORED")
    assert strip_line(with_source(old, "yahoo"), 120).lstrip().startswith("STALE")


def test_current_data_keeps_live_the_clock_and_fomc():
    snap = Pipeline(CONFIG, SampleSource()).refresh(CONFIG.universe(),
                                                    asof=date(2025, 12, 9)).snapshot
    line = strip_line(snap, 200, now=snap.market.clock.now)
    assert line.lstrip().startswith("LIVE")
    assert "NYSE after-hours" in line and "FOMC decision tomorrow" in line


@pytest.mark.parametrize("width", [200, 120, 80])
def test_a_refresh_error_without_data_is_never_dropped(width):
    why = "Yahoo cannot be reached: cannot resolve Yahoo's address (no network or DNS)"
    line = strip_line(None, width, error=why)
    assert "NO DATA" in line and "refresh failed" in line and "LIVE" not in line
    assert "loading market data" not in line
    st = StripState(None, "LIVE", SUNDAY, SemanticColors(), error=why)
    second = _fit(pair_parts(st, False), pair_parts(st, True), width).plain
    assert second == why  # whole, on the line below


def test_a_refresh_error_over_data_outranks_everything_else(old):
    line = strip_line(old, 80, error="Yahoo cannot be reached: cannot connect to Yahoo")
    assert "⚠ Yahoo cannot be reached" in line


# -- the rows ------------------------------------------------------------------------------------

def test_every_row_of_old_data_is_stale_and_rows_of_current_data_are_not(old):
    assert all(is_stale(old, f) for f in old.symbols.values())
    snap = Pipeline(CONFIG, SampleSource()).refresh(CONFIG.universe(),
                                                    asof=date(2025, 12, 9)).snapshot
    assert not any(is_stale(snap, f) for f in snap.symbols.values())


# -- scan ----------------------------------------------------------------------------------------

def test_scan_lines_say_the_data_is_old_and_the_clock_and_fomc_are_now(old):
    lines = market_lines(old, freshness(old))
    assert lines[0].startswith("as of 2025-12-31")
    assert lines[1] == ("SAMPLE data of 2025-12-31, not today's market "
                        "(the last session was 2026-12-04)")
    fomc = next(line for line in lines if "FOMC" in line)
    assert fomc.startswith("now (2026-12-06")
    assert all(line.startswith("now (") for line in lines if "NYSE" in line)


def test_scan_json_carries_the_freshness(old):
    doc = json.loads(json.dumps(snapshot_to_json(old)))
    assert doc["freshness"] == {"state": "sample", "current": False, "data_date": "2025-12-31",
                                "last_session": "2026-12-04",
                                "checked_at": old.market.clock.now.isoformat()}


def test_scan_cli_json_says_history_for_asof_and_sample_for_old_data(capsys):
    from tui.cli import main

    assert main(["scan", "--source", "sample", "--symbols", "KRE", "--json",
                 "--asof", "2025-12-09"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["freshness"]["state"] == "history" and doc["freshness"]["current"]
    assert main(["scan", "--source", "sample", "--symbols", "KRE", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # the sample ends on 2025-12-31, so on any day from 2026-01-05 on it is old
    assert doc["freshness"]["state"] == "sample" and not doc["freshness"]["current"]


# -- the dashboard -------------------------------------------------------------------------------

class OldFeed:
    """The bundled sample as it is on 2026-12-06 (no network)."""

    def __init__(self, config: Config) -> None:
        self.pipeline = Pipeline(config, SampleSource())

    def next(self, symbols):
        return self.pipeline.refresh(symbols, now=SUNDAY)

    def delay(self, refresh) -> float:
        return 3600.0

    def label(self, refresh) -> str:
        return "LIVE"


class DownFeed(OldFeed):
    def next(self, symbols):
        raise SourceError("Yahoo cannot be reached: cannot resolve Yahoo's address")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_dashboard_on_old_data_says_sample_and_marks_rows_stale(size):
    app = BasewatchApp(CONFIG, lambda: OldFeed(CONFIG), auto_refresh=False, now=lambda: SUNDAY)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        strip = app.screen.query_one("#strip").render().plain
        first = strip.splitlines()[0]
        assert first.lstrip().startswith("SAMPLE") and "2025-12-31" in first
        assert "LIVE" not in first and "FOMC" not in first and "opens" not in first
        table = app.screen.query_one("#watchlist")
        tones = {row.tone for row in table._rows}
        assert tones == {"stale"}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_offline_without_data_the_error_is_in_the_header_at_every_width(size):
    app = BasewatchApp(CONFIG, lambda: DownFeed(CONFIG), auto_refresh=False, now=lambda: SUNDAY)
    async with app.run_test(size=size) as pilot:
        for _ in range(100):
            if app.last_error:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        first, second = app.screen.query_one("#strip").render().plain.splitlines()[:2]
        assert "NO DATA" in first and "refresh failed" in first
        assert "LIVE" not in first and "loading market data" not in first
        assert second.strip() == "Yahoo cannot be reached: cannot resolve Yahoo's address"
