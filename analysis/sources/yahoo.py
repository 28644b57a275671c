"""Yahoo Finance daily bars through yfinance: batched, incremental through the bar store, and always
under OUR deadline.

How a fetch goes:

- Symbols are validated first; a bad one is reported in ``errors`` and never reaches a URL.
- With a store, each symbol is asked only for the bars it is missing: from its last stored session,
  inclusive (that bar may have been partial). Symbols new to the store get ``first_period`` of
  history (default 10 years). Symbols sharing a start date are asked together, <= ``batch_size``
  (50) per ``yf.download`` call (``threads=False``, ``progress=False``, raw OHLC plus Adj Close).
- Every yfinance call runs in a daemon worker thread joined with a timeout (what is left of
  ``deadline``). While a call is still stuck no other yfinance call is started, in any
  ``YahooSource`` of the process, so a silent network cannot pile up threads. A session we created
  ourselves is closed when its call is abandoned, which makes the stuck call fail fast.
- Symbols that failed for a passing reason (HTTP 429, 5xx, timeouts, an empty or garbled answer)
  are retried with a short exponential backoff (``backoff`` doubling up to ``backoff_cap``) while
  time is left, at most ``attempts`` times. A symbol Yahoo says it does not know is reported in
  ``errors`` and the others still return their bars. A well-formed answer with no bars for the
  range (a weekend, a holiday) is an answer, not a failure: the symbol's stored bars are served
  as they are, or without any, ``errors`` says "no bars for that range".
- New bars are upserted into the store; the bars returned are the store's full history per symbol.
  The re-fetched last stored session tells what changed since: its open off by more than a split
  could explain -> Yahoo rescaled the history (a split): it is fetched again in full; the same
  close with another adjusted close -> a dividend went ex: every older stored adjusted close is
  multiplied by the same factor, as Yahoo did (in the same transaction as the new bars).
- Live (``analysis.sources.intraday``): all quotes first, in one request (unless ``quotes=False``);
  while a session trades a symbol with complete history needs only its quote; an unclosed
  session's bar is never stored (``self.live``); pre/post prices go to ``FetchResult.extended``.

No symbol fetched because Yahoo did not answer usefully (deadline, network, rate limit, server
errors, garbage): ``fetch`` raises ``YahooUnreachable`` (status "rate_limited" on HTTP 429, else
"offline"; ``analysis.sources.health``) and ``AutoSource`` falls back. Some fetched: the rest are
in ``errors``, ``status="delayed"``, ``note`` "delayed: N symbols stale".
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from analysis.bars import normalize_bars, tz_for
from analysis.sources.base import FetchResult, SourceError
from analysis.sources.fund_weights import DailyWeights, fetch_sector_weights
from analysis.sources.health import delayed_note, is_rate_limit
from analysis.sources.intraday import LiveBars, finish_live, quote_only
from analysis.sources.quotes import Quote, quotes_or_why
from analysis.sources.yfcall import (
    EMPTY_ANSWER,
    Busy,
    TimedOut,
    configure_yfinance,
    is_transient,
    plain,
    reason_for,
    run_guarded,
    yfinance_reasons,
)
from analysis.symbols import split_valid

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.store import BarStore

MAX_BATCH = 50
SPLIT_TOLERANCE = 0.15  # a stored session's open re-fetched more than 15% off: history rescaled
READJUST_TOLERANCE = 1e-5  # adjusted/close moved more than rounding: a dividend went ex


class YahooUnreachable(SourceError):
    """Yahoo could not be reached or gave nothing usable; the message says why, for the header.
    ``status``: "rate_limited" (Yahoo answered HTTP 429) or "offline"."""

    def __init__(self, message: str, status: str = "offline") -> None:
        super().__init__(message)
        self.status = status


class YahooSource:
    """Daily bars from Yahoo Finance (see the module docstring)."""

    name = "yahoo"

    def __init__(self, session: Any = None, deadline: float = 45.0, batch_size: int = MAX_BATCH,
                 store: BarStore | None = None, *, first_period: str = "10y",
                 request_timeout: float = 10.0, attempts: int = 3, backoff: float = 0.5,
                 backoff_cap: float = 4.0,
                 on_batch: Callable[[int, int, Sequence[str]], None] | None = None,
                 quotes: bool = True, clock: Callable[[], datetime] | None = None) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH}")
        self.session = session
        self._owns_session = session is None
        self.deadline = float(deadline)
        self.batch_size = batch_size
        self.store = store
        self.first_period = first_period
        self.request_timeout = request_timeout
        self.attempts = max(1, attempts)
        self.backoff, self.backoff_cap = backoff, backoff_cap
        self.on_batch = on_batch
        self.quotes = quotes
        self.clock = clock or (lambda: datetime.now(UTC))
        self.live = LiveBars()
        self.currencies: dict[str, str] = {}  # from the quotes, kept for when Yahoo is down
        self._weights = DailyWeights(
            lambda fund: fetch_sector_weights(fund, session=self.session,
                                              deadline=min(self.deadline, 20.0))
        )

    def sector_weights(self, fund_symbol: str) -> dict[str, float] | None:
        """The fund's sector weights (%), asked of Yahoo at most once a day; None if unknown."""
        return self._weights(fund_symbol)

    def _session(self) -> Any:
        if self.session is None:
            from curl_cffi import requests as curl_requests

            self.session = curl_requests.Session(impersonate="chrome")
        return self.session

    def http_session(self) -> Any:
        """The HTTP session Yahoo is asked through (made on first use)."""
        return self._session()

    def _abandon(self) -> None:
        """A call overran the deadline: close our own session so the stuck call fails fast."""
        if self._owns_session and self.session is not None:
            with contextlib.suppress(Exception):
                self.session.close()
            self.session = None

    def _plan(self, symbols: Sequence[str]) -> list[tuple[str | None, list[str]]]:
        """Batches of (start date or None for first_period, symbols), <= batch_size each."""
        groups: dict[str | None, list[str]] = {}
        for sym in symbols:
            last = self.store.last_timestamp(sym) if self.store is not None else None
            groups.setdefault(None if last is None else last.date().isoformat(), []).append(sym)
        plan = []
        for start in sorted(groups, key=lambda s: (s is not None, s or "")):
            syms = groups[start]
            plan += [(start, syms[i:i + self.batch_size])
                     for i in range(0, len(syms), self.batch_size)]
        return plan

    def _download(self, batch: Sequence[str], start: str | None, timeout: float):
        session = self._session()
        per_request = max(1.0, min(self.request_timeout, timeout))
        period = self.first_period

        def call():
            import yfinance as yf

            configure_yfinance(yf)
            span = {"start": start} if start else {"period": period}
            with yfinance_reasons() as messages:
                data = yf.download(list(batch), interval="1d", auto_adjust=False, actions=False,
                                   group_by="ticker", progress=False, threads=False,
                                   session=session, timeout=per_request, **span)
            return data, messages

        return run_guarded(call, timeout, f"{len(batch)} symbols")

    @staticmethod
    def _split(data: Any, batch: Sequence[str]) -> dict[str, pd.DataFrame]:
        import pandas as pd

        out: dict[str, pd.DataFrame] = {}
        if not isinstance(data, pd.DataFrame) or data.empty:
            return out
        multi = isinstance(data.columns, pd.MultiIndex)
        names = set(data.columns.get_level_values(0)) if multi else set()
        for sym in batch:
            if multi and sym not in names:
                continue
            raw = data[sym] if multi else (data if len(batch) == 1 else None)
            if raw is None:
                continue
            try:
                frame = normalize_bars(raw, tz=tz_for(sym))
            except ValueError:
                continue
            if len(frame):
                out[sym] = frame
        return out

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        t0 = time.monotonic()
        ends = t0 + self.deadline
        now = self.clock()
        valid, errors = split_valid(symbols)
        fresh: dict[str, pd.DataFrame] = {}
        passing: dict[str, str] = {}  # symbol -> why it failed for a passing reason
        quotes, quote_why, stop = quotes_or_why(
            valid, self._session, ends - time.monotonic(), self.request_timeout, self.deadline,
            self._abandon) if self.quotes else ({}, None, None)
        by_quote = quote_only(valid, quotes, self.store, now) if self.store is not None else []
        charted = [s for s in valid if s not in by_quote]  # the rest is up to date by its quote
        stop = self._run_plan(self._plan(charted), ends, fresh, errors, passing, stop,
                              progress=len(charted))
        # A split between two refreshes: Yahoo rescaled the whole history, so the bars just fetched
        # no longer match the stored ones. Never write them over the old scale; fetch it all again.
        whole: dict[str, pd.DataFrame] = {}
        rescaled = self._rescaled(fresh)
        if rescaled:
            for sym in rescaled:
                fresh.pop(sym)
            plan = [(None, list(rescaled)[i:i + self.batch_size])
                    for i in range(0, len(rescaled), self.batch_size)]
            stop = self._run_plan(plan, ends, whole, errors, passing, stop)
            for sym, ratio in rescaled.items():
                if sym in passing:
                    passing[sym] = (f"Yahoo rescaled its history ({_ratio_words(ratio)}) and it "
                                    f"could not be fetched again: {passing[sym]}")
        readjust = self._readjusted(fresh)
        for sym in charted:
            if sym not in fresh and sym not in whole and sym not in errors:
                passing.setdefault(sym, stop or "not fetched")
        return self._finish(fresh, errors, passing, stop, time.monotonic() - t0,
                            whole={s: (f, rescaled[s]) for s, f in whole.items()},
                            now=now, quotes=quotes, by_quote=by_quote, quote_why=quote_why,
                            readjust=readjust)

    def _run_plan(self, plan: list[tuple[str | None, list[str]]], ends: float,
                  fresh: dict[str, pd.DataFrame], errors: dict[str, str],
                  passing: dict[str, str], stop: str | None, progress: int | None = None
                  ) -> str | None:
        """Download every batch of ``plan`` with retries while time is left; fills ``fresh``,
        ``errors`` and ``passing``; returns why it stopped early (None: it did not)."""
        done = 0
        for start, batch in plan:
            pending = list(batch)
            for attempt in range(self.attempts):
                left = ends - time.monotonic()
                if stop is None and left <= 0:
                    stop = f"Yahoo did not answer within {self.deadline:g} s"
                if stop is not None:
                    break
                try:
                    data, messages = self._download(pending, start, left)
                except TimedOut:
                    self._abandon()
                    stop = f"Yahoo did not answer within {self.deadline:g} s"
                    break
                except Busy as exc:
                    stop = f"{exc}; not asking again until it does"
                    break
                except Exception as exc:  # noqa: BLE001 - yfinance can raise anything
                    data, messages = None, [f"yfinance failed: {type(exc).__name__}: {exc}"]
                    for sym in pending:
                        messages.append(f"${sym}: yfinance failed: {exc}")
                got = self._split(data, pending)
                fresh.update(got)
                retry = []
                for sym in (s for s in pending if s not in got):
                    why = reason_for(sym, messages)
                    if is_transient(why):
                        passing[sym] = plain(why)
                        retry.append(sym)
                    else:
                        passing.pop(sym, None)
                        errors[sym] = f"{sym}: {plain(why)}"
                for sym in got:
                    passing.pop(sym, None)
                pending = retry
                if not pending or attempt + 1 == self.attempts:
                    break
                pause = min(self.backoff_cap, self.backoff * 2 ** attempt)
                if time.monotonic() + pause >= ends:
                    break
                time.sleep(pause)
            limited = [passing[s] for s in pending if is_rate_limit(passing.get(s, ""))]
            if stop is None and limited:  # never a 429 storm: the next batches wait
                stop = f"{limited[0]}; the other batches wait for the next refresh"
            for sym in pending:
                passing.setdefault(sym, stop or "Yahoo gave no usable answer")
            done += len(batch)
            if self.on_batch is not None and progress is not None:
                self.on_batch(done, progress, batch)
        return stop

    def _last_sessions(self, fresh: dict[str, pd.DataFrame]):
        """(symbol, the newly fetched bar, the stored bar) of each symbol's last stored session
        that the fetch brought again (every incremental fetch starts there)."""
        if self.store is None:
            return
        for sym, frame in fresh.items():
            stored = self.store.last_bar(sym)
            if stored is None:
                continue
            same = frame.index.normalize() == stored.name.normalize()
            if same.any():
                yield sym, frame[same].iloc[0], stored

    def _rescaled(self, fresh: dict[str, pd.DataFrame]) -> dict[str, float]:
        """Symbols whose newly fetched bar of the last stored session disagrees with the stored
        one by more than a split could explain otherwise (the open, which does not move once the
        session has started, off by more than ``SPLIT_TOLERANCE``): symbol -> new / stored."""
        import math

        out: dict[str, float] = {}
        for sym, new, stored in self._last_sessions(fresh):
            ratios = [new[c] / stored[c] for c in ("open", "close")
                      if stored[c] > 0 and new[c] > 0]
            if ratios and abs(math.log(ratios[0])) > math.log1p(SPLIT_TOLERANCE):
                out[sym] = float(ratios[0])
        return out

    def _readjusted(self, fresh: dict[str, pd.DataFrame]) -> dict[str, float]:
        """Symbols whose newly fetched bar of the last stored session has another adjusted close
        for the same close than the stored one: a dividend went ex since, and Yahoo re-adjusted
        every older bar by the same factor. Symbol -> factor (new / stored adjustment)."""
        import math

        out: dict[str, float] = {}
        for sym, new, stored in self._last_sessions(fresh):
            try:
                factor = (new["adj_close"] / new["close"]) / (stored["adj_close"] / stored["close"])
            except (KeyError, ZeroDivisionError):
                continue
            if math.isfinite(factor) and factor > 0 and abs(factor - 1.0) > READJUST_TOLERANCE:
                out[sym] = float(factor)
        return out

    def _finish(self, fresh: dict[str, pd.DataFrame], errors: dict[str, str],
                passing: dict[str, str], stop: str | None, took: float,
                whole: dict[str, tuple[pd.DataFrame, float]] | None = None, *,
                now: datetime, quotes: dict[str, Quote], by_quote: list[str],
                quote_why: str | None = None, readjust: dict[str, float] | None = None
                ) -> FetchResult:
        """Store what was fetched and say what was not. ``whole``: symbols whose history Yahoo
        rescaled, with their full new history and the ratio; it replaces the stored history.
        ``readjust``: symbols whose older adjusted closes change by a factor (a dividend).
        Bars of a session that has not closed are not stored (``self.live`` keeps them);
        ``by_quote`` symbols are served from the store plus their quote."""
        whole = whole or {}
        if not fresh and not whole and not by_quote and passing:
            reasons = sorted(set(passing.values()), key=list(passing.values()).index)
            why = stop or reasons[0]
            if len(reasons) > 1 and stop is None:
                why += f" (and {len(reasons) - 1} other reason{'s' * (len(reasons) > 2)})"
            limited = any(is_rate_limit(r) for r in (*reasons, stop or "", quote_why or ""))
            raise YahooUnreachable(f"Yahoo cannot be reached: {why}",
                                   "rate_limited" if limited else "offline")
        notes: list[str] = []
        fresh = {s: self.live.split(s, f, now, quotes.get(s)) for s, f in fresh.items()}
        whole = {s: (self.live.split(s, f, now, quotes.get(s)), r) for s, (f, r) in whole.items()}
        bars: dict[str, pd.DataFrame] = {**fresh, **{s: f for s, (f, _) in whole.items()}}
        if self.store is not None:
            from analysis.sources.store import StoreError

            try:
                for sym, frame in fresh.items():
                    self.store.upsert(sym, frame, "yahoo", fetched_at=now,
                                      readjust=(readjust or {}).get(sym))
                    bars[sym] = self.store.load(sym)
                for sym, (frame, ratio) in whole.items():
                    self.store.upsert(sym, frame, "yahoo", fetched_at=now, replace=True)
                    bars[sym] = self.store.load(sym)
                    notes.append(f"{sym}: Yahoo rescaled its history ({_ratio_words(ratio)}); "
                                 "fetched it again in full")
                for sym in by_quote:
                    bars[sym] = self.store.load(sym)
                for sym in [s for s, e in errors.items() if e == f"{s}: {EMPTY_ANSWER}"]:
                    stored = self.store.load(sym)  # Yahoo has nothing newer than the store
                    if len(stored):
                        bars[sym] = stored
                        del errors[sym]
            except StoreError as exc:
                notes.append(f"bars not saved: {exc}")
            if self.store.warning:
                notes.append(self.store.warning)
        extended = finish_live(self.live, bars, quotes, now)
        self.currencies.update({s: q.currency for s, q in quotes.items() if q.currency})
        for sym, why in passing.items():
            errors[sym] = f"{sym} not refreshed: {why}"
        if passing:
            notes = [delayed_note(list(passing), "", stop or next(iter(passing.values())), notes)]
        return FetchResult(bars=bars, source="yahoo", fetched_at=now, errors=errors,
                           note="; ".join(notes), status="delayed" if passing else "live",
                           extended=extended,
                           quote_types={s: q.quote_type for s, q in quotes.items()
                                        if s in bars and q.quote_type},
                           currencies={s: self.currencies[s] for s in bars if s in self.currencies})


def _ratio_words(ratio: float) -> str:
    """new / stored price -> "a 2:1 split?" (or "a 1:10 reverse split?", or the factor)."""
    for n in range(1, 21):
        for m in range(1, 21):
            if abs(ratio - m / n) < 0.005 * ratio and (n == 1 or m == 1 or n * m <= 20):
                return f"a {n}:{m} split?" if n > m else f"a {n}:{m} reverse split?"
    return f"prices x{ratio:.4g}, a split?"


# -- fund data: the benchmark index's sector weights ----------------------------------------------
