"""Hostile matrix, area ``rules``: configuration, rule files and rule patterns (issue 12, items 2, 6, 12).

* A configuration beside a report (or in a parent ``pyproject.toml``) that switches off whole
  families, tables or parts, or the minimum rule set, is an error naming the file and the key
  unless ``--allow-partial-rules``; one that switches off everything always is; what a
  configuration changes is shown in every output.
* Rule-file patterns run on RE2: ``^(a+)+$`` on 34 or 10,000 characters, and a run of 40,000
  or 1,000,000 digits in the overview, take linear time; look-arounds are refused at load.
* Rule files: billion laughs, deep nesting, duplicate keys, an oversized file, a recursive
  alias are refused before any data is built; configuration TOML: duplicate keys and deep
  nesting are refused in Chinese.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from gk_testlib import EXAMPLES

from checker.loader import default_files
from hostile.harness import Case, Run, run_case

DEFECTIVE = EXAMPLES / "defective-report-2024.json"
CLEAN = EXAMPLES / "clean-report-2024.json"


def report(folder: Path, name: str = "r.json", source: Path = DEFECTIVE, overview: str | None = None) -> Path:
    """A copy of a bundled example in ``folder`` (its overview text replaced when given)."""
    doc = json.loads(source.read_text(encoding="utf-8"))
    if overview is not None:
        doc["sections"]["overview"]["text"] = overview
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def rule_file(folder: Path, pattern: str) -> Path:
    """A rule file with one text rule requiring ``pattern`` in the overview (from a bundled rule)."""
    base = yaml.safe_load(next(f for f in default_files() if f.stem == "tiaoli").read_text(encoding="utf-8"))
    rule = copy.deepcopy(next(r for r in base["rules"] if r["id"] == "GK-N-007"))
    rule.update(id="GK-Z-001", name="pattern-hostile",
                check={"kind": "text", "at": "/sections/overview/text", "pattern": pattern,
                       "requires": ["/sections/overview"]},
                examples={"pass": [{"name": "a"}], "fail": [{"name": "b", "findings": 1}]})
    doc = {k: v for k, v in base.items() if k not in ("rules", "sets")}
    doc.update(ruleset="hostile", rules=[rule])
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\nruleset: x\nversion: '1'\nrules: []\n"


def with_config(text: str, *args: str, name: str = "gkcheck.toml", where: str = ".") -> object:
    """Build: the defective report in ``sub/`` and a configuration file in ``where`` (relative to the case folder)."""
    def build(folder: Path) -> Sequence[str]:
        (folder / where).mkdir(parents=True, exist_ok=True)
        (folder / where / name).write_text(text, encoding="utf-8")
        return [str(report(folder / "sub")), *args]
    return build


def with_rules(text: str | None = None, pattern: str | None = None, overview: str | None = None,
               *args: str) -> object:
    """Build: the clean report (overview replaced when given) checked with one rule file."""
    def build(folder: Path) -> Sequence[str]:
        if pattern is not None:
            rules = rule_file(folder, pattern)
        else:
            rules = folder / "rules.yaml"
            rules.write_text(text or "", encoding="utf-8")
        return [str(report(folder, source=CLEAN, overview=overview)), "--no-config", "--rules", str(rules), *args]
    return build


def overview_of(text: str, *args: str) -> object:
    def build(folder: Path) -> Sequence[str]:
        return [str(report(folder, source=CLEAN, overview=text)), "--no-config", *args]
    return build


def json_configuration(expect_file: str, deselected: bool) -> object:
    def check(run: Run, folder: Path) -> None:
        conf = json.loads(run.stdout)["configuration"]
        assert conf["file"] and conf["file"].endswith(expect_file)
        assert bool(conf["deselected"]) is deselected and conf["partial_allowed"]
    return check


SELECT_W = 'select = ["GK-W"]\n'
ALLOW = "--allow-partial-rules"

CASES = [
    # --- item 2: a configuration beside a report
    Case("select-GK-W-beside-report", with_config(SELECT_W), 2,
         ("gkcheck.toml", "select", "GK-T3（第三部分表格）", "GK-T3-010 request-balance-mismatch", ALLOW), 20, 400),
    Case("select-GK-W-with-min-score", with_config(SELECT_W, "--min-score", "60"), 2,
         ("gkcheck.toml", "select", ALLOW), 20, 400),
    Case("select-GK-W-parent-pyproject", with_config("[tool.gkcheck]\n" + SELECT_W, name="pyproject.toml"), 2,
         ("pyproject.toml", "select", "最低规则集", ALLOW), 20, 400),
    Case("select-GK-W-json", with_config(SELECT_W, "--format", "json"), 2, ("gkcheck.toml", ALLOW), 20, 400),
    Case("ignore-GK-beside-report", with_config('ignore = ["GK"]\n'), 2,
         ("gkcheck.toml", "ignore", "停用了全部规则"), 20, 400),
    Case("ignore-GK-parent-pyproject", with_config('[tool.gkcheck]\nignore = ["GK"]\n', name="pyproject.toml"), 2,
         ("pyproject.toml", "ignore", "停用了全部规则"), 20, 400),
    Case("ignore-GK-even-allowed", with_config('ignore = ["GK"]\n', ALLOW), 2, ("停用了全部规则",), 20, 400),
    Case("ignore-core-rule", with_config('ignore = ["request-balance-mismatch"]\n'), 2,
         ("gkcheck.toml", "ignore", "最低规则集", "GK-T3-010"), 20, 400),
    Case("severity-core-to-info", with_config('[severity]\n"GK-T3-010" = "info"\n'), 2,
         ("gkcheck.toml", "severity", "GK-T3-010"), 20, 400),
    Case("rulesets-without-tables", with_config('rulesets = ["tiaoli"]\n'), 2,
         ("gkcheck.toml", "rulesets", "GK-T3（第三部分表格）"), 20, 400),
    Case("cli-select-family", with_config("", "--select", "GK-V"), 2, ("命令行选项 --select", ALLOW), 20, 400),
    Case("select-GK-W-allowed-shown-text", with_config(SELECT_W, ALLOW, "--color", "never"), frozenset({0, 1}),
         ("配置文件", "gkcheck.toml", "未运行的规则：共", "--allow-partial-rules"), 20, 400),
    Case("select-GK-W-allowed-shown-json", with_config(SELECT_W, ALLOW, "--format", "json"), frozenset({0, 1}),
         ("configuration",), 20, 400, check=json_configuration("gkcheck.toml", True)),
    Case("parent-pyproject-allowed-shown-json",
         with_config("[tool.gkcheck]\n" + SELECT_W, ALLOW, "--format", "json", name="pyproject.toml"),
         frozenset({0, 1}), (), 20, 400, check=json_configuration("pyproject.toml", True)),
    # --- item 6: patterns and texts that made the regex engine take unbounded time
    Case("pattern-nested-quantifier-34", with_rules(pattern="^(a+)+$", overview="a" * 34 + "b"),
         frozenset({0, 1}), (), 15, 400),
    Case("pattern-nested-quantifier-10k", with_rules(pattern="^(a+)+$", overview="a" * 10_000 + "b"),
         frozenset({0, 1}), (), 15, 400),
    Case("pattern-lookbehind-refused", with_rules(pattern="(?<!x)a"), 2,
         ("GK-Z-001", "(?<!x)a", "前后断言", "RE2"), 15, 400),
    Case("pattern-backreference-refused", with_rules(pattern=r"(a)\1"), 2, ("GK-Z-001", "反向引用"), 15, 400),
    Case("overview-40k-digits", overview_of("1" * 40_000), frozenset({0, 1}), (), 20, 500),
    Case("overview-40k-chinese-numerals", overview_of("十" * 40_000), frozenset({0, 1}), (), 20, 500),
    Case("overview-40k-ordinals-with-units", overview_of("第1件，" * 10_000), frozenset({0, 1}), (), 20, 500),
    Case("overview-40k-statements-one-sentence", overview_of("收到申请1件" * 7_000), frozenset({0, 1}), (), 25, 500),
    # 1,000,000 characters: over limits.FIELD_CHARS, which the JSON reader may refuse (exit 2); either way, bounded
    Case("overview-1M-digits", overview_of("1" * 1_000_000), frozenset({0, 1, 2}), (), 30, 900),
    Case("overview-1M-digits-with-unit", overview_of("1" * 1_000_000 + "件"), frozenset({0, 1, 2}), (), 30, 900),
    # --- items 6 and 12: rule files and configuration files
    Case("rules-billion-laughs", with_rules(laughs()), 2, ("别名", "GKCHECK_LIMIT_YAML_ALIASES"), 15, 300),
    Case("rules-recursive-alias", with_rules("ruleset: x\nversion: '1'\nrules: &r\n  - *r\n"), 2,
         ("循环引用",), 15, 300),
    Case("rules-deep-nesting", with_rules("a: " + "[" * 5000 + "]" * 5000 + "\n"), 2,
         ("嵌套层数", "GKCHECK_LIMIT_DEPTH"), 15, 300),
    Case("rules-duplicate-key", with_rules("ruleset: x\nversion: '1'\nruleset: y\nrules: []\n"), 2,
         ("第 3 行", "“ruleset”重复", "第 1 行"), 15, 300),
    Case("rules-oversized", with_rules("a: '" + "x" * (2 * 2**20) + "'\n"), 2, ("GKCHECK_LIMIT_INPUT_MB",), 15, 300,
         env={"GKCHECK_LIMIT_INPUT_MB": "1"}),
    Case("config-duplicate-toml-key", with_config('select = ["GK-T3"]\nselect = ["GK-S"]\n'), 2,
         ("gkcheck.toml", "第 2 行", "同一个键写了两次"), 15, 300),
    Case("config-duplicate-toml-table", with_config('[severity]\n"GK-V-001" = "error"\n[severity]\n'), 2,
         ("gkcheck.toml", "第 3 行", "声明了两次"), 15, 300),
    Case("config-deep-toml", with_config("x = " + "[" * 5000 + "]" * 5000 + "\n"), 2,
         ("gkcheck.toml", "嵌套层数", "GKCHECK_LIMIT_DEPTH"), 15, 300),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
