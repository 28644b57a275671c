"""`make bench` can fail: a row without a target, a missed target or a regression beyond the
tolerance against the stored baseline fails it; the performance table in docs/performance.md is
the one rendered from bench/results.json (no figure typed in by hand)."""

from pathlib import Path

import pytest

from bench.__main__ import END, START, TOLERANCE_PCT, problems, table, write_docs

ROOT = Path(__file__).resolve().parent.parent


def row(measured, target=10.0, unit="ms", **extra):
    return {"id": "x", "name": "x", "measured": measured, "target": target, "unit": unit, **extra}


def test_a_row_that_meets_its_target_and_its_baseline_passes():
    assert problems(row(9.0), {"x": {"measured": 8.0}}) == []


def test_a_row_without_a_target_fails():
    assert problems(row(1.0, target=None), {}) == ["no target"]


@pytest.mark.parametrize(("measured", "lower_is_better"), [(11.0, True), (9.0, False)])
def test_a_missed_target_fails(measured, lower_is_better):
    (why,) = problems(row(measured, lower_is_better=lower_is_better), {})
    assert why.startswith("target missed")


def test_a_timing_worse_than_the_baseline_beyond_the_tolerance_fails():
    base = 4.0
    inside = base * (1 + TOLERANCE_PCT / 100) * 0.99
    beyond = base * (1 + TOLERANCE_PCT / 100) * 1.01
    assert problems(row(inside), {"x": {"measured": base}}) == []
    (why,) = problems(row(beyond), {"x": {"measured": base}})
    assert "worse than the baseline" in why


def test_counts_are_judged_by_their_target_only():
    assert problems(row(2.0, target=3.0, unit="calls"), {"x": {"measured": 1.0}}) == []
    assert problems(row(2.0, target=3.0, unit="%", baseline=False), {"x": {"measured": 1.0}}) == []


def test_writing_the_docs_replaces_only_what_is_between_the_markers(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"intro\n{START}\nold figures\n{END}\noutro\n", encoding="utf-8")
    results = {"machine": "m", "date": "d",
               "modules": {"facts": [row(9.0, note="median")], "chart": [row(12.0)]}}
    write_docs(results, doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("\noutro\n") and "old figures" not in text
    assert "| x | 9 ms | <= 10 ms | yes | median |" in text
    assert "| x | 12 ms | <= 10 ms | **no** |  |" in text


def test_the_performance_table_is_the_one_rendered_from_the_stored_results():
    import json

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    between = doc.split(START, 1)[1].split(END, 1)[0].strip()
    assert between == table(results)
    assert all(r.get("target") is not None for rows in results["modules"].values() for r in rows)
