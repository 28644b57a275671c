"""One truth per symbol: the status of the watched base follows the breakout state.

`find_bases` gives each base a lifecycle status of its own ("forming", "broken_out", "failed"),
read from the first close above its pivot. The breakout state machine reads the same pivot with
its own rules and knows about later attempts (XLF on 2025-12-31: the first attempt failed, the
second is breaking out). Two answers side by side would contradict each other, so the snapshot
keeps one: the watched base (``bases[0]``, whose pivot is the breakout level) takes the status
that its breakout state implies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.facts.bases import Base
    from analysis.facts.breakout import Breakout

BROKEN_OUT_STATES = frozenset({"breaking", "confirmed", "extended"})


def base_status(state: str) -> str:
    """The base status a breakout state implies: "broken_out" while breaking out, confirmed or
    extended, "failed" when failed, else "forming" (the price is in or under the base)."""
    if state in BROKEN_OUT_STATES:
        return "broken_out"
    return "failed" if state == "failed" else "forming"


def with_state(bases: tuple[Base, ...], breakout: Breakout | None) -> tuple[Base, ...]:
    """``bases`` with the watched one's status set from ``breakout`` when the breakout is
    measured against its pivot; unchanged otherwise (no base, or a resistance zone's level)."""
    if not bases or breakout is None or abs(bases[0].pivot - breakout.level) > 1e-9:
        return bases
    status = base_status(breakout.state)
    if bases[0].status == status:
        return bases
    return (replace(bases[0], status=status), *bases[1:])
