"""Shared test setup: offline, deterministic, user dirs in a temp folder, plotext's dedupe fixed."""

from __future__ import annotations

import pytest

import tui.chart.plotext_adapter  # noqa: F401  (plotext in first-seen order, as the app draws)


@pytest.fixture(autouse=True)
def user_dirs(tmp_path, monkeypatch):
    """Every test gets its own config, cache and data dirs."""
    dirs = {}
    for kind in ("config", "cache", "data"):
        d = tmp_path / f"user-{kind}"
        d.mkdir()
        monkeypatch.setenv(f"BASEWATCH_{kind.upper()}_DIR", str(d))
        dirs[kind] = d
    # Tests never touch the network: any real HTTP(S) request goes to a closed local port and fails
    # at once (curl, which yfinance uses, honours these), whatever DNS does on this machine.
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    return dirs


@pytest.fixture
def fake_yahoo(user_dirs):
    """A fresh fake Yahoo (tests/fakeyahoo.py) with yfinance's process-wide state reset around it.

    Hanging requests are released at teardown and the test waits for the worker to finish, so one
    test's stuck call never blocks the next one.
    """
    from fakeyahoo import FakeYahoo, reset_yfinance, wait_idle

    reset_yfinance()
    fake = FakeYahoo(hang_seconds=10.0)
    yield fake
    fake.release()
    wait_idle(15.0)
    reset_yfinance()


@pytest.fixture
def full_disk(monkeypatch):
    """Every atomic file write (analysis.atomic) goes to /dev/full, which fails each write with
    ENOSPC, like a full disk. Skips where there is no /dev/full."""
    import os
    from pathlib import Path

    import analysis.atomic as atomic

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (Linux)")
    real_mkstemp = atomic.tempfile.mkstemp

    def mkstemp_on_a_full_disk(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp_on_a_full_disk)
