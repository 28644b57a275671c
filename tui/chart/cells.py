"""Cells: the characters the drill-down charts put on plotext's canvas, computed with numpy.

A cell is (column, row, character, role) on a canvas of known size, with the same column and row
mapping plotext uses for its ticks and lines, so what is drawn here lines up with the axes. Candles,
OHLC bars and volume are "over" cells; lines and outlines are "under" cells (they fill only blank
cells); a band is "back" cells (a background tint). No plotext, no Textual.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tui.chart.data import PriceView

_VOLUME_BLOCKS = np.array(list(" ▁▂▃▄▅▆▇█"))


# --------------------------------------------------------------------------- canvas geometry


def columns_of(x: np.ndarray, n: int, width: int) -> np.ndarray:
    """Canvas column of bar positions ``x`` when n bars span ``width`` columns (plotext's mapping
    with xlim = (-0.5, n - 0.5))."""
    x = np.asarray(x, dtype=float)
    if width <= 1 or n <= 0:
        return np.zeros(x.shape, dtype=int)
    return np.floor(np.round(0.5 + (width - 1) * (x + 0.5) / n, 8)).astype(int)


def rows_of(y: np.ndarray, ylim: tuple[float, float], height: int) -> np.ndarray:
    """Canvas row (0 = bottom) of values ``y`` (plotext's mapping for ylim)."""
    y = np.asarray(y, dtype=float)
    lo, hi = ylim
    if height <= 1 or hi <= lo:
        return np.zeros(y.shape, dtype=int)
    return np.floor(np.round(0.5 + (height - 1) * (y - lo) / (hi - lo), 8)).astype(int)


@dataclass(frozen=True)
class Cells:
    """Characters to put on the canvas: column, row (0 = bottom), character and role (a semantic
    colour name such as "up", "down", "pivot", "zone", "base", "breakout", "ath").

    ``layer`` says how they land: "over" overwrites (bars, markers), "under" only fills blank
    cells (lines and outlines), "back" tints the background of the cells and keeps what is drawn
    there (a band; where a tint cannot be shown, its characters fill the blank cells instead)."""

    cols: np.ndarray
    rows: np.ndarray
    chars: np.ndarray
    roles: np.ndarray
    layer: str = "over"

    def __len__(self) -> int:
        return int(self.cols.size)


def _cells(cols, rows, chars, roles, layer: str = "over") -> Cells:
    cols = np.asarray(cols, dtype=int)
    n = cols.size
    return Cells(cols, np.asarray(rows, dtype=int),
                 np.broadcast_to(np.asarray(chars, dtype=object), (n,)).copy(),
                 np.broadcast_to(np.asarray(roles, dtype=object), (n,)).copy(), layer)


def _spans(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i, every integer from lo[i] to hi[i]: (owner index, value) arrays."""
    counts = np.maximum(hi - lo + 1, 0)
    owner = np.repeat(np.arange(lo.size), counts)
    starts = np.cumsum(counts) - counts
    offset = np.arange(counts.sum()) - np.repeat(starts, counts)
    return owner, lo[owner] + offset


def body_width(n: int, width: int) -> int:
    """Odd width (1, 3 or 5 columns) of a candle body when n bars share ``width`` columns."""
    per_bar = width / max(n, 1)
    return 5 if per_bar >= 8 else 3 if per_bar >= 4 else 1


def candle_cells(frame: pd.DataFrame, ylim: tuple[float, float], width: int, height: int,
                 mode: str = "candles") -> Cells:
    """Candles (wick and body) or OHLC bars, one column per bar (wider bodies when there is room).

    Role "up" when the close is at or above the open, else "down".
    """
    n = len(frame)
    if n == 0 or width < 1 or height < 1:
        return _cells([], [], "", "")
    o, h, lo, c = (frame[k].to_numpy(float) for k in ("open", "high", "low", "close"))
    col = columns_of(np.arange(n), n, width)
    r_lo, r_hi = rows_of(lo, ylim, height), rows_of(h, ylim, height)
    r_o, r_c = rows_of(o, ylim, height), rows_of(c, ylim, height)
    up = c >= o
    owner, rows = _spans(r_lo, r_hi)
    role = np.where(up, "up", "down")
    if mode == "ohlc":
        bw = body_width(n, width)
        if bw == 1:
            is_o, is_c = rows == r_o[owner], rows == r_c[owner]
            chars = np.select([is_o & is_c, is_o, is_c], ["┼", "┤", "├"], "│")
            return _cells(col[owner], rows, chars, role[owner])
        ticks_o = _cells(col - 1, r_o, "╴", role)
        ticks_c = _cells(col + 1, r_c, "╶", role)
        wick = _cells(col[owner], rows, "│", role[owner])
        return concat(wick, ticks_o, ticks_c)
    b_lo, b_hi = np.minimum(r_o, r_c), np.maximum(r_o, r_c)
    in_body = (rows >= b_lo[owner]) & (rows <= b_hi[owner])
    wick = _cells(col[owner], rows, np.where(in_body, "█", "│"), role[owner])
    half = body_width(n, width) // 2
    if half == 0:
        return wick
    b_owner, b_rows = _spans(b_lo, b_hi)
    extra = [_cells(col[b_owner] + d, b_rows, "█", role[b_owner])
             for d in range(-half, half + 1) if d]
    return concat(wick, *extra)


def volume_columns(frame: pd.DataFrame, width: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per drawn volume bar: its column, volume, first open and last close. One per bar; where
    bars outnumber the columns, one per column with the mean volume of its bars."""
    n = len(frame)
    vol = frame["volume"].to_numpy(float) if n else np.zeros(0)
    opens, closes = (frame[k].to_numpy(float) if n else np.zeros(0) for k in ("open", "close"))
    col = columns_of(np.arange(n), n, width)
    if n > width > 0:
        col, first = np.unique(col, return_index=True)
        last = np.r_[first[1:], n] - 1
        vol = np.add.reduceat(np.nan_to_num(vol), first) / (last - first + 1)
        opens, closes = opens[first], closes[last]
    return col, vol, opens, closes


def volume_cells(frame: pd.DataFrame, width: int, height: int) -> Cells:
    """Volume bars from the bottom row, in eighths of a row, coloured like their candle. Where
    several bars share a column (a daily close line), the column shows their mean volume, coloured
    by their net move (first open to last close)."""
    col, vol, opens, closes = volume_columns(frame, width)
    n = col.size
    top = np.nanmax(vol) if n else 0.0
    if n == 0 or not top > 0 or height < 1:
        return _cells([], [], "", "")
    eighths = np.round(np.nan_to_num(vol / top) * height * 8).astype(int)
    full, part = eighths // 8, eighths % 8
    role = np.where(closes >= opens, "up", "down")
    owner, rows = _spans(np.zeros(n, int), full - 1)
    solid = _cells(col[owner], rows, "█", role[owner])
    has = np.flatnonzero(part > 0)
    tips = _cells(col[has], full[has], _VOLUME_BLOCKS[part[has]], role[has])
    return concat(solid, tips)


def hline_cells(level: float, x0: float, n: int, ylim: tuple[float, float], width: int,
                height: int, char: str, role: str) -> Cells:
    """A horizontal line at ``level`` from bar ``x0`` to the right edge (annotation)."""
    if not _inside(level, ylim):
        return _cells([], [], "", "")
    c0 = int(columns_of(np.array([max(x0, -0.5)]), n, width)[0])
    cols = np.arange(max(c0, 0), width)
    row = int(rows_of(np.array([level]), ylim, height)[0])
    return _cells(cols, np.full(cols.size, row), char, role, "under")


def band_cells(low: float, high: float, x0: float, n: int, ylim: tuple[float, float],
               width: int, height: int, char: str, role: str) -> Cells:
    """A tinted band between two levels from bar ``x0`` to the right edge (background). Where no
    tint can be shown, ``char`` on every other cell (a checkerboard) stands for it."""
    lo, hi = max(low, ylim[0]), min(high, ylim[1])
    if hi < lo:
        return _cells([], [], "", "")
    c0 = max(int(columns_of(np.array([max(x0, -0.5)]), n, width)[0]), 0)
    r0, r1 = rows_of(np.array([lo, hi]), ylim, height)
    cols = np.arange(c0, width)
    rows = np.arange(r0, r1 + 1)
    cc, rr = np.meshgrid(cols, rows)
    chars = np.where((cc + rr) % 2 == 0, char, " ").ravel()
    return _cells(cc.ravel(), rr.ravel(), chars, role, "back")


def rect_cells(x0: float, x1: float, low: float, high: float, n: int,
               ylim: tuple[float, float], width: int, height: int, role: str) -> Cells:
    """A box outline (light box-drawing characters) from bar x0 to x1, low to high (annotation)."""
    c0, c1 = (int(v) for v in columns_of(np.array([x0, x1]), n, width))
    r0, r1 = (int(v) for v in rows_of(np.array([low, high]), ylim, height))
    c0, c1 = max(c0, 0), min(c1, width - 1)
    r0, r1 = max(r0, 0), min(r1, height - 1)
    if c1 <= c0 or r1 <= r0:
        return _cells([], [], "", "")
    inner_c, inner_r = np.arange(c0 + 1, c1), np.arange(r0 + 1, r1)
    cols = np.concatenate([inner_c, inner_c, np.full(inner_r.size, c0), np.full(inner_r.size, c1),
                           [c0, c1, c0, c1]])
    rows = np.concatenate([np.full(inner_c.size, r0), np.full(inner_c.size, r1), inner_r, inner_r,
                           [r0, r0, r1, r1]])
    chars = np.concatenate([np.full(inner_c.size * 2, "╌", object),
                            np.full(inner_r.size * 2, "╎", object),
                            np.array(["└", "┘", "┌", "┐"], object)])
    return _cells(cols, rows, chars, role, "under")


def marker_cells(x: Sequence[float], y: Sequence[float], n: int, ylim: tuple[float, float],
                 width: int, height: int, char: str, role: str) -> Cells:
    """Single-character markers at bar positions and values (clipped to the canvas)."""
    cols = columns_of(np.asarray(x, float), n, width)
    rows = np.clip(rows_of(np.asarray(y, float), ylim, height), 0, max(height - 1, 0))
    return _cells(cols, rows, char, role)


def concat(*parts: Cells) -> Cells:
    """One layer from several (all take the ``layer`` of the first)."""
    parts = tuple(p for p in parts if len(p)) or parts[:1]
    return Cells(np.concatenate([p.cols for p in parts]), np.concatenate([p.rows for p in parts]),
                 np.concatenate([p.chars for p in parts]), np.concatenate([p.roles for p in parts]),
                 parts[0].layer)


def _inside(value: float | None, ylim: tuple[float, float]) -> bool:
    return value is not None and math.isfinite(value) and ylim[0] <= value <= ylim[1]


def clip_cells(cells: Cells, width: int, height: int) -> Cells:
    """Drop cells outside the canvas."""
    ok = (cells.cols >= 0) & (cells.cols < width) & (cells.rows >= 0) & (cells.rows < height)
    return Cells(cells.cols[ok], cells.rows[ok], cells.chars[ok], cells.roles[ok], cells.layer)


def bar_position(labels: pd.DatetimeIndex, when: date) -> float:
    """Position of the bar holding session ``when`` (the first bar labelled on or after it);
    -1 when it is before the first bar, len(labels) when after the last."""
    days = np.asarray(labels.date)
    i = int(np.searchsorted(days, when, side="left"))
    if i == 0 and len(days) and when < days[0]:
        return -1.0
    return float(i)


def level_cells(view: PriceView, width: int, height: int) -> list[Cells]:
    """The annotation layers of a price view on a width x height canvas, most important first:
    pivot line, buy-zone top, base outline (and handle), resistance band."""
    n, ylim, lv = view.n, view.ylim, view.levels
    labels = view.frame.index
    out: list[Cells] = []
    if n == 0:
        return out
    base = lv.base
    base_x0 = bar_position(labels, base.start) if base is not None else 0.0
    if lv.pivot is not None:
        start = min(max(base_x0, 0.0), n - 1) if base is not None else 0.0
        out.append(hline_cells(lv.pivot, start, n, ylim, width, height, "─", "pivot"))
        if lv.buy_zone_top is not None:
            out.append(hline_cells(lv.buy_zone_top, start, n, ylim, width, height, "┄", "pivot"))
    if base is not None:
        x1 = bar_position(labels, base.end)
        if x1 >= 0 and base_x0 < n:
            x0 = max(base_x0, -0.5)
            out.append(rect_cells(x0, min(x1, n - 1), base.low, base.left_high, n, ylim, width,
                                  height, "base"))
            hd = base.handle
            if hd is not None:
                h0, h1 = bar_position(labels, hd.start), bar_position(labels, hd.end)
                out.append(rect_cells(h0, min(h1, n - 1), hd.low, hd.high, n, ylim, width, height,
                                      "base"))
    if lv.zone is not None:
        z0 = bar_position(labels, lv.zone.first_touch)
        out.append(band_cells(lv.zone.low, lv.zone.high, z0, n, ylim, width, height, "·",
                              "zone"))
    return [clip_cells(c, width, height) for c in out if len(c)]


def event_cells(view: PriceView, width: int, height: int) -> Cells:
    """Markers under the bars where earlier bases broke out (▲) or failed (✕)."""
    n, labels = view.n, view.frame.index
    parts = []
    for dates, char, role in ((view.levels.breakouts, "▲", "breakout"),
                              (view.levels.failures, "✕", "failed")):
        xs = [bar_position(labels, d) for d in dates]
        xs = [x for x in xs if 0 <= x < n]
        if xs:
            lows = view.frame["low"].to_numpy(float)[np.asarray(xs, int)]
            rows = rows_of(lows, view.ylim, height) - 1
            cols = columns_of(np.asarray(xs), n, width)
            parts.append(_cells(cols, np.maximum(rows, 0), char, role))
    if not parts:
        return _cells([], [], "", "")
    return clip_cells(concat(*parts), width, height)

