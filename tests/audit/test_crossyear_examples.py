"""The cross-year rules' examples (those with a `previous:` report) and `check --previous` semantics."""

from __future__ import annotations

from typing import Any

import pytest

from checker import check, compiled_ruleset
from checker.kinds.pair import clauses
from checker.model import Outcome
from gk_testlib import assert_example, load_base, patch

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
