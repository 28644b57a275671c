"""The `basewatch scan` table: one Rich row per symbol, and the market facts above it."""

from __future__ import annotations

from analysis.facts.watched import nearest_overhead
from analysis.freshness import Freshness
from analysis.snapshot import Snapshot, SymbolFacts
from tui import format as fmt


def _ath(f: SymbolFacts) -> str:
    if f.highs is None:
        return "—"
    mark = " ▲ATH" if f.highs.new_closing_ath else (" △iATH" if f.highs.new_intraday_ath else "")
    return fmt.pct(f.highs.pct_from_ath) + mark


def _base(f: SymbolFacts) -> str:
    if not f.bases:
        return fmt.DASH
    b = f.bases[0]
    kind = b.kind.replace('_', ' ')
    return (f"{kind} {fmt.pct(b.depth_pct, 0, signed=False)} {b.length_weeks:.0f}w "
            f"piv {fmt.price(b.pivot)}")


def _zone(f: SymbolFacts) -> str:
    z = nearest_overhead(f.zones, f.last)
    if z is None:
        return fmt.DASH
    return f"{fmt.price(z.low)}-{fmt.price(z.high)} ×{z.touches}"


def _state(f: SymbolFacts) -> str:
    if f.breakout is None:
        return fmt.DASH
    b = f.breakout  # the state as every pane labels it, its distance and level as they show them
    return f"{fmt.state_label(b.state)} {fmt.vs_level(b.pct_vs_level)} @{fmt.price(b.level)}"


def freshness_line(fresh: Freshness) -> str | None:
    """"SAMPLE data of 2025-12-31, not today's market (the last session was 2026-12-04)" when the
    data is old; None when it is current."""
    if fresh.current:
        return None
    return (f"{fresh.label} data of {fresh.data_date}, not today's market "
            f"(the last session was {fresh.last_session})")


def market_lines(snap: Snapshot, fresh: Freshness) -> list[str]:
    """The lines above the table. With old data the market clock and the next FOMC decision are
    said to be now's, not the data's."""
    m = snap.market
    lines = [f"as of {snap.asof}  source {snap.source}" + (f" ({snap.note})" if snap.note else "")]
    old = freshness_line(fresh)
    if old:
        lines.append(old)
    if m.pair:
        one = fmt.rs_change(m.pair.trend, m.pair.change_1m)
        lines.append(
            f"{m.pair.symbol}/{m.pair.benchmark}: RS 1m {one}, 3m {fmt.pct(m.pair.change_3m)}, "
            f"{m.pair.quadrant or fmt.DASH}"
            + (", RS new high" if m.pair.new_high else "")
        )
    if m.leaders and m.leaders.first:
        made = [ld for ld in m.leaders.order if ld.first_new_high]
        lines.append("leaders: " + ", ".join(f"{ld.symbol} {ld.first_new_high}" for ld in made))
    if m.race:
        r = m.race
        who = ", ".join(
            f"{e.symbol} "
            + (f"crossed {e.crossed_on}" if e.crossed_on else fmt.pct(e.distance_pct))
            for e in r.entries
        )
        lines.append(f"race from {r.reference_date} high: {r.status}"
                     + (f", {r.winner} first" if r.winner else "") + f" ({who})")
    clock = m.clock
    now = f"now ({clock.now:%Y-%m-%d %H:%M %Z}): " if old else ""
    lines.append(f"{now}NYSE {clock.status}" + (" (early close)" if clock.early_close else ""))
    if m.fomc.next_decision:
        lines.append(f"{now}next FOMC decision {m.fomc.next_decision} "
                     f"(in {m.fomc.days_until} days)"
                     + (f" — {m.fomc.banner}" if m.fomc.banner else ""))
    uni = snap.universe
    if uni is not None:
        b = uni.breadth

        def pct(v: float | None) -> str:
            return "—" if v is None else f"{v:.0f}%"

        lines.append(f"breadth of {uni.spec} ({b.members:,} members): above 50d "
                     f"{pct(b.pct_above_50)}, above 200d {pct(b.pct_above_200)}, new highs "
                     f"{b.new_highs}, new lows {b.new_lows}, in base {b.in_base}, near pivot "
                     f"{b.near_pivot}, breaking {b.breaking}")
    return lines


def print_scan(snap: Snapshot, fresh: Freshness) -> None:
    import sys

    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200)
    for line in market_lines(snap, fresh):
        console.print(line, highlight=False)
    table = Table(show_lines=False, header_style="bold")
    for col, justify in (("Symbol", "left"), ("Last", "right"), ("Chg", "right"),
                         ("vs ATH", "right"), ("Streak", "right"), ("RS 3m", "right"),
                         ("Quadrant", "left"), ("Base", "left"), ("Resistance", "left"),
                         ("State", "left")):
        table.add_column(col, justify=justify, no_wrap=True)
    ratings = snap.universe.rs_rating if snap.universe is not None else None
    if ratings is not None:
        table.add_column("RS#", justify="right", no_wrap=True)
    for f in snap.symbols.values():
        rating = () if ratings is None else (str(ratings.get(f.symbol, "—")),)
        table.add_row(
            f.symbol, fmt.money(f.last, f.currency), fmt.pct(f.change_pct, 2), _ath(f),
            fmt.streak(f.streak.length), fmt.pct(f.rs.change_3m) if f.rs else fmt.DASH,
            (f.rs.quadrant or fmt.DASH) if f.rs else fmt.DASH,
            _base(f), _zone(f), _state(f), *rating,
        )
    for sym, err in snap.errors.items():
        table.add_row(sym, "", "", "", "", "", "", "", "", f"error: {err}",
                      *(() if ratings is None else ("",)))
    console.print(table)
