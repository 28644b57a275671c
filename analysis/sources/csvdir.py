"""The user's own data: a folder of ``<SYMBOL>.csv`` files, checked line by line.

Each file has the header ``Date,Open,High,Low,Close,Adj Close,Volume`` (``Adj Close`` and
``Volume`` may be left empty or left out); ``^`` is written as ``_`` in file names (``_RUT.csv`` is
``^RUT``). Dates are ``YYYY-MM-DD`` (anything after the first ten characters, such as a time and
offset written by pandas, is ignored); a date after tomorrow (UTC) and a negative volume are errors,
so one file can never move the dashboard's clock. A malformed file is reported in
``FetchResult.errors`` with its name and line number ("KRE.csv line 17: close is not a number
('n/a')"); the other files still load.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.bars import latest_plausible_day, normalize_bars, tz_for
from analysis.sources.base import FetchResult
from analysis.symbols import SymbolError, file_stem, from_file_stem, split_valid

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("Date", "Open", "High", "Low", "Close")
OPTIONAL = ("Adj Close", "Volume")
_NUMERIC = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
_MAY_BE_EMPTY = {"Adj Close", "Volume"}


class CsvFileError(ValueError):
    """A CSV file that cannot be read as bars; the message names the file and the line."""


def _canonical(name: str) -> str:
    """Header cell -> canonical column name (case and spacing/underscores ignored)."""
    key = re.sub(r"[\s_]+", "", name).lower()
    for col in (*REQUIRED, *OPTIONAL):
        if col.replace(" ", "").lower() == key:
            return col
    return name.strip()


def _read_clean(path: Path, symbol: str) -> pd.DataFrame | None:
    """The bars of a file that passes every check, parsed by pandas' C reader in one go (a
    universe of thousands of files); None when anything is off, so the checking reader below
    finds the first bad line and says which."""
    import numpy as np
    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            raw = pd.read_csv(path, keep_default_na=False, na_values=[""], index_col=False,
                              skipinitialspace=True)
    except Exception:  # noqa: BLE001 - any trouble: the checking reader explains it
        return None
    raw.columns = [_canonical(str(c)) for c in raw.columns]
    numeric = [c for c in _NUMERIC if c in raw.columns]
    if raw.empty or any(c not in raw.columns for c in REQUIRED) or len(set(raw.columns)) < len(
            raw.columns) or not all(pd.api.types.is_numeric_dtype(raw[c]) for c in numeric):
        return None
    values = {c: raw[c].to_numpy(dtype="float64") for c in numeric}
    if not all(np.isfinite(values[c]).all() for c in REQUIRED[1:]) or any(
            np.isinf(values[c]).any() for c in numeric):
        return None
    if (values["High"] < values["Low"]).any() or (values["Close"] <= 0).any() or (
            "Volume" in values and (values["Volume"] < 0).any()):
        return None
    dates = pd.to_datetime(raw["Date"].astype(str).str.slice(0, 10), format="%Y-%m-%d",
                           errors="coerce")
    if dates.isna().any() or dates.duplicated().any() or (
            dates > pd.Timestamp(latest_plausible_day())).any():
        return None
    frame = pd.DataFrame(values, index=pd.DatetimeIndex(dates.to_numpy(), name="date"))
    return normalize_bars(frame, tz=tz_for(symbol))


def _read_cells(path: Path) -> pd.DataFrame:
    """The file's cells as text, or CsvFileError naming the file (and line) it cannot parse."""
    import pandas as pd

    name = path.name
    try:
        with warnings.catch_warnings():
            # index_col=False: a row with one field too many must not turn Date into the index;
            # pandas only warns about it (first data row), so make that an error here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False,
                              skipinitialspace=True, index_col=False)
    except pd.errors.ParserWarning:
        raise CsvFileError(f"{name} line 2: more fields than the header has") from None
    except pd.errors.EmptyDataError:
        raise CsvFileError(f"{name} is empty") from None
    except pd.errors.ParserError as exc:
        text = str(exc)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        if m:
            raise CsvFileError(f"{name} line {m.group(2)}: expected {m.group(1)} fields, "
                               f"saw {m.group(3)}") from None
        m = re.search(r"line (\d+)", text)
        where = f" line {m.group(1)}" if m else ""
        raise CsvFileError(f"{name}{where}: not valid CSV ({text.strip()})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CsvFileError(f"{name}: cannot read ({exc})") from None
    return raw


def read_bars_csv(path: Path, symbol: str) -> pd.DataFrame:
    """Read one CSV file into a bar frame, or raise CsvFileError naming the file and line."""
    import numpy as np
    import pandas as pd

    clean = _read_clean(path, symbol)
    if clean is not None:
        return clean
    name = path.name
    raw = _read_cells(path)
    raw.columns = [_canonical(str(c)) for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise CsvFileError(f"{name} line 1: missing column {', '.join(missing)} "
                           f"(expected {','.join((*REQUIRED, *OPTIONAL))})")
    raw = raw[[c for c in (*REQUIRED, *OPTIONAL) if c in raw.columns]]
    cells = raw.fillna("").apply(lambda s: s.str.strip())
    lines = np.arange(len(cells)) + 2  # the header is line 1
    blank = (cells == "").all(axis=1).to_numpy()
    cells, lines = cells[~blank], lines[~blank]
    if cells.empty:
        raise CsvFileError(f"{name} has no bars")

    def fail(mask, message) -> None:
        bad = np.flatnonzero(np.asarray(mask))
        if bad.size:
            i = int(bad[0])
            raise CsvFileError(f"{name} line {int(lines[i])}: {message(i)}")

    dates = pd.to_datetime(cells["Date"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    fail(dates.isna(), lambda i: f"date {cells['Date'].iloc[i]!r} is not a date (use YYYY-MM-DD)")
    dup = dates.duplicated(keep="first").to_numpy()
    fail(dup, lambda i: f"date {cells['Date'].iloc[i][:10]} appears twice")
    latest = latest_plausible_day()
    fail((dates > pd.Timestamp(latest)).to_numpy(),
         lambda i: f"date {cells['Date'].iloc[i][:10]} is in the future (the latest a daily bar "
                   f"can be is {latest})")

    numbers = {}
    for col in (c for c in _NUMERIC if c in cells.columns):
        text = cells[col]
        values = pd.to_numeric(text, errors="coerce")
        empty = (text == "").to_numpy()
        if col not in _MAY_BE_EMPTY:
            fail(empty, lambda i, c=col: f"{c.lower()} is missing")
        fail(values.isna().to_numpy() & ~empty,
             lambda i, c=col, t=text: f"{c.lower()} is not a number ({t.iloc[i]!r})")
        fail(~np.isfinite(values.to_numpy(dtype="float64")) & ~empty,
             lambda i, c=col, t=text: f"{c.lower()} is not a finite number ({t.iloc[i]!r})")
        numbers[col] = values.to_numpy(dtype="float64")
    fail(numbers["High"] < numbers["Low"],
         lambda i: f"high {numbers['High'][i]:g} is below low {numbers['Low'][i]:g}")
    fail((numbers["Close"] <= 0),
         lambda i: f"close {numbers['Close'][i]:g} is not a positive price")
    if "Volume" in numbers:
        fail(numbers["Volume"] < 0, lambda i: f"volume {numbers['Volume'][i]:g} is negative")

    frame = pd.DataFrame(numbers, index=pd.DatetimeIndex(dates.to_numpy(), name="date"))
    return normalize_bars(frame, tz=tz_for(symbol))


class CsvDirSource:
    """Bars from a folder of ``<SYMBOL>.csv`` files (see the module docstring)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder).expanduser()
        self.name = f"csv:{self.folder}"

    def _file_for(self, symbol: str) -> Path | None:
        wanted = f"{file_stem(symbol)}.csv"
        path = self.folder / wanted
        if path.is_file():
            return path
        try:  # tolerate kre.csv / KRE.CSV
            for candidate in self.folder.iterdir():
                if candidate.name.lower() == wanted.lower() and candidate.is_file():
                    return candidate
        except OSError:
            return None
        return None

    def available_symbols(self) -> list[str]:
        """Symbols that have a file in the folder (names that are not valid symbols are skipped)."""
        out = []
        try:
            files = sorted(self.folder.glob("*.csv"))
        except OSError:
            return []
        for path in files:
            try:
                out.append(from_file_stem(path.stem))
            except SymbolError:
                continue
        return out

    def fetch(self, symbols: Sequence[str]) -> FetchResult:
        bars: dict[str, pd.DataFrame] = {}
        valid, errors = split_valid(symbols)
        note = ""
        if not self.folder.is_dir():
            note = f"folder {self.folder} does not exist"
        for sym in valid:
            path = self._file_for(sym)
            if path is None:
                errors[sym] = f"no file {file_stem(sym)}.csv in {self.folder}"
                continue
            try:
                bars[sym] = read_bars_csv(path, sym)
            except CsvFileError as exc:
                errors[sym] = str(exc)
        return FetchResult(bars=bars, source=self.name, fetched_at=datetime.now(UTC),
                           errors=errors, note=note)
