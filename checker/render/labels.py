"""Human labels shared by the renderers (sections, agency kinds, locations)."""

from __future__ import annotations

from checker.document import SECTION_IDS, cell_by_pointer, field_title, label, pointer_to_path

KIND_ZH = {"government": "人民政府", "department": "政府部门", "office": "政府办公厅（室）",
           "subdistrict": "街道办事处", "other": "其他机关"}
LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "市级", "county": "县级", "township": "乡级"}
SECTION_ORDER = ("meta", *SECTION_IDS)


def section_title(section: str, lang: str) -> str:
    """Heading under which a section's findings are listed."""
    if section == "meta":
        return "Whole report (title, dates, metadata)" if lang == "en" else "报告整体（标题、日期、基本信息）"
    return label("sections", section, lang)


def location_text(loc: dict[str, int] | None, lang: str) -> str:
    """Where in the original file, e.g. "第 12 行" or "第 3 页 表 2 第 5 行第 3 列"."""
    if not loc:
        return ""
    parts = []
    if lang == "en":
        if "page" in loc:
            parts.append(f"page {loc['page']}")
        if "table" in loc:
            parts.append(f"table {loc['table']}")
        if "row" in loc:
            parts.append(f"row {loc['row']}")
        if "column" in loc:
            parts.append(f"column {loc['column']}")
        if "line" in loc:
            end = f"–{loc['end_line']}" if loc.get("end_line") and loc["end_line"] != loc["line"] else ""
            parts.append(f"line {loc['line']}{end}")
        return ", ".join(parts)
    if "page" in loc:
        parts.append(f"第 {loc['page']} 页")
    if "table" in loc:
        parts.append(f"表 {loc['table']}")
    if "row" in loc:
        parts.append(f"第 {loc['row']} 行")
    if "column" in loc:
        parts.append(f"第 {loc['column']} 列")
    if "line" in loc and "row" not in loc:
        end = f"–{loc['end_line']}" if loc.get("end_line") and loc["end_line"] != loc["line"] else ""
        parts.append(f"第 {loc['line']}{end} 行")
    return " ".join(parts)


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
