"""Rebuild the bundled package data from the project's raw reference data.

Run from a checkout that has the shared reference folder beside it::

    python -m analysis.data.build_sample ../shared/data

It gzips each market CSV unchanged (deterministically, so rebuilding gives identical bytes),
copies the FOMC calendar and the benchmark sector weights, and writes ``nyse.csv``: the NYSE
weekdays without a session and the sessions with other hours, from exchange-calendars, so the
clock needs neither that library nor pandas for the years it covers. Users never run this; the
package ships its output.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
NYSE_YEARS = (2018, 2030)


def build(shared_data: Path) -> None:
    out = HERE / "sample"
    out.mkdir(exist_ok=True)
    for csv in sorted((shared_data / "market").glob("*.csv")):
        target = out / (csv.name + ".gz")
        with (
            csv.open("rb") as src,
            target.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            shutil.copyfileobj(src, gz)
    shutil.copy(shared_data / "market" / "PROVENANCE.md", out / "PROVENANCE.md")
    shutil.copy(shared_data / "fomc.csv", HERE / "fomc.csv")
    weights = "russell2000_sector_weights.csv"
    shutil.copy(shared_data / weights, HERE / weights)


    build_nyse()


def nyse_table(first_year: int, last_year: int) -> str:
    """``nyse.csv``: each weekday of the years that is not an XNYS session (``open``/``close``
    empty) and each session whose hours are not 09:30-16:00 ET, from exchange-calendars."""
    import warnings

    import exchange_calendars
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        cal = exchange_calendars.get_calendar("XNYS", start=f"{first_year}-01-01",
                                              end=f"{last_year}-12-31")
    sched = cal.schedule
    days = sched.index.tz_localize(None) if sched.index.tz is not None else sched.index
    opens = sched["open"].dt.tz_convert("America/New_York").dt.strftime("%H:%M").to_numpy()
    closes = sched["close"].dt.tz_convert("America/New_York").dt.strftime("%H:%M").to_numpy()
    weekdays = pd.bdate_range(f"{first_year}-01-01", f"{last_year}-12-31")
    rows = {d.date(): "" for d in weekdays.difference(days)}
    for d, o, c in zip(days, opens, closes, strict=True):
        if (o, c) != ("09:30", "16:00"):
            rows[d.date()] = f"{o},{c}"
    lines = [f"# XNYS {first_year}-{last_year} from exchange-calendars "
             f"{exchange_calendars.__version__}: weekdays without a session (no hours) and "
             "sessions not 09:30-16:00 ET", "date,open,close"]
    lines += [f"{d.isoformat()},{rows[d] or ','}" for d in sorted(rows)]
    return "\n".join(lines) + "\n"


def build_nyse() -> None:
    (HERE / "nyse.csv").write_text(nyse_table(*NYSE_YEARS), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--nyse"]:
        build_nyse()
    else:
        build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
