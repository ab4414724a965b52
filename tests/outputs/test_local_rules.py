"""The examples of rules/local.yaml, run with the configuration they name.

Pointers under ``/config/`` in an example's ``set`` patch the configuration (a gkcheck.toml
table as a mapping); the others patch the report, as in tests/test_rule_examples.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import assert_example, load_base, patch

from checker import compiled_ruleset
from checker.config import config_from_table, configured_ruleset
from checker.document import validate_document
from checker.model import Outcome, ReportResult
from checker.run import check_documents

TODAY = dt.date(2026, 3, 1)
RULES = [r for r in compiled_ruleset().ruleset.rules if r.ruleset == "local"]
CASES = [(rule, expected, ex) for rule in RULES
         for expected in ("pass", "fail", "not_assessable", "not_applicable")
         for ex in rule.examples.get(expected, [])]


def checked(example: dict[str, Any]) -> ReportResult:
    """Check the example's report under the example's configuration, waivers applied."""
    sets = example.get("set", {})
    config_sets = {k.removeprefix("/config"): v for k, v in sets.items() if k.startswith("/config/")}
    doc_sets = {k: v for k, v in sets.items() if not k.startswith("/config/")}
    table = patch({}, {k: v for k, v in config_sets.items() if "/waivers/" not in k})
    waivers = [v for k, v in sorted(config_sets.items()) if k.startswith("/waivers/")]
    if waivers:
        table["waivers"] = waivers
    config = config_from_table(table, Path("gkcheck.toml"))
    doc = patch(load_base(example.get("base", "clean-2021")), doc_sets, example.get("remove"))
    validate_document(doc)
    return check_documents([doc], configured_ruleset(config), ["report.json"], today=TODAY).results[0]


def test_there_are_local_rules() -> None:
    assert {r.id for r in RULES} == {"GK-D-005", "GK-W-001", "GK-W-002"}


@pytest.mark.parametrize(("rule", "expected", "example"), CASES,
                         ids=[f"{r.id}-{e}-{x.get('name', i)}" for i, (r, e, x) in enumerate(CASES)])
def test_local_rule_example(rule: Any, expected: str, example: dict[str, Any]) -> None:
    assert_example(checked(example), rule, expected, example)


def test_local_rules_are_not_applicable_without_configuration(clean_doc: dict[str, Any]) -> None:
    for kind in ("government", "department", "office", "subdistrict", "other"):
        doc = patch(clean_doc, {"/agency/kind": kind, "/published": "2025-12-30"})
        result = check_documents([doc], compiled_ruleset()).results[0]
        for rule in RULES:
            assert result.outcome_of(rule.id) is Outcome.NOT_APPLICABLE, (kind, rule.id)


def test_local_rules_have_docs() -> None:
    for rule in RULES:
        assert rule.examples["pass"] and rule.examples["fail"], rule.id
        for field in ("what", "why", "fix", "example_fail", "example_pass"):
            assert len(getattr(rule.doc, field).zh) >= 4, (rule.id, field)
