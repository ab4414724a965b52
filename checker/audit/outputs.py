"""The audit's outputs: summary.xlsx (with its overview sheet 概览), the same tables as CSV,
findings.jsonl, one result JSON per report (``results/``), the dashboard ``audit.html`` with a page
per linked report (``reports/``), and the draft 通报 as a Word document.

Every table is built once (:func:`tables`) and written in each form. The table of every
finding (hundreds of thousands of rows in a national audit) is never held in memory: it is
streamed from the audit database by the two processes that write it (the workbook, which also
gathers the overview's examples and writes the 通报; the findings CSV and JSON Lines). Outputs
are skipped when nothing changed since they were last written to the same folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing.process
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from checker import __version__
from checker.audit import pages, tongbao, workbook
from checker.audit.dashboard import TABLE_LIMIT, render_dashboard
from checker.audit.digest import Digest, grade_text, severity_text, where
from checker.audit.pool import child_process, start_child
from checker.audit.runner import AuditSummary, Row, results_file
from checker.audit.safe import clean, json_bytes, json_value
from checker.audit.store import Store
from checker.fileio import atomic_binary_writer, atomic_writer, write_atomic
from checker.loader import RuleSet
from checker.messages import pick, term
from checker.render.configuration import configuration_lines
from checker.render.safe import csv_cell
from checker.scoring import WITHHELD

EXCEL_MAX_ROWS = workbook.EXCEL_MAX_ROWS
_CONFLICTS_SHOWN = 5  # other reports named in a conflict row (a common name can have hundreds)


@dataclass(frozen=True)
class Table:
    """One output table: a name (file and sheet), headers, and rows (a list, or a stream of ``size`` rows);
    ``kinds``: the kind of each column in the workbook (:data:`checker.audit.workbook.KINDS`: its width,
    number or date format; text when not given); ``order``: the columns' order in the workbook (default: as
    here); ``printed``: how many of the workbook's first columns are printed (0: all)."""

    name: str
    sheet: str
    headers: list[str]
    rows: Iterable[list[Any]]
    size: int | None = None
    kinds: tuple[str, ...] = ()
    order: tuple[int, ...] = ()
    printed: int = 0

    def __len__(self) -> int:
        return self.size if self.size is not None else len(self.rows)  # type: ignore[arg-type]


def tables(summary: AuditSummary, ruleset: RuleSet, per_rule: dict[str, tuple[int, int]]) -> list[Table]:
    """The ranking, failures per rule, year over year and input-problem tables.

    ``per_rule``: rule id → (reports with a finding of the rule, findings of the rule).
    """
    lang = summary.options.lang
    return [_ranking(summary, lang), _rules(summary, ruleset, per_rule, lang), _yoy(summary, lang),
            _problems(summary, lang), configuration_table(ruleset, lang)]


def _graded(r: Row) -> bool:
    """Whether a checked row has a score and a grade (a withheld grade is not ranked with graded ones)."""
    return r.result is not None and r.result["score"] is not None and r.result["grade"] != WITHHELD


def ranked(summary: AuditSummary) -> list[Row]:
    """Checked rows: graded reports best score first, then reports whose grade was withheld (too
    little could be judged), then reports without a score."""
    def key(r: Row) -> tuple[Any, ...]:
        score = (r.result or {})["score"]  # (checked rows have a result)
        return score is None, not _graded(r), -(score or 0), r.meta.get("agency") or "", r.path

    return sorted(summary.checked, key=key)


# Positions of the ranking table's columns that the dashboard shows.
RANK, AGENCY, YEAR, KIND, LEVEL, REGION, SCORE, GRADE, COVERAGE, NOTICES, ERRORS, WARNINGS, INFOS, PASSED, FILE, \
    RESULT, PUBLISHED = range(17)


def configuration_table(ruleset: RuleSet, lang: str) -> Table:
    """The run's configuration as ``gkcheck check`` shows it (:func:`configuration_lines`), then one row per
    rule not run and per severity changed (a sheet of summary.xlsx)."""
    headers = [pick(lang, "项目", "Item"), pick(lang, "规则", "Rule"), pick(lang, "说明", "Detail")]
    conf = ruleset.configuration
    lines = configuration_lines(ruleset, lang) or [pick(lang, "未使用配置文件：运行全部默认规则，严重程度按规则文件。",
                                                     "No configuration file: every default rule runs at its "
                                                     "rule file's severity.")]
    rows: list[list[Any]] = [[pick(lang, "配置", "Configuration"), None, line] for line in lines]
    rows += [[pick(lang, "未运行的规则", "Rule not run"), c.rule_id, f"{c.name}（{c.source} {c.key}）"]
             for c in conf.deselected]
    rows += [[pick(lang, "调整严重程度", "Severity changed"), c.rule_id, f"{c.before}→{c.after}（{c.source}）"]
             for c in conf.severities]
    return Table("configuration", pick(lang, "配置", "Configuration"), headers, rows, kinds=("text", "code", "long"))


def _ranking(summary: AuditSummary, lang: str) -> Table:
    headers = [pick(lang, "名次", "Rank"), pick(lang, "机关", "Agency"), pick(lang, "年度", "Year"),
               pick(lang, "机关类型", "Kind"), pick(lang, "层级", "Level"), pick(lang, "地区", "Region"),
               pick(lang, "得分", "Score"), pick(lang, "等级", "Grade"),
               pick(lang, "可判断规则占比%", "Rules judged %"), pick(lang, "读取提示", "Reading notices"),
               pick(lang, "错误", "Errors"),
               pick(lang, "警告", "Warnings"), pick(lang, "提示", "Info"), pick(lang, "是否通过", "Passed"),
               pick(lang, "文件", "File"), pick(lang, "检查结果", "Result"), pick(lang, "发布日期", "Published")]
    rows = []
    n = 0
    for r in ranked(summary):
        res = r.result or {}
        graded = _graded(r) or res.get("score") is None
        n += graded
        kind, level = r.meta.get("kind"), r.meta.get("level")
        coverage = res.get("coverage")
        rows.append([n if graded else None, r.meta.get("agency") or "", r.meta.get("year"),
                     term("kind", kind, lang), term("level", level, lang), r.meta.get("region") or "",
                     res.get("score"), grade_text(res.get("grade"), lang),
                     None if coverage is None else int(coverage * 100 + 1e-9), res.get("notices", 0),
                     res.get("errors"), res.get("warnings"), res.get("infos"),
                     pick(lang, "是", "yes") if res.get("passed") else pick(lang, "否", "no"), clean(r.shown),
                     results_file(r, summary.variant), r.meta.get("published") or None])
    kinds = ("int", "name", "year", "short", "short", "text", "num", "short", "pct", "int", "int", "int", "int", "short",
             "file", "file", "date")
    return Table("ranking", pick(lang, "排名", "Ranking"), headers, rows, kinds=kinds,
                 order=(*range(PASSED + 1), PUBLISHED, FILE, RESULT), printed=PASSED + 2)


def per_rule(summary: AuditSummary, store: Store) -> dict[str, tuple[int, int]]:
    """Rule id → (checked reports with a finding of the rule, findings of the rule)."""
    out: dict[str, tuple[int, int]] = {}
    for _, _, counts in store.rule_counts(summary.variant, {(r.key, r.previous) for r in summary.checked}):
        for rule_id, n in counts.items():
            reports, findings = out.get(rule_id, (0, 0))
            out[rule_id] = (reports + 1, findings + n)
    return out


def _rules(summary: AuditSummary, ruleset: RuleSet, per_rule: dict[str, tuple[int, int]], lang: str) -> Table:
    total = len(summary.checked) or 1
    headers = [pick(lang, "规则", "Rule"), pick(lang, "标题", "Title"), pick(lang, "严重程度", "Severity"),
               pick(lang, "类别", "Category"), pick(lang, "未通过报告数", "Reports failing"),
               pick(lang, "占比%", "Share %"), pick(lang, "问题数", "Findings")]
    rows = []
    for rule_id in sorted(per_rule, key=lambda k: (-per_rule[k][0], k)):
        rule = ruleset.by_id.get(rule_id)
        reports, count = per_rule[rule_id]
        rows.append([rule_id, rule.title.get(lang) if rule else "", severity_text(rule.severity, lang) if rule else "",
                     rule.category if rule else "", reports, round(100 * reports / total, 1), count])
    return Table("rules", pick(lang, "规则未通过情况", "Failures per rule"), headers, rows,
                 kinds=("code", "long", "short", "short", "int", "pct1", "int"))


def _yoy(summary: AuditSummary, lang: str) -> Table:
    by_key = {r.key: r for r in summary.checked}
    headers = [pick(lang, "机关", "Agency"), pick(lang, "年度", "Year"), pick(lang, "得分", "Score"),
               pick(lang, "上年度得分", "Previous score"), pick(lang, "变化", "Change"), pick(lang, "等级", "Grade"),
               pick(lang, "上年度等级", "Previous grade"), pick(lang, "文件", "File"), pick(lang, "上年度文件", "Previous file")]
    rows = []
    for r in sorted(summary.checked, key=lambda r: (r.meta.get("agency") or "", r.meta.get("year") or 0)):
        prev = by_key.get(r.previous)
        if prev is None or prev.result is None or r.result is None:
            continue
        a, b = r.result["score"], prev.result["score"]
        change = round(a - b, 1) if a is not None and b is not None else None
        rows.append([r.meta.get("agency"), r.meta.get("year"), a, b, change, grade_text(r.result["grade"], lang),
                     grade_text(prev.result["grade"], lang), clean(r.shown), clean(prev.shown)])
    return Table("year_over_year", pick(lang, "跨年度比较", "Year over year"), headers, rows,
                 kinds=("name", "year", "num", "num", "num", "short", "short", "file", "file"), printed=7)


def problems(summary: AuditSummary) -> list[tuple[str, str, str, str]]:
    """(path, category, zh, en) for every input that was not checked, mislabelled or in conflict."""
    out = []
    for r in summary.rows:
        if r.status != "checked" and r.reason:
            out.append((clean(r.shown), r.status, r.reason[0], r.reason[1]))
        for zh, en in r.notes:
            out.append((clean(r.shown), "mislabelled", zh, en))
    for _body, year, raw in summary.conflicts:
        paths = [clean(p) for p in raw]
        for p in paths:
            others = [x for x in paths if x != p]
            shown = "、".join(others[:_CONFLICTS_SHOWN])
            more_zh = f"等 {len(others)} 份" if len(others) > _CONFLICTS_SHOWN else ""
            more_en = f" and {len(others) - _CONFLICTS_SHOWN} more" if len(others) > _CONFLICTS_SHOWN else ""
            out.append((p, "conflict", f"{year} 年度另有不同内容的报告：{shown}{more_zh}（均已检查，不参与跨年度比对）",
                        f"Another, different {year} report of this body: {shown}{more_en} (all checked, not paired)"))
    return out


def _problems(summary: AuditSummary, lang: str) -> Table:
    headers = [pick(lang, "文件", "File"), pick(lang, "问题", "Problem"), pick(lang, "说明", "Details")]
    rows = [[p, term("status", c, lang), pick(lang, zh, en)]
            for p, c, zh, en in problems(summary)]
    return Table("problems", pick(lang, "输入问题", "Input problems"), headers, rows, kinds=("file", "text", "long"))


def _finding_row(r: Row, f: list[Any], lang: str) -> list[Any]:
    """A row of findings.csv (with the finding's JSON Pointer, for scripts)."""
    return [clean(r.shown), r.meta.get("agency"), r.meta.get("year"), f[0], severity_text(f[1], lang), f[2],
            f[4] if lang == "en" else f[3], f[5], where(f, lang)]


def _sheet_finding_headers(lang: str) -> list[str]:
    return [pick(lang, "机关", "Agency"), pick(lang, "年度", "Year"), pick(lang, "地区", "Region"), pick(lang, "规则", "Rule"),
            pick(lang, "严重程度", "Severity"), pick(lang, "类别", "Category"), pick(lang, "问题", "Message"),
            pick(lang, "原文位置", "Location"), pick(lang, "文件", "File")]


def _sheet_finding_row(csv_row: list[Any], r: Row) -> list[Any]:
    """A row of the workbook's sheet of findings: the place in words, no JSON Pointer."""
    return [csv_row[1], csv_row[2], r.meta.get("region") or None, csv_row[3], csv_row[4], csv_row[5], csv_row[6],
            csv_row[8], csv_row[0]]


def _finding_headers(lang: str) -> list[str]:
    return [pick(lang, "文件", "File"), pick(lang, "机关", "Agency"), pick(lang, "年度", "Year"), pick(lang, "规则", "Rule"),
               pick(lang, "严重程度", "Severity"), pick(lang, "类别", "Category"), pick(lang, "问题", "Message"),
               pick(lang, "位置", "Pointer"), pick(lang, "原文位置", "Location")]


def _fingerprint(summary: AuditSummary) -> str:
    """What the outputs are made of: gkcheck's version, the variant (rules' content, language, policy,
    bounds) and every row's identity, status and reason."""
    h = hashlib.sha256(f"{__version__}\0{summary.variant}\0{summary.options.lang}\n".encode())
    for r in summary.rows:
        h.update(repr((clean(r.path), r.status, r.key, r.previous, r.notes, r.reason)).encode("utf-8", "replace"))
    h.update(repr(summary.conflicts).encode("utf-8", "replace"))
    return h.hexdigest()


def output_files(lang: str) -> tuple[str, ...]:
    """The output files of a run in ``lang`` (the 通报's name is in the run's language)."""
    return ("summary.xlsx", "ranking.csv", "rules.csv", "year_over_year.csv", "problems.csv", "configuration.csv",
            "findings.csv", "findings.jsonl", "audit.html", tongbao.file_name(lang))


OUTPUT_FILES = output_files("zh")
_ANY_LANGUAGE = tuple(dict.fromkeys(output_files("zh") + output_files("en")))
OUTPUTS_MANIFEST = ".gkcheck-outputs.json"
"""Written last, atomically: the fingerprint the outputs were made from and the sha256 of each output file.
The outputs are up to date only when it exists, its fingerprint is the run's, and every file's hash matches."""
_LOCK = ".gkcheck-outputs.lock"


def write_outputs(summary: AuditSummary, ruleset: RuleSet) -> bool:
    """Write every output into ``summary.options.output``; False when they were already up to date.

    Each file is written to a temporary file and renamed into place when complete, so an interrupted run
    leaves whole files (old or new), never a part of one; "up to date" is decided from the outputs' own
    hashes (:data:`OUTPUTS_MANIFEST`) and the presence of every linked report page, so a damaged, missing
    or mixed set of outputs is always written again.
    """
    out = summary.options.output
    lang = summary.options.lang
    fingerprint = _fingerprint(summary)
    order = ranked(summary)
    linked = pages.linked(summary, order, TABLE_LIMIT)
    with _locked(out):  # another audit writing into the same folder waits; temporary files here are stale
        if _up_to_date(out, fingerprint, lang) and all((out / pages.page_file(r, summary.variant)).exists()
                                                       for r in linked):
            return False
        _unlink(out / OUTPUTS_MANIFEST)
        _remove_temporaries(out)
        # the largest outputs are written side by side: the findings CSV/JSONL, the workbook (and then the
        # 通报, from what the workbook gathered) and the report pages in forked processes (the first two
        # stream the findings from the database), the small tables and the dashboard here
        background: list[_Background] = []
        try:
            _start(background, _findings_files, summary)
            todo = [r for r in linked if not (out / pages.page_file(r, summary.variant)).exists()]
            shares = max(1, min(summary.options.jobs or os.cpu_count() or 1, len(todo) // pages.PAGES_PER_PROCESS))
            for i in range(shares):  # the pages (~12 ms each) shared by as many processes as the audit's workers
                _start(background, pages.write_pages, summary, todo[i::shares], ruleset)
            store = Store(summary.options.db_path, readonly=True)
            try:
                counts = per_rule(summary, store)
            finally:
                store.close()
            tabs = tables(summary, ruleset, counts)
            _start(background, _workbook, summary, tabs, sum(n for _, n in counts.values()), order, ruleset,
                   counts)
            for t in tabs:
                _csv(out / f"{t.name}.csv", t)
            html = render_dashboard(summary, tabs, ruleset)
            write_atomic(out / "audit.html", html.encode("utf-8", "replace"))
            for task in background:
                task.wait()
        except BaseException:
            for task in background:
                task.kill()
            _remove_temporaries(out)
            raise
        for name in _ANY_LANGUAGE:  # the 通报 of a run in the other language
            if name not in output_files(lang):
                _unlink(out / name)
        _prune(out, {results_file(r, summary.variant) for r in summary.checked})
        files = {name: _sha256(out / name) for name in output_files(lang)}
        write_atomic(out / OUTPUTS_MANIFEST, json.dumps({"fingerprint": fingerprint, "files": files}, indent=1))
        return True


def _prune(out: Path, kept: set[str]) -> None:
    """Remove the result files and report pages of earlier runs that no report of this run has.

    ``kept``: the result files of this run's reports (output-relative). What an earlier run wrote for a
    report no longer audited, or for an older result of a report (its name changes with the result),
    would otherwise stay beside the current ones, for a reader of the folder to take as current.
    """
    pages_kept = {pages.page_of(name) for name in kept}
    for folder, suffix, keep in (("results", ".json", kept), (pages.PAGES, ".html", pages_kept)):
        for path in (out / folder).glob(f"*/*{suffix}"):
            if f"{folder}/{path.parent.name}/{path.name}" not in keep:
                _unlink(path)


def _up_to_date(out: Path, fingerprint: str, lang: str = "zh") -> bool:
    try:
        manifest = json.loads((out / OUTPUTS_MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        names = output_files(lang)
        return (manifest["fingerprint"] == fingerprint and set(files) == set(names)
                and all(_sha256(out / name) == files[name] for name in names))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder (released when this process ends, however it ends)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(out / _LOCK, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_temporaries(out: Path) -> None:
    """Remove the temporary files of outputs (left by a run killed while writing them)."""
    for name in _ANY_LANGUAGE:
        for tmp in out.glob(f".{name}.*.tmp"):
            _unlink(tmp)
    pages.remove_temporaries(out)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _start(background: list[_Background], fn: Callable[..., None], *args: Any) -> None:
    """Run ``fn(*args)`` beside this process, listed in ``background`` before it starts (so that an interrupt
    arriving as it starts still finds it there to stop)."""
    task = _Background(fn, *args)
    background.append(task)
    task.start()


class _Background:
    """``fn(*args)`` in a forked process (Linux) while this one goes on; :meth:`wait` joins it.

    For the largest outputs, which need nothing from each other (a thread would overlap only the
    parts that run without the GIL). The child dies with this process and ignores Ctrl-C (this
    process handles it and :meth:`kill` s the child). If the child fails, :meth:`wait` runs ``fn``
    again here, so its error is raised in this process.
    """

    def __init__(self, fn: Callable[..., None], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.proc: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        if sys.platform.startswith("linux"):
            self.proc = child_process(self.fn, *self.args)
            try:
                start_child(self.proc)
                return
            except (AssertionError, OSError):  # no fork here (e.g. inside a daemonic process): write it in this one
                self.proc = None
        self.fn(*self.args)

    def wait(self) -> None:
        if self.proc is None:
            return
        self.proc.join()
        if self.proc.exitcode != 0:
            self.proc = None
            self.fn(*self.args)

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)


def _findings(summary: AuditSummary) -> Iterator[tuple[Row, list[Any]]]:
    """(row, [rule_id, severity, category, zh, en, pointer, section, location JSON]) of every finding,
    streamed from the audit database (a connection of the calling process)."""
    rows = {(r.key, r.previous): r for r in summary.checked}
    store = Store(summary.options.db_path, readonly=True)
    try:
        for key, previous, found in store.findings(summary.variant, set(rows)):
            row = rows[(key, previous)]
            for f in found:
                yield row, f
    finally:
        store.close()


def _csv(path: Path, table: Table) -> None:
    with atomic_writer(path, encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.headers)
        w.writerows([csv_cell(v) for v in row] for row in table.rows)


def _workbook(summary: AuditSummary, tabs: list[Table], size: int, order: list[Row], ruleset: RuleSet,
              counts: dict[str, tuple[int, int]]) -> None:
    """summary.xlsx: the sheet 概览 first, then the tables and every finding (streamed; the overview's examples
    are gathered on the way); then the draft 通报 from the same digest."""
    lang, out = summary.options.lang, summary.options.output
    ranking = tabs[0]
    ranks = [row[RANK] for row in ranking.rows]
    digest = Digest.of(summary, order, ranks, ruleset, counts, len(problems(summary)))
    xlsx_tables(out / "summary.xlsx", tabs, lang, _findings(summary), size, digest)
    tongbao.write_tongbao(out / tongbao.file_name(lang), digest)


def xlsx_tables(path: Path, tabs: list[Table], lang: str, findings: Iterable[tuple[Row, list[Any]]], size: int,
                digest: Digest | None) -> None:
    """The workbook: 概览 (when ``digest``), the ranking, rules and year-over-year tables, every finding, then the
    other tables. Each finding is also fed to ``digest``."""
    book = workbook.Book(path)
    try:
        overview = book.sheet(pick(lang, "概览", "Overview")) if digest is not None else None
        for t in tabs[:3]:
            workbook.write_table(book, t, lang)

        def rows() -> Iterator[list[Any]]:
            for r, f in findings:
                if digest is not None:
                    digest.feed(r, f)
                yield _sheet_finding_row(_finding_row(r, f, lang), r)

        stream = rows()
        every = Table("findings", pick(lang, "全部问题", "All findings"), _sheet_finding_headers(lang), stream, size,
                      kinds=("name", "year", "text", "code", "short", "short", "long", "long", "file"), printed=8)
        workbook.write_table(book, every, lang)
        for _ in stream:  # findings past the sheet's rows still reach the digest
            pass
        for t in tabs[3:]:
            workbook.write_table(book, t, lang)
        if overview is not None and digest is not None:
            workbook.write_overview(book, overview, digest, lang)
        book.close()
    except BaseException:
        book.discard()
        raise


def _findings_files(summary: AuditSummary) -> None:
    """findings.csv and findings.jsonl, in one pass over the findings."""
    lang, out = summary.options.lang, summary.options.output
    with atomic_writer(out / "findings.csv", encoding="utf-8-sig", newline="") as fc, \
            atomic_binary_writer(out / "findings.jsonl") as fj:
        w = csv.writer(fc)
        w.writerow(_finding_headers(lang))
        for r, f in _findings(summary):
            row = _finding_row(r, f, lang)
            w.writerow([csv_cell(v) for v in row])
            record = {"source": row[0], "agency": row[1], "year": row[2], "rule_id": f[0], "severity": f[1],
                      "category": f[2], "message": row[6], "message_i18n": {"zh": f[3], "en": f[4]},
                      "pointer": f[5], "section": f[6], "where": row[8]}
            if r.overrides.get("fetched"):  # a report fetched from the web: the version the finding is about
                record["fetched"] = r.overrides["fetched"]
            fj.write(_jsonl(record, f[7]) + b"\n")


def _jsonl(record: dict[str, Any], location: str | None) -> bytes:
    """One line of findings.jsonl (``location``: the stored location JSON or None)."""
    try:
        return orjson.dumps({**record, "location": orjson.Fragment(location) if location else None})
    except TypeError:  # an integer beyond 64 bits
        return json_bytes({**record, "location": json_value(location.encode()) if location else None})


def _xlsx(path: Path, tabs: list[Table], lang: str) -> None:
    """A workbook of these tables alone, one sheet each (no overview)."""
    book = workbook.Book(path)
    try:
        for t in tabs:
            workbook.write_table(book, t, lang)
        book.close()
    except BaseException:
        book.discard()
        raise
