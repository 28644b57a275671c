"""The JSON-lines event log: round trip, rotation keeps it bounded, bad lines are skipped."""

from datetime import UTC, date, datetime

from analysis.events import Event, EventLog, event_from_json, event_to_json
from tui.cli import main


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
