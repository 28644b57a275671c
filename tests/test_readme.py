"""The README stays true: the config reference (docs/config.md) is the real defaults, the README
names every command and every remappable key id, and every page it links to exists."""

from pathlib import Path

from analysis.config import EXAMPLE, Config, parse_config
from tui.cli import COMMANDS
from tui.keys.bindings import SECTIONS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIG_DOC = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")


def test_config_reference_is_the_defaults():
    assert EXAMPLE in CONFIG_DOC
    assert parse_config(EXAMPLE) == Config()


def test_readme_documents_every_subcommand():
    for name in COMMANDS:
        assert f"basewatch {name}" in README, name


def test_readme_names_every_binding_id():
    ids = [b.id for _, group in SECTIONS for b in group if b.id]  # what the help screen lists
    assert len(ids) > 20
    missing = [i for i in ids if f"`{i}`" not in README]
    assert not missing, missing


def test_readme_links_lead_to_pages_that_exist():
    import re

    links = re.findall(r"\]\((docs/[^)]+)\)", README)
    assert links
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, missing


def test_readme_has_a_legend_of_every_column_of_the_panes():
    from tui.widgets.crypto import CryptoTable
    from tui.widgets.sector_bases import SectorBasesTable
    from tui.widgets.watchlist import WatchlistTable

    headers = [label for table in (WatchlistTable, SectorBasesTable, CryptoTable)
               for col in table.COLUMNS for label in (col.label, col.short) if label]
    assert len(headers) > 25
    missing = [h for h in headers if f"`{h}`" not in README]
    assert not missing, missing
