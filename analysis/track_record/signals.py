"""The signals the dashboard would have raised for one symbol, day by day on the bars up to each
day only: the breakout state of every session (`analysis.history.daily_states`, the same answer
as `breakout_state` on the bars cut at that session) and the event each change raises
(`analysis.facts.breakout.event_kind`).

Signal kinds: ``breakout <level>`` when an attempt starts (breaking, confirmed or extended entered
from below, near, back in the base or failed; ``<level>`` is the base kind whose pivot it cleared
or ``zone``), then ``confirmed`` and ``extended`` entered later in an attempt, ``near`` and
``failed``. The naive baseline: a close above the prior 252-session highest close after at least
20 sessions without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.bases import KINDS, BaseRules
from analysis.facts.breakout import BreakoutRules, signal_of
from analysis.facts.clean import day_numbers
from analysis.facts.level_kinds import level_kind

if TYPE_CHECKING:
    import pandas as pd

LEVEL_KINDS = (*KINDS, "zone")
SIGNAL_KINDS = (*(f"breakout {k}" for k in LEVEL_KINDS), "confirmed", "extended", "near", "failed")
BASELINE_KIND = "naive 52-week high"
NAIVE_LOOKBACK = 252
NAIVE_QUIET = 20


@dataclass(frozen=True)
class RawSignal:
    """A signal at session index ``i`` of the usable bars, before its outcome is known.
    ``base_start``: the session index of the base's left-side high (-1 for a zone)."""

    i: int
    kind: str
    level: float
    quality: int | None
    depth_pct: float | None
    base_start: int


def symbol_signals(good: pd.DataFrame, i0: int, i1: int, rules: BaseRules,
                   breakout: BreakoutRules | None = None) -> list[RawSignal]:
    """Every signal of sessions ``i0`` .. ``i1`` of the usable bars ``good``."""
    from analysis.history import daily_states

    out: list[RawSignal] = []
    prev = None
    day = day_numbers(good.index)
    for i, found, state in daily_states(good, i0, i1, rules, breakout):
        sig = signal_of(prev, state)
        if sig is not None and state is not None:
            base = found[0] if found and level_kind(state.level_source) != "zone" else None
            start = -1
            if base is not None:
                start = int(np.searchsorted(day, base.start.toordinal() - 719163))
            out.append(RawSignal(i, sig, state.level, base.quality if base else None,
                                 base.depth_pct if base else None, start))
        prev = state
    return out


def naive_signals(close: np.ndarray, i0: int, i1: int) -> np.ndarray:
    """Session indexes in ``i0`` .. ``i1`` of the naive baseline: a close above the highest close
    of the 252 sessions before it, the first after at least 20 sessions without one."""
    n = len(close)
    if n <= NAIVE_LOOKBACK:
        return np.zeros(0, dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(close[:-1], NAIVE_LOOKBACK)
    prior = np.full(n, np.inf)
    prior[NAIVE_LOOKBACK:] = windows.max(axis=1)
    new_high = close > prior
    # sessions since the previous new high (inf before any)
    idx = np.arange(n)
    last = np.maximum.accumulate(np.where(new_high, idx, -1))
    prev_last = np.r_[-1, last[:-1]]
    quiet = np.where(prev_last >= 0, idx - prev_last, NAIVE_QUIET + 1) > NAIVE_QUIET
    hits = np.flatnonzero(new_high & quiet)
    return hits[(hits >= i0) & (hits <= i1)]
