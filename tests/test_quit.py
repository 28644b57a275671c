"""`q` quits within a second in every state: with a refresh stuck on the network and a queue of
slow alert commands, the stuck refresh is abandoned, the running command is killed, the waiting
ones are dropped, and the event log says so. Measured on a real process (tests/quit_probe.py):
from the key press until the app has closed and asyncio's executor is shut down (where stuck
threads held it before), and until the process has ended (the interpreter's own teardown, which
nothing of ours holds, takes a few tenths of a second more on a busy machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from analysis.events import EventLog

ROOT = Path(__file__).resolve().parents[1]


def test_quit_with_a_stuck_refresh_and_slow_alerts_takes_under_a_second(user_dirs):
    env = {**os.environ, **{f"BASEWATCH_{k.upper()}_DIR": str(v) for k, v in user_dirs.items()}}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "quit_probe.py")], cwd=ROOT,
                            env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        running = proc.stdout.readline().split()
        assert running[:1] == ["running"], proc.stderr.read()
        command_pid = int(running[1])
        assert proc.stdout.readline().strip() == "pressed", proc.stderr.read()
        pressed = time.monotonic()
        proc.wait(timeout=30)
        ended = time.monotonic() - pressed
        closed = proc.stdout.readline().split()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, proc.stderr.read()
    assert closed[:1] == ["closed"]
    assert float(closed[1]) < 1.0, f"the app took {closed[1]} s to close"
    assert ended < 3.0, f"the process took {ended:.2f} s to end"
    # the running command was killed, not left behind
    ends = time.monotonic() + 5
    while _alive(command_pid) and time.monotonic() < ends:
        time.sleep(0.05)
    assert not _alive(command_pid)
    notes = [e for e in EventLog().read() if e.kind == "alerts"]
    assert [e.message for e in notes] == [
        "on quit: the running alert command was killed; 49 waiting alerts were dropped"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (killed, not yet reaped by its parent, which has ended) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))
