"""Bases: cup with handle, cup, flat base, double bottom, and tight consolidation near highs, with
published (IBD, Bulkowski) rules as defaults and a 0-100 quality score with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("cup_with_handle", "cup", "flat_base", "double_bottom", "consolidation")


@dataclass(frozen=True)
class Handle:
    start: date
    end: date
    high: float
    low: float
    depth_pct: float


@dataclass(frozen=True)
class Base:
    """A detected base. ``status`` is "forming" (price still in it), "broken_out" or "failed";
    ``reasons`` says what lowered ``quality`` from 100."""

    kind: str
    start: date
    end: date
    left_high: float
    low: float
    pivot: float
    depth_pct: float
    length_weeks: float
    handle: Handle | None
    quality: int
    reasons: tuple[str, ...]
    status: str
