"""hypothesis over the whole ``analyze()``: arbitrary bar frames for a handful of symbols (NaNs
anywhere, missing sessions, zero volume, flat prices, zero prices, 0/1/2 bars, tiny and huge
prices) never make it raise, never make a symbol fail with "analysis failed" (the safety net for a
crash), and never put NaN or infinity where the Snapshot promises a number: every float in every
dataclass of the result is finite (Optional ones may be None)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.bars import normalize_bars
from analysis.config import Config, Race
from analysis.snapshot import Snapshot, SymbolFacts, analyze
from analysis.sources.base import FetchResult
from analysis.symbols import is_crypto

SYMBOLS = ("SPY", "IWM", "KRE", "BTC-USD", "ETH-USD")
CONFIG = Config(watchlist=("SPY", "IWM", "KRE"), crypto=("BTC-USD", "ETH-USD"),
                race=Race(symbols=("ETH-USD", "BTC-USD"), reference_date="2024-03-01",
                          start="2024-03-04"))
NOW = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)


@st.composite
def frames(draw, symbol: str) -> pd.DataFrame:
    """A bar frame in the convention's shape (tz-aware sorted unique index, float columns) whose
    values are hostile: a seeded random walk at a drawn price scale with drawn rates of NaN cells,
    zero/negative prices, zero volume, flat stretches and missing sessions."""
    n = draw(st.sampled_from([0, 1, 2, 3, 25, 120, 400]))
    scale = draw(st.sampled_from([1e-6, 0.01, 1.0, 250.0, 1e9]))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    nan_rate, bad_rate, flat_rate, gap_rate = (
        draw(st.sampled_from([0.0, 0.0, 0.02, 0.5])) for _ in range(4)
    )
    tz = "UTC" if is_crypto(symbol) else "America/New_York"
    days = pd.bdate_range(end="2025-05-30", periods=max(n, 1) * 2)
    days = days[rng.random(len(days)) >= gap_rate][-n:] if n else days[:0]
    n = len(days)
    steps = rng.normal(0.0, 0.02, n)
    steps[rng.random(n) < flat_rate] = 0.0
    close = scale * np.exp(np.cumsum(steps))
    high = close * (1 + np.abs(rng.normal(0, 0.01, n)))
    low = close * (1 - np.abs(rng.normal(0, 0.01, n)))
    open_ = close * (1 + rng.normal(0, 0.005, n))
    volume = np.where(rng.random(n) < 0.3, 0.0, rng.lognormal(12, 1, n))
    table = np.column_stack([open_, high, low, close, volume, close.copy()])
    if n:
        table[rng.random(table.shape) < nan_rate] = np.nan
        bad = rng.random(table.shape) < bad_rate
        table[bad] = rng.choice([0.0, -1.0], size=int(bad.sum()))
    return pd.DataFrame(table, columns=["open", "high", "low", "close", "volume", "adj_close"],
                        index=pd.DatetimeIndex(days, name="date").tz_localize(tz))


@st.composite
def fetches(draw, normalized: bool = False) -> FetchResult:
    """A fetch of 1-5 symbols; ``normalized``: each frame went through ``normalize_bars`` as every
    source's frames do (otherwise the raw hostile frame reaches ``analyze``)."""
    chosen = draw(st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=len(SYMBOLS),
                           unique=True))
    bars = {sym: draw(frames(sym)) for sym in chosen}
    if normalized:
        bars = {sym: normalize_bars(df, tz=df.index.tz) for sym, df in bars.items()}
    return FetchResult(bars=bars, source="fuzz", fetched_at=NOW)


def non_finite_floats(obj, path: str = "snapshot") -> list[str]:
    """Paths of every float in ``obj`` (dataclasses, tuples, mappings) that is NaN or infinite."""
    bad: list[str] = []
    if isinstance(obj, float):
        if not math.isfinite(obj):
            bad.append(f"{path} = {obj}")
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            bad += non_finite_floats(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            bad += non_finite_floats(value, f"{path}[{key!r}]")
    elif isinstance(obj, tuple | list):
        for i, value in enumerate(obj):
            bad += non_finite_floats(value, f"{path}[{i}]")
    return bad


def plain_float_fields(cls) -> list[str]:
    """Fields of ``cls`` typed plain ``float`` (not Optional): a number is promised."""
    return [f.name for f in fields(cls) if f.type in ("float", float)]


FUZZ = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(fetches())
def test_analyze_survives_hostile_frames_and_promises_only_finite_numbers(fetched):
    snap = analyze(fetched, CONFIG, now=NOW)
    assert isinstance(snap, Snapshot)
    crashed = {s: why for s, why in snap.errors.items() if why.startswith("analysis failed")}
    assert not crashed
    # every symbol either has facts or an error saying why, never both missing
    for sym in fetched.bars:
        assert (sym in snap.symbols) != (sym in snap.errors), sym
    assert not non_finite_floats(snap)
    for facts in snap.symbols.values():
        for name in plain_float_fields(SymbolFacts):
            value = getattr(facts, name)
            assert isinstance(value, float) and math.isfinite(value) and value > 0, name


def test_the_walker_finds_a_nan_inside_a_nested_dataclass():
    """The checker itself can fail: a NaN buried in a tuple of dataclasses is reported."""
    from analysis.facts.streaks import ForwardStats

    stats = (ForwardStats(horizon=5, count=1, mean=1.0, median=float("nan"), pct_positive=50.0),)
    assert non_finite_floats({"x": stats}) == ["snapshot['x'][0].median = nan"]
    assert "last" in plain_float_fields(SymbolFacts)


def test_a_frame_whose_last_bars_are_bad_reports_the_last_good_bar():
    """Zero and NaN closes at the end are not prices: the facts use the last real bar."""
    days = pd.bdate_range(end="2025-05-30", periods=60).tz_localize("America/New_York")
    close = np.linspace(10.0, 12.0, 60)
    close[-2], close[-1] = 0.0, np.nan
    df = pd.DataFrame({"open": close, "high": close, "low": close, "close": close,
                       "volume": 1e5, "adj_close": close}, index=days)
    snap = analyze(FetchResult(bars={"KRE": df}, source="t", fetched_at=NOW), CONFIG, now=NOW)
    facts = snap.symbols["KRE"]
    assert facts.last == close[-3] and facts.asof == date(2025, 5, 28)
    assert facts.prev_close == close[-4]
    assert 0 not in facts.spark and all(math.isfinite(x) for x in facts.spark)


@FUZZ
@given(fetches(normalized=True))
def test_levels_shown_to_the_trader_are_positive_prices(fetched):
    """Zones, bases and breakout levels are prices: a low of 0 or -1 from a source (bad ticks) must
    not become one. Every source normalises its frames, which treats such a price as missing."""
    snap = analyze(fetched, CONFIG, now=NOW)
    for sym, facts in snap.symbols.items():
        for z in facts.zones:
            assert 0 < z.low <= z.high, (sym, z)
        for b in facts.bases:
            assert b.pivot > 0 and b.low > 0 and b.left_high > 0, (sym, b)
        if facts.breakout is not None:
            assert facts.breakout.level > 0, (sym, facts.breakout)
