"""Valid report documents for the published-form zoo: a seeded generator and a hypothesis strategy.

``make_document(rng)`` builds one realistic report document (``schemas/report.schema.json``):
a fictional agency of some kind and level, a year and its format (2021 format for 2021–2025,
the 2019 trial format for 2019–2020), a publication date, a statistics period, the six parts
with headings as printed and narrative from phrase pools (written for these tests), and the
three tables — mostly internally consistent, sometimes not, with blank cells, text cells
(``/``, ``无``), all-zero tables or 4–6 digit numbers. Some documents carry planted defects:
a missing part, a missing table row, a missing table.

Everything a renderer prints is in the document: ``preamble`` and each section's ``text``
hold the printed paragraphs separated by newlines, in order; a table is printed after its
section's text (or, when the section is missing, where it would stand).

``report_documents()`` is the hypothesis strategy: the structural choices (format, agency
kind, table scale, blanks, defects) are drawn by hypothesis, so they shrink towards the
simple case; the bulk (numbers, phrases) comes from a drawn seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import strategies as st

COLS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")
T3_GROUPS: dict[str, tuple[str, ...]] = {
    "withheld": ("state_secret", "prohibited_by_law", "three_safety_one_stability", "third_party_rights",
                 "internal_affairs", "process_information", "enforcement_files", "administrative_query"),
    "unavailable": ("not_held", "needs_creation", "unclear_after_correction"),
    "not_processed": ("petition_complaint", "duplicate", "publication", "excessive", "confirmation"),
    "other": ("no_correction", "fee_unpaid", "other"),
}
T4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t3_row_paths(fmt: str) -> list[tuple[str, ...]]:
    """The data rows of table 三 in printed order, as key paths under ``tables.requests``."""
    rows: list[tuple[str, ...]] = [("new",), ("carried_in",), ("granted",), ("partially_granted",)]
    for group, keys in T3_GROUPS.items():
        if group == "other" and fmt == "2019":
            rows.append(("other",))
        else:
            rows.extend((group, k) for k in keys)
    return rows + [("total",), ("carried_over",)]


RESULT_ROWS_2021 = [p for p in t3_row_paths("2021") if p not in (("new",), ("carried_in",), ("total",), ("carried_over",))]

# ----------------------------------------------------------------------------- phrase pools (written for the tests)

PLACES = ("青禾", "松岭", "柳塘", "白泽", "安澜", "望川", "清溪", "东岚", "南屏", "丰禾", "石湾", "桐溪", "梅岭",
          "鹤汀", "云杉", "金坪", "长宁", "永泰", "嘉禾", "临泽", "芦溪", "凤台", "宁远", "崇安", "枫林", "鸣沙")
PROVINCES = ("安川", "岭东", "澜西", "禾南", "泽北")
TOWNS = ("城关", "河口", "双溪", "柳林", "石桥", "白沙", "新塘", "青山")
STREETS = ("东街", "城南", "江滨", "新华", "北门", "西湖", "南苑", "桥头")
COUNTY_DEPTS = ("交通运输局", "自然资源局", "市场监督管理局", "生态环境局", "教育局", "卫生健康局", "民政局", "财政局",
                "住房和城乡建设局", "农业农村局", "应急管理局", "司法局", "人力资源和社会保障局", "水利局", "统计局",
                "审计局", "文化广电旅游体育局", "林业局")
PROVINCE_DEPTS = ("交通运输厅", "教育厅", "民政厅", "财政厅", "水利厅", "司法厅", "自然资源厅", "生态环境厅",
                  "住房和城乡建设厅", "农业农村厅")
ZONES = ("经济技术开发区", "高新技术产业开发区", "临港产业园区", "现代农业示范区")

FOCUS = ("财政预决算", "重大建设项目", "乡村振兴", "稳岗就业", "生态环境保护", "安全生产", "义务教育", "医疗卫生",
         "交通出行", "社会救助", "营商环境", "食品药品安全", "防汛抗旱", "公共资源交易")
INTRO = (
    "{year}年，{unit}坚持以人民为中心的发展思想，认真落实《条例》和上级关于政务公开工作的部署要求，持续提升政务公开的质量和实效。",
    "{year}年，{unit}把政务公开作为转变作风、提升治理能力的重要抓手，围绕中心工作稳步推进各项公开任务。",
    "本年度，{unit}按照“公开为常态、不公开为例外”的原则，健全制度机制，规范公开流程，各项工作有序开展。",
)
ACTIVE = (
    "全年通过{portal}主动公开政府信息{n1}条，其中政策文件{n2}件，工作动态{n3}条。",
    "围绕{focus}、{focus2}等重点领域，及时发布相关信息{n1}条，发布政策解读{n4}篇。",
    "召开新闻发布会{n5}场，通过政务新媒体发布信息{n3}条，及时回应社会关切。",
    "在{portal}开设专题专栏{n5}个，集中展示{focus}相关政策和办事指南。",
)
REQUEST_SENTENCES = (
    "全年新收政府信息公开申请{new}件，上年结转{cin}件，办结{done}件，结转下年度继续办理{over}件。",
    "本年度共新收政府信息公开申请{new}件，均在法定期限内予以答复。",
    "规范依申请公开工作流程，做到登记、审核、答复全程留痕。",
    "进一步完善依申请公开受理、交办、答复各环节工作机制，答复文书统一使用规范模板。",
)
MANAGEMENT = (
    "严格落实公开属性源头认定机制，全年对{n6}件公文进行公开属性审查。",
    "动态调整主动公开基本目录，清理过时失效信息{n6}条。",
    "落实信息发布“先审后发”和保密审查制度，全年未发生泄密事件。",
    "对已公开的行政规范性文件进行集中清理，清理结果及时向社会公布。",
)
PLATFORM = (
    "持续优化门户网站政府信息公开专栏，全年调整栏目设置{n5}处。",
    "政务新媒体账号{n5}个全部纳入统一管理，发布内容实行三级审核。",
    "在政务服务大厅设置政务公开专区，配备自助查阅终端{n5}台。",
    "推进政府公报数字化，历年公报均可在线查阅和下载。",
)
OVERSIGHT = (
    "将政务公开工作纳入年度绩效考核，组织业务培训{n5}场，参训{n7}人次。",
    "全年开展社会评议{n5}次，未发生因政务公开工作引起的责任追究情况。",
    "建立政务公开工作督查通报制度，定期通报栏目更新情况，全年未发生责任追究情况。",
)
PROBLEMS = ("部分栏目信息更新不够及时", "政策解读形式较为单一", "基层工作人员业务能力有待提升",
            "依申请公开答复的规范性还需加强", "公开内容的针对性和实用性还不够强", "政务新媒体互动回应不够充分")
MEASURES = ("加强业务培训，提升工作人员能力", "丰富政策解读形式，多用图解和视频", "健全信息发布审核机制",
            "强化平台日常巡查，确保信息及时更新", "规范依申请公开办理流程", "加强对基层政务公开的指导")
OTHER_TEXTS = (
    "本年度未收取政府信息公开信息处理费。",
    "依据《政府信息公开信息处理费管理办法》，本年度共发出收费通知{n8}件，实际收取信息处理费{n9}元。",
    "本年度未收取政府信息公开信息处理费。全年办理人大代表建议{n5}件、政协提案{n4}件，办理结果均已公开。",
    "无。",
)
HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": ("一、总体情况", "一、总体情况", "一、概述"),
    "proactive": ("二、主动公开政府信息情况",),
    "requests": ("三、收到和处理政府信息公开申请情况",),
    "appeals": ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况",
                "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    "problems": ("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
    "other": ("六、其他需要报告的事项", "六、其他需要报告的事项", "六、其他需要报告事项"),
}
PART_HEADINGS = (("（一）主动公开情况", "（一）主动公开政府信息情况"),
                 ("（二）依申请公开情况", "（二）依申请公开政府信息情况"),
                 ("（三）政府信息管理情况",),
                 ("（四）政府信息公开平台建设情况", "（四）平台建设情况"),
                 ("（五）监督保障情况",))
PERIODS = ("本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
           "报告中所列数据统计期限为{y}年1月1日至12月31日。",
           "本年度报告中使用数据统计期限为{y}年1月1日至{y}年12月31日。")
APPEALS_NONE = "本年度未发生政府信息公开行政复议、行政诉讼案件。"

# ----------------------------------------------------------------------------- agency


def _agency(rng: random.Random, kind: str) -> tuple[str, dict[str, Any], str]:
    """(name, agency dict, the word the narrative uses for the body)."""
    place, place2 = rng.sample(PLACES, 2)
    if kind == "county_government":
        return f"{place}县人民政府", {"kind": "government", "level": "county"}, "我县"
    if kind == "district_government":
        return f"{place}市{place2}区人民政府", {"kind": "government", "level": "county"}, "我区"
    if kind == "city_government":
        return f"{place}市人民政府", {"kind": "government", "level": "prefectural"}, "我市"
    if kind == "township":
        return f"{place}县{rng.choice(TOWNS)}镇人民政府", {"kind": "government", "level": "township"}, "我镇"
    if kind == "subdistrict":
        return (f"{place}市{place2}区{rng.choice(STREETS)}街道办事处", {"kind": "subdistrict", "level": "township"},
                "我街道")
    if kind == "county_department":
        return f"{place}县{rng.choice(COUNTY_DEPTS)}", {"kind": "department", "level": "county"}, "我局"
    if kind == "city_department":
        return f"{place}市{rng.choice(COUNTY_DEPTS)}", {"kind": "department", "level": "prefectural"}, "我局"
    if kind == "police_branch":
        return f"{place}市公安局{place2}分局", {"kind": "department", "level": "county"}, "我分局"
    if kind == "provincial_department":
        name = f"{rng.choice(PROVINCES)}省{rng.choice(PROVINCE_DEPTS)}"
        return name, {"kind": "department", "level": "provincial"}, "我厅"
    if kind == "zone":
        return f"{place}{rng.choice(ZONES)}管理委员会", {"kind": "department"}, "我委"
    if kind == "office":
        return f"{place}县人民政府办公室", {"kind": "office", "level": "county"}, "县政府办公室"
    raise ValueError(kind)


AGENCY_KINDS = ("county_government", "county_department", "township", "subdistrict", "city_department",
                "district_government", "city_government", "police_branch", "provincial_department", "zone", "office")
AGENCY_WEIGHTS = (5, 6, 3, 2, 3, 2, 1, 1, 1, 1, 1)

# ----------------------------------------------------------------------------- tables


def _requests(rng: random.Random, fmt: str, scale: str) -> dict[str, Any]:
    """Table 三, consistent by construction."""
    cap = {"zero": 0, "small": 3, "medium": 40, "large": 3000, "huge": 60000}[scale]
    share = {"natural_person": 0.8, "commercial": 0.35, "research": 0.1, "public_interest": 0.1,
             "legal_services": 0.25, "other_org": 0.15}
    col_cap = {c: max(1, cap // (1 if c == "natural_person" else 8)) if cap else 0 for c in COLS}
    busy = {("granted",): 1.0, ("partially_granted",): 0.6, ("unavailable", "not_held"): 0.8,
            ("not_processed", "petition_complaint"): 0.5, ("other", "other"): 0.4, ("other",): 0.5}
    t3: dict[str, Any] = {"note": NOTE}
    results: dict[tuple[str, ...], dict[str, int]] = {}
    for path in t3_row_paths(fmt)[2:-2]:
        weight = busy.get(path, 0.2)
        row = {}
        for c in COLS:
            hit = cap and rng.random() < share[c] * weight
            row[c] = rng.randint(1, max(1, int(col_cap[c] * weight))) if hit else 0
        results[path] = row
    total = {c: sum(r[c] for r in results.values()) for c in COLS}
    small = {"zero": 0, "small": 1, "medium": 3, "large": 40, "huge": 400}[scale]
    over = {c: rng.randint(0, small) if rng.random() < 0.5 else 0 for c in COLS}
    carried_in = {c: rng.randint(0, min(small, total[c] + over[c])) if rng.random() < 0.5 else 0 for c in COLS}
    new = {c: total[c] + over[c] - carried_in[c] for c in COLS}
    rows = {("new",): new, ("carried_in",): carried_in, **results, ("total",): total, ("carried_over",): over}
    for path in t3_row_paths(fmt):
        vals: dict[str, Any] = dict(rows[path])
        vals["total"] = sum(rows[path].values())
        _put(t3, path, vals)
    return t3


def _put(table: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = table
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _get(table: dict[str, Any], path: tuple[str, ...]) -> Any:
    node = table
    for key in path:
        node = node[key]
    return node


def _appeals(rng: random.Random, scale: str) -> dict[str, Any]:
    cap = {"zero": 0, "small": 1, "medium": 3, "large": 20, "huge": 300}[scale]
    out = {}
    for group in T4_GROUPS:
        vals = {k: (rng.randint(0, cap) if cap and rng.random() < 0.4 else 0) for k in T4_COLS[:-1]}
        out[group] = {**vals, "total": sum(vals.values())}
    return out


def _amount(rng: random.Random, high: float) -> float:
    """A money amount with a fractional part (never a whole number)."""
    digits = rng.choice((1, 2, 2, 2, 3, 4))
    value = round(rng.uniform(0.01, high), digits)
    if value == int(value):
        value = round(value + 10 ** -digits * rng.randint(1, 9), digits)
    return value


def _proactive(rng: random.Random, fmt: str, level: str | None, scale: str) -> dict[str, Any]:
    big = scale in ("large", "huge")
    decisions = (lambda hi: rng.randint(0, hi)) if scale != "zero" else (lambda hi: 0)
    if fmt == "2019":
        def items(hi: int) -> dict[str, int]:
            return {"previous": rng.randint(0, 60), "change": rng.choice((0, 0, -1, -3, 1, 2, 5)),
                    "decisions": decisions(hi)}
        made = rng.randint(0, 8)
        return {"regulations": {"made": 0, "published": 0, "total_published": 0},
                "normative_documents": {"made": made, "published": made, "total_published": made + rng.randint(0, 80)},
                "licensing": items(600000 if big else 3000), "other_services": items(500),
                "penalties": items(90000 if big else 800), "coercion": items(60),
                "fees": {"previous": rng.randint(0, 5), "change": rng.choice((0, 0, -1, 1))},
                "procurement": {"projects": rng.randint(0, 30), "amount": _amount(rng, 90000.0 if big else 900.0)}}
    rules = level in ("prefectural", "provincial") and rng.random() < 0.5
    fees: Any = _amount(rng, 5000.0 if big else 300.0) if rng.random() < 0.75 else 0
    return {"regulations": {"issued": rng.randint(1, 6) if rules else 0, "repealed": rng.randint(0, 3) if rules else 0,
                            "in_force": rng.randint(5, 90) if rules else 0},
            "normative_documents": {"issued": rng.randint(0, 30), "repealed": rng.randint(0, 10),
                                    "in_force": rng.randint(0, 300)},
            "licensing": {"decisions": decisions(700000 if big else 5000)},
            "penalties": {"decisions": decisions(120000 if big else 2000)},
            "coercion": {"decisions": decisions(3000 if big else 80)}, "fees": {"amount": fees}}


def _cells(table: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Key paths of every cell of a table dict (the note excluded)."""
    out = []
    for key, value in table.items():
        if key == "note":
            continue
        if isinstance(value, dict):
            out.extend(_cells(value, prefix + (key,)))
        else:
            out.append(prefix + (key,))
    return out


def _unbalance(rng: random.Random, tables: dict[str, Any], fmt: str) -> None:
    """Break one identity of the tables (a typo in the published report)."""
    t3 = tables["requests"]
    kind = rng.choice(("row_total", "column", "result", "t4", "t2"))
    if kind == "row_total":
        row = _get(t3, rng.choice(t3_row_paths(fmt)))
        row["total"] += rng.choice((1, 2, 10))
    elif kind == "column":
        col = rng.choice(COLS)
        t3["new"][col] += 1
        t3["new"]["total"] += 1
    elif kind == "result":
        path = rng.choice(t3_row_paths(fmt)[2:-2])
        row = _get(t3, path)
        row["natural_person"] += 1
        row["total"] += 1
    elif kind == "t4":
        group = tables["appeals"][rng.choice(T4_GROUPS)]
        group["total"] = 0 if group["total"] else rng.randint(1, 3)
    else:
        row = tables["proactive"]["normative_documents"]
        row[next(iter(row))] += 1


def _blanks(rng: random.Random, tables: dict[str, Any], fmt: str, mode: str) -> None:
    """Blank (None) cells: a few, a whole row, or every zero cell of table 三."""
    t3 = tables["requests"]
    if mode == "few":
        for _ in range(rng.randint(1, 4)):
            table = rng.choice(("requests", "requests", "requests", "appeals", "proactive"))
            path = rng.choice(_cells(tables[table]))
            _put(tables[table], path, None)
    elif mode == "row":
        path = rng.choice([("carried_in",), ("carried_over",), *t3_row_paths(fmt)[2:-2]])
        _put(t3, path, {c: None for c in (*COLS, "total")})
    elif mode == "zeros":
        for path in _cells(t3):
            if _get(t3, path) == 0:
                _put(t3, path, None)


def _texts(rng: random.Random, tables: dict[str, Any], fmt: str, mode: str) -> None:
    """Text cells: a few ``/`` or ``无`` where a zero was, or a row of ``/``."""
    if mode == "few":
        zeros = [(t, p) for t in ("requests", "appeals", "proactive") for p in _cells(tables[t])
                 if _get(tables[t], p) == 0]
        for table, path in rng.sample(zeros, min(len(zeros), rng.randint(1, 4))):
            _put(tables[table], path, rng.choice(("/", "/", "无", "-")))
    elif mode == "row":
        if fmt == "2021" and rng.random() < 0.5:
            tables["proactive"]["regulations"] = {"issued": "/", "repealed": "/", "in_force": "/"}
        else:
            path = rng.choice(t3_row_paths(fmt)[2:-2])
            _put(tables["requests"], path, {c: "/" for c in (*COLS, "total")})


# ----------------------------------------------------------------------------- narrative


def _fill(rng: random.Random, template: str, nums: dict[str, Any]) -> str:
    focus, focus2 = rng.sample(FOCUS, 2)
    return template.format(focus=focus, focus2=focus2, **nums)


def _overview(rng: random.Random, year: int, unit: str, tables: dict[str, Any], kind: str) -> dict[str, Any]:
    nums = {"year": year, "unit": unit, "portal": rng.choice(("门户网站", "政府网站", "政务公开专栏", "政府信息公开平台")),
            "n1": rng.randint(30, 9000), "n2": rng.randint(1, 200), "n3": rng.randint(10, 3000),
            "n4": rng.randint(1, 60), "n5": rng.randint(1, 12), "n6": rng.randint(10, 900), "n7": rng.randint(20, 600)}
    t3 = tables.get("requests", {})
    totals = {k: t3.get(k, {}).get("total") for k in ("new", "carried_in", "total", "carried_over")}
    request_pool = list(REQUEST_SENTENCES[2:])
    if all(isinstance(v, int) for v in totals.values()):
        nums.update(new=totals["new"], cin=totals["carried_in"], done=totals["total"], over=totals["carried_over"])
        request_pool = list(REQUEST_SENTENCES)
        if totals["new"] == 0:
            request_pool = ["本年度未收到政府信息公开申请。", *REQUEST_SENTENCES[2:]]
    pools = (ACTIVE, request_pool, MANAGEMENT, PLATFORM, OVERSIGHT)
    style = rng.choice(("inline", "inline", "own_line", "plain"))
    paragraphs = []
    if rng.random() < 0.5:
        paragraphs.append(_fill(rng, rng.choice(INTRO), nums))
    parts = []
    for headings, pool in zip(PART_HEADINGS, pools):
        sentences = rng.sample(list(pool), rng.randint(1, min(2, len(pool))))
        if pool is OVERSIGHT and kind in ("government", "office", "subdistrict") and rng.random() < 0.1:
            sentences = ["加强政务公开工作人员队伍建设，明确专人负责信息发布。"]  # no 考核/评议/责任追究 (GK-S-003)
        body = "".join(_fill(rng, s, nums) for s in sentences)
        heading = rng.choice(headings)
        parts.append({"heading": heading, "text": body})
        if style == "inline":
            paragraphs.append(f"{heading}。{body}")
        elif style == "own_line":
            paragraphs += [heading, body]
        else:
            paragraphs.append(body)
    section: dict[str, Any] = {"heading": rng.choice(HEADINGS["overview"]), "text": "\n".join(paragraphs)}
    if style != "plain":
        section["parts"] = parts
    return section


def _problems(rng: random.Random, year: int, unit: str) -> str:
    p1, p2 = rng.sample(PROBLEMS, 2)
    m1, m2 = rng.sample(MEASURES, 2)
    text = rng.choice((f"{year}年，{unit}政府信息公开工作取得一定成效，但仍存在一些不足：一是{p1}；二是{p2}。",
                       f"工作中还存在{p1}、{p2}等问题。"))
    if rng.random() < 0.6:
        text += "针对上年度报告中提出的问题，已逐项完成整改。"
    return text + "\n" + rng.choice((f"下一步，{unit}将{m1}，{m2}，不断提升政务公开工作水平。",
                                     f"改进措施：一是{m1}；二是{m2}。"))


# ----------------------------------------------------------------------------- the document

DEFECTS = ("none", "missing_part", "missing_row", "missing_table")
SCALES = ("small", "zero", "medium", "large", "huge")
BLANK_MODES = ("none", "few", "row", "zeros")
TEXT_MODES = ("none", "few", "row")


def make_document(rng: random.Random, *, fmt: str | None = None, agency_kind: str | None = None,
                  scale: str | None = None, consistent: bool | None = None, blanks: str | None = None,
                  texts: str | None = None, defect: str | None = None) -> dict[str, Any]:
    """One valid report document; choices left None are drawn from ``rng``."""
    fmt = fmt or rng.choices(("2021", "2019"), (4, 1))[0]
    agency_kind = agency_kind or rng.choices(AGENCY_KINDS, AGENCY_WEIGHTS)[0]
    scale = scale or rng.choices(SCALES, (4, 1, 4, 2, 1))[0]
    consistent = rng.random() < 0.8 if consistent is None else consistent
    blanks = blanks or rng.choices(BLANK_MODES, (12, 4, 2, 2))[0]
    texts = texts or rng.choices(TEXT_MODES, (16, 3, 1))[0]
    defect = defect or rng.choices(DEFECTS, (7, 1, 1, 1))[0]

    name, agency_attrs, unit = _agency(rng, agency_kind)
    year = rng.randint(2021, 2025) if fmt == "2021" else rng.randint(2019, 2020)
    title = rng.choices((f"{name}{year}年政府信息公开工作年度报告", f"{name}{year}年度政府信息公开工作年度报告",
                         f"{year}年{name}政府信息公开工作年度报告"), (6, 2, 1))[0]
    kind = agency_attrs["kind"]
    deadline = dt.date(year + 1, 1, 31) if kind == "department" else dt.date(year + 1, 3, 31)
    roll = rng.random()
    if roll < 0.08:
        published = None
    elif roll < 0.2:
        published = dt.date(year + 1, rng.randint(4, 11), rng.randint(1, 28)).isoformat()
    else:
        published = (deadline - dt.timedelta(days=rng.randint(0, (deadline - dt.date(year + 1, 1, 5)).days))).isoformat()

    level = agency_attrs.get("level")
    tables: dict[str, Any] = {"proactive": _proactive(rng, fmt, level, scale), "requests": _requests(rng, fmt, scale),
                              "appeals": _appeals(rng, scale)}
    if not consistent:
        _unbalance(rng, tables, fmt)
    _blanks(rng, tables, fmt, blanks)
    _texts(rng, tables, fmt, texts)

    sections: dict[str, Any] = {"overview": _overview(rng, year, unit, tables, kind)}
    for key in SECTION_KEYS[1:4]:
        sections[key] = {"heading": rng.choice(HEADINGS[key]), "text": ""}
    sections["problems"] = {"heading": rng.choice(HEADINGS["problems"]), "text": _problems(rng, year, unit)}
    other_nums = {"n4": rng.randint(1, 40), "n5": rng.randint(1, 60), "n8": rng.randint(1, 5),
                  "n9": rng.choice((100, 200, 380, 500, 1120))}
    sections["other"] = {"heading": rng.choice(HEADINGS["other"]), "text": rng.choice(OTHER_TEXTS).format(**other_nums)}

    if defect == "missing_part":
        sections.pop(rng.choices(("problems", "other", "overview", "appeals"), (4, 4, 1, 1))[0])
    elif defect == "missing_row":
        table = rng.choice(("requests", "requests", "proactive"))
        if table == "requests":
            path = rng.choice([p for p in t3_row_paths(fmt) if len(p) == 2 or p == ("carried_in",)])
            parent = _get(tables["requests"], path[:-1]) if len(path) == 2 else tables["requests"]
            del parent[path[-1]]
        else:
            del tables["proactive"][rng.choice(("coercion", "penalties", "regulations"))]
    elif defect == "missing_table":
        key = rng.choice(("appeals", "appeals", "proactive"))
        del tables[key]
        if key == "appeals":
            sections["appeals"]["text"] = APPEALS_NONE
        else:
            sections["proactive"]["text"] = "本年度主动公开政府信息的数量详见门户网站政府信息公开专栏。"
    for position, key in enumerate(k for k in SECTION_KEYS if k in sections):
        sections[key]["position"] = position

    period_text = rng.choice(PERIODS).format(y=year) if rng.random() < 0.92 else None
    preamble = [f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级有关要求，由{name}编制。"]
    if all(k in sections for k in SECTION_KEYS) and rng.random() < 0.5:
        preamble.append("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和"
                        "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。")
    if period_text:
        preamble.append(period_text)
    if rng.random() < 0.4:
        preamble.append(f"如对本报告有疑问，请与{name}办公室联系（电话：0{rng.randint(310, 999)}-"
                        f"{rng.randint(2000000, 8999999)}）。")
    if rng.random() < 0.3:
        preamble = ["".join(preamble)]

    doc: dict[str, Any] = {
        "schema_version": "1.0",
        "title": title,
        "agency": {"name": name, **agency_attrs},
        "year": year,
        "format": fmt,
        "preamble": "\n".join(preamble),
        "sections": sections,
        "tables": tables,
    }
    if published:
        doc["published"] = published
    if period_text:
        doc["period"] = {"text": period_text, "start": f"{year}-01-01", "end": f"{year}-12-31"}
    return doc


@st.composite
def report_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Hypothesis strategy of valid report documents (choices shrink towards a plain 2021 report)."""
    choices = {  # repeated entries weight the plain cases
        "fmt": draw(st.sampled_from(("2021", "2021", "2019"))),
        "agency_kind": draw(st.sampled_from(AGENCY_KINDS)),
        "scale": draw(st.sampled_from(("small", *SCALES))),
        "consistent": draw(st.booleans().map(lambda b: not b)),
        "blanks": draw(st.sampled_from(("none", *BLANK_MODES))),
        "texts": draw(st.sampled_from(("none", *TEXT_MODES))),
        "defect": draw(st.sampled_from(("none", *DEFECTS))),
    }
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return make_document(random.Random(seed), **choices)


def cell_text(value: Any, *, signed: bool = False) -> str:
    """A cell as printed: blank for None, ``+3`` for a positive change when ``signed``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if signed and isinstance(value, int) and value > 0:
        return f"+{value}"
    return str(value)
