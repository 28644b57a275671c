"""What every subcommand's parser shares: the usage error (exit code 2), the date type and the
options every face understands. The commands import this module, never the `basewatch` entry
(``tui.cli``), so the entry can import them without a cycle."""

from __future__ import annotations

import argparse
from datetime import date

from analysis.sources.select import HELP as SOURCE_HELP


class UsageError(Exception):
    """Bad input from the user; printed as one line and exit code 2."""


def iso_date(text: str) -> date:
    """argparse type for a YYYY-MM-DD option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_period_options(parser: argparse.ArgumentParser, first: str, last: str,
                       dest: tuple[str, str] = ("start", "end")) -> None:
    """``--from`` / ``--to`` (YYYY-MM-DD) into ``dest``; ``first`` / ``last`` say what each
    bounds and its default, for the help."""
    parser.add_argument("--from", dest=dest[0], metavar="YYYY-MM-DD", type=iso_date, help=first)
    parser.add_argument("--to", dest=dest[1], metavar="YYYY-MM-DD", type=iso_date, help=last)


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
        help=f"where bars come from: {SOURCE_HELP}",
    )
