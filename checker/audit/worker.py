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
import hashlib
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Sequence

import fastjsonschema
import numpy as np

from checker.api import apply_overrides, check_many, compiled_ruleset
from checker.audit import crossyear
from checker.audit.resultjson import ResultJson
from checker.audit.crossyear import Profile
from checker.compile import Compiled
from checker.document import validate_document
from checker.errors import InputError
from checker.ingest import read_document, sniff
from checker.ingest.text import decode_text
from checker.model import Severity
from checker.render.context import RenderContext
from checker.resources import load_schema
from checker.verdict import Policy

_FAMILY = {"json": "json", "text": "text", "markdown": "text", "html": "html", "docx": "docx", "pdf": "pdf"}
_SUFFIX_FAMILY = {".json": "json", ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
                  ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}
_FAMILY_ZH = {"json": "JSON", "text": "文本", "html": "网页（HTML）", "docx": "Word（.docx）", "pdf": "PDF"}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
_NOT_A_REPORT = ("不像政府信息公开工作年度报告", "找不到报告年度")


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know about the run (picklable).

    Attributes:
        rule_files: rule files (None: the bundled ones).
        lang: language of the result JSON.
        fail_on: severity at which a report fails.
        min_score: score below which a report fails.
        results_dir: where :func:`check_chunk` writes each report's result JSON as soon as it is
            checked (local workers share the output folder; None: the outputs step writes them).
        variant: the stored-result variant (names the result files).
    """

    rule_files: tuple[str, ...] | None
    lang: str = "zh"
    fail_on: str = "error"
    min_score: float | None = None
    results_dir: str | None = None
    variant: str = ""

    def compiled(self) -> Compiled:
        """The compiled rule set (cached per process)."""
        return compiled_ruleset(self.rule_files)

    @property
    def policy(self) -> Policy:
        """The pass/fail policy."""
        return Policy(Severity(self.fail_on), self.min_score)


@dataclass(slots=True)
class Ingested:
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
        cells, clauses: the cross-year profile.
        doc_blob: the compressed document when it came from real ingest (not JSON).
    """

    path: str
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    file_kind: str = ""
    error: tuple[str, str, str] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, float] = field(default_factory=dict)
    clauses: bytes = b""
    doc_blob: bytes | None = None


@cache
def _fast_validator() -> Any:
    """The report schema compiled by fastjsonschema (uses only draft-07 keywords, so same answers)."""
    schema = dict(load_schema("report.schema.json"), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    return fastjsonschema.compile(schema)


def validate(doc: Any) -> None:
    """Raise InputError (Chinese list of problems) when ``doc`` is not a valid report document.

    A fast compiled validator decides; only a rejected document goes through jsonschema,
    which writes the messages (and has the last word).
    """
    try:
        _fast_validator()(doc)
    except fastjsonschema.JsonSchemaValueException:
        validate_document(doc)


def ingest_chunk(tasks: Sequence[tuple[str, bytes | None]], settings: Settings) -> list[Ingested]:
    """Phase 1 for a chunk of (path, the cached compressed document of its last known content or None)."""
    instances = crossyear.pair_instances(settings.compiled().ruleset)
    out = []
    for path, cached in tasks:
        try:
            out.append(_ingest_one(path, cached, instances))
        except Exception as exc:  # a bug on one odd file must not stop the audit: it is listed instead
            out.append(Ingested(path, error=("unreadable", f"读取时出错：{exc!r}", f"Reading failed: {exc!r}")))
    return out


def _ingest_one(path: str, cached: bytes | None, instances: list[Any]) -> Ingested:
    out = Ingested(path)
    file = Path(path)
    try:
        stat = file.stat()
        out.size, out.mtime_ns = stat.st_size, stat.st_mtime_ns
        data = file.read_bytes()
    except OSError as exc:
        out.error = ("unreadable", f"无法读取文件：{exc.strerror}", f"Cannot read the file: {exc.strerror}")
        return out
    out.sha256 = hashlib.sha256(data).hexdigest()
    try:
        out.file_kind = _FAMILY[sniff(data, file.suffix)]
        doc = _cached(cached, out.sha256) or read_document(file)
        validate(doc)
    except InputError as exc:
        category = ("non_report" if any(s in exc.zh for s in _NOT_A_REPORT)
                    else "invalid" if "文档格式" in exc.zh else "unreadable")
        out.error = (category, exc.zh, exc.en)
        return out
    out.notes = _mislabelled(file, out.file_kind, doc)
    out.meta = _meta(doc)
    prof = crossyear.profile(doc, instances)
    out.cells, out.clauses = prof.cells, prof.clauses.tobytes()
    if out.file_kind != "json":
        out.doc_blob = zlib.compress(json.dumps(doc, ensure_ascii=False).encode("utf-8"), 1)
    return out


def _cached(blob: bytes | None, sha256: str) -> dict[str, Any] | None:
    """The cached document when it belongs to these bytes (blob = sha256 hex + compressed JSON)."""
    if blob is None or blob[:64].decode("ascii") != sha256:
        return None
    return json.loads(zlib.decompress(blob[64:]))


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
    """The manifest columns that change the document (agency name, kind, level, region, year, dates, url)."""
    return {k: v for k, v in overrides.items() if k != "agency_id"}


def apply_manifest(doc: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """``doc`` with the manifest's columns applied (a copy when anything changes)."""
    values = doc_overrides(overrides)
    if not values:
        return doc
    out = apply_overrides(doc, agency_kind=values.get("kind"), agency_level=values.get("level"),
                          published=values.get("published"), year=int(values["year"]) if "year" in values else None)
    if "agency" in values or "region" in values or "url" in values:
        out = copy.deepcopy(out) if out is doc else out
        if "agency" in values:
            out.setdefault("agency", {})["name"] = values["agency"]
        if "region" in values:
            out.setdefault("agency", {})["region"] = values["region"]
        if "url" in values:
            out.setdefault("source", {})["url"] = values["url"]
    return out


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One report for phase 2.

    Attributes:
        key: the result key (content hash, plus the manifest's overrides when any).
        path: the file (re-read when ``doc_blob`` is None).
        sha256: its expected content hash.
        overrides: manifest columns.
        doc_blob: the cached compressed document (files that needed real ingest).
        previous: the profile of the same body's previous-year report, if paired.
        previous_key: that report's key ("" when none; names the result file).
    """

    key: str
    path: str
    sha256: str
    overrides: dict[str, str]
    doc_blob: bytes | None
    previous: Profile | None
    previous_key: str = ""


@dataclass(frozen=True, slots=True)
class Checked:
    """The compact result of one report (what the audit database keeps)."""

    key: str
    score: float | None
    grade: str
    counts: tuple[int, int, int]
    max_rank: int
    passed: bool
    findings: list[tuple[Any, ...]]
    result_blob: bytes
    error: tuple[str, str, str] | None = None


def check_chunk(items: Sequence[CheckItem], settings: Settings) -> list[Checked]:
    """Phase 2: check a chunk of reports in one vectorized engine pass (plus the cross-year rules)."""
    compiled = settings.compiled()
    docs, kept, out = [], [], []
    for item in items:
        try:
            docs.append(apply_manifest(_load(item), item.overrides))
            kept.append(item)
        except InputError as exc:
            out.append(Checked(item.key, None, "—", (0, 0, 0), 0, False, [], b"", ("unreadable", exc.zh, exc.en)))
    results = check_many(docs, compiled, [i.path for i in kept])
    instances = crossyear.pair_instances(compiled.ruleset)
    paired = [r for r, item in enumerate(kept) if item.previous is not None]
    if paired and instances:
        this = [crossyear.profile(docs[r], instances) for r in paired]
        prev = [kept[r].previous for r in paired]
        for r, pair in zip(paired, crossyear.evaluate(instances, this, prev)):  # type: ignore[arg-type]
            results[r] = crossyear.merge(results[r], pair, docs[r], compiled.ruleset)
    ctx = RenderContext(compiled.ruleset, settings.lang, settings.policy)
    writer = ResultJson(ctx)
    folder = Path(settings.results_dir) if settings.results_dir else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for item, result in zip(kept, results):
        body = writer.dumps(result).encode("utf-8")
        if folder is not None:
            _write_result(folder / result_name(item.key, settings.variant, item.previous_key), body)
        out.append(_compact(item.key, result, ctx, body))
    return out


def result_name(key: str, variant: str, previous: str) -> str:
    """The file name of a report's result JSON in ``results/`` (changes when the result can change)."""
    return hashlib.sha256(f"{key}|{variant}|{previous}".encode()).hexdigest()[:16] + ".json"


def _write_result(target: Path, body: bytes) -> None:
    """Write a result file unless it exists (atomically: a crash leaves no half-written file)."""
    if target.exists():
        return
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(body)
    os.replace(tmp, target)


def _load(item: CheckItem) -> dict[str, Any]:
    if item.doc_blob is not None:
        return json.loads(zlib.decompress(item.doc_blob))
    data = Path(item.path).read_bytes() if Path(item.path).is_file() else b""
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise InputError("文件在审核过程中被修改或删除，请重新运行。", "The file changed or vanished during the audit; run again.")
    return json.loads(decode_text(data))


def _compact(key: str, result: Any, ctx: RenderContext, body: bytes) -> Checked:
    counts = [0, 0, 0]
    rows = []
    for f in result.findings:
        if not f.waived:
            counts[3 - f.severity.rank] += 1
        rows.append((f.rule_id, f.severity.value, f.category, f.message.zh, f.message.en, f.pointer, f.section,
                     json.dumps(f.location) if f.location else None))
    max_rank = max((f.severity.rank for f in result.findings if not f.waived), default=0)
    return Checked(key, result.score.overall, result.score.grade, (counts[0], counts[1], counts[2]), max_rank,
                   not ctx.policy.report_failed(result), rows, zlib.compress(body, 1))


def profile_of(cells: dict[str, float], clause_bytes: bytes, meta: dict[str, Any]) -> Profile:
    """Rebuild a cross-year profile from what the database keeps."""
    label = f"{meta.get('agency', '')}{meta.get('year', '')}年度报告"
    return Profile(cells, np.frombuffer(clause_bytes, dtype=crossyear.CLAUSE_DTYPE),
                   {"format": meta.get("format"), "year": meta.get("year"), "kind": meta.get("kind"),
                    "level": meta.get("level"), "label": label})
