"""`basewatch scan`: the table, the JSON document and its schema, --asof, and clear errors."""

import json
from pathlib import Path

import pytest

from tui.cli import main

FIELDS = {
    "symbol", "asof", "close", "ath_close", "ath_close_date", "ath_high", "ath_high_date",
    "new_closing_ath", "new_intraday_ath", "pct_from_ath", "prior_cycle_peak",
    "prior_cycle_peak_date", "pct_vs_prior_cycle_peak", "streak", "streak_study", "rs", "bases",
    "zones", "breakout",
}


def _scan_json(capsys, *args):
    assert main(["scan", "--source", "sample", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_scan_json_has_the_documented_schema(capsys):
    doc = _scan_json(capsys, "--symbols", "XLK,KRE,ETH-USD,BTC-USD,IWM,SPY", "--asof", "2025-12-09")
    assert doc["asof"] == "2025-12-09" and doc["source"] == "sample"
    assert {"pair", "leaders", "race", "clock", "fomc", "sector_weights"} <= set(doc["market"])
    rows = {r["symbol"]: r for r in doc["symbols"]}
    assert set(rows) == {"XLK", "KRE", "ETH-USD", "BTC-USD", "IWM", "SPY"}
    for row in rows.values():
        assert set(row) >= FIELDS
        assert row["asof"] <= "2025-12-09"


def test_scan_asof_uses_only_bars_up_to_that_date(capsys):
    doc = _scan_json(capsys, "--symbols", "XLK", "--asof", "2025-12-09")
    row = doc["symbols"][0]
    from analysis.sources.sample import load_sample

    bars = load_sample("XLK")
    expected = bars[bars.index.strftime("%Y-%m-%d") <= "2025-12-09"]["close"].iloc[-1]
    assert row["asof"] == "2025-12-09" and row["close"] == pytest.approx(expected)


def test_scan_table_prints_one_row_per_symbol(capsys):
    assert main(["scan", "--source", "sample", "--symbols", "KRE,XLK", "--asof", "2025-12-09"]) == 0
    out = capsys.readouterr().out
    assert "KRE" in out and "XLK" in out and "as of 2025-12-09" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--symbols", "NOPE"], "NOPE"),
        (["--symbols", "../etc"], "not a valid symbol"),
        (["--asof", "1999-01-01"], "outside the data"),
        (["--asof", "2025-13-45"], "not a date"),
        (["--source", "carrier-pigeon"], "source"),
    ],
)
def test_scan_bad_input_exits_2_with_a_clear_message(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        code = main(["scan", "--source", "sample", *args])
        raise SystemExit(code)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_scan_history_lists_transitions_and_a_summary(capsys):
    args = ["scan", "--source", "sample", "--history", "--symbols", "KRE",
            "--from", "2025-06-01", "--to", "2025-12-31"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "confirmed breakouts" in out and "-8% before +5% within 63 sessions" in out
    assert "max gain" not in out and "ultimate" not in out  # bounded windows only
    assert "2025-12-10" in out  # KRE closed above its pivot then (see README)
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["symbol"] == "KRE" and doc[0]["transitions"]


def test_scan_of_one_symbol_still_has_its_relative_strength_and_the_market(capsys):
    # the article's day with the article's set-up (its race)
    article = str(Path(__file__).resolve().parent.parent / "examples" / "article.toml")
    doc = _scan_json(capsys, "--config", article, "--symbols", "KRE", "--asof", "2025-12-09")
    assert [r["symbol"] for r in doc["symbols"]] == ["KRE"]
    assert doc["symbols"][0]["rs"]["benchmark"] == "SPY"
    assert doc["market"]["pair"]["symbol"] == "IWM" and doc["market"]["race"]["status"] == "running"


def test_scan_table_labels_states_as_the_panes_do(capsys):
    from tui.cli import main as cli_main

    assert cli_main(["scan", "--source", "sample", "--symbols", "KRE,XLF"]) == 0
    out = capsys.readouterr().out
    assert "back_in_base" not in out
    assert "in base -3.2% @66.97" in out and "CONFIRMED +0.5% @54.50" in out


def test_scan_why_finds_exactly_the_bases_the_scan_shows(capsys):
    symbols = "XLK,KRE,XLF,IWM,SOXX,BTC-USD,ETH-USD"
    for asof in ("2025-06-30", "2025-12-31"):
        scan = _scan_json(capsys, "--symbols", symbols, "--asof", asof)
        why = {r["symbol"]: r for r in _scan_json(capsys, "--symbols", symbols, "--asof", asof,
                                                   "--why")}
        checked = 0
        for row in scan["symbols"]:
            kinds = {k["kind"]: k for k in why[row["symbol"]]["kinds"] or []}
            assert why[row["symbol"]]["asof"] == row["asof"]
            for base in row["bases"]:
                if base is next(b for b in row["bases"] if b["kind"] == base["kind"]):
                    assert kinds[base["kind"]]["accepted"], (row["symbol"], asof, base["kind"])
                    assert kinds[base["kind"]]["status"] == base["status"]
                    checked += 1
        # every kind found is a base the scan shows; every other kind names the rules it broke
        for row in scan["symbols"]:
            shown = {(b["kind"], b["pivot"]) for b in row["bases"]}
            for k in why[row["symbol"]]["kinds"] or []:
                if k["accepted"]:
                    assert (k["kind"], k["pivot"]) in shown, (row["symbol"], asof, k["kind"])
                else:
                    assert k["reasons"], (row["symbol"], asof, k["kind"])
    assert checked


def test_scan_why_names_the_broken_rules_and_skips_a_volatility_index(capsys):
    assert main(["scan", "--source", "sample", "--symbols", "KRE,^VIX", "--asof", "2025-06-30",
                 "--why"]) == 0
    out = capsys.readouterr().out
    assert "KRE  as of 2025-06-30: each base kind" in out
    # KRE fell 33% from its November 2024 high: no cup (its right side is not back near that
    # high), said with the figures; the scan's flat base since May is forming
    assert "cup              no" in out
    assert "right side 60.02 not within 10% of the left-side high 70.25" in out
    assert "flat-base        forming    2025-05-12..2025-06-26" in out
    assert "^VIX  as of 2025-06-30: no bases" in out
