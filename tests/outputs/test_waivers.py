"""Waivers: kept and marked in every output, never lowering the score; expired and unused ones reported."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN, DEFECTIVE, Runner

from checker import compiled_ruleset
from checker.model import Outcome
from checker.run import Configured, check_documents
from checker.waivers import Waiver

TODAY = dt.date(2026, 3, 1)


def waiver_toml(rule: str, scope: str = 'files = ["defective-*.json"]', expires: str = "2099-12-31") -> str:
    return (f'[[waivers]]\nrule = "{rule}"\n{scope}\nreason = "经审核确认，下一年度改正"\n'
            f'approver = "政务公开办 李明"\nexpires = {expires}\n')


def result_of(gk: Runner, *args: object) -> tuple[int, dict[str, Any], str]:
    code, out, err = gk(*args, "--format", "json")
    return code, json.loads(out)["results"][0], err


def test_waived_finding_is_kept_marked_and_does_not_lower_the_score(gk: Runner, reports: Path) -> None:
    report = reports / DEFECTIVE.name
    _, before, _ = result_of(gk, report)
    (reports / "gkcheck.toml").write_text(waiver_toml("GK-T3-010"), encoding="utf-8")
    _, after, _ = result_of(gk, report)
    waived = [f for f in after["findings"] if f["rule_id"] == "GK-T3-010"]
    assert len(waived) == 2 and all("经审核确认" in f["waived"] and "李明" in f["waived"] for f in waived)
    assert {o["rule_id"]: o["outcome"] for o in after["outcomes"]}["GK-T3-010"] == "waived"
    assert after["score"]["counts"]["waived"] == 1
    assert after["score"]["overall"] > before["score"]["overall"]
    assert after["score"]["possible"] < before["score"]["possible"]
    assert after["score"]["earned"] == before["score"]["earned"]
    _, text, _ = gk(report)
    assert "已豁免：经审核确认" in text


def test_waiving_every_error_passes_the_run(gk: Runner, reports: Path) -> None:
    report = reports / DEFECTIVE.name
    errors = {f["rule_id"] for f in result_of(gk, report)[1]["findings"] if f["severity"] == "error"}
    (reports / "gkcheck.toml").write_text("\n".join(waiver_toml(r) for r in sorted(errors)), encoding="utf-8")
    code, result, _ = result_of(gk, report)
    assert code == 0 and result["passed"]


def test_expired_waiver_is_reported_and_no_longer_waives(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text("# waivers\n\n" + waiver_toml("GK-T3-010", expires="2024-12-31"),
                                          encoding="utf-8")
    code, result, _ = result_of(gk, reports / DEFECTIVE.name)
    assert code == 1
    assert all(not f["waived"] for f in result["findings"])
    [expired] = [f for f in result["findings"] if f["rule_id"] == "GK-W-001"]
    assert "2024-12-31" in expired["message"] and "gkcheck.toml 第 3 行" in expired["message"]
    assert {o["rule_id"]: o["outcome"] for o in result["outcomes"]}["GK-W-001"] == "fail"


def test_unused_waiver_is_reported(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(waiver_toml("GK-T4-001", scope='agencies = ["青禾县*"]'),
                                          encoding="utf-8")
    code, result, _ = result_of(gk, reports / CLEAN.name)
    assert code == 0  # an info finding: fails only with --fail-on info
    [unused] = [f for f in result["findings"] if f["rule_id"] == "GK-W-002"]
    assert "GK-T4-001" in unused["message"] and unused["severity"] == "info"
    assert result["score"]["overall"] == 100.0
    assert gk(reports / CLEAN.name, "--fail-on", "info")[0] == 1


def test_waiver_covering_no_checked_report_is_a_run_notice(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(waiver_toml("GK-S-001", scope='files = ["other/*.json"]'),
                                          encoding="utf-8")
    code, _, err = gk(reports / CLEAN.name)
    assert code == 0
    assert "gkcheck.toml:1: GK-W-002" in err and "不涉及本次检查的任何报告" in err
    _, out, _ = gk(reports / CLEAN.name, "--format", "sarif")
    notices = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "GK-W-002"]
    assert notices[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("gkcheck.toml")


def test_separate_waivers_file(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text('waivers-file = "waivers.toml"\n', encoding="utf-8")
    (reports / "waivers.toml").write_text(waiver_toml("missing-section"), encoding="utf-8")
    _, result, _ = result_of(gk, reports / DEFECTIVE.name)
    assert [f["waived"] is not None for f in result["findings"] if f["rule_id"] == "GK-S-001"] == [True]
    (reports / "waivers.toml").write_text(waiver_toml("missing-sectoin"), encoding="utf-8")
    code, _, err = gk(reports / DEFECTIVE.name)
    assert code == 2 and "waivers.toml" in err and "missing-section" in err


def test_waivers_are_a_step_of_the_one_pipeline(clean_doc: dict[str, Any]) -> None:
    # no waiver: the same run; a waiver: its rule is waived in the report it covers, the other report is
    # unchanged, and the score is the pipeline's one score (the waived rule leaves the denominator)
    compiled = compiled_ruleset()
    docs = [json.loads(DEFECTIVE.read_text(encoding="utf-8")), clean_doc]
    sources = [str(DEFECTIVE), str(CLEAN)]
    plain = check_documents(docs, compiled, sources, today=TODAY)
    assert plain.notices == () and check_documents(docs, Configured(compiled, ()), sources).results == plain.results
    waiver = Waiver("GK-S-001", ("*defective*",), (), "理由", "李明", dt.date(2099, 1, 1), "gkcheck.toml", 1,
                    rule_id="GK-S-001")
    waived = check_documents(docs, Configured(compiled, (waiver,)), sources, today=TODAY)
    assert plain.results[0].outcome_of("GK-S-001") is Outcome.FAIL
    assert waived.results[0].outcome_of("GK-S-001") is Outcome.WAIVED
    assert waived.results[1] == plain.results[1]
    before, after = plain.results[0].score, waived.results[0].score
    [s001] = [o for o in plain.results[0].outcomes if o.rule_id == "GK-S-001"]
    assert after.possible == before.possible - s001.points and after.earned == before.earned
    assert all(f.waived for f in waived.results[0].findings if f.rule_id == "GK-S-001")


@pytest.mark.parametrize("scope", ['files = ["*.json"]', 'agencies = ["*监督管理局"]',
                                   'files = ["defective-*"]\nagencies = ["青禾县*"]'])
def test_scope_by_file_and_agency(gk: Runner, reports: Path, scope: str) -> None:
    (reports / "gkcheck.toml").write_text(waiver_toml("GK-S-001", scope=scope), encoding="utf-8")
    _, result, _ = result_of(gk, reports / DEFECTIVE.name)
    assert {o["rule_id"]: o["outcome"] for o in result["outcomes"]}["GK-S-001"] == "waived"


def test_waiver_scope_needs_both_globs_to_match(reports: Path) -> None:
    compiled = compiled_ruleset()
    [result] = check_documents([json.loads(DEFECTIVE.read_text(encoding="utf-8"))], compiled,
                               [str(reports / DEFECTIVE.name)]).results
    base = Waiver("GK-S-001", ("defective-*",), ("别的机关",), "理由", "李明", dt.date(2099, 1, 1), "x", 1,
                  base=reports, rule_id="GK-S-001")
    assert not base.covers(result.source, result.agency)
    assert replace(base, agencies=("青禾县*",)).covers(result.source, result.agency)
