"""Markdown (``--format markdown``) for a merge-request comment: score, grade, a table of findings.

Every value that comes from a report (agency, messages quoting the report, file names) is
escaped by :func:`md` (:func:`checker.render.safe.markdown_text`): control characters and
escape sequences removed, HTML special characters made entities and Markdown punctuation
backslashed, so a report cannot inject links, images or markup into the comment; the
whole document is then cleaned of any control character that got in otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.messages import term
from checker.model import CATEGORY_EN, Finding, ReportResult, Severity
from checker.render.configuration import configuration_lines
from checker.render.context import RenderContext
from checker.render.labels import coverage_text, grade_text, place_text, verdict_text
from checker.render.safe import markdown_text, terminal_text
from checker.render.summary import total_lines
from checker.render.unassessed import unassessed
from checker.scoring import WITHHELD

_MARK = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}


def md(text: object) -> str:
    """Escape a value for a Markdown table cell (one line, no markup, no HTML, no control character)."""
    return markdown_text(text)


def render_markdown(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as Markdown."""
    parts = [_report(r, ctx) for r in results]
    config = configuration_lines(ctx.ruleset, ctx.lang)  # the configuration, never silent
    if config:
        parts.insert(0, "\n".join(f"> {md(line)}  " for line in config))
    if ctx.notices:
        parts.append(_notices(ctx))
    parts += total_lines(results, ctx)
    return terminal_text("\n\n".join(parts) + "\n")


def _report(result: ReportResult, ctx: RenderContext) -> str:
    t, s = ctx.t, result.score
    failed = ctx.policy.report_failed(result)
    verdict = ("❌ " + md(verdict_text(result, True, ctx.lang))) if failed else t("✅ 通过", "✅ PASSED")
    who = md(result.agency or t("（未识别的机关）", "(unknown body)"))
    year = t(f"{result.year} 年度", f"year {result.year}") if result.year else ""
    overall = "—" if s.overall is None else f"{s.overall:.1f}"
    grade = "".join(grade_text(s, ctx.lang)) if s.grade == WITHHELD else grade_text(s, ctx.lang)[0]
    counts = {sev: sum(f.severity is sev and not f.waived for f in result.findings) for sev in Severity}
    waived = sum(bool(f.waived) for f in result.findings)
    cats = " · ".join(f"{c.category if ctx.lang != 'en' else CATEGORY_EN[c.category]} "
                      f"{'—' if c.score is None else f'{c.score:.1f}'}" for c in s.categories)
    lines = [f"### gkcheck：{who} {year} — {verdict}", "",
             t(f"**得分 {overall} / 100 · 等级 {grade}**", f"**Score {overall} / 100 · grade {grade}**")
             + t(f" · 错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.INFO]}"
                 f" · 已豁免 {waived}",
                 f" · errors {counts[Severity.ERROR]} · warnings {counts[Severity.WARNING]} · "
                 f"info {counts[Severity.INFO]} · waived {waived}"),
             "", md(coverage_text(s.coverage, ctx.lang)) + t(f" · 读取提示 {len(result.notices)}",
                                                            f" · reading notices {len(result.notices)}"),
             "", t("分类得分：", "By category: ") + cats]
    if result.source:
        lines += ["", t("文件：", "File: ") + md(result.source)]
    if result.notices:
        lines += ["", t("**读取提示**（未能读出的内容不扣分，相关检查记为“无法判断”）：",
                        "**Reading notices** (what could not be read costs no points; the checks that need it "
                        "are not assessable):"), ""]
        for n in result.notices:
            advice = n.advice.get(ctx.lang)
            lines.append(f"- ⚠️ {md(n.message.get(ctx.lang))}"
                         + (f"<br>{t('建议', 'What to do')}：{md(advice)}" if advice else ""))
    lines += ["", _table(result.findings, result.source, ctx) if result.findings
              else t("没有发现问题。", "No problems found.")]
    if ctx.show_unassessed:
        lines += _unassessed(result, ctx)
    return "\n".join(lines)


def _unassessed(result: ReportResult, ctx: RenderContext) -> list[str]:
    """The rules that could not be judged, with their reasons, folded (``--show-unassessed``)."""
    items = unassessed(result, ctx.ruleset, ctx.documents.get(result.source), ctx.lang)
    if not items:
        return []
    summary = ctx.t(f"无法判断的规则（{len(items)} 条，不计分）", f"Rules that could not be judged ({len(items)}, not scored)")
    return ["", f"<details><summary>{md(summary)}</summary>", "",
            *(f"- {md(u.rule.id)} {md(u.rule.title.get(ctx.lang))}：{md(u.reason)}" for u in items),
            "", "</details>"]


def _table(findings: Sequence[Finding], source: str, ctx: RenderContext) -> str:
    t = ctx.t
    rows = [t("| 严重程度 | 规则 | 问题 | 位置 | 依据 |", "| Severity | Rule | Problem | Where | Basis |"),
            "|---|---|---|---|---|"]
    for f in findings:
        rule = ctx.rule(f.rule_id)
        sev = term("severity", f.severity.value, ctx.lang)
        mark = "⚪ " + t("已豁免", "waived") if f.waived else f"{_MARK[f.severity]} {sev}"
        problem = md(f.message.get(ctx.lang))
        if f.waived:
            problem = f"~~{problem}~~<br>{t('豁免理由', 'Waiver')}：{md(f.waived)}"
        where = place_text(f.pointer, f.location, ctx.lang, ctx.verbose)
        rows.append(f"| {mark} | {md(f.rule_id)}<br>{md(rule.title.get(ctx.lang))} | {problem} | "
                    f"{md(where or '—')} | {md(ctx.basis(f))} |")
    return "\n".join(rows)


def _notices(ctx: RenderContext) -> str:
    name = md(ctx.config_file)
    lines = [ctx.t(f"#### 配置提示（{name}）", f"#### Configuration notices ({name})"), ""]
    lines += [f"- {md(f.rule_id)}：{md(f.message.get(ctx.lang))}" for f in ctx.notices]
    return "\n".join(lines)
