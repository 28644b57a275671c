"""`basewatch scan --universe FILE`: the members' rows with their RS ratings, the breadth, refused
rows reported on stderr, and a clear error for a missing file."""

import json
from pathlib import Path

from tui.cli import main

HOLDINGS = Path(__file__).parent / "data" / "universe" / "ishares_holdings.csv"
MEMBERS = ("XLK", "XLF", "XLI", "XLV", "KRE", "SOXX", "SMH", "IJR")


def test_scan_universe_json_rows_ratings_and_breadth(tmp_path, capsys):
    listing = tmp_path / "etfs.txt"
    listing.write_text("\n".join(MEMBERS) + "\nnot valid!\n")
    assert main(["scan", "--source", "sample", "--universe", str(listing), "--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    rows = {r["symbol"]: r for r in doc["symbols"]}
    assert tuple(rows) == MEMBERS
    ratings = [rows[s]["rs_rating"] for s in MEMBERS]
    assert all(isinstance(r, int) and 1 <= r <= 99 for r in ratings)
    assert max(ratings) == 99 and min(ratings) == 1
    assert doc["breadth"]["members"] == len(MEMBERS)
    (problem,) = doc["universe"]["problems"]
    assert problem.startswith("etfs.txt line 9: NOT VALID! is not a valid symbol")
    assert "etfs.txt line 9" in out.err


def test_scan_universe_holdings_without_data_lists_them_as_missing(capsys):
    code = main(["scan", "--source", "sample", "--universe", str(HOLDINGS), "--json",
                 "--symbols", "XLK"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["universe"]["missing"] == ["CRDO", "BE", "FN", "KRYS", "IONQ"]
    assert doc["breadth"]["members"] == 0


def test_scan_universe_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["scan", "--source", "sample", "--universe", str(tmp_path / "no.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_scan_table_has_the_rs_rating_column_and_a_breadth_line(tmp_path, capsys):
    listing = tmp_path / "etfs.txt"
    listing.write_text("\n".join(MEMBERS) + "\n")
    assert main(["scan", "--source", "sample", "--universe", str(listing)]) == 0
    out = capsys.readouterr().out
    assert f"breadth of {listing} ({len(MEMBERS)} members): above 50d" in out
    assert "RS#" in out
    header = next(line for line in out.splitlines() if "Symbol" in line)
    assert header.rstrip(" │┃").endswith("RS#")


def test_dashboard_with_a_missing_universe_file_stops_before_the_app(tmp_path, capsys):
    assert main(["--source", "sample", "--universe", str(tmp_path / "none.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_refused_rows_become_one_dashboard_warning():
    from analysis.universe import load_universe
    from tui.commands.universe_option import universe_notes

    (note,) = universe_notes(load_universe(HOLDINGS))
    assert note.startswith("universe: 1 row(s) skipped\nishares_holdings.csv line 15: ")


def test_a_member_outside_the_config_is_scanned_with_its_streak_study(tmp_path, user_dirs,
                                                                        capsys):
    """A member the config does not name has its streak study deferred by the analysis; scanned
    by name with the universe, it is printed with the same study (and every other figure) as
    scanned without it."""
    (user_dirs["config"] / "config.toml").write_text(
        'watchlist = ["SPY", "KRE"]\n[sectors]\nFinancials = { etf = "XLF" }\n')
    listing = tmp_path / "members.txt"
    listing.write_text("XLK\nXLF\nSMH\n")
    args = ["scan", "--source", "sample", "--asof", "2025-12-09", "--json", "--symbols", "XLK"]
    assert main([*args, "--universe", str(listing)]) == 0
    (member,) = json.loads(capsys.readouterr().out)["symbols"]
    assert main(args) == 0
    (alone,) = json.loads(capsys.readouterr().out)["symbols"]
    assert member["streak"] == 12 and member["streak_study"] is not None
    assert member["rs_rating"] is not None and alone["rs_rating"] is None
    assert {**member, "rs_rating": None} == alone
