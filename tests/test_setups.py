"""The setups screen (u) driven from the keyboard against the bundled real bars with a universe of
sample ETFs: rows, RS ratings, sorting both ways, the filter (words and RS bounds), Enter and
[ / ] through the filtered list, Esc, rows updated in place, and 2,000 members."""

from __future__ import annotations

import dataclasses

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from analysis.universe import Member, Universe
from tests.frozen_feed import loaded
from tests.test_dashboard import DAY, make_app
from tui.screens.setups import SetupsScreen
from tui.widgets.setups_table import SetupsTable, parse_filter

MEMBERS = (
    Member("XLK", "TECHNOLOGY SELECT SECTOR SPDR", "Information Technology"),
    Member("SOXX", "ISHARES SEMICONDUCTOR ETF", "Information Technology"),
    Member("SMH", "VANECK SEMICONDUCTOR ETF", "Information Technology"),
    Member("XLF", "FINANCIAL SELECT SECTOR SPDR", "Financials"),
    Member("KRE", "SPDR S&P REGIONAL BANKING", "Financials"),
    Member("XLI", "INDUSTRIAL SELECT SECTOR SPDR", "Industrials"),
    Member("XLV", "HEALTH CARE SELECT SECTOR SPDR", "Health Care"),
    Member("IJR", "ISHARES CORE S&P SMALL-CAP", ""),
)
UNIVERSE = Universe("etfs.csv", MEMBERS)


class UniverseFeed:
    """The live pipeline over the bundled data with a universe, frozen at one session."""

    def __init__(self, config: Config, universe: Universe | None = UNIVERSE) -> None:
        self.pipeline = Pipeline(config, SampleSource(), universe)
        self.calls = 0

    def next(self, symbols):
        self.calls += 1
        return self.pipeline.refresh(symbols, asof=DAY)

    def delay(self, refresh) -> float:
        return 3600.0

    def label(self, refresh) -> str:
        return "LIVE"


def _app(universe: Universe | None = UNIVERSE):
    config = Config()
    return make_app(UniverseFeed(config, universe), config)


async def _open(pilot, app) -> SetupsTable:
    await loaded(pilot, app)
    await pilot.press("u")
    await pilot.pause()
    assert isinstance(app.screen, SetupsScreen)
    return app.screen.query_one(SetupsTable)


def _ratings(app) -> dict[str, int]:
    return dict(app.latest.snapshot.universe.rs_rating)


async def test_u_opens_one_row_per_member_sorted_by_rs():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        ratings = _ratings(app)
        assert set(table.visible_keys()) == {m.symbol for m in MEMBERS}
        assert table.visible_keys() == sorted(ratings, key=lambda s: -ratings[s])
        assert table.get_cell("XLK", "rs").plain == str(ratings["XLK"])
        assert table.get_cell("KRE", "sector").plain == "Finance"  # 8 letters at most
        assert table.get_cell("XLK", "name").plain == "Techno…"  # upper case -> title, cut to 7
        # the Fail column: the bundled record's failure rate of the kind of breakout watched
        from analysis.facts.level_kinds import level_kind
        from analysis.track_record.record import kind_record

        kre = app.latest.snapshot.symbols["KRE"].breakout
        rec = kind_record(f"breakout {level_kind(kre.level_source)}")
        assert table.get_cell("KRE", "record").plain == f"{rec.failure_rate:.0f}%"
        facts = app.latest.snapshot.symbols["KRE"]
        assert table.get_cell("KRE", "pivot").plain != "—" and facts.breakout is not None
        assert "RS ↓" in str(table.border_title)
        breadth = str(app.screen.query_one("#breadth").render())
        assert "Breadth 8 members" in breadth


async def test_sort_any_column_both_directions():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        table.sort_by("symbol", descending=False)
        await pilot.pause()
        assert table.visible_keys() == sorted(m.symbol for m in MEMBERS)
        await pilot.press("S")
        assert table.visible_keys() == sorted((m.symbol for m in MEMBERS), reverse=True)
        await pilot.press("s")  # the next column of the layout: Name, A to Z
        assert table.sort_key == "name" and not table.descending
        names = {m.symbol: m.name.lower() for m in MEMBERS}
        assert table.visible_keys() == sorted(names, key=names.get)
        table.sort_by("chg")
        snap = app.latest.snapshot
        changes = [snap.symbols[s].change_pct for s in table.visible_keys()]
        assert changes == sorted(changes, reverse=True)
        from tui.widgets.setups_table import failure_rate

        table.sort_by("record", descending=False)  # the lowest measured failure rate first
        rates = [failure_rate(snap.symbols[s].breakout) for s in table.visible_keys()]
        known = [r for r in rates if r is not None]
        assert known and known == sorted(known) and rates[: len(known)] == known


async def test_filter_by_sector_word_and_rs_bound_then_esc_clears_then_leaves():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        await pilot.press("slash", *"techn", "enter")
        assert set(table.visible_keys()) == {"XLK", "SOXX", "SMH"}
        ratings = _ratings(app)
        await pilot.press("slash", *"techn rs>50", "enter")  # the prompt starts selected
        assert table.filter_text == "techn rs>50"
        assert set(table.visible_keys()) == {s for s in ("XLK", "SOXX", "SMH") if ratings[s] > 50}
        await pilot.press("escape")
        assert len(table.visible_keys()) == len(MEMBERS)
        await pilot.press("escape")
        assert not isinstance(app.screen, SetupsScreen)


async def test_enter_charts_the_member_and_brackets_step_through_the_filtered_list():
    from tui.screens.drilldown import DrilldownScreen

    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        await pilot.press("slash", *"financials", "enter")
        table.sort_by("symbol", descending=False)
        await pilot.pause()
        assert table.visible_keys() == ["KRE", "XLF"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrilldownScreen)
        assert app.screen.symbol == "KRE" and app.screen.symbols == ["KRE", "XLF"]
        await pilot.press("right_square_bracket")
        assert app.screen.symbol == "XLF"


async def test_rows_update_in_place_and_the_cursor_stays():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        await pilot.press("down", "down")
        keep = table.cursor_key()
        app.request_refresh()
        await loaded(pilot, app, 2)
        assert app.screen.query_one(SetupsTable) is table
        assert table.cursor_key() == keep and table.row_count == len(MEMBERS)


async def test_without_a_universe_the_screen_says_how_to_get_one():
    app = _app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        assert table.row_count == 0
        assert "--universe FILE" in str(app.screen.query_one("#breadth").render())


async def test_80x24_shows_symbol_rs_and_state_first():
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _open(pilot, app)
        assert [str(c.key.value) for c in table.ordered_columns][:3] == ["symbol", "rs", "state"]


def test_parse_filter_words_and_bounds():
    f = parse_filter("Tech  near rs>=80 rs<95")
    assert f.words == ("tech", "near")
    assert f.matches("xlk tech near", 80) and not f.matches("xlk tech near", 95)
    assert not f.matches("xlk tech near", None)
    assert not f.matches("xlk tech below", 85)
    assert parse_filter("rs>abc").words == ("rs>abc",)


async def test_two_thousand_members_render_and_scroll():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        snap = app.latest.snapshot
        facts = snap.symbols["KRE"]
        many = tuple(Member(f"M{i:04d}", f"MEMBER {i}", "Financials") for i in range(2000))
        uni = dataclasses.replace(snap.universe, members=many,
                                  rs_rating={m.symbol: 1 + i % 99 for i, m in enumerate(many)})
        big = dataclasses.replace(
            snap, universe=uni,
            symbols={**snap.symbols,
                     **{m.symbol: dataclasses.replace(facts, symbol=m.symbol) for m in many}})
        app.latest = dataclasses.replace(app.latest, snapshot=big)
        await pilot.press("u")
        await pilot.pause()
        table = app.screen.query_one(SetupsTable)
        assert table.row_count == 2000
        await pilot.press("end", "pagedown")
        await pilot.press("slash", *"rs>97", "enter")
        # rating 1 + i % 99 is 98 for i = 97, 196, ..., 1978 and 99 for i = 98, ..., 1979
        assert table.row_count == 20 + 20


async def test_the_filter_applies_as_you_type_once_the_keys_pause():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        await pilot.press("slash", *"financials")
        await pilot.pause(0.5)
        assert set(table.visible_keys()) == {"XLF", "KRE"}
        await pilot.press("escape")  # cancels the prompt and the filter
        await pilot.pause()
        assert len(table.visible_keys()) == len(MEMBERS)


async def test_members_outside_the_config_are_charted_with_their_streak_studies():
    """XLK and SMH only as members of the universe: the analysis defers their streak studies and
    RS, the drill-down shows them all the same (the studies of their bars: XLK's twelve higher
    closes without precedent, SMH's three with 138 before; every fact that of an analysis of them
    as config symbols), and the histogram has SMH's to show."""
    from analysis.bars import upto
    from analysis.facts.streaks import streak
    from analysis.sources.sample import load_sample
    from tui.screens.drilldown import DrilldownScreen
    from tui.widgets.study_table import StudyTable

    base, outside = Config(), ("XLK", "SMH")
    config = dataclasses.replace(
        base, watchlist=tuple(s for s in base.watchlist if s not in outside),
        sectors=tuple(s for s in base.sectors if s.etf not in outside))
    assert not set(outside) & set(config.universe())
    app = make_app(UniverseFeed(config), config)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open(pilot, app)
        for sym in outside:
            facts = app.latest.snapshot.symbols[sym]
            assert facts.streak.deferred and facts.streak.study is None
        await pilot.press("slash", *"technology", "enter")
        table.sort_by("symbol", descending=True)
        await pilot.pause()
        assert table.visible_keys() == ["XLK", "SOXX", "SMH"]
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        eager = UniverseFeed(base).next(list(base.universe())).snapshot.symbols
        for sym, length, events in (("XLK", 12, 0), ("SMH", 3, 138)):
            assert isinstance(app.screen, DrilldownScreen) and app.screen.symbol == sym
            shown = app.screen.query_one(StudyTable).streak
            want = streak(upto(load_sample(sym), DAY))
            assert want.length == length and want.study.events == events
            assert shown is not None and shown.length == length and shown.study == want.study
            # every fact the chart shows is the one of an analysis of it as a config symbol
            assert app.screen._facts(app.latest) == eager[sym] and eager[sym].rs is not None
            await pilot.press("right_square_bracket", "right_square_bracket")
            await pilot.pause()
        await pilot.press("left_square_bracket", "left_square_bracket")  # back to SMH
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.symbol == "SMH" and app.screen.histogram == 0


def test_sector_names_fit_eight_letters_and_keep_their_meaning():
    from tui.widgets.sector_bases import short_sector

    assert short_sector("Financials", 8) == "Finance"
    assert short_sector("Information Technology", 8) == "Tech"
    assert short_sector("Energy", 8) == "Energy"
    assert short_sector("Information Technology", 11) == "Technology"  # the sector pane's
    assert short_sector("Some New Sector", 8) == "Some Ne…"
