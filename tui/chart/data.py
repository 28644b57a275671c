"""What the drill-down chart draws, prepared as plain arrays: no plotext, no Textual.

The bars of a timeframe are cut at the snapshot's as-of session (nothing later is ever drawn),
aggregated so that there is at most about one bar per column (daily, then weekly: weeks
ending Friday, then groups of whole weeks), and given explicit ticks. Every
aggregated bar is labelled with the last session it holds. ``prepare_price`` and ``prepare_rs``
return the views the chart widgets draw; ``tui.chart.cells`` turns a view into characters on the
canvas and ``tui.chart.levels`` the snapshot's facts into levels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tui.chart.levels import Levels, price_range
from tui.keys.drilldown import TIMEFRAMES as TIMEFRAMES  # re-exported

if TYPE_CHECKING:
    import pandas as pd

MODES: tuple[str, ...] = ("candles", "line", "ohlc")
MONTHS: dict[str, int] = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36, "5Y": 60}
MA_WINDOWS: tuple[int, ...] = (50, 200)
VOLUME_LABEL_WIDTH = 6  # "180.5M": the price and volume panels share one label width
CLOSE_LINE_TIMEFRAMES: tuple[str, ...] = ("6M", "1Y")
"""Timeframes whose daily bars, when too many for candles, are drawn as a daily close line rather
than as weekly candles (longer ones are aggregated)."""


# --------------------------------------------------------------------------- slicing, aggregation


def window(bars: pd.DataFrame, asof: date | None, timeframe: str) -> pd.DataFrame:
    """Daily bars of the timeframe ending at the ``asof`` session (later bars are dropped)."""
    import pandas as pd

    from analysis.bars import upto

    cut = upto(bars, asof)
    if cut.empty:
        return cut
    start = cut.index[-1] - pd.DateOffset(months=MONTHS[timeframe])
    return cut[cut.index > start]


@dataclass(frozen=True)
class Aggregated:
    """Bars to draw: ``frame`` (the bar-frame columns, indexed by each bar's last session),
    ``period`` in words ("daily", "weekly", "3-week") and ``weeks`` per bar (0 for daily)."""

    frame: pd.DataFrame
    period: str
    weeks: int


_COLUMNS = ("open", "high", "low", "close", "volume", "adj_close")


def week_numbers(index: pd.DatetimeIndex) -> np.ndarray:
    """Number of the Friday-ending week of each bar (`analysis.days.week_numbers`, the weeks the
    bases are measured in), on the bars' own wall-clock dates."""
    from analysis.days import week_numbers as weeks_of_days
    from analysis.facts.clean import day_numbers

    return weeks_of_days(day_numbers(index))


def group_bars(frame: pd.DataFrame, key: np.ndarray) -> pd.DataFrame:
    """One bar per run of equal ``key`` (sorted): first open, highest high, lowest low, last close
    and adjusted close, summed volume; labelled with the group's last session."""
    import pandas as pd

    key = np.asarray(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], key.size] - 1
    cols = {c: frame[c].to_numpy(dtype=float) for c in _COLUMNS}
    data = {
        "open": cols["open"][starts],
        "high": np.maximum.reduceat(cols["high"], starts),
        "low": np.minimum.reduceat(cols["low"], starts),
        "close": cols["close"][ends],
        "volume": np.add.reduceat(cols["volume"], starts),
        "adj_close": cols["adj_close"][ends],
    }
    return pd.DataFrame(data, index=frame.index[ends].rename("date"))


def aggregate(daily: pd.DataFrame, columns: int) -> Aggregated:
    """At most ``max(columns, 1)`` bars: daily if they fit, else weekly, else groups of k weeks.

    Weekly bars: weeks ending Friday, first open, highest high, lowest low, last close, summed
    volume (the tests hold them equal to pandas' ``resample("W-FRI")``), computed with numpy,
    because the chart is rebuilt on the UI thread. Groups of k weeks
    are anchored to a fixed epoch (week number // k), so a bar does not change when later
    sessions arrive; every bar is labelled with the last session in it.
    """
    columns = max(int(columns), 1)
    if len(daily) <= columns:
        return Aggregated(daily, "daily", 0)
    week_no = week_numbers(daily.index)
    weeks = int(np.count_nonzero(np.diff(week_no))) + 1
    if weeks <= columns:
        return Aggregated(group_bars(daily, week_no), "weekly", 1)
    k = math.ceil(weeks / columns)
    while len(np.unique(week_no // k)) > columns:
        k += 1
    return Aggregated(group_bars(daily, week_no // k), f"{k}-week", k)


def sample_at(series: pd.Series, labels: pd.DatetimeIndex) -> np.ndarray:
    """Values of a daily series at the bar labels (each bar's last session); NaN where missing."""
    if series.empty or len(labels) == 0:
        return np.full(len(labels), np.nan)
    return series.reindex(labels).to_numpy(dtype=float)


def moving_averages(bars: pd.DataFrame, asof: date | None, labels: pd.DatetimeIndex
                    ) -> dict[int, np.ndarray]:
    """The 50- and 200-session simple moving averages of the close, taken at the bar labels.

    Computed on the whole history up to ``asof``, so the first bars of a short timeframe have them.
    """
    import pandas as pd

    from analysis.bars import upto
    from analysis.facts.ranges import trailing_mean

    closes = upto(bars, asof)["close"]
    values = closes.to_numpy(dtype=float)
    return {w: sample_at(pd.Series(trailing_mean(values, w), index=closes.index), labels)
            for w in MA_WINDOWS}


# --------------------------------------------------------------------------- ticks and labels


@dataclass(frozen=True)
class Ticks:
    """Explicit tick positions (bar numbers or prices) and their labels."""

    positions: tuple[float, ...]
    labels: tuple[str, ...]


def nice_ticks(lo: float, hi: float, max_ticks: int) -> tuple[float, ...]:
    """Round-number ticks within [lo, hi] (steps of 1, 2, 2.5 or 5 x 10^n): the coarsest step that
    gives at most ``max_ticks``, made finer while fewer than two would show."""
    max_ticks = max(int(max_ticks), 2)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return (lo,) if math.isfinite(lo) else ()
    raw = (hi - lo) / (max_ticks - 1)
    mag = 10 ** math.floor(math.log10(raw))
    steps = [m * mag * 10 ** e for e in (-1, 0) for m in (1, 2, 2.5, 5)] + [10 * mag]
    i = next(i for i, st in enumerate(steps) if st >= raw)
    while True:
        step = steps[i]
        first = math.ceil(lo / step - 1e-9) * step
        ticks = np.arange(first, hi + step * 1e-9, step)
        if len(ticks) >= 2 or i == 0:
            break
        i -= 1
    return tuple(float(round(t, 10)) for t in ticks[:max_ticks])


def price_labels(ticks: Sequence[float]) -> tuple[str, ...]:
    """Price tick labels with as many decimals as the step needs, thousands separated."""
    if not ticks:
        return ()
    step = min((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=abs(ticks[0]) or 1)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 2
    decimals = min(decimals, 6)
    return tuple(f"{t:,.{decimals}f}" for t in ticks)


def compact(value: float) -> str:
    """12345678 -> '12.3M' (volume, large numbers)."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= div:
            return f"{value / div:.1f}{suffix}"
    return f"{value:.0f}"


def date_ticks(labels: pd.DatetimeIndex, timeframe: str, columns: int) -> Ticks:
    """x ticks at calendar boundaries: weeks (1M), months (3M-1Y), quarters (3Y), years (5Y).

    A tick sits on the first bar of a new period; January shows the year. Ticks are thinned so
    their labels never touch.
    """
    n = len(labels)
    if n < 2:
        return Ticks((), ())
    naive = labels.tz_localize(None)
    if timeframe == "1M":
        key = naive.to_period("W").asi8
    elif timeframe in ("3M", "6M", "1Y"):
        key = naive.year * 12 + naive.month - 1
    elif timeframe == "3Y":
        key = naive.year * 4 + (naive.month - 1) // 3
    else:
        key = naive.year
    key = np.asarray(key)
    starts = np.flatnonzero(key[1:] != key[:-1]) + 1
    if timeframe == "1M":
        text = [naive[i].strftime("%b %d") for i in starts]
    elif timeframe == "5Y":
        text = [naive[i].strftime("%Y") for i in starts]
    else:
        text = [naive[i].strftime("%Y") if naive[i].month == 1 else naive[i].strftime("%b")
                for i in starts]
    if not text:
        return Ticks((), ())
    keep = _thin(starts, text, n, columns, {"3Y": 4}.get(timeframe, 12))
    return Ticks(tuple(float(starts[i]) for i in keep), tuple(text[i] for i in keep))


def _thin(starts: np.ndarray, text: Sequence[str], n: int, columns: int,
          per_year: int) -> range:
    """Which ticks to keep so their labels never touch: every ``step``-th, where a step is a
    divisor of ``per_year`` (months: 1, 2, 3, 4, 6, 12) or a multiple of it, counted from a tick
    that starts a year, so the years stay on the axis ("2024 Jul 2025 Jul", never "Apr Oct")."""
    per_bar = max(columns, 1) / n
    width = max(len(t) for t in text) + 2
    steps = [d for d in range(1, per_year + 1) if per_year % d == 0]
    steps += [per_year * k for k in range(2, len(starts) // per_year + 2)]
    years = [i for i, t in enumerate(text) if t.isdigit()]
    for step in steps:
        first = years[0] % step if years else 0
        kept = starts[first::step]
        if len(kept) < 2 or min(np.diff(kept)) * per_bar >= width:
            return range(first, len(starts), step)
    return range(years[0] if years else 0, len(starts), len(starts))


# --------------------------------------------------------------------------- the views


@dataclass(frozen=True)
class PriceView:
    """Everything the price chart draws for one timeframe and size (no rendering done here).

    ``frame`` holds the aggregated bars, ``period`` their length in words; ``ylim`` and ``yticks``
    fit the bars and any level near them; ``ma`` maps 50/200 to arrays aligned with ``frame``;
    ``vol_ticks`` labels the volume panel. ``canvas_width`` is the width the bars were fitted to.
    """

    symbol: str
    timeframe: str
    mode: str
    frame: pd.DataFrame
    period: str
    canvas_width: int
    ylim: tuple[float, float]
    yticks: Ticks
    xticks: Ticks
    ma: dict[int, np.ndarray]
    levels: Levels
    vol_ticks: Ticks
    label_width: int
    tz: str
    close_line: bool = False  # daily bars too many for candles: drawn as a line of the closes
    intraday: Any = None  # 1D / 5D: tui.chart.intraday.IntradayExtras (sessions, VWAP, ...)

    @property
    def n(self) -> int:
        return len(self.frame)

    @property
    def has_volume(self) -> bool:
        return bool(self.n) and float(self.frame["volume"].max()) > 0


def label_width(labels: Sequence[str]) -> int:
    return max((len(s) for s in labels), default=1)


def prepare_price(bars: pd.DataFrame, asof: date | None, timeframe: str, width: int,
                  height: int, *, levels: Levels | None = None, mode: str = "candles",
                  symbol: str = "") -> PriceView:
    """Slice, aggregate to the canvas width and tick the price panel of a ``width`` x ``height``
    chart (the canvas is narrower by the y labels and the frame)."""
    levels = levels or Levels()
    daily = window(bars, asof, timeframe)
    tz = str(bars.index.tz) if len(bars.index) else "UTC"
    if daily.empty:
        empty = Ticks((), ())
        return PriceView(symbol, timeframe, mode, daily, "daily", max(width - 3, 1), (0.0, 1.0),
                         empty, empty, {}, levels, empty, 1, tz)
    # The y range does not depend on the aggregation, so the labels (and so the canvas width) can
    # be known before choosing it.
    ylim = price_range(daily, levels)
    rows = max(height - 3, 2)
    yt = nice_ticks(ylim[0], ylim[1], max(2, min(8, rows // 3)))
    ylabels = price_labels(yt)
    lw = max(label_width(ylabels), VOLUME_LABEL_WIDTH)
    canvas = max(width - lw - 2, 1)
    agg = aggregate(daily, canvas)
    close_line = bool(agg.weeks) and mode != "line" and timeframe in CLOSE_LINE_TIMEFRAMES
    if close_line:  # a line needs no column per bar: the sessions stay daily
        agg = Aggregated(daily, "daily", 0)
    frame = agg.frame
    mas = moving_averages(bars, asof, frame.index)
    vol_top = float(frame["volume"].max())  # of a close line: each column's mean (PriceChart)
    vt = Ticks((vol_top,), (compact(vol_top),)) if vol_top > 0 else Ticks((), ())
    return PriceView(
        symbol=symbol,
        timeframe=timeframe,
        mode=mode,
        frame=frame,
        period=agg.period,
        canvas_width=canvas,
        ylim=ylim,
        yticks=Ticks(yt, ylabels),
        xticks=date_ticks(frame.index, timeframe, canvas),
        ma=mas,
        levels=levels,
        vol_ticks=vt,
        label_width=lw,
        tz=tz,
        close_line=close_line,
    )


@dataclass(frozen=True)
class RSView:
    """The relative-strength panel: the ratio line at the bar labels, where it made new highs, and
    ticks. ``line`` is aligned with ``labels``."""

    symbol: str
    benchmark: str
    labels: pd.DatetimeIndex
    line: np.ndarray
    new_high: np.ndarray
    ylim: tuple[float, float]
    yticks: Ticks
    xticks: Ticks
    canvas_width: int


def rs_new_highs(ratio: pd.Series) -> pd.Series:
    """True where the ratio closed above every earlier value (the first value is not a high)."""
    prior = ratio.cummax().shift(1)
    return (ratio > prior).fillna(False).astype(bool)


def prepare_rs(bars: pd.DataFrame, bench: pd.DataFrame, asof: date | None, timeframe: str,
               width: int, height: int, *, symbol: str = "", benchmark: str = "") -> RSView:
    """The ratio line of ``bars`` against ``bench`` for the timeframe, one value per price bar.

    The ratio and its new highs come from the whole history up to ``asof`` (a new high is against
    every earlier ratio, not just the visible ones); values are taken at the same bar labels as
    the price chart, and a bar is marked when any session in it made a new high.
    """
    from analysis.bars import upto
    from analysis.facts.strength import rs_line

    ratio = rs_line(upto(bars, asof), upto(bench, asof)).dropna()
    daily = window(bars, asof, timeframe)
    empty = Ticks((), ())
    if ratio.empty or daily.empty:
        return RSView(symbol, benchmark, daily.index, np.zeros(0), np.zeros(0, bool), (0.0, 1.0),
                      empty, empty, max(width - 3, 1))
    highs = rs_new_highs(ratio)
    shown = ratio[ratio.index >= daily.index[0]]
    if shown.empty:
        shown = ratio.iloc[-1:]
    lo, hi = float(shown.min()), float(shown.max())
    pad = (hi - lo) * 0.05 or abs(hi) * 0.01 or 1.0
    ylim = (lo - pad, hi + pad)
    yt = nice_ticks(ylim[0], ylim[1], max(2, min(5, (height - 2) // 2)))
    labels = price_labels(yt)
    canvas = max(width - label_width(labels) - 2, 1)
    frame = aggregate(daily, canvas).frame
    line = ratio.reindex(frame.index).ffill().to_numpy(float)
    # A bar is marked when a session inside it (after the previous label) made a new high.
    bins = frame.index.searchsorted(highs.index, side="left")
    in_view = (highs.index >= daily.index[0]) & (bins < len(frame))
    marked = np.zeros(len(frame), bool)
    marked[bins[in_view & highs.to_numpy()]] = True
    return RSView(symbol, benchmark, frame.index, line, marked, ylim, Ticks(yt, labels),
                  date_ticks(frame.index, timeframe, canvas), canvas)

