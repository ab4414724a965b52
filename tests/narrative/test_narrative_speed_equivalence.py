"""The narrative check gives the same results in a batch as for each report alone.

Within one batch the check shares work between reports and between rule instances: a text is
tokenised once for every rule, its statements are extracted once per rule (and shared by
rules with the same patterns), and what the words before a number decide is remembered for
the other reports. These tests run batches that mix what that sharing must not confuse —
reports with and without a section, the same sentence with different words after the number,
the same words in reports of different years, regions and table formats — and compare every
instance's masks and findings with each report checked alone by a fresh instance.
"""

from __future__ import annotations

import gc
import random
from typing import Any

import numpy as np
import pandas as pd
from gk_testlib import load_base, patch

from checker import compiled_ruleset
from checker.api import check_many as run
from checker.compile import frame_plan
from checker.frame import build_frame, meta_col
from checker.kinds.narrative import NarrativeNumbers
from checker.narrative import batch as narrative

TEXTS = [
    "全年收到政府信息公开申请95件，办结十三件。",
    "全年收到政府信息公开申请16件，其中网上受理申请12件。",
    "另有2件结转下一年度继续办理。",  # words after the number decide (an ``after`` pattern)
    "另有2件申请人主动撤回。",
    "全市共收到政府信息公开申请95件。",  # decided per report: region
    "2023年收到政府信息公开申请30件。",  # decided per report: year
    "全年未收到政府信息公开申请。",
    "全年被申请行政复议2件，其中结果维持1件，尚未审结1件；行政诉讼3件。",
    "全年未发生政府信息公开行政复议和行政诉讼。",
    "全年制发行政规范性文件7件，废止2件，现行有效48件。",
    "全年作出行政处罚决定300件，行政许可决定1520件。",
    "本年度收取信息处理费380元。",
    "本年度未收取信息处理费。",
    "与去年同期相比，收到政府信息公开申请增加5件。",
    "全年收到政府信息公开申请约20件。",
    # the same words just before the number, with a year or a subset further back in the sentence
    "2023年，本机关坚持以公开为常态、不公开为例外，持续深化政务公开，全年收到政府信息公开申请30件。",
    "本机关坚持以公开为常态、不公开为例外，持续深化政务公开，全年收到政府信息公开申请30件。",
    "其中，本机关坚持以公开为常态、不公开为例外，持续深化政务公开，全年收到政府信息公开申请30件。",
]


def _reports() -> list[dict[str, Any]]:
    """Reports of both formats whose texts repeat across sections, reports and metadata."""
    rng = random.Random(20240101)
    docs = [load_base(), load_base("clean-2019")]
    for _ in range(60):
        base = load_base(rng.choice(["clean-2021", "clean-2021", "clean-2019"]))
        changes: dict[str, Any] = {}
        for section in ("overview", "requests", "appeals", "proactive", "other"):
            if rng.random() < 0.6:
                changes[f"/sections/{section}/text"] = "".join(rng.sample(TEXTS, rng.randint(1, 3)))
        changes["/agency/kind"] = rng.choice(["government", "department"])
        changes["/year"] = rng.choice([2023, 2024])
        if rng.random() < 0.2:
            changes["/tables/requests/new/total"] = None  # a blank cell
        removed = [f"/sections/{rng.choice(['requests', 'appeals', 'other'])}"] if rng.random() < 0.3 else []
        docs.append(patch(base, changes, removed))
    return docs


def _instances() -> list[tuple[NarrativeNumbers, dict[str, Any]]]:
    """The bundled narrative instances with their parameters, and repeated ones: the first rule
    again, on one section only, and with keywords that skip some texts."""
    found = [(i.check, {k: v for k, v in i.rule.check.items() if k != "kind"})
             for i in compiled_ruleset().frame_instances if isinstance(i.check, NarrativeNumbers)]
    params = found[0][1]
    extra = [params, {**params, "sections": ["requests"]}, {**params, "keywords": "结转|受理"}]
    return [*found, *((NarrativeNumbers(**p), p) for p in extra)]


def _columns(df: pd.DataFrame, check: NarrativeNumbers) -> pd.DataFrame:
    """The part of the frame the engine gives the check (its columns, its context columns and
    those that gate the rule)."""
    gate = [meta_col(c) for c in ("format", "kind", "level", "year")]
    return df[list(dict.fromkeys([*gate, *check.columns, *check.context_columns]))]


def _outcome(check: NarrativeNumbers, df: pd.DataFrame, docs: list[dict[str, Any]],
             rows: np.ndarray) -> list[tuple[bool, bool, list[Any]]]:
    """(assessable, violated, payloads) of ``rows``, asked as the engine asks."""
    sub = _columns(df, check)
    decided, bad = check.assessable(sub), check.violated(sub)
    payloads = check.details(df, rows, docs)
    return [(bool(decided[r]), bool(bad[r]), p) for r, p in zip(rows, payloads)]


def test_batch_equals_each_report_alone() -> None:
    docs = _reports()
    checks = _instances()
    df = build_frame(docs)
    rows = np.array(random.Random(7).sample(range(len(docs)), len(docs)))
    # all instances over the batch, twice (the second pass reuses everything of the first)
    batch = [_outcome(c, df, docs, rows) for c, _ in checks]
    again = [_outcome(c, df, docs, rows[::-1])[::-1] for c, _ in checks]
    assert batch == again
    assert any(bad for outcome in batch for _, bad, _ in outcome)
    for k, r in enumerate(rows):
        alone = build_frame([docs[r]])
        for j, (_, params) in enumerate(checks):
            fresh = NarrativeNumbers(**params)
            assert _outcome(fresh, alone, [docs[r]], np.array([0]))[0] == batch[j][k], (j, r)


def test_batch_statements_equal_a_fresh_extraction() -> None:
    docs = _reports()
    df = build_frame(docs)
    for check, _ in _instances():
        check.assessable(_columns(df, check))
        for column in check.text_columns:
            for text in df[column].to_numpy():
                skipped = not text or (check.keywords is not None and check.keywords.search(text) is None)
                assert check.statements(text) == (() if skipped else check.extractor.extract(text)), text


def test_engine_batch_equals_each_report_alone() -> None:
    def narrative_part(result: Any) -> tuple[list[Any], list[Any]]:
        return ([(f.rule_id, f.pointer, f.message.zh, f.values, f.related) for f in result.findings
                 if f.rule_id.startswith("GK-X-")],
                [o for o in result.outcomes if o.rule_id.startswith("GK-X-")])

    docs = _reports()
    compiled = compiled_ruleset()
    for doc, result in zip(docs, run(docs, compiled)):
        [alone] = run([doc], compiled)
        assert narrative_part(result) == narrative_part(alone)


def test_batch_cache_goes_with_the_batch() -> None:
    """Nothing of a batch outlives its frame (the cache is private: this looks inside)."""
    docs = _reports()
    df = build_frame(docs)
    plan = frame_plan([i for i in compiled_ruleset().frame_instances if isinstance(i.check, NarrativeNumbers)])
    for _, columns, check in plan.items:
        check(df[columns])
    assert narrative._BATCH._tables
    del df, check
    gc.collect()
    assert not narrative._BATCH._tables
