"""Evidence before a defect: is something the reader did not place printed in the source?

After the assembler has built the document, every part, table, row and cell the format expects
but the document lacks is looked up in the source itself, normalised (NFKC, simplified
characters, pinyin glosses dropped, all whitespace removed):

* a **part** whose numbered heading (``六、其他需要报告的事项``) is printed but was not placed
  is *unread* (``part-unplaced`` notice), not missing;
* a **table** whose row words are printed (five rows of table 三, four of table 二, three
  column headings of table 四) but of which no cell was read is *unread*;
* a **row** or **cell** of a table that was read, whose row label is printed in the table's
  part (or anywhere, when the part itself was not found), is *unread*;
* a part 二–四 that holds its heading and nothing else (a table printed as an image, or lost
  when the page was copied) has its table *unread*;
* what is not printed stays absent: the rules report it missing, rightly.

One ``table-unread`` notice per table says how many cells could not be read and where the
table's words are; one ``cells-derived`` notice per table says how many cells were split by
the table's arithmetic. Unread and derived pointers go into the document's ``reading`` block.

:func:`incomplete` recognises a text that ends early (cut mid-sentence or mid-table, with
the later parts absent), the one case where absent parts are not evidence of a defect either.
"""

from __future__ import annotations

import re
import unicodedata

from checker.ingest.layout import Location, Paragraph, Table
from checker.ingest.normalize import strip_glosses, to_simplified
from checker.ingest.reading import Reading
from checker.ingest.stream import template

SECTION_ORDER = ("overview", "proactive", "requests", "appeals", "problems", "other")
TABLE_OF_SECTION = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}

# A numbered heading of each part, as printed (on the normalised source, whitespace removed).
_NUMBER = r"(?<!第)(?:[一二三四五六七八九十]{1,2}[、.．]|第[一二三四五六七八九十]+部分[、.:：]?)"
_PART_WORDS = {
    "overview": r"(?:工作)?总体情况|概述|概况|基本情况",
    "proactive": r"主动公开(?:政府)?信息|主动公开(?:工作)?情况",
    "requests": r"收到和处理|收到及处理|依申请公开(?:政府信息)?(?:工作)?情况|政府信息公开申请(?:情况|办理)",
    "appeals": r"(?:因)?政府信息公开(?:工作)?(?:的|被申请)?行政复议|行政复议、?(?:提起)?行政诉讼",
    "problems": r"(?:政府信息公开)?(?:工作)?存在的?(?:主要)?问题|问题(?:及|和|与)(?:改进|整改)",
    "other": r"其他需要报告|其他事项",
}
_HEADINGS = {name: re.compile(rf"{_NUMBER}(?:{words})") for name, words in _PART_WORDS.items()}
# The words of each table's header cells, for tables whose rows cannot be told apart (table 四).
_T4_WORDS = tuple(re.compile(p) for p in (r"结果维持", r"结果纠正", r"其他结果", r"尚未审结", r"未经复议", r"复议后"))
_MIN_ROWS = {"proactive": 4, "requests": 5, "appeals": 3}
_SENTENCE_END = re.compile(r"[。！？!?；;：:）)”\"》]$")
_DATE_LINE = re.compile(r"[\d〇零一二三四五六七八九]{4}\s*[年\-/.]\s*[\d〇零一二三四五六七八九十]{1,3}\s*[月\-/.]"
                        r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日?\s*$")
_SIGNATURE = re.compile(r"^\S{2,30}(?:人民政府|政府办公室|办公厅|办公室|局|厅|委员会|委|署|中心|办事处|管委会|管理委员会|"
                        r"分局|公司|院|所|站|镇|乡|街道)$")


def source_key(text: str) -> str:
    """The normalised form the evidence search reads: NFKC, simplified, no glosses, no whitespace."""
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", strip_glosses(text))))


class Source:
    """The source file's blocks as normalised text (made on first search: a document with
    nothing missing never needs it), each with its place in the file."""

    def __init__(self, blocks: list[Paragraph | Table]) -> None:
        self.blocks = blocks
        self.locations = [block.loc for block in blocks]
        self._keys: list[str] | None = None

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [source_key(block.text) if isinstance(block, Paragraph) else
                          "".join(source_key(cell.text) for row in block.rows for cell in row)
                          for block in self.blocks]
        return self._keys

    def find(self, pattern: re.Pattern[str], within: list[int] | None = None) -> tuple[str, Location] | None:
        """The first match of ``pattern`` (in the blocks ``within``, default all) and its block's place."""
        keys = self.keys
        for k in within if within is not None else range(len(keys)):
            match = pattern.search(keys[k])
            if match:
                return match.group(0), self.locations[k]
        return None


def weigh(document: dict, source: Source, regions: dict[str, list[int]], reading: Reading,
          tables_from: dict[str, list[Location]]) -> None:
    """Mark as unread (with notices) what the document lacks but the source prints.

    Args:
        document: the assembled document (``sections``, ``tables``, ``format``).
        source: the source blocks.
        regions: per section id, the indexes of the source blocks that belong to it.
        reading: where unread pointers and notices go (it already holds what the table
            readers could not read or derived).
        tables_from: per table, where its blocks are (for the notice).
    """
    sections = document.get("sections", {})
    for name in SECTION_ORDER:
        pointer = f"/sections/{name}"
        if name in sections or reading.is_unread(pointer):
            continue
        found = source.find(_HEADINGS[name])
        if found:
            reading.mark_unread(pointer)
            reading.notice("part-unplaced", pointer, found[1], heading=found[0])
    fmt = document.get("format", "2021")
    tables = document.get("tables", {})
    for kind in ("proactive", "requests", "appeals"):
        _weigh_table(kind, fmt, tables.get(kind), source, regions.get(kind), reading, tables_from.get(kind, []),
                     kind in sections)


def _weigh_table(kind: str, fmt: str, table: dict | None, source: Source, region: list[int] | None,
                 reading: Reading, where: list[Location], sections_present: bool) -> None:
    root = f"/tables/{kind}"
    tmpl = template(kind, fmt)
    if not table:
        if reading.is_unread(root):
            return
        printed = _printed_rows(kind, tmpl, source, region)
        if printed >= _MIN_ROWS[kind]:
            location = where[0] if where else _first_location(source, region)
            reading.mark_unread(root)
            reading.notice("table-unread", root, location, count=0)
        elif region is not None and len(region) == 1 and sections_present:
            # the part is its heading alone: a table printed as an image, or lost in copying
            reading.mark_unread(root)
            reading.notice("table-unread", root, source.locations[region[0]], count=0, reason="empty")
        return
    unread_rows: list[str] = []
    for spec in tmpl.rows:
        cells: list[tuple[tuple[str, ...], str]]
        if kind == "appeals":
            cells = [((group,), col) for group, _, col in (c.partition(".") for c in spec.columns)]
        else:
            cells = [(spec.path, col) for col in spec.columns]
        missing = [f"{root}/{'/'.join(path)}/{col}" for path, col in cells if not _has(table, path, col)]
        missing = [p for p in missing if not reading.is_unread(p)]
        if not missing:
            continue
        if kind != "appeals" and not source.find(spec.evidence or spec.pattern, region):
            continue  # the row is not printed: it is missing, and the rules say so
        for pointer in missing:
            reading.mark_unread(pointer)
        unread_rows.append("/".join(spec.path))
    count = sum(1 for p in reading.unread if p.startswith(root + "/"))
    if count:
        location = where[0] if where else _first_location(source, region)
        reading.notice("table-unread", root, location, count=count, rows=unread_rows)


def _printed_rows(kind: str, tmpl, source: Source, region: list[int] | None) -> int:
    """How many distinct rows (table 四: header words) of the table are printed in ``region``."""
    patterns = _T4_WORDS if kind == "appeals" else tuple(spec.pattern for spec in tmpl.rows)
    return sum(1 for pattern in patterns if source.find(pattern, region))


def _has(table: dict, path: tuple[str, ...], column: str) -> bool:
    node = table
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, dict) and column in node


def _first_location(source: Source, region: list[int] | None) -> Location | None:
    if region:
        return source.locations[region[0]]
    return None


# --------------------------------------------------------------------------- incomplete text


def incomplete(paragraphs: list[Paragraph], last_is_table: bool, present: set[str]) -> tuple[str, list[str]] | None:
    """(last words, absent later parts) when the text looks cut off, else None.

    A text is taken as cut off when the parts after the last one present are all absent
    (at least 六), and either its last paragraph stops mid-sentence (no closing punctuation, not
    a date or signature line), or it stops inside a table, or two or more trailing parts are
    absent (a report that leaves out parts usually leaves out one, not the whole tail). A text
    in which no part was found is cut off only when it visibly stops mid-sentence.
    """
    order = [name for name in SECTION_ORDER if name in present]
    if "other" in present:
        return None
    tail = list(SECTION_ORDER[SECTION_ORDER.index(order[-1]) + 1:]) if order else list(SECTION_ORDER)
    if any(name in present for name in tail):
        return None
    closing = [p.text.strip() for p in paragraphs]
    while closing and (_DATE_LINE.search(closing[-1]) or _SIGNATURE.match(closing[-1])):
        closing.pop()  # the signature and date under the report are not where a text is cut
    last = closing[-1] if closing else ""
    mid_sentence = bool(last) and not _SENTENCE_END.search(last)
    if not order:  # no part found at all: only a text that visibly stops mid-sentence is cut off
        return (last[-30:], tail) if mid_sentence else None
    if not (mid_sentence or last_is_table or len(tail) >= 2):
        return None
    return last[-30:], tail


__all__ = ["Source", "incomplete", "source_key", "weigh"]
