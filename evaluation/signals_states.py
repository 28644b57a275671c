"""How often the breakout state changes on real stocks: transitions, failures and flip-flops per
symbol-year over the evaluation set, from the day-by-day states of `scan --history`.

- transitions: every change of state (or of the watched level while not below), as listed by
  `scan --history`;
- failures: entries into ``failed``;
- flip-flops: a failure undone at once, i.e. ``failed`` followed by ``breaking`` (or confirmed /
  extended) against the same level within 10 sessions;
- symbol-years: sessions / 252.

Writes the figures into docs/facts.md between the ``signals_states`` markers.
``python -m evaluation signals_states`` (``BASEWATCH_EVAL_DATA`` for another folder).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

FLIP_SESSIONS = 10
ABOVE = ("breaking", "confirmed", "extended")
DOC = Path(__file__).resolve().parent.parent / "docs" / "facts.md"
BEGIN, END = "<!-- signals_states:begin -->", "<!-- signals_states:end -->"


def count(report, index) -> tuple[int, int, int]:
    """(transitions, failures, flip-flops) of one `HistoryReport`; ``index``: the session dates."""
    import numpy as np

    pos = {d.date(): i for i, d in enumerate(index)}
    ts = report.transitions
    failures = flips = 0
    for k, t in enumerate(ts):
        if t.state != "failed":
            continue
        failures += 1
        nxt = ts[k + 1] if k + 1 < len(ts) else None
        if (nxt is not None and nxt.state in ABOVE and np.isclose(nxt.level, t.level)
                and pos[nxt.date] - pos[t.date] <= FLIP_SESSIONS):
            flips += 1
    return len(ts), failures, flips


def measure(data: Path, symbols: list[str] | None = None) -> dict[str, float]:
    """The figures over every CSV of ``data`` (or ``symbols``)."""
    from analysis.facts.bases import rules_for_symbol
    from analysis.history import scan_history
    from analysis.sources.csvdir import read_bars_csv

    files = sorted(data.glob("*.csv"))
    if symbols:
        files = [f for f in files if f.stem in symbols]
    totals = [0, 0, 0]
    sessions = 0
    t0 = time.perf_counter()
    for k, f in enumerate(files):
        bars = read_bars_csv(f, f.stem)
        report = scan_history(bars, f.stem, rules=rules_for_symbol(f.stem))
        for j, v in enumerate(count(report, bars.index)):
            totals[j] += v
        sessions += len(bars)
        print(f"\r{k + 1}/{len(files)} {f.stem:<6}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    years = sessions / 252.0
    return {"symbols": len(files), "symbol_years": years,
            "transitions": totals[0] / years, "failures": totals[1] / years,
            "flip_flops": totals[2] / years, "seconds": time.perf_counter() - t0}


def table(m: dict[str, float]) -> str:
    """The figures as the markdown the docs carry."""
    return "\n".join([
        f"Measured by `make eval` (evaluation/signals_states.py) on {m['symbols']:.0f} S&P 500 "
        f"stocks, {m['symbol_years']:.0f} symbol-years:",
        "",
        "| per symbol-year | transitions | failures | flip-flops (failed, then breaking "
        f"within {FLIP_SESSIONS} sessions) |",
        "|---|---:|---:|---:|",
        f"| | {m['transitions']:.1f} | {m['failures']:.2f} | {m['flip_flops']:.2f} |",
    ])


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace what stands between the markers of ``doc`` by ``text``."""
    body = doc.read_text()
    head, rest = body.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main(data: Path) -> int:
    m = measure(data)
    text = table(m)
    print(text)
    if DOC.exists() and BEGIN in DOC.read_text():
        write_doc(text)
    return 0


if __name__ == "__main__":
    from evaluation import data_dir

    sys.exit(main(data_dir()))
