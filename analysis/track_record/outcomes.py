"""What followed a signal, with bounded windows (percent units, from the signal session's close):

- ``r5``, ``r21``, ``r63``: close ``h`` sessions later / the signal close - 1 (None without ``h``
  later sessions);
- ``max_rise_63``: the highest high of the next 63 sessions / the signal close - 1 (None without
  63 later sessions);
- ``failed``: a low ``STOP_PCT`` (8%) under the signal close came before a high ``TARGET_PCT``
  (5%) above it, within 63 sessions (the same session counts as the stop first); False when the
  target came first or neither within 63 sessions; None when fewer than 63 sessions followed and
  neither has happened yet.
"""

from __future__ import annotations

import numpy as np

HORIZONS = (5, 21, 63)
WINDOW = 63
STOP_PCT = 8.0
TARGET_PCT = 5.0


def forward_returns(close: np.ndarray, h: int) -> np.ndarray:
    """Per session: close ``h`` sessions later / close - 1, in % (NaN at the end)."""
    out = np.full(len(close), np.nan)
    if len(close) > h:
        out[:-h] = (close[h:] / close[:-h] - 1.0) * 100.0
    return out


def _windows(values: np.ndarray, at: np.ndarray, fill: float) -> np.ndarray:
    """[len(at), WINDOW]: values of the WINDOW sessions after each index (``fill`` past the end)."""
    padded = np.r_[values, np.full(WINDOW, fill)]
    return padded[at[:, None] + 1 + np.arange(WINDOW)[None, :]]


def outcomes(close: np.ndarray, high: np.ndarray, low: np.ndarray, at: np.ndarray
             ) -> dict[str, np.ndarray]:
    """The outcomes of signals at session indexes ``at`` (arrays, NaN for None; ``failed`` as
    1.0 / 0.0 / NaN)."""
    at = np.asarray(at, dtype=np.int64)
    n = len(close)
    c0 = close[at]
    out = {f"r{h}": forward_returns(close, h)[at] for h in HORIZONS}
    full = at + WINDOW < n
    hi = _windows(high, at, -np.inf)
    lo = _windows(low, at, np.inf)
    out["max_rise_63"] = np.where(full, (hi.max(axis=1) / c0 - 1.0) * 100.0, np.nan)
    stop = lo <= c0[:, None] * (1.0 - STOP_PCT / 100.0)
    target = hi >= c0[:, None] * (1.0 + TARGET_PCT / 100.0)
    first_stop = np.where(stop.any(axis=1), stop.argmax(axis=1), WINDOW)
    first_target = np.where(target.any(axis=1), target.argmax(axis=1), WINDOW)
    decided = (first_stop < WINDOW) | (first_target < WINDOW) | full
    failed = (first_stop < WINDOW) & (first_stop <= first_target)
    out["failed"] = np.where(decided, failed.astype(float), np.nan)
    return out
