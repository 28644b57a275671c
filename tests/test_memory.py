"""Freed heap memory goes back to the OS after a refresh (glibc's malloc_trim), and asking is
harmless where the C library cannot do it."""

import ctypes.util
import platform

import pytest

from tui.memory import release_memory


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim is glibc's")
def test_release_memory_asks_glibc_to_trim():
    assert ctypes.util.find_library("c")
    assert release_memory() is True
    assert release_memory() is True  # and again: nothing is kept between calls
