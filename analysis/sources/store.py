"""The bar store: daily bars per symbol in SQLite in the user cache dir, and a source serving them.

One table of bars keyed by (symbol, interval, ts) — ``ts`` is the bar's timestamp in epoch seconds
(UTC), so a round trip keeps the exact instant and the symbol's time zone comes back via
``tz_for`` — and one small table per (symbol, interval) saying which source last wrote it and when.

Safe with two ``basewatch`` processes writing at once: WAL journal, a busy timeout, and every upsert
in one ``BEGIN IMMEDIATE`` transaction. A corrupt file is moved aside
(``bars.sqlite3.corrupt-<stamp>``) and rebuilt; the reason is kept in ``BarStore.warning`` — never a
crash. A file you may not read and write is left where it is. In those cases, and if a rebuild
fails, the store lives in memory for this run (also with a warning). Symbols are
validated before any SQL, and every query is parameterised. Nothing is cached in memory.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.bars import COLUMNS, empty_bars, normalize_bars, tz_for
from analysis.sources.base import FetchResult, SourceError
from analysis.symbols import split_valid, validate_symbol

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 15_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS bars (
    symbol TEXT NOT NULL, interval TEXT NOT NULL, ts INTEGER NOT NULL,
    open REAL, high REAL, low REAL, close REAL NOT NULL, volume REAL, adj_close REAL,
    PRIMARY KEY (symbol, interval, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS symbols (
    symbol TEXT NOT NULL, interval TEXT NOT NULL, source TEXT NOT NULL, fetched_at TEXT NOT NULL,
    PRIMARY KEY (symbol, interval)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
_COLS = ", ".join(COLUMNS)
_UPSERT = (
    f"INSERT INTO bars (symbol, interval, ts, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (symbol, interval, ts) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS)
)
_MARK = (
    "INSERT INTO symbols (symbol, interval, source, fetched_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (symbol, interval) DO UPDATE SET source = excluded.source, "
    "fetched_at = excluded.fetched_at"
)


@dataclass(frozen=True)
class SymbolStatus:
    """What the store holds for one symbol: who wrote it, when, and the span of its bars."""

    symbol: str
    interval: str
    source: str
    first: pd.Timestamp
    last: pd.Timestamp
    rows: int
    fetched_at: datetime | None


class StoreError(SourceError):
    """The store could not be used (e.g. another process held a write lock for too long)."""


def _interval(interval: str) -> str:
    if interval not in ("1d", "1wk"):
        raise ValueError(f"unsupported interval {interval!r}")
    return interval


class BarStore:
    """SQLite bar store (see the module docstring). Thread-safe; use one per process."""

    def __init__(self, path: Path | str | None = None) -> None:
        from analysis.paths import store_file

        self.path = Path(path) if path is not None else store_file()
        self.warning: str | None = None
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- opening, corruption and rebuilding -------------------------------------------------------

    def _connect(self, target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if target != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                row = conn.execute("PRAGMA quick_check").fetchone()
                if row is None or row[0] != "ok":
                    raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else '?'}")
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                         (SCHEMA_VERSION,))
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        if self.path.is_file() and not os.access(self.path, os.R_OK | os.W_OK):
            # Not ours to read or write (permissions, another user's file): moving it aside
            # would fix nothing and surprise its owner. Leave it where it is.
            return self._in_memory(f"bar store {self.path} is not readable and writable by you "
                                   f"(permission denied; check: ls -l {self.path})")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect(str(self.path))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                # Another process is rebuilding or holding a write lock for too long; don't
                # move a healthy file aside, work in memory this run instead.
                return self._in_memory(f"bar store {self.path} is busy ({exc})")
            return self._rebuild(exc)
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._rebuild(exc)

    def _rebuild(self, reason: Exception) -> sqlite3.Connection:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            if self.path.exists():
                self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(aside.with_name(aside.name + suffix))
            conn = self._connect(str(self.path))
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._in_memory(f"bar store {self.path} is unusable ({reason}; {exc})")
        self.warning = (f"bar store {self.path} could not be read ({reason}); moved it to "
                        f"{aside.name} and started a new one")
        return conn

    def _in_memory(self, why: str) -> sqlite3.Connection:
        self.warning = f"{why}; keeping bars in memory for this run"
        return self._connect(":memory:")

    def _run(self, fn, *, write: bool = False):
        """Run ``fn(conn)`` under the lock; a corrupt file found mid-way is rebuilt and retried."""
        with self._lock:
            try:
                return self._txn(fn) if write else fn(self._conn)
            except sqlite3.OperationalError as exc:
                raise StoreError(f"bar store {self.path}: {exc}") from exc
            except sqlite3.DatabaseError as exc:
                self._conn.close()
                self._conn = self._rebuild(exc)
                return self._txn(fn) if write else fn(self._conn)

    def run(self, fn, *, write: bool = False):
        """``fn(conn)`` on the store's connection (``write``: in one immediate transaction), for
        the modules keeping their own tables in this file (``analysis.sources.minute_store``)."""
        return self._run(fn, write=write)

    def _txn(self, fn):
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            out = fn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return out

    # -- writing ----------------------------------------------------------------------------------

    def upsert(self, symbol: str, bars: pd.DataFrame, source: str, interval: str = "1d",
               fetched_at: datetime | None = None, *, replace: bool = False,
               readjust: float | None = None) -> int:
        """Insert or replace ``bars`` of ``symbol`` in one transaction and record who wrote them.

        Bars already stored at the same timestamps are replaced (today's bar may have been partial).
        ``replace``: every stored bar of the symbol is dropped first, in the same transaction (the
        source rescaled the whole history, e.g. after a split). ``readjust``: the adjusted close of
        every stored bar older than the first of ``bars`` is multiplied by it, in the same
        transaction (a dividend went ex since they were stored: the source re-adjusted the older
        history). Returns the number of bars written.
        """
        import numpy as np

        sym = validate_symbol(symbol)
        interval = _interval(interval)
        frame = normalize_bars(bars, tz=tz_for(sym)) if len(bars) else bars
        stamp = (fetched_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        rows: list[tuple] = []
        if len(frame):
            secs = frame.index.as_unit("s").asi8.tolist()
            values = frame[list(COLUMNS)].to_numpy(dtype="float64")
            cells = np.where(np.isnan(values), None, values).tolist()
            rows = [(sym, interval, ts, *vals) for ts, vals in zip(secs, cells, strict=True)]

        def write(conn: sqlite3.Connection) -> int:
            if replace:
                conn.execute("DELETE FROM bars WHERE symbol = ? AND interval = ?", (sym, interval))
            if readjust is not None and rows:
                conn.execute("UPDATE bars SET adj_close = adj_close * ? WHERE symbol = ? AND "
                             "interval = ? AND ts < ?", (float(readjust), sym, interval, secs[0]))
            if rows:
                conn.executemany(_UPSERT, rows)
            conn.execute(_MARK, (sym, interval, source, stamp))
            return len(rows)

        return self._run(write, write=True)

    # -- reading ----------------------------------------------------------------------------------

    def load(self, symbol: str, interval: str = "1d") -> pd.DataFrame:
        """Every stored bar of ``symbol``: a bar frame in the symbol's time zone (may be empty)."""
        import numpy as np
        import pandas as pd

        sym = validate_symbol(symbol)
        interval = _interval(interval)
        tz = tz_for(sym)
        rows = self._run(lambda c: c.execute(
            f"SELECT ts, {_COLS} FROM bars WHERE symbol = ? AND interval = ? ORDER BY ts",
            (sym, interval)).fetchall())
        if not rows:
            return empty_bars(tz)
        arr = np.array(rows, dtype="float64")
        index = pd.DatetimeIndex(pd.to_datetime(arr[:, 0].astype("int64"), unit="s", utc=True),
                                 name="date").tz_convert(tz)
        return pd.DataFrame(arr[:, 1:], index=index, columns=list(COLUMNS))

    def last_bar(self, symbol: str, interval: str = "1d") -> pd.Series | None:
        """The newest stored bar of ``symbol`` (named by its tz-aware timestamp), None if none."""
        import pandas as pd

        sym = validate_symbol(symbol)
        row = self._run(lambda c: c.execute(
            f"SELECT ts, {_COLS} FROM bars WHERE symbol = ? AND interval = ? "
            "ORDER BY ts DESC LIMIT 1", (sym, _interval(interval))).fetchone())
        if row is None:
            return None
        stamp = pd.Timestamp(row[0], unit="s", tz="UTC").tz_convert(tz_for(sym))
        return pd.Series([float("nan") if v is None else float(v) for v in row[1:]],
                         index=list(COLUMNS), name=stamp, dtype="float64")

    def last_timestamp(self, symbol: str, interval: str = "1d") -> pd.Timestamp | None:
        """Timestamp of the newest stored bar of ``symbol`` (tz-aware), None when there is none."""
        import pandas as pd

        sym = validate_symbol(symbol)
        row = self._run(lambda c: c.execute(
            "SELECT MAX(ts) FROM bars WHERE symbol = ? AND interval = ?",
            (sym, _interval(interval))).fetchone())
        if row is None or row[0] is None:
            return None
        return pd.Timestamp(row[0], unit="s", tz="UTC").tz_convert(tz_for(sym))

    def symbols(self, interval: str = "1d") -> list[str]:
        """Symbols with at least one stored bar, sorted."""
        rows = self._run(lambda c: c.execute(
            "SELECT DISTINCT symbol FROM bars WHERE interval = ? ORDER BY symbol",
            (_interval(interval),)).fetchall())
        return [r[0] for r in rows]

    def status(self, interval: str = "1d") -> list[SymbolStatus]:
        """Per stored symbol: source, first and last bar, row count and when it was fetched."""
        import pandas as pd

        rows = self._run(lambda c: c.execute(
            "SELECT b.symbol, COALESCE(s.source, '?'), MIN(b.ts), MAX(b.ts), COUNT(*), "
            "s.fetched_at "
            "FROM bars b LEFT JOIN symbols s ON s.symbol = b.symbol AND s.interval = b.interval "
            "WHERE b.interval = ? GROUP BY b.symbol ORDER BY b.symbol",
            (_interval(interval),)).fetchall())
        out = []
        for sym, source, first, last, count, fetched in rows:
            tz = tz_for(sym)
            out.append(SymbolStatus(
                symbol=sym, interval=interval, source=source,
                first=pd.Timestamp(first, unit="s", tz="UTC").tz_convert(tz),
                last=pd.Timestamp(last, unit="s", tz="UTC").tz_convert(tz),
                rows=int(count),
                fetched_at=datetime.fromisoformat(fetched) if fetched else None,
            ))
        return out

    def fetched_at(self, symbol: str, interval: str = "1d") -> datetime | None:
        """When ``symbol`` was last written (UTC), None if never."""
        sym = validate_symbol(symbol)
        row = self._run(lambda c: c.execute(
            "SELECT fetched_at FROM symbols WHERE symbol = ? AND interval = ?",
            (sym, _interval(interval))).fetchone())
        return datetime.fromisoformat(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> BarStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoreSource:
    """Serves only what the bar store already holds; never touches the network.

    ``fetched_at`` of the result is the OLDEST time any served symbol was fetched, so "as of" is
    never flattering; the note gives the range.
    """

    name = "store"

    def __init__(self, store: BarStore | None = None) -> None:
        self.store = store if store is not None else BarStore()

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        bars: dict[str, pd.DataFrame] = {}
        valid, errors = split_valid(symbols)
        stamps: list[datetime] = []
        for sym in valid:
            df = self.store.load(sym)
            if df.empty:
                errors[sym] = f"no stored bars for {sym} (run: basewatch data fetch {sym})"
                continue
            bars[sym] = df
            when = self.store.fetched_at(sym)
            if when is not None:
                stamps.append(when)
        note = ""
        if stamps:
            lo, hi = min(stamps), max(stamps)
            note = f"stored bars fetched {lo:%Y-%m-%d %H:%M} UTC"
            if hi - lo > timedelta(minutes=1):
                note = f"stored bars fetched {lo:%Y-%m-%d %H:%M} .. {hi:%Y-%m-%d %H:%M} UTC"
        if self.store.warning:
            note = f"{note}; {self.store.warning}" if note else self.store.warning
        return FetchResult(bars=bars, source="store",
                           fetched_at=min(stamps) if stamps else datetime.now(UTC),
                           errors=errors, note=note)

