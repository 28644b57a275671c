"""Where the drill-down gets 5-minute bars: Yahoo when the running source can reach it, else the
bar store, and always an honest word about which.

``minute_feed_for(source)`` reads the source the dashboard runs on: Yahoo (``yahoo``, ``auto``)
gives a feed that fetches and stores; ``store`` one that only reads the store; ``sample``, CSV and
replay a feed without either (they have no intraday bars). ``MinuteFeed.get`` blocks (the caller
runs it in a worker thread) and returns a ``Minutes``; it never raises for a failed fetch.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from analysis.bars import tz_for
from analysis.sources.minute_bars import empty_minutes, fetch_minute_bars
from analysis.sources.minute_store import load_minutes, save_minutes

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.store import BarStore

FETCH_TIMEOUT = 15.0  # seconds for one 5-minute chart request


@dataclass(frozen=True)
class Minutes:
    """One symbol's 5-minute bars (``frame``: see ``analysis.sources.minute_bars``), when they
    were fetched (UTC; None: never), ``live`` when they came from Yahoo just now, and ``note``:
    why they are not live ("" when they are)."""

    symbol: str
    frame: pd.DataFrame
    fetched_at: datetime | None
    live: bool
    note: str
    reason: str = ""  # what the failed fetch said, if one failed


def offline_note(symbol: str, fetched_at: datetime | None, has_bars: bool,
                 now: datetime | None = None) -> str:
    """"intraday needs Yahoo; last fetched 14:02 ET" (in the symbol's exchange time; with the date
    when it was not ``now``'s day there), or "no intraday bars stored" when none are."""
    if not has_bars or fetched_at is None:
        return "no intraday bars stored (intraday needs Yahoo)"
    tz = tz_for(symbol)
    local = fetched_at.astimezone(ZoneInfo(tz))
    today = (now or datetime.now(UTC)).astimezone(local.tzinfo).date()
    when = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
    return f"intraday needs Yahoo; last fetched {when} {'UTC' if tz == 'UTC' else 'ET'}"


class MinuteFeed:
    """5-minute bars through ``session`` (a callable giving the HTTP session; None: no Yahoo) into
    ``store`` (None: nothing kept). Thread-safe as far as the store and yfinance calls are."""

    def __init__(self, store: BarStore | None, session: Callable[[], Any] | None,
                 timeout: float = FETCH_TIMEOUT) -> None:
        self.store = store
        self.session = session
        self.timeout = timeout

    @property
    def can_fetch(self) -> bool:
        return self.session is not None

    def stored(self, symbol: str) -> Minutes:
        """What the store holds for ``symbol`` (no network)."""
        from analysis.sources.base import SourceError

        none = Minutes(symbol, empty_minutes(tz_for(symbol)), None, False,
                       offline_note(symbol, None, False))
        if self.store is None:
            return none
        try:
            frame, when = load_minutes(self.store, symbol)
        except SourceError as exc:  # the store is locked or broken: say so, show nothing
            return dataclasses.replace(none, reason=str(exc))
        return Minutes(symbol, frame, when, False, offline_note(symbol, when, len(frame) > 0))

    def get(self, symbol: str, now: datetime | None = None) -> Minutes:
        """Fetch ``symbol``'s 5-minute bars (stored, if there is a store), or, when that fails or
        there is no Yahoo, what the store holds with a note saying so."""
        if self.session is None:
            return self.stored(symbol)
        from analysis.sources.yfcall import wait_idle

        now = now or datetime.now(UTC)
        wait_idle(self.timeout)  # one Yahoo call at a time: let a refresh under way finish
        try:
            frame = fetch_minute_bars(symbol, self.session(), self.timeout)
        except Exception as exc:  # noqa: BLE001 - any failure: fall back to the store, say why
            kept = self.stored(symbol)
            why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            return dataclasses.replace(kept, reason=why)
        if self.store is not None:
            from analysis.sources.base import SourceError

            with contextlib.suppress(SourceError):  # not kept this time: still shown
                save_minutes(self.store, symbol, frame, now)
        return Minutes(symbol, frame, now, True, "")


def minute_feed_for(source: Any) -> MinuteFeed:
    """The minute feed of a running source (see the module docstring)."""
    from analysis.sources.store import BarStore

    yahoo = getattr(source, "yahoo", source)  # AutoSource wraps a YahooSource
    store = getattr(yahoo, "store", None) or getattr(source, "store", None)
    store = store if isinstance(store, BarStore) else None
    http = getattr(yahoo, "http_session", None)
    return MinuteFeed(store, http if callable(http) else None)
