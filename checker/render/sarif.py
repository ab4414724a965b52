"""SARIF 2.1.0 (``--format sarif``) for code-scanning tools such as GitHub code scanning.

One run: ``tool.driver.rules`` lists every rule that was run (help text with the legal
basis and the fix); every finding is a result located in the checked file — a line when it
is known (from the source map, or from the JSON Pointer in a JSON report), with the JSON
Pointer as a logical location and table/row/column/page in the properties. Waived findings
carry ``suppressions`` with the waiver's justification. Run-level notices about waivers
point at the configuration file. The reading notices of each report (what could not be read
from it) are ``toolExecutionNotifications`` of the invocation, located in the report's file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from checker import __version__
from checker.messages import pick
from checker.model import Finding, ReadingNotice, ReportResult, Rule, Severity
from checker.render.configuration import configuration_dict, configuration_lines
from checker.render.context import RenderContext
from checker.render.labels import field_label, location_text
from checker.render.safe import json_text
from checker.render.sources import artifact_uri, finding_line, place_line
from checker.verdict import UNDECIDABLE, undecided_reasons

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
                "informationUri": INFORMATION_URI, "language": pick(ctx.lang, "zh-CN", "en-US"),
                "rules": [_descriptor(r, ctx) for r in rules]}},
            "invocations": [_invocation(results, ctx)],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
            "properties": {"reports": [_summary(r, ctx) for r in results],
                           "rulesets": dict(ctx.ruleset.versions),
                           "configuration": configuration_dict(ctx.ruleset)},
        }],
    }
    return json_text(log, indent=2) + "\n"


def _invocation(results: Sequence[ReportResult], ctx: RenderContext) -> dict[str, Any]:
    """The run's invocation, with each report's reading notices as tool execution notifications."""
    notes = [_notification(n, r.source, ctx) for r in results for n in r.notices]
    out: dict[str, Any] = {"executionSuccessful": True}
    if notes:
        out["toolExecutionNotifications"] = notes
    config = configuration_lines(ctx.ruleset, ctx.lang)  # the configuration, never silent
    if config:
        changed = ctx.ruleset.configuration.changes_rules
        out["toolConfigurationNotifications"] = [{"descriptor": {"id": "configuration"},
                                                  "level": "warning" if changed else "note",
                                                  "message": {"text": line}} for line in config]
    return out


def _notification(n: ReadingNotice, source: str, ctx: RenderContext) -> dict[str, Any]:
    """A reading notice as a SARIF notification located in the checked file."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(source)}}
    line = place_line(n.target, n.location, source) if n.target else (n.location or {}).get("line")
    if line:
        physical["region"] = {"startLine": int(line)}
    logical = {"fullyQualifiedName": n.target or "/", "kind": "element"}
    label = field_label(n.target, ctx.lang) if n.target else ""
    if label:
        logical["name"] = label
    properties: dict[str, Any] = {"code": n.code, "target": n.target, "advice": n.advice.get(ctx.lang),
                                  "source": source, "blocksVerdict": n.code in UNDECIDABLE}
    where = location_text(n.location, ctx.lang)
    if where:
        properties["where"] = where
    properties.update({k: v for k, v in (n.location or {}).items() if k in ("table", "row", "column", "page")})
    return {"descriptor": {"id": n.code},
            "level": "warning" if n.code in UNDECIDABLE else "note",
            "message": {"text": (pick(ctx.lang, "", " ")).join(
                x for x in (n.message.get(ctx.lang), n.advice.get(ctx.lang)) if x)},
            "locations": [{"physicalLocation": physical, "logicalLocations": [logical]}],
            "properties": properties}


def _descriptor(rule: Rule, ctx: RenderContext) -> dict[str, Any]:
    lang = ctx.lang
    basis_label, fix_label = ctx.t("依据", "Basis"), ctx.t("如何修改", "How to fix")
    what, why, fix = rule.doc.what.get(lang), rule.doc.why.get(lang), rule.doc.fix.get(lang)
    basis = rule.basis.get(lang)
    if rule.basis_2019 is not None:
        basis += ctx.t(f"（2019、2020年度报告：{rule.basis_2019.get(lang)}）",
                       f" (reports for 2019 and 2020: {rule.basis_2019.get(lang)})")
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
                       "basis": rule.basis.get(lang), "unverified": rule.unverified,
                       **({"basis_2019": rule.basis_2019.get(lang)} if rule.basis_2019 is not None else {}),
                       "tags": ["compliance", rule.ruleset, rule.category]},
    }


def _result(f: Finding, source: str, index: dict[str, int], ctx: RenderContext) -> dict[str, Any]:
    line = finding_line(f, source) or 1
    where = location_text(f.location, ctx.lang)
    properties: dict[str, Any] = {"pointer": f.pointer, "section": f.section, "severity": f.severity.value,
                                  "category": f.category, "basis": ctx.basis(f)}
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
    # surrogatepass: a lone surrogate (from a file name or a report) still gives a stable key
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _summary(result: ReportResult, ctx: RenderContext) -> dict[str, Any]:
    coverage = result.score.coverage
    failed = ctx.policy.report_failed(result)
    return {"source": result.source, "agency": result.agency, "year": result.year,
            "score": result.score.overall, "grade": result.score.grade,
            "passed": not failed,
            "verdictReasons": [r.get(ctx.lang) for r in undecided_reasons(result)] if failed else [],
            "coverage": {"decided": coverage.decided, "applicable": coverage.applicable, "ratio": coverage.ratio},
            "notices": len(result.notices)}
