"""Generate realistic synthetic report documents for benchmarks (no real report text is used).

Reports vary in agency (kind, level, fictional names), year, publication date, table
numbers (internally consistent by construction) and narrative (sentences assembled from
phrase pools with the report's own numbers). A controlled share of reports gets one or
more typical defects: broken balance, blank cells, a missing part, the old table format,
late publication, template placeholders.

    python benchmarks/generate.py 1000 -o /tmp/reports.jsonl --defects 0.3 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]
GROUPS = {
    "withheld": ["state_secret", "prohibited_by_law", "three_safety_one_stability", "third_party_rights",
                 "internal_affairs", "process_information", "enforcement_files", "administrative_query"],
    "unavailable": ["not_held", "needs_creation", "unclear_after_correction"],
    "not_processed": ["petition_complaint", "duplicate", "publication", "excessive", "confirmation"],
    "other": ["no_correction", "fee_unpaid", "other"],
}
PLACES = ["青禾", "松岭", "云溪", "白石", "临川", "安平", "望江", "清源", "东泽", "南屏", "丰乐", "新桥"]
DEPTS = ["自然资源局", "交通运输局", "市场监督管理局", "生态环境局", "教育局", "卫生健康委员会", "民政局",
         "财政局", "住房和城乡建设局", "农业农村局", "应急管理局", "司法局"]
LEVEL_SUFFIX = {"county": "县", "prefectural": "市", "provincial": "省"}
OPENERS = ["本年度", "全年", "{year}年，我{unit}"]
ACTIVE = ["通过门户网站主动公开政府信息{n1}条，发布政策解读{n2}篇。", "在政务新媒体发布信息{n1}条，召开新闻发布会{n3}场。",
          "重点公开财政预决算、重大项目等领域信息{n1}条。"]
PLATFORM = ["优化政府信息公开专栏，新设专题栏目{n3}个。", "政务新媒体账号{n3}个全部纳入统一管理。"]
OVERSIGHT = ["将政务公开纳入年度绩效考核，组织培训{n3}场；未发生责任追究情况。",
             "开展社会评议{n3}次，全年未发生因政务公开引起的责任追究。"]
PROBLEMS = ["存在的问题：一是部分信息更新不够及时；二是解读形式较为单一。", "工作中仍有不足，基层公开的规范化水平有待提高。"]
MEASURES = ["针对上年度报告提出的问题，已完成整改。下一步将加强审核把关，丰富解读形式。",
            "上年度问题已整改到位。下一步，我们将完善制度，提升公开质量。"]


def _row(rng: random.Random, scale: int) -> dict[str, int]:
    vals = {c: (rng.randint(0, scale) if rng.random() < 0.35 else 0) for c in COLS}
    vals["total"] = sum(vals.values())
    return vals


def _requests(rng: random.Random, fmt: str) -> dict[str, Any]:
    scale = rng.choice([0, 2, 5, 20, 100])
    t3: dict[str, Any] = {"note": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"}
    rows: dict[str, dict[str, int]] = {"granted": _row(rng, scale), "partially_granted": _row(rng, scale)}
    for group, keys in GROUPS.items():
        if fmt == "2019" and group == "other":
            rows["other"] = _row(rng, scale // 4)
            t3["other"] = rows["other"]
            continue
        t3[group] = {}
        for k in keys:
            rows[f"{group}.{k}"] = t3[group][k] = _row(rng, scale // 4)
    t3["granted"], t3["partially_granted"] = rows["granted"], rows["partially_granted"]
    total = {c: sum(r[c] for r in rows.values()) for c in [*COLS, "total"]}
    over = {c: rng.randint(0, 2) if scale else 0 for c in COLS}
    over["total"] = sum(over.values())
    carried_in = {c: rng.randint(0, min(2, total[c] + over[c])) for c in COLS}
    carried_in["total"] = sum(carried_in.values())
    new = {c: total[c] + over[c] - carried_in[c] for c in [*COLS, "total"]}
    t3.update({"new": new, "carried_in": carried_in, "total": total, "carried_over": over})
    return t3


def _appeals(rng: random.Random) -> dict[str, Any]:
    out = {}
    for g in ("review", "litigation_direct", "litigation_after_review"):
        vals = {k: rng.choice([0, 0, 0, 1, 2, 5]) for k in ("upheld", "corrected", "other", "pending")}
        out[g] = {**vals, "total": sum(vals.values())}
    return out


def _proactive(rng: random.Random, fmt: str, level: str) -> dict[str, Any]:
    if fmt == "2019":
        def items() -> dict[str, int]:
            return {"previous": rng.randint(0, 50), "change": rng.randint(-3, 5), "decisions": rng.randint(0, 500)}

        return {"regulations": {"made": 0, "published": 0, "total_published": 0},
                "normative_documents": {"made": 2, "published": 2, "total_published": rng.randint(2, 60)},
                "licensing": items(), "other_services": items(), "penalties": items(), "coercion": items(),
                "fees": {"previous": rng.randint(0, 5), "change": 0},
                "procurement": {"projects": rng.randint(0, 20), "amount": round(rng.uniform(0, 900), 1)}}
    rules = level in ("prefectural", "provincial") and rng.random() < 0.3
    return {"regulations": {"issued": 1 if rules else 0, "repealed": 0, "in_force": rng.randint(5, 40) if rules else 0},
            "normative_documents": {"issued": rng.randint(0, 12), "repealed": rng.randint(0, 5),
                                    "in_force": rng.randint(10, 120)},
            "licensing": {"decisions": rng.randint(0, 5000)}, "penalties": {"decisions": rng.randint(0, 800)},
            "coercion": {"decisions": rng.randint(0, 60)}, "fees": {"amount": round(rng.uniform(0, 300), 2)}}


def _narrative(rng: random.Random, year: int, unit: str, t3: dict[str, Any]) -> dict[str, Any]:
    nums = {"n1": rng.randint(50, 5000), "n2": rng.randint(1, 80), "n3": rng.randint(1, 12), "year": year,
            "unit": unit}

    def fill(s: str) -> str:
        return s.format(**nums)

    parts = [
        {"heading": "（一）主动公开情况", "text": fill(rng.choice(OPENERS)) + fill(rng.choice(ACTIVE))},
        {"heading": "（二）依申请公开情况",
         "text": f"全年新收政府信息公开申请{t3['new']['total']}件，办结{t3['total']['total']}件，"
                 f"结转下年度{t3['carried_over']['total']}件。"},
        {"heading": "（三）政府信息管理情况", "text": "落实公开属性源头认定和保密审查制度，规范发布流程。"},
        {"heading": "（四）政府信息公开平台建设情况", "text": fill(rng.choice(PLATFORM))},
        {"heading": "（五）监督保障情况", "text": fill(rng.choice(OVERSIGHT))},
    ]
    return {
        "overview": {"heading": "一、总体情况", "position": 0, "parts": parts,
                     "text": "\n".join(p["heading"] + p["text"] for p in parts)},
        "proactive": {"heading": "二、主动公开政府信息情况", "text": "", "position": 1},
        "requests": {"heading": "三、收到和处理政府信息公开申请情况", "text": "", "position": 2},
        "appeals": {"heading": "四、政府信息公开行政复议、行政诉讼情况", "text": "", "position": 3},
        "problems": {"heading": "五、存在的主要问题及改进情况", "position": 4,
                     "text": rng.choice(PROBLEMS) + rng.choice(MEASURES)},
        "other": {"heading": "六、其他需要报告的事项", "position": 5,
                  "text": f"本年度未收取信息处理费。办理建议提案{nums['n2']}件。"},
    }


def _defect(rng: random.Random, doc: dict[str, Any]) -> None:
    kind = rng.choice(["balance", "blank", "missing", "late", "placeholder", "old_format", "t4"])
    t3 = doc["tables"]["requests"]
    if kind == "balance":
        col = rng.choice(COLS)
        t3["new"][col] += 1
        t3["new"]["total"] += 1
    elif kind == "blank":
        t3["unavailable"]["not_held"][rng.choice(COLS)] = None
    elif kind == "missing":
        doc["sections"].pop(rng.choice(["problems", "other"]), None)
    elif kind == "late":
        doc["published"] = dt.date(doc["year"] + 1, 4, rng.randint(1, 28)).isoformat()
    elif kind == "placeholder":
        doc["title"] = doc["title"].replace(doc["agency"]["name"], "XX局")
    elif kind == "old_format" and doc["format"] == "2021":
        doc["format"] = "2019"
        rng2 = random.Random(rng.random())
        doc["tables"] = {"proactive": _proactive(rng2, "2019", "county"), "requests": _requests(rng2, "2019"),
                         "appeals": doc["tables"]["appeals"]}
    else:
        doc["tables"]["appeals"]["review"]["total"] = 0 if doc["tables"]["appeals"]["review"]["total"] else 3


def report(rng: random.Random, defects: float) -> dict[str, Any]:
    """One synthetic report document."""
    place = rng.choice(PLACES)
    level = rng.choices(["county", "prefectural", "provincial", "township"], [6, 3, 1, 2])[0]
    kind = "government" if rng.random() < 0.25 else ("subdistrict" if level == "township" and rng.random() < 0.5
                                                     else "department")
    if level == "township":
        name = f"{place}县{rng.choice(['城关', '河口', '双溪'])}{'街道办事处' if kind == 'subdistrict' else '镇人民政府'}"
        kind = "subdistrict" if kind == "subdistrict" else "government"
    elif kind == "government":
        name = f"{place}{LEVEL_SUFFIX[level]}人民政府"
    else:
        name = f"{place}{LEVEL_SUFFIX[level]}{rng.choice(DEPTS)}"
    year = rng.randint(2021, 2025)
    deadline = dt.date(year + 1, 1, 31) if kind == "department" else dt.date(year + 1, 3, 31)
    published = deadline - dt.timedelta(days=rng.randint(0, 25))
    t3 = _requests(rng, "2021")
    doc: dict[str, Any] = {
        "schema_version": "1.0",
        "title": f"{name}{year}年政府信息公开工作年度报告",
        "agency": {"name": name, "kind": kind, "level": level},
        "year": year, "published": published.isoformat(), "format": "2021",
        "period": {"text": f"统计期限自{year}年1月1日起至{year}年12月31日止。",
                   "start": f"{year}-01-01", "end": f"{year}-12-31"},
        "preamble": f"本报告由{name}依据《中华人民共和国政府信息公开条例》编制。",
        "sections": _narrative(rng, year, "局" if kind == "department" else "单位", t3),
        "tables": {"proactive": _proactive(rng, "2021", level), "requests": t3, "appeals": _appeals(rng)},
        "source": {"file": "synthetic.json", "url": f"https://www.example.gov.cn/zfxxgk/gknb/{year + 1}/{rng.randint(1, 99999)}.html"},
    }
    if rng.random() < defects:
        for _ in range(rng.choice([1, 1, 2])):
            _defect(rng, doc)
    return doc


def reports(n: int, *, defects: float = 0.3, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``n`` synthetic reports, reproducible for a given seed."""
    rng = random.Random(seed)
    for _ in range(n):
        yield report(rng, defects)


def yearly_series(n: int, *, pair_share: float = 0.5, defects: float = 0.3, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``n`` reports of which about ``pair_share`` follow the same body's report of the year before.

    Every body has a unique name (a numbered 第N 局 of a fictional place), so bodies pair only
    with themselves. A follow-up report carries in exactly what the previous one carried over,
    continues its documents in force, and repeats most of its narrative (a realistic share of
    copied text), so the cross-year rules have both passes and failures to find.
    """
    rng = random.Random(seed)
    made = 0
    body = 0
    while made < n:
        body += 1
        doc = report(rng, defects)
        _rename(doc, _numbered(doc["agency"]["name"], body))
        doc["year"] = min(doc["year"], 2024)
        _set_year(doc, doc["year"])
        yield doc
        made += 1
        if made < n and rng.random() < pair_share / (1 - pair_share + 1e-9) and doc["format"] == "2021":
            yield _next_year(rng, doc, defects)
            made += 1


def _numbered(name: str, body: int) -> str:
    """A unique name for body number ``body`` that name normalisation keeps apart (no brackets):
    青禾市教育局 → 青禾市教育局第7分局, 松岭县人民政府 → 松岭县第7人民政府."""
    for suffix in ("人民政府", "街道办事处"):
        if name.endswith(suffix):
            return f"{name[:-len(suffix)]}第{body}{suffix}"
    return f"{name}第{body}分局"


def _rename(doc: dict[str, Any], name: str) -> None:
    old = doc["agency"]["name"]
    doc["agency"]["name"] = name
    doc["title"] = doc["title"].replace(old, name)
    doc["preamble"] = doc["preamble"].replace(old, name)


def _set_year(doc: dict[str, Any], year: int) -> None:
    doc["title"] = f"{doc['agency']['name']}{year}年政府信息公开工作年度报告"
    doc["period"] = {"text": f"统计期限自{year}年1月1日起至{year}年12月31日止。", "start": f"{year}-01-01",
                     "end": f"{year}-12-31"}
    deadline = dt.date(year + 1, 1, 31) if doc["agency"]["kind"] == "department" else dt.date(year + 1, 3, 31)
    doc["published"] = (deadline - dt.timedelta(days=10)).isoformat()


def _next_year(rng: random.Random, prev: dict[str, Any], defects: float) -> dict[str, Any]:
    doc = json.loads(json.dumps(prev))
    fresh = report(rng, 0.0)
    doc["year"] = prev["year"] + 1
    _set_year(doc, doc["year"])
    t3 = fresh["tables"]["requests"]
    carried = dict(prev["tables"]["requests"]["carried_over"])
    for c in [*COLS, "total"]:
        t3["new"][c] += t3["carried_in"][c] - carried[c]
    if any(v < 0 for v in t3["new"].values()):
        t3["new"] = {c: t3["total"][c] + t3["carried_over"][c] for c in [*COLS, "total"]}
        t3["carried_in"] = {c: 0 for c in [*COLS, "total"]}
    else:
        t3["carried_in"] = carried
    doc["tables"]["requests"] = t3
    p = doc["tables"]["proactive"]
    for row in ("regulations", "normative_documents"):
        issued, repealed = rng.randint(0, 6), rng.randint(0, 3)
        p[row] = {"issued": issued, "repealed": repealed,
                  "in_force": max(prev["tables"]["proactive"][row]["in_force"] + issued - repealed, 0)}
    if rng.random() < 0.5:  # rewritten narrative; otherwise last year's text with new numbers
        doc["sections"] = fresh["sections"]
    if rng.random() < defects:
        doc["tables"]["requests"]["carried_in"]["natural_person"] += 1
        doc["tables"]["requests"]["carried_in"]["total"] += 1
        doc["tables"]["requests"]["new"]["natural_person"] -= 1 if doc["tables"]["requests"]["new"]["natural_person"] else 0
    return doc


def to_text(doc: dict[str, Any]) -> str:
    """The report as text copied from its web page: headings, paragraphs, tables as tab-separated lines."""
    s, t = doc["sections"], doc["tables"]
    out = [doc["title"], "", doc["preamble"] + doc["period"]["text"], ""]
    for key in ("overview", "proactive", "requests", "appeals", "problems", "other"):
        sec = s.get(key)
        if sec is None:
            continue
        out += [sec["heading"], ""]
        if key == "overview":
            out += [p["heading"] + p["text"] for p in sec.get("parts", [])] + [""]
        elif key in t and doc["format"] == "2021":
            out += _TABLE_TEXT[key](t[key]) + [""]
        elif sec.get("text"):
            out += [sec["text"], ""]
    out.append(f"发布日期：{doc['published']}")
    return "\n".join(out) + "\n"


def _t2(p: dict[str, Any]) -> list[str]:
    r, n = p["regulations"], p["normative_documents"]
    return ["第二十条第（一）项\t\t\t", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            f"规章\t{r['issued']}\t{r['repealed']}\t{r['in_force']}",
            f"行政规范性文件\t{n['issued']}\t{n['repealed']}\t{n['in_force']}",
            "第二十条第（五）项\t\t\t", "信息内容\t本年处理决定数量\t\t",
            f"行政许可\t{p['licensing']['decisions']}\t\t", "第二十条第（六）项\t\t\t",
            "信息内容\t本年处理决定数量\t\t", f"行政处罚\t{p['penalties']['decisions']}\t\t",
            f"行政强制\t{p['coercion']['decisions']}\t\t", "第二十条第（八）项\t\t\t",
            "信息内容\t本年收费金额（单位：万元）\t\t", f"行政事业性收费\t{p['fees']['amount']}\t\t"]


_T3_LABELS = [("new", "一、本年新收政府信息公开申请数量\t"), ("carried_in", "二、上年结转政府信息公开申请数量\t"),
              ("granted", "三、本年度办理结果\t(一) 予以公开"),
              ("partially_granted", "\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)")]
_T3_GROUPS = {"withheld": ("(三) 不予公开", ["1. 属于国家秘密", "2. 其他法律行政法规禁止公开", "3. 危及“三安全一稳定”",
                                            "4. 保护第三方合法权益", "5. 属于三类内部事务信息", "6. 属于四类过程性信息",
                                            "7. 属于行政执法案卷", "8. 属于行政查询事项"]),
              "unavailable": ("(四) 无法提供", ["1. 本机关不掌握相关政府信息", "2. 没有现成信息需要另行制作",
                                               "3. 补正后申请内容仍不明确"]),
              "not_processed": ("(五) 不予处理", ["1. 信访举报投诉类申请", "2. 重复申请", "3. 要求提供公开出版物",
                                                 "4. 无正当理由大量反复申请", "5. 要求行政机关确认或重新出具已获取信息"]),
              "other": ("(六) 其他处理", ["1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                         "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3. 其他"])}


def _t3(t: dict[str, Any]) -> list[str]:
    vals = lambda row: "\t".join(str(row[c]) for c in [*COLS, "total"])  # noqa: E731
    out = ["(本列数据的勾稽关系为: 第一项加第二项之和, 等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t",
           "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
           "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t"]
    out += [f"{label}\t{vals(t[key])}\t" for key, label in _T3_LABELS]
    for group, (head, labels) in _T3_GROUPS.items():
        for i, (key, label) in enumerate(zip(GROUPS[group], labels)):
            out.append(f"\t{head if i == 0 else ''}\t{label}\t{vals(t[group][key])}")
    out += [f"(七) 总计\t{vals(t['total'])}\t\t", f"四、结转下年度继续办理\t\t{vals(t['carried_over'])}\t"]
    return out


def _t4(t: dict[str, Any]) -> list[str]:
    keys = ("upheld", "corrected", "other", "pending", "total")
    nums = [str(t[g][k]) for g in ("review", "litigation_direct", "litigation_after_review") for k in keys]
    return ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
            "结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
            "\t\t\t\t\t结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计\t结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计",
            "\t".join(nums)]


_TABLE_TEXT = {"proactive": _t2, "requests": _t3, "appeals": _t4}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("-o", "--output", help="JSON Lines file (default stdout)")
    parser.add_argument("--defects", type=float, default=0.3, help="share of reports with defects")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    for doc in reports(args.n, defects=args.defects, seed=args.seed):
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
