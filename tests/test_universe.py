"""Loading a universe: plain lists, CSVs with a Symbol/Ticker column, iShares holdings files (the
fixture tests/data/universe/ishares_holdings.csv is written in the fund page's download format, with
a preamble, cash/money-market/futures rows, a bad ticker and a disclaimer) and csv:DIR."""

from pathlib import Path

import pytest

from analysis.config import ConfigError, UniverseSpec, parse_config
from analysis.universe import (
    Member,
    UniverseError,
    load_universe,
    parse_universe,
    universe_of_config,
)

DATA = Path(__file__).parent / "data"
HOLDINGS = DATA / "universe" / "ishares_holdings.csv"


def test_ishares_holdings_keep_equities_with_name_and_sector():
    u = load_universe(HOLDINGS)
    assert u.symbols() == ("CRDO", "BE", "FN", "KRYS", "IONQ")
    assert u.members[0] == Member("CRDO", "CREDO TECHNOLOGY GROUP HOLDING L",
                                  "Information Technology")
    assert u.by_symbol()["KRYS"].sector == "Health Care"
    assert u.has_sectors()


def test_ishares_cash_money_market_and_futures_rows_are_skipped_not_reported():
    u = load_universe(HOLDINGS)
    assert u.skipped == 3
    assert not any("USD" in p or "RTYZ5" in p or "XTSLA" in p for p in u.problems)


def test_ishares_bad_row_is_reported_with_its_line_and_the_rest_load():
    u = load_universe(HOLDINGS)
    assert len(u.problems) == 1
    assert u.problems[0].startswith("ishares_holdings.csv line 15: ")
    assert "BAD$TICK" in u.problems[0]
    assert "IONQ" in u.symbols()  # the row after the bad one


def test_duplicate_row_keeps_the_first():
    u = load_universe(HOLDINGS)
    assert u.by_symbol()["FN"].name == "FABRINET"


def test_disclaimer_after_the_holdings_is_not_a_row():
    u = load_universe(HOLDINGS)
    assert not any("line 22" in p for p in u.problems)


def test_plain_list_one_symbol_a_line_with_comments_and_blanks():
    u = parse_universe("# my list\naapl\n\n MSFT  # software\nbrk-b\nno good!\nAAPL\n", "mine.txt")
    assert u.symbols() == ("AAPL", "MSFT", "BRK-B")
    assert len(u.problems) == 1
    assert u.problems[0].startswith("mine.txt line 6: NO GOOD! is not a valid symbol")
    assert not u.has_sectors()


def test_csv_with_symbol_column_keeps_name_and_sector():
    text = "Symbol,Name,Sector\nMMM,3M Company,Industrials\nABT,Abbott Laboratories,Health Care\n"
    u = parse_universe(text, "sp.csv")
    assert u.members == (Member("MMM", "3M Company", "Industrials"),
                         Member("ABT", "Abbott Laboratories", "Health Care"))


def test_csv_with_ticker_column_in_any_position():
    u = parse_universe("Name,Ticker\nApple,AAPL\nNobody,\nMicrosoft,MSFT\n", "t.csv")
    assert u.symbols() == ("AAPL", "MSFT")
    assert u.problems == ("t.csv line 3: no symbol in this row",)


def test_csv_dir_lists_every_csv_file(tmp_path):
    for name in ("KRE.csv", "_RUT.csv", "XLF.csv", "notes.txt", "bad name!.csv"):
        (tmp_path / name).write_text("Date,Open,High,Low,Close\n")
    u = load_universe(f"csv:{tmp_path}")
    assert u.symbols() == ("KRE", "XLF", "^RUT")
    assert len(u.problems) == 1 and u.problems[0].startswith("bad name!.csv: ")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(UniverseError, match="no such file"):
        load_universe(tmp_path / "nope.csv")
    with pytest.raises(UniverseError, match="no such folder"):
        load_universe(f"csv:{tmp_path / 'nope'}")


def test_a_file_without_any_member_is_an_error(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("# nothing here\n")
    with pytest.raises(UniverseError, match="no members"):
        load_universe(f)


def test_config_universe_table_and_relative_path(tmp_path):
    (tmp_path / "list.txt").write_text("AAPL\nMSFT\n")
    cfg_path = tmp_path / "config.toml"
    config = parse_config('[universe]\nfile = "list.txt"\n', cfg_path)
    assert config.universe_spec == UniverseSpec(file="list.txt")
    u = universe_of_config(config)
    assert u is not None and u.symbols() == ("AAPL", "MSFT")
    assert universe_of_config(parse_config("")) is None


def test_config_universe_unknown_key_names_the_line():
    with pytest.raises(ConfigError, match="line 2, key 'universe.path'"):
        parse_config('[universe]\npath = "x"\n')
