"""Which files ``gkcheck check`` reads, and which of them are annual reports.

Arguments are web addresses (``https://…``: the report is fetched, :func:`checker.fetch.read_url`), files,
folders (read recursively) and glob patterns (``'reports/**/*.json'``,
quoted so that gkcheck, not the shell, expands them; ``**`` matches any depth). A file named
on the command line is a report by declaration: if it cannot be read as one, that is an
input error (exit 2). Files *found* in a folder or by a pattern — and, with
``--skip-non-reports`` (the pre-commit hook), every file — are recognised by their content,
so a ``package.json``, a ``README.md`` or gkcheck's own outputs beside the reports are
skipped, and counted, instead of failing the run.

Recognition, cheap first and decided by ingest's own reading (:func:`read_found`):

1. **JSON**: a report document is an object with ``schema_version`` or with at least two of
   the other keys ``schemas/report.schema.json`` requires (``agency``, ``year``, ``format``,
   ``sections``, ``tables``). A file that is not valid JSON looks like a report when it names
   those keys or says 政府信息公开; it is then read, and its error reported.
2. **Text, Markdown, HTML, Word**: the text (tags and entities removed; for Word, the main
   document part, decompressed up to a bound) must mention 政府信息公开 (compared as ingest
   compares labels: full-width forms, traditional characters and spaces do not matter), and
   must not be a gkcheck output (the HTML report's ``generator`` tag, the Markdown comment's
   ``### gkcheck`` heading). PDF files have no cheap screen: they go to step 3.
3. **Reading**: the file is read by ingest. What ingest finds no part heading and no
   statistical table in (``NotAReport``), or reads without any part, table or reading
   notice, is not a report. A text that has parts or tables but no reported year is a report
   with an error (``YearNotFound``, exit 2), not a file to skip.

A file whose extension is not one gkcheck reads (an image, a spreadsheet: a pre-commit
``files`` pattern may pass them) is not a report. Any other failure to read a file that
passed the screen — a damaged Word file, a PDF without a text layer, a file over a limit — is
an input error (exit 2): it looks like a report.
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from checker.audit.discover import REPORT_SUFFIXES, is_url
from checker.audit.discover import _glob as glob_paths
from checker.audit.discover import _walk as walk_folder
from checker.errors import InputError, NotAReport, YearNotFound
from checker.fileio import resolved, same_file
from checker.ingest import parse_document, read_bytes, sniff
from checker.ingest.normalize import match_key
from checker.ingest.text import decode_text
from checker.resources import load_schema

# The suffixes of the files gkcheck reads in a folder or from a pattern (as ``gkcheck audit`` does).
READ_SUFFIXES = tuple(sorted(REPORT_SUFFIXES))
# The words every annual report prints: in its title and in the name of its regulation.
MARKER = "政府信息公开"
# How much of a text (characters) and of a Word file's main part (bytes) the screen looks at.
_SCREEN_CHARS = 1 << 20
_SCREEN_DOCX_BYTES = 8 << 20
_TAG = re.compile(r"<[^>]*>")
_GENERATED_HTML = re.compile(r"""<meta\s+name=["']generator["']\s+content=["']gkcheck["']""", re.IGNORECASE)
_GENERATED_MARKDOWN = re.compile(r"(?m)^### gkcheck[：:]")
# A year given to ingest only to learn whether a text without one has a report's structure.
_PROBE_YEAR = 2024


@dataclass(frozen=True)
class Expanded:
    """The files the arguments name.

    Attributes:
        files: every file to read, each once, in argument order (a folder's files sorted).
        found: those found in a folder or by a pattern (recognised by content).
        problems: (zh, en) for each argument that names no file gkcheck reads.
    """

    files: tuple[str, ...]
    found: frozenset[str]
    problems: tuple[tuple[str, str], ...] = field(default=())


def expand(args: Sequence[str], exclude: Iterable[str] = ()) -> Expanded:
    """Expand files, folders and glob patterns into the files to read.

    A name that exists is a file or a folder even if it holds ``*`` or ``?``. A name that
    does not exist and is no pattern is kept as a file (reading it reports it missing).
    Files found in folders or by patterns that are one of ``exclude`` (the run's output
    files, compared as paths and by device and inode) are left out: a second run does not
    read the first run's outputs.
    """
    outputs = [p for p in exclude if p]
    files: list[str] = []
    found: set[str] = set()
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(path: str, by_content: bool) -> None:
        key = os.path.normpath(path)
        if key in seen:
            return
        if by_content and any(resolved(path) == resolved(o) or same_file(path, o) for o in outputs):
            return
        seen.add(key)
        files.append(path)
        if by_content:
            found.add(path)

    for raw in args:
        if is_url(raw):  # a report on the web: fetched when read (checker.fetch.read_url)
            add(raw, False)
            continue
        path = Path(raw)
        if _probe(path.is_dir):
            readable = walk_folder(path)  # the files of REPORT_SUFFIXES
            if not readable:
                problems.append(_empty_folder(raw))
            for p in readable:
                add(p, True)
        elif _probe(lambda: os.path.lexists(raw)) or not _has_magic(raw):  # noqa: B023 (called at once)
            add(raw, False)
        else:
            matched = glob_paths(raw)
            readable = []
            for m in matched:
                if _probe(Path(m).is_dir):
                    readable += walk_folder(Path(m))
                elif m.lower().endswith(READ_SUFFIXES) and _probe(Path(m).is_file):
                    readable.append(m)
            if not readable:
                problems.append(_empty_pattern(raw, len(matched)))
            for p in readable:
                add(p, True)
    return Expanded(tuple(files), frozenset(found), tuple(problems))


def _has_magic(name: str) -> bool:
    return any(ch in name for ch in "*?[")


def _probe(test: Any) -> bool:
    try:
        return bool(test())
    except (OSError, ValueError):
        return False


_SUFFIX_LIST = ".json .docx .doc .wps .pdf .html .htm .txt .md"


def _empty_folder(raw: str) -> tuple[str, str]:
    return (f"文件夹 {raw} 中（含子文件夹）没有 gkcheck 能读取的文件（{_SUFFIX_LIST}）。请检查路径是否正确。",
            f"The folder {raw} (with its subfolders) holds no file gkcheck reads ({_SUFFIX_LIST}).")


def _empty_pattern(raw: str, matched: int) -> tuple[str, str]:
    if matched:
        return (f"通配符 {raw} 匹配到 {matched} 个文件，但都不是 gkcheck 能读取的类型（{_SUFFIX_LIST}）。",
                f"The pattern {raw} matches {matched} files, none of a type gkcheck reads ({_SUFFIX_LIST}).")
    return (f"通配符 {raw} 没有匹配到任何文件。请检查路径是否正确（通配符请加引号，如 'reports/**/*.json'，由 gkcheck 展开）。",
            (f"The pattern {raw} matches no file. Check the path (quote patterns, e.g. 'reports/**/*.json', "
             "so that gkcheck expands them)."))


# --------------------------------------------------------------------------- recognition


def screen(data: bytes, name: str) -> bool:
    """Whether a file's bytes may hold an annual report (step 1 and 2 of the module docstring).

    True for what cannot be told without reading (PDF, a damaged or unknown binary file):
    reading it then decides, and reports its error.
    """
    try:
        kind = sniff(data, Path(name).suffix)
    except InputError:
        return True  # a damaged Word file, a zip or an old .doc under a report's name: say so
    if kind in ("pdf", "legacy"):
        return True
    if kind == "json":
        return _json_report(data)
    if kind == "docx":
        text = _docx_text(data)
        if text is None:
            return True
    else:
        try:
            text = decode_text(data)
        except InputError:
            return False  # binary or empty: no report text in it
        text = text[:_SCREEN_CHARS]
        if kind == "html":
            if _GENERATED_HTML.search(text):
                return False
            text = html.unescape(_TAG.sub("", text))
        elif _GENERATED_MARKDOWN.search(text):
            return False
    return MARKER in text or MARKER in match_key(text)


def _json_report(data: bytes) -> bool:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        text = data[:_SCREEN_CHARS].decode("utf-8", errors="ignore")
        return MARKER in text or any(f'"{key}"' in text for key in ("schema_version", *_document_keys()))
    if not isinstance(document, dict):
        return False
    return "schema_version" in document or len(_document_keys() & document.keys()) >= 2


def _document_keys() -> frozenset[str]:
    """The keys ``schemas/report.schema.json`` requires besides ``schema_version``."""
    required = load_schema("report.schema.json").get("required", [])
    return frozenset(k for k in required if k != "schema_version")


def _docx_text(data: bytes) -> str | None:
    """The text of a Word file's main part (its first bytes, bounded); None when it cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as part:
            xml = part.read(_SCREEN_DOCX_BYTES)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None
    return html.unescape(_TAG.sub("", xml.decode("utf-8", errors="ignore")))


def has_structure(document: dict[str, Any]) -> bool:
    """Whether ingest found a report in a text: a part, a table, or something it could not read."""
    return bool(document.get("sections") or document.get("tables") or document.get("reading"))


def read_found(path: str, year: int | None = None) -> dict[str, Any] | None:
    """The report document of a file recognised by content, or None when it is not a report.

    Raises:
        InputError: the file looks like a report but cannot be read (step 3 of the module docstring).
    """
    file = Path(path)
    if file.suffix.lower() not in REPORT_SUFFIXES and _probe(file.is_file):  # an image, a spreadsheet
        return None
    if _probe(lambda: file.is_file() and file.stat().st_size == 0):
        return None
    data = read_bytes(file)
    if not screen(data, file.name):
        return None
    try:
        document = parse_document(data, file.name, year=year)
    except NotAReport:
        return None
    except YearNotFound:
        try:
            probe = parse_document(data, file.name, year=_PROBE_YEAR)
        except InputError:
            return None
        if has_structure(probe):
            raise
        return None
    if sniff(data, file.suffix) == "json":
        return document  # recognised by its keys: an empty report is still a report
    return document if has_structure(document) else None
