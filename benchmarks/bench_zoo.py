"""How well gkcheck reads each published form: the zoo of ``tests/zoo`` measured on N documents.

For each form, N seeded documents (``tests/zoo/documents.make_document``, the same N for every
form) are rendered (``tests/zoo/forms.FORMS``), read back with ``checker.ingest.parse_document``
and compared with the originals (``tests/zoo/compare.py``):

* cells right / total; cells unread (absent, with a reading notice); cells wrong (a different
  value, or absent without a notice, or a value where the original has none);
* false errors: error findings (rule, pointer) on the read document that the original lacks;
  misses: error findings of the original that the read document lacks;
* metadata: documents whose year, format, agency name and publication date read back equal;
* failed: files the reader refused or crashed on; invalid: read documents the schema rejects;
* read time per document (ms, the reader and assembler only).

``--office`` adds the form ``word-export-pdf`` (needs LibreOffice): each document written as its
author writes it in Word (``forms.word_document``: whole tables with column widths, header rows
repeated or not, cells centred or not, one of the usual font sizes) and exported to PDF by
LibreOffice, all in one conversion, so the tables break across pages where the pages end.

    python benchmarks/bench_zoo.py [--docs 100] [--seed 1] [--forms tab-copy,one-line] [--office] [--show 3]

Prints a Markdown table (and, with ``--show``, the first wrong cells and false errors per form).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "zoo")]

from compare import CellReport, compare_cells, error_keys, metadata_problems
from documents import make_document
from forms import FORMS, MAY_LOSE_PUBLISHED, printed_before_cut, word_document

from checker.api import check_many
from checker.document import validate_document
from checker.ingest import legacy, parse_document

OFFICE_FORM = "word-export-pdf"
Render = Callable[[int, dict[str, Any]], tuple[str, bytes]]


@dataclass
class FormResult:
    """The measurement of one form."""

    form: str
    docs: int = 0
    cells: CellReport = field(default_factory=CellReport)
    false_errors: int = 0
    misses: int = 0
    meta_ok: int = 0
    failed: int = 0
    invalid: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)


def documents(n: int, seed: int) -> list[dict[str, Any]]:
    """The N documents every form is measured on."""
    rng = random.Random(seed)
    return [make_document(rng) for _ in range(n)]


def office_exports(docs: list[dict[str, Any]], seed: int) -> Render:
    """The documents written with ``forms.word_document`` and exported to PDF by LibreOffice (one run)."""
    soffice = legacy.soffice()
    if soffice is None:
        raise SystemExit("--office needs LibreOffice (soffice) installed")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, doc in enumerate(docs):
            (folder / f"report{i}.docx").write_bytes(word_document(doc, random.Random(f"{seed}-{OFFICE_FORM}-{i}")))
        subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder),
                        *(str(folder / f"report{i}.docx") for i in range(len(docs)))],
                       capture_output=True, timeout=60 + 10 * len(docs), check=True)
        pdfs = [(folder / f"report{i}.pdf").read_bytes() for i in range(len(docs))]
    return lambda i, _doc: ("report.pdf", pdfs[i])


def measure(form: str, docs: list[dict[str, Any]], original_errors: list[set[tuple[str, str]]], seed: int,
            show: int = 0, render: Render | None = None) -> FormResult:
    """Render (by ``FORMS[form]``, or ``render``), read and compare ``docs`` in one form."""
    result = FormResult(form, len(docs))
    reads: list[tuple[int, dict[str, Any]]] = []
    for i, doc in enumerate(docs):
        rng_seed = f"{seed}-{form}-{i}"
        name, data = render(i, doc) if render else FORMS[form](doc, random.Random(rng_seed))
        start = time.perf_counter()
        try:
            read = parse_document(data, name)
        except Exception as exc:  # noqa: BLE001 - a refused or crashing read is a result here
            result.seconds += time.perf_counter() - start
            result.failed += 1
            result.cells.total += len(compare_cells(doc, {}).wrong)
            if len(result.examples) < show:
                result.examples.append(f"doc {i}: read failed: {exc!r}"[:300])
            continue
        result.seconds += time.perf_counter() - start
        cells = compare_cells(doc, read, printed=printed_before_cut(form, doc, random.Random(rng_seed)))
        result.cells.add(cells)
        if cells.wrong and len(result.examples) < show:
            result.examples.append(f"doc {i} ({doc['format']}): wrong {cells.wrong[:4]}")
        if not metadata_problems(doc, read, may_lose_published=form in MAY_LOSE_PUBLISHED):
            result.meta_ok += 1
        elif len(result.examples) < show:
            result.examples.append(f"doc {i}: {metadata_problems(doc, read, may_lose_published=form in MAY_LOSE_PUBLISHED)}")
        try:
            validate_document(read)
        except Exception as exc:  # noqa: BLE001
            result.invalid += 1
            if len(result.examples) < show:
                result.examples.append(f"doc {i}: invalid read document: {exc}"[:300])
            continue
        reads.append((i, read))
    if reads:
        for (i, _), outcome in zip(reads, check_many([r for _, r in reads])):
            got = error_keys(outcome)
            extra = got - original_errors[i]
            result.false_errors += len(extra)
            result.misses += len(original_errors[i] - got)
            if extra and len(result.examples) < show:
                result.examples.append(f"doc {i}: false errors {sorted(extra)}")
    return result


def table(results: list[FormResult]) -> str:
    """The Markdown table of the results."""
    lines = [("| form | docs | cells right / total | unread | wrong | false errors | misses | metadata ok | "
              "failed | invalid | read ms/doc |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        c = r.cells
        share = f" ({100 * c.right / c.total:.1f}%)" if c.total else ""
        lines.append(f"| {r.form} | {r.docs} | {c.right} / {c.total}{share} | {c.unread} | {len(c.wrong)} | "
                     f"{r.false_errors} | {r.misses} | {r.meta_ok} / {r.docs} | {r.failed} | {r.invalid} | "
                     f"{1000 * r.seconds / max(r.docs, 1):.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="documents per form (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--forms", default="", help="comma-separated form names (default: all)")
    parser.add_argument("--office", action="store_true",
                        help=f"also measure {OFFICE_FORM} (Word documents exported to PDF by LibreOffice)")
    parser.add_argument("--show", type=int, default=0, help="print up to N problem examples per form")
    args = parser.parse_args(argv)
    forms = [f for f in args.forms.split(",") if f] or list(FORMS)
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        parser.error(f"unknown forms {unknown}; known: {', '.join(FORMS)}")
    docs = documents(args.docs, args.seed)
    original_errors = [error_keys(r) for r in check_many(docs)]
    results = []
    for form in forms:
        results.append(measure(form, docs, original_errors, args.seed, args.show))
        print(f"{form}: done", file=sys.stderr, flush=True)
    if args.office:
        results.append(measure(OFFICE_FORM, docs, original_errors, args.seed, args.show,
                               office_exports(docs, args.seed)))
        print(f"{OFFICE_FORM}: done", file=sys.stderr, flush=True)
    print(table(results))
    for r in results:
        if r.examples:
            print(f"\n{r.form}:")
            for line in r.examples:
                print("  " + line)


if __name__ == "__main__":
    main()
