"""The user's TOML config: typed defaults for a trader today (``examples/article.toml`` is the seed
article's own set-up: its race and its Russell 2000 weights), loading, and errors that name the
file, the line and the key.

The config file is the user's own hand-written file; Basewatch never rewrites it (edits made in the
app go to the state file, see ``analysis.state``).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.config_example import EXAMPLE as EXAMPLE  # the documented defaults
from analysis.symbols import SymbolError, validate_symbol


class ConfigError(ValueError):
    """A config problem, with the file, line and key it concerns, for a clear one-line message."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None,
                 key: str | None = None) -> None:
        self.path, self.line, self.key, self.reason = path, line, key, message
        where = str(path) if path else "config"
        if line:
            where += f", line {line}"
        if key:
            where += f", key '{key}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Sector:
    """A sector of the benchmark index, the ETF that tracks it, and its weight in the index (%)."""

    name: str
    etf: str
    weight: float | None = None


@dataclass(frozen=True)
class Benchmark:
    """The small-vs-large pair, and the benchmark every symbol's relative strength is against.

    ``weights_of`` is the fund whose index the sector weights are of (its fund data gives them
    live): SPY, the S&P 500, whose sectors the default sector ETFs are. Offline only IWM (the
    Russell 2000) has a bundled table; for another fund the config's own weights, else "—".
    """

    small: str = "IWM"
    large: str = "SPY"
    rs_against: str = "SPY"
    weights_of: str = "SPY"


@dataclass(frozen=True)
class Race:
    """A reference-high race: who first trades above their own high of ``reference_date``.

    ``start`` is when the race was set up; crossings before it don't count. Empty means the as-of
    date. No symbols (the default): no race.
    """

    symbols: tuple[str, ...] = ()
    reference_date: str = ""
    start: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Numbers behind the facts and the breakout state machine (percent values are in %)."""

    drawdown_pct: float = 20.0
    near_pct: float = 3.0
    extended_pct: float = 5.0
    confirm_volume_ratio: float = 1.4
    fail_sessions: int = 10
    fail_pct: float = 8.0
    near_exit_pct: float = 5.0
    margin_pct: float = 1.0
    streak_milestones: tuple[int, ...] = (5, 8, 10, 12)
    leaders_window: int = 21

    def breakout_rules(self):
        """These thresholds as the breakout state machine's rules."""
        from analysis.facts.breakout import BreakoutRules

        return BreakoutRules(near_pct=self.near_pct, extended_pct=self.extended_pct,
                             confirm_volume_ratio=self.confirm_volume_ratio,
                             fail_sessions=self.fail_sessions, fail_pct=self.fail_pct,
                             near_exit_pct=self.near_exit_pct, margin_pct=self.margin_pct)


@dataclass(frozen=True)
class RefreshCadence:
    """Refresh cadence in seconds: often while the market is open, rarely when it is closed."""

    market_open: int = 60
    market_closed: int = 900
    crypto: int = 300
    deadline: int = 45


@dataclass(frozen=True)
class Alerts:
    """How events reach the trader beyond the screen: the bell, and a command run per event."""

    bell: bool = False
    command: tuple[str, ...] = ()
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class UniverseSpec:
    """The members to scan (the setups screen, RS ratings, breadth): ``file`` is a symbol list, an
    iShares holdings CSV or ``csv:DIR`` (see ``analysis.universe``); a relative path is taken from
    the config file's folder. Empty: no universe."""

    file: str = ""


DEFAULT_WATCHLIST: tuple[str, ...] = (
    "IWM", "^RUT", "SPY", "^GSPC", "QQQ", "DIA", "IJR", "KRE", "XLF", "XLI", "XLV", "XLK",
    "SOXX", "SMH", "^VIX",
)
DEFAULT_SECTORS: tuple[Sector, ...] = (
    Sector("Financials", "XLF"),
    Sector("Industrials", "XLI"),
    Sector("Health Care", "XLV"),
    Sector("Information Technology", "XLK"),
    Sector("Consumer Discretionary", "XLY"),
    Sector("Energy", "XLE"),
    Sector("Consumer Staples", "XLP"),
    Sector("Communication Services", "XLC"),
    Sector("Materials", "XLB"),
    Sector("Real Estate", "XLRE"),
    Sector("Utilities", "XLU"),
)
"""The S&P 500's eleven sectors and their Select Sector SPDR ETFs (weights from SPY's fund data)."""
DEFAULT_CRYPTO: tuple[str, ...] = ("BTC-USD", "ETH-USD", "SOL-USD")


@dataclass(frozen=True)
class Config:
    """Everything the user can set. The defaults serve a trader today (no race, S&P 500 sector
    weights); ``examples/article.toml`` reproduces the seed article's set-up."""

    watchlist: tuple[str, ...] = DEFAULT_WATCHLIST
    sectors: tuple[Sector, ...] = DEFAULT_SECTORS
    crypto: tuple[str, ...] = DEFAULT_CRYPTO
    benchmark: Benchmark = field(default_factory=Benchmark)
    race: Race = field(default_factory=Race)
    thresholds: Thresholds = field(default_factory=Thresholds)
    refresh: RefreshCadence = field(default_factory=RefreshCadence)
    alerts: Alerts = field(default_factory=Alerts)
    universe_spec: UniverseSpec = field(default_factory=UniverseSpec)  # the [universe] table
    theme: str = "basewatch-dark"
    source: str = "auto"
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None

    def universe(self) -> tuple[str, ...]:
        """Every symbol the app needs, each once: watchlist, benchmarks, sector ETFs, crypto."""
        seen: dict[str, None] = {}
        for sym in (*self.watchlist, self.benchmark.small, self.benchmark.large,
                    self.benchmark.rs_against, *(s.etf for s in self.sectors), *self.crypto,
                    *self.race.symbols):
            seen.setdefault(sym, None)
        return tuple(seen)


_SECTIONS: dict[str, type] = {
    "benchmark": Benchmark,
    "race": Race,
    "thresholds": Thresholds,
    "refresh": RefreshCadence,
    "alerts": Alerts,
    "universe": UniverseSpec,
}
_FIELD_OF = {"universe": "universe_spec"}  # a section whose Config field has another name
_TOP_KEYS = {"watchlist", "sectors", "crypto", "theme", "source", "keys", *_SECTIONS}


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """Best-effort line number of ``key`` (inside ``[section]`` when given) in the TOML text."""
    in_section = section is None
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    header = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
    for n, line in enumerate(text.splitlines(), start=1):
        m = header.match(line)
        if m:
            name = m.group(1)
            if section is not None and name in (f"sectors.{key}", f"{section}.{key}"):
                return n
            in_section = section is None or name == section
            continue
        if in_section and pattern.match(line):
            return n
    return None


class _Loader:
    def __init__(self, path: Path | None, text: str) -> None:
        self.path, self.text = path, text

    def error(self, msg: str, key: str, section: str | None = None) -> ConfigError:
        return ConfigError(msg, self.path, _line_of(self.text, key.split(".")[-1], section), key)

    def symbol(self, value: Any, key: str, section: str | None = None) -> str:
        if not isinstance(value, str):
            raise self.error(f"expected a symbol (text), got {value!r}", key, section)
        try:
            return validate_symbol(value)
        except SymbolError as exc:
            raise self.error(str(exc), key, section) from exc

    def symbols(self, value: Any, key: str, section: str | None = None) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error("expected a list of symbols", key, section)
        out = tuple(dict.fromkeys(self.symbol(v, key, section) for v in value))
        return out

    def section(self, cls: type, raw: Any, name: str) -> Any:
        if not isinstance(raw, dict):
            raise self.error("expected a table", name)
        defaults = cls()
        values: dict[str, Any] = {}
        for key, value in raw.items():
            qual = f"{name}.{key}"
            if key not in {f.name for f in dataclasses.fields(cls)}:
                known = ", ".join(f.name for f in dataclasses.fields(cls))
                raise self.error(f"unknown key (known: {known})", qual, name)
            values[key] = self.value(getattr(defaults, key), value, qual, name)
        return dataclasses.replace(defaults, **values)

    def value(self, default: Any, value: Any, key: str, section: str) -> Any:
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise self.error(f"expected true or false, got {value!r}", key, section)
            return value
        if isinstance(default, int) and not isinstance(default, bool):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise self.error(f"expected a whole number >= 0, got {value!r}", key, section)
            return value
        if isinstance(default, float):
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise self.error(f"expected a number >= 0, got {value!r}", key, section)
            return float(value)
        if isinstance(default, str):
            if not isinstance(value, str):
                raise self.error(f"expected text, got {value!r}", key, section)
            return value
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise self.error("expected a list", key, section)
            if key.endswith("symbols"):
                return self.symbols(value, key, section)
            kinds = {type(x) for x in default} or {str}
            if not all(type(v) in kinds for v in value):
                names = "/".join(sorted(k.__name__ for k in kinds))
                raise self.error(f"expected a list of {names}", key, section)
            return tuple(value)
        raise self.error("cannot be set here", key, section)  # pragma: no cover

    def sectors(self, raw: Any) -> tuple[Sector, ...]:
        if not isinstance(raw, dict):
            raise self.error("expected a table: [sectors] Name = { etf = \"XLF\", weight = 18.6 }",
                             "sectors")
        out = []
        for name, spec in raw.items():
            key = f"sectors.{name}"
            if isinstance(spec, str):
                spec = {"etf": spec}
            if not isinstance(spec, dict):
                raise self.error("expected { etf = \"SYMBOL\", weight = PERCENT }", key, "sectors")
            unknown = set(spec) - {"etf", "weight"}
            if unknown:
                raise self.error(f"unknown key '{sorted(unknown)[0]}' (known: etf, weight)", key,
                                 "sectors")
            if "etf" not in spec:
                raise self.error("missing 'etf'", key, "sectors")
            weight = spec.get("weight")
            if weight is not None and (not isinstance(weight, int | float)
                                       or isinstance(weight, bool) or not 0 <= weight <= 100):
                raise self.error(f"weight must be a percentage 0-100, got {weight!r}", key,
                                 "sectors")
            out.append(Sector(name, self.symbol(spec["etf"], key, "sectors"),
                              None if weight is None else float(weight)))
        return tuple(out)

    def source(self, raw: str) -> str:
        """A source spec (`analysis.sources.select`); its folder is checked when it is used."""
        from analysis.sources.select import check_spec

        try:
            check_spec(raw, folder_must_exist=False)
        except ValueError as exc:
            raise self.error(str(exc), "source") from exc
        return raw

    def keys(self, raw: Any) -> Mapping[str, str]:
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise self.error("expected a table of binding id = \"key\"", "keys")
        return MappingProxyType(dict(raw))

    def load(self, data: dict[str, Any]) -> Config:
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in _TOP_KEYS:
                raise self.error(f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})", key)
            if key in _SECTIONS:
                values[_FIELD_OF.get(key, key)] = self.section(_SECTIONS[key], raw, key)
            elif key in ("watchlist", "crypto"):
                values[key] = self.symbols(raw, key)
            elif key == "sectors":
                values[key] = self.sectors(raw)
            elif key == "keys":
                values[key] = self.keys(raw)
            elif not isinstance(raw, str):
                raise self.error(f"expected text, got {raw!r}", key)
            elif key == "source":
                values[key] = self.source(raw)
            else:
                values[key] = raw
        race = values.get("race")
        if race is not None:
            self.check_race(race)
        return Config(path=self.path, **values)

    def check_race(self, race: Race) -> None:
        """No symbols (no race), or two with an ISO reference date (and start, when given)."""
        if not race.symbols:
            return
        if len(race.symbols) != 2:
            raise self.error("a race needs exactly two symbols (or none)", "race.symbols", "race")
        for key in ("reference_date", "start"):
            value = getattr(race, key)
            if not value and key == "start":
                continue
            try:
                date.fromisoformat(value)
            except ValueError:
                raise self.error(f"expected a date YYYY-MM-DD, got {value!r}", f"race.{key}",
                                 "race") from None


def parse_config(text: str, path: Path | None = None) -> Config:
    """Parse config text; raises ConfigError naming the file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        if line is None and "end of document" in str(exc):  # e.g. an unclosed [ or "
            line = max(1, len(text.splitlines()))
        raise ConfigError(f"not valid TOML: {exc}", path, line) from exc
    return _Loader(path, text).load(data)


def load_config(path: Path | None = None) -> Config:
    """Load the user's config (the default location unless ``path``); a missing file means defaults.

    An explicitly given ``path`` that does not exist is an error.
    """
    from analysis.paths import config_file

    explicit = path is not None
    path = Path(path) if explicit else config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError("file not found", path) from None
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from exc
    return parse_config(text, path)

