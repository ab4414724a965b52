"""The work an audit sends to worker processes (or Dask workers): plain, picklable functions.

* :func:`ingest_chunk` reads files, hashes them, turns them into report documents and
  validates them, returning each report's metadata and cross-year profile (and, for files
  that needed real ingest work, the compressed document so a rule change does not re-read
  a PDF).
* :func:`check_chunk` checks a chunk of documents in ONE vectorized engine pass, runs the
  cross-year rules for the paired ones, and returns compact records and the per-report
  result JSON (compressed).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from checker import limits
from checker.api import apply_overrides
from checker.audit.pool import mark
from checker.audit.resultjson import ResultJson
from checker.audit.safe import clean, json_bytes, json_value
from checker.compile import Compiled
from checker.config import Config, configured_ruleset, load_config
from checker.document import validate_document
from checker.engine import gc_paused
from checker.errors import InputError, ReadingTimeout, YearNotFound
from checker.ingest import parse_document, read_bytes, sniff
from checker.kinds.pair import CLAUSE_DTYPE, Profile, label, profile
from checker.model import Severity
from checker.render.context import RenderContext
from checker.render.json_out import result_to_dict
from checker.run import Configured, check_documents
from checker.stability import publication
from checker.verdict import Policy

_FAMILY = {"json": "json", "text": "text", "markdown": "text", "html": "html", "docx": "docx", "legacy": "docx",
           "pdf": "pdf"}
_SUFFIX_FAMILY = {".json": "json", ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
                  ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".doc": "docx", ".wps": "docx",
                  ".rtf": "docx", ".pdf": "pdf"}
_FAMILY_ZH = {"json": "JSON", "text": "文本", "html": "网页（HTML）", "docx": "Word", "pdf": "PDF"}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
_NOT_A_REPORT = ("不像政府信息公开工作年度报告", "找不到报告年度")


class _Sent:
    """Pickled as its class and field values: what goes between processes by the hundred thousand
    (pickle's default for a slotted dataclass builds a dict per object, ~2.5 times slower)."""

    __slots__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__slots__)


StoredProfile = tuple[bytes, bytes, str]
"""A cross-year profile as the database keeps it: (cells as a JSON object, clause array bytes, label)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know about the run (picklable).

    Attributes:
        rule_files: rule files (None: the bundled ones).
        lang: language of the result JSON.
        fail_on: severity at which a report fails.
        min_score: score below which a report fails.
        results_dir: where :func:`check_chunk` writes each report's result JSON as soon as it is
            checked (local workers share the output folder; None: the audit's main process writes what they return).
        variant: the stored-result variant (names the result files).
        config: the configuration file (None: none), read and applied as ``gkcheck check`` does
            (:func:`checker.config.configured_ruleset`, then the pipeline :func:`checker.run.check_documents`).
        region: ``--region`` (replaces the configuration's region).
        allow_partial: ``--allow-partial-rules``.
        today: the date waivers' expiry is judged against (ISO; the same for every worker of a run).
        stamp: what the configuration file held when the audit started (a hash of it as read): a process
            that already compiled an earlier content of the same file compiles it again.
        year: ``--year``: the reported year of files that state none and whose manifest row gives none
            (:func:`fallback_year`, :func:`parse_with_year`).
    """

    rule_files: tuple[str, ...] | None
    lang: str = "zh"
    fail_on: str = "error"
    min_score: float | None = None
    results_dir: str | None = None
    variant: str = ""
    config: str | None = None
    region: str | None = None
    allow_partial: bool = False
    today: str = ""
    stamp: str = ""
    year: int | None = None

    def configured(self) -> Configured:
        """The compiled rule set under the configuration, and its waivers (cached per process)."""
        return _configured(self.rule_files, self.config, self.region, self.allow_partial, self.stamp)

    def compiled(self) -> Compiled:
        """The compiled rule set under the configuration (cached per process)."""
        return self.configured()[0]

    @property
    def day(self) -> dt.date:
        """The date waivers' expiry is judged against."""
        return dt.date.fromisoformat(self.today) if self.today else dt.date.today()

    @property
    def policy(self) -> Policy:
        """The pass/fail policy."""
        return Policy(Severity(self.fail_on), self.min_score)


@functools.lru_cache(maxsize=4)
def _configured(rule_files: tuple[str, ...] | None, config: str | None, region: str | None,
                allow_partial: bool, stamp: str) -> Configured:
    """What ``gkcheck check --config CONFIG --rules … --region … [--allow-partial-rules]`` runs: the same function
    (``stamp``: see :attr:`Settings.stamp`; only a key of the cache)."""
    loaded = (load_config(config) if config else Config()).with_cli(region=region)
    return configured_ruleset(loaded, rule_files or (), allow_partial)


def config_stamp(config: str | None) -> str:
    """:attr:`Settings.stamp` of a configuration file: a hash of the configuration read from it now (its keys,
    waivers, and those of its waivers file)."""
    return hashlib.sha256(repr(load_config(config)).encode()).hexdigest() if config else ""


@dataclass(slots=True)
class Ingested(_Sent):
    """What phase 1 learned about one file.

    Attributes:
        path: the file.
        sha256: hex digest of its bytes ("" when unreadable before hashing).
        size, mtime_ns: its stat (for the stat cache).
        file_kind: json | text | html | docx | pdf ("" when unknown).
        error: (category, zh, en) when it cannot be checked: ``unreadable``, ``non_report``
            or ``invalid`` (not a valid report document).
        notes: mislabelling noticed (zh, en), e.g. a .pdf file holding HTML.
        meta: agency name, kind, level, region, year, published, url, title, format.
        cells, clauses: the cross-year profile, as stored: the cells as a JSON object, the clauses
            as the bytes of their array.
        doc_blob: the compressed document when it came from real ingest (not JSON).
        info_json: :meth:`info` as stored (JSON), made in the worker so that a value the database
            cannot hold fails this report there, not the audit.
    """

    path: str
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    file_kind: str = ""
    error: tuple[str, str, str] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cells: bytes = b"{}"
    clauses: bytes = b""
    doc_blob: bytes | None = None
    info_json: bytes = b""

    def info(self) -> dict[str, Any]:
        """What the database keeps of it besides the profile: error, notes, metadata."""
        return {"error": self.error, "notes": self.notes, "meta": self.meta}


def ingest_chunk(tasks: Sequence[tuple[str, bytes | None, int | None]], settings: Settings) -> list[Ingested]:
    """Phase 1 for a chunk of (path, the cached compressed document of its last known content or None, the
    year to read it with if it states none: :func:`fallback_year`).

    Each file is one report's boundary: whatever goes wrong with it (an exception of a reader,
    a value the database cannot hold) makes that file's record a failure with its reason, and
    the chunk goes on. Each file may take ``limits.REPORT_SECONDS`` (see :func:`pool.mark`).
    """
    cells = settings.compiled().pair_cells
    seconds = limits.REPORT_SECONDS.value()
    out = []
    with gc_paused():
        for i, (path, cached, year) in enumerate(tasks):
            mark(i, seconds)
            item = Ingested(path)
            try:
                _ingest_one(item, cached, cells, year)
            except Exception as exc:  # noqa: BLE001 - a bug on one odd file must not stop the audit: it is listed
                item = replace(item, error=crashed(exc, "读取", "reading"), notes=[], meta={}, cells=b"{}",
                               clauses=b"", doc_blob=None, info_json=b"")
            if not item.info_json:
                item.info_json = json_bytes(item.info())  # an error and no metadata: always encodable
            out.append(item)
    return out


def crashed(exc: BaseException, doing_zh: str, doing_en: str) -> tuple[str, str, str]:
    """The stored failure of a report whose reading or checking raised ``exc`` (a gkcheck bug or a value
    it cannot hold): category ``error``, with what happened."""
    what = clean(f"{type(exc).__name__}: {exc}")[:500]
    return ("error", f"{doing_zh}该报告时出错（{what}），已跳过该报告，其余报告照常处理。请将该文件反馈给开发者。",
            (f"{doing_en.capitalize()} this report failed ({what}); it was skipped and the others were processed. "
             "Please send the file to the developers."))


def failure(category: str, zh: str, en: str) -> tuple[str, str, str]:
    """A stored failure (category, zh, en) whose texts can be stored and written anywhere."""
    return category, clean(zh), clean(en)


def fallback_year(overrides: dict[str, str], year: int | None) -> int | None:
    """The year a file that states none is read with: its manifest row's ``year``, else ``--year`` (``year``)."""
    return int(overrides["year"]) if "year" in overrides else year


def parse_with_year(data: bytes, name: str, year: int | None) -> tuple[dict[str, Any], bool]:
    """The document of a file, and whether ``year`` (``--year``) was used: only for a file that states no
    reported year (as ``gkcheck check --year`` gives it, but never over a year the file states)."""
    try:
        doc = parse_document(data, name)
    except YearNotFound:
        if year is None:
            raise
        return parse_document(data, name, year=year), True
    if year is not None and isinstance(doc, dict) and "year" not in doc:  # a JSON document without one
        return {**doc, "year": year}, True
    return doc, False


def _ingest_one(out: Ingested, cached: bytes | None, cells: frozenset[str], year: int | None = None) -> None:
    """Fill ``out`` with what ingest finds in its file (an error, or the metadata and profile)."""
    file = Path(out.path)
    try:
        stat = file.stat()
        out.size, out.mtime_ns = stat.st_size, stat.st_mtime_ns
        data = read_bytes(file)
    except OSError as exc:
        out.error = failure("unreadable", f"无法读取文件：{exc.strerror}", f"Cannot read the file: {exc.strerror}")
        return
    except InputError as exc:
        out.error = failure("unreadable", exc.zh, exc.en)
        return
    out.sha256 = hashlib.sha256(data).hexdigest()
    try:
        out.file_kind = _FAMILY[sniff(data, file.suffix)]
        doc = _cached(cached, out.sha256)
        given = False
        if doc is None:
            doc, given = parse_with_year(data, file.name, year)
        validate_document(doc)
    except ReadingTimeout as exc:  # this worker's own alarm rang before the audit stopped the worker
        out.error = failure("timeout", exc.zh, exc.en)
        return
    except InputError as exc:
        category = ("non_report" if any(s in exc.zh for s in _NOT_A_REPORT)
                    else "invalid" if "文档格式" in exc.zh else "unreadable")
        out.error = failure(category, exc.zh, exc.en)
        return
    out.notes = [(clean(zh), clean(en)) for zh, en in _mislabelled(file, out.file_kind, doc)]
    out.meta = _meta(doc)
    if given:
        out.meta["year_given"] = True  # from --year: read again when --year changes (see runner._ingest)
    prof = profile(doc, cells)
    out.cells, out.clauses = json_bytes(prof.cells), prof.clauses.tobytes()
    if out.file_kind != "json" and not given:  # (a document holding --year's year is not kept for other runs)
        out.doc_blob = zlib.compress(json_bytes(doc), 1)
    out.info_json = json_bytes(out.info())  # what the database keeps: must be storable, or this report fails


def _cached(blob: bytes | None, sha256: str) -> dict[str, Any] | None:
    """The cached document when it belongs to these bytes (blob = sha256 hex + compressed JSON)."""
    if blob is None or blob[:64].decode("ascii") != sha256:
        return None
    return json_value(zlib.decompress(blob[64:]))


def _mislabelled(file: Path, family: str, doc: dict[str, Any]) -> list[tuple[str, str]]:
    notes = []
    expected = _SUFFIX_FAMILY.get(file.suffix.lower())
    if expected and expected != family:
        notes.append((f"扩展名是 {file.suffix}，内容却是{_FAMILY_ZH[family]}文件（按内容读取）",
                      f"The extension is {file.suffix} but the content is {family} (read by content)"))
    years = {int(y) for y in _YEAR_IN_NAME.findall(file.name)}
    year = doc.get("year")
    if len(years) == 1 and isinstance(year, int) and not years & {year, year + 1}:
        named = years.pop()
        notes.append((f"文件名写的是 {named} 年，报告内容是 {year} 年度", f"The file name says {named}, the report is for {year}"))
    return notes


def _meta(doc: dict[str, Any]) -> dict[str, Any]:
    agency = doc.get("agency") or {}
    return {"agency": agency.get("name") or "", "kind": agency.get("kind"), "level": agency.get("level"),
            "region": agency.get("region"), "year": doc.get("year"), "published": doc.get("published"),
            "url": (doc.get("source") or {}).get("url"), "title": doc.get("title"), "format": doc.get("format")}


def doc_overrides(overrides: dict[str, str]) -> dict[str, Any]:
    """The manifest columns that change the document (agency name, kind, level, region, year, dates, url;
    for a report fetched from the web, when it was fetched)."""
    return {k: v for k, v in overrides.items() if k not in ("agency_id", "pub")}


def apply_manifest(doc: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """``doc`` with the manifest's columns applied (a copy when anything changes)."""
    values = doc_overrides(overrides)
    if not values:
        return doc
    out = apply_overrides(doc, agency_kind=values.get("kind"), agency_level=values.get("level"),
                          published=values.get("published"), year=int(values["year"]) if "year" in values else None)
    if "agency" in values or "region" in values or "url" in values or "fetched" in values:
        out = copy.deepcopy(out) if out is doc else out
        if "agency" in values:
            out.setdefault("agency", {})["name"] = values["agency"]
        if "region" in values:
            out.setdefault("agency", {})["region"] = values["region"]
        if "url" in values:
            out.setdefault("source", {})["url"] = values["url"]
        if "fetched" in values:
            out.setdefault("source", {})["fetched"] = values["fetched"]
    return out


@dataclass(frozen=True, slots=True)
class CheckItem(_Sent):
    """One report for phase 2.

    Attributes:
        key: the result key (content hash, plus the manifest's overrides when any).
        path: the file (re-read when ``doc_blob`` is None).
        sha256: its expected content hash.
        overrides: manifest columns.
        doc_blob: the cached compressed document (files that needed real ingest).
        pair: the stored cross-year profiles (see :func:`profile_of`) of (this report, the same body's
            previous-year report), if paired.
        previous_key: that report's key ("" when none; names the result file).
    """

    key: str
    path: str
    sha256: str
    overrides: dict[str, str]
    doc_blob: bytes | None
    pair: tuple[StoredProfile, StoredProfile] | None
    previous_key: str = ""


@dataclass(frozen=True, slots=True)
class Checked(_Sent):
    """The compact result of one report (what the audit database keeps).

    Attributes:
        findings: the findings as one JSON array (UTF-8) of [rule_id, severity, category, zh, en,
            pointer, section, location JSON or None] each (serialised here, in the worker).
        rules: a JSON object (UTF-8): rule id → number of findings.
        body: the result JSON, when the worker could not write it to the output folder itself.
        error: (category, zh, en) when the report could not be checked.
        coverage: (decided rules, applicable rules).
        notices: how many reading notices the report has.
    """

    key: str
    score: float | None
    grade: str
    counts: tuple[int, int, int]
    max_rank: int
    passed: bool
    findings: bytes = b"[]"
    rules: bytes = b"{}"
    body: bytes | None = None
    error: tuple[str, str, str] | None = None
    coverage: tuple[int, int] = (0, 0)
    notices: int = 0

    def stored(self) -> dict[str, Any]:
        """The summary the audit attaches to the report's row (as :meth:`Store.results` returns it)."""
        return {"score": self.score, "grade": self.grade, "errors": self.counts[0], "warnings": self.counts[1],
                "infos": self.counts[2], "max_rank": self.max_rank, "passed": self.passed, "error": self.error,
                **coverage_fields(*self.coverage), "notices": self.notices}


def coverage_fields(decided: int, applicable: int) -> dict[str, Any]:
    """The coverage of a stored result: decided and applicable rules, and the ratio (None when nothing applies)."""
    return {"decided": decided, "applicable": applicable,
            "coverage": round(decided / applicable, 4) if applicable else None}


def check_chunk(items: Sequence[CheckItem], settings: Settings) -> list[Checked]:
    """Phase 2: check a chunk of reports in one vectorized engine pass (with the cross-year rules)."""
    with gc_paused():  # the chunk's documents and results would be walked by every collection
        return _check_chunk(items, settings)


def check_budget(n: int) -> float:
    """Seconds a worker may spend reading and checking a chunk of ``n`` reports in one engine pass: the bound
    on one report (``limits.REPORT_SECONDS``), 10 s for the pass's fixed cost (a new worker's first pass loads
    modules: ~1 s, several on a busy machine) and 0.05 s per report (5,000 reports take well under 100 s)."""
    return limits.REPORT_SECONDS.value() + 10 + 0.05 * n


def _check_chunk(items: Sequence[CheckItem], settings: Settings) -> list[Checked]:
    mark(-1, check_budget(len(items)))
    configured = settings.configured()
    compiled = configured.compiled
    docs, kept, out = [], [], []
    for item in items:
        try:
            docs.append(apply_manifest(_load(item, fallback_year(item.overrides, settings.year)), item.overrides))
            kept.append(item)
        except InputError as exc:
            out.append(failed(item.key, failure("unreadable", exc.zh, exc.en)))
        except Exception as exc:  # noqa: BLE001 - one report's bug: that report fails
            out.append(failed(item.key, crashed(exc, "读取", "reading")))
    pairs = [(profile_of(*i.pair[0]), profile_of(*i.pair[1])) if i.pair else None for i in kept]
    # the same pipeline as `gkcheck check` (the run-level notices of waivers covering no report are not kept);
    # a report fetched from the web is named by its address and has its publication record (GK-P-001: web.py)
    results = check_documents(docs, configured, [clean(i.overrides["url"] if "fetched" in i.overrides else i.path)
                                                 for i in kept], pairs, today=settings.day,
                              publications=[publication(i.overrides) for i in kept]).results
    ctx = RenderContext(compiled.ruleset, settings.lang, settings.policy)
    writer = ResultJson(ctx)
    folder = Path(settings.results_dir) if settings.results_dir else None
    seconds = limits.REPORT_SECONDS.value()
    for i, (item, result) in enumerate(zip(kept, results)):
        mark(i, seconds)
        try:  # the result of one report: what cannot be written or stored fails that report only
            body = _result_json(writer, result, ctx)
            compact = _compact(item.key, result, ctx, None if folder is not None else body)
            if folder is not None:
                write_result(folder / result_name(item.key, settings.variant, item.previous_key), body)
        except Exception as exc:  # noqa: BLE001 - one report's result: that report fails
            compact = failed(item.key, crashed(exc, "检查", "checking"))
        out.append(compact)
    return out


def failed(key: str, error: tuple[str, str, str]) -> Checked:
    """The stored result of a report that could not be checked."""
    return Checked(key, None, "—", (0, 0, 0), 0, False, error=error)


def _result_json(writer: ResultJson, result: Any, ctx: RenderContext) -> bytes:
    """The result JSON (the fast writer; the plain value by the standard library when orjson refuses a
    value, e.g. an integer beyond 64 bits, which ``gkcheck check --format json`` writes)."""
    try:
        return writer.dumps(result)
    except TypeError:
        return json_bytes(result_to_dict(result, ctx))


def result_name(key: str, variant: str, previous: str) -> str:
    """Where a report's result JSON is in ``results/`` (changes when the result can change): ``ab/ab….json``.

    Results are spread over up to 256 sub-folders by the name's first two characters: with
    one folder, the workers creating files in it at the same time wait on its lock (on ext4
    this made a file cost several times more), and a folder of 100,000 files is hard to open.
    """
    name = hashlib.sha256(f"{key}|{variant}|{previous}".encode()).hexdigest()[:16]
    return f"{name[:2]}/{name}.json"


def write_result(target: Path, body: bytes) -> None:
    """Write a result file: to a temporary name beside it, renamed into place when complete.

    A result counts as done only once the database records it, which happens after its file is
    complete; the rename also keeps a file recorded earlier whole when a re-run (``--force``, a
    rule change) is killed while writing it again. No fsync per file (its cost would dominate a
    large audit): the database, not the file, says what is done.
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        try:
            tmp.write_bytes(body)
        except FileNotFoundError:  # its sub-folder's first result
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(body)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _load(item: CheckItem, year: int | None = None) -> dict[str, Any]:
    if item.doc_blob is not None:
        return json_value(zlib.decompress(item.doc_blob))
    try:
        data = Path(item.path).read_bytes()
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise InputError("文件在审核过程中被修改或删除，请重新运行。", "The file changed or vanished during the audit; run again.")
    return parse_with_year(data, item.path, year)[0]


def _compact(key: str, result: Any, ctx: RenderContext, body: bytes | None) -> Checked:
    counts = [0, 0, 0, 0]  # by severity rank: info 1, warning 2, error 3
    rows = []
    per_rule: dict[str, int] = {}
    for f in result.findings:
        if not f.waived:
            counts[f.severity.rank] += 1
        per_rule[f.rule_id] = per_rule.get(f.rule_id, 0) + 1
        rows.append([f.rule_id, f.severity.value, f.category, f.message.zh, f.message.en, f.pointer, f.section,
                     json_bytes(f.location).decode() if f.location else None])
    max_rank = 3 if counts[3] else 2 if counts[2] else 1 if counts[1] else 0
    coverage = result.score.coverage
    return Checked(key, result.score.overall, result.score.grade, (counts[3], counts[2], counts[1]), max_rank,
                   not ctx.policy.report_failed(result), json_bytes(rows), json_bytes(per_rule), body,
                   coverage=(coverage.decided, coverage.applicable), notices=len(result.notices))


def stored_profile(cells: bytes, clauses: bytes, meta: dict[str, Any]) -> StoredProfile:
    """The stored profile of a report with this metadata (agency and year make its label)."""
    return cells, clauses, label(meta.get("agency"), meta.get("year"))


def profile_of(cells: bytes, clauses: bytes, name: str) -> Profile:
    """Rebuild a cross-year profile from what the database keeps (in the worker that needs it)."""
    return Profile(json_value(cells), np.frombuffer(clauses, dtype=CLAUSE_DTYPE), name)
