"""A fake Yahoo Finance for offline tests: a curl_cffi Session whose ``request`` answers locally.

It serves what yfinance 1.x asks for (read from the installed yfinance source):

- ``GET https://fc.yahoo.com`` (cookie) and ``GET https://query1.finance.yahoo.com/v1/test/getcrumb``
  (crumb), ``GET https://guce.yahoo.com/consent`` (the csrf cookie strategy, tried after an HTTP
  error) — minimal answers;
- ``GET https://query2.finance.yahoo.com/v8/finance/chart/{SYM}`` with ``period1``/``period2`` (or
  ``range``) and ``interval=1d``: chart JSON built from the REAL bundled bars
  (``analysis.sources.sample.load_sample``), cut at the fake's "today" (``asof``);
  ``range=1d`` is yfinance's time-zone lookup and is logged with ``kind="tz"``; an intraday
  ``interval`` (5m) gets 5-minute bars built from them (tests/fakeminutes.py, ``kind="minutes"``;
  ``minutes_until`` cuts the last session as if it were still trading);
- ``GET .../v10/finance/quoteSummary/{SYM}`` (fund data: sector weightings; also info): minimal
  JSON; unknown symbols get Yahoo's 404 error JSON;
- ``GET https://query1.finance.yahoo.com/v7/finance/quote?symbols=A,B,...`` (the batched quote):
  per known symbol, the ``asof`` session's bar as Yahoo's quote fields (``regularMarketPrice``,
  ``...DayHigh/DayLow/Volume/Open/Time``, ``regularMarketPreviousClose``), ``marketState`` and any
  pre-/post-market price set with ``set_extended``; unknown symbols are left out, as Yahoo does.

Knobs: ``asof`` (pretend today is that date; ``advance()`` moves it), ``aliases`` (serve a made-up
symbol with a bundled symbol's bars, for batching tests), ``inject(kind, times, symbol, on)``
faults on chart (or fund-data) requests ("429", "500", "502", "503", "hang", "empty", "garbled",
"truncated"; a hang lasts until ``release()``), ``set_last_bar``/``clear_last_bar`` (an intraday
quote for the last session: price/high/low/volume so far; the chart and the quote both serve it),
``market_state`` and ``quote_at`` (what the quote says about the session and when its last regular
trade was; default "CLOSED" and the ``asof`` session's close), ``set_extended``/``clear_extended``
(a pre- or post-market price), ``fund_sectors``, ``offline`` (True: every request fails to
connect, as with no network), ``recorded`` (symbol -> a real recorded chart body, from
``tests/yahoowire.py``, served for its history requests), ``recorded_quote`` (a quote body
served for every quote request). Faults can also target quotes:
``inject(kind, on="quote")``, and "refused" fails a request the way a refused connection does.
Unknown symbols get Yahoo's 404 JSON. Every request is appended to ``log`` (a ``Req``), so tests
can count requests and see which symbols and periods were asked for.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
from curl_cffi.requests import Response, Session
from curl_cffi.requests.exceptions import ConnectionError as CurlConnectionError
from curl_cffi.requests.exceptions import Timeout
from curl_cffi.requests.headers import Headers
from fakeminutes import minute_chart_answer
from fakequote import quote_answer

from analysis.sources.sample import available_symbols, load_sample
from analysis.symbols import is_crypto

UNKNOWN_CHART = {"chart": {"result": None, "error": {
    "code": "Not Found", "description": "No data found, symbol may be delisted"}}}
FAULTS = ("429", "500", "502", "503", "hang", "empty", "garbled", "truncated", "refused")
_REFUSED = ("Failed to perform, curl: (7) Failed to connect to query1.finance.yahoo.com port 443 "
            "after 0 ms: Could not connect to server")

# The Russell 2000 weights as Yahoo's fund data names them (fractions of 1), from the bundled table.
_R2K_YAHOO_KEYS = {
    "Financials": "financial_services", "Industrials": "industrials", "Health Care": "healthcare",
    "Information Technology": "technology", "Consumer Discretionary": "consumer_cyclical",
    "Energy": "energy", "Consumer Staples": "consumer_defensive",
    "Communication Services": "communication_services", "Materials": "basic_materials",
    "Real Estate": "realestate", "Utilities": "utilities",
}


def bundled_r2k_yahoo_weights() -> dict[str, float]:
    """The bundled Russell 2000 sector weights (2024-12-31) keyed and scaled the way Yahoo does."""
    from importlib import resources

    with (resources.files("analysis.data") / "russell2000_sector_weights.csv").open("rb") as fh:
        table = pd.read_csv(fh)
    return {_R2K_YAHOO_KEYS[row.sector]: row.weight_pct_2024_12_31 / 100.0
            for row in table.itertuples()}


@dataclass(frozen=True)
class Req:
    """One request the fake saw; ``kind``: cookie crumb consent chart tz minutes summary quote
    offline other."""

    method: str
    host: str
    path: str
    kind: str
    symbol: str | None
    params: dict[str, str]
    thread: str
    status: int  # 0: no answer (a hang)
    at: float = field(default_factory=time.monotonic)

    @property
    def period1(self) -> pd.Timestamp | None:
        p = self.params.get("period1")
        return pd.Timestamp(int(p), unit="s", tz="UTC") if p not in (None, "None", "") else None


class FakeYahoo(Session):
    """See the module docstring. Thread-safe; ``release()`` frees requests stuck in a "hang"."""

    def __init__(self, asof: str = "2025-12-09", *, aliases: dict[str, str] | None = None,
                 hang_seconds: float = 30.0) -> None:
        super().__init__()
        self.asof = pd.Timestamp(asof).normalize()
        self.aliases = dict(aliases or {})
        self.hang_seconds = hang_seconds
        self.log: list[Req] = []
        self.fund_sectors: dict[str, dict[str, float]] = {"IWM": bundled_r2k_yahoo_weights()}
        self._known = set(available_symbols())
        self._faults: deque[tuple[str, str | None, str]] = deque()
        self._last_bar: dict[str, dict[str, float]] = {}
        self.market_state = "CLOSED"
        self.quote_at: pd.Timestamp | None = None
        self._extended: dict[str, dict[str, tuple[float, pd.Timestamp]]] = {}
        self.offline = False
        self.minutes_until: pd.Timestamp | None = None
        self.recorded: dict[str, dict] = {}  # symbol -> a recorded real chart body (yahoowire)
        self.recorded_quote: dict | None = None  # a recorded quote body, served for every quote
        self._lock = threading.Lock()
        self._release = threading.Event()

    # -- knobs ------------------------------------------------------------------------------------

    def inject(self, kind: str, times: int = 1, symbol: str | None = None,
               on: str = "chart") -> None:
        """The next ``times`` requests of ``on`` ("chart": price history and time-zone lookups;
        "summary": quoteSummary/fund data; "quote": the batched v7 quote, for which ``symbol``
        means the comma-joined list) for ``symbol`` (or any) fail with ``kind``."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        if on not in ("chart", "summary", "quote"):
            raise ValueError("on: 'chart', 'summary' or 'quote'")
        with self._lock:
            self._faults.extend([(kind, symbol, on)] * times)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def advance(self, to: str) -> None:
        """Pretend today is ``to`` from now on (bars after it stay hidden until then)."""
        self.asof = pd.Timestamp(to).normalize()

    def set_last_bar(self, symbol: str, **values: float) -> None:
        """Override the bar of the ``asof`` session (price=, high=, low=, open=, volume= so far).

        ``price`` sets the close. If the sample has no bar that day, one is made from the override.
        """
        if "price" in values:
            values["close"] = values.pop("price")
        self._last_bar[symbol.upper()] = dict(values)

    def clear_last_bar(self, symbol: str | None = None) -> None:
        """Drop the intraday override(s): the session has closed and Yahoo has the final bar."""
        if symbol is None:
            self._last_bar.clear()
        else:
            self._last_bar.pop(symbol.upper(), None)

    def set_extended(self, symbol: str, session: str, price: float, at) -> None:
        """A pre-market ("pre") or after-hours ("post") trade of ``symbol`` at time ``at``."""
        if session not in ("pre", "post"):
            raise ValueError("session: 'pre' or 'post'")
        self._extended.setdefault(symbol.upper(), {})[session] = (float(price), pd.Timestamp(at))

    def clear_extended(self, symbol: str | None = None) -> None:
        if symbol is None:
            self._extended.clear()
        else:
            self._extended.pop(symbol.upper(), None)

    def release(self) -> None:
        """Let every hanging request go (each then fails with a curl Timeout, as curl would)."""
        self._release.set()

    # -- queries on the log -----------------------------------------------------------------------

    def requests_of(self, kind: str) -> list[Req]:
        with self._lock:
            return [r for r in self.log if r.kind == kind]

    def chart_symbols(self) -> list[str]:
        """Symbols of the history chart requests, in order (time-zone lookups excluded)."""
        return [r.symbol for r in self.requests_of("chart")]

    # -- serving ----------------------------------------------------------------------------------

    def bars_for(self, symbol: str) -> pd.DataFrame | None:
        """The bars the fake serves for ``symbol`` up to ``asof`` (None: unknown symbol)."""
        real = self.aliases.get(symbol, symbol)
        if real not in self._known:
            return None
        df = load_sample(real)
        cut = df[df.index.date <= self.asof.date()]
        override = self._last_bar.get(symbol)
        if override:
            day = pd.Timestamp(self.asof.date()).tz_localize(df.index.tz)
            row = cut.iloc[-1].to_dict() if len(cut) and cut.index[-1] == day else None
            if row is None:  # a session past the sample: open/high/low default to the price
                price = override.get("close", float(cut["close"].iloc[-1]) if len(cut) else 1.0)
                row = dict.fromkeys(("open", "high", "low", "close"), price) | {"volume": 0.0}
            row.update(override)
            row["high"] = max(row["high"], row["close"], row["open"])  # a quote so far stays
            row["low"] = min(row["low"], row["close"], row["open"])    # inside the day's range
            row["adj_close"] = override.get("adj_close", row["close"])
            extra = pd.DataFrame([row], index=pd.DatetimeIndex([day], name="date"))
            cut = pd.concat([cut[cut.index < day], extra[cut.columns]])
        return cut

    def _chart(self, symbol: str, params: dict[str, str]) -> tuple[int, dict]:
        if symbol in self.recorded and params.get("range") != "1d":  # not the tz lookup
            return 200, self.recorded[symbol]
        bars = self.bars_for(symbol)
        if bars is None:
            return 404, UNKNOWN_CHART
        if "range" in params:  # range=1d is yfinance's time-zone lookup: the last bar
            bars = _in_range(bars, params["range"], self.asof)
        else:
            p1 = pd.Timestamp(int(params.get("period1") or 0), unit="s", tz="UTC")
            p2 = pd.Timestamp(int(params.get("period2") or 2**31), unit="s", tz="UTC")
            stamps = _session_stamps(bars.index, symbol)
            bars = bars[(stamps >= p1) & (stamps < p2)]
        return 200, _chart_json(self.aliases.get(symbol, symbol), symbol, bars)

    def _summary(self, symbol: str) -> tuple[int, dict]:
        real = self.aliases.get(symbol, symbol)
        if real not in self._known:
            return 404, {"quoteSummary": {"result": None, "error": {
                "code": "Not Found", "description": f"Quote not found for symbol: {symbol}"}}}
        weights = self.fund_sectors.get(real, {})
        return 200, {"quoteSummary": {"error": None, "result": [{
            "quoteType": {"quoteType": "ETF" if not real.startswith("^") else "INDEX",
                          "symbol": symbol, "exchangeTimezoneName": _tz_name(real)},
            "summaryProfile": {"longBusinessSummary": f"{symbol} (fake)"},
            "topHoldings": {"holdings": [], "sectorWeightings": [
                {k: v} for k, v in weights.items()]},
            "fundProfile": {"categoryName": "Small Blend", "family": "Fake", "legalType": "ETF"},
        }]}}

    def request(self, method, url, params=None, **kwargs):  # noqa: D401 - curl_cffi's signature
        self._check_session_closed()
        if self.offline:  # no network: nothing answers, not even the cookie and crumb hosts
            with self._lock:
                self.log.append(Req(str(method).upper(), urlsplit(str(url)).hostname or "",
                                    urlsplit(str(url)).path, "offline", None, {},
                                    threading.current_thread().name, 0))
            raise CurlConnectionError(_REFUSED)
        parts = urlsplit(str(url))
        query = dict(parse_qsl(parts.query))
        query.update({str(k): str(v) for k, v in dict(params or {}).items()})
        host, path = parts.hostname or "", parts.path
        kind, symbol, status, body, ctype = "other", None, 200, b"", "text/html"
        fault = None
        if host == "fc.yahoo.com":  # like Yahoo: a 404 page that sets the A3 cookie
            kind, status, body = "cookie", 404, b"<html>not here</html>"
            self.cookies.set("A3", "fake-a3", domain=".yahoo.com", path="/")
            for cookie in self.cookies.jar:
                cookie.expires = int(time.time()) + 365 * 86400
        elif path.endswith("/v1/test/getcrumb"):
            kind, body, ctype = "crumb", b"fakecrumb123", "text/plain"
        elif "consent" in host:
            kind, body = "consent", b"<html><body>no form</body></html>"
        elif path.startswith("/v8/finance/chart/"):
            symbol = path.rsplit("/", 1)[-1].upper()
            minutes = query.get("interval", "1d") not in ("1d", "1wk", "1mo")
            kind = "minutes" if minutes else "tz" if query.get("range") == "1d" else "chart"
            fault = self._take_fault(symbol, "chart")
            if fault is None:
                status, data = (minute_chart_answer(self, symbol, query) if minutes
                                else self._chart(symbol, query))
                body, ctype = json.dumps(data).encode(), "application/json"
        elif path.startswith("/v10/finance/quoteSummary/"):
            kind, symbol = "summary", path.rsplit("/", 1)[-1].upper()
            fault = self._take_fault(symbol, "summary")
            status, data = self._summary(symbol)
            body, ctype = json.dumps(data).encode(), "application/json"
        elif path.startswith("/v7/finance/quote"):
            kind, asked = "quote", query.get("symbols", "").upper()  # Req.symbol stays None:
            fault = self._take_fault(asked, "quote")  # the list is in Req.params["symbols"]
            answer = self.recorded_quote or quote_answer(self, asked)
            body, ctype = json.dumps(answer).encode(), "application/json"
        else:
            status, body = 404, b"<html>unknown path</html>"
        if fault is not None:
            status, body, ctype = self._fault_answer(fault)
        req = Req(str(method).upper(), host, path, kind, symbol, query,
                  threading.current_thread().name, 0 if fault in ("hang", "refused") else status)
        with self._lock:
            self.log.append(req)
        if fault == "hang":
            self._release.wait(self.hang_seconds)
            raise Timeout(f"fake Yahoo: {url} did not answer")
        if fault == "refused":
            raise CurlConnectionError(_REFUSED)
        return _response(str(url), status, body, ctype)

    def _take_fault(self, symbol: str, on: str) -> str | None:
        with self._lock:
            for i, (kind, sym, where) in enumerate(self._faults):
                if where == on and (sym is None or sym == symbol):
                    del self._faults[i]
                    return kind
        return None

    @staticmethod
    def _fault_answer(kind: str) -> tuple[int, bytes, str]:
        if kind == "429":
            return 429, b"Too Many Requests\r\n", "text/plain"
        if kind in ("500", "502", "503"):
            return int(kind), b"<html><body>Will be right back...</body></html>", "text/html"
        if kind == "empty":
            return 200, b"", "application/json"
        if kind == "garbled":
            return 200, b"\x89PNG\x00{{{ not json at all ]]", "application/json"
        if kind == "truncated":
            return 200, b'{"chart":{"result":[{"meta":{"currency":"USD","symbol":"X"', \
                "application/json"
        return 200, b"", "text/plain"  # hang: never sent


def _in_range(bars: pd.DataFrame, rng: str, asof: pd.Timestamp) -> pd.DataFrame:
    """Yahoo's ``range`` (1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max) counted back from ``asof``."""
    if rng == "max" or bars.empty:
        return bars
    if rng == "1d":
        return bars.iloc[-1:]
    if rng == "ytd":
        start = pd.Timestamp(asof.year, 1, 1)
    else:
        n, unit = int(rng.rstrip("dmoy")), rng.lstrip("0123456789")
        step = {"d": pd.DateOffset(days=n), "mo": pd.DateOffset(months=n),
                "y": pd.DateOffset(years=n)}[unit]
        start = asof - step
    return bars[bars.index.date >= start.date()]


def _response(url: str, status: int, body: bytes, ctype: str) -> Response:
    r = Response()
    r.url, r.status_code, r.content = url, status, body
    r.ok = status < 400
    r.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}.get(status, "Error")
    r.headers = Headers({"Content-Type": ctype})
    return r


def _tz_name(symbol: str) -> str:
    return "UTC" if is_crypto(symbol) else "America/New_York"


def _session_stamps(index: pd.DatetimeIndex, symbol: str) -> pd.DatetimeIndex:
    """Yahoo's daily-bar timestamps: the session open (09:30 New York), 00:00 UTC for crypto."""
    days = pd.DatetimeIndex(index.date)
    if is_crypto(symbol):
        return days.tz_localize("UTC")
    return (days + pd.Timedelta(hours=9, minutes=30)).tz_localize("America/New_York") \
        .tz_convert("UTC")


def _chart_json(real: str, symbol: str, bars: pd.DataFrame) -> dict:
    tz = _tz_name(real)
    stamps = _session_stamps(bars.index, real)
    secs = (stamps.as_unit("s").asi8).tolist()
    last_close = float(bars["close"].iloc[-1]) if len(bars) else None
    kind = "CRYPTOCURRENCY" if is_crypto(real) else ("INDEX" if real.startswith("^") else "ETF")
    meta = {
        "currency": "USD", "symbol": symbol, "exchangeName": "PCX", "fullExchangeName": "NYSEArca",
        "instrumentType": kind, "firstTradeDate": 725_846_400, "regularMarketTime": secs[-1]
        if secs else 0, "hasPrePostMarketData": True, "gmtoffset": 0 if tz == "UTC" else -18000,
        "timezone": "UTC" if tz == "UTC" else "EST", "exchangeTimezoneName": tz,
        "regularMarketPrice": last_close, "chartPreviousClose": last_close, "priceHint": 2,
        "dataGranularity": "1d", "range": "",
        "validRanges": ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"],
    }
    if not len(bars):
        return {"chart": {"result": [{"meta": meta, "indicators": {"quote": [{}],
                                                                    "adjclose": [{}]}}],
                          "error": None}}

    def col(name: str) -> list:
        return [None if pd.isna(v) else float(v) for v in bars[name].tolist()]

    volume = [None if pd.isna(v) else int(v) for v in bars["volume"].tolist()]
    return {"chart": {"result": [{
        "meta": meta, "timestamp": secs,
        "indicators": {"quote": [{"open": col("open"), "high": col("high"), "low": col("low"),
                                  "close": col("close"), "volume": volume}],
                       "adjclose": [{"adjclose": col("adj_close")}]},
    }], "error": None}}


def yahoo_calls() -> list[threading.Thread]:
    """The yfinance calls still running in this process: each runs in its own daemon thread
    named ``yahoo-N <what>`` (``analysis.sources.yfcall.run_guarded``)."""
    return [t for t in threading.enumerate() if t.name.startswith("yahoo-") and t.is_alive()]


def wait_idle(timeout: float) -> bool:
    """Wait up to ``timeout`` s for the running yfinance calls to finish; True when none runs."""
    deadline = time.monotonic() + timeout
    for call in yahoo_calls():
        call.join(max(0.0, deadline - time.monotonic()))
    return not yahoo_calls()


def reset_yfinance(cache_dir=None) -> None:
    """Forget yfinance's process-wide state between tests (its singleton with the session, cookie
    and crumb, its response cache, the tz/cookie caches' open databases), and point its caches at
    this test's cache dir."""
    import yfinance.cache as yf_cache

    from analysis.sources.yf_adapter import forget_process_state

    forget_process_state()
    if cache_dir is not None:
        yf_cache.set_cache_location(str(cache_dir))
