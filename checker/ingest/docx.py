"""Read a Word (.docx) report into a Layout with python-docx.

The package is inflated before python-docx opens it, entry by entry, a chunk at a
time, under :data:`checker.limits.INFLATED_MB` counted on the bytes actually produced
(a "zip bomb" disguised as .docx, whatever its headers declare, is refused as soon as
it passes the bound); python-docx reads the inflated entries, stored uncompressed.
Legacy .doc and encrypted Word files are OLE containers, not ZIP archives, and are
refused with a message saying so.

The body is read in order, so tables sit between the right paragraphs.
Content controls (``w:sdt``) are looked into. Paragraph text includes runs,
hyperlinks and tracked insertions (deletions are left out); a line break
(``w:br``) inside a paragraph ends a block, like ``<br>`` in HTML. Merged cells
(``gridSpan`` across, ``vMerge`` down) are expanded into the grid; a one-column
table is a frame around text, and its content is read as ordinary blocks.

Locations: Word shows no lines, and its pages depend on the printer, so a paragraph's
``Location.line`` is its paragraph number (``unit`` :data:`~checker.ingest.layout.PARAGRAPH`)
as a person counts them from the top of the document: the paragraphs that hold text, outside
data tables (those inside a one-column frame table included; empty paragraphs, which show as
blank lines, not counted; a paragraph broken by line breaks is one paragraph). It also carries
the paragraph's first words (``quote``). A cell carries the number of the data table (one-column
frames not counted), and its row and column in the table's grid after merged cells are expanded.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from checker import limits
from checker.errors import InputError
from checker.ingest._shared import (
    SpanCell,
    build_grid,
    check_size,
    clean_text,
    join_lines,
)
from checker.ingest.layout import (
    PARAGRAPH,
    Layout,
    Location,
    Paragraph,
    Table,
    quote_of,
)

#: Refuse an entry (inflating to at least 1 MB) that inflates more than this many times its compressed size.
MAX_COMPRESSION_RATIO = 100
#: Refuse a package with more entries than this.
MAX_ZIP_ENTRIES = 5000
#: Inflate entries this many bytes at a time (the most one step may hold beyond the bound).
_CHUNK = 1 << 20

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W_P, _W_TBL, _W_SDT, _W_SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_W_TR, _W_TC = qn("w:tr"), qn("w:tc")
_W_DOCUMENT, _W_BODY = qn("w:document"), qn("w:body")
_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_SKIP_TAGS = frozenset(
    {qn("w:del"), qn("w:moveFrom"), "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
)


def read_docx(data: bytes) -> Layout:
    """Read a .docx file into a :class:`Layout`.

    Args:
        data: the bytes of the file.

    Returns:
        The body's paragraphs and tables in order, with hints from the core
        properties: ``title``, and the weak hints ``doc_created`` and
        ``doc_modified`` (YYYY-MM-DD).

    Raises:
        InputError: when the file is too large, is not a .docx package, is
            corrupt, is a suspected zip bomb, or has no text.
    """
    document = open_document(data)
    reader = _BodyReader()
    reader.read(document.element.body)
    if not any(isinstance(b, Table) or b.text for b in reader.blocks):
        raise InputError(
            "Word 文件中没有可读取的文字（可能只含图片或是空文档），请提供包含报告文字的文件。",
            "The Word file has no readable text (empty or images only).",
        )
    return Layout(blocks=reader.blocks, media_type=_MEDIA_TYPE, hints=_hints(document))


_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def open_document(data: bytes) -> Document:
    """The python-docx document of a .docx file's bytes, inflated under the bounds.

    Raises:
        InputError: as :func:`read_docx`, for a file that is too large, not a .docx package,
            corrupt or a suspected zip bomb.
    """
    check_size(data, "Word 文件", "Word file")
    return _open(_inflated_package(data))


def _inflated_package(data: bytes) -> bytes:
    """The package with every entry inflated under the bound, stored uncompressed.

    Legacy/encrypted Word files, non-ZIP data and zip bombs are refused here. Sizes are
    measured while inflating, never taken from the ZIP headers, which a hostile file can
    under-state (``zipfile.ZipFile.read`` inflates up to 2 GB in one step before it compares
    the result with the declared size). python-docx and lxml only ever see the bytes
    inflated here: no more than :data:`checker.limits.INFLATED_MB` in all.
    """
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            "这是旧版 Word（.doc）文件或设置了打开密码的 Word 文件，无法读取。请在 Word 中取消密码并另存为 .docx 后再检查。",
            "This is a legacy .doc or a password-protected Word file; save it as an unprotected .docx.",
        )
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _bomb(f"包含 {len(entries)} 个条目", f"{len(entries)} entries")
            budget = limits.INFLATED_MB.bytes()
            seen: set[str] = set()
            for entry in entries:
                if entry.is_dir():
                    continue
                if entry.filename in seen:  # which twin a reader takes is up to it: Word writes none
                    raise _corrupt(ValueError(f"the entry {entry.filename} is in the package twice"))
                seen.add(entry.filename)
                if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # Word writes no other
                    raise _corrupt(ValueError(f"entry {entry.filename} uses compression method {entry.compress_type}"))
                content = _inflate(archive, entry, budget)
                budget -= len(content)
                stored.writestr(entry.filename, content)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError, zlib.error) as exc:
        raise _corrupt(exc) from exc  # RuntimeError: an encrypted entry
    return out.getvalue()


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """One entry's bytes, inflated a chunk at a time; refused as soon as it passes the bound."""
    chunks: list[bytes] = []
    size = 0
    most = MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
    with archive.open(entry) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise limits.INFLATED_MB.exceeded(
                    f"> {limits.INFLATED_MB.value()}", where_zh=f"Word 文件（条目 {entry.filename}）",
                    where_en=f"the Word file (entry {entry.filename})")
            if size >= 1024 * 1024 and size > most:
                raise _bomb(f"条目 {entry.filename} 的压缩比超过 {MAX_COMPRESSION_RATIO} 倍",
                            f"entry {entry.filename} inflates more than {MAX_COMPRESSION_RATIO} times")
            chunks.append(chunk)
    return b"".join(chunks)


def _corrupt(exc: Exception) -> InputError:
    """The error for a file that is not a readable .docx package."""
    return InputError(
        "无法打开该 Word 文件：文件已损坏或不是 .docx 格式。请用 Word 打开后重新另存为 .docx 再检查。",
        f"Cannot open the Word file: it is corrupt or not a .docx ({type(exc).__name__}: {exc}).",
    )


def _bomb(detail_zh: str, detail_en: str) -> InputError:
    """The error for a package whose declared contents are implausibly large."""
    return InputError(
        f"该 Word 文件结构异常（{detail_zh}），疑似压缩炸弹或已损坏，已拒绝读取。请确认文件来源，或重新另存为 .docx。",
        f"The Word file looks like a zip bomb or is damaged ({detail_en}); refused.",
    )


def _open(data: bytes) -> Document:
    """Open the package with python-docx, turning every failure into InputError."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError,
            AttributeError, TypeError) as exc:  # AttributeError: a part whose root is some other element
        raise _corrupt(exc) from exc
    root = document.element
    if root.tag != _W_DOCUMENT or root.find(_W_BODY) is None:  # e.g. word/document.xml is "<junk/>"
        raise _corrupt(ValueError(f"word/document.xml holds <{etree.QName(root).localname}>, not a document body"))
    return document


def _hints(document: Document) -> dict[str, str]:
    """Core properties as hints: title, doc_created, doc_modified."""
    props = document.core_properties
    hints: dict[str, str] = {}
    title = clean_text(props.title or "")
    if title:
        hints["title"] = title
    for key, value in (("doc_created", props.created), ("doc_modified", props.modified)):
        if isinstance(value, datetime):
            hints[key] = value.date().isoformat()
    return hints


def _block_items(parent: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables directly under ``parent``, looking into content controls."""
    for child in parent:
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _block_items(content)


def _paragraph_lines(p: etree._Element) -> list[str]:
    """The text of a ``w:p``, split at line breaks (deleted text left out)."""
    pieces: list[str] = []
    _collect_text(p, pieces)
    return "".join(pieces).split("\n")


def _collect_text(el: etree._Element, pieces: list[str]) -> None:
    """Append the text of ``el``'s runs to ``pieces``, skipping deletions and fallbacks."""
    for child in el:
        if child.tag in _SKIP_TAGS or not isinstance(child.tag, str):
            continue
        if child.tag in _TEXT_TAGS:
            replacement = _TEXT_TAGS[child.tag]
            pieces.append(child.text or "" if replacement is None else replacement)
        else:
            _collect_text(child, pieces)


def _cell_text(tc: etree._Element) -> str:
    """All text of a ``w:tc``, paragraphs and nested tables joined."""
    lines: list[str] = []
    for item in _block_items(tc):
        if item.tag == _W_P:
            lines.extend(_paragraph_lines(item))
        else:
            # the nested table's own rows and cells only: ``iter`` would also visit the rows of the tables
            # nested in it, which this call reads again, so 50 nested tables took 2**50 steps
            lines.extend(_cell_text(t) for tr in item.iterchildren(_W_TR) for t in tr.iterchildren(_W_TC))
    return join_lines(lines)


def _grid_before(tr: etree._Element) -> int:
    """``w:gridBefore`` of a row (columns skipped at its start)."""
    value = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    return _int_attr(value)


def _grid_span(tc: etree._Element) -> int:
    """``w:gridSpan`` of a cell (at least 1)."""
    value = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return max(1, _int_attr(value))


def _v_merge(tc: etree._Element) -> str | None:
    """``w:vMerge`` of a cell: "restart", "continue" or None."""
    value = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if value is None:
        return None
    return value.get(qn("w:val")) or "continue"


def _int_attr(el: etree._Element | None) -> int:
    """The ``w:val`` of an element as an int (0 when absent or junk)."""
    if el is None:
        return 0
    try:
        return max(0, min(int(el.get(qn("w:val"), "0")), 1000))
    except ValueError:
        return 0


@dataclass(slots=True)
class PlacedCell:
    """A ``w:tc`` on its table's grid (0-based)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    tc: etree._Element


def placed_cells(tbl: etree._Element) -> list[PlacedCell]:
    """The cells of a ``w:tbl`` on the grid, vMerge continuations joining the cell above.

    The one placement of Word table cells: the reader takes their text, the annotator
    (``checker.annotate``) their elements, so both number rows and columns alike.
    """
    placed: list[PlacedCell] = []
    above: dict[int, PlacedCell] = {}
    for r, tr in enumerate(tbl.iterchildren(_W_TR)):
        col = _grid_before(tr)
        for tc in tr.iterchildren(_W_TC):
            span = _grid_span(tc)
            origin = above.get(col)
            if _v_merge(tc) == "continue" and origin is not None and origin.colspan == span:
                origin.rowspan = r - origin.row + 1
            else:
                cell = PlacedCell(r, col, 1, span, tc)
                placed.append(cell)
                for covered in range(col + 1, col + span):
                    above.pop(covered, None)
                above[col] = cell
            col += span
    return placed


def _place(tbl: etree._Element) -> list[SpanCell]:
    """The cells of a ``w:tbl`` on the grid with their text."""
    return [SpanCell(c.row, c.col, c.rowspan, c.colspan, _cell_text(c.tc)) for c in placed_cells(tbl)]


@dataclass(slots=True)
class _BodyReader:
    """Turns body block items into Layout blocks, numbering paragraphs and tables."""

    blocks: list[Paragraph | Table] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def read(self, parent: etree._Element) -> None:
        """Read the block items of a body (or of a frame table's cell)."""
        for item in _block_items(parent):
            if item.tag == _W_P:
                self._paragraph(item)
            else:
                self._table(item)

    def _paragraph(self, p: etree._Element) -> None:
        """Emit a paragraph's lines as blocks numbered with the paragraph (a paragraph without text
        takes no number: a person counting paragraphs skips the blank lines)."""
        texts = [text for text in (clean_text(line) for line in _paragraph_lines(p)) if text]
        if not texts:
            return
        self.paragraphs += 1
        for text in texts:
            self.blocks.append(Paragraph(text, Location(line=self.paragraphs, unit=PARAGRAPH,
                                                        quote=quote_of(text))))

    def _table(self, tbl: etree._Element) -> None:
        """Emit a data table, or read a one-column frame's cells as blocks."""
        cells = _place(tbl)
        if max((c.col + c.colspan for c in cells), default=0) < 2:
            for tc in (tc for tr in tbl.iterchildren(_W_TR) for tc in tr.iterchildren(_W_TC)):
                self.read(tc)
            return
        self.tables += 1
        self.blocks.append(Table(build_grid(cells, self.tables), Location(table=self.tables)))
