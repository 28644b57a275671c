import pytest

from analysis.symbols import (
    SymbolError,
    file_stem,
    from_file_stem,
    is_crypto,
    parse_symbols,
    validate_symbol,
)


@pytest.mark.parametrize(
    "good,expected",
    [("kre", "KRE"), (" ^RUT ", "^RUT"), ("BTC-USD", "BTC-USD"), ("BRK.B", "BRK.B"),
     ("ES=F", "ES=F")],
)
def test_valid_symbols_are_normalised(good, expected):
    assert validate_symbol(good) == expected


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "../x", "A B", "X" * 200, "KRE;DROP TABLE bars", "K'RE", "A/B", "A\x00B", "ＫＲＥ",
     "КRE", "a\nb", "..", "A..B", "$SPY", "-KRE"],
)
def test_hostile_symbols_are_rejected_with_a_message(bad):
    with pytest.raises(SymbolError) as err:
        validate_symbol(bad)
    assert str(err.value)


def test_parse_symbols_keeps_order_and_drops_duplicates():
    assert parse_symbols("kre, XLK  kre,^rut") == ["KRE", "XLK", "^RUT"]


def test_crypto_and_file_stems():
    assert is_crypto("ETH-USD") and not is_crypto("KRE")
    assert file_stem("^RUT") == "_RUT" and from_file_stem("_RUT") == "^RUT"


@pytest.mark.parametrize(("raw", "said"), [
    ("../x", "'/' (character 3) is not allowed"),
    ("AB$C", "'$' (character 3) is not allowed"),
    ("BRK B", "' ' (character 4) is not allowed"),
    (".X", "it cannot start with '.'"),
    ("-USD", "it cannot start with '-'"),
])
def test_a_refused_symbol_names_the_wrong_character_and_where(raw, said):
    with pytest.raises(SymbolError) as caught:
        validate_symbol(raw)
    assert said in str(caught.value)
