"""The JSON-lines event log: round trip, rotation keeps it bounded, bad lines are skipped."""

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from analysis.events import Event, EventLog, event_from_json, event_to_json
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _event(n: int, day: date = date(2025, 12, 9)) -> Event:
    return Event("confirmed", "KRE", day, datetime(2025, 12, 9, 15, n % 60, tzinfo=UTC),
                 f"KRE confirmed a breakout above 66.{n:02d}", {"level": 66.0 + n / 100, "n": n})


def test_event_json_round_trip():
    e = _event(7)
    assert event_from_json(event_to_json(e)) == e


def test_log_appends_and_reads_back_in_order(tmp_path):
    log = EventLog(tmp_path / "events.jsonl")
    log.append([_event(1), _event(2)])
    log.append([_event(3)])
    assert [e.data["n"] for e in log.read()] == [1, 2, 3]


def test_log_rotation_keeps_the_log_bounded(tmp_path):
    log = EventLog(tmp_path / "events.jsonl", max_bytes=2_000, backups=2)
    for n in range(300):
        log.append([_event(n)])
    total = sum(p.stat().st_size for p in log.files())
    assert len(log.files()) == 3
    assert total <= 3 * 2_000
    kept = [e.data["n"] for e in log.read()]
    assert kept == sorted(kept) and kept[-1] == 299  # newest kept, order preserved


def test_read_since_filters_by_session_and_skips_garbage(tmp_path):
    log = EventLog(tmp_path / "events.jsonl")
    log.append([_event(1, date(2025, 12, 8)), _event(2, date(2025, 12, 9))])
    with log.path.open("a") as fh:
        fh.write("{not json\n")
    assert [e.data["n"] for e in log.read(since=date(2025, 12, 9))] == [2]


def test_since_a_date_is_the_session_and_since_a_time_is_when_it_was_detected(tmp_path):
    log = EventLog(tmp_path / "events.jsonl")
    late = Event("failed", "XLF", date(2025, 12, 8), datetime(2025, 12, 9, 1, 30, tzinfo=UTC),
                 "XLF failed", {})  # detected after midnight UTC, for the session of 12-08
    log.append([late, _event(5)])
    assert [e.symbol for e in log.read(since=date(2025, 12, 9))] == ["KRE"]
    assert [e.symbol for e in log.read(since=datetime(2025, 12, 9, 1, 0, tzinfo=UTC))] == [
        "XLF", "KRE"]
    local = datetime(2025, 12, 9, 15, 4, tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert [e.data["n"] for e in log.read(since=local)] == [5]  # a time without a zone is local


def test_events_command_prints_the_log(user_dirs, capsys):
    EventLog().append([_event(4)])
    assert main(["events"]) == 0
    out = capsys.readouterr().out
    assert "KRE confirmed a breakout above 66.04" in out
    assert main(["events", "--json"]) == 0
    assert '"kind": "confirmed"' in capsys.readouterr().out


def test_events_command_rejects_a_bad_since(capsys):
    assert main(["events", "--since", "yesterday-ish"]) == 2
    assert "--since" in capsys.readouterr().err


# -- whole lines or nothing ------------------------------------------------------------------------

APPEND_PAST_THE_LIMIT = textwrap.dedent("""
    import resource, signal, sys
    from datetime import UTC, date, datetime
    from analysis.events import Event, EventLog
    log = EventLog(sys.argv[1])
    event = Event("confirmed", "XLF", date(2025, 12, 12), datetime(2025, 12, 12, 21, tzinfo=UTC),
                  "XLF confirmed a breakout " + "x" * 300, {})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, don't kill the process
    limit = log.path.stat().st_size + 100  # room for a third of the line
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        log.append([event])
    except OSError as exc:
        print(exc)
        sys.exit(3)
""")


def test_an_append_cut_short_by_a_full_disk_leaves_no_partial_line(tmp_path):
    """A real short write (the process's file-size limit: the kernel writes what fits, then
    refuses), not a mock: the log is cut back, and the next event is whole and readable."""
    log = EventLog(tmp_path / "events.jsonl")
    log.append([_event(1)])
    before = log.path.read_bytes()
    run = subprocess.run([sys.executable, "-c", APPEND_PAST_THE_LIMIT, str(log.path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stderr
    assert log.path.read_bytes() == before
    log.append([_event(2)])
    assert [e.data["n"] for e in log.read()] == [1, 2] and log.problems == []


def test_an_append_to_a_full_device_raises_and_adds_nothing(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (Linux)")
    with pytest.raises(OSError, match="No space left"):
        EventLog(Path("/dev/full")).append([_event(1)])


def test_a_partial_last_line_from_a_crash_is_reported_and_the_next_event_starts_a_line(tmp_path):
    log = EventLog(tmp_path / "events.jsonl")
    log.append([_event(1)])
    whole = event_to_json(_event(2))
    with log.path.open("a") as fh:
        fh.write(whole[:40])  # killed mid-write by an older version or a power cut
    assert [e.data["n"] for e in log.read()] == [1]
    assert log.problems == [f"{log.path} line 2: a partial line (a write cut short), skipped"]
    log.append([_event(3)])
    assert [e.data["n"] for e in log.read()] == [1, 3]  # not glued onto the partial line
    assert log.problems == [f"{log.path} line 2: not a whole event, skipped"]


def test_the_events_command_names_a_partial_line(user_dirs, capsys):
    log = EventLog()
    log.append([_event(1)])
    with log.path.open("a") as fh:
        fh.write('{"kind": "conf')
    assert main(["events"]) == 0
    captured = capsys.readouterr()
    assert "KRE confirmed a breakout above 66.01" in captured.out
    assert f"{log.path} line 2: a partial line" in captured.err
