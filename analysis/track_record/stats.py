"""The record of a set of signals, with stated definitions (percent units):

- ``n``: signals; ``failure_rate``: failed / decided (see `outcomes`);
- ``mean_r5`` .. ``median_r63``: over the signals with that many later sessions;
- ``mean_max_rise_63``: the mean highest rise within 63 sessions;
- ``unconditional_r63``: the mean, over the signals, of their own symbol's mean 63-session return
  over every session of the period (what holding the same stocks on any day gave);
- ``market_r63``: the mean, over the signals, of the market's 63-session return from the signal
  day (the universe's equal-weight average of its stocks' 63-session returns from that day);
- ``excess_r63`` / ``excess_vs_market_r63``: the mean of (r63 - that) per signal, and
  ``se_*``: its standard error, sample standard deviation / sqrt(n). Signals whose 63-session
  windows overlap are not independent, so the true error is larger: read it as a lower bound;
- ``t_*``: excess / se.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Summary:
    """The record of one kind of signal (None where no signal has the figure)."""

    kind: str
    n: int
    failure_rate: float | None
    mean_r5: float | None
    mean_r21: float | None
    mean_r63: float | None
    median_r63: float | None
    mean_max_rise_63: float | None
    unconditional_r63: float | None
    excess_r63: float | None
    se_excess_r63: float | None
    market_r63: float | None
    excess_vs_market_r63: float | None
    se_excess_vs_market_r63: float | None
    median_r21: float | None = None
    median_r5: float | None = None

    def t(self) -> float | None:
        """excess_r63 / its standard error."""
        if self.excess_r63 is None or not self.se_excess_r63:
            return None
        return self.excess_r63 / self.se_excess_r63

    def t_market(self) -> float | None:
        """excess_vs_market_r63 / its standard error."""
        if self.excess_vs_market_r63 is None or not self.se_excess_vs_market_r63:
            return None
        return self.excess_vs_market_r63 / self.se_excess_vs_market_r63

    def to_json(self) -> dict:
        return asdict(self)


def _f(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def _mean(x: np.ndarray) -> float | None:
    x = x[np.isfinite(x)]
    return float(x.mean()) if len(x) else None


def _median(x: np.ndarray) -> float | None:
    x = x[np.isfinite(x)]
    return float(np.median(x)) if len(x) else None


def _mean_se(d: np.ndarray) -> tuple[float | None, float | None]:
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return None, None
    se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else None
    return float(d.mean()), se


def summarize(kind: str, cols: dict[str, np.ndarray]) -> Summary:
    """The `Summary` of signals given as arrays: r5, r21, r63, max_rise_63, failed (1/0/NaN),
    sym_r63 (the symbol's mean r63 over the period) and market_r63 (the market's r63 from the
    signal day)."""
    r63 = cols["r63"]
    failed = cols["failed"]
    decided = failed[np.isfinite(failed)]
    ex, se = _mean_se(r63 - cols["sym_r63"])
    exm, sem = _mean_se(r63 - cols["market_r63"])
    has = np.isfinite(r63)
    return Summary(
        kind=kind,
        n=len(r63),
        failure_rate=float(decided.mean() * 100.0) if len(decided) else None,
        mean_r5=_mean(cols["r5"]),
        mean_r21=_mean(cols["r21"]),
        mean_r63=_mean(r63),
        median_r63=_median(r63),
        mean_max_rise_63=_mean(cols["max_rise_63"]),
        unconditional_r63=_mean(cols["sym_r63"][has]),
        excess_r63=ex,
        se_excess_r63=se,
        market_r63=_mean(cols["market_r63"][has]),
        excess_vs_market_r63=exm,
        se_excess_vs_market_r63=sem,
        median_r21=_median(cols["r21"]),
        median_r5=_median(cols["r5"]),
    )
