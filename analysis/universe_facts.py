"""What a universe adds to a snapshot: each member's RS rating, the universe's breadth, and its
sectors ranked bottom-up by their members' setups.

Sectors are ranked by how many members are in a base near its pivot, then how many are in a base,
then the average RS rating of the members near a pivot (higher first), then by name.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from analysis.facts.breadth import Breadth, breadth, price_breadth, setup_flags
from analysis.facts.rs_rating import rs_ratings, rs_score
from analysis.universe import Member, Universe

if TYPE_CHECKING:
    import pandas as pd

    from analysis.facts.bases import Base
    from analysis.facts.breakout import Breakout

SECTOR_LEADERS = 3


class MemberSetup(Protocol):
    """What the universe reads of a member's facts (``analysis.snapshot.SymbolFacts`` has it)."""

    @property
    def bases(self) -> tuple[Base, ...]: ...

    @property
    def breakout(self) -> Breakout | None: ...


@dataclass(frozen=True)
class SectorSetups:
    """One sector of the universe, measured from its members: how many have bars, are in a base,
    near its pivot, breaking out; the median RS rating of its rated members; the average RS rating
    of the members near a pivot; and those members, highest RS first (at most three)."""

    sector: str
    members: int
    in_base: int
    near_pivot: int
    breaking: int
    median_rs: float | None
    near_rs: float | None
    leaders: tuple[str, ...]


@dataclass(frozen=True)
class UniverseFacts:
    """The universe's members, their RS ratings (members with 253 bars or more), its breadth, its
    sectors ranked bottom-up (empty when the file names no sectors), the members without bars and
    the rows of the file that were refused. ``pending``: while a universe first loads a chunk at a
    time (the live dashboard), the members not asked of the source yet."""

    spec: str
    members: tuple[Member, ...]
    rs_rating: Mapping[str, int]
    breadth: Breadth
    sectors: tuple[SectorSetups, ...]
    missing: tuple[str, ...]
    problems: tuple[str, ...]
    pending: int = 0


def _sector_rows(members: tuple[Member, ...], flags: Mapping[str, tuple[bool, bool, bool]],
                 ratings: Mapping[str, int]) -> tuple[SectorSetups, ...]:
    groups: dict[str, list[str]] = {}
    for m in members:
        if m.sector and m.symbol in flags:
            groups.setdefault(m.sector, []).append(m.symbol)
    rows = []
    for sector, syms in groups.items():
        near = sorted((s for s in syms if flags[s][1]), key=lambda s: -ratings.get(s, 0))
        rated = [ratings[s] for s in syms if s in ratings]
        near_rated = [ratings[s] for s in near if s in ratings]
        rows.append(SectorSetups(
            sector=sector,
            members=len(syms),
            in_base=sum(flags[s][0] for s in syms),
            near_pivot=len(near),
            breaking=sum(flags[s][2] for s in syms),
            median_rs=float(statistics.median(rated)) if rated else None,
            near_rs=sum(near_rated) / len(near_rated) if near_rated else None,
            leaders=tuple(near[:SECTOR_LEADERS]),
        ))
    rows.sort(key=lambda r: (-r.near_pivot, -r.in_base,
                             -(r.near_rs if r.near_rs is not None else -1.0), r.sector))
    return tuple(rows)


def sector_setups(name: str, sectors: tuple[SectorSetups, ...]) -> SectorSetups | None:
    """The universe's sector called ``name`` (a config sector), matched without case; a shorter
    name matches a longer one it starts ("Communication" in an iShares file is "Communication
    Services")."""
    want = name.strip().lower()
    for row in sectors:
        have = row.sector.strip().lower()
        if have == want or want.startswith(have + " ") or have.startswith(want + " "):
            return row
    return None


def universe_facts(universe: Universe, bars: Mapping[str, pd.DataFrame],
                   symbols: Mapping[str, MemberSetup]) -> UniverseFacts:
    """The universe's facts from its members' usable bars (as of the snapshot) and their facts."""
    present = [m.symbol for m in universe.members if m.symbol in bars and m.symbol in symbols]
    scores: dict[str, float] = {}
    prices = {}
    for sym in present:
        df = bars[sym]
        values = df.to_numpy(dtype=float, copy=False)  # one block: a view, no per-column lookup
        cols = df.columns
        close = values[:, cols.get_loc("close")]
        score = rs_score(close)
        if score is not None:
            scores[sym] = score
        prices[sym] = price_breadth(close, values[:, cols.get_loc("high")],
                                    values[:, cols.get_loc("low")])
    flags = {s: setup_flags(symbols[s].bases, symbols[s].breakout) for s in present}
    ratings = rs_ratings(scores)
    have = set(present)
    return UniverseFacts(
        spec=universe.spec,
        members=universe.members,
        rs_rating=ratings,
        breadth=breadth(prices, flags),
        sectors=_sector_rows(universe.members, flags, ratings),
        missing=tuple(m.symbol for m in universe.members if m.symbol not in have),
        problems=universe.problems,
    )
