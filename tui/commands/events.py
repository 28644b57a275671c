"""`basewatch events`: print the event log (breakouts, failures, record highs, streaks, race,
FOMC)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from tui.commands.args import UsageError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "events",
        help="print the event log",
        description=(
            "Print the JSON-lines event log the dashboard and replay write (in the user data dir), "
            "oldest first."
        ),
    )
    p.add_argument("--since", metavar="WHEN",
                   help="only events on/after a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM)")
    p.add_argument("--json", action="store_true", help="print the raw JSON lines")


def _since(text: str | None) -> date | datetime | None:
    if not text:
        return None
    try:
        if "T" in text or " " in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: not a date or time: {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from analysis.events import EventLog, event_to_json

    events = EventLog().read(since=_since(args.since))
    for e in events:
        if args.json:
            sys.stdout.write(event_to_json(e) + "\n")
        else:
            who = e.symbol or "market"
            line = f"{e.at:%Y-%m-%d %H:%M}  {e.asof}  {e.kind:<16} {who:<8} {e.message}"
            sys.stdout.write(line + "\n")
    if not events and not args.json:
        print("no events yet", file=sys.stderr)
    return 0
