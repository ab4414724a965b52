"""The cross-year rules' examples (those with a `previous:` report) and `check --previous` semantics."""

from __future__ import annotations

import re
import unicodedata
import zlib
from typing import Any

import pytest
from gk_testlib import assert_example, load_base, patch
from hypothesis import given
from hypothesis import strategies as st

from checker import check, compiled_ruleset
from checker.kinds.pair import _MIN_CLAUSE, _SPLIT, NARRATIVE, clauses
from checker.model import Outcome

RULES = [r for r in compiled_ruleset().ruleset.rules if r.ruleset == "cross-year"]
CASES = [(rule, expected, ex) for rule in RULES
         for expected in ("pass", "fail", "not_assessable", "not_applicable")
         for ex in rule.examples.get(expected, []) if "previous" in ex]


def _doc(spec: dict[str, Any]) -> dict[str, Any]:
    return patch(load_base(spec.get("base", "clean-2021")), spec.get("set"), spec.get("remove"))


@pytest.mark.parametrize(("rule", "expected", "example"), CASES,
                         ids=[f"{r.id}-{e}-{x.get('name', i)}" for i, (r, e, x) in enumerate(CASES)])
def test_crossyear_example(rule: Any, expected: str, example: dict[str, Any]) -> None:
    assert_example(check(_doc(example), previous=_doc(example["previous"])), rule, expected, example)


def test_every_crossyear_rule_has_two_report_examples() -> None:
    assert {r.id for r in RULES} >= {"GK-Y-001", "GK-Y-002", "GK-Y-003", "GK-Y-004", "GK-Y-005"}
    for rule in RULES:
        assert any("previous" in ex for ex in rule.examples["pass"]), rule.id
        assert any("previous" in ex for ex in rule.examples["fail"]), rule.id


def test_single_report_leaves_crossyear_rules_not_applicable() -> None:
    result = check(load_base())
    for rule in RULES:
        assert result.outcome_of(rule.id) is Outcome.NOT_APPLICABLE


def test_findings_lower_the_score_and_point_home() -> None:
    doc = load_base()
    result = check(doc, previous=patch(doc, {"/year": 2023}))
    assert result.score.overall is not None and result.score.overall < 100
    carry = [f for f in result.findings if f.rule_id == "GK-Y-001"]
    assert {f.pointer for f in carry} == {"/tables/requests/carried_in/commercial", "/tables/requests/carried_in/total"}
    assert all(f.severity.value == "warning" for f in result.findings)


def test_clauses_ignore_digits_and_punctuation() -> None:
    a = {"sections": {"overview": {"text": "全年主动公开信息120条，发布解读8篇。"}}}
    b = {"sections": {"overview": {"text": "全年主动公开信息 95 条；发布解读 11 篇"}}}
    assert sorted(clauses(a)["hash"].tolist()) == sorted(clauses(b)["hash"].tolist())


_NOISE = re.compile(r"[\s0-9０-９.．%％\"“”'‘’（）()《》〈〉【】\[\]「」—\-－·…]+")
_ALPHABET = ("全年主动公开信息条发布解读篇ＡＢ 　\t\r\n0123４5。！？；;!?，,：:、.．%％\"“”'‘’（）()《》〈〉【】[]［］「」—-－·…"
             "①⑴㈠²ｅe\u0301\u0323ﬁ︰ｶﾞ가\u1100\u1161")


def _clauses_by_definition(doc: dict[str, Any]) -> list[tuple[int, int, int]]:
    """Split at punctuation, then drop digits, spaces and brackets from each piece (what clauses() means)."""
    rows = []
    for code, name in enumerate(NARRATIVE):
        text = (doc["sections"].get(name) or {}).get("text") or ""
        for piece in _SPLIT.split(unicodedata.normalize("NFKC", text)):
            clause = _NOISE.sub("", piece)
            if len(clause) >= _MIN_CLAUSE:
                rows.append((zlib.crc32(clause.encode()), min(len(clause), 65535), code))
    return rows


@given(st.text(alphabet=_ALPHABET, max_size=200), st.text(alphabet=_ALPHABET, max_size=60))
def test_clauses_match_their_definition(overview: str, other: str) -> None:
    doc = {"sections": {NARRATIVE[0]: {"text": overview}, NARRATIVE[-1]: {"text": other}}}
    assert clauses(doc).tolist() == _clauses_by_definition(doc)
