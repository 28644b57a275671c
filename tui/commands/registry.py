"""The subcommands of `basewatch`, by name, in the order `--help` lists them.

Adding a subcommand is one module in ``tui.commands`` (``add_parser(subparsers)`` and
``run(args) -> int``) and one line here. The command modules import only argparse and
``tui.commands.args`` at module level, so importing them all keeps `basewatch --help` instant.
"""

from __future__ import annotations

from types import ModuleType

from tui.commands import backtest, dashboard, data, events, scan, serve, themes

DASHBOARD: ModuleType = dashboard
"""The face with no subcommand name: its options sit on the top-level parser."""

SUBCOMMANDS: dict[str, ModuleType] = {
    "scan": scan,
    "backtest": backtest,
    "data": data,
    "events": events,
    "themes": themes,
    "serve": serve,
}

COMMANDS: tuple[str, ...] = tuple(SUBCOMMANDS)
