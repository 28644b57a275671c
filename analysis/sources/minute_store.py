"""5-minute bars kept in the bar store's file for a few sessions: a table of their own, bounded.

``save_minutes`` upserts a fetched minute frame (``analysis.sources.minute_bars``) and, in the same
transaction, drops the symbol's bars older than its last ``KEEP_SESSIONS`` session days (dates in
the symbol's time zone), so the table never grows past about KEEP_SESSIONS x 192 rows a symbol.
``load_minutes`` reads them back with when they were fetched. The daily ``bars`` table is never
touched: a minute bar is never taken for a session's final bar.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from analysis.bars import tz_for
from analysis.sources.minute_bars import MINUTE_COLUMNS, SESSIONS, empty_minutes
from analysis.symbols import validate_symbol

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.store import BarStore

KEEP_SESSIONS = 5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS minute_bars (
    symbol TEXT NOT NULL, ts INTEGER NOT NULL, open REAL, high REAL, low REAL, close REAL NOT NULL,
    volume REAL, session INTEGER NOT NULL, PRIMARY KEY (symbol, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS minute_fetched (
    symbol TEXT PRIMARY KEY, fetched_at TEXT NOT NULL
) WITHOUT ROWID;
"""
_UPSERT = ("INSERT INTO minute_bars (symbol, ts, open, high, low, close, volume, session) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, ts) DO UPDATE SET "
           "open = excluded.open, high = excluded.high, low = excluded.low, "
           "close = excluded.close, volume = excluded.volume, session = excluded.session")


def _ensure(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, _SCHEMA.split(";")):  # inside the caller's transaction
        conn.execute(statement)


def _cutoff(secs: np.ndarray, tz: str, keep: int) -> int | None:
    """First timestamp of the ``keep``-th latest session day among ``secs`` (None: keep all)."""
    import pandas as pd

    days = pd.DatetimeIndex(pd.to_datetime(secs, unit="s", utc=True)).tz_convert(tz).normalize()
    unique = days.unique().sort_values()
    if len(unique) <= keep:
        return None
    first_kept = unique[-keep]
    return int(secs[np.flatnonzero(days >= first_kept)[0]])


def save_minutes(store: BarStore, symbol: str, frame: pd.DataFrame,
                 fetched_at: datetime | None = None, keep: int = KEEP_SESSIONS) -> int:
    """Store ``frame``'s bars of ``symbol`` and prune to the last ``keep`` sessions (one
    transaction); returns how many bars the symbol has stored afterwards."""
    sym = validate_symbol(symbol)
    stamp = (fetched_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    secs = frame.index.as_unit("s").asi8 if len(frame) else np.zeros(0, np.int64)
    values = frame[list(MINUTE_COLUMNS)].to_numpy(float) if len(frame) else np.zeros((0, 5))
    codes = (frame["session"].map({s: i for i, s in enumerate(SESSIONS)}).to_numpy(int)
             if len(frame) else np.zeros(0, int))
    cells = np.where(np.isnan(values), None, values).tolist()
    rows = [(sym, int(t), *v, int(c)) for t, v, c in zip(secs, cells, codes, strict=True)]
    tz = tz_for(sym)

    def write(conn: sqlite3.Connection) -> int:
        _ensure(conn)
        conn.executemany(_UPSERT, rows)
        conn.execute("INSERT INTO minute_fetched (symbol, fetched_at) VALUES (?, ?) ON CONFLICT "
                     "(symbol) DO UPDATE SET fetched_at = excluded.fetched_at", (sym, stamp))
        stored = np.array([r[0] for r in conn.execute(
            "SELECT ts FROM minute_bars WHERE symbol = ? ORDER BY ts", (sym,))], np.int64)
        cut = _cutoff(stored, tz, keep) if stored.size else None
        if cut is not None:
            conn.execute("DELETE FROM minute_bars WHERE symbol = ? AND ts < ?", (sym, cut))
            return int(np.count_nonzero(stored >= cut))
        return int(stored.size)

    return store.run(write, write=True)


def load_minutes(store: BarStore, symbol: str) -> tuple[pd.DataFrame, datetime | None]:
    """The stored minute frame of ``symbol`` (may be empty) and when it was fetched (UTC; None
    when never)."""
    import pandas as pd

    sym = validate_symbol(symbol)
    tz = tz_for(sym)

    def read(conn: sqlite3.Connection) -> tuple[list, tuple | None]:
        _ensure(conn)
        rows = conn.execute("SELECT ts, open, high, low, close, volume, session FROM minute_bars "
                            "WHERE symbol = ? ORDER BY ts", (sym,)).fetchall()
        when = conn.execute("SELECT fetched_at FROM minute_fetched WHERE symbol = ?",
                            (sym,)).fetchone()
        return rows, when

    rows, when = store.run(read)
    fetched = datetime.fromisoformat(when[0]) if when else None
    if not rows:
        return empty_minutes(tz), fetched
    arr = np.array(rows, dtype=float)
    index = pd.DatetimeIndex(pd.to_datetime(arr[:, 0].astype(np.int64), unit="s", utc=True),
                             name="time").tz_convert(tz)
    frame = pd.DataFrame(arr[:, 1:6], index=index, columns=list(MINUTE_COLUMNS))
    frame["session"] = np.array(SESSIONS, object)[arr[:, 6].astype(int)]
    return frame, fetched
