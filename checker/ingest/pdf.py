"""Read a PDF report (with a text layer) into a Layout with pdfium, or pdfplumber where pdfium cannot decide.

The characters and drawing of each page come from pdfium (:mod:`checker.ingest.pdfium_pages`,
in pdfplumber's terms), or from pdfplumber (pdfminer) for a file or page the fast path leaves
to it; the same geometry runs on either (``read_pdf(data, engine="pdfplumber")`` reads with
pdfplumber alone, and gives the same layout). Per page:

* Ruled tables are found with pdfplumber's table finder on the visible drawing only
  (white fills, used by PDF editors to white out text and by Word as cell
  background, are ignored). A table whose border is missing where it is cut by
  the page break is closed along the ends of its vertical rules. Only tables of
  two or more columns are data tables; a one-column box is a frame around text,
  which is read as paragraphs.
* Merged cells are recovered from the cell geometry: a cell covers every grid
  column and row between its edges. The lines of a cell are joined without
  spaces between Chinese characters, so a vertical label written one character
  per line becomes one label, and a wrapped row label one label.
* Text outside data tables is grouped into paragraphs: a line starts a new
  paragraph when it is indented, starts with a heading number (一、 or （一）),
  follows a short line, or follows a larger gap. Page-number lines in the top
  or bottom margin (``-3-``, ``— 3 —``, ``第 3 页``) are dropped. A paragraph
  cut by a page break continues on the next page.

Across pages, a table that ends its page is joined with a table that starts the
next page when their outer edges line up: repeated header rows are dropped,
a merged label cell cut by the page break is joined with its continuation, and a
row cut by the page break (its numbered label start over blank cells, then the
rest of the label with the values) becomes one row again.

Locations: a paragraph carries its page, its first words (``quote``) and the 1-based
line on that page where it starts (lines counted over all text on the page, tables
included: ``unit`` :data:`~checker.ingest.layout.PAGE_LINE`; no reader sees these lines, the
outputs show the page and the quote); a cell carries page, table, row and column in the
expanded grid.

Limits: text must be in the file (scanned pages need OCR first); tables must be
ruled; one column of text per page is assumed.
"""

from __future__ import annotations

import codecs
import io
import itertools
import math
import os
import re
import struct
import zlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from operator import itemgetter
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfminer.utils import PDFDocEncoding
from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import extract_text
from pdfplumber.utils.clustering import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from checker.errors import InputError, cause_text
from checker.ingest import pdfium_pages, pdfstreams, pdftext
from checker.ingest._shared import SpanCell, build_grid, check_size, clean_text, join_lines
from checker.ingest.layout import PAGE_LINE, Layout, Location, Paragraph, Table, quote_of

pdfstreams.install()

#: Set to ``pdfplumber`` to read PDFs with pdfplumber alone (the reader before pdfium), e.g. in
#: the audit's worker processes for a comparison.
ENGINE_ENV = "GKCHECK_PDF_ENGINE"

#: Refuse PDFs with more pages than this.
MAX_PAGES = 300

_HEADING_START = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_NUMBERED_START = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.、．]|第)")
_PAGE_NUMBER = re.compile(r"^\s*([-—–－~]\s*\d{1,3}\s*[-—–－~]|\d{1,3}|第\s*\d{1,3}\s*页.*|\d{1,3}\s*/\s*\d{1,3})\s*$")
_NUMBER = re.compile(r"^[\d\s.,，]+$")
_PLACEHOLDER = re.compile(r"^([/／\\—–\-_*×xX]{1,3}|无|空|不适用)$")
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})(\d{2})")
_EDGE_TOLERANCE = 1.0
_PDFDOC_BYTES = {char: code for code, char in enumerate(PDFDocEncoding) if char != "\x00" or code == 0}
_ALIGN_TOLERANCE = 6.0
_Box = tuple[float, float, float, float]  # x0, top, x1, bottom
_BOX = itemgetter("x0", "top", "x1", "bottom")  # of an object, as pdfplumber's ``obj_to_bbox``
_VERTICAL_CENTRE = itemgetter(0)  # of the entries of :func:`_centred` (vertical centre, horizontal centre, page order, char)
_ACROSS = itemgetter(1, 2)  # of the same: horizontal centre, then page order
_PAGE_ORDER = itemgetter(2)  # of the same
_MARGIN_ZONE = 0.12
#: How far (pt) a running header's or footer's line may stand from its height on the other pages.
_RUNNING_TOLERANCE = 3.0
#: Lines whose heights differ by this factor are of different paragraphs (a title over its text).
_SIZE_CHANGE = 1.5
#: pdfplumber's snap tolerance (its default; rules this close, one after another, are snapped together) …
_SNAP_TOLERANCE = 3.0
#: … and how far (pt) snapping may move a table's rules for rules of another table before each is found alone.
_SNAP_SHIFT = 1.0
#: How far (pt) outside a table's box its own rules may lie (pdfplumber's snapping moves rules by up to 3 pt).
_OWN_RULES_MARGIN = 4.0
_DIGITS = re.compile(r"\d+")
_BAD_PDF_ERRORS = (
    PdfminerException, PDFException, PSException, ValueError, KeyError, TypeError, IndexError,
    AttributeError, AssertionError, RecursionError, struct.error, zlib.error,
)


def read_pdf(data: bytes, *, engine: str | None = None) -> Layout:
    """Read a PDF file into a :class:`Layout`.

    Args:
        data: the bytes of the file.
        engine: ``"auto"``: pdfium, and pdfplumber for a file or page pdfium cannot decide
            (:mod:`checker.ingest.pdfium_pages`); ``"pdfplumber"``: pdfplumber alone, the reader
            before pdfium (for comparisons and benchmarks). Both give the same layout. None:
            the environment variable ``GKCHECK_PDF_ENGINE`` (``pdfplumber``), else ``"auto"``.

    Returns:
        Paragraphs and ruled tables in reading order, with hints ``title`` and
        ``doc_created`` (YYYY-MM-DD, weak) from the document information.

    Raises:
        InputError: when the file is too large, not a PDF, encrypted, corrupt,
            longer than :data:`MAX_PAGES` pages, or has no text layer.
    """
    check_size(data, "PDF 文件", "PDF file")
    if b"%PDF-" not in data[:1024]:
        raise InputError(
            "该文件不是 PDF 文件（缺少 %PDF 文件头），请确认文件格式和扩展名。",
            "The file is not a PDF (no %PDF header).",
        )
    if engine is None:
        engine = "pdfplumber" if os.environ.get(ENGINE_ENV, "").strip().lower() == "pdfplumber" else "auto"
    if engine not in ("auto", "pdfplumber"):
        raise ValueError(f"unknown PDF engine {engine!r}")
    try:
        if engine == "pdfplumber":
            raise pdfium_pages.Undecided("engine pdfplumber asked for")
        pages, hints = _read_with_pdfium(data)
        pdfium_pages.STATS["file read by pdfium"] += 1
    except pdfium_pages.Undecided as undecided:
        pdfium_pages.STATS["file read by pdfplumber"] += 1
        pdfium_pages.STATS[f"file read by pdfplumber: {undecided}"] += 1
        pages, hints = _read_with_pdfplumber(data)
    _check_text_layer(pages)
    _drop_running_lines(pages)
    return Layout(blocks=_Assembler(pages).blocks(), media_type="application/pdf", hints=hints)


def _read_with_pdfium(data: bytes) -> tuple[list[_PageContent], dict[str, str]]:
    """Read the pages with pdfium (:mod:`checker.ingest.pdfium_pages`), or say Undecided.

    A page that pdfium cannot decide is read with pdfplumber, opened for it.
    """
    descents = pdfium_pages.check_streams(data)
    document = pdfium_pages.open_document(data, descents)
    inflated = None
    try:
        _check_page_count(document.page_count)
        with ExitStack() as fallback:
            plumber: pdfplumber.PDF | None = None
            pages = []
            for number in range(1, document.page_count + 1):
                try:
                    view = document.page(number - 1)
                except pdfium_pages.Undecided as undecided:
                    pdfium_pages.STATS[f"page read by pdfplumber: {undecided}"] += 1
                    if plumber is None:
                        fallback.enter_context(_pdf_errors())
                        inflated = fallback.enter_context(pdfstreams.budget())
                        plumber = fallback.enter_context(pdfplumber.open(io.BytesIO(data)))
                    view = _plumber_view(plumber.pages[number - 1])
                pages.append(_read_page(view, number))
        if inflated is not None and inflated.error is not None:  # raised inside pdfminer and swallowed there
            raise inflated.error
    finally:
        document.close()
    return pages, _hints({key: _redecode(value) for key, value in document.info.items()})


def _read_with_pdfplumber(data: bytes) -> tuple[list[_PageContent], dict[str, str]]:
    """Read the pages with pdfplumber (pdfminer), its streams bounded by :mod:`checker.ingest.pdfstreams`."""
    with _pdf_errors(), pdfstreams.budget() as inflated, pdfplumber.open(io.BytesIO(data)) as pdf:
        _check_page_count(len(pdf.pages))
        pages = [_read_page(_plumber_view(page), number) for number, page in enumerate(pdf.pages, start=1)]
        info: dict[str, Any] = {}
        for entry in pdf.doc.info:
            info.update(entry)
    if inflated.error is not None:  # raised inside pdfminer and swallowed there: still refused
        raise inflated.error
    return pages, _hints({key: _decode_pdf_string(info.get(key)) for key in ("Title", "CreationDate")})


def _check_page_count(count: int) -> None:
    """Refuse a PDF with no pages or more than :data:`MAX_PAGES`."""
    if not count:
        raise InputError(
            "PDF 文件已损坏或格式异常（找不到任何页面），无法读取。请重新导出 PDF，或改用 Word/HTML 版本。",
            "The PDF is corrupt or malformed (no pages found).",
        )
    if count > MAX_PAGES:
        raise InputError(
            f"PDF 共 {count} 页，超过上限 {MAX_PAGES} 页，不像是一份年度报告。请只提供年度报告本身。",
            f"The PDF has {count} pages, more than the limit of {MAX_PAGES}.",
        )


def _check_text_layer(pages: list[_PageContent]) -> None:
    """Refuse a PDF without text (scanned) or whose text cannot be decoded."""
    chars = sum(page.chars for page in pages)
    if not chars:
        raise InputError(
            "PDF 没有文字层（可能是扫描件），请提供可复制文字的版本或先进行 OCR。",
            "The PDF has no text layer (probably scanned); provide a text PDF or run OCR first.",
        )
    if sum(page.unmapped_chars for page in pages) > chars // 2:
        raise InputError(
            "PDF 中的文字无法转换为可读字符（字体缺少 Unicode 映射），请重新导出 PDF（嵌入字体）或改用 Word/HTML 版本。",
            "The PDF's text cannot be decoded (fonts without a Unicode mapping).",
        )


@contextmanager
def _pdf_errors() -> Iterator[None]:
    """Turn pdfminer/pdfplumber failures on a malformed file into InputError."""
    try:
        yield
    except InputError:
        raise
    except _BAD_PDF_ERRORS as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, InputError):  # a bound met inside pdfminer, wrapped by pdfplumber
            raise cause from None
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(
                "PDF 文件已加密（设置了打开密码），无法读取。请提供未加密的版本。",
                "The PDF is encrypted (password protected); provide an unencrypted copy.",
            ) from exc
        raise InputError(
            "PDF 文件已损坏或格式异常，无法读取。请重新导出 PDF，或改用 Word/HTML 版本。",
            f"The PDF is corrupt or malformed ({type(cause).__name__}: {cause_text(cause)}).",
        ) from exc


def _hints(info: dict[str, str]) -> dict[str, str]:
    """Title and creation date from the document information dictionary (its text strings decoded)."""
    hints: dict[str, str] = {}
    title = clean_text(info.get("Title", ""))
    if title:
        hints["title"] = title
    created = _PDF_DATE.match(info.get("CreationDate", ""))
    if created:
        with suppress(ValueError):
            hints["doc_created"] = date(*(int(g) for g in created.groups())).isoformat()
    return hints


def _redecode(text: str) -> str:
    """A text string as pdfminer's reading decodes it (:func:`_decode_pdf_string`), from pdfium's reading.

    pdfium decodes a string without a byte-order mark as PDFDocEncoding; such a string (all of
    its characters in PDFDocEncoding) is turned back into its bytes and decoded as UTF-8 when it
    is UTF-8 (some producers write UTF-8 without a mark), as pdfminer's reading does.
    """
    if text.isascii():
        return text
    try:
        raw = bytes(_PDFDOC_BYTES[char] for char in text)
    except KeyError:  # a character outside PDFDocEncoding: the string was UTF-16
        return text
    return _decode_pdf_string(raw)


def _decode_pdf_string(value: Any) -> str:
    """Decode a PDF text string: UTF-16 with either byte-order mark, else UTF-8, else Latin-1."""
    value = getattr(value, "resolve", lambda: value)()
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes):
        return ""
    for bom, encoding in ((codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if value.startswith(bom):
            return value[len(bom):].decode(encoding, errors="replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


# --------------------------------------------------------------------------- pages


@dataclass(slots=True)
class _Line:
    """A line of text outside tables."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    number: int

    @property
    def height(self) -> float:
        """Height of the line (about the font size)."""
        return self.bottom - self.top


@dataclass(slots=True)
class _GeoCell:
    """A table cell by its column boundaries and rows within its table piece."""

    x0: float
    x1: float
    row0: int
    row1: int
    text: str
    page: int


@dataclass(slots=True)
class _Piece:
    """A ruled table as found on one page."""

    page: int
    x0: float
    x1: float
    top: float
    cells: list[_GeoCell]


@dataclass(slots=True)
class _PageContent:
    """What one page holds: lines and table pieces in top-to-bottom order."""

    number: int
    items: list[_Line | _Piece]
    chars: int
    unmapped_chars: int
    height: float = 0.0


def _plumber_view(page: Page) -> pdfium_pages.PageView:
    """A pdfplumber page as the page reader sees it: characters and the edges of the visible drawing.

    Text drawn twice within a point of itself (bold imitated by a second, shifted copy: "一一、、总总…")
    is read once, as pdfium reads it (:func:`_dedupe_chars`: same character, font and size)."""
    chars = _dedupe_chars(page.chars)
    kept = {id(char) for char in chars}
    visible = page.filter(lambda obj: _is_visible(obj) and (obj.get("object_type") != "char" or id(obj) in kept))
    unmapped = sum(1 for char in chars if char["text"].startswith("(cid:"))
    view = pdfium_pages.PageView(visible.chars, visible.edges, page.bbox, len(chars), unmapped)
    page.close()
    return view


def _dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1) -> list[dict[str, Any]]:
    """pdfplumber's ``utils.dedupe_chars(chars)`` (its defaults: same upright, text, font and size; positions
    within ``tolerance``), the kept characters in page order, in O(n log n).

    pdfplumber puts the kept characters back in order with ``sorted(kept, key=chars.index)``, a search
    of the whole page per character: a page of 100,000 characters took hours. Here each character's
    place is looked up by identity (two characters equal as dicts are never both kept: they fall in one
    cluster).
    """
    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        for line in cluster_objects(list(group), itemgetter("doctop"), tolerance):
            for cluster in cluster_objects(line, itemgetter("x0"), tolerance):
                kept.append(min(cluster, key=position))
    order = {id(char): index for index, char in enumerate(chars)}
    return sorted(kept, key=lambda char: order[id(char)])


def _read_page(page: pdfium_pages.PageView, number: int) -> _PageContent:
    """Extract the data tables and the text lines outside them from one page."""
    fast = page.simple_text if page.simple_text is not None else pdftext.applies(page.chars)
    tables = _data_tables(page)
    boxes = [table.bbox for table in tables]
    centred = _centred(page.chars, min(box[1] for box in boxes), max(box[3] for box in boxes)) if tables else []
    pieces = [_piece(table, box, number, centred, fast) for table, box in zip(tables, boxes, strict=True)]
    raw_lines: Sequence[dict[str, Any] | None]
    if fast:  # a line inside a table is not built (None), but keeps its number
        raw_lines = pdftext.text_lines(page.chars, boxes, rows=True)
    else:
        raw_lines = chars_to_textmap(page.chars, layout_bbox=page.bbox, layout_width=page.width,
                                     layout_height=page.height).extract_text_lines(strip=True, return_chars=False)
    lines = [
        line
        for index, raw in enumerate(raw_lines, start=1)
        if raw is not None and not _inside_any(raw, boxes)
        and (line := _line(raw, index)) is not None
        and not _is_page_number(line, page.height)
    ]
    items: list[_Line | _Piece] = sorted([*lines, *pieces], key=lambda item: item.top)
    return _PageContent(number, items, page.char_count, page.unmapped_chars, page.height)


def _data_tables(page: pdfium_pages.PageView) -> list[PlumberTable]:
    """The page's data tables: pdfplumber's tables of two columns or more (a one-column box is a
    frame around text, read as paragraphs).

    pdfplumber snaps the rules of the whole page together: rules less than 3 pt apart (one
    after another) move to their mean. Where two tables share a page, a column rule of one
    can so be pulled onto a rule of the other a few points away, and a number printed next to
    it changes cells (a browser prints each cell's own border, three rules 0.75 pt apart at each
    column boundary, so the chain reaches far). When that joined rules of two tables, each
    table is found again from its own rules only (those within its box).
    """
    tables = _found_tables(page)
    if len(tables) < 2:
        return tables
    margin = _OWN_RULES_MARGIN
    boxes = [(x0 - margin, top - margin, x1 + margin, bottom + margin) for x0, top, x1, bottom in
             (table.bbox for table in tables)]
    owners = [next((k for k, (x0, top, x1, bottom) in enumerate(boxes) if edge["x0"] >= x0 and edge["x1"] <= x1
                    and edge["top"] >= top and edge["bottom"] <= bottom), None) for edge in page.edges]
    if not _snapped_together(page.edges, owners):
        return tables
    again: list[PlumberTable] = []
    for k in range(len(tables)):
        again += _found_tables(replace(page, edges=[edge for edge, owner in zip(page.edges, owners, strict=True)
                                                    if owner == k]))
    return again


def _snapped_together(edges: list[dict[str, Any]], owners: list[int | None]) -> bool:
    """Whether pdfplumber's snapping moves rules of a table by more than :data:`_SNAP_SHIFT` because
    rules of another table are in their cluster (``owners``: each edge's table, or None).

    pdfplumber's ``cluster_list``: rules of one orientation sorted by position, each within the
    snap tolerance of the one before, form a cluster (rules of no table link too), moved to the
    mean of its rules. Found alone, a table's rules of such a cluster would go to about their
    own mean; when that lies more than :data:`_SNAP_SHIFT` from the cluster's mean, the tables
    are found again (a shift of less cannot move a character's centre out of its cell: text
    keeps a margin from the rules).
    """
    for orientation, key in (("v", "x0"), ("h", "top")):
        ruled = sorted(((edge[key], owner) for edge, owner in zip(edges, owners, strict=True)
                        if edge["orientation"] == orientation), key=itemgetter(0))
        cluster: list[tuple[float, int | None]] = []
        for position, owner in [*ruled, (math.inf, None)]:
            if cluster and position - cluster[-1][0] > _SNAP_TOLERANCE:
                if _shifted(cluster):
                    return True
                cluster = []
            cluster.append((position, owner))
    return False


def _shifted(cluster: list[tuple[float, int | None]]) -> bool:
    """Whether a cluster of rules (position, table) holds rules of two tables, and the rules of one
    of them lie, on average, more than :data:`_SNAP_SHIFT` from the cluster's mean."""
    tables = {owner for _, owner in cluster if owner is not None}
    if len(tables) < 2:
        return False
    mean = sum(position for position, _ in cluster) / len(cluster)
    for table in tables:
        own = [position for position, owner in cluster if owner == table]
        if abs(sum(own) / len(own) - mean) > _SNAP_SHIFT:
            return True
    return False


def _found_tables(page: pdfium_pages.PageView) -> list[PlumberTable]:
    """pdfplumber's tables of the page's rules, with two columns or more."""
    settings = TableSettings.resolve({"explicit_horizontal_lines": _closing_edges(page.edges)})
    return [table for table in _TableFinder(page, settings).tables if _column_count(table) >= 2]


class _TableFinder(TableFinder):
    """pdfplumber's ``TableFinder`` (the same edges, intersections, cells and tables), its cells and tables found faster.

    The edges (``get_edges``) are pdfplumber's own; :func:`_edges_to_intersections`,
    :func:`_intersections_to_cells` and :func:`_cells_to_tables` return what pdfplumber's
    ``edges_to_intersections``, ``intersections_to_cells`` and ``cells_to_tables`` return, with
    less work.
    """

    def __init__(self, page: Any, settings: TableSettings) -> None:
        self.page = page
        self.settings = settings
        self.edges = self.get_edges()
        self.intersections = _edges_to_intersections(self.edges, settings.intersection_x_tolerance,
                                                     settings.intersection_y_tolerance)
        self.cells = _intersections_to_cells(self.intersections)
        self.tables = [PlumberTable(page, group) for group in _cells_to_tables(self.cells)]


_Point = tuple[float, float]
_Intersections = dict[_Point, dict[str, list[dict[str, Any]]]]


def _edges_to_intersections(edges: list[dict[str, Any]], x_tolerance: float, y_tolerance: float) -> _Intersections:
    """What pdfplumber's ``table.edges_to_intersections`` returns: the same points, edge lists and order.

    pdfplumber tests each vertical edge (sorted by ``x0``, ``top``) against every horizontal
    edge (sorted by ``top``, ``x0``, sorted again for each vertical edge): they meet when
    ``v.top <= h.top + y_tolerance``, ``v.bottom >= h.top - y_tolerance`` and ``h.x0 -
    x_tolerance <= v.x0 <= h.x1 + x_tolerance``. The horizontal edges that pass the first two
    tests are a run of the edges sorted by top (``h.top + y_tolerance`` and ``h.top -
    y_tolerance`` grow with ``h.top``), found by bisection on those very sums; the edges of
    the run get pdfplumber's four tests in pdfplumber's order. (Should the tops not come out
    in order, as a NaN coordinate can make them, every horizontal edge is tested.)
    """
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    ordered = all(a <= b for a, b in zip(tops, tops[1:]))
    lowest = [top + y_tolerance for top in tops]  # the first test holds from the first of these >= v.top
    highest = [top - y_tolerance for top in tops]  # the second up to the last of these <= v.bottom
    intersections: _Intersections = {}
    for v in verticals:
        v_top, v_bottom, v_x0 = v["top"], v["bottom"], v["x0"]
        if ordered:
            run = horizontals[bisect_left(lowest, v_top):bisect_right(highest, v_bottom)]
        else:
            run = horizontals
        for h in run:
            if (v_top <= (h["top"] + y_tolerance) and v_bottom >= (h["top"] - y_tolerance)
                    and v_x0 >= (h["x0"] - x_tolerance) and v_x0 <= (h["x1"] + x_tolerance)):
                vertex = (v_x0, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def _intersections_to_cells(intersections: _Intersections) -> list[_Box]:
    """What pdfplumber's ``table.intersections_to_cells`` returns.

    For each point in sorted order, the smallest cell it opens: the first point below it (same
    x) and the first point right of it (same y), in sorted order, joined to it by a common edge,
    whose bottom-right corner is a point joined to both. pdfplumber's ``edge_connects`` tests
    two points for an edge both touch: a vertical one when they have the same x, a horizontal
    one when they have the same y (edges compared by their boxes). Every pair it is asked
    about here shares one coordinate only (a point below, a point right, the corner with
    each), so only that test can hold; pdfplumber rebuilds the sets of edge boxes for each
    pair, here they are built once per point.
    """
    vertical = {point: frozenset(map(_BOX, edges["v"])) for point, edges in intersections.items()}
    horizontal = {point: frozenset(map(_BOX, edges["h"])) for point, edges in intersections.items()}

    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    place: dict[tuple[float, float], tuple[int, int]] = {}  # a point's index in its column and its row
    for point in points:  # each list in sorted order
        column = columns.setdefault(point[0], [])
        row = rows.setdefault(point[1], [])
        place[point] = (len(column), len(row))
        column.append(point)
        row.append(point)
    cells = []
    for point in points:
        in_column, in_row = place[point]
        rights = rows[point[1]][in_row + 1:]  # the points after it in sorted order
        if not rights:  # the last point of its row (the right edge of a table) opens no cell
            continue
        down, across = vertical[point], horizontal[point]
        cell = None
        for below in columns[point[0]][in_column + 1:]:
            if down.isdisjoint(vertical[below]):
                continue
            for right in rights:
                if across.isdisjoint(horizontal[right]):
                    continue
                corner = (right[0], below[1])
                if (corner in intersections and not vertical[corner].isdisjoint(vertical[right])
                        and not horizontal[corner].isdisjoint(horizontal[below])):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _cells_to_tables(cells: list[_Box]) -> list[list[_Box]]:
    """What pdfplumber's ``table.cells_to_tables`` returns: the cells grouped into tables.

    As in pdfplumber, a table starts with the first cell not yet placed, then passes over the
    cells not yet placed, in order, take each cell that shares a corner with the table (its
    corners growing as cells join, within a pass too) until a pass takes none; tables of one
    cell are dropped, the others ordered by their top-most then left-most cell corner.
    pdfplumber removes each taken cell from a list (a search of the list); here each pass
    keeps the cells it does not take.
    """
    remaining = list(cells)
    tables: list[list[_Box]] = []
    while remaining:
        table: list[_Box] = []
        corners: set[tuple[float, float]] = set()
        taken = True
        while taken:
            taken = False
            kept = []
            for cell in remaining:
                x0, top, x1, bottom = cell
                cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
                if not table or not corners.isdisjoint(cell_corners):
                    corners.update(cell_corners)
                    table.append(cell)
                    taken = True
                else:
                    kept.append(cell)
            remaining = kept
        tables.append(table)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [table for table in tables if len(table) > 1]


def _is_visible(obj: dict[str, Any]) -> bool:
    """Drop drawing that cannot be seen as a rule: white lines and white or shaded boxes."""
    kind = obj.get("object_type")
    if kind == "rect":
        if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
            return True
        thin = min(obj.get("width", 0), obj.get("height", 0)) <= 2
        return bool(obj.get("fill")) and thin and not _is_white(obj.get("non_stroking_color"))
    if kind == "line":
        return not _is_white(obj.get("stroking_color"))
    return True


def _is_white(color: Any) -> bool:
    """Whether a pdfplumber colour value is white (gray, RGB or CMYK)."""
    if color is None:
        return False
    values = (color,) if isinstance(color, (int, float)) else tuple(color)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 4:
        return max(values) <= 0.01
    return min(values) >= 0.99


def _closing_edges(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules along the common ends of vertical rules.

    Where a table is cut by a page break its bottom (or top) border is often
    not drawn; the vertical rules still end at the same height, so a rule
    across their ends closes the cells.
    """
    verticals = [e for e in edges if e["orientation"] == "v"]
    ends: dict[float, list[float]] = {}
    for edge in verticals:
        for y in (edge["top"], edge["bottom"]):
            ends.setdefault(round(y), []).append(edge["x0"])
    closing = []
    for y, xs in ends.items():
        if len(xs) >= 2:
            x0, x1 = min(xs), max(xs)
            closing.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"})
    return closing


def _column_count(table: PlumberTable) -> int:
    """Number of distinct cell left edges (the columns of a ruled table)."""
    return len({round(cell[0]) for cell in table.cells})


def _piece(table: PlumberTable, bbox: _Box, page: int, centred: list[tuple[float, float, int, dict[str, Any]]],
           fast: bool) -> _Piece:
    """A data-table piece from a pdfplumber table (``bbox``: its ``bbox``)."""
    rows = table.rows  # a property: pdfplumber groups the cells again at each use
    edges = {cell[1] for cell in table.cells} | {cell[3] for cell in table.cells}
    tops = _cluster(sorted(edges))
    row_at = {y: _nearest(tops, y) for y in edges}  # each cell's top and bottom → its row boundary
    cells = [_GeoCell(x0, x1, row_at[top], row_at[bottom], text, page)
             for (x0, top, x1, bottom), text in _cell_texts(rows, centred, fast)]
    x0, top, x1, _ = bbox
    return _Piece(page, x0, x1, top, cells)


def _centred(chars: list[dict[str, Any]], top: float, bottom: float) -> list[tuple[float, float, int, dict[str, Any]]]:
    """(vertical centre, horizontal centre, page order, char) of the characters centred from ``top`` to ``bottom``.

    Sorted by vertical centre (the order of equal centres does not matter: :func:`_cell_texts`
    sorts a row's characters again). Only the characters within the height of the page's
    tables can be in a cell; a page's text outside them is left out.
    """
    centred = []
    for index, c in enumerate(chars):
        middle = (c["top"] + c["bottom"]) / 2
        if top <= middle <= bottom:
            centred.append((middle, (c["x0"] + c["x1"]) / 2, index, c))
    centred.sort(key=_VERTICAL_CENTRE)
    return centred


def _plumber_lines(chars: list[dict[str, Any]]) -> list[str]:
    """The lines of ``pdfplumber.utils.extract_text(chars)``."""
    return extract_text(chars).split("\n")


def _cell_texts(rows: list[Any], centred: list[tuple[float, float, int, dict[str, Any]]],
                fast: bool) -> list[tuple[_Box, str]]:
    """The cells of the rows, row by row, with their texts: ``table.extract()``, each cell's lines joined with ``join_lines``.

    ``rows``: the table's ``rows``. A character belongs to a cell when its centre lies in the
    cell (left and top edges included, right and bottom excluded), as in pdfplumber, and the
    cell's characters are read in page order; the characters of the table's rows are found
    by bisecting the characters sorted by their vertical centre (``centred``: :func:`_centred`),
    not by testing every character against every row. ``fast``: the characters are all
    upright (:func:`checker.ingest.pdftext.applies`), their lines are read by
    :func:`checker.ingest.pdftext.extract_lines`.
    """
    lines_of = pdftext.extract_lines if fast else _plumber_lines
    middles = [entry[0] for entry in centred]
    out: list[tuple[_Box, str]] = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        # the row's characters by horizontal centre (then page order): a cell's are a slice of them
        in_row = sorted((entry for entry in centred[bisect_left(middles, top):bisect_left(middles, bottom)]
                         if x0 <= entry[1] < x1), key=_ACROSS)
        centres = [entry[1] for entry in in_row]
        for cell in row.cells:
            if cell is None:
                continue
            cx0, ctop, cx1, cbottom = cell
            in_cell = [entry for entry in in_row[bisect_left(centres, cx0):bisect_left(centres, cx1)]
                       if ctop <= entry[0] < cbottom]
            in_cell.sort(key=_PAGE_ORDER)
            lines = lines_of([entry[3] for entry in in_cell]) if in_cell else []
            # join_lines of one line is the line cleaned
            out.append((cell, clean_text(lines[0]) if len(lines) == 1 else join_lines(lines)))
    return out


def _cluster(values: list[float], tolerance: float = _EDGE_TOLERANCE) -> list[float]:
    """Sorted values with near-duplicates (within tolerance) collapsed to the first."""
    out: list[float] = []
    for value in values:
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _nearest(boundaries: list[float], value: float) -> int:
    """Index of the boundary closest to value (sorted boundaries; the lower one on a tie)."""
    at = bisect_left(boundaries, value)
    if at == 0:
        return 0
    if at == len(boundaries) or value - boundaries[at - 1] <= boundaries[at] - value:
        return at - 1
    return at


def _inside_any(line: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether the centre of a text line falls inside one of the boxes."""
    cx, cy = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _line(raw: dict[str, Any], number: int) -> _Line | None:
    """A cleaned text line, or None when it holds no text."""
    text = clean_text(raw["text"])
    if not text:
        return None
    return _Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], number)


def _drop_running_lines(pages: list[_PageContent]) -> None:
    """Remove running headers and footers (a word processor's 页眉 and 页脚) from the pages' lines.

    A line is one when it lies in the top or bottom margin zone (:data:`_MARGIN_ZONE` of its
    page) and a line of the same text, its numbers aside, lies in the same zone, within
    :data:`_RUNNING_TOLERANCE` of the same height, on every page but one at most and on two at
    least (a header left off the first page is still one; a title line on the first page and
    the signature at the top of the last, alike by chance, are not). Left in, such a line ends
    the paragraph at the foot of a page and keeps a table from joining its continuation on the next.
    """
    if len(pages) < 2:
        return
    places: dict[tuple[bool, str], list[tuple[int, _Line]]] = defaultdict(list)
    for index, page in enumerate(pages):
        for item in page.items:
            if isinstance(item, _Line) and page.height and (zone := _zone(item, page.height)) is not None:
                places[(zone, _DIGITS.sub("#", item.text.replace(" ", "")))].append((index, item))
    running: set[int] = set()  # the lines' ids
    for found in places.values():
        tops = sorted(line.top for _, line in found)
        middle = tops[len(tops) // 2]
        near = [(index, line) for index, line in found if abs(line.top - middle) <= _RUNNING_TOLERANCE]
        if len({index for index, _ in near}) >= max(2, len(pages) - 1):
            running.update(id(line) for _, line in near)
    if running:
        for page in pages:
            page.items = [item for item in page.items if id(item) not in running]


def _zone(line: _Line, page_height: float) -> bool | None:
    """True: the line is in the top margin zone; False: in the bottom one; None: in neither."""
    if line.bottom < page_height * _MARGIN_ZONE:
        return True
    if line.top > page_height * (1 - _MARGIN_ZONE):
        return False
    return None


def _is_page_number(line: _Line, page_height: float) -> bool:
    """A page-number line in the top or bottom margin zone."""
    return _zone(line, page_height) is not None and bool(_PAGE_NUMBER.match(line.text))


# --------------------------------------------------------------------------- document


@dataclass(slots=True)
class _Metrics:
    """Typical geometry of body text, used to tell where a paragraph starts."""

    left: float
    right: float
    height: float
    gap: float

    @classmethod
    def of(cls, pages: list[_PageContent]) -> _Metrics:
        """Measure margins, line height and line gap over all lines of the document."""
        lines = [item for page in pages for item in page.items if isinstance(item, _Line)]
        if not lines:
            return cls(0.0, 0.0, 10.0, 5.0)
        left = _percentile([line.x0 for line in lines], 0.1)
        right = _percentile([line.x1 for line in lines], 0.9)
        gaps = [
            b.top - a.bottom
            for page in pages
            for a, b in zip(page.items, page.items[1:], strict=False)
            if isinstance(a, _Line) and isinstance(b, _Line) and b.top > a.bottom
        ]
        return cls(left, right, median(line.height for line in lines), median(gaps) if gaps else 5.0)

    def indented(self, line: _Line) -> bool:
        """Whether the line starts right of the left margin (a first-line indent)."""
        return line.x0 > self.left + 1.2 * self.height

    def full(self, line: _Line) -> bool:
        """Whether the line runs to the right margin (the paragraph goes on)."""
        return line.x1 >= self.right - 1.5 * self.height

    def breaks(self, previous: _Line, line: _Line) -> bool:
        """Whether ``line`` starts a new paragraph after ``previous`` on the same page."""
        if line.top - previous.bottom > self.gap + 0.8 * self.height:
            return True
        if max(line.height, previous.height) > _SIZE_CHANGE * min(line.height, previous.height):
            return True  # a title or heading set larger than the text under it (or the reverse)
        return self.starts_paragraph(line) or not self.full(previous)

    def starts_paragraph(self, line: _Line) -> bool:
        """Whether the line opens a paragraph whatever precedes it."""
        return self.indented(line) or bool(_HEADING_START.match(line.text))


def _percentile(values: list[float], fraction: float) -> float:
    """The value at the given fraction of the sorted values (nearest rank)."""
    ordered = sorted(values)
    return ordered[round(fraction * (len(ordered) - 1))]


@dataclass(slots=True)
class _OpenParagraph:
    """A paragraph being built from lines."""

    lines: list[_Line]
    page: int
    last_page: int

    def to_block(self) -> Paragraph:
        """The finished paragraph with its location."""
        first, last = self.lines[0], self.lines[-1]
        end = last.number if self.last_page == self.page and len(self.lines) > 1 else None
        text = join_lines(line.text for line in self.lines)
        return Paragraph(text, Location(line=first.number, end_line=end, page=self.page, unit=PAGE_LINE,
                                        quote=quote_of(text) or None))


@dataclass(slots=True)
class _Assembler:
    """Turns page contents into blocks, joining paragraphs and tables across page breaks."""

    pages: list[_PageContent]
    out: list[_OpenParagraph | list[_Piece]] = field(default_factory=list)

    def blocks(self) -> list[Paragraph | Table]:
        """All blocks of the document in reading order."""
        metrics = _Metrics.of(self.pages)
        for page in self.pages:
            for index, item in enumerate(page.items):
                first_on_page = index == 0
                if isinstance(item, _Line):
                    self._add_line(item, page.number, metrics, first_on_page)
                else:
                    self._add_piece(item, first_on_page)
        return self._finish()

    def _add_line(self, line: _Line, page: int, metrics: _Metrics, first_on_page: bool) -> None:
        """Append a line to the open paragraph, or open a new one."""
        last = self.out[-1] if self.out else None
        if isinstance(last, _OpenParagraph):
            previous = last.lines[-1]
            if first_on_page:
                joins = not metrics.starts_paragraph(line) and metrics.full(previous)
            else:
                joins = not metrics.breaks(previous, line)
            if joins:
                last.lines.append(line)
                last.last_page = page
                return
        self.out.append(_OpenParagraph([line], page, page))

    def _add_piece(self, piece: _Piece, first_on_page: bool) -> None:
        """Join a piece to the table that ended the previous page, or start a table."""
        last = self.out[-1] if self.out else None
        if first_on_page and isinstance(last, list) and _aligned(last[-1], piece) and last[-1].page == piece.page - 1:
            last.append(piece)
        else:
            self.out.append([piece])

    def _finish(self) -> list[Paragraph | Table]:
        """Turn open paragraphs and joined pieces into blocks, numbering the tables."""
        blocks: list[Paragraph | Table] = []
        tables = 0
        for item in self.out:
            if isinstance(item, _OpenParagraph):
                blocks.append(item.to_block())
            else:
                tables += 1
                rows = build_grid(_span_cells(item), tables)
                blocks.append(Table(rows, Location(page=item[0].page, table=tables)))
        return blocks


def _aligned(a: _Piece, b: _Piece) -> bool:
    """Whether two pieces have the same outer left and right edges."""
    return abs(a.x0 - b.x0) <= _ALIGN_TOLERANCE and abs(a.x1 - b.x1) <= _ALIGN_TOLERANCE


def _span_cells(pieces: list[_Piece]) -> list[SpanCell]:
    """Place the cells of one or more pieces (a table across pages) on one grid."""
    columns = _cluster(sorted(x for p in pieces for c in p.cells for x in (c.x0, c.x1)), _ALIGN_TOLERANCE)
    column_at = {x: _nearest(columns, x) for p in pieces for c in p.cells for x in (c.x0, c.x1)}
    head: list[SpanCell] = []  # the first piece's cells as placed alone (not joined with others)
    placed: list[SpanCell] = []
    offset = 0
    for index, piece in enumerate(pieces):
        cells = [_to_span(cell, column_at, offset) for cell in piece.cells]
        if index:
            if not head:
                head = [_to_span(cell, column_at, 0) for cell in pieces[0].cells]
            cells = _drop_repeated_header(cells, head, offset)
            cells = _join_cut_labels(placed, cells, offset)
            cells = _join_broken_row(placed, cells, offset)
        placed.extend(cells)
        offset = max((c.row + c.rowspan for c in placed), default=offset)
    return placed


def _to_span(cell: _GeoCell, column_at: dict[float, int], row_offset: int) -> SpanCell:
    """Place a piece's cell on the joined grid's columns (``column_at``: x → column), its rows shifted by the offset."""
    col0, col1 = column_at[cell.x0], column_at[cell.x1]
    return SpanCell(row_offset + cell.row0, col0, max(1, cell.row1 - cell.row0), max(1, col1 - col0), cell.text, cell.page)


def _drop_repeated_header(cells: list[SpanCell], head: list[SpanCell], offset: int) -> list[SpanCell]:
    """Remove leading rows of a continuation that repeat the table's first rows (``head``: its first piece's cells)."""
    repeated = 0
    while True:
        mine = _row_signature(cells, offset + repeated, offset)
        theirs = _row_signature(head, repeated, 0)
        if not mine or mine != theirs or any(_NUMBER.match(text) for _, _, text in mine):
            break
        repeated += 1
    if not repeated:
        return cells
    kept = [c for c in cells if c.row >= offset + repeated]
    for cell in kept:
        cell.row -= repeated
    return kept


def _row_signature(cells: list[SpanCell], row: int, offset: int) -> list[tuple[int, int, str]]:
    """The cells starting in one row, as (column, rowspan, text)."""
    return sorted((c.col, c.rowspan, c.text) for c in cells if c.row == row and c.row >= offset)


def _join_cut_labels(placed: list[SpanCell], cells: list[SpanCell], offset: int) -> list[SpanCell]:
    """Join label cells cut by a page break with the cell above them.

    A cell in the first row of a continuation is taken as the rest of the
    label above it when that label is not a number, spans the same columns and
    reaches the last row before the break, one of the two spans several rows
    (a merged group label, the kind of cell a page break cuts), and the cell is
    blank or does not start with its own number (一、, （一）, 1.).
    """
    above = {(c.col, c.colspan): c for c in placed if c.row + c.rowspan == offset}
    kept = []
    for cell in cells:
        label = above.get((cell.col, cell.colspan))
        if cell.row == offset and label is not None and _continues(label, cell):
            label.text = join_lines([label.text, cell.text])
            label.rowspan = cell.row + cell.rowspan - label.row
        else:
            kept.append(cell)
    return kept


def _join_broken_row(placed: list[SpanCell], cells: list[SpanCell], offset: int) -> list[SpanCell]:
    """Join a row that the page break cuts between the lines of its label or of its numbers.

    When a page ends inside a row, the last row before the break (``offset - 1``, the first
    part) and the first row after it (the second part) are one row. They come in three shapes:

    * the label wraps, the values are on the second part: ``1.本机关不掌握`` over blank cells,
      then ``相关政府信息 | 6 | 0 …``;
    * the label wraps, the values are on the first part, as Word, WPS and LibreOffice break
      such a row (one-line values stay where the row starts): ``1.本机关不掌握 | 6 | 0 …``,
      then ``相关政府信息`` over blank cells, or over the last digits of a number that wraps
      in its narrow column (``105`` over ``6``);
    * only numbers wrap (table 四's row of values, or a row whose label fits on the first
      part): the first part holds every value, the second only the last digits of wrapped
      numbers under them (``16`` over ``7``) and blank cells.

    The two parts are one row when:

    * either the second part's last label does not start with a numbering (it continues a
      label, it is not the next row) and the first part has a label in the same grid columns
      that, joined with it, starts with one (``1.``, ``（二）``, ``一、``; the part before the
      break can be ``3.`` or ``（二``), or the second part has no label at all;
    * right of the label there are only values and blank cells, and not values in both parts
      unless each value of the second part is digits under digits of the first and some value
      of the first part has none under it (a short number, a 0, never wraps: a value under every
      value is a row of its own, say the next row printed without its numbering); a row blank in
      all its cells is joined; a second part of numbers only needs such digits;
    * every cell starting in the second part has a cell of the same columns in the first part,
      or is blank and lies under a label already joined across the break.

    The joined row keeps the place of the first part (a wrapped number's digits joined, a
    label's lines joined, a label repeated on the new page kept once); the rows after it move
    up by one.
    """
    stub = {(c.col, c.colspan): c for c in placed if c.row == offset - 1 and c.rowspan == 1}
    first = [c for c in cells if c.row == offset]
    if not stub or not first:
        return cells
    texts = [c for c in first if c.rowspan == 1 and c.text and not _is_value_text(c.text)]
    if texts:  # the rest of a label
        rest = max(texts, key=lambda c: c.col)
        label = stub.get((rest.col, rest.colspan))
        # the label's start can be its numbering alone (``3.``, which reads like a value) or a
        # part of it (``（二`` | ``）部分公开``): the joined label starts with a numbering, the rest does not
        if label is None or not label.text or not _NUMBERED_START.match(label.text + rest.text) or (
                _NUMBERED_START.match(rest.text)):
            return cells
        edge = label.col
    else:  # no label on the second part: the numbers alone wrap
        label = None
        edge = max((c.col for c in stub.values() if c.text and not _is_value_text(c.text)), default=-1)
        if any(c.text for c in first if c.col <= edge):
            return cells
    if any(_is_value_text(c.text) for c in stub.values() if c.col < edge and c.text):
        return cells
    before = {key: c for key, c in stub.items() if c.col > edge and c.text}
    after = [c for c in first if c.col > edge and c.text]
    if not all(_is_value_text(c.text) for c in [*before.values(), *after]):
        return cells
    wrapped = bool(before) and bool(after)
    if wrapped and (len(after) >= len(before) or not all(
            c.text.strip().isdigit() and (c.col, c.colspan) in before
            and before[(c.col, c.colspan)].text.strip().isdigit() for c in after)):
        return cells  # (a short number, a 0, never wraps: values in every column after the break are a row's)
    if label is None and not wrapped:
        return cells
    spanning = [c for c in placed if c.row < offset < c.row + c.rowspan]
    covered = {col for c in spanning for col in range(c.col, c.col + c.colspan)}
    for cell in first:
        if (cell.col, cell.colspan) not in stub and (
                cell.text or not covered.issuperset(range(cell.col, cell.col + cell.colspan))):
            return cells
    kept = []
    for cell in cells:
        if cell.row > offset:
            cell.row -= 1
            kept.append(cell)
            continue
        if cell.row < offset:
            kept.append(cell)
            continue
        part = stub.get((cell.col, cell.colspan))
        if part is None:  # a blank cell under a label joined across the break
            continue
        if cell.rowspan == 1:
            if cell.col > edge:  # a value, or the last digits of a wrapped number
                part.text = join_lines([part.text, cell.text])
            elif cell.text != part.text:  # a label repeated on the new page is kept once
                part.text = join_lines([part.text, cell.text])
        elif not part.text:  # a merged cell starting with the broken row takes the blank first part's place
            placed.remove(part)
            cell.row = offset - 1
            kept.append(cell)
        else:
            part.text = join_lines([part.text, cell.text])
            part.rowspan = cell.rowspan
    for cell in spanning:
        cell.rowspan -= 1
    return kept


def _is_value_text(text: str) -> bool:
    """A cell text that is a value: a number or a placeholder such as ``/``, ``-``, ``无``."""
    return bool(_NUMBER.match(text) or _PLACEHOLDER.match(text.strip()))


def _continues(label: SpanCell, cell: SpanCell) -> bool:
    """Whether ``cell`` reads as the continuation of the label cell above it."""
    if label.rowspan == 1 and cell.rowspan == 1:
        return False
    if not label.text or _NUMBER.match(label.text) or _NUMBER.match(cell.text):
        return False
    return not cell.text or not _NUMBERED_START.match(cell.text)
