"""Human labels shared by the renderers (sections, agency kinds, locations)."""

from __future__ import annotations

from checker.document import SECTION_IDS, cell_by_pointer, field_title, label, pointer_to_path
from checker.model import Severity

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
