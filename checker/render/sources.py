"""Places in the checked files, shared by the file-oriented renderers (SARIF, JUnit, Markdown, HTML).

A finding's ``location`` comes from the source map that ingest builds for text, HTML, Word
and PDF files. A JSON report has no source map: its findings point into the file through
their JSON Pointer, so the line of the pointed-at value is found by scanning the JSON text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from urllib.parse import quote

from checker.document import path_to_pointer
from checker.model import Finding

_LITERAL = re.compile(r"-?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|Infinity)|true|false|null|NaN")
_WS = re.compile(r"\s*")


def artifact_uri(source: str) -> str:
    """The SARIF ``artifactLocation.uri`` of a checked file: relative stays relative, percent-encoded.

    A file name that is not UTF-8 (its bytes kept by Python as lone surrogates) is encoded
    byte for byte, so the URI names the very file.
    """
    path = Path(source)
    try:
        quoted = quote(path.as_posix(), safe="/", errors="surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decodes to: only its place is kept
        quoted = quote(path.as_posix(), safe="/", errors="replace")
    return "file://" + quoted if path.is_absolute() else quoted


def finding_line(finding: Finding, source: str) -> int | None:
    """The line a finding points at (see :func:`place_line`)."""
    return place_line(finding.pointer, finding.location, source)


def place_line(pointer: str, location: dict[str, int] | None, source: str) -> int | None:
    """The line of a place: from the source map, else (JSON reports) from the pointer or its parent."""
    if location and "line" in location:
        return int(location["line"])
    if source.lower().endswith(".json"):
        lines = json_lines(source)
        while pointer not in lines and pointer:
            pointer = pointer.rsplit("/", 1)[0]  # a missing part: the line of its parent
        return lines.get(pointer)
    return None


@lru_cache(maxsize=64)
def json_lines(source: str) -> dict[str, int]:
    """JSON Pointer → 1-based line of the value, for a JSON file (empty when unreadable)."""
    try:
        raw = Path(source).read_bytes()
    except (OSError, ValueError):  # ValueError: a name no file can have (NUL, a lone surrogate)
        return {}
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pointer_lines(raw.decode(encoding))
        except (UnicodeDecodeError, ValueError, IndexError):
            continue
    return {}


def pointer_lines(text: str) -> dict[str, int]:
    """JSON Pointer → 1-based line where each value starts in ``text`` (a JSON document).

    Raises:
        ValueError: ``text`` is not JSON.
    """
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    out: dict[str, int] = {}

    def line(pos: int) -> int:
        return bisect.bisect_right(newlines, pos - 1) + 1

    def skip(pos: int) -> int:
        return _WS.match(text, pos).end()  # type: ignore[union-attr]

    def value(pos: int, path: tuple[str, ...]) -> int:
        pos = skip(pos)
        out[path_to_pointer(path) if path else ""] = line(pos)
        ch = text[pos]
        if ch == "{":
            return container(pos + 1, path, "}", keyed=True)
        if ch == "[":
            return container(pos + 1, path, "]", keyed=False)
        if ch == '"':
            return scanstring(text, pos + 1)[1]
        found = _LITERAL.match(text, pos)
        if not found:
            raise ValueError(f"unexpected {ch!r} at {pos}")
        return found.end()

    def container(pos: int, path: tuple[str, ...], close: str, keyed: bool) -> int:
        index = 0
        pos = skip(pos)
        if text[pos] == close:
            return pos + 1
        while True:
            pos = skip(pos)
            if keyed:
                key, pos = scanstring(text, pos + 1)
                pos = skip(pos)
                if text[pos] != ":":
                    raise ValueError(f"':' expected at {pos}")
                pos = value(pos + 1, path + (key,))
            else:
                pos = value(pos, path + (str(index),))
                index += 1
            pos = skip(pos)
            if text[pos] == close:
                return pos + 1
            if text[pos] != ",":
                raise ValueError(f"',' expected at {pos}")
            pos += 1

    value(0, ())
    return out
