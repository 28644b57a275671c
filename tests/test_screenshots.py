"""The README's screenshot script (python -m tui.screenshots) still works: it writes an SVG
of the real app over the bundled data as of 2025-12-09, and it neither reads nor changes the
user's state."""

from __future__ import annotations

import html
import os
import re
from datetime import date

from analysis.sources.sample import load_sample
from analysis.state import AppState, save_state
from tui.screenshots import __main__ as screenshots

SMALL = next(s for s in screenshots.SHOTS if s.filename == "dashboard-80x24.svg")


def svg_text(path) -> str:
    """The text of an SVG screenshot (Rich writes one <text> element per run of a style)."""
    runs = re.findall(r"<text [^>]*>(.*?)</text>", path.read_text(encoding="utf-8"))
    return html.unescape("".join(runs)).replace("\xa0", " ")


def close_on(sym: str, day: str) -> str:
    bars = load_sample(sym)
    closes = bars["close"]
    return f"{closes[closes.index.date == date.fromisoformat(day)].iloc[0]:,.2f}"


def test_the_small_shot_shows_the_watchlist_as_of_the_articles_day(tmp_path, user_dirs):
    # A state file with another watchlist and theme: the shot must not use it, nor change it.
    state_file = save_state(AppState(watchlists={"default": ("XLE",)}, theme="gruvbox"))
    before = state_file.read_bytes()
    env_before = {k: os.environ.get(k) for k in
                  ("BASEWATCH_CONFIG_DIR", "BASEWATCH_CACHE_DIR", "BASEWATCH_DATA_DIR",
                   "COLORTERM", "TERM")}

    written = screenshots.main([str(tmp_path / "out")], shots=[SMALL])

    svg = tmp_path / "out" / "dashboard-80x24.svg"
    assert written == [svg]
    text = svg_text(svg)
    assert "REPLAY 2025-12-09" in text
    iwm, kre = close_on("IWM", "2025-12-09"), close_on("KRE", "2025-12-09")
    assert iwm == "251.39"  # the article's close, read from the bundled bars
    assert re.search(rf"IWM +{re.escape(iwm)}", text), text
    assert re.search(rf"KRE +{re.escape(kre)}", text), text
    assert "loading" not in text.lower() and "waiting" not in text.lower()
    assert state_file.read_bytes() == before
    assert {k: os.environ.get(k) for k in env_before} == env_before



def test_the_setups_shot_shows_every_bundled_etf_with_its_rs_rating(tmp_path, user_dirs):
    shot = next(s for s in screenshots.SHOTS if s.filename == "setups.svg")
    written = screenshots.main([str(tmp_path)], shots=[shot])
    text = svg_text(written[0])
    members = len(screenshots.SAMPLE_MEMBERS)
    assert f"Setups · {members} of {members} · sort: RS ↓" in text
    assert f"Breadth {members} members" in text
    assert "bundled ETFs · 19 rated" in text
