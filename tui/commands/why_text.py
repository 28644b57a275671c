"""The plain-text rendering of `basewatch scan --why`: for each base kind, whether the bars as of
a session hold one, and the rules that decided it (numbers through `tui.format`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from analysis.facts.base_rules import BaseKind
from tui import format as fmt

if TYPE_CHECKING:
    from analysis.facts.bases import BaseCandidate


STATUS_WORDS = {"forming": "forming", "broken_out": "broke out", "failed": "failed"}


def format_why(symbol: str, asof: date, candidates: tuple[BaseCandidate, ...] | None) -> str:
    """One symbol's answer: per kind the base found (its status, and what lowered its quality) or
    "no" (with the rules its nearest candidate broke); ``candidates`` None for an instrument
    without setups."""
    head = f"{symbol}  as of {asof}"
    if candidates is None:
        return f"{head}: no bases (an index of volatility has no setups)\n"
    if all(c.start is None for c in candidates):  # no left-side high: the same for every kind
        reasons = "; ".join(dict.fromkeys(r for c in candidates for r in c.reasons))
        return f"{head}: no base of any kind: {reasons}\n"
    lines = [f"{head}: each base kind, and the rules that decided it"]
    for c in candidates:
        span = fmt.DASH
        if c.start is not None and c.end is not None:
            span = (f"{c.start}..{c.end}  {c.length_weeks:4.1f} wk  depth "
                    f"{fmt.pct(c.depth_pct, signed=False):>5}  pivot {fmt.price(c.pivot)}")
        found = STATUS_WORDS.get(c.status or "", "found") if c.accepted else "no"
        lines.append(f"  {BaseKind(c.kind).words:<16} {found:<10} {span}")
        why = "quality lowered by" if c.accepted else "broke"
        if c.reasons:
            lines.append(f"      {why}: " + "; ".join(c.reasons))
    return "\n".join(lines) + "\n"
