"""gkcheck: compliance checker for 政府信息公开工作年度报告.

Public API::

    from checker import check, check_many, frames, load_ruleset, ReportResult, Finding

    result = check("2024年报.docx")          # any report file (path or bytes) or a report document
    reports, outcomes, findings = frames([result])   # pandas DataFrames (also result.to_frames())

The names are imported on first use (the engine's dependencies take seconds to import), so
that ``python -m checker`` and the ``gkcheck`` command can answer Ctrl-C pressed while they
start with one line instead of a traceback (see :mod:`checker.__main__`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.api import apply_overrides, check, check_many, compiled_ruleset
    from checker.dataframes import Frames, frames
    from checker.loader import RuleSet, load_ruleset
    from checker.model import Finding, Outcome, ReportResult, Severity

__version__ = "0.2.0"

_EXPORTS = {"check": "checker.api", "check_many": "checker.api", "compiled_ruleset": "checker.api",
            "apply_overrides": "checker.api", "load_ruleset": "checker.loader", "RuleSet": "checker.loader",
            "Finding": "checker.model", "Outcome": "checker.model", "ReportResult": "checker.model",
            "Severity": "checker.model", "frames": "checker.dataframes", "Frames": "checker.dataframes"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'checker' has no attribute {name!r}")


__all__ = [
    "Finding",
    "Frames",
    "Outcome",
    "ReportResult",
    "RuleSet",
    "Severity",
    "__version__",
    "apply_overrides",
    "check",
    "check_many",
    "compiled_ruleset",
    "frames",
    "load_ruleset",
]
