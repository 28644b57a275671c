"""The breakout state machine through every transition on constructed bars, its events, the zone
fallback, and no look-ahead on the bundled bars."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from analysis.facts.bases import Base, find_bases, rules_for_symbol
from analysis.facts.breakout import BreakoutRules, breakout_events, breakout_state, volume_words
from analysis.facts.zones import Zone, find_zones
from analysis.history import daily_states
from analysis.sources.sample import load_sample
from tests.synthetic_bars import bars_from

BASE_SESSIONS = 80
PIVOT = 50.0


def _bars(after_closes, after_volumes=None):
    closes = np.r_[np.full(BASE_SESSIONS, 45.0), after_closes]
    vols = np.r_[np.full(BASE_SESSIONS, 1e6),
                 after_volumes if after_volumes is not None else np.full(len(after_closes), 1e6)]
    return bars_from(closes, vols)


def _base(bars) -> Base:
    return Base("flat_base", bars.index[0].date(), bars.index[BASE_SESSIONS - 1].date(), 49.9,
                44.0, PIVOT, 11.8, 16.0, None, 90, (), "forming")


def _state(after_closes, after_volumes=None, session_fraction=1.0, **rules):
    bars = _bars(after_closes, after_volumes)
    state = breakout_state(bars, _base(bars), (), BreakoutRules(**rules),
                           session_fraction=session_fraction)
    return state, bars


def test_below_and_near_with_the_distance():
    st, _ = _state([46.0])
    assert st.state == "below" and st.pct_vs_level == pytest.approx((46 / 50 - 1) * 100)
    assert "a rise of 8.7% to 50.00" in st.needs
    st, bars = _state([46.0, 48.6, 49.0])
    assert st.state == "near" and st.since == bars.index[-2].date()
    assert st.needs == "a close above 50.00 on volume above 1.4M"


def test_breaking_live_shows_projected_volume_but_does_not_confirm():
    st, bars = _state([49.0, 50.5], [1e6, 1.0e6], session_fraction=0.5)
    assert st.state == "breaking" and st.since == bars.index[-1].date()
    assert st.volume_ratio == pytest.approx(2.0)  # 1M so far / half a session / 1M average
    assert st.needs.startswith("hold above 50.00 into the close")


def test_close_above_on_light_volume_is_breaking_until_volume_confirms():
    st, _ = _state([49.0, 50.5], [1e6, 1.2e6])
    assert st.state == "breaking" and "to confirm" in st.needs
    st, bars = _state([49.0, 50.5, 50.8], [1e6, 1.2e6, 1.5e6])
    assert st.state == "confirmed" and st.since == bars.index[-1].date()


def test_confirmed_on_volume_then_extended():
    st, bars = _state([49.0, 50.5], [1e6, 1.5e6])
    assert st.state == "confirmed" and st.since == bars.index[-1].date()
    assert st.volume_ratio == pytest.approx(1.5)
    assert "buy zone up to 52.50" in st.needs
    st, bars = _state([49.0, 50.5, 51.5, 52.6], [1e6, 1.5e6, 1e6, 1e6])
    assert st.state == "extended" and st.since == bars.index[-1].date()


def test_failed_when_closing_back_below_within_fail_sessions_then_a_new_attempt():
    st, bars = _state([49.0, 50.5, 50.2, 49.5], [1e6, 2e6, 1e6, 1e6])
    assert st.state == "failed" and st.since == bars.index[-1].date()
    assert st.needs == "a new close above 50.00 on volume above 1.4M"
    st, _ = _state([49.0, 50.5, 50.2, 49.5, 50.3], [1e6, 2e6, 1e6, 1e6, 1e6])
    assert st.state == "breaking"


def test_falling_back_after_fail_sessions_is_not_a_failure():
    above = [50.5] + [51.0] * 11
    st, _ = _state([49.0, *above, 49.2], [1e6, 2e6] + [1e6] * 12, fail_sessions=10)
    assert st.state == "near"
    st, _ = _state([49.0, *above[:5], 49.2], [1e6, 2e6] + [1e6] * 5, fail_sessions=10)
    assert st.state == "failed"


def test_without_volume_a_close_confirms():
    bars = _bars([49.0, 50.5], [0.0, 0.0])
    bars = bars.assign(volume=0.0)
    st = breakout_state(bars, _base(bars), ())
    assert st.state == "confirmed" and st.volume_ratio is None
    assert "volume" not in st.needs


def test_zone_top_is_the_level_when_there_is_no_base():
    bars = _bars([46.0])
    zone = Zone("resistance", 48.0, 50.0, 4, date(2020, 1, 10), bars.index[70].date(), "below", 4.3)
    weak = Zone("resistance", 46.5, 47.0, 2, date(2020, 1, 10), bars.index[70].date(), "below", 1.0)
    st = breakout_state(bars, None, (weak, zone))
    assert st.level == 50.0 and st.level_source.startswith("resistance zone 48.00-50.00")
    assert breakout_state(bars, None, ()) is None


def test_volume_words():
    assert (volume_words(9_812_345), volume_words(950_000), volume_words(2.5e9)) == (
        "9.8M", "950K", "2.5B")


def _b(state, level=50.0):
    from analysis.facts.breakout import Breakout

    return Breakout(state, level, "flat-base pivot", 0.0, 1.5, date(2025, 1, 2), "")


@pytest.mark.parametrize(
    ("prev", "cur", "kinds"),
    [
        (None, "near", ["near"]),
        ("below", "near", ["near"]),
        ("near", "near", []),
        ("near", "below", []),
        ("near", "breaking", ["breaking"]),
        ("breaking", "confirmed", ["confirmed"]),
        ("confirmed", "extended", ["extended"]),
        ("extended", "confirmed", []),
        ("confirmed", "failed", ["failed"]),
        ("failed", "failed", []),
        ("failed", "breaking", ["breaking"]),
        ("confirmed", "near", []),
    ],
)
def test_events_for_transitions(prev, cur, kinds):
    previous = _b(prev) if prev else None
    events = breakout_events(previous, _b(cur), "KRE", date(2025, 1, 2))
    assert [e.kind for e in events] == kinds
    for e in events:
        assert e.symbol == "KRE" and e.data["level"] == 50.0 and "50.00" in e.message


def test_a_new_level_starts_from_below():
    events = breakout_events(_b("confirmed", 40.0), _b("near", 50.0), "X", date(2025, 1, 2))
    assert [e.kind for e in events] == ["near"]


@pytest.mark.parametrize("symbol", ["KRE", "XLK", "ETH-USD"])
def test_no_look_ahead_state_as_of_a_day_matches_the_one_pass_history(symbol):
    full = load_sample(symbol)
    rules = rules_for_symbol(symbol)
    rng = random.Random(17)
    days = sorted(rng.sample(range(400, len(full) - 1), 6))
    for i, _, state in daily_states(full, days[0], days[-1], rules):
        if i not in days:
            continue
        cut = full.iloc[: i + 1]
        bases = find_bases(cut, rules)
        zones = () if bases else find_zones(cut)
        expect = breakout_state(cut, bases[0] if bases else None, zones)
        assert state == expect, full.index[i]
