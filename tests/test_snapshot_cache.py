"""The cached start: the last snapshot the dashboard showed, saved to a small file and painted at
the next start before numpy/pandas are imported, marked CACHED until the first refresh replaces
it; never shown for another config, source or universe, never from a corrupt file, never in a
replay.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import subprocess
import sys
import threading
from datetime import UTC, date, datetime

import pytest
from test_dashboard import NOW, FixedFeed, plain_strip, table

from analysis import snapshot_cache
from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tests.frozen_feed import loaded
from tui.app import BasewatchApp
from tui.semantic import SemanticColors
from tui.widgets.crypto import CryptoTable
from tui.widgets.market_strip import StripState, leader_race_parts, pair_parts
from tui.widgets.pane_table import View
from tui.widgets.sector_bases import SectorBasesTable
from tui.widgets.watchlist import WatchlistTable

SAVED_AT = datetime(2025, 12, 9, 21, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def real():
    config = Config()
    return config, Pipeline(config, SampleSource()).refresh(config.universe(),
                                                            asof=date(2025, 12, 9)).snapshot


def _key(config: Config, source: str = "sample") -> str:
    return snapshot_cache.cache_key(config, source, config.universe())


def _cells(pane, snapshot, config: Config, compact: bool) -> list:
    symbols = {"watchlist": config.watchlist, "sectors": tuple(s.etf for s in config.sectors),
               "crypto": config.crypto}[pane.PANE_KEY]
    view = View(snapshot, tuple(symbols), SemanticColors(), compact, config)
    return [(r.key, {k: (t.plain, t.spans, t.style) for k, t in r.cells.items()}, r.tone, r.sort)
            for r in pane.build_rows(view)]


def test_what_the_panes_show_is_the_same_from_the_cache(real):
    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    cached = snapshot_cache.load(_key(config))
    assert cached is not None and cached.saved_at == SAVED_AT
    assert snapshot_cache.cache_file().stat().st_size < 400_000  # compact: no streak studies
    for pane in (WatchlistTable(), SectorBasesTable(), CryptoTable()):
        for compact in (False, True):
            live_rows = _cells(pane, snap, config, compact)
            assert live_rows == _cells(pane, cached.snapshot, config, compact)
            assert len(live_rows) > 1
    for parts in (pair_parts, leader_race_parts):
        for compact in (False, True):
            shown = [parts(StripState(s, "LIVE", NOW, SemanticColors()), compact)
                     for s in (snap, cached.snapshot)]
            assert [t.plain for _, t in shown[0]] == [t.plain for _, t in shown[1]]
            assert shown[0]
    spy = cached.snapshot.symbols["SPY"]
    want = snap.symbols["SPY"]
    assert (spy.last, spy.asof, spy.highs.ath_close_date) == (
        want.last, want.asof, want.highs.ath_close_date)
    with pytest.raises(AttributeError):
        spy.last = 1.0  # read-only, like the dataclasses


def test_cache_is_only_read_back_for_the_same_config_source_and_universe(real):
    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    assert snapshot_cache.load(_key(config)) is not None
    other_config = Config(watchlist=(*config.watchlist, "NVDA"))
    other_thresholds = Config(refresh=config.refresh, theme="light")
    assert snapshot_cache.load(_key(other_config)) is None
    assert snapshot_cache.load(_key(other_thresholds)) is None
    assert snapshot_cache.load(_key(config, "yahoo")) is None
    fewer = snapshot_cache.cache_key(config, "sample", config.universe()[1:])
    assert snapshot_cache.load(fewer) is None
    reordered = snapshot_cache.cache_key(config, "sample", tuple(reversed(config.universe())))
    assert snapshot_cache.load(reordered) is not None  # the same symbols in another order


@pytest.mark.parametrize("content", [
    b"", b"{", b"\x00\xff garbage", b"[]", b'{"format": 1}',
    b'{"format": 999, "key": "K", "saved_at": "2025-12-09T21:02:00+00:00", "snapshot": {}}',
    b'{"format": 1, "key": "K", "saved_at": "not a time", "snapshot": {"@": "Snapshot"}}',
    b'{"format": 1, "key": "K", "saved_at": "2025-12-09T21:02:00+00:00", "snapshot": [1]}',
    b'{"format": 1, "key": "K", "saved_at": "2025-12-09T21:02:00+00:00", '
    b'"snapshot": {"@": "Snapshot", "symbols": {"@x": 1}}}',
])
def test_a_corrupt_or_old_cache_file_is_ignored_and_logged(content, caplog):
    path = snapshot_cache.cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    current = f'"format": {snapshot_cache.FORMAT},'.encode()
    path.write_bytes(content.replace(b'"format": 1,', current))
    with caplog.at_level(logging.INFO, logger="analysis.snapshot_cache"):
        assert snapshot_cache.load("K") is None
    assert "snapshot cache" in caplog.text


def test_a_failed_save_keeps_the_old_file(real, tmp_path):
    config, snap = real
    assert snapshot_cache.save(snap, "old", SAVED_AT)
    before = snapshot_cache.cache_file().read_bytes()
    assert not snapshot_cache.save(dataclasses.replace(snap, note=object()), "new", SAVED_AT)
    assert not snapshot_cache.save(object(), "new", SAVED_AT)  # not a snapshot at all
    (tmp_path / "file").write_text("x")
    assert not snapshot_cache.save(snap, "new", SAVED_AT, path=tmp_path / "file" / "below")
    assert snapshot_cache.cache_file().read_bytes() == before
    assert [p.name for p in snapshot_cache.cache_file().parent.iterdir()] == [
        snapshot_cache.FILE_NAME]  # no temp file left behind


async def test_dashboard_shows_the_cached_snapshot_marked_until_the_live_refresh(real):
    config, _ = real
    older = Pipeline(config, SampleSource()).refresh(config.universe(), asof=date(2025, 12, 5))
    assert snapshot_cache.save(older.snapshot, _key(config), SAVED_AT)
    gate = threading.Event()
    feed = FixedFeed(config, gate=gate)
    app = BasewatchApp(config, lambda: feed, now=lambda: NOW, auto_refresh=False,
                       cache_source="sample")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wl = table(app, "watchlist")
        old_kre = older.snapshot.symbols["KRE"].last
        assert wl.get_cell("KRE", "last").plain == f"{old_kre:,.2f}"
        strip = plain_strip(app)
        assert "CACHED" in strip
        assert f"cached {SAVED_AT.astimezone():%H:%M} — refreshing…" in strip  # local time
        assert "LIVE" not in strip and "NYSE" not in strip  # no clock from the saved moment
        assert "2025-12-05" in strip
        await pilot.press("enter")  # the chart waits for real bars
        await pilot.pause()
        assert app.screen.id == "dashboard"
        gate.set()
        await loaded(pilot, app)
        live = app.latest.snapshot.symbols["KRE"].last
        assert live != old_kre
        assert wl.get_cell("KRE", "last").plain == f"{live:,.2f}"
        strip = plain_strip(app)
        assert "CACHED" not in strip and "LIVE" in strip and "2025-12-09" in strip
    saved = snapshot_cache.load(_key(config))  # the applied refresh replaced the file
    assert saved is not None and saved.snapshot.asof == date(2025, 12, 9)


async def test_a_cached_file_the_panes_cannot_render_is_dropped_for_loading_rows(real):
    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    path = snapshot_cache.cache_file()
    body = json.loads(path.read_bytes())
    body["snapshot"]["symbols"]["@m"]["KRE"]["last"] = "not a price"
    path.write_text(json.dumps(body))
    gate = threading.Event()
    app = BasewatchApp(config, lambda: FixedFeed(config, gate=gate), now=lambda: NOW,
                       auto_refresh=False, cache_source="sample")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.cached is None
        assert table(app, "watchlist").get_cell("KRE", "state").plain == "loading…"
        assert "CACHED" not in plain_strip(app)
        gate.set()
        await loaded(pilot, app)


@pytest.mark.parametrize("replay", [False, True])
def test_replay_neither_reads_nor_writes_the_cache(real, monkeypatch, replay):
    from tui.commands import dashboard

    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    seen = {}

    def fake_run(self):  # the app as `basewatch` builds it, without starting it
        seen["cached"], seen["source"] = self.cached, self._cache_source

    monkeypatch.setattr(BasewatchApp, "run", fake_run)
    args = argparse.Namespace(config=None, source="sample", theme=None, replay=replay,
                              replay_from=None, replay_to=None, speed=1.0)
    assert dashboard.run(args) == 0
    if replay:
        assert seen == {"cached": None, "source": None}
    else:  # the same start without --replay does read it
        assert seen["source"] == "sample" and seen["cached"] is not None


def test_first_frame_is_drawn_before_numpy_or_pandas_is_imported(real):
    """In a fresh interpreter, at the moment the first frame is composed: the cached rows are on
    screen and neither numpy nor pandas has been imported (the refresh worker starts after)."""
    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    code = r"""
import asyncio, sys, threading
from textual.app import App
from analysis.config import Config
from tui.app import BasewatchApp
seen = []
display = App._display
def first_frame(self, screen, renderable):
    if renderable is not None and not seen:
        strip = screen.query_one("#strip").render().plain
        seen.extend(["numpy" in sys.modules, "pandas" in sys.modules, "CACHED" in strip,
                     screen.query_one("#watchlist").get_cell("SPY", "last").plain])
    return display(self, screen, renderable)
App._display = first_frame
gate = threading.Event()
def make_feed():
    gate.wait(30)
    raise RuntimeError("never mind")
async def main():
    app = BasewatchApp(Config(), make_feed, auto_refresh=False, cache_source="sample")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        gate.set()
asyncio.run(main())
print(*seen)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.split() == ["False", "False", "True", f"{snap.symbols['SPY'].last:,.2f}"]


def test_the_drill_down_facts_of_a_cached_volatility_index_read_like_the_live_ones(real):
    import io

    from rich.console import Console

    from tui.widgets.facts_panel import facts_renderable

    config, snap = real
    assert snapshot_cache.save(snap, _key(config), SAVED_AT)
    cached = snapshot_cache.load(_key(config)).snapshot

    def text(s) -> str:
        console = Console(width=60, record=True, file=io.StringIO())
        console.print(facts_renderable(s.symbols["^VIX"], SemanticColors(), "SPY", None))
        return console.export_text()

    shown = text(cached)
    assert shown == text(snap) and "Volatility index" in shown and "Base" not in shown
