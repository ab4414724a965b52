"""The terminal report (rich): who, score and grade, category scores, findings by section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from checker.messages import term
from checker.model import Finding, ReportResult, Severity
from checker.notices import title
from checker.render.configuration import configuration_lines
from checker.render.context import RenderContext
from checker.render.labels import (
    SECTION_ORDER,
    coverage_text,
    grade_text,
    place_text,
    section_title,
    severity_label,
    verdict_text,
)

# Every text built here is cleaned where report text enters it (see checker.render.safe).
from checker.render.safe import TerminalText as RichText
from checker.render.safe import guard_console
from checker.render.summary import total_lines
from checker.render.unassessed import unassessed
from checker.scoring import WITHHELD

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "ℹ"}
_REASON = {"unread": ("（未能读出）", " (not read)"), "derived": ("（拆分所得）", " (split cells)"),
           "scope": ("（正文数字属更大范围）", " (figures of a wider body)")}
_GRADE_STYLE = {"优秀": "bold green", "良好": "green", "合格": "yellow", "不合格": "bold red", "—": "dim",
                WITHHELD: "bold magenta"}


def render_text(results: Sequence[ReportResult], ctx: RenderContext) -> None:
    """Print every report to ``ctx.console``."""
    console: Console = guard_console(ctx.console)
    _configuration(console, ctx)
    for i, result in enumerate(results):
        if i:
            console.rule()
        _report(console, result, ctx)
    for line in total_lines(results, ctx):
        console.print("\n" + line)


def _configuration(console: Console, ctx: RenderContext) -> None:
    """The configuration of the run, when there is one (see checker.render.configuration)."""
    lines = configuration_lines(ctx.ruleset, ctx.lang)
    if not lines:
        return
    changed = ctx.ruleset.configuration.changes_rules
    console.print(Panel(RichText("\n".join(lines), style="yellow" if changed else ""),
                        title=ctx.t("配置", "Configuration"), title_align="left",
                        border_style="yellow" if changed else "dim"))


def _header(result: ReportResult, ctx: RenderContext) -> RichText:
    t = ctx.t
    who = result.agency or t("（未识别的机关）", "(unknown body)")
    bits = [t(f"{result.year} 年度", f"year {result.year}")]
    if result.format:
        bits.append(t(f"{result.format}年格式" if result.format == "2021" else "2019年试行格式",
                      f"{result.format} format"))
    if result.agency_kind:
        kind, level = term("kind", result.agency_kind, ctx.lang), term("level", result.agency_level, ctx.lang)
        bits.append(ctx.t(f"{kind}（{level}）", f"{kind} {level}") if level else kind)
    bits.append(t(f"发布 {result.published}", f"published {result.published}") if result.published
                else t("发布日期未知", "publication date unknown"))
    text = RichText()
    text.append(who, style="bold")
    text.append("  ·  " + "  ·  ".join(bits))
    if result.source:
        text.append("\n" + t("文件：", "File: ") + result.source, style="dim")
    return text


def _score_block(result: ReportResult, ctx: RenderContext) -> RichText:
    t, s = ctx.t, result.score
    counts: defaultdict[Severity, int] = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    text = RichText()
    overall = "—" if s.overall is None else f"{s.overall:.1f}"
    text.append(t("得分 ", "Score "), style="bold")
    text.append(f"{overall}", style=_GRADE_STYLE.get(s.grade, ""))
    text.append(" / 100   ")
    text.append(t("等级：", "Grade: "))
    text.append(term("grade", s.grade, ctx.lang), style=_GRADE_STYLE.get(s.grade, ""))
    if s.capped or s.grade == WITHHELD:
        text.append(grade_text(s, ctx.lang)[1], style="dim")
    failed = ctx.policy.report_failed(result)
    text.append("   ")
    text.append(verdict_text(result, failed, ctx.lang), style="bold red" if failed else "bold green")
    text.append("\n")
    text.append(coverage_text(s.coverage, ctx.lang), style="bold" if s.grade == WITHHELD else "")
    text.append("\n")
    text.append(t(f"错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.INFO]}",
                  f"errors {counts[Severity.ERROR]} · warnings {counts[Severity.WARNING]} · info {counts[Severity.INFO]}"))
    if result.notices:
        text.append(t(f" · 读取提示 {len(result.notices)}", f" · reading notices {len(result.notices)}"),
                    style="magenta")
    text.append(t(f"    规则：通过 {s.passed} · 未通过 {s.failed} · 无法判断 {s.not_assessable} · 不适用 {s.not_applicable}",
                  f"    rules: {s.passed} passed · {s.failed} failed · {s.not_assessable} not assessable · "
                  f"{s.not_applicable} not applicable"), style="dim")
    if s.waived:
        text.append(t(f" · 已豁免 {s.waived}", f" · {s.waived} waived"), style="dim")
    text.append("\n" + t("分类得分：", "By category: "))
    for c in s.categories:
        name = term("category", c.category, ctx.lang)
        value = "—" if c.score is None else f"{c.score:.1f}"
        text.append(f"{name} {value}   ")
    return text


def _notice_blocks(result: ReportResult, ctx: RenderContext) -> list[RichText]:
    """The reading notices: what could not be read, where, and what to do (before the findings)."""
    if not result.notices:
        return []
    t = ctx.t
    blocks = [RichText("\n" + t("读取提示（未能读出的内容不扣分，相关检查记为“无法判断”）",
                                "Reading notices (what could not be read costs no points; the checks "
                                "that need it are not assessable)"), style="bold underline magenta")]
    for n in result.notices:
        text = RichText("  ")
        head, message = title(n.code).get(ctx.lang), n.message.get(ctx.lang)
        if message.startswith(head):  # 文本可能不完整：…
            text.append("⚠ ", style="bold magenta")
            text.append(message)
        else:
            text.append("⚠ " + head, style="bold magenta")
            text.append("\n    " + message)
        where = place_text(n.target, n.location, ctx.lang, ctx.verbose)
        if where:
            text.append("\n    " + t("位置：", "Where: "), style="dim")
            text.append(where, style="dim")
        if n.advice.get(ctx.lang):
            text.append("\n    " + t("建议：", "What to do: "), style="green")
            text.append(n.advice.get(ctx.lang))
        blocks.append(text)
    return blocks


def _finding_block(f: Finding, ctx: RenderContext) -> RichText:
    rule = ctx.rule(f.rule_id)
    t = ctx.t
    text = RichText("  ")
    sev = severity_label(f.severity, ctx.lang)
    text.append(f"{_MARK[f.severity]} {sev} ", style=_STYLE[f.severity])
    text.append(f"{f.rule_id} ", style="bold")
    text.append(rule.title.get(ctx.lang), style="bold")
    if f.waived:
        text.append(t(f"  〔已豁免：{f.waived}〕", f"  [waived: {f.waived}]"), style="dim")
    text.append("\n    " + f.message.get(ctx.lang))
    where = place_text(f.pointer, f.location, ctx.lang, ctx.verbose)
    if where:
        text.append("\n    " + t("位置：", "Where: "), style="dim")
        text.append(where, style="dim")
    for rel in f.related:
        rel_where = place_text(str(rel.get("pointer", "")), rel.get("location"), ctx.lang, ctx.verbose)
        if rel_where:
            text.append("\n    " + t("另见：", "See also: "), style="dim")
            text.append(rel_where, style="dim")
    text.append("\n    " + t("依据：", "Basis: "), style="dim")
    text.append(ctx.basis(f), style="dim")
    text.append("\n    " + t("修改：", "Fix: "), style="green")
    text.append(rule.doc.fix.get(ctx.lang))
    return text


def _findings(result: ReportResult, ctx: RenderContext) -> list[RichText]:
    by_section: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_section[f.section if f.section in SECTION_ORDER else "meta"].append(f)
    blocks = []
    for section in SECTION_ORDER:
        items = by_section.get(section)
        if not items:
            continue
        blocks.append(RichText("\n" + section_title(section, ctx.lang), style="bold underline"))
        blocks.extend(_finding_block(f, ctx) for f in items)
    if not result.findings:
        blocks.append(RichText(ctx.t("\n没有发现问题。", "\nNo problems found."), style="green"))
    return blocks


def _unassessed(result: ReportResult, ctx: RenderContext) -> list[RichText]:
    """The rules that could not be judged, each with its reason (``--show-unassessed``); without the
    option, a line saying how to list them."""
    count = result.score.not_assessable
    if not count:
        return []
    t = ctx.t
    if not ctx.show_unassessed:
        return [RichText(t(f"\n另有 {count} 条规则无法判断（不计分）；加 --show-unassessed 可列出每条规则及原因。",
                           f"\n{count} rules could not be judged (not scored); add --show-unassessed to list them "
                           "with their reasons."), style="dim")]
    items = unassessed(result, ctx.ruleset, ctx.documents.get(result.source), ctx.lang)
    blocks = [RichText("\n" + t(f"无法判断的规则（{len(items)} 条，不计分）", f"Rules that could not be judged "
                                 f"({len(items)}, not scored)"), style="bold underline")]
    for item in items:
        text = RichText("  ")
        text.append("○ ", style="dim")
        text.append(f"{item.rule.id} ", style="bold")
        text.append(item.rule.title.get(ctx.lang))
        text.append("\n    " + t("原因：", "Why: "), style="dim")
        text.append(item.reason)
        blocks.append(text)
    return blocks


def _explain(result: ReportResult, ctx: RenderContext) -> Table:
    t = ctx.t
    table = Table(title=t("得分计算（得分 = 100 × 通过规则分值之和 ÷ 已判定规则分值之和）",
                          "How the score was computed (100 × points passed ÷ points decided)"),
                  show_lines=False, expand=False)
    for col in (t("规则", "Rule"), t("类别", "Category"), t("严重程度", "Severity"), t("权重", "Weight"),
                t("分值", "Points"), t("结果", "Outcome")):
        table.add_column(col)
    for o in result.outcomes:
        rule = ctx.rule(o.rule_id)
        severity, points = o.severity, o.points
        outcome = term("outcome", o.outcome.value, ctx.lang)
        if o.reason in _REASON:  # not assessable because of what could not be read
            outcome += ctx.t(*_REASON[o.reason])
        counted = o.outcome.value in ("pass", "fail")
        table.add_row(o.rule_id, term("category", rule.category, ctx.lang), term("severity", severity.value, ctx.lang),
                      str(rule.weight),
                      f"{points:g}" if counted else t("不计", "—"), outcome)
    s = result.score
    table.caption = t(f"通过 {s.earned:g} 分 ÷ 已判定 {s.possible:g} 分。严重程度系数：错误 3、警告 1、提示 0（提示不影响得分）；"
                      "无法判断、不适用和已豁免的规则不计入分母。等级：优秀 ≥ 90、良好 ≥ 75、合格 ≥ 60；有错误时最高为良好。"
                      f"{coverage_text(s.coverage, 'zh')}（已判定 = 通过、未通过或已豁免；适用 = 已判定或无法判断），"
                      "不足六成时不评等级（未评级）。读取提示不扣分，只使相关规则无法判断。",
                      f"{s.earned:g} points passed ÷ {s.possible:g} decided. Severity factors: error 3, warning 1, info 0; "
                      "not assessable, not applicable and waived rules leave the denominator. Grades: ≥90, ≥75, ≥60; "
                      f"a report with errors is at most 'Good'. {coverage_text(s.coverage, 'en')} (decided = passed, "
                      "failed or waived; applicable = decided or not assessable); below 60% no grade is given "
                      "('Not graded'). Reading notices cost no points: they only make rules not assessable.")
    return table


def _report(console: Console, result: ReportResult, ctx: RenderContext) -> None:
    console.print(Panel(Group(_header(result, ctx), RichText(""), _score_block(result, ctx)),
                        title=ctx.t("政府信息公开工作年度报告 合规检查", "Annual disclosure report compliance check"),
                        title_align="left", border_style="blue"))
    for block in [*_notice_blocks(result, ctx), *_findings(result, ctx), *_unassessed(result, ctx)]:
        console.print(block)
    if ctx.explain_score:
        console.print()
        console.print(_explain(result, ctx))
