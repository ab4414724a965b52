"""Compare a document read back from a rendered form with the original document.

Shared by ``tests/zoo/test_zoo.py`` (the properties) and ``benchmarks/bench_zoo.py`` (the
measurement), so both judge a reading by the same rules:

* a cell of the original is **right** when the read document holds the same value of the
  same type (int, float, None, str);
* it is **unread** when it is absent from the read document, its pointer (or an ancestor) is
  in ``reading.unread`` and a ``table-unread`` notice names its table — or, for a form that
  prints only part of the report (the excerpt), it was not printed in a whole row before the
  cut and a ``text-incomplete`` notice says the text stops early;
* anything else is **wrong**: a different value, a value of another type, a cell absent with
  no notice, and every cell the read document holds that the original lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.document import cell_by_pointer, pointer_to_path, resolve


@dataclass
class CellReport:
    """Cell counts of one reading, and the wrong cells (pointer, expected, got)."""

    total: int = 0
    right: int = 0
    unread: int = 0
    wrong: list[tuple[str, Any, Any]] = field(default_factory=list)

    def add(self, other: CellReport) -> None:
        self.total += other.total
        self.right += other.right
        self.unread += other.unread
        self.wrong += other.wrong


ABSENT = "<absent>"


def table_cells(doc: dict[str, Any]) -> dict[str, Any]:
    """Every table cell the document holds: JSON Pointer → value."""
    out = {}
    for pointer in cell_by_pointer():
        value = resolve(doc, pointer_to_path(pointer))
        if value is not _missing():
            out[pointer] = value
    return out


def _missing() -> Any:
    from checker.document import MISSING
    return MISSING


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def covered(pointer: str, read: dict[str, Any], *, printed: set[str] | None = None) -> bool:
    """Whether an absent cell is accounted for by the read document's reading notes.

    ``printed``: for a form cut short, the cells printed in whole before the cut (None for a
    complete form); the others are covered by a ``text-incomplete`` notice.
    """
    reading = read.get("reading") or {}
    notices = reading.get("notices") or []
    if printed is not None and pointer not in printed and any(n.get("code") == "text-incomplete" for n in notices):
        return True
    unread = reading.get("unread") or []
    if not any(pointer == u or pointer.startswith(u + "/") for u in unread):
        return False
    table = "/".join(pointer.split("/")[:3])
    return any(n.get("code") == "table-unread" and
               (n.get("target", "") in ("", "/tables") or table == n.get("target")
                or n.get("target", "").startswith(table + "/"))
               for n in notices)


def compare_cells(original: dict[str, Any], read: dict[str, Any], *, printed: set[str] | None = None) -> CellReport:
    """Count the original's cells right / unread / wrong in ``read`` (see the module docstring)."""
    report = CellReport()
    want = table_cells(original)
    got = table_cells(read)
    for pointer, value in want.items():
        report.total += 1
        if pointer in got:
            if _same(value, got[pointer]):
                report.right += 1
            else:
                report.wrong.append((pointer, value, got[pointer]))
        elif covered(pointer, read, printed=printed):
            report.unread += 1
        else:
            report.wrong.append((pointer, value, ABSENT))
    for pointer, value in got.items():
        if pointer not in want:
            report.wrong.append((pointer, ABSENT, value))
    return report


def error_keys(result: Any) -> set[tuple[str, str]]:
    """(rule id, pointer) of the error-severity findings of a ReportResult."""
    return {(f.rule_id, f.pointer) for f in result.findings if getattr(f.severity, "value", f.severity) == "error"}


def metadata_problems(original: dict[str, Any], read: dict[str, Any], *, may_lose_published: bool) -> list[str]:
    """What of year, format, agency name and publication date was not read back equal."""
    problems = []
    for key in ("year", "format"):
        if read.get(key) != original.get(key):
            problems.append(f"{key}: expected {original.get(key)!r}, read {read.get(key)!r}")
    name = (read.get("agency") or {}).get("name")
    if name != original["agency"]["name"]:
        problems.append(f"agency.name: expected {original['agency']['name']!r}, read {name!r}")
    want, got = original.get("published"), read.get("published")
    if got != want and not (got is None and may_lose_published):
        problems.append(f"published: expected {want!r}, read {got!r}")
    return problems
