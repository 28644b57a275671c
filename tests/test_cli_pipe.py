"""Output into a pipe whose reader goes away early (``basewatch events | head -1``): the command
stops quietly with the conventional exit code 141, no traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from analysis.events import Event, EventLog


def run_into_closed_pipe(*args: str) -> tuple[int, str]:
    """Run ``basewatch ARGS``, read one line of its output, close the pipe; (exit code, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline()  # something came out before the reader left
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=120), err


def many_events(n: int) -> list[Event]:
    at = datetime(2025, 12, 11, 15, 0, tzinfo=UTC)
    return [Event("new_ath", "XLF", date(2025, 12, 11), at + timedelta(seconds=i),
                  f"XLF made a new closing high, event {i} " + "x" * 100, {}) for i in range(n)]


@pytest.mark.parametrize("args", [("events",), ("events", "--json")])
def test_events_into_a_pipe_closed_early_exits_quietly(args):
    EventLog(max_bytes=10_000_000).append(many_events(3000))  # ~500 KB: more than a pipe holds
    code, err = run_into_closed_pipe(*args)
    assert code == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_scan_json_into_a_pipe_closed_early_exits_quietly():
    code, err = run_into_closed_pipe("scan", "--json", "--source", "sample")
    assert code in (0, 141) and "Traceback" not in err and "BrokenPipe" not in err, err
