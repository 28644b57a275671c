"""The drill-down's intraday timeframes (1D, 5D) and its bar cursor: where the 5-minute bars come
from and when they are asked for again.

Mixed into ``DrilldownScreen``. Switching to 1D or 5D (or stepping to another symbol there) shows
what is known at once and gets the symbol's 5-minute bars in a thread worker
(``analysis.sources.minute_feed``: Yahoo when the running source reaches it, else the bar store,
with a note saying so); a timer asks again every ``REFRESH_EVERY`` seconds while the market is open
(pre- and after-market included; crypto always). The UI never waits on Yahoo, and a failed fetch
only changes the note the legend shows ("intraday needs Yahoo; last fetched 14:02 ET").
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.chart.intraday import INTRADAY_TIMEFRAMES, MinuteInput
from tui.chart.price import PriceChart

if TYPE_CHECKING:
    from analysis.sources.minute_feed import MinuteFeed, Minutes

REFRESH_EVERY = 60.0  # seconds between fetches of the 5-minute bars while the market is open
LIVE_STATUSES = ("open", "pre-market", "after-hours")


class IntradayCharts:
    """The 1D / 5D timeframes and the bar cursor of the drill-down (see the module docstring)."""

    _minute_feed: MinuteFeed | None = None
    _minutes: Minutes | None = None  # the last bars got (of the shown symbol, or stale)
    _minutes_at = 0.0  # monotonic time they were got
    intraday_fetches = 0  # worker runs started (tests)

    def intraday_mount(self: Any) -> None:
        self.set_interval(REFRESH_EVERY, self._intraday_tick, name="intraday refresh")

    @property
    def intraday(self: Any) -> bool:
        return self.timeframe in INTRADAY_TIMEFRAMES

    def _now(self: Any) -> datetime:
        clock = getattr(self.app, "now", None)
        return clock() if callable(clock) else datetime.now(UTC)

    def _feed(self: Any) -> MinuteFeed:
        from analysis.sources.minute_feed import minute_feed_for

        if self._minute_feed is not None:
            return self._minute_feed
        source = getattr(self.app, "data_source", None)
        feed = minute_feed_for(source)
        if source is not None:  # before the first refresh the source is not known yet
            self._minute_feed = feed
        return feed

    def intraday_load(self: Any, fetch: bool | None = None) -> None:
        """Show the intraday bars known for the symbol, and get them again in a worker (from
        Yahoo when ``fetch``; None: when the ones shown are older than ``REFRESH_EVERY``)."""
        if not self.intraday:
            return
        got = self._minutes
        fresh = (got is not None and got.symbol == self.symbol
                 and time.monotonic() - self._minutes_at < REFRESH_EVERY)
        if got is None or got.symbol != self.symbol:
            self.query_one(PriceChart).configure(minutes=None, cursor=None)
        else:
            self._intraday_show()
        if fresh and not fetch:
            return
        feed, symbol, now = self._feed(), self.symbol, self._now()
        ask = feed.can_fetch if fetch is None else fetch and feed.can_fetch

        def work() -> None:
            minutes = feed.get(symbol, now) if ask else feed.stored(symbol)
            with contextlib.suppress(RuntimeError):  # the app has gone meanwhile
                self.app.call_from_thread(self._intraday_got, minutes)

        self.intraday_fetches += 1
        self.run_worker(work, thread=True, exclusive=True, group="drilldown-intraday",
                        name=f"5-minute bars {symbol}", exit_on_error=False)

    def _intraday_got(self: Any, minutes: Minutes) -> None:
        if not self.is_attached or minutes.symbol != self.symbol:
            return
        self._minutes, self._minutes_at = minutes, time.monotonic()
        self._intraday_show()

    def _intraday_show(self: Any) -> None:
        """Hand the chart the bars got and the prior close (the last daily close before their
        last day, from the refresh's daily bars)."""
        from analysis.facts.session_vwap import prior_close

        minutes = self._minutes
        if minutes is None or minutes.symbol != self.symbol:
            return
        refresh = self.refresh_data
        daily = refresh.bars.get(self.symbol) if refresh is not None else None
        frame = minutes.frame
        prior = prior_close(daily, frame.index[-1].date()) if len(frame) else None
        self.query_one(PriceChart).configure(minutes=MinuteInput(frame, prior, minutes.note))
        self.call_after_refresh(self._update_captions)

    def _intraday_tick(self: Any) -> None:
        from analysis.market import market_clock
        from analysis.symbols import is_crypto

        if not self.intraday or not self._feed().can_fetch:
            return
        if is_crypto(self.symbol) or market_clock(self._now()).status in LIVE_STATUSES:
            self.intraday_load(fetch=True)

    def action_cursor(self: Any, move: str) -> None:
        """Move the bar cursor (the first press puts it on the last bar); the legend line then
        reads the bar under it (intraday: by its start time)."""
        from tui.chart.cursor import step_cursor

        chart = self.query_one(PriceChart)
        if chart.view is None or chart.view.n == 0:
            return
        chart.configure(cursor=step_cursor(chart.view.frame.index, chart.cursor, move,
                                           chart.view.intraday is not None))
        self.call_after_refresh(self._update_captions)
