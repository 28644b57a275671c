"""The alert prompt (``A`` on a row or in a chart): one line typed in a box over the screen.

It names the symbol with its last price and breakout level, prefills a price level to edit, and
lists the forms it accepts (``analysis.user_alerts.FORMS``); Enter sets the alert (a refusal says
why, in the box), Esc closes it. The app's ``set_alert`` parses and saves it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from analysis.snapshot import SymbolFacts


def suggestion(facts: SymbolFacts | None) -> str:
    """What the prompt starts with: above the breakout level when the price is under it, else
    below the last price rounded down 5%; empty without facts."""
    if facts is None:
        return ""
    bo = facts.breakout
    if bo is not None and bo.level > facts.last:
        return f"above {bo.level:.2f}"
    return f"below {facts.last * 0.95:.2f}"


def heading(symbol: str, facts: SymbolFacts | None) -> str:
    """'KRE 64.81 · breakout level 67.07 (cup pivot) · failed'."""
    from tui.format import price

    if facts is None:
        return f"{symbol}: no data yet"
    parts = [f"{symbol} {price(facts.last)}"]
    bo = facts.breakout
    if bo is not None:
        parts.append(f"breakout level {price(bo.level)} ({bo.level_source}) · {bo.state}")
    if facts.volume_pace is not None:
        parts.append(f"pace {facts.volume_pace:.1f}x")
    return " · ".join(parts)


class AlertPrompt(ModalScreen[bool]):
    """Dismissed with True when an alert was set."""

    BINDINGS: ClassVar = [Binding("escape", "close", "Close", show=False)]
    DEFAULT_CSS = """
    AlertPrompt { align: center middle; }
    #alert-box {
        width: 76; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #alert-forms { color: $text-muted; }
    #alert-error { color: $error; }
    """

    def __init__(self, symbol: str, facts: Any = None) -> None:
        super().__init__()
        self.symbol, self.facts = symbol, facts

    def compose(self) -> ComposeResult:
        from analysis.user_alerts import FORMS

        with Vertical(id="alert-box") as box:
            box.border_title = f"Alert on {self.symbol}"
            box.border_subtitle = "enter: set · esc: cancel"
            yield Static(Content(heading(self.symbol, self.facts)), id="alert-heading")
            yield Input(suggestion(self.facts), id="alert-input")
            yield Static(Content(f"{FORMS}; add 'every' to fire each time (else once)"),
                         id="alert-forms")
            yield Static(id="alert-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.app.set_alert(self.symbol, event.value)
        if error:
            self.query_one("#alert-error", Static).update(Content(error))
            return
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
