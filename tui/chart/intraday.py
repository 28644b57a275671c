"""The intraday timeframes of the drill-down chart (1D, 5D) from 5-minute bars, as plain arrays.

``prepare_intraday`` cuts the minute frame (``analysis.sources.minute_bars``) to the last session
(1D) or five (5D), groups it into bars of k minutes (5, 10, 15, 30, 60, 120, 240: the finest that
fits the canvas, never mixing pre-market, regular and after-hours bars in one), and returns a
``PriceView`` whose ``intraday`` says which bars are outside regular hours (shaded), the day's VWAP
at the end of each bar (``analysis.facts.session_vwap``, on the 5-minute bars) and the prior close.
Each bar is labelled with its start time. Only the pivot, its buy zone and the resistance zone are
drawn across; the base, breakouts and moving averages are daily things and are left out.
``intraday_cells`` turns the shading and the prior close into cells.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tui.keys.drilldown import INTRADAY_TIMEFRAMES as INTRADAY_TIMEFRAMES  # re-exported

if TYPE_CHECKING:
    import pandas as pd

    from tui.chart.cells import Cells
    from tui.chart.data import PriceView
    from tui.chart.levels import Levels

SESSION_DAYS: dict[str, int] = {"1D": 1, "5D": 5}
STEPS_MIN: tuple[int, ...] = (5, 10, 15, 30, 60, 120, 240)
_CODES = {"pre": 0, "regular": 1, "post": 2}


@dataclass(frozen=True)
class MinuteInput:
    """What the intraday chart is given: the minute frame, the prior close (from the daily bars)
    and ``note``, why the bars are not live ("" when they are)."""

    frame: pd.DataFrame
    prior_close: float | None
    note: str = ""


@dataclass(frozen=True)
class IntradayExtras:
    """Per drawn bar: ``extended`` (True outside regular hours), ``vwap`` (NaN where none) and
    ``day`` (its session date number, to break the VWAP line between days); ``prior_close``."""

    extended: np.ndarray
    vwap: np.ndarray
    day: np.ndarray
    prior_close: float | None
    step_min: int


def last_sessions(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    """The bars of the last ``days`` session dates of a minute frame."""
    if frame.empty:
        return frame
    dates = np.asarray(frame.index.tz_localize(None).normalize())
    unique = np.unique(dates)
    return frame[dates >= unique[-min(days, unique.size)]]


def group_minutes(frame: pd.DataFrame, columns: int) -> tuple[pd.DataFrame, int, np.ndarray]:
    """Bars of k minutes (the finest of ``STEPS_MIN`` giving at most ``columns`` bars), each
    labelled with its start; also k and the index of each group's last 5-minute bar."""
    from tui.chart.data import group_bars

    minutes = frame.index.tz_localize(None).as_unit("s").asi8 // 60
    code = frame["session"].map(_CODES).to_numpy(int)
    for k in STEPS_MIN:
        key = (minutes // k) * 3 + code
        if np.count_nonzero(np.diff(key)) + 1 <= max(columns, 1) or k == STEPS_MIN[-1]:
            break
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], key.size] - 1
    grouped = group_bars(frame.assign(adj_close=frame["close"]), key)
    grouped.index = frame.index[starts].rename("time")
    grouped["session"] = frame["session"].to_numpy()[starts]
    return grouped, k, ends


def minute_ticks(labels: pd.DatetimeIndex, timeframe: str, columns: int):
    """1D: full hours ("10:00"); 5D: the first bar of each day ("Tue 09"), never touching."""
    from tui.chart.data import Ticks

    n = len(labels)
    if n < 2:
        return Ticks((), ())
    naive = labels.tz_localize(None)
    key = np.asarray(naive.hour if timeframe == "1D" else naive.normalize().asi8)
    starts = np.flatnonzero(key[1:] != key[:-1]) + 1
    fmt = "%H:%M" if timeframe == "1D" else "%a %d"
    text = [naive[i].strftime(fmt) for i in starts]
    if not text:
        return Ticks((), ())
    per_bar = max(columns, 1) / n
    step = 1
    while step < len(starts) and len(starts[::step]) > 1 and (
            min(np.diff(starts[::step])) * per_bar < len(text[0]) + 2):
        step += 1
    keep = range(0, len(starts), step)
    return Ticks(tuple(float(starts[i]) for i in keep), tuple(text[i] for i in keep))


def prepare_intraday(data: MinuteInput | None, timeframe: str, width: int, height: int, *,
                     levels: Levels | None = None, mode: str = "candles",
                     symbol: str = "") -> PriceView:
    """The price view of an intraday timeframe (see the module docstring)."""
    from analysis.facts.session_vwap import session_vwap
    from tui.chart import data as cd
    from tui.chart.levels import Levels, price_range

    levels = dataclasses.replace(levels or Levels(), base=None, breakouts=(), failures=())
    frame = last_sessions(data.frame, SESSION_DAYS[timeframe]) if data is not None else None
    empty = cd.Ticks((), ())
    if frame is None or frame.empty:
        from analysis.bars import empty_bars

        tz = str(frame.index.tz) if frame is not None else "UTC"
        return cd.PriceView(symbol, timeframe, mode, empty_bars(tz), "5-min",
                            max(width - 3, 1), (0.0, 1.0), empty, empty, {}, levels, empty, 1, tz)
    prior = data.prior_close
    ylim = price_range(frame, levels, () if prior is None else (prior,))
    yt = cd.nice_ticks(ylim[0], ylim[1], max(2, min(8, max(height - 3, 2) // 3)))
    ylabels = cd.price_labels(yt)
    lw = max(cd.label_width(ylabels), cd.VOLUME_LABEL_WIDTH)
    canvas = max(width - lw - 2, 1)
    bars, k, ends = group_minutes(frame, canvas)
    vwap = session_vwap(frame)[ends]
    days = np.asarray(bars.index.tz_localize(None).normalize().asi8)
    extras = IntradayExtras((bars["session"] != "regular").to_numpy(), vwap, days, prior, k)
    top = float(bars["volume"].max())
    period = f"{k}-min" if k < 60 else f"{k // 60}-hour"
    return cd.PriceView(
        symbol=symbol, timeframe=timeframe, mode=mode, frame=bars, period=period,
        canvas_width=canvas, ylim=ylim, yticks=cd.Ticks(yt, ylabels),
        xticks=minute_ticks(bars.index, timeframe, canvas), ma={}, levels=levels,
        vol_ticks=cd.Ticks((top,), (cd.compact(top),)) if top > 0 else empty,
        label_width=lw, tz=str(frame.index.tz), intraday=extras)


def vwap_segments(view: PriceView) -> list[tuple[list[int], list[float]]]:
    """(x, y) runs of the VWAP line: one per day, only where it has a value."""
    extra = view.intraday
    if extra is None:
        return []
    out = []
    for day in np.unique(extra.day):
        x = np.flatnonzero((extra.day == day) & np.isfinite(extra.vwap))
        if x.size > 1:
            out.append((x.tolist(), extra.vwap[x].astype(float).tolist()))
    return out


def intraday_cells(view: PriceView, width: int, height: int, overlays: bool = True
                   ) -> list[Cells]:
    """Pre/after-market shading (a background tint of their columns; without tints, a ░ on the
    bottom row) and, with ``overlays``, the prior close across (╌)."""
    from tui.chart.cells import _cells, clip_cells, columns_of, hline_cells

    extra = view.intraday
    if extra is None or view.n == 0:
        return []
    out = []
    xs = np.flatnonzero(extra.extended)
    if xs.size and width > 0:
        n, ext = view.n, extra.extended
        centres = columns_of(np.arange(n), n, width)
        col = np.arange(width)
        p = np.clip(np.searchsorted(centres, col, side="right") - 1, -1, n - 1)
        on_bar = (p >= 0) & (centres[np.maximum(p, 0)] == col)
        before = np.where(p >= 0, ext[np.maximum(p, 0)], ext[0])  # the bar left of the column
        after = ext[np.minimum(p + 1, n - 1)]  # and the one right of it
        cols = col[np.where(on_bar, before, before & after)]
        cc, rr = np.meshgrid(cols, np.arange(height))
        chars = np.where(rr.ravel() == 0, "░", " ")
        out.append(_cells(cc.ravel(), rr.ravel(), chars, "stale", "back"))
    prior = extra.prior_close
    if overlays and prior is not None and math.isfinite(prior):
        out.append(hline_cells(prior, -0.5, view.n, view.ylim, width, height, "╌", "stale"))
    return [clip_cells(c, width, height) for c in out if len(c)]
