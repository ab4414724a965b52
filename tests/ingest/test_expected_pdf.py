"""The two corpus PDFs convert to the same hand-checked cells as their text versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_expected_documents import EXPECTED, _expected_cells, _resolve

from checker.ingest import read_document

PDFS = {"huaian-government-2024": "002", "hongze-government-2023": "058"}


@pytest.fixture(scope="module", params=sorted(PDFS))
def pdf_case(request: pytest.FixtureRequest, corpus: Path) -> tuple[dict, dict]:
    expected = json.loads((EXPECTED / f"{PDFS[request.param]}.json").read_text(encoding="utf-8"))
    return expected, read_document(corpus / "pdf" / f"{request.param}.pdf")


def test_every_cell_reproduced_from_pdf(pdf_case: tuple[dict, dict]) -> None:
    expected, document = pdf_case
    cells = _expected_cells(expected)
    wrong = {p: (v, _resolve(document, p)) for p, v in cells.items()
             if _resolve(document, p) != v or type(_resolve(document, p)) is not type(v)}
    assert not wrong, f"{len(cells) - len(wrong)}/{len(cells)} cells matched; wrong: {wrong}"


def test_pdf_cells_point_to_page_and_table_position(pdf_case: tuple[dict, dict]) -> None:
    expected, document = pdf_case
    for pointer in _expected_cells(expected):
        location = document["source_map"][pointer]
        assert location.get("page") and location.get("table") and location.get("row") and location.get("column")


def test_pdf_sections_and_metadata(pdf_case: tuple[dict, dict]) -> None:
    expected, document = pdf_case
    assert set(expected["sections"]) <= set(document["sections"])
    assert document["year"] == expected["metadata"]["year"]
    assert document["agency"]["name"] == expected["metadata"]["agency"]["name"]
