"""SARIF 2.1.0 (``--format sarif``) for code-scanning tools such as GitHub code scanning.

One run: ``tool.driver.rules`` lists every rule that was run (help text with the legal
basis and the fix); every finding is a result located in the checked file — a line when it
is known (from the source map, or from the JSON Pointer in a JSON report), with the JSON
Pointer as a logical location and table/row/column/page in the properties. Waived findings
carry ``suppressions`` with the waiver's justification. Run-level notices about waivers
point at the configuration file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

from checker import __version__
from checker.model import Finding, ReportResult, Rule, Severity
from checker.render.context import RenderContext
from checker.render.labels import field_label, location_text
from checker.render.sources import artifact_uri, finding_line, place_line

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://pypi.org/project/gkcheck/"


def render_sarif(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as a SARIF 2.1.0 log (pretty-printed JSON)."""
    rules = list(ctx.ruleset.rules)
    index = {r.id: i for i, r in enumerate(rules)}
    sarif_results = [_result(f, r.source, index, ctx) for r in results for f in r.findings]
    sarif_results += [_result(f, ctx.config_file, index, ctx) for f in ctx.notices]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gkcheck", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI, "language": "en-US" if ctx.lang == "en" else "zh-CN",
                "rules": [_descriptor(r, ctx) for r in rules]}},
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
            "properties": {"reports": [_summary(r, ctx) for r in results],
                           "rulesets": dict(ctx.ruleset.versions)},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _descriptor(rule: Rule, ctx: RenderContext) -> dict[str, Any]:
    lang = ctx.lang
    basis_label, fix_label = ctx.t("依据", "Basis"), ctx.t("如何修改", "How to fix")
    what, why, fix = rule.doc.what.get(lang), rule.doc.why.get(lang), rule.doc.fix.get(lang)
    basis = rule.basis.get(lang)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": what},
        "help": {
            "text": f"{what}\n\n{why}\n\n{basis_label}：{basis}\n\n{fix_label}：{fix}",
            "markdown": f"{what}\n\n{why}\n\n**{basis_label}**：{basis}\n\n**{fix_label}**：{fix}",
        },
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"category": rule.category, "weight": rule.weight, "ruleset": rule.ruleset,
                       "basis": basis, "unverified": rule.unverified,
                       "tags": ["compliance", rule.ruleset, rule.category]},
    }


def _result(f: Finding, source: str, index: dict[str, int], ctx: RenderContext) -> dict[str, Any]:
    line = finding_line(f, source) or 1
    where = location_text(f.location, ctx.lang)
    properties: dict[str, Any] = {"pointer": f.pointer, "section": f.section, "severity": f.severity.value,
                                  "category": f.category}
    properties.update({k: v for k, v in (f.location or {}).items() if k in ("table", "row", "column", "page")})
    if where:
        properties["where"] = where
    label = field_label(f.pointer, ctx.lang) if f.pointer else ""
    logical = {"fullyQualifiedName": f.pointer or "/", "kind": "element"}
    if label:
        logical["name"] = label
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVEL[f.severity],
        "message": {"text": f.message.get(ctx.lang)},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(source)},
                                 "region": {"startLine": line}},
            "logicalLocations": [logical],
        }],
        "partialFingerprints": {"gkcheckFinding/v1": _fingerprint(f, source)},
        "properties": properties,
    }
    if f.related:
        result["relatedLocations"] = [_related(i, rel, source, ctx) for i, rel in enumerate(f.related, 1)]
    if f.waived:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived}]
    return result


def _related(i: int, rel: dict[str, Any], source: str, ctx: RenderContext) -> dict[str, Any]:
    loc = rel.get("location") or {}
    return {"id": i,
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(source)},
                                 "region": {"startLine": place_line(rel["pointer"], loc, source) or 1}},
            "message": {"text": " ".join(x for x in (location_text(loc, ctx.lang),
                                                     field_label(rel["pointer"], ctx.lang), rel["pointer"]) if x)}}


def _fingerprint(f: Finding, source: str) -> str:
    key = "\x1f".join((f.rule_id, source, f.pointer, json.dumps(f.values, sort_keys=True, ensure_ascii=False,
                                                                default=str)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _summary(result: ReportResult, ctx: RenderContext) -> dict[str, Any]:
    return {"source": result.source, "agency": result.agency, "year": result.year,
            "score": result.score.overall, "grade": result.score.grade,
            "passed": not ctx.policy.report_failed(result)}
