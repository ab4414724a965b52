"""The officer's own Word file with every finding as a Word comment (批注).

``gkcheck check 报告.docx --annotate 报告-批注.docx`` and the download on ``gkcheck serve`` write
a copy of the checked .docx in which each finding is a comment anchored where it applies: the
paragraph of a sentence or part, the table cell of a number, and for a part that is missing the
heading of the part before it (where it should follow). A first comment, on the title, gives
the score, the verdict and the counts. Each finding's comment has its severity, rule and title,
the message, the field, how to fix it and the legal basis. The original file is never touched:
the copy is built in memory from the bytes and written atomically to another path.

Mapping a finding to the Word body uses the locations the Word reader recorded
(``checker.ingest.docx``): a paragraph's number counts the body's paragraphs that hold text, in
order (those in one-column frame tables included, those in data tables not), a cell has the number of the data
table and its row and column in the table's grid after merged cells are expanded. The body is
walked by the reader's own walker (:class:`_BodyMap` below extends it), so both count alike.
Findings without a location fall back on the document's ``source_map`` (the pointer or the
nearest enclosing field), then on the title.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from checker import fileio
from checker.document import cell_by_pointer, pointer_to_path
from checker.errors import InputError
from checker.formats import SECTION_IDS
from checker.ingest import docx as docx_reader
from checker.loader import RuleSet
from checker.messages import pick, say
from checker.model import Finding, ReportResult
from checker.render.labels import (
    coverage_text,
    grade_text,
    place_text,
    severity_label,
    verdict_text,
)
from checker.verdict import Policy

AUTHOR = "gkcheck"
INITIALS = "GK"
_W_P, _W_T = qn("w:p"), qn("w:t")
_W_TR, _W_TC = qn("w:tr"), qn("w:tc")
# Characters XML 1.0 does not allow (report text may carry them; a comment cannot).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Tables named after the part that holds them: a part's heading anchors a finding on its missing table.
_TABLES = frozenset({"proactive", "requests", "appeals"})


class _BodyMap(docx_reader._BodyReader):
    """The Word reader's body walk, remembering the element of each numbered paragraph and data table."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraph_at: dict[int, etree._Element] = {}
        self.table_at: dict[int, etree._Element] = {}
        self.first: etree._Element | None = None  # the body's first paragraph, with text or not

    def _paragraph(self, p: etree._Element) -> None:
        before = self.paragraphs
        super()._paragraph(p)
        if self.first is None:
            self.first = p
        if self.paragraphs != before:
            self.paragraph_at[self.paragraphs] = p

    def _table(self, tbl: etree._Element) -> None:
        before = self.tables
        super()._table(tbl)
        if self.tables != before:
            self.table_at[self.tables] = tbl




@dataclass
class _Anchors:
    """Where things are in the Word body: numbered paragraphs, data tables, and the document's source map."""

    body: _BodyMap
    source_map: dict[str, dict[str, int]]
    _cells: dict[int, list[docx_reader.PlacedCell]] = field(default_factory=dict)
    #: missing parts anchored on a neighbouring part's heading: True when that part comes before
    neighbour: dict[str, bool] = field(default_factory=dict)

    def paragraph(self, number: int) -> etree._Element | None:
        return self.body.paragraph_at.get(number)

    def cell(self, table: int, row: int | None, column: int | None) -> etree._Element | None:
        """The first paragraph of the cell at (row, column) of data table ``table`` (1-based; the row's first
        cell without a column, the table's first cell without a row)."""
        tbl = self.body.table_at.get(table)
        if tbl is None:
            return None
        if table not in self._cells:
            self._cells[table] = docx_reader.placed_cells(tbl)
        cells = self._cells[table]
        r = (row or 1) - 1
        hit = None
        for c in cells:
            if c.row <= r < c.row + c.rowspan and (column is None or c.col <= column - 1 < c.col + c.colspan):
                hit = c
                break
        if hit is None:
            return None
        paragraphs = hit.tc.findall(_W_P) or list(hit.tc.iter(_W_P))
        if not paragraphs:
            return None
        return next((p for p in paragraphs if _text(p).strip()), paragraphs[0])

    def at(self, loc: dict[str, int] | None) -> etree._Element | None:
        """The paragraph element for a location (a paragraph number, or a table cell/row)."""
        if not loc:
            return None
        if loc.get("table"):
            return self.cell(loc["table"], loc.get("row"), loc.get("column"))
        if loc.get("line"):
            return self.paragraph(loc["line"])
        return None

    def of_pointer(self, pointer: str) -> etree._Element | None:
        """The paragraph for a field without a location of its own: the source map of it or of the nearest
        enclosing field; a missing table → its part's heading; a missing part → the heading of the part
        before it (where it should follow), else of the part after it."""
        path = pointer_to_path(pointer)
        for n in range(len(path), 0, -1):
            found = self.at(self.source_map.get("/" + "/".join(path[:n])))
            if found is not None:
                return found
        if len(path) >= 2 and path[0] == "tables" and path[1] in _TABLES:
            return self.of_pointer(f"/sections/{path[1]}")
        if len(path) >= 2 and path[0] == "sections" and path[1] in SECTION_IDS:
            i = SECTION_IDS.index(path[1])
            for other in (*reversed(SECTION_IDS[:i]), *SECTION_IDS[i + 1:]):
                found = self.at(self.source_map.get(f"/sections/{other}"))
                if found is not None:
                    self.neighbour[pointer] = SECTION_IDS.index(other) < i
                    return found
        return None

    def title(self) -> etree._Element | None:
        """The title's paragraph, else the first paragraph with text, else the first paragraph."""
        found = self.at(self.source_map.get("/title"))
        if found is not None:
            return found
        numbered = [self.body.paragraph_at[n] for n in sorted(self.body.paragraph_at)]
        return numbered[0] if numbered else self.body.first

    def for_finding(self, f: Finding) -> etree._Element | None:
        """Where a finding's comment goes: its location (a row-level finding on the row's label), else
        the source map of its field, else the title."""
        loc = f.location
        if loc and loc.get("table") and loc.get("column", 0) > 1 and _is_row(f.pointer):
            loc = {**loc, "column": loc["column"] - 1}  # the label just left of the row's first value
        return _first(self.at(loc), lambda: self.of_pointer(f.pointer), self.title)


def _is_row(pointer: str) -> bool:
    """Whether a table pointer names a row (or group of rows) rather than one cell."""
    return pointer.startswith("/tables/") and pointer not in cell_by_pointer()


def _first(found: etree._Element | None, *fallbacks: Callable[[], etree._Element | None]) -> etree._Element | None:
    """``found``, else the first fallback that finds something (lxml elements without children are falsy:
    never chain them with ``or``)."""
    for fallback in fallbacks:
        if found is not None:
            return found
        found = fallback()
    return found


def _text(p: etree._Element) -> str:
    """The text of a ``w:p`` (its ``w:t`` elements)."""
    return "".join(t.text or "" for t in p.iter(_W_T))


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _runs(p: etree._Element, parent: Any) -> list[Any]:
    """The runs a comment spans: the paragraph's own runs, or one new empty run when it has none
    (an empty cell, or text only inside hyperlinks)."""
    paragraph = Paragraph(p, parent)  # type: ignore[arg-type]  # a w:p element is python-docx's CT_P; the stubs see lxml's class
    return list(paragraph.runs) or [paragraph.add_run()]


def summary_text(result: ReportResult, lang: str = "zh", policy: Policy | None = None) -> str:
    """The first comment: score, grade, verdict, coverage and counts."""
    policy = policy or Policy()
    s = result.score
    failed = policy.report_failed(result)
    counts = Counter("waived" if f.waived else f.severity.value for f in result.findings)
    overall = "—" if s.overall is None else f"{s.overall:.1f}"
    grade, why = grade_text(s, lang)
    waived = say("annotate.waived", lang, n=counts["waived"]) if counts["waived"] else ""
    lines = [say("annotate.score", lang, overall=overall, grade=grade, why=why,
                 verdict=verdict_text(result, failed, lang)),
             say("annotate.counts", lang, error=counts["error"], warning=counts["warning"], info=counts["info"],
                 waived=waived),
             say("annotate.coverage", lang, coverage=coverage_text(s.coverage, lang)),
             *([say("annotate.notices", lang, n=len(result.notices))] if result.notices else []),
             say("annotate.copy", lang)]
    return "\n".join(lines)


def finding_text(f: Finding, ruleset: RuleSet, lang: str = "zh", number: int | None = None) -> str:
    """One finding's comment: severity, rule and title; message; field; fix; basis."""
    rule = ruleset.by_id.get(f.rule_id)
    title = rule.title.get(lang) if rule else f.rule_name
    head = f"{number}. " if number is not None else ""
    sev = severity_label(f.severity, lang)
    lines = [pick(lang, f"{head}【{sev}】{f.rule_id} {title}", f"{head}[{sev}] {f.rule_id} {title}"),
             f.message.get(lang)]
    where = place_text(f.pointer, f.location, lang)
    if where:
        lines.append(pick(lang, "位置：", "Where: ") + where)
    if f.waived:
        lines.append(pick(lang, "已豁免：", "Waived: ") + f.waived)
    if rule is not None:
        lines.append(pick(lang, "如何修改：", "How to fix: ") + rule.doc.fix.get(lang))
        lines.append(pick(lang, "依据：", "Basis: ") + (f.basis or rule.basis).get(lang))
    return "\n".join(line.strip() for line in lines if line.strip())


def annotate_docx(data: bytes, result: ReportResult, document: dict[str, Any], ruleset: RuleSet,
                  lang: str = "zh", policy: Policy | None = None) -> bytes:
    """The bytes of a copy of the .docx ``data`` with a comment per finding of ``result``.

    Args:
        data: the checked Word file (unchanged: the copy is made in memory).
        result: its result.
        document: the report document read from it (its ``source_map`` places findings without a location).
        ruleset: the rules run (titles, fixes, bases).
        lang: the language of the comments.
        policy: the pass/fail policy of the verdict in the first comment.

    Raises:
        InputError: ``data`` is not a Word file that can be opened.
    """
    word = docx_reader.open_document(data)
    body = _BodyMap()
    body.read(word.element.body)
    source_map = document.get("source_map")
    places = {k: v for k, v in source_map.items() if isinstance(v, dict)} if isinstance(source_map, dict) else {}
    anchors = _Anchors(body, places)
    title = anchors.title()
    if title is None:
        raise InputError("该 Word 文件中没有可以添加批注的段落。", "The Word file has no paragraph to comment on.")

    def comment(p: etree._Element, text: str) -> None:
        word.add_comment(_runs(p, word), text=_xml_text(text), author=AUTHOR, initials=INITIALS)

    comment(title, summary_text(result, lang, policy))
    for n, f in enumerate(_ordered(result.findings), 1):
        text = finding_text(f, ruleset, lang, n)
        found = anchors.for_finding(f)
        place = found if found is not None else title
        if f.pointer in anchors.neighbour:
            before = anchors.neighbour[f.pointer]
            text += "\n" + (("(This comment is on the heading of the part it should follow.)" if before else
                             "(This comment is on the heading of the part it should come before.)") if lang == "en"
                            else ("（缺少的部分应排在本批注所在部分之后。）" if before else "（缺少的部分应排在本批注所在部分之前。）"))
        comment(place, text)
        for rel in f.related:
            pointer = str(rel.get("pointer", ""))
            also = _first(anchors.at(rel.get("location")), lambda p=pointer: anchors.of_pointer(p))  # type: ignore[misc]
            if also is not None:
                see = (f"See comment {n} ({f.rule_id}): this place is concerned too." if lang == "en"
                       else f"与第 {n} 条批注（{f.rule_id}）相关：此处也涉及该问题。")
                comment(also, see)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in the order of the report's parts (as the text and HTML reports list them)."""
    order = ("meta", *SECTION_IDS)
    return sorted(findings, key=lambda f: order.index(f.section) if f.section in order else 0)


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a Word (.docx) package."""
    from checker.ingest import sniff

    try:
        return sniff(data, ".docx") == "docx"
    except InputError:
        return False


def check_target(target: str | Path, source: str | Path) -> None:
    """Before checking: InputError when the annotated copy would be written over the checked file, or when
    the checked file is not a Word (.docx) file (a missing or unreadable one is left to the reader's message)."""
    if fileio.same_file(target, source) or Path(target).resolve() == Path(source).resolve():
        raise InputError(f"批注版 {target} 就是被检查的报告文件，为避免覆盖原文件，请换一个输出文件名。",
                         f"The annotated copy {target} is the checked file itself; choose another name.")
    from checker.ingest import read_bytes

    try:
        data = read_bytes(Path(source))
    except InputError:
        return
    if not is_docx(data):
        raise not_docx(Path(source).name)


def not_docx(name: str) -> InputError:
    """The error for ``--annotate`` on a file that is not a Word (.docx) file."""
    return InputError(f"只能为 Word（.docx）文件生成批注版：{name} 不是 .docx 文件。"
                      "PDF、网页和文本文件请查看检查报告（--format html）。",
                      f"An annotated copy can only be made of a Word (.docx) file; {name} is not one.")


def write_annotated(source: str | Path, target: str | Path, result: ReportResult, document: dict[str, Any],
                    ruleset: RuleSet, lang: str = "zh", policy: Policy | None = None) -> None:
    """Write the annotated copy of the Word file ``source`` to ``target`` (atomically; never over ``source``)."""
    check_target(target, source)
    data = Path(source).read_bytes()
    if not is_docx(data):
        raise not_docx(Path(source).name)
    fileio.write_atomic(target, annotate_docx(data, result, document, ruleset, lang, policy))
