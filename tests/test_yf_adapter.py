"""yfinance's private API as the Yahoo source and the tests use it
(``analysis.sources.yf_adapter``): fails loudly, naming the piece, when a yfinance release moves
or changes one of them."""

import yfinance.base as yf_base
import yfinance.cache as yf_cache
from yfinance.data import SingletonMeta, YfData

from analysis.sources.yf_adapter import (
    CACHE_MANAGERS,
    DB_MANAGERS,
    clear_response_cache,
    forget_process_state,
    yahoo_data,
)


def test_the_client_is_a_singleton_with_a_raw_json_call():
    forget_process_state()
    data = yahoo_data(None)
    assert isinstance(data, YfData) and callable(data.get_raw_json)
    assert yahoo_data(None) is data
    assert YfData in SingletonMeta._instances


def test_forgetting_the_process_state_drops_the_singleton_and_the_caches():
    first = yahoo_data(None)
    forget_process_state()
    assert YfData not in SingletonMeta._instances
    assert yahoo_data(None) is not first
    for name, attr in CACHE_MANAGERS:
        assert getattr(getattr(yf_cache, name), attr) is None, name
    for name in DB_MANAGERS:
        assert getattr(yf_cache, name)._db is None, name
    assert yf_base._tz_info_fetch_ctr == 0


def test_the_response_cache_can_be_cleared():
    assert callable(getattr(YfData.cache_get, "cache_clear", None)), "YfData.cache_get has no cache"
    clear_response_cache()
