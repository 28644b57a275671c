"""The README stays true: its config reference is the real defaults, and it names every command
and every remappable key id."""

from pathlib import Path

from analysis.config import EXAMPLE, Config, parse_config
from tui.bindings import binding_ids
from tui.cli import COMMANDS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_config_reference_is_the_defaults():
    assert EXAMPLE in README
    assert parse_config(EXAMPLE) == Config()


def test_readme_documents_every_subcommand():
    for name in COMMANDS:
        assert f"basewatch {name}" in README, name


def test_readme_names_every_binding_id():
    missing = [b for b in binding_ids() if f"`{b}`" not in README]
    assert not missing, missing
