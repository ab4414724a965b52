"""Recall and false alarms on blind sets (one planted defect per document, and tricky clean documents).

For every planted defect whose rule exists (:data:`planted.PLANTS`, not ``pending``), every
document must be reported by one of the expected rules, and no document — planted or clean —
may get an error from a rule that is neither expected nor allowed. A clean variation's
``quiet`` rules must report nothing. Pending kinds (issue 13's rules still to come) are
measured by ``benchmarks/bench_blind.py``; this test only asserts the ones that must hold.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from blind.planted import CLEAN, PLANTS, Expectation, blind_set

from checker.api import check_many
from checker.document import validate_document
from checker.model import ReportResult

PER_KIND = 4
SEED = 20261207


def judge(result: ReportResult, expectation: Expectation) -> list[str]:
    """The ways ``result`` falls short of ``expectation`` (empty when it meets it)."""
    fired = {f.rule_id for f in result.findings}
    errors = {f.rule_id for f in result.findings if f.severity.value == "error"}
    problems = []
    if expectation.expected and not expectation.expected & fired:
        problems.append(f"missed: none of {sorted(expectation.expected)} reported (got {sorted(fired)})")
    false = errors - expectation.expected - expectation.allowed
    if false:
        problems.append(f"false errors: {sorted(false)}")
    loud = expectation.quiet & fired
    if loud:
        problems.append(f"should be quiet: {sorted(loud)}")
    return problems


@pytest.fixture(scope="module")
def judged() -> dict[str, list[tuple[dict[str, Any], list[str]]]]:
    pairs = list(blind_set(SEED, PER_KIND))
    for doc, _ in pairs:
        validate_document(doc)
    results = check_many([doc for doc, _ in pairs])
    out: dict[str, list[tuple[dict[str, Any], list[str]]]] = defaultdict(list)
    for (doc, expectation), result in zip(pairs, results):
        out[expectation.kind].append((doc, judge(result, expectation)))
    return out


ASSERTED = sorted(k for k, (_, e) in {**PLANTS, **CLEAN}.items() if not e.pending)


@pytest.mark.parametrize("kind", ASSERTED)
def test_blind_kind(kind: str, judged: dict[str, list[tuple[dict[str, Any], list[str]]]]) -> None:
    docs = judged[kind]
    assert len(docs) == PER_KIND
    failures = [(doc["agency"]["name"], doc["year"], problems) for doc, problems in docs if problems]
    assert not failures, failures


def test_chinese_numbers() -> None:
    from blind.planted import chinese_number

    assert [chinese_number(n) for n in (0, 7, 10, 17, 20, 105, 1010, 30000, 45678)] == [
        "零", "七", "十", "十七", "二十", "一百零五", "一千零一十", "三万", "四万五千六百七十八"]
