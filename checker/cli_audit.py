"""``gkcheck audit``: the click command (option parsing only; the work is in :mod:`checker.audit.runner`)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.messages import say

if TYPE_CHECKING:
    from checker.audit.runner import AuditSummary

INTERRUPTED, TERMINATED = 130, 143


@click.command("audit")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default="gkcheck-audit", show_default=True,
              help="输出文件夹：summary.xlsx、各表 CSV、findings.jsonl、results/（每份报告的检查结果）、audit.html")
@click.option("--db", type=click.Path(dir_okay=False), help="审核数据库（默认为输出文件夹中的 audit.sqlite）；重新运行时只检查有变化的报告")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="并行进程数（默认为全部 CPU 核数）")
@click.option("--chunk-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="每批一次向量化检查的报告数（决定内存占用）")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="使用指定的规则文件代替内置规则（可多次指定）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="使用此配置文件（默认与 check 相同：从被审核的文件夹向上查找 gkcheck.toml 或 pyproject.toml 的 "
                   "[tool.gkcheck]；各路径找到的配置不一致时报错）")
@click.option("--no-config", is_flag=True, help="不使用任何配置文件")
@click.option("--region", metavar="地区",
              help="机关所在地区（如 甘肃省武威市）：启用该地区的内置地方规则集（替换配置文件中的 region）")
@click.option("--allow-partial-rules", is_flag=True,
              help="允许配置停用整个规则族、整个表格或部分、或最低规则集中的规则（默认报错；输出中总会列出未运行的规则）")
@click.option("--year", type=click.IntRange(2008, 2100),
              help="报告年度：用于文件中找不到年度的报告（文件中写明的年度不受影响；清单的 year 列优先）")
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
@click.option("--urls", "urls_file", type=click.Path(dir_okay=False, exists=True),
              help="网址列表文件：每行一个报告网址（以 # 开头的行忽略），从网上获取后检查")
@click.option("--offline", is_flag=True, help="不联网：重新检查数据库中已保存的各网址的最新版本")
@click.option("--per-host", type=click.IntRange(min=1), default=2, show_default=True,
              help="对同一网站同时发出的请求数上限")
@click.option("--delay", type=click.FloatRange(min=0), default=0.5, show_default=True,
              help="对同一网站两次请求之间的间隔（秒）；robots.txt 的 Crawl-delay 更长时以其为准")
def audit_command(paths: tuple[str, ...], output: str, db: str | None, jobs: int | None, chunk_size: int,
                  rule_files: tuple[str, ...], config_path: str | None, no_config: bool, region: str | None,
                  allow_partial_rules: bool, year: int | None, lang: str, fail_on: str, min_score: float | None,
                  exit_zero: bool, executor: str, scheduler: str | None, force: bool, quiet: bool,
                  urls_file: str | None, offline: bool, per_host: int, delay: float) -> int:
    """批量检查多份报告（文件、文件夹、通配符、清单 CSV 或网址），输出排名、跨年度比较和汇总表。

    清单中只有 url 没有 file 的行、作为路径给出的网址和 --urls 文件中的网址，从网上获取后检查
    （遵守 robots.txt；每个网址的每个版本保存在审核数据库中，重新运行时未变化的网页不再下载和检查）。

    \b
    退出码：
      0    全部报告都已检查并通过
      1    有报告未通过（--fail-on、--min-score；--exit-zero 时不计），
           或有报告未能检查（无法读取、格式不符、处理出错、处理超时，见 problems.csv）
      2    命令用法、清单、规则文件、输出文件夹或数据库有误，有路径找不到，或没有一份报告能够检查
      130  已中断（Ctrl-C）；143 被终止（SIGTERM）。已检查的报告保存在数据库中，重新运行即可继续
    单份报告的处理时间上限为 300 秒（环境变量 GKCHECK_LIMIT_REPORT_SECONDS）。
    """
    if not paths and not urls_file:
        raise click.UsageError("请给出要审核的路径（文件、文件夹、通配符、清单 CSV 或网址），或用 --urls 给出网址列表文件")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler 只能与 --executor dask 一起使用")
    if config_path and no_config:
        raise click.UsageError("--config 与 --no-config 不能同时使用")
    previous = _terminate_as_interrupt()
    try:
        # Imported here so that `gkcheck check` starts without the audit's dependencies.
        from checker.audit.discover import read_url_list
        from checker.audit.outputs import write_outputs
        from checker.audit.runner import AuditOptions, run_audit
        from checker.audit.web import WebOptions
        from checker.cli_progress import make_progress

        if urls_file:
            paths = (*paths, *read_url_list(urls_file))
        opts = AuditOptions(paths, Path(output), Path(db) if db else None, jobs, chunk_size, rule_files or None,
                            lang, fail_on, min_score, executor, scheduler, force, config_path, no_config, region,
                            allow_partial_rules, year, WebOptions(offline, per_host, delay))
        summary = run_audit(opts, make_progress(lang, quiet))
        wrote = write_outputs(summary, summary.ruleset)
        _report(summary, wrote, lang)
        return summary.exit_code(exit_zero)
    except KeyboardInterrupt as exc:
        click.echo(say("audit.interrupted", lang), err=True)
        return TERMINATED if isinstance(exc, _Terminated) else INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: workers stopped, what was checked kept, temporary files removed."""


def _terminate_as_interrupt() -> Any:
    """Make SIGTERM stop the audit as Ctrl-C does (returns the previous handler, None when not possible)."""
    def handler(signum: int, frame: Any) -> None:
        raise _Terminated

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (the library used from a thread)
        return None


def _report(summary: AuditSummary, wrote: bool, lang: str) -> None:
    """The closing lines: counts, what could not be checked, where the outputs are, and the verdict."""
    from checker.audit.outputs import problems
    from checker.audit.safe import clean
    from checker.waivers import notice_line

    c = summary.counts
    out = clean(str(summary.options.output))
    lines = [say("audit.counts", lang, checked=c.checked, now=c.checked_now, stored=c.from_database,
                 seconds=summary.seconds, failing=c.failing, failed=c.failed, problems=len(problems(summary)),
                 conflicts=len(summary.conflicts))]
    if c.listed_twice:
        lines.append(say("audit.listed_twice", lang, n=c.listed_twice))
    lines.append(say("audit.outputs" if wrote else "audit.up_to_date", lang, out=out))
    errors = [say("audit.missing", lang, path=clean(r.path)) for r in summary.rows if r.status == "missing"]
    if c.failed:
        errors.append(say("audit.failed", lang, n=c.failed))
    if not c.checked:
        errors.append(say("audit.none", lang))
    shown = summary.ruleset.configuration.file or "gkcheck.toml"
    errors += [notice_line(f, shown, lang) for f in summary.notices]  # waivers covering no report, as check says
    for line in lines:
        click.echo(line)
    for line in errors:
        click.echo(line, err=True)
