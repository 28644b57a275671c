"""Record highs: all-time closing and intraday highs, new-ATH flags, and the prior-cycle peak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
