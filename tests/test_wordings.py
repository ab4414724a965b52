"""Wording families (``wordings:`` in the rule files): every example sentence, and how a family reads a text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.errors import RuleSetError
from checker.loader import default_files, load_ruleset
from checker.model import Text
from checker.wordings import Wording


def _bundled() -> list[Wording]:
    out = []
    for path in default_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [Wording.from_data(name, raw, data["ruleset"]) for name, raw in (data.get("wordings") or {}).items()]
    return out


FAMILIES = _bundled()
CASES = [(w, s, True) for w in FAMILIES for s in w.examples_match] + \
        [(w, s, False) for w in FAMILIES for s in w.examples_no_match]


@pytest.mark.parametrize(("wording", "sentence", "should"), CASES,
                         ids=[f"{w.name}-{'match' if m else 'no_match'}-{i}" for i, (w, _, m) in enumerate(CASES)])
def test_family_example(wording: Wording, sentence: str, should: bool) -> None:
    found = wording.compiled().search(sentence)
    assert (found is not None) is should, (sentence, found.group() if found else None)


def test_every_bundled_family_is_used_and_has_both_kinds_of_example() -> None:
    used = load_ruleset().wordings
    for w in FAMILIES:
        assert w.name in used, f"wording family {w.name} is defined but no rule uses it"
        assert w.examples_match and w.examples_no_match, w.name


def _family(match: list[str], unless: list[str] | None = None) -> Wording:
    return Wording("t", Text("测试", "test"), tuple(match), tuple(unless or ()), ("x",), ("y",), "test")


def test_a_veto_silences_only_the_match_it_overlaps() -> None:
    fam = _family(["收费"], ["停车收费"]).compiled()
    assert not fam.test("停车收费标准已公示。")
    found = fam.search("停车收费标准已公示；本年度未发生收费情况。")
    assert found is not None and found.start() == 16  # the second 收费, not vetoed
    assert fam.test("收费情况：无。停车场另行公示。")  # a veto elsewhere in the text does not silence it


def test_the_earliest_counted_match_is_found_across_patterns() -> None:
    fam = _family(["乙", "甲"], ["甲丙"]).compiled()
    assert fam.search("甲丙乙甲").start() == 2
    assert fam.search("甲乙").group() == "甲"
    assert fam.search("甲丙") is None


def test_an_empty_match_is_vetoed_by_a_veto_that_covers_its_position() -> None:
    fam = _family(["^无?$"], ["无"]).compiled()
    assert fam.test("")
    assert not fam.test("无")


# ----------------------------------------------------------------------------- rule files

_RULE = {"id": "GK-Z-001", "name": "test-wording-rule", "title": {"zh": "测试", "en": "test"}, "severity": "warning",
         "weight": 1, "category": "完整性", "basis": {"zh": "测试", "en": "test"},
         "message": {"zh": "测试", "en": "test"},
         "doc": {k: "测试用的说明" for k in ("what", "why", "fix", "example_fail", "example_pass")},
         "examples": {"pass": [{}], "fail": [{}]}}


def _write(tmp_path: Path, name: str, check: dict[str, Any], wordings: dict[str, Any] | None = None,
           ruleset: str = "test") -> Path:
    data: dict[str, Any] = {"ruleset": ruleset, "version": "1", "title": {"zh": "测试", "en": "test"},
                            "source": {"zh": "测试", "en": "test"}}
    if wordings is not None:
        data["wordings"] = wordings
    data["rules"] = [{**_RULE, "id": f"GK-Z-{len(list(tmp_path.glob('*.yaml'))) + 1:03d}",
                      "name": f"test-rule-{ruleset}", "check": check}]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


_FEE = {"title": {"zh": "收费", "en": "fees"}, "match": ["收费"], "unless": ["停车收费"],
        "examples": {"match": ["未发生收费情况。"], "no_match": ["停车收费标准。"]}}
_CHECK = {"kind": "text", "at": "/sections/other/text", "wording": "fee"}


def test_a_rule_file_defines_and_uses_a_family(tmp_path: Path) -> None:
    ruleset = load_ruleset([_write(tmp_path, "a.yaml", _CHECK, {"fee": _FEE})])
    assert [w.name for w in ruleset.rules[0].wordings] == ["fee"]
    assert list(ruleset.wordings) == ["fee"]


def test_families_are_shared_by_the_files_loaded_together(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", {**_CHECK, "at": "/sections/problems/text"}, {"fee": _FEE}, ruleset="a")
    b = _write(tmp_path, "b.yaml", _CHECK, ruleset="b")
    assert [w.name for r in load_ruleset([a, b]).rules for w in r.wordings] == ["fee", "fee"]


def test_a_family_the_loaded_files_lack_comes_from_the_bundled_ones(tmp_path: Path) -> None:
    ruleset = load_ruleset([_write(tmp_path, "a.yaml", {**_CHECK, "wording": "fee_statement"})])
    assert list(ruleset.wordings) == ["fee_statement"]
    fmt = next(p for p in default_files() if p.stem == "format-2021")
    alone = load_ruleset([fmt])  # GK-T3-014 uses a family defined in tiaoli.yaml
    assert "fee_statement" in alone.wordings


def test_an_undefined_family_is_a_broken_rule_file(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="未定义的措辞族“nope”"):
        load_ruleset([_write(tmp_path, "a.yaml", {**_CHECK, "wording": "nope"})])


def test_a_family_defined_twice_is_a_broken_rule_file(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _CHECK, {"fee": _FEE}, ruleset="a")
    b = _write(tmp_path, "b.yaml", _CHECK, {"fee": _FEE}, ruleset="b")
    with pytest.raises(RuleSetError, match="已在 .* 中定义"):
        load_ruleset([a, b])


@pytest.mark.parametrize(("examples", "wrong"), [({"match": ["停车收费。"], "no_match": ["无。"]}, "应当匹配但没有匹配"),
                                                 ({"match": ["收费。"], "no_match": ["未收费。"]}, "不应匹配但匹配了")])
def test_a_family_whose_examples_fail_is_a_broken_rule_file(tmp_path: Path, examples: dict[str, Any],
                                                            wrong: str) -> None:
    with pytest.raises(RuleSetError, match=wrong):
        load_ruleset([_write(tmp_path, "a.yaml", _CHECK, {"fee": {**_FEE, "examples": examples}})])


def test_a_family_pattern_re2_refuses_is_a_broken_rule_file(tmp_path: Path) -> None:
    fam = {**_FEE, "unless": ["(?<!停车)收费"]}
    with pytest.raises(RuleSetError, match="措辞族“fee”的模式"):
        load_ruleset([_write(tmp_path, "a.yaml", _CHECK, {"fee": fam})])


@pytest.mark.parametrize("check", [{**_CHECK, "pattern": "收费"},
                                   {**_CHECK, "not_wording": "fee", "not_pattern": "无"},
                                   {**_CHECK, "wording": "Fee"}])
def test_the_schema_refuses_a_family_with_a_pattern_of_the_same_side_or_a_bad_name(tmp_path: Path,
                                                                                    check: dict[str, Any]) -> None:
    with pytest.raises(RuleSetError, match="不符合规则文件格式"):
        load_ruleset([_write(tmp_path, "a.yaml", check, {"fee": _FEE})])


def test_the_fingerprint_follows_a_family_from_a_bundled_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", {**_CHECK, "wording": "fee_statement"})
    with_bundled = load_ruleset([path])
    plain = load_ruleset([_write(tmp_path, "b.yaml", {"kind": "text", "at": "/sections/other/text", "pattern": "费"})])
    assert with_bundled.fingerprint != plain.fingerprint
    assert with_bundled.fingerprint == load_ruleset([path]).fingerprint
