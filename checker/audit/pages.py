"""Each report's page (``reports/<xx>/<id>.html``): the printable HTML report of ``gkcheck check --format
html``, made from the report's result file in ``results/`` and its document (redrawn tables).

Only the reports the dashboard links get a page (at most :data:`checker.audit.dashboard.TABLE_LIMIT`, the
lowest-scoring), and a page is written only when missing: its name is its result file's, which changes
whenever the result can change (rules, configuration, language, policy, the paired previous-year report), so an
existing page is current. A re-run of an unchanged audit writes none.

The result JSON holds everything the HTML renderer shows (findings with their basis and fix, outcomes, score,
coverage, reading notices) in the run's language, and is read back into a
:class:`~checker.model.ReportResult` (:func:`result_from_json`).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from checker import __version__
from checker.audit.runner import AuditSummary, Row, results_file
from checker.audit.safe import json_value
from checker.audit.store import Store
from checker.audit.worker import apply_manifest, write_result
from checker.loader import RuleSet
from checker.model import (
    CategoryScore,
    Coverage,
    Finding,
    Outcome,
    ReadingNotice,
    ReportResult,
    RuleOutcome,
    Score,
    Severity,
    Text,
)
from checker.render.context import RenderContext
from checker.render.html import render_html
from checker.verdict import Policy

PAGES = "reports"
PAGES_PER_PROCESS = 250  # fewer pages to write than this per process: not worth another process


def page_of(result: str) -> str:
    """The page of a result file: ``results/<xx>/<id>.json`` → ``reports/<xx>/<id>.html`` (output-relative)."""
    return PAGES + result[len("results"):-len(".json")] + ".html"


def page_file(row: Row, variant: str) -> str:
    """A report's page, relative to the output folder (its result file's name)."""
    return page_of(results_file(row, variant))


def _text(value: Any) -> Text:
    s = "" if value is None else str(value)
    return Text(s, s)


def result_from_json(d: dict[str, Any]) -> ReportResult:
    """A result as the renderers take it, from its result JSON (texts in the JSON's one language)."""
    report = d.get("report") or {}
    sc = d.get("score") or {}
    counts = sc.get("counts") or {}
    cov = d.get("coverage") or {}
    coverage = Coverage(int(cov.get("decided") or 0), int(cov.get("applicable") or 0), cov.get("ratio"))
    score = Score(sc.get("overall"), str(sc.get("grade") or "—"),
                  tuple(CategoryScore(c["category"], c.get("score"), c.get("passed", 0), c.get("failed", 0),
                                      c.get("not_assessable", 0)) for c in sc.get("categories") or ()),
                  counts.get("pass", 0), counts.get("fail", 0), counts.get("not_assessable", 0),
                  counts.get("not_applicable", 0), counts.get("waived", 0), float(sc.get("earned") or 0),
                  float(sc.get("possible") or 0), bool(sc.get("capped")), coverage)
    outcomes = tuple(RuleOutcome(o["rule_id"], Outcome(o["outcome"]), o.get("checked", 0), o.get("failed", 0),
                                 o.get("not_assessable", 0), Severity(o.get("severity") or "info"),
                                 float(o.get("points") or 0), o.get("reason") or "") for o in d.get("outcomes") or ())
    findings = tuple(
        Finding(f["rule_id"], f.get("rule_name") or "", Severity(f["severity"]), f.get("category") or "",
                Text((f.get("message_i18n") or {}).get("zh") or f.get("message") or "",
                     (f.get("message_i18n") or {}).get("en") or f.get("message") or ""),
                f.get("pointer") or "", f.get("section") or "meta", f.get("location"), f.get("values") or {},
                f.get("waived"), tuple(f.get("related") or ()), _text(f["basis"]) if f.get("basis") else None)
        for f in d.get("findings") or ())
    notices = tuple(ReadingNotice(n.get("code") or "", n.get("target") or "", _text(n.get("message")),
                                  _text(n.get("advice")), n.get("location"), n.get("values") or {})
                    for n in d.get("notices") or ())
    return ReportResult(d.get("source") or "", report.get("agency") or "", report.get("year"), report.get("format"),
                        report.get("kind"), report.get("level"), report.get("published"), outcomes, findings, score,
                        notices)


def linked(summary: AuditSummary, ranked: Sequence[Row], limit: int) -> list[Row]:
    """The rows whose page the dashboard links: the last ``limit`` of the ranking (the lowest-scoring)."""
    return list(ranked[-limit:]) if limit else []


def write_pages(summary: AuditSummary, rows: Sequence[Row], ruleset: RuleSet) -> None:
    """Write the missing pages of ``rows``."""
    out = summary.options.output
    todo = [r for r in rows if not (out / page_file(r, summary.variant)).exists()]
    if not todo:
        return
    opts = summary.options
    policy = Policy(Severity(opts.fail_on), opts.min_score)
    store = Store(opts.db_path, readonly=True)
    try:
        blobs = store.documents({r.sha256 for r in todo if r.file_kind != "json"}, __version__)
    finally:
        store.close()
    for r in todo:
        try:
            result = result_from_json(orjson.loads((out / results_file(r, summary.variant)).read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # no result file to show (the dashboard still links it; the JSON says why)
        doc = _document(r, blobs.get(r.sha256))
        ctx = RenderContext(ruleset, opts.lang, policy, documents={result.source: doc} if doc else {})
        write_result(out / page_file(r, summary.variant), render_html([result], ctx).encode("utf-8"))


def _document(r: Row, blob: bytes | None) -> dict[str, Any] | None:
    """The report's document (its tables are redrawn on the page); None when it cannot be had."""
    try:
        if blob is not None:
            doc = json_value(zlib.decompress(blob))
        elif r.file_kind == "json":
            data = Path(r.path).read_bytes()
            if hashlib.sha256(data).hexdigest() != r.sha256:  # changed since it was checked
                return None
            doc = json_value(data)
        else:
            return None
        return apply_manifest(doc, r.overrides) if isinstance(doc, dict) else None
    except (OSError, ValueError, zlib.error, TypeError, KeyError):
        return None


def remove_temporaries(out: Path) -> None:
    """Remove temporary page files (left by a run killed while writing them)."""
    folder = out / PAGES
    if not folder.is_dir():
        return
    for tmp in folder.glob("*/.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass
