"""A refresh's events get one toast, over the Events pane (wide) or the tab line (compact), never
over a table's columns; the Events pane gives each event one line, cut with "…" to its width.
Pilot, replaying the bundled bars at speed 2 over 2025-12-10 .. 2025-12-12."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from textual.widgets._toast import Toast, ToastRack

from analysis.config import Config
from analysis.events import Event
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tests.frozen_feed import NOW
from tui.app import BasewatchApp
from tui.widgets.event_toast import one_line, toast_text


def event(kind: str, symbol: str | None, message: str = "") -> Event:
    return Event(kind, symbol, date(2025, 12, 12), datetime(2025, 12, 12, 21, tzinfo=UTC),
                 message or f"{symbol} {kind}", {})


def test_several_events_are_one_line_per_kind_most_important_first():
    events = [event("near", "IJR"), event("breaking", "XLF"), event("breaking", "KRE"),
              event("breaking", "XLI"), event("confirmed", "XLV"), event("near", "XLP"),
              event("fomc", None, "FOMC decision tomorrow")]
    title, body = toast_text(events, 40)
    assert title == "7 events"
    assert body.splitlines() == ["1 confirmed breakout: XLV", "3 breakouts: XLF, KRE, XLI",
                                 "FOMC decision tomorrow", "2 near their pivots: IJR, XLP"]
    _, narrow = toast_text(events, 20)
    assert narrow.splitlines()[1] == "3 breakouts: XLF, K…"
    assert all(len(line) <= 20 for line in narrow.splitlines())
    assert one_line(events[:3]) == "3 events: 2 breakouts, 1 near its pivot"


def test_each_alert_you_set_keeps_its_own_line_first():
    events = [event("breaking", "XLF"), event("alert", "KRE", "KRE at 67.05: at or above your 66"),
              event("alert", "XLK", "XLK at 150: at or above your 149")]
    _, body = toast_text(events, 40)
    assert body.splitlines() == ["KRE at 67.05: at or above your 66",
                                 "XLK at 150: at or above your 149", "1 breakout: XLF"]


def test_more_kinds_than_lines_say_how_many_did_not_fit():
    kinds = ["confirmed", "breaking", "failed", "new_ath", "near", "streak"]
    _, body = toast_text([event(k, "SPY") for k in kinds], 60, max_lines=4)
    assert body.splitlines()[-1] == "+3 more in the Events pane (4)"
    assert len(body.splitlines()) == 4


def test_one_event_is_its_message():
    assert toast_text([event("confirmed", "XLF", "XLF confirmed a breakout")], 40) == (
        "CONFIRMED BREAKOUT", "XLF confirmed a breakout")


async def shown_toasts(pilot, app) -> list[Toast]:
    """The toasts on screen once this refresh's event toast (if any) is laid out."""
    wanted = app._event_toast
    rack = app.screen.get_child_by_type(ToastRack)
    deadline = time.monotonic() + 1.5
    while True:
        toasts = [t for t in rack.walk_children(Toast) if t.display and t.region.width]
        if wanted is None or any(t._notification is wanted for t in toasts):
            return toasts
        if time.monotonic() > deadline:
            return toasts
        await pilot.pause(0.02)


async def replay_watching_toasts(size: tuple[int, int], resize: tuple[int, int] | None = None):
    """Replay 12-10 .. 12-12 at speed 2; returns the app state seen after each refresh: (number
    of event toasts on screen, their regions, the regions of the data panes)."""
    config = Config()
    feed = ReplayFeed(Pipeline(config, SampleSource()), start=date(2025, 12, 10),
                      end=date(2025, 12, 12), speed=2.0)
    app = BasewatchApp(config, lambda: feed, now=lambda: NOW)
    seen = []
    async with app.run_test(size=size, notifications=True) as pilot:
        deadline = time.monotonic() + 90
        applied = 0
        while applied < 3:
            assert time.monotonic() < deadline, "the replay did not finish"
            await pilot.pause(0.02)
            if app.refreshes_applied == applied:
                continue
            applied = app.refreshes_applied
            toasts = await shown_toasts(pilot, app)
            panes = {name: app.screen.query_one(f"#{name}").region
                     for name in ("watchlist", "sectors", "crypto", "events", "tabs")}
            seen.append((len(toasts), [t.region for t in toasts], panes))
        if resize:
            await pilot.resize_terminal(*resize)
            await pilot.pause(0.3)
        pane = app.screen.query_one("#events")
        pane.room = pane.content_region.width - pane.styles.scrollbar_size_vertical
        return seen, pane, app


async def test_wide_one_toast_per_refresh_over_the_events_pane_and_one_line_per_event():
    seen, pane, app = await replay_watching_toasts((120, 40))
    with_events = [s for s in seen if s[0]]
    assert len(with_events) >= 2  # 12-11 and 12-12 have events
    for count, regions, panes in with_events:
        assert count == 1  # coalesced, and the previous one replaced
        toast = regions[0]
        for data in ("watchlist", "sectors", "crypto"):
            assert not toast.overlaps(panes[data]), (data, toast, panes[data])
        assert panes["events"].contains_region(toast)
    width = pane.room  # measured while the app ran
    assert len(pane.lines) == len(pane.entries)  # one line per event
    assert all(line.cell_length <= width for line in pane.lines)
    cut = [line.text.rstrip() for line in pane.lines if line.text.rstrip().endswith("…")]
    assert cut  # the long messages were cut, the full text is in the entries
    assert any(len(entry.plain) > width for entry in pane.entries)


async def test_compact_toast_is_one_line_over_the_tab_line():
    seen, _, app = await replay_watching_toasts((80, 24))
    with_events = [s for s in seen if s[0]]
    assert with_events
    for count, regions, panes in with_events:
        assert count == 1
        toast = regions[0]
        assert toast.height == 1 and toast.y == panes["tabs"].y
        assert not toast.overlaps(panes["watchlist"])


async def test_the_events_pane_refits_its_lines_when_resized():
    seen, pane, app = await replay_watching_toasts((120, 40), resize=(150, 40))
    width = pane.room  # measured while the app ran
    assert width > 45  # wider than at 120 columns
    assert len(pane.lines) == len(pane.entries)
    assert all(line.cell_length <= width for line in pane.lines)
    assert any(line.cell_length > 40 for line in pane.lines)  # the new room is used
