"""The notebook API: ``checker.check`` takes any report (a path of any supported kind, bytes with a
name, or a document), with the CLI's overrides; results become pandas DataFrames; checks in
several threads at once give the results they give one by one."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
import pytest
from web_helpers import CLEAN, DEFECTIVE, load, pdf_file, word_file

import checker
from checker.errors import InputError


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("api")
    doc = load(DEFECTIVE)
    out = {"json": DEFECTIVE}
    for kind, data in (("docx", word_file(doc)), ("pdf", pdf_file(doc))):
        out[kind] = folder / f"report.{kind}"
        out[kind].write_bytes(data)
    return out


def test_every_input_type(files: dict[str, Path]) -> None:
    expected = checker.check(load(DEFECTIVE))
    keys = {(f.rule_id, f.pointer) for f in expected.findings}
    for kind, path in files.items():
        for given in (path, str(path)):
            result = checker.check(given)
            assert result.source == str(path) and result.agency == "青禾县市场监督管理局", kind
            assert {(f.rule_id, f.pointer) for f in result.findings} >= keys, kind
        from_bytes = checker.check(path.read_bytes(), name=path.name)
        assert from_bytes.source == path.name and from_bytes.score == checker.check(path).score


def test_overrides_and_previous(files: dict[str, Path]) -> None:
    result = checker.check(files["docx"], published="2025-01-20", agency_level="prefectural", year=2024)
    assert (result.published, result.agency_level, result.year) == ("2025-01-20", "prefectural", 2024)
    assert "GK-D-001" not in {f.rule_id for f in result.findings}
    previous = load(CLEAN)
    previous["year"] = 2023
    paired = checker.check(CLEAN, previous=previous)
    alone = checker.check(CLEAN)
    assert {o.rule_id: o.outcome.value for o in alone.outcomes}["GK-Y-001"] == "not_applicable"
    assert {o.rule_id: o.outcome.value for o in paired.outcomes}["GK-Y-001"] != "not_applicable"


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="a report document"):
        checker.check(42)  # type: ignore[arg-type]
    notice = tmp_path / "通知.txt"
    notice.write_text("这是一份会议通知，请各单位准时参加。", encoding="utf-8")
    with pytest.raises(InputError, match="不像政府信息公开工作年度报告"):
        checker.check(notice)
    with pytest.raises(InputError, match="找不到文件"):
        checker.check(tmp_path / "missing.docx")
    doc = load(CLEAN)
    doc["year"] = "二〇二四"
    with pytest.raises(InputError):
        checker.check(doc)


def test_frames(files: dict[str, Path]) -> None:
    results = [checker.check(CLEAN), checker.check(files["docx"]), checker.check(files["pdf"])]
    reports, outcomes, findings = checker.frames(results)
    assert list(reports["source"]) == [str(CLEAN), str(files["docx"]), str(files["pdf"])]
    assert reports.loc[0, "score"] == 100.0 and bool(reports.loc[0, "passed"])
    assert not reports.loc[1, "passed"] and reports.loc[1, "errors"] == sum(
        f.severity.value == "error" for f in results[1].findings)
    assert len(outcomes) == sum(len(r.outcomes) for r in results)
    assert len(findings) == sum(len(r.findings) for r in results)
    assert {"rule_id", "severity", "title", "message", "fix", "basis", "field", "table", "row", "column",
            "line", "page"} <= set(findings.columns)
    assert str(reports["year"].dtype) == "Int64" and reports["score"].dtype == float
    assert findings["title"].str.len().min() > 0 and findings["fix"].str.len().min() > 0
    joined = findings.merge(reports[["source", "agency", "score"]], on="source", suffixes=("", "_r"))
    assert len(joined) == len(findings)
    per_rule = outcomes.pivot_table(index="rule_id", columns="outcome", values="source", aggfunc="count")
    assert per_rule.loc["GK-T3-010", "fail"] == 2
    single = results[1].to_frames()
    assert isinstance(single.findings, pd.DataFrame)
    pd.testing.assert_frame_equal(single.findings, findings[findings["source"] == str(files["docx"])]
                                  .reset_index(drop=True))
    empty = checker.frames([])
    assert empty.reports.empty and list(empty.findings.columns) == list(findings.columns)


def test_checks_in_threads_match_one_by_one(files: dict[str, Path]) -> None:
    inputs = [CLEAN, files["json"], files["docx"], files["pdf"]] * 2
    alone = [json.dumps([(f.rule_id, f.pointer, f.message.zh) for f in checker.check(p).findings]) for p in inputs]
    together: dict[int, str] = {}

    def work(i: int) -> None:
        together[i] = json.dumps([(f.rule_id, f.pointer, f.message.zh) for f in checker.check(inputs[i]).findings])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert [together.get(i) for i in range(len(inputs))] == alone
