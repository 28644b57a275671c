"""`basewatch data`: look at the bar store (`status`) and warm it from Yahoo now (`fetch`).

Exit codes: 0 done; 1 Yahoo could not be reached or some symbols failed; 2 bad input (config,
symbols).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from tui.commands.args import UsageError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "data",
        help="show what the bar store holds, or fetch bars into it now",
        description=(
            "The bar store is a SQLite file in the user cache dir holding the daily bars fetched "
            "from Yahoo; the dashboard and scan read it (and only ask Yahoo for newer bars). "
            "'data status' lists it; 'data fetch' fills it now."
        ),
    )
    actions = p.add_subparsers(dest="data_command", metavar="ACTION")
    st = actions.add_parser(
        "status", help="per symbol: source, first and last bar, rows and age",
        description="Per stored symbol: where its bars came from, the first and last bar, the "
                    "number of bars and how long ago it was fetched. Symbols of the config "
                    "universe that are not stored are listed as missing.")
    st.add_argument("--json", action="store_true", help="print one JSON document")
    _config_option(st)
    fe = actions.add_parser(
        "fetch", help="fetch bars from Yahoo into the store now (default: the config universe)",
        description="Fetch daily bars from Yahoo into the bar store now, with a progress bar. "
                    "Symbols already stored only get the bars they are missing; new ones get "
                    "10 years of history. Exit 1 if Yahoo cannot be reached or a symbol fails.")
    fe.add_argument("symbols", nargs="*", metavar="SYMBOL", help="symbols (default: the config)")
    fe.add_argument("--deadline", type=float, default=120.0, metavar="SECONDS",
                    help="give up waiting for Yahoo after this long (default: 120)")
    _config_option(fe)


def _config_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `basewatch --config F data status` must not be reset to None by the subparser.
    parser.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config file (default: the user config dir)")


def _age(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "?"
    secs = max(0.0, (now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if secs >= size:
            return f"{secs / size:.0f} {unit}"
    return f"{secs:.0f} s"


def _config(args: argparse.Namespace):
    from analysis.config import load_config

    return load_config(getattr(args, "config", None))


def _status(args: argparse.Namespace) -> int:
    from analysis.sources.store import BarStore

    config = _config(args)
    now = datetime.now(UTC)
    with BarStore() as store:
        rows = store.status()
        warning, path = store.warning, store.path
    stored = {r.symbol for r in rows}
    missing = [s for s in config.universe() if s not in stored]
    if warning:
        print(f"basewatch: warning: {warning}", file=sys.stderr)
    if args.json:
        doc: dict[str, Any] = {
            "store": str(path), "warning": warning, "missing": missing,
            "symbols": [{
                "symbol": r.symbol, "source": r.source, "first": r.first.date().isoformat(),
                "last": r.last.date().isoformat(), "rows": r.rows,
                "fetched_at": r.fetched_at.isoformat() if r.fetched_at else None,
                "age_seconds": round((now - r.fetched_at).total_seconds()) if r.fetched_at
                else None,
            } for r in rows],
        }
        print(json.dumps(doc, indent=2))
        return 0
    print(f"bar store: {path}")
    if not rows:
        print("empty: run 'basewatch data fetch' to fill it (the app fills it as it runs)")
    else:
        print(f"{'SYMBOL':<10} {'SOURCE':<8} {'FIRST':<10}  {'LAST':<10} {'ROWS':>6}  "
              f"{'FETCHED (UTC)':<16}  AGE")
        for r in rows:
            fetched = f"{r.fetched_at:%Y-%m-%d %H:%M}" if r.fetched_at else "?"
            print(f"{r.symbol:<10} {r.source:<8} {r.first:%Y-%m-%d}  {r.last:%Y-%m-%d} "
                  f"{r.rows:>6}  {fetched:<16}  {_age(r.fetched_at, now)}")
    if missing:
        print(f"not stored: {', '.join(missing)}")
    return 0


def _fetch(args: argparse.Namespace, session: Any = None) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from analysis.sources.base import SourceError
    from analysis.sources.store import BarStore
    from analysis.sources.yahoo import YahooSource
    from analysis.symbols import parse_symbols

    config = _config(args)
    symbols = parse_symbols(" ".join(args.symbols)) if args.symbols else list(config.universe())
    if not symbols:
        raise UsageError("no symbols to fetch")
    if args.deadline <= 0:
        raise UsageError("--deadline must be more than 0 seconds")
    err = Console(stderr=True)
    with BarStore() as store:
        before = {r.symbol: r.rows for r in store.status()}
        with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
                      BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True) as progress:
            task = progress.add_task(f"fetching {len(symbols)} symbols from Yahoo",
                                     total=len(symbols))

            def on_batch(done: int, total: int, batch) -> None:
                progress.update(task, completed=done, total=total)

            source = YahooSource(session=session, deadline=args.deadline, store=store,
                                 on_batch=on_batch)
            try:
                result = source.fetch(symbols)
            except SourceError as exc:
                print(f"basewatch: {exc}", file=sys.stderr)
                if store.warning:
                    print(f"basewatch: warning: {store.warning}", file=sys.stderr)
                return 1
        after = {r.symbol: r for r in store.status()}
    for sym in symbols:
        if sym in result.bars and sym in after:
            r = after[sym]
            new = r.rows - before.get(sym, 0)
            print(f"{sym:<10} {r.first:%Y-%m-%d} .. {r.last:%Y-%m-%d}  {r.rows:>5} bars  "
                  f"(+{new} new)")
    for sym, why in result.errors.items():
        print(f"{sym:<10} failed: {why}", file=sys.stderr)
    if result.note:
        print(f"note: {result.note}", file=sys.stderr)
    print(f"{len(result.bars)} of {len(symbols)} symbols stored in {store.path}")
    return 1 if result.errors else 0


def run(args: argparse.Namespace, *, session: Any = None) -> int:
    """``session``: a curl_cffi Session for yfinance (tests pass a fake Yahoo)."""
    action = getattr(args, "data_command", None)
    if action == "status":
        return _status(args)
    if action == "fetch":
        return _fetch(args, session=session)
    raise UsageError("data: say 'status' or 'fetch' (see basewatch data --help)")
