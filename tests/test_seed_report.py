"""The seed report (湘乡市应急管理局 2024): the findings the core issue names, from the fixture and the original."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker import check
from checker.ingest import read_document
from checker.model import Outcome, ReportResult, Severity

FIXTURE = Path(__file__).parent / "data" / "xiangxiang-emergency-2024.report.json"
ARITHMETIC = ("GK-T3-010", "GK-T3-011", "GK-T3-012", "GK-T3-013", "GK-T4-010", "GK-T2-002", "GK-V-002")


def _assert_seed_findings(result: ReportResult) -> None:
    by_rule: dict[str, list[Any]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    # Part 六 is missing: an error.
    [missing] = by_rule["GK-S-001"]
    assert missing.severity is Severity.ERROR and missing.pointer == "/sections/other"
    # The two blank cells of row （六）3 其他 are reported as blank, not read as 0.
    [blank] = by_rule["GK-V-001"]
    assert blank.pointer == "/tables/requests/other/other"
    assert "自然人" in blank.message.zh and "总计" in blank.message.zh and "2 个单元格为空" in blank.message.zh
    # No part of 总体情况 is about 政府信息公开平台建设: one warning.
    [platform] = by_rule["GK-S-101"]
    assert platform.severity is Severity.WARNING and "平台建设" in platform.message.zh
    # No arithmetic failure; identities touching the blank cells are not assessable, not passed.
    for rule_id in ARITHMETIC:
        assert rule_id not in by_rule, by_rule.get(rule_id)
    assert result.outcome_of("GK-T3-010") is Outcome.PASS
    assert result.outcome_of("GK-T3-011") is Outcome.NOT_ASSESSABLE
    assert result.outcome_of("GK-T3-012") is Outcome.NOT_ASSESSABLE


def test_seed_fixture_findings() -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert doc["tables"]["requests"]["other"]["other"]["natural_person"] is None
    _assert_seed_findings(check(doc))


def test_seed_original_text_findings_point_to_lines(corpus_dir: Path) -> None:
    source = corpus_dir / "text" / "xiangxiang-emergency-2024.txt"
    result = check(read_document(source), source=str(source))
    _assert_seed_findings(result)
    lines = source.read_text(encoding="utf-8").splitlines()
    blank = next(f for f in result.findings if f.rule_id == "GK-V-001")
    assert blank.location and "3. 其他" in lines[blank.location["line"] - 1]
    platform = next(f for f in result.findings if f.rule_id == "GK-S-101")
    assert platform.location and "总体情况" in lines[platform.location["line"] - 1]


@pytest.mark.parametrize("kind", ["department", "government"])
def test_seed_kind_changes_applicable_rules(kind: str) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doc["agency"]["kind"] = kind
    doc["published"] = "2025-02-10"
    result = check(doc)
    late = result.outcome_of("GK-D-001")
    assert late is (Outcome.FAIL if kind == "department" else Outcome.NOT_APPLICABLE)
    assert result.outcome_of("GK-D-002") is (Outcome.PASS if kind == "government" else Outcome.NOT_APPLICABLE)
