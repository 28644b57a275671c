"""Blocking work that a quitting app can walk away from.

Textual runs thread workers in asyncio's default executor, and the interpreter waits for those
threads when the app exits: a refresh stuck on a silent network (or an alert command) would hold
`q` for as long as it is stuck. ``abandonable`` runs the work in a daemon thread instead and waits
for it from the worker, checking every ``poll`` seconds whether the worker was cancelled (Textual
cancels every worker when the app exits); if so it raises ``Abandoned`` at once and the daemon
thread is left to finish (or to die with the process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Abandoned(Exception):
    """The worker was cancelled (the app is closing) before the work finished."""


def abandonable(fn: Callable[[], T], name: str, poll: float = 0.05) -> T:
    """``fn()`` in a daemon thread; its result or exception, or ``Abandoned`` once the calling
    Textual worker is cancelled. Call it from a thread worker."""
    from textual.worker import NoActiveWorker, get_current_worker

    try:
        worker = get_current_worker()
    except NoActiveWorker:  # not in a worker: nothing can cancel it
        return fn()
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller as is
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, daemon=True, name=name).start()
    while not done.wait(poll):
        if worker.is_cancelled:
            raise Abandoned(name)
    if "error" in box:
        raise box["error"]
    return box["value"]
