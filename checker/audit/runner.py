"""The batch audit: discover → ingest in parallel → pair years → check in vectorized chunks → outputs.

1. **Ingest** (supervised worker processes, :mod:`checker.audit.pool`, or a Dask cluster): files
   whose content (sha256, cached by path, size and mtime) has no record for this gkcheck, the
   content of these rules and these limits are read,
   hashed, ingested and validated. What arrives is committed to the database every 5,000
   files or 2 seconds, and when the phase ends or is interrupted.
2. **Pairing** (main process): reports of the same body in consecutive years; duplicates
   (same content twice) and conflicts (two different reports for one body and year) are found.
3. **Check** (workers): reports without a stored result for (key, rule set/language/policy,
   previous-year report) are checked in chunks, each chunk in ONE vectorized engine pass,
   with the cross-year rules for the paired ones. Each chunk is committed as it arrives.
4. **Outputs** are written from the database (skipped when the outputs' own hashes show them
   whole and made from the same rows and options).

Each report is its own boundary in every phase: whatever goes wrong with one report is stored as
that report's failure (with its reason) and the audit goes on.

Memory stays bounded: only metadata of all reports is held; documents live one chunk at a time.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from checker import __version__, limits
from checker.audit import pairing
from checker.audit.discover import Entry, discover, is_url
from checker.audit.pool import Feed, Pool, Stopped, TaskError
from checker.audit.safe import clean, json_bytes
from checker.audit.store import Store
from checker.audit.web import WebOptions, fetch_entries, with_publication_records
from checker.audit.worker import (
    Checked,
    CheckItem,
    Ingested,
    Settings,
    StoredProfile,
    check_budget,
    check_chunk,
    config_stamp,
    crashed,
    failed,
    failure,
    fallback_year,
    ingest_chunk,
    result_name,
    stored_profile,
    write_result,
)
from checker.config import discover as config_discover
from checker.config import shown_path
from checker.errors import InputError, RuleSetError
from checker.loader import RuleSet
from checker.messages import pick
from checker.model import Finding
from checker.verdict import ERROR, FAILED, PASSED
from checker.waivers import Waiver, unused

_SLOW_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".xhtml"}
_COMMIT_FILES, _COMMIT_SECONDS = 5000, 2.0  # ingest records per transaction (fewer, larger transactions)


class Progress(Protocol):
    """What the audit reports while it runs (the command shows it as a bar or as plain lines)."""

    def phase(self, label: str, total: int) -> None:
        """A phase with ``total`` steps starts."""

    def advance(self, n: int) -> None:
        """``n`` more steps are done."""

    def done(self) -> None:
        """The phase is over."""


class _Silent:
    def phase(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def done(self) -> None:
        pass


@dataclass(frozen=True)
class AuditOptions:
    """Options of one audit run.

    Attributes:
        paths: files, folders, glob patterns and manifest CSV files.
        output: the output folder.
        db: the audit database (default: ``audit.sqlite`` in the output folder).
        jobs: worker processes (default: all cores; 1 runs everything in this process).
        chunk_size: reports per vectorized check pass.
        rule_files: rule files instead of the bundled ones.
        lang: language of outputs.
        fail_on: severity at which a report fails (``error``, ``warning``, ``info``).
        min_score: a report scoring below this fails.
        executor: ``process`` (local worker processes) or ``dask``.
        scheduler: the Dask scheduler address (``tcp://host:8786``), or a ``distributed.Client``.
        force: ignore stored results and check everything again.
        config: the configuration file (``--config``); None: discovered from the audited paths
            (see :func:`audit_config`) unless ``no_config``.
        no_config: use no configuration file (``--no-config``).
        region: ``--region`` (replaces the configuration's region).
        allow_partial_rules: ``--allow-partial-rules``.
        year: ``--year``: the reported year of the files that state none (a year a file states is kept; the
            manifest's ``year`` column overrides both).
        web: how reports on the web are fetched (``--offline``, ``--per-host``, ``--delay``).
    """

    paths: tuple[str, ...]
    output: Path
    db: Path | None = None
    jobs: int | None = None
    chunk_size: int = 5000
    rule_files: tuple[str, ...] | None = None
    lang: str = "zh"
    fail_on: str = "error"
    min_score: float | None = None
    executor: str = "process"
    scheduler: Any = None
    force: bool = False
    config: str | None = None
    no_config: bool = False
    region: str | None = None
    allow_partial_rules: bool = False
    year: int | None = None
    web: WebOptions = field(default_factory=WebOptions)

    @property
    def db_path(self) -> Path:
        """Where the audit database is."""
        return self.db or self.output / "audit.sqlite"


@dataclass
class Row:
    """One input of the audit and what became of it.

    Attributes:
        path: the file.
        status: ``checked``, ``duplicate``, ``listed_twice`` (a second manifest row for a file), ``missing``,
            ``non_report``, or a failure: ``unreadable``, ``invalid``, ``error`` (gkcheck failed on it),
            ``timeout`` (over ``limits.REPORT_SECONDS``).
        reason: (zh, en) why it was not checked.
        sha256: content hash.
        key: result key (content hash, combined with the manifest's overrides when any).
        meta: agency, kind, level, region, year, published, url, title, format (manifest applied).
        body: the pairing id of the agency.
        notes: (zh, en) mislabelling noticed; the report is still checked.
        previous: key of the same body's previous-year report ("" when none).
        result: score, grade, errors, warnings, infos, max_rank, passed (checked rows).
        overrides: the manifest's columns for this file.
        file_kind: json, text, html, docx or pdf (by content; "" when unknown).
        fresh: its result (or failure) was made in this run, not taken from the database.
    """

    path: str
    status: str
    reason: tuple[str, str] | None = None
    sha256: str = ""
    key: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)
    previous: str = ""
    result: dict[str, Any] | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    file_kind: str = ""
    fresh: bool = False

    @property
    def shown(self) -> str:
        """How the outputs name it: the web address of a report fetched from the web (``path`` is then the file
        of the fetched version), else the path."""
        return self.overrides["url"] if "fetched" in self.overrides else self.path


FAILED_STATUSES = frozenset({"unreadable", "invalid", "error", "timeout"})
"""Statuses of inputs that should have been checked and could not be (exit code 1)."""


@dataclass(frozen=True)
class Counts:
    """The numbers an audit reports, all derived from its rows (so none can disagree or go negative).

    Attributes:
        checked: reports with a result.
        checked_now: of which checked in this run (the others come from the database).
        from_database: of which taken from the database.
        failing: checked reports that fail the policy (``--fail-on``, ``--min-score``).
        failed: inputs that could not be checked (unreadable, invalid, gkcheck failed, over the time bound).
        not_reports: files that are not annual reports.
        duplicates: files with the same content as another (checked once).
        listed_twice: second manifest rows for a file already listed.
        missing: paths that matched nothing.
    """

    checked: int
    checked_now: int
    from_database: int
    failing: int
    failed: int
    not_reports: int
    duplicates: int
    listed_twice: int
    missing: int


@dataclass
class AuditSummary:
    """What an audit found, for the outputs and the command's closing lines.

    Attributes:
        rows: one per input file (and per path that matched nothing, and per manifest row listing a file
            again).
        conflicts: (body, year, paths) of bodies with several different reports for one year.
        ingested_now: files ingested in this run.
        seconds: wall time so far.
        variant: the stored-result variant (rule-set version, language, policy).
        options: the run's options.
        ruleset: the rules that ran, under the run's configuration (what the outputs describe).
        notices: run-level findings: the configuration's waivers that cover no report of the audit.
    """

    rows: list[Row]
    conflicts: list[tuple[str, int, list[str]]]
    ingested_now: int
    seconds: float
    variant: str
    options: AuditOptions
    ruleset: RuleSet = field(default_factory=lambda: Settings(None).compiled().ruleset)
    notices: tuple[Finding, ...] = ()

    @property
    def checked(self) -> list[Row]:
        """Rows with a result."""
        return [r for r in self.rows if r.result is not None]

    @property
    def counts(self) -> Counts:
        """Every number of the closing lines and the exit code."""
        status = Counter(r.status for r in self.rows)
        checked = self.checked
        now = sum(1 for r in checked if r.fresh)
        return Counts(len(checked), now, len(checked) - now,
                      sum(1 for r in checked if r.result is not None and not r.result["passed"]),
                      sum(status[s] for s in FAILED_STATUSES), status["non_report"], status["duplicate"],
                      status["listed_twice"], status["missing"])

    @property
    def checked_now(self) -> int:
        """Reports checked in this run."""
        return self.counts.checked_now

    @property
    def failed(self) -> int:
        """How many checked reports fail the policy."""
        return self.counts.failing

    def exit_code(self, exit_zero: bool = False) -> int:
        """2 when a path matched nothing or no report could be checked; 1 when any input could not be
        checked (unreadable, invalid, gkcheck failed on it, over the time bound) or, unless ``exit_zero``,
        any report fails the policy; else 0."""
        c = self.counts
        if c.missing or not c.checked:
            return ERROR
        if c.failed or (c.failing and not exit_zero):
            return FAILED
        return PASSED


def run_audit(opts: AuditOptions, progress: Progress | None = None) -> AuditSummary:
    """Audit every report under ``opts.paths``; outputs go to ``opts.output``.

    One report's failure never stops the audit: whatever goes wrong with one file (a reader's
    exception, a value the database cannot hold, a worker that crashes or goes over
    ``limits.REPORT_SECONDS``) is stored as that report's failure, with its reason, and listed.

    Raises:
        InputError: a manifest is malformed, or the output folder or the database cannot be written.
        KeyboardInterrupt: the run was interrupted; every committed chunk is kept.
    """
    start = time.perf_counter()
    progress = progress or _Silent()
    entries, problems = discover(opts.paths)
    settings = audit_settings(opts)
    compiled, waivers = settings.configured()  # compiled before the workers fork: they inherit it
    ruleset = compiled.ruleset
    rules, bounds = rules_key(ruleset, waivers, settings.day), _limits_key()
    version = f"{__version__}|{rules}|{bounds}"
    variant = f"{rules[:32]}|{opts.lang}|{opts.fail_on}|{opts.min_score}|{bounds}"
    # local workers write each result file as soon as the report is checked (a Dask worker may not
    # see the output folder: it returns the result JSON and this process writes it)
    settings = replace(settings, variant=variant,
                       results_dir=str(opts.output / "results") if opts.executor != "dask" else None)
    writable_folder(opts.output)
    (opts.output / "results").mkdir(exist_ok=True)
    store = Store(opts.db_path)
    try:
        entries, unfetched = fetch_entries(entries, store, opts.output, opts.web, progress, opts.lang)  # web reports
        problems += unfetched
        with _executor(opts) as ex:
            sha_of, fresh, known = _ingest(entries, store, ex, settings, version, opts, progress)
            entries = with_publication_records(entries, store, sha_of)  # GK-P-001's inputs (web reports)
            rows = _rows(entries, sha_of, fresh, known, waivers)
            pairs = _pair(rows)
            results, now = _check(rows, store, ex, settings, variant, opts, progress)
        _attach(rows, results, now)
    finally:
        store.close()
    rows.extend(Row(path, status, (zh, en)) for path, status, zh, en in problems)
    path_of = {r.key: r.shown for r in rows if r.status == "checked"}
    conflicts = [(body, year, [path_of[k] for k in keys if k in path_of]) for body, year, keys in pairs.conflicts]
    # waivers covering no report of the whole audit (each chunk waives its own reports only)
    notices = unused([(clean(r.path), str(r.meta.get("agency") or "")) for r in rows if r.result is not None],
                     waivers, settings.day, ruleset) if waivers else []
    return AuditSummary(rows, conflicts, len(fresh), time.perf_counter() - start, variant, opts, ruleset,
                        tuple(notices))


def audit_settings(opts: AuditOptions) -> Settings:
    """The settings of an audit: its configuration found (:func:`audit_config`) and checked here, in the main
    process, so that a broken configuration or rule file stops the audit before any work (exit 2)."""
    config = audit_config(opts.paths, opts.config, opts.no_config)
    settings = Settings(opts.rule_files, opts.lang, opts.fail_on, opts.min_score,
                        config=str(config) if config else None, region=opts.region,
                        allow_partial=opts.allow_partial_rules, today=dt.date.today().isoformat(),
                        stamp=config_stamp(str(config) if config else None), year=opts.year)
    settings.configured()
    return settings


def audit_config(paths: Sequence[str], explicit: str | None = None, disabled: bool = False) -> Path | None:
    """The configuration file of an audit: ``explicit``; none when ``disabled``; else discovered as ``gkcheck
    check`` discovers it (gkcheck.toml or pyproject.toml with [tool.gkcheck], upward), from each audited
    folder (a file's or manifest's folder; a pattern's folder before its first wildcard).

    Raises:
        RuleSetError: audited paths discover different configurations (or some one and others none): the
            audit refuses to guess which applies; ``--config`` or ``--no-config`` decides.
    """
    if disabled:
        return None
    if explicit:
        return Path(explicit)
    found: dict[Path | None, str] = {}
    folders: set[Path] = set()
    for arg in paths:
        folder = _audited_folder(arg)
        if folder in folders:  # thousands of web addresses or files of one folder: one search
            continue
        folders.add(folder)
        found.setdefault(config_discover([str(folder / "-")]), arg)
    if len(found) > 1:
        shown = "；".join(f"{clean(arg)} → {shown_path(p) if p else '无配置文件'}" for p, arg in found.items())
        shown_en = "; ".join(f"{clean(arg)} -> {shown_path(p) if p else 'no configuration file'}"
                             for p, arg in found.items())
        raise RuleSetError(f"被审核的路径找到的配置文件不一致：{shown}。一次审核只能使用一个配置，"
                           "请用 --config 指定要使用的配置文件，或用 --no-config 不使用配置文件，或分别审核。",
                           f"The audited paths find different configuration files: {shown_en}. An audit uses one "
                           "configuration: choose it with --config, use none with --no-config, or audit them "
                           "separately.")
    return next(iter(found), None)


def _audited_folder(arg: str) -> Path:
    """The folder a configuration is discovered from for one audited path."""
    if is_url(arg):  # a report on the web: the configuration of the folder the audit runs in
        return Path(".")
    path = Path(arg)
    if glob.has_magic(arg):
        parts = []
        for part in path.parts:
            if glob.has_magic(part):
                break
            parts.append(part)
        path = Path(*parts) if parts else Path(".")
        return path
    try:
        return path if path.is_dir() else path.parent
    except OSError:
        return path.parent


def rules_key(ruleset: RuleSet, waivers: Sequence[Waiver] = (), today: dt.date | None = None) -> str:
    """The content hash of the rules actually used: gkcheck's version and the rule set's fingerprint.

    The fingerprint covers every rule file's content and what configuration changes in the
    results, so editing a rule (without changing its file's ``version:``) checks the reports
    again. Stored ingest records and results are keyed by it.
    """
    conf = ruleset.configuration
    day = today or dt.date.today()
    # what else of the configuration reaches the results: the file shown and the rule sets it enabled, and
    # the waivers (a waiver that expires changes the results it covers)
    extra = repr((conf.file, conf.region, conf.local,
                  [(w.rule_id, w.files, w.agencies, w.reason, w.approver, w.expires.isoformat(), w.expired(day),
                    str(w.base)) for w in waivers])) if conf.shown or waivers else ""
    return hashlib.sha256(f"{__version__}\n{ruleset.fingerprint}{extra and chr(10) + extra}".encode()).hexdigest()


def _limits_key() -> str:
    """The bounds in force: a report refused or stopped by one is read again once the bound is raised."""
    return ",".join(f"{b.name}={b.value()}" for b in limits.ALL)


def writable_folder(folder: Path) -> None:
    """Create ``folder`` if needed and make sure a file can be written in it (before any work is done).

    Raises:
        InputError: it cannot be created or written (read-only, a file of that name, no permission).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".gkcheck-write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise InputError(f"无法写入输出文件夹 {clean(str(folder))}（{why}）。请检查该文件夹的权限和磁盘空间，"
                         "或用 -o 指定另一个可写的文件夹。",
                         f"Cannot write to the output folder {clean(str(folder))} ({why}). Check its permissions "
                         "and free space, or choose another folder with -o.") from None


@contextmanager
def _executor(opts: AuditOptions) -> Iterator[Executor | Pool]:
    if opts.executor == "dask":
        from checker.audit.dask_executor import dask_executor
        with dask_executor(opts.scheduler) as ex:
            yield ex
        return
    jobs = opts.jobs or os.cpu_count() or 1
    try:
        pool = Pool(jobs, "fork" if sys.platform.startswith("linux") else None)
    except AssertionError:  # inside a daemonic process (no children allowed): this process does the work
        yield _Inline()
        return
    with pool:
        yield pool


class _Inline(Executor):
    """Runs each task at once in this process (where no worker process can be started)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller as the task's outcome
            future.set_exception(exc)
        return future


def _stream(ex: Executor | Pool, fn: Callable[..., Any], feed: Feed, settings: Settings,
            window: int) -> Iterator[tuple[Any, Any]]:
    """Run ``fn(task, settings)`` for every task of ``feed``; yield (task, result or the exception that
    stopped it) as each completes (at most ``window`` in flight on an executor)."""
    if isinstance(ex, Pool):
        yield from ex.stream(fn, feed, settings, seconds=lambda task: check_budget(len(task)))
        return
    running: dict[Future[Any], Any] = {}
    while True:
        while len(running) < window:
            more, task = feed.next()
            if not more:
                break
            running[ex.submit(fn, task, settings)] = task
        if not running:
            return
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for f in done:
            task = running.pop(f)
            exc = f.exception()
            yield task, exc if exc is not None else f.result()


def _isolated(ex: Executor | Pool, fn: Callable[..., Any], chunks: Iterable[list[Any]], settings: Settings,
              window: int, fail: Callable[[Any, BaseException], Any]) -> Iterator[list[Any]]:
    """The results of ``fn`` over chunks of reports, one report's failure costing that report only.

    A worker stopped (time bound, crash) on one report of a chunk has that report recorded as
    failed (``fail(item, why)``) and the rest sent again. When the whole chunk failed (one engine
    pass over all its reports): after an exception or a crash, each half is run again (a pass
    costs ~0.4 s whatever its size, so halving finds the report in a few passes); after going over
    the time bound, each report alone (halving would wait for the bound at every level).
    """
    feed = Feed(chunks)
    for chunk, outcome in _stream(ex, fn, feed, settings, window):
        if not isinstance(outcome, BaseException):
            yield outcome
            continue
        index = outcome.index if isinstance(outcome, Stopped) else -1
        if len(chunk) == 1:
            yield [fail(chunk[0], outcome)]
        elif 0 <= index < len(chunk):
            yield [fail(chunk[index], outcome)]
            feed.push(chunk[:index] + chunk[index + 1:])
        elif isinstance(outcome, Stopped) and outcome.timed_out:
            for item in chunk:
                feed.push([item])
        else:
            half = len(chunk) // 2
            feed.push(chunk[:half])
            feed.push(chunk[half:])


def _why(outcome: BaseException, path: str, doing_zh: str, doing_en: str) -> tuple[str, str, str]:
    """The stored failure of a report whose task did not complete."""
    if isinstance(outcome, Stopped) and outcome.timed_out:
        err = limits.REPORT_SECONDS.exceeded(f">{limits.REPORT_SECONDS.value()}", where_zh=f"报告 {path}",
                                             where_en=f"the report {path}")
        return failure("timeout", err.zh, err.en)
    if isinstance(outcome, Stopped):
        return failure("error", f"{doing_zh}该报告的工作进程意外退出（退出码 {outcome.exitcode}，可能是内存不足），"
                                "已跳过该报告，其余报告照常处理。",
                       f"The worker {doing_en} this report exited unexpectedly (exit code {outcome.exitcode}, "
                       "perhaps out of memory); it was skipped and the others were processed.")
    if isinstance(outcome, TaskError) and outcome.kind == "MemoryError":
        err = limits.MEMORY_MB.exceeded(f">{limits.MEMORY_MB.value()}", where_zh=f"报告 {path}",
                                        where_en=f"the report {path}")
        return failure("error", err.zh, err.en)
    return crashed(outcome, doing_zh, doing_en)


def _window(opts: AuditOptions) -> int:
    return 2 * (opts.jobs or os.cpu_count() or 1) + 1


def _ingest(entries: list[Entry], store: Store, ex: Executor | Pool, settings: Settings, version: str,
            opts: AuditOptions, progress: Progress) -> tuple[dict[str, str], dict[str, Ingested],
                                                             dict[str, dict[str, Any]]]:
    """Phase 1: hash (from the stat cache when unchanged) and ingest what is new.

    Returns (path → sha256, path → what was ingested now, sha256 → what ingest found for every content).
    """
    cached = {} if opts.force else store.stats([e.path for e in entries])
    sha_of: dict[str, str] = {}
    for e in entries:
        try:
            st = os.stat(e.path)
        except (OSError, ValueError):
            continue
        c = cached.get(e.path)
        if c and c[0] == st.st_size and c[1] == st.st_mtime_ns:
            sha_of[e.path] = c[2]
    fallback = {e.path: fallback_year(e.overrides, opts.year) for e in entries}
    stored = store.ingested(set(sha_of.values()), version)
    todo = [e.path for e in entries
            if (sha := sha_of.get(e.path)) not in stored or _year_changed(stored[sha], fallback[e.path])]
    again = {sha_of[path] for path in todo if path in sha_of}
    known = {sha: info for sha, info in stored.items() if sha not in again}
    docs = store.documents(again, __version__)
    fresh: dict[str, Ingested] = {}
    progress.phase(pick(opts.lang, "读取报告", "Reading reports"), len(todo))
    pending: list[Ingested] = []  # committed every few thousand files or seconds, and when the phase ends
    last = time.monotonic()

    def fail(task: tuple[str, Any], why: BaseException) -> Ingested:
        return failed_ingest(task[0], _why(why, clean(task[0]), "读取", "reading"))

    try:
        for items in _isolated(ex, ingest_chunk, _ingest_chunks(todo, sha_of, docs, fallback), settings,
                               _window(opts),
                               fail):
            pending.extend(items)
            if len(pending) >= _COMMIT_FILES or time.monotonic() - last > _COMMIT_SECONDS:
                _record(store.save_ingested(pending, version, __version__), fresh, sha_of, known)
                pending, last = [], time.monotonic()
            progress.advance(len(items))
    finally:  # also on Ctrl-C or an error: what was ingested is kept
        _record(store.save_ingested(pending, version, __version__), fresh, sha_of, known)
    progress.done()
    return sha_of, fresh, known


def _year_changed(info: dict[str, Any], year: int | None) -> bool:
    """Whether a stored ingest record depends on the year given for a file that states none (its manifest
    row's, else ``--year``: :func:`fallback_year`) and was made under another one: a report read with that
    year, or one refused for stating no year (read again now that a year is given)."""
    meta = info.get("meta") or {}
    if meta.get("year_given"):
        return meta.get("year") != year
    error = info.get("error") or ("", "", "")
    return year is not None and error[0] == "non_report" and "找不到报告年度" in str(error[1])


def _record(items: list[Ingested], fresh: dict[str, Ingested], sha_of: dict[str, str],
            known: dict[str, dict[str, Any]]) -> None:
    """Note what was ingested (as stored: a record the database could not hold became a failure)."""
    for item in items:
        fresh[item.path] = item
        if item.sha256:
            sha_of[item.path] = item.sha256
            known[item.sha256] = {"file_kind": item.file_kind, **item.info()}


def failed_ingest(path: str, error: tuple[str, str, str]) -> Ingested:
    """The ingest record of a file whose reading failed in a way its worker could not record (its worker
    went over the time bound or died), keyed by its content so that a re-run reuses it while the file and
    the rules are unchanged."""
    item = Ingested(path, error=error)
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size <= limits.INPUT_MB.bytes():
            with open(path, "rb") as fh:
                item.sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
            item.size, item.mtime_ns = st.st_size, st.st_mtime_ns
    except (OSError, ValueError):
        pass
    item.info_json = json_bytes(item.info())
    return item


def _ingest_chunks(paths: list[str], sha_of: dict[str, str], docs: dict[str, bytes],
                   years: dict[str, int | None]) -> Iterator[list[tuple[str, Any, int | None]]]:
    """Small chunks for slow formats (PDF, Word, HTML), larger ones for JSON and text (``years``: each file's
    year for when it states none, :func:`fallback_year`)."""
    fast: list[tuple[str, Any, int | None]] = []
    for path in paths:
        sha = sha_of.get(path, "")
        task = (path, sha.encode("ascii") + docs[sha] if sha in docs else None, years.get(path))
        if os.path.splitext(path)[1].lower() in _SLOW_SUFFIXES:
            yield [task]
            continue
        fast.append(task)
        if len(fast) >= 500:
            yield fast
            fast = []
    if fast:
        yield fast


def _rows(entries: list[Entry], sha_of: dict[str, str], fresh: dict[str, Ingested],
          known: dict[str, dict[str, Any]], waivers: Sequence[Waiver] = ()) -> list[Row]:
    """One row per entry: what ingest found, manifest applied, duplicates marked (each entry its own
    boundary: a row that cannot be built is that report's failure).

    ``waivers``: the run's waivers; those that choose reports by path (``files``) and cover an entry are part
    of its key (its result depends on its path then: a file moved into or out of a waiver's scope is checked
    again, and two files of the same content in and out of the scope are checked each)."""
    rows: list[Row] = []
    first_of: dict[str, str] = {}
    by_path = [(i, w) for i, w in enumerate(waivers) if w.files]
    for e in entries:
        try:
            scope = [i for i, w in by_path if w.covers_path(clean(e.path))] if by_path else []
            rows.append(_row(e, sha_of, fresh, known, first_of, scope))
        except Exception as exc:  # noqa: BLE001 - one report's bug: that report fails, the audit goes on
            rows.append(Row(e.path, "error", crashed(exc, "整理", "preparing")[1:], sha_of.get(e.path, ""),
                            overrides=e.overrides))
    return rows


def _row(e: Entry, sha_of: dict[str, str], fresh: dict[str, Ingested], known: dict[str, dict[str, Any]],
         first_of: dict[str, str], scope: list[int]) -> Row:
    sha = sha_of.get(e.path, "")
    info = known.get(sha)
    if info is None:
        item = fresh.get(e.path)
        err = item.error if item and item.error else ("unreadable", "无法读取文件", "Cannot read the file")
        return Row(e.path, _status(err[0]), (err[1], err[2]), sha, overrides=e.overrides)
    if info["error"]:
        cat, zh, en = info["error"]
        return Row(e.path, _status(cat), (zh, en), sha, notes=[tuple(n) for n in info["notes"]],
                   overrides=e.overrides)
    given = {"year": str(info["meta"].get("year"))} if info["meta"].get("year_given") else {}
    key = _key(sha, {**given, **e.overrides}, scope)  # a year from --year is part of the key, as a manifest's is
    meta = {**info["meta"], **_meta_overrides(e.overrides)}
    notes = [tuple(n) for n in info["notes"]] + _manifest_notes(info["meta"], e.overrides)
    body = e.overrides.get("agency_id") or pairing.normalise_agency(meta.get("agency") or "")
    if key in first_of:
        first = clean(first_of[key])
        return Row(e.path, "duplicate", (f"与 {first} 内容完全相同（只检查一次）",
                                         f"Same content as {first} (checked once)"), sha, key, meta)
    first_of[key] = e.path
    return Row(e.path, "checked", None, sha, key, meta, body, notes, overrides=e.overrides,
               file_kind=info["file_kind"])


def _status(category: str) -> str:
    """The row status of a stored failure category (records of older versions said ``internal``)."""
    return category if category in FAILED_STATUSES or category == "non_report" else "error"


def _key(sha: str, overrides: dict[str, str], scope: Sequence[int] = ()) -> str:
    values: dict[str, Any] = {k: v for k, v in overrides.items() if k != "agency_id"}
    if scope:  # the waivers covering the file by its path (see _rows)
        values[" waivers"] = list(scope)
    if not values:
        return sha
    return hashlib.sha256((sha + json.dumps(values, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()


def _meta_overrides(overrides: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in overrides.items()
                           if k in ("kind", "level", "region", "published", "url", "fetched")}
    if "agency" in overrides:
        out["agency"] = overrides["agency"]
    if "year" in overrides:
        out["year"] = int(overrides["year"])
    return out


def _manifest_notes(found: dict[str, Any], overrides: dict[str, str]) -> list[tuple[str, str]]:
    notes = []
    year = found.get("year")
    if "year" in overrides and isinstance(year, int) and int(overrides["year"]) != year:
        notes.append((f"清单写的是 {overrides['year']} 年度，报告内容是 {year} 年度（以清单为准）",
                      f"The manifest says {overrides['year']}, the report says {year} (manifest used)"))
    name = found.get("agency") or ""
    if "agency" in overrides and name and pairing.normalise_agency(name) != pairing.normalise_agency(overrides["agency"]):
        notes.append((f"清单写的机关是“{overrides['agency']}”，报告写的是“{name}”（以清单为准）",
                      f"The manifest names {overrides['agency']}, the report {name} (manifest used)"))
    return notes


def _pair(rows: list[Row]) -> pairing.Pairing:
    members = [pairing.Member(r.key, r.body, r.meta.get("year")) for r in rows if r.status == "checked"]
    result = pairing.pair(members)
    for r in rows:
        if r.status == "checked":
            r.previous = result.previous.get(r.key, "")
    return result


def _check(rows: list[Row], store: Store, ex: Executor | Pool, settings: Settings, variant: str,
           opts: AuditOptions, progress: Progress) -> tuple[dict[tuple[str, str], dict[str, Any]],
                                                            set[tuple[str, str]]]:
    """Phase 3: check every report without a stored result and result file, chunk by chunk.

    Returns the result summary of every checkable row by (key, previous), and the (key, previous)
    of the reports checked now.
    """
    todo = [r for r in rows if r.status == "checked"]
    have = {} if opts.force else store.results(variant, {(r.key, r.previous) for r in todo})
    written = _result_names(opts.output / "results")
    have = {k: v for k, v in have.items() if v["error"] or result_name(k[0], variant, k[1]) in written}
    todo = [r for r in todo if (r.key, r.previous) not in have]
    progress.phase(pick(opts.lang, "检查报告", "Checking reports"), len(todo))
    by_key = {r.key: r for r in rows if r.status == "checked"}
    chunks = (_items(todo[i:i + opts.chunk_size], store, by_key) for i in range(0, len(todo), opts.chunk_size))
    now: set[tuple[str, str]] = set()

    def fail(item: CheckItem, why: BaseException) -> Checked:
        return failed(item.key, _why(why, clean(item.path), "检查", "checking"))

    for results in _isolated(ex, check_chunk, chunks, settings, _window(opts), fail):
        prev_of = {c.key: by_key[c.key].previous for c in results}
        for c in results:
            if c.body is not None:  # a remote worker could not write it
                write_result(opts.output / "results" / result_name(c.key, variant, prev_of[c.key]), c.body)
        stored = store.save_results([(c, prev_of[c.key]) for c in results], variant)
        have.update(((c.key, prev_of[c.key]), c.stored()) for c in stored)
        now.update((c.key, prev_of[c.key]) for c in stored)
        progress.advance(len(results))
    progress.done()
    return have, now


def _result_names(folder: Path) -> set[str]:
    """The result files already in ``folder``, as ``sub-folder/name`` (directory listings, not a stat per report)."""
    names: set[str] = set()
    try:
        with os.scandir(folder) as it:
            subs = [e.name for e in it if e.is_dir()]
        for sub in subs:
            with os.scandir(folder / sub) as it:
                names.update(f"{sub}/{e.name}" for e in it)
    except OSError:
        pass
    return names


def _items(rows: list[Row], store: Store, by_key: dict[str, Row]) -> list[CheckItem]:
    """The check items of one chunk (cached documents and previous-year profiles from the database)."""
    docs = store.documents({r.sha256 for r in rows if r.file_kind != "json"}, __version__)  # JSON is re-read
    paired = [r for r in rows if r.previous]
    profiles = store.profiles({r.sha256 for r in paired} | {by_key[r.previous].sha256 for r in paired})

    def profile(row: Row) -> StoredProfile:
        cells, clauses = profiles.get(row.sha256, (b"{}", b""))
        return stored_profile(cells, clauses, row.meta)

    return [CheckItem(r.key, r.path, r.sha256, r.overrides, docs.get(r.sha256),
                      (profile(r), profile(by_key[r.previous])) if r.previous else None, r.previous) for r in rows]


def _attach(rows: list[Row], results: dict[tuple[str, str], dict[str, Any]], now: set[tuple[str, str]]) -> None:
    """Attach the results to the checked rows (a row whose check failed takes the failure's status)."""
    for r in rows:
        if r.status != "checked":
            continue
        res = results.get((r.key, r.previous))
        r.fresh = (r.key, r.previous) in now
        if res is None or res["error"]:
            err = res["error"] if res else ("error", "没有检查结果", "No result")
            r.status, r.reason = _status(err[0]), (err[1], err[2])
            continue
        r.result = res


def results_file(row: Row, variant: str) -> str:
    """The file name of a report's result JSON in ``results/`` (changes when the result can change)."""
    return "results/" + result_name(row.key, variant, row.previous)
