"""gkcheck: compliance checker for 政府信息公开工作年度报告.

Public API::

    from checker import check, check_many, frames, load_ruleset, ReportResult, Finding

    result = check("2024年报.docx")          # any report file (path or bytes) or a report document
    reports, outcomes, findings = frames([result])   # pandas DataFrames (also result.to_frames())
"""

from checker.api import apply_overrides, check, check_many, compiled_ruleset
from checker.dataframes import Frames, frames
from checker.loader import RuleSet, load_ruleset
from checker.model import Finding, Outcome, ReportResult, Severity

__version__ = "0.1.0"

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
