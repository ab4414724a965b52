"""Ingest throughput for text, HTML, Word and PDF inputs (documents per second, one process).

Each case is timed twice: the reader alone (bytes → Layout) and the whole ingest
(reader + assembler → report document, as ``gkcheck check`` does).

Usage: ``python benchmarks/bench_ingest_readers.py [--seconds 2]``

The documents are generated here: a full report (title, six sections, the
official tables 二/三/四 with merged cells) rendered as HTML, .docx and PDF by
the same builders the reader tests use. The two corpus PDFs are timed too
when ``../shared/corpus`` is present. PDF generation needs reportlab (a test
dependency); without it only the corpus PDFs are timed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ingest_formats")]

from format_builders import CORPUS, docx_bytes, html_table, pdf_bytes, t2_spec, t3_spec, t4_spec  # noqa: E402

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


def measure(reader: Callable[[bytes], Layout], data: bytes, seconds: float) -> tuple[float, int]:
    """Documents per second over at least ``seconds`` of repeated reading, and the run count."""
    reader(data)  # warm-up
    runs, start = 0, time.perf_counter()
    while True:
        reader(data)
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return runs / elapsed, runs


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


def cases() -> list[tuple[str, Callable[[bytes], Layout], bytes]]:
    """The (name, reader, bytes) triples to time."""
    blocks = report_blocks()
    found: list[tuple[str, Callable[[bytes], Layout], bytes]] = [
        ("text (generated, tab-separated tables)", read_text, text_page(blocks)),
        ("HTML (generated, GBK)", read_html, html_page(blocks)),
        ("Word .docx (generated)", read_docx, docx_bytes(blocks)),
    ]
    try:
        found.append(("PDF (generated, 3 pages)", read_pdf, pdf_bytes(blocks)))
    except ImportError:
        print("reportlab not installed: generated PDF skipped", file=sys.stderr)
    for name in ("xiangxiang-emergency-2024", "002", "003"):
        path = CORPUS / "text" / f"{name}.txt"
        if path.is_file():
            found.append((f"text corpus {name}", read_text, path.read_bytes()))
    for path in sorted((CORPUS / "pdf").glob("*.pdf")):
        found.append((f"PDF corpus {path.stem}", read_pdf, path.read_bytes()))
    return found


def main() -> None:
    """Time every case and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum timing per case")
    args = parser.parse_args()
    print(f"{'document':<42} {'KB':>7} {'reader/s':>9} {'ingest/s':>9} {'ms/doc':>8}")
    for name, reader, data in cases():
        rate, _ = measure(reader, data, args.seconds)
        full, _ = measure(lambda d, r=reader: assemble(r(d), source_name="bench"), data, args.seconds)
        print(f"{name:<42} {len(data) / 1024:>7.1f} {rate:>9.1f} {full:>9.1f} {1000 / full:>8.1f}")


if __name__ == "__main__":
    main()
