"""Record highs: all-time closing and intraday highs, new-ATH flags, and the prior-cycle peak.

Definitions (DESIGN.md, "Definitions that must not drift"):

- A new closing (intraday) ATH is a close (high) strictly above every earlier close (high) in the
  data. The first bar has nothing earlier to beat, so it is never a *new* ATH (a single bar: False).
  The data may start after the true record: the UI says "high since ``first_date``".
- ``sessions_since_record`` counts sessions since the last new closing ATH, i.e. since the first
  session that closed at the current all-time closing high (0: the last bar set it). When no bar
  ever beat the first one, it counts from the first bar.
- The prior-cycle peak: drawdown is measured close-to-close from the running peak close. The most
  recent drawdown of at least ``drawdown_pct`` % is found (the last session at or beyond the
  threshold below its running peak); its peak — the highest close before that drawdown began — is
  the prior-cycle peak, dated by the session that first closed at it. None when the data holds no
  such drawdown. While a drawdown that deep is still going on, the peak is the one it started from.

Rows without a finite positive close are ignored; a missing high counts as the close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_date
from analysis.facts.pivots import frame_arrays

if TYPE_CHECKING:
    import pandas as pd



@dataclass(frozen=True)
class RecordHighs:
    """Record-high facts of one symbol as of its last bar.

    ``first_date`` is the first bar in the data: where the data may start after the true record,
    the UI says "high since <first_date>". Percentages are in % (``pct_from_ath`` <= 0).
    The prior-cycle peak is the highest close before the start of the most recent drawdown of at
    least the threshold (20% by default); None when the data holds no such drawdown.
    """

    first_date: date
    ath_close: float
    ath_close_date: date
    ath_high: float
    ath_high_date: date
    new_closing_ath: bool
    new_intraday_ath: bool
    pct_from_ath: float
    sessions_since_record: int
    prior_cycle_peak: float | None
    prior_cycle_peak_date: date | None
    pct_vs_prior_cycle_peak: float | None


def record_mask(values: np.ndarray) -> np.ndarray:
    """True where a value is strictly above every earlier value (the first is never a record)."""
    out = np.zeros(len(values), dtype=bool)
    if len(values) > 1:
        out[1:] = values[1:] > np.maximum.accumulate(values)[:-1]
    return out




def record_highs(bars: pd.DataFrame, drawdown_pct: float = 20.0) -> RecordHighs | None:
    """Record-high facts as of the last bar; None when there is no usable bar.

    ``drawdown_pct`` (0 < x < 100, else ValueError) is the depth that ends a cycle.
    """
    if not 0.0 < drawdown_pct < 100.0:
        raise ValueError(f"drawdown_pct must be between 0 and 100, got {drawdown_pct}")
    a = frame_arrays(bars)
    close, high, day = a.close, a.high, a.day
    n = len(close)
    if n == 0:
        return None
    i_close = int(np.argmax(close))  # first session at the all-time closing high
    i_high = int(np.argmax(high))
    last = close[-1]
    # a new record beats every earlier bar: the first maximum is the last bar
    new_close = n > 1 and i_close == n - 1
    new_high = n > 1 and i_high == n - 1

    peak = peak_date = vs_peak = None
    running = np.maximum.accumulate(close)
    deep = np.flatnonzero(close <= running * (1.0 - drawdown_pct / 100.0))
    if deep.size:
        level = running[deep[-1]]
        at = int(np.searchsorted(running, level, side="left"))
        peak, peak_date = float(level), to_date(day[at])
        vs_peak = float((last / level - 1.0) * 100.0)

    return RecordHighs(
        first_date=to_date(day[0]),
        ath_close=float(close[i_close]),
        ath_close_date=to_date(day[i_close]),
        ath_high=float(high[i_high]),
        ath_high_date=to_date(day[i_high]),
        new_closing_ath=new_close,
        new_intraday_ath=new_high,
        pct_from_ath=float((last / close[i_close] - 1.0) * 100.0),
        sessions_since_record=n - 1 - i_close,
        prior_cycle_peak=peak,
        prior_cycle_peak_date=peak_date,
        pct_vs_prior_cycle_peak=vs_peak,
    )
