"""Names of agency kinds, levels and severities (light: the rule catalogue imports it)."""

from __future__ import annotations

from checker.model import Severity

KIND_ZH = {"government": "人民政府", "department": "政府部门", "office": "政府办公厅（室）",
           "subdistrict": "街道办事处", "other": "其他机关"}
LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "市级", "county": "县级", "township": "乡级"}


def severity_label(severity: Severity, lang: str) -> str:
    """"错误/警告/提示", or the English value."""
    return severity.value if lang == "en" else severity.zh
