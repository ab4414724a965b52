"""gkcheck: compliance checker for 政府信息公开工作年度报告.

Public API::

    from checker import check, check_many, load_ruleset, ReportResult, Finding
"""

from checker.api import apply_overrides, check, check_many, compiled_ruleset
from checker.loader import RuleSet, load_ruleset
from checker.model import Finding, Outcome, ReportResult, Severity

__version__ = "0.1.0"

__all__ = ["check", "check_many", "compiled_ruleset", "apply_overrides", "load_ruleset", "RuleSet",
           "Finding", "Outcome", "ReportResult", "Severity", "__version__"]
