"""The bundled snapshot: real daily bars 2018-2025 for the default universe, shipped as package
data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from analysis.bars import normalize_bars, tz_for
from analysis.sources.base import FetchResult
from analysis.symbols import file_stem, from_file_stem

if TYPE_CHECKING:
    import pandas as pd

_DATA = resources.files("analysis.data") / "sample"


def available_symbols() -> list[str]:
    """Symbols in the bundled snapshot, sorted."""
    return sorted(
        from_file_stem(p.name.removesuffix(".csv.gz"))
        for p in _DATA.iterdir()
        if p.name.endswith(".csv.gz")
    )


@lru_cache(maxsize=64)
def load_sample(symbol: str) -> pd.DataFrame:
    """Bars of one bundled symbol (cached; callers must not mutate). KeyError if not bundled."""
    import pandas as pd

    path = _DATA / f"{file_stem(symbol)}.csv.gz"
    if not path.is_file():
        raise KeyError(symbol)
    with path.open("rb") as fh:
        raw = pd.read_csv(fh, compression="gzip", index_col="Date", parse_dates=["Date"])
    return normalize_bars(raw, tz=tz_for(symbol))


class SampleSource:
    """Serves the bundled snapshot. Unknown symbols are reported per symbol, not raised."""

    name = "sample"

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        bars: dict[str, pd.DataFrame] = {}
        errors: dict[str, str] = {}
        for sym in symbols:
            try:
                bars[sym] = load_sample(sym)
            except KeyError:
                errors[sym] = f"{sym} is not in the bundled sample data"
        return FetchResult(bars=bars, source="sample", fetched_at=datetime.now(UTC), errors=errors)
