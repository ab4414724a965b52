"""Local rule sets (the requirements of one place, e.g. rules/local-wuwei.yaml) ship switched off: they run
only when the configuration names their region (``region``, ``--region``) or the set itself (``rulesets``);
when off they are not "rules not run"; when on, every output's configuration block names them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN, Runner

from checker import compiled_ruleset
from checker.config import Config, config_from_table, configured_ruleset
from checker.loader import default_files, local_sets, standard_files

LONG = "全年通过政府网站发布各类信息一千余条，持续推进重点领域信息公开，" * 60  # about 2,000 characters


def _report(folder: Path) -> Path:
    """A 2025 report whose overview is longer than Wuwei's 1,000 characters."""
    doc: dict[str, Any] = json.loads(CLEAN.read_text(encoding="utf-8"))
    doc.update(year=2025, published="2026-01-20", title=doc["title"].replace("2024", "2025"))
    doc["period"] = {**doc["period"], "start": "2025-01-01", "end": "2025-12-31"}
    doc["sections"]["overview"]["text"] = LONG
    path = folder / "report-2025.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _run(gk: Runner, report: Path, *args: str) -> dict[str, Any]:
    _, out, _ = gk(report, "--format", "json", *args)
    return json.loads(out)


def _ran(doc: dict[str, Any]) -> set[str]:
    return {o["rule_id"] for o in doc["results"][0]["outcomes"]}


def test_the_wuwei_set_is_local_and_off_by_default() -> None:
    [wuwei] = [s for s in local_sets() if s.ruleset == "local-wuwei"]
    assert wuwei.region.zh == "甘肃省武威市" and "GK-N-006" in wuwei.rules
    assert wuwei.path not in standard_files() and wuwei.path in default_files()
    assert "GK-N-006" not in compiled_ruleset().ruleset.by_id
    for place, on in (("甘肃省武威市", True), ("甘肃省武威市凉州区", True), ("武威市古浪县", True), (" 甘肃省 武威市 ", True),
                      ("甘肃省", False), ("甘肃省兰州市", False), ("武威", False), ("", False)):
        assert wuwei.enabled_by(place) is on, place


def test_off_without_configuration_and_not_listed_as_not_run(gk: Runner, tmp_path: Path) -> None:
    doc = _run(gk, _report(tmp_path), "--no-config")
    assert "GK-N-006" not in _ran(doc)
    conf = doc["configuration"]
    assert conf["deselected"] == [] and conf["local_rulesets"] == [] and conf["region"] is None
    _, out, _ = gk(_report(tmp_path), "--no-config", "--color", "never")
    assert "地方规则集" not in out and "未运行的规则" not in out


@pytest.mark.parametrize("region", ["甘肃省武威市", "甘肃省武威市凉州区", "武威市"])
def test_the_region_switches_it_on(gk: Runner, tmp_path: Path, region: str) -> None:
    (tmp_path / "gkcheck.toml").write_text(f'region = "{region}"\n', encoding="utf-8")
    doc = _run(gk, _report(tmp_path))
    [finding] = [f for f in doc["results"][0]["findings"] if f["rule_id"] == "GK-N-006"]
    assert "武威市" in finding["message"] and "武政办发〔2025〕54号" in finding["basis"]
    conf = doc["configuration"]
    assert conf["deselected"] == [] and conf["region"] == region
    assert [(s["ruleset"], s["key"], s["rules"]) for s in conf["local_rulesets"]] == [
        ("local-wuwei", "region", ["GK-N-006"])]
    assert conf["local_rulesets"][0]["source"].endswith("gkcheck.toml")
    for fmt in ("text", "html", "markdown", "junit"):
        args = ("--format", fmt, "--color", "never") if fmt == "text" else ("--format", fmt)
        _, out, _ = gk(_report(tmp_path), *args)
        flat = " ".join(out.split())
        assert "地方规则集：local-wuwei（甘肃省武威市：GK-N-006）" in flat and "region（地区）" in flat, fmt
    _, out, _ = gk(_report(tmp_path), "--format", "sarif")
    run = json.loads(out)["runs"][0]
    assert run["properties"]["configuration"] == conf
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolConfigurationNotifications"]]
    assert any("local-wuwei" in n for n in notes)


def test_the_region_of_another_place_switches_nothing_on(gk: Runner, tmp_path: Path) -> None:
    (tmp_path / "gkcheck.toml").write_text('region = "甘肃省兰州市"\n', encoding="utf-8")
    doc = _run(gk, _report(tmp_path))
    assert "GK-N-006" not in _ran(doc) and doc["configuration"]["local_rulesets"] == []
    _, out, _ = gk(_report(tmp_path), "--color", "never")
    assert "地区：甘肃省兰州市（没有这一地区的内置地方规则集）" in " ".join(out.split())


def test_command_line_region(gk: Runner, tmp_path: Path) -> None:
    doc = _run(gk, _report(tmp_path), "--no-config", "--region", "甘肃省武威市")
    assert "GK-N-006" in _ran(doc)
    assert [(s["key"], s["source"]) for s in doc["configuration"]["local_rulesets"]] == [("region", "--region")]
    (tmp_path / "gkcheck.toml").write_text('region = "甘肃省武威市"\n', encoding="utf-8")
    doc = _run(gk, _report(tmp_path), "--region", "甘肃省兰州市")  # the command line replaces the file's region
    assert "GK-N-006" not in _ran(doc) and doc["configuration"]["region"] == "甘肃省兰州市"


def test_rulesets_naming_the_set_switch_it_on(gk: Runner, tmp_path: Path) -> None:
    standard = [p.stem for p in standard_files()]
    (tmp_path / "gkcheck.toml").write_text(f"rulesets = {json.dumps([*standard, 'local-wuwei'])}\n", encoding="utf-8")
    doc = _run(gk, _report(tmp_path))
    assert "GK-N-006" in _ran(doc) and doc["configuration"]["deselected"] == []
    assert [(s["ruleset"], s["key"]) for s in doc["configuration"]["local_rulesets"]] == [("local-wuwei", "rulesets")]
    (tmp_path / "gkcheck.toml").write_text(f"rulesets = {json.dumps(standard)}\n", encoding="utf-8")
    doc = _run(gk, _report(tmp_path))  # every standard set chosen: the local set left out is no rule "not run"
    assert "GK-N-006" not in _ran(doc) and doc["configuration"]["deselected"] == []


def test_references_to_a_rule_of_a_set_that_is_off_are_no_error(tmp_path: Path) -> None:
    path = tmp_path / "gkcheck.toml"
    table = {"ignore": ["GK-N-006"], "severity": {"overview-too-long": "warning"},
             "waivers": [{"rule": "GK-N-006", "agencies": ["*"], "reason": "篇幅经批准", "approver": "李明",
                          "expires": "2099-01-01"}]}
    compiled, waivers = configured_ruleset(config_from_table(table, path))
    assert "GK-N-006" not in compiled.ruleset.by_id and compiled.ruleset.configuration.deselected == ()
    assert [w.rule_id for w in waivers] == ["GK-N-006"]
    compiled, _ = configured_ruleset(config_from_table({**table, "region": "甘肃省武威市"}, path))
    assert [c.rule_id for c in compiled.ruleset.configuration.deselected] == ["GK-N-006"]  # on, then ignored


def test_fingerprint_follows_the_region() -> None:
    plain = configured_ruleset(Config())[0].fingerprint
    assert configured_ruleset(Config(region="甘肃省武威市"))[0].fingerprint != plain
    assert configured_ruleset(Config(region="甘肃省兰州市"))[0].fingerprint == plain


def test_the_catalogue_lists_local_rules_with_their_region(gk: Runner) -> None:
    _, out, _ = gk("rules", "--format", "json")
    [rule] = [r for r in json.loads(out) if r["id"] == "GK-N-006"]
    assert rule["ruleset"] == "local-wuwei" and rule["region"]["zh"] == "甘肃省武威市" and rule["default_enabled"] is False
    assert all(r["default_enabled"] for r in json.loads(out) if r["ruleset"] != "local-wuwei")
    _, out, _ = gk("rules")
    flat = "".join(out.split())
    assert "地方规则集local-wuwei（甘肃省武威市）：GK-N-006，默认不启用" in flat and 'region="甘肃省武威市"' in flat
    _, out, _ = gk("rules", "--format", "markdown")
    assert "〔甘肃省武威市·默认不启用〕" in out and "地方规则集，默认不启用；甘肃省武威市" in out
    _, out, _ = gk("explain", "GK-N-006")
    assert "甘肃省武威市的报告（地方规则，默认不启用）" in "".join(out.split())


def test_an_unknown_region_type_is_a_configuration_error(tmp_path: Path) -> None:
    from checker.errors import RuleSetError

    with pytest.raises(RuleSetError) as exc:
        config_from_table({"region": 42}, tmp_path / "gkcheck.toml", "region = 42\n")
    assert "region" in exc.value.zh and "第 1 行" in exc.value.zh
