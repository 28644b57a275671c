"""How healthy the feed is, in one word for code and one short line for the header.

``FetchResult.status`` (carried to ``Snapshot.status``) is one of:

- "live": the source answered for every symbol it knows (also the plain value for sources that
  are not live by nature: sample, csv, store — the source name says what they are);
- "delayed": Yahoo answered, but some symbols could not be refreshed this time and show older
  bars;
- "rate_limited": Yahoo refused every request with HTTP 429; the last good data stays;
- "offline": Yahoo could not be reached (network, DNS, timeouts, server errors); the last good
  data stays;
- "waiting": the dashboard's quick start: Yahoo has not answered its first fetch yet (it goes on
  in the background), stored bars or the sample are shown meanwhile.

``FetchResult.note`` starts with the header line — "offline since 10:42 — stored bars",
"rate limited since 10:42 — stored bars, retrying", "delayed: 3 symbols stale (KRE, XLF, SPY from
stored bars)", "waiting for Yahoo since 10:42 — stored bars" — then, after "; ", why (Yahoo's
reason in plain words) and any store warning. Times are local wall-clock time, with the date when
it is not today. Recovery is automatic: the next refresh that gets through is "live" again and the
"since" starts over at the next outage.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

STATUSES = ("live", "delayed", "rate_limited", "offline", "waiting")
_WORDS = {"rate_limited": "rate limited", "offline": "offline", "waiting": "waiting for Yahoo"}


def clock_words(when: datetime, now: datetime) -> str:
    """``when`` as local wall-clock time: "10:42", or "Dec 09 10:42" when not on ``now``'s day."""
    local, today = when.astimezone(), now.astimezone()
    return f"{local:%H:%M}" if local.date() == today.date() else f"{local:%b %d %H:%M}"


def names(symbols: Sequence[str], limit: int = 6) -> str:
    """"A, B, C" — at most ``limit`` names, then "and N more"."""
    shown = ", ".join(symbols[:limit])
    return shown + (f" and {len(symbols) - limit} more" if len(symbols) > limit else "")


def down_note(status: str, since: datetime, now: datetime, showing: str, why: str,
              extra: Sequence[str] = ()) -> str:
    """"offline since 10:42 — stored bars; <why>; <extra>..." (rate limited: ", retrying")."""
    head = f"{_WORDS.get(status, status)} since {clock_words(since, now)} — {showing}"
    if status == "rate_limited":
        head += ", retrying"
    return "; ".join([head, *([why] if why else []), *extra])


def delayed_note(stale: Sequence[str], served: str, why: str, extra: Sequence[str] = ()) -> str:
    """"delayed: 3 symbols stale (KRE, XLF, SPY from stored bars); <why>; <extra>..."."""
    n = len(stale)
    head = f"delayed: {n} symbol{'s' * (n != 1)} stale ({served or names(sorted(stale))})"
    return "; ".join([head, *([why] if why else []), *extra])


def is_rate_limit(why: str) -> bool:
    """True for Yahoo's HTTP 429 answer, as ``yfcall.plain`` words it (or raw)."""
    low = why.lower()
    return "rate-limit" in low or "rate limit" in low or "429" in low or "too many requests" in low
