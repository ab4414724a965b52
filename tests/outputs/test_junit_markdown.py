"""JUnit XML (one test case per rule per report) and the Markdown merge-request comment."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import CLEAN, DEFECTIVE, Runner

from checker import compiled_ruleset


def test_junit_has_one_case_per_rule_per_report(gk: Runner) -> None:
    code, out, _ = gk(DEFECTIVE, CLEAN, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(DEFECTIVE), str(CLEAN)]
    n_rules = len(compiled_ruleset().ruleset.rules)
    for suite in suites:
        cases = suite.findall("testcase")
        assert len(cases) == n_rules == int(suite.get("tests"))
        assert {c.get("classname") for c in cases} == {suite.get("name")}
    defective, clean = suites
    failed = {c.get("name").split()[0] for c in defective.findall("testcase") if c.find("failure") is not None}
    assert {"GK-S-001", "GK-T3-010", "GK-D-001"} <= failed
    assert int(defective.get("failures")) == len(failed)
    assert clean.get("failures") == "0"
    balance = next(c for c in defective.findall("testcase") if c.get("name").startswith("GK-T3-010"))
    failure = balance.find("failure")
    assert "第一项加第二项之和为 14" in failure.get("message") and "依据" in failure.text
    skipped = [c for c in clean.findall("testcase") if c.find("skipped") is not None]
    assert skipped and int(clean.get("skipped")) == len(skipped)
    assert int(root.get("tests")) == 2 * n_rules


def test_junit_marks_waived_rules_skipped(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(
        '[[waivers]]\nrule = "request-balance-mismatch"\nagencies = ["青禾县市场*"]\nreason = "台账更正中"\n'
        'approver = "王芳"\nexpires = 2099-01-01\n', encoding="utf-8")
    _, out, _ = gk(reports / DEFECTIVE.name, "--format", "junit")
    case = next(c for c in ET.fromstring(out.encode("utf-8")).iter("testcase") if c.get("name").startswith("GK-T3-010"))
    assert case.find("failure") is None
    assert "已豁免" in case.find("skipped").get("message") and "台账更正中" in case.find("skipped").get("message")


def test_markdown_comment(gk: Runner) -> None:
    code, out, _ = gk(DEFECTIVE, "--format", "markdown")
    assert code == 1
    assert out.startswith("### gkcheck：青禾县市场监督管理局 2024 年度 — ❌ 未通过")
    assert "**得分" in out and "等级 合格" in out and "分类得分：完整性" in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| 严重程度 | 规则 | 问题")
    assert any("GK-T3-010" in r and "第一项加第二项之和为 14" in r for r in rows)
    _, out, _ = gk(CLEAN, "--format", "markdown", "--lang", "en")
    assert "✅ PASSED" in out and "No problems found." in out


def test_markdown_escapes_report_text(gk: Runner, tmp_path: Path) -> None:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["agency"]["name"] = "青禾县[点我](https://evil.example)|<img src=x onerror=alert(1)>局"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _, out, _ = gk(path, "--format", "markdown")
    assert "<img" not in out and not re.search(r"(?<!\\)\]\(", out)  # no link can form
    assert r"\[点我\]" in out and r"\|" in out and "&lt;img" in out
