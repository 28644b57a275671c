"""Real Yahoo answers recorded by the node-yahoo-finance2 project (MIT licence, in
tests/data/yahoo-wire/LICENSE-node-yahoo-finance2): v7 quotes (AAPL+BABA, BTC-USD) and v8 charts
(AAPL daily, BTC-USD, AAPL 1-minute on a weekend), so the parsers meet real bodies, not only ones
we wrote. ``body(name)`` is the JSON Yahoo sent; ``request_url(name)`` what was asked. Bodies we
built in the same format (not recorded) are in tests/data/ with "-built" in their names and a
"note" saying so (a London share in pence and a gold future trading on a US holiday)."""

from __future__ import annotations

import json
from pathlib import Path

WIRE = Path(__file__).parent / "data" / "yahoo-wire"


def _record(name: str) -> dict:
    path = WIRE / f"{name}.json"
    if name.endswith("-built"):
        path = WIRE.parent / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def body(name: str) -> dict:
    """The answer's JSON body, e.g. ``body("quote-AAPL-BABA")``."""
    return _record(name)["response"]["bodyJson"]


def request_url(name: str) -> str:
    return _record(name)["request"]["url"]
