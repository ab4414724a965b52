"""GK-X-006: a narrative total against the parts its sentence lists (short sentences written for the test)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from gk_testlib import load_base, patch

from checker import check, compiled_ruleset
from checker.kinds.narrative_parts import NarrativeParts


def _check() -> NarrativeParts:
    [inst] = [i for i in compiled_ruleset().frame_instances if i.rule.id == "GK-X-006"]
    assert isinstance(inst.check, NarrativeParts)
    return inst.check


def parts(text: str) -> list[tuple[float, tuple[float, ...]]]:
    return [(s.total, s.parts) for s in _check().statements(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("全年主动公开政府信息5000条，其中政策文件1200条、工作动态2300条、通知公告1100条。", [(5000, (1200, 2300, 1100))]),
    ("全年发布政务微博300条，其中100条为政策解读、200条为工作动态。", [(300, (100, 200))]),
    ("全年收到申请16件，其中自然人申请12件，占75%；法人或其他组织申请4件，占25%。", [(16, (12, 4))]),
    ("全年收到申请16件，其中自然人12件、法人4件，办结15件，其中予以公开10件、不予公开5件。",
     [(16, (12, 4)), (15, (10, 5))]),
    ("全年发布信息351条，其中政策文件72条，工作动态64条，通知公告178条，其他37条；政务微博发布46条，其中原创25条、转发21条。",
     [(351, (72, 64, 178, 37)), (46, (25, 21))]),
    ("全年公开信息3500条（其中政策文件1200条（含规范性文件30条）、工作动态2300条），发布解读36篇。",
     [(3500, (1200, 2300)), ]),
    ("全年收到申请二十件，分别为自然人申请十五件、法人申请五件。", [(20, (15, 5))]),
])
def test_lists_that_are_read(text: str, found: list[Any]) -> None:
    assert parts(text) == found


@pytest.mark.parametrize("text", [
    "全年主动公开政府信息5000条，其中政策文件1200条、工作动态2300条、通知公告1100条等。",   # open list
    "全年主动公开政府信息5000条，其中主要有政策文件1200条、工作动态2300条。",               # some parts only
    "全年主动公开政府信息5000余条，其中政策文件1200条、工作动态2300条。",                   # approximate total
    "全年主动公开政府信息5000条，其中政策文件约1200条、工作动态2300条。",                   # approximate part
    "全年收到申请16件，其中网上受理12件。",                                                 # one part
    "全年共公开各类信息236条，其中工作动态27条，微信公众号发布信息198条，回复群众诉求11件。",  # mixed units
    "全年发布政府信息393条，其中包括：行政规范性文件13条；规划计划文件2条；部门预算信息；决策事项信息。",  # uncounted items
    "全年主动公开政府信息18条，其中机构设置1条，领导分工4条，工作规则3条，较好地完成了目标任务。",  # cannot tell
    "全年收取信息处理费380元，其中民政局1件，收取380元。",                                   # another unit first
    "全年主动公开政府信息5000条，其中政策文件1200条、围绕优化营商环境和保障改善民生等重点工作发布的信息2300条。",
    "全年主动公开政府信息5000条。其中政策文件1200条、工作动态2300条。",                     # the next sentence
])
def test_lists_that_are_not_read(text: str) -> None:
    assert parts(text) == []


def test_finding_quotes_the_sentence_and_points_at_the_text() -> None:
    text = "全年主动公开政府信息5000条，其中政策文件1200条、工作动态2300条、通知公告1100条。"
    doc = patch(load_base(), {"/sections/proactive/text": text})
    [f] = [f for f in check(doc).findings if f.rule_id == "GK-X-006"]
    assert f.severity.value == "warning"
    assert f.pointer == "/sections/proactive/text"
    assert "5000条" in f.message.zh and "相加为 4600条" in f.message.zh and "其中政策文件" in f.message.zh
    assert f.values["parts"] == "1200条、2300条、1100条"


@pytest.mark.parametrize("text", [
    "1件，其中" * 20000,
    "收到申请1件，其中" + "a1件、" * 20000 + "。",
    "（" * 5000 + "收到申请1件（其中a1件、b1件" + "）" * 5000,
    "收到申请1件，其中" + "，" * 50000,
])
def test_linear_time(text: str) -> None:
    start = time.perf_counter()
    _check().statements(text)
    assert time.perf_counter() - start < 5


def test_items_without_a_count_before_another_statement() -> None:
    """Items without a count between the last part and another statement: not compared."""
    assert parts("全年发布信息393件，其中包括：规范性文件13件；规划文件2件；预算信息；决策事项，另办理申请5件。") == []
    assert parts("全年发布信息30条，其中政策文件10条，动态20条，简报若干，另有解读3条。") == []
