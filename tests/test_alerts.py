"""The alert hook: the command gets the event as JSON on stdin; failures and hangs are reported."""

import json
import sys
import time
from datetime import UTC, date, datetime

from analysis.alerts import run_alert_command
from analysis.events import Event

EVENT = Event("breaking", "KRE", date(2025, 12, 9), datetime(2025, 12, 9, 15, 1, tzinfo=UTC),
              "KRE is breaking out above 66.40 (cup_with_handle pivot)", {"level": 66.4})


def test_command_receives_the_event_as_json(tmp_path):
    out = tmp_path / "got.json"
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    result = run_alert_command([sys.executable, "-c", script], EVENT)
    assert result.ok
    got = json.loads(out.read_text())
    assert got["symbol"] == "KRE" and got["kind"] == "breaking" and got["data"]["level"] == 66.4


def test_arguments_are_not_interpreted_by_a_shell(tmp_path):
    marker = tmp_path / "pwned"
    result = run_alert_command(["echo", f"; touch {marker}"], EVENT)
    assert result.ok and not marker.exists()


def test_a_hanging_command_is_killed_within_the_timeout():
    started = time.monotonic()
    result = run_alert_command([sys.executable, "-c", "import time; time.sleep(30)"], EVENT,
                               timeout=0.5)
    assert not result.ok and "timed out" in result.error
    assert time.monotonic() - started < 5


def test_a_failing_or_missing_command_is_reported_not_raised():
    bad = run_alert_command([sys.executable, "-c", "import sys; sys.exit('boom')"], EVENT)
    assert not bad.ok and bad.returncode == 1 and "boom" in bad.error
    missing = run_alert_command(["/nonexistent/notify"], EVENT)
    assert not missing.ok and "cannot run" in missing.error
