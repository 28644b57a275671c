"""The app's own state (named watchlists, the active one, in-app choices), saved atomically.

The config is the user's hand-written file and is never rewritten; what the user changes inside the
app lives here, in ``<data dir>/state.json``. Saving writes a temp file in the same folder, flushes
and fsyncs it, renames it over the old file and fsyncs the folder, so a crash or a full disk at any
moment leaves either the old file or the new one, never a half-written one. A corrupt state file is
moved aside with a warning and the defaults are used; a file with one bad watchlist (a bad name,
not a list) or bad symbols loses only those, with a warning naming each; loading never raises for
a bad file.

The editing helpers are pure: they take a state and return a new one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.config import DEFAULT_WATCHLIST
from analysis.symbols import SymbolError, validate_symbol
from analysis.user_alerts import MAX_ALERTS, UserAlert, alert_from_json, alert_to_json

STATE_VERSION = 1
DEFAULT_NAME = "default"
MAX_WATCHLISTS = 50
MAX_SYMBOLS = 500
_NAME_RE = re.compile(r"^[\w][\w .\-]{0,29}$")


class StateWarning(UserWarning):
    """The state file could not be used as it was (corrupt, or with bad entries)."""


class StateError(OSError):
    """The state could not be saved; the old file is untouched. The message names the file."""


class WatchlistError(ValueError):
    """A bad watchlist edit (bad or duplicate name, unknown list); the message says why."""


def _freeze(watchlists: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({name: tuple(syms) for name, syms in watchlists.items()})


@dataclass(frozen=True)
class AppState:
    """Named watchlists (in the order the user made them), the active one, and in-app choices.

    ``theme``: the theme picked with ``t`` (None: use ``--theme`` / the config).
    ``race_start``: a race start set in the app, ISO date (None: the config's).
    ``alerts``: the alerts the trader set (``analysis.user_alerts``), in the order set.
    """

    watchlists: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: _freeze({DEFAULT_NAME: DEFAULT_WATCHLIST}))
    active: str = DEFAULT_NAME
    theme: str | None = None
    race_start: str | None = None
    alerts: tuple[UserAlert, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "watchlists", _freeze(self.watchlists))
        object.__setattr__(self, "alerts", tuple(self.alerts))
        if self.active not in self.watchlists:
            raise WatchlistError(f"active watchlist '{self.active}' does not exist")

    @property
    def symbols(self) -> tuple[str, ...]:
        """The active watchlist."""
        return self.watchlists[self.active]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.watchlists)


def default_state(default_watchlist: Iterable[str] = DEFAULT_WATCHLIST) -> AppState:
    return AppState(watchlists={DEFAULT_NAME: tuple(default_watchlist)})


# ---- pure edits ---------------------------------------------------------------------------------

def validate_name(name: str) -> str:
    """A watchlist name: 1-30 letters, digits, spaces, '.', '-' or '_'; returned stripped."""
    if not isinstance(name, str):
        raise WatchlistError(f"a watchlist name must be text, not {type(name).__name__}")
    clean = name.strip()
    if not _NAME_RE.match(clean):
        shown = clean if clean.isprintable() else repr(clean)
        raise WatchlistError(
            f"'{shown}' is not a watchlist name: use 1-30 letters, digits, spaces, . - _")
    return clean


def _with_list(state: AppState, symbols: tuple[str, ...], name: str | None) -> AppState:
    target = state.active if name is None else name
    lists = dict(state.watchlists)
    lists[target] = symbols
    return dataclasses.replace(state, watchlists=lists)


def _list(state: AppState, name: str | None) -> tuple[str, ...]:
    target = state.active if name is None else name
    if target not in state.watchlists:
        raise WatchlistError(f"no watchlist named '{target}'")
    return state.watchlists[target]


def add_symbol(state: AppState, symbol: str, watchlist: str | None = None,
               at: int | None = None) -> AppState:
    """Append ``symbol`` (validated; raises SymbolError) to the active (or named) list, or insert
    it at place ``at`` (an undone removal goes back where it was); a symbol already there leaves
    the state unchanged."""
    sym = validate_symbol(symbol)
    current = _list(state, watchlist)
    if sym in current:
        return state
    if len(current) >= MAX_SYMBOLS:
        raise WatchlistError(f"a watchlist holds at most {MAX_SYMBOLS} symbols")
    if at is None:
        return _with_list(state, (*current, sym), watchlist)
    at = min(max(int(at), 0), len(current))
    return _with_list(state, (*current[:at], sym, *current[at:]), watchlist)


def remove_symbol(state: AppState, symbol: str, watchlist: str | None = None) -> AppState:
    """Remove ``symbol`` from the active (or named) list; absent means unchanged."""
    sym = validate_symbol(symbol)
    current = _list(state, watchlist)
    if sym not in current:
        return state
    return _with_list(state, tuple(s for s in current if s != sym), watchlist)


def move_symbol(state: AppState, symbol: str, delta: int, watchlist: str | None = None
                ) -> AppState:
    """Move ``symbol`` by ``delta`` places (negative: up), stopping at either end."""
    sym = validate_symbol(symbol)
    current = list(_list(state, watchlist))
    if sym not in current:
        raise WatchlistError(f"{sym} is not in the watchlist")
    old = current.index(sym)
    new = min(max(old + delta, 0), len(current) - 1)
    if new == old:
        return state
    current.insert(new, current.pop(old))
    return _with_list(state, tuple(current), watchlist)


def create_watchlist(state: AppState, name: str, symbols: Iterable[str] = ()) -> AppState:
    """Add a new named watchlist (after the others); it does not become active."""
    clean = validate_name(name)
    taken = next((n for n in state.watchlists if n.casefold() == clean.casefold()), None)
    if taken is not None:
        raise WatchlistError(f"a watchlist named '{taken}' already exists")
    if len(state.watchlists) >= MAX_WATCHLISTS:
        raise WatchlistError(f"at most {MAX_WATCHLISTS} watchlists")
    syms = tuple(dict.fromkeys(validate_symbol(s) for s in symbols))
    return dataclasses.replace(state, watchlists={**state.watchlists, clean: syms})


def delete_watchlist(state: AppState, name: str) -> AppState:
    """Remove a watchlist; the last one cannot go. Deleting the active one activates the first."""
    _list(state, name)
    if len(state.watchlists) == 1:
        raise WatchlistError("the last watchlist cannot be deleted")
    lists = {n: s for n, s in state.watchlists.items() if n != name}
    active = state.active if state.active != name else next(iter(lists))
    return dataclasses.replace(state, watchlists=lists, active=active)


def switch_watchlist(state: AppState, name: str) -> AppState:
    """Make ``name`` the active watchlist."""
    _list(state, name)
    return dataclasses.replace(state, active=name)


def cycle_watchlist(state: AppState, step: int = 1) -> AppState:
    """The next (``step`` > 0) or previous watchlist, wrapping: for the switch key."""
    names = state.names
    return switch_watchlist(state, names[(names.index(state.active) + step) % len(names)])


def add_alert(state: AppState, alert: UserAlert) -> AppState:
    """Append an alert (its id must be new; at most MAX_ALERTS)."""
    if any(a.id == alert.id for a in state.alerts):
        raise WatchlistError(f"an alert with id {alert.id} exists")
    if len(state.alerts) >= MAX_ALERTS:
        raise WatchlistError(f"at most {MAX_ALERTS} alerts: delete some first")
    return dataclasses.replace(state, alerts=(*state.alerts, alert))


def set_alerts(state: AppState, alerts: Iterable[UserAlert]) -> AppState:
    """The same state with these alerts (deleting, retiring fired ones)."""
    return dataclasses.replace(state, alerts=tuple(alerts))


# ---- file ---------------------------------------------------------------------------------------

def to_json(state: AppState) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "active": state.active,
        "watchlists": {name: list(syms) for name, syms in state.watchlists.items()},
        "theme": state.theme,
        "race_start": state.race_start,
        "alerts": [alert_to_json(a) for a in state.alerts],
    }


def from_json(data: Any, warn: Callable[[str], None]) -> AppState:
    """Build a state from parsed JSON. Raises ValueError when the structure is unusable (no
    usable watchlist at all); a watchlist with a bad name or that is not a list is dropped, and a
    bad symbol too, each with a warning naming it, and the rest is kept."""
    if not isinstance(data, dict) or not isinstance(data.get("watchlists"), dict):
        raise ValueError("expected an object with a 'watchlists' object")
    if not data["watchlists"]:
        raise ValueError("no watchlists")
    lists: dict[str, tuple[str, ...]] = {}
    dropped: list[str] = []  # said once we know whether any other watchlist is kept
    for raw_name, raw_syms in data["watchlists"].items():
        try:
            name = validate_name(raw_name)
            if not isinstance(raw_syms, list):
                raise WatchlistError(f"watchlist '{name}' is not a list of symbols")
        except WatchlistError as exc:
            dropped.append(f"dropped the watchlist {str(raw_name)[:40]!r}: {exc}; the other "
                           "watchlists are kept (the next save leaves it out)")
            continue
        syms: dict[str, None] = {}
        for raw in raw_syms:
            try:
                syms.setdefault(validate_symbol(raw), None)
            except SymbolError as exc:
                warn(f"watchlist '{name}': dropped a bad symbol: {exc}")
        lists[name] = tuple(syms)
    if not lists:  # nothing is kept: the caller moves the whole file aside and says so
        raise ValueError("no usable watchlist")
    for message in dropped:
        warn(message)
    active = data.get("active")
    if active not in lists:
        active = next(iter(lists))
    theme, race_start = data.get("theme"), data.get("race_start")
    return AppState(
        watchlists=lists, active=active,
        theme=theme if isinstance(theme, str) and theme else None,
        race_start=race_start if isinstance(race_start, str) and race_start else None,
        alerts=_alerts_from_json(data.get("alerts"), warn),
    )


def _alerts_from_json(raw: Any, warn: Callable[[str], None]) -> tuple[UserAlert, ...]:
    """The saved alerts; a bad entry (or a repeated id) is dropped with a warning."""
    out: dict[str, UserAlert] = {}
    for entry in raw if isinstance(raw, list) else []:
        try:
            alert = alert_from_json(entry)
        except ValueError as exc:
            warn(f"dropped a bad alert: {exc}")
            continue
        if alert.id and alert.id not in out:
            out[alert.id] = alert
    return tuple(out.values())[:MAX_ALERTS]


def _default_warn(message: str) -> None:
    warnings.warn(message, StateWarning, stacklevel=3)


def load_state(path: Path | None = None, default_watchlist: Iterable[str] = DEFAULT_WATCHLIST,
               warn: Callable[[str], None] | None = None) -> AppState:
    """Read the state file (default ``<data dir>/state.json``). A missing file gives the defaults
    (one list, "default" = ``default_watchlist``); a corrupt one is renamed to
    ``state.json.corrupt-<time>`` and reported through ``warn`` (default: a StateWarning)."""
    from analysis.paths import state_file

    path = Path(path) if path is not None else state_file()
    warn = warn or _default_warn
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return default_state(default_watchlist)
    except OSError as exc:
        warn(f"cannot read the state file {path}: {exc}; using defaults")
        return default_state(default_watchlist)
    try:
        return from_json(json.loads(raw.decode("utf-8")),
                         lambda message: warn(f"the state file {path}: {message}"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            os.replace(path, aside)
            where = f"moved to {aside}"
        except OSError as move_exc:
            where = f"could not be moved aside ({move_exc})"
        warn(f"the state file {path} was unreadable ({exc}); it was {where}; using defaults")
        return default_state(default_watchlist)


def save_state(state: AppState, path: Path | None = None) -> Path:
    """Write the state atomically (temp file, flush, fsync, rename, fsync the folder).

    Every name and symbol is validated first. On any failure the temp file is removed, the old
    file is left as it was, and StateError is raised naming the file. Returns the path written.
    """
    from analysis.paths import state_file

    path = Path(path) if path is not None else state_file()
    for name, syms in state.watchlists.items():
        validate_name(name)
        for sym in syms:
            validate_symbol(sym)
    payload = (json.dumps(to_json(state), indent=2, ensure_ascii=True) + "\n").encode("ascii")
    from analysis.atomic import write_atomically

    try:
        write_atomically(path, payload, durable=True)
    except OSError as exc:
        raise StateError(f"could not save the state to {path}: {exc}") from exc
    return path
