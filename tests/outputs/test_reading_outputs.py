"""Every output shows the reading notices and the coverage: text, json, sarif, junit, markdown,
html, ``--explain-score`` and the batch audit."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CLEAN, Runner
from test_sarif import sarif_schema

from checker import compiled_ruleset
from checker.audit.outputs import write_outputs
from checker.audit.runner import AuditOptions, run_audit
from checker.resources import load_schema

HEADING = "五、<script>问题*和*[下一步](x)"


def partly_read() -> dict[str, Any]:
    """The clean example as a reader that could not place a row of table 三, parts 五 and 六 and
    tables 二 and 四 would leave it (the last two without a notice of their own)."""
    doc = json.loads(CLEAN.read_text(encoding="utf-8"))
    del doc["tables"]["requests"]["withheld"]["state_secret"]
    del doc["sections"]["problems"]
    del doc["sections"]["other"]
    doc["reading"] = {
        "unread": ["/tables/requests/withheld/state_secret", "/sections/problems", "/sections/other",
                   "/tables/appeals", "/tables/proactive"],
        "notices": [
            {"code": "year-inferred", "target": "/year", "values": {"year": 2024, "evidence": "2024年，本县"}},
            {"code": "table-unread", "target": "/tables/requests", "location": {"line": 88},
             "values": {"count": 7, "reason": "run-together", "rows": ["1.属于国家秘密"]}},
            {"code": "part-unplaced", "target": "/sections/problems", "location": {"line": 120},
             "values": {"heading": HEADING}},
            {"code": "text-incomplete", "target": "", "location": {"line": 130},
             "values": {"last": "我们将进一步加强政府信息公开工作", "parts": ["problems", "other"]}}]}
    del doc["tables"]["appeals"], doc["tables"]["proactive"]
    return doc


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(partly_read(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


CUT = "文本可能不完整：在“我们将进一步加强政府信息公开工作”处中断，其后的第五、六部分未出现"
TABLE = "第三部分表格（收到和处理政府信息公开申请情况）：原文第 88 行起印有该表，但其中 7 个单元格未能读出"


def test_text(gk: Runner, report: Path) -> None:
    code, out, _ = gk(report, "--color", "never")
    assert code == 1
    flat = "".join(out.split())
    assert "读取提示" in out and "".join(CUT.split()) in flat and "".join(TABLE.split()) in flat
    assert flat.index("读取提示（") < flat.index("".join(CUT.split())) < flat.index("".join(TABLE.split()))
    assert flat.index("读取提示（") < flat.index("没有发现问题")  # before the findings
    assert "请提供Word文件或JSON文档" in flat and "位置：第88行" in flat
    assert "读取提示6" in flat  # the summary counts them
    assert "可判断的规则" in out and "未评级" in out and "可判断的规则不足六成" in flat
    assert "未通过（文本可能不完整，无法判定；表格未能完整读取，无法判定）" in flat
    code, out, _ = gk(report, "--color", "never", "--lang", "en")
    flat = " ".join(out.split())
    assert "Reading notices" in flat and "Not graded" in flat and "Rules that could be judged" in flat
    assert "The text may be incomplete" in flat


def test_explain_score_prints_coverage(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--color", "never", "--explain-score")
    flat = "".join(out.split())
    assert flat.count("可判断的规则") >= 2 and "不足六成时不评等级" in flat


def test_json_has_notices_and_coverage(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--format", "json")
    doc = json.loads(out)
    jsonschema.Draft202012Validator(load_schema("result.schema.json")).validate(doc)
    [res] = doc["results"]
    assert [(n["code"], n["target"]) for n in res["notices"]] == [
        ("text-incomplete", ""), ("table-unread", "/tables/requests"), ("table-unread", "/tables/proactive"),
        ("table-unread", "/tables/appeals"), ("part-unplaced", "/sections/problems"), ("year-inferred", "/year")]
    table = res["notices"][1]
    assert table["target"] == "/tables/requests" and table["location"] == {"line": 88}
    assert table["message"].startswith(TABLE) and "gkcheck convert" in table["advice"]
    cov = res["coverage"]
    assert cov["decided"] < cov["applicable"] and cov["ratio"] == round(cov["decided"] / cov["applicable"], 4)
    assert res["score"]["grade"] == "未评级" and res["passed"] is False
    assert res["verdict_reasons"] == ["文本可能不完整，无法判定", "表格未能完整读取，无法判定"]
    assert {o["reason"] for o in res["outcomes"] if o["outcome"] == "not_assessable"} >= {"unread"}
    assert res["findings"] == []
    _, out, _ = gk(CLEAN, "--format", "json")
    clean = json.loads(out)["results"][0]
    assert clean["notices"] == [] and clean["coverage"]["ratio"] > 0.6 and clean["verdict_reasons"] == []


def test_sarif_notifications(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, CLEAN, "--format", "sarif")
    log = json.loads(out)
    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)] == []
    [run] = log["runs"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["text-incomplete", "table-unread", "table-unread",
                                                      "table-unread", "part-unplaced", "year-inferred"]
    table = notes[1]
    assert table["level"] == "warning" and table["message"]["text"].startswith(TABLE)
    [loc] = table["locations"]
    assert loc["physicalLocation"]["region"]["startLine"] == 88
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == report.as_uri()
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "/tables/requests"
    summary = run["properties"]["reports"][0]
    assert summary["notices"] == 6 and summary["grade"] == "未评级" and summary["coverage"]["decided"] > 0


def test_junit(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    [suite] = root
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["notices"] == "6" and props["grade"] == "未评级" and "/" in props["coverage"]
    system_out = suite.find("system-out").text
    assert TABLE in system_out and CUT in system_out and "建议" in system_out
    failing = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.find("failure").get("type") for c in failing] == ["reading"]
    assert int(root.get("failures")) == 1
    skipped = [c.find("skipped").get("message") for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert any("未能读出" in m for m in skipped)


def test_markdown_escapes_what_the_report_says(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--format", "markdown")
    assert "**读取提示**" in out and TABLE in out and "可判断的规则" in out
    assert "<script>" not in out and "&lt;script&gt;" in out and "\\[下一步\\]" in out and "\\*和\\*" in out
    assert out.index("**读取提示**") < out.index("没有发现问题")


def test_html_notices_box_at_the_top(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--format", "html")
    assert "<script>" not in out and "五、&lt;script&gt;问题*和*[下一步](x)" in out
    assert out.index('<section class="reading">') < out.index('<div class="scorecard">')
    assert TABLE in out and "可判断的规则" in out and "未评级" in out
    assert "该表印在原文中，但未能读出" in out and '<td class="unread"' in out


def test_audit_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "partly.json").write_text(json.dumps(partly_read(), ensure_ascii=False), encoding="utf-8")
    (folder / "clean.json").write_bytes(CLEAN.read_bytes())
    out = tmp_path / "out"
    summary = run_audit(AuditOptions((str(folder),), out, jobs=1))
    write_outputs(summary, compiled_ruleset().ruleset)
    with (out / "ranking.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["文件"].rsplit("/", 1)[-1] for r in rows] == ["clean.json", "partly.json"]
    clean, partly = rows
    assert clean["名次"] == "1" and partly["名次"] == ""  # a withheld grade is not ranked
    assert partly["等级"] == "未评级" and partly["读取提示"] == "6" and clean["读取提示"] == "0"
    assert int(partly["可判断规则占比%"]) < 60 <= int(clean["可判断规则占比%"])
    result = json.loads((out / partly["检查结果"]).read_text(encoding="utf-8"))
    assert [n["code"] for n in result["notices"]][:2] == ["text-incomplete", "table-unread"]
    assert result["coverage"]["ratio"] < 0.6
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert "可判断规则占比%" in page and "读取提示" in page and "未评级" in page


def test_year_given_drops_the_year_notice(gk: Runner, report: Path) -> None:
    _, out, _ = gk(report, "--format", "json", "--year", "2024")
    codes = [n["code"] for n in json.loads(out)["results"][0]["notices"]]
    assert "year-inferred" not in codes and "table-unread" in codes


def test_audit_result_json_equals_the_json_output() -> None:
    """The audit's fast writer gives the same value as ``--format json`` for partly read reports too."""
    from checker import check_many
    from checker.audit.resultjson import ResultJson
    from checker.render.context import RenderContext
    from checker.render.json_out import result_to_dict

    compiled = compiled_ruleset()
    clean = json.loads(CLEAN.read_text(encoding="utf-8"))
    docs = [clean, partly_read(), clean, partly_read()]
    results = check_many(docs, compiled, [f"r{i}.json" for i in range(len(docs))])
    for lang in ("zh", "en"):
        ctx = RenderContext(compiled.ruleset, lang)
        writer = ResultJson(ctx)
        fast = [json.loads(writer.dumps(r)) for r in results]
        assert fast == [json.loads(json.dumps(result_to_dict(r, ctx))) for r in results]
    assert {o["reason"] for o in fast[1]["outcomes"]} >= {"unread"} and fast[1]["notices"]
