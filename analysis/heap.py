"""What the analysis of many symbols asks of the process' memory management: freed heap memory
kept in reserve between two batches, and the cyclic garbage collector paused while they run.

The bases of a batch of symbols are measured in large temporary arrays (tens of MB for a batch),
freed before the next batch asks for as much again. glibc's malloc gives the top of the heap back
to the OS as soon as it is freed (its trim threshold follows the largest block freed, a few MB), so
every batch took fresh pages from the kernel again: a quarter of a million page faults, about a
fifth of the CPU time of a 2,000-symbol universe. With ``M_TOP_PAD`` the heap grows, and is
trimmed, ``RESERVE_MB`` at a time, so those pages are reused. Resident memory grows by at most the
reserve (the dashboard still gives freed memory back after each refresh: `tui.memory`).

Results are unaffected: only where malloc takes its memory from changes. A no-op where the C
library has no ``mallopt`` (macOS, musl, Windows) or the process set its own
``MALLOC_TOP_PAD_``.

The facts of a symbol make no reference cycles (a test checks), so the cyclic collector has
nothing to find in what the analysis allocates; yet the thousands of objects it keeps (the facts
memo, the snapshot) set off a collection every few hundred, each walking the objects of the whole
process, up to a tenth of the analysis. `collector_paused` turns it off while `analyze` runs
and back on after (only if it was on: it never enables a collector someone else turned off).
"""

from __future__ import annotations

import ctypes
import functools
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

RESERVE_MB = 64
M_TOP_PAD = -2  # glibc's mallopt parameter number


@functools.cache
def keep_heap_reserve() -> bool:
    """Ask malloc (once per process) to keep ``RESERVE_MB`` of freed memory at the top of the
    heap; True if the C library took it."""
    if os.name != "posix" or "MALLOC_TOP_PAD_" in os.environ:
        return False
    try:  # the symbols the process has loaded, the C library's among them (no ldconfig run)
        fn = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    fn.argtypes, fn.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(fn(M_TOP_PAD, RESERVE_MB << 20))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the ``with`` block, then on again if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
