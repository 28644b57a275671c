"""The one pipeline behind every face: source -> bars -> ``analyze`` -> Snapshot.

``Pipeline.refresh()`` is what the dashboard's refresh worker, `basewatch scan` and replay call.
It is synchronous and may block on the network: call it from a worker thread, never the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from analysis.config import Config
from analysis.facts_cache import FactsCache
from analysis.snapshot import Snapshot, analyze

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.base import FetchResult, Source
    from analysis.universe import Universe


@dataclass(frozen=True)
class Refresh:
    """One refresh: the snapshot, the bars it was computed from (read-only), and the fetch."""

    snapshot: Snapshot
    bars: Mapping[str, pd.DataFrame]
    fetch: FetchResult


class Pipeline:
    """Fetches bars for the config's symbols (and the members of ``universe``, when given, after
    them) from one source and analyses them.

    With ``fill_chunk`` (the live dashboard), a universe loads a chunk at a time: while members are
    pending, each refresh asks the source for the config's symbols and at most ``fill_chunk``
    members not asked yet, and keeps the bars of the members loaded before (the source is not
    asked for them again until the fill is done), so the first refreshes come back quickly, the
    dashboard is usable while thousands of members load and the data source sees each member
    once. ``pending`` counts the members not asked yet (the header shows the progress). After the
    fill every refresh asks for everything (incremental through the store). Without
    ``fill_chunk`` every member is fetched at once (scan, replay)."""

    def __init__(self, config: Config, source: Source, universe: Universe | None = None,
                 fill_chunk: int | None = None) -> None:
        self.config = config
        self.source = source
        self.universe = universe
        self.fill_chunk = fill_chunk
        self._asked: set[str] = set()  # members asked of the source at least once
        self._kept: FetchResult | None = None  # the members' last bars, while the fill runs
        size = 512 if universe is None else max(512, 2 * len(universe.members) + 256)
        self.cache = FactsCache(maxsize=size)

    def symbols(self, symbols: Sequence[str] | None = None) -> list[str]:
        """What one refresh fetches: ``symbols`` (default: the config's), then the members."""
        wanted = dict.fromkeys(symbols or self.config.universe())
        if self.universe is not None:
            members = self.universe.symbols()
            if self.fill_chunk is not None and self.pending:
                members = [m for m in members if m not in self._asked
                           and m not in wanted][: self.fill_chunk]
            wanted.update(dict.fromkeys(members))
        return list(wanted)

    @property
    def pending(self) -> int:
        """Members of the universe not asked of the source yet (0 once it has loaded)."""
        if self.universe is None or self.fill_chunk is None:
            return 0
        return sum(m not in self._asked for m in self.universe.symbols())

    def fetch(self, symbols: Sequence[str] | None = None) -> FetchResult:
        filling = self.pending > 0
        wanted = self.symbols(symbols)
        result = self.source.fetch(wanted)
        self._asked.update(wanted)
        if self.universe is None or self.fill_chunk is None:
            return result
        if filling and self._kept is not None:  # the members loaded by the earlier chunks
            import dataclasses

            keep = {s: df for s, df in self._kept.bars.items() if s not in wanted}
            errs = {s: e for s, e in self._kept.errors.items() if s not in wanted}
            result = dataclasses.replace(result, bars={**result.bars, **keep},
                                         errors={**errs, **result.errors})
        self._kept = result if self.pending else None
        return result

    def refresh(
        self,
        symbols: Sequence[str] | None = None,
        *,
        asof: date | None = None,
        now: datetime | None = None,
    ) -> Refresh:
        fetched = self.fetch(symbols)
        weights = None
        ask = getattr(self.source, "sector_weights", None)
        if ask is not None and asof is None:
            weights = ask(self.config.benchmark.weights_of)
        return self.analyze(fetched, asof=asof, now=now, live_weights=weights)

    def analyze(
        self,
        fetched: FetchResult,
        *,
        asof: date | None = None,
        now: datetime | None = None,
        live_weights: Mapping[str, float] | None = None,
    ) -> Refresh:
        """Analyse already fetched bars; ``live_weights`` are the benchmark index's sector
        weights from the source (None: the bundled table)."""
        from analysis.bars import upto

        snap = analyze(fetched, self.config, asof=asof, now=now, cache=self.cache,
                       live_weights=live_weights, universe=self.universe)
        if snap.universe is not None and self.pending:
            import dataclasses

            snap = dataclasses.replace(
                snap, universe=dataclasses.replace(snap.universe, pending=self.pending))
        bars = fetched.bars if asof is None else {s: upto(b, asof) for s, b in fetched.bars.items()}
        return Refresh(snapshot=snap, bars=bars, fetch=fetched)
