"""Turn a :class:`Layout` from any reader into the report document.

Steps, all from the Layout alone (never from file bytes):

1. find the six section headings (一、总体情况 … 六、其他需要报告的事项 and the
   synonyms real reports use), also when a heading is split over two lines;
2. give each section its narrative text (table text and table debris left out)
   and split 一、总体情况 into its sub-parts;
3. classify every table as table 二/三/四 by its words and map its cells to
   cell ids by row and column labels (:mod:`checker.ingest.tables`);
4. read the metadata: title, agency (with kind and level), year, statistics
   period, publication date, preamble;
5. record a source map: JSON Pointer → place in the original file.

The result validates against ``schemas/report.schema.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.errors import InputError
from checker.ingest import metadata
from checker.ingest.layout import Layout, Location, Paragraph, Table
from checker.ingest.reading import Reading
from checker.ingest.normalize import clean, is_traditional, match_key
from checker.ingest.tables import (
    Extracted,
    Row,
    balance_note,
    extract_t2,
    extract_t3,
    extract_t4,
    t2_layout,
    t3_layout,
    table_kind,
)

SCHEMA_VERSION = "1.0"
SECTION_NAMES = ("overview", "proactive", "requests", "appeals", "problems", "other")

_NUMBERING = re.compile(r"(?:第[一二三四五六七八九十]+部分[、.:]?|[一二三四五六七八九十]+[、.．:])")
_NUMBER_ONLY = re.compile(r"[一二三四五六七八九十]+[、.．]")
_SECTION_TITLES = tuple((name, re.compile(pattern)) for name, pattern in (
    ("overview", r"^(工作)?(总体情况|概述|概况|基本情况)"),
    ("proactive", r"^主动公开.{0,8}(情况|信息)$"),
    ("requests", r"(收到和处理|收到及处理|依申请公开).{0,14}情况$|^依申请公开|^政府信息公开申请.{0,4}情况$"),
    ("appeals", r"复议.{0,12}诉讼"),
    ("problems", r"存在的?(主要)?问题|问题(及|和|与)其?(改进|整改|下一步)"),
    ("other", r"^其他(需要报告的)?事项|^其他需要报告"),
))
_CANONICAL_TITLES = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                     "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"}
_PART_HEADING = re.compile(r"^\(([一二三四五六七八九十]+)\)")
_NUMBERED_PART = re.compile(r"^\d{1,2}[.、](?!\d)")
_TABLE_CAPTION = re.compile(r"^(第二十条|信息内容|表[一二三四]|申请人情况|\(数据项目\))")


@dataclass(slots=True)
class _Segment:
    """A section: its heading paragraph and the blocks under it."""

    name: str
    heading: Paragraph
    heading_text: str
    position: int
    blocks: list[Paragraph | Table] = field(default_factory=list)


@dataclass(slots=True)
class _Doc:
    """State shared while one document is assembled."""

    traditional: bool
    source_map: dict[str, dict[str, int]] = field(default_factory=dict)
    reading: Reading = field(default_factory=Reading)

    def text(self, raw: str) -> str:
        return clean(raw, traditional=self.traditional)

    def locate(self, pointer: str, loc: Location) -> None:
        self.source_map[pointer] = loc.to_dict()

    def notice(self, code: str, target: str, location: Location | None = None, **values: object) -> None:
        self.reading.notice(code, target, location, **values)


def assemble(layout: Layout, *, source_name: str, year: int | None = None) -> dict:
    """Build the report document from a Layout.

    Args:
        layout: the file as read by one of the readers.
        source_name: file name recorded in ``source.file``.
        year: the reported year, overriding what the text says (``--year``).

    Returns:
        A dict that validates against ``schemas/report.schema.json``.

    Raises:
        InputError: the text is not a report, or no reported year can be found.
    """
    all_text = "\n".join(_block_texts(layout.blocks))
    doc = _Doc(traditional=is_traditional(all_text))
    front, segments = _split_sections(layout.blocks, doc)
    tables = _collect_tables(front, segments)
    if not segments and not tables and "政府信息公开" not in match_key(all_text):
        raise InputError(
            "文件内容不像政府信息公开工作年度报告：没有找到“一、总体情况”等章节标题，也没有找到统计表格。请确认选择了正确的文件。",
            "This does not look like an annual report on government information disclosure: "
            "no section headings and no statistical tables were found.",
        )
    title = metadata.title(front, layout, doc)
    document: dict = {"schema_version": SCHEMA_VERSION}
    if title:
        document["title"] = title[0]
        doc.locate("/title", title[1])
    body = _paragraphs(front, segments)
    paragraphs = [doc.text(b.text) for b in body]
    period = metadata.period(body, doc)
    reported = metadata.year(title, period, front, body, doc) if year is None else None
    found_year = year or (reported.value if reported else None)
    if found_year is None:
        raise InputError(
            "找不到报告年度：标题和正文中都没有写明“XXXX年”或统计期限。请在报告标题中写明年度，或用 --year 参数指定（例如 --year 2024）。",
            "The reported year was not found in the title or the text. Add it to the title or pass --year.",
        )
    if reported and reported.inferred:
        doc.notice("year-inferred", "/year", reported.location, year=reported.value, evidence=reported.evidence)
    document["agency"] = metadata.agency(title, front, body, layout.hints, doc)
    document["year"] = found_year
    published = metadata.published(body, front, layout.hints, doc)
    if published:
        document["published"] = published
    if period:
        document["period"] = period
    preamble = metadata.preamble(front, title, doc)
    if preamble:
        document["preamble"] = preamble
    document["sections"] = _sections(segments, doc)
    document["format"], document["tables"] = _tables(tables, paragraphs, doc, found_year)
    document["source"] = metadata.source(layout, source_name)
    reading = doc.reading.to_dict()
    if reading:
        document["reading"] = reading
    document["source_map"] = doc.source_map
    return _ordered(document)


def _ordered(document: dict) -> dict:
    order = ("schema_version", "title", "agency", "year", "published", "format", "period", "preamble",
             "sections", "tables", "source", "reading", "source_map")
    return {key: document[key] for key in order if key in document}


def _block_texts(blocks: list[Paragraph | Table]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts.extend(cell.text for row in block.rows for cell in row)
    return texts


# --------------------------------------------------------------------------- sections


def section_name(text: str) -> str | None:
    """The section a heading line opens, or None when it is not a section heading."""
    key = match_key(text)
    if not key or len(key) > 45 or "。" in key.rstrip("。"):
        return None
    numbered = _NUMBERING.match(key)
    title = (key[numbered.end():] if numbered else key).rstrip("。:：")
    for name, pattern in _SECTION_TITLES:
        if pattern.search(title) and (numbered or title in _CANONICAL_TITLES):
            return name
    return None


def _split_sections(blocks: list[Paragraph | Table], doc: _Doc) -> tuple[list[Paragraph | Table], list[_Segment]]:
    """Blocks before the first section, and the sections with their blocks."""
    front: list[Paragraph | Table] = []
    segments: dict[str, _Segment] = {}
    current: _Segment | None = None
    skip = False
    for i, block in enumerate(blocks):
        if skip:
            skip = False
            continue
        heading = _heading_at(blocks, i) if isinstance(block, Paragraph) else None
        if heading:
            name, text, joined = heading
            skip = joined
            if name in segments:
                current = segments[name]
            else:
                current = _Segment(name, block, doc.text(text), len(segments))  # type: ignore[arg-type]
                segments[name] = current
            continue
        (current.blocks if current else front).append(block)
    return front, list(segments.values())


def _heading_at(blocks: list[Paragraph | Table], i: int) -> tuple[str, str, bool] | None:
    """(section, heading as written, whether the next paragraph was joined) at block i."""
    block = blocks[i]
    assert isinstance(block, Paragraph)
    name = section_name(block.text)
    if name:
        return name, block.text.strip(), False
    if _NUMBER_ONLY.fullmatch(match_key(block.text)) and i + 1 < len(blocks):
        following = blocks[i + 1]
        if isinstance(following, Paragraph):
            joined = block.text.strip() + following.text.strip()
            name = section_name(joined)
            if name:
                return name, joined, True
    return None


def _sections(segments: list[_Segment], doc: _Doc) -> dict:
    sections: dict = {}
    for segment in segments:
        paragraphs = _narrative(segment.blocks)
        entry: dict = {"heading": segment.heading_text,
                       "text": "\n".join(doc.text(p.text) for p in paragraphs),
                       "position": segment.position}
        if segment.name == "overview":
            entry["parts"] = _parts(paragraphs, doc)
        sections[segment.name] = entry
        last = segment.blocks[-1].loc if segment.blocks else segment.heading.loc
        end = last.end_line or last.line
        doc.locate(f"/sections/{segment.name}", Location(
            line=segment.heading.loc.line, end_line=end if end != segment.heading.loc.line else None,
            page=segment.heading.loc.page))
    return {name: sections[name] for name in SECTION_NAMES if name in sections}


def _narrative(blocks: list[Paragraph | Table]) -> list[Paragraph]:
    """Paragraphs of a section without table captions and table debris."""
    table_at = [k for k, b in enumerate(blocks) if isinstance(b, Table)]
    kept: list[Paragraph] = []
    for k, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        key = match_key(block.text)
        between = bool(table_at) and table_at[0] < k < table_at[-1]
        if "勾稽" in key or _TABLE_CAPTION.match(key) or (between and "。" not in key):
            continue
        if table_at and k == table_at[0] - 1 and len(key) <= 30 and "。" not in key:
            continue
        kept.append(block)
    return kept


def _parts(paragraphs: list[Paragraph], doc: _Doc) -> list[dict]:
    """Sub-parts of 总体情况: numbered sub-headings, else one part per paragraph."""
    texts = [doc.text(p.text) for p in paragraphs]
    pattern = _PART_HEADING if any(_PART_HEADING.match(match_key(t)) for t in texts) else (
        _NUMBERED_PART if sum(bool(_NUMBERED_PART.match(match_key(t))) for t in texts) >= 2 else None)
    if pattern is None:
        return [_part(t) for t in texts if t]
    parts: list[dict] = []
    for text in texts:
        if pattern.match(match_key(text)):
            parts.append(_part(text))
        elif parts:
            body = parts[-1].get("text", "")
            parts[-1]["text"] = f"{body}\n{text}" if body else text
    return parts


def _part(text: str) -> dict:
    """A part from its first paragraph: heading up to the first 。, the rest as text."""
    head, sep, rest = text.partition("。")
    if not sep and len(text) > 40:
        head, rest = text[:40], text[40:]
    return {"heading": head.strip(), "text": rest.strip()}


# --------------------------------------------------------------------------- tables


@dataclass(slots=True)
class _TableInfo:
    kind: str | None
    rows: list[Row]


def _collect_tables(front: list[Paragraph | Table], segments: list[_Segment]) -> list[_TableInfo]:
    infos: list[_TableInfo] = []
    previous: str | None = None
    for section, blocks in [(None, front)] + [(s.name, s.blocks) for s in segments]:
        context = ""
        for block in blocks:
            if isinstance(block, Paragraph):
                context = match_key(block.text) if len(block.text) <= 40 else ""
                continue
            kind = table_kind(block, section, previous)
            previous = kind
            infos.append(_TableInfo(kind, [Row(list(r), context) for r in block.rows]))
    return infos


def _tables(tables: list[_TableInfo], paragraphs: list[str], doc: _Doc, year: int) -> tuple[str, dict]:
    """The table format and the three tables."""
    t2 = [t.rows for t in tables if t.kind == "proactive"]
    t3 = [t.rows for t in tables if t.kind == "requests"]
    t4 = [t.rows for t in tables if t.kind == "appeals"]
    t3_format = t3_layout([r for rows in t3 for r in rows])
    fmt = _format(t2_layout(t2), t3_format, year)
    result: dict = {}
    proactive = extract_t2(t2, fmt, traditional=doc.traditional)
    requests = extract_t3(t3, t3_format or fmt, traditional=doc.traditional)
    _prune_other(requests, fmt)
    appeals = extract_t4(t4, traditional=doc.traditional)
    note = balance_note(t3, paragraphs) if t3 else None
    if note:
        requests.values = {"note": doc.text(note[0]), **requests.values}
        if note[1]:
            doc.locate("/tables/requests/note", note[1])
    for name, extracted in (("proactive", proactive), ("requests", requests), ("appeals", appeals)):
        if extracted.values:
            result[name] = extracted.values
            for pointer, loc in extracted.locations.items():
                doc.locate(pointer, loc)
    return fmt, result


def _prune_other(requests: Extracted, fmt: str) -> None:
    """Keep （六） in a shape the document's format allows.

    A 2019-format table has one （六） row. A 2021-format table normally has three sub-rows;
    one that kept the single row of the trial format keeps it (the schema allows it), so its
    numbers are not lost and the rules report the missing sub-rows.
    """
    other = requests.values.get("other")
    if other is None:
        return
    single = not any(isinstance(v, dict) for v in other.values())
    if fmt == "2019" and not single:
        del requests.values["other"]
        for pointer in [p for p in requests.locations if p.startswith("/tables/requests/other/")]:
            del requests.locations[pointer]


def _format(t2: str | None, t3: str | None, year: int) -> str:
    """2019 trial format or 2021 format: table 二 decides, then table 三, then the year."""
    if t2:
        return t2
    if t3:
        return t3
    return "2019" if year <= 2020 else "2021"


# --------------------------------------------------------------------------- blocks


def _paragraphs(front: list[Paragraph | Table], segments: list[_Segment]) -> list[Paragraph]:
    blocks = list(front) + [b for s in segments for b in [s.heading, *s.blocks]]
    return [b for b in blocks if isinstance(b, Paragraph)]
