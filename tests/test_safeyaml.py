"""Rule files are read with bounded size, aliases (counted expanded) and nesting; duplicate keys refused."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from checker.errors import RuleSetError
from checker.loader import default_files
from checker.safeyaml import load_yaml


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_bundled_rule_files_load() -> None:
    for path in default_files():
        assert isinstance(load_yaml(path), dict)


def test_billion_laughs_is_refused_early(tmp_path: Path) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(RuleSetError) as caught:
        load_yaml(write(tmp_path, laughs(9)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "别名" in caught.value.zh and "GKCHECK_LIMIT_YAML_ALIASES" in caught.value.zh and "第 3 行" in caught.value.zh
    assert time.perf_counter() - start < 1 and peak < 20 * 2**20


def test_aliases_are_counted_as_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = laughs(3)  # 10 + 10 × (1 + 10) = 120 alias uses once expanded, 20 written
    with pytest.raises(RuleSetError):
        load_yaml(write(tmp_path, text))
    monkeypatch.setenv("GKCHECK_LIMIT_YAML_ALIASES", "120")
    assert len(load_yaml(write(tmp_path, text))["a2"]) == 10


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="循环引用"):
        load_yaml(write(tmp_path, "a: &x\n  b: *x\n"))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="嵌套层数") as caught:
        load_yaml(write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "GKCHECK_LIMIT_DEPTH" in caught.value.zh


def test_duplicate_keys_are_refused_with_both_lines(tmp_path: Path) -> None:
    text = "ruleset: x\nrules:\n  - id: A\n    name: a\n    id: B\n"
    with pytest.raises(RuleSetError) as caught:
        load_yaml(write(tmp_path, text))
    assert "第 5 行" in caught.value.zh and "“id”重复" in caught.value.zh and "第 3 行" in caught.value.zh
    # the same key in different mappings, a merge key, and '1' next to 1 are no duplicates
    assert load_yaml(write(tmp_path, "a: {k: 1}\nb: {k: 2}\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: {'1': a, 1: b}\n"))


def test_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKCHECK_LIMIT_INPUT_MB", "1")
    with pytest.raises(RuleSetError, match="GKCHECK_LIMIT_INPUT_MB"):
        load_yaml(write(tmp_path, "a: '" + "x" * (2 * 2**20) + "'\n"))
