"""analyze() and diff(): one snapshot from real bundled bars, and events from what changed."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.snapshot import diff
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
