"""The scan's JSON document: a Snapshot as plain JSON types, with the documented field names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from analysis.freshness import Freshness, freshness
from analysis.snapshot import Snapshot, SymbolFacts


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, dates, tuples and mappings as plain JSON types; NaN becomes None."""
    import dataclasses
    import math

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "item"):  # numpy scalar
        return to_jsonable(obj.item())
    return obj


HIGH_FIELDS = ("first_date", "ath_close", "ath_close_date", "ath_high", "ath_high_date",
               "new_closing_ath", "new_intraday_ath", "pct_from_ath", "sessions_since_record",
               "prior_cycle_peak", "prior_cycle_peak_date", "pct_vs_prior_cycle_peak")


def symbol_to_json(f: SymbolFacts) -> dict[str, Any]:
    """One symbol: its instrument kind, the record-high fields flattened to the top (null for an
    instrument without them, a volatility index), the rest nested."""
    h = f.highs
    return {
        "symbol": f.symbol,
        "instrument": str(f.instrument),
        "asof": f.asof.isoformat(),
        "bar_time": f.bar_time.isoformat(),
        "intraday": f.intraday,
        "close": to_jsonable(f.last),
        "currency": f.currency,
        "prev_close": to_jsonable(f.prev_close),
        "change_pct": to_jsonable(f.change_pct),
        "change_7d_pct": to_jsonable(f.change_7d_pct),
        **{k: to_jsonable(getattr(h, k)) if h is not None else None for k in HIGH_FIELDS},
        "streak": f.streak.length,
        "streak_study": to_jsonable(f.streak.study) if f.streak.study else None,
        "rs": to_jsonable(f.rs),
        "volume_pace": to_jsonable(f.volume_pace),
        "bases": to_jsonable(f.bases),
        "zones": to_jsonable(f.zones),
        "breakout": to_jsonable(f.breakout),
        "extended": to_jsonable(f.extended) if f.extended else None,
    }


def freshness_to_json(fresh: Freshness) -> dict[str, Any]:
    """Whether the data is today's market (``analysis.freshness``), as the scan document says."""
    return {
        "state": fresh.state,
        "current": fresh.current,
        "data_date": fresh.data_date.isoformat(),
        "last_session": fresh.last_session.isoformat(),
        "checked_at": fresh.now.isoformat(),
    }


def snapshot_to_json(snap: Snapshot, fresh: Freshness | None = None) -> dict[str, Any]:
    """The whole document of `basewatch scan --json` (``fresh``: default, judged at the time the
    snapshot was computed)."""
    return {
        "asof": snap.asof.isoformat(),
        "source": snap.source,
        "fetched_at": snap.fetched_at.isoformat(),
        "freshness": freshness_to_json(fresh or freshness(snap)),
        "status": snap.status,
        "fallback": snap.fallback,
        "note": snap.note,
        "market": to_jsonable(snap.market),
        "symbols": [symbol_to_json(f) for f in snap.symbols.values()],
        "errors": dict(snap.errors),
    }
