"""Feeds drive the refresh loop: live (fetch now, next refresh by the market clock) or replay (step
through history one session per tick). The dashboard calls ``next`` in a worker thread and
schedules the following call after ``delay``; it never needs to know which feed it has.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class ReplayPosition:
    index: int
    session: date
    total: int


class ReplayFeed:
    """Plays daily history forward one session per tick through the same ``analyze`` the live
    app uses. History is fetched once (on the first call); each tick analyses the bars as of the
    next session of the large-cap benchmark's calendar within [start, end].

    ``speed`` is sessions per second; pausing is the app's business (it stops scheduling), and
    ``step`` is just another call to ``next``.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        start: date | None = None,
        end: date | None = None,
        speed: float = 1.0,
    ) -> None:
        self.pipeline = pipeline
        self.start, self.end = start, end
        self.speed = speed
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

    def _add_missing(self, symbols: Sequence[str]) -> None:
        """Symbols added during the replay are fetched once and merged in."""
        import dataclasses

        known = set(self._fetched.bars) | set(self._fetched.errors)
        missing = [s for s in symbols if s not in known]
        if missing:
            extra = self.pipeline.fetch(missing)
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

    def next(self, symbols: Sequence[str]) -> Refresh:
        if self._fetched is None:
            self._load(symbols)
        else:
            self._add_missing(symbols)
        if not self.finished:
            self._index += 1
        day = self._sessions[self._index]
        return self.pipeline.analyze(self._fetched, asof=day)

    def faster(self) -> float:
        self.speed = min(self.speed * 2, 64.0)
        return self.speed

    def slower(self) -> float:
        self.speed = max(self.speed / 2, 0.125)
        return self.speed

    def delay(self, refresh: Refresh | None) -> float:
        return 1.0 / self.speed

    def label(self, refresh: Refresh | None) -> str:
        pos = self.position
        if pos is None:
            return "REPLAY"
        done = " (end)" if self.finished else ""
        return f"REPLAY {pos.session} {self.speed:g}x{done}"
