"""One yfinance call at a time, under our deadline, with yfinance's reasons in plain words.

yfinance can block for minutes on a silent network, so every call runs in a daemon worker thread
joined with a timeout. While a call is still stuck no other one starts (process-wide), so a silent
network cannot pile up threads. During a call yfinance's per-symbol error messages are collected
and it is told to report real exceptions (DNS failure, timeout, bad JSON) rather than a guess
("possibly delisted"); ``plain`` turns them into words for the header, ``is_transient`` says
whether trying again later may help.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_TRANSIENT = re.compile(
    r"too many requests|rate.?limit|\b429\b|\b5\d\d\b|timed? ?out|timeout|connection|resolve|"
    r"curl|session|currently down|right back|expecting value|json|decode|possibly delisted",
    re.IGNORECASE,
)


EMPTY_ANSWER = "no bars for that range"


def is_empty_answer(why: str) -> bool:
    """True when Yahoo answered properly with no bars for the range asked (a weekend, a holiday,
    nothing new yet): yfinance's "no price data found", which it raises (with its exceptions
    shown, as ``yfinance_reasons`` has it) only for a well-formed answer without prices; an empty
    or garbled body raises a JSON error instead."""
    return "no price data found" in why.lower() or EMPTY_ANSWER in why


def is_transient(why: str) -> bool:
    """True when a failure may go away on retry (rate limit, 5xx, network, bad answer); an empty
    but well-formed answer is an answer, not a failure."""
    return not is_empty_answer(why) and bool(_TRANSIENT.search(why))


@dataclass
class _Call:
    thread: threading.Thread
    started: float
    what: str


_GUARD = threading.Lock()
_SERIAL = itertools.count(1)
_INFLIGHT: _Call | None = None
_CACHE_DIR: str | None = None


class Busy(Exception):
    """A previous call is still running; nothing was started."""

    def __init__(self, age: float, what: str) -> None:
        super().__init__(f"a previous Yahoo request ({what}) has not returned after {age:.0f} s")


class TimedOut(Exception):
    """The call overran its timeout; it keeps running in its daemon thread."""


def wait_idle(timeout: float) -> bool:
    """Wait up to ``timeout`` s for a running yfinance call to finish; True when idle."""
    with _GUARD:
        call = _INFLIGHT
    if call is not None:
        call.thread.join(timeout)
        return not call.thread.is_alive()
    return True


def run_guarded(fn: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run ``fn`` in a daemon thread; raise TimedOut after ``timeout`` s, Busy if one is stuck."""
    global _INFLIGHT
    box: dict[str, Any] = {}
    with _GUARD:
        if _INFLIGHT is not None and _INFLIGHT.thread.is_alive():
            raise Busy(time.monotonic() - _INFLIGHT.started, _INFLIGHT.what)

        def work() -> None:
            global _INFLIGHT
            try:
                box["value"] = fn()
            except BaseException as exc:  # noqa: BLE001 - everything from yfinance is caught
                box["error"] = exc
            finally:
                with _GUARD:
                    if _INFLIGHT is call:
                        _INFLIGHT = None

        thread = threading.Thread(target=work, daemon=True, name=f"yahoo-{next(_SERIAL)} {what}")
        call = _Call(thread, time.monotonic(), what)
        _INFLIGHT = call
        thread.start()
    thread.join(max(0.0, timeout))
    if thread.is_alive():
        raise TimedOut(what)
    if "error" in box:
        raise box["error"]
    return box["value"]


def configure_yfinance(yf: Any) -> None:
    """Point yfinance's tz/cookie caches into our cache dir (once; not the user's home)."""
    global _CACHE_DIR
    from analysis.paths import cache_dir

    target = str(cache_dir() / "yf-tz")
    if target != _CACHE_DIR:
        yf.set_tz_cache_location(target)
        # yfinance (under pandas 3) warns about its own deprecated calls; not the user's concern.
        warnings.filterwarnings("ignore", module=r"yfinance(\.|$)")
        _CACHE_DIR = target


class _Collect(logging.Handler):
    """Keeps yfinance's warnings/errors of one call (they carry the per-symbol reasons)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # a bad log record must not break a fetch
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def yfinance_reasons():
    """Inside one guarded call: collect yfinance's per-symbol error messages, and have yfinance
    report the real exception (DNS failure, timeout, bad JSON) instead of a guess ("possibly
    delisted"). Only one yfinance call runs at a time, so flipping its global flag is safe.

    yfinance keeps responses of its time-zone lookups in an in-memory LRU cache, bad ones (a 5xx
    page, an empty body) included, which would make every retry fail the same way; it is cleared
    first. (Good time zones persist in its on-disk cache, in our cache dir.)"""
    from yfinance.config import YfConfig

    from analysis.sources.yf_adapter import clear_response_cache

    clear_response_cache()
    collect, logger = _Collect(), logging.getLogger("yfinance")
    logger.addHandler(collect)
    hide = YfConfig.debug.hide_exceptions
    YfConfig.debug.hide_exceptions = False
    try:
        yield collect.messages
    finally:
        YfConfig.debug.hide_exceptions = hide
        logger.removeHandler(collect)


def plain(why: str) -> str:
    """yfinance's wording (often an exception repr) -> what happened, for the header."""
    low = why.lower()
    if is_empty_answer(why):
        return EMPTY_ANSWER
    for needles, words in (
        (("too many requests", "rate limit"), "Yahoo is rate-limiting requests (HTTP 429)"),
        (("could not resolve", "dnserror"), "cannot resolve Yahoo's address (no network or DNS)"),
        (("curl: (28)", "timed out", "timeout"), "Yahoo timed out"),
        (("curl: (7)", "connection", "connect"), "cannot connect to Yahoo"),
        (("currently down", "right back"), "Yahoo is down (server error)"),
        (("sessionclosed", "session is closed"), "the Yahoo request was abandoned"),
        (("http error 404", "404:", "quote not found"),
         "Yahoo does not know this symbol (HTTP 404)"),
        (("no data found", "may be delisted"), "Yahoo has no data for this symbol"),
        (("expecting", "decode", "json"), "Yahoo sent an empty or garbled answer"),
        (("possibly delisted",), "Yahoo sent no usable data"),
    ):
        if any(n in low for n in needles):
            return words
    return why if len(why) <= 160 else why[:157] + "..."


def reason_for(symbol: str, messages: Sequence[str]) -> str:
    marks = (f"${symbol}:", f"'{symbol}'", f"{symbol}:")
    found = [m for m in messages if any(k in m for k in marks)]
    if not found:
        return "Yahoo returned no bars"
    text = found[-1]
    for mark in marks:
        text = text.replace(mark, "")
    text = re.sub(r"^\s*\[[^\]]*\]\s*", "", text).strip(" :")
    return text or "Yahoo returned no bars"
