"""A sparkline as a string of block characters (▁▂▃▄▅▆▇█), sized to fit one table cell."""

from __future__ import annotations

import math
from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], width: int) -> str:
    """The last ``width`` values scaled between their own low (▁) and high (█).

    A flat series is drawn at mid height; non-finite values become a space.
    """
    if width <= 0 or not values:
        return ""
    tail = list(values)[-width:]
    finite = [v for v in tail if math.isfinite(v)]
    if not finite:
        return " " * len(tail)
    lo, hi = min(finite), max(finite)
    span = hi - lo
    top = len(BLOCKS) - 1
    out = []
    for v in tail:
        if not math.isfinite(v):
            out.append(" ")
        elif span <= 0:
            out.append(BLOCKS[top // 2])
        else:
            out.append(BLOCKS[round((v - lo) / span * top)])
    return "".join(out)
