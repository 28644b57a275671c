"""`auto`, the default source: Yahoo through the store; the store when Yahoo cannot be reached; the
bundled sample for what the store does not have. The result says which, honestly.

- Yahoo answered: its bars (the store's full history, refreshed), ``source="yahoo"``. Symbols it
  could not refresh this time are served from the store (or the sample) and named in the note.
- Yahoo unreachable (``SourceError``): whatever the store has, ``source="store"``,
  ``fallback=True``, and a note saying Yahoo is unreachable, since when (the first failure of this
  outage) and why; symbols the store has nothing for come from the bundled sample (named in the
  note). With an empty store: ``source="sample"``.
- ``origins`` maps every served symbol to what served it whenever more than one source did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from analysis.sources.base import FetchResult, Source, SourceError
from analysis.sources.sample import SampleSource

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.store import BarStore


def _names(symbols: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(symbols[:limit])
    return shown + (f" and {len(symbols) - limit} more" if len(symbols) > limit else "")


class AutoSource:
    """See the module docstring. Keep one instance for the app's life so "since when" is right."""

    name = "auto"

    def __init__(self, yahoo: Source, store: BarStore, sample: Source | None = None) -> None:
        self.yahoo = yahoo
        self.store = store
        self.sample = sample if sample is not None else SampleSource()
        self.down_since: datetime | None = None
        self.down_reason: str = ""

    def _from_store(self, symbols: Sequence[str]) -> tuple[dict[str, pd.DataFrame], list[datetime]]:
        from analysis.sources.store import StoreError

        bars: dict[str, pd.DataFrame] = {}
        stamps: list[datetime] = []
        for sym in symbols:
            try:
                df = self.store.load(sym)
                when = self.store.fetched_at(sym)
            except (StoreError, ValueError):
                continue
            if len(df):
                bars[sym] = df
                if when is not None:
                    stamps.append(when)
        return bars, stamps

    def _from_sample(self, symbols: Sequence[str]) -> dict[str, pd.DataFrame]:
        if not symbols:
            return {}
        return dict(self.sample.fetch(list(symbols)).bars)

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        try:
            result = self.yahoo.fetch(symbols)
        except SourceError as exc:
            now = datetime.now(UTC)
            if self.down_since is None:
                self.down_since = now
            self.down_reason = str(exc)
            return self._fallback(symbols, now)
        self.down_since, self.down_reason = None, ""
        return self._fill_gaps(result)

    def _fill_gaps(self, result: FetchResult) -> FetchResult:
        """Yahoo answered but some symbols were not refreshed: serve them from the store/sample."""
        from analysis.symbols import SymbolError, validate_symbol

        missing = []
        for sym in (s for s in result.errors if s not in result.bars):
            try:
                missing.append(validate_symbol(sym))
            except SymbolError:
                continue
        if not missing:
            return result
        stored, _ = self._from_store(missing)
        sampled = self._from_sample([s for s in missing if s not in stored])
        if not stored and not sampled:
            return result
        bars = dict(result.bars)
        origins = {s: "yahoo" for s in result.bars}
        errors = dict(result.errors)
        notes = [result.note] if result.note else []
        for label, got in (("store", stored), ("sample", sampled)):
            if got:
                bars.update(got)
                origins.update({s: label for s in got})
                for s in got:
                    errors.pop(s, None)
                where = "stored bars" if label == "store" else "the bundled sample"
                # why, when Yahoo gave a final answer (e.g. delisted); passing failures are
                # already summed up in Yahoo's note
                final = [result.errors[s] for s in sorted(got) if s in result.errors
                         and not result.errors[s].startswith(f"{s} not refreshed")]
                notes.append(f"{_names(sorted(got))} from {where}"
                             + (f" ({'; '.join(final)})" if final else ""))
        return FetchResult(bars=bars, source="yahoo", fetched_at=result.fetched_at, errors=errors,
                           fallback=True, note="; ".join(notes), origins=origins)

    def _fallback(self, symbols: Sequence[str], now: datetime) -> FetchResult:
        from analysis.symbols import SymbolError, validate_symbol

        errors: dict[str, str] = {}
        valid: list[str] = []
        for raw in symbols:
            try:
                valid.append(validate_symbol(raw))
            except SymbolError as exc:
                errors[str(raw)] = str(exc)
        stored, stamps = self._from_store(valid)
        sampled = self._from_sample([s for s in valid if s not in stored])
        since = self.down_since or now
        head = f"Yahoo unreachable since {since:%Y-%m-%d %H:%M} UTC ({self.down_reason})"
        notes = [head]
        if stored:
            lo = min(stamps) if stamps else None
            notes.append("showing stored bars" + (f" fetched {lo:%Y-%m-%d %H:%M} UTC" if lo
                                                  else ""))
        elif valid:
            notes.append("the store is empty")
        if sampled:
            last = max(df.index[-1] for df in sampled.values())
            notes.append(f"{_names(sorted(sampled))} from the bundled sample "
                         f"(real bars to {last:%Y-%m-%d})" if stored else
                         f"showing the bundled sample (real bars to {last:%Y-%m-%d})")
        if self.store.warning:
            notes.append(self.store.warning)
        for sym in valid:
            if sym not in stored and sym not in sampled:
                errors[sym] = f"{sym}: Yahoo unreachable, nothing stored, not in the sample"
        bars = {**stored, **sampled}
        source = "store" if stored else "sample"
        origins = ({**{s: "store" for s in stored}, **{s: "sample" for s in sampled}}
                   if stored and sampled else {})
        fetched_at = min(stamps) if stored and stamps else now
        return FetchResult(bars=bars, source=source, fetched_at=fetched_at, errors=errors,
                           fallback=True, note="; ".join(notes), origins=origins)
