"""The breakout states as a fold over the closes since the anchor, with hysteresis.

A breakout happens only from below: the fold starts at the anchor session (the base's last forming
session, or the zone's last touch), whose close must be at or under the level (else there is no
breakout to follow). Each completed close then moves the state by these rules (``L`` the level):

- below -> near: a close within ``near_pct`` under L; near -> below: a close more than
  ``near_exit_pct`` under L (the wider band keeps a symbol from flapping on the edge).
- below / near / back_in_base / failed -> breaking: a close above L, a new attempt. It is confirmed
  at once if that session's volume is >= ``confirm_volume_ratio`` x its 50-session average (or
  there is no volume), and extended at once if it closed more than ``extended_pct`` above L.
- breaking -> confirmed: a close above L on confirming volume within ``fail_sessions`` sessions of
  the attempt's first close above L. An attempt never confirmed stays breaking.
- breaking / confirmed -> extended: a close more than ``extended_pct`` above L; extended falls back
  (to confirmed or breaking) only on a close under ``extended_pct - margin_pct`` above L.
- breaking / confirmed / extended -> back_in_base: a close more than ``margin_pct`` under L (a close
  back under the pivot is back in the base, O'Neil; quiet, no alert).
- any state after a breakout -> failed: a close at or under the fail line, ``fail_pct`` under L or
  the base's handle low (its low without a handle), whichever is higher.

A live (unfinished) session moves the state provisionally: trading above L is breaking, trading
more than ``margin_pct`` under L after a breakout is back in the base; confirmation and failure wait
for the close. The fold is a pure function of the bars up to the as-of session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ABOVE = ("breaking", "confirmed", "extended")


@dataclass(frozen=True)
class Fold:
    """Where the fold stands: the ``state``, the session index it began (``since``), the first
    close above the level of the current attempt (``start``, -1 before any) and whether the
    attempt was confirmed on volume."""

    state: str
    since: int
    start: int = -1
    confirmed: bool = False


@dataclass(frozen=True)
class Lines:
    """The price lines of one level (see the module docstring)."""

    level: float
    near_in: float
    near_out: float
    back: float
    fail: float
    ext_in: float
    ext_out: float
    fail_sessions: int

    @classmethod
    def of(cls, level: float, undercut: float | None, rules) -> Lines:
        """The lines of ``level`` under ``rules`` (a `BreakoutRules`); ``undercut``: the low
        whose undercut fails a breakout (the handle low or the base low), None for a zone."""
        fail = level * (1.0 - rules.fail_pct / 100.0)
        if undercut is not None and np.isfinite(undercut) and undercut < level:
            fail = max(fail, float(undercut))
        return cls(
            level=level,
            near_in=level * (1.0 - rules.near_pct / 100.0),
            near_out=level * (1.0 - rules.near_exit_pct / 100.0),
            back=level * (1.0 - rules.margin_pct / 100.0),
            fail=fail,
            ext_in=level * (1.0 + rules.extended_pct / 100.0),
            ext_out=level * (1.0 + (rules.extended_pct - rules.margin_pct) / 100.0),
            fail_sessions=rules.fail_sessions,
        )


def start(close: float, t: int, lines: Lines) -> Fold | None:
    """The fold at the anchor session ``t`` (close ``close``); None when it closed above the
    level: falling through a level from above is no breakout."""
    if close > lines.level:
        return None
    return Fold("near" if close >= lines.near_in else "below", t)


def step(f: Fold, t: int, c: float, volume_ok: bool, lines: Lines) -> Fold:
    """The fold after the completed session ``t`` closed at ``c``."""
    s = f.state
    if s in ABOVE:
        if c <= lines.fail:
            return Fold("failed", t, f.start, f.confirmed)
        if c < lines.back:
            return Fold("back_in_base", t, f.start, f.confirmed)
        confirmed = f.confirmed or (volume_ok and t - f.start <= lines.fail_sessions)
        if c > lines.ext_in or (s == "extended" and c >= lines.ext_out):
            new = "extended"
        else:
            new = "confirmed" if confirmed else "breaking"
        if new == s and confirmed == f.confirmed:
            return f
        return Fold(new, t if new != s else f.since, f.start, confirmed)
    if c > lines.level:
        new = "extended" if c > lines.ext_in else ("confirmed" if volume_ok else "breaking")
        return Fold(new, t, t, volume_ok)
    if s == "back_in_base" and c <= lines.fail:
        return Fold("failed", t, f.start, f.confirmed)
    if s == "below" and c >= lines.near_in:
        return Fold("near", t)
    if s == "near" and c < lines.near_out:
        return Fold("below", t)
    return f


def live_step(f: Fold, t: int, price: float, lines: Lines) -> Fold:
    """The fold moved provisionally by the live price of the unfinished session ``t``."""
    s = f.state
    if s in ABOVE:
        if price < lines.back:
            return Fold("back_in_base", t, f.start, f.confirmed)
        if price > lines.ext_in and s != "extended":
            return Fold("extended", t, f.start, f.confirmed)
        return f
    if price > lines.level:
        return Fold("breaking", t, t, False)
    if s == "below" and price >= lines.near_in:
        return Fold("near", t)
    if s == "near" and price < lines.near_out:
        return Fold("below", t)
    return f


def run(f: Fold, close: np.ndarray, volume_ok: np.ndarray, lo: int, hi: int,
        lines: Lines) -> Fold:
    """`step` through the completed sessions ``lo`` .. ``hi - 1`` (``volume_ok[t - lo]`` for
    session t). A sequential fold: each state depends on the one before, which no array
    operation expresses."""
    for t, c, ok in zip(range(lo, hi), close[lo:hi].tolist(), volume_ok.tolist(), strict=True):
        f = step(f, t, c, ok, lines)
    return f
