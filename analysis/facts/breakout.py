"""The breakout state machine: below -> near -> breaking -> confirmed -> extended | failed.

The level is the watched base's pivot (``find_bases(...)[0]``, whatever its status), else a
resistance zone's top: a zone whose top was cleared by a close within the last ``recent_sessions``
sessions (to follow that breakout), else the nearest zone overhead. The top, not the middle, because
a breakout means clearing all the supply in the band ("testing resistance" is being inside it).

The state is a pure function of the bars up to the last one (no memory, so replay-safe and free of
look-ahead). Sessions after the anchor (the base's last forming session, or the zone's last touch)
are read like a chart:

- below / near: no completed close above the level since the anchor (near: within ``near_pct``).
- breaking: trading above the level in a live session (``session_fraction`` < 1), or closed above
  it without the volume to confirm yet.
- confirmed: a completed session closed above the level on volume >= ``confirm_volume_ratio`` x
  the average of the 50 sessions before it, within ``fail_sessions`` of the first close above.
  Intraday, ``volume_ratio`` shows the projected volume (volume so far / session_fraction), but
  confirmation waits for the close. Without volume data (an index) a close above confirms.
- extended: more than ``extended_pct`` above the level (past the buy zone).
- failed: closed back below the level within ``fail_sessions`` of breaking out. A later close above
  the level starts a new attempt.

``pct_vs_level`` is where the last price is against the level, in % (negative: below the level).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.base_rules import BaseKind
from analysis.facts.pivots import frame_arrays
from analysis.facts.zones import Zone, nearest_overhead

if TYPE_CHECKING:
    import pandas as pd

    from analysis.events import Event
    from analysis.facts.bases import Base

STATES = ("below", "near", "breaking", "confirmed", "extended", "failed")
RANK = {"below": 0, "failed": 0, "near": 1, "breaking": 2, "confirmed": 3, "extended": 4}
AVG_SESSIONS = 50
KIND_WORDS = {kind: kind.words for kind in BaseKind}


@dataclass(frozen=True)
class BreakoutRules:
    """The numbers of the state machine (percent values in %). ``recent_sessions``: how far back a
    close above a zone's top still makes that zone the watched level; ``zone_min_touches``: the
    fewest touches for a zone to be a breakout level. The config's ``[thresholds]`` sets the first
    four (``Thresholds.breakout_rules``)."""

    near_pct: float = 3.0
    extended_pct: float = 5.0
    confirm_volume_ratio: float = 1.4
    fail_sessions: int = 10
    recent_sessions: int = 40
    zone_min_touches: int = 3


@dataclass(frozen=True)
class Breakout:
    """The breakout state of a symbol against ``level`` (its active base pivot, or the nearest
    overhead zone). ``level_source`` says which ("cup_with_handle pivot", "resistance zone", ...);
    ``volume_ratio`` is the session's (projected, intraday) volume / 50-day average; ``since`` is
    the session the state began; ``needs`` says what the next step needs, in words a trader reads
    ("close above 70.12 on volume above 9.8M")."""

    state: str
    level: float
    level_source: str
    pct_vs_level: float
    volume_ratio: float | None
    since: date | None
    needs: str


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
    return int(np.datetime64(d, "D").astype(np.int64))


def _date(day: int) -> date:
    return np.datetime64(int(day), "D").astype(object)


def watched_zone(zones, day: np.ndarray, close: np.ndarray, recent: int,
                 min_touches: int = 3) -> Zone | None:
    """The resistance zone (>= ``min_touches``) whose top a close cleared most recently, within
    ``recent`` sessions; else the nearest one overhead."""
    n = len(close)
    best, best_b = None, -1
    strong = [z for z in zones if z.kind == "resistance" and z.touches >= min_touches]
    for z in strong:
        a = int(np.searchsorted(day, _day(z.last_touch), "right"))
        above = np.flatnonzero(close[a:] > z.high)
        if len(above) and a + above[0] >= n - 1 - recent and a + above[0] > best_b:
            best, best_b = z, a + int(above[0])
    return best if best is not None else nearest_overhead(strong, float(close[-1]))


def _trailing_run(mask: np.ndarray) -> int:
    """Start of the trailing run of True values in ``mask`` (len(mask) if the last is False)."""
    if len(mask) == 0 or not mask[-1]:
        return len(mask)
    falses = np.flatnonzero(~mask)
    return int(falses[-1]) + 1 if len(falses) else 0


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
) -> Breakout | None:
    """`breakout_state` on arrays ending at the as-of bar (``avg`` = `average_volume`)."""
    rules = rules or BreakoutRules()
    n = len(close)
    if n == 0:
        return None
    if base is not None:
        level, anchor = float(base.pivot), base.end
        source = f"{base.kind.words} pivot"
    else:
        zone = watched_zone(zones, day, close, rules.recent_sessions, rules.zone_min_touches)
        if zone is None:
            return None
        level, anchor, source = float(zone.high), zone.last_touch, _zone_words(zone)
    live = session_fraction < 1.0
    done = n - 1 if live else n  # completed sessions
    a = int(np.searchsorted(day, _day(anchor), "right"))
    price = float(close[-1])
    frac = max(min(session_fraction, 1.0), 1e-3)
    ratio = volume[-1] / frac / avg[-1] if np.isfinite(avg[-1]) else None
    need_vol = rules.confirm_volume_ratio * avg[-1] if np.isfinite(avg[-1]) else None
    vol_words = f" on volume above {volume_words(need_vol)}" if need_vol else ""
    near_level = level * (1.0 - rules.near_pct / 100.0)
    ext_level = level * (1.0 + rules.extended_pct / 100.0)
    seg = close[a:done]
    above = seg > level

    def when(i: int) -> date:
        return _date(day[i])

    state = None
    if len(seg) and above.any():
        if above[-1]:
            b = a + _trailing_run(above)
            window = slice(b, min(b + rules.fail_sessions, done - 1) + 1)
            volume_ok = volume[window] >= rules.confirm_volume_ratio * avg[window]
            no_avg = ~np.isfinite(avg[window])
            conf = np.flatnonzero(volume_ok | no_avg)
            run_ext = np.flatnonzero(close[b:n] > ext_level)
            if price > ext_level and len(run_ext):
                state, since = "extended", when(b + int(run_ext[0]))
                needs = (f"extended {(price / level - 1) * 100:.1f}% past {level:.2f}: wait for a "
                         "pullback toward the pivot or a new base")
            elif len(conf):
                state, since = "confirmed", when(b + int(conf[0]))
                last_day = when(min(b + rules.fail_sessions, n - 1))
                needs = (f"hold above {level:.2f} (a close below it by {last_day} fails the "
                         f"breakout); buy zone up to {ext_level:.2f}")
            else:
                state, since = "breaking", when(b)
                needs = f"a close above {level:.2f}{vol_words} to confirm"
        else:
            runs = np.flatnonzero(np.diff(np.r_[False, above].astype(int)) == 1)
            b = a + int(runs[-1])
            fail_at = a + int(np.flatnonzero(above)[-1]) + 1
            if fail_at - b <= rules.fail_sessions:
                state, since = "failed", when(fail_at)
                needs = f"a new close above {level:.2f}{vol_words}"
    if live and price > level and state in (None, "failed"):
        state, since = "breaking", when(n - 1)
        pace = f" (pace {ratio:.1f}x)" if ratio is not None else ""
        needs = f"hold above {level:.2f} into the close{vol_words}{pace}"
    if state is None:
        state = "near" if price >= near_level else "below"
        in_band = (close >= near_level) if state == "near" else (close < near_level)
        since = when(_trailing_run(in_band))
        needs = (f"a close above {level:.2f}{vol_words}" if state == "near" else
                 f"a rise of {(level / price - 1) * 100:.1f}% to {level:.2f}, then a close above "
                 f"it{vol_words}")
    return Breakout(
        state=state,
        level=level,
        level_source=source,
        pct_vs_level=(price / level - 1.0) * 100.0,
        volume_ratio=None if ratio is None else float(ratio),
        since=since,
        needs=needs,
    )


def breakout_events(
    previous: Breakout | None,
    current: Breakout | None,
    symbol: str,
    asof: date,
    at: datetime | None = None,
) -> tuple[Event, ...]:
    """Events for a transition worth telling: entering near, breaking, confirmed or extended from
    a lower stage (against the same level; a new level starts from below), or entering failed."""
    from analysis.events import Event

    if current is None or current.state == "below":
        return ()
    same = previous is not None and abs(previous.level - current.level) < 1e-9
    before = previous.state if same else "below"
    if current.state == before:
        return ()
    if current.state != "failed" and RANK[current.state] <= RANK[before]:
        return ()
    at = at or datetime(asof.year, asof.month, asof.day, tzinfo=UTC)
    words = {
        "near": "is near",
        "breaking": "is breaking out above",
        "confirmed": "confirmed a breakout above",
        "extended": "is extended past the buy zone above",
        "failed": "failed its breakout above",
    }[current.state]
    vol = f", volume {current.volume_ratio:.1f}x average" if current.volume_ratio else ""
    message = f"{symbol} {words} {current.level:.2f} ({current.level_source}){vol}"
    data = {
        "level": current.level,
        "level_source": current.level_source,
        "pct_vs_level": current.pct_vs_level,
        "volume_ratio": current.volume_ratio,
        "previous": previous.state if previous else None,
        "since": current.since.isoformat() if current.since else None,
    }
    return (Event(current.state, symbol, asof, at, message, data),)
