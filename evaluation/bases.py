"""How many bases of each kind the detector reports on real stocks, per 100 symbol-years, and how
often one span (one left-side high) is reported as two kinds at once.

Every session from 2004 on is evaluated (the history engine's one-pass evaluation, as
`scan --history` does). A base is one left-side high, counted once, as the kind it was on the last
session it was reported forming (a 4-week consolidation that became a flat base in its fifth week
is one flat base). "Twice" counts the spans that were, on some session, reported as two kinds at
the same time (the same base reported twice)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path


def count_symbol(bars) -> tuple[Counter, int, float]:
    """(bases per kind, spans reported as two kinds, symbol-years) of one symbol's bars."""
    import numpy as np

    from analysis.facts.bases import KINDS, BaseRules
    from analysis.facts.clean import usable
    from analysis.history import base_watch

    good = usable(bars)
    if len(good) < 60:
        return Counter(), 0, 0.0
    rules = BaseRules()
    _, ev, w, _ = base_watch(good, 0, len(good) - 1, rules)
    rows = np.arange(len(ev.days))
    starts = np.stack([np.where(w.found[:, j], ev.get("hd", rows, w.cols[:, j]), -1 - j)
                       for j in range(len(KINDS))], axis=1)
    r_idx, k_idx = np.nonzero(w.found)
    s_idx = starts[r_idx, k_idx]
    order = np.lexsort((r_idx, s_idx))  # by span, then session: the last one per span
    s_sorted = s_idx[order]
    last = np.r_[s_sorted[1:] != s_sorted[:-1], True] if len(order) else np.zeros(0, bool)
    counts: Counter = Counter(str(KINDS[k]) for k in k_idx[order][last])
    srt = np.sort(starts, axis=1)
    dup = (srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] >= 0)
    twice = len(np.unique(srt[:, 1:][dup]))
    years = (good.index[-1] - good.index[0]).days / 365.25
    return counts, twice, years


def main(data: Path) -> int:
    from analysis.facts.bases import KINDS
    from analysis.sources.csvdir import read_bars_csv

    files = sorted(data.glob("*.csv"))
    total: Counter = Counter()
    twice = 0
    years = 0.0
    t0 = time.process_time()
    for path in files:
        c, t, y = count_symbol(read_bars_csv(path, path.stem))
        total.update(c)
        twice += t
        years += y
    per = 100.0 / years if years else 0.0
    print(f"{len(files)} symbols, {years:,.0f} symbol-years, "
          f"{time.process_time() - t0:.0f} s CPU")
    print(f"{'kind':<18}{'bases':>8}{'per 100 symbol-years':>24}")
    for kind in KINDS:
        print(f"{kind!s:<18}{total[str(kind)]:>8}{total[str(kind)] * per:>24.1f}")
    print(f"{'all':<18}{sum(total.values()):>8}{sum(total.values()) * per:>24.1f}")
    print(f"spans reported as two kinds at once: {twice} ({twice * per:.1f} per 100 "
          "symbol-years)")
    return 0
