"""The market calendar: NYSE clock, the bundled FOMC decision dates, and the benchmark index's
sector weights.

The clock's sessions come from the bundled ``data/nyse.csv`` (holidays and short sessions, built
from exchange-calendars by ``analysis.data.build_sample``) for the years it covers, and from
exchange-calendars itself (imported lazily, a few hundred ms) outside them.

Clock statuses (Eastern time): "pre-market" 04:00 to the open, "open" from the open to the close,
"after-hours" from the close to 20:00 (17:00 after an early close), "closed" outside those hours and
on weekends, "holiday" on a weekday that is not an NYSE session. ``session_fraction`` is the share
of today's session elapsed: 0 before the open, 1 after the close, and 1 on a day without a session
(the latest session is complete). A naive ``now`` is read as Eastern time.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import resources
from types import MappingProxyType
from zoneinfo import ZoneInfo

ET = ZoneInfo("America/New_York")
_FIRST_YEAR, _LAST_YEAR = 2018, 2028  # calendar range built by default (grown if `now` is outside)
_PRE_MARKET = time(4, 0)
_AFTER_HOURS_END = time(20, 0)
_AFTER_EARLY_CLOSE_END = time(17, 0)
_REGULAR_OPEN = time(9, 30)
_REGULAR_CLOSE = time(16, 0)
BUNDLED_WEIGHTS_SOURCE = "bundled: Siblis Research / FTSE Russell"
BUNDLED_WEIGHTS_FUND = "IWM"  # the bundled table is the Russell 2000's: it stands in for IWM only
INDEX_OF_FUND: dict[str, str] = {
    "IWM": "Russell 2000", "SPY": "S&P 500", "IVV": "S&P 500", "VOO": "S&P 500",
    "QQQ": "Nasdaq-100", "DIA": "Dow Jones Industrial Average", "IJR": "S&P SmallCap 600",
    "MDY": "S&P MidCap 400", "VTI": "CRSP US Total Market",
}
NO_WEIGHTS_SOURCE = "none offline"


def index_of(fund: str) -> str:
    """The index a fund tracks, by name ("S&P 500" for SPY), else the fund's own symbol."""
    return INDEX_OF_FUND.get(fund.upper(), fund)

# yfinance fund-data sector keys (Morningstar) -> the GICS names of the bundled table and config.
_LIVE_SECTOR_NAMES = {
    "realestate": "Real Estate",
    "real_estate": "Real Estate",
    "consumer_cyclical": "Consumer Discretionary",
    "basic_materials": "Materials",
    "consumer_defensive": "Consumer Staples",
    "technology": "Information Technology",
    "communication_services": "Communication Services",
    "financial_services": "Financials",
    "utilities": "Utilities",
    "industrials": "Industrials",
    "energy": "Energy",
    "healthcare": "Health Care",
}


@dataclass(frozen=True)
class MarketClock:
    """NYSE status at ``now``: "open", "pre-market", "after-hours", "closed", "holiday" (or weekend:
    "closed"); ``early_close`` is True on a half day; ``next_open``/``next_close`` are tz-aware."""

    now: datetime
    status: str
    early_close: bool
    next_open: datetime
    next_close: datetime
    session_fraction: float


@dataclass(frozen=True)
class FomcInfo:
    """The next FOMC decision on or after today; ``banner`` is non-empty the day before and the day
    of ("FOMC decision tomorrow, 14:00 ET")."""

    next_decision: date | None
    days_until: int | None
    banner: str


@dataclass(frozen=True)
class SectorWeights:
    """Sector -> weight (%) of the benchmark index; ``source`` says live or bundled; ``asof``
    when."""

    weights: Mapping[str, float]
    source: str
    asof: date | None


@functools.cache
def _bundled_table() -> tuple[tuple[int, int], dict[date, tuple[time, time] | None]]:
    """(first year, last year) of ``nyse.csv`` and its rows: day -> (open, close) ET, or None
    for a weekday without a session."""
    rows: dict[date, tuple[time, time] | None] = {}
    text = _read_text("nyse.csv")
    years = [int(y) for y in text.split(None, 3)[2].split("-")]  # "# XNYS 2018-2030 from ..."
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for day, open_, close in csv.reader(lines[1:]):
        hours = (time.fromisoformat(open_), time.fromisoformat(close)) if open_ else None
        rows[date.fromisoformat(day)] = hours
    return (years[0], years[1]), rows


def _bundled_sessions(first_year: int, last_year: int) -> tuple[tuple[date, ...], tuple, tuple]:
    """`_sessions` from the bundled table (the years must be within it)."""
    from datetime import timedelta

    _, rows = _bundled_table()
    day, end = date(first_year, 1, 1), date(last_year, 12, 31)
    days, opens, closes = [], [], []
    while day <= end:  # about 250 weekdays a year: once per process
        if day.weekday() < 5:
            hours = rows.get(day, (_REGULAR_OPEN, _REGULAR_CLOSE))
            if hours is not None:
                days.append(day)
                opens.append(datetime.combine(day, hours[0], tzinfo=ET))
                closes.append(datetime.combine(day, hours[1], tzinfo=ET))
        day += timedelta(days=1)
    return tuple(days), tuple(opens), tuple(closes)


@functools.cache
def _sessions(first_year: int, last_year: int) -> tuple[tuple[date, ...], tuple, tuple]:
    """(session dates, opens, closes) of XNYS for the years, opens/closes as tz-aware ET datetimes.

    Built once per range: from the bundled table when it covers the years, else from
    exchange-calendars (constructing that calendar takes a few hundred ms).
    """
    (first, last), _ = _bundled_table()
    if first <= first_year and last_year <= last:
        return _bundled_sessions(first_year, last_year)
    return _library_sessions(first_year, last_year)


def _library_sessions(first_year: int, last_year: int) -> tuple[tuple[date, ...], tuple, tuple]:
    """`_sessions` from exchange-calendars."""
    import warnings

    import exchange_calendars

    with warnings.catch_warnings():  # its pandas-4 deprecation noise is not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        cal = exchange_calendars.get_calendar(
            "XNYS", start=f"{first_year}-01-01", end=f"{last_year}-12-31"
        )
    sched = cal.schedule
    days = tuple(d.date() for d in sched.index)
    opens = tuple(t.tz_convert(ET).to_pydatetime() for t in sched["open"])
    closes = tuple(t.tz_convert(ET).to_pydatetime() for t in sched["close"])
    return days, opens, closes


def _calendar_for(year: int) -> tuple[tuple[date, ...], tuple, tuple]:
    return _sessions(min(_FIRST_YEAR, year - 1), max(_LAST_YEAR, year + 1))


def market_clock(now: datetime) -> MarketClock:
    """The NYSE clock at ``now`` (tz-aware, or naive Eastern time)."""
    from bisect import bisect_left, bisect_right

    now = now.replace(tzinfo=ET) if now.tzinfo is None else now.astimezone(ET)
    days, opens, closes = _calendar_for(now.year)
    today = now.date()
    i = bisect_left(days, today)
    next_open = opens[bisect_right(opens, now)]
    next_close = closes[bisect_right(closes, now)]
    if i < len(days) and days[i] == today:
        open_t, close_t = opens[i], closes[i]
        early = close_t.timetz().replace(tzinfo=None) < _REGULAR_CLOSE
        after_end = _AFTER_EARLY_CLOSE_END if early else _AFTER_HOURS_END
        clock = now.time()
        if now < open_t:
            status = "pre-market" if clock >= _PRE_MARKET else "closed"
            fraction = 0.0
        elif now < close_t:
            status = "open"
            fraction = (now - open_t) / (close_t - open_t)
        else:
            status = "after-hours" if clock < after_end else "closed"
            fraction = 1.0
        return MarketClock(now, status, early, next_open, next_close, float(fraction))
    status = "holiday" if today.weekday() < 5 else "closed"
    return MarketClock(now, status, False, next_open, next_close, 1.0)


def _read_text(name: str) -> str:
    return (resources.files("analysis.data") / name).read_text(encoding="utf-8")


@functools.cache
def _fomc_rows() -> tuple[tuple[date, str], ...]:
    rows = csv.DictReader(io.StringIO(_read_text("fomc.csv")))
    out = [
        (date.fromisoformat(r["decision_date"]), (r.get("statement_time_et") or "14:00").strip())
        for r in rows
    ]
    return tuple(sorted(out))


def fomc_info(today: date) -> FomcInfo:
    """The next FOMC decision on or after ``today`` (an Eastern-time date) and its banner.

    Beyond the bundled schedule: no next decision and no banner.
    """
    if isinstance(today, datetime):
        today = (today if today.tzinfo is None else today.astimezone(ET)).date()
    for day, at in _fomc_rows():
        if day >= today:
            days = (day - today).days
            when = {0: "today", 1: "tomorrow"}.get(days)
            banner = f"FOMC decision {when}, {at} ET" if when else ""
            return FomcInfo(day, days, banner)
    return FomcInfo(None, None, "")


@functools.cache
def bundled_sector_weights() -> SectorWeights:
    """Russell 2000 sector weights (%) from the bundled table, its latest column."""
    reader = csv.reader(io.StringIO(_read_text("russell2000_sector_weights.csv")))
    header = next(reader)
    dated = {
        date.fromisoformat(col.removeprefix("weight_pct_").replace("_", "-")): k
        for k, col in enumerate(header)
        if col.startswith("weight_pct_")
    }
    asof = max(dated)
    col = dated[asof]
    weights = {row[0]: float(row[col]) for row in reader if row and row[col].strip()}
    return SectorWeights(MappingProxyType(weights), BUNDLED_WEIGHTS_SOURCE, asof)


def _sector_name(key: str) -> str:
    norm = key.strip().lower().replace(" ", "_").replace("-", "_")
    return _LIVE_SECTOR_NAMES.get(norm, key.strip().replace("_", " ").title())


def sector_weights(
    live: Mapping[str, float] | None,
    *,
    source: str = "live",
    asof: date | None = None,
    fund: str = BUNDLED_WEIGHTS_FUND,
) -> SectorWeights:
    """Live weights of ``fund``'s index when given (and usable), else the bundled table when it is
    that index's (IWM, the Russell 2000), else none: another index's weights are never shown.

    Live keys from yfinance fund data (``technology``, ``financial_services`` ...) are renamed to
    the GICS names of the bundled table; fractions (values summing to at most 1.5) become %.
    Non-numeric, non-finite and negative values are dropped.
    """
    clean: dict[str, float] = {}
    for key, value in (live or {}).items():
        try:
            num = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(num) and num >= 0:
            name = _sector_name(str(key))
            clean[name] = clean.get(name, 0.0) + num
    if not clean or sum(clean.values()) <= 0:
        if fund.upper() != BUNDLED_WEIGHTS_FUND:
            return SectorWeights(MappingProxyType({}), NO_WEIGHTS_SOURCE, None)
        return bundled_sector_weights()
    if sum(clean.values()) <= 1.5:
        clean = {k: round(v * 100.0, 6) for k, v in clean.items()}
    return SectorWeights(MappingProxyType(clean), source, asof)
