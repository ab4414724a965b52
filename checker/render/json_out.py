"""The machine-readable result (``--format json``), described by ``schemas/result.schema.json``.

The layout is versioned by ``result_version``; fields are only ever added within a major
version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checker import __version__
from checker.model import ReportResult
from checker.render.configuration import configuration_dict
from checker.render.context import RenderContext
from checker.render.safe import json_text
from checker.verdict import undecided_reasons

RESULT_VERSION = "1.5"

OUTCOME_KEYS = ("rule_id", "outcome", "checked", "failed", "not_assessable", "severity", "points", "reason")
"""The keys of one rule's outcome in the result JSON (``severity`` and ``points``: 1.4)."""


def result_to_dict(result: ReportResult, ctx: RenderContext) -> dict[str, Any]:
    """One report's result as a JSON-ready dict."""
    findings = []
    for f in result.findings:
        rule = ctx.rule(f.rule_id)
        d = f.to_dict(ctx.lang)
        d.update({"title": rule.title.get(ctx.lang), "basis": ctx.basis(f),
                  "fix": rule.doc.fix.get(ctx.lang), "unverified": rule.unverified})
        findings.append(d)
    out = result_head(result, ctx)
    out["outcomes"] = [dict(zip(OUTCOME_KEYS, (o.rule_id, o.outcome.value, o.checked, o.failed, o.not_assessable,
                                               o.severity.value, o.points, o.reason))) for o in result.outcomes]
    out["findings"] = findings
    return out


def result_head(result: ReportResult, ctx: RenderContext) -> dict[str, Any]:
    """The first part of :func:`result_to_dict`: source, report, passed, score, coverage and
    reading notices."""
    score = result.score
    coverage = score.coverage
    failed = ctx.policy.report_failed(result)
    fetched = {"fetched": result.fetched} if result.fetched else {}  # a report fetched from the web (1.5)
    return {
        "source": result.source,
        **fetched,
        "report": {"agency": result.agency, "kind": result.agency_kind, "level": result.agency_level,
                   "year": result.year, "format": result.format, "published": result.published},
        "passed": not failed,
        "verdict_reasons": [r.get(ctx.lang) for r in undecided_reasons(result)] if failed else [],
        "coverage": {"decided": coverage.decided, "applicable": coverage.applicable, "ratio": coverage.ratio},
        "notices": [n.to_dict(ctx.lang) for n in result.notices],
        "score": {
            "overall": score.overall, "grade": score.grade, "capped": score.capped,
            "earned": score.earned, "possible": score.possible,
            "counts": {"pass": score.passed, "fail": score.failed, "not_assessable": score.not_assessable,
                       "not_applicable": score.not_applicable, "waived": score.waived},
            "categories": [{"category": c.category, "score": c.score, "passed": c.passed, "failed": c.failed,
                            "not_assessable": c.not_assessable} for c in score.categories],
        },
    }


def results_document(results: Sequence[ReportResult], ctx: RenderContext) -> dict[str, Any]:
    """The whole JSON output for a run."""
    return {
        "result_version": RESULT_VERSION,
        "tool": {"name": "gkcheck", "version": __version__},
        "rulesets": dict(ctx.ruleset.versions),
        "policy": {"fail_on": ctx.policy.fail_on.value, "min_score": ctx.policy.min_score},
        "lang": ctx.lang,
        "configuration": configuration_dict(ctx.ruleset),  # what the configuration changed (1.2)
        "results": [result_to_dict(r, ctx) for r in results],
    }


def render_json(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """Serialize the run as pretty-printed JSON (UTF-8, Chinese kept readable, controls escaped)."""
    return json_text(results_document(results, ctx), indent=2) + "\n"
