"""The command line: every exit code, the output formats, bad input without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from gk_testlib import EXAMPLES, load_base

from checker.cli import main
from checker.resources import load_schema

CLEAN = str(EXAMPLES / "clean-report-2024.json")
DEFECTIVE = str(EXAMPLES / "defective-report-2024.json")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exc.value.code), out, err


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def test_clean_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, CLEAN)
    assert code == 0
    assert "100.0" in out and "优秀" in out and "没有发现问题" in out


def test_check_subcommand_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", CLEAN)[0] == run(capsys, CLEAN)[0] == 0


def test_defective_example_exits_1_and_lists_each_defect(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, DEFECTIVE, "--format", "json")
    assert code == 1
    result = json.loads(out)["results"][0]
    rules = sorted({f["rule_id"] for f in result["findings"]})
    assert rules == ["GK-D-001", "GK-S-001", "GK-S-102", "GK-T3-010", "GK-V-001", "GK-X-001"]
    assert all(f["basis"] for f in result["findings"])
    assert not result["passed"]


def test_fail_on_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = load_base()
    doc["sections"]["problems"]["text"] = "存在的问题是信息更新不及时。下一步将加强审核。"  # a warning only
    path = write(tmp_path, "warn.json", json.dumps(doc, ensure_ascii=False))
    assert run(capsys, path)[0] == 0
    assert run(capsys, path, "--fail-on", "warning")[0] == 1
    assert run(capsys, path, "--fail-on", "info")[0] == 1


def test_min_score_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, DEFECTIVE, "--exit-zero")[0] == 0
    assert run(capsys, CLEAN, "--min-score", "99")[0] == 0
    code, _, _ = run(capsys, DEFECTIVE, "--min-score", "10", "--fail-on", "error", "--exit-zero")
    assert code == 0


def test_min_score_alone_fails_low_scores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = load_base()
    doc["sections"]["problems"]["text"] = "存在的问题是信息更新不及时。下一步将加强审核。"
    path = write(tmp_path, "w.json", json.dumps(doc, ensure_ascii=False))
    assert run(capsys, path, "--min-score", "100")[0] == 1


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("missing.json", None, "找不到文件"),
    ("bad.json", "{not json", "不是有效的 JSON"),
    ("list.json", "[1, 2]", "不是一个 JSON 对象"),
    ("empty.json", "", "空"),
    ("nan.json", '{"year": NaN}', "NaN"),
    ("binary.json", "\x00\x01\x02\xff\xfe garbage \x00", "无法读取"),
])
def test_unreadable_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                  content: str | None, expected: str) -> None:
    path = str(tmp_path / name) if content is None else write(tmp_path, name, content)
    code, _, err = run(capsys, path)
    assert code == 2
    assert expected in err


def test_schema_violation_names_the_field_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = load_base()
    doc["year"] = "二〇二四"
    doc["tables"]["requests"]["new"]["total"] = {"value": 3}
    path = write(tmp_path, "invalid.json", json.dumps(doc, ensure_ascii=False))
    code, _, err = run(capsys, path)
    assert code == 2
    assert "/year" in err and "报告年度" in err and "整数" in err
    assert "/tables/requests/new/total" in err


def test_gbk_json_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = load_base()
    path = write(tmp_path, "gbk.json", json.dumps(doc, ensure_ascii=False).encode("gb18030"))
    assert run(capsys, path)[0] == 0


def test_one_bad_file_does_not_stop_the_others(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", "{")
    code, out, err = run(capsys, CLEAN, bad, DEFECTIVE)
    assert code == 2
    assert "青禾县人民政府" in out and "青禾县市场监督管理局" in out
    assert "bad.json" in err


def test_broken_rule_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = write(tmp_path, "r.yaml", "ruleset: x\nversion: '1'\nrules: [\n")
    code, _, err = run(capsys, CLEAN, "--rules", rules)
    assert code == 2 and "YAML" in err
    rules = write(tmp_path, "r2.yaml", "ruleset: x\nversion: '1'\ntitle: {zh: a, en: b}\nsource: {zh: a, en: b}\n"
                                       "rules: [{id: BAD}]\n")
    code, _, err = run(capsys, CLEAN, "--rules", rules)
    assert code == 2 and "规则文件" in err


def test_usage_error_exits_2_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, CLEAN, "--no-such-option")
    assert code == 2 and "命令用法错误" in err
    code, _, err = run(capsys, CLEAN, "--published", "2025/01/20")
    assert code == 2 and "YYYY-MM-DD" in err


def test_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, CLEAN, "--published", "2025-04-10", "--format", "json")
    assert code == 1
    assert any(f["rule_id"] == "GK-D-002" for f in json.loads(out)["results"][0]["findings"])
    code, out, _ = run(capsys, CLEAN, "--agency-kind", "department", "--published", "2025-02-10", "--format", "json")
    assert {f["rule_id"] for f in json.loads(out)["results"][0]["findings"]} >= {"GK-D-001"}


def test_json_output_matches_result_schema(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, DEFECTIVE, CLEAN, "--format", "json")
    doc = json.loads(out)
    jsonschema.Draft202012Validator(load_schema("result.schema.json")).validate(doc)
    assert [r["passed"] for r in doc["results"]] == [False, True]


def test_english_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, DEFECTIVE, "--lang", "en")
    assert code == 1
    assert "Score" in out and "The report has no part" in out
    code, _, err = run(capsys, "nope.json", "--lang", "en")
    assert code == 2 and "nope.json" in err and "无法读取" not in err


def test_output_file_never_overwrites_the_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", Path(CLEAN).read_text(encoding="utf-8"))
    before = Path(path).read_bytes()
    code, _, err = run(capsys, path, "--format", "json", "-o", path)
    assert code == 2 and "覆盖" in err
    assert Path(path).read_bytes() == before
    out = tmp_path / "result.json"
    assert run(capsys, path, "--format", "json", "-o", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["results"][0]["score"]["overall"] == 100.0


def test_explain_score(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, DEFECTIVE, "--explain-score")
    assert code == 1 and "得分计算" in out and "GK-T3-010" in out


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "GK-T3-010" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0 and len(json.loads(out)) >= 40
    code, out, _ = run(capsys, "explain", "GK-T3-010")
    assert code == 0 and "检查什么" in out and "如何修改" in out
    code, out, _ = run(capsys, "explain", "request-balance-mismatch", "--lang", "en")
    assert code == 0 and "How to fix" in out
    code, _, err = run(capsys, "explain", "GK-T3-1")
    assert code == 2 and "是否想查看" in err and "GK-T3-01" in err


def test_convert_writes_a_checkable_document(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             corpus_dir: Path) -> None:
    out = tmp_path / "seed.json"
    code, _, _ = run(capsys, "convert", str(corpus_dir / "text" / "xiangxiang-emergency-2024.txt"), "-o", str(out))
    assert code == 0
    assert run(capsys, str(out))[0] == 1


def test_previous_year_runs_cross_year_rules(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    last = load_base()
    last.update({"year": 2023, "published": "2024-03-20",
                 "period": {"text": "统计期限", "start": "2023-01-01", "end": "2023-12-31"}})
    last["tables"]["requests"]["carried_over"]["natural_person"] = 3
    last["tables"]["requests"]["carried_over"]["total"] = 4
    path = write(tmp_path, "2023.json", json.dumps(last, ensure_ascii=False))
    code, out, _ = run(capsys, CLEAN, "--previous", path, "--format", "json")
    outcomes = {o["rule_id"]: o["outcome"] for o in json.loads(out)["results"][0]["outcomes"]}
    assert outcomes["GK-Y-001"] == "fail" and outcomes["GK-Y-004"] == "fail"
    assert code == 0  # cross-year rules are warnings
    code, out, _ = run(capsys, CLEAN, "--format", "json")
    outcomes = {o["rule_id"]: o["outcome"] for o in json.loads(out)["results"][0]["outcomes"]}
    assert outcomes["GK-Y-001"] == "not_applicable"
    code, _, err = run(capsys, CLEAN, DEFECTIVE, "--previous", path)
    assert code == 2 and "--previous" in err


def test_lazy_commands_help_lines_are_the_commands_own() -> None:
    """``gkcheck --help`` lists the commands from checker.cli.LAZY_COMMANDS without importing them:
    each line must be the command's own short help."""
    import importlib

    import click

    from checker.cli import LAZY_COMMANDS, cli

    assert set(LAZY_COMMANDS) == {"audit", "check", "convert", "explain", "rules", "serve"}
    for name, (module, attribute, line) in LAZY_COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert command.get_short_help_str(1000) == line, name
        assert cli.get_command(click.Context(cli), name) is command


def test_help_imports_nothing_heavy() -> None:
    """``gkcheck --help`` starts quickly: no pandas, pandera, numpy, jsonschema, rich or command module."""
    import subprocess
    import sys

    code = ("import sys\nfrom checker.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('pandas', 'pandera', 'numpy', 'jsonschema', 'rich', 'yaml', 'checker.cli_commands',\n"
            "         'checker.audit', 'checker.web', 'checker.loader', 'checker.engine')\n"
            "print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
