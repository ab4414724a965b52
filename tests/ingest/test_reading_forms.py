"""The reading of damaged forms, unit by unit: flattened tables and their arithmetic, evidence
before a defect, cut-off texts, parts recognised by their content.

All report text here is written for the tests; nothing is copied from the corpus.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

from checker.api import check
from checker.ingest import parse_document
from checker.ingest.stream import candidates, read_flat_table, template

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "zoo"))
from documents import make_document  # noqa: E402
from forms import FORMS  # noqa: E402

T3_HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
ZERO = "0000000"


def _t3(new: str, granted: str, total: str, carried_over: str = ZERO) -> str:
    rows = [("一、本年新收政府信息公开申请数量", new), ("二、上年结转政府信息公开申请数量", ZERO),
            ("三、本年度办理结果（一）予以公开", granted), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ZERO)]
    rows += [(f"{'（三）不予公开' if k == 1 else ''}{k}.{label}", ZERO) for k, label in enumerate(
        ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
         "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"), start=1)]
    rows += [(f"{'（四）无法提供' if k == 1 else ''}{k}.{label}", ZERO) for k, label in enumerate(
        ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"), start=1)]
    rows += [(f"{'（五）不予处理' if k == 1 else ''}{k}.{label}", ZERO) for k, label in enumerate(
        ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"),
        start=1)]
    rows += [("（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ZERO),
             ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ZERO), ("3.其他", ZERO),
             ("（七）总计", total), ("四、结转下年度继续办理", carried_over)]
    return T3_HEAD + "".join(label + values for label, values in rows)


def _cells(text: str) -> dict[str, tuple[object, str]]:
    out = {}
    for row in read_flat_table(text, template("requests", "2021")):
        for column, cell in row.cells.items():
            out["/".join(row.spec.path) + "/" + column] = (cell.value, cell.state)
    return out


def test_a_run_split_one_way_only_is_read() -> None:
    assert candidates("0000000", 7, (False,) * 7) == [(0,) * 7]
    assert candidates("", 3, (False,) * 3) == [(None, None, None)]  # no digits: blank cells
    assert candidates("3 14", 2, (False, False)) == [(3, 14)]


def test_run_together_digits_are_split_by_the_table_arithmetic() -> None:
    # 53|0|0|2|0|4|59 received, all granted: only one split makes the rows and columns add up
    cells = _cells(_t3(new="530020459", granted="530020459", total="530020459"))
    assert cells["new/natural_person"] == (53, "derived")
    assert cells["granted/total"] == (59, "derived")
    assert cells["total/public_interest"] == (2, "derived")
    assert cells["withheld/state_secret/total"] == (0, "")  # seven zeros need no arithmetic
    assert all(state != "unread" for _, state in cells.values())


def test_digits_that_several_splits_satisfy_are_unread_never_guessed() -> None:
    # 1|1 or 11 in two cells: nothing in the arithmetic tells them apart
    cells = _cells(_t3(new="1100002", granted="11", total="11"))
    assert cells["granted/natural_person"] == (None, "unread")


def test_glued_numbering_goes_to_the_next_label() -> None:
    text = _t3(new=ZERO, granted=ZERO, total=ZERO).replace("属于三类内部事务信息0000000", "属于三类内部事务信息1000001")
    text = text.replace("（七）总计0000000", "（七）总计1000001").replace("一、本年新收政府信息公开申请数量0000000",
                                                                "一、本年新收政府信息公开申请数量1000001")
    cells = _cells(text)
    assert cells["withheld/internal_affairs/total"] == (1, "")
    assert cells["withheld/process_information/natural_person"] == (0, "")


def _document(form: str, seed: int, change=None) -> tuple[dict, dict]:
    doc = make_document(random.Random(seed))
    if change:
        doc = change(copy.deepcopy(doc))
    name, data = FORMS[form](doc, random.Random(seed))
    return doc, parse_document(data, name)


def test_a_2021_report_with_the_old_table_in_one_cell_per_line_is_flagged() -> None:
    rng = random.Random(3)
    doc = next(d for d in (make_document(rng) for _ in range(200)) if d["format"] == "2019" and "proactive" in d["tables"])
    doc = json.loads(json.dumps(doc, ensure_ascii=False).replace(f"{doc['year']}年", "2022年"))
    doc["year"], doc["published"] = 2022, "2023-01-20"
    name, data = FORMS["cell-per-line"](doc, random.Random(1))
    read = parse_document(data, name)
    assert (read["format"], read["year"]) == ("2019", 2022)
    assert [f.severity.value for f in check(read).findings if f.rule_id == "GK-S-102"] == ["error"]


def test_a_cut_off_text_is_noticed_and_its_absent_parts_are_not_missing() -> None:
    for seed in range(6):
        original, read = _document("excerpt", seed)
        codes = [n["code"] for n in read.get("reading", {}).get("notices", [])]
        assert "text-incomplete" in codes
        missing = {f.pointer for f in check(read).findings if f.rule_id == "GK-S-001"}
        assert missing <= {f"/sections/{name}" for name in ("overview", "proactive", "requests", "appeals",
                                                            "problems", "other") if name not in original["sections"]}


def test_a_part_printed_but_not_placed_is_unread_not_missing() -> None:
    text = ("某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n本年度依法做好公开工作。"
            "五、存在的主要问题及改进情况 工作中还有不足，下一步将改进。\n"  # a heading run into a paragraph
            "六、其他需要报告的事项\n本年度未收取信息处理费。\n")
    read = parse_document(text.encode(), "x.txt")
    assert "problems" not in read["sections"]
    assert "/sections/problems" in read["reading"]["unread"]
    assert [n["code"] for n in read["reading"]["notices"] if n["target"] == "/sections/problems"] == ["part-unplaced"]
    result = check(read)
    assert "报告缺少“五、存在的主要问题及改进情况”部分。" not in [f.message.zh for f in result.findings]
    assert "报告缺少“二、主动公开政府信息情况”部分。" in [f.message.zh for f in result.findings]  # really absent
