"""analysis/config.py: defaults that serve a trader today, the article's set-up as an example
config (examples/article.toml); bad files name file, line, key."""

from __future__ import annotations

import csv
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from analysis.config import EXAMPLE, Config, ConfigError, load_config, parse_config
from analysis.sources.sample import available_symbols
from tui.cli import main

ARTICLE = {"IWM", "^RUT", "SPY", "KRE", "XLF", "XLI", "XLV", "XLK", "SOXX", "SMH", "BTC-USD",
           "ETH-USD"}


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_defaults_watch_the_articles_universe_without_its_race_or_russell_weights():
    config = Config()
    universe = config.universe()
    assert set(universe) >= ARTICLE
    assert len(universe) == len(set(universe))
    assert set(universe) <= set(available_symbols())  # every default symbol works offline
    assert (config.benchmark.small, config.benchmark.large) == ("IWM", "SPY")
    assert config.race.symbols == ()  # no race by default
    # the sector ETFs are the S&P 500's: their weights are that index's (SPY), none typed in
    assert config.benchmark.weights_of == "SPY"
    assert all(s.weight is None for s in config.sectors)
    assert {s.name: s.etf for s in config.sectors}["Financials"] == "XLF"
    assert config.source == "auto"


def test_the_article_example_config_is_its_race_and_the_bundled_russell_2000_weights():
    config = load_config(EXAMPLES / "article.toml")
    path = resources.files("analysis.data") / "russell2000_sector_weights.csv"
    with path.open("r") as fh:
        table = {r["sector"]: float(r["weight_pct_2024_12_31"]) for r in csv.DictReader(fh)}
    weights = {s.name: s.weight for s in config.sectors if s.weight is not None}
    assert weights == table
    assert config.benchmark.weights_of == "IWM"
    assert config.race.symbols == ("ETH-USD", "BTC-USD")
    assert (config.race.reference_date, config.race.start) == ("2025-11-10", "2025-12-09")
    assert config.watchlist == Config().watchlist and config.thresholds == Config().thresholds


def test_basewatch_takes_the_example_config(capsys):
    assert main(["scan", "--config", str(EXAMPLES / "article.toml"), "--source", "sample",
                 "--asof", "2025-12-09", "--symbols", "ETH-USD"]) == 0
    assert "race from 2025-11-10 high: running" in capsys.readouterr().out
    assert main(["scan", "--source", "sample", "--asof", "2025-12-09", "--symbols",
                 "ETH-USD"]) == 0
    assert "race" not in capsys.readouterr().out


def test_the_example_file_is_the_defaults():
    parsed = parse_config(EXAMPLE)
    default = Config()
    for name in ("watchlist", "crypto", "theme", "source", "benchmark", "race", "thresholds",
                 "refresh", "alerts"):
        assert getattr(parsed, name) == getattr(default, name), name


def write(tmp_path, text: str):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    ('watchlist = ["SPY"]\ntheme = \n', 2, None, "not valid TOML"),
    ('watchlist = ["SPY"]\n\nwatchlistt = ["KRE"]\n', 3, "watchlistt", "unknown key"),
    ('theme = "x"\n[thresholds]\nnear_pct = 3.0\nnearr_pct = 2\n', 4, "thresholds.nearr_pct",
     "unknown key"),
    ('crypto = ["BTC-USD"]\nwatchlist = ["SPY", "../x"]\n', 2, "watchlist", "not a valid symbol"),
    ('[refresh]\n\nmarket_open = "fast"\n', 3, "refresh.market_open", "whole number"),
    ('[thresholds]\ndrawdown_pct = true\n', 2, "thresholds.drawdown_pct", "number"),
    ('[sectors]\nFinancials = { etf = "XLF", weight = 180 }\n', 2, "sectors.Financials",
     "percentage"),
    ('[race]\nsymbols = ["ETH-USD"]\n', 2, "race.symbols", "exactly two"),
    ('[race]\nsymbols = ["ETH-USD", "BTC-USD"]\nreference_date = "11/10"\n', 3,
     "race.reference_date", "YYYY-MM-DD"),
    ('source = "ftp"\n', 1, "source", "unknown source"),
])
def test_a_bad_file_names_file_line_and_key(tmp_path, text, line, key, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    exc = err.value
    assert (exc.path, exc.line, exc.key) == (path, line, key)
    assert str(path) in str(exc) and f"line {line}" in str(exc) and words in str(exc)
    if key:
        assert f"key '{key}'" in str(exc)


def test_an_explicit_missing_file_is_an_error_but_no_file_means_defaults(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    assert load_config() == Config()  # nothing in the (temporary) user config dir


def test_cli_bad_config_exits_2_with_the_message(tmp_path, capsys):
    path = write(tmp_path, '[thresholds]\nnear_pct = 3.0\nfoo = 1\n')
    assert main(["--config", str(path), "data", "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"basewatch: {path}, line 3, key 'thresholds.foo': unknown key "
                          f"(known: drawdown_pct, near_pct, ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["data", "status", "--config", str(path)]) == 2  # after the subcommand too


def test_cli_bad_config_in_a_real_process_has_no_traceback(tmp_path):
    path = write(tmp_path, 'watchlist = ["SPY",\n')
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--config", str(path), "data",
                           "status"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert proc.stderr.startswith(f"basewatch: {path}, line ") and "not valid TOML" in proc.stderr


def test_one_list_of_sources_serves_the_config_the_command_line_and_its_help(capsys, tmp_path):
    from analysis.sources.select import HELP, KINDS, check_spec
    from tui.cli import UsageError
    from tui.commands.dashboard import check_source

    for kind in KINDS:
        assert parse_config(f'source = "{kind}"\n').source == kind
        assert check_source(kind) == check_spec(kind) == kind
    assert parse_config('source = "csv:/not/yet/there"\n').source == "csv:/not/yet/there"
    assert check_source(f"csv:{tmp_path}") == f"csv:{tmp_path}"
    for bad in ("ftp", "csv:", f"csv:{tmp_path / 'nope'}"):
        with pytest.raises(ValueError):
            check_spec(bad)
        with pytest.raises(UsageError):
            check_source(bad)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert " ".join(HELP.split()) in " ".join(capsys.readouterr().out.split())
