"""The bundled track record the app reads: which signal kinds alert by default and each kind's
measured record (``analysis/data/signal_record.json``, written by ``make eval`` from
evaluation/track_record.py with its provenance; never typed in by hand).

An event whose signal kind is not alerted is still logged and shown, quietly: no toast, no
highlight, no alert command. Without the file every signal alerts. No numpy here: the dashboard's
first frame reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.events import Event
    from analysis.facts.breakout import Breakout

RECORD_PATH = Path(__file__).resolve().parent.parent / "data" / "signal_record.json"


@dataclass(frozen=True)
class KindRecord:
    """One signal kind's record on the evaluation set (percent units): ``n`` signals,
    ``failure_rate`` (-8% before +5% within 63 sessions), ``median_r63`` against
    ``median_all_r63`` (every session of the same stocks), and the mean excess over the stocks'
    own average with its standard error (a lower bound: windows overlap)."""

    kind: str
    n: int
    failure_rate: float | None
    median_r63: float | None
    median_all_r63: float | None
    excess_r63: float | None
    se_excess_r63: float | None
    alerted: bool


def load_record(path: Path | None = None) -> dict:
    """The bundled record as read (an empty dict without the file); read once per file."""
    return _read(path or RECORD_PATH)


@lru_cache(maxsize=4)
def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def alerted_kinds(path: Path | None = None) -> frozenset[str]:
    """The signal kinds that alert by default (all of them without a record)."""
    rec = load_record(path)
    if "alerted" not in rec:
        from analysis.track_record.signals import SIGNAL_KINDS

        return frozenset(SIGNAL_KINDS)
    return frozenset(rec["alerted"])


def quality_predicts(path: Path | None = None) -> bool:
    """Whether the base quality score predicted the record (monotone over its buckets on the
    evaluation set); True without a record (nothing measured says otherwise)."""
    return bool(load_record(path).get("quality_predicts", True))


def kind_record(kind: str, path: Path | None = None) -> KindRecord | None:
    """The record of one signal kind, or None when it was not measured."""
    rec = load_record(path)
    row = rec.get("kinds", {}).get(kind)
    if row is None:
        return None
    return KindRecord(
        kind=kind, n=int(row["n"]), failure_rate=row.get("failure_rate"),
        median_r63=row.get("median_r63"), median_all_r63=rec.get("median_all_r63"),
        excess_r63=row.get("excess_r63"), se_excess_r63=row.get("se_excess_r63"),
        alerted=kind in alerted_kinds(path),
    )


def is_alerted(event: Event, path: Path | None = None) -> bool:
    """Whether ``event`` alerts (toast, highlight, alert command): a breakout event only when its
    signal kind is alerted; every other event always."""
    signal = event.data.get("signal") if isinstance(event.data, dict) else None
    if signal is None:
        return True
    return signal in alerted_kinds(path)


def highlights(breakout: Breakout | None, path: Path | None = None) -> bool:
    """Whether a row in this state is highlighted: breaking or confirmed, and the breakout of its
    level's kind alerts (or, once confirmed, the confirmation does)."""
    from analysis.facts.level_kinds import level_kind

    if breakout is None or breakout.state not in ("breaking", "confirmed"):
        return False
    kinds = alerted_kinds(path)
    if breakout.state == "confirmed" and "confirmed" in kinds:
        return True
    return f"breakout {level_kind(breakout.level_source)}" in kinds
