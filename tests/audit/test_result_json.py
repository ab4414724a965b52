"""The audit's fast result JSON is byte for byte what ``result_to_dict`` + ``json.dumps`` give."""

from __future__ import annotations

import json
import sys

from checker import compiled_ruleset
from checker.api import check_many
from checker.audit import crossyear
from checker.audit.resultjson import ResultJson
from checker.model import Severity
from checker.render.context import RenderContext
from checker.render.json_out import result_to_dict
from checker.verdict import Policy
from gk_testlib import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import yearly_series  # noqa: E402


def test_fast_result_json_matches_result_to_dict() -> None:
    compiled = compiled_ruleset()
    docs = list(yearly_series(160, seed=11))
    results = check_many(docs, compiled, [f"in/r{i:03d}.json" for i in range(len(docs))])
    instances = crossyear.pair_instances(compiled.ruleset)
    odd = list(range(1, len(docs), 2))  # pair with the report before: merged (materialised) outcomes
    this = [crossyear.profile(docs[r], instances) for r in odd]
    prev = [crossyear.profile(docs[r - 1], instances) for r in odd]
    for r, pair in zip(odd, crossyear.evaluate(instances, this, prev)):
        results[r] = crossyear.merge(results[r], pair, docs[r], compiled.ruleset)
    contexts = [RenderContext(compiled.ruleset, lang, policy) for lang in ("zh", "en")
                for policy in (Policy(Severity.ERROR), Policy(Severity.WARNING, 80.0))]
    fast = []  # all before anything materialises the lazy outcomes; one writer (and cache) per context
    for ctx in contexts:
        writer = ResultJson(ctx)
        fast.append([writer.dumps(res) for res in results])
    assert any(res.findings for res in results) and any(not res.findings for res in results)
    for ctx, texts in zip(contexts, fast):
        for res, text in zip(results, texts):
            assert text == json.dumps(result_to_dict(res, ctx), ensure_ascii=False)
