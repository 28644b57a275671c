"""The SQLite bar store: round trips, concurrent writers, corrupt files rebuilt, hostile symbols."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.paths import store_file
from analysis.sources.sample import load_sample
from analysis.sources.store import BarStore, StoreSource
from analysis.symbols import SymbolError


def test_round_trip_keeps_values_and_time_zones():
    with BarStore() as store:
        for sym in ("SPY", "^RUT", "BTC-USD"):
            assert store.upsert(sym, load_sample(sym), "sample") == len(load_sample(sym))
        for sym in ("SPY", "^RUT", "BTC-USD"):
            got, want = store.load(sym), load_sample(sym)
            assert str(got.index.tz) == ("UTC" if sym == "BTC-USD" else "America/New_York")
            assert list(got.columns) == list(want.columns)
            assert (got.index == want.index).all()
            assert (got.to_numpy() == want.to_numpy()).all()
        assert store.symbols() == ["BTC-USD", "SPY", "^RUT"]
        assert store.last_timestamp("SPY") == pd.Timestamp("2025-12-31", tz="America/New_York")
        assert store.last_timestamp("KRE") is None
        assert store.load("KRE").empty


def test_status_counts_rows_and_span_per_symbol():
    spy = load_sample("SPY")
    fetched = datetime(2025, 12, 9, 21, 5, tzinfo=UTC)
    with BarStore() as store:
        store.upsert("SPY", spy.iloc[:100], "yahoo", fetched_at=fetched)
        store.upsert("SPY", spy.iloc[90:150], "yahoo", fetched_at=fetched)  # 10 bars overlap
        (row,) = store.status()
    assert (row.symbol, row.source, row.rows) == ("SPY", "yahoo", 150)
    assert row.first == spy.index[0] and row.last == spy.index[149]
    assert row.fetched_at == fetched


def test_upsert_replaces_a_partial_bar():
    spy = load_sample("SPY").iloc[:50]
    partial = spy.iloc[-1:].copy()
    partial["close"] = 1.0
    with BarStore() as store:
        store.upsert("SPY", spy.iloc[:49], "yahoo")
        store.upsert("SPY", partial, "yahoo")
        assert store.load("SPY")["close"].iloc[-1] == 1.0
        store.upsert("SPY", spy.iloc[-1:], "yahoo")
        got = store.load("SPY")
    assert len(got) == 50 and got["close"].iloc[-1] == spy["close"].iloc[-1]


WRITER = textwrap.dedent("""
    import os, sys, time
    from analysis.sources.sample import load_sample
    from analysis.sources.store import BarStore
    me, go = sys.argv[1], sys.argv[2]
    spy, own = load_sample("SPY"), load_sample(me)
    while not os.path.exists(go):  # create the store together, then write together
        time.sleep(0.001)
    store = BarStore()
    if store.warning:
        print(store.warning, file=sys.stderr)
        sys.exit(3)
    for i in range(0, 400, 5):
        store.upsert("SPY", spy.iloc[i:i + 40], "p" + me)    # all write SPY, overlapping
        store.upsert(me, own.iloc[i:i + 5], "p" + me)
    store.close()
""")
WRITERS = ("XLK", "KRE", "XLF", "XLE")


def test_processes_creating_and_writing_the_store_at_once(tmp_path):
    """Four processes open a store that does not exist yet at the same instant, then write: none
    takes another's half-made file for a corrupt one or falls back to memory, and every
    process's bars are in the one file afterwards."""
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, sym, str(go)],
                              stderr=subprocess.PIPE) for sym in WRITERS]
    time.sleep(3.0)  # all imported and waiting
    go.touch()
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(WRITERS), [o[1].decode()[-800:]
                                                               for o in outs]
    with BarStore() as store:
        assert store.warning is None
        rows = {r.symbol: r.rows for r in store.status()}
        assert rows == {"SPY": 435, **dict.fromkeys(WRITERS, 400)}
        assert (store.load("KRE")["close"].to_numpy()
                == load_sample("KRE")["close"].iloc[:400].to_numpy()).all()
    assert list(store_file().parent.glob("*.corrupt-*")) == []
    conn = sqlite3.connect(store_file())
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_opening_a_store_another_writer_holds_neither_waits_nor_warns():
    """Opening an existing store writes nothing, so a long write in another connection (another
    process's big fetch) neither delays the open nor sends this run to memory."""
    with BarStore() as store:
        store.upsert("SPY", load_sample("SPY").iloc[:50], "yahoo")
    other = sqlite3.connect(store_file(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    other.execute("DELETE FROM bars WHERE ts < 0")
    try:
        started = time.monotonic()
        store = BarStore()
        assert time.monotonic() - started < 2.0
        assert store.warning is None and len(store.load("SPY")) == 50
    finally:
        other.execute("COMMIT")
        other.close()
    store.upsert("KRE", load_sample("KRE").iloc[:5], "yahoo")  # and writes once it is free
    assert store.symbols() == ["KRE", "SPY"]
    store.close()


def test_an_empty_store_file_is_a_new_store_not_a_corrupt_one():
    path = store_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()  # another process has just created it
    with BarStore() as store:
        assert store.warning is None
        store.upsert("SPY", load_sample("SPY").iloc[:5], "yahoo")
    assert list(path.parent.glob("*.corrupt-*")) == []


def test_threads_sharing_one_store():
    store = BarStore()
    syms = ["XLF", "XLI", "XLV", "XLK"]

    def work(sym: str) -> None:
        bars = load_sample(sym)
        for i in range(0, 200, 25):
            store.upsert(sym, bars.iloc[i:i + 25], "yahoo")
            store.load(sym)

    threads = [threading.Thread(target=work, args=(s,)) for s in syms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.symbol: r.rows for r in store.status()} == dict.fromkeys(syms, 200)
    store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_file_is_moved_aside_and_rebuilt(damage):
    path = store_file()
    if damage == "garbage":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"this is not a database\x00" * 200)
    else:
        with BarStore() as store:
            store.upsert("SPY", load_sample("SPY"), "yahoo")
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3] + b"\xff" * 5000)
    before = path.read_bytes()
    store = BarStore()
    assert store.warning and "moved it to" in store.warning and str(path) in store.warning
    aside = [p for p in path.parent.glob("bars.sqlite3.corrupt-*")
             if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == before
    store.upsert("XLK", load_sample("XLK"), "yahoo")  # and it works again
    assert len(store.load("XLK")) == len(load_sample("XLK"))
    assert store.load("SPY").empty
    store.close()
    assert BarStore().warning is None  # the rebuilt file opens cleanly next time


def test_store_source_serves_only_what_is_stored():
    with BarStore() as store:
        store.upsert("SPY", load_sample("SPY"), "yahoo",
                     fetched_at=datetime(2025, 12, 9, 21, 0, tzinfo=UTC))
        result = StoreSource(store).fetch(["SPY", "KRE"])
    assert result.source == "store" and list(result.bars) == ["SPY"]
    assert "KRE" in result.errors and "basewatch data fetch" in result.errors["KRE"]
    assert result.fetched_at == datetime(2025, 12, 9, 21, 0, tzinfo=UTC)
    assert "2025-12-09 21:00" in result.note


HOSTILE = ["../x", "A B", "", "X" * 200, "SPY'; DROP TABLE bars;--", "SPY\x00", "SP%Y", "*"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_symbols_are_rejected_before_any_sql(bad):
    with BarStore() as store:
        store.upsert("SPY", load_sample("SPY").iloc[:10], "yahoo")
        for call in (lambda: store.load(bad), lambda: store.last_timestamp(bad),
                     lambda: store.fetched_at(bad),
                     lambda: store.upsert(bad, load_sample("SPY").iloc[:5], "yahoo")):
            with pytest.raises(SymbolError):
                call()
        assert len(store.load("SPY")) == 10 and store.symbols() == ["SPY"]
