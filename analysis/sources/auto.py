"""`auto`, the default source: Yahoo through the store; the store when Yahoo cannot be reached; the
bundled sample for what the store does not have. The result says which, honestly.

- Yahoo answered: its bars (the store's full history, refreshed), ``source="yahoo"``,
  ``status="live"``. Symbols it could not refresh this time are served from the store (or the
  sample): ``status="delayed"``, note "delayed: 2 symbols stale (KRE, XLF from stored bars); why".
- Yahoo unreachable (``SourceError``): whatever the store has, ``source="store"``,
  ``fallback=True``, ``status`` "rate_limited" (HTTP 429) or "offline", and a note starting with
  the header line "offline since 10:42 — stored bars" ("rate limited since 10:42 — stored bars,
  retrying"), "since" being the first failure of this outage, then why. While a session trades,
  its last good bar (kept in memory by the Yahoo source) stays on the stored history, so the
  screen keeps the last good intraday data ("stored bars, intraday to 10:41"). Symbols the store
  has nothing for come from the bundled sample (named in the note). With an empty store:
  ``source="sample"``.
- ``origins`` maps every served symbol to what served it whenever more than one source did.
- The next fetch that gets through is "live" again; "since" starts over at the next outage.
  ``clock`` (default: the Yahoo source's) says what "now" is.
- A quick start (``first_wait`` seconds, the dashboard's; None: always wait, as `scan` does): the
  first fetch reads the store's bars, then gives Yahoo what is left of that time. If Yahoo has not
  answered by then (a silent network, a slow first download), those bars (or the sample) are
  served at once with ``status="waiting"`` and the note "waiting for Yahoo since 10:42 — stored
  bars", while the Yahoo fetch goes on in a background (daemon) thread; each later call serves the
  same until it is done, then its answer (or its failure, as above) is the next result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from analysis.sources.base import FetchResult, Source, SourceError
from analysis.sources.health import clock_words, delayed_note, down_note, names
from analysis.sources.sample import SampleSource

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.store import BarStore


class _Background:
    """One Yahoo fetch running in a daemon thread; ``done`` is set when it has an answer."""

    def __init__(self, fetch: Callable[[Sequence[str]], FetchResult],
                 symbols: Sequence[str], started: datetime) -> None:
        self.symbols = tuple(symbols)
        self.started = started
        self.done = threading.Event()
        self.result: FetchResult | None = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = fetch(self.symbols)
            except BaseException as exc:  # noqa: BLE001 - handed to the next fetch
                self.error = exc
            finally:
                self.done.set()

        threading.Thread(target=run, daemon=True, name="yahoo-background").start()


class AutoSource:
    """See the module docstring. Keep one instance for the app's life so "since when" is right."""

    name = "auto"

    def __init__(self, yahoo: Source, store: BarStore, sample: Source | None = None,
                 clock: Callable[[], datetime] | None = None,
                 first_wait: float | None = None) -> None:
        self.yahoo = yahoo
        self.first_wait = first_wait
        self._background: _Background | None = None
        self.store = store
        self.sample = sample if sample is not None else SampleSource()
        self.clock = clock or getattr(yahoo, "clock", None) or (lambda: datetime.now(UTC))
        self.down_since: datetime | None = None
        self.down_reason: str = ""
        self.down_status: str = "offline"

    def sector_weights(self, fund_symbol: str) -> dict[str, float] | None:
        """Live sector weights through Yahoo (None while Yahoo is down: the bundled table then)."""
        ask = getattr(self.yahoo, "sector_weights", None)
        up = self.down_since is None and self._background is None
        return ask(fund_symbol) if ask is not None and up else None

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

    def _keep_live(self, bars: dict[str, pd.DataFrame], now: datetime) -> datetime | None:
        """Put the Yahoo source's last good bar of a still trading session back on stored bars (in
        place); returns when the oldest of those was got (None: none was)."""
        live = getattr(self.yahoo, "live", None)
        got: list[datetime] = []
        if live is not None:
            for sym in list(bars):
                bars[sym], when = live.attach(sym, bars[sym], now)
                if when is not None:
                    got.append(when)
        return min(got) if got else None

    def _from_sample(self, symbols: Sequence[str]) -> dict[str, pd.DataFrame]:
        if not symbols:
            return {}
        return dict(self.sample.fetch(list(symbols)).bars)

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        job = self._background
        if job is not None:
            if not job.done.is_set():  # Yahoo still has not answered the quick start's fetch
                return self._fallback(symbols, self.clock(), "waiting", job.started)
            self._background = None
            if job.symbols == tuple(symbols):
                return self._answer(symbols, job.result, job.error)
        wait, self.first_wait = self.first_wait, None
        if wait is not None:  # the quick start: once, then every fetch waits for Yahoo
            t0, started = time.monotonic(), self.clock()
            meanwhile = self._fallback(symbols, started, "waiting", started)  # before Yahoo's
            job = _Background(self.yahoo.fetch, symbols, started)  # imports compete with it
            if not job.done.wait(max(0.0, wait - (time.monotonic() - t0))):
                self._background = job
                return meanwhile
            return self._answer(symbols, job.result, job.error)
        try:
            result = self.yahoo.fetch(symbols)
        except SourceError as exc:
            return self._answer(symbols, None, exc)
        return self._answer(symbols, result, None)

    def _answer(self, symbols: Sequence[str], result: FetchResult | None,
                error: BaseException | None) -> FetchResult:
        """Yahoo's answer, or the fallback when it failed (``error``, a SourceError)."""
        if error is not None:
            if not isinstance(error, SourceError):
                raise error
            now = self.clock()
            if self.down_since is None:
                self.down_since = now
            self.down_reason = str(error).removeprefix("Yahoo cannot be reached: ")
            self.down_status = getattr(error, "status", "offline")
            return self._fallback(symbols, now, self.down_status, self.down_since)
        assert result is not None
        self.down_since, self.down_reason, self.down_status = None, "", "offline"
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
        self._keep_live(stored, result.fetched_at)
        sampled = self._from_sample([s for s in missing if s not in stored])
        if not stored and not sampled:
            return result
        bars = dict(result.bars)
        origins = {s: "yahoo" for s in result.bars}
        errors = dict(result.errors)
        notes: list[str] = []
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
                notes.append(f"{names(sorted(got))} from {where}"
                             + (f" ({'; '.join(final)})" if final else ""))
        # Yahoo's own note is "delayed: <head>; why; store warning": keep what follows its head
        rest = result.note.split("; ")[result.note.startswith("delayed:"):] if result.note else []
        note = delayed_note([s for s in missing if s in bars], ", ".join(notes), "", rest)
        return FetchResult(bars=bars, source="yahoo", fetched_at=result.fetched_at, errors=errors,
                           fallback=True, note=note, origins=origins, status="delayed",
                           extended=result.extended, quote_types=result.quote_types,
                           currencies=self._currencies(bars))

    def _fallback(self, symbols: Sequence[str], now: datetime, status: str,
                  since: datetime) -> FetchResult:
        """The store's bars (the sample for what it lacks) while Yahoo is ``status`` ("offline",
        "rate_limited", or "waiting" for its first answer) since ``since``."""
        from analysis.symbols import SymbolError, validate_symbol

        errors: dict[str, str] = {}
        valid: list[str] = []
        for raw in symbols:
            try:
                valid.append(validate_symbol(raw))
            except SymbolError as exc:
                errors[str(raw)] = str(exc)
        stored, stamps = self._from_store(valid)
        intraday = self._keep_live(stored, now)
        sampled = self._from_sample([s for s in valid if s not in stored])
        showing = []
        if stored:
            showing.append("stored bars" + (f", intraday to {clock_words(intraday, now)}"
                                            if intraday else ""))
        if sampled:
            last = max(df.index[-1] for df in sampled.values())
            showing.append(f"{names(sorted(sampled))} from the bundled sample" if stored else
                           f"bundled sample to {last:%Y-%m-%d}")
        if not stored and not sampled:
            showing.append("nothing stored" if valid else "nothing to show")
        extra = [self.store.warning] if self.store.warning else []
        why = "" if status == "waiting" else self.down_reason
        note = down_note(status, since, now, ", ".join(showing), why, extra)
        for sym in valid:
            if sym not in stored and sym not in sampled:
                errors[sym] = f"{sym}: Yahoo unreachable, nothing stored, not in the sample"
        bars = {**stored, **sampled}
        source = "store" if stored else "sample"
        origins = ({**{s: "store" for s in stored}, **{s: "sample" for s in sampled}}
                   if stored and sampled else {})
        if intraday is not None:  # the last good intraday data is newer than the stored bars
            stamps = [max(t, intraday) for t in stamps] or [intraday]
        fetched_at = min(stamps) if stored and stamps else now
        return FetchResult(bars=bars, source=source, fetched_at=fetched_at, errors=errors,
                           fallback=True, note=note, origins=origins, status=status,
                           currencies=self._currencies(bars))

    def _currencies(self, symbols) -> dict[str, str]:
        """What Yahoo's quotes said each symbol's currency is (this session; none yet: {})."""
        known = getattr(self.yahoo, "currencies", {})
        return {s: known[s] for s in symbols if s in known}
