"""The audit's fast result JSON holds the same JSON value as ``result_to_dict``."""

from __future__ import annotations

import json
import sys

from gk_testlib import ROOT

from checker import compiled_ruleset
from checker.api import check_many, pair_of
from checker.audit.resultjson import ResultJson
from checker.model import Severity
from checker.render.context import RenderContext
from checker.render.json_out import result_to_dict
from checker.verdict import Policy

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import yearly_series  # noqa: E402


def test_fast_result_json_matches_result_to_dict() -> None:
    compiled = compiled_ruleset()
    docs = list(yearly_series(160, seed=11))
    odd = range(1, len(docs), 2)  # paired with the report before (cross-year findings)
    pairs = [pair_of(docs[r], docs[r - 1], compiled) if r in odd else None for r in range(len(docs))]
    results = check_many(docs, compiled, [f"in/r{i:03d}.json" for i in range(len(docs))], pairs)
    contexts = [RenderContext(compiled.ruleset, lang, policy) for lang in ("zh", "en")
                for policy in (Policy(Severity.ERROR), Policy(Severity.WARNING, 80.0))]
    fast = []  # all before anything materialises the lazy outcomes; one writer (and cache) per context
    for ctx in contexts:
        writer = ResultJson(ctx)
        fast.append([writer.dumps(res) for res in results])
    assert any(res.findings for res in results) and any(not res.findings for res in results)
    for ctx, texts in zip(contexts, fast):
        for res, text in zip(results, texts):
            assert json.loads(text) == json.loads(json.dumps(result_to_dict(res, ctx)))
