"""The drill-down price chart: candles (or a line, or OHLC bars) with volume beneath, the 50- and
200-day moving averages, the base outlined, the pivot and its buy zone, the resistance band and
past breakouts, plus a one-line legend. What to draw is prepared in ``tui.chart.data`` (and
``tui.chart.cells``, ``tui.chart.levels``); nothing here computes a fact.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.color import Color

from tui.chart.canvas import CellChart, ChartPalette, can_tint, plotext_colour, tint_colour
from tui.chart.intraday import (
    INTRADAY_TIMEFRAMES,
    MinuteInput,
    intraday_cells,
    prepare_intraday,
    vwap_segments,
)

if TYPE_CHECKING:
    import pandas as pd

    from tui.chart.canvas import Layers
    from tui.chart.cells import Cells
    from tui.chart.data import PriceView
    from tui.chart.levels import Levels


# --------------------------------------------------------------------------- the price chart


def _configure_axes(sub: Any, n: int, ylim: tuple[float, float], yticks: Any,
                    xticks: Any | None, label_width: int) -> None:
    sub.xlim(-0.5, n - 0.5)
    sub.ylim(*ylim)
    sub.yticks(list(yticks.positions), [s.rjust(label_width) for s in yticks.labels])
    if xticks is None:
        sub.xticks([], [])
    else:
        sub.xticks(list(xticks.positions), list(xticks.labels))
    # plotext draws the axes only around data: an invisible point keeps them.
    sub.scatter([-0.5], [ylim[0]], marker=" ")


def _plot_lines(price: Any, view: PriceView, palette: ChartPalette) -> None:
    """The 50- and 200-day moving averages (daily views) or the day's VWAP (intraday), braille."""
    x = np.arange(view.n)
    for w, role in ((50, "ma_fast"), (200, "ma_slow")):
        values = view.ma.get(w)
        if values is None:
            continue
        ok = x[np.isfinite(np.asarray(values, float))]
        if len(ok) > 1:
            price.plot(ok.tolist(), np.asarray(values, float)[ok].tolist(), marker="braille",
                       color=plotext_colour(palette.role(role)))
    for xs, ys in vwap_segments(view):
        price.plot(xs, ys, marker="braille", color=plotext_colour(palette.role("ma_fast")))


class PriceChart(CellChart):
    """Candles / line / OHLC for one symbol and timeframe, with volume and the facts overlaid."""

    DEFAULT_CSS = """
    PriceChart { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, palette: ChartPalette | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(palette=palette, id=id, classes=classes)
        self.bars: pd.DataFrame | None = None
        self.asof: date | None = None
        self.symbol = ""
        self.levels: Levels | None = None
        self.timeframe = "6M"
        self.mode = "candles"
        self.show_volume = True
        self.show_overlays = True
        self.cursor: date | None = None  # the session (intraday: bar start) under the cursor
        self.minutes: MinuteInput | None = None  # 5-minute bars for the 1D / 5D timeframes
        self.version = 0
        self.view: PriceView | None = None

    def show(self, symbol: str, bars: pd.DataFrame | None, asof: date | None,
             levels: Levels | None) -> None:
        """New data (None: nothing to draw): rebuilt on the next paint."""
        self.symbol, self.bars, self.asof, self.levels = symbol, bars, asof, levels
        self.version += 1
        self.refresh()

    def configure(self, **changes: Any) -> None:
        """Change timeframe / mode / show_volume / show_overlays; rebuilt on the next paint."""
        for key, value in changes.items():
            setattr(self, key, value)
        self.refresh()

    def inputs_key(self) -> tuple:
        return (self.version, self.timeframe, self.mode, self.show_volume, self.show_overlays,
                self.cursor, id(self.minutes))

    def cursor_bar(self) -> int | None:
        """Index in the drawn view of the bar under the cursor (None: no cursor or no view)."""
        from tui.chart.cursor import cursor_index

        view = self.view
        return None if view is None or self.cursor is None else cursor_index(
            view.frame.index, self.cursor)

    def draw(self, width: int, height: int) -> list[Layers]:
        from tui.chart import cells as cc
        from tui.chart import data as cd
        from tui.chart.cursor import cursor_cells

        plt = self.plt
        if self.bars is None or width < 12 or height < 5:
            self.view = None
            return []
        levels = self.levels if self.show_overlays else None
        if self.timeframe in INTRADAY_TIMEFRAMES:
            view = prepare_intraday(self.minutes, self.timeframe, width, height, levels=levels,
                                    mode=self.mode, symbol=self.symbol)
        else:
            view = cd.prepare_price(self.bars, self.asof, self.timeframe, width, height,
                                    levels=levels, mode=self.mode, symbol=self.symbol)
        self.view = view
        if view.n == 0:
            return []
        with_volume = self.show_volume and view.has_volume and height >= 14
        vol_rows = max(4, height // 5) if with_volume else 0
        palette = self.palette or ChartPalette()
        lw = view.label_width
        if vol_rows:
            plt.subplots(2, 1)
            price = plt.subplot(1, 1)
            price.plotsize(width, height - vol_rows)
            volume = plt.subplot(2, 1)
            volume.plotsize(width, vol_rows)
        else:
            price = plt
        _configure_axes(price, view.n, view.ylim, view.yticks, None if vol_rows else view.xticks,
                        lw)
        if vol_rows:
            price.xaxes(True, True)
        if self.show_overlays:
            _plot_lines(price, view, palette)
        if self.mode == "line" or view.close_line:
            closes = view.frame["close"].tolist()
            price.plot(list(range(view.n)), closes, marker="braille",
                       color=plotext_colour(palette.role("line")))
        mode, overlays = ("line" if view.close_line else self.mode), self.show_overlays
        at = self.cursor_bar()

        def price_cells(pw: int, ph: int) -> list[Cells]:
            out: list[Cells] = []
            if at is not None:
                out.append(cursor_cells(at, view.n, pw, ph))
            if mode != "line":
                out.append(cc.clip_cells(cc.candle_cells(view.frame, view.ylim, pw, ph, mode),
                                         pw, ph))
            if overlays:
                out.append(cc.event_cells(view, pw, ph))
                out.extend(cc.level_cells(view, pw, ph))
            out.extend(intraday_cells(view, pw, ph, overlays))
            return out

        layers: list[Layers] = [(price, price_cells)]
        if vol_rows:
            vt = view.vol_ticks
            if view.close_line:  # several sessions a column: the panel shows their mean volume
                top = float(np.nanmax(cc.volume_columns(view.frame, view.canvas_width)[1],
                                      initial=0.0))
                vt = type(vt)((top,), (cd.compact(top),)) if top > 0 else type(vt)((), ())
            volume.xlim(-0.5, view.n - 0.5)
            volume.ylim(0, max(vt.positions, default=1.0))
            volume.yticks(list(vt.positions), [s.rjust(lw) for s in vt.labels])
            volume.xticks(list(view.xticks.positions), list(view.xticks.labels))
            volume.scatter([-0.5], [0.0], marker=" ")
            volume.xaxes(True, False)
            layers.append((volume, lambda vw, vh: [cc.clip_cells(
                cc.volume_cells(view.frame, vw, vh), vw, vh)] + (
                [cursor_cells(at, view.n, vw, vh)] if at is not None else [])))
        return layers

    def legend(self) -> Text:
        """One line saying what the marks are, in their colours, with the levels' values."""
        palette = self.palette or ChartPalette()
        view = self.view
        text = Text()

        def item(mark: str, role: str, words: str) -> None:
            colour = palette.role(role)
            if text:
                text.append("  ")
            text.append(mark, style=Style(color=Color.parse(colour).rich_color) if colour else "")
            text.append(f" {words}")

        if view is None:
            return text
        at = self.cursor_bar()
        if at is not None:
            from tui.chart.cursor import bar_info, cursor_text

            text.append("┊ ", style="bold")
            text.append(cursor_text(bar_info(view, at), narrow=self.size.width < 72))
            return text
        intraday = self.timeframe in INTRADAY_TIMEFRAMES
        note = self.minutes.note if intraday and self.minutes is not None else ""
        if intraday and view.n == 0:
            return text.append(note or ("loading 5-minute bars…" if self.minutes is None
                                        else "no intraday bars"))
        text.append("daily closes" if view.close_line else view.period, style="bold")
        text.append(f" · {note}" if note else "")  # first: it says the bars are not live
        if not self.show_overlays:
            return text.append("  overlays off")
        extra = view.intraday
        if extra is not None:
            vwap = extra.vwap[np.isfinite(extra.vwap)]
            if vwap.size:
                item("⠒", "ma_fast", f"VWAP {_price(float(vwap[-1]))}")
            if extra.prior_close is not None:
                item("╌", "stale", f"prior close {_price(extra.prior_close)}")
        daily = view.period == "daily"
        if any(v == v for v in view.ma.get(50, [])):
            item("⠒", "ma_fast", "MA50" if daily else "50-day MA")
        if any(v == v for v in view.ma.get(200, [])):
            item("⠒", "ma_slow", "MA200" if daily else "200-day MA")
        lv = view.levels
        if lv.pivot is not None:
            item("─", "pivot", f"pivot {_price(lv.pivot)}")
            top = lv.buy_zone_top
            if extra is None or top is not None and view.ylim[0] <= top <= view.ylim[1]:
                item("┄", "pivot", f"+5% {_price(top)}")  # intraday: only when drawn
        if lv.zone is not None:
            words = f"zone {_price(lv.zone.low)}-{_price(lv.zone.high)}"
            tint = (tint_colour("zone", palette, self.rich_style)
                    if can_tint(palette, self.rich_style, self.color_system) else None)
            if tint is not None:
                text.append("  ")
                text.append("  ", style=Style(bgcolor=tint))
                text.append(f" {words}")
            else:
                item("·", "zone", words)
        if lv.base is not None:
            item("╌", "base", "base")
        if lv.breakouts:
            item("▲", "breakout", "breakout")
        if lv.failures:
            item("✕", "failed", "failed")
        if extra is not None and extra.extended.any():
            item("░", "stale", "pre/post")  # last: the first to go where the line is too long
        return text


def _price(value: float | None) -> str:
    from tui.format import price

    return price(value)
