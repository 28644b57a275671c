"""5-minute bars: reading Yahoo's v8 intraday chart (sessions from its trading periods), the day's
VWAP by hand, the bounded store, and what the feed says when Yahoo cannot be reached."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from fakeminutes import minute_chart_answer

from analysis.facts.session_vwap import prior_close, session_vwap
from analysis.sources.minute_bars import parse_minute_chart
from analysis.sources.minute_feed import MinuteFeed, minute_feed_for, offline_note
from analysis.sources.minute_store import load_minutes, save_minutes
from analysis.sources.store import BarStore

ET = "America/New_York"


def _body(fake, symbol="SPY", **params):
    status, body = minute_chart_answer(fake, symbol, {"interval": "5m", "range": "5d",
                                                       "includePrePost": "true", **params})
    assert status == 200
    return body


def _at(frame, text):
    return frame.loc[pd.Timestamp(text, tz=ET)]


# ------------------------------------------------------------------------------- parsing

def test_parse_5m_marks_pre_regular_and_post_bars_from_trading_periods(fake_yahoo):
    frame = parse_minute_chart(_body(fake_yahoo), "SPY")
    assert str(frame.index.tz) == ET
    assert sorted(set(frame.index.date)) == [date(2025, 12, d) for d in (3, 4, 5, 8, 9)]
    day = frame[frame.index.date == date(2025, 12, 9)]
    assert day["session"].value_counts().to_dict() == {"pre": 66, "regular": 78, "post": 48}
    assert _at(frame, "2025-12-09 09:25")["session"] == "pre"
    assert _at(frame, "2025-12-09 09:30")["session"] == "regular"
    assert _at(frame, "2025-12-09 15:55")["session"] == "regular"
    assert _at(frame, "2025-12-09 16:00")["session"] == "post"
    daily = fake_yahoo.bars_for("SPY").iloc[-1]
    regular = day[day["session"] == "regular"]
    assert regular["open"].iloc[0] == pytest.approx(daily["open"])
    assert regular["close"].iloc[-1] == pytest.approx(daily["close"])
    assert regular["high"].max() == pytest.approx(daily["high"])
    assert regular["low"].min() == pytest.approx(daily["low"])


def test_parse_5m_without_pre_post_periods_uses_the_regular_ones_and_the_clock(fake_yahoo):
    body = _body(fake_yahoo, includePrePost="false")
    assert isinstance(body["chart"]["result"][0]["meta"]["tradingPeriods"], list)
    frame = parse_minute_chart(body, "SPY")
    assert set(frame["session"]) == {"regular"} and len(frame) == 5 * 78
    # No periods at all: 09:30-16:00 New York is regular, before is pre, after is post.
    bare = _body(fake_yahoo)
    meta = bare["chart"]["result"][0]["meta"]
    del meta["tradingPeriods"], meta["currentTradingPeriod"]
    clocked = parse_minute_chart(bare, "SPY")
    assert (clocked["session"] == parse_minute_chart(_body(fake_yahoo), "SPY")["session"]).all()


def test_parse_5m_drops_bars_without_a_close_and_reads_crypto_as_one_session(fake_yahoo):
    body = _body(fake_yahoo)
    quote = body["chart"]["result"][0]["indicators"]["quote"][0]
    n = len(body["chart"]["result"][0]["timestamp"])
    quote["close"][5] = None
    quote["volume"][6] = None
    frame = parse_minute_chart(body, "SPY")
    assert len(frame) == n - 1 and frame["volume"].iloc[5] == 0.0
    btc = parse_minute_chart(_body(fake_yahoo, "BTC-USD", range="1d"), "BTC-USD")
    assert len(btc) == 288 and set(btc["session"]) == {"regular"}
    assert str(btc.index.tz) == "UTC"


def test_parse_5m_error_body_says_why():
    with pytest.raises(ValueError, match="delisted"):
        parse_minute_chart({"chart": {"result": None, "error": {
            "description": "No data found, symbol may be delisted"}}}, "ZZZ")


# ------------------------------------------------------------------------------- VWAP

def test_session_vwap_by_hand_on_three_bars():
    index = pd.DatetimeIndex([pd.Timestamp(t, tz=ET) for t in (
        "2025-12-09 09:25", "2025-12-09 09:30", "2025-12-09 09:35", "2025-12-09 09:40",
        "2025-12-09 16:00", "2025-12-10 09:30")], name="time")
    frame = pd.DataFrame({
        "open": [9, 10, 11, 12, 13, 20], "high": [9, 12, 12, 13, 13, 21],
        "low": [9, 9, 10, 11, 13, 19], "close": [9, 11, 12, 12, 13, 20],
        "volume": [500, 100, 300, 0, 900, 50],
        "session": ["pre", "regular", "regular", "regular", "post", "regular"]}, index=index)
    vwap = session_vwap(frame)
    tp1, tp2, tp3 = (12 + 9 + 11) / 3, (12 + 10 + 12) / 3, (13 + 11 + 12) / 3
    assert math.isnan(vwap[0]) and math.isnan(vwap[4])  # pre and post are not in it
    assert vwap[1] == pytest.approx(tp1)
    assert vwap[2] == pytest.approx((tp1 * 100 + tp2 * 300) / 400)
    assert vwap[3] == pytest.approx((tp1 * 100 + tp2 * 300 + tp3 * 0) / 400)
    assert vwap[5] == pytest.approx(20.0)  # a new day starts again
    # No look-ahead: a later bar never changes an earlier value.
    assert np.allclose(session_vwap(frame.iloc[:3]), vwap[:3], equal_nan=True)


def test_session_vwap_on_the_fixture_matches_the_body_by_hand(fake_yahoo):
    body = _body(fake_yahoo)
    frame = parse_minute_chart(body, "SPY")
    vwap = session_vwap(frame)
    result = body["chart"]["result"][0]
    quote = result["indicators"]["quote"][0]
    first = pd.Timestamp("2025-12-09 09:30", tz=ET).timestamp()
    i = result["timestamp"].index(int(first))
    pv = v = 0.0
    for k in range(i, i + 3):  # the first three regular bars of the day
        pv += (quote["high"][k] + quote["low"][k] + quote["close"][k]) / 3 * quote["volume"][k]
        v += quote["volume"][k]
    pos = frame.index.get_loc(pd.Timestamp("2025-12-09 09:40", tz=ET))
    assert vwap[pos] == pytest.approx(pv / v)


def test_prior_close_is_the_last_daily_close_before_the_day(fake_yahoo):
    daily = fake_yahoo.bars_for("SPY")
    assert prior_close(daily, date(2025, 12, 9)) == pytest.approx(daily["close"].iloc[-2])
    assert prior_close(daily, daily.index[0].date()) is None
    assert prior_close(None, date(2025, 12, 9)) is None


# ------------------------------------------------------------------------------- the store

def test_store_keeps_only_the_last_five_sessions_of_minute_bars(fake_yahoo, tmp_path):
    store = BarStore(tmp_path / "bars.sqlite3")
    seven = parse_minute_chart(_body(fake_yahoo, range="7d"), "SPY")
    assert len(set(seven.index.date)) == 7
    kept = save_minutes(store, "SPY", seven, datetime(2025, 12, 9, 21, tzinfo=UTC))
    frame, when = load_minutes(store, "SPY")
    assert kept == len(frame) == 5 * 192
    assert sorted(set(frame.index.date))[0] == date(2025, 12, 3)
    assert when == datetime(2025, 12, 9, 21, tzinfo=UTC)
    pd.testing.assert_frame_equal(frame, seven[seven.index.date >= date(2025, 12, 3)],
                                  check_freq=False)
    # The next day's fetch pushes the oldest session out; the daily table is never touched.
    fake_yahoo.advance("2025-12-10")
    save_minutes(store, "SPY", parse_minute_chart(_body(fake_yahoo), "SPY"))
    frame, _ = load_minutes(store, "SPY")
    assert sorted(set(frame.index.date)) == [date(2025, 12, d) for d in (4, 5, 8, 9, 10)]
    assert store.load("SPY").empty


# ------------------------------------------------------------------------------- the feed

def test_offline_note_says_when_bars_were_last_fetched():
    fetched = datetime(2025, 12, 9, 19, 2, tzinfo=UTC)
    assert offline_note("SPY", fetched, True, fetched) == (
        "intraday needs Yahoo; last fetched 14:02 ET")
    later = datetime(2025, 12, 11, 15, tzinfo=UTC)
    assert offline_note("SPY", fetched, True, later) == (
        "intraday needs Yahoo; last fetched 2025-12-09 14:02 ET")
    assert offline_note("SPY", None, False).startswith("no intraday bars stored")


def test_feed_serves_stored_bars_with_the_offline_note_when_yahoo_is_down(fake_yahoo, tmp_path):
    store = BarStore(tmp_path / "bars.sqlite3")
    feed = MinuteFeed(store, lambda: fake_yahoo, timeout=5.0)
    assert feed.stored("SPY").note.startswith("no intraday bars stored")
    got = feed.get("SPY", datetime(2025, 12, 9, 19, 2, tzinfo=UTC))
    assert got.live and got.note == "" and len(got.frame) == 5 * 192
    assert fake_yahoo.requests_of("minutes")[-1].params["interval"] == "5m"
    fake_yahoo.offline = True
    down = feed.get("SPY", datetime(2025, 12, 9, 19, 3, tzinfo=UTC))
    assert not down.live and len(down.frame) == 5 * 192 and down.reason
    assert down.note.startswith("intraday needs Yahoo; last fetched")
    assert down.fetched_at == datetime(2025, 12, 9, 19, 2, tzinfo=UTC)


def test_feed_of_the_sample_source_never_fetches():
    from analysis.sources.select import make_source

    feed = minute_feed_for(make_source("sample"))
    assert not feed.can_fetch and feed.store is None
    assert feed.get("SPY").note.startswith("no intraday bars stored")
    yahoo = minute_feed_for(make_source("auto"))
    assert yahoo.can_fetch and yahoo.store is not None
