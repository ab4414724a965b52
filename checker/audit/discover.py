"""Which files an audit reads: files, folders (recursively), glob patterns and manifest CSV files.

A manifest is a CSV file (UTF-8, optionally with BOM, or GBK…) whose header has a ``file`` column; the
other known columns (``agency``, ``agency_id``, ``kind``, ``level``, ``region``, ``year``,
``published``, ``url``) override what ingest reads from the report. Relative ``file``
paths are relative to the manifest. A row with a ``url`` and no ``file`` names a report on the web: the
audit fetches it (:mod:`checker.audit.web`); so do web addresses given as paths and the lines of a
``--urls`` file.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker import limits
from checker.audit.safe import clean
from checker.errors import InputError
from checker.formats import KINDS, LEVELS
from checker.ingest.text import decode_text

REPORT_SUFFIXES = {".json", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".pdf",
                   ".doc", ".wps", ".rtf", ".ofd"}  # .ofd: refused by name, so the audit lists it
MANIFEST_COLUMNS = ("file", "agency", "agency_id", "kind", "level", "region", "year", "published", "url")


@dataclass(frozen=True, slots=True)
class Entry:
    """One file to audit, with the manifest's overrides (empty when it came from a path).

    Attributes:
        path: the file, as given or found.
        overrides: manifest columns that override the document (``agency``, ``kind``, ``level``,
            ``region``, ``year``, ``published``, ``url``) and the pairing id ``agency_id``.
        web: a report on the web, at ``overrides["url"]``: the audit fetches it and replaces ``path`` with
            the file of the fetched version.
    """

    path: str
    overrides: dict[str, str] = field(default_factory=dict)
    web: bool = False

    @property
    def url(self) -> str:
        """The web address of a report on the web (``path`` until the audit fetches it)."""
        return self.overrides.get("url", self.path) if self.web else ""


Problem = tuple[str, str, str, str]
"""An input that gives no entry: (path, status, zh, en); status ``missing`` or ``listed_twice``."""


def is_url(arg: str) -> bool:
    """Whether an argument is a web address (http or https): a report on the web, not a path."""
    return bool(_URL.match(arg))


_URL = re.compile(r"(?i)https?://[^/\s]")


def is_manifest(path: Path) -> bool:
    """A ``.csv`` file (given on the command line: it is read as a manifest, which must have a ``file`` column)."""
    return path.suffix.lower() == ".csv" and _probe(path.is_file)


def discover(paths: Iterable[str]) -> tuple[list[Entry], list[Problem]]:
    """Expand command-line paths into entries, in a stable order.

    Args:
        paths: files, folders, glob patterns or manifest CSV files.

    Returns:
        (entries, problems): every file once (first occurrence wins), and the inputs that give no
        entry: paths that match nothing (``missing``), and manifest rows naming a file that an
        earlier manifest row already listed (``listed_twice``, with both lines).

    Raises:
        InputError: a manifest is malformed (the whole audit would be wrong).
    """
    seen: dict[str, tuple[str, str]] = {}  # file → where it was first listed (zh, en; "" when not by a manifest row)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for raw in paths:
        found = list(_expand(raw))
        if not found:
            shown = clean(raw)
            problems.append((raw, "missing", f"找不到该文件或文件夹，或通配符没有匹配到任何报告文件：{shown}",
                             f"No such file or folder, or the pattern matches no report file: {shown}"))
        for entry, listed in found:
            key = os.path.normpath(entry.path)
            if key not in seen:
                seen[key] = listed
                entries.append(entry)
            elif listed[0]:  # a manifest row for a file already listed: say so (the docs promise it)
                first_zh, first_en = seen[key] if seen[key][0] else ("命令行", "the command line")
                problems.append((entry.path, "listed_twice",
                                 clean(f"{listed[0]}再次列出了这个文件；已按{first_zh}检查一次，本行被忽略。"),
                                 clean(f"{listed[1]} lists this file again; it was checked once, as {first_en} "
                                       "lists it, and this row is ignored.")))
    return entries, problems


_NOT_LISTED = ("", "")


def _expand(raw: str) -> Iterator[tuple[Entry, tuple[str, str]]]:
    """The entries ``raw`` names, each with the manifest row that lists it (zh, en; empty when not from a
    manifest)."""
    if is_url(raw):
        yield Entry(raw, {"url": raw}, web=True), _NOT_LISTED
        return
    path = Path(raw)
    if _probe(path.is_dir):
        yield from ((Entry(p), _NOT_LISTED) for p in _walk(path))
    elif is_manifest(path):
        yield from read_manifest(path)
    elif _probe(path.is_file) or _probe(lambda: os.path.lexists(raw)):  # a broken link or a loop: unreadable
        yield Entry(str(path)), _NOT_LISTED
    elif glob.has_magic(raw):
        for match in _glob(raw):
            if _probe(Path(match).is_dir):
                yield from ((Entry(p), _NOT_LISTED) for p in _walk(Path(match)))
            elif _probe(Path(match).is_file):
                yield Entry(match), _NOT_LISTED


def _probe(test: Callable[[], bool]) -> bool:
    """``test()``, False when the file system refuses (a name too long, a loop of links, no permission)."""
    try:
        return test()
    except (OSError, ValueError):
        return False


def _glob(pattern: str) -> list[str]:
    """The paths a glob pattern matches, sorted. ``**`` does not descend into symbolic links to folders
    (``glob.glob`` does: a link to a parent folder makes it list the same files at every depth, and two
    such links make the count double at each level)."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    root = Path(*parts[:fixed]) if fixed else Path()
    rest = parts[fixed:]
    if not rest:
        return []
    try:
        found = [p for p in root.glob(str(Path(*rest)))
                 if not any(q.startswith(".") for q in p.relative_to(root).parts)]
    except (OSError, ValueError):
        return []
    return sorted(str(p) for p in found)


def _walk(folder: Path) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(folder):  # symbolic links to folders are not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files)
                   if not f.startswith(".") and os.path.splitext(f)[1].lower() in REPORT_SUFFIXES)
    return out


def read_manifest(path: Path) -> list[tuple[Entry, tuple[str, str]]]:
    """The entries of a manifest CSV, with validated overrides, each with where it is listed
    ("manifest line N"). A second row for the same file is kept here (:func:`discover` lists it).

    The file is decoded as report text files are (UTF-8 with or without BOM, UTF-16, GBK/GB18030…).

    Raises:
        InputError: the file cannot be read or decoded, has no ``file`` column or no file listed, a row
            has more cells than the header, a field is longer than ``limits.FIELD_CHARS``, or a value is
            not valid (unknown kind or level, bad year or date); the message names the line.
    """
    shown = clean(str(path))
    text = _manifest_text(path, shown)
    limit = limits.FIELD_CHARS.value()
    old_limit = csv.field_size_limit(limit)  # a longer field raises csv.Error: reported below with its line
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            if "file" not in header and "url" not in header:
                raise InputError(f"清单 {shown} 的第一行（表头）没有 file 列（也没有 url 列），无法知道要检查哪些文件。"
                                 "请在表头加上 file 列，每行写一个报告文件的路径；或加上 url 列，每行写一个报告网址。",
                                 f"The manifest {shown} has no 'file' (or 'url') column in its header row; add one "
                                 "with the path of a report file (or its web address) on each row.")
            rows = [(reader.line_num, row) for row in reader]
        except csv.Error as exc:
            line = max(reader.line_num, 1)  # the line being read
            where_zh, where_en = f"清单 {shown} 第 {line} 行", f"the manifest {shown}, line {line}"
            if "field larger than field limit" in str(exc):
                raise limits.FIELD_CHARS.exceeded(f">{limit}", where_zh=where_zh, where_en=where_en) from None
            raise InputError(f"{where_zh}：不是有效的 CSV（{exc}）。", f"{where_en}: not valid CSV ({exc}).") from None
    finally:
        csv.field_size_limit(old_limit)
    base = path.parent
    out = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise InputError(f"清单 {shown} 第 {line} 行有 {len(cells)} 个值，比表头的 {len(header)} 列多，"
                             "列可能错位了（例如值中含有未加引号的逗号）。请修正该行后重试。",
                             f"The manifest {shown}, line {line}, has {len(cells)} values but the header has "
                             f"{len(header)} columns (an unquoted comma in a value?). Fix the line and try again.")
        row = {k: v.strip() for k, v in zip(header, cells)}
        if not row.get("file") and is_url(row.get("url", "")):  # a report on the web
            overrides = {k: row[k] for k in MANIFEST_COLUMNS[1:] if row.get(k)}
            _validate(overrides, path, line)
            out.append((Entry(row["url"], overrides, web=True),
                        (f"清单 {shown} 第 {line} 行", f"the manifest {shown}, line {line},")))
            continue
        if not row.get("file"):
            if row.get("url"):
                raise InputError(clean(f"清单 {shown} 第 {line} 行：url 列“{row['url'][:200]}”不是有效的网址"
                                       "（应以 http:// 或 https:// 开头）。"),
                                 clean(f"The manifest {shown}, line {line}: the url '{row['url'][:200]}' is not a "
                                       "web address (http:// or https://)."))
            continue
        if any(ord(ch) < 32 for ch in row["file"]):
            raise InputError(clean(f"清单 {shown} 第 {line} 行：file 列含有控制字符（如换行、NUL），不是有效的文件路径。"),
                             clean(f"The manifest {shown}, line {line}: the file column holds control characters."))
        overrides = {k: row[k] for k in MANIFEST_COLUMNS[1:] if row.get(k)}
        _validate(overrides, path, line)
        file = Path(row["file"])
        out.append((Entry(str(file if file.is_absolute() else base / file), overrides),
                    (f"清单 {shown} 第 {line} 行", f"the manifest {shown}, line {line},")))
    if not out:
        raise InputError(f"清单 {shown} 中没有列出任何报告文件或网址（file 列和 url 列为空或只有表头）。请每行写一个报告文件的路径"
                         "或报告网址。",
                         f"The manifest {shown} lists no report file or address (only a header, or empty 'file' and "
                         "'url' columns).")
    return out


def read_url_list(path: str) -> list[str]:
    """The web addresses of a ``--urls`` file: one per line; blank lines and lines starting with ``#`` skipped.

    Raises:
        InputError: the file cannot be read, or a line is not a web address (the line is named).
    """
    shown = clean(path)
    text = _manifest_text(Path(path), shown)
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or len(line) > 8000 or any(ord(ch) < 32 for ch in line):
            raise InputError(clean(f"网址列表 {shown} 第 {number} 行不是有效的网址（应以 http:// 或 https:// 开头）："
                                   f"{line[:200]}"),
                             clean(f"The address list {shown}, line {number}, is not a web address: {line[:200]}"))
        urls.append(line)
    if not urls:
        raise InputError(f"网址列表 {shown} 中没有网址。请每行写一个报告网址。", f"The address list {shown} holds no address.")
    return urls


def _manifest_text(path: Path, shown: str) -> str:
    """The manifest's text, decoded as report text files are; bounded by ``limits.INPUT_MB``."""
    try:
        size = path.stat().st_size
        if size > limits.INPUT_MB.bytes():
            raise limits.INPUT_MB.exceeded(f"{size / 2**20:.1f}", where_zh=f"清单 {shown}", where_en=f"the manifest {shown}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取清单 {shown}（{exc.strerror}）。", f"Cannot read the manifest {shown} ({exc.strerror}).") from None
    try:
        text = decode_text(data)
    except InputError as exc:
        raise InputError(f"清单 {shown}：{exc.zh}", f"The manifest {shown}: {exc.en}") from None
    return text.removeprefix("\ufeff")


def _validate(values: dict[str, str], manifest: Path, line: int) -> None:
    def bad(what: str) -> InputError:
        return InputError(clean(f"清单 {manifest} 第 {line} 行：{what}"), clean(f"Manifest {manifest} line {line}: {what}"))

    if "kind" in values and values["kind"] not in KINDS:
        raise bad(f"kind 应为 {'/'.join(KINDS)}，而不是“{values['kind']}”")
    if "level" in values and values["level"] not in LEVELS:
        raise bad(f"level 应为 {'/'.join(LEVELS)}，而不是“{values['level']}”")
    if "year" in values and not (re.fullmatch(r"[0-9]{4}", values["year"]) and 1990 < int(values["year"]) < 2100):
        raise bad(f"year 应为四位年份，而不是“{values['year']}”")
    if "published" in values:
        try:
            dt.date.fromisoformat(values["published"])
        except ValueError:
            raise bad(f"published 应写作 YYYY-MM-DD，而不是“{values['published']}”") from None
