"""Rule patterns run on RE2: linear time, Python's Unicode classes, clear refusals.

Also: the narrative lexer (RE2, a consumed character instead of a look-behind) finds the
same numbers as the look-behind pattern of ``re`` it replaces, on random texts.
"""

from __future__ import annotations

import random
import re
import sys
import time
import unicodedata

import pytest

from checker.narrative.extract import Lexer
from checker.narrative.spec import _ARABIC, _CHINESE, _CHINESE_DIGITS, _guards, to_number
from checker.patterns import (
    NEVER,
    PatternError,
    compile_pattern,
    translate,
)

ASSIGNED = [c for c in range(sys.maxunicode + 1)
            if not 0xD800 <= c < 0xE000 and unicodedata.category(chr(c)) != "Cn"]


@pytest.mark.parametrize("cls", [r"\d", r"\D", r"\s", r"\S", r"\w", r"\W", r"[\d]", r"[\s]", r"[^\S]", r"[\w.]"])
def test_classes_keep_pythons_unicode_meaning(cls: str) -> None:
    python, ours = re.compile(cls), compile_pattern(cls)
    text = "".join(chr(c) for c in ASSIGNED)
    expected = {m.start() for m in python.finditer(text)}
    found = {m.start() for m in ours.finditer(text)}
    assert found == expected


@pytest.mark.parametrize(("pattern", "phrase"), [
    ("(?<![上年度去])结转", "前后断言"),
    ("申请(?!人)", "前后断言"),
    ("(?=年)", "前后断言"),
    ("(?<=x)a", "前后断言"),
    (r"(a)\1", "反向引用"),
    ("(?P<x>a)(?P=x)", "反向引用"),
    (r"\bXX\b", "单词边界"),
    ("(?>ab)", "原子组"),
    ("a++", "占有量词"),
    ("(a)(?(1)b|c)", "条件组"),
    (r"[\W]", r"\W"),
    ("a{2000}", "RE2 无法编译"),
    ("(unclosed", "RE2 无法编译"),
])
def test_what_re2_lacks_is_refused_with_a_reason(pattern: str, phrase: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert phrase in caught.value.reason.zh
    assert caught.value.pattern == pattern
    assert caught.value.reason.en


def test_catastrophic_patterns_run_in_linear_time() -> None:
    start = time.perf_counter()
    assert compile_pattern("^(a+)+$").search("a" * 34 + "b") is None
    assert compile_pattern("^(a+)+$").search("a" * 10_000 + "b") is None
    assert compile_pattern(r"[0-9０-９一二三四五六七八九十百千万两]+\s*(余)?\s*(条|件)").search("1" * 1_000_000) is None
    assert time.perf_counter() - start < 2.0


def test_offsets_are_characters_also_with_lone_surrogates() -> None:
    p = compile_pattern(r"(?P<n>\d+)件")
    text = "收到\ud800申请１２件。"
    m = p.search(text)
    assert m is not None and (m.start(), m.end(), m.group("n")) == (5, 8, "１２")
    assert [m.span() for m in compile_pattern("件|申").finditer(text)] == [(3, 4), (7, 8)]
    assert translate(r"\u4e00\Z") == r"\x{4e00}\z"
    assert NEVER.search("anything") is None


def test_lastgroup_and_groups_as_in_re() -> None:
    pattern = "(?P<review>复议)|(?P<suit>诉讼)"
    for text in ("提起诉讼", "申请复议", "无"):
        ours, theirs = compile_pattern(pattern).search(text), re.search(pattern, text)
        assert (ours is None) == (theirs is None)
        if ours is not None and theirs is not None:
            assert (ours.lastgroup, ours.groups(), ours.span()) == (theirs.lastgroup, theirs.groups(), theirs.span())


# The lexer's number pattern before RE2: a look-ahead and a look-behind on ``re``.
UNITS = {"件": 1.0, "件次": 1.0, "个": 1.0, "人次": 1.0, "元": 1.0, "万元": 10000.0}


def _old_tokens(text: str) -> list[tuple[int, int, str]]:
    alternation = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    old = re.compile(rf"(?=[\d{_CHINESE_DIGITS}])(?<![\d.,．第〔\[])(?P<num>{_ARABIC}|{_CHINESE})\s*(?P<unit>{alternation})")
    return [(m.start("num"), m.end(), m.group("unit")) for m in old.finditer(text)
            if to_number(m.group("num")) is not None]


def _new_tokens(text: str) -> list[tuple[int, int, str]]:
    lexer = Lexer(_guards({}, {}), UNITS)  # no guards: every number token is kept
    return [(t.start, t.end, t.unit) for t in lexer.prepare(text).tokens]


@pytest.mark.parametrize("text", ["第十二件", "第12件", "3件5件", "1,234.5万元", "十二件次", "〔2024〕3号文件3件",
                                  "12.5.3件", "一二三", "收到申请 17 件", "１７件"])
def test_lexer_finds_what_the_lookbehind_pattern_found(text: str) -> None:
    assert _new_tokens(text) == _old_tokens(text)


def test_lexer_equivalence_on_random_texts() -> None:
    alphabet = list("0123456789十二三百千两零第.,，。 \u3000件个次人元万申请年〔〕[]") + ["件次", "人次", "万元"]
    rng = random.Random(12)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert _new_tokens(text) == _old_tokens(text), text


def test_lexer_is_linear_on_long_numeral_runs() -> None:
    lexer = Lexer(_guards({}, {}), UNITS)
    start = time.perf_counter()
    for run in ("1" * 200_000, "十" * 200_000, "第1件" * 50_000, "1 " * 100_000):
        lexer.prepare(run)
    assert time.perf_counter() - start < 5.0
