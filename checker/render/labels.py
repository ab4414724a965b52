"""Human labels shared by the renderers (sections, agency kinds, locations)."""

from __future__ import annotations

from checker.document import SECTION_IDS, cell_by_pointer, field_title, label, pointer_to_path
from checker.model import Coverage, ReportResult, Score, Severity
from checker.scoring import GRADE_EN, WITHHELD, WITHHELD_REASON
from checker.verdict import undecided_reasons

KIND_ZH = {"government": "人民政府", "department": "政府部门", "office": "政府办公厅（室）",
           "subdistrict": "街道办事处", "other": "其他机关"}
LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "市级", "county": "县级", "township": "乡级"}
SECTION_ORDER = ("meta", *SECTION_IDS)


def severity_label(severity: Severity, lang: str) -> str:
    """"错误/警告/提示", or the English value."""
    return severity.value if lang == "en" else severity.zh


def section_title(section: str, lang: str) -> str:
    """Heading under which a section's findings are listed."""
    if section == "meta":
        return "Whole report (title, dates, metadata)" if lang == "en" else "报告整体（标题、日期、基本信息）"
    return label("sections", section, lang)


_LOCATION_WORDS = {
    "zh": {"page": "第 {} 页", "table": "表 {}", "row": "第 {} 行", "column": "第 {} 列", "line": "第 {} 行"},
    "en": {"page": "page {}", "table": "table {}", "row": "row {}", "column": "column {}", "line": "line {}"},
}


def location_text(loc: dict[str, int] | None, lang: str) -> str:
    """Where in the original file, e.g. "第 12 行" or "第 3 页 表 2 第 5 行第 3 列"."""
    if not loc:
        return ""
    words = _LOCATION_WORDS["en" if lang == "en" else "zh"]
    parts = [words[key].format(loc[key]) for key in ("page", "table", "row", "column") if key in loc]
    if "line" in loc and "row" not in loc:
        end = loc.get("end_line")
        span = f"{loc['line']}–{end}" if end and end != loc["line"] else str(loc["line"])
        parts.append(words["line"].format(span))
    return (", " if lang == "en" else " ").join(parts)


def field_label(pointer: str, lang: str) -> str:
    """What the pointed-at field is, e.g. "（七）总计·自然人" for a table cell."""
    cell = cell_by_pointer().get(pointer)
    if cell is not None:
        return cell.en if lang == "en" else cell.zh
    path = pointer_to_path(pointer)
    if len(path) >= 3 and path[0] == "tables":
        return label(path[1], ".".join(path[2:]), lang)
    if lang == "en":
        return ""
    return field_title(path)


def coverage_text(coverage: Coverage, lang: str) -> str:
    """"可判断的规则 28/55（51%）" (English: "Rules that could be judged: 28/55 (51%)")."""
    pct = coverage.percent()
    shown = f"{coverage.decided}/{coverage.applicable}" + ("" if pct is None else
                                                           (f" ({pct}%)" if lang == "en" else f"（{pct}%）"))
    return f"Rules that could be judged: {shown}" if lang == "en" else f"可判断的规则 {shown}"


def grade_text(score: Score, lang: str) -> tuple[str, str]:
    """(the grade, why it is capped or withheld, in brackets; "" when neither)."""
    grade = GRADE_EN.get(score.grade, score.grade) if lang == "en" else score.grade
    if score.grade == WITHHELD:
        return grade, f" ({WITHHELD_REASON[1]})" if lang == "en" else f"（{WITHHELD_REASON[0]}）"
    if score.capped:
        return grade, " (capped: errors present)" if lang == "en" else "（有错误，最高评为良好）"
    return grade, ""


def verdict_text(result: ReportResult, failed: bool, lang: str) -> str:
    """"通过", "未通过", or "未通过（表格未能完整读取，无法判定）" when the report could not be read whole."""
    if not failed:
        return "PASSED" if lang == "en" else "通过"
    reasons = [r.get(lang) for r in undecided_reasons(result)]
    if not reasons:
        return "FAILED" if lang == "en" else "未通过"
    return f"FAILED ({'; '.join(reasons)})" if lang == "en" else f"未通过（{'；'.join(reasons)}）"
