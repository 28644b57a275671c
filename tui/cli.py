"""The `basewatch` command: parses arguments and dispatches to the dashboard or a subcommand.

Exit codes: 0 success, 1 a runtime failure, 2 bad input (flags, config, symbols, dates).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from analysis import __version__
from tui.commands.args import UsageError, add_common_options
from tui.commands.registry import COMMANDS, DASHBOARD, SUBCOMMANDS

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="basewatch",
        description=(
            "A terminal dashboard that tells a trader what is setting up: record highs, bases, "
            "resistance zones, streaks, relative strength and breakouts. With no subcommand it "
            "opens the dashboard."
        ),
    )
    parser.add_argument("--version", action="version", version=f"basewatch {__version__}")
    add_common_options(parser, top_level=True)
    DASHBOARD.add_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in SUBCOMMANDS.values():
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Starting the dashboard allocates a great many long-lived objects (Textual's modules, CSS,
    # widgets); collecting garbage meanwhile only delays the first frame. The app turns the
    # collector back on once that frame is drawn; every other command, right after parsing.
    gc.disable()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is not None:
            gc.enable()
        from analysis.config import ConfigError
        from analysis.symbols import SymbolError

        try:
            if args.command is None:
                return DASHBOARD.run(args)
            return SUBCOMMANDS[args.command].run(args)
        except (UsageError, ConfigError, SymbolError) as exc:
            print(f"basewatch: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
