"""The csv:DIR source: a good folder, ^ written as _, and malformed files named by file and line."""

from __future__ import annotations

import pytest

from analysis.sources.csvdir import CsvDirSource
from analysis.sources.sample import load_sample
from analysis.sources.select import make_source

HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"


def write_csv(folder, name: str, rows: list[str], header: str = HEADER) -> None:
    (folder / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def rows_of(symbol: str, n: int) -> list[str]:
    df = load_sample(symbol).iloc[:n]
    return [f"{ts:%Y-%m-%d},{r.open},{r.high},{r.low},{r.close},{r.adj_close},{int(r.volume)}"
            for ts, r in zip(df.index, df.itertuples(), strict=True)]


def test_a_good_folder(tmp_path):
    write_csv(tmp_path, "SPY.csv", rows_of("SPY", 30))
    write_csv(tmp_path, "_RUT.csv", rows_of("^RUT", 30))  # ^ is written as _
    write_csv(tmp_path, "ETH-USD.csv", rows_of("ETH-USD", 30))
    src = CsvDirSource(tmp_path)
    result = src.fetch(["SPY", "^RUT", "ETH-USD"])
    assert result.source == f"csv:{tmp_path}" == src.name
    assert not result.errors
    for sym in ("SPY", "^RUT", "ETH-USD"):
        want = load_sample(sym).iloc[:30]
        got = result.bars[sym]
        assert (got.index == want.index).all()  # right dates, right time zone
        assert got["close"].tolist() == want["close"].tolist()
        assert got["volume"].tolist() == want["volume"].tolist()
    assert str(result.bars["ETH-USD"].index.tz) == "UTC"
    assert src.available_symbols() == ["ETH-USD", "SPY", "^RUT"]


def test_optional_columns_and_pandas_style_dates(tmp_path):
    write_csv(tmp_path, "KRE.csv", [
        "2024-01-02 00:00:00-05:00,50,51,49,50.5,,1000",
        "2024-01-03 00:00:00-05:00,50.5,52,50,51.5,51.2,",
    ])
    df = CsvDirSource(tmp_path).fetch(["KRE"]).bars["KRE"]
    assert [f"{d:%Y-%m-%d}" for d in df.index] == ["2024-01-02", "2024-01-03"]
    assert df["adj_close"].tolist() == [50.5, 51.2]  # empty Adj Close: the close
    assert df["volume"].tolist() == [1000.0, 0.0]
    write_csv(tmp_path, "XLF.csv", ["2024-01-02,1,2,0.5,1.5"], header="date,open,high,low,close")
    assert CsvDirSource(tmp_path).fetch(["XLF"]).bars["XLF"]["close"].tolist() == [1.5]


def test_a_missing_file_is_named(tmp_path):
    result = CsvDirSource(tmp_path).fetch(["KRE"])
    assert result.errors == {"KRE": f"no file KRE.csv in {tmp_path}"}


@pytest.mark.parametrize(("line", "bad", "message"), [
    (17, ",1,2,0.5,n/a,,100", "KRE.csv line 17: close is not a number ('n/a')"),
    (5, "2024-13-45,1,2,0.5,1.5,,100", "KRE.csv line 5: date '2024-13-45' is not a date"),
    (9, ",1,2,0.5,,,100", "KRE.csv line 9: close is missing"),
    (12, ",1,0.5,2,1.5,,100", "KRE.csv line 12: high 0.5 is below low 2"),
    (3, ",1,2,0.5,1.5,,100,7", "KRE.csv line 3: expected 7 fields, saw 8"),
    (20, "2024-01-02,1,2,0.5,1.5,,100", "KRE.csv line 20: date 2024-01-02 appears twice"),
    (6, ",1,2,0.5,1.5,,lots", "KRE.csv line 6: volume is not a number ('lots')"),
    (8, ",1,2,0.5,1.5,,-5", "KRE.csv line 8: volume -5 is negative"),
    (25, "2099-12-31,1,2,0.5,1.5,,100", "KRE.csv line 25: date 2099-12-31 is in the future"),
])
def test_a_malformed_file_is_reported_by_name_and_line(tmp_path, line, bad, message):
    rows = [f"2024-01-{d:02d},1,2,0.5,1.5,,100" for d in range(1, 25)]
    # line 1 is the header; a bad row starting with "," keeps that line's own date
    rows[line - 2] = rows[line - 2].split(",")[0] + bad if bad.startswith(",") else bad
    write_csv(tmp_path, "KRE.csv", rows)
    write_csv(tmp_path, "SPY.csv", rows_of("SPY", 5))
    result = CsvDirSource(tmp_path).fetch(["KRE", "SPY"])
    assert result.errors["KRE"].startswith(message)
    assert "SPY" in result.bars and "KRE" not in result.bars  # the good file still loads


def test_missing_column_and_empty_file(tmp_path):
    write_csv(tmp_path, "KRE.csv", ["2024-01-02,1,2,1.5"], header="Date,Open,High,Close")
    (tmp_path / "XLF.csv").write_text("", encoding="utf-8")
    write_csv(tmp_path, "XLK.csv", [])
    errors = CsvDirSource(tmp_path).fetch(["KRE", "XLF", "XLK"]).errors
    assert errors["KRE"].startswith("KRE.csv line 1: missing column Low")
    assert errors["XLF"] == "XLF.csv is empty"
    assert errors["XLK"] == "XLK.csv has no bars"


def test_make_source_csv_spec(tmp_path):
    assert make_source(f"csv:{tmp_path}").name == f"csv:{tmp_path}"
    with pytest.raises(ValueError, match="no such folder"):
        make_source(f"csv:{tmp_path / 'nope'}")
    with pytest.raises(ValueError, match="needs a folder"):
        make_source("csv:")


def test_a_file_dated_in_the_future_never_moves_the_clock(tmp_path):
    """One file with a row dated 2099 is rejected by name and line; the snapshot is as of the
    other files' last session, not 2099."""
    from analysis.config import Config
    from analysis.pipeline import Pipeline

    write_csv(tmp_path, "SPY.csv", rows_of("SPY", 60))
    write_csv(tmp_path, "KRE.csv", [*rows_of("KRE", 60), "2099-12-31,60,61,59,60.5,60.5,1000"])
    snap = Pipeline(Config(), CsvDirSource(tmp_path)).refresh(["SPY", "KRE"]).snapshot
    assert snap.asof == load_sample("SPY").index[59].date()
    assert snap.errors["KRE"].startswith("KRE.csv line 62: date 2099-12-31 is in the future")
