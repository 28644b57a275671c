"""Relative strength of a symbol against a benchmark: ratio line, changes, new highs, Mansfield RS,
and the rotation quadrant (RS-ratio and RS-momentum as rolling z-scores)."""

from __future__ import annotations

from dataclasses import dataclass

QUADRANTS = ("leading", "weakening", "lagging", "improving")


@dataclass(frozen=True)
class RelativeStrength:
    """RS of ``symbol`` against ``benchmark`` as of the last common bar.

    ``ratio`` is close / benchmark close; changes are the ratio's % change over 21/63/126 sessions;
    ``new_high`` is True when the ratio closed above every earlier value; ``mansfield`` is
    (ratio / its 200-session mean - 1) x 100; ``rs_ratio`` and ``rs_momentum`` are centred on 100;
    ``quadrant`` is one of QUADRANTS; ``trend`` is "up", "down" or "flat" (ratio vs its 50-session
    mean). Any value the history is too short for is None.
    """

    symbol: str
    benchmark: str
    ratio: float
    change_1m: float | None
    change_3m: float | None
    change_6m: float | None
    new_high: bool
    mansfield: float | None
    rs_ratio: float | None
    rs_momentum: float | None
    quadrant: str | None
    trend: str
