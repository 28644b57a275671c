"""The bar-frame convention: what `normalize_bars` makes of a messy frame from any source."""

import numpy as np
import pandas as pd
import pytest

from analysis.bars import BarsError, latest_plausible_day, normalize_bars


def test_a_messy_frame_is_brought_to_the_convention():
    raw = pd.DataFrame(
        {
            "Open": [10.0, 0.0, 12.0, 13.0, 14.0, 15.0],
            "High": [11.0, np.nan, 13.0, 14.0, 15.0, -1.0],
            "Low": [9.0, 9.5, 11.0, 12.0, 13.0, 14.0],
            "Close": ["10.5", "10", "n/a", "13.5", "0", "15.5"],  # text, as a CSV may give
            "Adj Close": [10.4, np.nan, 11.9, 13.4, 13.9, 15.4],
            "Volume": [100.0, np.nan, 300.0, 400.0, 500.0, 600.0],
        },
        index=["2024-01-03", "2024-01-02", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-03"],
    )
    out = normalize_bars(raw, tz="America/New_York")
    assert list(out.columns) == ["open", "high", "low", "close", "volume", "adj_close"]
    assert out.index.name == "date" and str(out.index.tz) == "America/New_York"
    # sorted; the duplicate 01-03 keeps its last row; no-price rows ("n/a", 0) dropped
    assert [d.isoformat() for d in out.index.date] == ["2024-01-02", "2024-01-03", "2024-01-05"]
    first, dup, fifth = (out.iloc[i] for i in range(3))
    assert (first["open"], first["high"], first["close"]) == (10.0, 10.0, 10.0)  # 0 / NaN -> close
    assert first["volume"] == 0.0 and first["adj_close"] == 10.0                 # NaN -> 0 / close
    assert dup["close"] == 15.5 and dup["high"] == 15.5 and dup["volume"] == 600.0
    assert fifth.tolist() == [13.0, 14.0, 12.0, 13.5, 400.0, 13.4]
    assert all(out[c].dtype == "float64" for c in out.columns)


def test_missing_volume_and_adjusted_close_are_filled():
    raw = pd.DataFrame({"open": [1.0], "high": [2.0], "low": [0.5], "close": [1.5]},
                       index=pd.DatetimeIndex(["2024-01-02 05:00"], tz="UTC"))
    out = normalize_bars(raw, tz="America/New_York")
    assert out.index[0].hour == 0 and out["volume"].iloc[0] == 0.0
    assert out["adj_close"].iloc[0] == 1.5


def test_a_frame_without_prices_or_dates_is_refused():
    with pytest.raises(BarsError, match="missing columns: close"):
        normalize_bars(pd.DataFrame({"open": [1.0], "high": [1.0], "low": [1.0]}))
    with pytest.raises(BarsError, match="index is not dates"):
        normalize_bars(pd.DataFrame({"open": [1.0], "high": [1.0], "low": [1.0], "close": [1.0]},
                                    index=["not a date"]))


def test_a_negative_volume_is_no_volume():
    idx = pd.date_range("2024-01-02", periods=3, freq="D")
    df = pd.DataFrame({"Open": [1.0] * 3, "High": [2.0] * 3, "Low": [0.5] * 3,
                       "Close": [1.5] * 3, "Volume": [100.0, -5.0, np.nan]}, index=idx)
    assert normalize_bars(df)["volume"].tolist() == [100.0, 0.0, 0.0]


def test_the_latest_plausible_day_is_tomorrow_in_utc():
    from datetime import UTC, date, datetime, timedelta, timezone

    assert latest_plausible_day(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 1, 1)
    tokyo = timezone(timedelta(hours=9))  # already Jan 1 there: still tomorrow in UTC
    assert latest_plausible_day(datetime(2026, 1, 1, 8, 0, tzinfo=tokyo)) == date(2026, 1, 1)
