"""The app state file: round trip, atomic writes that survive crashes and a full disk, recovery
from a corrupt file, hostile symbols rejected, and the pure watchlist edits."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import analysis.state as state_mod
from analysis.paths import state_file
from analysis.state import (
    AppState,
    StateError,
    StateWarning,
    WatchlistError,
    add_symbol,
    create_watchlist,
    cycle_watchlist,
    default_state,
    delete_watchlist,
    load_state,
    move_symbol,
    remove_symbol,
    save_state,
    switch_watchlist,
)
from analysis.symbols import SymbolError

HOSTILE = ["../../etc/passwd", "A;rm -rf ~", "\x1b[31mRED", "", "   ", "SPY\nQQQ", "A" * 21,
           "$(reboot)", "BTC USD", "A..B", "ÄPFEL", "SPY'--"]


@pytest.fixture
def work(tmp_path) -> Path:
    """A folder of its own (tmp_path also holds the user dirs)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def sample_state() -> AppState:
    s = default_state(("SPY", "QQQ", "IWM"))
    s = create_watchlist(s, "crypto", ["BTC-USD", "ETH-USD"])
    s = switch_watchlist(s, "crypto")
    return AppState(watchlists=s.watchlists, active=s.active, theme="gruvbox",
                    race_start="2025-12-09")


def test_round_trip_keeps_everything(work):
    path = work / "state.json"
    original = sample_state()
    save_state(original, path)
    loaded = load_state(path)
    assert loaded == original
    assert list(loaded.watchlists) == ["default", "crypto"]  # order kept
    assert loaded.symbols == ("BTC-USD", "ETH-USD")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["watchlists"]["default"] == ["SPY", "QQQ", "IWM"]
    assert on_disk["active"] == "crypto" and on_disk["version"] == 1


def test_default_path_is_in_the_data_dir_and_its_folder_is_created(user_dirs):
    import shutil

    shutil.rmtree(user_dirs["data"])
    written = save_state(sample_state())
    assert written == state_file() == user_dirs["data"] / "state.json"
    assert load_state() == sample_state()


def test_missing_file_gives_one_default_watchlist(work):
    s = load_state(work / "nope.json", default_watchlist=("XLK", "SMH"))
    assert dict(s.watchlists) == {"default": ("XLK", "SMH")}
    assert s.active == "default" and s.theme is None and s.race_start is None
    assert not (work / "nope.json").exists()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "state.json")


@pytest.mark.parametrize("victim", ["replace", "fsync"])
def test_failure_between_write_and_rename_leaves_the_old_file(work, monkeypatch, victim):
    path = work / "state.json"
    old = default_state(("SPY",))
    save_state(old, path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(state_mod.os, victim, boom)
    with pytest.raises(StateError, match="state.json"):
        save_state(sample_state(), path)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert load_state(path) == old
    assert _leftovers(work) == []  # the temp file was cleaned up


def test_full_disk_leaves_the_old_state(work, request):
    """Writes go to /dev/full, which fails every write with ENOSPC, like a full disk."""
    path = work / "state.json"
    old = default_state(("SPY", "QQQ"))
    save_state(old, path)
    before = path.read_bytes()
    request.getfixturevalue("full_disk")  # from here on the disk is full
    with pytest.raises(StateError, match="No space left"):
        save_state(sample_state(), path)
    assert path.read_bytes() == before
    assert load_state(path) == old
    assert _leftovers(work) == []


CRASH_BEFORE_RENAME = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import analysis.state as st
    path = Path(sys.argv[1])
    def die(*a, **k):  # the process is killed after the write, before the rename
        os.kill(os.getpid(), signal.SIGKILL)
    st.os.replace = die
    st.save_state(st.default_state(("XLK", "SMH", "SOXX")), path)
""")


def test_killed_between_write_and_rename_the_old_file_stays_valid(work):
    path = work / "state.json"
    old = sample_state()
    save_state(old, path)
    proc = subprocess.run([sys.executable, "-c", CRASH_BEFORE_RENAME, str(path)],
                          timeout=60, capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert load_state(path) == old
    leftovers = _leftovers(work)
    assert len(leftovers) == 1 and leftovers[0].endswith(".tmp")  # the written-but-unrenamed file


SAVE_FOREVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import analysis.state as st
    path = Path(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        syms = tuple(f"S{j}" for j in range(i % 300 + 1))  # sizes vary, so a torn write shows
        st.save_state(st.default_state(syms), path)
""")


def test_killing_the_process_at_random_moments_never_leaves_a_broken_file(work):
    path = work / "state.json"
    save_state(default_state(("SPY",)), path)
    deadline = time.monotonic() + 60
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", SAVE_FOREVER, str(path)],
                                stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        data = json.loads(path.read_text(encoding="utf-8"))  # always complete JSON
        syms = data["watchlists"]["default"]
        assert syms == ["SPY"] or syms == [f"S{j}" for j in range(len(syms))]
        assert time.monotonic() < deadline


@pytest.mark.parametrize("content", [
    b"{not json", b"", b"\x00\xff\xfe garbage", b"[]", b'{"watchlists": {}}',
    b'{"watchlists": {"default": "SPY"}}', b'{"watchlists": []}',
    b'{"watchlists": {"\\u001b[31m": ["SPY"]}}', b'{"active": "x", "watchlists": {"d": ["SP',
    b"[" * 100000,
])
def test_corrupt_file_is_moved_aside_with_a_warning(work, content):
    path = work / "state.json"
    path.write_bytes(content)
    with pytest.warns(StateWarning, match="moved to") as said:
        s = load_state(path, default_watchlist=("IWM",))
    assert not any("are kept" in str(w.message) for w in said)  # nothing of the file is kept
    assert dict(s.watchlists) == {"default": ("IWM",)}
    assert not path.exists()
    aside = [p for p in work.iterdir() if p.name.startswith("state.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    save_state(s, path)  # and life goes on
    assert load_state(path) == s


def test_one_bad_watchlist_is_dropped_and_the_others_kept(work):
    path = work / "state.json"
    content = json.dumps({"version": 1, "active": "semis", "theme": "gruvbox", "watchlists": {
        "default": ["SPY", "QQQ"], "bad/name": ["XLF"], "semis": ["SMH", "SOXX"],
        "not a list": "KRE"}})
    path.write_text(content, encoding="utf-8")
    messages: list[str] = []
    s = load_state(path, warn=messages.append)
    assert dict(s.watchlists) == {"default": ("SPY", "QQQ"), "semis": ("SMH", "SOXX")}
    assert s.active == "semis" and s.theme == "gruvbox"
    assert len(messages) == 2
    assert messages[0].startswith(f"the state file {path}: dropped the watchlist 'bad/name': ")
    assert "is not a watchlist name" in messages[0] and "other watchlists are kept" in messages[0]
    assert "dropped the watchlist 'not a list'" in messages[1]
    assert path.read_text(encoding="utf-8") == content  # not moved aside, not rewritten
    assert not any(p.name.startswith("state.json.corrupt-") for p in work.iterdir())


def test_warnings_can_be_collected_instead(work):
    path = work / "state.json"
    path.write_text("{oops", encoding="utf-8")
    messages: list[str] = []
    load_state(path, warn=messages.append)
    assert len(messages) == 1 and str(path) in messages[0]


def test_hostile_symbols_in_the_file_are_dropped_and_the_rest_kept(work):
    path = work / "state.json"
    path.write_text(json.dumps({"version": 1, "active": "default",
                                "watchlists": {"default": ["SPY", *HOSTILE, "qqq"]}}),
                    encoding="utf-8")
    with pytest.warns(StateWarning) as caught:
        s = load_state(path)
    assert s.symbols == ("SPY", "QQQ")
    assert len(caught) == len(HOSTILE)
    assert path.exists()  # not corrupt, just cleaned


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_symbols_are_rejected_by_the_edits(bad):
    s = default_state(("SPY",))
    with pytest.raises(SymbolError):
        add_symbol(s, bad)
    with pytest.raises(SymbolError):
        create_watchlist(s, "x", ["SPY", bad])
    assert s.symbols == ("SPY",)


def test_save_refuses_a_state_with_a_hostile_symbol(work):
    path = work / "state.json"
    save_state(default_state(("SPY",)), path)
    before = path.read_bytes()
    smuggled = AppState(watchlists={"default": ("SPY", "../../x")})
    with pytest.raises(SymbolError):
        save_state(smuggled, path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["", "   ", "a/b", "../x", "\x1b[2J", "x" * 31, "tab\there"])
def test_bad_watchlist_names_are_rejected(name):
    with pytest.raises(WatchlistError):
        create_watchlist(default_state(), name)


def test_add_and_remove_symbols():
    s = default_state(("SPY", "QQQ"))
    s2 = add_symbol(s, " xlk ")
    assert s2.symbols == ("SPY", "QQQ", "XLK")
    assert s.symbols == ("SPY", "QQQ")  # the original is untouched
    assert add_symbol(s2, "XLK") is s2  # already there
    assert remove_symbol(s2, "qqq").symbols == ("SPY", "XLK")
    assert remove_symbol(s2, "IWM") is s2


@pytest.mark.parametrize("sym, delta", [("A", 1), ("A", -1), ("C", -2), ("C", 5), ("B", -9),
                                        ("E", -1), ("B", 2), ("D", 0)])
def test_move_symbol_matches_a_hand_reorder(sym, delta):
    start = ["A", "B", "C", "D", "E"]
    expected = list(start)
    i = expected.index(sym)
    j = i
    step = 1 if delta > 0 else -1
    for _ in range(abs(delta)):  # move one place at a time, stopping at the ends
        if 0 <= j + step < len(expected):
            expected[j], expected[j + step] = expected[j + step], expected[j]
            j += step
    s = move_symbol(default_state(start), sym, delta)
    assert list(s.symbols) == expected


def test_move_symbol_not_in_the_list_is_an_error():
    with pytest.raises(WatchlistError):
        move_symbol(default_state(("SPY",)), "QQQ", 1)


def test_named_watchlists_create_switch_cycle_delete():
    s = default_state(("SPY",))
    s = create_watchlist(s, " Semis ", ["smh", "SOXX", "SMH"])
    assert s.names == ("default", "Semis") and s.active == "default"
    assert s.watchlists["Semis"] == ("SMH", "SOXX")
    with pytest.raises(WatchlistError, match="already exists"):
        create_watchlist(s, "Semis")
    s = switch_watchlist(s, "Semis")
    assert s.symbols == ("SMH", "SOXX")
    s = add_symbol(s, "NVDA")
    assert s.watchlists["Semis"] == ("SMH", "SOXX", "NVDA")
    assert s.watchlists["default"] == ("SPY",)
    with pytest.raises(WatchlistError, match="no watchlist"):
        switch_watchlist(s, "nope")
    s = create_watchlist(s, "third")
    assert [cycle_watchlist(s).active, cycle_watchlist(s, -1).active] == ["third", "default"]
    assert cycle_watchlist(switch_watchlist(s, "third")).active == "default"
    s = delete_watchlist(s, "Semis")
    assert s.names == ("default", "third") and s.active == "default"
    with pytest.raises(WatchlistError, match="last"):
        delete_watchlist(delete_watchlist(s, "third"), "default")


def test_edits_survive_a_save_and_load(work):
    path = work / "state.json"
    s = default_state(("SPY", "QQQ"))
    for step in (lambda x: add_symbol(x, "XLF"), lambda x: move_symbol(x, "XLF", -2),
                 lambda x: create_watchlist(x, "crypto", ["BTC-USD"]),
                 lambda x: switch_watchlist(x, "crypto"), lambda x: remove_symbol(x, "BTC-USD")):
        s = step(s)
        save_state(s, path)
        assert load_state(path) == s
    assert load_state(path).watchlists["default"] == ("XLF", "SPY", "QQQ")


def test_unknown_active_list_in_the_file_falls_back_to_the_first(work):
    path = work / "state.json"
    path.write_text(json.dumps({"active": "gone", "watchlists": {"a": ["SPY"], "b": []}}),
                    encoding="utf-8")
    s = load_state(path)
    assert s.active == "a" and s.watchlists["b"] == ()


def test_watchlist_names_differing_only_in_case_are_the_same_name():
    state = create_watchlist(AppState(watchlists={"default": ("SPY",)}, active="default"), "Semis")
    with pytest.raises(WatchlistError, match="'Semis' already exists"):
        create_watchlist(state, "semis")


def test_add_symbol_at_a_place_inserts_it_there_and_clamps_the_place():
    from analysis.state import add_symbol, default_state

    state = default_state(("SPY", "IWM", "KRE"))
    assert add_symbol(state, "XLF", at=1).symbols == ("SPY", "XLF", "IWM", "KRE")
    assert add_symbol(state, "XLF", at=99).symbols == ("SPY", "IWM", "KRE", "XLF")
    assert add_symbol(state, "SPY", at=2) is state
