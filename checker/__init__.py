"""gkcheck: compliance checker for 政府信息公开工作年度报告.

Public API::

    from checker import check, check_many, load_ruleset, ReportResult, Finding

The API is imported on first use, so that ``python -m checker`` (and the ``gkcheck``
command) can set up clean handling of Ctrl-C before the heavy imports begin.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "Outcome",
    "ReportResult",
    "RuleSet",
    "Severity",
    "__version__",
    "apply_overrides",
    "check",
    "check_many",
    "compiled_ruleset",
    "load_ruleset",
]

_HOME = {"check": "checker.api", "check_many": "checker.api", "compiled_ruleset": "checker.api",
         "apply_overrides": "checker.api", "load_ruleset": "checker.loader", "RuleSet": "checker.loader",
         "Finding": "checker.model", "Outcome": "checker.model", "ReportResult": "checker.model",
         "Severity": "checker.model"}

if TYPE_CHECKING:
    from checker.api import apply_overrides, check, check_many, compiled_ruleset
    from checker.loader import RuleSet, load_ruleset
    from checker.model import Finding, Outcome, ReportResult, Severity


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
