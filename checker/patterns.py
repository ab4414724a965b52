"""Patterns from rule files, run by RE2: time linear in the text, whatever the pattern.

Python's ``re`` backtracks: a pattern such as ``^(a+)+$`` takes exponential time on a few
dozen characters, and an innocent-looking ``[0-9]+\\s*件`` searched over a run of 40,000
digits takes quadratic time. A rule file (bundled or a user's) must not be able to stop
gkcheck, so every pattern that comes from a rule file is compiled here and run by RE2
(``google-re2``), which guarantees time linear in the length of the text.

The syntax is RE2's (https://github.com/google/re2/wiki/Syntax), with the character
classes of Python's ``re`` on ``str`` kept, so that patterns read the same as before:

* ``\\d`` is any Unicode decimal digit (``\\p{Nd}``: also ``０``–``９``), ``\\s`` any Unicode
  white space (also the ideographic space ``\\u3000``), ``\\w`` any letter, number or ``_``;
  their capitals are the complements. RE2 alone would give them ASCII meanings.
* ``\\uXXXX`` and ``\\UXXXXXXXX`` name a character (RE2 writes ``\\x{XXXX}``); ``\\Z`` is ``\\z``.
* ``$`` (without ``(?m)``) matches only at the very end of the text (Python's also matched
  before a final newline).

What RE2 cannot do in linear time is refused when the rule file is loaded, with the
pattern and the reason (:class:`PatternError`): look-around assertions (``(?=…)``,
``(?!…)``, ``(?<=…)``, ``(?<!…)``), back-references (``\\1``, ``(?P=name)``), atomic groups
and possessive quantifiers, conditionals, and ``\\b``/``\\B`` (which RE2 knows only for ASCII
letters: wrong for Chinese text). The rule kinds offer parameters for what look-arounds
were used for (``not_preceded``, ``not_followed``, ``excludes``; see ``docs/narrative.md``).

:func:`compile_pattern` returns a :class:`Pattern` with the parts of ``re.Pattern``'s
interface the kinds use (``search``, ``fullmatch``, ``finditer``, ``pattern``), on ``str``,
with offsets in characters. Texts holding lone surrogates (which UTF-8 cannot encode) are
searched with each such character read as ``?``, so offsets stay exact.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import re2

from checker.model import Text

# Python's \s on str: the characters for which str.isspace() is true (checked by a test
# against ``re`` over every code point).
_WHITE = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
          *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)


def _ranges(points: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for p in sorted(points):
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def _class_body(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)


_WHITE_RANGES = _ranges(list(_WHITE))
_NOT_WHITE_RANGES: list[tuple[int, int]] = []
_last = -1
for _a, _b in _WHITE_RANGES:
    if _a > _last + 1:
        _NOT_WHITE_RANGES.append((_last + 1, _a - 1))
    _last = _b
_NOT_WHITE_RANGES.append((_last + 1, sys.maxunicode))

_IN_CLASS = {"d": r"\p{Nd}", "D": r"\P{Nd}", "s": _class_body(_WHITE_RANGES), "S": _class_body(_NOT_WHITE_RANGES),
             "w": r"\p{L}\p{N}_"}
_OUTSIDE = {"d": r"\p{Nd}", "D": r"\P{Nd}", "s": f"[{_IN_CLASS['s']}]", "S": f"[^{_IN_CLASS['s']}]",
            "w": r"[\p{L}\p{N}_]", "W": r"[^\p{L}\p{N}_]", "Z": r"\z"}

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print its own message to stderr besides ours
_UNANCHORED, _ANCHOR_BOTH = re2._Anchor.UNANCHORED, re2._Anchor.ANCHOR_BOTH
_NULL = (-1, -1)


class PatternError(ValueError):
    """A pattern RE2 cannot run (or that needs what it refuses), with the reason in Chinese and English."""

    def __init__(self, pattern: str, reason: Text) -> None:
        super().__init__(f"{reason.en}: {pattern}")
        self.pattern = pattern
        self.reason = reason


def _refuse(pattern: str, what_zh: str, what_en: str, hint_zh: str = "", hint_en: str = "") -> PatternError:
    return PatternError(pattern, Text(
        f"使用了{what_zh}。规则中的模式由 RE2 引擎执行（运行时间与文本长度成正比，不会失控），"
        f"RE2 不支持这种写法{('；' + hint_zh) if hint_zh else ''}",
        f"it uses {what_en}; rule patterns run on the RE2 engine (time linear in the text), which has no "
        f"such construct{('; ' + hint_en) if hint_en else ''}"))


_LOOK_HINT_ZH = "请改写为不需要断言的形式，或改用规则参数 not_preceded、not_followed、excludes（见 docs/narrative.md）"
_LOOK_HINT_EN = "rewrite it without assertions, or use the rule parameters not_preceded, not_followed, excludes"


def translate(pattern: str) -> str:
    """The RE2 source for a rule ``pattern`` (Python's Unicode classes kept); refuses what RE2 lacks.

    Raises:
        PatternError: the pattern uses a look-around, a back-reference, an atomic group, a
            possessive quantifier, a conditional or a word boundary.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = -1
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise PatternError(pattern, Text("模式以单独的反斜杠结尾", "the pattern ends with a lone backslash"))
            e = pattern[i + 1]
            if e in "uU":
                width = 4 if e == "u" else 8
                digits = pattern[i + 2:i + 2 + width]
                if len(digits) != width or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
                    raise PatternError(pattern, Text(f"\\{e} 后应为 {width} 位十六进制数",
                                                     f"\\{e} must be followed by {width} hex digits"))
                out.append(f"\\x{{{digits}}}")
                i += 2 + width
                continue
            if in_class:
                if e == "W":
                    raise _refuse(pattern, "字符集中的 \\W", "\\W inside a character class",
                                  "请改写为 [^…] 形式", "write the class as [^…]")
                out.append(_IN_CLASS.get(e, "\\x08" if e == "b" else "\\" + e))
            else:
                if e in "bB":
                    raise _refuse(pattern, f"单词边界 \\{e}", f"the word boundary \\{e}",
                                  "RE2 的单词边界只认 ASCII 字母，对中文不适用", "RE2 knows word boundaries for ASCII only")
                if e in "123456789":
                    raise _refuse(pattern, f"反向引用 \\{e}", f"the back-reference \\{e}")
                out.append(_OUTSIDE.get(e, "\\" + e))
            i += 2
            continue
        if in_class:
            out.append(c)
            if c == "]" and i > class_start:
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a "]" first in a class is a literal
                out.append("\\]")
                i += 1
            class_start = i
            continue
        if c == "(" and pattern.startswith("(?", i):
            rest = pattern[i + 2:i + 4]
            if rest[:1] in ("=", "!") or rest in ("<=", "<!"):
                raise _refuse(pattern, f"前后断言 “{pattern[i:i + 3 + (rest[:1] == '<')]}…)”",
                              f"the look-around assertion '{pattern[i:i + 3 + (rest[:1] == '<')]}…)'",
                              _LOOK_HINT_ZH, _LOOK_HINT_EN)
            if rest.startswith("P="):
                raise _refuse(pattern, "命名反向引用 (?P=…)", "the back-reference (?P=…)")
            if rest[:1] == ">":
                raise _refuse(pattern, "原子组 (?>…)", "the atomic group (?>…)")
            if rest[:1] == "(":
                raise _refuse(pattern, "条件组 (?(…)…)", "the conditional group (?(…)…)")
        if c in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            raise _refuse(pattern, f"占有量词 “{c}+”", f"the possessive quantifier '{c}+'")
        out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Pattern:
    """A rule pattern compiled for RE2 (cached: rule files repeat their patterns).

    Raises:
        PatternError: the pattern needs what RE2 refuses (see :func:`translate`) or is invalid.
    """
    return Pattern(pattern, translate(pattern))


def compile_code_pattern(source: str) -> Pattern:
    """A pattern built by gkcheck's own code (it may combine rule patterns already checked)."""
    return Pattern(source, translate(source))


class Pattern:
    """A compiled RE2 pattern with the ``re.Pattern`` methods the kinds use, on ``str``.

    Attributes:
        pattern: the source as written in the rule file.
        groups: the number of capturing groups.
        groupindex: group name → number.
    """

    __slots__ = ("_names", "_re", "groupindex", "groups", "pattern", "source")

    def __init__(self, pattern: str, source: str) -> None:
        self.pattern = pattern
        self.source = source
        try:
            compiled = re2.compile(source, _OPTIONS)
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise PatternError(pattern, Text(f"RE2 无法编译这个模式：{reason}",
                                             f"RE2 cannot compile the pattern: {reason}")) from None
        self._re = compiled._regexp
        self.groups: int = compiled.groups
        self.groupindex: dict[str, int] = dict(compiled.groupindex)
        self._names = {v: k for k, v in self.groupindex.items()}

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"

    def search(self, text: str) -> Match | None:
        """The leftmost match in ``text`` (Python's leftmost-first choice among alternatives), or None."""
        data = encode(text)
        spans = self._re.Match(_UNANCHORED, data, 0, len(data))
        return None if spans[0] == _NULL else Match(self, text, data, spans)

    def fullmatch(self, text: str) -> Match | None:
        """A match of the whole of ``text``, or None."""
        data = encode(text)
        spans = self._re.Match(_ANCHOR_BOTH, data, 0, len(data))
        return None if spans[0] == _NULL else Match(self, text, data, spans)

    def finditer(self, text: str) -> Iterator[Match]:
        """The non-overlapping matches in ``text``, left to right (one encoding of the text)."""
        data = encode(text)
        end = len(data)
        pos = 0
        offsets = Offsets(data, len(text))
        while pos <= end:
            spans = self._re.Match(_UNANCHORED, data, pos, end)
            if spans[0] == _NULL:
                return
            yield Match(self, text, data, spans, offsets)
            stop = spans[0][1]
            pos = stop if stop > spans[0][0] else _next_char(data, stop)

    def test(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (``search`` without building a match)."""
        data = encode(text)
        return self._re.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0

    def match_bytes(self, data: bytes, pos: int) -> list[tuple[int, int]] | None:
        """The byte spans of every group of the leftmost match in ``data`` at or after byte ``pos`` (None: none)."""
        spans = self._re.Match(_UNANCHORED, data, pos, len(data))
        return None if spans[0] == _NULL else spans

    def scan(self, data: bytes, restart: int = 0) -> Iterator[list[tuple[int, int]]]:
        """The byte spans of every group of each match in ``data`` (a text encoded by :func:`encode`),
        each next match searched from its predecessor's end less ``restart`` characters.

        For patterns that consume one character before what they find (RE2 has no
        look-behind): that character may be the last of the previous match. Byte offsets
        become character offsets with :class:`Offsets`.
        """
        end = len(data)
        pos = 0
        while pos <= end:
            spans = self._re.Match(_UNANCHORED, data, pos, end)
            if spans[0] == _NULL:
                return
            yield spans
            stop = spans[0][1]
            back = stop
            for _ in range(restart):
                back = _previous_char(data, back)
            pos = max(back, _next_char(data, spans[0][0]))


class PatternSet:
    """Several compiled patterns tested against one text in a single RE2 pass.

    ``matching(text)`` gives the positions (in the order given) of the patterns that match
    somewhere in ``text``, as their own ``search`` would.
    """

    def __init__(self, patterns: list[Pattern]) -> None:
        self._set = re2.Set.SearchSet(_OPTIONS)
        for pattern in patterns:
            self._set.Add(pattern.source)
        self._set.Compile()

    def matching(self, text: str) -> frozenset[int]:
        found = self._set.Match(encode(text))
        return frozenset(found) if found else frozenset()


def encode(text: str) -> bytes:
    """``text`` in UTF-8, each lone surrogate (which UTF-8 cannot hold) as "?": character offsets are kept."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: one "?" each, so character offsets are unchanged
        return text.encode("utf-8", "replace")


def _next_char(data: bytes, pos: int) -> int:
    pos += 1
    while pos < len(data) and data[pos] & 0xC0 == 0x80:
        pos += 1
    return pos


def _previous_char(data: bytes, pos: int) -> int:
    pos -= 1
    while pos > 0 and data[pos] & 0xC0 == 0x80:
        pos -= 1
    return max(pos, 0)


class Offsets:
    """Byte offsets of one encoded text → character offsets (a cursor: cheap for increasing offsets)."""

    __slots__ = ("ascii", "byte", "char", "data")

    def __init__(self, data: bytes, chars: int) -> None:
        self.data = data
        self.ascii = len(data) == chars
        self.byte = 0
        self.char = 0

    def __call__(self, offset: int) -> int:
        if self.ascii or offset < 0:
            return offset
        if offset >= self.byte:
            self.char += re2._re2.BytesToCharLen(self.data, self.byte, offset)
        else:
            self.char -= re2._re2.BytesToCharLen(self.data, offset, self.byte)
        self.byte = offset
        return self.char


class Match:
    """One match: spans in characters of the searched ``str``."""

    __slots__ = ("_chars", "_data", "_offsets", "_spans", "re", "string")

    def __init__(self, pattern: Pattern, text: str, data: bytes, spans: list[tuple[int, int]],
                 offsets: Offsets | None = None) -> None:
        self.re = pattern
        self.string = text
        self._spans = spans
        self._data = data
        self._offsets = offsets
        self._chars: dict[int, tuple[int, int]] = {}

    def span(self, group: int | str = 0) -> tuple[int, int]:
        g = self.re.groupindex[group] if isinstance(group, str) else group
        hit = self._chars.get(g)
        if hit is None:
            a, b = self._spans[g]
            if a < 0:
                hit = (-1, -1)
            elif len(self._data) == len(self.string):
                hit = (a, b)
            else:
                if self._offsets is None:
                    self._offsets = Offsets(self._data, len(self.string))
                hit = (self._offsets(a), self._offsets(b))
            self._chars[g] = hit
        return hit

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, *groups: int | str) -> Any:
        """One group (the whole match by default) as a string or None; several as a tuple."""
        if len(groups) > 1:
            return tuple(self._group(g) for g in groups)
        return self._group(groups[0] if groups else 0)

    def _group(self, group: int | str) -> str | None:
        a, b = self.span(group)
        return None if a < 0 else self.string[a:b]

    def groups(self) -> tuple[str | None, ...]:
        return tuple(self._group(g) for g in range(1, self.re.groups + 1))

    @property
    def lastgroup(self) -> str | None:
        """The name of the last group that closed (as in ``re``: the outermost of those ending last)."""
        best: tuple[int, int] | None = None
        for g in range(1, self.re.groups + 1):
            a, b = self._spans[g]
            if a >= 0 and (best is None or b > best[0]):
                best = (b, g)
        return self.re._names.get(best[1]) if best is not None else None

    def __bool__(self) -> bool:
        return True


NEVER = compile_code_pattern(r"[^\x00-\x{10FFFF}]")
"""A pattern that matches nothing (a guard the rule file leaves out)."""


def schema_patterns(schema: object) -> None:
    """Compile every ``pattern`` and ``patternProperties`` key of a JSON Schema from a rule file
    (they are run by RE2 too, see :func:`re2_validator`).

    Raises:
        PatternError: one of them cannot be used.
    """
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                compile_pattern(value)
            elif key == "patternProperties" and isinstance(value, dict):
                for name, sub in value.items():
                    compile_pattern(name)
                    schema_patterns(sub)
            else:
                schema_patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            schema_patterns(value)


def re2_validator(schema: dict[str, Any]) -> Any:
    """A jsonschema validator for ``schema`` whose ``pattern`` and ``patternProperties`` run on RE2."""
    import jsonschema  # here, not at the top: ``gkcheck rules`` reads wordings without validating

    base = jsonschema.validators.validator_for(schema)
    return _re2_class(base)(schema)


@lru_cache(maxsize=8)
def _re2_class(base: Any) -> Any:
    import jsonschema

    def pattern(validator: Any, patrn: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if validator.is_type(instance, "string") and compile_pattern(patrn).search(instance) is None:
            yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, patterns: dict[str, Any], instance: Any,
                           schema: dict[str, Any]) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in patterns.items():
            compiled = compile_pattern(patrn)
            for k, v in instance.items():
                if compiled.search(k) is not None:
                    yield from validator.descend(v, subschema, path=k, schema_path=patrn)

    return jsonschema.validators.extend(base, {"pattern": pattern, "patternProperties": pattern_properties})
