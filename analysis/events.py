"""Events: what changed between two snapshots (breakout, confirmed, failed, new ATH, streak
milestone, race decided, FOMC tomorrow), and the bounded JSON-lines event log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

KINDS = (
    "near", "breaking", "confirmed", "extended", "failed", "new_ath", "new_intraday_ath", "streak",
    "race", "fomc", "alert",
)


@dataclass(frozen=True)
class Event:
    """One thing a trader should notice. ``data`` holds the numbers behind it."""

    kind: str
    symbol: str | None
    asof: date
    at: datetime
    message: str
    data: Mapping[str, float | int | str | None] = field(default_factory=dict)


def event_to_json(event: Event) -> str:
    """One JSON line for the log."""
    import json

    return json.dumps(
        {
            "kind": event.kind,
            "symbol": event.symbol,
            "asof": event.asof.isoformat(),
            "at": event.at.isoformat(),
            "message": event.message,
            "data": dict(event.data),
        },
        sort_keys=True,
    )


def event_from_json(line: str) -> Event:
    """Inverse of event_to_json; ValueError for a line that is not an event."""
    import json

    raw = json.loads(line)
    try:
        return Event(
            kind=str(raw["kind"]),
            symbol=raw.get("symbol"),
            asof=date.fromisoformat(raw["asof"]),
            at=datetime.fromisoformat(raw["at"]),
            message=str(raw["message"]),
            data=dict(raw.get("data") or {}),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not an event: {exc}") from exc


class EventLog:
    """The JSON-lines event log in the user data dir, rotated and bounded.

    When the file passes ``max_bytes`` it becomes ``events.jsonl.1`` (older ones shift up to
    ``backups``; the oldest is dropped), so the log never takes more than about
    (backups + 1) x max_bytes. Appends are serialised with a lock; each line is written whole.
    """

    def __init__(self, path=None, max_bytes: int = 1_000_000, backups: int = 3) -> None:
        import threading
        from pathlib import Path

        from analysis.paths import event_log_file

        self.path = Path(path) if path else event_log_file()
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()

    def _rotate(self) -> None:
        for n in range(self.backups, 0, -1):
            src = self.path.with_name(f"{self.path.name}.{n - 1}") if n > 1 else self.path
            if src.exists():
                src.replace(self.path.with_name(f"{self.path.name}.{n}"))

    def append(self, events) -> None:
        """Append events; a full disk or unwritable dir raises OSError for the caller to report."""
        lines = "".join(event_to_json(e) + "\n" for e in events)
        if not lines:
            return
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size + len(lines) > self.max_bytes:
                self._rotate()
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(lines)

    def files(self) -> list:
        """Log files, oldest first."""
        olds = [self.path.with_name(f"{self.path.name}.{n}") for n in range(self.backups, 0, -1)]
        return [p for p in (*olds, self.path) if p.exists()]

    def read(self, since: date | datetime | None = None) -> list[Event]:
        """Events oldest first, optionally only those at or after ``since``; bad lines skipped."""
        out: list[Event] = []
        for path in self.files():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    event = event_from_json(line)
                except ValueError:
                    continue
                if since is not None and not _is_since(event, since):
                    continue
                out.append(event)
        return out


def _is_since(event: Event, since: date | datetime) -> bool:
    if isinstance(since, datetime):
        at = event.at
        if (at.tzinfo is None) != (since.tzinfo is None):
            return at.replace(tzinfo=None) >= since.replace(tzinfo=None)
        return at >= since
    return event.asof >= since
