"""Blind sets: report documents with one planted defect each, and tricky clean documents.

Built the way issue 13's blind set was: a compliant document of some agency kind, level,
year and format (``zoo.documents.make_document`` with consistent tables and no defect,
then made fully compliant), and then either

* one **planted defect** (:data:`PLANTS`): the rules expected to report it are named, and
  the rules allowed to report its side effects; or
* one **tricky clean** variation (:data:`CLEAN`): wordings and values that are compliant
  but easy to misread (all-zero tables, a township without 规章, a report published on the
  last legal day, narrative in Chinese numerals, "共受理17件（含上年结转1件）", a 市政府
  stating both the whole city's figure and its own …). No error may be reported on them,
  and no warning of the rules the variation is about.

Every sentence here is written for these tests. ``blind_set(seed, n)`` gives the documents
with their expectations; :mod:`benchmarks.bench_blind` and ``test_blind.py`` measure recall
and false alarms on them.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from zoo.documents import (
    AGENCY_KINDS,
    COUNTY_DEPTS,
    PLACES,
    STREETS,
    TOWNS,
    ZONES,
    make_document,
)

Doc = dict[str, Any]

FEE_STATEMENT = "本年度未收取政府信息公开信息处理费。"


@dataclass(frozen=True)
class Expectation:
    """What a blind document must produce.

    Attributes:
        kind: the planted defect or clean variation.
        expected: rules of which at least one must report the defect (empty for clean documents).
        allowed: further rules that may report errors (side effects of the plant).
        quiet: rules that must report nothing at all (not even a warning) on this document.
        pending: the rule that should find this defect does not exist yet or is known to miss
            it (issue 13); it is measured and reported, not asserted.
    """

    kind: str
    expected: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    pending: bool = False


# ----------------------------------------------------------------------------- the compliant base

def base_document(rng: random.Random, *, fmt: str | None = None, agency_kind: str | None = None,
                  scale: str | None = None) -> Doc:
    """A compliant document: consistent tables, no blanks, every part and statement present, on time."""
    doc = make_document(rng, fmt=fmt, agency_kind=agency_kind, scale=scale, consistent=True, blanks="none",
                        texts="none", defect="none")
    year = doc["year"]
    kind = doc["agency"]["kind"]
    deadline = dt.date(year + 1, 1, 31) if kind == "department" else dt.date(year + 1, 3, 31)
    doc["published"] = (deadline - dt.timedelta(days=rng.randint(0, 20))).isoformat()
    other = doc["sections"]["other"]
    if "信息处理费" not in other["text"]:
        other["text"] = FEE_STATEMENT + other["text"].replace("无。", "")
    if "period" not in doc:
        text = f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        doc["preamble"] += "\n" + text
        doc["period"] = {"text": text, "start": f"{year}-01-01", "end": f"{year}-12-31"}
    overview = doc["sections"]["overview"]
    if kind in ("government", "office", "subdistrict") and not re.search("考核|评议|追究", overview["text"]):
        extra = "将政务公开工作纳入年度绩效考核，全年未发生责任追究情况。"
        overview["text"] += "\n" + extra
        if overview.get("parts"):
            overview["parts"][-1]["text"] += extra
    return doc


def _t3(doc: Doc) -> dict[str, Any]:
    return doc["tables"]["requests"]


def _new_total(doc: Doc) -> int:
    return int(_t3(doc)["new"]["total"])


def _append(doc: Doc, section: str, sentence: str) -> None:
    sec = doc["sections"][section]
    sec["text"] = (sec["text"] + "\n" + sentence).strip("\n")


def _shift_year(doc: Doc, year: int) -> None:
    """Move a document to another report year (every printed year and date moves with it)."""
    old = doc["year"]
    delta = year - old

    def move(text: str) -> str:
        return re.sub(r"(?<!\d)(20\d\d)(?=年)", lambda m: str(int(m.group(1)) + delta), text)

    doc["year"] = year
    doc["title"] = move(doc["title"])
    doc["preamble"] = move(doc["preamble"])
    for sec in doc["sections"].values():
        sec["text"] = move(sec["text"])
        for part in sec.get("parts", []):
            part["text"] = move(part["text"])
    if "period" in doc:
        doc["period"] = {"text": move(doc["period"]["text"]), "start": f"{year}-01-01", "end": f"{year}-12-31"}
    if doc.get("published"):
        published = dt.date.fromisoformat(doc["published"])
        doc["published"] = published.replace(year=published.year + delta).isoformat()


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """A count in Chinese numerals as reports write them (0 ≤ n < 100000): 17 → 十七, 305 → 三百零五."""
    if n == 0:
        return "零"
    units = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, zero = "", False
    for value, unit in units:
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and not out) else _CN_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


# ----------------------------------------------------------------------------- planted defects

Plant = Callable[[random.Random, Doc], None]


def _t3_column(rng: random.Random, doc: Doc) -> None:
    row = _t3(doc)["carried_over"]
    row["natural_person"] += rng.choice((1, 2, 5))
    row["total"] = sum(v for k, v in row.items() if k != "total")


def _t3_row_total(rng: random.Random, doc: Doc) -> None:
    _t3(doc)["granted"]["total"] += rng.choice((1, 3))


def _t3_results_total(rng: random.Random, doc: Doc) -> None:
    row = _t3(doc)["total"]
    row["commercial"] += 1
    row["total"] += 1


def _t4_total(rng: random.Random, doc: Doc) -> None:
    group = doc["tables"]["appeals"][rng.choice(("review", "litigation_direct"))]
    group["total"] += rng.choice((1, 2))


def _negative(rng: random.Random, doc: Doc) -> None:
    _t3(doc)["partially_granted"]["research"] = -1


def _missing_part(rng: random.Random, doc: Doc) -> None:
    doc["sections"].pop(rng.choice(("problems", "other")))
    for position, sec in enumerate(doc["sections"].values()):
        sec["position"] = position


def _missing_row(rng: random.Random, doc: Doc) -> None:
    group = _t3(doc)["withheld"] if doc["format"] == "2021" else _t3(doc)["unavailable"]
    del group[next(iter(group))]


def _missing_t4(rng: random.Random, doc: Doc) -> None:
    del doc["tables"]["appeals"]


def _old_layout(rng: random.Random, doc: Doc) -> None:
    _shift_year(doc, rng.randint(2022, 2025))  # a 2019-format document published for a 2021-format year


def _late(rng: random.Random, doc: Doc) -> None:
    year = doc["year"]
    if doc["agency"]["kind"] == "department":
        doc["published"] = dt.date(year + 1, 2, rng.randint(1, 28)).isoformat()
    else:
        doc["published"] = dt.date(year + 1, rng.randint(4, 9), rng.randint(1, 28)).isoformat()


def _period_year(rng: random.Random, doc: Doc) -> None:
    year = doc["year"]
    text = f"本报告所列数据的统计期限自{year - 1}年1月1日起至{year - 1}年12月31日止。"
    doc["preamble"] = doc["preamble"].replace(doc["period"]["text"], text)
    doc["period"] = {"text": text, "start": f"{year - 1}-01-01", "end": f"{year - 1}-12-31"}


def _placeholder(rng: random.Random, doc: Doc) -> None:
    _append(doc, "problems", rng.choice(("下一步，XX局将进一步加强信息发布审核。", "联系电话：××××-××××××××。")))


def _old_tiaoli(rng: random.Random, doc: Doc) -> None:
    doc["preamble"] = ("本报告根据《中华人民共和国政府信息公开条例》（国务院令第492号）要求编制。\n"
                       + doc["preamble"])


def _no_problems(rng: random.Random, doc: Doc) -> None:
    doc["sections"]["problems"]["text"] = rng.choice((
        "本年度政府信息公开工作运行平稳。下一步，将继续做好政府信息公开各项工作。",
        "下一步，我们将继续深化政务公开，推动各项工作再上新台阶。",
    ))


def _no_fee(rng: random.Random, doc: Doc) -> None:
    doc["sections"]["other"]["text"] = "全年办理人大代表建议5件、政协提案3件，办理结果均已公开。"


def _no_oversight(rng: random.Random, doc: Doc) -> None:
    pattern = re.compile(r"[^。\n]*(考核|评议|追究|督查|监督)[^。\n]*。")
    overview = doc["sections"]["overview"]
    overview["text"] = pattern.sub("", overview["text"])
    for part in overview.get("parts", []):
        part["text"] = pattern.sub("", part["text"]) or "明确专人负责政务公开工作。"


def _narrative_requests(rng: random.Random, doc: Doc) -> None:
    stated = _new_total(doc) + rng.choice((3, 7, 12))
    _append(doc, "requests", f"本年度共新收政府信息公开申请{stated}件。")


def _narrative_appeals(rng: random.Random, doc: Doc) -> None:
    stated = int(doc["tables"]["appeals"]["review"]["total"]) + rng.choice((2, 4))
    _append(doc, "appeals", f"本年度因政府信息公开被申请行政复议{stated}件。")


# Defects the rules of issue 13 find (GK-S-009 title year, GK-N-008 another body, GK-S-006 garbled period,
# GK-X-006 narrative parts, GK-X-001/005 row wordings, GK-X-002 outcome claims).

def _title_year(rng: random.Random, doc: Doc) -> None:
    year = doc["year"]
    doc["title"] = doc["title"].replace(f"{year}年", f"{year - 1}年", 1)


# A body of the same kind as a government's, township's or subdistrict's, in a sibling place:
# (pattern of the publishing body's name, the pool its varying place is drawn from, the sibling's name).
_SIBLINGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (r"^(?P<up>.+?县)(?P<own>.+?)镇人民政府$", TOWNS, "{up}{other}镇人民政府"),
    (r"^(?P<up>.+?区)(?P<own>.+?)街道办事处$", STREETS, "{up}{other}街道办事处"),
    (r"^(?P<up>.+?市)(?P<own>.+?)区人民政府$", PLACES, "{up}{other}区人民政府"),
    (r"^(?P<up>)(?P<own>.+?)县人民政府(?:办公室)?$", PLACES, "{other}县人民政府"),
    (r"^(?P<up>)(?P<own>.+?)市人民政府$", PLACES, "{other}市人民政府"),
    (r"^(?P<up>)(?P<own>.+?)(?P<zone>" + "|".join(ZONES) + ")管理委员会$", PLACES, "{other}{zone}管理委员会"),
)


def _other_body(rng: random.Random, doc: Doc) -> None:
    """A sibling body left as the subject of part 五: for a department another department of its place,
    for a government (or its office), a zone's committee, a township or a subdistrict another one of its
    kind next to it (a government's own departments are named legitimately in its report)."""
    name = doc["agency"]["name"]
    body = None
    if doc["agency"]["kind"] != "department" or name.endswith("管理委员会"):
        for pattern, pool, sibling in _SIBLINGS:
            found = re.match(pattern, name)
            if found:
                other = rng.choice([p for p in pool if p != found.group("own") and p not in name])
                body = sibling.format(**found.groupdict(), other=other)
                break
    if body is None:
        place = re.match(r"(.+?[省市县])", name)
        prefix = place.group(1) if place else "青禾县"
        body = prefix + next(d for d in COUNTY_DEPTS if d not in name)
    _append(doc, "problems", f"下一步，{body}将继续加强政务公开队伍建设。")


def _garbled_period(rng: random.Random, doc: Doc) -> None:
    year = doc["year"]
    text = rng.choice((f"本报告所列数据的统计期限自{year}11日起至{year}1230日止。",
                       f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月21日止。"))
    doc["preamble"] = doc["preamble"].replace(doc["period"]["text"], text)
    doc["period"] = {"text": text}


def _narrative_parts(rng: random.Random, doc: Doc) -> None:
    parts = [rng.randint(100, 2000) for _ in range(3)]
    _append(doc, "proactive", f"全年主动公开政府信息{sum(parts) + rng.choice((50, 300))}条，其中政策文件{parts[0]}条、"
                              f"工作动态{parts[1]}条、通知公告{parts[2]}条。")


def _row_wording(rng: random.Random, doc: Doc) -> None:
    t3 = _t3(doc)
    wording = rng.choice((("本年新收政府信息公开申请{}件", t3["new"]["total"]),
                          ("办理结果总计{}件", t3["total"]["total"]),
                          ("结转下年度继续办理{}件", t3["carried_over"]["total"])))
    _append(doc, "requests", wording[0].format(int(wording[1]) + 1) + "。")


def _outcome_claim(rng: random.Random, doc: Doc) -> None:
    review = doc["tables"]["appeals"]["review"]
    review["corrected"] += 1
    review["total"] += 1
    _append(doc, "appeals", "行政复议案件均获维持，未发生被纠错的情况。")


def _problems_none(rng: random.Random, doc: Doc) -> None:
    doc["sections"]["problems"]["text"] = rng.choice(("暂无问题。", "无。", "无", "暂无", "没有发现问题。",
                                                      "（一）存在的主要问题\n暂无。\n（二）改进情况\n无。"))


_NARRATIVE_REQUESTS = frozenset({"GK-X-001", "GK-X-005"})
# A changed cell of table 三 breaks its identities, and the narrative that quotes the cell.
_T3 = frozenset({"GK-T3-010", "GK-T3-011", "GK-T3-012", "GK-T3-013"}) | _NARRATIVE_REQUESTS

PLANTS: dict[str, tuple[Plant, Expectation]] = {
    "t3-column": (_t3_column, Expectation("t3-column", frozenset({"GK-T3-010"}), _T3)),
    "t3-row-total": (_t3_row_total, Expectation("t3-row-total", frozenset({"GK-T3-011"}), _T3)),
    "t3-results-total": (_t3_results_total, Expectation("t3-results-total", frozenset({"GK-T3-012"}), _T3)),
    "t4-total": (_t4_total, Expectation("t4-total", frozenset({"GK-T4-010"}), frozenset({"GK-X-002"}))),
    "negative": (_negative, Expectation("negative", frozenset({"GK-V-002"}), _T3)),
    "missing-part": (_missing_part, Expectation("missing-part", frozenset({"GK-S-001"}))),
    "missing-row": (_missing_row, Expectation("missing-row", frozenset({"GK-T3-001", "GK-L3-001"}), _T3)),
    "missing-t4": (_missing_t4, Expectation("missing-t4", frozenset({"GK-T4-001", "GK-S-103"}))),
    "old-layout": (_old_layout, Expectation("old-layout", frozenset({"GK-S-102"}))),
    "late": (_late, Expectation("late", frozenset({"GK-D-001", "GK-D-002"}))),
    "period-year": (_period_year, Expectation("period-year", frozenset({"GK-S-006"}))),
    "placeholder": (_placeholder, Expectation("placeholder", frozenset({"GK-N-005"}))),
    "old-tiaoli": (_old_tiaoli, Expectation("old-tiaoli", frozenset({"GK-S-007"}))),
    "no-problems": (_no_problems, Expectation("no-problems", frozenset({"GK-N-002"}))),
    "no-fee": (_no_fee, Expectation("no-fee", frozenset({"GK-N-001"}), frozenset({"GK-T3-014"}))),
    "narrative-requests": (_narrative_requests, Expectation("narrative-requests", _NARRATIVE_REQUESTS)),
    "narrative-appeals": (_narrative_appeals, Expectation("narrative-appeals", frozenset({"GK-X-002"}))),
    # issue 13
    "title-year": (_title_year, Expectation("title-year", frozenset({"GK-S-009"}))),
    "other-body": (_other_body, Expectation("other-body", frozenset({"GK-N-008"}))),
    "garbled-period": (_garbled_period, Expectation("garbled-period", frozenset({"GK-S-006"}))),
    "narrative-parts": (_narrative_parts, Expectation("narrative-parts", frozenset({"GK-X-006"}))),
    "row-wording": (_row_wording, Expectation("row-wording", _NARRATIVE_REQUESTS)),
    "outcome-claim": (_outcome_claim, Expectation("outcome-claim", frozenset({"GK-X-002"}), frozenset({"GK-T4-010"}))),
    "problems-none": (_problems_none, Expectation("problems-none", frozenset({"GK-N-002", "GK-N-004"}))),
}

#: Plants that only make sense for some documents.
_PLANT_NEEDS: dict[str, Callable[[Doc], bool]] = {
    "old-layout": lambda d: d["format"] == "2019",
    "late": lambda d: d["agency"]["kind"] in ("department", "government") and d["agency"].get("level") not in (None, "township"),
    "no-fee": lambda d: d["year"] >= 2021,
    "no-oversight": lambda d: d["agency"]["kind"] in ("government", "office"),
    "narrative-appeals": lambda d: d["format"] == "2021",
    "t3-results-total": lambda d: d["format"] == "2021",
}
PLANTS["no-oversight"] = (_no_oversight, Expectation("no-oversight", frozenset({"GK-S-003"})))


# Issue 13, tables: a whole table left blank is one finding (GK-V-001 at the table); a （六） row written
# as one row in a 2021-format table is GK-T3-002's (never GK-S-102's).

def _t3_blank(rng: random.Random, doc: Doc) -> None:
    def blank(node: dict[str, Any]) -> None:
        for key, child in node.items():
            if isinstance(child, dict):
                blank(child)
            elif key != "note":
                node[key] = None
    blank(_t3(doc))


def _single_other_row(rng: random.Random, doc: Doc) -> None:
    other = _t3(doc)["other"]
    columns = next(iter(other.values())).keys()
    _t3(doc)["other"] = {c: sum(int(row[c]) for row in other.values()) for c in columns}


PLANTS["t3-blank"] = (_t3_blank, Expectation("t3-blank", frozenset({"GK-V-001"})))
PLANTS["single-other-row"] = (_single_other_row, Expectation("single-other-row", frozenset({"GK-T3-002"}),
                                                             quiet=frozenset({"GK-S-102"})))
_PLANT_NEEDS["single-other-row"] = lambda d: d["format"] == "2021"


# ----------------------------------------------------------------------------- tricky clean documents

def _all_zero(rng: random.Random, doc: Doc) -> None:
    fresh = base_document(rng, fmt=doc["format"], scale="zero")
    doc.clear()
    doc.update(fresh)


def _township_no_rules(rng: random.Random, doc: Doc) -> None:
    fresh = base_document(rng, fmt="2021", agency_kind="township")
    doc.clear()
    doc.update(fresh)


def _last_day(rng: random.Random, doc: Doc) -> None:
    year = doc["year"]
    doc["published"] = (dt.date(year + 1, 1, 31) if doc["agency"]["kind"] == "department"
                        else dt.date(year + 1, 3, 31)).isoformat()


def _chinese_numerals(rng: random.Random, doc: Doc) -> None:
    _append(doc, "requests", f"全年新收政府信息公开申请{chinese_number(_new_total(doc))}件，均依法作出答复。")


def _received_with_carried(rng: random.Random, doc: Doc) -> None:
    t3 = _t3(doc)
    received = int(t3["new"]["total"]) + int(t3["carried_in"]["total"])
    _append(doc, "requests", f"全年共受理政府信息公开申请{received}件（含上年结转{int(t3['carried_in']['total'])}件）。")


def _city_and_own(rng: random.Random, doc: Doc) -> None:
    fresh = base_document(rng, fmt="2021", agency_kind="city_government")
    doc.clear()
    doc.update(fresh)
    own = _new_total(doc)
    _append(doc, "requests", f"全市各级行政机关共收到政府信息公开申请{own * 6 + 41}件，其中市政府本级新收{own}件。")


def _fee_wordings(rng: random.Random, doc: Doc) -> None:
    doc["sections"]["other"]["text"] = rng.choice((
        "本年度未收取信息公开处理费。", "政府信息公开未发生收费情况。", "本机关未收取任何政府信息公开信息处理费。",
        "本年度办理政府信息公开申请没有收取任何费用。", "全年信息处理费收取0元。", "全年未产生信息处理费。",
        "本机关依申请公开政府信息不存在收费情况。", "办理申请过程中未向申请人收取费用。",
        "全年共收取信息处理费0.00元。", "本年度发出收费通知1件，共收取信息处理费120元。",
        "严格执行信息处理费有关规定，景区停车收费标准已另行公示；本年度未发生政府信息公开收费事项。"))


def _problems_short(rng: random.Random, doc: Doc) -> None:
    doc["sections"]["problems"]["text"] = rng.choice((
        "信息更新不够及时。下一步将加强审核。", "存在的主要问题：政策解读形式较为单一。改进措施：增加图解解读。",
        "（一）存在的主要问题\n部分栏目更新滞后。\n（二）改进情况\n已建立栏目更新台账，整改到位。"))


def _plain(rng: random.Random, doc: Doc) -> None:
    """The compliant base as it is."""


CLEAN: dict[str, tuple[Plant, Expectation]] = {
    "plain": (_plain, Expectation("plain")),
    "all-zero": (_all_zero, Expectation("all-zero", quiet=frozenset({"GK-V-001"}))),
    "township-no-rules": (_township_no_rules, Expectation("township-no-rules", quiet=frozenset({"GK-T2-004"}))),
    "last-day": (_last_day, Expectation("last-day", quiet=frozenset({"GK-D-001", "GK-D-002", "GK-D-003"}))),
    "chinese-numerals": (_chinese_numerals, Expectation("chinese-numerals", quiet=_NARRATIVE_REQUESTS)),
    "received-with-carried": (_received_with_carried,
                              Expectation("received-with-carried", quiet=_NARRATIVE_REQUESTS)),
    "city-and-own": (_city_and_own, Expectation("city-and-own", quiet=_NARRATIVE_REQUESTS)),
    "fee-wordings": (_fee_wordings, Expectation("fee-wordings", quiet=frozenset({"GK-N-001", "GK-T3-014"}))),
    "problems-short": (_problems_short, Expectation("problems-short", quiet=frozenset({"GK-N-002", "GK-N-004"}))),
}


# Issue 13, local rules: a long overview is no concern outside the place whose local rule asks for
# brevity (Wuwei's GK-N-006 is off unless configured).

def _long_overview(rng: random.Random, doc: Doc) -> None:
    overview = doc["sections"]["overview"]
    overview["text"] += "\n" + "全年持续推进政务公开标准化规范化建设，围绕重点领域加大信息发布力度，" * 50


CLEAN["long-overview"] = (_long_overview, Expectation("long-overview", quiet=frozenset({"GK-N-006"})))


def blind_set(seed: int, per_kind: int) -> Iterator[tuple[Doc, Expectation]]:
    """``per_kind`` documents of every planted defect and every clean variation, reproducible from ``seed``."""
    rng = random.Random(seed)
    for table, clean in ((PLANTS, False), (CLEAN, True)):
        for name, (plant, expectation) in table.items():
            made = 0
            for _ in range(per_kind * 20):
                if made == per_kind:
                    break
                kind = rng.choice(AGENCY_KINDS)
                fmt = "2019" if name == "old-layout" else rng.choice(("2021", "2021", "2021", "2019"))
                doc = base_document(rng, fmt=fmt, agency_kind=kind)
                if not clean and not _PLANT_NEEDS.get(name, lambda d: True)(doc):
                    continue
                plant(rng, doc)
                made += 1
                yield copy.deepcopy(doc), expectation
