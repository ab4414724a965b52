"""Configuration: discovery and precedence, select/ignore, severities, local deadlines, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN, DEFECTIVE, Runner

from checker import compiled_ruleset
from checker.config import Config, apply_config, discover, find_config, line_of, selected
from checker.errors import RuleSetError
from checker.model import Severity


def findings(gk: Runner, *args: object) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = gk(*args, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)["results"][0]["findings"]


def ids(found: list[dict[str, Any]]) -> set[str]:
    return {f["rule_id"] for f in found}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------- discovery


def test_discovered_upward_and_the_nearest_wins(tmp_path: Path) -> None:
    report = write(tmp_path / "a" / "b" / "r.json", "{}")
    assert discover([str(report)]) is None or not str(discover([str(report)])).startswith(str(tmp_path))
    top = write(tmp_path / "gkcheck.toml", "")
    assert discover([str(report)]) == top
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.gkcheck]: skipped
    assert discover([str(report)]) == top
    near = write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.gkcheck]\nignore = ['GK-N']\n")
    assert discover([str(report)]) == near
    same_dir = write(tmp_path / "a" / "b" / "gkcheck.toml", "")
    assert discover([str(report)]) == same_dir
    other = write(tmp_path / "a" / "c" / "r.json", "{}")
    assert discover([str(report), str(other)]) == top  # from the common directory of the files


def test_explicit_and_disabled_configuration(tmp_path: Path) -> None:
    report = write(tmp_path / "r.json", "{}")
    write(tmp_path / "gkcheck.toml", "ignore = ['GK-N']\n")
    other = write(tmp_path / "elsewhere.toml", "ignore = ['GK-T3']\n")
    assert find_config([str(report)]).ignore == ("GK-N",)
    assert find_config([str(report)], explicit=str(other)).ignore == ("GK-T3",)
    assert find_config([str(report)], disabled=True) == Config()


def test_cli_select_and_ignore_replace_the_file(gk: Runner, reports: Path) -> None:
    write(reports / "gkcheck.toml", 'ignore = ["GK-T3"]\n')
    report = reports / DEFECTIVE.name
    partial = "--allow-partial-rules"  # every case below leaves out a whole family or a minimum-set rule
    assert "GK-T3-010" not in ids(findings(gk, report, partial)[1])
    assert "GK-T3-010" in ids(findings(gk, report, "--no-config")[1])
    assert "GK-T3-010" in ids(findings(gk, report, "--ignore", "GK-V", partial)[1])
    assert ids(findings(gk, report, "--select", "GK-T3,GK-S-001", partial)[1]) == {"GK-S-001"}  # ignore wins the tie
    assert ids(findings(gk, report, "--select", "GK-T3-010,GK-S-001", partial)[1]) == {"GK-T3-010", "GK-S-001"}
    other = write(reports / "x.toml", "ignore = ['missing-section']\n")
    assert "GK-S-001" not in ids(findings(gk, report, "--config", other, partial)[1])


def test_pyproject_tool_table(gk: Runner, reports: Path) -> None:
    write(reports / "pyproject.toml", '[project]\nname = "r"\n\n[tool.gkcheck]\nselect = ["GK-S"]\n')
    assert ids(findings(gk, reports / DEFECTIVE.name, "--allow-partial-rules")[1]) == {"GK-S-001", "GK-S-102"}


# ------------------------------------------------------------------------------------------- select/ignore


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ((), (), True),
    (("GK-T3",), (), True),
    (("GK-T2",), (), False),
    ((), ("GK-T",), False),
    (("GK-T3-010",), ("GK-T",), True),          # the longer (full id) wins
    (("GK-T",), ("GK-T3",), False),             # the longer prefix wins
    (("GK-T3",), ("GK-T3",), False),            # a tie: ignore wins
    (("GK",), ("request-balance-mismatch",), False),  # a name is the most specific
    (("gk-t3",), (), True),                     # ids are case-insensitive
])
def test_longest_prefix_wins(select: tuple[str, ...], ignore: tuple[str, ...], expected: bool) -> None:
    rule = compiled_ruleset().ruleset.by_id["GK-T3-010"]
    assert selected(rule, select, ignore) is expected


def test_unknown_rule_reference_suggests_the_closest(gk: Runner, reports: Path) -> None:
    code, _, err = gk(reports / CLEAN.name, "--select", "GK-T3-01O")
    assert code == 2 and "GK-T3-01O" in err and "是否想写" in err and "GK-T3-010" in err
    write(reports / "gkcheck.toml", '[severity]\nrequest-balance-mismatc = "warning"\n')
    code, _, err = gk(reports / CLEAN.name)
    assert code == 2 and "gkcheck.toml" in err and "request-balance-mismatch" in err


def test_apply_config_is_pure() -> None:
    ruleset = compiled_ruleset().ruleset
    before = [(r.id, r.severity) for r in ruleset.rules]
    out = apply_config(ruleset, Config(ignore=("GK-T",), severity={"GK-V-001": "error"}))  # type: ignore[dict-item]
    assert [(r.id, r.severity) for r in ruleset.rules] == before
    assert not any(r.id.startswith("GK-T") for r in out.rules)
    assert all(i.rule.id in {r.id for r in out.rules} for i in out.instances)


# ------------------------------------------------------------------------------------------- severities, rule sets


def test_severity_override_changes_the_verdict(gk: Runner, reports: Path, clean_doc: dict[str, Any]) -> None:
    clean_doc["tables"]["requests"]["new"]["research"] = None  # a blank cell: GK-V-001, a warning
    path = reports / "blank.json"
    path.write_text(json.dumps(clean_doc, ensure_ascii=False), encoding="utf-8")
    assert gk(path)[0] == 0
    write(reports / "gkcheck.toml", '[severity]\n"GK-V-001" = "error"\n')
    code, found = findings(gk, path)
    assert code == 1 and [f["severity"] for f in found if f["rule_id"] == "GK-V-001"] == ["error"]


def test_rulesets_choose_the_rule_files(gk: Runner, reports: Path) -> None:
    write(reports / "gkcheck.toml", 'rulesets = ["tiaoli"]\n')
    code, _, err = gk(reports / DEFECTIVE.name)  # the tables' rule sets are left out: too much, unless allowed
    assert code == 2 and "rulesets" in err and "GK-T3-010" in err and "--allow-partial-rules" in err
    _, out, _ = gk(reports / DEFECTIVE.name, "--format", "json", "--allow-partial-rules")
    doc = json.loads(out)
    assert set(doc["rulesets"]) == {"tiaoli", "local"}
    left_out = {c["rule_id"]: c["key"] for c in doc["configuration"]["deselected"]}
    assert left_out["GK-T3-010"] == "rulesets" and doc["configuration"]["partial_allowed"]
    write(reports / "gkcheck.toml", 'rulesets = ["tiaol"]\n')
    code, _, err = gk(reports / DEFECTIVE.name)
    assert code == 2 and "tiaoli" in err


# ------------------------------------------------------------------------------------------- local deadlines


def test_local_deadline_adds_a_finding(gk: Runner, reports: Path, clean_doc: dict[str, Any]) -> None:
    clean_doc["agency"]["kind"] = "department"
    clean_doc["published"] = "2025-01-28"
    path = reports / "dept.json"
    path.write_text(json.dumps(clean_doc, ensure_ascii=False), encoding="utf-8")
    assert gk(path)[0] == 0  # within the statutory 31 January
    write(reports / "gkcheck.toml", '[deadlines]\ndepartment = "01-26"\n')
    code, found = findings(gk, path)
    assert code == 1
    [local] = [f for f in found if f["rule_id"] == "GK-D-005"]
    assert "2025-01-26" in local["message"] and "gkcheck.toml" in local["message"] and "逾期 2 天" in local["message"]
    _, out, _ = gk(path, "--format", "json", "--no-config")
    outcomes = {o["rule_id"]: o["outcome"] for o in json.loads(out)["results"][0]["outcomes"]}
    assert outcomes["GK-D-005"] == "not_applicable"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("department", "02-15", "晚于《条例》第四十九条规定的法定期限 01-31"),
    ("government", "04-01", "法定期限 03-31"),
    ("department", "02-30", "没有这一天"),
    ("department", "1-26", "格式不对"),
])
def test_bad_local_deadline_names_file_and_key(gk: Runner, reports: Path, key: str, value: str, message: str) -> None:
    write(reports / "gkcheck.toml", f'# 本地期限\n[deadlines]\n{key} = "{value}"\n')
    code, _, err = gk(reports / CLEAN.name)
    assert code == 2 and "gkcheck.toml" in err and f"deadlines.{key}" in err and "第 3 行" in err and message in err


def test_deadline_for_kinds_without_a_statutory_date(gk: Runner, reports: Path) -> None:
    write(reports / "gkcheck.toml", '[deadlines]\nsubdistrict = "02-20"\n')
    assert gk(reports / CLEAN.name)[0] == 0


# ------------------------------------------------------------------------------------------- malformed files


@pytest.mark.parametrize(("text", "expected"), [
    ('select = ["GK-T3"\nignore = []\n', ["第 2 行", "不是合法的 TOML"]),
    ('selekt = ["GK-T3"]\n', ["第 1 行", "selekt", "不认识的配置项"]),
    ('select = "GK-T3"\n', ["第 1 行", "select", "类型不对"]),
    ('\n[severity]\n"GK-T3-010" = "fatal"\n', ["第 3 行", "severity.GK-T3-010", "可选值"]),
    ('[[waivers]]\nrule = "GK-S-001"\nreason = "理由充分"\napprover = "李明"\nexpires = 2025-01-01\n',
     ["第 1 行", "files", "agencies"]),
    ('[[waivers]]\nrule = "GK-S-001"\nfiles = ["*"]\nreason = "理由充分"\napprover = "李明"\n'
     '\n[[waivers]]\nrule = "GK-S-001"\nfiles = ["*"]\nreason = "理由充分"\nexpires = 2025-01-01\n',
     ["第 1 行", "waivers.0", "expires"]),
])
def test_malformed_configuration_names_file_line_and_problem(gk: Runner, reports: Path, text: str,
                                                              expected: list[str]) -> None:
    write(reports / "gkcheck.toml", text)
    code, out, err = gk(reports / CLEAN.name)
    assert code == 2 and out == ""
    assert "gkcheck.toml" in err
    for part in expected:
        assert part in err, (part, err)


def test_english_configuration_errors(gk: Runner, reports: Path) -> None:
    write(reports / "gkcheck.toml", "select = [\n")
    code, _, err = gk(reports / CLEAN.name, "--lang", "en")
    assert code == 2 and "is not valid TOML" in err and "line" in err


def test_line_of_finds_keys_in_tables_and_arrays() -> None:
    text = ('select = ["GK"]\n\n[tool.gkcheck.deadlines]\ndepartment = "01-20"\n\n'
            '[[tool.gkcheck.waivers]]\nrule = "a"\n\n[[tool.gkcheck.waivers]]\nrule = "b"\nexpires = 1\n')
    assert line_of(text, ["select"]) == 1
    assert line_of(text, ["deadlines", "department"]) == 4
    assert line_of(text, ["waivers", 0]) == 6
    assert line_of(text, ["waivers", 1, "expires"]) == 11


def test_configuration_error_is_a_ruleset_error(tmp_path: Path) -> None:
    bad = write(tmp_path / "gkcheck.toml", "ignore = [1]\n")
    with pytest.raises(RuleSetError) as exc:
        find_config([], explicit=str(bad))
    assert "第 1 行" in exc.value.zh and "line 1" in exc.value.en


# ------------------------------------------------------------------------------------------- configuration shown


def test_every_output_names_the_configuration_and_what_it_changed(gk: Runner, reports: Path) -> None:
    write(reports / "gkcheck.toml", 'ignore = ["GK-S-104"]\n\n[severity]\n"GK-V-001" = "error"\n')
    report = reports / DEFECTIVE.name
    _, out, _ = gk(report, "--format", "json")
    conf = json.loads(out)["configuration"]
    assert conf["file"].endswith("gkcheck.toml") and not conf["partial_allowed"]
    assert [(c["rule_id"], c["key"]) for c in conf["deselected"]] == [("GK-S-104", "ignore")]
    assert conf["deselected_families"] == {"GK-S": 1}
    assert [(c["rule_id"], c["from"], c["to"]) for c in conf["severities"]] == [("GK-V-001", "warning", "error")]
    _, out, _ = gk(report, "--format", "sarif")
    run = json.loads(out)["runs"][0]
    assert run["properties"]["configuration"] == conf
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolConfigurationNotifications"]]
    assert any("gkcheck.toml" in n for n in notes) and any("未运行的规则：共 1 条" in n for n in notes)
    for fmt in ("text", "html", "markdown", "junit"):
        _, out, _ = gk(report, "--format", fmt, "--color", "never") if fmt == "text" else gk(report, "--format", fmt)
        flat = " ".join(out.split())
        assert "gkcheck.toml" in flat and "未运行的规则" in flat and "GK-S 1" in flat and "GK-V-001" in flat, fmt


def test_command_line_deselection_is_shown_too(gk: Runner, reports: Path) -> None:
    _, out, _ = gk(reports / DEFECTIVE.name, "--no-config", "--ignore", "GK-S-104", "--format", "json")
    conf = json.loads(out)["configuration"]
    assert conf["file"] is None and [(c["rule_id"], c["source"]) for c in conf["deselected"]] == [("GK-S-104", "--ignore")]
    _, out, _ = gk(reports / DEFECTIVE.name, "--no-config", "--format", "json")
    assert json.loads(out)["configuration"]["deselected"] == []


@pytest.mark.parametrize(("table", "phrases"), [
    ('select = ["GK-W"]\n', ["select", "GK-T3（第三部分表格）", "GK-S-001 missing-section"]),
    ('ignore = ["GK-T3-010"]\n', ["ignore", "最低规则集", "GK-T3-010 request-balance-mismatch"]),
    ('ignore = ["GK-N-002", "GK-N-003", "GK-N-004", "GK-X", "GK-S-008"]\n', ["ignore", "五、存在的主要问题及改进情况"]),
    ('[severity]\n"GK-T3-010" = "info"\n', ["severity", "GK-T3-010"]),
])
def test_switching_off_too_much_needs_allow_partial_rules(gk: Runner, reports: Path, table: str,
                                                          phrases: list[str]) -> None:
    write(reports / "gkcheck.toml", table)
    code, _, err = gk(reports / DEFECTIVE.name)
    assert code == 2 and "gkcheck.toml" in err and "--allow-partial-rules" in err
    assert all(p in err for p in phrases), err
    assert gk(reports / DEFECTIVE.name, "--allow-partial-rules")[0] in (0, 1)


def test_nothing_left_is_an_error_even_when_allowed(gk: Runner, reports: Path) -> None:
    write(reports / "pyproject.toml", '[tool.gkcheck]\nignore = ["GK"]\n')
    code, _, err = gk(reports / DEFECTIVE.name, "--allow-partial-rules")
    assert code == 2 and "pyproject.toml" in err and "停用了全部规则" in err


# ------------------------------------------------------------------------------------------- fingerprint


def _copy_rules(target: Path) -> list[Path]:
    from checker.loader import default_files
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for f in default_files():
        out.append(target / f.name)
        out[-1].write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def test_fingerprint_follows_the_rules_content_not_their_version(tmp_path: Path) -> None:
    from checker.loader import load_ruleset
    files = _copy_rules(tmp_path / "a")
    first = load_ruleset(files).fingerprint
    assert load_ruleset(files).fingerprint == first  # loading again
    assert load_ruleset(_copy_rules(tmp_path / "b")).fingerprint == first  # the same content elsewhere
    tiaoli = next(f for f in files if f.name == "tiaoli.yaml")
    text = tiaoli.read_text(encoding="utf-8")
    tiaoli.write_text(text.replace("报告缺少“{section_label}”部分。", "报告缺了“{section_label}”部分。", 1), encoding="utf-8")
    edited_message = load_ruleset(files).fingerprint
    tiaoli.write_text(text.replace("'考核|评议|责任追究|问责'", "'考核|评议|问责'", 1), encoding="utf-8")
    edited_pattern = load_ruleset(files).fingerprint
    assert len({first, edited_message, edited_pattern}) == 3
    assert load_ruleset(files).version == load_ruleset(_copy_rules(tmp_path / "c")).version  # version unchanged


def test_fingerprint_follows_the_configuration() -> None:
    from checker.config import configured_ruleset
    plain = configured_ruleset(Config())[0]
    assert plain.fingerprint == plain.ruleset.fingerprint == configured_ruleset(Config())[0].fingerprint
    ignored = configured_ruleset(Config(ignore=("GK-S-104",)))[0].fingerprint
    severity = configured_ruleset(Config(severity={"GK-V-001": Severity.ERROR}))[0].fingerprint
    deadline = configured_ruleset(Config(deadlines={"department": (1, 20)}))[0].fingerprint
    assert len({plain.fingerprint, ignored, severity, deadline}) == 4
