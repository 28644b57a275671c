"""`basewatch themes`: list the colour themes (bundled and the user's) and report broken files."""

from __future__ import annotations

import argparse
import sys

from tui.commands.args import add_common_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "themes",
        help="list the colour themes and report broken theme files",
        description=(
            "List every theme: the bundled ones and yours from <config dir>/themes/*.toml (a file "
            "with the same name as a bundled theme replaces it). '*' marks the theme the dashboard "
            "starts with. Broken files are named with the reason; the exit code is then 1, so this "
            "doubles as a check of your own theme file."
        ),
    )
    add_common_options(p)


def _starting_theme(args: argparse.Namespace, themes: list) -> tuple[str, list[str]]:
    """The theme the dashboard would open with: the one picked in the app, else the config's."""
    from analysis.config import ConfigError, load_config
    from analysis.state import load_state
    from tui.themes import resolve_theme_name

    notes: list[str] = []
    try:
        config_theme: str | None = load_config(args.config).theme
    except ConfigError as exc:
        notes.append(str(exc))
        config_theme = None
    state = load_state(warn=notes.append)
    name, unknown = resolve_theme_name(themes, ("state file", state.theme),
                                       ("config", config_theme))
    return name, notes + unknown


def run(args: argparse.Namespace) -> int:
    from tui.themes import load_themes, user_themes_dir

    themes, broken = load_themes()
    current, notes = _starting_theme(args, themes)
    width = max([len(t.name) for t in themes] + [4])
    print(f"  {'name':<{width}}  {'kind':<10}  source")
    for t in themes:
        mark = "*" if t.name == current else " "
        kind = ("ansi " if t.theme.ansi else "") + ("dark" if t.dark else "light")
        where = "bundled" if t.source == "bundled" else f"user   {t.path}"
        print(f"{mark} {t.name:<{width}}  {kind:<10}  {where}")
    print(f"\nYour themes folder: {user_themes_dir()}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if broken:
        print(f"\n{len(broken)} broken theme file(s), skipped:", file=sys.stderr)
        for message in broken:
            print(f"  {message}", file=sys.stderr)
        return 1
    return 0
