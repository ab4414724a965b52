"""The library API: load rule sets and check report documents (no click, no rich)."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from checker.compile import Compiled, compile_ruleset
from checker.document import validate_document
from checker.engine import Pair, run
from checker.kinds.pair import profile
from checker.loader import RuleSet, load_ruleset
from checker.model import ReportResult


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


def check(doc: dict[str, Any], compiled: Compiled | None = None, source: str = "",
          previous: dict[str, Any] | None = None) -> ReportResult:
    """Validate one report document against the report schema, then check it.

    With ``previous`` (the same body's report of the year before, also validated), the
    cross-year rules are run too; without it they are not applicable.
    """
    validate_document(doc)
    compiled = compiled or compiled_ruleset()
    pairs = [pair_of(doc, previous, compiled)] if previous is not None else None
    return run([doc], compiled, [source], pairs)[0]


def pair_of(doc: dict[str, Any], previous: dict[str, Any], compiled: Compiled | None = None) -> Pair:
    """The cross-year profiles of (``doc``, ``previous``); ``previous`` is validated against the report schema."""
    validate_document(previous)
    cells = (compiled or compiled_ruleset()).pair_cells
    return profile(doc, cells), profile(previous, cells)


def check_many(docs: Sequence[dict[str, Any]], compiled: Compiled | None = None,
               sources: Sequence[str] | None = None, pairs: Sequence[Pair | None] | None = None) -> list[ReportResult]:
    """Check many valid documents in one vectorized pass (they must already be schema-valid).

    ``pairs``: per document, the cross-year profiles of (it, its previous-year report) or None.
    """
    return run(docs, compiled or compiled_ruleset(), sources, pairs)


__all__ = ["RuleSet", "load_ruleset", "check", "check_many", "compiled_ruleset", "apply_overrides"]
