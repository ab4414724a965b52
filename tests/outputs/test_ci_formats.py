"""The CI formats: ``concise`` (one line per finding), ``gitlab`` (Code Quality) and ``github``
(workflow commands), on JSON reports and on reports in their published forms."""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import CLEAN, DEFECTIVE, ROOT, Runner
from test_reading_outputs import partly_read

import checker
from checker.render.github import escape_data, escape_property

sys.path.insert(0, str(ROOT / "tests" / "zoo"))
from documents import make_document
from forms import FORMS

LINE = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+):1: (?P<rule>\S+) (?P<severity>error|warning|info) (?P<message>.+)$")
COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice) file=(?P<file>[^,]*),line=(?P<line>[0-9]+),col=1,"
                     r"title=(?P<title>[^,:]*)::(?P<message>.*)$")


def findings_of(gk: Runner, *args: object) -> list[dict]:
    """The findings of the first report, from the JSON result."""
    _, out, _ = gk(*args, "--format", "json")
    return json.loads(out)["results"][0]["findings"]


def sarif_places(gk: Runner, *args: object) -> Counter[tuple[str, int]]:
    _, out, _ = gk(*args, "--format", "sarif")
    return Counter((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                   for r in json.loads(out)["runs"][0]["results"])


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One generated report in three published forms (Word, web page, copied text)."""
    folder = tmp_path_factory.mktemp("published")
    doc = make_document(random.Random(3))
    out = {}
    for form in ("docx-merged", "html-merged", "tab-copy"):
        name, data = FORMS[form](doc, random.Random(1))
        out[form] = folder / f"{form}-{name}"
        out[form].write_bytes(data)
    return out


# ----------------------------------------------------------------------------------- concise


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_concise_is_one_line_per_finding_in_line_order_then_a_summary(gk: Runner, lang: str) -> None:
    code, out, _ = gk(DEFECTIVE, "--format", "concise", "--lang", lang)
    assert code == 1
    lines = out.splitlines()
    findings = findings_of(gk, DEFECTIVE, "--lang", lang)
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed) and len(parsed) == len(findings)
    assert {m["path"] for m in parsed} == {str(DEFECTIVE)}
    numbers = [int(m["line"]) for m in parsed]
    assert numbers == sorted(numbers)
    assert Counter((m["rule"], int(m["line"])) for m in parsed) == sarif_places(gk, DEFECTIVE)  # same places
    assert Counter((m["rule"], m["severity"], m["message"]) for m in parsed) == Counter(
        (f["rule_id"], f["severity"], f["message"]) for f in findings)
    overall = checker.check(str(DEFECTIVE)).score.overall
    summary = f"得分 {overall} / 100，合格，未通过（错误 6、警告 1、提示 0）" if lang == "zh" else \
        f"score {overall} / 100, Pass, FAILED (6 errors, 1 warnings, 0 info)"
    assert lines[-1].startswith(f"{DEFECTIVE}: 青禾县市场监督管理局 2024") and lines[-1].endswith(summary)


def test_concise_with_several_reports_ends_with_a_count(gk: Runner) -> None:
    code, out, _ = gk(CLEAN, DEFECTIVE, "--format", "concise")
    lines = out.splitlines()
    assert code == 1 and lines[0].startswith(f"{CLEAN}: 青禾县人民政府 2024 年度：得分 100.0")
    assert lines[-1] == "共检查 2 份报告，1 份未通过。"


def test_concise_on_published_forms(gk: Runner, published: dict[str, Path]) -> None:
    for form, path in published.items():
        _, out, _ = gk(path, "--format", "concise", "--fail-on", "info")
        lines = out.splitlines()
        parsed = [LINE.match(line) for line in lines[:-1]]
        assert all(parsed) and len(parsed) == len(findings_of(gk, path)), form
        assert lines[-1].startswith(f"{path}: ")
        assert Counter((m["rule"], int(m["line"])) for m in parsed) == sarif_places(gk, path), form
        for m, f in zip(sorted(parsed, key=lambda m: (m["rule"], m["message"])),
                        sorted(findings_of(gk, path), key=lambda f: (f["rule_id"], f["message"]))):
            loc = f["location"] or {}
            assert ("（表 " in m["message"] or "（第 " in m["message"]) is any(k in loc for k in ("table", "page")), m[0]
        if form == "tab-copy":
            assert any(int(m["line"]) > 1 for m in parsed)


def test_concise_marks_waived_findings_and_keeps_them_on_one_line(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(
        '[[waivers]]\nrule = "GK-T3-010"\nagencies = ["青禾县市场*"]\nreason = """台账\n更正中\t（第二行）"""\n'
        'approver = "王芳"\nexpires = 2099-01-01\n', encoding="utf-8")
    _, out, _ = gk(reports / DEFECTIVE.name, "--format", "concise")
    waived = [line for line in out.splitlines() if " GK-T3-010 " in line]
    assert len(waived) == 2 and all("（已豁免：台账 更正中 （第二行）" in line for line in waived)
    _, out, _ = gk(reports / DEFECTIVE.name, "--format", "github")
    assert "%0A更正中" in out and out.count("::notice ") == 2


def test_reading_notices_that_block_the_verdict_are_lines_too(gk: Runner, tmp_path: Path) -> None:
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(partly_read(), ensure_ascii=False, indent=1), encoding="utf-8")
    _, out, _ = gk(path, "--format", "concise")
    codes = {m["rule"] for m in map(LINE.match, out.splitlines()[:-1]) if m and not m["rule"].startswith("GK-")}
    assert codes == {"table-unread", "text-incomplete"}
    assert "未通过（文本可能不完整，无法判定；表格未能完整读取，无法判定）" in out.splitlines()[-1]
    _, out, _ = gk(path, "--format", "github")
    assert "title=gkcheck table-unread::" in out and "title=gkcheck text-incomplete::" in out
    _, out, _ = gk(path, "--format", "gitlab")
    notices = [i for i in json.loads(out) if i["check_name"].startswith("gkcheck/")]
    assert {i["check_name"] for i in notices} == {"gkcheck/table-unread", "gkcheck/text-incomplete"}
    assert {i["severity"] for i in notices} == {"major"}


# ----------------------------------------------------------------------------------- gitlab


def test_gitlab_code_quality_issues(gk: Runner, tmp_path: Path) -> None:
    code, out, _ = gk(DEFECTIVE, "--format", "gitlab", "--fail-on", "info")
    issues = json.loads(out)
    findings = findings_of(gk, DEFECTIVE)
    assert code == 1 and len(issues) == len(findings)
    for issue, finding in zip(issues, findings):
        assert set(issue) == {"type", "description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == finding["rule_id"]
        assert issue["description"] == f"{finding['rule_id']} {finding['message']}"
        assert issue["severity"] == {"error": "major", "warning": "minor", "info": "info"}[finding["severity"]]
        assert issue["location"]["path"] == str(DEFECTIVE)
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    _, out, _ = gk(CLEAN, "--format", "gitlab")
    assert json.loads(out) == []


def test_gitlab_fingerprints_follow_the_place_not_the_message(gk: Runner, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    Path("a.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    _, before, _ = gk("./a.json", "--format", "gitlab")
    doc["tables"]["requests"]["new"]["natural_person"] += 5  # the balance is off by more
    doc["tables"]["requests"]["new"]["total"] += 5
    Path("a.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    _, after, _ = gk("a.json", "--format", "gitlab")

    def balance(out: str) -> dict[str, str]:
        return {i["fingerprint"]: i["description"] for i in json.loads(out) if i["check_name"] == "GK-T3-010"}

    assert balance(before).keys() == balance(after).keys() and balance(before) != balance(after)
    assert {i["location"]["path"] for i in json.loads(before)} == {"a.json"}  # "./" removed
    # one rule at one pointer several times (the missing topics of part 一): distinct fingerprints
    published = json.loads(gk(DEFECTIVE, "--format", "gitlab")[1])
    assert len({i["fingerprint"] for i in published}) == len(published)


def test_gitlab_fingerprints_differ_for_repeated_rule_and_pointer(gk: Runner, published: dict[str, Path]) -> None:
    _, out, _ = gk(published["tab-copy"], "--format", "gitlab")
    issues = json.loads(out)
    repeated = Counter(i["check_name"] for i in issues)
    assert max(repeated.values()) > 1  # the case this guards
    assert len({i["fingerprint"] for i in issues}) == len(issues)


# ----------------------------------------------------------------------------------- github


def test_github_workflow_commands(gk: Runner) -> None:
    code, out, _ = gk(DEFECTIVE, "--format", "github", "--lang", "en")
    lines = out.splitlines()
    findings = findings_of(gk, DEFECTIVE)
    commands = [COMMAND.match(line) for line in lines[:-1]]
    assert code == 1 and all(commands) and len(commands) == len(findings)
    assert Counter(m["cmd"] for m in commands) == Counter(
        {"error": "error", "warning": "warning", "info": "notice"}[f["severity"]] for f in findings)
    assert Counter((m["title"].split()[0], int(m["line"])) for m in commands) == sarif_places(gk, DEFECTIVE)
    balance = next(m for m in commands if m["title"].startswith("GK-T3-010"))
    assert "%3A" in balance["title"]  # the title's colon is escaped in a property
    assert lines[-1].startswith(f"gkcheck: {DEFECTIVE}: ")


def test_github_escaping() -> None:
    assert escape_data("100%\r\n::error::x\n") == "100%25%0A::error::x%0A"
    assert escape_data("\x1b[31mred\x1b]0;t\x07") == "red"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"


def test_github_file_names_and_report_text_cannot_end_a_command(gk: Runner, tmp_path: Path) -> None:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    text = doc["sections"]["overview"]["text"]
    doc["sections"]["overview"]["text"] = text.replace("全年新收政府信息公开申请12件，",
                                                       "全年新收政府信息公开申请12件（占100%，::error::伪造,a:b），")
    path = tmp_path / "a,b:c%.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    _, out, _ = gk(path, "--format", "github")
    commands = [COMMAND.match(line) for line in out.splitlines()[:-1]]
    assert all(commands)
    assert {m["file"] for m in commands} == {str(path).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")}
    narrative = next(m for m in commands if m["title"].startswith("GK-X-001"))
    assert "占100%25，::error::伪造,a:b" in narrative["message"]
