"""Which files an audit reads: files, folders (recursively), glob patterns and manifest CSV files.

A manifest is a CSV file (UTF-8, optionally with BOM) whose header has a ``file`` column; the
other known columns (``agency``, ``agency_id``, ``kind``, ``level``, ``region``, ``year``,
``published``, ``url``) override what ingest reads from the report. Relative ``file``
paths are relative to the manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from checker.errors import InputError
from checker.frame import KINDS, LEVELS

REPORT_SUFFIXES = {".json", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".pdf"}
MANIFEST_COLUMNS = ("file", "agency", "agency_id", "kind", "level", "region", "year", "published", "url")


@dataclass(frozen=True, slots=True)
class Entry:
    """One file to audit, with the manifest's overrides (empty when it came from a path).

    Attributes:
        path: the file, as given or found.
        overrides: manifest columns that override the document (``agency``, ``kind``, ``level``,
            ``region``, ``year``, ``published``, ``url``) and the pairing id ``agency_id``.
    """

    path: str
    overrides: dict[str, str] = field(default_factory=dict)


def is_manifest(path: Path) -> bool:
    """A ``.csv`` file whose header names a ``file`` column."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return "file" in [h.strip().lower() for h in header]


def discover(paths: Iterable[str]) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Expand command-line paths into entries, in a stable order.

    Args:
        paths: files, folders, glob patterns or manifest CSV files.

    Returns:
        (entries, problems): every file once (first occurrence wins), and (path, reason) for
        paths that match nothing.

    Raises:
        InputError: a manifest is malformed (the whole audit would be wrong).
    """
    seen: set[str] = set()
    entries: list[Entry] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        found = list(_expand(raw))
        if not found:
            problems.append((raw, "找不到该文件或文件夹，或通配符没有匹配到任何报告文件"))
        for entry in found:
            key = os.path.normpath(entry.path)
            if key not in seen:
                seen.add(key)
                entries.append(entry)
    return entries, problems


def _expand(raw: str) -> Iterator[Entry]:
    path = Path(raw)
    if path.is_dir():
        yield from (Entry(p) for p in _walk(path))
    elif is_manifest(path):
        yield from read_manifest(path)
    elif path.is_file():
        yield Entry(str(path))
    elif glob.has_magic(raw):
        for match in sorted(glob.glob(raw, recursive=True)):
            if Path(match).is_dir():
                yield from (Entry(p) for p in _walk(Path(match)))
            elif Path(match).is_file():
                yield Entry(match)


def _walk(folder: Path) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files)
                   if not f.startswith(".") and os.path.splitext(f)[1].lower() in REPORT_SUFFIXES)
    return out


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest CSV, with validated overrides.

    Raises:
        InputError: a value is not valid (unknown kind or level, bad year or date), with its line.
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    base = path.parent
    out = []
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("file"):
            continue
        overrides = {k: row[k] for k in MANIFEST_COLUMNS[1:] if row.get(k)}
        _validate(overrides, path, line)
        file = Path(row["file"])
        out.append(Entry(str(file if file.is_absolute() else base / file), overrides))
    return out


def _validate(values: dict[str, str], manifest: Path, line: int) -> None:
    def bad(what: str) -> InputError:
        return InputError(f"清单 {manifest} 第 {line} 行：{what}", f"Manifest {manifest} line {line}: {what}")

    if "kind" in values and values["kind"] not in KINDS:
        raise bad(f"kind 应为 {'/'.join(KINDS)}，而不是“{values['kind']}”")
    if "level" in values and values["level"] not in LEVELS:
        raise bad(f"level 应为 {'/'.join(LEVELS)}，而不是“{values['level']}”")
    if "year" in values and not (values["year"].isdigit() and 1990 < int(values["year"]) < 2100):
        raise bad(f"year 应为四位年份，而不是“{values['year']}”")
    if "published" in values:
        try:
            dt.date.fromisoformat(values["published"])
        except ValueError:
            raise bad(f"published 应写作 YYYY-MM-DD，而不是“{values['published']}”") from None
