"""Ingest: read a report file of any supported kind into the report document.

Public API:

* :func:`read_document` — path → document dict (``schemas/report.schema.json``);
* :func:`parse_document` — the same from a file's bytes;
* :func:`sniff` — what kind of file some bytes are (json/text/markdown/html/docx/pdf, or
  legacy: an old Word/WPS/RTF file, read through LibreOffice when it is installed).

Readers turn bytes into a :class:`~checker.ingest.layout.Layout`; the assembler
(:func:`~checker.ingest.assemble.assemble`) turns a Layout into the document.
The HTML, Word and PDF readers are imported only when such a file is read, so
text ingest works without their dependencies.
"""

from __future__ import annotations

import errno
import io
import stat
import zipfile
from pathlib import Path

from checker import limits
from checker.errors import InputError, cause_text
from checker.ingest import legacy
from checker.ingest.assemble import assemble
from checker.ingest.deadline import reading_deadline
from checker.ingest.jsonfile import parse_json
from checker.ingest.layout import Layout
from checker.ingest.text import read_text
from checker.ingest.values import check_blocks, check_values

__all__ = ["parse_document", "read_bytes", "read_document", "sniff"]

_KIND_NAMES = {"html": "HTML", "docx": "Word (.docx)", "pdf": "PDF", "legacy": "Word (.doc/.wps/.rtf)"}
_TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".json": "json", ".html": "html", ".htm": "html", ".xhtml": "html"}


def read_document(path: str | Path, *, year: int | None = None) -> dict:
    """Read a report file (.json .txt .md .html .docx .pdf) into the report document.

    Args:
        path: the file to read.
        year: the reported year, overriding what the file says (``--year``).

    Returns:
        The report document; a ``.json`` file is returned as parsed.

    Raises:
        InputError: the file is missing, empty, too large, binary garbage, in an
            unknown encoding or format, or not an annual report.
    """
    file = Path(path)
    return parse_document(read_bytes(file), file.name, year=year)


def parse_document(data: bytes, name: str, *, year: int | None = None) -> dict:
    """The report document held by a file's bytes (``name``: the file name, for its suffix and messages).

    Every document, parsed or assembled, passes :func:`~checker.ingest.values.check_values`:
    no lone surrogate, repeated JSON key, number or string over its bound, or nesting too
    deep reaches the checker, the audit or an output. Reading a text, HTML, Word or PDF file
    is bounded in time by :data:`checker.limits.REPORT_SECONDS` (see :mod:`.deadline`).

    Raises:
        InputError: as :func:`read_document`, for the content.
    """
    kind = sniff(data, Path(name).suffix)
    if kind == "json":
        document = parse_json(data, name)  # checks values on its own careful path when needed
    else:
        with reading_deadline(name):
            layout = _layout(kind, data)
            check_blocks(layout, name)
            document = assemble(layout, source_name=name, year=year)
        check_values(document, name)
    if year is not None:
        document["year"] = year
    return document


def read_bytes(file: Path) -> bytes:
    """The bytes of a report file; InputError when it is missing, not a file, over
    :data:`checker.limits.INPUT_MB`, unreadable or empty."""
    try:
        st = file.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{file} 是一个循环的符号链接（链接最终指回自己），不指向任何文件。请改为指定报告文件本身。",
                             f"{file} is a symbolic link loop that points to no file.") from None
        st = None
    if st is None or not stat.S_ISREG(st.st_mode):  # one stat for the usual case; the reason otherwise
        if not file.exists():
            raise InputError(f"找不到文件：{file}。请检查文件路径是否正确。", f"File not found: {file}.")
        if not file.is_file():
            raise InputError(f"{file} 不是一个文件（可能是文件夹）。请指定年度报告文件。", f"{file} is not a file.")
        st = file.stat()
    limit = limits.INPUT_MB.bytes()
    if st.st_size > limit:
        raise limits.INPUT_MB.exceeded(f"{st.st_size / 2**20:.1f}", where_zh=f"文件 {file}", where_en=f"the file {file}")
    try:
        data = _read_at_most(file, st.st_size, limit)
    except OSError as exc:
        raise InputError(f"无法读取文件 {file}：{exc.strerror}。请检查文件权限。", f"Cannot read {file}: {exc}.") from exc
    if len(data) > limit:
        raise limits.INPUT_MB.exceeded(f"> {limit / 2**20:.0f}", where_zh=f"文件 {file}", where_en=f"the file {file}")
    if not data.strip():
        raise InputError(f"文件 {file.name} 是空的，没有可检查的内容。请确认选择了正确的年度报告文件。",
                         f"The file {file.name} is empty.")
    return data


def _read_at_most(file: Path, size: int, limit: int) -> bytes:
    """The file's bytes, never more than ``limit + 1`` of them (a file may grow after ``stat``)."""
    with file.open("rb", buffering=0) as fh:
        data = fh.read(size + 1)  # the usual case: all of it, and the end of the file
        if len(data) <= size:
            return data
        chunks = [data]
        total = len(data)
        while total <= limit:
            chunk = fh.read(min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)


def sniff(data: bytes, suffix: str) -> str:
    """The kind of a file from its content, with its suffix as a tie-breaker.

    Args:
        data: the file's bytes.
        suffix: the file name's suffix, e.g. ".txt" (may be empty).

    Returns:
        One of "json", "text", "markdown", "html", "docx", "pdf", "legacy" (a Word 97–2003 or
        WPS document, or RTF: :mod:`checker.ingest.legacy`).

    Raises:
        InputError: the bytes are a binary format gkcheck cannot read (e.g. .xls, .xlsx).
    """
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if legacy.is_legacy(data):
        return "legacy"
    if legacy.is_ole(data):
        raise InputError("这是 Excel、PowerPoint 等 Office 旧格式文件，不是 Word 文档，无法作为年度报告读取。请提供 .docx、.doc、.pdf、.html、.txt 或 .json 文件。",
                         "The file is an old Office file other than a Word document (Excel, PowerPoint...).")
    by_suffix = _TEXT_SUFFIXES.get(suffix.lower())
    if by_suffix == "json":
        return "json"
    lowered = _head_text(data).lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("{", "[")) and by_suffix not in {"text", "markdown"}:
        return "json"
    if lowered.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in lowered or "<table" in lowered:
        return "html"
    if by_suffix in {"text", "markdown", "html"}:
        return by_suffix
    return "markdown" if lowered.startswith("#") or "\n|---" in lowered or "\n| --" in lowered else "text"


def _head_text(data: bytes) -> str:
    """The first few thousand characters, decoded leniently (markers are ASCII)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _sniff_zip(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise InputError("文件像是 Word（.docx）文件，但已损坏，无法打开。请重新导出后重试。",
                         "The file looks like a .docx but is damaged.") from exc
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        raise InputError("这是 OFD 版式文件（国家标准电子文件格式），gkcheck 暂不能读取。请用 OFD 阅读器将其另存（或打印）为带文字层的 PDF 后重试，"
                         "或提供 Word、网页版本。",
                         "This is an OFD file (the Chinese fixed-layout format), which gkcheck does not read. Save or "
                         "print it as a PDF with a text layer, or give the Word or web version.")
    raise InputError("这是一个压缩包或其他 Office 文件（不是 .docx），无法作为年度报告读取。请提供 .docx、.pdf、.html、.txt 或 .json 文件。",
                     "The file is a zip archive or an Office file other than .docx.")


def _layout(kind: str, data: bytes) -> Layout:
    """Run the reader for ``kind``; readers of other helpers are imported lazily."""
    if kind in {"text", "markdown"}:
        return read_text(data, markdown=kind == "markdown")
    if kind == "legacy":
        rtf = data.startswith(b"{\\rtf")
        data = legacy.to_docx(data, "RTF " if rtf else "旧版 Word（.doc）或 WPS（.wps）",
                              "an RTF" if rtf else "an old Word (.doc) or WPS (.wps)")
        kind = "docx"
    try:
        if kind == "html":
            from checker.ingest.html import read_html as reader
        elif kind == "docx":
            from checker.ingest.docx import read_docx as reader
        else:
            from checker.ingest.pdf import read_pdf as reader
    except ImportError as exc:
        raise InputError(f"当前安装不支持读取 {_KIND_NAMES[kind]} 文件（缺少读取组件：{exc.name}）。请安装完整版本，或提供 .txt 文件。",
                         f"Reading {_KIND_NAMES[kind]} files is not available in this installation ({exc}).") from exc
    try:
        return reader(data)
    except InputError:
        raise
    except Exception as exc:  # a damaged file makes third-party parsers raise anything
        raise InputError(f"无法读取该 {_KIND_NAMES[kind]} 文件，文件可能已损坏：{cause_text(exc)}。请重新导出后重试。",
                         f"The {_KIND_NAMES[kind]} file could not be read: {cause_text(exc)}.") from exc
