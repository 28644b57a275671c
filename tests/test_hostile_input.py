"""Hostile symbols and search strings — path traversal, SQL quotes, control characters, 10,000
characters, Unicode look-alikes, empty, whitespace, shell metacharacters — are rejected with a
message everywhere a symbol enters: ``validate_symbol``, `basewatch scan --symbols`, the bar
store, the csv folder source, the Yahoo source, `basewatch data fetch`, and the dashboard's add
prompt. The dashboard's filter takes any text without breaking and without interpreting it."""

from __future__ import annotations

import sqlite3

import pytest

from analysis.config import Config
from analysis.sources.csvdir import CsvDirSource
from analysis.sources.sample import load_sample
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource
from analysis.symbols import SymbolError, parse_symbols, validate_symbol
from tests.frozen_feed import NOW, FrozenFeed, loaded
from tui.cli import build_parser, main
from tui.commands import data

HOSTILE = {
    "traversal": "../../etc/passwd",
    "traversal-dots": "..",
    "traversal-backslash": "..\\..\\boot.ini",
    "absolute-path": "/etc/passwd",
    "inner-slash": "SPY/../KRE",
    "url-encoded": "%2e%2e%2fetc",
    "sql-drop": "'; DROP TABLE bars; --",
    "sql-or": "SPY' OR '1'='1",
    "sql-quote": '"SPY"',
    "nul": "SPY\x00",
    "newline": "SP\nY",
    "escape-sequence": "\x1b[31mSPY",
    "bell": "SPY\x07",
    "carriage-return": "SPY\rKRE",
    "10000-chars": "A" * 10_000,
    "10000-nuls": "S" + "\x00" * 10_000,
    "cyrillic-lookalike": "\u0405\u0420Y",  # S and P in Cyrillic
    "fullwidth": "\uff33\uff30\uff39",
    "zero-width": "SPY\u200b",
    "rtl-override": "\u202eYPS",
    "accented": "\u0160PY",
    "empty": "",
    "spaces": "   ",
    "tabs-newlines": "\t\n ",
    "shell-subst": "$(rm -rf ~)",
    "backticks": "`reboot`",
    "pipe": "SPY|cat",
    "redirect": "SPY>out",
    "glob": "*",
    "tilde": "~",
    "semicolon": "SPY;ls",
    "ampersand": "SPY&&ls",
    "leading-dash": "-rf",
    "markup": "[/]",
    "markup-style": "[bold red]SPY",
}
CASES = [pytest.param(v, id=k) for k, v in HOSTILE.items()]
# In a LIST of symbols (scan --symbols, data fetch, parse_symbols) whitespace separates symbols:
# these are not one hostile symbol there, and are tested on their own below.
BLANK = {"empty", "spaces", "tabs-newlines"}
SPLIT = {"newline", "carriage-return"}
LIST_CASES = [pytest.param(v, id=k) for k, v in HOSTILE.items() if k not in BLANK | SPLIT]


def no_control_chars(message: str) -> bool:
    """Nothing that could move the cursor, recolour or ring the terminal when printed."""
    return all(ch.isprintable() for ch in message)


# -------------------------------------------------------------------------------- the validator

@pytest.mark.parametrize("raw", CASES)
def test_validate_symbol_rejects_with_a_short_printable_message(raw):
    with pytest.raises(SymbolError) as info:
        validate_symbol(raw)
    message = str(info.value)
    assert message and "symbol" in message
    assert len(message) < 200 and no_control_chars(message)


@pytest.mark.parametrize("raw", LIST_CASES)
def test_a_list_with_one_hostile_symbol_is_rejected_whole(raw):
    with pytest.raises(SymbolError):
        parse_symbols(f"SPY, {raw}, KRE")


def test_in_a_list_whitespace_of_any_kind_only_separates():
    assert parse_symbols("SP\nY") == ["SP", "Y"]
    assert parse_symbols("SPY\rKRE\t,XLK") == ["SPY", "KRE", "XLK"]
    for name in BLANK:
        assert parse_symbols(HOSTILE[name]) == []


# ---------------------------------------------------------------------------------- the commands

@pytest.mark.parametrize("raw", [*LIST_CASES, *(pytest.param(HOSTILE[k], id=k) for k in BLANK)])
def test_scan_symbols_exits_2_with_one_line(capsys, raw):
    assert main(["scan", "--source", "sample", f"--symbols={raw}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("basewatch: ")
    assert "symbol" in lines[0] and no_control_chars(lines[0]) and len(lines[0]) < 220


@pytest.mark.parametrize("raw", LIST_CASES)
def test_data_fetch_exits_2_before_any_request(fake_yahoo, capsys, raw):
    args = build_parser().parse_args(["data", "fetch", "--", "SPY", raw])
    from tui.cli import UsageError

    try:
        code = data.run(args, session=fake_yahoo)
    except (SymbolError, UsageError) as exc:  # what main() turns into exit code 2
        code, err = 2, str(exc)
    else:
        err = capsys.readouterr().err
    assert code == 2, err
    assert fake_yahoo.log == []  # not even SPY was asked for
    assert "symbol" in err and no_control_chars(err.strip())
    assert not BarStore().symbols()


def test_data_fetch_through_main_exits_2(capsys):
    assert main(["data", "fetch", "SPY", "../../etc/passwd"]) == 2
    assert "not a valid symbol" in capsys.readouterr().err
    for name in BLANK:  # nothing but blanks: no symbols, and not the whole config either
        assert main(["data", "fetch", "--", HOSTILE[name]]) == 2
        assert "no symbols to fetch" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ the store

@pytest.mark.parametrize("raw", CASES)
def test_the_store_api_refuses_before_any_sql(user_dirs, raw):
    store = BarStore()
    store.upsert("SPY", load_sample("SPY").iloc[:50], "yahoo")
    path = store.path
    calls = [
        lambda: store.upsert(raw, load_sample("KRE").iloc[:5], "yahoo"),
        lambda: store.upsert(raw, load_sample("KRE").iloc[:5], "yahoo", replace=True),
        lambda: store.load(raw),
        lambda: store.last_timestamp(raw),
        lambda: store.last_bar(raw),
        lambda: store.fetched_at(raw),
    ]
    for call in calls:
        with pytest.raises(SymbolError):
            call()
    store.close()
    with sqlite3.connect(path) as conn:  # the database is as it was
        assert conn.execute("SELECT DISTINCT symbol FROM bars").fetchall() == [("SPY",)]
        assert conn.execute("SELECT COUNT(*) FROM bars").fetchone() == (50,)
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                } == {"bars", "symbols", "meta"}


# ------------------------------------------------------------------------------- the csv source

@pytest.mark.parametrize("raw", CASES)
def test_the_csv_folder_source_names_the_bad_symbol_and_reads_nothing_outside(tmp_path, raw):
    folder = tmp_path / "bars"
    folder.mkdir()
    header = "Date,Open,High,Low,Close,Volume\n"
    (folder / "SPY.csv").write_text(header + "2025-01-02,1,2,0.5,1.5,100\n")
    # files a traversal could reach, one level up and at the root of the temp dir
    (tmp_path / "passwd.csv").write_text(header + "2025-01-02,9,9,9,9,9\n")
    (tmp_path / "secret.csv").write_text(header + "2025-01-02,9,9,9,9,9\n")
    result = CsvDirSource(folder).fetch(["SPY", raw])
    assert list(result.bars) == ["SPY"]
    assert set(result.errors) == {raw}
    assert "symbol" in result.errors[raw] and no_control_chars(result.errors[raw])


# ----------------------------------------------------------------------------- the Yahoo source

def test_the_yahoo_source_never_puts_a_hostile_symbol_in_a_url(fake_yahoo):
    result = YahooSource(session=fake_yahoo, deadline=20.0, backoff=0.05).fetch(
        ["SPY", *HOSTILE.values()])
    assert list(result.bars) == ["SPY"]
    assert set(result.errors) == set(HOSTILE.values())
    assert {r.symbol for r in fake_yahoo.log if r.symbol} == {"SPY"}
    for req in fake_yahoo.log:
        assert req.path.isascii() and ".." not in req.path and len(req.path) < 80


# ------------------------------------------------------------------------------- the dashboard





def shown(widget, which: str = "title") -> str:
    """The text of a widget's border title/subtitle as drawn. (The public attribute returns it as
    markup, which does not round-trip text like "[A-Z]+"; Textual keeps what it draws here.)"""
    content = getattr(widget, f"_border_{which}")
    return "" if content is None else content.plain


async def test_the_add_prompt_rejects_every_hostile_symbol_with_a_message(user_dirs):
    from tui.app import BasewatchApp
    from tui.widgets.symbol_input import SymbolInput

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        before = list(app.watchlist)
        await pilot.press("a")
        prompt = app.screen.query_one(SymbolInput)
        for name, raw in HOSTILE.items():  # the prompt stays open after each refusal
            prompt.value = raw
            await pilot.press("enter")
            said = shown(prompt, "subtitle")
            assert "symbol" in said, (name, said)
            assert prompt.display and prompt.has_class("-error"), name
            assert no_control_chars(said), name
        await pilot.press("escape")
        assert not prompt.display
        assert app.watchlist == before
        assert not (user_dirs["data"] / "state.json").exists()  # nothing was saved


async def test_the_filter_takes_any_text_and_matches_it_literally():
    from tui.app import BasewatchApp
    from tui.widgets.symbol_input import SymbolInput

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        watchlist = app.screen.query_one("#watchlist")
        await pilot.press("slash")
        prompt = app.screen.query_one(SymbolInput)
        cases = [*HOSTILE.items(), ("regex", ".*"), ("regex-class", "[A-Z]+"), ("real", "xl")]
        for name, raw in cases:  # the panes filter as the user types
            prompt.value = raw
            await pilot.pause()
            text = raw.strip().lower()
            expected = [s for s in config.watchlist if not text or text in s.lower()]
            assert watchlist.visible_keys() == expected, name  # a literal substring
            title = shown(watchlist)
            assert no_control_chars(title) and len(title) < 80, name  # echoed safely, cut short
            if text and text.isprintable() and len(text) <= 24:  # else shown as typed
                assert f"filter: {raw.strip()} (" in title, name
        await pilot.press("enter")  # keeps the last filter ("xl")
        assert watchlist.visible_keys() == [s for s in config.watchlist if "XL" in s]
        prompt.value = "[/]"
        await pilot.press("enter")
        assert "filter: [/] (0 of " in shown(watchlist)
        await pilot.press("slash", "escape")
        assert watchlist.visible_keys() == list(config.watchlist)
