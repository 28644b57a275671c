"""The chart cursor: one bar picked with the arrow keys, what it held, and the column marking it.

``bar_info`` reads a bar of a price view (its last session, open, high, low, close, volume, and
the change of its close from the previous bar's close); ``cursor_text`` says it in one line for
the legend; ``cursor_cells`` is the dotted column drawn under the bars. ``step_cursor`` moves the
cursor by date, so it stays on the same session when the timeframe or the aggregation changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tui.chart.cells import Cells
    from tui.chart.data import PriceView


@dataclass(frozen=True)
class BarInfo:
    """One drawn bar: ``day`` its last session (intraday: its start time), ``period`` its length
    ("daily", "weekly", "3-week", "5-min"), OHLC and volume as aggregated, ``change_pct`` its
    close vs the previous drawn bar's close (None for the first bar in view)."""

    day: date | datetime
    period: str
    open: float
    high: float
    low: float
    close: float
    volume: float
    change_pct: float | None


def cursor_index(labels: pd.DatetimeIndex, when: date | None) -> int | None:
    """Index of the bar holding session ``when`` (the first labelled on or after it; the last
    bar for a later date; a time: the bar starting at or before it); None without a cursor or
    bars."""
    if when is None or len(labels) == 0:
        return None
    if isinstance(when, datetime):
        import pandas as pd

        stamp = pd.Timestamp(when)
        stamp = stamp.tz_localize(labels.tz) if stamp.tz is None else stamp.tz_convert(labels.tz)
        return min(max(int(labels.searchsorted(stamp, side="right")) - 1, 0), len(labels) - 1)
    days = np.asarray(labels.date)
    return min(int(np.searchsorted(days, when, side="left")), len(days) - 1)


def step_cursor(labels: pd.DatetimeIndex, when: date | None, move: str,
                intraday: bool = False) -> date | None:
    """The cursor's session after ``move``: "left", "right" (one bar; the first press puts the
    cursor on the last bar), "first" or "last"; ``intraday``: the bar's start time."""
    n = len(labels)
    if n == 0:
        return None
    i = cursor_index(labels, when)
    if move == "first":
        i = 0
    elif move == "last" or i is None:
        i = n - 1
    else:
        i = min(max(i + (-1 if move == "left" else 1), 0), n - 1)
    return labels[i].to_pydatetime() if intraday else labels[i].date()


def bar_info(view: PriceView, i: int) -> BarInfo:
    """The bar at index ``i`` of the view."""
    frame = view.frame
    row = frame.iloc[i]
    prev = float(frame["close"].iloc[i - 1]) if i > 0 else None
    close = float(row["close"])
    change = (close / prev - 1.0) * 100.0 if prev else None
    label = frame.index[i]
    return BarInfo(label.to_pydatetime() if view.intraday is not None else label.date(),
                   view.period, float(row["open"]), float(row["high"]),
                   float(row["low"]), close, float(row["volume"]), change)


def cursor_text(info: BarInfo, narrow: bool = False) -> str:
    """'Tue 2025-12-09  O 64.20  H 65.10  L 63.90  C 64.81  V 12.3M  +1.2%' (a weekly bar says
    'week to Fri 2025-12-12', an intraday one 'Tue 10:35 5-min'); ``narrow``:
    '12-09 O64.20 H65.10 L63.90 C64.81 V12.3M +1.2%' (intraday: '10:35 O64.20 ...')."""
    from tui.chart.data import compact
    from tui.format import pct, price

    timed = isinstance(info.day, datetime)
    if narrow:
        volume = f" V{compact(info.volume)}" if info.volume > 0 else ""
        day = f"{info.day:%H:%M}" if timed else f"{info.day:%m-%d}"
        return (f"{day} O{price(info.open)} H{price(info.high)} L{price(info.low)} "
                f"C{price(info.close)}{volume} {pct(info.change_pct)}")
    when = f"{info.day:%a %Y-%m-%d}"
    if timed:
        when = f"{info.day:%a %H:%M} {info.period}"
    elif info.period == "weekly":
        when = f"week to {when}"
    elif info.period != "daily" and not info.period.endswith("min"):
        when = f"{info.period} to {when}"
    volume = f"  V {compact(info.volume)}" if info.volume > 0 else ""
    return (f"{when}  O {price(info.open)}  H {price(info.high)}  L {price(info.low)}  "
            f"C {price(info.close)}{volume}  {pct(info.change_pct)}")


def cursor_cells(i: int, n: int, width: int, height: int) -> Cells:
    """A dotted column at bar ``i`` under everything drawn (fills blank cells only)."""
    from tui.chart.cells import Cells, columns_of  # noqa: F811  (the class, at run time)

    col = int(columns_of(np.array([i]), n, width)[0])
    rows = np.arange(height)
    return Cells(np.full(rows.size, col), rows, np.full(rows.size, "┊", object),
                 np.full(rows.size, "stale", object), "under")
