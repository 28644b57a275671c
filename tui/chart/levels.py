"""The facts of a snapshot as things to draw over the price, and the benchmarks to draw RS against.

``levels_from_facts`` picks the pivot and its buy zone, the base to outline, the nearest overhead
resistance zone and the sessions of breakouts; ``past_breakouts`` reads the symbol's confirmed
breakouts from the analysis' history mode; ``rs_facts`` measures RS against a benchmark the
snapshot did not use; ``price_range`` is the price span a chart shows: its bars, widened to the
levels near them. Only analysis functions compute here; this module chooses and shapes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from analysis.facts.watched import nearest_overhead

if TYPE_CHECKING:
    import pandas as pd

    from analysis.config import Config
    from analysis.facts.bases import Base
    from analysis.facts.strength import RelativeStrength
    from analysis.facts.zones import Zone
    from analysis.snapshot import SymbolFacts


# --------------------------------------------------------------------------- facts to levels


@dataclass(frozen=True)
class Levels:
    """The facts drawn over the price: the pivot and the top of its buy zone, the base to outline,
    the nearest overhead resistance zone, and the sessions of past breakouts (and failures)."""

    pivot: float | None = None
    pivot_label: str = ""
    buy_zone_top: float | None = None
    base: Base | None = None
    zone: Zone | None = None
    breakouts: tuple[date, ...] = ()
    failures: tuple[date, ...] = ()


@dataclass(frozen=True)
class PastBreakout:
    """A confirmed breakout of the symbol's history: the session, the level it cleared, what the
    level was, and whether it failed (Bulkowski's bust: never 5% past the level before an 8% loss;
    None while undecided as of the as-of session)."""

    day: date
    level: float
    source: str
    failed: bool | None


HISTORY_YEARS = 5


def past_breakouts(bars: pd.DataFrame, asof: date | None, symbol: str,
                   thresholds: Any | None = None) -> tuple[PastBreakout, ...]:
    """Confirmed breakouts over the last ``HISTORY_YEARS`` years up to ``asof``, from the history
    mode of the analysis (``analysis.history.scan_history`` on the bars cut at ``asof``, so nothing
    after it is known). Takes a few hundred ms for five years: call it from a worker thread."""
    import pandas as pd

    from analysis.bars import upto
    from analysis.facts.bases import rules_for_symbol
    from analysis.history import scan_history

    cut = upto(bars, asof)
    if len(cut) < 2:
        return ()
    start = (cut.index[-1] - pd.DateOffset(years=HISTORY_YEARS)).date()
    # the same base rules (tick) and breakout thresholds the snapshot used
    breakout = thresholds.breakout_rules() if thresholds is not None else None
    try:
        report = scan_history(cut, symbol, start=start, rules=rules_for_symbol(symbol),
                              breakout=breakout)
    except ValueError:
        return ()
    return tuple(PastBreakout(o.date, o.level, o.level_source, o.failed)
                 for o in report.outcomes)


def levels_from_facts(facts: SymbolFacts, extended_pct: float = 5.0,
                      past: Sequence[PastBreakout] = ()) -> Levels:
    """What to draw from a symbol's facts: the active base's pivot (or the breakout level when it
    is a pivot) with its buy zone, the most recent base, the nearest resistance zone, and the
    sessions of breakouts: ``past`` ones (failed ones apart) plus the one in progress and any
    recent base that broke out or failed."""
    base = facts.bases[0] if facts.bases else None
    pivot, label = None, ""
    if base is not None and base.status == "forming":
        pivot, label = base.pivot, f"{base.kind.replace('_', ' ')} pivot"
    elif facts.breakout is not None and "pivot" in facts.breakout.level_source:
        pivot, label = facts.breakout.level, facts.breakout.level_source
    # A broken-out (failed) base ends the session before the close that cleared its pivot.
    breakouts = {b.end + timedelta(days=1) for b in facts.bases if b.status == "broken_out"}
    failures = {b.end + timedelta(days=1) for b in facts.bases if b.status == "failed"}
    breakouts |= {p.day for p in past if not p.failed}
    failures |= {p.day for p in past if p.failed}
    bo = facts.breakout
    if bo is not None and bo.since is not None and bo.state in ("breaking", "confirmed",
                                                                 "extended"):
        breakouts.add(bo.since)
    if bo is not None and bo.since is not None and bo.state == "failed":
        failures.add(bo.since)
    return Levels(
        pivot=pivot,
        pivot_label=label,
        buy_zone_top=None if pivot is None else pivot * (1 + extended_pct / 100.0),
        base=base,
        zone=nearest_overhead(facts.zones, facts.last),
        breakouts=tuple(sorted(breakouts - failures)),
        failures=tuple(sorted(failures)),
    )


# --------------------------------------------------------------------------- benchmarks


def benchmarks_for(symbol: str, config: Config, available: Sequence[str]) -> tuple[str, ...]:
    """Benchmarks the "switch benchmark" key cycles through for ``symbol``: the configured RS
    benchmark, the large- and small-cap benchmarks, and (for crypto) the first crypto symbol.
    Only those with bars, never the symbol itself."""
    from analysis.symbols import is_crypto

    b = config.benchmark
    order = [b.rs_against, b.large, b.small]
    if is_crypto(symbol) and config.crypto:
        order.insert(0, config.crypto[0])
    seen = dict.fromkeys(s for s in order if s != symbol and s in available)
    return tuple(seen)


def benchmark_notice(symbol: str, shown: str, choices: Sequence[str]) -> str:
    """What the benchmark key says: 'RS KRE / IWM (benchmark 2 of 2)', or why nothing changed."""
    if len(choices) == 1:
        return (f"RS {symbol} / {shown}: the only benchmark with bars "
                "(others: [benchmark] in the config)")
    return f"RS {symbol} / {shown} (benchmark {list(choices).index(shown) + 1} of {len(choices)})"


def rs_facts(bars: pd.DataFrame, bench: pd.DataFrame, asof: date | None, symbol: str,
             benchmark: str) -> RelativeStrength | None:
    """The RS facts against a benchmark the snapshot did not measure (the "switch benchmark" key),
    from the analysis function itself, on bars up to ``asof``; None when it cannot be measured."""
    from analysis.bars import upto
    from analysis.facts.strength import relative_strength

    a, b = upto(bars, asof), upto(bench, asof)
    if a.empty or b.empty:
        return None
    return relative_strength(a, b, symbol, benchmark)


LEVEL_MARGIN = 0.35  # a level this far (share of the price span) outside the bars still widens ylim


def price_range(frame: pd.DataFrame, levels: Levels, extra: Sequence[float] = ()
                ) -> tuple[float, float]:
    """The bars' low to high, widened to any level (or ``extra`` value) near them, padded."""
    lo, hi = float(frame["low"].min()), float(frame["high"].max())
    span = max(hi - lo, abs(hi) * 1e-3, 1e-9)
    candidates = [levels.pivot, levels.buy_zone_top, *extra]
    if levels.zone is not None:
        candidates += [levels.zone.low, levels.zone.high]
    for v in candidates:
        if v is not None and math.isfinite(v) and lo - LEVEL_MARGIN * span <= v <= hi + (
                LEVEL_MARGIN * span):
            lo, hi = min(lo, v), max(hi, v)
    pad = (hi - lo) * 0.03 or abs(hi) * 0.01 or 1.0
    return lo - pad, hi + pad
