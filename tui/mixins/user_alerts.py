"""The alerts a trader sets, for the app: set one from a row or a chart (the ``A`` prompt), list
and delete them (the alerts screen), and retire the ``once`` alerts that fired. The alerts live in
the state file (``AppState.alerts``, saved atomically at every change); the refresh worker checks
them with ``analysis.user_alerts.alert_events`` and their events take the built-in events' path
(toast, bell, event log, the alert command)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.events import Event
    from analysis.state import AppState
    from analysis.user_alerts import UserAlert


class UserAlerts:
    """Mixed into the App (which has ``state``, ``save_state_now`` and ``notify``)."""

    state: AppState

    def set_alert(self, symbol: str, text: str) -> str | None:
        """Add the alert typed as ``text`` on ``symbol`` and save it; an error message, or None."""
        from analysis.state import WatchlistError, add_alert
        from analysis.symbols import SymbolError
        from analysis.user_alerts import AlertError, next_id, parse_alert

        try:
            alert = parse_alert(symbol, text, next_id(self.state.alerts))
            state = add_alert(self.state, alert)
        except (AlertError, SymbolError, WatchlistError) as exc:
            return str(exc)
        self.state = state
        self.save_state_now()
        self.notify(f"Alert set: {alert.describe()} · ! lists alerts", timeout=4, markup=False)
        return None

    def delete_alert(self, alert_id: str) -> UserAlert | None:
        """Delete an alert by id (saved); the alert deleted, or None if there was none."""
        from analysis.state import set_alerts

        gone = next((a for a in self.state.alerts if a.id == alert_id), None)
        if gone is not None:
            self.state = set_alerts(self.state, (a for a in self.state.alerts if a.id != alert_id))
            self.save_state_now()
        return gone

    def alerts_fired(self, events: Iterable[Event]) -> None:
        """After a refresh: the ``once`` alerts that fired are done (removed and saved)."""
        from analysis.state import set_alerts
        from analysis.user_alerts import fired_ids, retire

        fired = fired_ids(events)
        if not fired:
            return
        left = retire(self.state.alerts, fired)
        if left != self.state.alerts:
            self.state = set_alerts(self.state, left)
            self.save_state_now()
        self.refresh_alert_views()

    def refresh_alert_views(self) -> None:
        """Redraw an open alerts screen."""
        from tui.screens.alerts import AlertsScreen

        for screen in getattr(self, "screen_stack", ()):
            if isinstance(screen, AlertsScreen):
                screen.show()

    def action_alerts(self) -> None:
        from tui.screens.alerts import AlertsScreen

        if not isinstance(self.screen, AlertsScreen):
            self.push_screen(AlertsScreen())

    def action_alert_for(self, symbol: str) -> None:
        """Open the alert prompt for ``symbol``."""
        from tui.screens.alert_prompt import AlertPrompt

        latest = getattr(self, "latest", None)
        facts = latest.snapshot.symbols.get(symbol) if latest is not None else None
        self.push_screen(AlertPrompt(symbol, facts))
