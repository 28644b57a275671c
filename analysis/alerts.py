"""The alert hook: a user-configured command run once per event, with the event as JSON on stdin.

The command is an argument list, never run through a shell; it runs under a timeout and a hanging
command is killed (with its process group). Its failure is reported to the caller, never raised.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from analysis.events import Event, event_to_json


@dataclass(frozen=True)
class AlertOutcome:
    """``ok`` when the command exited 0; otherwise ``error`` says what happened."""

    ok: bool
    returncode: int | None
    error: str = ""


def kill(proc: subprocess.Popen) -> bool:
    """Kill a running alert command with its process group; True when it was still running."""
    if proc.poll() is not None:
        return False
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    return True


def run_alert_command(command: Sequence[str], event: Event, timeout: float = 10.0,
                      started: Callable[[subprocess.Popen], None] | None = None) -> AlertOutcome:
    """Run ``command`` with ``event`` as one JSON document on stdin; blocking (use a worker).
    ``started`` is handed the process as soon as it runs (so a quitting app can ``kill`` it)."""
    if not command:
        return AlertOutcome(True, None)
    try:
        proc = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return AlertOutcome(False, None, f"cannot run {command[0]}: {exc.strerror or exc}")
    if started is not None:
        started(proc)
    try:
        _, err = proc.communicate(event_to_json(event).encode() + b"\n", timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        proc.wait()
        return AlertOutcome(False, None, f"{command[0]} timed out after {timeout:g} s; killed")
    if proc.returncode != 0:
        detail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
        return AlertOutcome(
            False, proc.returncode,
            f"{command[0]} exited {proc.returncode}" + (f": {detail[0]}" if detail else ""),
        )
    return AlertOutcome(True, 0)
