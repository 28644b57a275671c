"""The Basewatch Textual app: screens, app-wide keys, themes, and the refresh loop.

The refresh loop is driven by a Feed (``analysis.feed``: live or replay). One refresh runs at a
time in a thread worker; the next is scheduled with ``feed.delay`` after the previous one finished
(never a fixed interval, so slow refreshes cannot pile up); a result computed for a universe that
changed meanwhile (a symbol added or removed) is dropped and a new refresh starts. The feed itself
is created inside the first worker, which starts only after the first frame is drawn, so the first
paint happens before pandas is imported; that worker also reads the most recent events of the event
log (live only), so a restart keeps them (where events are kept, and their toast:
``tui.mixins.events``). A live dashboard paints the last snapshot it showed until the first
refresh lands (``tui.mixins.cached_start``). Watchlist edits are in ``tui.mixins.watchlists``;
alert commands run from ``tui.mixins.alert_queue``; the replay keys are ``tui.mixins.replay``.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.worker import Worker, WorkerState

from tui.keys.bindings import (
    APP_BINDINGS,
    KEYMAP_SCOPES,
    REPLAY_BINDINGS,
)
from tui.messages import RefreshFailed, SnapshotReady
from tui.mixins.alert_queue import AlertQueue
from tui.mixins.cached_start import CachedStart
from tui.mixins.events import EventKeeping
from tui.mixins.palette import Palette
from tui.mixins.replay import ReplayControls
from tui.mixins.themes import Themes
from tui.mixins.user_alerts import UserAlerts
from tui.mixins.watchlists import WatchlistEditing
from tui.screens.dashboard import DashboardScreen
from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.events import Event
    from analysis.feed import Feed
    from analysis.pipeline import Refresh

MAX_BACKOFF = 900.0


@dataclass(frozen=True)
class RefreshDone:
    """What a refresh worker hands back to the UI thread."""

    generation: int
    refresh: Refresh
    events: tuple[Event, ...]
    label: str
    delay: float
    warning: str = ""


class BasewatchApp(WatchlistEditing, UserAlerts, Palette, CachedStart, Themes, EventKeeping,
                   ReplayControls,
                   App):
    """Basewatch. ``make_feed`` builds the Feed (called once, in the first refresh worker);
    ``auto_refresh=False`` keeps the first refresh but schedules no more (tests, screenshots);
    ``now`` is the wall clock (tests fix it so countdowns are deterministic); ``cache_source``
    (the source spec, live only) turns on the cached start: None never reads or writes it."""

    TITLE = "Basewatch"
    CSS_PATH = str(Path(__file__).parent / "styles" / "app.tcss")  # absolute: subclasses too
    BINDINGS: ClassVar = [*APP_BINDINGS, *REPLAY_BINDINGS]

    def __init__(
        self,
        config: Config,
        make_feed: Callable[[], Feed],
        *,
        auto_refresh: bool = True,
        now: Callable[[], datetime] | None = None,
        theme: str | None = None,
        cache_source: str | None = None,
    ) -> None:
        super().__init__()
        from analysis.state import load_state

        self.config = config
        self._make_feed = make_feed
        self._feed: Feed | None = None
        self.scheduled = auto_refresh
        self.now = now or (lambda: datetime.now(UTC))
        self.messages: list[str] = []
        self.state = load_state(default_watchlist=config.watchlist, warn=self.messages.append)
        self.watchlist: list[str] = list(self.state.symbols)
        self.pending: set[str] = set()
        self.latest: Refresh | None = None
        self.feed_label = "LIVE"
        self.paused = False
        self.busy = False
        self.busy_since: datetime | None = None
        self.last_error = ""
        self.last_error_at: datetime | None = None
        self.stale_after: float | None = None
        self.refreshes_applied = 0
        self._generation = 0
        self._failures = 0
        self._again = False
        self._timer = None
        self._applied_at = self.now()
        self._delay = float(config.refresh.market_open)
        self.load_cached(cache_source)
        self.alerts = AlertQueue(self, config.alerts, self._alert_failed)
        self.semantic_colors = SemanticColors()
        self._themes: list[Any] = []
        self._setup_themes(theme)
        self._setup_keys()

    @property
    def data_source(self) -> Any:
        """The source live refreshes read (None before the first refresh, and in a replay)."""
        return getattr(getattr(self._feed, "pipeline", None), "source", None)

    # -- keys -------------------------------------------------------------------------

    def _setup_keys(self) -> None:
        from tui.keys.keymap import apply_keymap

        result = apply_keymap(KEYMAP_SCOPES, self.config.keys)
        self.keymap = dict(result.keymap)
        self.messages.extend(result.problems)

    # -- lifecycle -------------------------------------------------------------------------------

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen(id="dashboard")

    @property
    def dashboard(self) -> DashboardScreen | None:
        """The dashboard, once it is mounted."""
        stack = self.screen_stack if self.is_running else []
        dash = stack[0] if stack else None
        return dash if isinstance(dash, DashboardScreen) and dash.ready else None

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self._theme_name:
            self.theme = self._theme_name
            self._on_theme_changed(self.current_theme)
        for message in self.messages:
            self.notify(message, severity="warning", timeout=10, markup=False)
        # After the first frame: the worker's imports (numpy, pandas) would compete with it.
        self.call_after_refresh(self._after_first_frame)

    def on_unmount(self) -> None:
        """Quitting: give up the alert commands (a line in the event log says so); a stuck
        refresh is abandoned by its worker (``tui.background``)."""
        self.alerts.stop(log=True)

    def _after_first_frame(self) -> None:
        gc.enable()  # `basewatch` (tui.cli) starts with the collector off until the first frame
        self.request_refresh()

    @property
    def refresh_delay(self) -> float:
        """Seconds between refreshes, as the feed last asked (replay: 1 / speed)."""
        return self._delay

    @property
    def updated_at(self) -> datetime | None:
        """Wall-clock time the on-screen snapshot was applied (None while loading)."""
        return self._applied_at if self.latest is not None else None

    def market_now(self) -> datetime:
        """The time countdowns count from: the snapshot's clock, advanced by the time since it
        was applied (so replay shows its simulated time and live the real one)."""
        if self.latest is None:
            return self.now()
        return self.latest.snapshot.market.clock.now + (self.now() - self._applied_at)

    def universe(self) -> tuple[str, ...]:
        """Every symbol a refresh must fetch: the watchlist plus the config's other symbols."""
        return dataclasses.replace(self.config, watchlist=tuple(self.watchlist)).universe()

    # -- the refresh loop --------------------------------------------------------------------------

    def request_refresh(self) -> None:
        """Refresh now, or as soon as the running refresh finishes."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.busy:
            self._again = True
            return
        self.busy = True
        self.busy_since = self.now()
        self._again = False
        self._update_status()
        previous = self.latest.snapshot if self.latest else None
        self._refresh_worker(self._generation, self.universe(), previous, self.state.alerts)

    @work(thread=True, exit_on_error=False, group="refresh", name="refresh")
    def _refresh_worker(self, generation: int, symbols: tuple[str, ...], previous,
                        alerts: tuple = ()) -> RefreshDone:
        from tui.background import abandonable

        # in a daemon thread: a refresh stuck on the network never holds up quitting
        return abandonable(lambda: self._refresh(generation, symbols, previous, alerts),
                           "refresh")

    def _refresh(self, generation: int, symbols: tuple[str, ...], previous,
                 alerts: tuple = ()) -> RefreshDone:
        from analysis.changes import diff
        from analysis.freshness import freshness
        from analysis.user_alerts import alert_events
        from tui.memory import release_memory

        if self._feed is None:
            self._feed = self._make_feed()
            self.open_event_log()
        feed = self._feed
        refresh = feed.next(symbols)
        if generation == self._generation and not self.replaying:
            self.save_cached(refresh.snapshot, symbols, self.now())
        if previous is not None and not freshness(previous).current:
            previous = None  # old bars (the sample, a stale store) -> today's: no "changes"
        events = (diff(previous, refresh.snapshot, self.config.thresholds.streak_milestones,
                       watched=symbols)
                  + alert_events(previous, refresh.snapshot, alerts))
        warning = self.keep_events(events)
        release_memory()  # what this thread's arena freed, before the thread goes
        return RefreshDone(generation, refresh, events, feed.label(refresh), feed.delay(refresh),
                           warning)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place refresh outcomes arrive: apply, drop, or report the failure."""
        worker = event.worker
        if worker.group != "refresh":
            return
        if event.state == WorkerState.SUCCESS:
            self.busy = False
            self._apply(worker.result)
        elif event.state == WorkerState.ERROR:
            self.busy = False
            self._failed(worker.error)
        elif event.state == WorkerState.CANCELLED:
            self.busy = False

    def _apply(self, done: RefreshDone) -> None:
        if done.generation != self._generation:  # the universe changed while it ran: drop it
            self.request_refresh()
            return
        self.latest = done.refresh
        self.cached = None
        self.refreshes_applied += 1
        self._applied_at = self.now()
        self.pending.clear()
        if done.events:
            self.alerts_fired(done.events)
        if self.feed_label != done.label or self.refreshes_applied == 1:
            self.refresh_bindings()  # replay keys appear once the feed is known
        self.feed_label = done.label
        self.last_error, self.last_error_at, self._failures = "", None, 0
        self._delay = max(done.delay, 0.0)
        self.stale_after = 2 * self._delay + self.config.refresh.deadline
        for screen in self.screen_stack:
            screen.post_message(SnapshotReady(done.refresh, done.events))
        if done.warning:
            self.notify(done.warning, severity="warning", markup=False)
            dash = self.dashboard
            if dash is not None:
                dash.note(done.warning, error=True)
        if done.events:  # the alert command: only the events that alert (the measured default)
            from analysis.track_record.record import is_alerted

            self.alerts.put([e for e in done.events if is_alerted(e)])
        if getattr(self._feed, "finished", False):  # a replay at its last session: stop ticking
            self._update_status()
            return
        self._schedule(self._delay)

    def _failed(self, error: BaseException | None) -> None:
        self._failures += 1
        text = str(error) or type(error).__name__
        self.last_error, self.last_error_at = text, self.now().astimezone()
        for screen in self.screen_stack:
            screen.post_message(RefreshFailed(text))
        backoff = min(15.0 * 2 ** (self._failures - 1), MAX_BACKOFF)
        self._schedule(backoff)

    def _schedule(self, delay: float) -> None:
        if self._again:
            self.request_refresh()
            return
        self._update_status()
        if not self.scheduled or self.paused:
            return
        if delay <= 0:  # Textual timers need a positive interval
            self.call_later(self.request_refresh)
        else:
            self._timer = self.set_timer(delay, self.request_refresh, name="next-refresh")

    def _alert_failed(self, line: str) -> None:
        self.notify(line, title="Alert", severity="warning", markup=False, timeout=8)
        dash = self.dashboard
        if dash is not None:
            dash.note(line, error=True)

    def _update_status(self) -> None:
        dash = self.dashboard
        if dash is not None:
            dash.update_strip()

    # -- app-wide actions --------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.request_refresh()
        self.notify("Refreshing…", timeout=1.5)

    def action_pause(self) -> None:
        self.paused = not self.paused
        if self.paused and self._timer is not None:
            self._timer.stop()
            self._timer = None
        elif not self.paused and not self.busy:
            self._schedule(0.0)
        self._update_status()
        self.notify("Paused: no automatic refresh (r still refreshes)" if self.paused
                    else "Resumed", timeout=2)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

