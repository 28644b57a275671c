"""Is the data today's market? One rule for the dashboard's header, its rows and `basewatch scan`.

A bar is *current* at ``now`` when it is from the current or the last session: for US symbols by
the NYSE calendar (today's session, once it has started or while it has not closed, or the last
session that closed), for crypto by the UTC day (today or yesterday). Anything older is old data,
and every face says so plainly instead of "LIVE":

- ``state`` "live" (current), "sample" (the bundled sample, old), "stored" (the bar store, old),
  "stale" (any other source whose bars are old: Yahoo, a CSV folder), or "history" (evaluated as
  of a past date on purpose: ``scan --asof``; the clock is then that date's, so the data is
  current for it);
- ``label`` the header's word for it: LIVE, SAMPLE, STORED, STALE, HISTORY;
- ``data_date`` the newest bar's session (equities when there are any, else crypto) and
  ``last_session`` the session that bar would have to be from (at least) to be current.

The market clock and the FOMC countdown belong to ``now``: with old data they are not shown as if
they applied to the bars (the header drops them; the scan says "now" next to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.snapshot import Snapshot

LABELS = {"live": "LIVE", "sample": "SAMPLE", "stored": "STORED", "stale": "STALE",
          "history": "HISTORY"}


@dataclass(frozen=True)
class Freshness:
    """How current a snapshot's data is at ``now`` (see the module docstring)."""

    state: str
    current: bool
    data_date: date
    last_session: date
    now: datetime

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def today(self) -> date:
        """``now``'s date in New York (the market's day)."""
        from analysis.market import ET

        return self.now.astimezone(ET).date() if self.now.tzinfo else self.now.date()

    def date_text(self, short: bool = False) -> str:
        """The data's date: "2025-12-31"; ``short`` drops the year only when it is today."""
        if short and self.data_date == self.today:
            return f"{self.data_date:%m-%d}"
        return f"{self.data_date:%Y-%m-%d}"


def last_session(symbol: str, now: datetime) -> date:
    """The oldest session a current bar of ``symbol`` may be from at ``now``: the last session
    that closed (NYSE; crypto: yesterday, UTC)."""
    from analysis.sources.intraday import session_state

    return session_state(symbol, now).last_closed


def is_current(symbol: str, day: date, now: datetime) -> bool:
    """True when a bar of ``symbol`` dated ``day`` is from the current or the last session."""
    return day >= last_session(symbol, now)


def freshness(snapshot: Snapshot, now: datetime | None = None, *,
              history: bool = False) -> Freshness:
    """The freshness of ``snapshot`` at ``now`` (default: its market clock's time, i.e. when it
    was computed). ``history``: the snapshot was evaluated as of a past date on purpose."""
    from analysis.symbols import is_crypto

    now = now or snapshot.market.clock.now
    facts = list(snapshot.symbols.values())
    equities = [f for f in facts if not is_crypto(f.symbol)]
    judged = equities or facts
    if judged:
        newest = max(judged, key=lambda f: f.asof)
        day, symbol = newest.asof, newest.symbol
    else:
        day, symbol = snapshot.asof, "SPY"
    expected = last_session(symbol, now)
    current = day >= expected
    if history:
        state = "history"
    elif current:
        state = "live"
    else:
        source = snapshot.source
        state = {"sample": "sample", "store": "stored"}.get(source, "stale")
    return Freshness(state, current, day, expected, now)
