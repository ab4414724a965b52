"""The pass/fail verdict of a run: the exit-code contract, independent of any renderer.

Exit codes: 0 passed; 1 a finding at or above ``fail_on`` (not waived), or a score below
``min_score``, or a report that could not be read whole (a table printed in the source but
not read, or a text that seems cut off: such a report never passes, whatever its findings),
or one on which no rule could be decided (a configuration that leaves nothing applicable);
2 usage, input or rule-set error (raised before a verdict exists).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checker.model import ReportResult, Severity, Text

PASSED, FAILED, ERROR = 0, 1, 2

UNDECIDABLE = {
    "text-incomplete": Text("文本可能不完整，无法判定", "the text may be incomplete: no verdict is possible"),
    "table-unread": Text("表格未能完整读取，无法判定", "a table could not be read completely: no verdict is possible"),
}
"""Reading notices that keep a report from passing, and the reason the verdict gives."""

NOTHING_DECIDED = Text("没有一条规则能够判断，无法判定", "no rule could be decided: no verdict is possible")
"""The reason a report with rules applicable but none decided (all not assessable) cannot pass."""


def undecided_reasons(result: ReportResult) -> list[Text]:
    """Why the report cannot pass: what could not be read (text first), or no rule decided at all."""
    codes = {n.code for n in result.notices}
    reasons = [reason for code, reason in UNDECIDABLE.items() if code in codes]
    if result.coverage.decided == 0:
        reasons.append(NOTHING_DECIDED)
    return reasons


@dataclass(frozen=True, slots=True)
class Policy:
    """When a report counts as failed."""

    fail_on: Severity = Severity.ERROR
    min_score: float | None = None

    def report_failed(self, result: ReportResult) -> bool:
        """True when this report fails the policy (or could not be read whole)."""
        if any(f.severity.rank >= self.fail_on.rank and not f.waived for f in result.findings):
            return True
        if undecided_reasons(result):
            return True
        overall = result.score.overall
        return self.min_score is not None and overall is not None and overall < self.min_score

    def exit_code(self, results: Sequence[ReportResult]) -> int:
        """0 when every report passes, else 1."""
        return FAILED if any(self.report_failed(r) for r in results) else PASSED
