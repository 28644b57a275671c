"""A network that accepts connections and never answers (a proxy that does not reply): the first
start shows stored or bundled bars within 2 s, says it is waiting for Yahoo, and keeps asking in
the background; when Yahoo's deadline passes the header says offline. Real curl and yfinance
against a local socket that accepts and never answers."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time

import pytest
from fakeyahoo import reset_yfinance, wait_idle

from analysis.config import Config
from analysis.sources.auto import AutoSource
from analysis.sources.sample import SampleSource
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource
from tests.frozen_feed import loaded

SYMBOLS = ["SPY", "XLK", "KRE"]


@pytest.fixture
def silent_network(monkeypatch):
    """Every HTTP(S) request goes through a local "proxy" that accepts and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    proxy = f"http://127.0.0.1:{server.getsockname()[1]}"
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, proxy)
    reset_yfinance()
    yield held
    stop.set()
    for conn in held:  # the network comes back as refusing: stuck requests fail at once
        conn.close()
    server.close()
    for worker in threading.enumerate():  # the quick start's fetch, if still running
        if worker.name == "yahoo-background":
            worker.join(15.0)
    wait_idle(15.0)
    reset_yfinance()


def test_the_first_fetch_shows_the_sample_within_2_s_and_keeps_asking_yahoo(silent_network):
    source = AutoSource(YahooSource(deadline=3.0, request_timeout=2.0, attempts=1),
                        BarStore(), first_wait=1.0)
    SampleSource().fetch(SYMBOLS)  # the bundled files read once: what is timed is the waiting
    t0 = time.monotonic()
    first = source.fetch(SYMBOLS)
    assert time.monotonic() - t0 < 2.0
    assert (first.source, first.status, first.fallback) == ("sample", "waiting", True)
    assert first.note.startswith("waiting for Yahoo since ")
    assert "bundled sample to 2025-12-31" in first.note
    assert sorted(first.bars) == sorted(SYMBOLS)
    assert silent_network, "Yahoo was asked (through the silent proxy)"
    # while Yahoo is still silent, every fetch answers at once with the same
    t1 = time.monotonic()
    assert source.fetch(SYMBOLS).status == "waiting"
    assert time.monotonic() - t1 < 1.0
    # past Yahoo's deadline the background fetch has failed: offline, with why
    assert source._background is not None and source._background.done.wait(10.0)
    after = source.fetch(SYMBOLS)
    assert (after.source, after.status, after.fallback) == ("sample", "offline", True)
    assert after.note.startswith("offline since ")


async def test_a_cold_start_on_a_silent_network_shows_bars_long_before_the_deadline(
        silent_network):
    """The dashboard as `basewatch` builds it; Yahoo's deadline is 20 s. The bars are on screen
    after the quick start's 1 s plus the app's own start (about 1.5 s on an idle machine; the
    bound leaves room for a busy one), not after the deadline."""
    from tui.app import BasewatchApp
    from tui.commands.dashboard import QUICK_START, live_feed_factory

    assert QUICK_START <= 1.0
    config = dataclasses.replace(Config(), refresh=dataclasses.replace(Config().refresh,
                                                                       deadline=20))
    app = BasewatchApp(config, live_feed_factory(config, "auto"), auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.monotonic()
        await loaded(pilot, app, timeout=15.0)
        took = time.monotonic() - t0
        assert took < 5.0, f"first bars after {took:.1f} s"
        strip = app.screen.query_one("#strip").render().plain.splitlines()[0]
        assert "waiting for Yahoo since" in strip
        assert strip.lstrip().startswith("SAMPLE")  # the bundled bars are old: never LIVE
        table = app.screen.query_one("#watchlist")
        assert table.get_cell("SPY", "state").plain != "loading…"
        assert app.latest.snapshot.status == "waiting"
