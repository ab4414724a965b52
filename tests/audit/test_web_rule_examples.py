"""The examples of rules/web.yaml (GK-P-001), decided from two versions of a report as the audit decides them.

An example is the current version; its ``first_version`` (a patch of a bundled clean report) is
the first version fetched. An example without ``first_version`` has one version only.
"""

from __future__ import annotations

from typing import Any

import pytest
from gk_testlib import assert_example, load_base, patch

from checker import check, compiled_ruleset
from checker.model import Outcome
from checker.run import check_documents
from checker.stability import RULE_ID, compare, publication_record

COMPILED = compiled_ruleset()
RULES = [r for r in COMPILED.ruleset.rules if r.ruleset == "web"]
CASES = [(rule, expected, ex) for rule in RULES
         for expected in ("pass", "fail", "not_assessable", "not_applicable")
         for ex in rule.examples.get(expected, [])]
FIRST, LATER = "2025-01-20T02:00:00Z", "2025-03-01T02:00:00Z"


def _doc(spec: dict[str, Any]) -> dict[str, Any]:
    return patch(load_base(spec.get("base", "clean-2021")), spec.get("set"), spec.get("remove"))


def decided(current: dict[str, Any], first: dict[str, Any] | None) -> Any:
    """The result of ``current`` with GK-P-001 decided from its versions (one when ``first`` is None)."""
    if first is None:
        record = publication_record([{"fetched": FIRST}], None)
    else:
        record = publication_record([{"fetched": FIRST}, {"fetched": LATER}], compare(first, current))
    return check_documents([current], COMPILED, publications=[record]).results[0]


def test_there_are_web_rules() -> None:
    assert [r.id for r in RULES] == [RULE_ID]
    for rule in RULES:
        assert rule.examples["pass"] and rule.examples["fail"] and rule.examples["not_applicable"]
        for field in ("what", "why", "fix", "example_fail", "example_pass"):
            assert len(getattr(rule.doc, field).zh) >= 4, (rule.id, field)


@pytest.mark.parametrize(("rule", "expected", "example"), CASES,
                         ids=[f"{r.id}-{e}-{x.get('name', i)}" for i, (r, e, x) in enumerate(CASES)])
def test_web_rule_example(rule: Any, expected: str, example: dict[str, Any]) -> None:
    first = _doc(example["first_version"]) if "first_version" in example else None
    result = decided(_doc(example), first)
    assert_example(result, rule, expected, example)
    if expected == "fail":
        (finding,) = [f for f in result.findings if f.rule_id == rule.id]
        assert FIRST in finding.message.zh and LATER in finding.message.zh  # both fetch times
        assert FIRST in finding.message.en and "{" not in finding.message.en


def test_never_a_pass_without_two_versions() -> None:
    doc = load_base()
    assert check(doc).outcome_of(RULE_ID) is Outcome.NOT_APPLICABLE  # a file: the engine's not applicable
    one = decided(doc, None)
    assert one.outcome_of(RULE_ID) is Outcome.NOT_APPLICABLE
    assert one.score.overall == check(doc).score.overall


def test_a_change_is_scored_and_names_old_and_new_cells() -> None:
    first = load_base()
    current = patch(first, {"/tables/requests/new/natural_person": 15, "/tables/requests/new/total": 19})
    result = decided(current, first)
    (finding,) = [f for f in result.findings if f.rule_id == RULE_ID]
    assert "由 12 改为 15" in finding.message.zh and "由 16 改为 19" in finding.message.zh
    assert finding.values["cells"][0][3:] == [12, 15]
    assert result.score.overall is not None and result.score.overall < decided(first, first).score.overall


def test_text_diff_is_short_and_ignores_spacing() -> None:
    first = load_base()
    spaced = patch(first, {"/sections/overview/text": first["sections"]["overview"]["text"].replace("。", "。 ")})
    assert compare(first, spaced) == {"cells": [], "text": []}
    long = "很长的新增句子" * 40 + "。"
    changed = patch(first, {"/sections/overview/text": first["sections"]["overview"]["text"] + long})
    change = compare(first, changed)
    assert change["cells"] == [] and change["text"][0][0] == "overview" and change["text"][0][2] == [long]
    (finding,) = [f for f in decided(changed, first).findings if f.rule_id == RULE_ID]
    assert "…" in finding.message.zh and len(finding.message.zh) < 600
