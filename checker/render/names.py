"""Names of severities (light: the rule catalogue imports it; the words are :mod:`checker.messages`')."""

from __future__ import annotations

from checker.messages import term
from checker.model import Severity


def severity_label(severity: Severity, lang: str) -> str:
    """"错误/警告/提示", or the English value."""
    return term("severity", severity.value, lang)
