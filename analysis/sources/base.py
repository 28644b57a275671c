"""The one small interface every bar source implements, and what a fetch returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from analysis.sources.quotes import ExtendedQuote


class SourceError(RuntimeError):
    """A whole source failed (unreachable, unreadable); the message is for the user."""


@dataclass(frozen=True)
class FetchResult:
    """Daily bars per symbol, plus where they came from and as of when.

    ``source`` names what actually served the bars ("yahoo", "store", "sample", "csv:/dir",
    "replay"); ``fallback`` is True when that is not what the user asked for (e.g. auto fell back
    to the store because Yahoo was unreachable); ``note`` says why, for the header.
    ``fetched_at`` is the wall-clock time (UTC) of the fetch. Symbols that failed are in
    ``errors`` with a message, and the others still have their bars. ``origins`` names, per
    symbol, what served it when that differs from ``source`` (auto mixing store and sample);
    empty means every symbol came from ``source``.

    ``status`` is the feed's health: "live", "delayed", "rate_limited" or "offline" (see
    ``analysis.sources.health``; the note then starts with the header line, e.g. "offline since
    10:42 — stored bars"). ``extended`` holds, per symbol, a pre-market or after-hours price newer
    than the last regular trade, when the source has one (Yahoo). ``quote_types`` holds, per
    symbol, the instrument type the live quote gave (Yahoo's ``quoteType``: "ETF", "INDEX", ...).
    ``currencies``: per symbol, the currency its prices are in, when the source says (Yahoo's
    quote: "USD", "GBp" = pence, "EUR").
    """

    bars: Mapping[str, pd.DataFrame]
    source: str
    fetched_at: datetime
    errors: Mapping[str, str] = field(default_factory=dict)
    fallback: bool = False
    note: str = ""
    origins: Mapping[str, str] = field(default_factory=dict)
    status: str = "live"
    extended: Mapping[str, ExtendedQuote] = field(default_factory=dict)
    quote_types: Mapping[str, str] = field(default_factory=dict)
    currencies: Mapping[str, str] = field(default_factory=dict)

    def last_bar(self) -> datetime | None:
        """Timestamp of the newest bar across all symbols (None when there are none)."""
        stamps = [df.index[-1] for df in self.bars.values() if len(df)]
        return max(stamps).to_pydatetime() if stamps else None


class Source(Protocol):
    """A source of daily bars. Implementations must not raise for one bad symbol."""

    name: str

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        """Daily bars for ``symbols``; per-symbol failures go to ``FetchResult.errors``."""
        ...
