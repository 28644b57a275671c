"""The chart machinery of the drill-down: a textual-plotext ``PlotextPlot`` that builds its figure
only when its inputs, its size or the theme change, lets plotext draw the frame, ticks and lines,
drops pre-computed cells (``tui.chart.cells``) into plotext's character matrix, and turns that
matrix straight into Textual strips in the theme's colours (no ANSI round trip). Also the chart
palette: the theme's semantic colours plus line colours, readable on its background.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual_plotext import PlotextPlot

from tui.chart.plotext_adapter import COLOR_CODES, build_matrix, set_canvas_size
from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.chart.cells import Cells

    Layers = tuple[Any, Callable[[int, int], list[Cells]]]


# --------------------------------------------------------------------------- colours


@dataclass(frozen=True)
class ChartPalette:
    """Colours of everything a chart draws, as Textual colour strings. The semantic ones come from
    the theme; ``line``/``ma_fast``/``ma_slow`` from its primary/secondary/accent colours;
    ``base`` (the base outline) is the calm "stale" grey."""

    semantic: SemanticColors = field(default_factory=SemanticColors)
    line: str = "#3b82f6"
    ma_fast: str = "#22d3ee"
    ma_slow: str = "#f59e0b"

    @classmethod
    def from_theme(cls, semantic: SemanticColors, variables: Mapping[str, str] | None = None
                   ) -> ChartPalette:
        """From the theme: lines in its primary colour, MA50 in its accent, MA200 in its
        secondary (each made readable against the theme's background)."""
        v = variables or {}
        d = cls()
        back = v.get("background")
        return cls(semantic, _readable(v.get("primary", d.line), back),
                   _readable(v.get("accent", d.ma_fast), back),
                   _readable(v.get("secondary", d.ma_slow), back))

    def role(self, name: str) -> str | None:
        """Colour string of a role (a semantic colour name, "base", "line", "ma_fast", ...)."""
        if name == "base":
            return self.semantic.stale
        if name in ("line", "ma_fast", "ma_slow"):
            return getattr(self, name)
        return getattr(self.semantic, name, None)


def _readable(colour: str, background: str | None) -> str:
    """``colour``, moved towards white (black on a light background) when it is too close in
    brightness to ``background`` to read; ANSI colours are left to the terminal."""
    try:
        fg = Color.parse(colour)
        bg = Color.parse(background) if background else None
    except Exception:
        return colour
    if bg is None or fg.ansi is not None or bg.ansi is not None:
        return colour
    if abs(fg.brightness - bg.brightness) >= 0.3:
        return colour
    target = Color(0, 0, 0) if bg.brightness > 0.5 else Color(255, 255, 255)
    return fg.blend(target, 0.45).hex


def plotext_colour(colour: str | None) -> int | tuple[int, int, int] | str:
    """A Textual colour string as a plotext colour: the ANSI index for the 16 terminal colours
    (so 16-colour themes keep the terminal's palette), else an (r, g, b) tuple."""
    if not colour:
        return "default"
    parsed = Color.parse(colour)
    if parsed.ansi is not None:
        return "default" if parsed.ansi < 0 else parsed.ansi
    return parsed.rgb


def _rich_colour(value: Any, palette: ChartPalette) -> RichColor | None:
    if isinstance(value, tuple):
        return RichColor.from_rgb(*value)
    if isinstance(value, int):
        return RichColor.from_ansi(value) if 0 <= value <= 255 else None
    if isinstance(value, str):
        role = palette.role(value)
        if role is not None:
            return Color.parse(role).rich_color
        if value in COLOR_CODES:
            return RichColor.from_ansi(COLOR_CODES[value])
    return None


def app_palette(widget: Any) -> ChartPalette:
    """The palette of the running app's theme (``app.semantic_colors`` and the theme's colours);
    the defaults when the app has none (a test app)."""
    app = widget.app
    semantic = getattr(app, "semantic_colors", None) or SemanticColors()
    try:
        variables = app.theme_variables
    except Exception:  # no theme yet
        variables = {}
    return ChartPalette.from_theme(semantic, variables)


# --------------------------------------------------------------------------- the cell chart


def put_cells(matrix: Any, cells: Cells, tint: bool = True) -> None:
    """Drop cells into a plotext matrix's canvas by their layer: "over" overwrites, "under" fills
    blank cells only, "back" sets the background role (or, without ``tint``, fills blanks)."""
    cols, rows = matrix.Cols_canvas, matrix.Rows_canvas
    c0, r0 = cols.start, rows.start
    width, height = len(cols), len(rows)
    marker, fg, bg = matrix.marker, matrix.fullground, matrix.background
    layer = cells.layer if tint or cells.layer != "back" else "under"
    for c, r, ch, role in zip(cells.cols.tolist(), cells.rows.tolist(), cells.chars.tolist(),
                              cells.roles.tolist(), strict=True):
        if 0 <= c < width and 0 <= r < height:
            row, col = r + r0, c + c0
            if layer == "back":
                bg[row][col] = role
                continue
            if layer == "under" and (marker[row][col] != " " or ch == " "):
                continue
            marker[row][col] = ch
            fg[row][col] = role


def can_tint(palette: ChartPalette, base: Style, color_system: str | None = "truecolor") -> bool:
    """Background tints need more than 16 colours: not with an ANSI zone colour or background,
    nor on a 16-colour terminal (where a faint tint rounds to black or grey)."""
    if color_system not in ("truecolor", "256"):
        return False
    zone = Color.parse(palette.semantic.zone)
    return zone.ansi is None and base.bgcolor is not None and base.bgcolor.triplet is not None


def terminal_colours(widget: Any) -> str | None:
    """The colour system of the terminal the app draws on ("truecolor", "256", "standard")."""
    try:
        return widget.app.console.color_system
    except Exception:
        return "truecolor"


def tint_colour(role: str, palette: ChartPalette, base: Style) -> RichColor | None:
    colour = palette.role(role)
    if not colour or base.bgcolor is None or base.bgcolor.triplet is None:
        return None
    back = Color.from_rich_color(base.bgcolor)
    return back.blend(Color.parse(colour), TINT).rich_color


TINT = 0.22  # how much of the role colour a background band takes


def matrix_strips(matrix: Any, palette: ChartPalette, base: Style, width: int, height: int
                  ) -> list[Strip]:
    """Rows of a plotext matrix (top first) as strips, padded or cut to width x height."""
    styles: dict[Any, Style] = {}

    def style_of(key: tuple[Any, Any]) -> Style:
        got = styles.get(key)
        if got is None:
            colour = _rich_colour(key[0], palette)
            got = base + Style(color=colour) if colour is not None else base
            role = key[1] if isinstance(key[1], str) and key[1] else None
            back = tint_colour(role, palette, base) if role else None
            if back is not None:
                got += Style(bgcolor=back)
            styles[key] = got
        return got

    strips: list[Strip] = []
    rows = matrix.marker[::-1][:height]
    fgs = matrix.fullground[::-1][:height]
    bgs = matrix.background[::-1][:height]
    for chars, colours, backs in zip(rows, fgs, bgs, strict=True):
        keys = list(zip(colours[:width], backs[:width], strict=True))
        line = "".join(chars[:width])
        # Runs of one colour: where the key changes from the cell before.
        cuts = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
        bounds = [0, *cuts, len(keys)]
        segments = [Segment(line[a:b], style_of(keys[a]))
                    for a, b in zip(bounds, bounds[1:], strict=False)]
        strips.append(Strip(segments).adjust_cell_length(width, base))
    while len(strips) < height:
        strips.append(Strip.blank(width, base))
    return strips


class CellChart(PlotextPlot):
    """A PlotextPlot built only when ``inputs_key()`` or the size (or the theme) changes.

    Subclasses implement ``draw(width, height)``: configure ``self.plt`` and return a list of
    (subplot, function) pairs; after plotext has drawn a subplot, its function is called with the
    subplot's canvas width and height and returns the cell layers to drop in.
    """

    DEFAULT_CSS = """
    CellChart { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, palette: ChartPalette | None = None, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fixed_palette = palette
        self.palette = palette
        self._palette_theme: str | None = None
        self._strips: list[Strip] = []
        self._built_key: tuple | None = None
        self.builds = 0
        self.last_build_ms = 0.0
        self.color_system: str | None = "truecolor"  # the terminal's, once mounted

    def _current_palette(self) -> ChartPalette:
        """The palette given to the constructor, else the app theme's (re-read when the theme
        changes; plotext's own theme hook repaints the widget then)."""
        if self._fixed_palette is not None:
            return self._fixed_palette
        theme = self.app.theme
        if self.palette is None or theme != self._palette_theme:
            self.palette = app_palette(self)
            self._palette_theme = theme
        return self.palette

    # -- to implement
    def inputs_key(self) -> tuple:
        return ()

    def draw(self, width: int, height: int) -> list[Layers]:
        raise NotImplementedError

    # -- building
    def build_strips(self, width: int, height: int, base: Style | None = None) -> list[Strip]:
        """Draw the figure at width x height and return its strips (no caching)."""
        import time

        started = time.perf_counter()
        plt = self._plot
        plt.clear_figure()
        set_canvas_size(plt, width, height)
        plt.theme("clear")
        layers = self.draw(width, height)
        palette = self.palette or ChartPalette()
        tint = can_tint(palette, base or Style(), self.color_system)
        by_sub = {id(sub): fn for sub, fn in layers}

        def finish(sub: Any) -> Any:
            matrix = sub.monitor.matrix
            fn = by_sub.get(id(sub))
            if fn is not None:
                for layer in fn(len(matrix.Cols_canvas), len(matrix.Rows_canvas)):
                    put_cells(matrix, layer, tint)
            return matrix

        matrix = build_matrix(plt, finish)
        strips = matrix_strips(matrix, palette, base or Style(), width, height)
        self.builds += 1
        self.last_build_ms = (time.perf_counter() - started) * 1000.0
        return strips

    def _ensure_built(self) -> None:
        width, height = self.size
        palette = self._current_palette()
        self.color_system = terminal_colours(self)
        key = (self.inputs_key(), width, height, self.app.theme, id(palette),
               self.rich_style, self.color_system)
        if key != self._built_key:
            self._strips = (self.build_strips(width, height, self.rich_style)
                            if width > 0 and height > 0 else [])
            self._built_key = key

    def render_line(self, y: int) -> Strip:
        self._ensure_built()
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)
