"""What a SQLite error means for a file Basewatch keeps (the bar store): another process holds a
lock (wait), the file is damaged (move it aside), or neither (leave the file alone).

By SQLite's error code rather than the message, so a busy database under load is never taken for
a corrupt one and moved aside while another process still writes to it.
"""

from __future__ import annotations

import sqlite3

_BUSY_CODES = frozenset({5, 6, 15})  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL (WAL contention)
_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def error_kind(exc: sqlite3.DatabaseError) -> str:
    """"busy" (another process holds a lock: wait, never move the file), "corrupt" (SQLite says
    the file is damaged or not a database: move it aside) or "other" (cannot open, read-only,
    disk full...: the file is fine, the circumstances are not). By SQLite's error code; an error
    without one is this module's own integrity check, i.e. corrupt."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "other" if isinstance(exc, sqlite3.OperationalError) else "corrupt"
    primary = code & 0xFF
    if primary in _BUSY_CODES:
        return "busy"
    return "corrupt" if primary in _CORRUPT_CODES else "other"
