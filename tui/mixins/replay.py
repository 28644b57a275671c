"""The replay keys of the app: one session forward, faster, slower. They apply only once the feed
is known to be a replay (``basewatch --replay``); a live dashboard hides them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.pipeline import Refresh


class ReplayControls:
    """Mixed into the App, which holds ``_feed``, ``_timer``, ``latest``, ``request_refresh()``,
    ``_schedule(delay)`` and ``notify()``."""

    _feed: Any
    _timer: Any
    latest: Refresh | None

    @property
    def replaying(self) -> bool:
        """True once the feed is known to be a replay (it can change speed)."""
        return self._feed is not None and hasattr(self._feed, "faster")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("replay_step", "replay_speed"):
            return self.replaying
        return True

    def action_replay_step(self) -> None:
        """One session forward (also while paused)."""
        self.request_refresh()  # type: ignore[attr-defined]

    def action_replay_speed(self, factor: float) -> None:
        feed = self._feed
        if not self.replaying:
            return
        speed = feed.faster() if factor > 1 else feed.slower()
        if self._timer is not None:  # re-arm the pending tick at the new pace
            self._timer.stop()
            self._timer = None
            self._schedule(feed.delay(self.latest))  # type: ignore[attr-defined]
        self.notify(f"Replay speed {speed:g} sessions/s", timeout=1.5)  # type: ignore[attr-defined]
