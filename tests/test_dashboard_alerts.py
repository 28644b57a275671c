"""Alerts a trader sets, in the app (Textual Pilot, a replay of the bundled bars): A on a row
opens the prompt, the alert is saved in the state file, fires on the refresh its condition
becomes true through the built-in events' path (toast, event log, the alert command), and a
once alert is then gone; the alerts screen lists and deletes them; A works in a chart too."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date

from test_dashboard import make_app, table
from test_dashboard_events import WRITE_STDIN, log_lines, replay

from analysis.config import Alerts, Config
from analysis.events import EventLog
from tests.frozen_feed import loaded
from tui.screens.alert_prompt import AlertPrompt
from tui.screens.alerts import AlertsScreen


def saved_alerts(user_dirs) -> list[dict]:
    return json.loads((user_dirs["data"] / "state.json").read_text())["alerts"]


async def _to_row(pilot, app, sym: str) -> None:
    wl = table(app, "watchlist")
    await pilot.press(*["j"] * wl.visible_keys().index(sym))
    assert wl.cursor_key() == sym


async def test_an_alert_set_on_a_row_fires_once_through_every_channel(user_dirs, tmp_path):
    script, out = tmp_path / "alert.py", tmp_path / "alerts.jsonl"
    script.write_text(WRITE_STDIN)
    config = dataclasses.replace(
        Config(), alerts=Alerts(command=(sys.executable, str(script), str(out))))
    # KRE closed 64.81 on 12-09 and 67.05 on 12-10.
    app = make_app(replay(config, date(2025, 12, 9), date(2025, 12, 11)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await _to_row(pilot, app, "KRE")
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AlertPrompt)
        prompt = app.screen.query_one("#alert-input")
        assert prompt.value == "above 67.07"  # the breakout level, ready to edit
        await pilot.press(*["backspace"] * len(prompt.value), *"above 66", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, AlertPrompt)
        assert saved_alerts(user_dirs) == [{"id": "1", "symbol": "KRE", "condition": "above",
                                            "value": 66.0, "state": None, "every": False}]
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        said = [n.message for n in app._notifications]
        # a toast (alone, or first in the summary of the refresh's events)
        assert any(m.startswith("KRE at 67.05: at or above your 66.00") for m in said)
        assert any("KRE at 67.05: at or above your 66.00" in ln for ln in log_lines(app))
        assert app.state.alerts == () and saved_alerts(user_dirs) == []  # once: done
        await pilot.press("full_stop")
        await loaded(pilot, app, 3)
        import time
        deadline = time.monotonic() + 20
        while app.alerts._running or not out.exists():
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
    logged = [e for e in EventLog().read() if e.kind == "alert"]
    assert [(e.symbol, e.asof) for e in logged] == [("KRE", date(2025, 12, 10))]
    sent = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["kind"] for e in sent].count("alert") == 1


async def test_a_refused_alert_says_why_in_the_prompt(user_dirs):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("A")
        await pilot.pause()
        prompt = app.screen.query_one("#alert-input")
        await pilot.press(*["backspace"] * len(prompt.value), *"sideways", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AlertPrompt)
        assert "is not an alert; try: above" in str(app.screen.query_one("#alert-error").render())
        await pilot.press("escape")
        assert app.state.alerts == ()


async def test_the_alerts_screen_lists_and_deletes_and_a_chart_sets_one(user_dirs):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert app.set_alert("XLF", "confirmed every") is None
        await _to_row(pilot, app, "KRE")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AlertPrompt) and app.screen.symbol == "KRE"
        await pilot.press("enter")  # the suggestion as it is
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        rows = app.screen.query_one("#alerts-table")
        assert rows.row_count == 2
        assert [rows.get_row_at(i)[:2] for i in range(2)] == [
            ["XLF", "XLF confirmed"], ["KRE", "KRE at or above 67.07"]]
        await pilot.press("x")
        await pilot.pause()
        assert [a.symbol for a in app.state.alerts] == ["KRE"]
        assert [a["symbol"] for a in saved_alerts(user_dirs)] == ["KRE"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AlertsScreen)
