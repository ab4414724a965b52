"""The audit's outputs: summary.xlsx, the same tables as CSV, findings.jsonl, one result JSON per
report (``results/``) and the dashboard ``audit.html``.

Every table is built once (:func:`tables`) and written in each form. The table of every
finding (hundreds of thousands of rows in a national audit) is never held in memory: it is
streamed from the audit database by the two processes that write it (the workbook; the
findings CSV and JSON Lines). Outputs are skipped when nothing changed since they were last
written to the same folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing.process
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from rustpy_xlsxwriter import Format, write_worksheets

from checker import __version__
from checker.audit.dashboard import render_dashboard
from checker.audit.pool import child_process, start_child
from checker.audit.runner import AuditSummary, Row, results_file
from checker.audit.safe import clean, json_bytes, json_value
from checker.audit.store import Store
from checker.fileio import atomic_binary_writer, atomic_writer, write_atomic
from checker.loader import RuleSet
from checker.render.configuration import configuration_lines
from checker.render.labels import KIND_ZH, LEVEL_ZH, place_text
from checker.render.safe import csv_cell
from checker.scoring import WITHHELD

EXCEL_MAX_ROWS = 1_000_000
XLSX_CELL_CHARS = 32_767  # Excel's limit on the text of one cell
_CONFLICTS_SHOWN = 5  # other reports named in a conflict row (a common name can have hundreds)
STATUS_ZH = {"duplicate": "重复文件", "unreadable": "无法读取", "non_report": "不是年度报告", "invalid": "文档格式不符",
             "missing": "找不到文件", "mislabelled": "标注不符", "conflict": "同一机关同一年度有多份报告",
             "error": "处理出错", "timeout": "处理超时", "listed_twice": "清单重复列出"}
STATUS_EN = {"duplicate": "duplicate", "unreadable": "unreadable", "non_report": "not a report",
             "invalid": "invalid document", "missing": "missing", "mislabelled": "mislabelled",
             "conflict": "conflict", "error": "processing failed", "timeout": "timed out",
             "listed_twice": "listed twice"}


@dataclass(frozen=True)
class Table:
    """One output table: a name (file and sheet), headers, and rows (a list, or a stream of ``size`` rows)."""

    name: str
    sheet: str
    headers: list[str]
    rows: Iterable[list[Any]]
    size: int | None = None

    def __len__(self) -> int:
        return self.size if self.size is not None else len(self.rows)  # type: ignore[arg-type]


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


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
    RESULT = range(16)


def configuration_table(ruleset: RuleSet, lang: str) -> Table:
    """The run's configuration as ``gkcheck check`` shows it (:func:`configuration_lines`), then one row per
    rule not run and per severity changed (a sheet of summary.xlsx)."""
    headers = [_t(lang, "项目", "Item"), _t(lang, "规则", "Rule"), _t(lang, "说明", "Detail")]
    conf = ruleset.configuration
    lines = configuration_lines(ruleset, lang) or [_t(lang, "未使用配置文件：运行全部默认规则，严重程度按规则文件。",
                                                     "No configuration file: every default rule runs at its "
                                                     "rule file's severity.")]
    rows: list[list[Any]] = [[_t(lang, "配置", "Configuration"), None, line] for line in lines]
    rows += [[_t(lang, "未运行的规则", "Rule not run"), c.rule_id, f"{c.name}（{c.source} {c.key}）"]
             for c in conf.deselected]
    rows += [[_t(lang, "调整严重程度", "Severity changed"), c.rule_id, f"{c.before}→{c.after}（{c.source}）"]
             for c in conf.severities]
    return Table("configuration", _t(lang, "配置", "Configuration"), headers, rows)


def _ranking(summary: AuditSummary, lang: str) -> Table:
    headers = [_t(lang, "名次", "Rank"), _t(lang, "机关", "Agency"), _t(lang, "年度", "Year"),
               _t(lang, "机关类型", "Kind"), _t(lang, "层级", "Level"), _t(lang, "地区", "Region"),
               _t(lang, "得分", "Score"), _t(lang, "等级", "Grade"),
               _t(lang, "可判断规则占比%", "Rules judged %"), _t(lang, "读取提示", "Reading notices"),
               _t(lang, "错误", "Errors"),
               _t(lang, "警告", "Warnings"), _t(lang, "提示", "Info"), _t(lang, "是否通过", "Passed"),
               _t(lang, "文件", "File"), _t(lang, "检查结果", "Result")]
    rows = []
    n = 0
    for r in ranked(summary):
        res = r.result or {}
        graded = _graded(r) or res.get("score") is None
        n += graded
        kind, level = r.meta.get("kind"), r.meta.get("level")
        coverage = res.get("coverage")
        rows.append([n if graded else None, r.meta.get("agency") or "", r.meta.get("year"),
                     KIND_ZH.get(kind or "", kind or "") if lang != "en" else kind or "",
                     LEVEL_ZH.get(level or "", level or "") if lang != "en" else level or "", r.meta.get("region") or "",
                     res.get("score"), res.get("grade"),
                     None if coverage is None else int(coverage * 100 + 1e-9), res.get("notices", 0),
                     res.get("errors"), res.get("warnings"), res.get("infos"),
                     _t(lang, "是", "yes") if res.get("passed") else _t(lang, "否", "no"), clean(r.path),
                     results_file(r, summary.variant)])
    return Table("ranking", _t(lang, "排名", "Ranking"), headers, rows)


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
    headers = [_t(lang, "规则", "Rule"), _t(lang, "标题", "Title"), _t(lang, "严重程度", "Severity"),
               _t(lang, "类别", "Category"), _t(lang, "未通过报告数", "Reports failing"),
               _t(lang, "占比%", "Share %"), _t(lang, "问题数", "Findings")]
    rows = []
    for rule_id in sorted(per_rule, key=lambda k: (-per_rule[k][0], k)):
        rule = ruleset.by_id.get(rule_id)
        reports, count = per_rule[rule_id]
        rows.append([rule_id, rule.title.get(lang) if rule else "", rule.severity.value if rule else "",
                     rule.category if rule else "", reports, round(100 * reports / total, 1), count])
    return Table("rules", _t(lang, "规则未通过情况", "Failures per rule"), headers, rows)


def _yoy(summary: AuditSummary, lang: str) -> Table:
    by_key = {r.key: r for r in summary.checked}
    headers = [_t(lang, "机关", "Agency"), _t(lang, "年度", "Year"), _t(lang, "得分", "Score"),
               _t(lang, "上年度得分", "Previous score"), _t(lang, "变化", "Change"), _t(lang, "等级", "Grade"),
               _t(lang, "上年度等级", "Previous grade"), _t(lang, "文件", "File"), _t(lang, "上年度文件", "Previous file")]
    rows = []
    for r in sorted(summary.checked, key=lambda r: (r.meta.get("agency") or "", r.meta.get("year") or 0)):
        prev = by_key.get(r.previous)
        if prev is None or prev.result is None or r.result is None:
            continue
        a, b = r.result["score"], prev.result["score"]
        change = round(a - b, 1) if a is not None and b is not None else None
        rows.append([r.meta.get("agency"), r.meta.get("year"), a, b, change, r.result["grade"],
                     prev.result["grade"], clean(r.path), clean(prev.path)])
    return Table("year_over_year", _t(lang, "跨年度比较", "Year over year"), headers, rows)


def problems(summary: AuditSummary) -> list[tuple[str, str, str, str]]:
    """(path, category, zh, en) for every input that was not checked, mislabelled or in conflict."""
    out = []
    for r in summary.rows:
        if r.status != "checked" and r.reason:
            out.append((clean(r.path), r.status, r.reason[0], r.reason[1]))
        for zh, en in r.notes:
            out.append((clean(r.path), "mislabelled", zh, en))
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
    headers = [_t(lang, "文件", "File"), _t(lang, "问题", "Problem"), _t(lang, "说明", "Details")]
    rows = [[p, STATUS_EN[c] if lang == "en" else STATUS_ZH[c], en if lang == "en" else zh]
            for p, c, zh, en in problems(summary)]
    return Table("problems", _t(lang, "输入问题", "Input problems"), headers, rows)


def _finding_table(findings: Iterable[tuple[Row, list[Any]]], lang: str, size: int) -> Table:
    """Every finding (a stream of ``size`` rows)."""
    return Table("findings", _t(lang, "全部问题", "All findings"), _finding_headers(lang),
                 (_finding_row(r, f, lang) for r, f in findings), size)


def _finding_row(r: Row, f: list[Any], lang: str) -> list[Any]:
    return [clean(r.path), r.meta.get("agency"), r.meta.get("year"), f[0], f[1], f[2], f[4] if lang == "en" else f[3], f[5],
            _where(f, lang)]


def _where(f: list[Any], lang: str) -> str:
    """Where a stored finding is, in the words of the reports (``place_text``: page, paragraph or line, quote, field)."""
    try:
        location = json_value(f[7].encode()) if f[7] else None
    except ValueError:
        location = None
    return place_text(str(f[5] or ""), location if isinstance(location, dict) else None, lang)


def _finding_headers(lang: str) -> list[str]:
    return [_t(lang, "文件", "File"), _t(lang, "机关", "Agency"), _t(lang, "年度", "Year"), _t(lang, "规则", "Rule"),
               _t(lang, "严重程度", "Severity"), _t(lang, "类别", "Category"), _t(lang, "问题", "Message"),
               _t(lang, "位置", "Pointer"), _t(lang, "原文位置", "Location")]


def _fingerprint(summary: AuditSummary) -> str:
    """What the outputs are made of: gkcheck's version, the variant (rules' content, language, policy,
    bounds) and every row's identity, status and reason."""
    h = hashlib.sha256(f"{__version__}\0{summary.variant}\0{summary.options.lang}\n".encode())
    for r in summary.rows:
        h.update(repr((clean(r.path), r.status, r.key, r.previous, r.notes, r.reason)).encode("utf-8", "replace"))
    h.update(repr(summary.conflicts).encode("utf-8", "replace"))
    return h.hexdigest()


OUTPUT_FILES = ("summary.xlsx", "ranking.csv", "rules.csv", "year_over_year.csv", "problems.csv",
                "configuration.csv", "findings.csv", "findings.jsonl", "audit.html")
OUTPUTS_MANIFEST = ".gkcheck-outputs.json"
"""Written last, atomically: the fingerprint the outputs were made from and the sha256 of each output file.
The outputs are up to date only when it exists, its fingerprint is the run's, and every file's hash matches."""
_LOCK = ".gkcheck-outputs.lock"


def write_outputs(summary: AuditSummary, ruleset: RuleSet) -> bool:
    """Write every output into ``summary.options.output``; False when they were already up to date.

    Each file is written to a temporary file and renamed into place when complete, so an interrupted run
    leaves whole files (old or new), never a part of one; "up to date" is decided from the outputs' own
    hashes (:data:`OUTPUTS_MANIFEST`), so a damaged, missing or mixed set of outputs is always written again.
    """
    out = summary.options.output
    fingerprint = _fingerprint(summary)
    with _locked(out):  # another audit writing into the same folder waits; temporary files here are stale
        if _up_to_date(out, fingerprint):
            return False
        _unlink(out / OUTPUTS_MANIFEST)
        _remove_temporaries(out)
        # the three largest outputs are written side by side: the findings CSV/JSONL and the workbook in
        # two forked processes (each streams the findings from the database; the first starts at once,
        # the second once the tables it also holds are built), the small tables and the dashboard here
        background: list[_Background] = []
        try:
            _start(background, _findings_files, summary)
            store = Store(summary.options.db_path, readonly=True)
            try:
                counts = per_rule(summary, store)
            finally:
                store.close()
            tabs = tables(summary, ruleset, counts)
            _start(background, _workbook, summary, tabs, sum(n for _, n in counts.values()))
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
        files = {name: _sha256(out / name) for name in OUTPUT_FILES}
        write_atomic(out / OUTPUTS_MANIFEST, json.dumps({"fingerprint": fingerprint, "files": files}, indent=1))
        return True


def _up_to_date(out: Path, fingerprint: str) -> bool:
    try:
        manifest = json.loads((out / OUTPUTS_MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        return (manifest["fingerprint"] == fingerprint and set(files) == set(OUTPUT_FILES)
                and all(_sha256(out / name) == files[name] for name in OUTPUT_FILES))
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
    for name in OUTPUT_FILES:
        for tmp in out.glob(f".{name}.*.tmp"):
            _unlink(tmp)


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


def _workbook(summary: AuditSummary, tabs: list[Table], size: int) -> None:
    lang = summary.options.lang
    every = _finding_table(_findings(summary), lang, size)
    _xlsx(summary.options.output / "summary.xlsx", [*tabs[:3], every, *tabs[3:]], lang)


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
            fj.write(_jsonl({"source": row[0], "agency": row[1], "year": row[2], "rule_id": f[0], "severity": f[1],
                             "category": f[2], "message": row[6], "message_i18n": {"zh": f[3], "en": f[4]},
                             "pointer": f[5], "section": f[6], "where": row[8]}, f[7]) + b"\n")


def _jsonl(record: dict[str, Any], location: str | None) -> bytes:
    """One line of findings.jsonl (``location``: the stored location JSON or None)."""
    try:
        return orjson.dumps({**record, "location": orjson.Fragment(location) if location else None})
    except TypeError:  # an integer beyond 64 bits
        return json_bytes({**record, "location": json_value(location.encode()) if location else None})


def _xlsx(path: Path, tabs: list[Table], lang: str) -> None:
    """One sheet per table, written by rustpy-xlsxwriter (rust_xlsxwriter, constant memory): a bold header
    row on a light-blue fill with a thin border, frozen; columns 14 wide. Numbers are numbers, None an empty
    cell, and every string plain text (never a formula or a link)."""
    for t in tabs:  # the writer takes the header row from the keys of the first record
        if len(set(t.headers)) != len(t.headers):
            raise ValueError(f"duplicate column header in table {t.name}: {t.headers}")
    head = Format().set_bold().set_background_color("#DDE6F0").set_border("thin")
    # the writer takes a file name: a temporary file beside the workbook, renamed into place when complete
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write_worksheets([(t.sheet[:31], _records(t, lang)) for t in tabs], tmp,
                         freeze_panes={"general": {"row": 1}}, column_width={"general": 14},
                         header_format={"general": head})
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        _unlink(Path(tmp))
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _xlsx_cell(value: Any) -> Any:
    """A cell value the workbook writer takes: text without lone surrogates and within Excel's 32,767
    characters (the CSV files have it whole), integers it can hold."""
    if isinstance(value, str):
        return clean(value if len(value) <= XLSX_CELL_CHARS else value[:XLSX_CELL_CHARS - 1] + "…")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


def _records(t: Table, lang: str) -> Iterator[dict[str, Any]]:
    """The first EXCEL_MAX_ROWS rows as {header: value}, then a note row when some were left out.
    An empty table gives one all-None record: the header row is written and no cell under it."""
    headers = t.headers
    for row in islice(t.rows, EXCEL_MAX_ROWS):
        yield dict(zip(headers, map(_xlsx_cell, row)))
    more = len(t) - EXCEL_MAX_ROWS
    if more > 0:
        yield dict.fromkeys(headers) | {headers[0]: _t(lang, f"（另有 {more} 行，见 {t.name}.csv）",
                                                       f"({more} more rows in {t.name}.csv)")}
    elif not len(t):
        yield dict.fromkeys(headers)
