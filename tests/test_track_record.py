"""The track record: outcomes, statistics and the naive baseline computed by hand on constructed
bars, a whole backtest of two constructed symbols checked figure by figure, no look-ahead on the
bundled bars, and `basewatch backtest` (JSON schema, a table in 100 columns)."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime

import numpy as np
import pytest

from analysis.sources.sample import load_sample
from analysis.track_record import outcomes as oc
from analysis.track_record.engine import backtest
from analysis.track_record.signals import BASELINE_KIND, naive_signals
from analysis.track_record.stats import summarize
from tests.synthetic_bars import SPREAD, bars_from
from tui.cli import main


def test_outcomes_of_a_rise_a_stop_and_an_undecided_signal_by_hand():
    rise = 100.0 + 0.1 * np.arange(100)  # +0.1 a session from 100
    out = oc.outcomes(rise, rise * 1.005, rise * 0.995, np.array([0]))
    assert out["r5"][0] == pytest.approx(0.5) and out["r21"][0] == pytest.approx(2.1)
    assert out["r63"][0] == pytest.approx(6.3)
    assert out["max_rise_63"][0] == pytest.approx((106.3 * 1.005 / 100 - 1) * 100)
    assert out["failed"][0] == 0.0  # +5% (a high of 105: session 45) and never -8%

    fall = 100.0 - np.arange(21.0)  # -1 a session: the low 8% under 100 comes at session 8
    out = oc.outcomes(fall, fall * 1.005, fall * 0.995, np.array([0]))
    assert out["failed"][0] == 1.0
    assert math.isnan(out["r21"][0]) and math.isnan(out["max_rise_63"][0])
    assert out["r5"][0] == pytest.approx(-5.0)

    flat = np.full(10, 100.0)
    out = oc.outcomes(flat, flat * 1.005, flat * 0.995, np.array([0]))
    assert math.isnan(out["failed"][0])  # neither yet, and fewer than 63 sessions followed


def test_summary_figures_and_standard_error_by_hand():
    cols = {
        "r5": np.array([1.0, 2.0, 3.0]), "r21": np.array([0.0, 1.0, np.nan]),
        "r63": np.array([10.0, -5.0, 4.0]), "max_rise_63": np.array([12.0, 1.0, 6.0]),
        "failed": np.array([0.0, 1.0, np.nan]), "sym_r63": np.array([2.0, 2.0, 2.0]),
        "market_r63": np.array([1.0, 1.0, 4.0]),
    }
    s = summarize("x", cols)
    assert s.n == 3 and s.failure_rate == pytest.approx(50.0)  # 1 of the 2 decided
    assert s.mean_r63 == pytest.approx(3.0) and s.median_r63 == pytest.approx(4.0)
    assert s.mean_r21 == pytest.approx(0.5) and s.mean_max_rise_63 == pytest.approx(19 / 3)
    # excess 8, -7, 2: mean 1, sample sd sqrt((49 + 64 + 1) / 2), se sd / sqrt(3)
    assert s.excess_r63 == pytest.approx(1.0)
    assert s.se_excess_r63 == pytest.approx(math.sqrt(57) / math.sqrt(3))
    assert s.unconditional_r63 == pytest.approx(2.0) and s.market_r63 == pytest.approx(2.0)
    # against the market: 9, -6, 0 -> mean 1, sd sqrt((64 + 49 + 1) / 2)
    assert s.excess_vs_market_r63 == pytest.approx(1.0)
    assert s.se_excess_vs_market_r63 == pytest.approx(math.sqrt(57) / math.sqrt(3))


def test_naive_baseline_needs_a_new_252_session_high_after_20_quiet_sessions():
    close = np.full(320, 100.0)
    close[260], close[270], close[300] = 101.0, 102.0, 103.0
    assert naive_signals(close, 0, 319).tolist() == [260, 300]  # 270: only 10 sessions after
    assert naive_signals(close, 261, 319).tolist() == [300]


def _pair():
    """A: flat at 100 for 300 sessions, a new high of 101 at session 300, then +0.2 a session;
    B: flat at 50 throughout (no signal)."""
    a = np.r_[np.full(300, 100.0), 101.0 + 0.2 * np.arange(100)]
    b = np.full(400, 50.0)
    return {"A": bars_from(a), "B": bars_from(b)}, a


def test_a_whole_backtest_of_two_constructed_symbols_by_hand():
    frames, a = _pair()
    result = backtest(frames, alerted=frozenset())
    assert result.symbols == ("A", "B")
    naive = result.baseline_signals
    assert [(s.symbol, s.date) for s in naive] == [("A", frames["A"].index[300].date())]
    sig = naive[0]
    assert sig.r5 == pytest.approx((a[305] / 101 - 1) * 100)
    assert sig.r63 == pytest.approx((a[363] / 101 - 1) * 100)
    assert sig.max_rise_63 == pytest.approx((a[363] * (1 + SPREAD) / 101 - 1) * 100)
    assert sig.failed is False  # +5% (a high of 106.05) within 63 sessions, never -8%
    # A's own mean 63-session return over every session from 252 (the first after a year) on
    own = np.mean([(a[i + 63] / a[i] - 1) * 100 for i in range(252, 400 - 63)])
    assert sig.symbol_r63 == pytest.approx(own)
    assert sig.market_r63 == pytest.approx(sig.r63 / 2)  # the mean of A's and B's (0)
    assert sig.market_up is True and sig.alert is False
    b = result.baseline
    assert b.kind == BASELINE_KIND and b.n == 1 and b.failure_rate == 0.0
    assert b.excess_r63 == pytest.approx(sig.r63 - own) and b.se_excess_r63 is None
    assert b.excess_vs_market_r63 == pytest.approx(sig.r63 / 2)


def test_later_bars_never_change_the_earlier_signals():
    full = load_sample("KRE")
    cut = full.iloc[: len(full) - 150]
    keep = ("symbol", "date", "kind", "level", "close", "quality", "volume_ratio", "rs_63",
            "market_up", "tightness_pct", "prior_advance_pct", "depth_pct")

    def known(result, last):
        return [tuple(getattr(s, k) for k in keep) for s in result.signals if s.date <= last]

    last = cut.index[-1].date()
    before = known(backtest({"KRE": cut}), last)
    after = known(backtest({"KRE": full}), last)
    assert before and before == after


def test_backtest_json_has_the_documented_schema(capsys):
    assert main(["backtest", "--source", "sample", "--symbols", "KRE,XLF", "--from", "2024-06-01",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["from"] == "2024-06-01" and doc["to"] is None and doc["symbols"] == ["KRE", "XLF"]
    fields = {"symbol", "date", "kind", "level", "close", "alert", "quality", "r5", "r21", "r63",
              "max_rise_63", "failed"}
    assert doc["signals"] and all(fields <= set(s) for s in doc["signals"])
    assert all(s["date"] >= "2024-06-01" for s in doc["signals"])
    summary = {"kind", "n", "failure_rate", "mean_r21", "mean_r63", "unconditional_r63",
               "excess_r63", "se_excess_r63", "market_r63", "excess_vs_market_r63"}
    assert [s["kind"] for s in doc["summary"][:2]] == ["all", "alerted"]
    assert all(summary <= set(s) for s in doc["summary"]) and summary <= set(doc["baseline"])
    assert isinstance(doc["summary"][0]["n"], int)


def test_backtest_table_fits_100_columns_and_names_the_baseline(capsys):
    assert main(["backtest", "--source", "sample", "--symbols", "KRE", "--from", "2024-01-01"]
                ) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "naive 52-week high" in out and "lower" in out
    # the period: from the --from date to the last signal's session (not a bare 'end')
    assert out.splitlines()[0].startswith("backtest signals 2024-01-01 .. 2025-")


def test_backtest_without_a_period_names_the_first_and_last_signal(capsys):
    assert main(["backtest", "--source", "sample", "--symbols", "KRE", "--json"]) == 0
    days = sorted(s["date"] for s in json.loads(capsys.readouterr().out)["signals"])
    assert main(["backtest", "--source", "sample", "--symbols", "KRE"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"backtest signals {days[0]} .. {days[-1]}: 1 symbol, ")


def test_backtest_over_a_universe_file_analyses_its_members(tmp_path, capsys):
    members = tmp_path / "members.txt"
    members.write_text("XLF\nKRE\n")
    assert main(["backtest", "--source", "sample", "--universe", str(members), "--from",
                 "2025-06-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["symbols"] == ["XLF", "KRE"]


def test_backtest_rejects_a_period_that_ends_before_it_starts(capsys):
    assert main(["backtest", "--source", "sample", "--symbols", "KRE", "--from", "2024-06-01",
                 "--to", "2024-01-01"]) == 2
    assert "before --from" in capsys.readouterr().err


def _record(tmp_path, alerted, **extra):

    path = tmp_path / "signal_record.json"
    path.write_text(json.dumps({"alerted": alerted, "median_all_r63": 3.5, "kinds": {
        "breakout cup": {"n": 2078, "failure_rate": 32.0, "median_r63": 3.6, "excess_r63": -0.4,
                         "se_excess_r63": 0.4}}, **extra}))
    return path


def test_only_the_alerted_signal_kinds_alert_and_highlight(tmp_path):
    from analysis.events import Event
    from analysis.facts.breakout import Breakout
    from analysis.track_record.record import alerted_kinds, highlights, is_alerted

    path = _record(tmp_path, ["breakout cup", "failed"])
    assert alerted_kinds(path) == {"breakout cup", "failed"}

    def event(kind, signal):
        return Event(kind, "X", date(2025, 1, 2), datetime(2025, 1, 2, tzinfo=UTC), "",
                     {"signal": signal})

    assert is_alerted(event("breaking", "breakout cup"), path)
    assert not is_alerted(event("confirmed", "breakout flat_base"), path)
    assert not is_alerted(event("near", "near"), path)
    assert is_alerted(event("new_ath", None), path)  # not a breakout signal: always
    cup = Breakout("breaking", 50.0, "cup pivot", -0.5, 1.0, None, "")
    flat = Breakout("confirmed", 50.0, "flat-base pivot", -0.5, 2.0, None, "")
    assert highlights(cup, path) and not highlights(flat, path)
    assert not highlights(Breakout("near", 50.0, "cup pivot", 1.0, 1.0, None, ""), path)


def test_without_a_record_every_signal_alerts(tmp_path):
    from analysis.track_record.record import alerted_kinds
    from analysis.track_record.signals import SIGNAL_KINDS

    assert alerted_kinds(tmp_path / "missing.json") == frozenset(SIGNAL_KINDS)


def test_the_drilldown_record_block_shows_the_kind_and_the_symbols_own_breakouts(tmp_path,
                                                                                 monkeypatch):
    from rich.console import Console

    from analysis.facts.breakout import Breakout
    from analysis.track_record import record
    from tui.chart.levels import PastBreakout
    from tui.widgets.facts_panel import record_block

    monkeypatch.setattr(record, "RECORD_PATH", _record(tmp_path, ["breakout cup"]))
    bo = Breakout("near", 50.0, "cup pivot", 1.0, 1.0, None, "")
    past = [PastBreakout(date(2024, 1, 2), 40.0, "cup pivot", False, 10.0),
            PastBreakout(date(2024, 6, 3), 45.0, "zone", True, -4.0),
            PastBreakout(date(2025, 3, 3), 48.0, "zone", None, None)]
    console = Console(width=200, record=True)
    for part in record_block(bo, past):
        console.print(part)
    text = console.export_text()
    assert "cup breakouts: 2,078 signals, 32% failed, median 63d +3.6% vs +3.5% all days" in text
    assert "alerts" in text
    # 2 decided (1 failed); the median of +10.0 and -4.0
    assert "3 confirmed breakouts in 5 years, 1 of 2 decided failed, median 63d +3.0%" in text
