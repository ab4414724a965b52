"""Ingest throughput for text, HTML, Word and PDF inputs (documents per second, one process).

Each case is timed twice: the reader alone (bytes → Layout) and the whole ingest
(reader + assembler → report document, as ``gkcheck check`` does). ``cpu/s`` is the whole
ingest per second of this process's CPU time: documents per second per core, the figure
that does not depend on what else the machine runs.

PDF cases are timed with both engines of the PDF reader: ``pdfium`` (the default: pdfium,
pdfplumber only for a file or page pdfium cannot decide) and ``pdfplumber`` (the reader
before pdfium). ``PDF zoo`` is a set of ``--pdf-docs`` generated reports in the zoo's PDF form
(varied styles; table 三 broken across a page), timed as one batch (figures per document). The
files and pages the pdfium reader left to pdfplumber are counted at the end.

Usage: ``python benchmarks/bench_ingest_readers.py [--seconds 2] [--pdf-docs 10] [--only pdf]``

The documents are generated here: a full report (title, six sections, the
official tables 二/三/四 with merged cells) rendered as HTML, .docx and PDF by
the same builders the reader tests use. The two corpus PDFs are timed too
when ``../shared/corpus`` is present. PDF generation needs reportlab (a test
dependency); without it only the corpus PDFs are timed.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ingest_formats"), str(ROOT / "tests" / "zoo")]

from format_builders import CORPUS, docx_bytes, html_table, pdf_bytes, t2_spec, t3_spec, t4_spec  # noqa: E402

from checker.ingest import pdfium_pages  # noqa: E402
from checker.ingest.assemble import assemble  # noqa: E402
from checker.ingest.docx import read_docx  # noqa: E402
from checker.ingest.html import read_html  # noqa: E402
from checker.ingest.layout import Layout  # noqa: E402
from checker.ingest.pdf import read_pdf  # noqa: E402
from checker.ingest.text import read_text  # noqa: E402

PARAGRAPH = "本县坚持以人民为中心，全面推进政务公开工作，持续完善制度机制，依法保障人民群众的知情权。" * 4
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def report_blocks() -> list[object]:
    """A whole report: title, sections with text, the three tables after their headings."""
    tables = {1: t2_spec(), 2: t3_spec(), 3: t4_spec()}
    blocks: list[object] = ["某县人民政府2024年政府信息公开工作年度报告"]
    for index, heading in enumerate(SECTIONS):
        blocks.append(heading)
        blocks.append(tables.get(index, PARAGRAPH))
        blocks.append(PARAGRAPH)
    return blocks


def html_page(blocks: list[object]) -> bytes:
    """The report as a GBK-encoded government-site page with a layout wrapper table."""
    body = "\n".join(f"<p>{b}</p>" if isinstance(b, str) else html_table(b) for b in blocks)
    page = (
        '<html><head><meta charset="gbk"><title>年度报告</title><meta name="PubDate" content="2025-01-20">'
        f'</head><body><table width="100%"><tr><td>{body}</td></tr></table></body></html>'
    )
    return page.encode("gb18030")


def measure(reader: Callable[[bytes], object], data: Sequence[bytes], seconds: float) -> tuple[float, float]:
    """(documents per wall second, per CPU second) over at least ``seconds`` of reading ``data`` repeatedly."""
    for item in data:
        reader(item)  # warm-up
    runs, start, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        for item in data:
            reader(item)
        runs += len(data)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return runs / elapsed, runs / max(time.process_time() - cpu, 1e-9)


def text_page(blocks: list[object]) -> bytes:
    """The report as text copied from a web page: tables as tab-separated lines."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
        else:
            lines.extend("\t".join(str(cell) for cell in row) for row in _rows(block))
    return "\n".join(lines).encode("utf-8")


def _rows(spec: object) -> list[list[str]]:
    """Grid rows of a table spec from the test builders (a merged cell's text at its top-left only)."""
    grid = [["" for _ in range(spec.n_cols)] for _ in range(spec.n_rows)]  # type: ignore[attr-defined]
    for cell in spec.cells:  # type: ignore[attr-defined]
        grid[cell.row][cell.col] = cell.text
    return grid


def zoo_pdfs(n: int) -> list[bytes]:
    """``n`` generated reports in the zoo's PDF form (tests/zoo/forms.py), seeds 1..n."""
    from documents import make_document
    from forms import pdf_form

    out = []
    for seed in range(1, n + 1):
        rng = random.Random(seed)
        out.append(pdf_form(make_document(rng), rng)[1])
    return out


Case = tuple[str, Callable[[bytes], Layout], list[bytes]]


def cases(pdf_docs: int) -> list[Case]:
    """The (name, reader, documents) triples to time."""
    blocks = report_blocks()
    found: list[Case] = [
        ("text (generated, tab-separated tables)", read_text, [text_page(blocks)]),
        ("HTML (generated, GBK)", read_html, [html_page(blocks)]),
        ("Word .docx (generated)", read_docx, [docx_bytes(blocks)]),
    ]
    pdfs: list[tuple[str, list[bytes]]] = []
    try:
        pdfs.append(("PDF (generated, 3 pages)", [pdf_bytes(blocks)]))
        if pdf_docs:
            pdfs.append((f"PDF zoo ({pdf_docs} generated)", zoo_pdfs(pdf_docs)))
    except ImportError:
        print("reportlab not installed: generated PDF skipped", file=sys.stderr)
    for name in ("xiangxiang-emergency-2024", "002", "003"):
        path = CORPUS / "text" / f"{name}.txt"
        if path.is_file():
            found.append((f"text corpus {name}", read_text, [path.read_bytes()]))
    corpus = sorted((CORPUS / "pdf").glob("*.pdf"))
    pdfs += [(f"PDF corpus {path.stem}", [path.read_bytes()]) for path in corpus]
    if len(corpus) > 1:
        pdfs.append((f"PDF corpus (all {len(corpus)})", [path.read_bytes() for path in corpus]))
    for name, data in pdfs:
        for engine in ("pdfplumber", "pdfium"):
            reader = functools.partial(read_pdf, engine="pdfplumber" if engine == "pdfplumber" else "auto")
            found.append((f"{name} [{engine}]", reader, data))
    return found


def main() -> None:
    """Time every case and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum timing per case")
    parser.add_argument("--pdf-docs", type=int, default=10, help="generated zoo PDFs timed as one batch (0: none)")
    parser.add_argument("--only", default="", help="time only the cases whose name contains this (e.g. PDF)")
    args = parser.parse_args()
    print(f"{'document':<46} {'KB':>7} {'reader/s':>9} {'ingest/s':>9} {'ms/doc':>8} {'cpu/s':>7}")
    for name, reader, data in cases(args.pdf_docs):
        if args.only.lower() not in name.lower():
            continue
        rate, _ = measure(reader, data, args.seconds)
        full, per_core = measure(lambda d, r=reader: assemble(r(d), source_name="bench"), data, args.seconds)
        size = sum(len(item) for item in data) / len(data)
        print(f"{name:<46} {size / 1024:>7.1f} {rate:>9.1f} {full:>9.1f} {1000 / full:>8.1f} {per_core:>7.1f}",
              flush=True)
    pdfium_pages.STATS.clear()
    for name, reader, data in cases(args.pdf_docs):
        if "[pdfium]" in name and args.only.lower() in name.lower():
            for item in data:
                reader(item)
    if pdfium_pages.STATS:
        print("pdfium reader, one reading of each PDF above:",
              ", ".join(f"{key}: {count}" for key, count in sorted(pdfium_pages.STATS.items())))


if __name__ == "__main__":
    main()
