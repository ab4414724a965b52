"""Hostile input files: what a report file can do to ``gkcheck check``, ``convert``, ``--previous`` and ``audit``.

Each case builds its file in code (no binary fixture): JSON with a lone surrogate, a
repeated key, numbers too large to count or nesting 100,000 deep; an HTML page whose text
follows a 10 MB inline image; a 1-2 MB PDF or Word file that inflates to gigabytes; a
symbolic link loop. Every case must end with a clear message (exit 2) or a normal check
(exit 0/1), never an internal error, within its time and memory bounds.

Issue 12, items 1, 6, 7, 8 and 12 (the input part); the mechanisms are unit-tested in
``tests/ingest/test_hostile_mechanisms.py``.
"""

from __future__ import annotations

import copy
import io
import json
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import ROOT, one_page_pdf

from hostile.harness import Case, Run, run_case

sys.path.insert(0, str(ROOT / "tests" / "zoo"))
from forms import FORMS, docx_form, html_page

READ = frozenset({0, 1})  # the report is read and checked: passed or findings
AUDITED = frozenset({0, 1})  # the audit ran to its end (1 when it counts an unreadable report as failed)
NOT_EMPTY_PAGE = "没有可读取的正文"

# --------------------------------------------------------------------------- builders


def base_doc() -> dict[str, Any]:
    return json.loads((ROOT / "examples" / "clean-report-2024.json").read_text(encoding="utf-8"))


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def json_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)


def with_raw(doc: dict[str, Any], path: Sequence[str], literal: str) -> str:
    """The document as JSON text with the value at ``path`` replaced by a literal written as is."""
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "@@RAW@@"
    return json_text(doc).replace('"@@RAW@@"', literal, 1)


def check_json(name: str, text: str | bytes, *extra: str) -> Callable[[Path], Sequence[str]]:
    return lambda folder: ["check", str(write(folder, name, text)), *extra]


def cells(table: str = "requests", row: str = "new") -> list[str]:
    return list(base_doc()["tables"][table][row])


def surrogate_in_agency() -> str:
    return json_text(base_doc()).replace('"name": "青禾县人民政府"', '"name": "青禾\\ud800县人民政府"', 1)


def overflowing_cells() -> str:
    doc = base_doc()
    for key in cells():
        doc["tables"]["requests"]["new"][key] = "@@BIG@@"
    return json_text(doc).replace('"@@BIG@@"', "1.7e308")


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_in_doc(depth: int) -> str:
    """The report with a value nested ``depth`` levels inside an object the schema leaves open."""
    return json_text(base_doc())[:-1].rstrip() + ', "x-extra": ' + deep_json(depth) + "}"


def previous_json(text: str) -> Callable[[Path], Sequence[str]]:
    def build(folder: Path) -> Sequence[str]:
        current = write(folder, "report-2024.json", json_text(base_doc()))
        previous = write(folder, "report-2023.json", text)
        return ["check", str(current), "--previous", str(previous)]
    return build


def repeated_key_top() -> str:
    return json_text(base_doc()).replace('"year": 2024', '"year": 2024, "year": 2023', 1)


def repeated_key_nested() -> str:
    return json_text(base_doc()).replace('"natural_person": 12', '"natural_person": 12, "natural_person": 1200', 1)


def escaped_colons() -> str:
    """No repeated key; colons written as \\u003a in strings (they must not look like keys)."""
    doc = base_doc()
    doc["title"] = doc["title"] + "@@C@@"
    return json_text(doc).replace("@@C@@", "\\u003a\\u003A")


def audit_folder(*files: tuple[str, str]) -> Callable[[Path], Sequence[str]]:
    def build(folder: Path) -> Sequence[str]:
        src = folder / "reports"
        src.mkdir()
        write(src, "good.json", json_text(base_doc()))
        for name, text in files:
            write(src, name, text)
        return ["audit", str(src), "-o", str(folder / "out")]
    return build


def problems_name(phrases: tuple[str, ...], file: str) -> Callable[[Run, Path], None]:
    def check(run: Run, folder: Path) -> None:
        text = (folder / "out" / "problems.csv").read_text(encoding="utf-8-sig")
        row = next((line for line in text.splitlines() if file in line), "")
        for phrase in phrases:
            assert phrase in row, f"{phrase!r} not in the problems.csv row of {file}:\n{text}"
    return check


def report_page(prefix: str = "", *, nest: int = 0) -> str:
    """A government-site page holding the example report; ``prefix`` goes right after ``<body>``."""
    page = html_page(base_doc(), random.Random(7))
    body = "<div>" * nest + prefix
    page = page.replace("<body>", "<body>\n" + body, 1)
    return page.replace("</body>", "</div>" * nest + "</body>", 1) if nest else page


def text_with_cell(value: int) -> str:
    """The example report as text copied from a web page, one cell holding ``value``."""
    doc = base_doc()
    doc["tables"]["requests"]["new"]["natural_person"] = value
    return FORMS["tab-copy"](doc, random.Random(1))[1].decode("utf-8")


def big_paragraph_page() -> str:
    page = report_page()
    at = page.index('<p style="text-indent:2em">')
    return page[:at] + "<p>" + "很长的段落内容" * 1_500_000 + "</p>" + page[at:]


# ---- PDF, written by hand: one page whose content stream is the hostile part


def pdf(content: bytes, stream_dict: bytes = b"") -> bytes:
    return one_page_pdf(content, stream_dict)


def raw_deflate_zeros(total: int, chunk: int = 16 << 20) -> bytes:
    """Raw deflate data of ``total`` zero bytes (a multiple of ``chunk``), built in milliseconds:
    one fully flushed block repeated (byte aligned, no reference across), then an empty final block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (total // chunk) + b"\x03\x00"


def zlib_zeros(total: int) -> bytes:
    adler = ((total % 65521) << 16) | 1  # Adler-32 of zero bytes: A = 1, B = their count
    return b"\x78\xda" + raw_deflate_zeros(total) + adler.to_bytes(4, "big")


def lzw_zeros(cycles: int) -> bytes:
    """LZWDecode data spelling ever longer runs of zeros: after a clear code, "0", then codes 258,
    259, ... each naming the previous run plus one zero (the code the decoder is about to add);
    widths grow from 9 to 12 bits one code early, as PDF's LZW (EarlyChange 1) does."""
    out = bytearray()
    value = bits = 0

    def put(code: int, width: int) -> None:
        nonlocal value, bits
        value = (value << width) | code
        bits += width
        while bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
        value &= (1 << bits) - 1

    width = 9
    for _ in range(cycles):
        put(256, width)  # clear: the table starts again, codes of 9 bits
        put(0, 9)
        for code in range(258, 4001):
            width = 9 if code <= 510 else 10 if code <= 1022 else 11 if code <= 2046 else 12
            put(code, width)
    if bits:
        out.append((value << (8 - bits)) & 0xFF)
    return bytes(out)


def run_length_zeros(total: int) -> bytes:
    return b"\x81\x00" * (total // 128) + b"\x80"  # 129: repeat the next byte 128 times


def pdf_case(name: str, data: Callable[[], bytes]) -> Callable[[Path], Sequence[str]]:
    return lambda folder: ["check", str(write(folder, name, data()))]


# ---- Word: a real report package, then one entry whose zip headers lie


def report_docx() -> bytes:
    return docx_form(base_doc(), random.Random(3))[1]


def zip_with(entries: list[tuple[str, bytes]], bomb_name: str, bomb: bytes, *, declared_size: int,
             declared_compressed: int | None = None, crc: int = 0) -> bytes:
    """A zip of stored ``entries`` plus ``bomb_name`` (raw deflate data) with the sizes and CRC given."""
    out = bytearray()
    central = bytearray()
    members = [(name, data, 0, zlib.crc32(data), len(data), len(data)) for name, data in entries]
    members.append((bomb_name, bomb, 8, crc, declared_compressed or len(bomb), declared_size))
    for name, data, method, crc32, csize, usize in members:
        offset = len(out)
        encoded = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc32, csize, usize, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc32, csize, usize,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def docx_bomb(*, declared_size: int, declared_compressed: int | None = None, prefix_crc: bool = False) -> bytes:
    with zipfile.ZipFile(io.BytesIO(report_docx())) as package:
        entries = [(i.filename, package.read(i)) for i in package.infolist() if i.filename != "word/document.xml"]
    crc = zlib.crc32(b"\0" * declared_size) if prefix_crc else 0
    return zip_with(entries, "word/document.xml", raw_deflate_zeros(2 << 30), declared_size=declared_size,
                    declared_compressed=declared_compressed, crc=crc)


def docx_case(data: Callable[[], bytes]) -> Callable[[Path], Sequence[str]]:
    return lambda folder: ["check", str(write(folder, "report.docx", data()))]


def symlink_loop(command: str) -> Callable[[Path], Sequence[str]]:
    def build(folder: Path) -> Sequence[str]:
        (folder / "a.json").symlink_to(folder / "b.json")
        (folder / "b.json").symlink_to(folder / "a.json")
        return [command, str(folder / "a.json")]
    return build


# --------------------------------------------------------------------------- the matrix

SURROGATE = ("无效的文字编码", "\\ud800")
DEPTH = ("嵌套层数超出上限", "GKCHECK_LIMIT_DEPTH")
DIGITS = ("单元格数字的位数超出上限", "GKCHECK_LIMIT_NUMBER_DIGITS")
REPEATED = ("出现了不止一次",)
INFLATED = ("解压后的内容超出上限", "GKCHECK_LIMIT_INFLATED_MB")
FIELD = ("单个段落或字段的长度超出上限", "GKCHECK_LIMIT_FIELD_CHARS")
NEW_CELL = "/tables/requests/new/natural_person"


def not_refused_as_empty(run: Run, folder: Path) -> None:
    assert NOT_EMPTY_PAGE not in run.output, run.output[-2000:]
    assert "青禾县人民政府" in run.output, run.output[-2000:]  # the report was read: its agency is named


CASES = [
    # item 1: a lone surrogate anywhere in a JSON document, every output format, and in an audit
    *[Case(f"json-surrogate-agency-{fmt}", check_json("report.json", surrogate_in_agency(), "--format", fmt), 2,
           (*SURROGATE, "/agency/name"), seconds=30, memory_mb=400)
      for fmt in ("text", "json", "sarif", "junit", "markdown", "html")],
    Case("json-surrogate-in-key", check_json("report.json", json_text(base_doc()).replace(
        '"natural_person"', '"natural\\udfff_person"', 1)), 2, (*SURROGATE[:1], "键名", "\\udfff"),
         seconds=30, memory_mb=400),
    Case("json-surrogate-convert", lambda f: ["convert", str(write(f, "r.json", surrogate_in_agency()))], 2,
         SURROGATE, seconds=30, memory_mb=400),
    Case("json-surrogate-audit", audit_folder(("bad.json", surrogate_in_agency())), AUDITED, seconds=60,
         memory_mb=800, check=problems_name(SURROGATE, "bad.json")),
    # item 7: nesting 100,000 deep (check, convert, --previous), and deep enough only for the bound
    Case("json-deep-100k-check", check_json("deep.json", deep_json(100_000)), 2, (*DEPTH, "100000 层"),
         seconds=30, memory_mb=400),
    Case("json-deep-100k-convert", lambda f: ["convert", str(write(f, "deep.json", deep_json(100_000)))], 2,
         DEPTH, seconds=30, memory_mb=400),
    Case("json-deep-100k-previous", previous_json(deep_json(100_000)), 2, DEPTH, seconds=30, memory_mb=400),
    Case("json-deep-500-inside-report", check_json("deep.json", nested_in_doc(500)), 2, (*DEPTH, "501 层"),
         seconds=30, memory_mb=400),
    Case("json-deep-object-keys", check_json("deep.json", '{"a":' * 5000 + "1" + "}" * 5000), 2, DEPTH,
         seconds=30, memory_mb=400),
    Case("json-unterminated-strings", check_json("bad.json", '["' + '\\"' * 2_000_000), 2, ("不是有效的 JSON",),
         seconds=30, memory_mb=400),
    # items 7 and 8: numbers no count can be, the same refusal in check and audit
    Case("json-cell-1e400", check_json("r.json", with_raw(base_doc(), ["tables", "requests", "new", "natural_person"],
                                                          "1e400")), 2, (*DIGITS, "401 位", NEW_CELL),
         seconds=30, memory_mb=400),
    Case("json-cells-1.7e308-sum-overflows", check_json("r.json", overflowing_cells()), 2, DIGITS, seconds=30,
         memory_mb=400),
    Case("json-cell-10e20", check_json("r.json", with_raw(base_doc(), ["tables", "requests", "new", "natural_person"],
                                                          str(10**20))), 2, (*DIGITS, "21 位"), seconds=30,
         memory_mb=400),
    Case("json-cell-minus-1e308", check_json("r.json", with_raw(base_doc(), ["tables", "requests", "new", "total"],
                                                                "-1e308")), 2, (*DIGITS, "309 位"), seconds=30,
         memory_mb=400),
    Case("json-cell-million-digits", check_json("r.json", with_raw(base_doc(), ["tables", "requests", "new", "total"],
                                                                   "7" * 1_000_000)), 2, (*DIGITS, "1000000 位"),
         seconds=30, memory_mb=400),
    Case("json-cell-15-digits-is-read", check_json("r.json", with_raw(
        base_doc(), ["tables", "requests", "new", "natural_person"], "999999999999999")), READ, seconds=30,
         memory_mb=400),
    Case("json-numbers-audit-like-check", audit_folder(
        ("big.json", with_raw(base_doc(), ["tables", "requests", "new", "natural_person"], str(10**20))),
        ("neg.json", with_raw(base_doc(), ["tables", "requests", "new", "total"], "-1e308"))), AUDITED,
         seconds=60, memory_mb=800,
         check=lambda run, folder: (problems_name((*DIGITS, "21 位"), "big.json")(run, folder),
                                    problems_name((*DIGITS, "309 位"), "neg.json")(run, folder))),
    Case("text-cell-21-digits", lambda f: ["check", str(write(f, "report.txt", text_with_cell(10**20)))], 2,
         (*DIGITS, "21 位", NEW_CELL), seconds=30, memory_mb=400),
    Case("text-cell-21-digits-audit-like-check", audit_folder(("report.txt", text_with_cell(10**20))), AUDITED,
         seconds=60, memory_mb=800, check=problems_name((*DIGITS, "21 位", NEW_CELL), "report.txt")),
    # item 12: a repeated key is refused, naming the key and where it is
    Case("json-repeated-key-top", check_json("r.json", repeated_key_top()), 2, (*REPEATED, "“year”", "文档根"),
         seconds=30, memory_mb=400),
    Case("json-repeated-key-nested", check_json("r.json", repeated_key_nested()), 2,
         (*REPEATED, "“natural_person”", "/tables/requests/new"), seconds=30, memory_mb=400),
    Case("json-repeated-key-gbk", check_json("r.json", repeated_key_nested().encode("gb18030")), 2,
         (*REPEATED, "/tables/requests/new"), seconds=30, memory_mb=400),
    Case("json-repeated-key-previous", previous_json(repeated_key_top()), 2, REPEATED, seconds=30, memory_mb=400),
    Case("json-escaped-colons-are-no-keys", check_json("r.json", escaped_colons()), READ, seconds=30, memory_mb=400),
    # item 7: a symbolic link loop as the input
    Case("symlink-loop-convert", symlink_loop("convert"), 2, ("循环的符号链接",), seconds=30, memory_mb=400),
    # item 8: HTML whose text follows 10.7 MB of inline image or script is read; 10 MB of text is refused
    Case("html-inline-image-before-text", lambda f: ["check", str(write(f, "report.html", report_page(
        '<p><img src="data:image/png;base64,' + "A" * 10_700_000 + '"></p>')))], READ, seconds=30, memory_mb=450,
         check=not_refused_as_empty),
    Case("html-script-before-text", lambda f: ["check", str(write(f, "report.html", report_page(
        '<script>var x = "' + "A" * 10_700_000 + '";</script>')))], READ, seconds=30, memory_mb=450,
         check=not_refused_as_empty),
    Case("html-style-before-text", lambda f: ["check", str(write(f, "report.html", report_page(
        "<style>/*" + "A" * 10_700_000 + "*/</style>")))], READ, seconds=30, memory_mb=450,
         check=not_refused_as_empty),
    Case("html-10mb-paragraph", lambda f: ["check", str(write(f, "report.html", big_paragraph_page()))], 2,
         (*FIELD, "10500000 字符"), seconds=40, memory_mb=600),
    Case("html-nested-1500-deep-is-read", lambda f: ["check", str(write(f, "report.html", report_page(nest=1500)))],
         READ, seconds=30, memory_mb=500, check=not_refused_as_empty),
    Case("html-nested-past-the-parser", lambda f: ["check", str(write(f, "report.html", report_page(nest=3000)))],
         2, ("网页解析器的处理上限",), seconds=30, memory_mb=500),
    Case("text-300k-paragraph", lambda f: ["check", str(write(f, "report.txt", "一、总体情况\n" + "很长的段落内容，" * 40_000
                                                              + "\n"))], 2, (*FIELD, "第 2 行"),
         seconds=30, memory_mb=500),
    # item 6: a PDF that inflates to gigabytes is stopped while it inflates
    Case("pdf-flate-2gb-zeros", pdf_case("bomb.pdf", lambda: pdf(zlib_zeros(2 << 30), b" /Filter /FlateDecode")), 2,
         INFLATED, seconds=60, memory_mb=700),
    Case("pdf-flate-twice", pdf_case("bomb.pdf", lambda: pdf(zlib.compress(zlib_zeros(4 << 30), 9),
                                                             b" /Filter [/FlateDecode /FlateDecode]")), 2,
         INFLATED, seconds=60, memory_mb=700),
    Case("pdf-lzw", pdf_case("bomb.pdf", lambda: pdf(lzw_zeros(120), b" /Filter /LZWDecode")), 2, INFLATED,
         seconds=90, memory_mb=700),
    Case("pdf-run-length", pdf_case("bomb.pdf", lambda: pdf(run_length_zeros(300 << 20), b" /Filter /RunLengthDecode")),
         2, INFLATED, seconds=90, memory_mb=700),
    Case("pdf-predictor-columns", pdf_case("bomb.pdf", lambda: pdf(zlib.compress(b"\0" * 1000), b" /Filter /FlateDecode"
                                                                   b" /DecodeParms << /Predictor 12 /Columns 1000000000 >>")),
         2, INFLATED, seconds=30, memory_mb=500),
    Case("pdf-200mb-zeros-content-stream-refused", pdf_case("big.pdf", lambda: pdf(zlib_zeros(192 << 20),
                                                                                    b" /Filter /FlateDecode")),
         2, ("页面内容流过大",), seconds=40, memory_mb=800),
    Case("pdf-14mb-numbers-under-the-bounds-stops-in-time", pdf_case("slow.pdf", lambda: pdf(
        zlib.compress(b"1 " * (7 << 20)), b" /Filter /FlateDecode")),
         2, ("处理时间超出上限", "GKCHECK_LIMIT_REPORT_SECONDS"), seconds=40, memory_mb=800,
         env={"GKCHECK_LIMIT_REPORT_SECONDS": "3", "GKCHECK_PDF_ENGINE": "pdfplumber"}),  # pdfminer: ≈ 1 MB/s
    # item 6: a .docx whose zip headers lie about sizes is bounded by what is inflated, not by what is declared
    Case("docx-headers-understate", docx_case(lambda: docx_bomb(declared_size=400_000, prefix_crc=True)), 2,
         ("Word 文件", "已损坏"), seconds=30, memory_mb=500),
    Case("docx-compressed-size-overstated", docx_case(lambda: docx_bomb(declared_size=(2 << 30) - 1,
                                                                        declared_compressed=40 << 20)), 2,
         INFLATED, seconds=40, memory_mb=700),
    Case("docx-honest-bomb", docx_case(lambda: docx_bomb(declared_size=(2 << 30) - 1)), 2, ("压缩炸弹",),
         seconds=40, memory_mb=700),
    # found by the fuzz run: costs that grew with the square of the input
    Case("text-40k-short-lines", check_json("r.txt", "政府信息公开工作年度报告\n" + "项目\n" * 40_000), READ | {2},
         seconds=20, memory_mb=500),
    Case("json-5000-digit-number", check_json("r.json", '{"a":1' + "0" * 5000 + "}"), 2,
         ("位数超出上限", "GKCHECK_LIMIT_NUMBER_DIGITS"), seconds=20, memory_mb=400),
    Case("json-chinese-numerals-in-problems", check_json("r.json", json_text(
        {**base_doc(), "sections": {**base_doc()["sections"], "problems": {
            "heading": "五、存在的主要问题及改进情况", "text": "一二三四五六七八九十" * 5000, "position": 4}}})),
         READ, seconds=20, memory_mb=500),
    Case("markdown-100k-spaces-in-agency", check_json("r.json", json_text(
        {**base_doc(), "agency": {**base_doc()["agency"], "name": " " * 100_000 + "某局"}}), "--format", "markdown"),
         READ, seconds=20, memory_mb=500),
    Case("text-100k-dashes-line", check_json("r.txt", "政府信息公开工作年度报告\n" + "-" * 100_000 + "\n一、总体情况\n"),
         READ | {2}, seconds=20, memory_mb=500),
    Case("html-100k-dashes-paragraph", check_json("r.html", "<html><body><p>政府信息公开工作年度报告</p><p>" + "-" * 100_000
                                                  + "</p><p>一、总体情况</p></body></html>"), READ | {2},
         seconds=20, memory_mb=500),
    Case("text-latin-run-with-tone-mark", check_json("r.txt", "政府信息公开工作年度报告\n" + "a" * 150_000 + "ā\n"),
         READ | {2}, seconds=20, memory_mb=500),
    # one setting raises (or lowers) every size bound
    Case("input-mb-bounds-json", check_json("r.json", json_text(base_doc()) + " " * (2 << 20)), 2,
         ("文件大小超出上限", "上限 1 MB", "GKCHECK_LIMIT_INPUT_MB"), seconds=30, memory_mb=400,
         env={"GKCHECK_LIMIT_INPUT_MB": "1"}),
    Case("input-mb-bounds-html", lambda f: ["check", str(write(f, "report.html", report_page(
        "<!--" + "x" * (2 << 20) + "-->")))], 2, ("文件大小超出上限", "GKCHECK_LIMIT_INPUT_MB"), seconds=30,
         memory_mb=400, env={"GKCHECK_LIMIT_INPUT_MB": "1"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)


def test_symlink_loop_check(tmp_path: Path) -> None:
    run_case(Case("symlink-loop-check", symlink_loop("check"), 2, ("循环的符号链接",), seconds=30, memory_mb=400),
             tmp_path)
