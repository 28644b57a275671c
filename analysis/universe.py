"""A universe of members to scan: read from a symbol list, an iShares holdings CSV or a csv:DIR.

Three forms of ``spec`` (``[universe] file`` in the config, ``--universe FILE`` on a command):

- a plain list: one symbol a line (blank lines and ``#`` comments ignored), or a CSV whose header
  has a ``Symbol`` or ``Ticker`` column (``Name`` and ``Sector`` columns are kept when present);
- an iShares fund holdings CSV as downloaded from the fund's page: preamble lines (fund name, date),
  then the header ``Ticker,Name,Sector,Asset Class,...``, the holdings, and a disclaimer after a
  blank line. Only rows whose ``Asset Class`` is ``Equity`` are members: cash, futures, money-market
  and other rows are skipped (counted in ``Universe.skipped``);
- ``csv:DIR``: every ``<SYMBOL>.csv`` in the folder (``_RUT.csv`` is ``^RUT``).

Symbols are validated as everywhere else (``analysis.symbols``). A bad row is reported in
``Universe.problems`` with its file and line ("ishares.csv line 14: ...") and the others load; a
symbol listed twice is kept once (the first row). A file that cannot be read at all raises
UniverseError.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from analysis.symbols import SymbolError, from_file_stem, validate_symbol

SYMBOL_COLUMNS = ("symbol", "ticker")
EQUITY = "equity"
HEADER_SEARCH_LINES = 30  # the header of a holdings file is within its first lines


class UniverseError(ValueError):
    """A universe that cannot be read at all (missing file, no members); the message is for the
    user."""


@dataclass(frozen=True)
class Member:
    """One member of a universe; ``name`` and ``sector`` are empty when the file has none."""

    symbol: str
    name: str = ""
    sector: str = ""


@dataclass(frozen=True)
class Universe:
    """The members (in file order, each once), what was refused (``problems``: one line each,
    naming the file and line) and how many non-equity rows were skipped."""

    spec: str
    members: tuple[Member, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0

    def symbols(self) -> tuple[str, ...]:
        """The members' symbols, in order."""
        return tuple(m.symbol for m in self.members)

    def by_symbol(self) -> dict[str, Member]:
        """Symbol -> member."""
        return {m.symbol: m for m in self.members}

    def has_sectors(self) -> bool:
        """True when at least one member has a sector."""
        return any(m.sector for m in self.members)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in next(csv.reader([line]), [])]


def _header_at(lines: list[str]) -> tuple[int, dict[str, int]] | None:
    """The index of the header line (the first with a Symbol/Ticker cell) and its columns."""
    for i, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        cols = {c.lower(): n for n, c in enumerate(_cells(line)) if c}
        if any(k in cols for k in SYMBOL_COLUMNS) and (len(cols) > 1 or i == 0):
            return i, cols
    return None


class _Collector:
    """Members in order, each once, and the problems found on the way."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.members: dict[str, Member] = {}
        self.problems: list[str] = []
        self.skipped = 0

    def add(self, raw: str, line: int, name: str = "", sector: str = "") -> None:
        try:
            sym = validate_symbol(raw)
        except SymbolError as exc:
            self.problems.append(f"{self.label} line {line}: {exc}")
            return
        self.members.setdefault(sym, Member(sym, name, sector))

    def universe(self, spec: str) -> Universe:
        return Universe(spec, tuple(self.members.values()), tuple(self.problems), self.skipped)


def _read_table(lines: list[str], at: int, cols: dict[str, int], out: _Collector) -> None:
    """Rows of a CSV with a header at ``lines[at]``; after a preamble (a holdings file) the table
    ends at the first blank line (the disclaimer follows)."""
    sym_col = next(cols[k] for k in SYMBOL_COLUMNS if k in cols)
    name_col, sector_col = cols.get("name"), cols.get("sector")
    asset_col = cols.get("asset class")
    holdings = at > 0
    for n, line in enumerate(lines[at + 1:], start=at + 2):
        if not line.strip() or not line.strip(", \t"):
            if holdings and out.members:
                break
            continue
        row = _cells(line)
        if len(row) <= sym_col or not row[sym_col]:
            out.problems.append(f"{out.label} line {n}: no symbol in this row")
            continue
        if asset_col is not None and (len(row) <= asset_col or row[asset_col].lower() != EQUITY):
            out.skipped += 1
            continue

        def cell(col: int | None, row: list[str] = row) -> str:
            return row[col] if col is not None and col < len(row) else ""

        out.add(row[sym_col], n, cell(name_col), cell(sector_col))


def _read_list(lines: list[str], out: _Collector) -> None:
    """One symbol a line; ``#`` starts a comment."""
    for n, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            out.add(text.split(",", 1)[0], n)


def parse_universe(text: str, label: str = "universe") -> Universe:
    """A universe from a file's text (``label``, the file name, goes into the problems)."""
    lines = text.splitlines()
    out = _Collector(label)
    header = _header_at(lines)
    if header is None:
        _read_list(lines, out)
    else:
        _read_table(lines, header[0], header[1], out)
    return out.universe(label)


def _from_folder(folder: Path, spec: str) -> Universe:
    out = _Collector(folder.name)
    for path in sorted(folder.glob("*.csv")):
        try:
            sym = from_file_stem(path.stem)
        except SymbolError as exc:
            out.problems.append(f"{path.name}: {exc}")
            continue
        out.members.setdefault(sym, Member(sym))
    return out.universe(spec)


def load_universe(spec: str | Path, base: Path | None = None) -> Universe:
    """Read the universe ``spec`` (a file, or ``csv:DIR``); a relative path is taken from ``base``
    (the config file's folder) when given. Raises UniverseError when nothing can be read."""
    text = str(spec).strip()
    folder = text[4:].strip() if text.lower().startswith("csv:") else None
    path = Path(folder if folder is not None else text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if folder is not None:
        if not folder or not path.is_dir():
            raise UniverseError(f"universe {text}: no such folder {path}")
        universe = _from_folder(path, text)
    else:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise UniverseError(f"universe {text}: no such file {path}") from None
        except OSError as exc:
            raise UniverseError(f"universe {text}: cannot read ({exc})") from None
        try:
            body = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            body = raw.decode("latin-1")  # holdings files are sometimes saved as Windows-1252
        universe = parse_universe(io.StringIO(body).read(), path.name)
        universe = Universe(text, universe.members, universe.problems, universe.skipped)
    if not universe.members:
        why = f" ({universe.problems[0]})" if universe.problems else ""
        raise UniverseError(f"universe {text}: no members{why}")
    return universe


def universe_of_config(config) -> Universe | None:  # noqa: ANN001 - analysis.config.Config
    """The universe named by the config's ``[universe] file`` (relative to the config file's
    folder), or None when it names none."""
    spec = config.universe_spec.file
    if not spec:
        return None
    base = config.path.parent if config.path is not None else None
    return load_universe(spec, base)
