"""One line per finding (``--format concise``), as linters print them, for hooks and CI logs.

Each finding is ``path:line:column: RULE severity message``, e.g.::

    reports/2024年报.json:88:1: GK-T3-010 error 第三部分表格……

* ``line`` is the line of the finding in the checked file: from ingest's source map for text,
  Markdown, HTML, Word and PDF reports (for Word, the paragraph; for PDF, the text line), from
  the JSON Pointer for JSON reports (the line of the value); 1 when no line is known. gkcheck
  places findings on lines, not characters: the column is always 1. Where the source map
  knows a page or a table cell, the message ends with it (``（第 2 页 第 2 个表格 第 7 行第 4 列）``).
* ``severity`` is the effective severity, ``error``, ``warning`` or ``info`` in both languages
  (for problem matchers); the message is in ``--lang``. A waived finding ends with its waiver.
* A reading notice that keeps the report from passing (a table not read, a text cut off) is
  a line too, with its code (``table-unread``, ``text-incomplete``) in place of a rule.
* After its lines, each report has a summary line: ``path: 机关 年度：得分 …，通过/未通过（…）``;
  with several reports a last line counts them.

Every value from a report or a file name is :func:`~checker.render.safe.line_text`: no
escape sequence, control character or line break can start a line that seems to be a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import Finding, ReadingNotice, ReportResult
from checker.render.context import RenderContext
from checker.render.labels import location_text
from checker.render.safe import line_text
from checker.render.sources import finding_line, place_line
from checker.render.summary import summary_line, total_lines
from checker.verdict import UNDECIDABLE

_CELL_KEYS = ("page", "table", "row", "column")


def where_suffix(location: dict[str, int] | None, ctx: RenderContext) -> str:
    """The page or table cell of a place, in brackets ("" when the source map has neither)."""
    if not location or not any(k in location for k in _CELL_KEYS):
        return ""
    where = location_text({k: v for k, v in location.items() if k in _CELL_KEYS}, ctx.lang)
    return ctx.t(f"（{where}）", f" ({where})")


def finding_text(f: Finding, ctx: RenderContext) -> str:
    """A finding's message on one line: its page or table cell, and the waiver that covers it."""
    text = f.message.get(ctx.lang) + where_suffix(f.location, ctx)
    if f.waived:
        text += ctx.t(f"（已豁免：{f.waived}）", f" (waived: {f.waived})")
    return text


def notice_line(notice: ReadingNotice, source: str) -> int:
    """The line of a reading notice in the checked file (1 when unknown)."""
    line = (place_line(notice.target, notice.location, source) if notice.target
            else (notice.location or {}).get("line"))
    return int(line or 1)


def report_lines(result: ReportResult, ctx: RenderContext) -> list[str]:
    """The finding lines of one report, in line order, then its summary line."""
    path = line_text(result.source)
    entries: list[tuple[int, int, str]] = []
    for n in result.notices:
        if n.code in UNDECIDABLE:
            line = notice_line(n, result.source)
            entries.append((line, len(entries), f"{path}:{line}:1: {n.code} error {line_text(n.message.get(ctx.lang))}"))
    for f in result.findings:
        line = finding_line(f, result.source) or 1
        text = finding_text(f, ctx)
        entries.append((line, len(entries), f"{path}:{line}:1: {f.rule_id} {f.severity.value} {line_text(text)}"))
    lines = [text for _, _, text in sorted(entries)]
    lines.append(f"{path}: {line_text(summary_line(result, ctx))}")
    return lines


def render_concise(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run, one line per finding and one summary line per report."""
    lines = [line for r in results for line in report_lines(r, ctx)] + total_lines(results, ctx)
    return "\n".join(lines) + "\n"
