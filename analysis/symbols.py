"""Symbol syntax: validate a ticker before it touches a URL, a file name or SQL."""

from __future__ import annotations

import re

MAX_SYMBOL_LENGTH = 20
_SYMBOL_RE = re.compile(r"^[A-Z0-9^][A-Z0-9.\-^=]*$")
CRYPTO_QUOTES = ("-USD", "-USDT", "-EUR", "-BTC", "-ETH")


class SymbolError(ValueError):
    """A symbol that is not valid Yahoo syntax; the message says why, for the user."""


def validate_symbol(raw: str) -> str:
    """Return the normalised (upper-case, stripped) symbol or raise SymbolError saying why."""
    if not isinstance(raw, str):
        raise SymbolError(f"symbol must be text, not {type(raw).__name__}")
    sym = raw.strip().upper()
    if not sym:
        raise SymbolError("symbol is empty")
    if len(sym) > MAX_SYMBOL_LENGTH:
        raise SymbolError(f"symbol is {len(sym)} characters long; at most {MAX_SYMBOL_LENGTH}")
    if not sym.isascii() or not _SYMBOL_RE.match(sym):
        shown = sym if sym.isprintable() else repr(sym)
        raise SymbolError(f"{shown!s} is not a valid symbol: {what_is_wrong(sym)}")
    if ".." in sym:
        raise SymbolError(f"{sym} is not a valid symbol: '..' is not allowed")
    return sym


def what_is_wrong(sym: str) -> str:
    """Which character of an (upper-cased) symbol is not allowed, and where: "'/' (character 3)
    is not allowed; use letters, digits and . - ^ = only", or what it cannot start with."""
    rule = "use letters, digits and . - ^ = only"
    for i, ch in enumerate(sym, start=1):
        if not (ch.isascii() and (ch.isalnum() or ch in ".-^=")) or ch.islower():
            return f"{ch!r} (character {i}) is not allowed; {rule}"
    return f"it cannot start with {sym[0]!r}; start with a letter, a digit or ^"


def parse_symbols(text: str) -> list[str]:
    """Split a comma/space separated list and validate each symbol (order kept, no duplicates)."""
    out: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part:
            sym = validate_symbol(part)
            if sym not in out:
                out.append(sym)
    return out


def split_valid(symbols) -> tuple[list[str], dict[str, str]]:
    """Validate many symbols: the valid ones (normalised, in order, once each) and, for the rest,
    the raw text -> why it was refused. Sources use it so one bad symbol never stops the others."""
    valid: list[str] = []
    refused: dict[str, str] = {}
    for raw in symbols:
        try:
            sym = validate_symbol(raw)
        except SymbolError as exc:
            refused[str(raw)] = str(exc)
            continue
        if sym not in valid:
            valid.append(sym)
    return valid, refused


def is_crypto(symbol: str) -> bool:
    """True for a Yahoo crypto pair such as BTC-USD (trades 24/7, bars in UTC)."""
    return symbol.upper().endswith(CRYPTO_QUOTES) and not symbol.startswith("^")


def file_stem(symbol: str) -> str:
    """The file-name form of a symbol: `^` is written as `_` (^RUT -> _RUT)."""
    return validate_symbol(symbol).replace("^", "_")


def from_file_stem(stem: str) -> str:
    """Inverse of file_stem: _RUT -> ^RUT."""
    return validate_symbol(stem.replace("_", "^", 1) if stem.startswith("_") else stem)
