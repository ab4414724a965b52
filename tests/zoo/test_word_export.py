"""Reports written in Word and exported to PDF by an office suite: rows broken where the page ends.

Most agencies write the report in Word or WPS and publish the PDF the suite exports. Table 三
then runs over two or three pages, and a row whose label wraps is broken between its lines:
the values stay on the page where the row starts, the rest of the label goes on over blank
cells on the next page. Here generated reports (``forms.word_document``: each table whole, with
column widths) are exported by LibreOffice and read back; every cell must read back right and
no error finding may appear that the original lacks. With LibreOffice 7.4 the exports of these
seeds show the troubles the reader had before it handled them (session 9): 202 breaks a row of
table 三 with its values left on the first page (seven cells read blank), 218 breaks a number
between its digits (22316 read 223, a false total error), 248 has fonts whose descriptors give
a descent of 0 (a cell's line split: three false "row missing" errors); all three print a
running header or footer, which kept the parts of table 三 from joining at all. The properties
hold wherever the breaks fall. Skipped when LibreOffice is not installed; ``test_zoo.py``
covers the same breaks and running lines in reportlab PDFs everywhere.
"""

from __future__ import annotations

import io
import random
import subprocess
from typing import Any

import pdfplumber
import pytest
from compare import compare_cells, error_keys
from documents import make_document
from forms import word_document

from checker.api import check_many
from checker.ingest import legacy, parse_document, pdfium_pages
from checker.ingest.pdf import read_pdf

SEEDS = (202, 218, 248)
_SOFFICE = legacy.soffice()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[dict[str, Any], bytes]]:
    """Each seed's document and the PDF LibreOffice exports from its Word file."""
    if _SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("word-export")
    documents = {}
    for seed in SEEDS:
        documents[seed] = make_document(random.Random(seed))
        (folder / f"report{seed}.docx").write_bytes(word_document(documents[seed], random.Random(seed)))
    subprocess.run([_SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"report{s}.docx") for s in SEEDS)],
                   capture_output=True, timeout=300, check=True)
    return {seed: (documents[seed], (folder / f"report{seed}.pdf").read_bytes()) for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_cell_of_an_exported_report_reads_back(exported: dict[int, tuple[dict[str, Any], bytes]],
                                                     seed: int) -> None:
    original, pdf = exported[seed]
    read = parse_document(pdf, "report.pdf")
    report = compare_cells(original, read)
    assert not report.wrong and report.right == report.total, report.wrong[:8]
    original_result, read_result = check_many([original, read])
    assert not error_keys(read_result) - error_keys(original_result)



@pytest.mark.parametrize("seed", SEEDS)
def test_an_exported_report_is_read_by_pdfium_as_pdfplumber_reads_it(
        exported: dict[int, tuple[dict[str, Any], bytes]], seed: int) -> None:
    """LibreOffice writes ``/Ascent 0 /Descent 0`` for its fonts; pdfium measures such a font's glyphs,
    pdfminer takes the 0. The descents are read from the descriptors: every page is read by pdfium,
    each character with pdfminer's box, and the layout is the one pdfplumber alone gives."""
    _, data = exported[seed]
    descents = pdfium_pages.check_streams(data)
    assert descents and all(value == 0 for value in descents.values())
    document = pdfium_pages.open_document(data, descents)
    try:
        views = [document.page(number) for number in range(document.page_count)]  # no page left to pdfplumber
    finally:
        document.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for view, page in zip(views, plumber.pages, strict=True):
            # pdfium's text page may order a line's characters otherwise (the layout sorts them)
            def placed(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
                return sorted((c for c in chars if not c["text"].isspace()),
                              key=lambda c: (round(c["top"], 1), round(c["x0"], 1), c["text"]))
            theirs, ours = placed(page.chars), placed(view.chars)
            assert [c["text"] for c in ours] == [c["text"] for c in theirs]
            for mine, their in zip(ours, theirs, strict=True):
                for key in ("top", "bottom", "size"):
                    assert mine[key] == pytest.approx(their[key], abs=1e-3), (key, mine, their)
                # pdfium keeps glyph widths as whole units of 1/1000 of the font size, where LibreOffice
                # writes fractions: a character's right edge may differ by a hundredth of a point
                for key in ("x0", "x1"):
                    assert mine[key] == pytest.approx(their[key], abs=0.02), (key, mine, their)
    assert read_pdf(data).blocks == read_pdf(data, engine="pdfplumber").blocks
