"""Key remapping from the config's ``[keys]`` table: validate it and build Textual's keymap.

``[keys]`` maps a binding id to a key string (``refresh = "f5"``, several keys comma-separated:
``drill = "enter,l"``). Textual does the remapping itself (``App.set_keymap``: every Binding whose
``id`` is in the keymap gets the new keys); this module checks the table first, so a typo or two
actions on one key give a clear message instead of a silently dead key:

- an unknown binding id names the valid ids (and the closest one);
- a key Textual cannot produce (``"F5"``, ``"ctl+r"``) says what is wrong;
- a clash (two different actions on one key in the same scope, where the app-wide scope counts
  as part of every screen) is reported, and the remap that caused it is dropped, so the default
  keys stay usable.

The caller passes its bindings grouped by scope (the App's, each Screen's, plus any widget bindings
that are live on that screen, e.g. a DataTable's), and gives the returned keymap to
``App.set_keymap``.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from textual.binding import Binding, BindingType
from textual.keys import Keys

from tui.keys.textual_adapter import character_key_name

MODIFIERS: frozenset[str] = frozenset({"alt", "ctrl", "hyper", "meta", "shift", "super"})
# Every key name Textual can report: its named keys and the names of printable ASCII characters.
KEY_NAMES: frozenset[str] = frozenset(
    {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")}
    | {character_key_name(chr(c)) for c in range(33, 127)}
    | {"space"}
) - {"ctrl-at"}


@dataclass(frozen=True)
class KeymapResult:
    """``keymap`` (binding id -> normalised keys) is what ``App.set_keymap`` wants; ``problems`` are
    one-line messages for the user, each starting with ``[keys]``."""

    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[str, ...] = ()


class KeyStringError(ValueError):
    """A key string Textual would never match; the message says why."""


def normalize_key(key: str) -> str:
    """One key as Textual names it: ``"Ctrl+R"`` -> ``"ctrl+r"``, ``"?"`` -> ``"question_mark"``,
    ``"shift+ctrl+x"`` -> ``"ctrl+shift+x"``. Raises KeyStringError."""
    raw = key.strip()
    if not raw:
        raise KeyStringError("empty key")
    if raw == "+":
        return "plus"
    *mods, base = raw.split("+")
    mods = [m.strip().lower() for m in mods]
    for mod in mods:
        if mod not in MODIFIERS:
            raise KeyStringError(
                f"'{mod}' in '{raw}' is not a modifier (use {', '.join(sorted(MODIFIERS))})"
            )
    if len(set(mods)) != len(mods):
        raise KeyStringError(f"'{raw}' repeats a modifier")
    base = base.strip()
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            raise KeyStringError(f"{base!r} is not a key")
        # With a modifier the terminal reports the letter in lower case (ctrl+R arrives as ctrl+r).
        base = character_key_name(base.lower() if mods else base)
    else:
        base = base.lower()
    if base not in KEY_NAMES:
        close = difflib.get_close_matches(base, sorted(KEY_NAMES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise KeyStringError(f"'{base}' is not a key name Textual knows{hint}")
    return "+".join([*sorted(mods), base])


def normalize_keys(keys: str) -> tuple[str, ...]:
    """A comma-separated key list, each normalised; duplicates dropped (order kept)."""
    if not isinstance(keys, str):
        raise KeyStringError(f"expected a key in quotes, got {keys!r}")
    out = tuple(dict.fromkeys(normalize_key(k) for k in keys.split(",")))
    return out


def _expand(bindings: Iterable[BindingType]) -> list[Binding]:
    return list(Binding.make_bindings(bindings))


def _label(binding: Binding) -> str:
    return binding.id or binding.action


def _clashes(
    scopes: Mapping[str, list[Binding]], remap: Mapping[str, tuple[str, ...]],
    global_scopes: Collection[str],
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(scope, key, labels) for each key held by two different actions, one of them remapped."""
    shared = [b for s in global_scopes if s in scopes for b in scopes[s]]
    found: list[tuple[str, str, tuple[str, ...]]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for scope, own in scopes.items():
        pool = own if scope in global_scopes else [*own, *shared]
        holders: dict[str, dict[str, bool]] = {}
        for binding in pool:
            remapped = binding.id in remap
            keys = remap[binding.id] if remapped else (binding.key,)
            for key in keys:
                holders.setdefault(key, {})
                label = _label(binding)
                holders[key][label] = holders[key].get(label, False) or remapped
        for key, labels in holders.items():
            if len(labels) > 1 and any(labels.values()):
                names = tuple(sorted(labels))
                if (key, names) not in seen:
                    seen.add((key, names))
                    found.append((scope, key, names))
    return found


def apply_keymap(
    bindings_by_scope: Mapping[str, Iterable[BindingType]],
    keys: Mapping[str, str],
    *,
    global_scopes: Collection[str] = ("app",),
) -> KeymapResult:
    """Check ``keys`` (the config's ``[keys]``: binding id -> key string) against the bindings.

    ``bindings_by_scope`` maps a scope name ("app", "dashboard", "drilldown", ...) to the bindings
    live there; bindings in ``global_scopes`` are active on every screen, so they can clash with
    any scope. Returns the keymap to pass to ``App.set_keymap`` (good entries only) and the
    problems. A clash drops the user's remap(s) involved, so the default keys keep working.
    """
    scopes = {name: _expand(b) for name, b in bindings_by_scope.items()}
    valid_ids = sorted({b.id for bs in scopes.values() for b in bs if b.id})
    problems: list[str] = []
    remap: dict[str, tuple[str, ...]] = {}
    for binding_id, key_string in keys.items():
        if binding_id not in valid_ids:
            close = difflib.get_close_matches(binding_id, valid_ids, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(f"[keys] unknown binding id '{binding_id}'.{hint} "
                            f"Valid ids: {', '.join(valid_ids)}")
            continue
        try:
            remap[binding_id] = normalize_keys(key_string)
        except KeyStringError as exc:
            problems.append(f"[keys] {binding_id} = {key_string!r}: {exc}")
    while True:
        clashes = _clashes(scopes, remap, global_scopes)
        if not clashes:
            break
        scope, key, labels = clashes[0]
        dropped = [label for label in labels if label in remap]
        problems.append(
            f"[keys] clash in {scope}: '{key}' would do both "
            f"{' and '.join(repr(x) for x in labels)}; ignoring the remap of "
            f"{', '.join(repr(x) for x in dropped)} (its default key stays)"
        )
        for label in dropped:
            del remap[label]
    keymap = {bid: ",".join(ks) for bid, ks in remap.items()}
    return KeymapResult(MappingProxyType(keymap), tuple(problems))
