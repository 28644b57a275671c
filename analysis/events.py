"""Events: what changed between two snapshots (breakout, confirmed, failed, new ATH, streak
milestone, race decided, FOMC tomorrow), the bounded JSON-lines event log of the live app, and the
in-memory log a replay keeps instead (a replay never writes into the live log)."""

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
    (backups + 1) x max_bytes. Appends are whole lines or nothing: each batch is one ``os.write``
    on an O_APPEND descriptor, and a write that fails part-way (a full disk) is cut back to the
    size before it, so the next event is never glued onto half a line. A partial last line left by
    a crash is closed with a newline before the next append; ``read`` skips it and says so in
    ``problems``.
    """

    def __init__(self, path=None, max_bytes: int = 1_000_000, backups: int = 3) -> None:
        import threading
        from pathlib import Path

        from analysis.paths import event_log_file

        self.path = Path(path) if path else event_log_file()
        self.max_bytes = max_bytes
        self.backups = backups
        self.problems: list[str] = []
        """What the last ``read`` skipped: "FILE line N: why", one per bad line."""
        self._lock = threading.Lock()

    def _rotate(self) -> None:
        for n in range(self.backups, 0, -1):
            src = self.path.with_name(f"{self.path.name}.{n - 1}") if n > 1 else self.path
            if src.exists():
                src.replace(self.path.with_name(f"{self.path.name}.{n}"))

    def append(self, events) -> None:
        """Append events as whole lines or not at all; a full disk or unwritable dir raises
        OSError for the caller to report, and leaves the file as it was."""
        data = "".join(event_to_json(e) + "\n" for e in events).encode("utf-8")
        if not data:
            return
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size + len(data) > self.max_bytes:
                self._rotate()
            _append_whole(self.path, data)

    def files(self) -> list:
        """Log files, oldest first."""
        olds = [self.path.with_name(f"{self.path.name}.{n}") for n in range(self.backups, 0, -1)]
        return [p for p in (*olds, self.path) if p.exists()]

    def read(self, since: date | datetime | None = None) -> list[Event]:
        """Events oldest first, optionally only those ``since`` (see ``_is_since``); lines that
        are not whole events are skipped and listed in ``problems``."""
        out: list[Event] = []
        self.problems = []
        for path in self.files():
            text = path.read_text(encoding="utf-8", errors="replace")
            for n, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    event = event_from_json(line)
                except ValueError:
                    cut = not text.endswith("\n") and n == text.count("\n") + 1
                    why = "a partial line (a write cut short), skipped" if cut else (
                        "not a whole event, skipped")
                    self.problems.append(f"{path} line {n}: {why}")
                    continue
                if since is not None and not _is_since(event, since):
                    continue
                out.append(event)
        return out


def _append_whole(path, data: bytes) -> None:
    """One write of whole lines at the end of ``path``; on any failure the file is truncated back
    to its size before the write. A file that does not end with a newline (a crash mid-line
    before this code) gets one first, so the new lines start on their own."""
    import contextlib
    import os

    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, f"No space left on device: wrote {written} of {len(data)} "
                                  "bytes")
        except OSError:
            with contextlib.suppress(OSError):  # a device (/dev/full) cannot be truncated
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


class MemoryEventLog:
    """A replay's events: kept in memory (the newest ``max_events``), never written to disk, so
    replaying history cannot add to or rotate away the live log."""

    def __init__(self, max_events: int = 1000) -> None:
        from collections import deque

        self._events: deque[Event] = deque(maxlen=max_events)

    def append(self, events) -> None:
        self._events.extend(events)

    def read(self, since: date | datetime | None = None) -> list[Event]:
        return [e for e in self._events if since is None or _is_since(e, since)]


def _is_since(event: Event, since: date | datetime) -> bool:
    """A date selects by the session the event belongs to (``asof``); a time by when it was
    detected (``at``); a time without a zone is local time."""
    if isinstance(since, datetime):
        at = event.at if event.at.tzinfo else event.at.astimezone()
        return at >= (since if since.tzinfo else since.astimezone())
    return event.asof >= since
