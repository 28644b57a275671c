"""A backtest of a universe over a period: every signal of every symbol with its features and
outcome, the record per kind, for "all" and "alerted", and the naive baseline's record.

The market is the universe's equal-weight average: its 63-session forward return from a day is the
mean of the symbols' own from that day; its trend (``market_up``) is its equal-weight index (the
cumulated mean daily return) above its 200-session average, known on the day. Each symbol needs a
year (252 sessions) before its first signal.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from analysis.facts.bases import BaseRules, rules_for_symbol
from analysis.facts.breakout import BreakoutRules, average_volume
from analysis.facts.clean import closes, day_numbers, highs, usable
from analysis.track_record import outcomes as oc
from analysis.track_record.signals import (
    BASELINE_KIND,
    SIGNAL_KINDS,
    naive_signals,
    symbol_signals,
)
from analysis.track_record.stats import Summary, summarize

if TYPE_CHECKING:
    import pandas as pd

WARMUP = 252
TREND_SESSIONS = 200
FEATURE_SESSIONS = 63
TIGHT_SESSIONS = 15
PRIOR_SESSIONS = 126


@dataclass(frozen=True)
class Signal:
    """One signal and what followed (percent units; None where not known). Features known on the
    day: ``volume_ratio`` (volume / 50-session average), ``rs_63`` (the symbol's 63-session return
    minus the market's), ``market_up``, ``tightness_pct`` (the close range of the 15 sessions
    before / the level), ``prior_advance_pct`` (the base's left-side close over the lowest close
    of the 126 sessions before it), ``depth_pct`` and ``quality`` (bases only)."""

    symbol: str
    date: date
    kind: str
    level: float
    close: float
    alert: bool
    quality: int | None
    r5: float | None
    r21: float | None
    r63: float | None
    max_rise_63: float | None
    failed: bool | None
    volume_ratio: float | None = None
    rs_63: float | None = None
    market_up: bool | None = None
    tightness_pct: float | None = None
    prior_advance_pct: float | None = None
    depth_pct: float | None = None
    symbol_r63: float | None = None
    market_r63: float | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


@dataclass(frozen=True)
class Backtest:
    """The signals, the record per kind ("all", "alerted", then each kind) and the baseline's."""

    start: date | None
    end: date | None
    symbols: tuple[str, ...]
    signals: tuple[Signal, ...]
    summary: tuple[Summary, ...]
    baseline: Summary
    baseline_signals: tuple[Signal, ...] = ()

    def to_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "symbols": list(self.symbols),
            "signals": [s.to_json() for s in self.signals],
            "summary": [s.to_json() for s in self.summary],
            "baseline": self.baseline.to_json(),
        }


@dataclass
class Market:
    """Per calendar day number: the market's forward 63-session return, past 63-session return
    and trend (equal-weight over the universe)."""

    day: np.ndarray
    r63: np.ndarray
    past63: np.ndarray
    up: np.ndarray

    def at(self, days: np.ndarray, values: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(self.day, days), 0, len(self.day) - 1)
        return np.where(self.day[pos] == days, values[pos], np.nan)


def market_of(frames: Mapping[str, pd.DataFrame]) -> Market:
    """The universe's equal-weight market (see the module docstring)."""
    import pandas as pd

    closes_by = {s: pd.Series(closes(f), index=day_numbers(f.index)) for s, f in frames.items()}
    table = pd.DataFrame(closes_by).sort_index()
    px = table.to_numpy()
    fwd = np.full_like(px, np.nan)
    h = oc.WINDOW
    if len(px) > h:
        fwd[:-h] = (px[h:] / px[:-h] - 1.0) * 100.0
    daily = table.pct_change(fill_method=None).to_numpy()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a day no symbol traded
        mean_daily = np.nan_to_num(np.nanmean(np.where(np.isfinite(daily), daily, np.nan), axis=1))
        r63 = np.nanmean(fwd, axis=1)
    index = np.cumprod(1.0 + mean_daily)
    avg = pd.Series(index).rolling(TREND_SESSIONS).mean().to_numpy()
    past = np.full(len(index), np.nan)
    past[h:] = (index[h:] / index[:-h] - 1.0) * 100.0
    up = np.where(np.isfinite(avg), (index > avg).astype(float), np.nan)
    return Market(table.index.to_numpy(dtype=np.int64), r63, past, up)


def _span(good: pd.DataFrame, start: date | None, end: date | None) -> tuple[int, int]:
    day = day_numbers(good.index)
    i0 = int(np.searchsorted(day, start.toordinal() - 719163)) if start else 0
    i1 = int(np.searchsorted(day, end.toordinal() - 719163, "right")) - 1 if end else len(day) - 1
    return max(i0, WARMUP), i1


def _features(good: pd.DataFrame, at: np.ndarray, levels: np.ndarray, starts: np.ndarray,
              market: Market) -> dict[str, np.ndarray]:
    close = closes(good)
    volume = np.nan_to_num(good["volume"].to_numpy(dtype="float64", na_value=np.nan))
    avg = average_volume(volume)
    day = day_numbers(good.index)[at]
    past = np.where(at >= FEATURE_SESSIONS,
                    (close[at] / close[np.maximum(at - FEATURE_SESSIONS, 0)] - 1.0) * 100.0, np.nan)
    win = close[np.maximum(at[:, None] - TIGHT_SESSIONS + np.arange(TIGHT_SESSIONS), 0)]
    prior = np.full(len(at), np.nan)
    has = starts >= PRIOR_SESSIONS
    if has.any():
        s = starts[has]
        lows = close[s[:, None] - PRIOR_SESSIONS + np.arange(PRIOR_SESSIONS)].min(axis=1)
        prior[has] = (close[s] / lows - 1.0) * 100.0
    with np.errstate(all="ignore"):
        vol_ratio = volume[at] / avg[at]
    return {
        "volume_ratio": np.where(volume[at] > 0, vol_ratio, np.nan),
        "rs_63": past - market.at(day, market.past63),
        "market_up": market.at(day, market.up),
        "tightness_pct": (win.max(axis=1) - win.min(axis=1)) / levels * 100.0,
        "prior_advance_pct": prior,
        "market_r63": market.at(day, market.r63),
    }


def _opt(v) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def symbol_record(symbol: str, bars: pd.DataFrame, market: Market, start: date | None,
                  end: date | None, alerted: frozenset[str], rules: BaseRules,
                  breakout: BreakoutRules | None = None) -> tuple[list[Signal], list[Signal]]:
    """(signals, naive baseline signals) of one symbol over [start, end]."""
    good = usable(bars)
    i0, i1 = _span(good, start, end)
    if i1 < i0:
        return [], []
    raw = symbol_signals(good, i0, i1, rules, breakout)
    close, high = closes(good), highs(good)
    low = np.fmin(good["low"].to_numpy(dtype="float64", na_value=np.nan), close)
    low = np.where(np.isfinite(low), low, close)
    every_day = oc.forward_returns(close, oc.WINDOW)[i0 : i1 + 1]
    every_day = every_day[np.isfinite(every_day)]
    sym_r63 = float(every_day.mean()) if len(every_day) else None
    naive = naive_signals(close, i0, i1)
    dates = good.index

    def build(at, kinds, levels, quality, depth, starts) -> list[Signal]:
        if len(at) == 0:
            return []
        out = oc.outcomes(close, high, low, at)
        ft = _features(good, at, levels, starts, market)
        rows = []
        for k in range(len(at)):
            failed = out["failed"][k]
            rows.append(Signal(
                symbol=symbol, date=dates[at[k]].date(), kind=kinds[k], level=float(levels[k]),
                close=float(close[at[k]]), alert=kinds[k] in alerted, quality=quality[k],
                r5=_opt(out["r5"][k]), r21=_opt(out["r21"][k]), r63=_opt(out["r63"][k]),
                max_rise_63=_opt(out["max_rise_63"][k]),
                failed=None if not np.isfinite(failed) else bool(failed),
                volume_ratio=_opt(ft["volume_ratio"][k]), rs_63=_opt(ft["rs_63"][k]),
                market_up=None if not np.isfinite(ft["market_up"][k]) else bool(ft["market_up"][k]),
                tightness_pct=_opt(ft["tightness_pct"][k]),
                prior_advance_pct=_opt(ft["prior_advance_pct"][k]), depth_pct=depth[k],
                symbol_r63=sym_r63, market_r63=_opt(ft["market_r63"][k]),
            ))
        return rows

    at = np.array([r.i for r in raw], dtype=np.int64)
    signals = build(at, [r.kind for r in raw], np.array([r.level for r in raw]),
                    [r.quality for r in raw], [r.depth_pct for r in raw],
                    np.array([r.base_start for r in raw], dtype=np.int64))
    baseline = build(naive, [BASELINE_KIND] * len(naive), close[naive], [None] * len(naive),
                     [None] * len(naive), np.full(len(naive), -1))
    return signals, baseline


def columns(signals: list[Signal] | tuple[Signal, ...]) -> dict[str, np.ndarray]:
    """The outcome columns `summarize` reads."""
    def col(name: str) -> np.ndarray:
        return np.array([np.nan if getattr(s, name) is None else float(getattr(s, name))
                         for s in signals], dtype="float64")

    cols = {k: col(k) for k in ("r5", "r21", "r63", "max_rise_63", "failed", "market_r63")}
    cols["sym_r63"] = col("symbol_r63")
    return cols


def summaries(signals: list[Signal] | tuple[Signal, ...]) -> tuple[Summary, ...]:
    """"all", "alerted", then each kind present (in `SIGNAL_KINDS` order)."""
    out = [summarize("all", columns(signals)),
           summarize("alerted", columns([s for s in signals if s.alert]))]
    for kind in SIGNAL_KINDS:
        chosen = [s for s in signals if s.kind == kind]
        if chosen:
            out.append(summarize(kind, columns(chosen)))
    return tuple(out)


def backtest(
    frames: Mapping[str, pd.DataFrame],
    start: date | None = None,
    end: date | None = None,
    *,
    alerted: frozenset[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    breakout: BreakoutRules | None = None,
) -> Backtest:
    """The backtest of ``frames`` (symbol -> bars) over [start, end]; ``alerted``: the signal
    kinds the config alerts on (default: the bundled record's); ``progress(done, total, symbol)``
    after each symbol."""
    from analysis.track_record.record import alerted_kinds

    alerted = alerted_kinds() if alerted is None else alerted
    market = market_of(frames)
    signals: list[Signal] = []
    naive: list[Signal] = []
    for k, (symbol, bars) in enumerate(frames.items()):
        s, b = symbol_record(symbol, bars, market, start, end, alerted,
                             rules_for_symbol(symbol), breakout)
        signals += s
        naive += b
        if progress is not None:
            progress(k + 1, len(frames), symbol)
    return Backtest(
        start=start, end=end, symbols=tuple(frames), signals=tuple(signals),
        summary=summaries(signals),
        baseline=summarize(BASELINE_KIND, columns(naive)),
        baseline_signals=tuple(naive),
    )
