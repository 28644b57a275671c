"""Today's bar while its session is still trading: built from the chart or a quote, kept in memory,
never written to the bar store as if it were final.

- ``session_state(symbol, now)``: the session that has not closed yet (US: today's NYSE session
  until its close; crypto: today, UTC), whether it is trading, and the last closed session;
  ``quote_state`` the same for a live quote, which may say the symbol's own exchange is trading
  when the NYSE is not (London on a US holiday, futures): that session then counts.
- ``LiveBars`` remembers, per symbol, the newest bar of the trading session: ``split`` takes it off
  a fetched frame (what remains is complete and may be stored), ``take_quote`` merges a quote into
  it (the day's high, low and volume only grow), ``attach`` puts it back on stored history for as
  long as the session trades. After the close it is dropped: the next fetch asks Yahoo for the
  final bar, from the last stored session on, and that one is stored.
- ``quote_only(...)``: symbols whose stored history is complete up to the last closed session,
  written after it settled, and whose quote is of the trading session. For them one batched quote
  request per refresh is all that is needed; the others go through the chart.

A bar of a session that has not closed is never stored, so the store (and ``auto``'s fallback to it)
never serves a half-day bar as a completed session — which could otherwise read as a breakout
closed above its pivot, or even a confirmed one.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from analysis.bars import tz_for
from analysis.symbols import is_crypto

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.quotes import ExtendedQuote, Quote
    from analysis.sources.store import BarStore

SETTLE = timedelta(minutes=15)  # a closed session's bar is trusted once fetched this long after


@dataclass(frozen=True)
class SessionState:
    """At one instant: ``open_day`` is the session that has not closed yet (None when today has
    none or it has closed), ``trading`` whether its regular hours are under way, ``last_closed``
    the latest completed session and ``closed_at`` its close (tz-aware)."""

    open_day: date | None
    trading: bool
    last_closed: date
    closed_at: datetime


def session_state(symbol: str, now: datetime) -> SessionState:
    """The session state of ``symbol`` at ``now`` (tz-aware; naive is read as UTC)."""
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if is_crypto(symbol):
        today = now.astimezone(UTC).date()
        midnight = datetime.combine(today, time(0), tzinfo=UTC)
        return SessionState(today, True, today - timedelta(days=1), midnight)
    # market.py keeps its NYSE session table private; it is read here rather than building a
    # second calendar (it is cached there).
    from analysis.market import ET, _calendar_for

    local = now.astimezone(ET)
    days, opens, closes = _calendar_for(local.year)
    i = bisect_right(closes, local)  # closes[i - 1] <= now < closes[i]
    if i == 0:  # before the first session of the table: cannot happen for years it covers
        raise ValueError(f"no NYSE session closed before {local}")
    pending = i < len(days) and days[i] == local.date()
    return SessionState(days[i] if pending else None, pending and opens[i] <= local,
                        days[i - 1], closes[i - 1])


def quote_state(symbol: str, quote: Quote | None, now: datetime) -> SessionState:
    """The session a live quote belongs to. By default ``session_state`` (the NYSE calendar;
    crypto by the UTC day); but a symbol whose own exchange Yahoo says is trading (``marketState``
    REGULAR: London on a US holiday, a future) trades its own session, dated by the last trade in
    that exchange's time zone (``exchangeTimezoneName``), whatever the NYSE is doing."""
    state = session_state(symbol, now)
    if (quote is None or state.trading or quote.market_state != "REGULAR" or quote.time is None
            or is_crypto(symbol)):
        return state
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(quote.exchange_tz or "America/New_York")
    except (ZoneInfoNotFoundError, ValueError):
        return state
    day = quote.time.astimezone(zone).date()
    if day != now.astimezone(zone).date():  # "REGULAR" with a trade of another day: not live
        return state
    return SessionState(day, True, state.last_closed, state.closed_at)


def _before(frame: pd.DataFrame, day: date) -> pd.DataFrame:
    """The bars of ``frame`` (midnight-stamped, in its own time zone) dated before ``day``."""
    import pandas as pd

    return frame[frame.index < pd.Timestamp(day).tz_localize(frame.index.tz)]


@dataclass
class _Live:
    day: date
    bar: pd.DataFrame  # one row
    got_at: datetime
    own: bool = False  # of the symbol's own exchange session while the NYSE does not trade


class LiveBars:
    """Per symbol, the newest bar of its trading session (see the module docstring). Thread-safe."""

    def __init__(self) -> None:
        self._rows: dict[str, _Live] = {}
        self._lock = threading.Lock()

    def split(self, symbol: str, frame: pd.DataFrame, now: datetime,
              quote: Quote | None = None) -> pd.DataFrame:
        """``frame`` without bars of a session that has not closed; the trading session's bar
        (if any) is remembered. What is returned may be stored. ``quote``: the symbol's live
        quote, which may say its own exchange is trading (``quote_state``)."""
        state = quote_state(symbol, quote, now)
        if state.open_day is None or frame.empty:
            return frame
        done = _before(frame, state.open_day)
        live = frame.iloc[len(done):]
        live = live[live.index.date == state.open_day]
        if state.trading and len(live):
            with self._lock:
                self._rows[symbol] = _Live(state.open_day, live.iloc[-1:].copy(), now)
        return done

    def take_quote(self, symbol: str, quote: Quote, now: datetime) -> bool:
        """Merge a quote of the trading session into its bar (making one if needed); False when
        the quote is not of the trading session (before the open, after the close, stale)."""
        import pandas as pd

        state = quote_state(symbol, quote, now)
        own = state.trading and not session_state(symbol, now).trading  # dated in its own zone
        tz = tz_for(symbol)
        if (not state.trading or quote.time is None or quote.price is None
                or (not own and pd.Timestamp(quote.time).tz_convert(tz).date() != state.open_day)):
            return False
        price = quote.price
        with self._lock:
            old = self._rows.get(symbol)
            row = old.bar.iloc[0] if old is not None and old.day == state.open_day else None
            highs = [v for v in (quote.day_high, price, None if row is None else row["high"])
                     if v is not None]
            lows = [v for v in (quote.day_low, price, None if row is None else row["low"])
                    if v is not None]
            volumes = [v for v in (quote.volume, None if row is None else row["volume"])
                       if v is not None]
            first = row["open"] if row is not None else (quote.open or price)
            index = pd.DatetimeIndex([pd.Timestamp(state.open_day).tz_localize(tz)], name="date")
            bar = pd.DataFrame({"open": [float(first)], "high": [float(max(highs))],
                                "low": [float(min(lows))], "close": [float(price)],
                                "volume": [float(max(volumes, default=0.0))],
                                "adj_close": [float(price)]}, index=index)
            self._rows[symbol] = _Live(state.open_day, bar, now, own=own)
        return True

    def attach(self, symbol: str, history: pd.DataFrame, now: datetime,
               quote: Quote | None = None) -> tuple[pd.DataFrame, datetime | None]:
        """``history`` without bars of a session that has not closed, plus the remembered bar of
        the trading session (and when it was got), if there is one. Without a ``quote`` (Yahoo
        is down) a bar of the symbol's own exchange session is kept until its day is over."""
        import pandas as pd

        state = quote_state(symbol, quote, now)
        with self._lock:
            live = self._rows.get(symbol)
            if (live is not None and live.own and quote is None and not state.trading
                    and live.day == now.astimezone(UTC).date()):
                state = SessionState(live.day, True, state.last_closed, state.closed_at)
            if live is not None and live.day != state.open_day:
                del self._rows[symbol]  # its session has closed (or a new one began)
                live = None
        if state.open_day is not None and len(history):
            history = _before(history, state.open_day)
        if live is None or not state.trading:
            return history, None
        return (pd.concat([history, live.bar]) if len(history) else live.bar.copy()), live.got_at


def quote_only(symbols: Sequence[str], quotes: Mapping[str, Quote], store: BarStore,
               now: datetime) -> list[str]:
    """The symbols a quote alone brings up to date (see the module docstring)."""
    import pandas as pd

    out = []
    for sym in symbols:
        quote = quotes.get(sym)
        state = quote_state(sym, quote, now)
        if quote is None or quote.time is None or not state.trading:
            continue
        if pd.Timestamp(quote.time).tz_convert(tz_for(sym)).date() != state.open_day:
            continue
        last, written = store.last_timestamp(sym), store.fetched_at(sym)
        if (last is not None and written is not None and last.date() == state.last_closed
                and written >= state.closed_at + SETTLE):
            out.append(sym)
    return out


def finish_live(live: LiveBars, bars: dict[str, pd.DataFrame], quotes: Mapping[str, Quote],
                now: datetime) -> dict[str, ExtendedQuote]:
    """After a fetch: merge each quote into its trading session's bar, put that bar back on the
    (stored) history in ``bars`` (in place), and return the extended-hours prices by symbol."""
    from analysis.sources.quotes import extended_quote

    for sym in list(bars):
        if sym in quotes:
            live.take_quote(sym, quotes[sym], now)
        bars[sym], _ = live.attach(sym, bars[sym], now, quotes.get(sym))
    return {s: e for s, q in quotes.items() if s in bars and (e := extended_quote(q)) is not None}
