"""Feeds drive the refresh loop: live (fetch now, next refresh by the market clock) or replay (step
through history one session per tick). The dashboard calls ``next`` in a worker thread and
schedules the following call after ``delay``; it never needs to know which feed it has.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from analysis.pipeline import Pipeline, Refresh

WAITING_POLL = 2.0
"""Seconds between refreshes while the source is waiting for Yahoo's first answer."""


class Feed(Protocol):
    def next(self, symbols: Sequence[str]) -> Refresh:
        """The next refresh (blocking; may raise on total failure)."""
        ...

    def delay(self, refresh: Refresh | None) -> float:
        """Seconds until the next call to ``next``."""
        ...

    def label(self, refresh: Refresh | None) -> str:
        """What the header shows: "LIVE" or "REPLAY 2025-12-09"."""
        ...


FILL_DELAY = 0.2  # seconds between refreshes while a universe loads chunk by chunk


class LiveFeed:
    """Fetches from the pipeline's source now; the cadence follows the market clock: often while
    the market is open, rarely when it is closed (but at the crypto cadence when crypto is watched,
    since crypto keeps trading), and every ``WAITING_POLL`` seconds while the source shows stored
    bars waiting for Yahoo's first answer."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def next(self, symbols: Sequence[str]) -> Refresh:
        return self.pipeline.refresh(symbols)

    def delay(self, refresh: Refresh | None) -> float:
        cadence = self.pipeline.config.refresh
        if self.pipeline.pending:  # a universe is still loading: the next chunk at once
            return FILL_DELAY
        if refresh is None:
            return float(cadence.market_open)
        if refresh.snapshot.status == "waiting":  # Yahoo's first answer is on its way
            return WAITING_POLL
        status = refresh.snapshot.market.clock.status
        if status == "open":
            return float(cadence.market_open)
        if status in ("pre-market", "after-hours"):
            return float(min(cadence.market_open * 5, cadence.market_closed))
        if self.pipeline.config.crypto:
            return float(min(cadence.crypto, cadence.market_closed))
        return float(cadence.market_closed)

    def label(self, refresh: Refresh | None) -> str:
        return "LIVE"


RATE_WINDOW = 8
"""Ticks the achieved replay speed is measured over."""


@dataclass(frozen=True)
class ReplayPosition:
    index: int
    session: date
    total: int


class ReplayFeed:
    """Plays daily history forward one session per tick through the same ``analyze`` the live
    app uses. History is fetched once (on the first call); each tick analyses the bars as of the
    next session of the large-cap benchmark's calendar within [start, end].

    ``speed`` is the sessions per second asked for; the analysis of a tick counts against its
    interval (``delay`` is what is left of 1 / speed), and ``achieved`` is the rate the ticks
    really came at, which the label shows when it falls short (a large universe analyses slower
    than 50 sessions a second). Pausing is the app's business (it stops scheduling), and ``step``
    is just another call to ``next``. Its facts memo is cut to twice the universe: replayed
    sessions never repeat, so a larger memo would only hold old sessions' facts.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        start: date | None = None,
        end: date | None = None,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pipeline = pipeline
        self.start, self.end = start, end
        self.speed = speed
        self._clock = clock
        self._ticks: deque[float] = deque(maxlen=RATE_WINDOW + 1)
        self._fetched = None
        self._sessions: list[date] = []
        self._index = -1

    def _load(self, symbols: Sequence[str]) -> None:
        fetched = self.pipeline.fetch(symbols)
        anchor = self.pipeline.config.benchmark.large
        frame = fetched.bars.get(anchor)
        if frame is None or frame.empty:
            frame = max(fetched.bars.values(), key=len, default=None)
        if frame is None:
            raise RuntimeError("replay: the source returned no bars")
        days = sorted({ts.date() for ts in frame.index})
        lo = self.start or (days[-min(len(days), 250)] if days else None)
        hi = self.end or days[-1]
        self._sessions = [d for d in days if lo <= d <= hi]
        if not self._sessions:
            raise RuntimeError(f"replay: no sessions between {lo} and {hi}")
        self._fetched = fetched
        cache = self.pipeline.cache
        cache.maxsize = min(cache.maxsize, 2 * len(fetched.bars) + 8)

    def _add_missing(self, symbols: Sequence[str]) -> None:
        """Symbols added during the replay are fetched once and merged in."""
        import dataclasses

        known = set(self._fetched.bars) | set(self._fetched.errors)
        missing = [s for s in symbols if s not in known]
        if missing:
            extra = self.pipeline.source.fetch(missing)  # not the members again
            self._fetched = dataclasses.replace(
                self._fetched,
                bars={**self._fetched.bars, **extra.bars},
                errors={**self._fetched.errors, **extra.errors},
            )

    @property
    def position(self) -> ReplayPosition | None:
        if self._index < 0:
            return None
        return ReplayPosition(self._index, self._sessions[self._index], len(self._sessions))

    @property
    def finished(self) -> bool:
        return bool(self._sessions) and self._index >= len(self._sessions) - 1

    def _tick(self) -> None:
        """Remember when this tick started. A gap far longer than the ticks before it (a pause, a
        step while paused) starts the rate window again; a replay that is slow throughout keeps
        its window, so its rate is still shown."""
        now = self._clock()
        ticks = self._ticks
        if len(ticks) >= 3:
            usual = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
            if now - ticks[-1] > 3 * usual + 1.0:
                ticks.clear()
        ticks.append(now)

    @property
    def achieved(self) -> float | None:
        """Sessions per second over the last ``RATE_WINDOW`` ticks; None before three ticks."""
        if len(self._ticks) < 3:
            return None
        span = self._ticks[-1] - self._ticks[0]
        return (len(self._ticks) - 1) / span if span > 0 else None

    def next(self, symbols: Sequence[str]) -> Refresh:
        self._tick()
        if self._fetched is None:
            self._load(symbols)
        else:
            self._add_missing(symbols)
        if not self.finished:
            self._index += 1
        day = self._sessions[self._index]
        return self.pipeline.analyze(self._fetched, asof=day)

    def rewind(self) -> None:
        """Start again from the first session (the fetched bars are kept)."""
        self._index = -1
        self._ticks.clear()

    def faster(self) -> float:
        self.speed = min(self.speed * 2, 64.0)
        self._ticks.clear()
        return self.speed

    def slower(self) -> float:
        self.speed = max(self.speed / 2, 0.125)
        self._ticks.clear()
        return self.speed

    def delay(self, refresh: Refresh | None) -> float:
        """What is left of the tick's 1 / speed seconds after its analysis."""
        interval = 1.0 / self.speed
        if not self._ticks:
            return interval
        return max(interval - (self._clock() - self._ticks[-1]), 0.0)

    def label(self, refresh: Refresh | None) -> str:
        """"REPLAY 2025-12-09 4x"; when the ticks come slower than asked (by a tenth or more),
        the speed really achieved first: "REPLAY 2025-12-09 4.8x (50x asked)"."""
        pos = self.position
        if pos is None:
            return "REPLAY"
        done = " (end)" if self.finished else ""
        rate = None if self.finished else self.achieved
        if rate is not None and rate < 0.9 * self.speed:
            return f"REPLAY {pos.session} {rate:.1f}x ({self.speed:g}x asked){done}"
        return f"REPLAY {pos.session} {self.speed:g}x{done}"
