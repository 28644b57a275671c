"""The `basewatch` command: parses arguments and dispatches to the dashboard or a subcommand.

Exit codes: 0 success, 1 a runtime failure, 2 bad input (flags, config, symbols, dates), 141
when the reader of the output went away (``basewatch events | head -1``): quietly, like other
command-line tools.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import date

from analysis import __version__

COMMANDS: tuple[str, ...] = ("scan", "data", "events", "themes", "serve")
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, what a shell reports for a command whose output pipe was closed."""


class UsageError(Exception):
    """Bad input from the user; printed as one line and exit code 2."""


def iso_date(text: str) -> date:
    """argparse type for a YYYY-MM-DD option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


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
    importlib.import_module("tui.commands.dashboard").add_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"tui.commands.{name}").add_parser(sub)
    return parser


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Options every face understands: the config file and the data source.

    They may come before or after the subcommand; a subcommand's copy has no default, so it never
    resets a value given before the subcommand name.
    """
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="config file (default: the user config dir)",
    )
    parser.add_argument(
        "--source",
        metavar="SOURCE",
        default=default,
        help="where bars come from: auto (default), yahoo, store, sample, or csv:DIR",
    )


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
                from tui.commands import dashboard

                return dashboard.run(args)
            code = importlib.import_module(f"tui.commands.{args.command}").run(args)
            sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
            return code
        except BrokenPipeError:
            return _reader_gone()
        except (UsageError, ConfigError, SymbolError) as exc:
            print(f"basewatch: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130
    finally:
        gc.enable()


def _reader_gone() -> int:
    """The output pipe was closed (``| head``): point stdout at /dev/null so the interpreter's
    final flush cannot fail again, and exit 141 without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (an embedding): nothing left to protect
        pass
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    # Run through the package module so exceptions raised by subcommands (which import
    # tui.cli) are the same classes main() catches.
    from tui.cli import main as package_main

    sys.exit(package_main())
