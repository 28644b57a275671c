"""`basewatch data status|fetch` against the fake Yahoo and a temporary bar store."""

from __future__ import annotations

import csv
import gzip
import json
from importlib import resources

from tui.cli import build_parser, main
from tui.commands import data


def real_rows(symbol: str, upto: str) -> int:
    path = resources.files("analysis.data") / "sample" / (symbol.replace("^", "_") + ".csv.gz")
    with path.open("rb") as fh, gzip.open(fh, "rt") as text:
        return sum(1 for r in csv.DictReader(text) if r["Date"] <= upto)


def run(argv: list[str], session=None) -> int:
    return data.run(build_parser().parse_args(argv), session=session)


def test_status_of_an_empty_store(capsys):
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert "empty: run 'basewatch data fetch'" in out
    assert "not stored: IWM, ^RUT, SPY" in out


def test_fetch_then_status(fake_yahoo, capsys):
    assert run(["data", "fetch", "SPY", "^rut", "BTC-USD"], session=fake_yahoo) == 0
    out = capsys.readouterr().out
    n = real_rows("SPY", "2025-12-09")
    assert f"SPY        2018-01-02 .. 2025-12-09   {n} bars  (+{n} new)" in out
    assert "3 of 3 symbols stored in" in out

    fake_yahoo.advance("2025-12-12")
    assert run(["data", "fetch", "SPY"], session=fake_yahoo) == 0
    assert "(+3 new)" in capsys.readouterr().out  # Dec 10, 11, 12

    assert main(["data", "status", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["symbol"]: r for r in doc["symbols"]}
    assert set(rows) == {"SPY", "^RUT", "BTC-USD"}
    assert rows["SPY"]["rows"] == real_rows("SPY", "2025-12-12")
    assert rows["BTC-USD"]["rows"] == real_rows("BTC-USD", "2025-12-09")
    assert (rows["SPY"]["first"], rows["SPY"]["last"]) == ("2018-01-02", "2025-12-12")
    assert rows["SPY"]["source"] == "yahoo" and 0 <= rows["SPY"]["age_seconds"] < 60
    assert "SPY" not in doc["missing"] and "KRE" in doc["missing"]

    assert main(["data", "status"]) == 0
    table = capsys.readouterr().out
    assert "SYMBOL" in table and "^RUT" in table and "2025-12-12" in table


def test_fetch_exit_codes(fake_yahoo, capsys):
    assert run(["data", "fetch", "SPY", "ZZZZ"], session=fake_yahoo) == 1  # one symbol failed
    assert "ZZZZ       failed: ZZZZ: Yahoo does not know" in capsys.readouterr().err
    assert main(["data", "fetch", "../x"]) == 2  # bad input, before any network
    assert "not a valid symbol" in capsys.readouterr().err
    fake_yahoo.inject("hang", times=1)
    assert run(["data", "fetch", "XLK", "--deadline", "0.5"], session=fake_yahoo) == 1
    assert "Yahoo cannot be reached: Yahoo did not answer within 0.5 s" in capsys.readouterr().err


def test_data_without_an_action_is_a_usage_error(capsys):
    assert main(["data"]) == 2
    assert "say 'status' or 'fetch'" in capsys.readouterr().err
