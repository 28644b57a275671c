"""One immutable snapshot of everything the faces show: ``analyze(bars, config, asof)`` builds it
(`analysis.changes.diff` turns what changed between two of them into events).

The scan (`basewatch scan --json`), the dashboard and replay all render this same object.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from analysis.facts.bases import Base
from analysis.facts.breakout import Breakout
from analysis.facts.highs import RecordHighs
from analysis.facts.leaders import Leaders, LeaderTail
from analysis.facts.race import RaceResult
from analysis.facts.streaks import Streak
from analysis.facts.strength import RelativeStrength
from analysis.facts.zones import Zone
from analysis.market import FomcInfo, MarketClock, SectorWeights

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from analysis.config import Config
    from analysis.facts_cache import FactsCache
    from analysis.sources.base import FetchResult
    from analysis.sources.quotes import ExtendedQuote

log = logging.getLogger(__name__)
SPARK_SESSIONS = 30
BATCH = 48  # symbols analysed together (bases evaluated in one pass); under frame_arrays' memo


@dataclass(frozen=True)
class SymbolFacts:
    """Everything known about one symbol as of its last bar (``asof``).

    ``change_pct`` is the last close vs the previous close (for crypto: 24h); ``change_7d_pct`` vs
    the close 7 calendar days earlier; ``spark`` the last closes for a sparkline; ``volume_pace``
    the session's volume / (50-day average x the fraction of the session elapsed; 1 after the
    close). ``extended`` is a pre-market or after-hours price newer than the last regular trade,
    when the source has one (live only, never in history/replay).
    """

    symbol: str
    asof: date
    bar_time: datetime
    last: float
    prev_close: float | None
    change_pct: float | None
    change_7d_pct: float | None
    spark: tuple[float, ...]
    highs: RecordHighs
    streak: Streak
    rs: RelativeStrength | None
    volume_pace: float | None
    bases: tuple[Base, ...]
    zones: tuple[Zone, ...]
    breakout: Breakout | None
    intraday: bool = False
    extended: ExtendedQuote | None = None  # pre-/after-hours quote (live data only)


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


def _default_now(asof: date) -> datetime:
    """For a historical as-of date: that session after the close (16:30 New York)."""
    from zoneinfo import ZoneInfo

    return datetime.combine(asof, time(16, 30), tzinfo=ZoneInfo("America/New_York"))


def _session_fraction(bar_time: datetime, clock: MarketClock, crypto: bool) -> float:
    """Share of the session of the last bar (at ``bar_time``) that has elapsed: 1 for a finished
    session."""
    last_day = bar_time.date()
    if crypto:
        now_utc = clock.now.astimezone(UTC)
        if last_day < now_utc.date():
            return 1.0
        midnight = datetime.combine(now_utc.date(), time(0), tzinfo=UTC)
        return max(min((now_utc - midnight).total_seconds() / 86400.0, 1.0), 1e-3)
    from zoneinfo import ZoneInfo

    today_ny = clock.now.astimezone(ZoneInfo("America/New_York")).date()
    if last_day < today_ny or clock.status != "open":
        return 1.0
    return max(clock.session_fraction, 1e-3)


def _last_stamp(df: pd.DataFrame) -> datetime:
    """The last bar's timestamp as a datetime (one conversion, not one per use)."""
    return df.index[-1].to_pydatetime()


def _volume_pace(vol: np.ndarray, fraction: float) -> float | None:
    if len(vol) < 2:
        return None
    avg = vol[-51:-1].mean()
    if not avg > 0:
        return None
    return float(vol[-1] / (avg * fraction))


def _change_pct(a: float, b: float | None) -> float | None:
    if b is None or not b:
        return None
    return (a / b - 1.0) * 100.0


def _symbol_facts(
    symbol: str,
    df: pd.DataFrame,
    bench: pd.DataFrame | None,
    config: Config,
    clock: MarketClock,
    found_bases: tuple[Base, ...] | None = None,
    bar_time: datetime | None = None,
    fraction: float | None = None,
) -> SymbolFacts:
    """The facts of one symbol (``df``: its usable bars); ``found_bases`` when they were already
    found in a batch, ``bar_time`` (of the last bar) and ``fraction`` (of its session elapsed)
    when already known."""
    import numpy as np

    from analysis.facts import bases, breakout, highs, streaks, strength, zones
    from analysis.facts.pivots import frame_arrays
    from analysis.symbols import is_crypto

    crypto = is_crypto(symbol)
    th = config.thresholds
    arrays = frame_arrays(df)  # shared with the facts below
    closes = arrays.close
    last = float(closes[-1])
    prev = float(closes[-2]) if len(closes) > 1 else None
    stamps = df.index.asi8  # UTC instants: the bar a week (7 x 24 h) before the last, if any
    week = int(np.timedelta64(7, "D").astype(f"m8[{df.index.unit}]").astype(np.int64))
    week_ago = int(np.searchsorted(stamps, stamps[-1] - week, "right")) - 1
    bar_time = bar_time or _last_stamp(df)
    if fraction is None:
        fraction = _session_fraction(bar_time, clock, crypto)
    rs = None
    if bench is not None and symbol != config.benchmark.rs_against:
        rs = strength.relative_strength(df, bench, symbol, config.benchmark.rs_against)
    found_zones = zones.find_zones(df)
    if found_bases is None:
        found_bases = bases.find_bases(df, bases.rules_for_symbol(symbol))
    # The first base is the one being watched, also after it broke out (so confirmed, extended
    # and failed stay measured against its pivot).
    active = found_bases[0] if found_bases else None
    state = breakout.breakout_state(
        df,
        active,
        found_zones,
        th.breakout_rules(),
        session_fraction=fraction,
    )
    return SymbolFacts(
        symbol=symbol,
        asof=bar_time.date(),
        bar_time=bar_time,
        last=last,
        prev_close=prev,
        change_pct=_change_pct(last, prev),
        change_7d_pct=_change_pct(last, float(closes[week_ago]) if week_ago >= 0 else None),
        spark=tuple(closes[-SPARK_SESSIONS:].tolist()),
        highs=highs.record_highs(df, drawdown_pct=th.drawdown_pct),
        streak=streaks.streak(df),
        rs=rs,
        volume_pace=_volume_pace(arrays.volume, fraction),
        bases=found_bases,
        zones=found_zones,
        breakout=state,
        intraday=fraction < 1.0,
    )


def _leader_tail(df: pd.DataFrame, window: int) -> LeaderTail | None:
    from analysis.facts.leaders import leader_tail
    from analysis.facts.pivots import frame_arrays

    a = frame_arrays(df)
    return leader_tail(a.day, a.close, window)


def _bases_many(frames: list[tuple[str, pd.DataFrame]]) -> dict[str, tuple[Base, ...]]:
    """The bases of many symbols found together (`find_bases_many`: one set of array operations
    per batch instead of one per symbol), one batch per rule set (index and coin symbols have no
    tick). A batch that fails is left out: its symbols are then analysed one by one, so a bad
    frame costs only its own symbol."""
    from analysis.facts import bases

    if len(frames) < 2:
        return {}
    groups: dict[bases.BaseRules, list[tuple[str, pd.DataFrame]]] = {}
    for sym, df in frames:
        groups.setdefault(bases.rules_for_symbol(sym), []).append((sym, df))
    out: dict[str, tuple[Base, ...]] = {}
    for rules, members in groups.items():
        try:
            found = bases.find_bases_many([df for _, df in members], rules)
        except Exception:
            log.warning("batched bases failed; analysing %d symbols one by one", len(members),
                        exc_info=True)
            continue
        out.update(zip((sym for sym, _ in members), found, strict=True))
    return out


def analyze(
    fetched: FetchResult,
    config: Config,
    *,
    asof: date | None = None,
    now: datetime | None = None,
    live_weights: Mapping[str, float] | None = None,
    cache: FactsCache | None = None,
) -> Snapshot:
    """Every fact for every fetched symbol, as of ``asof`` (default: the newest bar).

    Bars after ``asof`` are ignored. ``now`` drives the market clock (default: the wall clock, or
    the as-of session after its close when ``asof`` is given). A symbol whose analysis fails gets
    an error entry; the others are unaffected.
    """
    from analysis import market

    errors: dict[str, str] = dict(fetched.errors)
    bars = _priced_bars(fetched, asof, errors)
    stamps = {s: _last_stamp(df) for s, df in bars.items()}  # each last bar's time, once
    day = asof or max((t.date() for t in stamps.values()), default=date.today())
    now = now or (_default_now(asof) if asof else datetime.now(UTC))
    clock = market.market_clock(now)
    symbols, tails = _all_symbol_facts(bars, stamps, config, clock, cache, errors)
    # Extended-hours quotes ride along outside the facts memo; live only (with an as-of
    # date the bars are history and today's quote does not belong to them)
    if fetched.extended and asof is None:
        from dataclasses import replace

        symbols = {s: replace(f, extended=fetched.extended[s]) if s in fetched.extended else f
                   for s, f in symbols.items()}
    return Snapshot(
        asof=day,
        source=fetched.source,
        fetched_at=fetched.fetched_at,
        market=_market_facts(bars, tails, config, clock, now, day, live_weights),
        symbols=symbols,
        errors=errors,
        fallback=fetched.fallback,
        note=fetched.note,
        status=fetched.status,
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
                      config: Config, clock: MarketClock, cache: FactsCache | None,
                      errors: dict[str, str]
                      ) -> tuple[dict[str, SymbolFacts], dict[str, LeaderTail | None]]:
    """Every symbol's facts (from the memo where its inputs are unchanged) and what the leaders
    need of it, in the order of ``bars``; a symbol whose analysis fails gets an entry in
    ``errors`` instead."""
    from analysis.facts_cache import fingerprint
    from analysis.symbols import is_crypto

    bench = bars.get(config.benchmark.rs_against)
    symbols: dict[str, SymbolFacts] = {}
    tails: dict[str, LeaderTail | None] = {}  # what the leaders need of each symbol
    window = config.thresholds.leaders_window
    todo: list[tuple[str, pd.DataFrame, Hashable, float]] = []
    bench_print = fingerprint(bench) if cache is not None else None
    for sym, df in bars.items():
        key = None
        try:
            fraction = _session_fraction(stamps[sym], clock, is_crypto(sym))
            if cache is not None:
                key = (sym, fingerprint(df), bench_print, config.thresholds, config.benchmark,
                       round(fraction, 4), clock.status == "open")
                found, memo = cache.lookup(key)
                if found:
                    symbols[sym], tails[sym] = memo  # type: ignore[misc]
                    continue
        except Exception as exc:  # one bad symbol must not take the others down
            log.exception("analysis of %s failed", sym)
            errors[sym] = f"analysis failed: {exc}"
            continue
        todo.append((sym, df, key, fraction))
    # In chunks, so that one symbol's arrays are still at hand (`frame_arrays` keeps a few dozen
    # frames) when its other facts follow its bases.
    for lo in range(0, len(todo), BATCH):
        chunk = todo[lo : lo + BATCH]
        batched = _bases_many([(sym, df) for sym, df, _, _ in chunk])
        for sym, df, key, fraction in chunk:
            try:
                symbols[sym] = _symbol_facts(sym, df, bench, config, clock, batched.get(sym),
                                             stamps[sym], fraction)
                tails[sym] = _leader_tail(df, window)
            except Exception as exc:  # one bad symbol must not take the others down
                log.exception("analysis of %s failed", sym)
                errors[sym] = f"analysis failed: {exc}"
                continue
            if cache is not None:
                cache.put(key, (symbols[sym], tails[sym]))
    return {s: symbols[s] for s in bars if s in symbols}, tails  # the fetch's order


def _market_facts(bars: Mapping[str, pd.DataFrame], tails: Mapping[str, LeaderTail | None],
                  config: Config, clock: MarketClock, now: datetime, day: date,
                  live_weights: Mapping[str, float] | None) -> MarketFacts:
    """The facts about the market as a whole: small vs large caps, leaders, the race, the clock,
    the next FOMC decision, the sector weights and the crypto ratio."""
    from zoneinfo import ZoneInfo

    from analysis import market
    from analysis.facts import leaders, race, strength
    from analysis.symbols import is_crypto

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
    equities = {s: tails[s] if s in tails else _leader_tail(df, window)
                for s, df in bars.items() if not is_crypto(s) and s != "^VIX"}
    race_cfg = config.race
    race_result = None
    if all(s in bars for s in race_cfg.symbols):
        start = date.fromisoformat(race_cfg.start) if race_cfg.start else day
        race_result = race.reference_race(bars, race_cfg.symbols,
                                          date.fromisoformat(race_cfg.reference_date), start)
    return MarketFacts(
        pair=pair,
        leaders=leaders.leaders_of(equities, window) if equities else None,
        race=race_result,
        clock=clock,
        fomc=market.fomc_info(now.astimezone(ZoneInfo("America/New_York")).date()),
        sector_weights=market.sector_weights(live_weights),
        crypto_ratio=crypto_ratio,
    )
