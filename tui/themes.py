"""Theme files: load the bundled themes and the user's own, validate them, and convert colours.

A theme is one TOML file. The top level holds Textual's theme colours, ``[variables]`` optional
Textual CSS variable overrides, and ``[semantic]`` the trader colours every widget and chart reads
(all eight are required)::

    name = "my-theme"        # optional; defaults to the file name without .toml
    dark = true              # a dark or a light theme
    ansi = false             # optional; true draws with the terminal's own 16-colour palette
    primary = "#3b82f6"      # required
    secondary = "#6366f1"    # optional, like every colour below
    accent = "#f59e0b"
    foreground = "#e5e7eb"
    background = "#0b1120"
    surface = "#111827"
    panel = "#1f2937"
    boost = "#ffffff"
    success = "#22c55e"
    warning = "#f59e0b"
    error = "#ef4444"
    luminosity_spread = 0.15 # optional Textual tuning numbers
    text_alpha = 0.95

    [variables]              # optional Textual CSS variables, e.g. the cursor row
    block-cursor-background = "#facc15"

    [semantic]               # required, every one of them
    up = "#22c55e"           # rising prices, positive changes
    down = "#ef4444"         # falling prices, negative changes
    breakout = "#facc15"     # a breakout in progress or confirmed
    failed = "#f97316"       # a failed breakout
    stale = "#6b7280"        # data that is old or missing
    zone = "#a78bfa"         # a resistance zone
    pivot = "#38bdf8"        # a pivot / buy point
    ath = "#e879f9"          # a new all-time high

A colour is anything Textual parses: ``#rrggbb``, ``#rgb``, ``rgb(r, g, b)``, ``hsl(...)``, a CSS
colour name (``tomato``), or one of the 16 ANSI colours (``ansi_red``, ``ansi_bright_green``, ...,
``ansi_default`` = the terminal's own colour).

Bundled themes live in the ``themes`` package; users put theme files in ``<config dir>/themes/``.
A user theme with the same name as a bundled one replaces it. A broken file is skipped and named in
the returned messages; loading never raises for a bad file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from tui.semantic import SemanticColors

DEFAULT_THEME = "basewatch-dark"
THEME_COLOURS: tuple[str, ...] = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel", "boost",
    "success", "warning", "error",
)
_NUMBERS = ("luminosity_spread", "text_alpha")
_FLAGS = ("dark", "ansi")
_KNOWN_TOP = {"name", *THEME_COLOURS, *_NUMBERS, *_FLAGS, "variables", "semantic"}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")

class ThemeError(ValueError):
    """A theme file that cannot be used; the message says what is wrong, for the user."""


@dataclass(frozen=True)
class LoadedTheme:
    """A theme ready for the app: Textual's Theme, our trader colours, and where it came from.

    ``source`` is "bundled" or "user"; ``path`` is the file it was read from.
    """

    name: str
    theme: Theme
    semantic: SemanticColors
    path: Path
    source: str = "bundled"

    @property
    def dark(self) -> bool:
        return self.theme.dark


def _colour(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"'{key}' must be a colour in quotes, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"'{key}' = {value!r} is not a colour") from None
    return value


def _variable(name: str, value: Any) -> None:
    """Check a Textual CSS variable: a text style for ``*style*`` names, else a colour.

    A bad value would otherwise crash the app when the stylesheet is parsed.
    """
    key = f"variables.{name}"
    if not isinstance(value, str) or not value.strip():
        raise ThemeError(f"'{key}' must be text in quotes, got {value!r}")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ThemeError(f"'{key}' is not a variable name (lower-case letters, digits, '-')")
    if "style" in name:
        bad = [w for w in value.split() if w not in VALID_STYLE_FLAGS]
        if bad:
            raise ThemeError(f"'{key}' = {value!r}: '{bad[0]}' is not a text style "
                             f"(use {', '.join(sorted(VALID_STYLE_FLAGS))})")
        return
    colour = re.sub(r"\s+\d{1,3}(\.\d+)?%$", "", value.strip())
    if colour in ("auto", "initial"):
        return
    _colour(colour, key)


def parse_theme(text: str, stem: str) -> tuple[Theme, SemanticColors]:
    """Parse one theme file's text (``stem`` is its file name without .toml); raises ThemeError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _KNOWN_TOP)
    if unknown:
        raise ThemeError(f"unknown key '{unknown[0]}' (known: {', '.join(sorted(_KNOWN_TOP))})")
    name = data.get("name", stem)
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ThemeError(f"name {name!r} must be 1-40 letters, digits, '-', '_' or '.'")
    if "primary" not in data:
        raise ThemeError("'primary' is required")
    kwargs: dict[str, Any] = {k: _colour(data[k], k) for k in THEME_COLOURS if k in data}
    for flag in _FLAGS:
        if flag in data:
            if not isinstance(data[flag], bool):
                raise ThemeError(f"'{flag}' must be true or false, got {data[flag]!r}")
            kwargs[flag] = data[flag]
    for num in _NUMBERS:
        if num in data:
            value = data[num]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ThemeError(f"'{num}' must be a number from 0 to 1, got {value!r}")
            kwargs[num] = float(value)
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError("[variables] must be a table of name = \"value\"")
    for var, value in variables.items():
        _variable(var, value)
    semantic = data.get("semantic")
    if not isinstance(semantic, dict):
        raise ThemeError(f"a [semantic] table is required ({', '.join(SemanticColors.names())})")
    missing = [n for n in SemanticColors.names() if n not in semantic]
    if missing:
        raise ThemeError(f"[semantic] is missing {', '.join(repr(m) for m in missing)}")
    extra = sorted(set(semantic) - set(SemanticColors.names()))
    if extra:
        raise ThemeError(
            f"[semantic] has unknown colour '{extra[0]}' "
            f"(known: {', '.join(SemanticColors.names())})"
        )
    colours = {n: _colour(semantic[n], f"semantic.{n}") for n in SemanticColors.names()}
    variables = dict(variables)
    if kwargs.get("ansi"):
        # Textual's ANSI colour system leaves these out, but its Screen CSS needs them.
        variables.setdefault("ansi-background", kwargs.get("background", "ansi_default"))
        variables.setdefault("ansi-foreground", kwargs.get("foreground", "ansi_default"))
    theme = Theme(name=name, variables=variables, **kwargs)
    return theme, SemanticColors(**colours)


def _load_file(path: Path | Any, source: str) -> LoadedTheme:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"cannot read: {exc}") from None
    stem = path.name.removesuffix(".toml")
    theme, semantic = parse_theme(text, stem)
    return LoadedTheme(theme.name, theme, semantic, Path(str(path)), source)


def _theme_files(folder: Iterable[Any]) -> list[Any]:
    return sorted((f for f in folder if f.name.endswith(".toml") and f.is_file()),
                  key=lambda f: f.name)


def bundled_theme_files() -> list[Any]:
    """The theme files shipped in the ``themes`` package (works from an installed wheel too)."""
    return _theme_files(resources.files("themes").iterdir())


def user_themes_dir() -> Path:
    """``<config dir>/themes``: where users drop their own theme files."""
    from analysis.paths import config_dir

    return config_dir() / "themes"


def load_themes(user_dir: Path | None = None) -> tuple[list[LoadedTheme], list[str]]:
    """Bundled themes, then the user's (``user_dir``, default ``<config dir>/themes``).

    Returns the themes (a user theme replaces a bundled one of the same name in place; new user
    themes follow, by file name) and one message per skipped file, naming the file and the reason.
    """
    themes: dict[str, LoadedTheme] = {}
    messages: list[str] = []
    sources: list[tuple[str, list[Any]]] = [("bundled", bundled_theme_files())]
    folder = user_themes_dir() if user_dir is None else Path(user_dir)
    if folder.is_dir():
        try:
            sources.append(("user", _theme_files(folder.iterdir())))
        except OSError as exc:
            messages.append(f"theme folder {folder}: cannot read: {exc}")
    for source, files in sources:
        seen: dict[str, Path] = {}
        for file in files:
            try:
                loaded = _load_file(file, source)
            except ThemeError as exc:
                messages.append(f"theme file {file}: {exc} (skipped)")
                continue
            if loaded.name in seen:
                messages.append(f"theme file {file}: name '{loaded.name}' is already used by "
                                f"{seen[loaded.name]} (skipped)")
                continue
            seen[loaded.name] = loaded.path
            themes[loaded.name] = loaded
    return list(themes.values()), messages


def next_theme_name(themes: Sequence[LoadedTheme], current: str, step: int = 1) -> str:
    """The theme after (``step`` > 0) or before ``current`` in load order, wrapping; for ``t``."""
    names = [t.name for t in themes]
    if not names:
        return current
    if current not in names:
        return names[0]
    return names[(names.index(current) + step) % len(names)]


def resolve_theme_name(themes: Sequence[LoadedTheme], *candidates: tuple[str, str | None]
                       ) -> tuple[str, list[str]]:
    """Pick the first known theme among ``(where, name)`` candidates, in priority order.

    E.g. ``resolve_theme_name(themes, ("--theme", args.theme), ("state", state.theme),
    ("config", config.theme))``. Unknown names give a message; the fallback is the default theme
    (or the first loaded one).
    """
    names = [t.name for t in themes]
    messages: list[str] = []
    for where, name in candidates:
        if not name:
            continue
        if name in names:
            return name, messages
        messages.append(f"{where}: unknown theme '{name}' (known: {', '.join(names)})")
    fallback = DEFAULT_THEME if DEFAULT_THEME in names else (names[0] if names else DEFAULT_THEME)
    return fallback, messages
