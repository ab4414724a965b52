"""The library API: load rule sets and check report documents (no click, no rich)."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from checker.compile import Compiled, compile_ruleset
from checker.document import validate_document
from checker.engine import Pair
from checker.kinds.pair import profile
from checker.loader import RuleSet, load_ruleset
from checker.model import ReportResult
from checker.run import Run, check_documents


@lru_cache(maxsize=8)
def _compiled_default(key: tuple[str, ...] | None) -> Compiled:
    return compile_ruleset(load_ruleset(list(key) if key is not None else None))


def compiled_ruleset(paths: Iterable[str | Path] | None = None) -> Compiled:
    """The compiled rule set for ``paths`` (bundled rule sets by default), cached."""
    key = tuple(str(Path(p).resolve()) for p in paths) if paths is not None else None
    return _compiled_default(key)


def apply_overrides(doc: dict[str, Any], *, agency_kind: str | None = None, agency_level: str | None = None,
                    published: str | None = None, year: int | None = None) -> dict[str, Any]:
    """A copy of ``doc`` with metadata overridden from the command line (the original is untouched)."""
    if not any(v is not None for v in (agency_kind, agency_level, published, year)):
        return doc
    out = copy.deepcopy(doc)
    agency = out.setdefault("agency", {})
    if agency_kind is not None:
        agency["kind"] = agency_kind
    if agency_level is not None:
        agency["level"] = agency_level
    if published is not None:
        out["published"] = published
    if year is not None:
        out["year"] = year
        reading = out.get("reading")
        if isinstance(reading, dict) and isinstance(reading.get("notices"), list):
            # the year is given: a notice that it was inferred from the text no longer applies
            reading["notices"] = [n for n in reading["notices"] if not (isinstance(n, dict)
                                                                        and n.get("code") == "year-inferred")]
    return out


Source = Union[dict[str, Any], str, "os.PathLike[str]", bytes]
"""What :func:`check` accepts: a report document, the path of a report file, or a file's bytes."""


def load(report: Source, *, name: str | None = None, year: int | None = None) -> tuple[dict[str, Any], str]:
    """(the report document, its source name) for a document, a file path or a file's bytes.

    Args:
        report: a report document (dict, used as it is), the path of a report file (str or
            ``pathlib.Path``: .json .docx .pdf .html .txt .md), or the bytes of such a file.
        name: the file name for bytes (its suffix helps tell text from Markdown; messages name it).
        year: the reported year, when the file does not state it.

    Raises:
        InputError: the file cannot be read as a report (the message the CLI prints).
        TypeError: ``report`` is none of the above.
    """
    from checker.ingest import parse_document, read_document
    from checker.quiet import quiet_libraries

    if isinstance(report, dict):  # the bounds every file's document meets (depth, text, numbers)
        from checker.ingest.values import check_values
        check_values(report, name or "报告文档")
        return report, name or ""
    if isinstance(report, (bytes, bytearray, memoryview)):
        with quiet_libraries():
            return parse_document(bytes(report), name or "report", year=year), name or ""
    if isinstance(report, (str, os.PathLike)):
        with quiet_libraries():
            return read_document(os.fspath(report), year=year), str(report)
    raise TypeError(f"check() takes a report document (dict), a file path or a file's bytes, not {type(report).__name__}")


def check(doc: Source, compiled: Compiled | None = None, source: str = "",
          previous: Source | None = None, *, name: str | None = None, year: int | None = None,
          published: str | None = None, agency_kind: str | None = None,
          agency_level: str | None = None) -> ReportResult:
    """Check one report: a document, or a report file of any supported kind (path or bytes).

    ``checker.check("2024年报.docx")``, ``checker.check(Path("r.pdf"), year=2024)``,
    ``checker.check(data, name="r.html")``, ``checker.check(document_dict)``.

    Args:
        doc: the report (see :func:`load`).
        compiled: the rule set (the bundled rules by default).
        source: the name the result carries (default: the path, or ``name`` for bytes).
        previous: the same body's report of the year before (any form ``doc`` takes): the
            cross-year rules run too; without it they are not applicable.
        name: the file name, for bytes.
        year, published, agency_kind, agency_level: override what the report states, as the
            CLI's ``--year``, ``--published``, ``--agency-kind``, ``--agency-level`` do.

    Raises:
        InputError: the file cannot be read, or the document is not valid against the report schema.
    """
    document, shown = load(doc, name=name, year=year)
    document = apply_overrides(document, agency_kind=agency_kind, agency_level=agency_level,
                               published=published, year=year)
    validate_document(document)
    compiled = compiled or compiled_ruleset()
    pairs = None
    if previous is not None:
        pairs = [pair_of(document, load(previous)[0], compiled)]
    return check_documents([document], compiled, [source or shown], pairs).results[0]


def pair_of(doc: dict[str, Any], previous: dict[str, Any], compiled: Compiled | None = None) -> Pair:
    """The cross-year profiles of (``doc``, ``previous``); ``previous`` is validated against the report schema."""
    validate_document(previous)
    cells = (compiled or compiled_ruleset()).pair_cells
    return profile(doc, cells), profile(previous, cells)


def check_many(docs: Sequence[dict[str, Any]], compiled: Compiled | None = None,
               sources: Sequence[str] | None = None, pairs: Sequence[Pair | None] | None = None) -> list[ReportResult]:
    """Check many valid documents in one vectorized pass (they must already be schema-valid).

    ``pairs``: per document, the cross-year profiles of (it, its previous-year report) or None.
    The results of :func:`check_batch` (which also gives the run's outcome table and findings table).
    """
    return list(check_batch(docs, compiled, sources, pairs).results)


def check_batch(docs: Sequence[dict[str, Any]], compiled: Compiled | None = None,
                sources: Sequence[str] | None = None, pairs: Sequence[Pair | None] | None = None) -> Run:
    """The whole :class:`checker.run.Run` of many valid documents (results, outcome table, findings table)."""
    return check_documents(docs, compiled or compiled_ruleset(), sources, pairs)


__all__ = ["Run", "RuleSet", "apply_overrides", "check", "check_batch", "check_many", "compiled_ruleset", "load",
           "load_ruleset"]
