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
from typing import Any, Iterator

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
        items = lambda: {"previous": rng.randint(0, 50), "change": rng.randint(-3, 5), "decisions": rng.randint(0, 500)}
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
    fill = lambda s: s.format(**nums)
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
