"""The analysis of many symbols pauses the cyclic garbage collector (safe because it makes no
reference cycles, checked here on the bundled bars) and turns it back on only if it was on; it asks
glibc to keep freed heap memory in reserve, and asking is harmless where it cannot."""

import gc
import platform
from datetime import UTC, datetime

import pytest

from analysis.config import Config
from analysis.heap import collector_paused, keep_heap_reserve
from analysis.pipeline import Pipeline
from analysis.snapshot import BATCH
from analysis.sources.base import FetchResult
from analysis.sources.sample import available_symbols, load_sample

NOW = datetime(2025, 12, 9, 22, 0, tzinfo=UTC)


def many_frames() -> dict:
    """More symbols than one batch: the bundled bars, each also cut 5 and 11 sessions short under
    another name."""
    frames = {}
    for sym in available_symbols():
        df = load_sample(sym)
        for cut in (0, 5, 11):
            frames[sym if not cut else f"{sym}.{cut}"] = df.iloc[: len(df) - cut]
    assert len(frames) > BATCH  # two batches at least
    return frames


def test_analysing_many_symbols_makes_no_reference_cycles():
    frames = many_frames()
    fetched = FetchResult(bars=frames, source="sample", fetched_at=NOW)
    Pipeline(Config(), None).analyze(fetched, now=NOW)  # once: imports, the C library asked
    pipe = Pipeline(Config(), None)
    gc.collect()
    gc.disable()
    try:
        snap = pipe.analyze(fetched, now=NOW).snapshot
        found = gc.collect()
    finally:
        gc.enable()
    assert len(snap.symbols) == len(frames) and not snap.errors
    assert found == 0  # nothing for the collector to find: pausing it loses nothing


def test_the_collector_is_on_again_after_an_analysis_of_many_symbols():
    assert gc.isenabled()
    frames = many_frames()
    Pipeline(Config(), None).analyze(FetchResult(bars=frames, source="sample", fetched_at=NOW),
                                     now=NOW)
    assert gc.isenabled()


def test_collector_paused_turns_it_back_on_only_if_it_was_on():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a failing analysis")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # someone else turned it off: it stays off
    finally:
        gc.enable()


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="mallopt is glibc's")
def test_glibc_takes_the_heap_reserve_once():
    assert keep_heap_reserve() is True
    assert keep_heap_reserve() is True  # asked once per process, the answer remembered
