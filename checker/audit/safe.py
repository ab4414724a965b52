"""Values from reports made safe for the audit's database and outputs.

* :func:`clean` — text without lone surrogates (which no UTF-8 file or SQLite text can hold:
  file names that are not UTF-8 arrive as such), for what is only shown: paths and messages.
* :func:`json_bytes` — compact UTF-8 JSON by orjson, falling back to the standard library for
  integers beyond 64 bits (which ``gkcheck check`` writes and orjson refuses), so that the audit
  never fails where ``check`` succeeds. Text that cannot be UTF-8 still raises: the report's
  boundary stores it as failed. :func:`json_value` reads it back exactly.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

_LONG_INTEGER = re.compile(rb"\d{19}")  # 19 digits or more: maybe beyond 64 bits
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (unchanged, and fast, in the usual case)."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


def encodable(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (no lone surrogates)."""
    return text.isascii() or _SURROGATE.search(text) is None


def json_bytes(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON.

    Raises:
        UnicodeEncodeError: a string holds a lone surrogate.
        TypeError: a value JSON cannot hold.
    """
    try:
        return orjson.dumps(value)
    except TypeError:  # integers beyond 64 bits; anything else fails the same way below
        return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")


def json_value(data: bytes) -> Any:
    """The value of JSON written by :func:`json_bytes`, integers beyond 64 bits exact (orjson would make them
    floats: the audit would then check another value than ``gkcheck check``)."""
    if _LONG_INTEGER.search(data) is None:
        return orjson.loads(data)
    return json.loads(data)


def _plain(value: Any) -> Any:
    """What orjson writes for floats that JSON cannot hold (null), for the standard library."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and not isinstance(value, (str, bytes, int)):
        return _plain(item())
    return value
