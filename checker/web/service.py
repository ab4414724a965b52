"""One check as the page and the API run it: read the uploaded file, check it, render the outputs.

This is plain synchronous code (the app runs it in a worker thread). It does what
``gkcheck check FILE --format json`` does for one file — read (any supported format),
apply the overrides, validate, run the bundled rules with the default policy — and renders
the JSON result (identical in layout to the CLI's), the HTML report, and for a Word file the
annotated copy.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.annotate import annotate_docx
from checker.api import apply_overrides, compiled_ruleset
from checker.document import validate_document
from checker.errors import InputError
from checker.formats import KINDS, LEVELS
from checker.ingest import parse_document, read_bytes, sniff
from checker.model import ReportResult
from checker.render import RenderContext
from checker.render.html import render_html
from checker.render.json_out import render_json
from checker.run import check_documents

log = logging.getLogger("checker.web")

FIELDS = ("year", "published", "agency_kind", "agency_level")


@dataclass(frozen=True)
class Checked:
    """The outputs of one check.

    Attributes:
        name: the uploaded file's (safe) name, as the result's ``source``.
        kind: what the file was read as: json, text, markdown, html, docx or pdf.
        result: the report's result.
        json_text: the result as ``gkcheck check --format json`` prints it.
        html_text: the HTML report ("" when not asked for).
        annotated: the annotated Word copy (None unless asked for and the file is a .docx).
        annotate_failed: True when a .docx copy was asked for but could not be made.
    """

    name: str
    kind: str
    result: ReportResult
    json_text: str
    html_text: str = ""
    annotated: bytes | None = None
    annotate_failed: bool = False


def overrides_of(fields: dict[str, str]) -> dict[str, Any]:
    """The CLI's overrides (``--year`` ...) from form fields; empty fields mean none.

    Raises:
        InputError: a value the CLI would refuse, with the CLI's words.
    """
    out: dict[str, Any] = {k: None for k in FIELDS}
    year = fields.get("year", "").strip()
    if year:
        if not (year.isascii() and year.isdigit() and 2008 <= int(year) <= 2100):
            raise InputError(f"“报告年度”应为 2008 至 2100 之间的年份，收到的是“{year[:20]}”。",
                             f"'year' must be a year from 2008 to 2100, not '{year[:20]}'.")
        out["year"] = int(year)
    published = fields.get("published", "").strip()
    if published:
        try:
            out["published"] = dt.date.fromisoformat(published).isoformat()
        except ValueError:
            raise InputError(f"“{published[:20]}”不是有效日期，应写作 YYYY-MM-DD，例如 2025-01-20。",
                             f"'{published[:20]}' is not a date; write YYYY-MM-DD, e.g. 2025-01-20.") from None
    for key, allowed, zh in (("agency_kind", KINDS, "机关类型"), ("agency_level", LEVELS, "机关层级")):
        value = fields.get(key, "").strip()
        if value:
            if value not in allowed:
                raise InputError(f"“{zh}”应为 {'、'.join(allowed)} 之一，收到的是“{value[:20]}”。",
                                 f"'{key}' must be one of {', '.join(allowed)}, not '{value[:20]}'.")
            out[key] = value
    return out


def check_file(path: Path, overrides: dict[str, Any], *, lang: str = "zh", html: bool = True,
               annotate: bool = True) -> Checked:
    """Check the report file at ``path`` (its name is the result's ``source``).

    Raises:
        InputError: the file cannot be read as a report (the CLI's message).
    """
    name = path.name
    data = read_bytes(path)
    kind = sniff(data, path.suffix)
    doc = parse_document(data, name, year=overrides.get("year"))
    doc = apply_overrides(doc, **overrides)
    validate_document(doc)
    compiled = compiled_ruleset()
    [result] = check_documents([doc], compiled, [name]).results
    ctx = RenderContext(compiled.ruleset, lang, documents={name: doc})
    json_text = render_json([result], ctx)
    html_text = (render_html([result], ctx) or "") if html else ""
    annotated, failed = None, False
    if annotate and kind == "docx":
        try:
            annotated = annotate_docx(data, result, doc, compiled.ruleset, lang)
        except Exception as exc:  # noqa: BLE001 - the check stands without the copy; say so on the page
            log.warning("The annotated Word copy could not be made (%s).", type(exc).__name__)
            failed = True
    return Checked(name, kind, result, json_text, html_text, annotated, failed)
