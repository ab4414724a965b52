"""Human labels shared by the renderers (sections, agency kinds, locations)."""

from __future__ import annotations

from typing import Any

from checker.document import cell_by_pointer, field_title, label, pointer_to_path
from checker.formats import SECTION_IDS
from checker.ingest.layout import (
    ELLIPSIS,
    PAGE_LINE,
    PARAGRAPH,
    QUOTE_CHARS,
    SOURCE_LINE,
    quote_of,
)
from checker.messages import pick, term
from checker.model import Coverage, ReportResult, Score
from checker.render.names import severity_label as severity_label
from checker.scoring import WITHHELD, WITHHELD_REASON
from checker.verdict import undecided_reasons

SECTION_ORDER = ("meta", *SECTION_IDS)


def section_title(section: str, lang: str) -> str:
    """Heading under which a section's findings are listed."""
    if section == "meta":
        return pick(lang, "报告整体（标题、日期、基本信息）", "Whole report (title, dates, metadata)")
    return label("sections", section, lang)


#: The format's tables by the part that holds them (表二 is the table of part 二, not the file's second table).
TABLE_NAMES = {"proactive": ("表二", "Table 2"), "requests": ("表三", "Table 3"), "appeals": ("表四", "Table 4")}
#: The longest quote a location shows (a source map from a JSON file may hold any text).
_QUOTE_MAX = QUOTE_CHARS + len(ELLIPSIS)


def _shown_quote(quote: object) -> str:
    """A location's quote as shown: one line, at most :data:`QUOTE_CHARS` characters (cut with an ellipsis)."""
    if not isinstance(quote, str):
        return ""
    flat = " ".join(quote.split())
    return flat if len(flat) <= _QUOTE_MAX else quote_of(flat)


def _int(loc: dict[str, Any], key: str) -> int | None:
    value = loc.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def location_text(loc: dict[str, Any] | None, lang: str, verbose: bool = False) -> str:
    """Where in the original file, in words a person can find it by:

    * Word: "第 16 段（“2024年，本机关坚持……”）" (the paragraphs that hold text, counted from the top)
      or "第 2 个表格 第 5 行第 3 列";
    * PDF: "第 5 页（“三、收到和处理政府……”）" (the lines of a PDF page are not shown: no reader sees them);
    * HTML: "“三、收到和处理政府……”" (the quote; the source line only with ``verbose``);
    * text and Markdown: "第 12 行" or "第 12–15 行" (lines the editor numbers).

    A place of an earlier version (no ``unit``) reads as lines. ``verbose`` adds the lines a reader
    does not see (PDF lines on the page, HTML source lines). "" when nothing is known.
    """
    if not loc or not isinstance(loc, dict):
        return ""
    en = lang == "en"
    unit = loc.get("unit")
    line, end, page = _int(loc, "line"), _int(loc, "end_line"), _int(loc, "page")
    table, row, column = _int(loc, "table"), _int(loc, "row"), _int(loc, "column")
    parts: list[str] = []
    if page is not None:
        parts.append(f"page {page}" if en else f"第 {page} 页")
    span = f"{line}–{end}" if end and end != line and unit != PAGE_LINE else str(line)
    if line is not None and unit is None:  # lines of a text file: the editor numbers them
        parts.append(f"line {span}" if en else f"第 {span} 行")
    elif table is not None:
        where = f"table {table} of the file" if en else f"第 {table} 个表格"
        if row is not None:
            where += (f", row {row}" if en else f" 第 {row} 行") + (
                "" if column is None else (f", column {column}" if en else f"第 {column} 列"))
        parts.append(where)
    elif line is not None and unit == PARAGRAPH:
        parts.append(f"paragraph {span}" if en else f"第 {span} 段")
    if line is not None and verbose and unit in (PAGE_LINE, SOURCE_LINE):
        if unit == SOURCE_LINE:
            parts.append(f"source line {span}" if en else f"源代码第 {span} 行")
        else:
            parts.append(f"line {line}" if en else f"第 {line} 行")
    text = (", " if en else " ").join(parts)
    quote = _shown_quote(loc.get("quote")) if unit is not None and row is None else ""
    if quote:
        if en:
            text = f"{text} (“{quote}”)" if text else f"“{quote}”"
        else:
            text = f"{text}（“{quote}”）" if text else f"“{quote}”"
    return text


def field_text(pointer: str, lang: str) -> str:
    """The field a pointer names, for a person: "表三 · （一）予以公开 · 自然人", "一、总体情况 · 正文（不含表格）",
    "发布日期" ("" when unknown)."""
    if not pointer:
        return ""
    path = pointer_to_path(pointer)
    own = field_label(pointer, lang)
    if len(path) >= 3 and path[0] == "tables" and path[1] in TABLE_NAMES:
        name = pick(lang, *TABLE_NAMES[path[1]])
        if not own or own == ".".join(path[2:]):  # no label: the table alone
            return name
        return f"{name} · {' · '.join(p.strip() for p in own.split('·'))}"
    if len(path) >= 2 and path[0] == "sections" and path[1] in SECTION_IDS:
        part = label("sections", path[1], lang)
        return f"{part} · {own}" if own and len(path) > 2 else part
    return own or field_title(path, lang)


def place_text(pointer: str, location: dict[str, Any] | None, lang: str, verbose: bool = False, *,
               with_pointer: bool | None = None) -> str:
    """Where a finding (or a related place) is, in one line for a person: the place in the file and the
    field, e.g. "第 2 个表格 第 5 行第 3 列（表三 · （一）予以公开 · 自然人）" or
    "第 16 段（“2024年，本机关坚持……”）  一、总体情况 · 正文（不含表格）".

    With ``verbose`` the lines no reader sees (PDF, HTML source) are added, and the JSON Pointer
    (unless ``with_pointer`` is False: the HTML report sets it apart). The one wording of places
    shared by the text, HTML and Markdown reports, the annotated Word file and the audit's
    findings files.
    """
    where = location_text(location, lang, verbose)
    field = field_text(pointer, lang)
    if where and field and isinstance(location, dict) and _int(location, "row") is not None:
        if pointer.startswith("/tables/") and pointer not in cell_by_pointer():  # a row: not one column
            where = location_text({k: v for k, v in location.items() if k != "column"}, lang, verbose)
        text = pick(lang, f"{where}（{field}）", f"{where} ({field})")
    else:
        text = "  ".join(x for x in (where, field) if x)
    if (verbose if with_pointer is None else with_pointer) and pointer:
        text = f"{text}  {pointer}" if text else pointer
    return text


def field_label(pointer: str, lang: str) -> str:
    """What the pointed-at field is, e.g. "（七）总计·自然人" for a table cell."""
    cell = cell_by_pointer().get(pointer)
    if cell is not None:
        return pick(lang, cell.zh, cell.en)
    path = pointer_to_path(pointer)
    if len(path) >= 3 and path[0] == "tables":
        return label(path[1], ".".join(path[2:]), lang)
    return pick(lang, field_title(path), "")


def coverage_text(coverage: Coverage, lang: str) -> str:
    """"可判断的规则 28/55（51%）" (English: "Rules that could be judged: 28/55 (51%)")."""
    pct = coverage.percent()
    shown = f"{coverage.decided}/{coverage.applicable}" + ("" if pct is None else pick(lang, f"（{pct}%）", f" ({pct}%)"))
    return pick(lang, f"可判断的规则 {shown}", f"Rules that could be judged: {shown}")


def grade_text(score: Score, lang: str) -> tuple[str, str]:
    """(the grade, why it is capped or withheld, in brackets; "" when neither)."""
    grade = term("grade", score.grade, lang)
    if score.grade == WITHHELD:
        return grade, pick(lang, f"（{WITHHELD_REASON[0]}）", f" ({WITHHELD_REASON[1]})")
    if score.capped:
        return grade, pick(lang, "（有错误，最高评为良好）", " (capped: errors present)")
    return grade, ""


def verdict_text(result: ReportResult, failed: bool, lang: str) -> str:
    """"通过", "未通过", or "未通过（表格未能完整读取，无法判定）" when the report could not be read whole."""
    if not failed:
        return pick(lang, "通过", "PASSED")
    reasons = [r.get(lang) for r in undecided_reasons(result)]
    if not reasons:
        return pick(lang, "未通过", "FAILED")
    return pick(lang, f"未通过（{'；'.join(reasons)}）", f"FAILED ({'; '.join(reasons)})")
