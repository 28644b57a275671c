"""The breadth of a universe over time: for each of its last sessions, the % of members above their
50- and 200-session averages and the count at new highs and new lows, with the definitions of
``analysis.facts.breadth`` applied as of that session.

The sessions are the union of the members' dates (the last ``sessions`` of them). On a session a
member counts only if it has a bar that day and, for each figure, enough bars by then (50, 200 or
253): a member without a bar that day is left out of that day's figures. Each session's figures
use only bars up to it, so they never change when later bars are appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from analysis.facts.breadth import HIGH_LOW_SESSIONS

HISTORY_SESSIONS = 252  # about a year of sessions


@dataclass(frozen=True)
class BreadthHistory:
    """Breadth per session, oldest first; every array has one entry per date in ``dates``. A % is
    NaN on a session where no member has enough bars for it."""

    dates: np.ndarray  # datetime64[D]
    members: np.ndarray  # members with a bar that session
    with_50: np.ndarray
    pct_above_50: np.ndarray
    with_200: np.ndarray
    pct_above_200: np.ndarray
    with_253: np.ndarray
    new_highs: np.ndarray
    new_lows: np.ndarray


def _days(index: pd.Index) -> np.ndarray:
    """Each bar's session date (its local calendar day)."""
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.to_numpy().astype("datetime64[D]")


def _above(close: np.ndarray, window: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For the last ``k`` bars: (has ``window`` bars by then, close strictly above the mean of the
    last ``window`` closes, that one included)."""
    n = len(close)
    has = np.arange(n - k, n) >= window - 1
    above = np.zeros(k, dtype=bool)
    m = int(has.sum())
    if m:
        means = sliding_window_view(close[n - m - window + 1:], window).mean(axis=1)
        above[k - m:] = close[n - m:] > means
    return has, above


def _highs_lows(high: np.ndarray, low: np.ndarray, k: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the last ``k`` bars: (has 253 bars by then, new high, new low) against the 252 bars
    before each."""
    n, span = len(high), HIGH_LOW_SESSIONS + 1
    has = np.arange(n - k, n) >= HIGH_LOW_SESSIONS
    hi = np.zeros(k, dtype=bool)
    lo = np.zeros(k, dtype=bool)
    m = int(has.sum())
    if m:
        hw = sliding_window_view(high[n - m - HIGH_LOW_SESSIONS:], span)
        lw = sliding_window_view(low[n - m - HIGH_LOW_SESSIONS:], span)
        hi[k - m:] = hw[:, -1] > hw[:, :-1].max(axis=1)
        lo[k - m:] = lw[:, -1] < lw[:, :-1].min(axis=1)
    return has, hi, lo


def _pct(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, 100.0 * part / np.maximum(whole, 1), np.nan)


def breadth_history(bars: Mapping[str, pd.DataFrame],
                    sessions: int = HISTORY_SESSIONS) -> BreadthHistory:
    """Breadth for each of the last ``sessions`` sessions of ``bars`` (one frame per member with
    columns close, high and low, oldest first)."""
    frames = {s: df for s, df in bars.items() if len(df)}
    tails = {s: _days(df.index[-sessions:]) for s, df in frames.items()}
    dates = np.unique(np.concatenate(list(tails.values()))) if tails else (
        np.array([], dtype="datetime64[D]"))
    dates = dates[-sessions:]
    names = ("members", "with_50", "above_50", "with_200", "above_200", "with_253", "highs",
             "lows")
    counts = {name: np.zeros(len(dates), dtype=np.int64) for name in names}
    for sym, df in frames.items():
        days = tails[sym]
        keep = days >= dates[0]
        k = int(keep.sum())
        if not k:
            continue
        at = np.searchsorted(dates, days[-k:])
        close = df["close"].to_numpy(dtype=float)
        with_50, above_50 = _above(close, 50, k)
        with_200, above_200 = _above(close, 200, k)
        with_253, highs, lows = _highs_lows(df["high"].to_numpy(dtype=float),
                                            df["low"].to_numpy(dtype=float), k)
        flags = (np.ones(k, dtype=bool), with_50, above_50, with_200, above_200, with_253,
                 highs, lows)
        for name, flag in zip(names, flags, strict=True):
            np.add.at(counts[name], at, flag.astype(np.int64))
    return BreadthHistory(
        dates=dates,
        members=counts["members"],
        with_50=counts["with_50"],
        pct_above_50=_pct(counts["above_50"], counts["with_50"]),
        with_200=counts["with_200"],
        pct_above_200=_pct(counts["above_200"], counts["with_200"]),
        with_253=counts["with_253"],
        new_highs=counts["highs"],
        new_lows=counts["lows"],
    )


def members_history(members: Iterable[str], bars: Mapping[str, pd.DataFrame],
                    sessions: int = HISTORY_SESSIONS) -> BreadthHistory:
    """The history of a universe's ``members`` from the refresh's ``bars``, over the bars the
    snapshot counts (those with a price, ``analysis.facts.clean.usable``); a member without bars
    is left out."""
    from analysis.facts.clean import usable

    return breadth_history({s: usable(bars[s]) for s in members if s in bars}, sessions)
