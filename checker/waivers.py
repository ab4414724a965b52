"""Waivers: approved, expiring exceptions applied after the engine as a pure function.

A waiver names a rule (id or kebab name), the reports it covers (globs on the file path
and/or the agency name), a reason, an approver and an expiry date. :func:`apply_waivers`

* marks every finding of the waived rule in a covered report as waived (``Finding.waived``
  holds the reason): it stays in every output;
* turns that rule's outcome into ``waived`` and recomputes the score with
  :func:`checker.scoring.score`, so a waived rule leaves the denominator and never lowers
  the score;
* reports, on the covered report, an expired waiver (rule GK-W-001 ``waiver-expired``) and a
  waiver whose rule has no finding there (GK-W-002 ``waiver-unused``);
* returns, separately, run-level findings for waivers that cover no report checked in this
  run: GK-W-001 when expired, GK-W-002 otherwise. They point at the configuration file
  and never change the exit code (checking only some files is normal in a pre-commit hook).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from checker.engine import render
from checker.loader import RuleSet
from checker.model import Finding, Outcome, ReportResult, RuleOutcome, Score, Severity, Text
from checker.scoring import score

EXPIRED, UNUSED = "GK-W-001", "GK-W-002"


@dataclass(frozen=True, slots=True)
class Waiver:
    """One approved exception.

    Attributes:
        rule: the rule as written (id or kebab name).
        rule_id: the rule's id once resolved against the loaded rules ("" before).
        files: globs on the report path, relative to ``base`` (``*`` also matches ``/``).
        agencies: globs on the agency name.
        reason: why the finding is accepted.
        approver: who approved the exception.
        expires: the last day the waiver applies.
        origin: the file the waiver was written in, as shown to the user.
        line: its line in that file, when known.
        base: the directory that ``files`` are relative to.
    """

    rule: str
    files: tuple[str, ...]
    agencies: tuple[str, ...]
    reason: str
    approver: str
    expires: dt.date
    origin: str
    line: int | None = None
    base: Path = Path(".")
    rule_id: str = ""

    def covers(self, result: ReportResult) -> bool:
        """True when the report is within the waiver's scope (every given glob list matches)."""
        if not self.covers_path(result.source):
            return False
        return not self.agencies or any(fnmatch.fnmatchcase(result.agency, a) for a in self.agencies)

    def covers_path(self, source: str) -> bool:
        """True when a report at ``source`` is within the waiver's ``files`` globs (always when it has none)."""
        return not self.files or any(_path_matches(source, pattern, self.base) for pattern in self.files)

    def expired(self, today: dt.date) -> bool:
        """True when ``today`` is after the expiry date."""
        return today > self.expires

    @property
    def note(self) -> str:
        """The text stored in ``Finding.waived``: reason, approver and expiry."""
        return f"{self.reason}（{self.approver}，至 {self.expires.isoformat()}）"


def _path_matches(source: str, pattern: str, base: Path) -> bool:
    if not source:
        return False
    path = Path(source)
    candidates = {path.as_posix()}
    try:
        candidates.add(path.resolve().relative_to(base.resolve()).as_posix())
    except ValueError:
        pass
    return any(fnmatch.fnmatchcase(c, pattern) for c in candidates)


def apply_waivers(results: Sequence[ReportResult], waivers: Sequence[Waiver], today: dt.date,
                  ruleset: RuleSet) -> tuple[list[ReportResult], list[Finding]]:
    """Apply resolved waivers to checked results.

    Args:
        results: the engine's results.
        waivers: waivers with ``rule_id`` resolved; those whose rule is not in ``ruleset``
            (e.g. not selected) are left out.
        today: the date expiry is judged against.
        ruleset: the rules that were run (weights and categories for the score, and the
            GK-W rules' messages).

    Returns:
        The results with waivers applied, and the run-level findings about waivers that
        cover no report of this run.
    """
    active = [w for w in waivers if w.rule_id in ruleset.by_id]
    out = [_apply_to_report(r, [w for w in active if w.covers(r)], today, ruleset) for r in results]
    stray = [w for w in active if not any(w.covers(r) for r in results)]
    run_level = [f for w in stray if (f := _waiver_finding(w, today, ruleset, covered=False)) is not None]
    return out, run_level


def _apply_to_report(result: ReportResult, waivers: list[Waiver], today: dt.date, ruleset: RuleSet) -> ReportResult:
    if not waivers:
        return result
    live = {w.rule_id: w for w in waivers if not w.expired(today)}
    findings = [replace(f, waived=live[f.rule_id].note) if f.rule_id in live and not f.waived else f
                for f in result.findings]
    failing = {f.rule_id for f in result.findings}
    notes = [f for w in waivers if (w.expired(today) or w.rule_id not in failing)
             and (f := _waiver_finding(w, today, ruleset, covered=True)) is not None]
    judged = {EXPIRED, UNUSED} & set(ruleset.by_id)
    outcomes = []
    for o in result.outcomes:
        if o.rule_id in live and o.outcome is Outcome.FAIL:
            o = replace(o, outcome=Outcome.WAIVED)
        elif o.rule_id in judged:
            mine = sum(f.rule_id == o.rule_id for f in notes)
            o = RuleOutcome(o.rule_id, Outcome.FAIL if mine else Outcome.PASS, len(waivers), mine, 0)
        outcomes.append(o)
    all_findings = tuple(sorted([*findings, *notes], key=lambda f: (-f.severity.rank, f.rule_id)))
    return replace(result, outcomes=tuple(outcomes), findings=all_findings,
                   score=rescore(outcomes, all_findings, ruleset))


def rescore(outcomes: Sequence[RuleOutcome], findings: Sequence[Finding], ruleset: RuleSet) -> Score:
    """The score of one report from its outcomes, with the effective severity of failed rules.

    A failed rule counts with the severity of its findings (escalation included), any other
    rule with its own severity: the same inputs the engine scores with.
    """
    worst: dict[str, Severity] = {}
    for f in findings:
        if f.rule_id not in worst or f.severity.rank > worst[f.rule_id].rank:
            worst[f.rule_id] = f.severity
    rules = ruleset.by_id
    rows = []
    for o in outcomes:
        rule = rules[o.rule_id]
        sev = worst.get(o.rule_id, rule.severity) if o.outcome is Outcome.FAIL else rule.severity
        rows.append((rule.category, sev, rule.weight, o.outcome))
    return score(rows)


def _waiver_finding(w: Waiver, today: dt.date, ruleset: RuleSet, covered: bool) -> Finding | None:
    rule_id = EXPIRED if w.expired(today) else UNUSED
    rule = ruleset.by_id.get(rule_id)
    if rule is None:
        return None
    values: dict[str, Any] = {
        "config": w.origin, "line": w.line if w.line is not None else "?", "waiver_rule": w.rule_id,
        "approver": w.approver, "expires": w.expires.isoformat(),
        "scope": "" if covered else "（它不涉及本次检查的任何报告）",
        "scope_en": "" if covered else " (it covers no report checked in this run)",
        "unused": "在本报告中没有可豁免的问题" if covered else "不涉及本次检查的任何报告",
        "unused_en": "waives nothing in this report" if covered else "covers no report checked in this run",
    }
    message = Text(render(rule.message.zh, values, "zh"), render(rule.message.en, values, "en"))
    location = {"line": w.line} if w.line is not None and not covered else None
    return Finding(rule.id, rule.name, rule.severity, rule.category, message, "", "meta", location,
                   {k: v for k, v in values.items() if not k.endswith("_en")})
