"""The event log pane: timestamped breakouts, failures, new ATHs, streak milestones, race
results, one line each (cut with "…" to the pane's width, refitted when it resizes; the whole
text is in the log file and `basewatch events`). At start it can show the most recent events of
the JSON-lines log, dimmed, above a rule, so a restart keeps the day's breakouts in view. It keeps
at most ``MAX_LINES`` lines."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widgets import RichLog

from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from analysis.events import Event

MAX_LINES = 500
PLACEHOLDER = tuple(Text(line, style=Style(dim=True, italic=True)) for line in (
    "No events yet: breakouts, new highs,", "streaks and the race show here."))
"""Shown until the first event, as two lines (lines are cut, not wrapped)."""


def kind_color(kind: str, sem: SemanticColors) -> str | None:
    """The semantic colour of an event kind."""
    return {
        "breaking": sem.breakout, "confirmed": sem.breakout, "near": sem.pivot,
        "extended": sem.up, "failed": sem.failed, "new_ath": sem.ath,
        "new_intraday_ath": sem.ath, "streak": sem.up, "race": sem.breakout, "fomc": sem.pivot,
    }.get(kind)


def event_line(event: Event, sem: SemanticColors, earlier: bool = False) -> Text:
    """12-10 16:31 IWM is breaking out above 252.77 (...), in the colour of its kind; the time
    only when the event happened on its session's day (live), not in a replay. ``earlier``
    (from the log, before this run): all of it dim."""
    from zoneinfo import ZoneInfo

    at = event.at.astimezone(ZoneInfo("America/New_York")) if event.at.tzinfo else event.at
    color = kind_color(event.kind, sem)
    when = f"{event.asof:%m-%d}" + (f" {at:%H:%M}" if at.date() == event.asof else "")
    text = Text()
    text.append(f"{when} ", style=Style(dim=True))  # as a span: the message is not dimmed
    style = Style(color=Color.parse(color).rich_color if color else None,
                  bold=event.kind in ("breaking", "confirmed", "failed", "race"),
                  dim=earlier or None)
    text.append(event.message, style=style)
    return text


class EventLogPane(RichLog):
    """Newest events at the bottom; focusable so it scrolls from the keyboard."""

    PANE_KEY = "events"
    TITLE = "4 Events"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # min_width small: a line is cut to the pane (the default 78 would scroll sideways)
        super().__init__(id=id, classes=classes, max_lines=MAX_LINES, wrap=False, markup=False,
                         highlight=False, auto_scroll=True, min_width=10)
        self.entries: deque[Text] = deque(maxlen=MAX_LINES)
        """What was written, one Text per event or note (before cutting), newest last."""
        self.count = 0
        self.earlier = 0
        self._placeholder = False
        self._fitted_to = 0
        self.border_title = self.TITLE

    def on_mount(self) -> None:
        for line in PLACEHOLDER:
            self.write(line)
        self._placeholder = True

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)  # after RichLog has learnt its size

    def _width(self) -> int:
        """Room for a line: the content width less the scrollbar, shown or not yet (so lines
        written before the log grew past its height still fit once the scrollbar appears)."""
        return self.content_region.width - self.styles.scrollbar_size_vertical

    def _fit(self, line: Text) -> Text:
        """``line`` cut to the pane's width with an ellipsis (as is while the width is unknown)."""
        width = self._width()
        if width <= 0 or line.cell_len <= width:
            return line
        cut = line.copy()
        cut.truncate(width, overflow="ellipsis")
        return cut

    def _refit(self) -> None:
        """Rewrite every line cut to the new width (nothing to do if it did not change)."""
        width = self._width()
        if width <= 0 or width == self._fitted_to:
            return
        self._fitted_to = width
        self.clear()
        for line in PLACEHOLDER if self._placeholder else self.entries:
            self.write(self._fit(line))

    def _drop_placeholder(self) -> None:
        if self._placeholder:
            self._placeholder = False
            self.clear()

    def _put(self, line: Text) -> None:
        self._drop_placeholder()
        self.entries.append(line)
        self.write(self._fit(line))

    def add_earlier(self, events: Iterable[Event], sem: SemanticColors) -> int:
        """Show events from before this run (once, before any new one); returns how many."""
        if self.earlier:
            return 0
        for event in events:
            self._put(event_line(event, sem, earlier=True))
            self.earlier += 1
        if self.earlier:
            self._put(Text(f"── {self.earlier} earlier, from the log ──",
                           style=Style(dim=True, italic=True)))
        return self.earlier

    def add_events(self, events: Iterable[Event], sem: SemanticColors) -> int:
        """Append events; returns how many were added."""
        n = 0
        for event in events:
            self._put(event_line(event, sem))
            n += 1
        self.count += n
        self.border_title = f"{self.TITLE} ({self.count})" if self.count else self.TITLE
        return n

    def note(self, text: str, color: str | None = None) -> None:
        """A line that is not an event (e.g. a failed refresh)."""
        self._put(Text(text, style=Style(color=Color.parse(color).rich_color if color else None)))
