"""RS rating 1-99: where a member's weighted year of price change ranks within its universe (the
usual approximation of IBD's Relative Strength Rating).

Score: ``0.4*r63 + 0.2*r126 + 0.2*r189 + 0.2*r252``, where ``rN = close[-1] / close[-1-N] - 1`` is
the change of the close over the last N sessions (bars). A member with fewer than 253 bars has no
score and no rating, and does not count in the ranking.

Rating: among the n members with a score, let L be how many score strictly lower and E how many
others score the same. Then ``p = (L + E/2) / (n - 1)`` (0 for the lowest, 1 for the highest; tied
members share the midpoint of their ranks) and ``rating = 1 + floor(98*p + 1/2)``, computed in whole
numbers as ``1 + (98*(2L + E) + (n - 1)) // (2*(n - 1))``: 99 for the best, 1 for the worst. A lone
member (n = 1) is rated as if tied with itself: 50.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

RS_WEIGHTS: tuple[tuple[int, float], ...] = ((63, 0.4), (126, 0.2), (189, 0.2), (252, 0.2))
MIN_BARS = 253  # close[-1-252] must exist


def rs_score(close: np.ndarray) -> float | None:
    """The weighted change of the closes (oldest first); None with fewer than 253 of them."""
    if len(close) < MIN_BARS:
        return None
    last = float(close[-1])
    return float(sum(w * (last / float(close[-1 - n]) - 1.0) for n, w in RS_WEIGHTS))


def rs_ratings(scores: Mapping[str, float]) -> dict[str, int]:
    """Symbol -> RS rating 1-99 of every symbol with a score (see the module's definition)."""
    names = list(scores)
    if not names:
        return {}
    values = np.array([scores[s] for s in names], dtype=float)
    n = len(values)
    if n == 1:
        return {names[0]: 50}
    ordered = np.sort(values)
    lower = np.searchsorted(ordered, values, "left")
    ties = np.searchsorted(ordered, values, "right") - lower - 1
    ratings = 1 + (98 * (2 * lower + ties) + (n - 1)) // (2 * (n - 1))
    return dict(zip(names, (int(r) for r in ratings), strict=True))
