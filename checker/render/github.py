"""GitHub Actions workflow commands (``--format github``): each finding becomes an annotation
on the checked file, shown in the run's summary and on the pull request's changed files.

One line per finding::

    ::error file=reports/2024年报.json,line=88,col=1,title=GK-T3-010 申请数据平衡::第三部分表格……

* the command is ``error``, ``warning`` or ``notice`` (info, and any waived finding, whose
  message ends with its waiver);
* ``file`` is the path as given on the command line (``./`` removed: run gkcheck from the
  repository's root with relative paths), ``line`` as in ``concise`` (1 when unknown), ``col``
  always 1, ``title`` the rule id and title;
* a reading notice that keeps a report from passing is an ``error`` titled ``gkcheck <code>``;
* after its annotations, each report has a plain summary line starting ``gkcheck:``.

Escaping, as GitHub's toolkit does (``@actions/core``): in the message ``%``, CR and LF become
``%25``, ``%0D``, ``%0A``; in property values ``:`` and ``,`` also become ``%3A`` and ``%2C``.
Report text is first :func:`~checker.render.safe.terminal_text` (no escape sequence or control
character reaches the log); so no report text can end a command or start another.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import ReportResult, Severity
from checker.render.concise import finding_text, notice_line
from checker.render.context import RenderContext
from checker.render.gitlab import report_path
from checker.render.safe import line_text, terminal_text
from checker.render.sources import finding_line
from checker.render.summary import summary_line, total_lines
from checker.verdict import UNDECIDABLE

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: object) -> str:
    """A workflow command's message: ``%``, CR, LF escaped (after :func:`terminal_text`)."""
    return terminal_text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: object) -> str:
    """A workflow command's property value: as :func:`escape_data`, and ``:`` and ``,`` escaped."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, *, file: str, line: int, title: str) -> str:
    """One workflow command line."""
    props = ",".join(f"{k}={escape_property(v)}" for k, v in
                     (("file", file), ("line", line), ("col", 1), ("title", title)))
    return f"::{name} {props}::{escape_data(message)}"


def report_lines(result: ReportResult, ctx: RenderContext) -> list[str]:
    """The annotations of one report, then its summary line."""
    path = report_path(result.source)
    lines = [command("error", n.message.get(ctx.lang), file=path, line=notice_line(n, result.source),
                     title=f"gkcheck {n.code}")
             for n in result.notices if n.code in UNDECIDABLE]
    for f in result.findings:
        lines.append(command("notice" if f.waived else COMMAND[f.severity], finding_text(f, ctx), file=path,
                             line=finding_line(f, result.source) or 1,
                             title=f"{f.rule_id} {ctx.rule(f.rule_id).title.get(ctx.lang)}"))
    lines.append(f"gkcheck: {line_text(result.source)}: {line_text(summary_line(result, ctx))}")
    return lines


def render_github(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as GitHub Actions workflow commands."""
    lines = [line for r in results for line in report_lines(r, ctx)]
    lines += [f"gkcheck: {line}" for line in total_lines(results, ctx)]
    return "\n".join(lines) + "\n"
