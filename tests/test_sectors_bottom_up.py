"""Sectors ranked from their members: the ranking rule, matching the universe's sector names to
the config's, and the sector pane's member columns with a universe that has sectors."""

from __future__ import annotations

from analysis.universe import Member
from analysis.universe_facts import SectorSetups, _sector_rows, sector_setups
from tests.frozen_feed import loaded
from tests.test_setups import _app
from tui.widgets.sector_bases import SectorBasesTable


def test_sectors_rank_by_members_near_pivots_then_in_base_then_their_rs():
    members = tuple(Member(s, "", sec) for s, sec in (
        ("A1", "Alpha"), ("A2", "Alpha"), ("A3", "Alpha"),
        ("B1", "Beta"), ("B2", "Beta"),
        ("C1", "Gamma"), ("C2", "Gamma"),
        ("D1", "Delta"),
        ("X1", ""),
    ))
    # (in base, near pivot, breaking)
    flags = {"A1": (True, True, False), "A2": (True, False, False), "A3": (False, False, True),
             "B1": (True, True, False), "B2": (True, False, False),
             "C1": (True, True, False), "C2": (False, False, False),
             "D1": (False, False, False), "X1": (True, True, False)}
    ratings = {"A1": 40, "A2": 90, "B1": 80, "B2": 10, "C1": 95, "C2": 50, "D1": 70}
    rows = _sector_rows(members, flags, ratings)
    # one near pivot each for Alpha, Beta, Gamma; Alpha and Beta have two in base; Beta's near
    # member has the higher RS (80 vs 40); Gamma has one in base; Delta none.
    assert [r.sector for r in rows] == ["Beta", "Alpha", "Gamma", "Delta"]
    alpha = rows[1]
    assert alpha == SectorSetups("Alpha", 3, 2, 1, 1, 65.0, 40.0, ("A1",))
    assert rows[3].near_rs is None and rows[3].median_rs == 70.0


def test_config_sector_names_match_the_universe_names():
    rows = (SectorSetups("Communication", 1, 0, 0, 0, None, None, ()),
            SectorSetups("information technology", 1, 0, 0, 0, None, None, ()))
    assert sector_setups("Communication Services", rows) is rows[0]
    assert sector_setups("Information Technology", rows) is rows[1]
    assert sector_setups("Consumer Staples", rows) is None


async def test_sector_pane_shows_members_near_pivots_and_ranks_by_them():
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        pane = app.screen.query_one(SectorBasesTable)
        keys = [str(c.key.value) for c in pane.ordered_columns]
        assert "members" in keys and "members_rs" in keys and "zone" not in keys
        assert "members near pivots" in str(pane.border_title)
        uni = app.latest.snapshot.universe
        tech = sector_setups("Information Technology", uni.sectors)
        assert pane.get_cell("XLK", "members").plain == f"{tech.near_pivot}/{tech.members}"
        assert pane.get_cell("XLY", "members").plain == "—"  # no member in that sector


async def test_without_sectors_the_pane_is_as_before():
    import dataclasses

    from tests.test_setups import UNIVERSE

    bare = dataclasses.replace(UNIVERSE, members=tuple(Member(m.symbol) for m in UNIVERSE.members))
    app = _app(bare)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        pane = app.screen.query_one(SectorBasesTable)
        keys = [str(c.key.value) for c in pane.ordered_columns]
        assert "members" not in keys and "zone" in keys
