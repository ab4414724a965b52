"""JUnit XML (``--format junit``) for CI test-report views (Jenkins, GitLab).

One ``testsuite`` per report and one ``testcase`` per rule: ``classname`` is the report file,
the name is the rule id and title. The failures are exactly what makes the report fail
(``--fail-on``, ``--min-score``), so a test view and the exit code agree:

* a rule with a finding at or above ``--fail-on`` that is not waived is a ``failure``
  carrying its messages, basis and fix;
* a rule whose findings are all below ``--fail-on`` (warnings and info under the default
  ``--fail-on error``) is a passed test; its findings are in the case's ``system-out``;
* a rule that is not assessable, not applicable or waived is ``skipped`` with the reason;
* a report that could not be read whole (or on which no rule could be decided) has a failing
  case ``读取：报告未能完整读取``; with ``--min-score``, a case ``得分：不低于 N`` fails when the
  score is lower.

A report's coverage and reading notices are properties of its suite; the notices' wording and
advice are its ``system-out``. Run-level notices (waivers that cover no checked report) form a
suite of their own named after the configuration file: passed cases with the notice in
``system-out``, as they never change the exit code.

The document follows the Jenkins JUnit schema (``junit-10.xsd`` of the xUnit plugin, which
Jenkins' JUnit plugin also reads): ``testsuites`` has only ``name``, ``tests``, ``failures``,
``errors`` and ``time`` (no ``skipped``); every ``testsuite`` has ``name``, ``tests``,
``failures`` and ``errors``; ``tests/outputs/test_junit_schema.py`` validates the output
against a copy of its constraints.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

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
              "derived": "无法判断：所需单元格的数字在原文中连在一起，是按本条核对的勾稽关系拆分得出的",
              "scope": "无法判断：正文的数字说的是全市、全县、各级或所属单位等更大范围（或范围不明），不与本机关的表格比较"}
_REASON_EN = {"metadata": "not assessable: the agency's kind or level is unknown",
              "unread": "not assessable: an input is printed in the source but could not be read (see the reading notices)",
              "derived": "not assessable: an input cell was split from run-together digits by the very arithmetic this rule checks",
              "scope": "not assessable: the narrative's figures are of a wider body (the whole city or county, all levels, units under it) or of an unclear one, and are not compared with this body's tables"}


def render_junit(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as a JUnit XML document."""
    root = ET.Element("testsuites", name="gkcheck")
    for result in results:
        root.append(_suite(result, ctx))
    if ctx.notices:
        root.append(_notice_suite(ctx))
    for key in ("tests", "failures", "errors"):  # no "skipped": the Jenkins schema has none on the root
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    root.set("time", "0")
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
    fail_on = ctx.policy.fail_on.rank
    for outcome in result.outcomes:
        rule = ctx.rule(outcome.rule_id)
        case = ET.SubElement(suite, "testcase", classname=result.source or result.agency,
                             name=f"{rule.id} {rule.title.get(ctx.lang)}", time="0")
        counts["tests"] += 1
        findings = by_rule.get(rule.id, [])
        failing = [f for f in findings if not f.waived and f.severity.rank >= fail_on]
        below = [f for f in findings if not f.waived and f.severity.rank < fail_on]
        if outcome.outcome is Outcome.FAIL and failing:
            counts["failures"] += 1
            failure = ET.SubElement(case, "failure", message=failing[0].message.get(ctx.lang),
                                    type=failing[0].severity.value)
            failure.text = _details(findings, ctx)
        elif outcome.outcome is Outcome.FAIL and below:  # findings below --fail-on: a passed test, findings shown
            out = ET.SubElement(case, "system-out")
            out.text = ctx.t(f"低于 --fail-on {ctx.policy.fail_on.value} 的问题，不计为失败：",
                             f"Findings below --fail-on {ctx.policy.fail_on.value}, not failures:") + "\n" + _details(
                findings, ctx)
        elif outcome.outcome is not Outcome.PASS:
            counts["skipped"] += 1
            # a failed rule whose findings are all waived is skipped as waived
            reason = (_SKIP_EN if ctx.lang == "en" else _SKIP_ZH).get(outcome.outcome, ctx.t("已豁免", "waived"))
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
    min_score = ctx.policy.min_score
    if min_score is not None:  # --min-score fails a report too: a case of its own
        counts["tests"] += 1
        case = ET.SubElement(suite, "testcase", classname=result.source or result.agency,
                             name=ctx.t(f"得分：不低于 {min_score:g}", f"score: at least {min_score:g}"), time="0")
        overall = score.overall
        if overall is not None and overall < min_score:
            counts["failures"] += 1
            ET.SubElement(case, "failure", type="score", message=ctx.t(
                f"得分 {overall:.1f}，低于 --min-score {min_score:g}", f"Score {overall:.1f} is below --min-score {min_score:g}"))
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
    # These notices never change the exit code (a pre-commit run checks only some reports):
    # passed cases, their message in system-out.
    suite = ET.Element("testsuite", name=name, tests=str(len(ctx.notices)), failures="0", skipped="0", errors="0")
    for f in ctx.notices:
        rule = ctx.rule(f.rule_id)
        case = ET.SubElement(suite, "testcase", classname=name, name=f"{rule.id} {rule.title.get(ctx.lang)}", time="0")
        out = ET.SubElement(case, "system-out")
        out.text = f"{f.severity.value}: {f.message.get(ctx.lang)}"
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
        lines.append(f"{ctx.t('依据', 'Basis')}：{ctx.basis(findings[0])}")
        lines.append(f"{ctx.t('如何修改', 'How to fix')}：{rule.doc.fix.get(ctx.lang)}")
    return "\n".join(lines)
