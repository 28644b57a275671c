"""Formatting for table cells and the market strip: prices, percentages, ratios, ages, countdowns.

Pure string functions (no Textual, no pandas), so they are cheap to import and easy to test.
``None`` and NaN always render as an em dash.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

DASH = "—"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def price(value: float | None, compact: bool = False) -> str:
    """A price with thousands separators: 2 decimals (4 below 1; none above 10,000 when compact)."""
    if _missing(value):
        return DASH
    if abs(value) < 1:
        return f"{value:.4f}"
    if compact and abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def money(value: float | None, currency: str | None, compact: bool = False,
          width: int | None = None) -> str:
    """A price with its currency when that is not US dollars ("308.80 GBp": pence, "41.20 EUR"),
    shortened to fit ``width`` (fewer decimals, then no space) rather than cut; USD or unknown:
    ``price``."""
    text = price(value, compact)
    if not currency or currency == "USD" or _missing(value):
        return text
    for form in (f"{text} {currency}", f"{price(value, True)} {currency}",
                 f"{value:,.0f} {currency}", f"{value:,.0f}{currency}"):
        if width is None or len(form) <= width:
            return form
    return form


def pct(value: float | None, digits: int = 1, signed: bool = True) -> str:
    """A percentage, signed by default: +1.2% / -3.4%."""
    if _missing(value):
        return DASH
    if round(value, digits) == 0:  # no "-0.0%"
        return f"{0:.{digits}f}%"
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def number(value: float | None, digits: int = 1) -> str:
    """A plain number such as a weight in % of an index: 18.6."""
    if _missing(value):
        return DASH
    return f"{value:.{digits}f}"


def ratio(value: float | None, digits: int = 1) -> str:
    """A multiple such as volume pace: 1.4x."""
    if _missing(value):
        return DASH
    return f"{value:.{digits}f}x"


def short_date(day: date | None) -> str:
    """Month-day (12-09) for dates in a strip where the year is obvious."""
    return DASH if day is None else day.strftime("%m-%d")


def duration(delta: timedelta) -> str:
    """A countdown a trader reads at a glance: 2d 4h, 16h 59m, 42m, <1m.

    Rounded up to the minute so the number never says less time than is left.
    """
    seconds = max(delta.total_seconds(), 0.0)
    minutes = math.ceil(seconds / 60.0)
    if minutes < 1:
        return "<1m"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def age(then: datetime, now: datetime) -> str:
    """How long ago, compact: 12s, 5m, 3h, 2d."""
    seconds = max((now - then).total_seconds(), 0.0)
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds // 60:.0f}m"
    if seconds < 86400:
        return f"{seconds // 3600:.0f}h"
    return f"{seconds // 86400:.0f}d"


def streak(length: int) -> str:
    """A signed streak: +12 (twelve higher closes), -3, 0."""
    return f"{length:+d}" if length else "0"


def trend_arrow(trend: str | None) -> str:
    """up / down / flat as an arrow."""
    return {"up": "↑", "down": "↓", "flat": "→"}.get(trend or "", DASH)


def rs_change(trend: str | None, change: float | None, digits: int = 1) -> str:
    """The RS trend arrow on the 1-month RS change it is the direction of: ↑+2.2%, →-0.6%."""
    if _missing(change):
        return DASH
    return f"{trend_arrow(trend)}{pct(change, digits)}"


def rotation_signs(change_3m: float | None, change_1m: float | None) -> str:
    """The signs the rotation quadrant is read from: "3M- 1M+" (improving)."""
    def sign(v: float | None) -> str:
        return "?" if _missing(v) else "+" if v >= 0 else "-"

    return f"3M{sign(change_3m)} 1M{sign(change_1m)}"


def vs_level(value: float | None) -> str:
    """Where the price is against a level (a pivot, a zone's top), in %: price / level - 1,
    negative below it ("-2.7%": 2.7% under the pivot), whole percent from 10% on. The one sign
    convention of every pane, the drill-down and ``scan --json`` (``pct_vs_level``)."""
    if _missing(value):
        return DASH
    return pct(value, 0 if abs(value) >= 10 else 1)


STATE_LABEL: dict[str, str] = {
    "breaking": "BREAKING", "confirmed": "CONFIRMED", "near": "near", "below": "below",
    "extended": "extended", "back_in_base": "in base", "failed": "FAILED",
}
STATE_SHORT: dict[str, str] = {"BREAKING": "BREAK", "CONFIRMED": "CONF", "extended": "ext",
                               "FAILED": "FAIL", "in base": "base"}


def state_label(state: str, compact: bool = False) -> str:
    """A breakout state as the panes label it: BREAKING, near, FAILED (BREAK, FAIL when compact);
    a state without a label of its own in words (some_state -> some state)."""
    label = STATE_LABEL.get(state) or words(state)
    return STATE_SHORT.get(label, label) if compact else label


def words(identifier: str) -> str:
    """A snake_case identifier as words: cup_with_handle -> cup with handle."""
    return identifier.replace("_", " ")


def signal_kind(kind: str) -> str:
    """A track-record signal kind in words: "breakout flat_base" -> "flat base breakouts",
    "breakout zone" -> "zone breakouts", "failed" -> "failed"."""
    if kind.startswith("breakout "):
        return f"{words(kind.removeprefix('breakout '))} breakouts"
    return words(kind)


BASE_SHORT: dict[str, str] = {
    "cup_with_handle": "cup+handle",
    "cup": "cup",
    "flat_base": "flat base",
    "double_bottom": "dbl bottom",
    "consolidation": "consolid.",
}


def base_kind(kind: str | None) -> str:
    """A base kind in at most 10 characters."""
    if not kind:
        return DASH
    return BASE_SHORT.get(kind, words(kind)[:10])


def truncate(text: str, width: int) -> str:
    """Cut text to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def printable(text: str, width: int | None = None) -> str:
    """``text`` safe to echo on screen: every character that is not printable (escape, bell,
    tab, newline…) shown as ``�``, then cut to ``width`` with an ellipsis."""
    safe = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return safe if width is None else truncate(safe, width)
