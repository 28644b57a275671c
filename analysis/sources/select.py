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

KINDS = ("auto", "yahoo", "store", "sample")
"""The named sources; with ``csv:DIR`` every spec there is (the one list the config, the command
line, its help text and `make_source` use)."""
CSV_PREFIX = "csv:"
SPECS = (*KINDS, "csv:DIR")
HELP = "auto (default), yahoo, store, sample, or csv:DIR"


def check_spec(spec: str, *, folder_must_exist: bool = True) -> str:
    """``spec`` normalised (a named source lower-cased, ``csv:DIR`` as given), or ValueError saying
    what is wrong: an unknown name, ``csv:`` without a folder, a folder that does not exist (only
    checked when ``folder_must_exist``)."""
    text = (spec or "").strip()
    kind = text.lower()
    if kind in KINDS:
        return kind
    if kind.startswith(CSV_PREFIX):
        where = text[len(CSV_PREFIX):]
        if not where.strip():
            raise ValueError(f"source {CSV_PREFIX} needs a folder, e.g. {CSV_PREFIX}~/bars")
        folder = Path(where).expanduser()
        if folder_must_exist and not folder.is_dir():
            raise ValueError(f"source {text}: no such folder {folder}")
        return text
    raise ValueError(f"unknown source {text!r}: use {', '.join(SPECS)}")


def make_source(spec: str, *, session: Any = None, store: BarStore | None = None,
                deadline: float = 45.0, first_wait: float | None = None) -> Source:
    """The Source for ``spec``; ValueError with a clear message for a bad one.

    ``session`` (a curl_cffi Session) is passed to yfinance; ``store`` defaults to the user's bar
    store, opened only for specs that use it; ``deadline`` bounds each Yahoo fetch (seconds);
    ``first_wait`` (auto only): the quick start, see ``analysis.sources.auto``.
    """
    kind = check_spec(spec)
    if kind.startswith(CSV_PREFIX):
        from analysis.sources.csvdir import CsvDirSource

        return CsvDirSource(Path(kind[len(CSV_PREFIX):]).expanduser())
    if kind == "sample":
        from analysis.sources.sample import SampleSource

        return SampleSource()
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
