"""The plain-text rendering of `basewatch scan --history`: every base, breakout transition and
confirmed breakout of a `HistoryReport`, with the summaries (numbers through `tui.format`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui import format as fmt

if TYPE_CHECKING:
    from analysis.history import HistoryReport


def format_history(report: HistoryReport) -> str:
    """Plain-text rendering of a `HistoryReport`."""
    r = report
    lines = [f"{r.symbol}  {r.start} .. {r.end}", "", f"bases ({len(r.bases)}):"]
    for b in r.bases:
        lines.append(
            f"  {b.kind:<16} from {b.start}  seen {b.first_seen}..{b.last_seen}  "
            f"pivot {fmt.price(b.pivot):>10}  depth {fmt.pct(b.depth_pct, signed=False):>5}  "
            f"{b.length_weeks:4.1f} wk  "
            f"q {b.quality:>3}  {b.outcome}"
        )
    lines += ["", f"breakout transitions ({len(r.transitions)}):"]
    for t in r.transitions:
        vol = f"  vol {fmt.ratio(t.volume_ratio)}" if t.volume_ratio is not None else ""
        lines.append(f"  {t.date}  {t.previous or fmt.DASH:>12} -> {t.state:<12} "
                     f"{fmt.price(t.level):>10}  close {fmt.price(t.close):>10}{vol}  "
                     f"({t.level_source})")
    lines += ["", f"confirmed breakouts ({len(r.outcomes)}):"]
    for o in r.outcomes:
        verdict = {True: "FAILED", False: "worked", None: "open"}[o.failed] + f"  ({o.kind})"
        lines.append(
            f"  {o.date}  at {fmt.price(o.level):>10}  close {fmt.price(o.close):>10}  "
            f"21d {fmt.pct(o.r21)}  63d {fmt.pct(o.r63)}  max rise in 63d "
            f"{fmt.pct(o.max_rise_63)}  {verdict}"
        )
    lines.append("")
    for s in (r.summary, *r.by_kind):
        rate = fmt.pct(s.failure_rate_pct, 0, signed=False)
        lines.append(
            f"summary ({s.kind}): {s.breakouts} confirmed breakouts, {s.failures} of {s.decided} "
            f"decided failed ({rate}); after 21 sessions {fmt.pct(s.mean_r21)}, after 63 "
            f"{fmt.pct(s.mean_r63)} (median {fmt.pct(s.median_r63)}), max rise within 63 "
            f"{fmt.pct(s.mean_max_rise_63)}"
        )
    lines.append("From the confirming close. Failed: -8% before +5% within 63 sessions. "
                 "`basewatch backtest` holds these against the stocks' own average.")
    return "\n".join(lines)
