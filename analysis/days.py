"""Day numbers, the calendar the facts compute on: int64 days since 1970-01-01 (the ``day`` of
`analysis.facts.pivots.frame_arrays`, from `analysis.facts.clean.day_numbers`). One conversion to
dates, and one week numbering, that every fact and the chart use."""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1).toordinal()


def to_date(day: int | np.integer) -> date:
    """A day number as a date."""
    return date.fromordinal(EPOCH + int(day))


def to_dates(days: np.ndarray | list[int]) -> list[date]:
    """Day numbers as dates."""
    return [date.fromordinal(EPOCH + d) for d in np.asarray(days, dtype=np.int64).tolist()]


def week_numbers(days: np.ndarray) -> np.ndarray:
    """The week of each day number, weeks ending on Friday (Saturday starts the next), counted
    from the week that ends Friday 1970-01-02 (day 1)."""
    return (np.asarray(days, dtype=np.int64) + 5) // 7
