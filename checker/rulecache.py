"""An on-disk cache of rule files as read: parsed from YAML and validated against the schema.

Reading a rule file (``yaml.safe_load`` in pure Python, then jsonschema) is most of the time
gkcheck takes to load its rule sets. The data read depends only on the file's bytes, the schema
and the reader, so it is kept, as plain JSON (never pickle: nothing in the cache is executed),
in a per-user folder (``$XDG_CACHE_HOME/gkcheck``, by default ``~/.cache/gkcheck``), one file
per rule file, named by the SHA-256 of

- the rule file's bytes,
- the gkcheck version, the schema ``ruleset.schema.json`` and the YAML reader (``safeyaml.py``).

A changed rule file therefore has another name and is read again; nothing is ever "stale".
A cache file is written atomically (``checker.fileio``); one that cannot be read, is not JSON or
does not name its key is ignored and rewritten; a cache folder that cannot be written is not an
error (the file is read every time). Data that JSON does not carry unchanged (a YAML date, a
number as a key) is not cached. ``GKCHECK_NO_CACHE=1`` turns the cache off.

Within one process the data of each file is also kept in memory (the same rule files are read
for the list of local rule sets and again for the rule set): each caller gets its own copy.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1  # of the cache files; part of every key
_memory: dict[str, str] = {}


def enabled() -> bool:
    return os.environ.get("GKCHECK_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """The per-user cache folder (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gkcheck"


@cache
def _reader_digest() -> bytes:
    """What the data read from a file depends on besides its bytes: version, schema, YAML reader."""
    from checker import __version__
    from checker.resources import schemas_dir

    h = hashlib.sha256(f"gkcheck {__version__} cache {FORMAT}\n".encode())
    for part in (schemas_dir() / "ruleset.schema.json", Path(__file__).with_name("safeyaml.py")):
        h.update(part.read_bytes())
    return h.digest()


def _key(raw: bytes) -> str:
    return hashlib.sha256(_reader_digest() + raw).hexdigest()


def cached_read(path: Path, read: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """``read(path)``, or the data it gave for a file of the same bytes (a fresh copy each time).

    Errors of ``read`` (an invalid rule file) are raised as they are and never cached.
    """
    if not enabled():
        return read(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return read(path)  # read() reports it
    key = _key(raw)
    text = _memory.get(key)
    if text is None:
        text = _from_disk(key)
    if text is not None:
        _memory[key] = text
        cached: dict[str, Any] = json.loads(text)["data"]
        return cached
    data = read(path)
    text = json.dumps({"key": key, "data": data}, ensure_ascii=False, separators=(",", ":"))
    try:
        unchanged = path.read_bytes() == raw and json.loads(text)["data"] == data
    except OSError:
        unchanged = False
    if unchanged:  # the file did not change while it was read, and JSON carries its data as it is
        _memory[key] = text
        _to_disk(key, text)
    return data


def _file(key: str) -> Path:
    return cache_dir() / f"rules-{key}.json"


def _from_disk(key: str) -> str | None:
    """The cache file's text when it is whole and names ``key``; otherwise None (it is rebuilt)."""
    try:
        text = _file(key).read_text(encoding="utf-8")
        entry = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("data"), dict):
        return None
    return text


def _to_disk(key: str, text: str) -> None:
    from checker.fileio import atomic_writer

    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with atomic_writer(_file(key)) as fh:
            fh.write(text)
    except OSError:
        pass  # a cache that cannot be written: read the file every time
