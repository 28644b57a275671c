"""Alerts a trader sets: a condition on one symbol, checked on every refresh.

Conditions: the price at or above a level, at or below one, within N% of the breakout level
(the pivot, or the resistance zone the state is measured against), the volume pace at least N x,
or the breakout state reached (breaking, confirmed, failed). An alert fires when its condition
holds in the new snapshot and did not hold in the previous one, so it never repeats while the
condition holds; ``once`` alerts are then done, ``every`` alerts fire again the next time the
condition comes back. ``alert_events`` is pure: snapshots and alerts in, events out.

The typed form (``parse_alert``) is what the alert prompt accepts: ``above 67.07``,
``below 60``, ``pivot 2``, ``pace 1.5``, ``breaking`` / ``confirmed`` / ``failed``, each
optionally followed by ``every`` (default: once).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.symbols import validate_symbol

if TYPE_CHECKING:
    from analysis.events import Event
    from analysis.snapshot import Snapshot, SymbolFacts

CONDITIONS: tuple[str, ...] = ("above", "below", "pivot", "pace", "state")
STATES: tuple[str, ...] = ("breaking", "confirmed", "failed")
MAX_ALERTS = 200
FORMS = "above 67.5 · below 60 · pivot 2 (within 2%) · pace 1.5 · breaking / confirmed / failed"
"""The typed forms, in words, for the prompt."""


class AlertError(ValueError):
    """A typed alert that cannot be understood; the message says what is accepted."""


@dataclass(frozen=True)
class UserAlert:
    """``condition`` is one of CONDITIONS; ``value`` the level, the percent or the pace ratio
    (None for a state); ``state`` the breakout state for "state"; ``every``: fire each time the
    condition comes back (else once, then the alert is done). ``id`` is unique in the state."""

    id: str
    symbol: str
    condition: str
    value: float | None = None
    state: str | None = None
    every: bool = False

    def describe(self) -> str:
        """'KRE above 67.07', 'KRE within 2% of its breakout level', 'KRE confirmed'."""
        v = self.value
        text = {
            "above": f"{self.symbol} at or above {v:,.2f}" if v is not None else "",
            "below": f"{self.symbol} at or below {v:,.2f}" if v is not None else "",
            "pivot": f"{self.symbol} within {v:g}% of its breakout level" if v is not None else "",
            "pace": f"{self.symbol} volume pace at least {v:g}x" if v is not None else "",
            "state": f"{self.symbol} {self.state}",
        }[self.condition]
        return text + (" (every time)" if self.every else " (once)")


def _number(word: str, what: str) -> float:
    try:
        value = float(word.replace(",", ""))
    except ValueError:
        raise AlertError(f"'{word}' is not a number ({what}); try: {FORMS}") from None
    if not math.isfinite(value) or value <= 0:
        raise AlertError(f"{what} must be a positive number, not {word}")
    return value


def parse_alert(symbol: str, text: str, alert_id: str) -> UserAlert:
    """The alert typed as ``text`` for ``symbol``; raises AlertError saying what is accepted."""
    sym = validate_symbol(symbol)
    words = text.strip().lower().split()
    every = bool(words) and words[-1] in ("every", "always", "repeat")
    if words and words[-1] in ("every", "always", "repeat", "once"):
        words = words[:-1]
    if not words:
        raise AlertError(f"type a condition: {FORMS}")
    head, rest = words[0], words[1:]
    if head in STATES and not rest:
        return UserAlert(alert_id, sym, "state", None, head, every)
    if head in ("above", "below", "pivot", "pace") and len(rest) == 1:
        what = {"above": "a price level", "below": "a price level", "pivot": "a percent",
                "pace": "a volume pace (x the average)"}[head]
        value = _number(rest[0].rstrip("%x"), what)
        if head == "pivot" and value > 50:
            raise AlertError("within at most 50% of the breakout level")
        return UserAlert(alert_id, sym, head, value, None, every)
    raise AlertError(f"'{text.strip()}' is not an alert; try: {FORMS}")


def holds(alert: UserAlert, facts: SymbolFacts | None) -> bool:
    """Whether the alert's condition is true of ``facts`` (False when the symbol has none)."""
    if facts is None:
        return False
    v = alert.value
    if alert.condition == "above":
        return v is not None and facts.last >= v
    if alert.condition == "below":
        return v is not None and facts.last <= v
    bo = facts.breakout
    if alert.condition == "pivot":
        return bo is not None and v is not None and abs(bo.pct_vs_level) <= v
    if alert.condition == "pace":
        return facts.volume_pace is not None and v is not None and facts.volume_pace >= v
    if alert.condition == "state":
        return bo is not None and bo.state == alert.state
    return False


def _message(alert: UserAlert, facts: SymbolFacts) -> str:
    sym, v = alert.symbol, alert.value
    if alert.condition == "above":
        return f"{sym} at {facts.last:,.2f}: at or above your {v:,.2f}"
    if alert.condition == "below":
        return f"{sym} at {facts.last:,.2f}: at or below your {v:,.2f}"
    bo = facts.breakout
    if alert.condition == "pivot" and bo is not None:
        return (f"{sym} at {facts.last:,.2f} is {abs(bo.pct_vs_level):.1f}% from its "
                f"{bo.level_source} {bo.level:,.2f} (your {v:g}%)")
    if alert.condition == "pace":
        return f"{sym} volume pace {facts.volume_pace:.1f}x (your {v:g}x)"
    return f"{sym} is {alert.state} (your alert)"


def alert_events(previous: Snapshot | None, current: Snapshot,
                 alerts: Sequence[UserAlert]) -> tuple[Event, ...]:
    """One "alert" event per alert whose condition holds in ``current`` and did not in
    ``previous`` (none for the first snapshot, none for a symbol the previous one lacked).
    ``data`` carries the alert's id, so the caller can retire the ``once`` alerts that fired."""
    from analysis.events import Event

    if previous is None:
        return ()
    out: list[Event] = []
    for alert in alerts:
        now = current.symbols.get(alert.symbol)
        before = previous.symbols.get(alert.symbol)
        if before is None or not holds(alert, now) or holds(alert, before):
            continue
        assert now is not None
        out.append(Event("alert", alert.symbol, current.asof, current.fetched_at,
                         _message(alert, now),
                         {"alert": alert.id, "condition": alert.condition,
                          "value": alert.value, "state": alert.state, "price": now.last}))
    return tuple(out)


def fired_ids(events: Iterable[Event]) -> frozenset[str]:
    """The ids of the alerts that fired among ``events``."""
    return frozenset(str(e.data.get("alert")) for e in events if e.kind == "alert")


def retire(alerts: Sequence[UserAlert], fired: Iterable[str]) -> tuple[UserAlert, ...]:
    """The alerts left once the ``once`` alerts among ``fired`` are done."""
    gone = set(fired)
    return tuple(a for a in alerts if a.every or a.id not in gone)


def next_id(alerts: Sequence[UserAlert]) -> str:
    """A new id: one more than the largest numeric id in use."""
    used = [int(a.id) for a in alerts if a.id.isdigit()]
    return str(max(used, default=0) + 1)


# ---- the state file -----------------------------------------------------------------------------

def alert_to_json(alert: UserAlert) -> dict[str, Any]:
    return {"id": alert.id, "symbol": alert.symbol, "condition": alert.condition,
            "value": alert.value, "state": alert.state, "every": alert.every}


def alert_from_json(raw: Mapping[str, Any]) -> UserAlert:
    """Inverse of alert_to_json; ValueError (or SymbolError) for an entry that is not an alert."""
    if not isinstance(raw, Mapping):
        raise ValueError("an alert must be an object")
    condition = raw.get("condition")
    if condition not in CONDITIONS:
        raise ValueError(f"unknown alert condition {condition!r}")
    value, state = raw.get("value"), raw.get("state")
    if condition == "state":
        if state not in STATES:
            raise ValueError(f"unknown breakout state {state!r}")
        value = None
    elif (not isinstance(value, int | float) or isinstance(value, bool)
          or not math.isfinite(value) or value <= 0):
        raise ValueError(f"alert value {value!r} is not a positive number")
    else:
        state = None
    return UserAlert(str(raw.get("id") or ""), validate_symbol(raw.get("symbol")), condition,
                     None if value is None else float(value), state, bool(raw.get("every")))
