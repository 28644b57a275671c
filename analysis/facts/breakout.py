"""The breakout state of a symbol: below, near, breaking, confirmed, extended, back_in_base, failed.

The level is the watched base's pivot (``find_bases(...)[0]``, whatever its status), else a
resistance zone's top: a zone whose top was cleared by a close within the last ``recent_sessions``
sessions (to follow that breakout), else the nearest zone overhead. The top, not the middle, because
a breakout means clearing all the supply in the band ("testing resistance" is being inside it).

The state is a pure function of the bars up to the last one: a fold over the sessions since the
anchor (the base's last forming session, or the zone's last touch) with the rules and the
hysteresis of `analysis.facts.breakout_fold` (a breakout only from below; a close back under the
pivot is back in the base, quiet; failed on a close ``fail_pct`` under the pivot or under the
handle/base low). Intraday, ``volume_ratio`` shows the projected volume (volume so far /
session_fraction), but confirmation waits for the close.

``pct_vs_level`` is where the last price is against the level, in % (negative: below the level).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np

from analysis.days import to_date
from analysis.facts import breakout_fold as fold
from analysis.facts.level_kinds import KIND_WORDS, level_kind  # noqa: F401 (re-exported)
from analysis.facts.pivots import frame_arrays
from analysis.facts.zone_watch import choose, first_close_above
from analysis.facts.zones import Zone

if TYPE_CHECKING:
    import pandas as pd

    from analysis.events import Event
    from analysis.facts.bases import Base

ABOVE = ("breaking", "confirmed", "extended")
STATES = ("below", "near", "breaking", "confirmed", "extended", "back_in_base", "failed")
RANK = {"below": 0, "failed": 0, "near": 1, "back_in_base": 1, "breaking": 2, "confirmed": 3,
        "extended": 4}
AVG_SESSIONS = 50


@dataclass(frozen=True)
class BreakoutRules:
    """The numbers of the state machine (percent values in %; see `analysis.facts.breakout_fold`).
    ``recent_sessions``: how far back a close above a zone's top still makes that zone the watched
    level; ``zone_min_touches``: the fewest touches for a zone to be a breakout level. The config's
    ``[thresholds]`` sets the first seven (``Thresholds.breakout_rules``)."""

    near_pct: float = 3.0
    extended_pct: float = 5.0
    confirm_volume_ratio: float = 1.4
    fail_sessions: int = 10
    fail_pct: float = 8.0
    near_exit_pct: float = 5.0
    margin_pct: float = 1.0
    recent_sessions: int = 40
    zone_min_touches: int = 3


@dataclass(frozen=True)
class Breakout:
    """The breakout state of a symbol against ``level`` (its active base pivot, or the nearest
    overhead zone). ``level_source`` says which ("cup_with_handle pivot", "resistance zone", ...);
    ``volume_ratio`` is the session's (projected, intraday) volume / 50-day average; ``since`` is
    the session the state began; ``needs`` says what the next step needs, in words a trader reads
    ("close above 70.12 on volume above 9.8M"); ``fail_level`` is the close at or under which a
    breakout fails."""

    state: str
    level: float
    level_source: str
    pct_vs_level: float
    volume_ratio: float | None
    since: date | None
    needs: str
    fail_level: float | None = None


def volume_words(v: float) -> str:
    """9800000 -> "9.8M", 950000 -> "950K"."""
    if v >= 1e9:
        return f"{v / 1e9:.1f}B"
    if v >= 1e6:
        return f"{v / 1e6:.1f}M"
    if v >= 1e3:
        return f"{v / 1e3:.0f}K"
    return f"{v:.0f}"


def average_volume(volume: np.ndarray, window: int = AVG_SESSIONS) -> np.ndarray:
    """Per session: the mean volume of the ``window`` sessions before it (NaN with fewer than 10
    earlier sessions or no volume)."""
    csum = np.concatenate(([0.0], np.cumsum(volume)))
    idx = np.arange(len(volume))
    start = np.maximum(idx - window, 0)
    count = idx - start
    avg = (csum[idx] - csum[start]) / np.maximum(count, 1)
    return np.where((count >= 10) & (avg > 0), avg, np.nan)


def _zone_words(z: Zone) -> str:
    return (f"resistance zone {z.low:.2f}-{z.high:.2f} ({z.touches} touches since "
            f"{z.first_touch:%b %Y})")


def _day(d: date) -> int:
    return d.toordinal() - 719163  # days since 1970-01-01, as the bars' day numbers


def watched_zone(zones, day: np.ndarray, close: np.ndarray, recent: int,
                 min_touches: int = 3) -> Zone | None:
    """The resistance zone (>= ``min_touches``) whose top a close cleared most recently, within
    ``recent`` sessions (its first close above since its last touch); else the nearest one
    overhead (`analysis.facts.zone_watch.choose`, the one rule)."""
    strong = [z for z in zones if z.kind == "resistance" and z.touches >= min_touches]
    if not strong:
        return None
    after = np.searchsorted(day, [_day(z.last_touch) for z in strong], "right")
    first = first_close_above(close, after, np.array([z.high for z in strong]))
    k = choose(strong, first, len(close), recent, float(close[-1]))
    return None if k is None else strong[k]


def breakout_state(
    bars: pd.DataFrame,
    base: Base | None,
    zones: tuple[Zone, ...] | list[Zone],
    rules: BreakoutRules | None = None,
    *,
    session_fraction: float = 1.0,
) -> Breakout | None:
    """The state as of the last bar against ``base``'s pivot, else a resistance zone's top (of at
    least ``zone_min_touches`` touches); None when there is neither (see the module docstring)."""
    a = frame_arrays(bars)
    if len(a.close) == 0:
        return None
    return state_from_arrays(
        a.day, a.close, a.volume, average_volume(a.volume), base, zones, rules,
        session_fraction=session_fraction,
    )


def watched_level(day: np.ndarray, close: np.ndarray, base: Base | None, zones,
                  rules: BreakoutRules, zone: Zone | None = None
                  ) -> tuple[float, int, float | None, str] | None:
    """(level, index of the anchor session, the low whose undercut fails a breakout, words for
    the level) of ``base``'s pivot, else of the watched resistance zone's top; None without
    either (``day``/``close`` end at the as-of session). ``zones`` None: ``zone`` is the watched
    zone already chosen (`analysis.facts.zone_watch.ZoneTrack`)."""
    if base is not None:
        level, anchor = float(base.pivot), base.end
        undercut = float(base.handle.low) if base.handle is not None else float(base.low)
        source = f"{base.kind.words} pivot"
    else:
        if zones is not None:
            zone = watched_zone(zones, day, close, rules.recent_sessions, rules.zone_min_touches)
        if zone is None:
            return None
        level, anchor, undercut, source = float(zone.high), zone.last_touch, None, _zone_words(zone)
    a = int(np.searchsorted(day, _day(anchor), "right")) - 1
    return level, max(a, 0), undercut, source


def volume_confirms(volume: np.ndarray, avg: np.ndarray, ratio: float) -> np.ndarray:
    """Per session: volume >= ``ratio`` x its 50-session average, or no average to hold it to."""
    return (volume >= ratio * avg) | ~np.isfinite(avg)


def state_from_arrays(
    day: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
    avg: np.ndarray,
    base: Base | None,
    zones,
    rules: BreakoutRules | None = None,
    *,
    session_fraction: float = 1.0,
    memo: dict | None = None,
    zone: Zone | None = None,
) -> Breakout | None:
    """`breakout_state` on arrays ending at the as-of bar (``avg`` = `average_volume`).
    ``memo``: a dict kept between calls on growing prefixes of the same bars (history mode), so
    the fold resumes where it stood instead of starting again at the anchor (same answer);
    ``zones`` None: ``zone`` is the watched zone, already chosen (`watched_level`)."""
    rules = rules or BreakoutRules()
    n = len(close)
    if n == 0:
        return None
    watched = watched_level(day, close, base, zones, rules, zone)
    if watched is None:
        return None
    level, a, undercut, source = watched
    lines = fold.Lines.of(level, undercut, rules)
    live = session_fraction < 1.0
    done = n - 1 if live else n  # completed sessions
    a = min(a, max(done - 1, 0))  # a zone touched by the live session: start from the last close
    f = _fold_closes(close, volume, avg, a, done, lines, rules, memo)
    if f is None:
        return None
    if live and done >= a + 1:
        f = fold.live_step(f, n - 1, float(close[-1]), lines)
    price, last_avg = float(close[-1]), float(avg[-1])
    frac = max(min(session_fraction, 1.0), 1e-3)
    ratio = float(volume[-1]) / frac / last_avg if math.isfinite(last_avg) else None
    return Breakout(
        state=f.state,
        level=level,
        level_source=source,
        pct_vs_level=(price / level - 1.0) * 100.0,
        volume_ratio=ratio,
        since=to_date(day[f.since]),
        needs=_needs(f, lines, price, last_avg, rules, live, ratio),
        fail_level=lines.fail,
    )


def _fold_closes(close: np.ndarray, volume: np.ndarray, avg: np.ndarray, a: int, done: int,
                 lines: fold.Lines, rules: BreakoutRules, memo: dict | None) -> fold.Fold | None:
    """The fold over the completed closes from the anchor ``a`` to ``done`` (resumed from
    ``memo`` where a call on a shorter prefix of the same bars left it); None when the anchor
    close is already above the level (a breakout only happens from below)."""
    key = (lines.level, a, lines.fail)
    resume = memo.get(key) if memo is not None else None
    if resume is not None and resume[0] <= done:
        t0, f = resume
    else:
        t0, f = a + 1, fold.start(float(close[a]), a, lines)
    if f is None:
        return None
    ok = volume_confirms(volume[t0:done], avg[t0:done], rules.confirm_volume_ratio)
    f = fold.run(f, close, ok, t0, done, lines)
    if memo is not None:
        memo.clear()
        memo[key] = (done, f)
    return f


def _needs(f: fold.Fold, lines: fold.Lines, price: float, avg: float, rules: BreakoutRules,
           live: bool, ratio: float | None) -> str:
    """What the next step needs, in a trader's words."""
    level = lines.level
    need_vol = rules.confirm_volume_ratio * avg if math.isfinite(avg) else None
    vol = f" on volume above {volume_words(need_vol)}" if need_vol else ""
    if live and f.state == "breaking" and f.since == f.start:
        pace = f" (pace {ratio:.1f}x)" if ratio is not None else ""
        return f"hold above {level:.2f} into the close{vol}{pace}"
    state = f.state  # only the one sentence asked for is written (once per session in history)
    if state == "below":
        return (f"a rise of {(level / price - 1) * 100:.1f}% to {level:.2f}, then a close above "
                f"it{vol}")
    if state == "near":
        return f"a close above {level:.2f}{vol}"
    if state == "breaking":
        return f"a close above {level:.2f}{vol} to confirm"
    if state == "confirmed":
        return (f"hold above {level:.2f} (a close under {lines.back:.2f} puts it back in the base, "
                f"under {lines.fail:.2f} fails it); buy zone up to {lines.ext_in:.2f}")
    if state == "extended":
        return (f"extended {(price / level - 1) * 100:.1f}% past {level:.2f}: wait for a pullback "
                "toward the pivot or a new base")
    if state == "back_in_base":
        return (f"back in the base: a close above {level:.2f}{vol} restarts the breakout; a close "
                f"under {lines.fail:.2f} fails it")
    if state == "failed":
        return f"a new close above {level:.2f}{vol}"
    raise KeyError(state)


def event_kind(previous: Breakout | None, current: Breakout | None) -> str | None:
    """The event a change from ``previous`` to ``current`` raises, or None: entering near,
    breaking, confirmed or extended from a lower stage (against the same level; a new level starts
    from below), or entering failed after a breakout at the same level. Back in the base is
    quiet."""
    if current is None or current.state in ("below", "back_in_base"):
        return None
    same = previous is not None and abs(previous.level - current.level) < 1e-9
    before = previous.state if same else "below"
    if current.state == before:
        return None
    if current.state == "failed":  # only the failure of a breakout seen at this level
        return "failed" if before in (*ABOVE, "back_in_base") else None
    if RANK[current.state] <= RANK[before]:
        return None
    return current.state


def signal_of(previous: Breakout | None, current: Breakout | None) -> str | None:
    """The signal a change raises (the kinds the track record measures): "breakout <level kind>"
    when an attempt starts (breaking, confirmed or extended entered from below the level), else
    the event's kind ("confirmed", "extended", "near", "failed"); None without an event."""
    kind = event_kind(previous, current)
    if kind is None or current is None:
        return None
    same = previous is not None and abs(previous.level - current.level) < 1e-9
    before = previous.state if same and previous is not None else "below"
    if kind in ("breaking", "confirmed", "extended") and before not in ABOVE:
        return f"breakout {level_kind(current.level_source)}"
    return kind


def breakout_events(
    previous: Breakout | None,
    current: Breakout | None,
    symbol: str,
    asof: date,
    at: datetime | None = None,
) -> tuple[Event, ...]:
    """The event of `event_kind` (if any), with its message and data."""
    from analysis.events import Event

    kind = event_kind(previous, current)
    if kind is None or current is None:
        return ()
    at = at or datetime(asof.year, asof.month, asof.day, tzinfo=UTC)
    words = {
        "near": "is near",
        "breaking": "is breaking out above",
        "confirmed": "confirmed a breakout above",
        "extended": "is extended past the buy zone above",
        "failed": "failed its breakout above",
    }[kind]
    vol = f", volume {current.volume_ratio:.1f}x average" if current.volume_ratio else ""
    message = f"{symbol} {words} {current.level:.2f} ({current.level_source}){vol}"
    data = {
        "level": current.level,
        "level_source": current.level_source,
        "pct_vs_level": current.pct_vs_level,
        "volume_ratio": current.volume_ratio,
        "previous": previous.state if previous else None,
        "since": current.since.isoformat() if current.since else None,
        "signal": signal_of(previous, current),
    }
    return (Event(kind, symbol, asof, at, message, data),)
