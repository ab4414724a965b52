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
from dataclasses import dataclass, field, replace
from typing import Any

from checker.errors import NotAReport, YearNotFound
from checker.ingest import metadata
from checker.ingest.evidence import Source, incomplete, weigh
from checker.ingest.layout import Layout, Location, Paragraph, Table, TableCell
from checker.ingest.normalize import (
    clean,
    has_glosses,
    is_traditional,
    match_key,
    strip_glosses,
)
from checker.ingest.reading import Reading
from checker.ingest.stream import (
    Template,
    flat_format,
    flat_split,
    flat_table_kind,
    read_flat_table,
    template,
)
from checker.ingest.tables import (
    Extracted,
    Row,
    balance_note,
    extract_t2,
    extract_t3,
    extract_t4,
    is_row_label,
    place_floated,
    split_joined,
    t2_layout,
    t3_layout,
    table_kind,
)

SCHEMA_VERSION = "1.0"
SECTION_NAMES = ("overview", "proactive", "requests", "appeals", "problems", "other")

_NUMBERING = re.compile(r"(?:第[一二三四五六七八九十]+部分[、.:]?|[一二三四五六七八九十]+[、.．:])")
_NUMBER_ONLY = re.compile(r"[一二三四五六七八九十]+[、.．]")
_SECTION_TITLES = tuple((name, re.compile(pattern)) for name, pattern in (
    ("overview", r"^(?:本年度|年度)?(?:政府信息公开)?(?:工作)?(?:的)?(总体情况|概述|概况|基本情况)"),
    ("proactive", r"^主动公开.{0,8}(情况|信息)$"),
    ("requests", r"(收到和处理|收到及处理|依申请公开).{0,14}情况$|^依申请公开|^政府信息公开申请.{0,4}情况$"),
    ("appeals", r"复议.{0,12}诉讼"),
    ("problems", r"存在的?(主要)?问题|问题(及|和|与)其?(改进|整改|下一步)"),
    ("other", r"^其他(需要报告的)?事项|^其他需要报告"),
))
_CANONICAL_TITLES = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                     "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"}
_PART_HEADING = re.compile(r"^\(([一二三四五六七八九十]+)\)")
_LONE_NUMBER = re.compile(r"^\s*[0-9]{1,9}\s*$")
_PROBLEMS_SUBHEADING = re.compile(
    r"^(?:[(（][一二三四五六七八九十]{1,2}[)）]|[0-9]{1,2}[.、．])?(?:存在的?)?(?:主要)?(?:问题|不足)(?:及|和|与)?.{0,8}$")
_GLUED_HEADING = re.compile(
    r"^([(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]?[^，。；,;]{1,18}?"
    r"(?:情况|方面|做法|工作|建设|管理|保障|机制|公开|服务|问题|措施|举措|成效|概况))"
    r"(?=\d{4}年|今年|本年|全年|我[区县市局委办厅镇乡署]|一是|[1１][.、．]|按照|根据|围绕|坚持|严格|进一步)")
_NUMBERED_PART = re.compile(r"^\d{1,2}[.、](?!\d)")
_TABLE_CAPTION = re.compile(r"^(第二十条|信息内容|表[一二三四]|申请人情况|\(数据项目\))")


@dataclass(slots=True)
class _Segment:
    """A section: its heading paragraph and the blocks under it."""

    name: str
    heading: Paragraph | None  # None: a part recognised by its content, its heading not printed
    heading_text: str
    position: int
    blocks: list[Paragraph | Table] = field(default_factory=list)

    @property
    def start(self) -> Location:
        """Where the part starts: its heading, else its first block."""
        if self.heading is not None:
            return self.heading.loc
        return self.blocks[0].loc if self.blocks else Location()


@dataclass(slots=True)
class _Doc:
    """State shared while one document is assembled."""

    traditional: bool
    source_map: dict[str, dict[str, Any]] = field(default_factory=dict)
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
        NotAReport: the text is not a report; YearNotFound: no reported year can be found (both InputError).
    """
    layout = _tables_apart(_without_glosses(layout))
    all_text = "\n".join(_block_texts(layout.blocks))
    doc = _Doc(traditional=is_traditional(all_text))
    front, segments = _split_sections(layout.blocks, doc)
    tables = _collect_tables(front, segments)
    if not segments and not tables and "政府信息公开" not in match_key(all_text):
        raise NotAReport(
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
        raise YearNotFound(
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
    _weigh_evidence(layout.blocks, segments, tables, document, doc)
    document["source"] = metadata.source(layout, source_name)
    reading = doc.reading.to_dict()
    if reading:
        document["reading"] = reading
    document["source_map"] = doc.source_map
    return _ordered(document)


def _weigh_evidence(blocks: list[Paragraph | Table], segments: list[_Segment], tables: list[_TableInfo],
                    document: dict, doc: _Doc) -> None:
    """Record what the source prints but the document lacks (``checker.ingest.evidence``):
    a text cut off early first, then every part, table, row and cell looked up in the source."""
    index = {id(block): k for k, block in enumerate(blocks)}
    regions: dict[str, list[int]] = {}
    for segment in segments:
        members = [segment.heading, *segment.blocks] if segment.heading is not None else segment.blocks
        regions.setdefault(segment.name, []).extend(index[id(b)] for b in members if id(b) in index)
    where: dict[str, list[Location]] = {}
    for info in tables:
        if info.kind is None:
            continue
        where.setdefault(info.kind, []).append(info.loc)
        own = info.flat if info.flat is not None else info.block
        if own is not None and id(own) in index and info.kind in regions:
            regions[info.kind].append(index[id(own)])
    prose = [b for b in blocks if isinstance(b, Paragraph) and not flat_table_kind(b.text)]
    last = blocks[-1] if blocks else None
    last_is_table = isinstance(last, Table) or (isinstance(last, Paragraph) and bool(flat_table_kind(last.text)))
    present = set(document["sections"])
    cut = incomplete(prose, last_is_table, present)
    if cut:
        last_words, tail = cut
        reached = [name for name in SECTION_NAMES if name in present][-1:]
        for name in [*reached, *tail]:
            doc.reading.mark_unread(f"/sections/{name}")
            if name in ("proactive", "requests", "appeals"):
                doc.reading.mark_unread(f"/tables/{name}")
        where_cut = (prose[-1] if prose else last).loc if (prose or last) else None  # type: ignore[union-attr]
        doc.notice("text-incomplete", "", where_cut, last=last_words, parts=tail)
        if last_is_table and isinstance(last, Table):
            _unread_last_row(last, document, doc)
    weigh(document, Source(blocks), regions, doc.reading, where)


def _without_glosses(layout: Layout) -> Layout:
    """The layout with pinyin glosses (mirror pages: ``公開(gōng kāi)``) removed from every text."""
    if not any(has_glosses(text) for text in _block_texts(layout.blocks)):
        return layout
    blocks: list[Paragraph | Table] = []
    for block in layout.blocks:
        if isinstance(block, Paragraph):
            blocks.append(replace(block, text=strip_glosses(block.text)))
        else:
            rows = [[replace(cell, text=strip_glosses(cell.text)) for cell in row] for row in block.rows]
            blocks.append(Table(rows, block.loc))
    return Layout(blocks, layout.media_type, dict(layout.hints))


def _unread_last_row(table: Table, document: dict, doc: _Doc) -> None:
    """A text cut off inside a table: its last row may be cut mid-row, so its cells are unread."""
    last_row = table.rows[-1][0].loc.row if table.rows else None
    if last_row is None:
        return
    for pointer, where in list(doc.source_map.items()):
        if not pointer.startswith("/tables/") or where.get("table") != table.loc.table or where.get("row") != last_row:
            continue
        parts = pointer.strip("/").split("/")
        node = document
        for part in parts[:-1]:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict) and parts[-1] in node:
            del node[parts[-1]]
            del doc.source_map[pointer]
            doc.reading.mark_unread(pointer)


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


def _tables_apart(layout: Layout) -> Layout:
    """The layout with table 四 cut from the table above it when both came as one grid
    (:func:`split_joined`) or one paragraph of flattened tables (:func:`flat_split`)."""
    blocks: list[Paragraph | Table] = []
    for block in layout.blocks:
        if isinstance(block, Table):
            blocks.extend(split_joined(block))
        elif (at := flat_split(block.text)) is not None:
            blocks += [replace(block, text=block.text[:at]), replace(block, text=block.text[at:])]
        else:
            blocks.append(block)
    if len(blocks) == len(layout.blocks):
        return layout
    return Layout(blocks, layout.media_type, dict(layout.hints))


def _split_sections(blocks: list[Paragraph | Table], doc: _Doc) -> tuple[list[Paragraph | Table], list[_Segment]]:
    """Blocks before the first section, and the sections with their blocks."""
    front: list[Paragraph | Table] = []
    ordered: list[_Segment] = []
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
            earlier = next((seg for seg in ordered if seg.name == name), None)
            if earlier is not None and not _holds_table(earlier):
                _fold_into_previous(front, ordered, earlier)
                earlier = None
            if earlier is not None:
                current = earlier
            else:
                current = _Segment(name, block, doc.text(text), len(ordered))  # type: ignore[arg-type]
                ordered.append(current)
            continue
        (current.blocks if current else front).append(block)
    _recover_parts(front, ordered)
    for position, segment in enumerate(ordered):
        segment.position = position
    return front, ordered


def _holds_table(segment: _Segment) -> bool:
    """Whether a part holds a format table (a grid, or a flattened table)."""
    return any(isinstance(b, Table) or flat_table_kind(b.text) for b in segment.blocks)


def _fold_into_previous(front: list[Paragraph | Table], segments: list[_Segment], segment: _Segment) -> None:
    """A part title printed twice: the earlier occurrence, which holds no table, is a sub-part of
    the narrative before it (reports that number their narrative 一…六 and then their tables
    一…三 again print 主动公开… twice). Its heading and blocks join the preceding part."""
    k = segments.index(segment)
    target = segments[k - 1].blocks if k > 0 else front
    target.extend([segment.heading, *segment.blocks] if segment.heading is not None else segment.blocks)
    del segments[k]


def _recover_parts(front: list[Paragraph | Table], segments: list[_Segment]) -> None:
    """Parts whose heading was lost (converters drop them), recognised by their content.

    Parts 二–四 by their table (a grid or a flattened table with the words of the format's
    rows); part 五 by a sub-heading such as （一）存在的主要问题 after the tables. The part starts
    at that block; it has no heading (a rule reports the missing heading, never the part).
    """
    for name in ("proactive", "requests", "appeals"):
        if any(seg.name == name for seg in segments):
            continue
        found = _first_block(front, segments, lambda b: _table_of(b) == name)  # noqa: B023 (called at once)
        if found:
            _split_off(front, segments, name, *found)
    if not any(seg.name == "problems" for seg in segments):
        after = max((k for k, seg in enumerate(segments) if seg.name in ("requests", "appeals")), default=None)
        if after is not None:
            found = _first_block([], segments[after:], lambda b: isinstance(b, Paragraph)
                                 and bool(_PROBLEMS_SUBHEADING.match(match_key(b.text))))
            if found:
                _split_off(front, segments, "problems", found[0], found[1])


def _first_block(front: list[Paragraph | Table], segments: list[_Segment],
                 test) -> tuple[_Segment | None, int] | None:
    for k, block in enumerate(front):
        if test(block):
            return None, k
    for segment in segments:
        for k, block in enumerate(segment.blocks):
            if test(block):
                return segment, k
    return None


def _split_off(front: list[Paragraph | Table], segments: list[_Segment], name: str,
               owner: _Segment | None, k: int) -> None:
    """Make the blocks from ``k`` of ``owner`` (None: the front matter) a part of their own."""
    blocks = owner.blocks if owner is not None else front
    part = _Segment(name, None, "", 0, blocks[k:])
    del blocks[k:]
    at = segments.index(owner) + 1 if owner is not None else 0
    segments.insert(at, part)


def _table_of(block: Paragraph | Table) -> str | None:
    """The format table a block is, by its own words only (a grid, or a flattened table)."""
    if isinstance(block, Paragraph):
        return flat_table_kind(block.text)
    return table_kind(block, None, None, strict=True)


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
        entry: dict = {"text": "\n".join(doc.text(p.text) for p in paragraphs), "position": segment.position}
        if segment.heading is not None:
            entry = {"heading": segment.heading_text, **entry}
        if segment.name == "overview":
            entry["parts"] = _parts(paragraphs, doc)
        sections[segment.name] = entry
        start = segment.start
        last = segment.blocks[-1].loc if segment.blocks else start
        end = last.end_line or last.line
        pointer = f"/sections/{segment.name}"
        doc.locate(pointer, Location(
            line=start.line, end_line=end if end != start.line else None, page=start.page,
            table=start.table if start.line is None else None, unit=start.unit if start.line else None,
            quote=start.quote))
        doc.source_map[pointer].update(_text_places(paragraphs, doc))
    return {name: sections[name] for name in SECTION_NAMES if name in sections}


def _text_places(paragraphs: list[Paragraph], doc: _Doc) -> dict[str, list[int]]:
    """Where each line of a part's ``text`` starts in the file: ``text_lines`` (in the file's unit) and, for
    paged files, ``text_pages``, one entry per line of the text (a sentence's offset in the text gives its
    line: ``checker.narrative.locate.sentence_location``). Empty when a paragraph has no line number."""
    lines: list[int] = []
    pages: list[int] = []
    for p in paragraphs:
        if p.loc.line is None:
            return {}
        n = doc.text(p.text).count("\n") + 1
        lines.extend([p.loc.line] * n)
        pages.extend([p.loc.page or 0] * n)
    if not lines:
        return {}
    return {"text_lines": lines, **({"text_pages": pages} if all(pages) else {})}


def _narrative(blocks: list[Paragraph | Table]) -> list[Paragraph]:
    """Paragraphs of a section without table captions and table debris."""
    table_at = [k for k, b in enumerate(blocks) if isinstance(b, Table)]
    kept: list[Paragraph] = []
    for k, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        if flat_table_kind(block.text):
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
    """A part from its first paragraph: heading up to the first 。, the rest as text.

    A sub-heading whose line break was lost (``（一）基本情况今年，我区……``) ends where a
    heading word meets the start of a sentence (a year, 今年, 我区, 一是, 1. …).
    """
    head, sep, rest = text.partition("。")
    glued = _GLUED_HEADING.match(text) if len(head) > 25 else None
    if glued:
        return {"heading": glued.group(1).strip(), "text": text[glued.end(1):].strip()}
    if not sep and len(text) > 40:
        head, rest = text[:40], text[40:]
    return {"heading": head.strip(), "text": rest.strip()}


# --------------------------------------------------------------------------- tables


@dataclass(slots=True)
class _TableInfo:
    """A table of the source: a grid (its rows), or a paragraph holding a flattened table."""

    kind: str | None
    rows: list[Row]
    flat: Paragraph | None = None
    block: Table | None = None

    @property
    def loc(self) -> Location:
        source = self.flat if self.flat is not None else self.block
        return source.loc if source is not None else Location()


def _collect_tables(front: list[Paragraph | Table], segments: list[_Segment]) -> list[_TableInfo]:
    infos: list[_TableInfo] = []
    previous: str | None = None
    run: list[_TableInfo] = []  # the grids printed one after another (a converter splits one table into several)
    context = ""
    listed = 0  # row labels printed one after another before a grid (a converter detached them)
    for section, blocks, headed in [(None, front, True)] + [(s.name, s.blocks, s.heading is not None) for s in segments]:
        if headed:  # a part recognised by its table has no heading: the line above its grid is printed right above it
            context = ""
            listed = 0
        for block in blocks:
            if isinstance(block, Paragraph):
                if _LONE_NUMBER.match(block.text) and run and all(i.kind == "requests" for i in run):
                    _place_floated(run, TableCell(block.text.strip(), block.loc))
                    continue
                run = []
                flat = flat_table_kind(block.text)
                if flat:
                    infos.append(_TableInfo(flat, [], block))
                    previous = flat
                context = match_key(block.text) if len(block.text) <= 40 else ""
                listed = listed + 1 if context and is_row_label(context) else 0
                if listed > 1:
                    context = ""  # a list of labels: none of them belongs to the grid that follows
                continue
            kind = table_kind(block, section, previous)
            previous = kind
            listed = 0  # labels listed before an earlier grid are not listed before the next
            infos.append(_TableInfo(kind, [Row(list(r), context) for r in block.rows], block=block))
            run.append(infos[-1])
    return infos


def _place_floated(run: list[_TableInfo], number: TableCell) -> None:
    """A number printed alone after grids of table 三: put it back in the one row it can belong to."""
    rows = [row for info in run for row in info.rows]
    placed = place_floated(rows, number)
    if placed is rows:
        return
    at = 0
    for info in run:
        info.rows = placed[at:at + len(info.rows)]
        at += len(info.rows)


def _tables(tables: list[_TableInfo], paragraphs: list[str], doc: _Doc, year: int) -> tuple[str, dict]:
    """The table format and the three tables."""
    t2 = [t.rows for t in tables if t.kind == "proactive" and t.flat is None]
    t3 = [t.rows for t in tables if t.kind == "requests" and t.flat is None]
    t4 = [t.rows for t in tables if t.kind == "appeals" and t.flat is None]
    flat = {kind: [t.flat for t in tables if t.kind == kind and t.flat is not None]
            for kind in ("proactive", "requests", "appeals")}
    t3_format = t3_layout([r for rows in t3 for r in rows]) or _flat_format("requests", flat)
    fmt = _format(t2_layout(t2) or _flat_format("proactive", flat), t3_format, year)
    result: dict = {}
    proactive = extract_t2(t2, fmt, traditional=doc.traditional)
    requests = extract_t3(t3, t3_format or fmt, traditional=doc.traditional)
    appeals = extract_t4(t4, traditional=doc.traditional)
    for kind, extracted, layout in (("proactive", proactive, fmt), ("requests", requests, t3_format or fmt),
                                    ("appeals", appeals, fmt)):
        for paragraph in flat[kind]:
            _read_flat(paragraph, template(kind, layout), extracted, doc)
    _prune_other(requests, fmt)
    for kind, extracted in (("proactive", proactive), ("requests", requests), ("appeals", appeals)):
        _record_reading(kind, extracted, flat[kind], doc)
    note = balance_note(t3, paragraphs) if t3 or flat["requests"] else None
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


def _record_reading(kind: str, extracted: Extracted, flat: list[Paragraph], doc: _Doc) -> None:
    """Unread and derived cells of a table into the document's reading block, with one notice each."""
    root = f"/tables/{kind}"
    for pointer in extracted.derived:
        doc.reading.mark_derived(pointer)
    for pointer in extracted.unread:
        doc.reading.mark_unread(pointer)
    where = flat[0].loc if flat else None
    if extracted.derived:
        doc.notice("cells-derived", root, where, count=len(extracted.derived),
                   sample=extracted.printed.get(extracted.derived[0], ""))
    if extracted.unread:
        first = extracted.unread[0]
        printed = extracted.printed.get(first, "")
        columns = len({p for p in extracted.unread if p.rsplit("/", 1)[0] == first.rsplit("/", 1)[0]})
        digits = sum(ch.isdigit() for ch in printed)
        reason = "blank-position" if digits < columns else "run-together"
        doc.notice("table-unread", root, where, count=len(extracted.unread), reason=reason, sample=printed)


def _flat_format(kind: str, flat: dict[str, list[Paragraph]]) -> str | None:
    return next((found for p in flat[kind] if (found := flat_format(kind, p.text))), None)


def _read_flat(paragraph: Paragraph, tmpl: Template, extracted: Extracted, doc: _Doc) -> None:
    """Add the cells of a flattened table to ``extracted`` (cells already read from a grid win),
    marking cells derived by the table's arithmetic and cells that could not be read."""
    root = f"/tables/{tmpl.kind}"
    for row in read_flat_table(paragraph.text, tmpl):
        for column, cell in row.cells.items():
            path, col = _flat_cell(row.spec.path, column)
            pointer = f"{root}/{'/'.join(path)}/{col}"
            if pointer in extracted.locations or pointer in extracted.unread:
                continue
            if cell.state == "unread":
                extracted.unread.append(pointer)
                extracted.printed.setdefault(pointer, row.printed.replace("\ue000", "无"))
                continue
            node = extracted.values
            for part in path:
                node = node.setdefault(part, {})
            node[col] = doc.text(cell.value) if isinstance(cell.value, str) else cell.value
            extracted.locations[pointer] = paragraph.loc
            if cell.state == "derived":
                extracted.derived.append(pointer)
                extracted.printed.setdefault(pointer, row.printed.replace("\ue000", "无"))


def _flat_cell(path: tuple[str, ...], column: str) -> tuple[tuple[str, ...], str]:
    """(row path, column) of a flattened-table cell; table 四's one row names ``group.column``."""
    if path == ("appeals",):
        group, _, col = column.partition(".")
        return (group,), col
    return path, column


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
    """2019 trial format or 2021 format: table 二 decides, then table 三 when its （六） has the 2021 format's
    sub-rows, then the year.

    A single （六） row alone never makes a report of 2021 or later a trial-format one (GK-S-102 is about
    table 二's trial-format columns; the single row is GK-T3-002's, see rules/format-2021.yaml).
    """
    if t2:
        return t2
    if t3 == "2021":
        return t3
    return "2019" if year <= 2020 else "2021"


# --------------------------------------------------------------------------- blocks


def _paragraphs(front: list[Paragraph | Table], segments: list[_Segment]) -> list[Paragraph]:
    blocks = list(front) + [b for s in segments for b in [s.heading, *s.blocks]]
    return [b for b in blocks if isinstance(b, Paragraph)]
