"""What every report document must hold before anything reads it, whatever file it came from.

:func:`check_values` walks a document (a parsed JSON file, or the document the assembler
built from a text, HTML, Word or PDF file) without recursion and refuses, naming the
JSON path of the first offending value:

* nesting deeper than :data:`checker.limits.DEPTH`;
* a string or key that holds a lone surrogate (``"\\ud800"`` written in a JSON file): it is
  no character at all, and no output (terminal, UTF-8 file, database) can hold it;
* a string or key longer than :data:`checker.limits.FIELD_CHARS`;
* a number that is not finite or has more integer digits than
  :data:`checker.limits.NUMBER_DIGITS` (no count or amount in a report is that large, and
  sums of such numbers overflow);
* a JSON object with a repeated key (marked by the JSON parser, see :class:`Repeated`).

Each refusal is an :class:`~checker.errors.InputError`: the report is not checked rather
than checked in a form that differs from the file. The bounds are read when the walk
starts, so an environment variable set by the user (or a test) takes effect at once.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from checker import limits
from checker.errors import InputError
from checker.ingest.layout import Layout, Location, Paragraph

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_KEY_SHOWN = 40


class Repeated(dict):
    """A JSON object in which a key occurs more than once (the parser keeps the last value).

    Attributes:
        repeated: the first key found repeated.
    """

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]], repeated: str) -> None:
        super().__init__(pairs)
        self.repeated = repeated


class BigNumber:
    """A number literal the JSON parser did not convert: too many digits, or not finite.

    Converting it would lose it (``1e400`` becomes infinity) or cost unbounded time (a
    number of a million digits); :func:`check_values` refuses it with its digit count.
    """

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def digits(self) -> int:
        """Digits of the integer part of the literal (``1e400`` → 401)."""
        try:
            return max(Decimal(self.literal).adjusted() + 1, 1)
        except InvalidOperation:
            return len(self.literal)


def number_hooks() -> tuple[Any, Any]:
    """``parse_int`` and ``parse_float`` for :func:`json.loads`: numbers over the bound stay literals.

    The digit count is decided on the literal, before any conversion, so a number of a
    million digits costs nothing and ``1e400`` never becomes infinity unnoticed.
    """
    bound = limits.NUMBER_DIGITS.value()

    def parse_int(literal: str) -> int | BigNumber:
        if len(literal) - literal.startswith("-") > bound:
            return BigNumber(literal)
        return int(literal)

    def parse_float(literal: str) -> float | BigNumber:
        value = float(literal)
        if not math.isfinite(value) or (value != 0 and _float_digits(value) > bound):
            return BigNumber(literal)
        return value

    return parse_int, parse_float


def _float_digits(value: float) -> int:
    """Digits of the integer part of a finite float (at least 1)."""
    magnitude = abs(value)
    return 1 if magnitude < 10 else math.floor(math.log10(magnitude)) + 1


def _int_digits(value: int) -> int:
    """Digits of an integer, without converting a huge one to text."""
    magnitude = abs(value)
    if magnitude < 10**18:
        return len(str(magnitude))
    return math.floor(magnitude.bit_length() * math.log10(2)) + 1


def check_values(doc: Any, name: str) -> None:
    """Refuse a document holding a value no part of gkcheck may be given (see the module).

    Args:
        doc: the document (a dict, as parsed or assembled).
        name: the file name, for messages.

    Raises:
        InputError: naming the file, the JSON path of the value and, for a bound, the bound
            and the environment variable that raises it.
    """
    max_depth = limits.DEPTH.value()
    max_chars = limits.FIELD_CHARS.value()
    max_digits = limits.NUMBER_DIGITS.value()
    bound = 10**max_digits
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= max_depth:
            raise limits.DEPTH.exceeded(len(path) + max_nesting(node), where_zh=f"文件 {name}",
                                        where_en=f"the file {name}")
        if type(node) is Repeated:
            raise _repeated_key(name, path, node.repeated)
        if isinstance(node, dict):
            items: Any = node.items()
            for key in node:
                if not isinstance(key, str):
                    continue
                if len(key) > max_chars or (not key.isascii() and _SURROGATE.search(key)):
                    _refuse_string(name, path + (key,), key, max_chars, is_key=True)
        elif isinstance(node, list):
            items = enumerate(node)
        else:  # the root itself is a scalar: nothing below it
            continue
        for key, value in items:
            t = type(value)
            if t is str:
                if len(value) > max_chars or (not value.isascii() and _SURROGATE.search(value)):
                    _refuse_string(name, path + (key,), value, max_chars, is_key=False)
            elif t is dict or t is list or t is Repeated:
                stack.append((value, path + (key,)))
            elif t is int:
                if not -bound < value < bound:
                    raise _number(name, path + (key,), _int_digits(value))
            elif t is float:
                if not math.isfinite(value):
                    raise _number(name, path + (key,), None)
                if not -bound < value < bound:
                    raise _number(name, path + (key,), _float_digits(value))
            elif t is BigNumber:
                raise _number(name, path + (key,), value.digits())
            elif isinstance(value, (dict, list)):  # a subclass, in a document built in code
                stack.append((value, path + (key,)))


def check_blocks(layout: Layout, name: str) -> None:
    """Refuse a file read into a paragraph or table cell longer than :data:`checker.limits.FIELD_CHARS`.

    Run on what a reader produced, before the assembler keeps or drops anything: a text
    that long is refused, never cut or passed over.
    """
    max_chars = limits.FIELD_CHARS.value()
    for block in layout.blocks:
        if isinstance(block, Paragraph):
            if len(block.text) > max_chars:
                raise _long_block(name, block.loc, len(block.text), "段落", "paragraph")
            continue
        for row in block.rows:
            for cell in row:
                if len(cell.text) > max_chars:
                    raise _long_block(name, cell.loc, len(cell.text), "单元格", "table cell")


def _long_block(name: str, loc: Location, chars: int, what_zh: str, what_en: str) -> InputError:
    place_zh, place_en = _place(loc)
    return limits.FIELD_CHARS.exceeded(chars, where_zh=f"文件 {name} {place_zh}的{what_zh}",
                                       where_en=f"the {what_en} {place_en} of the file {name}")


def _place(loc: Location) -> tuple[str, str]:
    """Where a block stood in its file, in words (page, line, table, row, column)."""
    zh, en = [], []
    if loc.page is not None:
        zh.append(f"第 {loc.page} 页")
        en.append(f"page {loc.page}")
    if loc.table is not None:
        zh.append(f"第 {loc.table} 个表格")
        en.append(f"table {loc.table}")
        if loc.row is not None and loc.column is not None:
            zh.append(f"第 {loc.row} 行第 {loc.column} 列")
            en.append(f"row {loc.row}, column {loc.column}")
    elif loc.line is not None:
        zh.append(f"第 {loc.line} 行")
        en.append(f"line {loc.line}")
    return "".join(zh), ("at " + ", ".join(en)) if en else ""


def max_nesting(node: Any) -> int:
    """How many containers deep ``node`` goes (a scalar: 0; ``[]``: 1), without recursion."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


# --------------------------------------------------------------------------- messages


def show_path(path: tuple[Any, ...]) -> tuple[str, str]:
    """(zh, en) of a place in the document: its JSON Pointer, with the field's title when known.

    Keys are shown safely: characters that cannot be printed (lone surrogates, control
    characters) are written as ``\\uXXXX`` and long keys are cut.
    """
    if not path:
        return "文档根", "the document root"
    pointer = "/" + "/".join(_shown_key(k) for k in path)
    title = ""
    if all(isinstance(k, str) for k in path):
        # The schema's titles, imported only for a message.
        from checker.document import field_title

        try:
            title = field_title(path)
        except (KeyError, TypeError, AttributeError):
            title = ""
    return (f"字段 {pointer}（{title}）" if title else f"字段 {pointer}"), f"the field {pointer}"


def _shown_key(key: Any) -> str:
    text = str(key)
    if len(text) > _KEY_SHOWN:
        text = text[:_KEY_SHOWN] + "…"
    text = _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.replace("~", "~0").replace("/", "~1")


def _refuse_string(name: str, path: tuple[Any, ...], text: str, max_chars: int, *, is_key: bool) -> None:
    where_zh, where_en = show_path(path)
    if len(text) > max_chars:
        what_zh, what_en = ("键名", "the key of ") if is_key else ("", "")
        raise limits.FIELD_CHARS.exceeded(len(text), where_zh=f"文件 {name} 中{what_zh}{where_zh}",
                                          where_en=f"{what_en}{where_en} in the file {name}")
    bad = _SURROGATE.search(text)
    code = f"\\u{ord(bad.group()):04x}" if bad else ""
    position = bad.start() + 1 if bad else 0
    what_zh, what_en = ("的键名", "the key of ") if is_key else ("", "")
    raise InputError(
        f"文件 {name} 中{where_zh}{what_zh}第 {position} 个字符是无效的文字编码（{code}，单独的代理码位，"
        "不代表任何文字），gkcheck 无法读取。请在生成该文件的系统中改正这个字符后重试。",
        f"In the file {name}, character {position} of {what_en}{where_en} is not a valid character ({code}, "
        "a lone surrogate). Correct it in the system that produced the file and try again.",
    )


def _repeated_key(name: str, path: tuple[Any, ...], key: str) -> InputError:
    where_zh, where_en = show_path(path)
    shown = _shown_key(key)
    return InputError(
        f"文件 {name} 中{where_zh}的键“{shown}”出现了不止一次。JSON 中同一对象的键不能重复，"
        "gkcheck 无法判断以哪一个值为准。请删除多余的一项后重试。",
        f"In the file {name}, the key \"{shown}\" occurs more than once in {where_en}. Keys of a JSON object "
        "must be unique: gkcheck cannot tell which value is meant. Remove the extra one and try again.",
    )


def _number(name: str, path: tuple[Any, ...], digits: int | None) -> InputError:
    where_zh, where_en = show_path(path)
    if digits is None:
        return InputError(
            f"文件 {name} 中{where_zh}的数值不是有限的数（无穷大或非数），无法作为统计数字读取。请改为实际的数字后重试。",
            f"In the file {name}, the number in {where_en} is not finite. Replace it with the actual number.",
        )
    return limits.NUMBER_DIGITS.exceeded(digits, where_zh=f"文件 {name} 中{where_zh}的数值",
                                         where_en=f"the number in {where_en} of the file {name}")
