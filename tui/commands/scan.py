"""`basewatch scan`: the dashboard's facts, headless — a table for people, JSON for scripts."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from tui.commands.args import UsageError, add_common_options, add_period_options, iso_date
from tui.commands.universe_option import add_universe_option, universe_for


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan",
        help="print every symbol's facts (record highs, streak, RS, bases, zones, breakout state)",
        description=(
            "Analyse the universe (or --symbols) and print one row per symbol, or with --json one "
            "JSON document. --asof evaluates on bars up to and including that date only. "
            "--history lists every base and breakout transition over a period, evaluated day by "
            "day without look-ahead, with the outcome of each confirmed breakout. --why says, "
            "for each base kind, whether the symbol is in one and which rules decided it."
        ),
    )
    add_common_options(p)
    p.add_argument("--symbols", metavar="A,B", help="comma-separated symbols (default: config)")
    add_universe_option(p)
    p.add_argument("--asof", metavar="YYYY-MM-DD", type=iso_date,
                   help="evaluate as of this session")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--history", action="store_true",
                   help="list bases and breakout transitions over a period (see --from/--to)")
    p.add_argument("--why", action="store_true",
                   help="for each base kind: in one or not, and the rules that decided it")
    add_period_options(p, "history start (default: the first bar with a year of warm-up)",
                       "history end (default: the last bar)")


def _fetch(args: argparse.Namespace):
    from analysis.config import load_config
    from analysis.sources.select import make_source
    from analysis.symbols import parse_symbols

    config = load_config(args.config)
    universe = universe_for(args, config)
    if args.symbols is not None:
        symbols = parse_symbols(args.symbols)
    elif universe is not None and getattr(args, "universe", None):
        symbols = list(universe.symbols())  # --universe FILE: its members
    else:
        symbols = list(config.universe()) + [s for s in (universe.symbols() if universe else ())
                                             if s not in config.universe()]
    if not symbols:
        raise UsageError("no symbols given")
    try:
        source = make_source(args.source or config.source,
                             deadline=float(config.refresh.deadline))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    # The benchmarks and the race runners are fetched too (RS, the pair and the race need them);
    # only the requested symbols are printed.
    context = [config.benchmark.rs_against, config.benchmark.small, config.benchmark.large,
               *config.race.symbols]
    members = [s for s in (universe.symbols() if universe else ()) if s not in symbols]
    fetched = source.fetch([*symbols, *members,
                            *(s for s in dict.fromkeys(context) if s not in symbols)])
    # the source's note says why (e.g. the bar store was corrupt and set aside): keep it
    also = f" ({fetched.note})" if fetched.note else ""
    if args.symbols:
        unknown = [s for s in symbols if s not in fetched.bars]
        if unknown:
            why = "; ".join(fetched.errors.get(s, f"no data for {s}") for s in unknown)
            raise UsageError(why + also)
    if not fetched.bars:
        raise UsageError("no data: " + "; ".join(fetched.errors.values()) + also)
    return config, fetched, symbols, universe


def _check_asof(fetched, asof: date | None) -> None:
    if asof is None:
        return
    first = min(df.index[0].date() for df in fetched.bars.values())
    last = max(df.index[-1].date() for df in fetched.bars.values())
    if not first <= asof <= last:
        raise UsageError(f"--asof {asof} is outside the data ({first} .. {last})")


def run(args: argparse.Namespace) -> int:
    config, fetched, wanted, universe = _fetch(args)
    _check_asof(fetched, args.asof)
    if args.history:
        return _run_history(args, config, fetched, wanted)
    import dataclasses

    from analysis.freshness import freshness
    from analysis.pipeline import Pipeline
    from analysis.report import snapshot_to_json
    from analysis.symbol_facts import complete

    done = Pipeline(config, None, universe).analyze(fetched, asof=args.asof)
    rs_against = config.benchmark.rs_against
    snap = done.snapshot
    snap = dataclasses.replace(
        snap,  # what the analysis deferred for a member: worked out for the ones printed
        symbols={s: complete(snap.symbols[s], done.bars.get(s), done.bars.get(rs_against),
                             rs_against) for s in wanted if s in snap.symbols},
        errors={s: e for s, e in snap.errors.items() if s in wanted},
    )
    if args.why:
        return _run_why(args, snap, done.bars)
    fresh = freshness(snap, history=args.asof is not None)
    if args.json:
        import json

        json.dump(snapshot_to_json(snap, fresh), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        from tui.commands.scan_table import print_scan

        print_scan(snap, fresh)
    return 0


def _run_history(args: argparse.Namespace, config, fetched, wanted: list[str]) -> int:
    from analysis.facts.bases import rules_for_symbol
    from analysis.history import scan_history
    from analysis.report import to_jsonable
    from tui.commands.history_text import format_history

    th = config.thresholds
    reports = [
        scan_history(
            df, sym, args.start, args.end, rules_for_symbol(sym),
            breakout=th.breakout_rules(),
        )
        for sym, df in fetched.bars.items()
        if sym in wanted
    ]
    if args.json:
        import json

        json.dump([to_jsonable(r) for r in reports], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for report in reports:
            print(format_history(report))
    return 0


def _run_why(args: argparse.Namespace, snap, bars_of: dict) -> int:
    """Per symbol, per base kind: the bases the scan shows, else the rules the nearest candidate
    broke, on ``bars_of`` (the bars the scan analysed) cut at the symbol's as-of session."""
    from analysis.bars import upto
    from analysis.facts.bases import explain, rules_for_symbol
    from analysis.report import to_jsonable
    from tui.commands.why_text import format_why

    answers = []
    for sym, f in snap.symbols.items():
        bars = upto(bars_of[sym], f.asof)
        found = (explain(bars, rules_for_symbol(sym, kind=f.instrument), f.bases)
                 if f.instrument.has_setups else None)
        answers.append((sym, f.asof, found))
    if args.json:
        import json

        doc = [{"symbol": s, "asof": d.isoformat(),
                "kinds": None if found is None else [to_jsonable(c) for c in found]}
               for s, d, found in answers]
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(format_why(*a) for a in answers), end="")
    return 0
