"""One truth per symbol for every view: the status of the watched base follows the breakout
state, and one rule picks the resistance zone overhead. Free of numpy, so the panes can use it
while they paint a cached snapshot before the data libraries load.

`find_bases` gives each base a lifecycle status of its own ("forming", "broken_out", "failed"),
read from the first close above its pivot. The breakout state machine reads the same pivot with
its own rules and knows about later attempts (XLF on 2025-12-31: the first attempt failed, the
second is breaking out). Two answers side by side would contradict each other, so the snapshot
keeps one: the watched base (``bases[0]``, whose pivot is the breakout level) takes the status
that its breakout state implies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

# What these rules read of a base, a breakout and a zone, as protocols: this module imports none
# of the modules that define them (zones and breakout use it).


class _Base(Protocol):
    pivot: float
    status: str


class _Breakout(Protocol):
    state: str
    level: float


class _Zone(Protocol):
    kind: str
    low: float
    high: float


B = TypeVar("B", bound=_Base)
Z = TypeVar("Z", bound=_Zone)

BROKEN_OUT_STATES = frozenset({"breaking", "confirmed", "extended"})


def base_status(state: str) -> str:
    """The base status a breakout state implies: "broken_out" while breaking out, confirmed or
    extended, "failed" when failed, else "forming" (the price is in or under the base)."""
    if state in BROKEN_OUT_STATES:
        return "broken_out"
    return "failed" if state == "failed" else "forming"


def with_state(bases: tuple[B, ...], breakout: _Breakout | None) -> tuple[B, ...]:
    """``bases`` with the watched one's status set from ``breakout`` when the breakout is
    measured against its pivot; unchanged otherwise (no base, or a resistance zone's level)."""
    if not bases or breakout is None or abs(bases[0].pivot - breakout.level) > 1e-9:
        return bases
    status = base_status(breakout.state)
    if bases[0].status == status:
        return bases
    return (replace(bases[0], status=status), *bases[1:])  # type: ignore[type-var]


def nearest_overhead(zones: Sequence[Z], price: float,
                     kinds: tuple[str, ...] = ("resistance",)) -> Z | None:
    """The zone of ``kinds`` whose top is above ``price`` and closest to it (the price may be
    inside the band: then it is "testing" that zone; at the top exactly, it is not overhead). Of
    two equally close, the lower top. None when nothing is overhead. The sector pane, the
    drill-down, the chart, the scan table and the breakout state's fallback level all use it."""
    above = [z for z in zones if z.kind in kinds and z.high > price]
    if not above:
        return None
    return min(above, key=lambda z: (max(z.low - price, 0.0), z.high))
