"""Where Basewatch keeps its files: config, cache (bar store), data (state, event log), logs.

platformdirs decides per OS; each directory can be overridden with an environment variable
(``BASEWATCH_CONFIG_DIR``, ``BASEWATCH_CACHE_DIR``, ``BASEWATCH_DATA_DIR``), which tests use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "basewatch"


def _dir(env: str, kind: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def config_dir() -> Path:
    """Holds config.toml and user themes (themes/)."""
    return _dir("BASEWATCH_CONFIG_DIR", "config")


def cache_dir() -> Path:
    """Holds the SQLite bar store and yfinance's time-zone cache."""
    return _dir("BASEWATCH_CACHE_DIR", "cache")


def data_dir() -> Path:
    """Holds the app state (watchlists) and the JSON-lines event log."""
    return _dir("BASEWATCH_DATA_DIR", "data")


def config_file() -> Path:
    return config_dir() / "config.toml"


def store_file() -> Path:
    return cache_dir() / "bars.sqlite3"


def event_log_file() -> Path:
    return data_dir() / "events.jsonl"


def state_file() -> Path:
    return data_dir() / "state.json"
