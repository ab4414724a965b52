"""Reader for plain-text and Markdown reports: bytes → :class:`Layout`.

The reader understands the shapes in which reports reach us as text:

* paragraphs, one per line (text copied from a web page) or wrapped over
  several lines (text extracted from a PDF), Markdown ``#`` headings;
* tables as tab-separated lines (copied from a web page), Markdown pipe
  tables, ``|``-separated rows on one line, ``|``-terminated cells one per line
  (HTML excerpts), loose ``label  number`` lines, and column layouts made of
  runs of spaces (``pdftotext -layout``) with page numbers, form feeds, vertical
  labels split into single characters and row labels wrapped over lines;

The reader never decides what a cell means; it only keeps rows, cells and
their places in the file (line, page, table, row, column).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from itertools import pairwise

from charset_normalizer import from_bytes

from checker.errors import InputError
from checker.ingest.layout import Layout, Location, Paragraph, Table, TableCell
from checker.ingest.normalize import strip_glosses
from checker.ingest.reflow import needs_reflow, reflow

_PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")
_NUMBER = r"[+-]?\d+(?:\.\d+)?"
_VALUE = rf"(?:{_NUMBER}|[/／—–-]{{1,2}})"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_SEPARATOR = re.compile(r"^\s*:?-{2,}:?\s*$")
_HEADING_START = re.compile(
    r"^\s*(#{1,6}\s*)?([一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]"
    r"|第[一二三四五六七八九十]+部分)"
)
_SECTION_LINE = re.compile(
    r"^\s*[一二三四五六七八九十]+\s*、\s*\S*(总体情况|主动公开|申请情况|复议|诉讼|问题|其他需要|其他事项)"
)
_SENTENCE_END = ("。", "！", "？", "!", "?")
_LOOSE_ROW = re.compile(
    rf"^(?P<label>[^\s\d.，。；;,|][^，。；;,|]{{0,23}}?)\s+(?P<values>{_VALUE}(?:\s+{_VALUE})*)\s*$"
)
_LAYOUT_VALUE = rf"(?:{_VALUE}|无)"
_LAYOUT_ROW = re.compile(rf"^(?P<label>.*?)(?P<values>(?:^|(?<=\s)){_LAYOUT_VALUE}(?:\s+{_LAYOUT_VALUE})*)\s*$")
_TABLE_STARTS = (re.compile(r"第二十条|信息内容"), re.compile(r"申请人情况|勾稽"),
                 re.compile(r"行政复议|行政诉讼|复议后起诉"))
_LAYOUT_VALUE_WORD = re.compile(rf"^{_LAYOUT_VALUE}$")
_PAGE_CHROME = re.compile(
    r"^\s*(?:(?P<labelled>第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)"
    r"|(?P<number>\d{1,4})(?:\s*/\s*\d{1,4})?)\s*$"
)
_ROW_NUMBERING = re.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十]+\s*、)|(?P<l2>[（(]\s*[一二三四五六七八九十]+\s*[)）])"
    r"|(?P<l3>\d{1,2}\s*[.、．]|[（(]\s*\d{1,2}\s*[)）]))\s*(?=[^\s\d.、．])"
)
_DIGITS_ONLY = re.compile(r"^[+-]?[0-9０-９]+(?:[.．][0-9０-９]+)?$")
_CHUNK_SPLIT = re.compile(r"\s{2,}")
_GAP_AT_END = re.compile(r"\s{2,}$")
_BLANK = re.compile(r"^\s*$")
_HEADER_WORDS = re.compile(r"第二十条|信息内容|本年.{0,6}(数量|件数|金额)|勾稽|申请人情况|行政复议|行政诉讼|复议后起诉")
_MAX_LABEL_CHUNK = 24
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class _Line:
    """One physical line of the file, with its number and page."""

    no: int
    text: str
    page: int | None


@dataclass(slots=True)
class _Builder:
    """Collects blocks in reading order and numbers the tables."""

    blocks: list[Paragraph | Table] = field(default_factory=list)
    tables: int = 0

    def paragraph(self, text: str, first: _Line, last: _Line) -> None:
        text = text.strip()
        if not text:
            return
        end = last.no if last.no != first.no else None
        self.blocks.append(Paragraph(text, Location(line=first.no, end_line=end, page=first.page)))

    def table(self, rows: list[tuple[_Line, list[str]]], *, filler_is_cell: bool = True) -> None:
        """Add a table; short rows are filled up to the widest row with blank cells.

        A delimited row whose cells are all blank is a row of the table (kept); a stray line
        is not. ``filler_is_cell=False`` marks the filling as no cell of the file (``origin``
        False), so a row whose blank places are unknown is not read as ending in blanks.
        """
        rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells) or len(cells) >= 2]
        if not rows:
            return
        self.tables += 1
        width = max(len(cells) for _, cells in rows)
        grid: list[list[TableCell]] = []
        for r, (line, cells) in enumerate(rows, start=1):
            padded = [c.strip() for c in cells] + [""] * (width - len(cells))
            grid.append(
                [
                    TableCell(text, Location(line=line.no, page=line.page, table=self.tables, row=r, column=c),
                              origin=filler_is_cell or c <= len(cells))
                    for c, text in enumerate(padded, start=1)
                ]
            )
        first = rows[0][0]
        last = rows[-1][0]
        loc = Location(line=first.no, end_line=last.no if last.no != first.no else None, page=first.page,
                       table=self.tables)
        self.blocks.append(Table(grid, loc))


# --------------------------------------------------------------------------- decoding


def decode_text(data: bytes) -> str:
    """Decode report bytes: BOMs, UTF-8, UTF-16 without BOM, then detection.

    Raises:
        InputError: the bytes are empty, binary, or in no recognisable encoding.
    """
    if not data.strip():
        raise InputError("文件是空的，没有可检查的内容。请确认选择了正确的年度报告文件。",
                         "The file is empty. Check that you chose the right report file.")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, codec)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16)
    if b"\x00" in data:
        raise _binary_error()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise _encoding_error()
    encoding = "gb18030" if best.encoding.lower() in {"gbk", "gb2312", "hz", "gb18030"} else best.encoding
    text = _strict(data, encoding)
    if _control_ratio(text) > 0.05:
        raise _binary_error()
    if _SURROGATE.search(text):  # a codec such as UTF-7 decoded to no text at all
        raise _encoding_error()
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes, and one byte order decodes to plausible text."""
    if b"\x00" not in data[:4000] or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            sample = data[:8000].decode(codec)
        except UnicodeDecodeError:
            continue
        plausible = sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\f")
        cjk_or_ascii = sum(1 for ch in sample if ch < "\u0080" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
        if plausible / len(sample) > 0.98 and cjk_or_ascii / len(sample) > 0.9:
            return codec
    return None


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _encoding_error() from exc


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / max(len(sample), 1)


def _binary_error() -> InputError:
    return InputError("文件不是文本文件（含有二进制内容），无法作为年度报告读取。请提供 .txt、.md、.html、.docx、.pdf 或 .json 文件。",
                      "The file is binary, not text. Supply a .txt, .md, .html, .docx, .pdf or .json file.")


def _encoding_error() -> InputError:
    return InputError("无法识别文件的文字编码。请将文件另存为 UTF-8 编码的文本后重试。",
                      "The text encoding of the file could not be recognised. Save it as UTF-8 and retry.")


# --------------------------------------------------------------------------- entry point


def read_text(data: bytes | str, *, markdown: bool = False) -> Layout:
    """Read a ``.txt`` or ``.md`` report into a :class:`Layout`.

    Args:
        data: the file's bytes (decoded here) or already decoded text.
        markdown: whether the file is Markdown (only sets the media type; the
            Markdown constructs are recognised in plain text files as well).

    Returns:
        The paragraphs and tables of the file in reading order. Every line is report
        text: nothing in a text file is read as notes about the file.

    Raises:
        InputError: the bytes cannot be decoded as text.
    """
    text = decode_text(data) if isinstance(data, bytes) else data
    text = strip_glosses(text)  # pinyin glosses of mirror pages would hide line ends and headings
    split = _split_lines(text)
    lines = _reflowed(split)
    flattened = len(lines) > len(split)  # a text that lost its breaks is not wrapped: its pieces are paragraphs
    builder = _Builder()
    if _is_pdf_layout(lines):
        _read_layout_text(lines, builder)
    else:
        tables = _cell_tables(lines)
        covered = {k for start, (end, _) in tables.items() for k in range(start, end)}
        wrapped = not flattened and _is_wrapped([line for k, line in enumerate(lines) if k not in covered])
        _read_flowing_text(lines, builder, wrapped=wrapped, cell_tables=tables)
    media_type = "text/markdown" if markdown else "text/plain"
    return Layout(builder.blocks, media_type)


def _reflowed(lines: list[_Line]) -> list[_Line]:
    """Lines that hold a whole report (breaks lost) cut into the pieces a person would see."""
    out: list[_Line] = []
    for line in lines:
        pieces = reflow(line.text) if needs_reflow(line.text) else [line.text]
        out.extend(_Line(line.no, piece, line.page) for piece in pieces)
    return out


def _split_lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[_Line] = []
    page = 1
    has_pages = "\f" in text
    for no, raw in enumerate(text.split("\n"), start=1):
        page += raw.count("\f")
        lines.append(_Line(no, raw.replace("\f", "").replace("\u00a0", " "), page if has_pages else None))
    return lines


# --------------------------------------------------------------------------- flowing text


def _is_pdf_layout(lines: list[_Line]) -> bool:
    """Text from ``pdftotext -layout``: pages, page numbers, or space-aligned columns."""
    if any(line.page and line.page > 1 for line in lines):
        return True
    if sum(1 for line in lines if _PAGE_NUMBER.match(line.text)) >= 2:
        return True
    if any("\t" in line.text or "|" in line.text for line in lines):
        return False
    columned = sum(1 for line in lines if len(_CHUNK_SPLIT.split(line.text.strip())) >= 3)
    return columned >= 5


def _is_wrapped(lines: list[_Line]) -> bool:
    """Paragraphs wrapped over several lines (most lines stop mid-sentence)."""
    texts = [ln.text.strip() for ln in lines if ln.text.strip() and "|" not in ln.text and "\t" not in ln.text]
    long_lines = [t for t in texts if len(t) >= 12 and not _MD_HEADING.match(t)]
    if len(long_lines) < 10:
        return False
    ended = sum(1 for t in long_lines if t.endswith(_SENTENCE_END + ("；", "：", "”", ";", ":")))
    return ended / len(long_lines) < 0.5


def _wrap_width(lines: list[_Line]) -> int:
    """Typical length of a full line of wrapped text (0 when not wrapped)."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if len(ln.text.strip()) >= 12)
    return lengths[len(lengths) // 2] if lengths else 0


def _read_flowing_text(lines: list[_Line], builder: _Builder, *, wrapped: bool,
                       cell_tables: dict[int, tuple[int, int]]) -> None:
    """Text that is not a column layout: paragraphs and explicit tables.

    ``cell_tables``: the tables written one cell per line, by first line: (end, blank lines after).
    """
    ends = [gap for _, gap in cell_tables.values()]
    table_end = _mode(ends) if len(ends) >= 2 else None  # how many blank lines end a table here
    spacing = _cell_spacing([lines[start:end] for start, (end, _) in cell_tables.items()]) if cell_tables else None
    width = _wrap_width(lines) if wrapped else 0
    pending: list[_Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.text.strip()
        if "\t" in line.text:
            _flush(pending, builder)
            i = _read_tab_table(lines, i, builder)
        elif _is_pipe_line(stripped):
            _flush(pending, builder)
            i = _read_pipe_block(lines, i, builder)
        elif _LOOSE_ROW.match(stripped) and not _HEADING_START.match(stripped):
            _flush(pending, builder)
            i = _read_loose_rows(lines, i, builder)
        elif i in cell_tables:
            _flush(pending, builder)
            end, after = cell_tables[i]
            builder.table(_cell_line_rows(lines[i:end], after - table_end if table_end is not None else 0, spacing))
            i = end
        elif not stripped:
            _flush(pending, builder)
            i += 1
        else:
            if pending and (_starts_paragraph(pending[-1].text, stripped, wrapped=wrapped)
                            or len(pending[-1].text.strip()) < 0.6 * width):
                _flush(pending, builder)
            pending.append(line)
            i += 1
    _flush(pending, builder)


def _starts_paragraph(previous: str, current: str, *, wrapped: bool) -> bool:
    """Whether ``current`` starts a new paragraph after the line ``previous``."""
    if not wrapped or _MD_HEADING.match(current) or _MD_HEADING.match(previous.strip()):
        return True
    previous = previous.strip()
    if _is_standalone_heading(previous) or _HEADING_START.match(current):
        return True
    return previous.endswith(_SENTENCE_END)


def _is_standalone_heading(text: str) -> bool:
    """A heading alone on its line (no sentence continues after it)."""
    text = text.strip()
    if not _HEADING_START.match(text) or len(text) > 30 or "，" in text or "," in text:
        return False
    return "。" not in text.rstrip("。")


def _flush(pending: list[_Line], builder: _Builder) -> None:
    if not pending:
        return
    parts = [_MD_HEADING.sub("", ln.text).strip() for ln in pending]
    text = parts[0]
    for part in parts[1:]:
        joiner = " " if text[-1:].isascii() and text[-1:].isalnum() and part[:1].isascii() else ""
        text += joiner + part
    builder.paragraph(text, pending[0], pending[-1])
    pending.clear()


def _read_tab_table(lines: list[_Line], start: int, builder: _Builder) -> int:
    rows: list[tuple[_Line, list[str]]] = []
    i = start
    while i < len(lines) and "\t" in lines[i].text:
        rows.append((lines[i], lines[i].text.rstrip("\n").split("\t")))
        i += 1
    builder.table(rows)
    return i


def _read_loose_rows(lines: list[_Line], start: int, builder: _Builder) -> int:
    """Consecutive ``label number number`` lines become one table."""
    rows: list[tuple[_Line, list[str]]] = []
    i = start
    while i < len(lines):
        match = _LOOSE_ROW.match(lines[i].text.strip())
        if not match or _HEADING_START.match(lines[i].text.strip()):
            break
        rows.append((lines[i], [match.group("label"), *match.group("values").split()]))
        i += 1
    builder.table(rows)
    return i


# --------------------------------------------------------------------------- one cell per line

_CELL_LINE_MAX = 45
_VALUE_LINE = re.compile(rf"^(?:{_VALUE}|无|空|暂无|不适用)$")


def _is_cell_line(text: str) -> bool:
    """A line that can be one table cell: short, not a sentence, not a part heading."""
    return (len(text) <= _CELL_LINE_MAX and not text.endswith(_SENTENCE_END) and "\t" not in text
            and "|" not in text and not _SECTION_LINE.match(text))


# What one line is, for the one-cell-per-line search: "" blank, "-" not a cell line,
# "v" a single value, "r" a label of table 三's rows, "l" another label.
_LineKind = str


def _line_kind(text: str) -> _LineKind:
    text = text.strip()
    if not text:
        return ""
    if not _is_cell_line(text):
        return "-"
    if _VALUE_LINE.match(text):
        return "v"
    return "r" if _is_request_row_label(text) else "l"


def _cell_line_region(kinds: list[_LineKind], start: int) -> int:
    """End of a table written one cell per line that starts at ``start`` (``start`` when none).

    ``kinds``: each line's :func:`_line_kind` (computed once per document: the search starts
    at every line, so a run of short lines would otherwise be classified again and again).
    The region runs over short non-sentence lines (blank lines included) and must hold at
    least four lines that are a single value, making up at least a quarter of its cells.
    """
    if kinds[start] in ("", "-"):
        return start
    end = start
    values = labels = rows = blank = 0
    while end < len(kinds):
        kind = kinds[end]
        if kind == "-":
            break
        if kind == "v":
            values += 1
        elif kind:
            labels += 1
            rows += kind == "r"
        else:
            blank += 1
        end += 1
        if labels > 80 and values == 0 and rows < 5:
            return start
    while end > start and not kinds[end - 1]:
        end -= 1
    if values >= 4 and values * 3 >= labels:
        return end
    # a table of blank cells only (no request received): the rows of table 三, one per line,
    # with the blank lines of their blank cells between them
    if values == 0 and rows >= 5 and blank >= 7 * rows:
        return end
    return start


def _is_request_row_label(text: str) -> bool:
    from checker.ingest.normalize import match_key
    from checker.ingest.tables import is_row_label

    return is_row_label(match_key(text))


def _cell_tables(lines: list[_Line]) -> dict[int, tuple[int, int]]:
    """The tables written one cell per line: first line → (end, blank lines after the table)."""
    found: dict[int, tuple[int, int]] = {}
    kinds = [_line_kind(line.text) for line in lines]
    i = 0
    while i < len(lines):
        text = lines[i].text
        if not text.strip() or "\t" in text or _is_pipe_line(text.strip()):
            i += 1
            continue
        end = _cell_line_region(kinds, i)
        if end == i:
            i += 1
            continue
        after = end
        while after < len(lines) and not lines[after].text.strip():
            after += 1
        found[i] = (end, after - end)
        i = end
    return found


def _cell_items(region: list[_Line]) -> list[tuple[_Line, str, int]]:
    """The non-blank lines of a region, each with the number of blank lines after it."""
    items: list[tuple[_Line, str, int]] = []
    for line in region:
        text = line.text.strip()
        if text:
            items.append((line, text, 0))
        elif items:
            line0, text0, gap = items[-1]
            items[-1] = (line0, text0, gap + 1)
    return items


def _cell_spacing(regions: list[list[_Line]]) -> tuple[int, int]:
    """(s, r) of a document's one-cell-per-line tables: the blank lines after a cell inside a row,
    and the extra blank lines at the end of a row. Blank cells only ever add blank lines, so the
    smallest gap between two values is ``s`` and the smallest after a row's last value ``s + r``."""
    inner: list[int] = []
    ends: list[int] = []
    for region in regions:
        items = _cell_items(region)
        is_value = [bool(_VALUE_LINE.match(text)) for _, text, _ in items]
        for k, (_, _, gap) in enumerate(items[:-1]):
            if is_value[k]:
                (inner if is_value[k + 1] else ends).append(gap)
    sep = min(inner) if inner else 0
    return sep, max(min(ends) - sep, 0) if ends else 0


def _cell_line_rows(region: list[_Line], spare_after: int = 0, spacing: tuple[int, int] | None = None
                    ) -> list[tuple[_Line, list[str]]]:
    """Rows of a one-cell-per-line table.

    The blank lines between cells follow a pattern (``spacing``, from the whole document): ``s``
    after a cell inside a row, ``s + r`` at the end of a row. A blank cell shows as ``s + 1`` more
    blank lines; where the extra blank lines are not a whole number of cells, the row is left
    with the cells it shows (and the assembler reads it as unread). Lines with no blank line
    between them are one cell (a wrapped label); a label after values starts a new row.
    """
    items = _cell_items(region)
    is_value = [bool(_VALUE_LINE.match(text)) for _, text, _ in items]
    sep, extra = spacing if spacing is not None else _cell_spacing([region])
    unit = sep + 1
    rows: list[tuple[_Line, list[str]]] = []
    cells: list[str] = []
    anchor: _Line | None = None
    joined = False  # the previous label continues on this line (no blank line between)

    def end_row() -> None:
        nonlocal cells, anchor
        if anchor is not None and cells:
            rows.append((anchor, cells))
        cells, anchor = [], None

    for k, (line, text, gap) in enumerate(items):
        value = is_value[k]
        if not value and cells and any(not c or _VALUE_LINE.match(c) for c in cells):
            end_row()
        if anchor is None:
            anchor = line
        if joined and not value and cells:
            cells[-1] += text
        else:
            cells.append(text)
        joined = gap == 0 and not value and k + 1 < len(items) and not is_value[k + 1] and sep > 0
        last_in_row = k + 1 == len(items) or not is_value[k + 1]
        spare = gap - sep - (extra if last_in_row else 0)
        if k + 1 == len(items):  # blank lines beyond the usual end of a table are blank cells
            spare = spare_after if value else 0
        if spare > 0 and spare % unit == 0:
            cells.extend([""] * (spare // unit))  # blank cells: each is one more cell's worth of blank lines
        next_is_value = k + 1 < len(items) and is_value[k + 1]
        if extra > 0 and not value and not next_is_value and gap >= sep + extra:
            end_row()  # a header or group-label row ends where the blank lines mark a row end
    end_row()
    return rows


def _mode(numbers: list[int]) -> int:
    return max(set(numbers), key=lambda n: (numbers.count(n), -n))


# --------------------------------------------------------------------------- pipe tables


def _is_pipe_line(stripped: str) -> bool:
    if "|" not in stripped:
        return False
    return stripped.startswith("|") or stripped.endswith("|") or " | " in stripped


def _pipe_cells(stripped: str, *, markdown: bool) -> list[str]:
    pieces = stripped.split("|")
    if pieces and not pieces[-1].strip():
        pieces = pieces[:-1]
    if markdown and stripped.startswith("|"):
        pieces = pieces[1:]
    return [p.strip() for p in pieces]


def _is_numeric(text: str) -> bool:
    return bool(_DIGITS_ONLY.match(text.strip()))


def _read_pipe_block(lines: list[_Line], start: int, builder: _Builder) -> int:
    """Consecutive ``|`` lines: a Markdown table, one row per line, or one cell per line."""
    i = start
    while i < len(lines) and _is_pipe_line(lines[i].text.strip()):
        i += 1
    block = lines[start:i]
    texts = [ln.text.strip() for ln in block]
    markdown = any(_is_md_separator(t) for t in texts)
    cells = [_pipe_cells(t, markdown=markdown) for t in texts]
    if not markdown and not any(_is_numeric(c) for row in cells for c in row):
        for line, row in zip(block, cells):
            builder.paragraph(" ".join(c for c in row if c), line, line)
        return i
    if markdown:
        _emit_markdown(block, cells, builder)
        return i
    filled = sorted(sum(1 for c in row if c) for row in cells if any(row))
    if filled and filled[len(filled) // 2] <= 1:
        builder.table(_cells_per_line(block, texts))
    else:
        builder.table(list(zip(block, cells)))
    return i


def _is_md_separator(stripped: str) -> bool:
    pieces = [p for p in stripped.strip("|").split("|")]
    return bool(pieces) and all(_MD_SEPARATOR.match(p) for p in pieces)


def _emit_markdown(block: list[_Line], cells: list[list[str]], builder: _Builder) -> None:
    """Markdown rows; a change in the number of cells starts a new table."""
    rows: list[tuple[_Line, list[str]]] = []
    for line, row in zip(block, cells):
        if _is_md_separator(line.text.strip()):
            continue
        if rows and len(rows[-1][1]) != len(row):
            builder.table(rows)
            rows = []
        rows.append((line, row))
    builder.table(rows)


def _cells_per_line(block: list[_Line], texts: list[str]) -> list[tuple[_Line, list[str]]]:
    """Rebuild rows from an HTML excerpt holding one ``cell |`` per line.

    A line of bare pipes, or extra pipes after a cell, ends a row, except that a
    lone ``|`` between a labelled row's cells and a following value is an empty
    cell. A label after values starts a new row.
    """
    rows: list[tuple[_Line, list[str]]] = []
    current: list[str] = []
    anchor: _Line | None = None

    def end_row() -> None:
        nonlocal current, anchor
        if anchor is not None and current:
            rows.append((anchor, current))
        current, anchor = [], None

    for k, (line, text) in enumerate(zip(block, texts)):
        cell, _, rest = text.partition("|")
        cell = cell.strip()
        if not cell:
            following = next((t.partition("|")[0].strip() for t in texts[k + 1:] if t.partition("|")[0].strip()), "")
            if text == "|" and current and not _is_numeric(current[0]) and _is_numeric(following):
                current.append("")
            else:
                end_row()
            continue
        if current and not _is_numeric(cell) and any(_is_numeric(c) for c in current):
            end_row()
        if anchor is None:
            anchor = line
        current.append(cell)
        if rest.strip():
            end_row()
    end_row()
    return rows


# --------------------------------------------------------------------------- pdftotext -layout


def _read_layout_text(lines: list[_Line], builder: _Builder) -> None:
    """Column layout from ``pdftotext -layout``: find table regions, the rest is prose."""
    chrome = _page_chrome(lines)
    lines = [ln for k, ln in enumerate(lines) if k not in chrome]
    parsed = [_layout_values(ln.text) for ln in lines]
    regions = _table_regions(lines, parsed)
    pending: list[_Line] = []
    i = 0
    for start, end in regions + [(len(lines), len(lines))]:
        while i < start:
            line = lines[i]
            stripped = line.text.strip()
            if stripped:
                if pending and _starts_layout_paragraph(pending[-1].text, line.text):
                    _flush(pending, builder)
                pending.append(line)
            i += 1
        if start < end:
            _flush(pending, builder)
            for first, stop in _split_tables(lines, parsed, start, end):
                builder.table(_layout_rows(lines[first:stop], parsed[first:stop]), filler_is_cell=False)
        i = max(i, end)
    _flush(pending, builder)


def _page_chrome(lines: list[_Line]) -> set[int]:
    """Indices of page-number lines: ``-3-`` anywhere, and at the top or bottom of a page
    ``第 3 页`` or a bare number that counts up with the pages (``3``, ``3/12``)."""
    chrome = {k for k, ln in enumerate(lines) if _PAGE_NUMBER.match(ln.text)}
    if not any(ln.page for ln in lines):
        return chrome
    edges: dict[int, list[int]] = {}
    for k, ln in enumerate(lines):
        if ln.text.strip() and k not in chrome and ln.page is not None:
            edges.setdefault(ln.page, []).append(k)
    counted: dict[tuple[str, int], list[int]] = {}  # (edge, number - page) -> lines
    for page, ks in edges.items():
        for edge, k in (("top", ks[0]), ("bottom", ks[-1])):
            match = _PAGE_CHROME.match(lines[k].text)
            if not match:
                continue
            if match.group("labelled"):
                chrome.add(k)
            else:
                counted.setdefault((edge, int(match.group("number")) - page), []).append(k)
    for ks in counted.values():
        if len(ks) >= 2:
            chrome.update(ks)
    return chrome


def _starts_layout_paragraph(previous: str, current: str) -> bool:
    if _is_standalone_heading(previous) or _HEADING_START.match(current):
        return True
    return len(current) - len(current.lstrip(" ")) >= 2


_LayoutValues = tuple[list[str], list[str]]  # label chunks and values of a layout line


def _layout_values(text: str) -> _LayoutValues | None:
    """Split a layout line into label chunks and trailing values, or None.

    The values must hold a number, or be two or more placeholders (``/``, ``-``, ``无``).
    """
    stripped = text.strip()
    match = _LAYOUT_ROW.match(stripped)
    if not match:
        return None
    label = match.group("label")
    if label and not _GAP_AT_END.search(label) and not _BLANK.search(label):
        return None
    values = match.group("values").split()
    if not any(_is_numeric(v) for v in values) and len(values) < 2:
        return None
    chunks = [c for c in _CHUNK_SPLIT.split(label.strip()) if c]
    return chunks, values


def _is_layout_label(text: str) -> bool:
    """A non-numeric line that can belong to a table (short chunks, no prose)."""
    stripped = text.strip()
    if not stripped:
        return True
    if _SECTION_LINE.match(stripped) or stripped.endswith(_SENTENCE_END):
        return False
    return all(len(chunk) <= _MAX_LABEL_CHUNK for chunk in _CHUNK_SPLIT.split(stripped))


def _table_regions(lines: list[_Line], parsed: list[_LayoutValues | None]) -> list[tuple[int, int]]:
    """Index ranges [start, end) of table regions around lines with numbers.

    ``parsed`` holds :func:`_layout_values` of each line. A line of placeholders only
    (``5.属于三类内部事务信息  /  /  /``) is a row inside a region but does not start one.
    """
    numeric = [i for i, values in enumerate(parsed) if values and any(_is_numeric(v) for v in values[1])]
    regions: list[tuple[int, int]] = []
    for idx in numeric:
        if regions and idx < regions[-1][1]:
            continue
        start = idx
        while start > 0 and (parsed[start - 1] or _is_layout_label(lines[start - 1].text)):
            start -= 1
        end = idx + 1
        while end < len(lines) and (parsed[end] or _is_layout_label(lines[end].text)):
            end += 1
        while start < idx and not lines[start].text.strip():
            start += 1
        while end > idx + 1 and not lines[end - 1].text.strip():
            end -= 1
        if regions and start <= regions[-1][1]:
            start = regions.pop()[0]
        regions.append((start, end))
    return regions


def _split_tables(lines: list[_Line], parsed: list[_LayoutValues | None], start: int,
                  end: int) -> list[tuple[int, int]]:
    """A region cut where the header of another table starts after value rows.

    When a section heading is missing, table 三 runs on into table 四 (or 二 into 三) in one
    region. A header line naming a table (``申请人情况``, ``行政复议 … 行政诉讼``) after
    value rows starts a new table, unless the same table's header was seen already (a
    header repeated on a new page).
    """
    parts: list[tuple[int, int]] = []
    first = start
    seen: set[int] = set()
    has_values = False
    for k in range(start, end):
        text = lines[k].text
        if not parsed[k]:
            found = {i for i, words in enumerate(_TABLE_STARTS) if words.search(text)}
            if found and has_values and not found & seen:
                parts.append((first, k))
                first, has_values = k, False
            seen |= found
        has_values = has_values or parsed[k] is not None
    parts.append((first, end))
    merged: list[tuple[int, int]] = []
    for a, b in parts:
        if merged and not any(parsed[a:b]):  # a header without values stays with the table before
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _layout_rows(region: list[_Line], parsed: list[_LayoutValues | None]) -> list[tuple[_Line, list[str]]]:
    """Rows of a layout table; wrapped label fragments join their value row.

    ``parsed`` holds :func:`_layout_values` of each line of the region. Label lines are
    given to value rows by :func:`_label_owners`; the values of a row with fewer values
    than the complete rows of its part of the table are put in their columns
    (:func:`_column_cells`), with blank cells where no value stands.
    """
    value_rows = [k for k, p in enumerate(parsed) if p]
    first = value_rows[0]
    headers = [k for k, ln in enumerate(region)
               if not parsed[k] and ln.text.strip() and (k < first or _is_header_text(ln.text))]
    header_set = set(headers)
    owners, label_rows, bare = _label_owners(region, parsed, value_rows, header_set)
    headers = sorted(header_set)
    lines_of: dict[int, list[int]] = {k: [] for k in [*value_rows, *label_rows]}
    for k, owner in owners.items():
        lines_of[owner].append(k)
    segment_of = _segments(region, parsed, value_rows, header_set)
    placed, widths = _column_cells(region, parsed, value_rows, segment_of, header_set)
    rows: list[tuple[int, _Line, list[str]]] = []
    for k in headers:
        rows.append((k, region[k], _CHUNK_SPLIT.split(region[k].text.strip())))
    for k in value_rows:
        label = _label_text(region, parsed, [k, *lines_of[k]])
        cells = placed.get(k) or (parsed[k] or ([], []))[1]
        rows.append((k, region[k], [label, *cells] if label else cells))
    segment_width: dict[int, int] = {}
    for k in value_rows:
        segment_width[segment_of[k]] = max(segment_width.get(segment_of[k], 0), widths[k])
    for k in label_rows:
        label = _label_text(region, parsed, lines_of[k])
        width = segment_width.get(segment_of[k], 0)
        if any(_LAYOUT_VALUE_WORD.match(chunk) for j in lines_of[k] for chunk in region[j].text.split()):
            width = 0  # something like a value stands on its lines: its blank places are unknown
        rows.append((k, region[k], [label] if k in bare else [label, *[""] * width]))
    rows.sort(key=lambda row: row[0])
    return [(line, cells) for _, line, cells in rows]


def _label_text(region: list[_Line], parsed: list, lines: list[int]) -> str:
    """The label of a row from the label chunks of its lines, read column by column.

    Chunks starting at about the same place on their lines (within two characters) are one
    label column; the columns are read left to right, each top to bottom, so a group label
    beside a wrapped row label (``（六）`` between ``1.申请人…逾期不`` and ``补正…``) does not
    cut the row label in two.
    """
    chunks: list[tuple[int, int, str]] = []
    for k in lines:
        text = region[k].text
        ends = _label_ends(text, parsed[k]) if parsed[k] else None
        for start, end in _chunk_spans(text):
            if ends is None or end in ends:
                chunks.append((start, k, text[start:end]))
    if not chunks:
        return ""
    column: dict[int, int] = {}
    starts = sorted({start for start, _, _ in chunks})
    index = 0
    for i, start in enumerate(starts):
        if i and start - starts[i - 1] > 2:
            index += 1
        column[start] = index
    ordered = sorted(chunks, key=lambda chunk: (column[chunk[0]], chunk[1], chunk[0]))
    return " ".join(text for _, _, text in ordered)


def _row_level(chunk: str) -> int | None:
    """The numbering level a label chunk starts with: 1 for 一、, 2 for （一）, 3 for 1. (else None)."""
    match = _ROW_NUMBERING.match(chunk)
    if not match:
        return None
    return 1 if match.group("l1") else 2 if match.group("l2") else 3


def _last_chunk(text: str) -> str:
    chunks = _CHUNK_SPLIT.split(text.strip())
    return chunks[-1] if chunks else ""


def _label_owners(region: list[_Line], parsed: list, value_rows: list[int],
                  headers: set[int]) -> tuple[dict[int, int], list[int], set[int]]:
    """Which row each label line belongs to: line index → value row or label-only row.

    Between two value rows, a label line whose last chunk starts with its own numbering
    (``4、``, ``（二）``) starts a row: lines before it continue the row above; it and the
    lines after it are the label of the row below when that row's own label does not start
    with a numbering, else a row of its own without values (all its cells blank). A
    numbered line between deeper-numbered labels (``（四）无`` between ``1.`` and ``2.``) is a
    group label, not a row. Blank lines and page breaks do not matter. Label lines not
    decided so go to the value row without a label right next to them, else to the nearest
    value row (page breaks not counted, ties to the row below). Label lines between a header
    and a value row with its own label may be a row without values or the first half of
    that row's label: they become a row of their own without cells (unread, never merged).

    Returns the owners, the label-only rows (each known by its first line) and those of them
    without cells.
    """
    owners: dict[int, int] = {}
    label_rows: list[int] = []
    bare: set[int] = set()
    numbered: dict[int, int] = {}
    for k in range(value_rows[0], len(region)):
        if k in headers or not region[k].text.strip():
            continue
        chunk = (parsed[k][0][-1] if parsed[k][0] else "") if parsed[k] else _last_chunk(region[k].text)
        level = _row_level(chunk)
        if level is not None:
            numbered[k] = level
    starts_row = _row_starts(numbered)
    undecided: dict[int, tuple[int, int | None]] = {}  # line -> the value rows around it
    bounds = [*value_rows, len(region)]
    for a, b in zip(value_rows, bounds[1:]):
        vb = b if b < len(region) else None
        gap = [k for k in range(a + 1, b) if region[k].text.strip()]
        above: int | None = a
        if any(k in headers for k in gap):
            last_header = max(k for k in gap if k in headers)
            for k in gap:
                if k < last_header and k not in headers:
                    if any(h in headers for h in range(a + 1, k)):
                        headers.add(k)
                    else:
                        owners[k] = a
            gap = [k for k in gap if k > last_header]
            above = None
        starts = [k for k in gap if k in starts_row]
        if not starts:
            if vb is not None and vb in starts_row and above is not None:
                owners.update({k: above for k in gap})
            elif above is None and vb is not None and not parsed[vb][0]:
                owners.update({k: vb for k in gap})
            elif above is None and gap:  # a label over a labelled row: its own row, or its first half?
                label_rows.append(gap[0])
                bare.add(gap[0])
                owners.update({k: gap[0] for k in gap})
            else:
                undecided.update({k: (a, vb) for k in gap})
            continue
        for k in gap:
            if k < starts[0]:
                if above is not None:
                    owners[k] = above
                else:
                    headers.add(k)
        for i, start in enumerate(starts):
            stop = starts[i + 1] if i + 1 < len(starts) else b
            owner = start
            if i + 1 == len(starts) and vb is not None and vb not in starts_row:
                owner = vb
            else:
                label_rows.append(start)
            for k in gap:
                if start <= k < stop:
                    owners[k] = owner
    claimed = set(owners)
    for k in value_rows:
        if not parsed[k][0]:
            for j in _adjacent(region, parsed, k, claimed, headers):
                if j in undecided:
                    owners[j] = k
                    claimed.add(j)
    for k, around in undecided.items():
        if k not in owners:
            owners[k] = min((v for v in around if v is not None), key=lambda v: (_distance(region, v, k), v < k))
    return {k: v for k, v in owners.items() if k not in headers}, label_rows, bare


def _row_starts(numbered: dict[int, int]) -> set[int]:
    """The numbered label lines that start a row (line → numbering level given).

    A numbered line between deeper-numbered labels on both sides is a group label
    (``（四）无`` between ``1.`` and ``2.``), not a row.
    """
    lines = sorted(numbered)
    return {k for i, k in enumerate(lines)
            if not (0 < i < len(lines) - 1 and numbered[lines[i - 1]] > numbered[k] < numbered[lines[i + 1]])}


def _adjacent(region: list[_Line], parsed: list, k: int, claimed: set[int], headers: set[int]) -> list[int]:
    """The label lines right above and below a value row (up to a blank line or another row)."""
    out = []
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(region) and region[j].text.strip() and not parsed[j] and j not in claimed:
            if j in headers or _is_header_text(region[j].text):
                break
            out.append(j)
            j += step
    return out


def _distance(region: list[_Line], a: int, b: int) -> int:
    """Lines from a to b, blank lines at a page break not counted."""
    lo, hi = min(a, b), max(a, b)
    distance = 1
    run: list[int] = []
    for j in range(lo + 1, hi + 1):
        if j < hi and not region[j].text.strip():
            run.append(j)
            continue
        if run and not _page_changes(region, run[0] - 1, j):
            distance += len(run)
        run = []
        if j < hi:
            distance += 1
    return distance


def _page_changes(region: list[_Line], a: int, b: int) -> bool:
    return region[a].page is not None and region[b].page is not None and region[a].page != region[b].page


def _segments(region: list[_Line], parsed: list, value_rows: list[int],
              headers: set[int]) -> dict[int, int]:
    """Parts of a table region between header lines (table 二's blocks): the part of each line."""
    segment_of: dict[int, int] = {}
    segment = 0
    has_values = False
    for k in range(len(region)):
        if k in headers and has_values:
            segment += 1
            has_values = False
        segment_of[k] = segment
        has_values = has_values or bool(parsed[k])
    return segment_of


_Span = tuple[int, int]  # start and end position of a word on its line


def _column_cells(region: list[_Line], parsed: list, value_rows: list[int], segment_of: dict[int, int],
                  headers: set[int]) -> tuple[dict[int, list[str]], dict[int, int]]:
    """Value rows put in their columns, and the number of columns, per value row.

    Columns are told apart within a part of the table (between header lines) on one page:
    positions on the line shift from page to page. Two sources give them:

    * the complete rows (the most values in the part): each column spans from the leftmost
      start to the rightmost end of its values there (:func:`_columns_of_complete_rows`);
    * the header cells over evenly spaced values (:func:`_header_lattice`), when they show
      more columns than the complete rows hold (a part where every row has a blank cell).

    A row with fewer values gets blank cells where no value stands. A row is left as it is
    (fewer cells: unread) when one of its values cannot be placed in exactly one column.
    """
    groups: dict[tuple[int, int | None], list[int]] = {}
    for k in value_rows:
        groups.setdefault((segment_of[k], region[k].page), []).append(k)
    placed: dict[int, list[str]] = {}
    widths: dict[int, int] = {}
    for (segment, _), rows in groups.items():
        width = max(len(parsed[k][1]) for k in rows)
        widths.update({k: width for k in rows})
        spans = {k: _value_spans(region[k].text, len(parsed[k][1])) for k in rows}
        header = [span for h in headers if segment_of[h] == segment for span in _chunk_spans(region[h].text)]
        labels_end = max((end for k in range(rows[0], rows[-1] + 1) if k not in headers
                          for end in _label_ends(region[k].text, parsed[k])), default=None)
        lattice = _header_lattice(spans, header, labels_end)
        if lattice is not None and lattice[1] > width:
            where_of, count = lattice
            widths.update({k: count for k in rows})
            for k in rows:
                cells = [""] * count
                for j, text in zip(where_of[k], parsed[k][1]):
                    cells[j] = text
                placed[k] = cells
            continue
        columns = _columns_of_complete_rows(spans, width)
        named = _header_line_columns([region[h].text for h in sorted(headers) if segment_of[h] == segment],
                                     labels_end)
        if named is not None and len(named) > width:
            columns, width = named, len(named)
            widths.update({k: width for k in rows})
        if columns is None:
            continue
        for k in rows:
            if len(parsed[k][1]) == width:
                continue
            where = _place(spans[k], columns)
            if where is None:
                continue
            cells = [""] * width
            for j, text in zip(where, parsed[k][1]):
                cells[j] = text
            placed[k] = cells
    return placed, widths


def _header_line_columns(header: list[str], labels_end: int | None) -> list[_Span] | None:
    """The columns named by the last header line: its cells right of the row labels.

    Table 二's blocks print their column names on one line (``信息内容  采购项目数量  采购总金额``);
    a block with one row whose first cell is blank is placed by them. None without such a
    line of two or more names, or when the names overlap.
    """
    for text in reversed(header):
        spans = [(a, b) for a, b in _chunk_spans(text) if labels_end is None or a > labels_end]
        if len(spans) >= 2:
            if any(spans[j][1] + 1 >= spans[j + 1][0] - 1 for j in range(len(spans) - 1)):
                return None
            return spans
    return None


def _columns_of_complete_rows(spans: dict[int, list[_Span]], width: int) -> list[_Span] | None:
    """Extent of each column over the rows holding ``width`` values; None when they overlap."""
    if width < 2:
        return None
    complete = [row for row in spans.values() if len(row) == width]
    columns = [(min(row[j][0] for row in complete), max(row[j][1] for row in complete)) for j in range(width)]
    if any(columns[j][1] + 1 >= columns[j + 1][0] - 1 for j in range(width - 1)):
        return None
    return columns


def _place(values: list[_Span], columns: list[_Span]) -> list[int] | None:
    """The column of each value: the only column its span meets (one character of slack)."""
    where = []
    for start, end in values:
        hits = [j for j, (lo, hi) in enumerate(columns) if start < hi + 1 and end > lo - 1]
        if len(hits) != 1:
            return None
        where.append(hits[0])
    if any(b <= a for a, b in pairwise(where)):
        return None
    return where


def _header_lattice(spans: dict[int, list[_Span]], header: list[_Span],
                    labels_end: int | None) -> tuple[dict[int, list[int]], int] | None:
    """Columns from evenly spaced values and the header cells over them, or None.

    The values of the part must sit on one evenly spaced grid (by their starts, ends or
    centres: left-aligned, right-aligned or centred columns), within a quarter of the
    spacing and two characters. Every grid column between the first and the last one holding a value must have
    a header cell over it (a cell no wider than one and a half columns, over the column's
    place), and the grid is widened left and right while header cells stand over the next
    places right of the row labels. Returns each row's column indices and the column count.
    """
    if not header or sum(len(row) for row in spans.values()) < 2:
        return None
    best: tuple[float, float, float, dict[int, list[float]]] | None = None
    for anchor in (0, 1, 2):  # starts, ends, centres of the values
        points = {k: [(a, b - 1, (a + b - 1) / 2)[anchor] for a, b in row] for k, row in spans.items()}
        fit = _fit_lattice([x for row in points.values() for x in row])
        if fit is not None and (best is None or fit[2] < best[2]):
            best = (*fit, points)
    if best is None:
        return None
    origin, spacing, _, points = best
    for parts in range(16, 0, -1):  # values only in some columns: the header shows the finer grid
        pitch = spacing / parts
        if pitch < 3:
            continue
        index = {k: [round((x - origin) / pitch) for x in row] for k, row in points.items()}
        if any(abs(x - origin - pitch * n) > _misfit(pitch) for k, row in points.items() for x, n in zip(row, index[k])):
            continue
        narrow = [(a, b - 1) for a, b in header if b - a <= 1.5 * pitch]

        def covered(n: int, pitch: float = pitch, narrow: list[_Span] = narrow) -> bool:
            x = origin + pitch * n  # a header cell stands over grid column n
            return any(a - 0.5 <= x <= b + 0.5 for a, b in narrow)

        used = {n for row in index.values() for n in row}
        low, high = min(used), max(used)
        if all(covered(n) for n in range(low, high + 1)):
            break
    else:
        return None
    while covered(low - 1) and (labels_end is None or origin + pitch * (low - 1) - pitch / 2 > labels_end):
        low -= 1
    while covered(high + 1):
        high += 1
    where_of = {k: [n - low for n in row] for k, row in index.items()}
    if any(len(set(row)) != len(row) or row != sorted(row) for row in where_of.values()):
        return None
    return where_of, high - low + 1


def _fit_lattice(xs: list[float]) -> tuple[float, float, float] | None:
    """Origin, spacing and worst misfit (in spacings) of an even grid through positions, or None.

    The spacing starts as the smallest gap between distinct positions, or a half, a third …
    of it (values two columns apart), and is refined by least squares; every position must
    lie within :func:`_misfit` of a grid point. The widest spacing that fits is taken.
    """
    distinct = sorted(set(xs))
    gaps = [b - a for a, b in pairwise(distinct) if b - a >= 2]
    if not gaps:
        return None
    for parts in range(1, 17):
        if min(gaps) / parts < 3:
            return None
        fit = _refine_lattice(xs, distinct[0], min(gaps) / parts)
        if fit is not None:
            return fit
    return None


def _refine_lattice(xs: list[float], origin: float, pitch: float) -> tuple[float, float, float] | None:
    for _ in range(3):
        ns = [round((x - origin) / pitch) for x in xs]
        count = len(xs)
        mean_n = sum(ns) / count
        mean_x = sum(xs) / count
        var = sum((n - mean_n) ** 2 for n in ns)
        if var == 0:
            return None
        pitch = sum((n - mean_n) * (x - mean_x) for n, x in zip(ns, xs)) / var
        if pitch <= 0:
            return None
        origin = mean_x - pitch * mean_n
    worst = max(abs((x - origin) / pitch - round((x - origin) / pitch)) for x in xs)
    if worst * pitch > _misfit(pitch):
        return None
    return origin, pitch, worst


def _misfit(pitch: float) -> float:
    """How far (in characters) a value may stand from its grid column: a quarter column, two at most."""
    return min(pitch / 4, 2.0)


def _chunk_spans(text: str) -> list[_Span]:
    """Start and end positions of the chunks (runs of text between gaps of 2+ spaces) of a line."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", text)]


def _label_ends(text: str, parsed: _LayoutValues | None) -> list[int]:
    """End positions of the label chunks of a table line (all its chunks when it has no values)."""
    spans = _chunk_spans(text)
    if parsed:
        words = len(re.findall(r"\S+", text)) - len(parsed[1])
        cut = [m.end() for m in re.finditer(r"\S+", text)][words - 1] if words > 0 else 0
        return [end for _, end in spans if end <= cut]
    return [end for _, end in spans]


def _value_spans(text: str, count: int) -> list[tuple[int, int]]:
    """Start and end positions on the line of its last ``count`` words (its values)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    return words[-count:]


def _is_header_text(text: str) -> bool:
    return bool(_HEADER_WORDS.search(text))
