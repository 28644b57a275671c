"""Events on the dashboard (Textual Pilot, bundled real bars): a replayed breakout that confirms,
the alert command run per event off the UI thread (and a hanging one killed while the app stays
responsive), and the event log's recent events shown again after a restart, bounded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from test_dashboard import FixedFeed, make_app, table

from analysis.config import Alerts, Config
from analysis.events import Event, EventLog, event_to_json
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource, load_sample
from tests.frozen_feed import loaded
from tui.mixins.events import HISTORY
from tui.widgets.event_log import MAX_LINES

PIVOT = 54.50  # XLF's flat-base pivot (the base high itself), as the README tells it


def replay(config: Config, start: date, end: date) -> ReplayFeed:
    return ReplayFeed(Pipeline(config, SampleSource()), start=start, end=end)


def log_lines(app) -> list[str]:
    """The Events pane's lines as written (one per event or note, before wrapping)."""
    return [text.plain for text in app.screen.query_one("#events").entries]


async def wait_for(pilot, condition, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def xlf_volume_ratio(day: date) -> tuple[float, float]:
    """XLF's close on ``day`` and its volume / the mean volume of the 50 sessions before it,
    by a plain loop over the bundled bars."""
    bars = load_sample("XLF")
    days = [ts.date() for ts in bars.index]
    i = days.index(day)
    volumes = list(bars["volume"])
    earlier = volumes[max(0, i - 50):i]
    return float(bars["close"].iloc[i]), volumes[i] / (sum(earlier) / len(earlier))


# -- a breakout confirmed in a replay ------------------------------------------------------------

async def test_replaying_xlf_confirming_its_breakout_logs_it_once_and_alerts_as_measured(user_dirs):
    """Logged once; highlighted and toasted only if the bundled track record alerts on it."""
    from analysis.track_record.record import highlights, is_alerted

    close_11, ratio_11 = xlf_volume_ratio(date(2025, 12, 11))
    close_12, ratio_12 = xlf_volume_ratio(date(2025, 12, 12))
    assert close_11 > PIVOT and ratio_11 < 1.4  # above the pivot, volume not there yet
    assert close_12 > PIVOT and ratio_12 >= 1.4  # above it again, on the volume

    config = Config()
    app = make_app(replay(config, date(2025, 12, 10), date(2025, 12, 12)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl, sectors = table(app, "watchlist"), table(app, "sectors")
        assert app.latest.snapshot.asof == date(2025, 12, 10)
        assert wl.tone_of("XLF") is None
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        assert wl.get_cell("XLF", "state").plain.strip().startswith("BREAKING")
        await pilot.press("full_stop")
        await loaded(pilot, app, 3)
        assert app.latest.snapshot.asof == date(2025, 12, 12) and "REPLAY 2025-12-12" in (
            app.feed_label)
        state = app.latest.snapshot.symbols["XLF"].breakout
        for pane in (wl, sectors):
            assert pane.tone_of("XLF") == ("breakout" if highlights(state) else None)
        assert wl.get_cell("XLF", "state").plain.strip().startswith("CONFIRMED")
        shown = [ln for ln in log_lines(app) if "XLF confirmed" in ln]
        assert len(shown) == 1 and f"{PIVOT:.2f}" in shown[0]
        toast = app._event_toast  # the one toast of this refresh, if anything in it alerts
        toasted = (toast is not None and toast in app._notifications
                   and "confirmed breakout: XLF" in toast.message)
        confirmed = [e for e in app.event_log.read() if e.kind == "confirmed"]
    assert toasted == is_alerted(confirmed[0])
    assert [(e.symbol, e.asof) for e in confirmed] == [("XLF", date(2025, 12, 12))]
    assert confirmed[0].data["level"] == PIVOT
    assert abs(confirmed[0].data["volume_ratio"] - ratio_12) < 0.01


# -- the alert command -----------------------------------------------------------------------------

WRITE_STDIN = "import sys\nwith open(sys.argv[1], 'a') as fh:\n    fh.write(sys.stdin.read())\n"


async def test_each_new_event_that_alerts_reaches_the_alert_command_as_json(user_dirs, tmp_path):
    """Every logged event that alerts (all but the breakout signals the measured record keeps
    quiet) reaches the command, in order, as JSON."""
    from analysis.track_record.record import is_alerted

    script, out = tmp_path / "alert.py", tmp_path / "alerts.jsonl"
    script.write_text(WRITE_STDIN)
    config = dataclasses.replace(
        Config(), alerts=Alerts(command=(sys.executable, str(script), str(out))))
    app = make_app(replay(config, date(2025, 12, 11), date(2025, 12, 12)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert not out.exists()  # the first snapshot has nothing to compare with: no events
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        logged = app.event_log.read()
        alerting = [e for e in logged if is_alerted(e)]
        assert len(logged) >= 2 and alerting
        # the command writes its line before it exits; the queue counts it once it has exited
        await wait_for(pilot, lambda: out.exists()
                       and len(out.read_text().splitlines()) >= len(alerting)
                       and app.alerts.delivered + app.alerts.failed >= len(alerting),
                       what="the alerts")
        assert app.alerts.delivered == len(alerting) and app.alerts.failed == 0
    received = [json.loads(line) for line in out.read_text().splitlines()]
    assert received == [json.loads(event_to_json(e)) for e in alerting]
    xlf = next(e for e in logged if e.kind == "confirmed" and e.symbol == "XLF")
    assert any(r["kind"] == "confirmed" and r["symbol"] == "XLF" for r in received) == (
        is_alerted(xlf))


HANG_ONCE = """import os, sys, time
pids = sys.argv[1]
first = not os.path.exists(pids)
with open(pids, 'a') as fh:
    fh.write(f"{os.getpid()}\\n")
sys.stdin.read()
if first:
    time.sleep(60)
"""


async def test_a_hanging_alert_command_is_killed_reported_and_never_blocks_the_app(tmp_path):
    from analysis.track_record.record import is_alerted

    script, pids = tmp_path / "hang.py", tmp_path / "pids"
    script.write_text(HANG_ONCE)
    config = dataclasses.replace(Config(), alerts=Alerts(
        command=(sys.executable, str(script), str(pids)), timeout_seconds=3.0))
    app = make_app(replay(config, date(2025, 12, 11), date(2025, 12, 12)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        n_events = sum(1 for e in app.event_log.read() if is_alerted(e))
        await wait_for(pilot, pids.exists, what="the alert command to start")
        hung = int(pids.read_text().split()[0])
        # while the command hangs, the app answers keys at once
        wl = table(app, "watchlist")
        started = time.monotonic()
        await pilot.press("j", "j")
        assert wl.cursor_key() == Config().watchlist[2]
        assert time.monotonic() - started < 1.0
        os.kill(hung, 0)  # still running: the keys did not wait for it
        await wait_for(pilot, lambda: not app.alerts._running, what="the alerts to finish")
        said = [n.message for n in app._notifications if n.title == "Alert"]
        assert said == [f"alert command failed for 1 of {n_events} events: "
                        f"{sys.executable} timed out after 3 s; killed"]
        assert any("alert command failed for 1 of" in ln for ln in log_lines(app))
        assert app.alerts.delivered == n_events - 1  # the others still went out
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == n_events
    try:
        os.kill(hung, 0)
        raise AssertionError("the hanging alert command is still running")
    except ProcessLookupError:
        pass


# -- the event log after a restart -----------------------------------------------------------------

def earlier_events(n: int) -> list[Event]:
    at = datetime(2025, 12, 11, 15, 0, tzinfo=UTC)
    return [Event("new_ath", "XLF", date(2025, 12, 11), at + timedelta(seconds=i),
                  f"E{i:03d} XLF high", {"price": 54.0 + i / 1000}) for i in range(n)]


async def test_a_restart_shows_the_last_events_of_the_log_dimmed_then_new_ones():
    EventLog().append(earlier_events(HISTORY + 50))
    config = Config()
    feed = FixedFeed(config, day=date(2025, 12, 11))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        pane = app.screen.query_one("#events")
        marks = [ln.split()[2] for ln in log_lines(app) if " E" in ln and "XLF high" in ln]
        assert marks == [f"E{i:03d}" for i in range(50, HISTORY + 50)]  # the last 200, in order
        assert pane.earlier == HISTORY and pane.count == 0
        assert not any("No events yet" in ln for ln in log_lines(app))
        first = next(s for s in pane.lines if "E050" in s.text)  # as drawn: all of it dim
        assert all(seg.style.dim for seg in first if seg.text.strip())
        rule = next(i for i, ln in enumerate(log_lines(app)) if "earlier, from the log" in ln)
        # a new session arrives: its events come after the rule, not dimmed
        feed.day = date(2025, 12, 12)
        await pilot.press("r")
        await loaded(pilot, app, 2)
        lines = log_lines(app)
        new = [i for i, ln in enumerate(lines) if "XLF confirmed" in ln]
        assert len(new) == 1 and new[0] > rule
        drawn = next(s for s in pane.lines if "XLF confirmed" in s.text)
        assert not any(seg.style and seg.style.dim for seg in drawn if "XLF" in seg.text)
        assert pane.count > 0 and str(pane.border_title) == f"4 Events ({pane.count})"


async def test_a_replay_starts_without_the_live_log():
    EventLog().append(earlier_events(5))
    config = Config()
    app = make_app(replay(config, date(2025, 12, 10), date(2025, 12, 11)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert not any("XLF high" in ln for ln in log_lines(app))
        assert app.screen.query_one("#events").earlier == 0


async def test_a_replay_never_writes_into_the_live_event_log():
    EventLog().append(earlier_events(5))
    before = EventLog().path.read_bytes()
    config = Config()
    app = make_app(replay(config, date(2025, 12, 10), date(2025, 12, 12)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        for n in (2, 3):
            await pilot.press("full_stop")
            await loaded(pilot, app, n)
        replayed = app.event_log.read()
        assert any(e.kind == "confirmed" and e.symbol == "XLF" for e in replayed)
        assert any("XLF confirmed" in ln for ln in log_lines(app))  # still on screen
    assert EventLog().path.read_bytes() == before
    assert [p.name for p in EventLog().files()] == ["events.jsonl"]  # nothing rotated either


async def test_a_full_disk_when_appending_events_is_said_on_screen_and_the_events_stay(user_dirs):
    """The live log is /dev/full (every write fails with ENOSPC): the trader is told the events
    were not saved, and still sees them."""
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    config = Config()
    feed = FixedFeed(config, day=date(2025, 12, 11))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        EventLog().path.symlink_to("/dev/full")  # after the log was read: /dev/full reads forever
        feed.day = date(2025, 12, 12)
        await pilot.press("r")
        await loaded(pilot, app, 2)
        said = [n.message for n in app._notifications if "could not write the event log" in
                n.message]
        assert len(said) == 1 and "not saved; the log is intact" in said[0]
        assert "No space left on device" in said[0]
        lines = log_lines(app)
        assert any("XLF confirmed" in ln for ln in lines)
        assert any("could not write the event log" in ln for ln in lines)


async def test_the_events_pane_keeps_at_most_max_lines():
    EventLog().append(earlier_events(HISTORY))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        pane = app.screen.query_one("#events")
        many = earlier_events(MAX_LINES + 100)
        pane.add_events(many, app.semantic_colors)
        await pilot.pause()
        assert len(pane.lines) == MAX_LINES and len(pane.entries) == MAX_LINES
        assert pane.entries[-1].plain.endswith("E599 XLF high")
        assert "E599" in "".join(s.text for s in pane.lines[-2:])
