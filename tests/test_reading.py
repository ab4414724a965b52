"""Evidence before a defect: what the reader could not read is never reported missing.

A report document read from a file may carry a ``reading`` block (``unread`` and ``derived``
pointers, reading ``notices``). These tests take the clean 2024 example, remove a row, a
section, a table or cells, list them as unread, and check that the rules that reported them
missing are ``not_assessable`` with reason ``unread``; that checks of a table's arithmetic do
not decide on derived cells; that a value the user filled in wins; coverage, the withheld
grade and the verdict; and two hypothesis properties.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import load_base, patch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check
from checker.document import cells
from checker.model import Outcome, ReportResult, Severity
from checker.notices import notice, reading_notices
from checker.scoring import WITHHELD, score
from checker.verdict import Policy, undecided_reasons

Doc = dict[str, Any]
ROOT = Path(__file__).resolve().parents[1]
ROW = "/tables/requests/withheld/state_secret"


def unread(doc: Doc, *pointers: str, notices: list[dict[str, Any]] | None = None,
           derived: list[str] | None = None) -> Doc:
    """``doc`` without what is at ``pointers``, which are listed as unread."""
    out = patch(doc, remove=[p for p in pointers if _present(doc, p)])
    reading: dict[str, Any] = {"unread": list(pointers)}
    if derived:
        reading["derived"] = derived
    if notices:
        reading["notices"] = notices
    out["reading"] = reading
    return out


def _present(doc: Doc, pointer: str) -> bool:
    """Whether anything (a value, a part, a table) is at ``pointer``."""
    node: Any = doc
    for key in pointer.split("/")[1:]:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _holds(doc: Doc, pointer: str) -> bool:
    """Whether the document holds a value (not a part or table: those listed unread were read in part)."""
    if not _present(doc, pointer):
        return False
    node: Any = doc
    for key in pointer.split("/")[1:]:
        node = node[key]
    return not isinstance(node, dict)


def outcome(result: ReportResult, rule_id: str) -> tuple[str, str]:
    found = next(o for o in result.outcomes if o.rule_id == rule_id)
    return found.outcome.value, found.reason


def messages(result: ReportResult, rule_id: str) -> list[str]:
    return [f.message.zh for f in result.findings if f.rule_id == rule_id]


TABLE_UNREAD = {"code": "table-unread", "target": "/tables/requests", "location": {"line": 88},
                "values": {"count": 7, "reason": "run-together"}}


# --------------------------------------------------------------------------- unread


def test_an_unread_row_is_not_assessable_instead_of_missing(clean_doc: Doc) -> None:
    missing = check(patch(clean_doc, remove=[ROW]))
    assert outcome(missing, "GK-T3-001") == ("fail", "")
    assert any("整行缺失" in m for m in messages(missing, "GK-T3-001"))

    result = check(unread(clean_doc, ROW, notices=[TABLE_UNREAD]))
    assert outcome(result, "GK-T3-001") == ("not_assessable", "unread")
    assert not any(f.pointer.startswith(ROW) for f in result.findings)
    # the rules whose inputs were read are still decided
    assert outcome(result, "GK-T3-010") == ("pass", "")
    assert outcome(result, "GK-T2-001") == ("pass", "")
    [n] = result.notices
    assert n.code == "table-unread" and n.location == {"line": 88}
    assert n.message.zh.startswith("第三部分表格（收到和处理政府信息公开申请情况）：原文第 88 行起印有该表")
    assert "7 个单元格未能读出（数字连在一起，无法唯一拆分）" in n.message.zh
    assert "gkcheck convert" in n.advice.zh and "gkcheck convert" in n.advice.en


def test_an_unread_section_is_not_assessable_instead_of_missing(clean_doc: Doc) -> None:
    assert outcome(check(patch(clean_doc, remove=["/sections/problems"])), "GK-S-001") == ("fail", "")
    result = check(unread(clean_doc, "/sections/problems"))
    assert outcome(result, "GK-S-001") == ("not_assessable", "unread")
    assert outcome(result, "GK-N-002") == ("not_assessable", "unread")  # needs part 五
    assert not any(f.pointer.startswith("/sections/problems") for f in result.findings)
    assert result.findings == ()


def test_an_unread_table_is_not_assessable_instead_of_missing(clean_doc: Doc) -> None:
    missing = check(patch(clean_doc, remove=["/tables/requests"]))
    assert outcome(missing, "GK-S-103") == ("fail", "")
    assert [f.severity for f in missing.findings if f.rule_id == "GK-S-103"] == [Severity.ERROR]
    assert Policy().report_failed(missing)  # a report without its table never passes

    result = check(unread(clean_doc, "/tables/requests", notices=[{**TABLE_UNREAD, "values": {}}]))
    for rule_id in ("GK-S-103", "GK-T3-001", "GK-T3-010", "GK-V-001"):
        assert outcome(result, rule_id) == ("not_assessable", "unread"), rule_id
    assert result.findings == ()
    assert "但整张表未能读出" in result.notices[0].message.zh


def test_what_is_really_absent_is_still_reported_beside_what_was_not_read(clean_doc: Doc) -> None:
    # part 五 was not read, part 六 is really absent: only 六 is reported
    doc = unread(clean_doc, "/sections/problems")
    del doc["sections"]["other"]
    result = check(doc)
    assert outcome(result, "GK-S-001")[0] == "fail"
    assert [f.pointer for f in result.findings if f.rule_id == "GK-S-001"] == ["/sections/other"]
    # one row not read, another row really absent: cell_present fails on the absent row only
    doc = unread(clean_doc, ROW)
    del doc["tables"]["requests"]["withheld"]["prohibited_by_law"]
    result = check(doc)
    assert [f.pointer for f in result.findings if f.rule_id == "GK-T3-001"] == [
        "/tables/requests/withheld/prohibited_by_law"]
    # a blank cell is blank whatever else the table holds
    doc = unread(clean_doc, ROW)
    doc["tables"]["requests"]["granted"]["research"] = None
    result = check(doc)
    assert [f.pointer for f in result.findings if f.rule_id == "GK-V-001"] == ["/tables/requests/granted"]


def test_unread_cells_make_the_arithmetic_not_assessable(clean_doc: Doc) -> None:
    result = check(unread(clean_doc, "/tables/requests/new/total", "/tables/requests/new/research"))
    assert outcome(result, "GK-T3-010") == ("not_assessable", "unread")
    assert outcome(result, "GK-T3-011") == ("not_assessable", "unread")
    assert outcome(result, "GK-T3-001") == ("not_assessable", "unread")
    assert result.findings == ()
    # without a notice from the reader, the unread cells still get one, and the report cannot pass
    [n] = result.notices
    assert (n.code, n.target) == ("table-unread", "/tables/requests") and "其中 2 个单元格未能读出" in n.message.zh
    assert Policy().report_failed(result)
    [whole] = check(unread(clean_doc, "/tables/appeals")).notices
    assert (whole.target, "但整张表未能读出" in whole.message.zh) == ("/tables/appeals", True)


def test_a_value_the_user_filled_in_wins(clean_doc: Doc) -> None:
    doc = copy.deepcopy(clean_doc)
    doc["reading"] = {"unread": [ROW, "/sections/problems"], "notices": [TABLE_UNREAD]}
    result = check(doc)
    assert outcome(result, "GK-T3-001") == ("pass", "")
    assert outcome(result, "GK-S-001") == ("pass", "")
    # a filled-in row with a blank cell is checked normally
    doc["tables"]["requests"]["withheld"]["state_secret"]["commercial"] = None
    result = check(doc)
    assert [f.pointer for f in result.findings if f.rule_id == "GK-V-001"] == [ROW]
    # a row listed as unread is a row read in part: a cell absent under it was not read (not missing);
    # a cell outside any unread place is missing
    del doc["tables"]["requests"]["withheld"]["state_secret"]["commercial"]
    result = check(doc)
    assert outcome(result, "GK-T3-001") == ("not_assessable", "unread")
    del doc["tables"]["requests"]["withheld"]["prohibited_by_law"]["commercial"]
    result = check(doc)
    assert outcome(result, "GK-T3-001") == ("fail", "")
    assert any("缺少" in m and "列" in m for m in messages(result, "GK-T3-001"))


# --------------------------------------------------------------------------- derived


def test_derived_cells_leave_the_equalities_undecided(clean_doc: Doc) -> None:
    derived = ["/tables/requests/total/total", "/tables/requests/carried_over/total"]
    doc = copy.deepcopy(clean_doc)
    doc["reading"] = {"derived": derived, "notices": [
        {"code": "cells-derived", "target": "/tables/requests", "values": {"count": 2, "sample": "640020470"}}]}
    result = check(doc)
    for rule_id in ("GK-T3-010", "GK-T3-011", "GK-T3-012"):
        assert outcome(result, rule_id) == ("not_assessable", "derived"), rule_id
    assert outcome(result, "GK-T3-013") == ("pass", "")  # an inequality uses derived cells normally
    assert outcome(result, "GK-V-002") == ("pass", "")
    assert outcome(result, "GK-T4-010") == ("pass", "")
    assert "640020470" in result.notices[0].message.zh
    # a wrong split cannot show as a balance error, but a broken column that was read still does
    doc["tables"]["requests"]["total"]["total"] += 5
    doc["tables"]["requests"]["new"]["research"] += 1
    doc["tables"]["requests"]["new"]["total"] += 1
    result = check(doc)
    assert [f.values["col"] for f in result.findings if f.rule_id == "GK-T3-010"] == ["research"]


# --------------------------------------------------------------------------- coverage, grade, verdict


def test_coverage_and_withheld_grade() -> None:
    W = Severity.WARNING
    six = score([("准确性", W, 1, Outcome.PASS)] * 6 + [("准确性", W, 1, Outcome.NOT_ASSESSABLE)] * 4)
    assert six.coverage == (6, 10, 0.6) and six.grade == "优秀"
    five = score([("准确性", W, 1, Outcome.PASS)] * 5 + [("准确性", W, 1, Outcome.NOT_ASSESSABLE)] * 5
                 + [("准确性", W, 1, Outcome.NOT_APPLICABLE)] * 9)
    assert five.coverage == (5, 10, 0.5) and five.grade == WITHHELD and five.overall == 100.0
    waived = score([("准确性", W, 1, Outcome.WAIVED)] * 3 + [("准确性", W, 1, Outcome.PASS)] * 3
                   + [("规范性", W, 1, Outcome.NOT_ASSESSABLE)] * 4)
    assert waived.coverage.decided == 6 and waived.grade == "优秀"
    # a category with no decided rule has no score
    assert {c.category: c.score for c in waived.categories}["规范性"] is None
    assert score([("准确性", W, 1, Outcome.NOT_APPLICABLE)]).coverage == (0, 0, None)


def test_a_report_with_little_read_is_not_graded(clean_doc: Doc) -> None:
    doc = unread(clean_doc, "/tables/requests", "/tables/appeals", "/tables/proactive", "/sections/problems",
                 "/sections/other", notices=[TABLE_UNREAD])
    result = check(doc)
    assert result.findings == ()
    assert result.coverage.ratio is not None and result.coverage.ratio < 0.6
    assert result.score.grade == WITHHELD and result.score.overall == 100.0
    assert Policy().report_failed(result)


def test_unread_table_or_cut_text_never_passes(clean_doc: Doc) -> None:
    doc = copy.deepcopy(clean_doc)
    doc["reading"] = {"notices": [{"code": "year-inferred", "target": "/year",
                                   "values": {"year": 2024, "evidence": "2024年"}}]}
    assert not Policy().report_failed(check(doc))  # a notice alone costs nothing
    for code, reason in (("table-unread", "表格未能完整读取，无法判定"), ("text-incomplete", "文本可能不完整，无法判定")):
        doc["reading"] = {"notices": [{"code": code, "target": "/tables/requests" if code == "table-unread" else ""}]}
        result = check(doc)
        assert result.findings == () and result.score.overall == 100.0
        assert Policy().report_failed(result)
        assert [r.zh for r in undecided_reasons(result)] == [reason]


def test_notices_never_cost_points(clean_doc: Doc) -> None:
    defective = load_defective()
    plain = check(defective)
    with_notices = copy.deepcopy(defective)
    with_notices["reading"] = {"unread": [ROW + "/total", "/title"], "derived": [],
                               "notices": [TABLE_UNREAD, {"code": "text-incomplete", "target": ""}]}
    result = check(with_notices)
    assert result.score == plain.score
    assert [o for o in result.outcomes] == [o for o in plain.outcomes]


def load_defective() -> Doc:
    return json.loads((ROOT / "examples" / "defective-report-2024.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the catalogue


def test_notice_messages() -> None:
    cut = notice({"code": "text-incomplete", "target": "",
                  "values": {"last": "我们将进一步加强政府信息公开工作", "parts": ["appeals", "problems", "other"]}})
    assert cut.message.zh == ("文本可能不完整：在“我们将进一步加强政府信息公开工作”处中断，其后的第四、五、六部分未出现；"
                              "缺少这些部分的检查记为“无法判断”。")
    assert cut.message.en.startswith("The text may be incomplete: it breaks off at")
    year = notice({"code": "year-inferred", "target": "/year", "values": {"year": "2022", "evidence": "2022年，我办"}})
    assert year.message.zh == "报告年度（2022）取自正文“2022年，我办”，标题和统计期限中均未写明，请核对；如有误请用 --year 指定。"
    placed = notice({"code": "part-unplaced", "target": "/sections/problems", "location": {"line": 40},
                     "values": {"heading": "五、存在问题及下一步打算"}})
    assert placed.message.zh.startswith("原文第 40 行的标题“五、存在问题及下一步打算”未能对应")
    assert "五、存在的主要问题及改进情况" in placed.message.zh
    derived = notice({"code": "cells-derived", "target": "/tables/appeals", "location": {"page": 3},
                      "values": {"count": 4, "sample": "12030"}})
    assert derived.message.zh.startswith("第四部分表格（政府信息公开行政复议、行政诉讼情况）：原文第 3 页有 4 个单元格")
    # values may be missing or odd: the message is still a sentence
    for code in ("table-unread", "cells-derived", "part-unplaced", "text-incomplete", "year-inferred"):
        bare = notice({"code": code, "target": "", "values": {"count": "x", "rows": 3, "parts": None}})
        assert bare.message.zh and bare.message.en and "{" not in bare.message.zh + bare.message.en
    ordered = reading_notices({"reading": {"notices": [
        {"code": "year-inferred", "target": "/year"}, {"code": "table-unread", "target": "/tables/proactive"},
        {"code": "text-incomplete", "target": ""}]}})
    assert [n.code for n in ordered] == ["text-incomplete", "table-unread", "year-inferred"]


# --------------------------------------------------------------------------- properties

PLACES = sorted({ROW, "/sections/problems", "/sections/other", "/sections/overview", "/tables/requests",
                 "/tables/appeals", "/tables/proactive/fees", "/tables/requests/new",
                 "/tables/appeals/review", "/tables/requests/withheld",
                 *(c.pointer for c in cells() if "2021" in c.formats and c.table != "proactive")})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLACES), min_size=1, max_size=6, unique=True))
def test_nothing_not_read_is_reported(pointers: list[str]) -> None:
    """Whatever is removed and listed as unread, no finding points at or under it, and a clean
    report stays without findings (precision: nothing that was not read is a defect)."""
    base = load_base()
    pointers = [p for p in pointers if not any(p.startswith(q + "/") for q in pointers)]
    result = check(unread(base, *pointers))
    for f in result.findings:
        assert not any(f.pointer == p or f.pointer.startswith(p + "/") for p in pointers), f.message.zh
    assert result.findings == (), [f.message.zh for f in result.findings]
    assert result.score.overall in (100.0, None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLACES), max_size=5, unique=True),
       st.lists(st.sampled_from(["table-unread", "cells-derived", "part-unplaced", "text-incomplete",
                                 "year-inferred"]), max_size=4))
def test_notices_alone_never_change_the_score(pointers: list[str], codes: list[str]) -> None:
    """Notices, and unread pointers at values the document holds, change no outcome and no score."""
    base = load_defective()
    plain = check(base)
    doc = copy.deepcopy(base)
    doc["reading"] = {"unread": [p for p in pointers if _holds(base, p)],
                      "notices": [{"code": c, "target": ""} for c in codes]}
    result = check(doc)
    assert result.score == plain.score
    assert list(result.outcomes) == list(plain.outcomes)
    assert result.findings == plain.findings


@pytest.mark.parametrize("pointer", ["/tables/requests", "/sections/problems", ROW])
def test_frame_marks_unread_cells_only_for_partly_read_documents(clean_doc: Doc, pointer: str) -> None:
    from checker.frame import ABSENT, UNREAD, build_frame, status_col
    frame = build_frame([patch(clean_doc, remove=[pointer]), unread(clean_doc, pointer)])
    status = frame[[status_col(c.id) for c in cells()]].to_numpy()
    assert UNREAD not in status[0]
    under = [j for j, c in enumerate(cells()) if c.pointer.startswith(pointer + "/") and "2021" in c.formats]
    assert all(status[1][j] == UNREAD for j in under)
    assert all(status[0][j] == ABSENT for j in under)


def test_counts_come_from_the_reading_block_when_a_notice_has_none(clean_doc: Doc) -> None:
    doc = unread(clean_doc, "/tables/proactive/normative_documents/issued", "/tables/proactive/normative_documents/repealed",
                 notices=[{"code": "table-unread", "target": "/tables/proactive"},
                          {"code": "cells-derived", "target": "/tables/requests"}],
                 derived=["/tables/requests/new/total", "/tables/requests/total/total", "/tables/appeals/review/total"])
    by_code = {n.code: n for n in check(doc).notices}
    assert "其中 2 个单元格未能读出" in by_code["table-unread"].message.zh
    assert "有 2 个单元格的数字连在一起" in by_code["cells-derived"].message.zh
