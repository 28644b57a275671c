"""The one toast a refresh's events get: a single event's message, or one line per kind
("5 breakouts: XLF, KRE, …"; the alerts you set, one line each), most important kind first, each
line cut to the toast's width.
The dashboard replaces the previous event toast with it, so toasts never pile up over the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.format import truncate

if TYPE_CHECKING:
    from analysis.events import Event

TOAST_ORDER: dict[str, int] = {
    "alert": -1, "confirmed": 0, "breaking": 1, "failed": 2, "race": 3, "fomc": 4, "new_ath": 5,
    "new_intraday_ath": 6, "near": 7, "extended": 8, "streak": 9,
}
"""Which kinds a toast names first when several arrive at once."""

OWN_LINE = frozenset({"alert"})
"""Kinds whose events each get their own line (an alert you set says its own condition)."""

KIND_NAMES: dict[str, tuple[str, str]] = {
    "alert": ("alert", "alerts"),
    "confirmed": ("confirmed breakout", "confirmed breakouts"),
    "breaking": ("breakout", "breakouts"),
    "failed": ("failed breakout", "failed breakouts"),
    "race": ("race decided", "races decided"),
    "fomc": ("FOMC", "FOMC"),
    "new_ath": ("new closing ATH", "new closing ATHs"),
    "new_intraday_ath": ("intraday ATH", "intraday ATHs"),
    "near": ("near its pivot", "near their pivots"),
    "extended": ("extended", "extended"),
    "streak": ("streak milestone", "streak milestones"),
}
"""A kind as the toast says it: (one, several)."""


def kind_name(kind: str, count: int) -> str:
    one, many = KIND_NAMES.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
    return one if count == 1 else many


def toast_text(events: Sequence[Event], width: int, max_lines: int = 5) -> tuple[str, str]:
    """(title, body) of the toast for one refresh's events, every line at most ``width``
    characters and at most ``max_lines`` lines (the last says how many kinds did not fit);
    ``max_lines`` 1: no title and one line ("9 events: 6 near their pivots, 3 streak …")."""
    width = max(width, 12)
    if max_lines == 1:
        return "", truncate(one_line(events), width)
    if len(events) == 1:
        event = events[0]
        return (truncate(kind_name(event.kind, 1).upper(), width),
                truncate(event.message, width * max_lines))
    kinds = sorted({e.kind for e in events}, key=lambda k: TOAST_ORDER.get(k, len(TOAST_ORDER)))
    lines = []
    for kind in kinds:
        same = [e for e in events if e.kind == kind]
        who = [e.symbol for e in same if e.symbol]
        if kind in OWN_LINE:
            lines.extend(truncate(e.message, width) for e in same)
        elif who:
            names = ", ".join(dict.fromkeys(who))
            lines.append(truncate(f"{len(same)} {kind_name(kind, len(same))}: {names}", width))
        else:
            lines.append(truncate(same[-1].message, width))
    if len(lines) > max_lines:
        rest = len(lines) - (max_lines - 1)
        lines = [*lines[: max_lines - 1], truncate(f"+{rest} more in the Events pane (4)",
                                                   width)]
    return truncate(f"{len(events)} events", width), "\n".join(lines)


def one_line(events: Sequence[Event]) -> str:
    """A refresh's events in one line: the message of a single event, else the count per kind."""
    if len(events) == 1:
        return events[0].message
    kinds = sorted({e.kind for e in events}, key=lambda k: TOAST_ORDER.get(k, len(TOAST_ORDER)))
    counts = [sum(e.kind == kind for e in events) for kind in kinds]
    parts = [f"{n} {kind_name(kind, n)}" for kind, n in zip(kinds, counts, strict=True)]
    return f"{len(events)} events: {', '.join(parts)}"
