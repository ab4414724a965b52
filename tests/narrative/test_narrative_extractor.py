"""The extractor on short synthetic sentences: numerals, units and the ambiguity guards."""

from __future__ import annotations

from typing import Any

import pytest
from gk_testlib import load_base, patch

from checker import check
from checker.narrative.spec import to_number

# The clean example: new 16, carried in 1, total 15, carried over 2; review 2 (upheld 1,
# pending 1); lawsuits 1 + 0; normative documents 5 / 2 / 48; penalties 312.


def narrative_findings(text: str, **changes: Any) -> list[tuple[str, str]]:
    """(rule id, message) of the narrative findings when part 三's text is ``text``."""
    doc = patch(load_base(), {"/sections/requests/text": text, **changes})
    return [(f.rule_id, f.message.zh) for f in check(doc).findings if f.rule_id.startswith("GK-X-")]


@pytest.mark.parametrize(("token", "value"), [("17", 17), ("1,234", 1234), ("十七", 17), ("两", 2), ("一", 1),
                                               ("二十", 20), ("3.5", 3.5), ("零", 0)])
def test_numerals(token: str, value: float) -> None:
    assert to_number(token) == value


@pytest.mark.parametrize("text", [
    "全年收到政府信息公开申请十六件，办结十五件。",          # Chinese numerals that agree
    "全年共受理政府信息公开申请17件（含上年结转1件）。",      # 新收 + 上年结转
    "2023年收到政府信息公开申请30件。",                       # another year
    "与去年同期相比，收到政府信息公开申请增加5件。",          # another period, a difference
    "全市共收到政府信息公开申请300件。",                      # an aside about a larger region
    "全年收到政府信息公开申请16件，其中网上受理申请12件。",   # a subset
    "全年接待政府信息公开申请咨询30人次。",                   # 人次, not 件
    "依申请公开答复率达100%，办结时限平均8个工作日。",       # percentages, days
    "咨询电话0731-5678123，依据〔2024〕3号文件办理。",      # phone and document numbers
    "全年收到政府信息公开申请约20件。",                       # approximate
    "全年公开行政规范性文件相关信息36条。",                  # 条 of information
    "全年制发政策性文件11件。",                              # not a 规范性文件
    "全年办理人大代表建议32件、政协提案41件。",               # other subjects
    "全年未收到行政许可申请。",                              # not an information request
    "高效办成一件事。",                                       # 一件事
    "全年未发生行政复议纠错和行政诉讼败诉的情况。",           # no correction is not no review
])
def test_ambiguous_statements_are_not_compared(text: str) -> None:
    assert narrative_findings(text) == []


@pytest.mark.parametrize(("text", "rule", "shown"), [
    ("全年收到政府信息公开申请95件。", "GK-X-001", "95"),
    ("全年收到政府信息公开申请十七件，办结十三件。", "GK-X-001", "13"),
    ("全年未收到政府信息公开申请。", "GK-X-001", "为 0"),
    ("结转下年度继续办理3件。", "GK-X-001", "3"),
    ("全年被申请行政复议3件。", "GK-X-002", "3"),
    ("全年未发生政府信息公开行政复议和行政诉讼。", "GK-X-002", "为 0"),
    ("被申请行政复议2件，其中结果维持2件。", "GK-X-002", "结果维持"),
    ("全年制发行政规范性文件3件，废止2件。", "GK-X-003", "3"),
    ("全年作出行政处罚决定1,200件。", "GK-X-004", "1200"),
    ("本年度收取信息处理费380元。", "GK-X-005", "380"),
])
def test_contradictions_are_reported_once(text: str, rule: str, shown: str) -> None:
    found = narrative_findings(text)
    assert [r for r, _ in found] == [rule] * len(found) and len(found) >= 1, found
    assert len(found) == 1 or rule == "GK-X-002", found
    assert shown in found[0][1], found


def _outcome(doc: dict[str, Any], rule: str) -> tuple[str, str]:
    [o] = [o for o in check(doc).outcomes if o.rule_id == rule]
    return o.outcome.value, o.reason


@pytest.mark.parametrize("kind", ["government", "department"])
def test_region_wide_figures_are_never_a_mismatch(kind: str) -> None:
    """全县/全市 figures may be the region's: never reported, not assessable (reason scope) when
    nothing else is compared, and agreement when they equal the cell."""
    only = {"/sections/overview/text": "", "/agency/kind": kind}
    for text in ("全县共收到政府信息公开申请95件。", "本县共收到政府信息公开申请95件。",
                 "全县共收到政府信息公开申请95件。办结90件。",  # the body word holds to the paragraph's end
                 "全系统共受理政府信息公开申请95件，所属单位办结90件。"):
        assert narrative_findings(text, **only) == [], text
        doc = patch(load_base(), {"/sections/requests/text": text, **only})
        assert _outcome(doc, "GK-X-001") == ("not_assessable", "scope"), text
    doc = patch(load_base(), {"/sections/requests/text": "全县共收到政府信息公开申请16件。", **only})
    assert _outcome(doc, "GK-X-001") == ("pass", "")


@pytest.mark.parametrize(("text", "rule"), [
    ("全市各级行政机关共收到政府信息公开申请1520件，其中市政府本级新收17件。", "GK-X-001"),  # 其中 + 本级
    ("全县共收到政府信息公开申请95件。\n本级共收到政府信息公开申请18件。", "GK-X-001"),  # a new paragraph
    ("全县共收到政府信息公开申请95件，本机关办结13件。", "GK-X-001"),  # an own body word wins
    ("全市收到政府信息公开申请95件。\n本年新收政府信息公开申请17件。", "GK-X-001"),
])
def test_own_figures_after_wider_ones_are_compared(text: str, rule: str) -> None:
    assert [r for r, _ in narrative_findings(text, **{"/sections/overview/text": ""})] == [rule], text


def test_own_figures_after_wider_ones_agree() -> None:
    text = "全市各级行政机关共收到政府信息公开申请1520件，其中市政府本级新收16件。"
    doc = patch(load_base(), {"/sections/requests/text": text, "/sections/overview/text": ""})
    assert _outcome(doc, "GK-X-001") == ("pass", "")


@pytest.mark.parametrize(("text", "rule", "shown"), [
    ("本年新收政府信息公开申请17件。", "GK-X-001", "本年新收"),
    ("办理结果总计16件。", "GK-X-001", "（七）总计"),
    ("结转下年度继续办理3件。", "GK-X-001", "结转下年度"),
    ("上年结转2件。", "GK-X-001", "上年结转"),
    ("行政复议案件均获维持。", "GK-X-002", "结果纠正"),
    ("行政复议结果均为维持，未发生被纠错的情况。", "GK-X-002", "结果纠正"),
    ("全年未发生政府信息公开行政复议。", "GK-X-002", "为 0"),
])
def test_row_wordings_and_outcome_claims(text: str, rule: str, shown: str) -> None:
    changes = {"/sections/overview/text": "", "/tables/appeals/review/corrected": 1, "/tables/appeals/review/upheld": 0}
    found = narrative_findings(text, **changes)
    assert [r for r, _ in found] == [rule], found
    assert shown in found[0][1], found


@pytest.mark.parametrize("text", [
    "本年新收政府信息公开申请16件，办理结果总计15件，结转下年度继续办理2件，上年结转1件。",
    "全年共受理政府信息公开申请17件（含上年结转1件）。",
    "全年新收政府信息公开申请17件（含上年结转1件）。",
    "行政复议案件未能均获维持。",
    "被申请行政复议2件，1件被纠正，其余均获维持。",
    "对行政复议工作开展自查，未发现需要纠正的问题。",
    "全年办理人大代表建议32件，办理结果总计32件。",
])
def test_row_wordings_and_outcome_claims_that_agree(text: str) -> None:
    assert narrative_findings(text, **{"/sections/overview/text": "", "/tables/appeals/review/corrected": 1,
                                       "/tables/appeals/review/upheld": 0}) == [], text


def test_finding_points_at_the_cell_and_the_sentence() -> None:
    doc = patch(load_base(), {"/sections/requests/text": "全年收到政府信息公开申请95件。",
                              "/source_map": {"/sections/requests": {"line": 40, "end_line": 41}}})
    [f] = [f for f in check(doc).findings if f.rule_id == "GK-X-001"]
    assert f.pointer == "/tables/requests/new/total"
    assert f.related[0]["pointer"] == "/sections/requests/text"
    assert f.related[0]["location"] == {"line": 41, "quote": "全年收到政府信息公开申请……"}
    assert f.values["stated"] == 95 and f.values["table"] == 16
    assert "95" in f.values["sentence"] and len(f.values["sentence"]) <= 60


def test_blank_cell_is_not_assessable() -> None:
    doc = patch(load_base(), {"/sections/overview/text": "全年新收政府信息公开申请16件。",
                              "/tables/requests/new/total": None, "/tables/requests/new/commercial": None})
    assert check(doc).outcome_of("GK-X-001").value == "not_assessable"


def test_blank_total_is_the_sum_of_its_parts() -> None:
    """A blank 总计 whose parts are numbers is compared as their sum, and the message says so."""
    base = {"/tables/requests/new/total": None, "/sections/requests/text": ""}
    doc = patch(load_base(), {**base, "/sections/overview/text": "全年新收政府信息公开申请16件。"})
    assert check(doc).outcome_of("GK-X-001").value == "pass"
    found = narrative_findings("", **{**base, "/sections/overview/text": "全年新收政府信息公开申请17件。"})
    assert len(found) == 1 and "栏为空，按各栏相加为 16" in found[0][1], found
    # table 四: a group's blank total is its four results added up
    found = narrative_findings("全年被申请行政复议3件。", **{"/tables/appeals/review/total": None})
    assert len(found) == 1 and "按各栏相加为 2" in found[0][1], found
