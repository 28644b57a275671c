"""The NYSE clock (regular day, early close, holiday, weekend, time zones), the bundled FOMC
schedule and its banner, and the sector weights (bundled table, live fund data normalised)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analysis import market
from analysis.market import (
    bundled_sector_weights,
    fomc_info,
    market_clock,
    sector_weights,
)

ET = ZoneInfo("America/New_York")


def et(*args) -> datetime:
    return datetime(*args, tzinfo=ET)


@pytest.mark.parametrize(
    ("when", "status", "fraction"),
    [
        (et(2025, 12, 9, 3, 59), "closed", 0.0),
        (et(2025, 12, 9, 4, 0), "pre-market", 0.0),
        (et(2025, 12, 9, 9, 29), "pre-market", 0.0),
        (et(2025, 12, 9, 9, 30), "open", 0.0),
        (et(2025, 12, 9, 12, 45), "open", 0.5),
        (et(2025, 12, 9, 16, 0), "after-hours", 1.0),
        (et(2025, 12, 9, 19, 59), "after-hours", 1.0),
        (et(2025, 12, 9, 20, 0), "closed", 1.0),
    ],
)
def test_a_regular_session_day(when, status, fraction):
    clock = market_clock(when)
    assert clock.status == status and not clock.early_close
    assert clock.session_fraction == pytest.approx(fraction)


def test_next_open_and_close_around_a_regular_session():
    during = market_clock(et(2025, 12, 9, 11, 0))
    assert during.next_close == et(2025, 12, 9, 16, 0)
    assert during.next_open == et(2025, 12, 10, 9, 30)
    before = market_clock(et(2025, 12, 9, 8, 0))
    assert before.next_open == et(2025, 12, 9, 9, 30) and before.next_close == et(2025, 12, 9, 16)
    friday_night = market_clock(et(2025, 12, 12, 21, 0))
    assert friday_night.next_open == et(2025, 12, 15, 9, 30)


def test_the_day_after_thanksgiving_closes_early():
    half = market_clock(et(2025, 11, 28, 12, 0))
    assert half.status == "open" and half.early_close
    assert half.next_close == et(2025, 11, 28, 13, 0)
    assert half.session_fraction == pytest.approx(2.5 / 3.5)
    after = market_clock(et(2025, 11, 28, 13, 30))
    assert after.status == "after-hours" and after.early_close
    assert market_clock(et(2025, 11, 28, 17, 0)).status == "closed"


def test_thanksgiving_is_a_holiday_and_saturday_is_closed():
    holiday = market_clock(et(2025, 11, 27, 11, 0))
    assert holiday.status == "holiday" and holiday.session_fraction == 1.0
    assert holiday.next_open == et(2025, 11, 28, 9, 30)
    assert holiday.next_close == et(2025, 11, 28, 13, 0)
    assert market_clock(et(2025, 12, 25, 10, 0)).status == "holiday"
    saturday = market_clock(et(2025, 12, 13, 11, 0))
    assert saturday.status == "closed" and saturday.next_open == et(2025, 12, 15, 9, 30)


def test_utc_and_naive_times_mean_the_same_instant():
    utc = market_clock(datetime(2025, 12, 9, 15, 0, tzinfo=UTC))  # 10:00 ET
    naive = market_clock(datetime(2025, 12, 9, 10, 0))  # read as Eastern
    assert utc.status == naive.status == "open"
    assert utc.now == naive.now and utc.now.tzinfo is not None
    summer = market_clock(datetime(2025, 7, 1, 13, 29, tzinfo=UTC))  # 09:29 EDT
    assert summer.status == "pre-market"


def test_years_outside_the_default_range_still_work():
    later = market_clock(et(2031, 3, 4, 10, 0))
    assert later.status == "open" and later.next_close == et(2031, 3, 4, 16, 0)


def test_the_calendar_is_built_once():
    market_clock(et(2025, 12, 9, 10, 0))
    before = market._sessions.cache_info().misses
    for h in range(24):
        market_clock(et(2025, 12, 9, h, 0) + timedelta(days=h))
    assert market._sessions.cache_info().misses == before


def test_exchange_calendars_is_imported_lazily():
    code = "import sys, analysis.market; print('exchange_calendars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fomc_dates_come_from_the_bundled_schedule():
    day, dates = date(2025, 1, 1), []
    while (info := fomc_info(day)).next_decision is not None:
        dates.append(info.next_decision)
        day = info.next_decision + timedelta(days=1)
    assert len(dates) == 25 and dates[0] >= date(2025, 1, 1)
    assert date(2025, 12, 10) in dates and dates[-1] == date(2028, 1, 26)
    assert all(d.weekday() == 2 for d in dates)  # decisions land on Wednesdays


def test_fomc_banner_the_day_before_and_the_day_of():
    eve = fomc_info(date(2025, 12, 9))
    assert eve == market.FomcInfo(date(2025, 12, 10), 1, "FOMC decision tomorrow, 14:00 ET")
    day = fomc_info(date(2025, 12, 10))
    assert day.days_until == 0 and day.banner == "FOMC decision today, 14:00 ET"
    after = fomc_info(date(2025, 12, 11))
    assert after.next_decision == date(2026, 1, 28) and after.days_until == 48
    assert after.banner == ""
    assert fomc_info(date(2025, 12, 1)).banner == ""


def test_beyond_the_bundled_schedule_there_is_no_next_decision():
    assert fomc_info(date(2028, 1, 27)) == market.FomcInfo(None, None, "")


def test_bundled_weights_are_the_latest_column():
    w = bundled_sector_weights()
    assert w.asof == date(2024, 12, 31)
    assert w.source == "bundled: Siblis Research / FTSE Russell"
    assert w.weights["Financials"] == 18.65 and w.weights["Industrials"] == 17.85
    assert sum(w.weights.values()) == pytest.approx(100 - 13.05)
    with pytest.raises(TypeError):
        w.weights["Financials"] = 1.0  # read-only


def test_sector_weights_prefer_live_and_normalise_yfinance_keys():
    live = sector_weights({"financial_services": 0.1865, "technology": 0.1384, "healthcare": 0.1631,
                           "junk": "n/a", "energy": float("nan")})
    assert live.source == "live"
    assert dict(live.weights) == pytest.approx(
        {"Financials": 18.65, "Information Technology": 13.84, "Health Care": 16.31})
    already_pct = sector_weights({"Financials": 18.0, "Industrials": 17.0}, source="live: IWM",
                                 asof=date(2025, 12, 9))
    assert dict(already_pct.weights) == {"Financials": 18.0, "Industrials": 17.0}
    assert already_pct.asof == date(2025, 12, 9) and already_pct.source == "live: IWM"
    assert sector_weights(None) == bundled_sector_weights()
    assert sector_weights({}) == bundled_sector_weights()
    assert sector_weights({"technology": "?"}) == bundled_sector_weights()


def test_the_bundled_nyse_table_gives_exchange_calendars_sessions():
    """The bundled table (holidays, short sessions) must say what the library says, session by
    session, open and close; when exchange-calendars learns of a new closure this fails: rebuild
    it with `python -m analysis.data.build_sample --nyse`."""
    (first, last), _ = market._bundled_table()
    assert (first, last) == (2018, 2030)
    assert market._bundled_sessions(first, last) == market._library_sessions(first, last)


def test_the_clock_within_the_bundled_years_needs_no_calendar_library():
    code = ("import sys; from datetime import datetime; from analysis.market import market_clock; "
            "c = market_clock(datetime(2026, 11, 27, 12, 0)); "
            "print(c.status, c.early_close, c.next_close.isoformat(), "
            "'exchange_calendars' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["open", "True", "2026-11-27T13:00:00-05:00", "False", "False"]


def test_another_index_never_gets_the_bundled_russell_2000_weights():
    from analysis.market import index_of

    none = sector_weights(None, fund="SPY")
    assert dict(none.weights) == {} and none.source == "none offline"
    assert sector_weights(None, fund="IWM") == bundled_sector_weights()
    live = sector_weights({"technology": 0.34}, fund="SPY")
    assert dict(live.weights) == {"Information Technology": 34.0}
    assert (index_of("SPY"), index_of("IWM"), index_of("XYZ")) == ("S&P 500", "Russell 2000",
                                                                   "XYZ")
