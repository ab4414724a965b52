"""Hypothesis properties of the table rules and of the score."""

from __future__ import annotations

import copy
from typing import Any

from gk_testlib import load_base
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check
from checker.model import Outcome, Severity
from checker.scoring import score

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]
RESULT_ROWS = ["granted", "partially_granted",
               *(f"withheld.{k}" for k in ("state_secret", "prohibited_by_law", "three_safety_one_stability",
                                           "third_party_rights", "internal_affairs", "process_information",
                                           "enforcement_files", "administrative_query")),
               *(f"unavailable.{k}" for k in ("not_held", "needs_creation", "unclear_after_correction")),
               *(f"not_processed.{k}" for k in ("petition_complaint", "duplicate", "publication", "excessive",
                                                "confirmation")),
               *(f"other.{k}" for k in ("no_correction", "fee_unpaid", "other"))]
ARITHMETIC = {"GK-T3-010", "GK-T3-011", "GK-T3-012", "GK-T3-013", "GK-T4-010"}
BASE = load_base()
SMALL = st.integers(min_value=0, max_value=40)


def _set_row(table: dict[str, Any], row: str, values: dict[str, int]) -> None:
    node = table
    *groups, last = row.split(".")
    for g in groups:
        node = node[g]
    node[last] = {**values, "total": sum(values.values())}


@st.composite
def consistent_reports(draw: st.DrawFn) -> dict[str, Any]:
    """A report whose tables 三 and 四 satisfy every identity of the format."""
    doc = copy.deepcopy(BASE)
    t3 = doc["tables"]["requests"]
    results = {r: {c: draw(SMALL) if draw(st.booleans()) else 0 for c in COLS} for r in RESULT_ROWS}
    for r, vals in results.items():
        _set_row(t3, r, vals)
    total = {c: sum(results[r][c] for r in RESULT_ROWS) for c in COLS}
    carried_over = {c: draw(st.integers(0, 5)) for c in COLS}
    carried_in = {c: draw(st.integers(0, total[c] + carried_over[c])) for c in COLS}
    new = {c: total[c] + carried_over[c] - carried_in[c] for c in COLS}
    for row, vals in (("total", total), ("carried_over", carried_over), ("carried_in", carried_in), ("new", new)):
        _set_row(t3, row, vals)
    for group in ("review", "litigation_direct", "litigation_after_review"):
        vals = {k: draw(SMALL) for k in ("upheld", "corrected", "other", "pending")}
        doc["tables"]["appeals"][group] = {**vals, "total": sum(vals.values())}
    return doc


def _failing(doc: dict[str, Any]) -> set[str]:
    return {f.rule_id for f in check(doc).findings} & ARITHMETIC


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_consistent_reports_have_no_arithmetic_failures(doc: dict[str, Any]) -> None:
    assert _failing(doc) == set()


T3_CELLS = [(row, col) for row in ["new", "carried_in", *RESULT_ROWS, "total", "carried_over"]
            for col in [*COLS, "total"]]
T4_CELLS = [(g, c) for g in ("review", "litigation_direct", "litigation_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")]


def _expected_rules(table: str, row: str) -> set[str]:
    if table == "appeals":
        return {"GK-T4-010"}
    expected = {"GK-T3-011"}
    if row in ("new", "carried_in", "total", "carried_over"):
        expected.add("GK-T3-010")
    if row in RESULT_ROWS or row == "total":
        expected.add("GK-T3-012")
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from([("requests", c) for c in T3_CELLS] + [("appeals", c) for c in T4_CELLS]),
       st.integers(min_value=1, max_value=9))
def test_single_cell_perturbation_is_caught_by_its_identity(doc: dict[str, Any], target: tuple[str, tuple[str, str]],
                                                            delta: int) -> None:
    table, (row, col) = target
    node = doc["tables"][table]
    for key in row.split("."):
        node = node[key]
    node[col] += delta
    result = check(doc)
    failing = {f.rule_id for f in result.findings} & ARITHMETIC
    assert _expected_rules(table, row) <= failing
    assert failing - _expected_rules(table, row) <= {"GK-T3-013"}
    for f in result.findings:
        if f.rule_id in ("GK-T3-010", "GK-T3-012") and col != "total" and row != "total":
            assert f.pointer.endswith("/" + col) or f.pointer.endswith("/total")


OUTCOMES = st.sampled_from([Outcome.PASS, Outcome.FAIL, Outcome.NOT_ASSESSABLE, Outcome.NOT_APPLICABLE,
                            Outcome.WAIVED])
ROWS = st.lists(st.tuples(st.sampled_from(["完整性", "准确性", "规范性", "时效性"]), st.sampled_from(list(Severity)),
                          st.integers(1, 5), OUTCOMES), max_size=40)


@given(ROWS)
def test_score_is_between_0_and_100(rows: list[Any]) -> None:
    s = score(rows)
    assert s.overall is None or 0.0 <= s.overall <= 100.0
    for c in s.categories:
        assert c.score is None or 0.0 <= c.score <= 100.0


@given(ROWS, st.sampled_from(["完整性", "准确性", "规范性", "时效性"]), st.sampled_from(list(Severity)),
       st.integers(1, 5))
def test_adding_a_failure_never_raises_the_score(rows: list[Any], cat: str, sev: Severity, weight: int) -> None:
    before = score(rows).overall
    after = score([*rows, (cat, sev, weight, Outcome.FAIL)]).overall
    if before is not None and after is not None:
        assert after <= before
    flipped = [(c, s, w, Outcome.FAIL if o is Outcome.PASS else o) for c, s, w, o in rows]
    if before is not None and score(flipped).overall is not None:
        assert score(flipped).overall <= before


@given(ROWS)
def test_not_assessable_and_waived_leave_the_denominator(rows: list[Any]) -> None:
    decided = [r for r in rows if r[3] in (Outcome.PASS, Outcome.FAIL)]
    assert score(rows).overall == score(decided).overall


def _perturbed(doc: dict[str, Any], cell: tuple[str, tuple[str, str]], delta: int) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    table, (row, col) = cell
    node = out["tables"][table]
    for g in row.split("."):
        node = node[g]
    node[col] = max(0, node[col] + delta)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from([("requests", c) for c in T3_CELLS] + [("appeals", c) for c in T4_CELLS]),
       st.integers(min_value=-3, max_value=3))
def test_explained_points_add_up_to_the_score(doc: dict[str, Any], cell: tuple[str, tuple[str, str]],
                                              delta: int) -> None:
    # --explain-score lists, per rule, the points it counts (RuleOutcome.points, what the score was computed
    # from): those of passed rules add up to the points earned, those of passed and failed rules to the points
    # decided, and their ratio is the score; an escalated rule counts as an error
    from checker.api import compiled_ruleset
    from checker.scoring import FACTOR

    rules = {r.id: r for r in compiled_ruleset().ruleset.rules}
    result = check(_perturbed(doc, cell, delta))
    earned = sum(o.points for o in result.outcomes if o.outcome is Outcome.PASS)
    decided = sum(o.points for o in result.outcomes if o.outcome in (Outcome.PASS, Outcome.FAIL))
    assert (earned, decided) == (result.score.earned, result.score.possible)
    if decided:
        assert result.score.overall == round(100 * earned / decided, 1)
    for o in result.outcomes:
        rule = rules[o.rule_id]
        escalated = bool(rule.escalate_at) and o.failed >= rule.escalate_at
        assert o.severity is (Severity.ERROR if escalated else rule.severity)
        assert o.points == rule.weight * FACTOR[o.severity]
