"""Base kinds are an enum with words for every kind, and the base rules sit below the detector
(the rules, the arrays and the shape measurements never import the module that builds results)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.facts.base_rules import KINDS, BaseKind
from analysis.facts.bases import Base

ROOT = Path(__file__).resolve().parent.parent


def test_every_base_kind_has_its_own_words():
    words = [kind.words for kind in KINDS]
    assert len(set(words)) == len(KINDS)
    assert all("_" not in w for w in words)  # never the raw name
    assert BaseKind.CUP_WITH_HANDLE.words == "cup-with-handle"


def test_a_base_of_an_unknown_kind_cannot_be_built():
    from datetime import date

    with pytest.raises(ValueError):
        Base("saucer", date(2025, 1, 2), date(2025, 3, 3), 10.0, 9.0, 10.0, 10.0, 8.0, None,
             90, (), "forming")
    base = Base("flat_base", date(2025, 1, 2), date(2025, 3, 3), 10.0, 9.0, 10.0, 10.0, 8.0,
                None, 90, (), "forming")
    assert base.kind is BaseKind.FLAT_BASE


@pytest.mark.parametrize("module", ["base_rules", "base_arrays", "base_shapes"])
def test_base_rule_modules_do_not_import_the_detector(module):
    tree = ast.parse((ROOT / "analysis" / "facts" / f"{module}.py").read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "analysis.facts.bases" not in imported
