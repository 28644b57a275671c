"""The reference-high race: who first trades above their own high of a reference session.

Rules (DESIGN.md): each runner's level is its high on the reference session (crypto: the UTC day
bar of that date). A runner crosses on the first session *strictly after* the start date — and
after the reference date — whose high is strictly above its level; a session on or before the start
never counts (the race is set up on the start date, so that day's move is part of the setup, not
of the race). The winner is the runner with the earliest crossing date; two or more crossing on the
same calendar date are a tie. ``distance_pct`` is (last high / level - 1) x 100: negative while a
runner is below its level. A runner without a bar on the reference date (or without bars at all)
makes the race "invalid", with a note saying which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.clean import highs, usable

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class RaceEntry:
    """One runner: its level (high of the reference session), when it first traded above that level
    after the start (None: not yet), and how far its last high is from the level (%)."""

    symbol: str
    level: float | None
    crossed_on: date | None
    distance_pct: float | None


@dataclass(frozen=True)
class RaceResult:
    """``winner`` is the first runner to cross after ``start`` (ties: both crossed the same session,
    winner is None and ``status`` is "tie"); ``won_on`` is the date of that first crossing (for a
    tie too); ``status`` is "running", "won", "tie" or "invalid" (with ``note`` saying why, e.g.
    no bar on the reference date)."""

    reference_date: date
    start: date
    entries: tuple[RaceEntry, ...]
    winner: str | None
    won_on: date | None
    status: str
    note: str = ""


def as_date(value: date | datetime | str | pd.Timestamp) -> date:
    """A calendar date from a date, datetime, Timestamp or ISO string (ValueError if not one)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    import pandas as pd

    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a date: {value!r}") from exc


def _day_start(index: pd.DatetimeIndex, day: date) -> pd.Timestamp:
    import pandas as pd

    return pd.Timestamp(day).tz_localize(index.tz) if index.tz is not None else pd.Timestamp(day)


def _runner(bars: pd.DataFrame | None, symbol: str, ref: date, after: date) -> RaceEntry | str:
    """The runner's entry, or a note saying why it cannot race."""
    if bars is None:
        return f"no bars for {symbol}"
    good = usable(bars)
    if len(good) == 0:
        return f"no bars for {symbol}"
    idx = good.index
    lo = idx.searchsorted(_day_start(idx, ref), side="left")
    hi = idx.searchsorted(_day_start(idx, ref + timedelta(days=1)), side="left")
    if hi <= lo:
        return f"{symbol} has no bar on {ref.isoformat()}"
    high = highs(good)
    level = float(high[lo:hi].max())
    first = idx.searchsorted(_day_start(idx, after + timedelta(days=1)), side="left")
    above = np.flatnonzero(high[first:] > level)
    crossed = idx[first + above[0]].date() if above.size else None
    return RaceEntry(symbol, level, crossed, float((high[-1] / level - 1.0) * 100.0))


def reference_race(
    bars_by_symbol: Mapping[str, pd.DataFrame],
    symbols: Sequence[str],
    reference_date: date | datetime | str,
    start: date | datetime | str,
) -> RaceResult:
    """Who first trades above their own high of ``reference_date`` after ``start``.

    ``bars_by_symbol`` should end at the as-of session; nothing after it is looked at.
    """
    ref, begin = as_date(reference_date), as_date(start)
    after = max(ref, begin)
    entries: list[RaceEntry] = []
    notes: list[str] = []
    for sym in symbols:
        got = _runner(bars_by_symbol.get(sym), sym, ref, after)
        if isinstance(got, str):
            notes.append(got)
            entries.append(RaceEntry(sym, None, None, None))
        else:
            entries.append(got)
    if not symbols:
        notes.append("no runners")
    if notes:
        return RaceResult(ref, begin, tuple(entries), None, None, "invalid", "; ".join(notes))
    crossings = [e.crossed_on for e in entries if e.crossed_on is not None]
    if not crossings:
        return RaceResult(ref, begin, tuple(entries), None, None, "running")
    first = min(crossings)
    leaders = [e.symbol for e in entries if e.crossed_on == first]
    if len(leaders) > 1:
        note = f"{' and '.join(leaders)} crossed on the same day"
        return RaceResult(ref, begin, tuple(entries), None, first, "tie", note)
    return RaceResult(ref, begin, tuple(entries), leaders[0], first, "won")
