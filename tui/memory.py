"""Give freed heap memory back to the operating system after a refresh.

Each refresh runs in a new worker thread, and glibc's malloc gives threads their own arenas; the
memory a refresh frees stays in its arena, so a long replay (many refreshes a second) saw resident
memory climb by tens of MB although Python held no more objects. ``malloc_trim(0)`` returns the
free pages of every arena. A no-op where the C library has no malloc_trim (macOS, musl, Windows).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _trim():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        fn = libc.malloc_trim if libc is not None else None
    except (OSError, AttributeError):
        return None
    if fn is not None:
        fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


def release_memory() -> bool:
    """Return freed heap memory to the OS; True if the C library could be asked."""
    fn = _trim()
    if fn is None:
        return False
    fn(0)
    return True
