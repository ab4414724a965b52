"""Waivers: approved, expiring exceptions applied after the engine as a pure function.

A waiver names a rule (id or kebab name), the reports it covers (globs on the file path
and/or the agency name), a reason, an approver and an expiry date. :func:`waive`, a step of
the pipeline (:mod:`checker.run`) between the engine and the score,

* marks every finding of the waived rule in a covered report as waived (``Finding.waived``
  holds the reason): it stays in every output;
* turns that rule's outcome into ``waived``, so that the score (computed once, after it)
  leaves the rule out of the denominator: a waiver never lowers the score;
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

from checker.engine import Evaluation, render
from checker.loader import RuleSet
from checker.model import Finding, Text
from checker.scoring import FAIL, PASS, WAIVED

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

    def covers(self, source: str, agency: str) -> bool:
        """True when the report at ``source`` of ``agency`` is within the waiver's scope (every given glob list matches)."""
        if not self.covers_path(source):
            return False
        return not self.agencies or any(fnmatch.fnmatchcase(agency, a) for a in self.agencies)

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


def waive(evaluation: Evaluation, reports: Sequence[tuple[str, str]], waivers: Sequence[Waiver], today: dt.date,
          ruleset: RuleSet) -> list[Finding]:
    """Apply resolved waivers to a fresh evaluation, in place, before it is scored.

    Args:
        evaluation: the engine's evaluation of the run (its arrays and finding lists are changed).
        reports: per row, (the report's source as shown, its agency name): what waivers' globs match.
        waivers: waivers with ``rule_id`` resolved; those whose rule is not in ``ruleset``
            (e.g. not selected) are left out.
        today: the date expiry is judged against.
        ruleset: the rules that were run (the GK-W rules' messages).

    Returns:
        The run-level findings about waivers that cover no report of this run.
    """
    active = [w for w in waivers if w.rule_id in ruleset.by_id]
    if not active:
        return []
    position = {rule.id: j for j, rule in enumerate(evaluation.rules)}
    judged = [(rule_id, position[rule_id]) for rule_id in (EXPIRED, UNUSED) if rule_id in position]
    used: set[int] = set()
    for r, (source, agency) in enumerate(reports):
        mine = [w for w in active if w.covers(source, agency)]
        if not mine:
            continue
        used.update(id(w) for w in mine)
        live = {w.rule_id: w for w in mine if not w.expired(today)}
        findings = evaluation.findings[r]
        failing = {f.rule_id for f in findings}
        notes = [f for w in mine if (w.expired(today) or w.rule_id not in failing)
                 and (f := _waiver_finding(w, today, ruleset, covered=True)) is not None]
        evaluation.findings[r] = [replace(f, waived=live[f.rule_id].note) if f.rule_id in live and not f.waived
                                  else f for f in findings] + notes
        for rule_id in live:
            j = position.get(rule_id)
            if j is not None and evaluation.codes[r, j] == FAIL:
                evaluation.codes[r, j] = WAIVED
        for rule_id, j in judged:  # decided for every report a waiver covers: one instance per waiver
            count = sum(f.rule_id == rule_id for f in notes)
            evaluation.codes[r, j] = FAIL if count else PASS
            evaluation.checked[r, j], evaluation.failed[r, j] = len(mine), count
            evaluation.not_assessable[r, j] = evaluation.reasons[r, j] = 0
    return _stray(active, used, today, ruleset)


def unused(reports: Sequence[tuple[str, str]], waivers: Sequence[Waiver], today: dt.date,
           ruleset: RuleSet) -> list[Finding]:
    """The run-level findings about the waivers (of rules in ``ruleset``) that cover none of ``reports``
    ((source, agency) pairs): GK-W-001 when expired, GK-W-002 otherwise. An audit, which waives chunk by chunk,
    asks this once for all its reports."""
    active = [w for w in waivers if w.rule_id in ruleset.by_id]
    used = {id(w) for w in active if any(w.covers(*r) for r in reports)}
    return _stray(active, used, today, ruleset)


def _stray(active: Sequence[Waiver], used: set[int], today: dt.date, ruleset: RuleSet) -> list[Finding]:
    """The run-level findings of the ``active`` waivers not among ``used`` (ids of waivers covering a report)."""
    return [f for w in active if id(w) not in used
            and (f := _waiver_finding(w, today, ruleset, covered=False)) is not None]


def notice_line(finding: Finding, config: str, lang: str) -> str:
    """A run-level waiver finding as one line on stderr: ``gkcheck.toml:12: GK-W-002 …`` (check and audit alike)."""
    at = (finding.location or {}).get("line")
    return f"{config}{f':{at}' if at else ''}: {finding.rule_id} {finding.message.get(lang)}"


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
