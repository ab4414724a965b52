"""Conversion of the full corpus reports reproduces every hand-checked cell and heading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.ingest import read_document
from checker.ingest.tables import APPEAL_COLUMNS, APPLICANT_COLUMNS

EXPECTED = Path(__file__).resolve().parents[2] / "tests" / "data" / "expected"

NAMES = sorted(p.stem for p in EXPECTED.glob("*.json"))


def _expected_cells(expected: dict) -> dict[str, object]:
    """JSON Pointer → expected value, from the compact hand-written form."""
    cells: dict[str, object] = {}
    for row, columns in expected.get("proactive", {}).items():
        for column, value in columns.items():
            cells[f"/tables/proactive/{row}/{column}"] = value
    for row, values in expected.get("requests", {}).items():
        for column, value in zip(APPLICANT_COLUMNS, values, strict=True):
            cells[f"/tables/requests/{row.replace('.', '/')}/{column}"] = value
    for group, values in expected.get("appeals", {}).items():
        for column, value in zip(APPEAL_COLUMNS, values, strict=True):
            cells[f"/tables/appeals/{group}/{column}"] = value
    return cells


def _unread(expected: dict) -> set[str]:
    """Pointers of cells printed in the source that a careful reader cannot recover (no value expected)."""
    return set(expected.get("unread", []))


def _covers(pointers: list[str], pointer: str) -> bool:
    """Whether ``pointer`` is one of ``pointers`` or lies under one of them."""
    return any(pointer == p or pointer.startswith(p + "/") for p in pointers)


def _resolve(document: dict, pointer: str) -> object:
    node: object = document
    for part in pointer.strip("/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return KeyError(pointer)
        node = node[part]
    return node


def _convert(corpus: Path, name: str) -> dict:
    return read_document(corpus / "text" / f"{name}.txt")


@pytest.fixture(scope="module", params=NAMES)
def case(request: pytest.FixtureRequest, corpus: Path) -> tuple[dict, dict]:
    expected = json.loads((EXPECTED / f"{request.param}.json").read_text(encoding="utf-8"))
    return expected, _convert(corpus, request.param)


def test_every_cell_reproduced(case: tuple[dict, dict]) -> None:
    expected, document = case
    unread = _unread(expected)
    cells = {p: v for p, v in _expected_cells(expected).items() if p not in unread}
    wrong = {p: (v, _resolve(document, p)) for p, v in cells.items() if _resolve(document, p) != v
             or type(_resolve(document, p)) is not type(v)}
    assert not wrong, f"{len(cells) - len(wrong)}/{len(cells)} cells matched; wrong: {wrong}"


def test_no_cells_beyond_expectation(case: tuple[dict, dict]) -> None:
    expected, document = case
    cells = set(_expected_cells(expected))
    produced = {p for p in document["source_map"] if p.startswith("/tables/") and not p.endswith("/note")}
    assert produced <= cells, f"unexpected cells: {sorted(produced - cells)}"
    for absent in expected.get("absent_requests", []):
        assert absent not in document["tables"].get("requests", {})
    for absent in expected.get("absent_tables", []):
        assert absent not in document["tables"], absent
        # a table the report does not print is absent, not unread
        assert not _covers(document.get("reading", {}).get("unread", []), f"/tables/{absent}"), absent


def test_every_cell_has_a_source_location(case: tuple[dict, dict]) -> None:
    expected, document = case
    unread = _unread(expected)
    for pointer in _expected_cells(expected):
        if pointer in unread:
            continue
        location = document["source_map"][pointer]
        assert location.get("line"), pointer
        if "table" in location or "row" in location:  # forms without tables (one line) give a line alone
            assert location.get("table") and location.get("row"), pointer


def test_unread_cells_are_absent_and_reported(case: tuple[dict, dict]) -> None:
    expected, document = case
    reported = document.get("reading", {}).get("unread", [])
    present = sorted(p for p in _unread(expected) if not isinstance(_resolve(document, p), KeyError))
    assert not present, f"cells that cannot be read have a value: {present}"
    missing = sorted(p for p in _unread(expected) if not _covers(reported, p))
    assert not missing, f"unread cells not reported in reading.unread: {missing}"


def test_derived_cells_are_reported(case: tuple[dict, dict]) -> None:
    expected, document = case
    cells = _expected_cells(expected)
    reported = set(document.get("reading", {}).get("derived", []))
    missing = sorted(p for p in expected.get("derived", []) if p not in reported)
    assert not missing, f"derived cells not reported in reading.derived: {missing}"
    wrong = {p: (cells[p], _resolve(document, p)) for p in expected.get("derived", [])
             if _resolve(document, p) != cells[p] or type(_resolve(document, p)) is not type(cells[p])}
    assert not wrong, f"derived cells with a wrong value: {wrong}"


def test_reading_notices(case: tuple[dict, dict]) -> None:
    expected, document = case
    given = {(n["code"], n["target"]) for n in document.get("reading", {}).get("notices", [])}
    missing = [(n["code"], n["target"]) for n in expected.get("notices", [])
               if (n["code"], n["target"]) not in given]
    assert not missing, f"reading notices missing: {missing}"


def test_metadata(case: tuple[dict, dict]) -> None:
    expected, document = case
    meta = expected["metadata"]
    assert document["year"] == meta["year"]
    assert document["format"] == meta["format"]
    if meta["title"] is None:
        assert "title" not in document
    else:
        assert document["title"] == meta["title"]
    for key, value in meta["agency"].items():
        assert document["agency"].get(key) == value, key
    assert document["period"]["start"] == meta["period"]["start"]
    assert document["period"]["end"] == meta["period"]["end"]
    assert document.get("published") == meta.get("published")


def test_sections(case: tuple[dict, dict]) -> None:
    expected, document = case
    sections = document["sections"]
    for name, heading in expected["sections"].items():
        assert sections[name]["heading"] == heading
        assert f"/sections/{name}" in document["source_map"]
    for name in expected["absent_sections"]:
        assert name not in sections
    for name in expected.get("unheaded_sections", []):  # recognised by content; the heading is not printed
        assert name in sections and "heading" not in sections[name]
    positions = [sections[name]["position"] for name in [*expected["sections"], *expected.get("unheaded_sections", [])]]
    assert sorted(positions) == list(range(len(positions)))


def test_overview_parts(case: tuple[dict, dict]) -> None:
    expected, document = case
    if "overview_parts" not in expected:
        pytest.skip("non-standard overview")
    parts = [part["heading"] for part in document["sections"]["overview"]["parts"]]
    assert parts == expected["overview_parts"]


def test_validates_against_schema(case: tuple[dict, dict], validator) -> None:
    _, document = case
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors


def test_section_text_leaves_tables_out(case: tuple[dict, dict]) -> None:
    _, document = case
    for section in document["sections"].values():
        assert "勾稽" not in section["text"]
        assert "本年制发件数" not in section["text"]


def test_seed_report_details(corpus: Path) -> None:
    document = _convert(corpus, "xiangxiang-emergency-2024")
    blank = document["tables"]["requests"]["other"]["other"]
    assert blank["natural_person"] is None and blank["total"] is None
    assert all(blank[c] == 0 for c in ("commercial", "research", "public_interest", "legal_services", "other_org"))
    assert "平台" not in "".join(p["heading"] for p in document["sections"]["overview"]["parts"])
    assert document["tables"]["requests"]["note"].startswith("(本列数据的勾稽关系为")
    assert document["source_map"]["/tables/requests/other/other/natural_person"]["line"] == 67
