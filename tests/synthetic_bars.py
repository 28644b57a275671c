"""Constructed daily bars for the pivot/zone/base/breakout tests: textbook shapes from a close path.

Every bar has high = close x 1.005 and low = close x 0.995 (so the shapes' highs and lows are
known exactly), US session dates (business days from 2020-01-02) and a volume per bar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.bars import normalize_bars

SPREAD = 0.005


def bars_from(closes, volume=None, start: str = "2020-01-02") -> pd.DataFrame:
    closes = np.asarray(closes, dtype="float64")
    n = len(closes)
    vol = np.full(n, 1_000_000.0) if volume is None else np.asarray(volume, dtype="float64")
    idx = pd.bdate_range(start, periods=n)
    raw = pd.DataFrame(
        {
            "Open": closes,
            "High": closes * (1 + SPREAD),
            "Low": closes * (1 - SPREAD),
            "Close": closes,
            "Volume": vol,
        },
        index=idx,
    )
    return normalize_bars(raw)


def line(a: float, b: float, n: int) -> np.ndarray:
    """n closes from just after a to b."""
    return np.linspace(a, b, n + 1)[1:]


def uptrend(n: int = 150, start: float = 60.0, top: float = 100.0) -> np.ndarray:
    return np.linspace(start, top, n)


def u_cup(left: float, bottom: float, right: float, n: int) -> np.ndarray:
    """A U (parabola) from just after the left high down to ``bottom`` and up to ``right``."""
    x = np.linspace(-1, 1, n + 1)[1:]
    half = n // 2
    out = np.empty(n)
    out[:half] = bottom + (left - bottom) * x[:half] ** 2
    out[half:] = bottom + (right - bottom) * x[half:] ** 2
    return out


def cup_with_handle(
    depth_bottom: float = 75.0,
    right: float = 97.0,
    handle_low: float = 92.0,
    cup_sessions: int = 60,
    handle_sessions: int = 10,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Closes and volumes of uptrend -> left high 100 -> U cup -> handle drifting down on light
    volume. Returns (closes, volume, marks) with the positions of the left high and handle start."""
    up = uptrend()
    cup = u_cup(100.0, depth_bottom, right, cup_sessions)
    handle = line(right, handle_low, handle_sessions)
    closes = np.concatenate([up, cup, handle])
    volume = np.full(len(closes), 1_000_000.0)
    volume[len(up) + len(cup) :] = 600_000.0
    marks = {"left": len(up) - 1, "right": len(up) + len(cup) - 1, "end": len(closes) - 1}
    return closes, volume, marks


def active_base(bars: pd.DataFrame, rules=None):
    """The best base still forming as of the last bar, or None."""
    from analysis.facts.bases import find_bases

    return next((b for b in find_bases(bars, rules) if b.status == "forming"), None)
