"""`basewatch` with no subcommand: load the config, pick the data source and open the dashboard.

Only argparse is imported at module level; Textual comes in ``run`` and pandas only inside the
app's first refresh worker, so the dashboard paints before the data stack is loaded.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli import UsageError

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.feed import Feed

SOURCE_KINDS = ("auto", "yahoo", "store", "sample")


def add_options(parser: argparse.ArgumentParser) -> None:
    """Dashboard options on the top-level parser (``basewatch --theme NAME``)."""
    parser.add_argument("--theme", metavar="NAME",
                        help="colour theme of the dashboard (see `basewatch themes`)")


def check_source(spec: str) -> str:
    """Reject a bad source spec before the app starts (UsageError, exit code 2)."""
    text = spec.strip()
    if text.lower() in SOURCE_KINDS:
        return text.lower()
    if text.lower().startswith("csv:"):
        folder = Path(text[4:]).expanduser()
        if not text[4:].strip() or not folder.is_dir():
            raise UsageError(f"source {text}: no such folder {folder}")
        return text
    raise UsageError(f"unknown source {text!r}: use {', '.join(SOURCE_KINDS)} or csv:DIR")


def live_feed_factory(config: Config, spec: str) -> Callable[[], Feed]:
    """A function that builds the live feed; the app calls it inside its first refresh worker."""

    def make() -> Feed:
        from analysis.feed import LiveFeed
        from analysis.pipeline import Pipeline
        from analysis.sources.select import make_source

        source = make_source(spec, deadline=float(config.refresh.deadline))
        return LiveFeed(Pipeline(config, source))

    return make


def run(args: argparse.Namespace) -> int:
    from analysis.config import load_config

    config = load_config(Path(args.config) if args.config else None)
    spec = check_source(args.source or config.source)
    from tui.app import BasewatchApp

    app = BasewatchApp(config, live_feed_factory(config, spec), theme=getattr(args, "theme", None))
    app.run()
    return int(app.return_code or 0)
