"""The last snapshot the dashboard showed, kept in one small file so the next start can paint rows
at once, before numpy and pandas are imported (marked as cached until the first refresh lands).

``save`` writes the snapshot as JSON (atomically: a temp file in the same folder, renamed over the
old one; at most ``MAX_BYTES``), under a ``key`` that names the config, the data source and the
universe it was computed for. ``load`` returns it only for the same key and format; a missing,
corrupt, old-format, oversized or mismatched file gives None (logged, never raised).

What comes back is not the analysis dataclasses (their modules import numpy) but ``Record``
objects: read-only, the same field names, dates and datetimes restored, tuples for sequences and
read-only mappings for mappings, so the panes render them as they render a live snapshot. This
module imports nothing heavier than json and hashlib.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 3  # 2: SymbolFacts.instrument, Base.why; 3: breakout.pct_vs_level (was pct_to_level)
"""Bump when the file layout or a field the panes read changes: older files are then ignored."""
MAX_BYTES = 4_000_000
FILE_NAME = "last_snapshot.json"


class Record:
    """A read-only stand-in for one result dataclass (``kind`` is its class name)."""

    __slots__ = ("_kind", "_fields")

    def __init__(self, kind: str, fields: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"{self._kind} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._kind} is read-only")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Record) and self._kind == other._kind
                and self._fields == other._fields)

    def __hash__(self) -> int:
        return hash((self._kind, tuple(self._fields)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"{self._kind}({inner})"


@dataclass(frozen=True)
class CachedSnapshot:
    """A snapshot read back from the cache: ``saved_at`` is when it was written (UTC), i.e. the
    last time it was on screen; ``snapshot`` has a Snapshot's fields, as Records."""

    key: str
    saved_at: datetime
    snapshot: Any


def cache_file() -> Path:
    from analysis.paths import cache_dir

    return cache_dir() / FILE_NAME


def cache_key(config: Any, source: str, universe: Iterable[str]) -> str:
    """A digest of the config, the source spec and the set of symbols (order does not matter:
    reordering a watchlist keeps the cache)."""
    text = json.dumps([FORMAT, repr(config), source, sorted(set(universe))])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def encode(value: Any) -> Any:
    """A dataclass tree as JSON values: {"@": class name, fields...}, {"@d": date},
    {"@t": datetime}, {"@m": mapping}; tuples and lists become lists, and a sequence of one
    dataclass a table {"@r": class name, "f": field names, "v": rows}. TypeError for anything
    else."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, datetime):
        return {"@t": value.isoformat()}
    if isinstance(value, date):
        return {"@d": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only mappings with str keys can be cached")
        return {"@m": {k: encode(v) for k, v in value.items()}}
    if isinstance(value, (tuple, list)):
        kinds = {type(v) for v in value}
        if len(value) > 1 and len(kinds) == 1 and dataclasses.is_dataclass(value[0]):
            names = [f.name for f in dataclasses.fields(value[0])]  # a table: names once
            return {"@r": type(value[0]).__name__, "f": names,
                    "v": [[encode(getattr(v, n)) for n in names] for v in value]}
        return [encode(v) for v in value]
    if hasattr(value, "item") and type(value).__module__ == "numpy":  # a numpy scalar
        return encode(value.item())
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(value: Any) -> Any:
    """The inverse of ``encode``, with Records for dataclasses."""
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "@" in value:
        return Record(value["@"], {k: decode(v) for k, v in value.items() if k != "@"})
    if "@t" in value:
        return datetime.fromisoformat(value["@t"])
    if "@d" in value:
        return date.fromisoformat(value["@d"])
    if "@m" in value:
        return MappingProxyType({k: decode(v) for k, v in value["@m"].items()})
    if "@r" in value:
        kind, names = value["@r"], value["f"]
        return tuple(Record(kind, dict(zip(names, map(decode, row), strict=True)))
                     for row in value["v"])
    raise ValueError(f"unknown value in the snapshot cache: {sorted(value)[:3]}")


def for_panes(snapshot: Any) -> Any:
    """The snapshot without what only the drill-down reads: each symbol's streak study (a table
    of past streaks, most of the file otherwise). The drill-down waits for live data anyway."""
    symbols = {
        sym: dataclasses.replace(f, streak=dataclasses.replace(f.streak, study=None))
        if getattr(f.streak, "study", None) is not None else f
        for sym, f in snapshot.symbols.items()
    }
    return dataclasses.replace(snapshot, symbols=symbols)


def save(snapshot: Any, key: str, saved_at: datetime, path: Path | None = None) -> bool:
    """Write ``snapshot`` (``for_panes``) under ``key`` atomically; False (logged) when it cannot
    be encoded, is larger than MAX_BYTES or the write fails (the old file then stays as it was)."""
    path = Path(path) if path is not None else cache_file()
    try:
        body = {"format": FORMAT, "key": key, "saved_at": saved_at.isoformat(),
                "snapshot": encode(for_panes(snapshot))}
        payload = json.dumps(body, separators=(",", ":")).encode()
    except (AttributeError, TypeError, ValueError, RecursionError) as exc:  # never fail a refresh
        log.warning("snapshot cache: not saved: %s", exc)
        return False
    if len(payload) > MAX_BYTES:
        log.warning("snapshot cache: not saved: %d bytes is over %d", len(payload), MAX_BYTES)
        return False
    from analysis.atomic import write_atomically

    try:
        write_atomically(path, payload)
    except OSError as exc:
        log.warning("snapshot cache: not saved to %s: %s", path, exc)
        return False
    return True


def load(key: str, path: Path | None = None) -> CachedSnapshot | None:
    """The cached snapshot for ``key``, or None (missing, unreadable, corrupt, other format,
    too large, or written for another config, source or universe)."""
    path = Path(path) if path is not None else cache_file()
    try:
        if path.stat().st_size > MAX_BYTES:
            log.info("snapshot cache: %s is too large, ignored", path)
            return None
        body = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.info("snapshot cache: %s unreadable, ignored: %s", path, exc)
        return None
    try:
        if body.get("format") != FORMAT:
            log.info("snapshot cache: format %r, not %d: ignored", body.get("format"), FORMAT)
            return None
        if body.get("key") != key:
            log.info("snapshot cache: written for another config, source or universe: ignored")
            return None
        snapshot = decode(body["snapshot"])
        saved_at = datetime.fromisoformat(body["saved_at"])
        if not isinstance(snapshot, Record) or snapshot._kind != "Snapshot":
            raise ValueError("not a snapshot")
        snapshot.market.clock  # noqa: B018 - the panes read these; fail here, not on screen
        dict(snapshot.symbols), dict(snapshot.errors)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        log.info("snapshot cache: %s is corrupt, ignored: %s", path, exc)
        return None
    return CachedSnapshot(key, saved_at, snapshot)
