"""What changed between two snapshots, as events: ``diff(previous, current)`` (breakout
transitions, new record highs, streak milestones, the race decided, the FOMC banner)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.events import Event
    from analysis.snapshot import Snapshot


def diff(
    previous: Snapshot | None,
    current: Snapshot,
    milestones: tuple[int, ...] = (5, 8, 10, 12),
) -> tuple[Event, ...]:
    """What changed from ``previous`` to ``current``, as events (none for the first snapshot).

    Breakout transitions worth telling (up the ladder near -> breaking -> confirmed -> extended,
    or into failed; see ``breakout_events``), a new closing or intraday ATH, a streak reaching a
    milestone, the race being decided, and the FOMC banner.
    """
    from analysis.events import Event
    from analysis.facts.breakout import breakout_events

    if previous is None:
        return ()
    at = current.fetched_at
    events: list[Event] = []

    def add(kind: str, symbol: str | None, message: str, **data: Any) -> None:
        events.append(Event(kind, symbol, current.asof, at, message, data))

    milestones = tuple(sorted(set(milestones)))
    for sym, cur in current.symbols.items():
        old = previous.symbols.get(sym)
        if old is None:
            continue
        events.extend(breakout_events(old.breakout, cur.breakout, sym, current.asof, at))
        newer = cur.asof > old.asof
        if cur.highs is None or old.highs is None:  # an instrument without record highs
            pass
        elif cur.highs.new_closing_ath and (newer or not old.highs.new_closing_ath):
            add("new_ath", sym, f"{sym} closed at a record high {cur.last:.2f}", price=cur.last)
        elif cur.highs.new_intraday_ath and (newer or not old.highs.new_intraday_ath):
            add("new_intraday_ath", sym,
                f"{sym} traded at a record intraday high {cur.highs.ath_high:.2f}",
                price=cur.highs.ath_high)
        n_new, n_old = cur.streak.length, old.streak.length
        if n_new != n_old:
            for m in milestones:
                if abs(n_new) >= m > (abs(n_old) if n_old * n_new > 0 else 0):
                    word = "higher" if n_new > 0 else "lower"
                    add("streak", sym, f"{sym} closed {word} {abs(n_new)} sessions in a row",
                        streak=n_new, milestone=m)
                    break
    race_new, race_old = current.market.race, previous.market.race
    if (race_new and race_new.status in ("won", "tie")
            and (race_old is None or race_old.status not in ("won", "tie"))):
        if race_new.winner:
            msg = f"{race_new.winner} cleared its {race_new.reference_date} high first"
        else:
            msg = f"race tied: both cleared their {race_new.reference_date} highs the same session"
        add("race", race_new.winner, msg, won_on=str(race_new.won_on))
    banner = current.market.fomc.banner
    if banner and banner != previous.market.fomc.banner:
        add("fomc", None, banner, decision=str(current.market.fomc.next_decision))
    return tuple(events)
