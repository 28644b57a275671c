"""The facts memo: unchanged bars are not re-analysed, changed bars are, and it stays bounded."""

from analysis.config import Config
from analysis.facts_cache import FactsCache, fingerprint
from analysis.pipeline import Pipeline
from analysis.sources.base import FetchResult
from analysis.sources.sample import SampleSource, load_sample


def test_fingerprint_changes_when_any_close_is_revised():
    bars = load_sample("ETH-USD")
    revised = bars.copy()
    revised.iloc[100, revised.columns.get_loc("close")] *= 1.009  # Yahoo revises crypto history
    assert fingerprint(bars) == fingerprint(bars.copy())
    assert fingerprint(bars) != fingerprint(revised)


def test_cache_is_bounded_and_drops_the_least_recently_used():
    cache = FactsCache(maxsize=3)
    for k in range(5):
        cache.get(k, lambda k=k: k * 10)
    assert len(cache) == 3
    assert cache.get(4, lambda: "recomputed") == 40
    assert cache.get(0, lambda: "recomputed") == "recomputed"


def test_a_second_refresh_reuses_facts_and_a_new_bar_is_analysed_again():
    pipe = Pipeline(Config(), SampleSource())
    fetched = pipe.fetch(["SPY", "KRE", "XLK"])
    first = pipe.analyze(fetched).snapshot
    again = pipe.analyze(fetched).snapshot
    assert pipe.cache.hits == 3 and again.symbols["KRE"] is first.symbols["KRE"]
    kre = fetched.bars["KRE"].copy()
    kre.iloc[-1, kre.columns.get_loc("close")] += 1.0
    changed = FetchResult({**fetched.bars, "KRE": kre}, "sample", fetched.fetched_at)
    third = pipe.analyze(changed).snapshot
    assert third.symbols["KRE"].last == first.symbols["KRE"].last + 1.0
    assert third.symbols["XLK"] is first.symbols["XLK"]
