"""The published-form zoo: every form a report reaches us in, read back and compared with the original.

For each form of ``forms.FORMS`` and each generated document (``documents.report_documents``):

* **cells** — every table cell of the original is read back with the same value and type, or
  is absent and accounted for by a reading notice; the read document never holds a cell the
  original lacks (``compare.compare_cells``);
* **no false errors** — every error finding on the read document is an error finding on the
  original too (same rule, same pointer);
* **metadata** — year, format, agency name and publication date are read back equal (the
  excerpt may lose the date: it is cut before the signature).

These tests are the specification of the readers for forms they have never seen; the
current numbers per form are printed by ``benchmarks/bench_zoo.py``.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from compare import compare_cells, error_keys, metadata_problems
from documents import make_document, report_documents
from forms import FORMS, MAY_LOSE_PUBLISHED, SLOW_FORMS, printed_before_cut
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from checker.api import check_many
from checker.document import cell_by_pointer, validate_document
from checker.ingest import parse_document

FORM_NAMES = sorted(FORMS)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
# Examples per form and property. Building and reading a PDF costs ~0.35 s, a Word file ~0.09 s,
# a text or HTML form 5-35 ms; checking the original and the read document ~0.2 s. With every
# form passing, the whole zoo takes about 45 s on one core.
EXAMPLES = {"cells": 25, "errors": 10, "metadata": 15}
SLOW_EXAMPLES = {"pdf": {"cells": 5, "errors": 3, "metadata": 4},
                 "docx-merged": {"cells": 10, "errors": 6, "metadata": 8}}


def _settings(form: str, prop: str) -> settings:
    n = SLOW_EXAMPLES[form][prop] if form in SLOW_FORMS else EXAMPLES[prop]
    # No shrinking: one example costs up to a second, and a failing form would shrink for minutes;
    # the failure message shows the rendered file and the wrong cells instead.
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate), print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read(form: str, doc: dict[str, Any], seed: int) -> tuple[dict[str, Any], str, bytes]:
    name, data = FORMS[form](doc, random.Random(seed))
    return parse_document(data, name), name, data


def _snippet(data: bytes, name: str, pointer: str = "") -> str:
    """The rendered text around the row of ``pointer`` (or its opening), for a failure message."""
    if name.endswith((".pdf", ".docx")):
        return f"({name}, {len(data)} bytes)"
    text = data.decode("gb18030" if b"charset=gb" in data[:400].lower().replace(b'"', b"") else "utf-8",
                       errors="replace")
    at = 0
    cells = cell_by_pointer()
    cell = cells.get(pointer) or next((c for p, c in cells.items() if pointer and p.startswith(pointer + "/")), None)
    if cell is not None:
        keyword = re.sub(r"^[（(]?[一二三四五六七\d][）)、.]\s*", "", cell.zh.split("·")[0].split(" ")[-1])[:6]
        at = max(text.find(keyword), 0)
    start = max(at - 600, 0)
    return ("…" if start else "") + text[start:start + 1500] + ("…" if start + 1500 < len(text) else "")


@pytest.mark.parametrize("form", FORM_NAMES)
def test_cells(form: str) -> None:
    """Every cell read back equal, or absent with a reading notice; nothing invented."""

    @_settings(form, "cells")
    @given(doc=report_documents(), seed=SEEDS)
    def prop(doc: dict[str, Any], seed: int) -> None:
        read, name, data = _read(form, doc, seed)
        report = compare_cells(doc, read, printed=printed_before_cut(form, doc, random.Random(seed)))
        assert not report.wrong, (
            f"{form}: {len(report.wrong)} of {report.total} cells wrong (pointer, original, read): "
            f"{report.wrong[:12]}\nreading: {read.get('reading')}\n"
            f"rendered: {_snippet(data, name, report.wrong[0][0])}")

    prop()


@pytest.mark.parametrize("form", FORM_NAMES)
def test_no_false_errors(form: str) -> None:
    """Every error finding on the read document is an error finding on the original."""

    @_settings(form, "errors")
    @given(doc=report_documents(), seed=SEEDS)
    def prop(doc: dict[str, Any], seed: int) -> None:
        read, name, data = _read(form, doc, seed)
        validate_document(read)
        original_result, read_result = check_many([doc, read])
        extra = error_keys(read_result) - error_keys(original_result)
        messages = [f"{f.rule_id} {f.pointer}: {f.message.get('zh')}"
                    for f in read_result.findings if (f.rule_id, f.pointer) in extra]
        assert not extra, (f"{form}: error findings on the read document that the original lacks: {messages}\n"
                           f"reading: {read.get('reading')}\nrendered: {_snippet(data, name, min(extra)[1])}")

    prop()


@pytest.mark.parametrize("form", FORM_NAMES)
def test_metadata(form: str) -> None:
    """Year, format, agency name and publication date read back equal."""

    @_settings(form, "metadata")
    @given(doc=report_documents(), seed=SEEDS)
    def prop(doc: dict[str, Any], seed: int) -> None:
        read, name, data = _read(form, doc, seed)
        problems = metadata_problems(doc, read, may_lose_published=form in MAY_LOSE_PUBLISHED)
        assert not problems, f"{form}: {problems}\nrendered: {_snippet(data, name)}"

    prop()


def test_generated_documents_are_valid() -> None:
    """The seeded generator makes schema-valid documents of both formats, with and without defects."""
    formats = set()
    for seed in range(60):
        doc = make_document(random.Random(seed))
        validate_document(doc)
        formats.add(doc["format"])
    assert formats == {"2019", "2021"}


@pytest.mark.parametrize("form", FORM_NAMES)
def test_forms_are_deterministic(form: str) -> None:
    """The same document and rng state give the same bytes."""
    doc = make_document(random.Random(11))
    assert FORMS[form](doc, random.Random(5)) == FORMS[form](doc, random.Random(5))
