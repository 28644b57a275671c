"""The facts of one symbol as of its last bar (``SymbolFacts``), and what ``analyze()`` needs to
compute them for many symbols: the share of the session elapsed, the bases of many symbols found
together, and the small tail of each symbol the leaders are computed from."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from analysis.facts.bases import Base
from analysis.facts.breakout import Breakout
from analysis.facts.highs import RecordHighs
from analysis.facts.leaders import LeaderTail
from analysis.facts.streaks import Streak
from analysis.facts.strength import RelativeStrength
from analysis.facts.zones import Zone
from analysis.instruments import InstrumentKind
from analysis.market import MarketClock

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from analysis.config import Config
    from analysis.sources.quotes import ExtendedQuote

log = logging.getLogger(__name__)
SPARK_SESSIONS = 30


@dataclass(frozen=True)
class SymbolFacts:
    """Everything known about one symbol as of its last bar (``asof``).

    ``change_pct`` is the last close vs the previous close (for crypto: 24h); ``change_7d_pct`` vs
    the close 7 calendar days earlier; ``spark`` the last closes for a sparkline; ``volume_pace``
    the session's volume / (50-day average x the fraction of the session elapsed; 1 after the
    close). ``extended`` is a pre-market or after-hours price newer than the last regular trade,
    when the source has one (live only, never in history/replay). ``instrument`` is its kind
    (`analysis.instruments`); a volatility index has no ``highs``, ``bases`` or ``breakout``.
    ``currency``: what the prices are in when the source said (Yahoo: "USD", "GBp" = pence,
    "EUR"); None: not known (USD for the bundled data). ``rs_deferred``: ``rs`` was left out by
    the analysis (a universe's member outside the config; `complete` works it out).
    """

    symbol: str
    asof: date
    bar_time: datetime
    last: float
    prev_close: float | None
    change_pct: float | None
    change_7d_pct: float | None
    spark: tuple[float, ...]
    highs: RecordHighs | None
    streak: Streak
    rs: RelativeStrength | None
    volume_pace: float | None
    bases: tuple[Base, ...]
    zones: tuple[Zone, ...]
    breakout: Breakout | None
    intraday: bool = False
    extended: ExtendedQuote | None = None  # pre-/after-hours quote (live data only)
    instrument: InstrumentKind = InstrumentKind.EQUITY
    currency: str | None = None
    rs_deferred: bool = False


def session_fraction(bar_time: datetime, clock: MarketClock, crypto: bool) -> float:
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


def last_stamp(df: pd.DataFrame) -> datetime:
    """The last bar's timestamp as a datetime (one conversion, not one per use)."""
    return df.index[-1].to_pydatetime()


def _volume_pace(vol: np.ndarray, fraction: float) -> float | None:
    if len(vol) < 2:
        return None
    from analysis.facts.ranges import trailing_mean

    avg = trailing_mean(vol[-51:-1], 50, min_count=1)[-1]  # the 50 sessions before the last
    if not avg > 0:
        return None
    return float(vol[-1] / (avg * fraction))


def _change_pct(a: float, b: float | None) -> float | None:
    if b is None or not b:
        return None
    return (a / b - 1.0) * 100.0


def symbol_facts(
    symbol: str,
    df: pd.DataFrame,
    bench: pd.DataFrame | None,
    config: Config,
    clock: MarketClock,
    found_bases: tuple[Base, ...] | None = None,
    bar_time: datetime | None = None,
    fraction: float | None = None,
    kind: InstrumentKind | None = None,
    lean: bool = False,
) -> SymbolFacts:
    """The facts of one symbol (``df``: its usable bars); ``found_bases`` when they were already
    found in a batch, ``bar_time`` (of the last bar) and ``fraction`` (of its session elapsed)
    when already known; ``kind`` its instrument kind (default: `instrument_kind` of the symbol).
    An instrument without setups (a volatility index) gets no bases, breakout or record highs.
    ``lean``: a universe's member outside the config, whose streak study and RS against the
    benchmark only its chart or a scan of it shows: both are deferred (`complete`)."""
    import numpy as np

    from analysis.facts import bases, breakout, highs, streaks, strength, watched, zones
    from analysis.facts.pivots import frame_arrays
    from analysis.instruments import instrument_kind
    from analysis.symbols import is_crypto

    crypto = is_crypto(symbol)
    kind = kind or instrument_kind(symbol)
    setups = kind.has_setups
    th = config.thresholds
    arrays = frame_arrays(df)  # shared with the facts below
    closes = arrays.close
    last = float(closes[-1])
    prev = float(closes[-2]) if len(closes) > 1 else None
    stamps = df.index.asi8  # UTC instants: the bar a week (7 x 24 h) before the last, if any
    week = int(np.timedelta64(7, "D").astype(f"m8[{df.index.unit}]").astype(np.int64))
    week_ago = int(np.searchsorted(stamps, stamps[-1] - week, "right")) - 1
    bar_time = bar_time or last_stamp(df)
    if fraction is None:
        fraction = session_fraction(bar_time, clock, crypto)
    rs = None
    measured = bench is not None and symbol != config.benchmark.rs_against
    if measured and not lean:
        rs = strength.relative_strength(df, bench, symbol, config.benchmark.rs_against)
    found_zones = zones.find_zones(df)
    if not setups:
        found_bases = ()
    elif found_bases is None:
        found_bases = bases.find_bases(df, bases.rules_for_symbol(symbol, kind=kind))
    # The first base is the one being watched, also after it broke out (so confirmed, extended
    # and failed stay measured against its pivot).
    active = found_bases[0] if found_bases else None
    state = breakout.breakout_state(
        df,
        active,
        found_zones,
        th.breakout_rules(),
        session_fraction=fraction,
    ) if setups else None
    return SymbolFacts(
        symbol=symbol,
        asof=bar_time.date(),
        bar_time=bar_time,
        last=last,
        prev_close=prev,
        change_pct=_change_pct(last, prev),
        change_7d_pct=_change_pct(last, float(closes[week_ago]) if week_ago >= 0 else None),
        spark=tuple(closes[-SPARK_SESSIONS:].tolist()),
        highs=highs.record_highs(df, drawdown_pct=th.drawdown_pct) if setups else None,
        streak=streaks.streak(df, study=not lean),
        rs=rs,
        volume_pace=_volume_pace(arrays.volume, fraction),
        bases=watched.with_state(found_bases, state),  # its status agrees with the state
        zones=found_zones,
        breakout=state,
        intraday=fraction < 1.0,
        instrument=kind,
        rs_deferred=measured and lean,
    )


def complete(facts: SymbolFacts, bars: pd.DataFrame | None, bench: pd.DataFrame | None,
             benchmark: str) -> SymbolFacts:
    """``facts`` with what the analysis deferred (`symbol_facts` ``lean``): the streak study and
    RS against ``benchmark`` (the config's), worked out by the analysis' own functions from
    ``bars`` and ``bench``, the snapshot's bars of the symbol and of the benchmark. Every view
    that shows either asks this; facts with nothing deferred come back as they are."""
    from dataclasses import replace

    from analysis.facts.clean import usable
    from analysis.facts.streaks import study_for
    from analysis.facts.strength import relative_strength

    if bars is None or not (facts.streak.deferred or facts.rs_deferred):
        return facts
    if facts.streak.deferred:
        facts = replace(facts, streak=Streak(facts.streak.length, study_for(facts.streak, bars)))
    if facts.rs_deferred and bench is not None:
        rs = relative_strength(usable(bars), usable(bench), facts.symbol, benchmark)
        facts = replace(facts, rs=rs, rs_deferred=False)
    return facts


def leader_tail_of(df: pd.DataFrame, window: int) -> LeaderTail | None:
    from analysis.facts.leaders import leader_tail
    from analysis.facts.pivots import frame_arrays

    a = frame_arrays(df)
    return leader_tail(a.day, a.close, window)


def bases_many(frames: list[tuple[str, pd.DataFrame]], kinds: Mapping[str, InstrumentKind]
                ) -> dict[str, tuple[Base, ...]]:
    """The bases of many symbols found together (`find_bases_many`: one set of array operations
    per batch instead of one per symbol), one batch per rule set (index and coin symbols have no
    tick); none for an instrument without setups (``kinds``: each symbol's). A batch that fails
    is left out: its symbols are then analysed one by one, so a bad frame costs only its own
    symbol."""
    from analysis.facts import bases

    frames = [(sym, df) for sym, df in frames if kinds[sym].has_setups]
    if len(frames) < 2:
        return {}
    groups: dict[bases.BaseRules, list[tuple[str, pd.DataFrame]]] = {}
    for sym, df in frames:
        groups.setdefault(bases.rules_for_symbol(sym, kind=kinds[sym]), []).append((sym, df))
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
