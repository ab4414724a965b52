"""The basis shown with a finding follows the format that governs the report: the 2019 trial format
(国办公开办函〔2019〕60号) for reports of 2019 and 2020, the 2021 format from 2021 on — in every output."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Runner

from checker import check, compiled_ruleset
from checker.loader import default_files
from checker.model import governing_format

TRIAL = "国办公开办函〔2019〕60号"
FORMAT_2021 = "国办公开办函〔2021〕30号"


def _report(tmp_path: Path, year: int) -> Path:
    """The trial-format example with one unbalanced column (GK-T3-010), as a report of ``year``."""
    doc = json.loads((ROOT / "examples" / "clean-report-2020-trial-format.json").read_text(encoding="utf-8"))
    doc["tables"]["requests"]["carried_over"]["total"] += 1
    if year != doc["year"]:
        doc.update(year=year, published=f"{year + 1}-01-20", period={**doc["period"], "start": f"{year}-01-01",
                                                                      "end": f"{year}-12-31"})
    path = tmp_path / f"report-{year}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_governing_format() -> None:
    assert [governing_format(y) for y in (2019, 2020, 2021, 2024)] == ["2019", "2019", "2021", "2021"]
    assert governing_format(None, "2019") == "2019" and governing_format(None, None) == "2021"
    assert governing_format(2022, "2019") == "2021"  # a 2022 report is held to the 2021 format, whatever its tables


@pytest.mark.parametrize(("year", "cited", "not_cited"), [(2020, TRIAL, FORMAT_2021), (2022, FORMAT_2021, TRIAL)])
def test_every_output_shows_the_basis_of_the_governing_format(gk: Runner, tmp_path: Path, year: int, cited: str,
                                                              not_cited: str) -> None:
    report = _report(tmp_path, year)
    rule = compiled_ruleset().ruleset.by_id["GK-T3-010"]
    basis = (rule.basis_2019 if year <= 2020 else rule.basis).zh
    assert cited in basis and not_cited not in basis

    _, out, _ = gk(report, "--format", "json", "--no-config")
    [finding] = [f for f in json.loads(out)["results"][0]["findings"] if f["rule_id"] == "GK-T3-010"]
    assert finding["basis"] == basis

    _, out, _ = gk(report, "--format", "text", "--no-config", "--color", "never")
    block = out[out.index("GK-T3-010"):]
    assert "依据：" + basis[:20] in block.replace("\n    ", "").replace("\n", "")

    _, out, _ = gk(report, "--format", "sarif", "--no-config")
    run = json.loads(out)["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "GK-T3-010"]
    assert result["properties"]["basis"] == basis
    [descriptor] = [d for d in run["tool"]["driver"]["rules"] if d["id"] == "GK-T3-010"]
    assert descriptor["properties"]["basis_2019"] == rule.basis_2019.zh
    assert TRIAL in descriptor["help"]["text"] and FORMAT_2021 in descriptor["help"]["text"]

    _, out, _ = gk(report, "--format", "markdown", "--no-config")
    [row] = [line for line in out.splitlines() if line.startswith("| ") and "GK-T3-010" in line]
    assert cited in row and not_cited not in row

    _, out, _ = gk(report, "--format", "html", "--no-config")
    assert f"<dt>依据</dt><dd>{html.escape(basis)}</dd>" in out

    _, out, _ = gk(report, "--format", "junit", "--no-config")
    case = next(c for c in ET.fromstring(out.encode("utf-8")).iter("testcase") if c.get("name").startswith("GK-T3-010"))
    assert f"依据：{basis}" in case.find("failure").text


def test_frames_and_the_word_comment_show_the_chosen_basis(tmp_path: Path) -> None:
    from checker.annotate import finding_text

    doc: dict[str, Any] = json.loads(_report(tmp_path, 2020).read_text(encoding="utf-8"))
    result = check(doc)
    [finding] = [f for f in result.findings if f.rule_id == "GK-T3-010"]
    assert finding.basis is not None and TRIAL in finding.basis.zh
    _, _, findings = result.to_frames()
    assert TRIAL in findings.loc[findings["rule_id"] == "GK-T3-010", "basis"].iloc[0]
    assert "依据：" + finding.basis.zh in finding_text(finding, compiled_ruleset().ruleset)
    assert "Basis: " + finding.basis.en in finding_text(finding, compiled_ruleset().ruleset, "en")


def test_explain_and_the_catalogue_give_both(gk: Runner) -> None:
    _, out, _ = gk("explain", "GK-T3-010")
    flat = out.replace(" ", "").replace("\n", "")
    assert "依据（2021年度及以后的报告）" in flat and "依据（2019、2020年度报告，适用2019年试行格式）" in flat
    assert TRIAL in flat and FORMAT_2021 in flat
    _, out, _ = gk("rules", "--format", "json")
    [entry] = [r for r in json.loads(out) if r["id"] == "GK-T3-010"]
    assert TRIAL in entry["basis_2019"] and FORMAT_2021 in entry["basis"]


# Rules that apply to reports of 2019 and 2020 and cite the 2021 format without a trial-format basis yet: their
# files are other work's (narrative numbers, the parts of tiaoli under revision, the cross-year rules); the
# 2021 notice's 二（四） (内容雷同、不准确不全面) has no verified counterpart in the trial format.
LEFT: set[str] = set()  # every rule citing the 2021 format has a trial-format basis


def test_rules_citing_the_2021_format_for_trial_format_reports_have_a_trial_basis() -> None:
    """Every bundled rule that applies to reports of 2019 and 2020 and cites the 2021 format has the trial
    format's basis for them (or is one of LEFT), and no trial-format basis cites the 2021 format."""
    for rule in compiled_ruleset(default_files()).ruleset.rules:
        applies = rule.applies_to
        to_trial_years = ("2019" in applies.get("formats", ("2021", "2019")) and applies.get("year_min", 0) <= 2020
                          and applies.get("year_max", 9999) >= 2019)
        if to_trial_years and "〔2021〕30" in rule.basis.zh and rule.id not in LEFT:
            assert rule.basis_2019 is not None, rule.id
        if rule.basis_2019 is not None:
            assert "〔2021〕" not in rule.basis_2019.zh + rule.basis_2019.en, rule.id
