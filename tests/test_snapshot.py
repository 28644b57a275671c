"""analyze() and diff(): one snapshot from real bundled bars, and events from what changed."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from analysis.changes import diff
from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.base import FetchResult
from analysis.sources.sample import SampleSource


@pytest.fixture(scope="module")
def fetched():
    return SampleSource().fetch(list(Config().universe()))


def _snap(fetched, day):
    return Pipeline(Config(), SampleSource()).analyze(fetched, asof=day).snapshot


def test_every_default_symbol_is_analysed_as_of_the_date(fetched):
    snap = _snap(fetched, date(2025, 12, 9))
    assert snap.asof == date(2025, 12, 9)
    assert set(snap.symbols) == set(Config().universe()) - set(snap.errors)
    assert not snap.errors
    xlk = snap.symbols["XLK"]
    assert xlk.asof == date(2025, 12, 9) and xlk.streak.length == 12  # the article's streak
    assert snap.market.fomc.next_decision == date(2025, 12, 10)
    assert "tomorrow" in snap.market.fomc.banner


def test_a_failing_symbol_is_an_error_and_the_rest_still_work(fetched):
    broken = FetchResult(bars=dict(fetched.bars), source="sample", fetched_at=datetime.now(UTC),
                         errors={"ZZZZ": "ZZZZ is not in the bundled sample data"})
    snap = Pipeline(Config(), SampleSource()).analyze(broken, asof=date(2025, 12, 9)).snapshot
    assert snap.errors == {"ZZZZ": "ZZZZ is not in the bundled sample data"}
    assert "KRE" in snap.symbols


def test_bases_found_together_equal_each_symbol_found_alone(fetched):
    from analysis.bars import upto
    from analysis.facts.bases import find_bases, rules_for_symbol

    day = date(2025, 12, 9)
    snap = _snap(fetched, day)
    for sym, facts in snap.symbols.items():
        alone = find_bases(upto(fetched.bars[sym], day), rules_for_symbol(sym))
        assert facts.bases == (alone if facts.instrument.has_setups else ()), sym


def test_a_failing_batch_of_bases_falls_back_to_one_symbol_at_a_time(fetched, monkeypatch):
    from analysis.facts import bases

    day = date(2025, 12, 9)
    together = _snap(fetched, day)

    def broken(*args, **kwargs):
        raise ValueError("a frame the batch cannot take")

    monkeypatch.setattr(bases, "find_bases_many", broken)
    alone = _snap(fetched, day)
    assert not alone.errors
    assert {s: f.bases for s, f in alone.symbols.items()} == {
        s: f.bases for s, f in together.symbols.items()}


def test_change_over_seven_days_is_against_the_last_bar_a_week_before(fetched):
    day = date(2025, 12, 9)
    snap = _snap(fetched, day)
    for sym in ("SPY", "BTC-USD", "KRE"):
        bars = fetched.bars[sym]
        bars = bars[bars.index.date <= day]
        week_ago = bars.index[-1] - timedelta(days=7)
        earlier = [c for t, c in zip(bars.index, bars["close"], strict=True) if t <= week_ago]
        expected = (bars["close"].iloc[-1] / earlier[-1] - 1.0) * 100.0
        assert snap.symbols[sym].change_7d_pct == pytest.approx(expected, rel=1e-12), sym


def test_diff_of_identical_snapshots_has_no_events(fetched):
    snap = _snap(fetched, date(2025, 12, 9))
    assert diff(snap, snap) == ()
    assert diff(None, snap) == ()


def test_diff_reports_a_streak_milestone_once(fetched):
    before, after = _snap(fetched, date(2025, 12, 8)), _snap(fetched, date(2025, 12, 9))
    streak_events = [e for e in diff(before, after) if e.kind == "streak" and e.symbol == "XLK"]
    assert len(streak_events) == 1 and streak_events[0].data["milestone"] == 12


def test_diff_reports_a_breakout_transition_with_its_numbers(fetched):
    snap = _snap(fetched, date(2025, 12, 9))
    kre = snap.symbols["KRE"]
    assert kre.breakout is not None
    below = replace(kre, breakout=replace(kre.breakout, state="below"))
    confirmed = replace(kre, breakout=replace(kre.breakout, state="confirmed"))
    prev = replace(snap, symbols={**snap.symbols, "KRE": below})
    cur = replace(snap, symbols={**snap.symbols, "KRE": confirmed})
    events = [e for e in diff(prev, cur) if e.symbol == "KRE"]
    assert [e.kind for e in events] == ["confirmed"]
    assert events[0].data["level"] == kre.breakout.level


def test_leaders_from_the_memo_equal_leaders_of_the_bars(fetched):
    """The snapshot's leaders come from each symbol's tail (kept with its facts in the memo);
    they must be `leaders()` of the equity frames, on a first and on a memoised refresh."""
    from analysis.bars import upto
    from analysis.facts.leaders import leaders
    from analysis.symbols import is_crypto

    day = date(2025, 12, 9)
    pipe = Pipeline(Config(), SampleSource())
    first = pipe.analyze(fetched, asof=day).snapshot
    again = pipe.analyze(fetched, asof=day).snapshot
    equities = {s: upto(df, day) for s, df in fetched.bars.items()
                if not is_crypto(s) and s != "^VIX"}
    expected = leaders(equities, window=Config().thresholds.leaders_window)
    assert first.market.leaders == expected and again.market.leaders == expected
    assert pipe.cache.hits >= len(fetched.bars) and expected.first is not None


def test_a_member_is_analysed_afresh_once_it_is_one_of_the_config_symbols(fetched):
    """A universe's member outside the config is never a leader, and its streak study and RS are
    deferred, so its memoised facts are lean; analysed again without the universe (it may lead
    now, the panes show its RS), it is analysed afresh: every fact, and the leaders, those of a
    fresh analysis."""
    from analysis.facts_cache import FactsCache
    from analysis.snapshot import analyze
    from analysis.universe import Member, Universe

    day = date(2025, 12, 9)
    bars = {**fetched.bars, "XLK2": fetched.bars["XLK"]}  # the article's 12-session streak
    both = replace(fetched, bars=bars)
    universe = Universe("test", (Member("XLK2", "XLK2", "Information Technology"),))
    cache = FactsCache(maxsize=512)
    with_universe = analyze(both, Config(), asof=day, cache=cache, universe=universe)

    def names(snap):
        return [leader.symbol for leader in snap.market.leaders.order]

    lean = with_universe.symbols["XLK2"]
    assert "XLK2" not in names(with_universe)
    assert lean.rs is None and lean.rs_deferred and lean.streak.deferred
    memoised = analyze(both, Config(), asof=day, cache=cache)
    fresh = analyze(both, Config(), asof=day)
    assert cache.hits >= len(bars) - 1  # every other symbol from the memo
    assert memoised.symbols["XLK2"] == fresh.symbols["XLK2"]
    assert fresh.symbols["XLK2"].rs is not None and fresh.symbols["XLK2"].streak.study is not None
    assert memoised.market.leaders == fresh.market.leaders
    assert "XLK2" in names(fresh)
