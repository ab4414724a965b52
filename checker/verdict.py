"""The pass/fail verdict of a run: the exit-code contract, independent of any renderer.

Exit codes: 0 passed; 1 a finding at or above ``fail_on`` (not waived), or a score below
``min_score``; 2 usage, input or rule-set error (raised before a verdict exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from checker.model import ReportResult, Severity

PASSED, FAILED, ERROR = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Policy:
    """When a report counts as failed."""

    fail_on: Severity = Severity.ERROR
    min_score: float | None = None

    def report_failed(self, result: ReportResult) -> bool:
        """True when this report fails the policy."""
        if any(f.severity.rank >= self.fail_on.rank and not f.waived for f in result.findings):
            return True
        overall = result.score.overall
        return self.min_score is not None and overall is not None and overall < self.min_score

    def exit_code(self, results: Sequence[ReportResult]) -> int:
        """0 when every report passes, else 1."""
        return FAILED if any(self.report_failed(r) for r in results) else PASSED
