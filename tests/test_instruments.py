"""Instrument kinds: from Yahoo's quoteType when live, the bundled table offline, the symbol's
syntax otherwise; a volatility index (^VIX) gets no base, breakout or record-high facts, and an
index is marked as one in the snapshot, the scan JSON and the watchlist row."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analysis.config import Config
from analysis.instruments import InstrumentKind, bundled, instrument_kind
from analysis.pipeline import Pipeline
from analysis.sources.quotes import parse_quotes
from analysis.sources.sample import SampleSource, available_symbols
from tui.cli import main

K = InstrumentKind

# The quote rows Yahoo sent for AAPL,BABA and BTC-USD (recorded 2025-02-17 by node-yahoo-finance2,
# MIT; only the fields read here kept): quoteType is EQUITY and CRYPTOCURRENCY.
RECORDED = {"quoteResponse": {"result": [
    {"symbol": "AAPL", "quoteType": "EQUITY", "regularMarketPrice": 244.6},
    {"symbol": "BABA", "quoteType": "EQUITY", "regularMarketPrice": 128.0},
    {"symbol": "BTC-USD", "quoteType": "CRYPTOCURRENCY", "regularMarketPrice": 96143.2},
], "error": None}}


def test_the_live_quote_type_names_the_kind():
    quotes = parse_quotes(RECORDED)
    assert {s: instrument_kind(s, q.quote_type) for s, q in quotes.items()} == {
        "AAPL": K.EQUITY, "BABA": K.EQUITY, "BTC-USD": K.CRYPTO}
    assert instrument_kind("SPY", "ETF") is K.ETF
    assert instrument_kind("XYZ", "MUTUALFUND") is K.ETF


def test_yahoo_calls_vix_an_index_but_a_volatility_index_is_its_own_kind():
    assert instrument_kind("^VIX", "INDEX") is K.VOLATILITY
    assert instrument_kind("^GSPC", "INDEX") is K.INDEX


@pytest.mark.parametrize(("symbol", "kind"), [
    ("^VXN", K.VOLATILITY), ("^VIX3M", K.VOLATILITY), ("^FTSE", K.INDEX), ("DOGE-USD", K.CRYPTO),
    ("EURUSD=X", K.FX), ("CL=F", K.FUTURE), ("AAPL", K.EQUITY),
])
def test_offline_the_symbol_syntax_gives_the_kind(symbol, kind):
    assert instrument_kind(symbol) is kind


def test_the_bundled_table_knows_every_symbol_of_the_bundled_universe():
    table = bundled()
    assert set(available_symbols()) <= set(table)
    assert table["SPY"] is K.ETF and table["^RUT"] is K.INDEX and table["^VIX"] is K.VOLATILITY
    assert instrument_kind("KRE") is K.ETF  # syntax alone would say equity


@pytest.fixture(scope="module")
def year_end():
    return Pipeline(Config(), SampleSource()).refresh(asof=date(2025, 12, 31)).snapshot


def test_vix_in_the_default_watchlist_has_no_base_breakout_or_record_high(year_end):
    assert "^VIX" in Config().watchlist
    vix = year_end.symbols["^VIX"]
    assert vix.instrument is K.VOLATILITY
    assert vix.bases == () and vix.breakout is None and vix.highs is None
    # and it is not a leader in the race to record highs either
    assert "^VIX" not in {leader.symbol for leader in year_end.market.leaders.order}


def test_indexes_are_marked_and_still_analysed(year_end):
    for sym in ("^GSPC", "^RUT"):
        assert year_end.symbols[sym].instrument is K.INDEX
        assert year_end.symbols[sym].highs is not None
    assert year_end.symbols["SPY"].instrument is K.ETF
    assert year_end.symbols["BTC-USD"].instrument is K.CRYPTO


def test_scan_json_names_the_instrument_and_gives_vix_no_setup(capsys):
    assert main(["scan", "--source", "sample", "--json", "--asof", "2025-12-31",
                 "--symbols", "^VIX,^GSPC,SPY"]) == 0
    rows = {r["symbol"]: r for r in json.loads(capsys.readouterr().out)["symbols"]}
    assert {s: r["instrument"] for s, r in rows.items()} == {
        "^VIX": "volatility", "^GSPC": "index", "SPY": "etf"}
    vix = rows["^VIX"]
    assert vix["bases"] == [] and vix["breakout"] is None and vix["pct_from_ath"] is None
    assert rows["^GSPC"]["pct_from_ath"] is not None


def test_scan_history_of_vix_has_no_bases_or_breakouts(capsys):
    assert main(["scan", "--source", "sample", "--json", "--history", "--symbols", "^VIX"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["bases"] == [] and report["outcomes"] == [] and report["transitions"] == []


def test_the_watchlist_row_marks_indexes_and_shows_no_ath_for_vix(year_end):
    from tui.semantic import SemanticColors
    from tui.widgets import cells

    sem = SemanticColors()
    assert cells.symbol_cell("^GSPC", sem, year_end.symbols["^GSPC"]).plain == "^GSPC idx"
    assert cells.symbol_cell("^VIX", sem, year_end.symbols["^VIX"]).plain == "^VIX vol"
    assert cells.symbol_cell("^GSPC", sem, year_end.symbols["^GSPC"], compact=True).plain == \
        "^GSPCⁱ"
    assert cells.symbol_cell("SPY", sem, year_end.symbols["SPY"]).plain.startswith("SPY")
    assert "idx" not in cells.symbol_cell("SPY", sem, year_end.symbols["SPY"]).plain
    assert cells.ath_cell(year_end.symbols["^VIX"], sem, False).plain == "—"
    assert cells.state_cell(year_end.symbols["^VIX"].breakout, sem, False).plain == "—"



def test_a_live_fetch_carries_yahoos_quote_types_into_the_snapshot(fake_yahoo):
    from analysis.sources.yahoo import YahooSource

    fetched = YahooSource(session=fake_yahoo, deadline=20.0, backoff=0.05).fetch(
        ["SPY", "^VIX", "BTC-USD"])
    assert dict(fetched.quote_types) == {"SPY": "ETF", "^VIX": "INDEX",
                                        "BTC-USD": "CRYPTOCURRENCY"}
    snap = Pipeline(Config(), SampleSource()).analyze(fetched).snapshot
    assert snap.symbols["^VIX"].instrument is K.VOLATILITY and snap.symbols["^VIX"].bases == ()
    assert snap.symbols["SPY"].instrument is K.ETF
