"""Rebuild the bundled package data from the project's raw reference data.

Run from a checkout that has the shared reference folder beside it::

    python -m analysis.data.build_sample ../shared/data

It gzips each market CSV unchanged (deterministically, so rebuilding gives identical bytes) and
copies the FOMC calendar and the benchmark sector weights. Users never run this; the package ships
its output.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent


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


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
