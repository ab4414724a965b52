"""How table findings are shaped: a whole empty table is one finding, sums point at the total they blame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gk_testlib import load_base

from checker import check


def _blank(node: dict[str, Any], value: Any = None) -> None:
    for key, child in node.items():
        if isinstance(child, dict):
            _blank(child, value)
        elif key != "note":
            node[key] = value


@pytest.mark.parametrize("base", ["clean-2021", "clean-2019"])
@pytest.mark.parametrize("table", ["proactive", "requests", "appeals"])
def test_a_blank_table_is_one_finding(base: str, table: str) -> None:
    doc = load_base(base)
    _blank(doc["tables"][table])
    result = check(doc)
    assert [(f.rule_id, f.pointer) for f in result.findings] == [("GK-V-001", f"/tables/{table}")]
    assert "整表未填写" in result.findings[0].message.zh and "均为空" in result.findings[0].message.zh
    assert "is not filled in" in result.findings[0].message.en


def test_a_table_of_slashes_is_one_finding() -> None:
    doc = load_base()
    _blank(doc["tables"]["requests"], "/")
    result = check(doc)
    assert [(f.rule_id, f.pointer) for f in result.findings] == [("GK-V-001", "/tables/requests")]
    assert "175 个填写为“/”" in result.findings[0].message.zh


def test_rows_left_blank_are_one_finding_per_table() -> None:
    """Only the rows where something happened filled in, the others left blank: one finding for the table."""
    doc = load_base()
    requests = doc["tables"]["requests"]
    kept = {"new", "granted", "total"}
    for key in [k for k in requests if k not in kept and k != "note"]:
        _blank(requests[key]) if isinstance(requests[key], dict) else None
    [blank] = [f for f in check(doc).findings if f.rule_id == "GK-V-001"]
    assert blank.pointer == "/tables/requests" and "第三部分表格有 22 行没有填全：“二、上年结转政府信息公开申请数量”" in blank.message.zh
    assert "共 154 个单元格为空" in blank.message.zh and "Table 3 has 22 rows not filled in" in blank.message.en


def test_one_row_is_named() -> None:
    doc = load_base()
    doc["tables"]["requests"]["other"]["other"]["total"] = "/"
    [blank] = [f for f in check(doc).findings if f.rule_id == "GK-V-001"]
    assert blank.pointer == "/tables/requests/other/other" and "“（六）其他处理 3.其他”一行" in blank.message.zh


@pytest.mark.parametrize("base", ["clean-2021", "clean-2019"])
def test_a_table_with_its_header_only_is_one_finding(base: str) -> None:
    doc = load_base(base)
    doc["tables"]["requests"] = {"note": doc["tables"]["requests"]["note"]}
    result = check(doc)
    assert [(f.rule_id, f.pointer) for f in result.findings] == [("GK-T3-001", "/tables/requests")]
    other_rows = "GK-T3-002" if base == "clean-2021" else "GK-L3-001"
    assert result.outcome_of(other_rows).value == "not_assessable"


def test_sum_findings_point_at_the_total() -> None:
    doc = load_base()
    doc["tables"]["requests"]["granted"]["total"] += 2  # row （一）: its total, and the total column's （七）
    doc["tables"]["appeals"]["litigation_direct"]["total"] += 1
    found = {(f.rule_id, f.pointer) for f in check(doc).findings}
    assert ("GK-T3-011", "/tables/requests/granted/total") in found
    assert ("GK-T3-012", "/tables/requests/total/total") in found
    assert ("GK-T4-010", "/tables/appeals/litigation_direct/total") in found


@pytest.mark.parametrize("year", [2020, 2023])
def test_a_single_other_row_alone_is_not_the_trial_format(year: int) -> None:
    """A report read from a file whose table 三 has one （六） row and no table 二 to tell the format: the year
    decides. A 2023 report is in the 2021 format with row (6) not split (one GK-T3-002 warning, no GK-S-102);
    a 2020 report is in the trial format, where one row is right."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "zoo"))
    from blind.planted import _shift_year, base_document
    from forms import html_page

    from checker.ingest import parse_document

    rng = random.Random(year)
    doc = base_document(rng, fmt="2019")
    _shift_year(doc, year)
    del doc["tables"]["proactive"]
    read = parse_document(html_page(doc, rng).encode("utf-8"), "r.html")
    result = check(read)
    assert read["format"] == ("2019" if year <= 2020 else "2021")
    assert not any(f.rule_id == "GK-S-102" for f in result.findings)
    other = [f for f in result.findings if f.rule_id == "GK-T3-002"]
    if year > 2020:
        assert [f.pointer for f in other] == ["/tables/requests/other"] and "只有一行" in other[0].message.zh
    else:
        assert other == [] and result.outcome_of("GK-L3-001").value == "pass"
