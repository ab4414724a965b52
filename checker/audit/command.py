"""``gkcheck audit``: the click command (option parsing only; the work is in :mod:`checker.audit.runner`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from checker.verdict import PASSED

if TYPE_CHECKING:
    from checker.audit.runner import AuditSummary

INTERRUPTED = 130


@click.command("audit")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default="gkcheck-audit", show_default=True,
              help="输出文件夹：summary.xlsx、各表 CSV、findings.jsonl、results/（每份报告的检查结果）、audit.html")
@click.option("--db", type=click.Path(dir_okay=False), help="审核数据库（默认为输出文件夹中的 audit.sqlite）；重新运行时只检查有变化的报告")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="并行进程数（默认为全部 CPU 核数）")
@click.option("--chunk-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="每批一次向量化检查的报告数（决定内存占用）")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="使用指定的规则文件代替内置规则（可多次指定）")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="输出语言")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="有报告出现这一严重程度及以上的问题时退出码为 1")
@click.option("--min-score", type=click.FloatRange(0, 100), help="有报告得分低于此值时退出码为 1")
@click.option("--exit-zero", is_flag=True, help="即使有报告未通过也以 0 退出")
@click.option("--executor", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="process：本机多进程；dask：发送到 Dask 集群（需 pip install 'gkcheck[dask]'）")
@click.option("--scheduler", metavar="ADDRESS", help="Dask 调度器地址，例如 tcp://10.0.0.5:8786")
@click.option("--force", is_flag=True, help="忽略数据库中已有的结果，全部重新读取和检查")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度")
def audit_command(paths: tuple[str, ...], output: str, db: str | None, jobs: int | None, chunk_size: int,
                  rule_files: tuple[str, ...], lang: str, fail_on: str, min_score: float | None, exit_zero: bool,
                  executor: str, scheduler: str | None, force: bool, quiet: bool) -> int:
    """批量检查多份报告（文件、文件夹、通配符或清单 CSV），输出排名、跨年度比较和汇总表。"""
    # Imported here so that `gkcheck check` starts without the audit's dependencies.
    from checker.audit.outputs import write_outputs
    from checker.audit.progress import make_progress
    from checker.audit.runner import AuditOptions, run_audit
    from checker.audit.worker import Settings

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler 只能与 --executor dask 一起使用")
    opts = AuditOptions(paths, Path(output), Path(db) if db else None, jobs, chunk_size, rule_files or None, lang,
                        fail_on, min_score, executor, scheduler, force)
    try:
        summary = run_audit(opts, make_progress(lang, quiet))
        wrote = write_outputs(summary, Settings(opts.rule_files).compiled().ruleset)
    except KeyboardInterrupt:
        click.echo("已中断。已检查的报告已保存在数据库中，重新运行同一命令将从中断处继续。" if lang != "en" else
                   "Interrupted. Reports already checked are kept in the database; run the same command to resume.",
                   err=True)
        return INTERRUPTED
    _report(summary, wrote, lang)
    return PASSED if exit_zero else summary.exit_code


def _report(summary: AuditSummary, wrote: bool, lang: str) -> None:
    """The closing lines: counts, where the outputs are, and the verdict."""
    from checker.audit.outputs import problems

    checked, bad = len(summary.checked), len(problems(summary))
    out = summary.options.output
    if lang == "en":
        lines = [f"Checked {checked} reports ({summary.checked_now} now, {checked - summary.checked_now} from the "
                 f"database) in {summary.seconds:.1f} s; {summary.failed} fail; {bad} input problems; "
                 f"{len(summary.conflicts)} conflicts.",
                 f"Outputs in {out}/ (summary.xlsx, audit.html, …)" if wrote else f"Outputs in {out}/ are up to date."]
    else:
        lines = [f"共检查 {checked} 份报告（本次检查 {summary.checked_now} 份，{checked - summary.checked_now} 份沿用数据库结果），"
                 f"用时 {summary.seconds:.1f} 秒；未通过 {summary.failed} 份；输入问题 {bad} 项；冲突 {len(summary.conflicts)} 处。",
                 f"结果在 {out}/（summary.xlsx、audit.html 等）" if wrote else f"{out}/ 中的结果已是最新。"]
    for line in lines:
        click.echo(line)
