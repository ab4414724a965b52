"""The batch audit: discover → ingest in parallel → pair years → check in vectorized chunks → outputs.

1. **Ingest** (worker processes, or a Dask cluster): files whose content (sha256, cached by
   path, size and mtime) has no record for this gkcheck and rule-set version are read,
   hashed, ingested and validated. What arrives is committed to the database every 5,000
   files or 2 seconds, and when the phase ends or is interrupted.
2. **Pairing** (main process): reports of the same body in consecutive years; duplicates
   (same content twice) and conflicts (two different reports for one body and year) are found.
3. **Check** (workers): reports without a stored result for (key, rule set/language/policy,
   previous-year report) are checked in chunks, each chunk in ONE vectorized engine pass,
   with the cross-year rules for the paired ones. Each chunk is committed as it arrives.
4. **Outputs** are written from the database (skipped when nothing changed since the last
   outputs in the same folder).

Memory stays bounded: only metadata of all reports is held; documents live one chunk at a time.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from checker import __version__
from checker.audit import pairing
from checker.audit.discover import Entry, discover
from checker.audit.store import Store
from checker.audit.worker import (CheckItem, Checked, Ingested, Settings, StoredProfile, check_chunk, ingest_chunk,
                                  result_name, stored_profile, write_result)
from checker.verdict import FAILED, PASSED

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

    @property
    def db_path(self) -> Path:
        """Where the audit database is."""
        return self.db or self.output / "audit.sqlite"


@dataclass
class Row:
    """One input of the audit and what became of it.

    Attributes:
        path: the file.
        status: ``checked``, ``duplicate``, ``unreadable``, ``non_report``, ``invalid`` or ``missing``.
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


@dataclass
class AuditSummary:
    """What an audit found, for the outputs and the command's closing lines.

    Attributes:
        rows: one per input file (and per path that matched nothing).
        conflicts: (body, year, paths) of bodies with several different reports for one year.
        checked_now: reports checked in this run (the others came from the database).
        ingested_now: files ingested in this run.
        seconds: wall time so far.
        variant: the stored-result variant (rule-set version, language, policy).
        options: the run's options.
    """

    rows: list[Row]
    conflicts: list[tuple[str, int, list[str]]]
    checked_now: int
    ingested_now: int
    seconds: float
    variant: str
    options: AuditOptions

    @property
    def checked(self) -> list[Row]:
        """Rows with a result."""
        return [r for r in self.rows if r.result is not None]

    @property
    def failed(self) -> int:
        """How many checked reports fail the policy."""
        return sum(1 for r in self.checked if not r.result["passed"])  # type: ignore[index]

    @property
    def exit_code(self) -> int:
        """1 when any report fails the policy, else 0."""
        return FAILED if self.failed else PASSED


def run_audit(opts: AuditOptions, progress: Progress | None = None) -> AuditSummary:
    """Audit every report under ``opts.paths``; outputs go to ``opts.output``.

    Raises:
        InputError: a manifest is malformed.
        KeyboardInterrupt: the run was interrupted; every committed chunk is kept.
    """
    start = time.perf_counter()
    progress = progress or _Silent()
    entries, missing = discover(opts.paths)
    settings = Settings(opts.rule_files, opts.lang, opts.fail_on, opts.min_score)
    ruleset = settings.compiled().ruleset  # compiled before the workers fork: they inherit it
    version = f"{__version__}|{ruleset.version}"
    variant = f"{ruleset.version}|{opts.lang}|{opts.fail_on}|{opts.min_score}"
    # local workers write each result file as soon as the report is checked (a Dask worker may not
    # see the output folder: it returns the result JSON and this process writes it)
    settings = replace(settings, variant=variant,
                       results_dir=str(opts.output / "results") if opts.executor != "dask" else None)
    (opts.output / "results").mkdir(parents=True, exist_ok=True)
    store = Store(opts.db_path)
    try:
        with _executor(opts) as ex:
            sha_of, fresh, known = _ingest(entries, store, ex, settings, version, opts, progress)
            rows = _rows(entries, sha_of, fresh, known)
            pairs = _pair(rows)
            results, checked_now = _check(rows, store, ex, settings, variant, opts, progress)
        _attach(rows, results)
    finally:
        store.close()
    rows.extend(Row(p, "missing", (why, "Nothing found at this path")) for p, why in missing)
    path_of = {r.key: r.path for r in rows if r.status == "checked"}
    conflicts = [(body, year, [path_of[k] for k in keys if k in path_of]) for body, year, keys in pairs.conflicts]
    return AuditSummary(rows, conflicts, checked_now, len(fresh), time.perf_counter() - start, variant, opts)


@contextmanager
def _executor(opts: AuditOptions) -> Iterator[Executor]:
    if opts.executor == "dask":
        from checker.audit.dask_executor import dask_executor
        with dask_executor(opts.scheduler) as ex:
            yield ex
        return
    jobs = opts.jobs or os.cpu_count() or 1
    if jobs <= 1:
        yield _Inline()
        return
    method = "fork" if sys.platform.startswith("linux") else None
    ex = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method))
    try:
        yield ex
    except BaseException:
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()


class _Inline(Executor):
    """Runs each task at once in this process (``--jobs 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def _stream(ex: Executor, fn: Callable[..., Any], chunks: Iterable[Any], settings: Settings,
            window: int) -> Iterator[tuple[Any, Future[Any]]]:
    """Submit chunks with at most ``window`` in flight; yield (chunk, future) as they complete."""
    running: dict[Future[Any], Any] = {}
    for chunk in chunks:
        running[ex.submit(fn, chunk, settings)] = chunk
        while len(running) >= window:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in done:
                yield running.pop(f), f
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for f in done:
            yield running.pop(f), f


def _window(opts: AuditOptions) -> int:
    return 2 * (opts.jobs or os.cpu_count() or 1) + 1


def _ingest(entries: list[Entry], store: Store, ex: Executor, settings: Settings, version: str, opts: AuditOptions,
            progress: Progress) -> tuple[dict[str, str], dict[str, Ingested], dict[str, dict[str, Any]]]:
    """Phase 1: hash (from the stat cache when unchanged) and ingest what is new.

    Returns (path → sha256, path → what was ingested now, sha256 → what ingest found for every content).
    """
    cached = {} if opts.force else store.stats([e.path for e in entries])
    sha_of: dict[str, str] = {}
    for e in entries:
        try:
            st = os.stat(e.path)
        except OSError:
            continue
        c = cached.get(e.path)
        if c and c[0] == st.st_size and c[1] == st.st_mtime_ns:
            sha_of[e.path] = c[2]
    known = store.ingested(set(sha_of.values()), version)
    todo = [e.path for e in entries if sha_of.get(e.path) not in known]
    docs = store.documents({sha_of[p] for p in todo if p in sha_of}, __version__)
    fresh: dict[str, Ingested] = {}
    progress.phase("读取报告" if opts.lang != "en" else "Reading reports", len(todo))
    pending: list[Ingested] = []  # committed every few thousand files or seconds, and when the phase ends
    last = time.monotonic()
    try:
        for _, future in _stream(ex, ingest_chunk, _ingest_chunks(todo, sha_of, docs), settings, _window(opts)):
            items: list[Ingested] = future.result()
            pending.extend(items)
            for item in items:
                fresh[item.path] = item
                if item.sha256:
                    sha_of[item.path] = item.sha256
                    known[item.sha256] = {"file_kind": item.file_kind, **item.info()}
            if len(pending) >= _COMMIT_FILES or time.monotonic() - last > _COMMIT_SECONDS:
                store.save_ingested(pending, version, __version__)
                pending, last = [], time.monotonic()
            progress.advance(len(items))
    finally:  # also on Ctrl-C or an error: what was ingested is kept
        store.save_ingested(pending, version, __version__)
    progress.done()
    return sha_of, fresh, known


def _ingest_chunks(paths: list[str], sha_of: dict[str, str], docs: dict[str, bytes]) -> Iterator[list[tuple[str, Any]]]:
    """Small chunks for slow formats (PDF, Word, HTML), larger ones for JSON and text."""
    fast: list[tuple[str, Any]] = []
    for path in paths:
        sha = sha_of.get(path, "")
        task = (path, sha.encode("ascii") + docs[sha] if sha in docs else None)
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
          known: dict[str, dict[str, Any]]) -> list[Row]:
    """One row per entry: what ingest found, manifest applied, duplicates marked."""
    rows, first_of = [], {}
    for e in entries:
        sha = sha_of.get(e.path, "")
        info = known.get(sha)
        if info is None:
            item = fresh.get(e.path)
            err = item.error if item and item.error else ("unreadable", "无法读取文件", "Cannot read the file")
            rows.append(Row(e.path, err[0], (err[1], err[2]), sha))
            continue
        if info["error"]:
            cat, zh, en = info["error"]
            rows.append(Row(e.path, cat, (zh, en), sha, notes=[tuple(n) for n in info["notes"]]))
            continue
        key = _key(sha, e.overrides)
        meta = {**info["meta"], **_meta_overrides(e.overrides)}
        notes = [tuple(n) for n in info["notes"]] + _manifest_notes(info["meta"], e.overrides)
        body = e.overrides.get("agency_id") or pairing.normalise_agency(meta.get("agency") or "")
        if key in first_of:
            rows.append(Row(e.path, "duplicate", (f"与 {first_of[key]} 内容完全相同（只检查一次）",
                                                  f"Same content as {first_of[key]} (checked once)"), sha, key, meta))
            continue
        first_of[key] = e.path
        rows.append(Row(e.path, "checked", None, sha, key, meta, body, notes, overrides=e.overrides,
                        file_kind=info["file_kind"]))
    return rows


def _key(sha: str, overrides: dict[str, str]) -> str:
    values = {k: v for k, v in overrides.items() if k != "agency_id"}
    if not values:
        return sha
    return hashlib.sha256((sha + json.dumps(values, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()


def _meta_overrides(overrides: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in overrides.items() if k in ("kind", "level", "region", "published", "url")}
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


def _check(rows: list[Row], store: Store, ex: Executor, settings: Settings, variant: str, opts: AuditOptions,
           progress: Progress) -> tuple[dict[tuple[str, str], dict[str, Any]], int]:
    """Phase 3: check every report without a stored result and result file, chunk by chunk.

    Returns the result summary of every checkable row by (key, previous), and how many were checked now.
    """
    todo = [r for r in rows if r.status == "checked"]
    have = {} if opts.force else store.results(variant, {(r.key, r.previous) for r in todo})
    written = _result_names(opts.output / "results")
    have = {k: v for k, v in have.items() if result_name(k[0], variant, k[1]) in written}
    todo = [r for r in todo if (r.key, r.previous) not in have]
    progress.phase("检查报告" if opts.lang != "en" else "Checking reports", len(todo))
    by_key = {r.key: r for r in rows if r.status == "checked"}
    chunks = (_items(todo[i:i + opts.chunk_size], store, by_key) for i in range(0, len(todo), opts.chunk_size))
    for chunk, future in _stream(ex, check_chunk, chunks, settings, _window(opts)):
        results = _results_or_retry(chunk, future, settings)
        prev_of = {item.key: by_key[item.key].previous for item in chunk}
        for c in results:
            if c.body is not None:  # a remote worker could not write it
                write_result(opts.output / "results" / result_name(c.key, variant, prev_of[c.key]), c.body)
        store.save_results([(c, prev_of[c.key]) for c in results], variant)
        have.update(((c.key, prev_of[c.key]), c.stored()) for c in results)
        progress.advance(len(results))
    progress.done()
    return have, len(todo)


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


def _results_or_retry(chunk: list[CheckItem], future: Future[Any], settings: Settings) -> list[Checked]:
    """The chunk's results; if the chunk crashed, each report alone, so one bad report is all that is lost."""
    try:
        return future.result()
    except Exception:  # a bug triggered by one report: isolate it
        out = []
        for item in chunk:
            try:
                out.extend(check_chunk([item], settings))
            except Exception as exc:
                out.append(Checked(item.key, None, "—", (0, 0, 0), 0, False,
                                   error=("internal", f"检查时出错：{exc!r}", f"Checking failed: {exc!r}")))
        return out


def _attach(rows: list[Row], results: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Attach the results to the checked rows (rows whose check failed become ``unreadable``)."""
    for r in rows:
        if r.status != "checked":
            continue
        res = results.get((r.key, r.previous))
        if res is None or res["error"]:
            err = res["error"] if res else ("unreadable", "没有检查结果", "No result")
            r.status, r.reason = "unreadable", (err[1], err[2])
            continue
        r.result = res


def results_file(row: Row, variant: str) -> str:
    """The file name of a report's result JSON in ``results/`` (changes when the result can change)."""
    return "results/" + result_name(row.key, variant, row.previous)
