"""Parse a report document written as JSON, refusing what JSON parsers accept silently.

Two paths give the same result:

* the fast path, orjson: strict UTF-8 JSON without lone surrogates, NaN/Infinity, numbers
  out of the double range or nesting over 1024. Three cheap screens on its result decide
  whether the full walk (:func:`checker.ingest.values.check_values`) is needed: re-serialised
  with indentation, the document shows its depth (a line indented by ``2 × DEPTH`` spaces)
  and its number of keys (one ``:`` per key outside strings: a repeated key that orjson
  merged leaves the file with more ``:`` than the document); a number literal of 16+ digits
  or with an exponent, or a file longer than one field may hold, sends it to the walk too.
* the careful path, :mod:`json`: any other encoding (after :func:`decode_text`), and every
  file the fast path refuses or flags. Depth is measured on the text before parsing
  (without recursion), objects are built by a hook that marks repeated keys, number
  literals over the bound are kept as literals, and the full walk runs on the result.

The careful path has the last word: a file is refused with a message naming the JSON path
of the offending value (repeated key, lone surrogate, number, long string) or the depth.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

import orjson

from checker import limits
from checker.errors import InputError
from checker.ingest.text import decode_text
from checker.ingest.values import Repeated, check_values, number_hooks

# An escaped colon (\u003a) puts a ':' in a parsed string that the file does not show as ':'.
_ESCAPED_COLON = re.compile(rb"\\u003[aA]")
# Digits as "1", exponent letters as "e", anything else as "0": a number literal that may be
# over the digit bound shows as "1e" or as more "1" in a row than the bound allows (searching
# the raw bytes with a character class is ten times slower).
_NUMBER_SHAPE = bytes(ord("1") if 48 <= b <= 57 else ord("e") if b in b"eE" else ord("0") for b in range(256))
_EXPONENT = re.compile(rb"1e")
# Strings (to skip) and brackets, for measuring depth on the text.
# An unterminated string runs to the end of its line: one pass, never a second try inside it.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*+"?')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def parse_json(data: bytes, name: str) -> dict[str, Any]:
    """The JSON object a report file holds.

    Args:
        data: the file's bytes.
        name: the file name, for messages.

    Raises:
        InputError: the file is not valid JSON, not an object, or holds a value refused by
            :func:`~checker.ingest.values.check_values` (repeated key, lone surrogate, number
            or string over its bound, nesting too deep).
    """
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        document = _careful(data, name)
    else:
        if _needs_walk(data, document):
            document = _careful(data, name)
    if not isinstance(document, dict):
        raise InputError(f"{name} 的内容不是一个 JSON 对象，不符合报告文档格式。",
                         f"{name} does not hold a JSON object.")
    return document


def _needs_walk(data: bytes, document: Any) -> bool:
    """Whether orjson's result may hide what the careful path refuses (False: it cannot)."""
    if len(data) > limits.FIELD_CHARS.value() or _ESCAPED_COLON.search(data):
        return True
    long_number, deep = _needles(limits.NUMBER_DIGITS.value(), limits.DEPTH.value())
    shape = data.translate(_NUMBER_SHAPE)
    if _EXPONENT.search(shape) or long_number in shape:
        return True
    try:
        shown = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes (255): far over the bound
        return True
    if deep in shown:
        return True  # a container at the bound holds something: measure exactly
    return data.count(b":") != shown.count(b":")


@lru_cache(maxsize=8)
def _needles(digits: int, depth: int) -> tuple[bytes, bytes]:
    """The number shape over the digit bound, and the indentation of a value inside a container at the depth bound."""
    return b"1" * (digits + 1), b"\n" + b" " * (2 * depth)


def _careful(data: bytes, name: str) -> Any:
    """Parse with :mod:`json`: any encoding, depth measured first, every value checked."""
    text = decode_text(data)
    depth = text_depth(text)
    if depth > limits.DEPTH.value():
        raise limits.DEPTH.exceeded(depth, where_zh=f"文件 {name}", where_en=f"the file {name}")
    parse_int, parse_float = number_hooks()
    try:
        document = json.loads(text, object_pairs_hook=_object, parse_constant=_reject_constant,
                              parse_int=parse_int, parse_float=parse_float)
    except _Constant as exc:
        raise InputError(f"{name} 含有 JSON 不允许的数值 {exc.args[0]}（NaN/Infinity），请改为数字或 null。",
                         f"{name} contains the non-JSON value {exc.args[0]}.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。请修正后重试。",
                         f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from exc
    check_values(document, name)
    return document


def text_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in JSON text, strings skipped, without recursion.

    On invalid JSON the count is still at least the depth :func:`json.loads` reaches
    before it stops: both read the valid beginning of the text the same way.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets)), default=0))


class _Constant(ValueError):
    """NaN, Infinity or -Infinity written in the file."""


def _reject_constant(name: str) -> None:
    raise _Constant(name)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a :class:`Repeated` one when a key occurs twice."""
    document = dict(pairs)
    if len(document) == len(pairs):
        return document
    seen: set[str] = set()
    repeated = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
    return Repeated(pairs, repeated)
