"""What the reader could and could not read: the document's ``reading`` block.

Ingest records here, while it assembles a document:

* **unread** pointers: parts, tables, rows or cells whose words are printed in the source
  but that the reader could not place. They stay absent from the document; rules that need
  them are ``not_assessable`` instead of reporting them missing (evidence before a defect).
* **derived** pointers: cells whose digits were run together in the source (``640020470``)
  and were split by the table's own arithmetic, because exactly one split satisfies it.
  Rules that check that arithmetic do not decide on them.
* **notices**: one per table or part (or for the whole text) telling the user what could not
  be read, where its words are, and what to do. Codes and values only; the wording lives in
  the message catalogue of the outputs.

The block validates against ``#/properties/reading`` of ``schemas/report.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.ingest.layout import Location

NOTICE_CODES = ("table-unread", "cells-derived", "part-unplaced", "text-incomplete", "year-inferred")


@dataclass(slots=True)
class Notice:
    """One reading notice: a code, the pointer it concerns, where its words are, quoted values."""

    code: str
    target: str
    location: Location | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "target": self.target}
        if self.location is not None and self.location.to_dict():
            out["location"] = self.location.to_dict()
        if self.values:
            out["values"] = dict(self.values)
        return out


@dataclass(slots=True)
class Reading:
    """Accumulates unread and derived pointers and notices while one document is assembled."""

    unread: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def mark_unread(self, pointer: str) -> None:
        if pointer not in self.unread:
            self.unread.append(pointer)

    def mark_derived(self, pointer: str) -> None:
        if pointer not in self.derived:
            self.derived.append(pointer)

    def notice(self, code: str, target: str, location: Location | None = None, **values: Any) -> Notice:
        """Add a notice (one per code and target: a second call for the same pair updates the first)."""
        if code not in NOTICE_CODES:
            raise ValueError(code)
        for existing in self.notices:
            if existing.code == code and existing.target == target:
                existing.values.update(values)
                if existing.location is None:
                    existing.location = location
                return existing
        made = Notice(code, target, location, dict(values))
        self.notices.append(made)
        return made

    def is_unread(self, pointer: str) -> bool:
        """Whether ``pointer`` is, or lies under, an unread pointer."""
        return any(pointer == p or pointer.startswith(p + "/") for p in self.unread)

    def to_dict(self) -> dict[str, Any] | None:
        """The ``reading`` block, or None when everything was read."""
        if not (self.unread or self.derived or self.notices):
            return None
        out: dict[str, Any] = {}
        if self.unread:
            out["unread"] = list(self.unread)
        if self.derived:
            out["derived"] = list(self.derived)
        if self.notices:
            out["notices"] = [n.to_dict() for n in self.notices]
        return out
