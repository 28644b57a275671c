"""One immutable snapshot of everything the faces show: ``analyze(bars, config, asof)`` builds it
(`analysis.changes.diff` turns what changed between two of them into events).

The scan (`basewatch scan --json`), the dashboard and replay all render this same object. One
symbol's facts are computed in `analysis.symbol_facts`.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping, Set
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from analysis.facts.leaders import Leaders, LeaderTail
from analysis.facts.race import RaceResult
from analysis.facts.strength import RelativeStrength
from analysis.instruments import InstrumentKind
from analysis.market import FomcInfo, MarketClock, SectorWeights
from analysis.symbol_facts import (
    SymbolFacts,
    bases_many,
    last_stamp,
    leader_tail_of,
    session_fraction,
    symbol_facts,
)

if TYPE_CHECKING:
    import pandas as pd

    from analysis.config import Config
    from analysis.facts_cache import FactsCache
    from analysis.sources.base import FetchResult
    from analysis.universe import Universe
    from analysis.universe_facts import UniverseFacts

log = logging.getLogger(__name__)
NO_TAIL = object()  # the memo's tail of a symbol whose leaders' tail was not worked out
BATCH = 48  # symbols analysed together (bases evaluated in one pass); under frame_arrays' memo


@dataclass(frozen=True)
class MarketFacts:
    """Facts about the market as a whole: the small-vs-large pair, leaders, the race, the clock,
    FOMC, and the benchmark index's sector weights. ``crypto_ratio`` is the second crypto symbol
    against the first (ETH-USD / BTC-USD by default) with its trend."""

    pair: RelativeStrength | None
    leaders: Leaders | None
    race: RaceResult | None
    clock: MarketClock
    fomc: FomcInfo
    sector_weights: SectorWeights
    crypto_ratio: RelativeStrength | None


@dataclass(frozen=True)
class Snapshot:
    """The whole picture at one moment. ``source``/``fetched_at``/``fallback``/``note`` say where
    the bars came from and how fresh they are; ``errors`` holds per-symbol failures. ``status``
    is the feed's health: "live", "delayed", "rate_limited" or "offline" (the note then starts
    with the header line, e.g. "offline since 10:42 — stored bars"; analysis.sources.health)."""

    asof: date
    source: str
    fetched_at: datetime
    market: MarketFacts
    symbols: Mapping[str, SymbolFacts]
    errors: Mapping[str, str] = field(default_factory=dict)
    fallback: bool = False
    note: str = ""
    status: str = "live"  # FetchResult.status, carried as is
    universe: UniverseFacts | None = None  # RS ratings, breadth and sectors of the scanned members


def _default_now(asof: date) -> datetime:
    """For a historical as-of date: that session after the close (16:30 New York)."""
    from zoneinfo import ZoneInfo

    return datetime.combine(asof, time(16, 30), tzinfo=ZoneInfo("America/New_York"))


def analyze(
    fetched: FetchResult,
    config: Config,
    *,
    asof: date | None = None,
    now: datetime | None = None,
    live_weights: Mapping[str, float] | None = None,
    cache: FactsCache | None = None,
    universe: Universe | None = None,
) -> Snapshot:
    """Every fact for every fetched symbol, as of ``asof`` (default: the newest bar).

    Bars after ``asof`` are ignored. ``now`` drives the market clock (default: the wall clock, or
    the as-of session after its close when ``asof`` is given). A symbol whose analysis fails gets
    an error entry; the others are unaffected. A ``universe`` adds ``Snapshot.universe`` (RS
    ratings, breadth, sectors); its members not among the config's symbols are not leaders, and
    their streak studies and RS against the benchmark are deferred to the views that show them
    (`symbol_facts.complete`).
    """
    with _many(len(fetched.bars) > BATCH):
        return _analyze(fetched, config, asof, now, live_weights, cache, universe)


def _analyze(fetched: FetchResult, config: Config, asof: date | None, now: datetime | None,
             live_weights: Mapping[str, float] | None, cache: FactsCache | None,
             universe: Universe | None) -> Snapshot:
    from analysis import market
    from analysis.instruments import instrument_kind
    from analysis.universe_facts import universe_facts

    errors: dict[str, str] = dict(fetched.errors)
    bars = _priced_bars(fetched, asof, errors)
    stamps = {s: last_stamp(df) for s, df in bars.items()}  # each last bar's time, once
    day = asof or max((t.date() for t in stamps.values()), default=date.today())
    now = now or (_default_now(asof) if asof else datetime.now(UTC))
    clock = market.market_clock(now)
    kinds = {s: instrument_kind(s, fetched.quote_types.get(s)) for s in bars}
    member_only = (set(universe.symbols()) - set(config.universe())) if universe else set()
    symbols, tails = _all_symbol_facts(bars, stamps, kinds, config, clock, cache, errors,
                                       member_only)
    # Extended-hours quotes ride along outside the facts memo; live only (with an as-of
    # date the bars are history and today's quote does not belong to them)
    if fetched.extended and asof is None:
        from dataclasses import replace

        symbols = {s: replace(f, extended=fetched.extended[s]) if s in fetched.extended else f
                   for s, f in symbols.items()}
    if fetched.currencies:  # outside the facts memo too: it is not a fact of the bars
        from dataclasses import replace

        symbols = {s: replace(f, currency=fetched.currencies[s]) if s in fetched.currencies
                   else f for s, f in symbols.items()}
    return Snapshot(
        asof=day,
        source=fetched.source,
        fetched_at=fetched.fetched_at,
        market=_market_facts(bars, tails, kinds, config, clock, now, day, live_weights,
                             member_only),
        symbols=symbols,
        errors=errors,
        fallback=fetched.fallback,
        note=fetched.note,
        status=fetched.status,
        universe=universe_facts(universe, bars, symbols) if universe is not None else None,
    )


def _priced_bars(fetched: FetchResult, asof: date | None, errors: dict[str, str]
                 ) -> dict[str, pd.DataFrame]:
    """Each symbol's bars up to ``asof`` that carry a price; a symbol left with none gets an entry
    in ``errors`` (unless it has one already) and is left out."""
    from analysis.bars import upto
    from analysis.facts.clean import usable

    # Bars without a price (NaN, zero or negative close) are not quotes: drop them up front, so
    # the last price, the change and every fact see the same bars.
    cut = {s: upto(df, asof) for s, df in fetched.bars.items()}
    bars = {s: usable(df) for s, df in cut.items()}
    for sym, df in bars.items():
        if df.empty and sym not in errors:
            errors[sym] = f"no bars for {sym}" + (f" on or before {asof}" if asof else "")
            if len(cut[sym]):
                errors[sym] += " with a price (every close is missing, zero or negative)"
    return {s: df for s, df in bars.items() if not df.empty}


def _all_symbol_facts(bars: Mapping[str, pd.DataFrame], stamps: Mapping[str, datetime],
                      kinds: Mapping[str, InstrumentKind], config: Config, clock: MarketClock,
                      cache: FactsCache | None, errors: dict[str, str],
                      member_only: Set[str] = frozenset()
                      ) -> tuple[dict[str, SymbolFacts], dict[str, LeaderTail | None]]:
    """Every symbol's facts (from the memo where its inputs are unchanged) and what the leaders
    need of it (not of ``member_only``, a universe's members that are never leaders: the leaders
    work out the tail of one left out themselves, should it be asked; their streak studies and RS
    are deferred to the views that show them, `complete`), in the order of ``bars``; a symbol whose
    analysis fails gets an entry in ``errors`` instead."""
    from analysis.facts_cache import fingerprint
    from analysis.symbols import is_crypto

    bench = bars.get(config.benchmark.rs_against)
    symbols: dict[str, SymbolFacts] = {}
    tails: dict[str, LeaderTail | None] = {}  # what the leaders need of each symbol
    todo: list[tuple[str, pd.DataFrame, Hashable, float]] = []
    bench_print = fingerprint(bench) if cache is not None else None
    for sym, df in bars.items():
        key = None
        try:
            fraction = session_fraction(stamps[sym], clock, is_crypto(sym))
            if cache is not None:
                key = (sym, kinds[sym], fingerprint(df), bench_print, config.thresholds,
                       config.benchmark, round(fraction, 4), clock.status == "open",
                       sym in member_only)  # a member's facts are lean: never a config symbol's
                found, memo = cache.lookup(key)
                if found:
                    symbols[sym], tail = memo  # type: ignore[misc]
                    if tail is not NO_TAIL:
                        tails[sym] = tail
                    continue
        except Exception as exc:  # one bad symbol must not take the others down
            log.exception("analysis of %s failed", sym)
            errors[sym] = f"analysis failed: {exc}"
            continue
        todo.append((sym, df, key, fraction))
    _analyse_todo(todo, bars, stamps, kinds, config, clock, cache, errors, symbols, tails,
                  member_only)
    return {s: symbols[s] for s in bars if s in symbols}, tails  # the fetch's order


def _many(several: bool) -> AbstractContextManager[None]:
    """For more symbols than one batch: the heap a batch freed reused by the next, the cyclic
    collector paused (`analysis.heap`); nothing for fewer."""
    if not several:
        return nullcontext()
    from analysis.heap import collector_paused, keep_heap_reserve

    keep_heap_reserve()
    return collector_paused()


def _analyse_todo(todo: list[tuple[str, pd.DataFrame, Hashable, float]],
                  bars: Mapping[str, pd.DataFrame], stamps: Mapping[str, datetime],
                  kinds: Mapping[str, InstrumentKind], config: Config, clock: MarketClock,
                  cache: FactsCache | None, errors: dict[str, str],
                  symbols: dict[str, SymbolFacts], tails: dict[str, LeaderTail | None],
                  member_only: Set[str]) -> None:
    """The facts of the symbols in ``todo`` into ``symbols`` and ``tails`` (and the memo), or
    their failures into ``errors``."""
    bench = bars.get(config.benchmark.rs_against)
    window = config.thresholds.leaders_window
    # In chunks, so that one symbol's arrays are still at hand (`frame_arrays` keeps a few dozen
    # frames) when its other facts follow its bases.
    for lo in range(0, len(todo), BATCH):
        chunk = todo[lo : lo + BATCH]
        batched = bases_many([(sym, df) for sym, df, _, _ in chunk], kinds)
        for sym, df, key, fraction in chunk:
            try:
                symbols[sym] = symbol_facts(sym, df, bench, config, clock, batched.get(sym),
                                             stamps[sym], fraction, kinds[sym],
                                             lean=sym in member_only)
                tail = NO_TAIL if sym in member_only else leader_tail_of(df, window)
            except Exception as exc:  # one bad symbol must not take the others down
                log.exception("analysis of %s failed", sym)
                errors[sym] = f"analysis failed: {exc}"
                continue
            if tail is not NO_TAIL:
                tails[sym] = tail  # type: ignore[assignment]
            if cache is not None:
                cache.put(key, (symbols[sym], tail))


def _market_facts(bars: Mapping[str, pd.DataFrame], tails: Mapping[str, LeaderTail | None],
                  kinds: Mapping[str, InstrumentKind], config: Config, clock: MarketClock,
                  now: datetime, day: date, live_weights: Mapping[str, float] | None,
                  member_only: Set[str] = frozenset()) -> MarketFacts:
    """The facts about the market as a whole: small vs large caps, leaders (never a universe's
    members that are not among the config's symbols), the race, the clock, the next FOMC
    decision, the sector weights and the crypto ratio."""
    from zoneinfo import ZoneInfo

    from analysis import market
    from analysis.facts import leaders, race, strength

    small, large = bars.get(config.benchmark.small), bars.get(config.benchmark.large)
    pair = None
    if small is not None and large is not None:
        pair = strength.relative_strength(small, large, config.benchmark.small,
                                          config.benchmark.large)
    crypto = [s for s in config.crypto if s in bars]
    crypto_ratio = None
    if len(crypto) >= 2:
        crypto_ratio = strength.relative_strength(bars[crypto[1]], bars[crypto[0]], crypto[1],
                                                  crypto[0])
    window = config.thresholds.leaders_window
    equities = {s: tails[s] if s in tails else leader_tail_of(df, window)
                for s, df in bars.items()
                if kinds[s] not in (InstrumentKind.CRYPTO, InstrumentKind.VOLATILITY)
                and s not in member_only}
    race_cfg = config.race
    race_result = None
    if race_cfg.symbols and all(s in bars for s in race_cfg.symbols):
        start = date.fromisoformat(race_cfg.start) if race_cfg.start else day
        race_result = race.reference_race(bars, race_cfg.symbols,
                                          date.fromisoformat(race_cfg.reference_date), start)
    return MarketFacts(
        pair=pair,
        leaders=leaders.leaders_of(equities, window) if equities else None,
        race=race_result,
        clock=clock,
        fomc=market.fomc_info(now.astimezone(ZoneInfo("America/New_York")).date()),
        sector_weights=market.sector_weights(live_weights, fund=config.benchmark.weights_of),
        crypto_ratio=crypto_ratio,
    )
