"""The commands ``check`` and ``convert`` (loaded by :mod:`checker.cli` only when one of them is
run or its help is shown, so that ``gkcheck --help`` starts quickly; ``rules`` and ``explain`` are
in :mod:`checker.cli_rules`).

See :mod:`checker.cli` for the exit codes and the way outputs are written.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import stat
import sys
from collections.abc import Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path
from typing import IO, Any

import click

from checker.api import apply_overrides
from checker.cli import _LANGS, Terminated, _error, _reader_gone
from checker.cli_rules import _console
from checker.config import Config, configured_ruleset, find_config, rule_files
from checker.document import validate_document
from checker.errors import InputError
from checker.fileio import atomic_writer, link_loop, resolved, same_file
from checker.formats import KINDS, LEVELS
from checker.messages import pick, say
from checker.model import Finding, ReportResult, Severity
from checker.render import RENDERERS, RenderContext
from checker.render.safe import json_text, terminal_text
from checker.run import check_documents
from checker.verdict import ERROR, PASSED, Policy


@dataclass(frozen=True)
class CheckOptions:
    """Parsed options of ``gkcheck check``."""

    files: tuple[str, ...]
    output_format: str
    output: str | None
    lang: str
    policy: Policy
    exit_zero: bool
    explain_score: bool
    rules: tuple[str, ...]
    color: str
    overrides: dict[str, Any]
    outputs: tuple[tuple[str, str], ...] = ()
    config: str | None = None
    no_config: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    previous: str | None = None
    annotate: str | None = None
    quiet: bool = False
    allow_partial_rules: bool = False
    skip_non_reports: bool = False
    verbose: bool = False
    show_unassessed: bool = False
    region: str | None = None


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，应写作 YYYY-MM-DD，例如 2025-01-20") from None


Outputs = tuple[str | None, tuple[tuple[str, str], ...]]


def _outputs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Outputs:
    """Split ``--output`` values into the file for ``--format`` (FILE) and extra outputs (FORMAT=PATH)."""
    split = [v.partition("=") for v in values]
    pairs = tuple((fmt, path) for fmt, _, path in split if fmt in RENDERERS and path)
    plain = [v for v, (fmt, _, path) in zip(values, split) if not (fmt in RENDERERS and path)]
    if len(plain) > 1:
        raise click.BadParameter("只能有一个不带格式的输出文件；其他输出请写作 FORMAT=PATH，例如 sarif=gkcheck.sarif")
    targets = [*plain, *(path for _, path in pairs)]
    if (len({str(resolved(t)) for t in targets}) != len(targets)
            or any(same_file(a, b) for a, b in combinations(targets, 2))):
        raise click.BadParameter("两个输出写到了同一个文件")
    return (plain[0] if plain else None), pairs


def _rule_refs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` → (A, B, C)."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(list(RENDERERS)), default="text", show_default=True,
              help="输出格式：text 终端报告、concise 每个问题一行、json 结构化结果、sarif 代码扫描、junit 测试报告、"
                   "gitlab 代码质量报告、github 工作流注释、markdown 合并请求评论、html 可打印的网页报告")
@click.option("-o", "--output", "outputs", multiple=True, callback=_outputs, metavar="FILE|FORMAT=PATH",
              help="FILE：把 --format 的结果写入文件（默认输出到屏幕）；FORMAT=PATH：另外写出一种格式，"
                   "可多次指定，如 --output sarif=gkcheck.sarif --output html=报告.html")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="使用此配置文件（默认从被检查文件所在目录向上查找 gkcheck.toml"
                   "或 pyproject.toml 的 [tool.gkcheck]）")
@click.option("--no-config", is_flag=True, help="不使用任何配置文件")
@click.option("--select", multiple=True, callback=_rule_refs, metavar="RULES",
              help="只运行这些规则：编号、名称或编号前缀，逗号分隔（替换配置文件中的 select）")
@click.option("--ignore", multiple=True, callback=_rule_refs, metavar="RULES",
              help="不运行这些规则：编号、名称或编号前缀，逗号分隔（替换配置文件中的 ignore）")
@click.option("--allow-partial-rules", is_flag=True,
              help="允许配置或 --select/--ignore 停用整个规则族、整个表格或部分、或最低规则集中的规则"
                   "（默认报错；输出中总会列出未运行的规则）")
@click.option("--lang", type=_LANGS, default="zh", show_default=True, help="输出语言：zh 中文，en 英文")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="有这一严重程度及以上的问题时退出码为 1")
@click.option("--min-score", type=click.FloatRange(0, 100), help="得分低于此值时退出码为 1")
@click.option("--exit-zero", is_flag=True, help="发现问题也以 0 退出（试行期间使用；读取错误仍为 2）")
@click.option("--explain-score", is_flag=True, help="列出每条规则的分值，说明得分如何计算")
@click.option("--agency-kind", type=click.Choice(KINDS), help="机关类型（覆盖报告中的记载）")
@click.option("--agency-level", type=click.Choice(LEVELS), help="机关层级（覆盖报告中的记载）")
@click.option("--published", callback=_date, help="发布日期 YYYY-MM-DD（覆盖报告中的记载）")
@click.option("--year", type=click.IntRange(2008, 2100), help="报告年度（覆盖报告中的记载）")
@click.option("--previous", type=click.Path(dir_okay=False),
              help="同一机关上一年度的报告，用于跨年度检查（结转衔接、现行有效件数、与上年重复率）")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False),
              help="使用指定的规则文件代替内置规则（可多次指定）")
@click.option("--region", metavar="地区",
              help="机关所在地区（如 甘肃省武威市）：启用该地区的内置地方规则集（替换配置文件中的 region；"
                   "地方规则集默认不启用，gkcheck rules 列出各规则集适用的地区）")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="终端颜色")
@click.option("--annotate", type=click.Path(dir_okay=False), metavar="OUT.docx",
              help="另存一份带批注的 Word 文件：每个问题以批注标在原文相应位置（仅限 .docx 报告；原文件不变）")
@click.option("-q", "--quiet", is_flag=True, help="屏幕上每份报告只显示一行结论（得分、等级、问题数）")
@click.option("--skip-non-reports", is_flag=True,
              help="按内容识别命令行上的每个文件，不是年度报告的文件跳过（计数）而不报错；一份报告也没有时以 0 退出"
                   "（pre-commit 钩子使用）")
@click.option("-v", "--verbose", is_flag=True,
              help="在文本、网页、Markdown 和 JUnit 输出中也显示 JSON Pointer 和 PDF/网页源代码的行号（供排查问题）")
@click.option("--show-unassessed", is_flag=True, help="在文本输出中列出每条“无法判断”的规则及原因（默认只显示条数）")
def check(files: tuple[str, ...], output_format: str, outputs: Outputs,
          config_path: str | None, no_config: bool, select: tuple[str, ...], ignore: tuple[str, ...],
          allow_partial_rules: bool, lang: str,
          fail_on: str, min_score: float | None, exit_zero: bool, explain_score: bool, agency_kind: str | None,
          agency_level: str | None, published: str | None, year: int | None, previous: str | None,
          rule_files: tuple[str, ...], region: str | None, color: str, annotate: str | None, quiet: bool,
          skip_non_reports: bool, verbose: bool, show_unassessed: bool) -> int:
    """检查报告文件（.json .docx .html .pdf .txt .md），给出得分和问题清单。

    PATH 可以是文件、文件夹（含子文件夹）或加引号的通配符（如 'reports/**/*.json'）；文件夹和通配符中的文件按内容识别，
    不是年度报告的文件（如 package.json、README.md）跳过并计数。
    """
    if config_path and no_config:
        raise click.UsageError("--config 与 --no-config 不能同时使用")
    if previous and len(files) != 1:
        raise click.UsageError("--previous 只能与一份报告一起使用")
    if annotate and len(files) != 1:
        raise click.UsageError("--annotate 只能与一份 Word 报告一起使用")
    opts = CheckOptions(files, output_format, outputs[0], lang, Policy(Severity(fail_on), min_score), exit_zero,
                        explain_score, rule_files, color,
                        {"agency_kind": agency_kind, "agency_level": agency_level, "published": published,
                         "year": year},
                        outputs[1], config_path, no_config, select, ignore, previous, annotate, quiet,
                        allow_partial_rules, skip_non_reports, verbose, show_unassessed, region)
    with _terminate_as_interrupt():
        return execute_check(opts)


@dataclass
class _Loaded:
    """The reports of a run as read: documents and their files, read errors, files skipped."""

    docs: list[dict[str, Any]]
    sources: list[str]
    errors: int
    skipped: list[str]


def _load(files: Sequence[str], recognise: Collection[str], overrides: dict[str, Any], lang: str) -> _Loaded:
    """Read every file; those in ``recognise`` are recognised by content (non-reports skipped)."""
    from checker.ingest import read_document
    from checker.inputs import is_url, read_found

    loaded = _Loaded([], [], 0, [])
    for name in files:
        try:
            if is_url(name):  # a report on the web (robots.txt, size and time bounds: checker.fetch)
                from checker.fetch import read_url
                doc = read_url(name, year=overrides.get("year"))
            elif name in recognise:
                found = read_found(name, year=overrides.get("year"))
                if found is None:
                    loaded.skipped.append(name)
                    continue
                doc = found
            else:
                doc = read_document(name, year=overrides.get("year"))
            doc = apply_overrides(doc, **overrides)
            validate_document(doc)
        except InputError as exc:
            loaded.errors += 1
            _error(f"{'Cannot read' if lang == 'en' else '无法读取'} {name}：{exc.message(lang)}")
            continue
        loaded.docs.append(doc)
        loaded.sources.append(name)
    return loaded


def _expand(opts: CheckOptions) -> tuple[CheckOptions, Collection[str], int]:
    """The run's files from its arguments (folders and patterns expanded; outputs left out), the
    files to recognise by content, and the number of arguments that name no file."""
    from checker.inputs import expand

    targets = [opts.output, *(path for _, path in opts.outputs), opts.annotate]
    expanded = expand(opts.files, [t for t in targets if t])
    for zh, en in expanded.problems:
        _error(("Error: " + en) if opts.lang == "en" else ("错误：" + zh))
    if (opts.previous or opts.annotate) and len(expanded.files) > 1:
        what = "--previous" if opts.previous else "--annotate"
        raise click.UsageError(f"{what} 只能与一份报告一起使用（给出的路径展开为 {len(expanded.files)} 个文件）")
    recognise: Collection[str] = set(expanded.files) if opts.skip_non_reports else expanded.found
    return replace(opts, files=expanded.files), recognise, len(expanded.problems)


def _skipped_note(skipped: Sequence[str], checked: int, opts: CheckOptions) -> None:
    """One line on stderr: how many files were not reports (a few named)."""
    if not skipped:
        return
    shown = [terminal_text(s) for s in skipped[:3]]
    more = len(skipped) > len(shown)
    none = not checked and opts.skip_non_reports  # a run with no report that is not an error: say so
    _error(say("check.skipped", opts.lang, n=len(skipped), names=pick(opts.lang, "、", ", ").join(shown),
               more=say("check.skipped_more", opts.lang) if more else "",
               none=say("check.skipped_none", opts.lang) if none else ""))


def execute_check(opts: CheckOptions) -> int:
    """Run ``gkcheck check`` with parsed options; returns the exit code."""
    raw_files = opts.files
    opts, recognise, missing = _expand(opts)
    config = find_config(opts.files or raw_files, opts.config, opts.no_config).with_cli(opts.select, opts.ignore,
                                                                                        opts.region)
    inputs = [*((f, "被检查的报告", "an input report") for f in opts.files),
              *(((opts.previous, "上一年度的报告（--previous）", "the previous year's report (--previous)"),)
                if opts.previous else ()),
              *(((str(config.path), "配置文件", "the configuration file"),) if config.path else ()),
              *((str(p), "规则文件", "a rule file") for p in rule_files(config, opts.rules) or ())]
    for target in [opts.output, *(path for _, path in opts.outputs), opts.annotate]:
        if target:
            _check_output(target, inputs)
    if opts.annotate:
        from checker.annotate import check_target
        check_target(opts.annotate, opts.files[0])
    configured = configured_ruleset(config, opts.rules, opts.allow_partial_rules)
    compiled = configured.compiled
    loaded = _load(opts.files, recognise, opts.overrides, opts.lang)
    docs, sources, errors = loaded.docs, loaded.sources, loaded.errors + missing
    _skipped_note(loaded.skipped, len(docs), opts)
    if not docs and not errors and not opts.skip_non_reports:
        raise InputError(f"没有找到年度报告：{'、'.join(raw_files)} 中的 {len(loaded.skipped)} 个文件都不是政府信息公开工作年度报告。"
                         "请检查路径是否正确。",
                         f"No annual report found: the {len(loaded.skipped)} files in {', '.join(raw_files)} are not "
                         "annual reports on government information disclosure. Check the path.")
    pairs = None
    if opts.previous and docs:
        from checker.api import pair_of
        from checker.ingest import read_document

        pairs = [pair_of(docs[0], read_document(opts.previous), compiled)]
    checked = check_documents(docs, configured, sources, pairs)
    results, notices = list(checked.results), checked.notices
    if results:
        ctx = RenderContext(compiled.ruleset, opts.lang, opts.policy, opts.explain_score,
                            documents=dict(zip(sources, docs)), notices=notices, config_file=config.shown,
                            verbose=opts.verbose, show_unassessed=opts.show_unassessed)
        _emit(results, opts, ctx)
        if opts.annotate:
            from checker.annotate import write_annotated
            write_annotated(sources[0], opts.annotate, results[0], docs[0], compiled.ruleset, opts.lang, opts.policy)
            if not opts.quiet:
                _error(pick(opts.lang, "已写入带批注的 Word 文件：", "Annotated copy written: ") + opts.annotate)
    _warn_notices(notices, config, opts.lang)
    if errors:
        return ERROR
    code = opts.policy.exit_code(results)
    return PASSED if opts.exit_zero else code


def _emit(results: list[ReportResult], opts: CheckOptions, ctx: RenderContext) -> None:
    """Write ``--format`` to stdout (or its ``--output FILE``) and every ``--output FORMAT=PATH``.

    The files are written to temporary files and all renamed into place at the end, with
    interrupts held back meanwhile: an interrupted run changes none of them, or (interrupted
    while renaming) all. A reader of stdout that goes away (``| head``) does not stop the files.
    """
    targets = [(opts.output_format, opts.output), *opts.outputs]
    reader_gone: BrokenPipeError | None = None
    with ExitStack() as files:
        for output_format, path in targets:
            renderer = RENDERERS[output_format]
            if path is None and opts.quiet and output_format == "text":
                from checker.render.summary import summary_lines
                sys.stdout.write(summary_lines(results, ctx))
                continue
            if path is None:
                try:
                    text = renderer(results, replace(ctx, console=_console(opts.color)))
                    if text is not None:
                        sys.stdout.write(text)
                    sys.stdout.flush()
                except BrokenPipeError as exc:
                    reader_gone = exc
                    _reader_gone()
                continue
            fh = files.enter_context(_output_file(path))
            text = renderer(results, replace(ctx, console=_console("never", fh)))
            if text is not None:
                fh.write(text)
        complete = files.pop_all()  # nothing failed: every file is complete
    with _interrupts_held():
        complete.close()  # rename them all into place
    if reader_gone is not None:
        raise reader_gone


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the block runs; act on them once it is done."""
    noted: list[int] = []

    def note(signum: int, frame: Any) -> None:
        noted.append(signum)

    try:
        previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go elsewhere
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if noted:
        raise Terminated if noted[0] == signal.SIGTERM else KeyboardInterrupt


@contextmanager
def _output_file(path: str) -> Iterator[IO[str]]:
    """An output file written to a temporary file and renamed onto ``path`` when complete.

    A symbolic link is written through (its target is replaced, the link stays), as a shell
    redirection would. A path that is not a regular file (``/dev/stdout``, a named pipe) is
    written directly: it has no previous content to keep and cannot be renamed onto.
    """
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:  # a new file (or a link to one)
        special = False
    if special:
        with open(path, "w", encoding="utf-8") as fh:
            yield fh
    else:
        with atomic_writer(os.path.realpath(path)) as fh:
            yield fh


def _warn_notices(notices: Sequence[Finding], config: Config, lang: str) -> None:
    """Print run-level configuration notices (waivers covering no checked report) to stderr."""
    from checker.waivers import notice_line

    for f in notices:
        _error(notice_line(f, config.shown, lang))


def _check_output(target: str, inputs: Sequence[tuple[str, str, str]]) -> None:
    """Refuse, before any work, an output that is an input or cannot be written.

    ``inputs`` are (path, what it is in Chinese, in English). An output is an input when both
    name one file: the same path, a symbolic link to it or a hard link of it (same device and
    inode).
    """
    if link_loop(target):
        raise InputError(f"输出文件 {target} 是循环的符号链接（链接最终又指回自己），无法写入。请换一个输出文件名。",
                         f"The output file {target} is a symbolic link loop and cannot be written; choose another name.")
    for path, zh, en in inputs:
        if not (same_file(target, path) or resolved(target) == resolved(path)):
            continue
        if os.path.abspath(target) == os.path.abspath(path):
            how_zh = how_en = ""
        elif resolved(target) == resolved(path):
            how_zh, how_en = "（经由符号链接）", " (through a symbolic link)"
        else:
            how_zh, how_en = "（互为硬链接）", " (hard links of one file)"
        raise InputError(f"输出文件 {target} 与{zh} {path} 是同一个文件{how_zh}。为避免覆盖原文件，请换一个输出文件名。",
                         f"The output file {target} and {en} {path} are the same file{how_en}; choose another "
                         "name so that it is not overwritten.")
    if os.path.isdir(target):
        raise InputError(f"输出文件 {target} 是一个文件夹，请给出文件名，例如 {Path(target) / '结果.json'}。",
                         f"The output {target} is a folder; give a file name.")
    parent = Path(target).parent
    if not parent.is_dir():
        raise InputError(f"输出文件 {target} 所在的文件夹 {parent} 不存在，请先创建它或换一个位置。",
                         f"The folder {parent} of the output file {target} does not exist; create it or "
                         "choose another place.")


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM stops it as Ctrl-C does (outputs rolled back, exit 143)."""
    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave the default
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command()
@click.argument("file")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出的 JSON 文件（默认输出到屏幕）")
@click.option("--year", type=click.IntRange(2008, 2100), help="报告年度（文件中找不到时必须指定）")
@click.option("--lang", type=_LANGS, default="zh", show_default=True, help="提示语言")
def convert(file: str, output: str | None, year: int | None, lang: str) -> int:
    """把报告文件转换为 gkcheck 的 JSON 文档，便于查看、修改后再检查。"""
    from checker.ingest import read_document

    with _terminate_as_interrupt():
        if output is not None:
            _check_output(output, [(file, "被转换的报告", "the report converted")])
        doc = read_document(file, year=year)
        text = json_text(doc, indent=1) + "\n"
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return PASSED
        with _output_file(output) as fh:
            fh.write(text)
    _error(pick(lang, "已写入：", "Written: ") + output)
    return PASSED

