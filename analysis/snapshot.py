"""One immutable snapshot of everything the faces show: ``analyze(bars, config, asof)`` builds it,
``diff(previous, current)`` turns what changed into events.

The scan (`basewatch scan --json`), the dashboard and replay all render this same object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from analysis.facts.bases import Base
from analysis.facts.breakout import Breakout
from analysis.facts.highs import RecordHighs
from analysis.facts.leaders import Leaders
from analysis.facts.race import RaceResult
from analysis.facts.streaks import Streak
from analysis.facts.strength import RelativeStrength
from analysis.facts.zones import Zone
from analysis.market import FomcInfo, MarketClock, SectorWeights


@dataclass(frozen=True)
class SymbolFacts:
    """Everything known about one symbol as of its last bar (``asof``).

    ``change_pct`` is the last close vs the previous close (for crypto: 24h); ``change_7d_pct`` vs
    the close 7 calendar days earlier; ``spark`` the last closes for a sparkline; ``volume_pace``
    the session's volume / (50-day average x the fraction of the session elapsed; 1 after the close).
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


@dataclass(frozen=True)
class MarketFacts:
    """Facts about the market as a whole: the small-vs-large pair, leaders, the race, the clock,
    FOMC, and the benchmark index's sector weights. ``ratio_trend`` is the ETH/BTC-style crypto ratio
    (first two crypto symbols) with its trend."""

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
    the bars came from and how fresh they are; ``errors`` holds per-symbol failures."""

    asof: date
    source: str
    fetched_at: datetime
    market: MarketFacts
    symbols: Mapping[str, SymbolFacts]
    errors: Mapping[str, str] = field(default_factory=dict)
    fallback: bool = False
    note: str = ""
