"""One line per report for ``gkcheck check -q``: who, score, grade, verdict and counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from checker.model import ReportResult
from checker.render.context import RenderContext
from checker.render.labels import grade_text, verdict_text
from checker.render.safe import terminal_text


def summary_line(result: ReportResult, ctx: RenderContext) -> str:
    """E.g. "青禾县市场监督管理局 2024 年度：得分 63.0 / 100，合格，未通过（错误 6、警告 1、提示 0）"."""
    t, s = ctx.t, result.score
    counts = Counter(f.severity.value for f in result.findings if not f.waived)
    who = terminal_text(result.agency or result.source or t("（未识别的机关）", "(unknown body)"))
    year = t(f" {result.year} 年度", f" {result.year}") if result.year else ""
    overall = "—" if s.overall is None else f"{s.overall:.1f}"
    grade, _ = grade_text(s, ctx.lang)
    verdict = verdict_text(result, ctx.policy.report_failed(result), ctx.lang)
    return t(f"{who}{year}：得分 {overall} / 100，{grade}，{verdict}"
             f"（错误 {counts['error']}、警告 {counts['warning']}、提示 {counts['info']}）",
             f"{who}{year}: score {overall} / 100, {grade}, {verdict} "
             f"({counts['error']} errors, {counts['warning']} warnings, {counts['info']} info)")


def summary_lines(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The summary line of every report, then the total when there are several."""
    lines = [summary_line(r, ctx) for r in results]
    lines += total_lines(results, ctx)
    return "\n".join(lines) + "\n"


def total_lines(results: Sequence[ReportResult], ctx: RenderContext) -> list[str]:
    """"共检查 N 份报告，M 份未通过。" when the run checked several reports (none for one)."""
    if len(results) <= 1:
        return []
    failed = sum(ctx.policy.report_failed(r) for r in results)
    return [ctx.t(f"共检查 {len(results)} 份报告，{failed} 份未通过。", f"Checked {len(results)} reports; {failed} failed.")]
