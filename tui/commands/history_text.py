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
        lines.append(f"  {t.date}  {t.previous or fmt.DASH:>9} -> {t.state:<9} "
                     f"{fmt.price(t.level):>10}  close {fmt.price(t.close):>10}{vol}  "
                     f"({t.level_source})")
    lines += ["", f"confirmed breakouts ({len(r.outcomes)}):"]
    for o in r.outcomes:
        verdict = {True: "FAILED", False: "worked", None: "open"}[o.failed] + f"  ({o.kind})"
        stop = f"stopped {o.stopped}" if o.stopped else "not stopped"
        lines.append(
            f"  {o.date}  at {fmt.price(o.level):>10}  "
            f"max gain before -8% {fmt.pct(o.max_gain_pct)} "
            f"({stop})  21d {fmt.pct(o.gain_21_pct)}  63d {fmt.pct(o.gain_63_pct)}  "
            f"ultimate {fmt.pct(o.ultimate_rise_pct)}  {verdict}"
        )
    lines.append("")
    for s in (r.summary, *r.by_kind):
        rate = fmt.pct(s.failure_rate_pct, 0, signed=False)
        lines.append(
            f"summary ({s.kind}): {s.breakouts} confirmed breakouts, {s.failures} of {s.decided} "
            f"decided failed ({rate}); average max gain before -8% {fmt.pct(s.avg_max_gain_pct)}, "
            f"after 21 sessions {fmt.pct(s.avg_gain_21_pct)}, "
            f"after 63 {fmt.pct(s.avg_gain_63_pct)}, "
            f"ultimate rise {fmt.pct(s.avg_ultimate_rise_pct)}"
        )
    lines.append("Bulkowski, cups with handle in bull markets: failure ~5%, average rise 34-54%.")
    return "\n".join(lines)
