"""Run the evaluations (`python -m evaluation [NAME ...]`, or `make eval`).

Every module of this package that defines ``main(data: Path) -> int`` is run in name order (or only
the named ones). Without the evaluation data the run says so and exits 0: a user's clone has none.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sp500"


def data_dir() -> Path:
    return Path(os.environ.get("BASEWATCH_EVAL_DATA", DEFAULT_DATA))


def main(names: list[str]) -> int:
    import evaluation

    data = data_dir()
    if not data.is_dir():
        print(f"no evaluation data at {data} (set BASEWATCH_EVAL_DATA): nothing measured")
        return 0
    modules = sorted(m.name for m in pkgutil.iter_modules(evaluation.__path__)
                     if not m.name.startswith("_"))
    if names:
        unknown = sorted(set(names) - set(modules))
        if unknown:
            print(f"unknown evaluation: {', '.join(unknown)} (have: {', '.join(modules)})")
            return 2
        modules = [m for m in modules if m in names]
    worst = 0
    for name in modules:
        module = importlib.import_module(f"evaluation.{name}")
        if hasattr(module, "main"):
            print(f"== {name} ({data})", flush=True)
            worst = max(worst, int(module.main(data) or 0))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
