"""The dashboard's cached start: the last snapshot it showed, painted at once on the next start
(before numpy and pandas are imported) and marked as cached until the first refresh replaces it.

Only a live dashboard uses it (``cache_source`` set; never a replay). The file and its key are
``analysis.snapshot_cache``: a snapshot written for another config, source or universe is never
shown. Each refresh that is still current when it finishes is saved from the refresh worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.pipeline import Refresh
    from analysis.snapshot_cache import CachedSnapshot

log = logging.getLogger(__name__)


class CachedStart:
    """Mixed into the App, which holds ``config``, ``latest``, ``now`` and ``universe()``."""

    config: Config
    latest: Refresh | None
    cached: CachedSnapshot | None = None
    """The last session's snapshot, shown until the first refresh is applied (then None)."""
    _cache_source: str | None = None
    universe: Callable[[], tuple[str, ...]]

    def load_cached(self, source: str | None) -> None:
        """Read the cached snapshot for this config, ``source`` and universe (None: no cache)."""
        self._cache_source = source
        if source is not None:
            from analysis import snapshot_cache

            self.cached = snapshot_cache.load(self.cache_key(self.universe()))

    def cache_key(self, symbols: Iterable[str]) -> str:
        from analysis.snapshot_cache import cache_key

        return cache_key(self.config, self._cache_source or "", symbols)

    def save_cached(self, snapshot: Any, symbols: Iterable[str], saved_at: datetime) -> None:
        """Keep ``snapshot`` (computed for ``symbols``) for the next start; failures are logged."""
        if self._cache_source is None or getattr(snapshot, "universe", None) is not None:
            return  # a universe's snapshot is large, and its members are not in the key
        from analysis.snapshot_cache import save

        save(snapshot, self.cache_key(symbols), saved_at)

    @property
    def shown_snapshot(self) -> Any:
        """The snapshot the panes show: the latest refresh's, else the cached one (or None)."""
        if self.latest is not None:
            return self.latest.snapshot
        return self.cached.snapshot if self.cached is not None else None

    @property
    def cached_at(self) -> datetime | None:
        """When the snapshot on screen was saved, while it is the cached one (else None)."""
        return self.cached.saved_at if self.cached is not None and self.latest is None else None

    def drop_cached(self, why: str) -> None:
        """Stop showing the cached snapshot (it could not be rendered): loading rows instead."""
        log.info("cached snapshot dropped: %s", why)
        self.cached = None
