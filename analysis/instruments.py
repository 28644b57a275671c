"""What kind of instrument a symbol is: equity, ETF, index, volatility index, crypto, FX or future.

Where a live quote says (Yahoo's ``quoteType``), that decides; otherwise the bundled table
(``analysis/data/instruments.csv``, with its provenance in ``analysis/data/README.md``); otherwise
the symbol's syntax: a volatility index name (^VIX, ^VXN, ^VIX3M, ...), ``^`` an index, a
``-USD``-like pair a coin, ``=X`` a currency pair, ``=F`` a future; anything else an equity.

A volatility index measures expected swings, it is not an asset that trends and sets up: it gets no
bases, no breakout state and no record-high facts (`InstrumentKind.has_setups`). Yahoo calls it an
INDEX, so the volatility names refine its answer too.
"""

from __future__ import annotations

import csv
import re
from enum import StrEnum
from functools import cache
from importlib import resources

from analysis.symbols import is_crypto


class InstrumentKind(StrEnum):
    """The kind of a symbol; the value is the name `scan --json` prints as ``instrument``."""

    EQUITY = "equity"
    ETF = "etf"
    INDEX = "index"
    VOLATILITY = "volatility"
    CRYPTO = "crypto"
    FX = "fx"
    FUTURE = "future"

    @property
    def has_setups(self) -> bool:
        """Whether bases, breakouts and record highs mean anything for it (not for volatility)."""
        return self is not InstrumentKind.VOLATILITY

    @property
    def has_tick(self) -> bool:
        """Whether a pivot gets the 10-cent tick (a buy stop on a traded share; not on an index
        level, a coin, a rate or a volatility reading)."""
        return self in (InstrumentKind.EQUITY, InstrumentKind.ETF, InstrumentKind.FUTURE)


QUOTE_TYPES = {
    "EQUITY": InstrumentKind.EQUITY,
    "ETF": InstrumentKind.ETF,
    "MUTUALFUND": InstrumentKind.ETF,
    "INDEX": InstrumentKind.INDEX,
    "CRYPTOCURRENCY": InstrumentKind.CRYPTO,
    "CURRENCY": InstrumentKind.FX,
    "FUTURE": InstrumentKind.FUTURE,
}
# Cboe volatility indexes: VIX and its term/sector/asset siblings (VIX9D, VIX3M, VIX6M, VIX1Y,
# VVIX, VXN, VXD, RVX, VXEEM, VXEWZ, OVX, GVZ, EVZ, VXSLV, VXGDX, VXTLT, ...).
VOLATILITY_RE = re.compile(r"^\^(VIX\w*|VVIX|VX\w+|RVX|OVX|GVZ|EVZ)$")


@cache
def bundled() -> dict[str, InstrumentKind]:
    """The bundled table: symbol -> kind (``analysis/data/instruments.csv``)."""
    text = resources.files("analysis.data").joinpath("instruments.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["symbol"]: InstrumentKind(row["kind"]) for row in rows}


def from_syntax(symbol: str) -> InstrumentKind:
    """The kind the symbol's Yahoo syntax implies (equity when it implies nothing)."""
    sym = symbol.upper()
    if VOLATILITY_RE.match(sym):
        return InstrumentKind.VOLATILITY
    if sym.startswith("^"):
        return InstrumentKind.INDEX
    if is_crypto(sym):
        return InstrumentKind.CRYPTO
    if sym.endswith("=X"):
        return InstrumentKind.FX
    if sym.endswith("=F"):
        return InstrumentKind.FUTURE
    return InstrumentKind.EQUITY


def instrument_kind(symbol: str, quote_type: str | None = None) -> InstrumentKind:
    """The kind of ``symbol``: Yahoo's ``quote_type`` when given and known (an INDEX with a
    volatility name is a volatility index), else the bundled table, else the symbol's syntax."""
    sym = symbol.upper()
    live = QUOTE_TYPES.get((quote_type or "").upper())
    if live is InstrumentKind.INDEX and VOLATILITY_RE.match(sym):
        return InstrumentKind.VOLATILITY
    if live is not None:
        return live
    return bundled().get(sym) or from_syntax(sym)
