"""The figures docs/article.md states for the article's day (2025-12-09) are what analyze()
computes on the bundled sample: each one is read from the page and computed again, so a change to
the analysis that moves a figure fails here until the page says the new figure."""

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from analysis.config import Config, Race, load_config
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "docs" / "article.md").read_text(encoding="utf-8")
DAY = date(2025, 12, 9)
SYMBOLS = ["^RUT", "IWM", "SPY", "KRE", "XLI", "XLF", "XLK", "XLV", "SOXX", "SMH", "ETH-USD",
           "BTC-USD"]


def article_config() -> Config:
    """The article's own set-up: its example config where there is one, else its race."""
    example = ROOT / "examples" / "article.toml"
    if example.is_file():
        return load_config(example)
    return replace(Config(), race=Race(("ETH-USD", "BTC-USD"), "2025-11-10", "2025-12-09"))


@pytest.fixture(scope="module")
def snap():
    config = article_config()
    symbols = list(dict.fromkeys([*SYMBOLS, *config.universe()]))
    return Pipeline(config, SampleSource()).refresh(symbols, asof=DAY).snapshot


def stated(pattern: str) -> tuple[str, ...]:
    """The groups of ``pattern`` in the article page; fails if the page no longer says it."""
    found = re.search(pattern, ARTICLE)
    assert found, f"docs/article.md no longer states {pattern!r}: update the page and this test"
    return found.groups()


def same(text: str, value: float | None) -> bool:
    """``value`` rounded to the decimals the page shows equals the page's figure."""
    figure = text.replace(",", "")
    decimals = len(figure.split(".")[1]) if "." in figure else 0
    return value is not None and round(value, decimals) == float(figure)


def words(kind) -> str:
    """A kind or state as prose writes it ("flat base" for flat_base / "flat-base")."""
    text = str(getattr(kind, "words", None) or getattr(kind, "value", kind))
    return text.replace("_", " ").replace("-", " ")


def test_record_closes_and_intraday_records_of_the_russell(snap):
    day, rut, iwm = stated(r"closed at record highs on (\S+) \(([\d.]+) / ([\d.]+)\)")
    for sym, figure in (("^RUT", rut), ("IWM", iwm)):
        highs = snap.symbols[sym].highs
        assert highs.ath_close_date == date.fromisoformat(day) and same(figure, highs.ath_close)
    rut_hi, iwm_hi = stated(r"new \*\*intraday\*\* record \(([\d.]+) / ([\d.]+)\)")
    for sym, figure in (("^RUT", rut_hi), ("IWM", iwm_hi)):
        highs = snap.symbols[sym].highs
        assert highs.new_intraday_ath and not highs.new_closing_ath and same(figure, highs.ath_high)


def test_prior_cycle_peak(snap):
    day, peak, rut, iwm = stated(
        r"prior-cycle peak (\S+) \(\^RUT ([\d.]+)\): \^RUT ([+-][\d.]+)%, IWM ([+-][\d.]+)%")
    highs = snap.symbols["^RUT"].highs
    assert highs.prior_cycle_peak_date == date.fromisoformat(day)
    assert same(peak, highs.prior_cycle_peak) and same(rut, highs.pct_vs_prior_cycle_peak)
    assert same(iwm, snap.symbols["IWM"].highs.pct_vs_prior_cycle_peak)


def test_small_caps_against_large_caps(snap):
    trend, m1, m3, quadrant = stated(
        r"IWM/SPY: RS (\w+), 1m ([+-][\d.]+)%, 3m ([+-][\d.]+)%, quadrant \*\*(\w+)\*\*")
    pair = snap.market.pair
    assert (pair.symbol, pair.benchmark) == ("IWM", "SPY")
    assert pair.trend == trend and pair.quadrant == quadrant
    assert same(m1, pair.change_1m) and same(m3, pair.change_3m)


def test_kre_resistance_zone(snap):
    low, high, touches, first, last, price = stated(
        r"resistance zone \*\*\$([\d.]+)-([\d.]+), (\d+) touches, (\S+) \.\. (\S+)\*\*; "
        r"KRE at ([\d.]+) is inside it")
    kre = snap.symbols["KRE"]
    zone = next(z for z in kre.zones if z.kind == "resistance" and z.position == "inside")
    assert same(low, zone.low) and same(high, zone.high) and zone.touches == int(touches)
    assert (zone.first_touch, zone.last_touch) == (date.fromisoformat(first),
                                                   date.fromisoformat(last))
    assert same(price, kre.last)


def test_kre_active_base_and_its_state(snap):
    kind, start, depth, pivot, state, under = stated(
        r"The active base is a ([a-z ]+) from (\S+), ([\d.]+)% deep, pivot ([\d.]+), "
        r"state `(\w+)` \(([\d.]+)% under\)")
    kre = snap.symbols["KRE"]
    base = kre.bases[0]
    assert words(base.kind) == words(kind) and base.start == date.fromisoformat(start)
    assert same(depth, base.depth_pct) and same(pivot, base.pivot)
    assert words(kre.breakout.state) == words(state)
    assert same(under, -kre.breakout.pct_vs_level)  # negative below the level


def test_sector_bases(snap):
    xli, xli_state, xlf, xlf_state, xlk, xlk_state = stated(
        r"XLI consolidation near highs \(pivot ([\d.]+), `(\w+)`\), XLF flat base \(([\d.]+), "
        r"`(\w+)`\), XLK flat base \(([\d.]+), `(\w+)`\)")
    for sym, pivot, state in (("XLI", xli, xli_state), ("XLF", xlf, xlf_state),
                              ("XLK", xlk, xlk_state)):
        facts = snap.symbols[sym]
        assert same(pivot, facts.bases[0].pivot), sym
        assert words(facts.breakout.state) == words(state), sym


def test_xlk_streak(snap):
    (length,) = stated(r"XLK streak \*\*([+-]\d+)\*\* on 12-09")
    assert snap.symbols["XLK"].streak.length == int(length)


def test_the_race_to_the_november_high(snap):
    eth, btc, eth_gap, btc_gap = stated(
        r"levels ETH ([\d.]+), BTC ([\d.]+); on 12-09 ETH is ([\d.]+)% below, BTC ([\d.]+)%")
    entries = {e.symbol: e for e in snap.market.race.entries}
    assert same(eth, entries["ETH-USD"].level) and same(btc, entries["BTC-USD"].level)
    assert same(eth_gap, abs(entries["ETH-USD"].distance_pct))
    assert same(btc_gap, abs(entries["BTC-USD"].distance_pct))


def test_fomc_banner_and_financials_weight(snap):
    (banner,) = stated(r'banner "([^"]+)"')
    assert snap.market.fomc.banner == banner
    (weight,) = stated(r"Financials ([\d.]+)%")
    assert same(weight, snap.market.sector_weights.weights["Financials"])
