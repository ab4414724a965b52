"""The fast validator (jsonschema-rs) accepts exactly the documents jsonschema accepts."""

from __future__ import annotations

import copy
import random
import sys
from typing import Any

import pytest
from gk_testlib import ROOT, load_base, patch

from checker.document import _fast_validator, schema_errors, validate_document
from checker.errors import InputError

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import yearly_series  # noqa: E402

_VALUES: list[Any] = [-1, 0, 1.5, "x", "", None, True, {}, [], "2025-13-01", "2025-02-30", "2024-05-01", 10 ** 12,
                      "2021", "2019", "department", 2024.0]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        out = [path] if path else []
        for k, v in node.items():
            out += _leaves(v, path + (k,))
        return out
    if isinstance(node, list):
        out = [path]
        for i, v in enumerate(node):
            out += _leaves(v, path + (i,))
        return out
    return [path]


def _mutate(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    path = rng.choice(_leaves(doc))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = rng.random()
    if action < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    elif action < 0.3 and isinstance(parent, dict):
        parent["unexpected_field"] = rng.choice(_VALUES)
    else:
        parent[path[-1]] = rng.choice(_VALUES)
    return doc


def test_fast_validator_agrees_with_jsonschema_on_broken_documents() -> None:
    rng = random.Random(7)
    docs = list(yearly_series(30, seed=3)) + [load_base()]
    valid = rejected = 0
    for doc in docs:
        for _ in range(12):
            broken = _mutate(doc, rng)
            fast = _fast_validator().is_valid(broken)
            assert fast == (not schema_errors(broken)), broken
            valid, rejected = valid + fast, rejected + (not fast)
    assert valid > 50 and rejected > 100  # both sides exercised


@pytest.mark.parametrize("change", [{"/year": "2024"}, {"/extra": 1}, {"/tables/requests/new/total": True},
                                    {"/published": "2025-13-01"}])
def test_rejected_documents_get_the_chinese_list_of_problems(change: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        validate_document(patch(load_base(), change))
    assert "报告文档不符合 gkcheck 文档格式" in info.value.zh


def test_values_jsonschema_rs_cannot_hold_are_decided_by_jsonschema() -> None:
    validate_document(patch(load_base(), {"/tables/requests/new/total": 10 ** 30}))  # valid for jsonschema
    validate_document(patch(load_base(), {"/tables/requests/new/total": float("nan")}))  # ditto (not a number check)
