"""`basewatch` with no subcommand: load the config, pick the data source and open the dashboard.

Only argparse is imported at module level; Textual comes in ``run`` and pandas only inside the
app's first refresh worker, so the dashboard paints before the data stack is loaded (live: with
the last session's snapshot, cached under this config and source; never in a replay).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.args import UsageError, add_period_options

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.feed import Feed
    from analysis.universe import Universe

FILL_CHUNK = 250  # universe members asked for the first time per live refresh (5 Yahoo batches)


QUICK_START = 1.0
"""Seconds the first live fetch waits for Yahoo before stored or bundled bars are shown (Yahoo is
still asked, in the background)."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """Dashboard options on the top-level parser (``basewatch --theme NAME``, replay)."""
    parser.add_argument("--theme", metavar="NAME",
                        help="colour theme of the dashboard (see `basewatch themes`)")
    parser.add_argument("--replay", action="store_true",
                        help="play the source's daily history forward, one session per tick "
                             "(space pauses, . steps, + and - change speed)")
    add_period_options(parser, "replay from this session (default: a year before the last bar)",
                       "replay up to this session (default: the last bar)",
                       dest=("replay_from", "replay_to"))
    parser.add_argument("--speed", type=float, default=1.0, metavar="N",
                        help="replay speed in sessions per second (default: 1)")
    from tui.commands.universe_option import add_universe_option

    add_universe_option(parser, top_level=True)


def check_source(spec: str) -> str:
    """Reject a bad source spec before the app starts (UsageError, exit code 2)."""
    from analysis.sources.select import check_spec

    try:
        return check_spec(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def live_feed_factory(config: Config, spec: str,
                      universe: Universe | None = None) -> Callable[[], Feed]:
    """A function that builds the live feed; the app calls it inside its first refresh worker."""

    def make() -> Feed:
        from analysis.feed import LiveFeed
        from analysis.pipeline import Pipeline
        from analysis.sources.select import make_source

        source = make_source(spec, deadline=float(config.refresh.deadline),
                             first_wait=QUICK_START)
        return LiveFeed(Pipeline(config, source, universe, fill_chunk=FILL_CHUNK))

    return make


def replay_feed_factory(config: Config, spec: str, start: date | None, end: date | None,
                        speed: float, universe: Universe | None = None) -> Callable[[], Feed]:
    """A function that builds the replay feed (in the app's first refresh worker)."""

    def make() -> Feed:
        from analysis.feed import ReplayFeed
        from analysis.pipeline import Pipeline
        from analysis.sources.select import make_source

        source = make_source(spec, deadline=float(config.refresh.deadline))
        return ReplayFeed(Pipeline(config, source, universe), start=start, end=end, speed=speed)

    return make


def run(args: argparse.Namespace) -> int:
    from analysis.config import load_config

    config = load_config(Path(args.config) if args.config else None)
    spec = check_source(args.source or config.source)
    replay = getattr(args, "replay", False)
    start, end = getattr(args, "replay_from", None), getattr(args, "replay_to", None)
    speed = getattr(args, "speed", 1.0)
    if not replay and (start or end):
        raise UsageError("--from and --to need --replay")
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    if not 0 < speed <= 64:
        raise UsageError(f"--speed must be above 0 and at most 64, got {speed:g}")
    from tui.commands.universe_option import universe_for, universe_notes

    universe = universe_for(args, config)
    make_feed = (replay_feed_factory(config, spec, start, end, speed, universe) if replay
                 else live_feed_factory(config, spec, universe))
    from tui.app import BasewatchApp

    app = BasewatchApp(config, make_feed, theme=getattr(args, "theme", None),
                       cache_source=None if replay else spec)
    if universe is not None:  # the refused rows, also as a warning once the screen is up
        app.messages.extend(universe_notes(universe))
    app.run()
    return int(app.return_code or 0)
