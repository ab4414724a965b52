"""JUnit output: valid against the Jenkins JUnit schema, and its failures are what makes the run fail.

The schema is ``jenkins-junit.xsd`` beside this file (the constraints of the xUnit plugin's
``junit-10.xsd``, written for these tests; nothing is fetched). Every kind of output is
validated: failed, passed and skipped cases, warnings below ``--fail-on``, waived rules, a
report not read whole, ``--min-score``, run-level waiver notices and hostile report text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, DEFECTIVE, Runner
from lxml import etree
from test_reading_outputs import partly_read

import checker

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("jenkins-junit.xsd"))))


def validated(out: str) -> etree._Element:
    """The JUnit document, asserted valid against the Jenkins schema."""
    root = etree.fromstring(out.encode("utf-8"))
    assert SCHEMA.validate(root), SCHEMA.error_log
    assert root.tag == "testsuites" and "skipped" not in root.attrib
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in root.iter("testsuite")), key
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
    return root


def cases(root: etree._Element, suite: int = 0) -> dict[str, etree._Element]:
    """The test cases of a suite by their first word (the rule id)."""
    return {c.get("name").split()[0]: c for c in root.findall("testsuite")[suite].findall("testcase")}


def test_the_schema_rejects_what_strict_readers_reject() -> None:
    ok = b'<testsuites tests="1"><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x"/></testsuite></testsuites>'
    assert SCHEMA.validate(etree.fromstring(ok))
    assert not SCHEMA.validate(etree.fromstring(ok.replace(b'tests="1">', b'tests="1" skipped="0">', 1)))
    assert not SCHEMA.validate(etree.fromstring(ok.replace(b' failures="0"', b"")))
    assert not SCHEMA.validate(etree.fromstring(ok.replace(b'<testcase name="x"/>', b"<testcase/>")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warnings_below_fail_on_are_passed_tests_with_their_findings(gk: Runner, lang: str) -> None:
    code, out, _ = gk(DEFECTIVE, CLEAN, "--format", "junit", "--lang", lang)
    assert code == 1
    root = validated(out)
    defective = cases(root)
    blank = defective["GK-V-001"]  # a warning: not a failure under --fail-on error
    assert blank.find("failure") is None and blank.find("skipped") is None
    assert "--fail-on error" in blank.find("system-out").text and "2" in blank.find("system-out").text
    assert defective["GK-T3-010"].find("failure").get("type") == "error"
    assert root.findall("testsuite")[1].get("failures") == "0"
    name = defective["GK-T3-010"].get("name")
    assert name.startswith("GK-T3-010 ") and "request-balance-mismatch" not in name  # id and title


def test_fail_on_warning_makes_warnings_failures(gk: Runner) -> None:
    _, out, _ = gk(DEFECTIVE, "--format", "junit", "--fail-on", "warning")
    failure = cases(validated(out))["GK-V-001"].find("failure")
    assert failure is not None and failure.get("type") == "warning"


def test_failures_agree_with_the_exit_code(gk: Runner) -> None:
    for args, failed in (((CLEAN,), False), ((DEFECTIVE,), True), ((CLEAN, "--fail-on", "info"), False),
                         ((CLEAN, "--min-score", "100"), False), ((CLEAN, "--min-score", "99.5"), False)):
        code, out, _ = gk(*args, "--format", "junit")
        assert code == (1 if failed else 0)
        assert (int(validated(out).get("failures")) > 0) is failed, args


def test_min_score_is_a_test_case(gk: Runner) -> None:
    code, out, _ = gk(DEFECTIVE, "--format", "junit", "--min-score", "90", "--exit-zero")
    assert code == 0
    root = validated(out)
    score = next(c for c in root.iter("testcase") if c.get("name").startswith("得分"))
    assert score.get("name") == "得分：不低于 90" and str(checker.check(str(DEFECTIVE)).score.overall) in score.find("failure").get("message")
    _, out, _ = gk(CLEAN, "--format", "junit", "--min-score", "90")
    score = next(c for c in validated(out).iter("testcase") if c.get("name").startswith("得分"))
    assert score.find("failure") is None


def test_waived_rules_are_skipped_and_stale_waivers_do_not_fail(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(
        '[[waivers]]\nrule = "request-balance-mismatch"\nagencies = ["青禾县市场*"]\nreason = "台账更正中"\n'
        'approver = "王芳"\nexpires = 2099-01-01\n'
        '[[waivers]]\nrule = "GK-S-001"\nfiles = ["other/*.json"]\nreason = "另一批报告的豁免"\n'
        'approver = "王芳"\nexpires = 2099-01-01\n', encoding="utf-8")
    _, out, _ = gk(reports / DEFECTIVE.name, "--format", "junit")
    root = validated(out)
    waived = cases(root)["GK-T3-010"]
    assert waived.find("failure") is None and "台账更正中" in waived.find("skipped").get("message")
    notices = root.findall("testsuite")[-1]
    assert notices.get("name").endswith("gkcheck.toml") and notices.get("failures") == "0"
    assert all(c.find("system-out") is not None for c in notices.findall("testcase"))


def test_a_report_not_read_whole_has_a_failing_reading_case(gk: Runner, tmp_path: Path) -> None:
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(partly_read(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = gk(path, "--format", "junit")
    assert code == 1
    reading = next(c for c in validated(out).iter("testcase") if c.get("name").startswith("读取"))
    assert reading.find("failure").get("type") == "reading"


def test_hostile_report_text_stays_valid(gk: Runner, tmp_path: Path) -> None:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["agency"]["name"] = "青禾县\x1b[31m<x>&]]>\u202e局\ufffe"
    doc["sections"]["requests"]["text"] = "全年新收申请12件\x00\x0b<![CDATA[x]]>\n\"'&"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")
    code, out, _ = gk(path, "--format", "junit")
    assert code == 1
    root = validated(out)
    assert "青禾县<x>&]]>局" in root.findall("testsuite")[0].find("properties")[0].get("value")
