"""Hypothesis properties: narrative written from a report's own numbers never contradicts it;
changing one number of that narrative produces exactly one narrative finding."""

from __future__ import annotations

import copy
from typing import Any

import cn2an
from gk_testlib import load_base
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check

BASE = load_base()
N = st.integers(min_value=0, max_value=3000)

# Each slot: (template, the document cell(s) it states). Templates are ours, not corpus text.
SLOTS = [
    ("全年新收政府信息公开申请{}件", ("requests", "new")),
    ("上年结转{}件", ("requests", "carried_in")),
    ("办结{}件", ("requests", "total")),
    ("结转下年度继续办理{}件。", ("requests", "carried_over")),
    ("被申请行政复议{}件", ("appeals", "review")),
    ("行政诉讼{}件。", ("appeals", "litigation")),
    ("全年制发行政规范性文件{}件", ("proactive", "issued")),
    ("废止{}件", ("proactive", "repealed")),
    ("现行有效{}件。", ("proactive", "in_force")),
    ("全年作出行政处罚决定{}件。", ("proactive", "penalties")),
]
SEPARATORS = {0: "，", 1: "，", 2: "，", 4: "；", 6: "，", 7: "，"}


@st.composite
def reports(draw: st.DrawFn) -> tuple[dict[str, Any], list[int], list[bool]]:
    """A report whose totals come from drawn numbers, with the numbers and their spelling."""
    doc = copy.deepcopy(BASE)
    t3, t4, t2 = doc["tables"]["requests"], doc["tables"]["appeals"], doc["tables"]["proactive"]
    total, carried_over = draw(N), draw(N)
    carried_in = min(draw(N), total + carried_over)
    new = total + carried_over - carried_in
    t3["new"]["total"], t3["carried_in"]["total"] = new, carried_in
    t3["total"]["total"], t3["carried_over"]["total"] = total, carried_over
    review, direct, after = draw(N), draw(N), draw(N)
    t4["review"]["total"], t4["litigation_direct"]["total"], t4["litigation_after_review"]["total"] = review, direct, after
    issued, repealed, in_force, penalties = draw(N), draw(N), draw(N), draw(N)
    t2["normative_documents"].update(issued=issued, repealed=repealed, in_force=in_force)
    t2["penalties"]["decisions"] = penalties
    numbers = [new, carried_in, total, carried_over, review, direct + after, issued, repealed, in_force, penalties]
    chinese = draw(st.lists(st.booleans(), min_size=len(SLOTS), max_size=len(SLOTS)))
    return doc, numbers, chinese


def narrative(numbers: list[int], chinese: list[bool]) -> str:
    parts = []
    for i, ((template, _), n, zh) in enumerate(zip(SLOTS, numbers, chinese)):
        parts.append(template.format(cn2an.an2cn(n) if zh and n > 0 else n) + SEPARATORS.get(i, ""))
    return "".join(parts)


def narrative_rules(doc: dict[str, Any], text: str) -> list[str]:
    """The narrative findings when part 三 holds ``text``; rules X-001 to X-004 must be decided."""
    doc = copy.deepcopy(doc)
    doc["sections"]["overview"]["text"] = "全年工作有序推进。"
    doc["sections"]["requests"]["text"] = text
    result = check(doc)
    for rule in ("GK-X-001", "GK-X-002", "GK-X-003", "GK-X-004"):
        assert result.outcome_of(rule).value in ("pass", "fail"), rule
    return [f.rule_id for f in result.findings if f.rule_id.startswith("GK-X-")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_narrative_from_the_tables_never_contradicts_them(report: tuple[dict[str, Any], list[int], list[bool]]) -> None:
    doc, numbers, chinese = report
    assert narrative_rules(doc, narrative(numbers, chinese)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.integers(0, len(SLOTS) - 1), st.integers(1, 500))
def test_one_changed_number_gives_exactly_one_finding(report: tuple[dict[str, Any], list[int], list[bool]],
                                                       slot: int, delta: int) -> None:
    doc, numbers, chinese = report
    changed = list(numbers)
    changed[slot] += delta
    if slot == 0 and changed[0] == numbers[0] + numbers[1]:
        changed[0] += 1  # 新收 + 上年结转 is an accepted reading of a 收到 count
    assert len(narrative_rules(doc, narrative(changed, chinese))) == 1
