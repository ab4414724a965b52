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

from charset_normalizer import from_bytes

from checker.errors import InputError
from checker.ingest.layout import Layout, Location, Paragraph, Table, TableCell
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
_LAYOUT_ROW = re.compile(rf"^(?P<label>.*?)(?P<values>(?:^|(?<=\s)){_VALUE}(?:\s+{_VALUE})*)\s*$")
_DIGITS_ONLY = re.compile(r"^[+-]?[0-9０-９]+(?:[.．][0-9０-９]+)?$")
_CHUNK_SPLIT = re.compile(r"\s{2,}")
_GAP_AT_END = re.compile(r"\s{2,}$")
_BLANK = re.compile(r"^\s*$")
_HEADER_WORDS = re.compile(r"第二十条|信息内容|本年.{0,6}(数量|件数|金额)|勾稽|申请人情况")
_MAX_LABEL_CHUNK = 24

MAX_BYTES = 50 * 1024 * 1024


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

    def table(self, rows: list[tuple[_Line, list[str]]]) -> None:
        # a delimited row whose cells are all blank is a row of the table (kept); a stray line is not
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
                    TableCell(text, Location(line=line.no, page=line.page, table=self.tables, row=r, column=c))
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


def _cell_line_region(lines: list[_Line], start: int) -> int:
    """End of a table written one cell per line that starts at ``start`` (``start`` when none).

    The region runs over short non-sentence lines (blank lines included) and must hold at
    least four lines that are a single value, making up at least a quarter of its cells.
    """
    first = lines[start].text.strip()
    if not _is_cell_line(first):
        return start
    end = start
    values = labels = 0
    while end < len(lines):
        text = lines[end].text.strip()
        if text:
            if not _is_cell_line(text):
                break
            if _VALUE_LINE.match(text):
                values += 1
            else:
                labels += 1
        end += 1
        if labels > 12 and values == 0:
            return start
    while end > start and not lines[end - 1].text.strip():
        end -= 1
    if values < 4 or values * 3 < labels:
        return start
    return end


def _cell_tables(lines: list[_Line]) -> dict[int, tuple[int, int]]:
    """The tables written one cell per line: first line → (end, blank lines after the table)."""
    found: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        text = lines[i].text
        if not text.strip() or "\t" in text or _is_pipe_line(text.strip()):
            i += 1
            continue
        end = _cell_line_region(lines, i)
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
    lines = [ln for ln in lines if not _PAGE_NUMBER.match(ln.text)]
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
            builder.table(_layout_rows(lines[start:end], parsed[start:end]))
        i = max(i, end)
    _flush(pending, builder)


def _starts_layout_paragraph(previous: str, current: str) -> bool:
    if _is_standalone_heading(previous) or _HEADING_START.match(current):
        return True
    return len(current) - len(current.lstrip(" ")) >= 2


_LayoutValues = tuple[list[str], list[str]]  # label chunks and values of a layout line


def _layout_values(text: str) -> _LayoutValues | None:
    """Split a layout line into label chunks and trailing values, or None."""
    stripped = text.strip()
    match = _LAYOUT_ROW.match(stripped)
    if not match:
        return None
    label = match.group("label")
    if label and not _GAP_AT_END.search(label) and not _BLANK.search(label):
        return None
    values = match.group("values").split()
    if not any(_is_numeric(v) for v in values):
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
    """Index ranges [start, end) of table regions around lines with values.

    ``parsed`` holds :func:`_layout_values` of each line.
    """
    numeric = [i for i, values in enumerate(parsed) if values]
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


def _layout_rows(region: list[_Line], parsed: list[_LayoutValues | None]) -> list[tuple[_Line, list[str]]]:
    """Rows of a layout table; wrapped label fragments join their value row.

    ``parsed`` holds :func:`_layout_values` of each line of the region.
    """
    value_rows = [k for k, p in enumerate(parsed) if p]
    first = value_rows[0]
    fragments: dict[int, list[tuple[int, str]]] = {k: [] for k in value_rows}
    headers: list[int] = []
    claimed: set[int] = set()
    for k in value_rows:
        if not parsed[k][0]:
            _claim_adjacent(region, parsed, k, fragments, claimed)
    for k, ln in enumerate(region):
        text = ln.text.strip()
        if parsed[k] or not text or k in claimed:
            continue
        if k < first or _is_header_text(text):
            headers.append(k)
            continue
        nearest = min(value_rows, key=lambda v: (abs(v - k), v < k))
        fragments[nearest].append((k, " ".join(_CHUNK_SPLIT.split(text))))
    rows: list[tuple[int, _Line, list[str]]] = []
    for k in headers:
        rows.append((k, region[k], _CHUNK_SPLIT.split(region[k].text.strip())))
    for k in value_rows:
        chunks, values = parsed[k]
        parts = sorted(fragments[k] + [(k, " ".join(chunks))])
        label = " ".join(text for _, text in parts if text)
        rows.append((k, region[k], [label, *values] if label else values))
    rows.sort(key=lambda row: row[0])
    return [(line, cells) for _, line, cells in rows]


def _claim_adjacent(region: list[_Line], parsed: list, k: int,
                    fragments: dict[int, list[tuple[int, str]]], claimed: set[int]) -> None:
    """A value row without a label takes the label lines right above and below it."""
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(region) and region[j].text.strip() and not parsed[j] and j not in claimed:
            if _is_header_text(region[j].text):
                break
            fragments[k].append((j, " ".join(_CHUNK_SPLIT.split(region[j].text.strip()))))
            claimed.add(j)
            j += step


def _is_header_text(text: str) -> bool:
    return bool(_HEADER_WORDS.search(text))
