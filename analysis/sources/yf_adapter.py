"""Every use of yfinance's private API, in one place: its ``YfData`` client (Yahoo's cookie and
crumb handling, used for the quote endpoint yfinance has no public call for), the in-memory
response cache on it, and the process-wide state it keeps (a singleton and open cache databases).
yfinance is imported inside each function (it is slow to import). ``tests/test_yf_adapter.py``
fails loudly when a yfinance release moves any of these.
"""

from __future__ import annotations

from typing import Any

CACHE_MANAGERS: tuple[tuple[str, str], ...] = (
    ("_TzCacheManager", "_tz_cache"),
    ("_CookieCacheManager", "_Cookie_cache"),
    ("_ISINCacheManager", "_isin_cache"),
)
DB_MANAGERS: tuple[str, ...] = ("_TzDBManager", "_CookieDBManager", "_ISINDBManager")


def yahoo_data(session: Any) -> Any:
    """yfinance's Yahoo client on ``session``: ``get_raw_json(url, params=..., timeout=...)``
    with the cookie and crumb Yahoo wants."""
    from yfinance.data import YfData

    return YfData(session=session)


def clear_response_cache() -> None:
    """Forget the responses yfinance keeps in memory (bad ones included: a 5xx page, an empty
    body), so a retry asks Yahoo again. A yfinance without that cache has nothing to forget."""
    from yfinance.data import YfData

    clear = getattr(YfData.cache_get, "cache_clear", None)
    if clear is not None:
        clear()


def forget_process_state() -> None:
    """Forget everything yfinance keeps for the life of the process: the ``YfData`` singleton
    (its session, cookie and crumb), its response cache, the open tz/cookie/ISIN cache databases
    and the time-zone fetch counter. The tests call it so one test's Yahoo never leaks into the
    next."""
    import yfinance.base as yf_base
    import yfinance.cache as yf_cache
    from yfinance.data import SingletonMeta, YfData

    clear_response_cache()
    SingletonMeta._instances.pop(YfData, None)
    for name in DB_MANAGERS:
        manager = getattr(yf_cache, name)
        manager.close_db()
        manager._db = None
    for name, attr in CACHE_MANAGERS:
        setattr(getattr(yf_cache, name), attr, None)
    yf_base._tz_info_fetch_ctr = 0
