"""Writing a file atomically: a crash, a kill or a full disk leaves either the old file or the new
one, never half of one, and no temp file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, payload: bytes, *, durable: bool = False) -> None:
    """Write ``payload`` to a temp file beside ``path`` and rename it over ``path``.

    ``durable``: also fsync the file before the rename and (best effort: some file systems refuse)
    the folder after it, so the new content survives a power cut. Raises OSError (the temp file is
    removed, the old file left as it was).
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    if durable:
        with contextlib.suppress(OSError):
            _fsync_dir(path.parent)
