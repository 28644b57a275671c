"""Broken files, through the real `basewatch` entry (``tui.cli.main`` in-process, or ``python -m
tui.cli`` in a real process where permissions or a traceback matter): a malformed config, unknown
keys, an unreadable config, a corrupt, unreadable or read-only bar store, a read-only config dir,
and a full disk when the app saves its state. Each asserts what the user sees (exit code 2 and one
line naming the file, line and key; or a warning) and that nothing was lost.

Permissions: the tests run as root, which ignores file modes. A real process run through ``setpriv
--bounding-set=-dac_override,-dac_read_search`` is root without the capabilities that bypass them,
so chmod 000 / 0555 bite as they would for a normal user (as a normal user, chmod just works).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analysis.config import Config
from analysis.sources.sample import load_sample
from analysis.sources.store import BarStore
from tests.frozen_feed import NOW, FrozenFeed
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
SETPRIV = shutil.which("setpriv")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

needs_modes = pytest.mark.skipif(AS_ROOT and SETPRIV is None,
                                 reason="running as root without setpriv: file modes are ignored")


def cli(*args: str, modes: bool = False) -> subprocess.CompletedProcess:
    """`basewatch ARGS` in a real process with this test's user dirs; ``modes``: file permissions
    apply even when the tests run as root."""
    cmd = [sys.executable, "-m", "tui.cli", *args]
    if modes and AS_ROOT:
        cmd = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                          timeout=120)


def one_line_error(err: str) -> str:
    """The single `basewatch: ...` line the user sees (and nothing else: no traceback)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("basewatch: ")
    return lines[0]


# ------------------------------------------------------------------------------------ the config

BAD_CONFIGS = [
    pytest.param('watchlist = ["SPY", "KRE"]\ntheme = "basewatch-dark\n', 2,
                 "not valid TOML", id="unclosed-string"),
    pytest.param('watchlist = ["SPY"]\n\n[refresh]\nmarket_open = 60\nmarket_open = 30\n', 5,
                 "not valid TOML", id="duplicate-key"),
    pytest.param('watchlist = ["SPY"]\nwatchlsit = ["KRE"]\n', 2,
                 "key 'watchlsit': unknown key (known: ", id="unknown-top-level-key"),
    pytest.param('[thresholds]\nnear_pct = 3.0\nnear_pc = 2.0\n', 3,
                 "key 'thresholds.near_pc': unknown key (known: drawdown_pct, near_pct",
                 id="unknown-section-key"),
    pytest.param('[thresholds]\nnear_pct = "three"\n', 2,
                 "key 'thresholds.near_pct': expected a number >= 0, got 'three'", id="wrong-type"),
    pytest.param('watchlist = ["SPY", "../../etc/passwd"]\n', 1,
                 "key 'watchlist': ../../ETC/PASSWD is not a valid symbol", id="hostile-symbol"),
    pytest.param('[race]\nsymbols = ["BTC-USD", "ETH-USD", "SOL-USD"]\n', 2,
                 "key 'race.symbols': a race needs exactly two symbols", id="three-racers"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD_CONFIGS)
@pytest.mark.parametrize("face", [
    ["scan", "--source", "sample"], ["data", "status"], ["data", "fetch", "SPY"], [],
], ids=["scan", "data-status", "data-fetch", "dashboard"])
def test_a_bad_config_stops_every_face_with_file_line_and_key(tmp_path, capsys, text, line,
                                                              words, face):
    path = tmp_path / "config.toml"
    path.write_text(text)
    assert main(["--config", str(path), *face]) == 2  # the dashboard never opens
    out, err = capsys.readouterr()
    message = one_line_error(err)
    assert message.startswith(f"basewatch: {path}, line {line}")
    assert words in message
    assert out == ""
    assert path.read_text() == text  # the user's file is never rewritten


def test_a_broken_config_in_the_default_place_is_not_silently_ignored(user_dirs, capsys):
    path = user_dirs["config"] / "config.toml"
    path.write_text("watchlist = [\n")
    assert main(["scan", "--source", "sample"]) == 2
    assert one_line_error(capsys.readouterr().err).startswith(f"basewatch: {path}")


def test_themes_still_lists_themes_and_notes_the_broken_config(user_dirs, capsys):
    (user_dirs["config"] / "config.toml").write_text("theme = 42\n")
    code = main(["themes"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "basewatch-dark" in out
    assert "key 'theme': expected text, got 42" in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["directory", "not-utf8"])
def test_an_unreadable_config_exits_2_naming_the_file(tmp_path, capsys, kind):
    path = tmp_path / "config.toml"
    if kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b'watchlist = ["SPY"]\ntheme = "\xff\xfe"\n')
    assert main(["--config", str(path), "scan", "--source", "sample"]) == 2
    message = one_line_error(capsys.readouterr().err)
    assert message.startswith(f"basewatch: {path}: cannot read")


@needs_modes
def test_a_config_without_read_permission_exits_2_in_a_real_process(user_dirs):
    path = user_dirs["config"] / "config.toml"
    path.write_text('watchlist = ["SPY"]\n')
    path.chmod(0o000)
    try:
        run = cli("scan", "--source", "sample", modes=True)
    finally:
        path.chmod(0o644)
    assert run.returncode == 2
    message = one_line_error(run.stderr)
    assert f"{path}: cannot read" in message and "Permission denied" in message


@needs_modes
def test_a_read_only_config_dir_is_all_the_app_needs(user_dirs):
    """Basewatch only reads the config dir (config.toml, themes/): read-only is fine."""
    folder = user_dirs["config"]
    (folder / "config.toml").write_text('watchlist = ["KRE", "XLK"]\ncrypto = []\n'
                                        'theme = "basewatch-light"\n')
    (folder / "themes").mkdir()
    before = sorted(p.name for p in folder.rglob("*"))
    for p in (folder / "config.toml", folder / "themes", folder):
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        scan = cli("scan", "--source", "sample", "--json", modes=True)
        themes = cli("themes", modes=True)
    finally:
        for p in (folder, folder / "themes", folder / "config.toml"):
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert scan.returncode == 0, scan.stderr
    doc = json.loads(scan.stdout)
    assert {"KRE", "XLK"} <= {s["symbol"] for s in doc["symbols"]}  # the config was read
    assert themes.returncode == 0, themes.stderr
    assert "* basewatch-light" in themes.stdout
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written there


# ------------------------------------------------------------------------------------ the store

def stored_spy(user_dirs) -> Path:
    with BarStore() as store:
        store.upsert("SPY", load_sample("SPY"), "yahoo")
    return user_dirs["cache"] / "bars.sqlite3"


def asides(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if ".corrupt-" in p.name
                  and not p.name.endswith(("-wal", "-shm")))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-header"])
def test_a_corrupt_store_is_set_aside_with_a_warning_and_nothing_is_lost(user_dirs, capsys,
                                                                         damage):
    path = stored_spy(user_dirs)
    raw = path.read_bytes()
    if damage == "garbage":
        bad = b"this is not a database" * 500
    elif damage == "truncated":
        bad = raw[: len(raw) // 3]
    else:
        bad = b"\0" * 100 + raw[100:]
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.write_bytes(bad)
    assert main(["data", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert f"basewatch: warning: bar store {path} could not be read" in err
    aside = asides(path)
    assert len(aside) == 1 and f"moved it to {aside[0].name}" in err
    assert aside[0].read_bytes() == bad  # the damaged file is kept, byte for byte
    assert "empty: run 'basewatch data fetch'" in out  # and a fresh store works
    with BarStore() as store:
        store.upsert("KRE", load_sample("KRE"), "yahoo")
        assert store.symbols() == ["KRE"] and store.warning is None


def test_scan_from_a_corrupt_store_says_why_there_are_no_bars(user_dirs):
    path = stored_spy(user_dirs)
    path.write_bytes(b"garbage" * 1000)
    run = cli("scan", "--source", "store", "--symbols", "SPY")
    assert run.returncode == 2
    message = one_line_error(run.stderr)
    assert "no stored bars for SPY (run: basewatch data fetch SPY)" in message
    assert f"bar store {path} could not be read (file is not a database)" in message
    assert len(asides(path)) == 1


@needs_modes
def test_a_store_without_read_permission_is_left_in_place_and_bars_kept_in_memory(user_dirs):
    path = stored_spy(user_dirs)
    path.chmod(0o000)
    try:
        run = cli("data", "status", modes=True)
    finally:
        path.chmod(0o644)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert f"bar store {path} is not readable and writable by you (permission denied" in run.stderr
    assert "keeping bars in memory for this run" in run.stderr
    assert asides(path) == []
    with BarStore() as store:  # permissions back: the stored bars are all still there
        assert store.symbols() == ["SPY"] and store.warning is None


@needs_modes
def test_a_read_only_cache_dir_keeps_bars_in_memory_and_the_file_untouched(user_dirs):
    path = stored_spy(user_dirs)
    raw = path.read_bytes()
    folder = path.parent
    folder.chmod(0o555)
    try:
        run = cli("scan", "--source", "sample", "--symbols", "SPY", modes=True)
        status = cli("data", "status", modes=True)
    finally:
        folder.chmod(0o755)
    assert run.returncode == 0 and "Traceback" not in run.stderr  # the sample needs no store
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert f"bar store {path} is unusable" in status.stderr
    assert "keeping bars in memory for this run" in status.stderr
    assert path.read_bytes() == raw and asides(path) == []


def test_a_directory_where_the_store_should_be(user_dirs, capsys):
    path = user_dirs["cache"] / "bars.sqlite3"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    assert main(["data", "status"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"bar store {path}" in err
    assert "keeping bars in memory for this run" in err
    assert (path / "keep.txt").read_text() == "mine" and asides(path) == []  # left where it is


# ---------------------------------------------------------------------- a full disk on state save

FILL_UP = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from analysis.state import StateError, create_watchlist, default_state, save_state
    path = Path(sys.argv[1])
    big = default_state(("SPY",))
    for i in range(40):
        big = create_watchlist(big, f"list {i}", [f"S{i}X{j}" for j in range(60)])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, don't kill the process
    limit = path.stat().st_size + 256
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        save_state(big, path)
    except StateError as exc:
        print(exc)
        sys.exit(3)
""")


def test_a_write_the_kernel_refuses_leaves_the_old_state(user_dirs):
    """A real failing write (the file-size limit of the process, EFBIG), not a mock."""
    from analysis.state import default_state, load_state, save_state

    path = user_dirs["data"] / "state.json"
    old = default_state(("XLK", "SMH", "SOXX"))
    save_state(old, path)
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-c", FILL_UP, str(path)], cwd=ROOT,
                         env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stderr
    assert f"could not save the state to {path}" in run.stdout
    assert "File too large" in run.stdout
    assert path.read_bytes() == before and load_state(path) == old
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp file left






async def test_full_disk_when_the_dashboard_saves_the_watchlist(user_dirs, request):
    """The disk is full (every write of the state goes to /dev/full: ENOSPC): the trader is told,
    the symbol stays on screen for this session, and the old state file is untouched."""
    from analysis.state import default_state, load_state, save_state
    from tui.app import BasewatchApp

    path = user_dirs["data"] / "state.json"
    save_state(default_state(("SPY", "KRE")), path)
    before = path.read_bytes()
    request.getfixturevalue("full_disk")  # from here on the disk is full
    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), now=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 60
        while app.refreshes_applied < 1 or app.busy:
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.press("a", *"xly", "enter")
        await pilot.pause(0.2)
        messages = [n.message for n in app._notifications]
        assert any(f"could not save the state to {path}" in m and "No space left" in m
                   for m in messages), messages
        assert app.watchlist[-1] == "XLY"
    assert path.read_bytes() == before
    assert load_state(path).symbols == ("SPY", "KRE")
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".state")] == []
