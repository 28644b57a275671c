"""Turn a source spec from the command line or config into a Source.

Specs: ``auto`` (default: Yahoo through the store, falling back to the store, then the bundled
sample), ``yahoo`` (Yahoo through the store, no fallback), ``store`` (only what the store holds),
``sample`` (the bundled snapshot), ``csv:DIR`` (a folder of ``<SYMBOL>.csv`` files).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.sources.base import Source
    from analysis.sources.store import BarStore

SPECS = ("auto", "yahoo", "store", "sample", "csv:DIR")


def make_source(spec: str, *, session: Any = None, store: BarStore | None = None,
                deadline: float = 45.0, first_wait: float | None = None) -> Source:
    """The Source for ``spec``; ValueError with a clear message for a bad one.

    ``session`` (a curl_cffi Session) is passed to yfinance; ``store`` defaults to the user's bar
    store, opened only for specs that use it; ``deadline`` bounds each Yahoo fetch (seconds);
    ``first_wait`` (auto only): the quick start, see ``analysis.sources.auto``.
    """
    text = (spec or "").strip()
    kind = text.lower()
    if kind.startswith("csv:"):
        folder = Path(text[4:]).expanduser()
        if not text[4:].strip():
            raise ValueError("source csv: needs a folder, e.g. csv:~/bars")
        if not folder.is_dir():
            raise ValueError(f"source {text}: no such folder {folder}")
        from analysis.sources.csvdir import CsvDirSource

        return CsvDirSource(folder)
    if kind == "sample":
        from analysis.sources.sample import SampleSource

        return SampleSource()
    if kind in ("auto", "yahoo", "store"):
        from analysis.sources.store import BarStore, StoreSource

        store = store if store is not None else BarStore()
        if kind == "store":
            return StoreSource(store)
        from analysis.sources.yahoo import YahooSource

        yahoo = YahooSource(session=session, deadline=deadline, store=store)
        if kind == "yahoo":
            return yahoo
        from analysis.sources.auto import AutoSource

        return AutoSource(yahoo, store, first_wait=first_wait)
    raise ValueError(f"unknown source {text!r}: use {', '.join(SPECS)}")
