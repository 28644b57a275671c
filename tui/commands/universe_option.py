"""The ``--universe FILE`` option of the dashboard and `scan` (and any command that scans members):
the option itself, and the universe it names or else the config's ``[universe]`` table's."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.args import UsageError

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.universe import Universe

HELP = ("members to scan (setups screen, RS rating, breadth): a symbol list, an iShares holdings "
        "CSV or csv:DIR (default: the config's [universe] file)")


def add_universe_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add ``--universe FILE``; a subcommand's copy has no default (see add_common_options)."""
    parser.add_argument("--universe", metavar="FILE",
                        default=None if top_level else argparse.SUPPRESS, help=HELP)


def universe_notes(universe: Universe, shown: int = 3) -> list[str]:
    """The refused rows of a universe as one warning for the dashboard (the first ``shown``)."""
    if not universe.problems:
        return []
    more = len(universe.problems) - shown
    lines = [*universe.problems[:shown], *([f"... and {more} more"] if more > 0 else [])]
    return [f"universe: {len(universe.problems)} row(s) skipped\n" + "\n".join(lines)]


def universe_for(args: argparse.Namespace, config: Config) -> Universe | None:
    """The universe of ``--universe`` (else the config's, else None). Rows that were refused are
    reported on stderr, one line each; a universe that cannot be read is a UsageError."""
    from analysis.universe import UniverseError, load_universe, universe_of_config

    spec = getattr(args, "universe", None)
    try:
        universe = load_universe(spec) if spec else universe_of_config(config)
    except UniverseError as exc:
        raise UsageError(str(exc)) from None
    if universe is not None:
        for problem in universe.problems:
            print(f"basewatch: universe: {problem} (skipped)", file=sys.stderr)
    return universe
