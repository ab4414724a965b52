"""JUnit XML (``--format junit``) for CI test-report views (Jenkins, GitLab).

One ``testsuite`` per report and one ``testcase`` per rule: ``classname`` is the report file,
the name is the rule id, name and title. A failed rule is a ``failure`` carrying its messages;
a rule that is not assessable, not applicable or waived is ``skipped`` with the reason. A
report's coverage and reading notices are properties of its suite; the notices' wording and
advice are its ``system-out``.
Run-level notices (waivers that cover no checked report) form a suite of their own named
after the configuration file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence

from checker.model import Finding, Outcome, ReportResult
from checker.render.configuration import configuration_lines
from checker.render.context import RenderContext
from checker.render.labels import place_text
from checker.render.safe import xml_tree
from checker.verdict import undecided_reasons

_SKIP_ZH = {Outcome.NOT_ASSESSABLE: "无法判断：所需数据空白、不是数字或缺失",
            Outcome.NOT_APPLICABLE: "不适用于本报告", Outcome.WAIVED: "已豁免"}
_SKIP_EN = {Outcome.NOT_ASSESSABLE: "not assessable: an input is blank, non-numeric or missing",
            Outcome.NOT_APPLICABLE: "not applicable to this report", Outcome.WAIVED: "waived"}
# Reasons of not assessable outcomes other than blank or missing inputs.
_REASON_ZH = {"metadata": "无法判断：机关类型或层级未知",
              "unread": "无法判断：所需内容印在原文中，但未能读出（见读取提示）",
              "derived": "无法判断：所需单元格的数字在原文中连在一起，是按本条核对的勾稽关系拆分得出的"}
_REASON_EN = {"metadata": "not assessable: the agency's kind or level is unknown",
              "unread": "not assessable: an input is printed in the source but could not be read (see the reading notices)",
              "derived": "not assessable: an input cell was split from run-together digits by the very arithmetic this rule checks"}


def render_junit(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as a JUnit XML document."""
    root = ET.Element("testsuites", name="gkcheck")
    for result in results:
        root.append(_suite(result, ctx))
    if ctx.notices:
        root.append(_notice_suite(ctx))
    for key in ("tests", "failures", "skipped", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(xml_tree(root))  # no character XML 1.0 forbids, no escape sequence
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result: ReportResult, ctx: RenderContext) -> ET.Element:
    suite = ET.Element("testsuite", name=result.source or result.agency)
    props = ET.SubElement(suite, "properties")
    score = result.score
    failed = ctx.policy.report_failed(result)
    coverage = score.coverage
    pct = coverage.percent()
    for name, value in (("agency", result.agency), ("year", result.year), ("score", score.overall),
                        ("grade", score.grade), ("passed", not failed),
                        ("coverage", f"{coverage.decided}/{coverage.applicable}" + ("" if pct is None else f" ({pct}%)")),
                        ("notices", len(result.notices))):
        ET.SubElement(props, "property", name=name, value="" if value is None else str(value))
    for line in configuration_lines(ctx.ruleset, ctx.lang):  # the configuration, never silent
        ET.SubElement(props, "property", name="configuration", value=line)
    if failed:
        for why in undecided_reasons(result):
            ET.SubElement(props, "property", name="verdict_reason", value=why.get(ctx.lang))
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    for outcome in result.outcomes:
        rule = ctx.rule(outcome.rule_id)
        case = ET.SubElement(suite, "testcase", classname=result.source or result.agency,
                             name=f"{rule.id} {rule.name}：{rule.title.get(ctx.lang)}", time="0")
        counts["tests"] += 1
        findings = by_rule.get(rule.id, [])
        if outcome.outcome is Outcome.FAIL:
            counts["failures"] += 1
            failure = ET.SubElement(case, "failure", message=findings[0].message.get(ctx.lang) if findings else "",
                                    type=findings[0].severity.value if findings else rule.severity.value)
            failure.text = _details(findings, ctx)
        elif outcome.outcome is not Outcome.PASS:
            counts["skipped"] += 1
            reason = (_SKIP_EN if ctx.lang == "en" else _SKIP_ZH)[outcome.outcome]
            if outcome.outcome is Outcome.NOT_ASSESSABLE:
                reason = (_REASON_EN if ctx.lang == "en" else _REASON_ZH).get(outcome.reason, reason)
            waived = next((f.waived for f in findings if f.waived), None)
            skipped = ET.SubElement(case, "skipped", message=f"{reason}：{waived}" if waived else reason)
            if findings:
                skipped.text = _details(findings, ctx)
    blocking = undecided_reasons(result)
    if blocking:  # the report cannot pass: CI views show it as a failing case, not only as a property
        counts["tests"] += 1
        counts["failures"] += 1
        case = ET.SubElement(suite, "testcase", classname=result.source or result.agency,
                             name=ctx.t("读取：报告未能完整读取", "reading: the report could not be read whole"), time="0")
        failure = ET.SubElement(case, "failure", message="；".join(r.get(ctx.lang) for r in blocking)
                                if ctx.lang != "en" else "; ".join(r.get(ctx.lang) for r in blocking), type="reading")
        failure.text = "\n".join(f"- {n.message.get(ctx.lang)}" for n in result.notices
                                  if n.code in ("table-unread", "text-incomplete"))
    if result.notices:
        out = ET.SubElement(suite, "system-out")
        out.text = "\n".join([ctx.t("读取提示：", "Reading notices:")] + [
            f"- {n.message.get(ctx.lang)}" + (f"\n  {ctx.t('建议', 'What to do')}：{n.advice.get(ctx.lang)}"
                                              if n.advice.get(ctx.lang) else "") for n in result.notices])
    suite.set("tests", str(counts["tests"]))
    suite.set("failures", str(counts["failures"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("errors", "0")
    return suite


def _notice_suite(ctx: RenderContext) -> ET.Element:
    name = ctx.config_file or "gkcheck.toml"
    suite = ET.Element("testsuite", name=name, tests=str(len(ctx.notices)), failures=str(len(ctx.notices)),
                       skipped="0", errors="0")
    for f in ctx.notices:
        rule = ctx.rule(f.rule_id)
        case = ET.SubElement(suite, "testcase", classname=name,
                             name=f"{rule.id} {rule.name}：{rule.title.get(ctx.lang)}", time="0")
        failure = ET.SubElement(case, "failure", message=f.message.get(ctx.lang), type=f.severity.value)
        failure.text = f.message.get(ctx.lang)
    return suite


def _details(findings: list[Finding], ctx: RenderContext) -> str:
    lines = []
    for f in findings:
        where = place_text(f.pointer, f.location, ctx.lang, ctx.verbose)
        lines.append(f"- {f.message.get(ctx.lang)}" + (f"\n  {ctx.t('位置', 'Where')}：{where}" if where else ""))
        if f.waived:
            lines.append(f"  {ctx.t('已豁免', 'Waived')}：{f.waived}")
    if findings:
        rule = ctx.rule(findings[0].rule_id)
        lines.append(f"{ctx.t('依据', 'Basis')}：{rule.basis.get(ctx.lang)}")
        lines.append(f"{ctx.t('如何修改', 'How to fix')}：{rule.doc.fix.get(ctx.lang)}")
    return "\n".join(lines)
