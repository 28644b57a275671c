"""The market strip: three lines above the panes.

1. feed status (LIVE / REPLAY / PAUSED), the market clock with its countdown, the next FOMC
   decision (a banner the day before and the day of), the data source and its as-of time; while
   the snapshot is the one cached from the last session: CACHED, when it was saved, and no clock
   (it was computed for that time). Data that is not from the current or the last session
   (``analysis.freshness``) is never LIVE: SAMPLE / STORED / STALE, the data's date with its year
   and how old it is, and no market clock or FOMC countdown (they would not apply to those bars).
   A failed refresh is the one part never dropped, at any width (with no data yet, why it failed
   takes the second line);
2. the benchmark pair (small vs large caps): record-high status, % vs the prior-cycle peak, RS
   trend;
3. leaders (who made a new high first) and the reference-high race.

Each line is a list of parts joined by " │ ", each in a full and a short form; when a line does not
fit, the lowest-priority parts are shortened, then dropped, so 80 columns still show the essentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget

from analysis.freshness import Freshness, freshness
from tui import format as fmt
from tui.semantic import SemanticColors

if TYPE_CHECKING:
    from analysis.snapshot import Snapshot

SEP = " │ "
SHORT_STATUS: dict[str, str] = {"pre-market": "pre", "after-hours": "after"}


@dataclass(frozen=True)
class StripState:
    """What the strip shows besides the snapshot: the feed label, pause and failure status, the
    time the strip treats as now (for countdowns and ages), and the colours. ``cached_at``: the
    snapshot is the last session's, saved then (shown until the first refresh lands)."""

    snapshot: Snapshot | None
    label: str
    now: datetime
    semantic: SemanticColors
    wall_now: datetime | None = None
    updated_at: datetime | None = None
    busy_since: datetime | None = None
    paused: bool = False
    busy: bool = False
    error: str = ""
    error_at: datetime | None = None
    stale_after: float | None = None
    cached_at: datetime | None = None
    replay: bool = False


def _c(semantic_color: str | None, **kw: bool) -> Style:
    return Style(color=Color.parse(semantic_color).rich_color if semantic_color else None, **kw)


def _fit(full: list[tuple[int, Text]], short: list[tuple[int, Text]], width: int) -> Text:
    """Join parts with separators to fit ``width``: first swap the lowest-priority parts (highest
    number) for their short form, then drop them; parts of priority -1 are never dropped (what is
    left is cut at the width). ``full`` and ``short`` list the same parts."""
    chosen = [(p, text, alt[1]) for (p, text), alt in zip(full, short, strict=True)]
    while chosen:
        joined = Text(SEP).join(t for _, t, _ in chosen)
        if joined.cell_len <= width or len(chosen) == 1:
            joined.truncate(width, overflow="ellipsis")
            return joined
        longer = [i for i, (_, t, alt) in enumerate(chosen) if alt is not t
                  and alt.cell_len < t.cell_len]
        if longer:
            i = max(longer, key=lambda i: (chosen[i][0], i))
            chosen[i] = (chosen[i][0], chosen[i][2], chosen[i][2])
            continue
        worst = max(range(len(chosen)), key=lambda i: (chosen[i][0], i))
        if chosen[worst][0] < 0:  # only parts that must stay: cut the line instead
            joined.truncate(width, overflow="ellipsis")
            return joined
        del chosen[worst]
    return Text("")


def _overdue(st: StripState) -> bool:
    """No refresh applied for longer than expected (the strip then says STALE)."""
    return (st.stale_after is not None and st.wall_now is not None and st.updated_at is not None
            and (st.wall_now - st.updated_at).total_seconds() > st.stale_after)


def status_parts(st: StripState, compact: bool) -> list[tuple[int, Text]]:
    sem = st.semantic
    snap = st.snapshot
    cached = st.cached_at is not None and snap is not None
    fresh = None if snap is None or cached or st.replay else freshness(snap, st.now)
    old = fresh is not None and not fresh.current
    word = "CACHED" if cached else fresh.label if old else st.label
    if snap is None and st.error:
        word = "NO DATA"
    label = Text(f" {word} ", style=Style(reverse=True, bold=True))
    if st.paused:
        label.append(" PAUSED ", style=_c(sem.failed, reverse=True, bold=True))
    if st.busy:
        waited = (st.wall_now - st.busy_since).total_seconds() if (
            st.wall_now and st.busy_since) else 0.0
        label.append(" ⟳" + (f" {waited:.0f}s" if waited >= 5 else ""), style=_c(sem.pivot))
    parts: list[tuple[int, Text]] = [(-1, label)]
    when = f" {st.error_at:%H:%M}" if st.error_at else ""
    if st.error and snap is None:  # why is on the next line, whole (nothing else is there)
        parts.append((-1, Text(f"⚠ refresh failed{when}:", style=_c(sem.down, bold=True))))
    elif st.error:  # the one thing that must be seen at any width
        head = "⚠ " if compact else f"⚠ refresh failed{when}: "
        parts.append((-1, Text(f"{head}{st.error}", style=_c(sem.down))))
    if snap is None:
        if not st.error:
            parts.append((0, Text("loading market data…", style=_c(sem.stale, italic=True))))
        return parts
    if cached:
        parts.append((0, cached_text(st, compact)))
        day = freshness(snap, st.wall_now or st.now).date_text(short=compact)
        parts.append((2, Text(f"{snap.source} {day}")))
        return parts
    if old:  # no market clock, no FOMC countdown: they are about now, not about these bars
        parts.append((0, source_text(st, compact, fresh)))
        return parts
    clock = snap.market.clock
    status = (SHORT_STATUS.get(clock.status, clock.status) if compact else clock.status) + (
        " (early close)" if clock.early_close else "")
    target, word = (clock.next_close, "closes") if clock.status == "open" else (
        clock.next_open, "opens")
    countdown = fmt.duration(target - st.now)
    clock_text = Text("NYSE " if not compact else "")
    clock_text.append(status, style=_c(sem.up if clock.status == "open" else None, bold=True))
    clock_text.append(f" · {word} {countdown}")
    parts.append((1, clock_text))
    fomc = snap.market.fomc
    if fomc.banner:
        banner = fomc.banner
        if compact and fomc.days_until is not None:
            banner = "FOMC today" if fomc.days_until == 0 else "FOMC tomorrow"
        parts.append((0, Text(f" {banner} ", style=_c(sem.breakout, reverse=True, bold=True))))
    elif fomc.next_decision:
        days = f" ({fomc.days_until}d)" if fomc.days_until is not None else ""
        parts.append((4, Text(f"FOMC {fomc.next_decision:%b %d}{days}")))
    warn = snap.fallback or snap.status != "live" or _overdue(st)
    parts.append((0 if warn else 2, source_text(st, compact, fresh)))
    return parts


def cached_text(st: StripState, compact: bool) -> Text:
    """When the cached snapshot was saved (the date too if not today) and what happens next:
    "cached 14:02 — refreshing…"."""
    assert st.cached_at is not None
    saved = st.cached_at.astimezone()
    today = st.wall_now.astimezone().date() if st.wall_now is not None else saved.date()
    when = f"{saved:%H:%M}" if saved.date() == today else f"{saved:%Y-%m-%d %H:%M}"
    after = "" if st.error else (" — refreshing…" if not compact else " ⟳")
    return Text(f"cached {when}{after}", style=_c(st.semantic.stale, bold=True))


def source_text(st: StripState, compact: bool, fresh: Freshness | None = None) -> Text:
    """"yahoo 2025-12-09 · 5s ago": the source and the data's date (with its year unless it is
    today's); old data (``fresh`` not current) says how old, in the colour of stale data."""
    snap = st.snapshot
    assert snap is not None
    sem = st.semantic
    out = Text(snap.source)
    if fresh is not None:
        out.append(f" {fresh.date_text(short=compact)}")
        if not fresh.current:
            days = (fresh.today - fresh.data_date).days
            age = f"{days}d" if compact else f"{days} day{'s' * (days != 1)}"
            out.append(f" · {age} old", style=_c(sem.stale, bold=True))
    else:
        out.append(f" {snap.asof:%Y-%m-%d}" if not compact else f" {fmt.short_date(snap.asof)}")
    quiet = snap.fallback or snap.status != "live"
    if st.wall_now is not None and st.updated_at is not None and not compact and not quiet:
        out.append(f" · {fmt.age(st.updated_at, st.wall_now)} ago", style=_c(sem.stale))
    old = _overdue(st)
    status = snap.status
    if status != "live":  # "offline since 10:42 — stored bars" (the note's first part)
        head = snap.note.split("; ")[0] if snap.note else status.replace("_", " ")
        if compact:  # "offline since 10:42": leaves room for the market clock at 80 columns
            head = head.split(" — ")[0]
        color = sem.stale if status in ("delayed", "waiting") else sem.failed
        out.append(f" · {head}", style=_c(color, bold=True))
    elif snap.fallback:
        why = f": {snap.note.split('; ')[0]}" if snap.note else ""
        out.append(f" · FALLBACK{why}", style=_c(sem.stale, bold=True))
    elif old:
        out.append(f" · STALE since {st.updated_at.astimezone():%H:%M}",
                   style=_c(sem.stale, bold=True))
    return out


def pair_parts(st: StripState, compact: bool) -> list[tuple[int, Text]]:
    snap, sem = st.snapshot, st.semantic
    if snap is None:  # no data yet: this line says why the refresh failed, if it did
        return [(-1, Text(st.error, style=_c(sem.down)))] if st.error else []
    pair = snap.market.pair
    parts: list[tuple[int, Text]] = []
    names = [pair.symbol, pair.benchmark] if pair else []
    for priority, sym in enumerate(names):
        facts = snap.symbols.get(sym)
        if facts is None or facts.highs is None:
            continue
        h = facts.highs
        t = Text(f"{sym} ", style=Style(bold=True))
        if h.new_closing_ath:
            t.append("record close", style=_c(sem.ath, bold=True))
        elif h.new_intraday_ath:
            t.append("intraday ATH", style=_c(sem.ath, bold=True))
        else:
            t.append(f"{fmt.pct(h.pct_from_ath)} vs ATH")
        if h.pct_vs_prior_cycle_peak is not None and h.prior_cycle_peak_date is not None:
            peak = f"'{h.prior_cycle_peak_date:%y}" if compact else f"{h.prior_cycle_peak_date:%Y}"
            color = sem.up if h.pct_vs_prior_cycle_peak >= 0 else sem.down
            t.append(f" · {fmt.pct(h.pct_vs_prior_cycle_peak)} vs {peak} peak", style=_c(color))
        parts.append((priority * 2, t))
    if pair is not None:
        t = Text(f"RS {pair.symbol}/{pair.benchmark} 1m ")
        color = {"up": sem.up, "down": sem.down}.get(pair.trend)
        t.append(fmt.rs_change(pair.trend, pair.change_1m), style=_c(color, bold=True))
        if pair.change_3m is not None:
            t.append(f" 3m {fmt.pct(pair.change_3m)}")
        if pair.quadrant and not compact:
            t.append(f" {pair.quadrant}")
        if pair.new_high:
            t.append(" · RS high", style=_c(sem.ath, bold=True))
        parts.append((1, t))
    return parts


def leader_race_parts(st: StripState, compact: bool) -> list[tuple[int, Text]]:
    snap, sem = st.snapshot, st.semantic
    if snap is None:
        return []
    parts: list[tuple[int, Text]] = []
    leaders = snap.market.leaders
    if leaders is not None:
        made = [ld for ld in leaders.order if ld.first_new_high]
        t = Text("Leaders " if not compact else "Lead ")
        if not made:
            t.append(f"no new highs since {fmt.short_date(leaders.window_start)}",
                     style=_c(sem.stale))
        shown = made[: 3 if compact else 5]
        for i, ld in enumerate(shown):
            if i:
                t.append(" › ")
            t.append(ld.symbol, style=Style(bold=i == 0))
            if not compact:
                t.append(f" {fmt.short_date(ld.first_new_high)}", style=_c(sem.stale))
        if len(made) > len(shown):
            t.append(f" +{len(made) - len(shown)}")
        parts.append((0, t))
    race = snap.market.race
    if race is not None:
        parts.append((1, race_text(race, sem, compact)))
    return parts


def race_text(race, sem: SemanticColors, compact: bool) -> Text:
    """The reference-high race in one line: who is how far from their reference-session high."""
    t = Text("Race " if compact else f"Race to {fmt.short_date(race.reference_date)} highs: ")
    if race.status == "won" and race.winner:
        t.append(f"{race.winner} won {fmt.short_date(race.won_on)}",
                 style=_c(sem.breakout, bold=True))
        return t
    if race.status == "tie":
        t.append(f"tie {fmt.short_date(race.won_on)}", style=_c(sem.breakout, bold=True))
        return t
    if race.status == "invalid":
        t.append(f"n/a ({race.note})" if race.note else "n/a", style=_c(sem.stale))
        return t
    for i, e in enumerate(race.entries):
        if i:
            t.append(" · ")
        t.append(e.symbol.removesuffix("-USD"), style=Style(bold=True))
        if e.crossed_on:
            t.append(f" crossed {fmt.short_date(e.crossed_on)}", style=_c(sem.breakout))
        else:
            t.append(f" {fmt.pct(e.distance_pct)}")
    return t


class MarketStrip(Widget):
    """Three lines of market context; re-rendered on each snapshot and on resize."""

    DEFAULT_CSS = "MarketStrip { height: 3; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: StripState | None = None

    def update_state(self, state: StripState) -> None:
        self.state = state
        self.refresh()

    def render(self) -> Text:
        st = self.state
        if st is None:
            return Text(" Basewatch │ starting…")
        width = max(self.size.width, 20)
        lines = [_fit(parts(st, False), parts(st, True), width)
                 for parts in (status_parts, pair_parts, leader_race_parts)]
        return Text("\n").join(lines)
