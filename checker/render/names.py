"""Names of agency kinds, levels and severities (light: the rule catalogue imports it)."""

from __future__ import annotations

from checker.messages import TERMS, term
from checker.model import Severity

KIND_ZH = {key: names[0] for key, names in TERMS["kind"].items()}
LEVEL_ZH = {key: names[0] for key, names in TERMS["level"].items()}


def severity_label(severity: Severity, lang: str) -> str:
    """"错误/警告/提示", or the English value."""
    return term("severity", severity.value, lang)
