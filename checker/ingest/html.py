"""Read an HTML page (a report as published on a government website) into a Layout.

Decoding follows the page: a byte-order mark, then the ``<meta charset>`` or
``http-equiv`` declaration, then UTF-8, then detection with charset-normalizer
(GBK/GB18030 pages are common and often mislabelled). The page is parsed with
lxml's HTML parser; scripts, styles, navigation and hidden elements are dropped.

Blocks come out in document order. Block elements (``p``, ``div``, headings,
list items …) and ``<br>`` end a paragraph; inline markup (``span``, ``font``,
``b`` …) never does; each line of a ``<pre>`` is a paragraph. A ``<table>`` becomes a :class:`Table` only when it is a
data table: at least two columns, no nested table, and mostly short cells.
Other tables are layout wrappers, and their cells are read as ordinary blocks.
Inside a data-table cell all text is joined into one string (lines split by
``<br>`` or ``<p>`` are joined without a space between Chinese characters).

Locations: a paragraph carries the source line of the element its text starts
in (``Location.line``, ``unit`` :data:`~checker.ingest.layout.SOURCE_LINE`: a browser shows
no source lines, so the outputs show the paragraph's first words, its ``quote``); a table
carries its 1-based index and source line; a cell carries table, row and column in the
expanded grid.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date

import charset_normalizer
import lxml.html
from lxml import etree

from checker.errors import InputError
from checker.ingest._shared import SpanCell, build_grid, check_size, clean_text, join_lines
from checker.ingest.layout import SOURCE_LINE, Layout, Location, Paragraph, Table, quote_of

_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "nav", "form", "select", "button", "input", "textarea", "head", "map", "audio", "video",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
        "blockquote", "pre", "section", "article", "main", "header", "footer", "aside", "center",
        "address", "figure", "figcaption", "hr", "caption", "body", "html", "tr", "td", "th",
        "thead", "tbody", "tfoot",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{4})(\d{2})(\d{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BINARY_MAGIC = {b"%PDF": "PDF", b"PK\x03\x04": "Word/ZIP", b"\xd0\xcf\x11\xe0": "Word (.doc)"}

#: A cell longer than this is prose, not a table value or label.
_LONG_CELL = 80
#: Largest colspan honoured (as in the HTML standard).
_MAX_COLSPAN = 1000


def read_html(data: bytes) -> Layout:
    """Read an HTML page into a :class:`Layout`.

    Args:
        data: the bytes of the page.

    Returns:
        The page's paragraphs and data tables in document order, with hints
        from ``<title>`` and the ``<meta>`` tags of Chinese government sites.

    Raises:
        InputError: when the bytes are too large, are not an HTML page, or the
            page has no readable text.
    """
    check_size(data, "HTML 文件", "HTML file")
    _refuse_binary(data)
    text = _decode(data)
    root = _parse(text)
    hints = _hints(root)
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    if not any(_has_text(block) for block in walker.blocks):
        raise InputError(
            "HTML 页面中没有可读取的正文文字（可能是空页面、只含图片或由脚本加载内容），请提供包含报告全文的页面或改用 Word/PDF 文件。",
            "The HTML page has no readable text (empty, images only, or loaded by script).",
        )
    return Layout(blocks=walker.blocks, media_type="text/html", hints=hints)


def _refuse_binary(data: bytes) -> None:
    """Refuse files that are clearly another format given as HTML."""
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(
                f"该文件不是 HTML 网页，而是 {kind} 文件，请使用正确的扩展名后再检查。",
                f"The file is not HTML but a {kind} file.",
            )


def _decode(data: bytes) -> str:
    """Decode the page bytes: BOM, declared charset, UTF-8, then detection.

    A decoding that yields lone surrogates (UTF-7 can) is no decoding of text: the next
    candidate is tried, and what is left of them at the end becomes U+FFFD, as any other
    undecodable byte of the page.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    declared = _declared_encoding(data[:8192])
    for candidate in (declared, "utf-8"):
        if candidate:
            try:
                text = data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
            if not _SURROGATE.search(text):
                return text
    best = charset_normalizer.from_bytes(data[:262144]).best()
    if best is not None and best.encoding:
        return _SURROGATE.sub("\ufffd", data.decode(best.encoding, errors="replace"))
    return _SURROGATE.sub("\ufffd", data.decode(declared or "gb18030", errors="replace"))


def _declared_encoding(head: bytes) -> str | None:
    """The charset named in a ``<meta>`` tag or XML declaration, normalised."""
    match = _META_CHARSET.search(head) or _XML_DECL.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _parse(text: str) -> lxml.html.HtmlElement:
    """Parse decoded HTML with lxml, comments and processing instructions removed.

    libxml2's default limits (10 MB for one text node or attribute, 256 levels of nesting)
    would cut the page short without an error: a page with a large inline image or script
    before its text would lose the text. The input is already bounded by
    :data:`checker.limits.INPUT_MB`, so the parser runs with ``huge_tree``; a limit it still
    meets (2048 levels of nesting) is reported, never passed over in silence.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(
            "无法解析该 HTML 文件（内容为空或不是网页），请检查文件。",
            f"Cannot parse the HTML file: {exc}",
        ) from exc
    for entry in parser.error_log:
        if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise InputError(
                f"HTML 页面第 {entry.line} 行超出了网页解析器的处理上限（{entry.message.strip()}），"
                "其后的内容无法读取。页面结构异常（例如标签嵌套过深），请改用 Word/PDF 文件或页面的正文部分。",
                f"Line {entry.line} of the HTML page is beyond what the HTML parser can read "
                f"({entry.message.strip()}); the rest of the page would be lost.",
            )
    return root


def _meta(root: etree._Element) -> dict[str, str]:
    """``<meta name|property|itemprop=… content=…>`` values, keys lower-cased (first wins)."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = (meta.get("content") or "").strip()
        if key and content:
            found.setdefault(key.strip().lower(), clean_text(content))
    return found


def _hints(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Metadata hints: title, page_title, published, site_name, column_name, agency, url."""
    meta = _meta(root)
    hints: dict[str, str] = {}
    title_el = root.find(".//title")
    page_title = clean_text(title_el.text_content()) if title_el is not None else ""
    if page_title:
        hints["page_title"] = page_title
    title = meta.get("articletitle") or meta.get("og:title") or page_title
    if title:
        hints["title"] = title
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "datepublished"):
        published = _parse_date(meta.get(key, ""))
        if published:
            hints["published"] = published
            break
    for hint, keys in (("site_name", ("sitename", "og:site_name")), ("column_name", ("columnname",)), ("agency", ("contentsource",))):
        value = next((meta[k] for k in keys if meta.get(k)), "")
        if value:
            hints[hint] = value
    url = _canonical_url(root) or meta.get("url") or meta.get("og:url")
    if url:
        hints["url"] = url
    return hints


def _canonical_url(root: etree._Element) -> str | None:
    """The ``href`` of ``<link rel="canonical">``, if any."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href", "").strip()
    return None


def _parse_date(value: str) -> str | None:
    """A date written as 2024-01-15, 2024/1/15, 2024年1月15日 or 20240115, as YYYY-MM-DD."""
    match = _DATE.search(value)
    if not match:
        return None
    parts = [p for p in match.groups() if p is not None]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


def _has_text(block: Paragraph | Table) -> bool:
    """Whether a block carries any text."""
    if isinstance(block, Paragraph):
        return bool(block.text)
    return any(cell.text for row in block.rows for cell in row)


def _is_hidden(el: etree._Element) -> bool:
    """Whether an element is hidden by an attribute or inline style."""
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _table_rows(table: etree._Element) -> list[etree._Element]:
    """The ``<tr>`` elements of this table (not of nested tables)."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    """The ``<td>``/``<th>`` children of a row."""
    return [child for child in tr if child.tag in ("td", "th")]


def _span(el: etree._Element, name: str, limit: int) -> int:
    """A rowspan/colspan attribute as an int in [1, limit] (0 and junk mean 1; rowspan 0 means all)."""
    raw = (el.get(name) or "1").strip()
    digits = re.match(r"\d+", raw)
    value = int(digits.group()) if digits else 1
    if value == 0 and name == "rowspan":
        return limit
    return max(1, min(value, limit))


@dataclass(slots=True)
class _Walker:
    """Collects blocks while walking the element tree in document order."""

    blocks: list[Paragraph | Table] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    line: int | None = None
    tables: int = 0

    def walk(self, root: etree._Element) -> None:
        """Walk one element and its children (its tail is handled by the caller).

        The walk keeps its own stack (no recursion), so a page nested as deep as the
        parser allows is read like any other.
        """
        # (element, step): "open" reads the element and schedules its children, "tail"
        # adds the text after a child, "close" ends the paragraph of a block element,
        # "table" reads a table once its captions have been read.
        stack: list[tuple[etree._Element, str]] = [(root, "open")]
        while stack:
            el, step = stack.pop()
            if step == "tail":
                self._text(el.tail, el)
                continue
            if step == "close":
                self.flush()
                continue
            if step == "table":
                stack.extend((td, "open") for td in reversed(self._table(el)))
                continue
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in _DROP_TAGS or _is_hidden(el):
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table":
                self.flush()
                stack.append((el, "table"))
                stack.extend((caption, "open") for caption in reversed(el.findall("caption")))
                continue
            if tag == "pre":
                self.flush()
                self._pre(el)  # type: ignore[arg-type]  # lxml.html's parser makes HtmlElements; the stubs type a walk as _Element
                continue
            if tag in _BLOCK_TAGS:
                self.flush()
                stack.append((el, "close"))
            self._text(el.text, el)
            for child in reversed(el):
                stack.append((child, "tail"))
                stack.append((child, "open"))

    def flush(self) -> None:
        """End the current paragraph."""
        text = clean_text("".join(self.parts))
        if text:
            self.blocks.append(Paragraph(text, Location(line=self.line, unit=SOURCE_LINE, quote=quote_of(text))))
        self.parts.clear()
        self.line = None

    def _text(self, text: str | None, el: etree._Element) -> None:
        """Add a piece of inline text, remembering the line the paragraph starts on."""
        if not text:
            return
        if self.line is None and text.strip():
            self.line = el.sourceline
        self.parts.append(text)

    def _pre(self, pre: lxml.html.HtmlElement) -> None:
        """Emit each line of preformatted text as a paragraph."""
        for offset, line in enumerate(pre.text_content().splitlines()):
            text = clean_text(line)
            if text:
                self.blocks.append(Paragraph(text, Location(line=(pre.sourceline or 1) + offset, unit=SOURCE_LINE,
                                                            quote=quote_of(text))))

    def _table(self, table: etree._Element) -> list[etree._Element]:
        """Emit a data table; for a layout table, the cells to walk as ordinary blocks."""
        rows = [_row_cells(tr) for tr in _table_rows(table)]
        texts = _data_table_texts(table, rows)
        if texts is None:
            return [td for row in rows for td in row]
        self.tables += 1
        grid = build_grid(_place(rows, texts), self.tables)
        self.blocks.append(Table(grid, Location(line=table.sourceline, table=self.tables, unit=SOURCE_LINE)))
        return []


def _data_table_texts(table: etree._Element, rows: list[list[etree._Element]]) -> list[list[str]] | None:
    """The cell texts when the table is a data table, else None (a layout table).

    A data table has at least two columns, no nested table, and at most one
    cell in ten longer than a short label or value.
    """
    if table.find(".//table") is not None:
        return None
    width = max((sum(_span(td, "colspan", _MAX_COLSPAN) for td in row) for row in rows), default=0)
    if width < 2:
        return None
    texts = [[_cell_text(td) for td in row] for row in rows]
    filled = [t for row in texts for t in row if t]
    long_cells = sum(1 for t in filled if len(t) > _LONG_CELL)
    return texts if filled and long_cells <= len(filled) // 10 else None


def _cell_text(td: etree._Element) -> str:
    """All text of a cell, its lines (``<br>``, ``<p>``, ``<div>``) joined."""
    collector = _Walker()
    collector.walk(td)
    collector.flush()
    return join_lines(b.text for b in collector.blocks if isinstance(b, Paragraph))


def _place(rows: list[list[etree._Element]], texts: list[list[str]]) -> list[SpanCell]:
    """Place cells on the grid following the HTML table model (rowspan/colspan)."""
    occupied: set[tuple[int, int]] = set()
    placed: list[SpanCell] = []
    for r, (row, row_texts) in enumerate(zip(rows, texts, strict=True)):
        col = 0
        for td, text in zip(row, row_texts, strict=True):
            while (r, col) in occupied:
                col += 1
            rowspan = _span(td, "rowspan", len(rows) - r)
            colspan = _span(td, "colspan", _MAX_COLSPAN)
            placed.append(SpanCell(r, col, rowspan, colspan, text))
            occupied.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
            col += colspan
    return placed
