"""Results as pandas DataFrames, for notebooks: one row per report, per rule outcome, per finding.

::

    import checker
    results = [checker.check(p) for p in sorted(Path("reports").glob("*.docx"))]
    reports, outcomes, findings = checker.frames(results)
    findings.groupby("rule_id").size().sort_values()

The three frames share the ``source`` column (the path or name of each report), so they join
on it. Counts are nullable integers, scores floats (NaN when not scored).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from checker.model import CATEGORY_EN, ReportResult
from checker.verdict import Policy

if TYPE_CHECKING:
    import pandas as pd

    from checker.loader import RuleSet

_LOCATION_KEYS = ("line", "end_line", "page", "table", "row", "column")


class Frames(NamedTuple):
    """The DataFrames of some results: ``reports``, ``outcomes`` and ``findings``."""

    reports: pd.DataFrame
    outcomes: pd.DataFrame
    findings: pd.DataFrame


def frames(results: ReportResult | Iterable[ReportResult], ruleset: RuleSet | None = None, lang: str = "zh",
           policy: Policy | None = None) -> Frames:
    """The results as DataFrames.

    Args:
        results: one result or several (e.g. from :func:`checker.check` in a loop).
        ruleset: the rules that were run, for titles, fixes and bases (the bundled rules by default).
        lang: the language of messages and titles ("zh" or "en").
        policy: the pass/fail policy of the ``passed`` column (the CLI's default by default).

    Returns:
        ``reports`` (one row per report: metadata, score, grade, passed, coverage, counts and the
        category scores), ``outcomes`` (one row per report and rule) and ``findings`` (one row
        per finding, with the rule's title, fix and basis and the location in the file).
    """
    import pandas as pd

    from checker.api import compiled_ruleset
    from checker.render.labels import field_label, place_text

    items = [results] if isinstance(results, ReportResult) else list(results)
    rules = (ruleset or compiled_ruleset().ruleset).by_id
    policy = policy or Policy()
    reports, outcomes, findings = [], [], []
    for r in items:
        s = r.score
        counts = Counter("waived" if f.waived else f.severity.value for f in r.findings)
        row = {"source": r.source, "agency": r.agency, "year": r.year, "format": r.format,
               "agency_kind": r.agency_kind, "agency_level": r.agency_level, "published": r.published,
               "score": s.overall, "grade": s.grade, "passed": not policy.report_failed(r),
               "coverage": s.coverage.ratio, "rules_decided": s.coverage.decided,
               "rules_applicable": s.coverage.applicable, "errors": counts["error"], "warnings": counts["warning"],
               "infos": counts["info"], "waived": counts["waived"], "notices": len(r.notices),
               "rules_passed": s.passed, "rules_failed": s.failed, "rules_not_assessable": s.not_assessable,
               "rules_not_applicable": s.not_applicable}
        for c in s.categories:
            row[f"score_{CATEGORY_EN[c.category].lower()}"] = c.score
        reports.append(row)
        for o in r.outcomes:
            rule = rules.get(o.rule_id)
            outcomes.append({"source": r.source, "rule_id": o.rule_id, "rule_name": rule.name if rule else "",
                             "title": rule.title.get(lang) if rule else "", "category": rule.category if rule else "",
                             "outcome": o.outcome.value, "checked": o.checked, "failed": o.failed,
                             "not_assessable": o.not_assessable, "severity": o.severity.value, "points": o.points,
                             "reason": o.reason})
        for f in r.findings:
            rule = rules.get(f.rule_id)
            loc = f.location or {}
            findings.append({"source": r.source, "agency": r.agency, "year": r.year, "rule_id": f.rule_id,
                             "rule_name": f.rule_name, "severity": f.severity.value, "category": f.category,
                             "title": rule.title.get(lang) if rule else "", "message": f.message.get(lang),
                             "field": field_label(f.pointer, lang), "where": place_text(f.pointer, f.location, lang),
                             "pointer": f.pointer, "section": f.section,
                             **{key: loc.get(key) for key in _LOCATION_KEYS},
                             "fix": rule.doc.fix.get(lang) if rule else "", "basis": (f.basis or rule.basis).get(lang) if rule else "",
                             "waived": f.waived})
    report_columns = ["source", "agency", "year", "format", "agency_kind", "agency_level", "published", "score",
                      "grade", "passed", "coverage", "rules_decided", "rules_applicable", "errors", "warnings",
                      "infos", "waived", "notices", "rules_passed", "rules_failed", "rules_not_assessable",
                      "rules_not_applicable", *(f"score_{v.lower()}" for v in CATEGORY_EN.values())]
    outcome_columns = ["source", "rule_id", "rule_name", "title", "category", "outcome", "checked", "failed",
                       "not_assessable", "severity", "points", "reason"]
    finding_columns = ["source", "agency", "year", "rule_id", "rule_name", "severity", "category", "title",
                       "message", "field", "where", "pointer", "section", *_LOCATION_KEYS, "fix", "basis", "waived"]
    return Frames(_typed(pd.DataFrame(reports, columns=report_columns), ints=("year", "rules_decided",
                  "rules_applicable", "errors", "warnings", "infos", "waived", "notices", "rules_passed",
                  "rules_failed", "rules_not_assessable", "rules_not_applicable"),
                         floats=("score", "coverage", *(f"score_{v.lower()}" for v in CATEGORY_EN.values()))),
                  _typed(pd.DataFrame(outcomes, columns=outcome_columns),
                         ints=("checked", "failed", "not_assessable"), floats=("points",)),
                  _typed(pd.DataFrame(findings, columns=finding_columns), ints=("year", *_LOCATION_KEYS)))


def _typed(df: pd.DataFrame, ints: Iterable[str] = (), floats: Iterable[str] = ()) -> pd.DataFrame:
    """Counts as nullable integers (None stays missing), scores as floats."""
    for col in ints:
        df[col] = df[col].astype("Int64")
    for col in floats:
        df[col] = df[col].astype("float64")
    return df
