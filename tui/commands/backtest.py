"""`basewatch backtest`: the track record of every signal over a universe and a period — a table
for people (100 columns, a progress bar on a terminal), JSON for scripts."""

from __future__ import annotations

import argparse
import sys

from tui.commands.args import UsageError, add_common_options, add_period_options
from tui.commands.universe_option import add_universe_option, universe_for

NOTE = (
    "fail%: -8% from the signal close before +5%, within 63 sessions. r21/r63: mean close-to-close "
    "return after 21/63 sessions; med63 its median; rise63: mean highest high within 63 sessions. "
    "own63: the same stocks' mean 63-session return over every session; mkt63: the universe's "
    "equal-weight average from the same days. exc: the mean excess and its standard error (a lower "
    "bound: 63-session windows overlap). * alerted by default."
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backtest",
        help="the track record of every signal: what followed each, against the stocks' own "
             "average, the market and a naive baseline",
        description=(
            "Replay every signal the dashboard would have raised, day by day on the data up to "
            "that day only, over the universe (or --symbols) and a period, and measure what "
            "followed: per kind, for all and for the alerted ones, and for a naive baseline (a "
            "close above the prior 252-session highest close after 20 sessions without one)."
        ),
    )
    add_common_options(p)
    add_universe_option(p)
    p.add_argument("--symbols", metavar="A,B",
                   help="comma-separated symbols (default: --universe, else the config's)")
    add_period_options(p, "first signal date (default: a year after each symbol's first bar)",
                       "last signal date (default: the last bar)")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def _frames(args: argparse.Namespace):
    from analysis.config import load_config
    from analysis.sources.select import make_source
    from analysis.symbols import parse_symbols

    config = load_config(args.config)
    if args.symbols is not None:
        symbols = parse_symbols(args.symbols)
    elif getattr(args, "universe", None):
        universe = universe_for(args, config)
        symbols = list(universe.symbols()) if universe else []
    else:
        symbols = list(config.universe())
    if not symbols:
        raise UsageError("no symbols given")
    if args.start and args.end and args.end < args.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    try:
        source = make_source(args.source or config.source,
                             deadline=float(config.refresh.deadline))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    fetched = source.fetch(symbols)
    frames = {s: fetched.bars[s] for s in symbols if s in fetched.bars}
    if args.symbols:
        unknown = [s for s in symbols if s not in fetched.bars]
        if unknown:
            raise UsageError("; ".join(fetched.errors.get(s, f"no data for {s}") for s in unknown))
    if not frames:
        raise UsageError("no data: " + "; ".join(fetched.errors.values()))
    return config, frames


def run(args: argparse.Namespace) -> int:
    from analysis.track_record.engine import backtest

    config, frames = _frames(args)
    rules = config.thresholds.breakout_rules()
    if sys.stderr.isatty() and not args.json:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress("{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("backtest", total=len(frames))

            def tick(done: int, total: int, symbol: str) -> None:
                bar.update(task, completed=done, description=f"backtest {symbol:<8}")

            result = backtest(frames, args.start, args.end, progress=tick, breakout=rules)
    else:
        result = backtest(frames, args.start, args.end, breakout=rules)
    if args.json:
        import json

        json.dump(result.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_backtest(result))
    return 0


def _p(v: float | None, width: int, digits: int = 1) -> str:
    return f"{'-':>{width}}" if v is None else f"{v:>+{width}.{digits}f}"


def _row(s, mark: str = "") -> str:
    fail = f"{'-':>5}" if s.failure_rate is None else f"{s.failure_rate:>5.1f}"
    se = "" if s.se_excess_r63 is None else f"±{s.se_excess_r63:.1f}"
    sem = "" if s.se_excess_vs_market_r63 is None else f"±{s.se_excess_vs_market_r63:.1f}"
    return (f"{(s.kind + mark)[:25]:<25}{s.n:>6} {fail}{_p(s.mean_r21, 6)}{_p(s.mean_r63, 6)}"
            f"{_p(s.median_r63, 6)}{_p(s.mean_max_rise_63, 7)}{_p(s.unconditional_r63, 6)}"
            f"{_p(s.excess_r63, 6)}{se:<5}{_p(s.market_r63, 6)}{_p(s.excess_vs_market_r63, 6)}"
            f"{sem:<5}")


def format_backtest(result) -> str:
    """The record as a table that fits 100 columns."""
    import textwrap

    alerted = {s.kind for s in result.signals if s.alert}
    days = [s.date for s in result.signals]
    first, last = (min(days), max(days)) if days else ("the first", "the last session")
    span = f"signals {result.start or first} .. {result.end or last}"
    head = (f"{'kind':<25}{'n':>6} {'fail%':>5}{'r21':>6}{'r63':>6}{'med63':>6}{'rise63':>7}"
            f"{'own63':>6}{'exc':>6}{'':<5}{'mkt63':>6}{'exc':>6}{'':<5}")
    n = len(result.symbols)
    lines = [f"backtest {span}: {n} symbol{'s' * (n != 1)}, {len(result.signals)} signals", "",
             head]
    for s in result.summary:
        lines.append(_row(s, "*" if s.kind in alerted else ""))
    lines += ["", "baseline:", _row(result.baseline), ""]
    lines += textwrap.wrap(NOTE, 100)
    return "\n".join(lines)
