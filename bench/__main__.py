"""Run every benchmark module and print measured vs target (`python -m bench [NAME ...]`)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(names: list[str]) -> int:
    import bench

    modules = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )
    if names:
        modules = [m for m in modules if m in names]
    print(f"machine: {_machine()}")
    print(f"{'benchmark':<52} {'measured':>12} {'target':>12}  unit   ok")
    worst = 0
    for name in modules:
        started = time.perf_counter()
        try:
            results = importlib.import_module(f"bench.{name}").run()
        except Exception as exc:  # report and go on: one broken bench must not hide the rest
            print(f"{name:<52} FAILED: {exc!r}")
            worst = 1
            continue
        for r in results:
            target = r.get("target")
            lower_is_better = r.get("lower_is_better", True)
            ok = "" if target is None else (
                "yes" if (r["measured"] <= target if lower_is_better else r["measured"] >= target)
                else "NO"
            )
            tgt = "—" if target is None else f"{target:,.3g}"
            print(f"{r['name']:<52} {r['measured']:>12,.3g} {tgt:>12}  {r['unit']:<6} {ok}")
            if r.get("note"):
                print(f"    {r['note']}")
        print(f"    ({name}: {time.perf_counter() - started:.1f} s)")
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
