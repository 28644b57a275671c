"""One truth across the faces: the watchlist, the sector pane, the drill-down and `scan --json`
show one breakout state, one level and one sign for "% vs the level" (price / level - 1,
negative below), and a base's status never contradicts the state beside it. The bundled data as
of 2025-12-31, where XLF's flat-base breakout of 12-12 is still confirmed (its 12-11 attempt never
closed more than 1% under the pivot, so it never went back in the base) and XLV sits under its
pivot."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analysis.config import Config
from analysis.facts.watched import base_status
from tests.drilldown_app import widget_text
from tests.frozen_feed import loaded
from tests.test_dashboard import FixedFeed, make_app, table
from tui import format as fmt
from tui.cli import main

DAY = date(2025, 12, 31)


def _scan(capsys, symbols: str) -> dict[str, dict]:
    assert main(["scan", "--source", "sample", "--json", "--asof", DAY.isoformat(),
                 "--symbols", symbols]) == 0
    return {r["symbol"]: r for r in json.loads(capsys.readouterr().out)["symbols"]}


def test_scan_json_gives_the_price_against_the_level_negative_below(capsys):
    rows = _scan(capsys, "XLF,XLV")
    xlf, xlv = rows["XLF"], rows["XLV"]
    for row in (xlf, xlv):
        bo = row["breakout"]
        assert bo["pct_vs_level"] == pytest.approx((row["close"] / bo["level"] - 1) * 100)
    assert xlf["breakout"]["state"] == "confirmed" and xlf["breakout"]["pct_vs_level"] > 0
    assert xlv["breakout"]["state"] == "near" and xlv["breakout"]["pct_vs_level"] < 0


def test_the_watched_base_status_agrees_with_the_breakout_state_in_the_scan(capsys):
    xlf = _scan(capsys, "XLF")["XLF"]
    base = xlf["bases"][0]
    assert base["pivot"] == pytest.approx(xlf["breakout"]["level"])
    # find_bases alone calls this base failed (its first attempt, 12-11, closed back under);
    # the breakout state follows the second attempt, and the base shown with it says so too.
    assert base["status"] == "broken_out" == base_status(xlf["breakout"]["state"])


@pytest.mark.parametrize(("value", "text"), [
    (-2.745, "-2.7%"), (0.31, "+0.3%"), (-0.04, "0.0%"), (-40.1, "-40%"), (None, "—"),
])
def test_the_price_against_a_level_is_signed_negative_below(value, text):
    assert fmt.vs_level(value) == text


def test_state_labels_wide_compact_and_for_a_state_without_a_label():
    assert [fmt.state_label(s) for s in ("breaking", "near", "failed")] == [
        "BREAKING", "near", "FAILED"]
    assert fmt.state_label("breaking", compact=True) == "BREAK"
    assert fmt.state_label("back_in_base") == "in base"  # short: it fits the state columns
    assert fmt.state_label("some_new_state") == "some new state"  # no label: its words


@pytest.mark.parametrize(("state", "status"), [
    ("below", "forming"), ("near", "forming"), ("breaking", "broken_out"),
    ("confirmed", "broken_out"), ("extended", "broken_out"), ("failed", "failed"),
])
def test_each_breakout_state_implies_one_base_status(state, status):
    assert base_status(state) == status


async def test_xlf_reads_the_same_in_the_watchlist_the_sector_pane_and_the_drilldown(capsys):
    rows = _scan(capsys, "XLF,XLV")
    app = make_app(FixedFeed(Config(), day=DAY))
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, app)
        snap = app.latest.snapshot
        wl, sectors = table(app, "watchlist"), table(app, "sectors")
        for sym in ("XLF", "XLV"):
            bo = snap.symbols[sym].breakout
            # the snapshot the panes render is the one the scan prints
            assert bo.state == rows[sym]["breakout"]["state"]
            assert bo.level == pytest.approx(rows[sym]["breakout"]["level"])
            gap = fmt.vs_level(bo.pct_vs_level)
            label = fmt.state_label(bo.state)
            assert wl.get_cell(sym, "state").plain.split() == [
                label, gap, f"@{fmt.price(bo.level, True)}"]
            assert sectors.get_cell(sym, "gap").plain.strip() == gap
            assert sectors.get_cell(sym, "state").plain.split() == [label, fmt.short_date(bo.since)]
            assert sectors.get_cell(sym, "pivot").plain.strip() == fmt.price(bo.level, True)
        assert wl.get_cell("XLF", "state").plain.split()[:2] == ["CONFIRMED", "+0.5%"]
        assert sectors.get_cell("XLF", "gap").plain.strip() == "+0.5%"
        assert sectors.get_cell("XLV", "gap").plain.strip() == "-2.6%"
        assert wl.get_cell("XLV", "state").plain.split()[:2] == ["near", "-2.6%"]
        # the base beside the state: broken out (↑), not failed (✗)
        assert sectors.get_cell("XLF", "base").plain.strip() == "flat base↑"

        await pilot.press("2")
        while sectors.cursor_key() != "XLF":
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause(0.5)
        text = widget_text(app.screen.query_one("#dd-facts"))
        words = " ".join(text.split())
        assert "state CONFIRMED since 2025-12-12" in words
        assert "price +0.5% vs it" in words
        assert "flat base (broken out)" in text and "(failed)" not in text


def test_every_rs_arrow_and_quadrant_reads_off_the_numbers_shown(capsys):
    assert main(["scan", "--source", "sample", "--json", "--asof", "2025-12-09"]) == 0
    doc = json.loads(capsys.readouterr().out)
    shown = [r["rs"] for r in doc["symbols"] if r["rs"]] + [doc["market"]["pair"]]
    assert len(shown) > 10
    for rs in shown:
        text = fmt.rs_change(rs["trend"], rs["change_1m"])
        arrow, number = text[0], float(text[1:].rstrip("%"))
        assert arrow == ("↑" if number > 1 else "↓" if number < -1 else "→"), text
        sign3, sign1 = round(rs["change_3m"], 1) >= 0, round(rs["change_1m"], 1) >= 0
        assert rs["quadrant"] == {(True, True): "leading", (True, False): "weakening",
                                  (False, False): "lagging", (False, True): "improving"}[
                                      (sign3, sign1)]
    rows = {r["symbol"]: r["rs"] for r in doc["symbols"]}
    assert rows["KRE"]["quadrant"] == "improving" and rows["XLK"]["quadrant"] == "leading"


async def test_the_sector_pane_and_the_drilldown_show_the_same_resistance_zone():
    from analysis.facts.watched import nearest_overhead

    app = make_app(FixedFeed(Config(), day=DAY))
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, app)
        sectors = table(app, "sectors")
        for etf in sectors.visible_keys():
            facts = app.latest.snapshot.symbols[etf]
            zone = nearest_overhead(facts.zones, facts.last)
            text = sectors.get_cell(etf, "zone").plain.strip()
            if zone is None:
                assert text == fmt.DASH
            else:
                assert text.startswith(f"{fmt.price(zone.low, True)}-{fmt.price(zone.high, True)}")
