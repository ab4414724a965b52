"""Every example written in the rule files is run here (collected automatically)."""

from __future__ import annotations

from typing import Any

import pytest
from gk_testlib import assert_example, load_base, patch

from checker import check, compiled_ruleset
from checker.loader import default_files

# Every bundled rule, those of the local rule sets (off by default) included. Rules of the "local"
# rule set take their inputs from a configuration file; tests/outputs/test_local_rules.py runs their
# examples with that configuration.
EVERY = compiled_ruleset([p for p in default_files() if p.stem != "local"])
# Rules of the "web" rule set are decided from two fetched versions: tests/audit/test_web_rule_examples.py.
RULES = [r for r in EVERY.ruleset.rules if r.ruleset not in ("local", "web")]
CASES = [(rule, expected, ex) for rule in RULES
         for expected in ("pass", "fail", "not_assessable", "not_applicable")
         for ex in rule.examples.get(expected, [])
         if "previous" not in ex]  # two-report (cross-year) examples: tests/audit/test_crossyear_examples.py


@pytest.mark.parametrize(("rule", "expected", "example"), CASES,
                         ids=[f"{r.id}-{e}-{x.get('name', i)}" for i, (r, e, x) in enumerate(CASES)])
def test_rule_example(rule: Any, expected: str, example: dict[str, Any]) -> None:
    doc = patch(load_base(example.get("base", "clean-2021")), example.get("set"), example.get("remove"))
    assert_example(check(doc, EVERY if rule.region is not None else None), rule, expected, example)


def test_every_rule_has_examples_and_docs() -> None:
    for rule in RULES:
        assert rule.examples["pass"] and rule.examples["fail"], rule.id
        for field in ("what", "why", "fix", "example_fail", "example_pass"):
            assert len(getattr(rule.doc, field).zh) >= 4, (rule.id, field)
        assert rule.basis.zh and rule.title.zh and rule.message.zh and rule.message.en


def test_clean_examples_score_100() -> None:
    for base in ("clean-2021", "clean-2019"):
        result = check(load_base(base))
        assert result.findings == (), [f.message.zh for f in result.findings]
        assert result.score.overall == 100.0
        assert result.score.grade == "优秀"
