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

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.loader import RuleSet
    from checker.model import Rule, Text

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


# --- the rule catalogue (``gkcheck rules`` and ``gkcheck explain``) ---------------------------------

@cache
def _code_digest() -> bytes:
    """The code that turns rule file data into rules (the loader, the model, the check kinds)."""
    h = hashlib.sha256(_reader_digest())
    here = Path(__file__).parent
    for source in sorted([*here.glob("*.py"), *(here / "kinds").glob("*.py")]):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.digest()


def catalogue(files: list[Path], load: Callable[[list[Path]], RuleSet]) -> RuleSet:
    """The rules of ``files`` for listing and explaining them: ``load(files)``, or its rules as cached.

    The rule set returned has no compiled instances (it cannot check a report). The key covers
    every file's path and bytes and the code that loads them; a cache entry is written only when
    its rules come back from JSON equal to the rules loaded.
    """
    if not enabled():
        return load(files)
    try:
        h = hashlib.sha256(_code_digest())
        for path in files:
            h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return load(files)  # load() reports it
    key = "catalogue-" + h.hexdigest()
    text = _from_disk(key)
    if text is not None:
        try:
            return _ruleset_of(json.loads(text)["data"], files)
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: load again and rewrite it
    ruleset = load(files)
    data = {"rules": [_rule_data(r) for r in ruleset.rules], "versions": ruleset.versions,
            "digests": [list(d) for d in ruleset.digests]}
    text = json.dumps({"key": key, "data": data}, ensure_ascii=False, separators=(",", ":"))
    try:
        same = _ruleset_of(json.loads(text)["data"], files).rules == ruleset.rules
    except (KeyError, TypeError, ValueError):
        same = False
    if same:
        _to_disk(key, text)
    return ruleset


_TEXTS = ("title", "basis", "message", "basis_2019", "region")


def _text_data(t: Text | None) -> list[str] | None:
    return None if t is None else [t.zh, t.en]


def _text_of(d: Any) -> Text | None:
    from checker.model import Text

    return None if d is None else Text(str(d[0]), str(d[1]))


def _text_req(d: Any) -> Text:
    from checker.model import Text

    return Text(str(d[0]), str(d[1]))


def _rule_data(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(rule):
        value = getattr(rule, f.name)
        if f.name in _TEXTS:
            out[f.name] = _text_data(value)
        elif f.name == "doc":
            out[f.name] = {g.name: _text_data(getattr(value, g.name)) for g in dataclasses.fields(value)}
        elif f.name == "severity":
            out[f.name] = value.value
        elif f.name == "wordings":
            out[f.name] = [{"name": w.name, "title": _text_data(w.title), "match": list(w.match),
                            "unless": list(w.unless), "examples_match": list(w.examples_match),
                            "examples_no_match": list(w.examples_no_match), "ruleset": w.ruleset,
                            "doc": _text_data(w.doc)} for w in value]
        else:
            out[f.name] = value
    return out


def _rule_of(d: dict[str, Any]) -> Rule:
    from checker.model import Rule, RuleDoc, Severity
    from checker.wordings import Wording

    fields: dict[str, Any] = dict(d)
    for name in _TEXTS:
        fields[name] = _text_of(d.get(name))
    fields["doc"] = RuleDoc(**{k: _text_req(v) for k, v in d["doc"].items()})
    fields["severity"] = Severity(d["severity"])
    fields["wordings"] = tuple(
        Wording(w["name"], _text_req(w["title"]), tuple(w["match"]), tuple(w["unless"]), tuple(w["examples_match"]),
                tuple(w["examples_no_match"]), w["ruleset"], _text_of(w["doc"]))
        for w in d["wordings"])
    return Rule(**fields)


def _ruleset_of(data: dict[str, Any], files: list[Path]) -> RuleSet:
    from checker.loader import RuleSet

    return RuleSet(tuple(_rule_of(r) for r in data["rules"]), (), tuple(str(f) for f in files),
                   dict(data["versions"]), tuple((str(a), str(b)) for a, b in data["digests"]))
