"""A non-editable install ships the themes and the bundled data, and `basewatch` runs from it.

Slow (builds a wheel, makes a venv): deselect locally with ``-m 'not slow'``; CI runs it. The wheel
is built with pip (hatchling from .venv when it is there, else pip fetches it as for any install).
The venv gets the wheel only (``--no-deps``); the dependencies are made visible through a ``.pth``
line to .venv's site-packages, appended AFTER the venv's own, so ``analysis``/``tui``/``themes``
can only come from the installed wheel, never from this checkout (asserted).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def sh(*cmd: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation, "-w", out, ROOT,
       cwd=out)
    (built,) = out.glob("basewatch-*.whl")
    return built


def test_the_wheel_ships_themes_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    themes = {f"themes/{p.name}" for p in (ROOT / "themes").iterdir()
              if p.is_file() and p.suffix in (".py", ".toml", ".tcss", ".json")}
    assert "themes/__init__.py" in names and themes <= names
    samples = {f"analysis/data/sample/{p.name}" for p in (ROOT / "analysis/data/sample").glob(
        "*.csv.gz")}
    assert len(samples) >= 20 and samples <= names
    for f in ("analysis/data/fomc.csv", "analysis/data/nyse.csv",
              "analysis/data/sample/PROVENANCE.md",
              "analysis/data/russell2000_sector_weights.csv"):
        assert f in names
    assert not any(n.startswith("tests/") for n in names)


def test_basewatch_runs_from_a_non_editable_install(wheel, tmp_path):
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    py = venv / "bin" / "python"
    sh(sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", wheel,
       cwd=tmp_path)
    site = Path(sh(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                   cwd=tmp_path).stdout.strip())
    (site / "zz_basewatch_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({f"BASEWATCH_{k}_DIR": str(tmp_path / k.lower()) for k in ("CONFIG", "CACHE",
                                                                           "DATA")})

    version = sh(venv / "bin" / "basewatch", "--version", cwd=tmp_path, env=env).stdout
    from analysis import __version__

    assert version.strip() == f"basewatch {__version__}"
    probe = sh(py, "-c", (
        "import analysis, tui, themes\n"
        "from importlib import resources\n"
        "from analysis.sources.sample import available_symbols, load_sample\n"
        "print(analysis.__file__, tui.__file__, themes.__file__, sep='\\n')\n"
        "print(len(available_symbols()), len(load_sample('XLK')))\n"
        "print(sorted(p.name for p in resources.files('themes').iterdir()"
        " if p.name.endswith('.toml')))\n"
    ), cwd=tmp_path, env=env).stdout.splitlines()
    for path in probe[:3]:
        assert Path(path).is_relative_to(site), path  # not this checkout
    from analysis.sources.sample import available_symbols, load_sample

    assert probe[3] == f"{len(available_symbols())} {len(load_sample('XLK'))}"
    shipped = sorted(p.name for p in (ROOT / "themes").glob("*.toml"))
    assert probe[4] == str(shipped)
    status = sh(venv / "bin" / "basewatch", "data", "status", cwd=tmp_path, env=env).stdout
    assert "empty: run 'basewatch data fetch'" in status
