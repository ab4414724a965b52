"""`gkcheck audit` end to end on small generated batches and on the shared corpus."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import ROOT, load_base, patch

from checker import compiled_ruleset
from checker.audit.discover import discover
from checker.audit.outputs import OUTPUT_FILES, write_outputs
from checker.audit.pairing import Member, normalise_agency, pair
from checker.audit.runner import AuditOptions, run_audit
from checker.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import reports, to_text, yearly_series  # noqa: E402


def _write(folder: Path, docs: list[dict[str, Any]], form: str = "json") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, doc in enumerate(docs):
        path = folder / f"r{i:03d}.{form}"
        path.write_text(json.dumps(doc, ensure_ascii=False) if form == "json" else to_text(doc), encoding="utf-8")
        out.append(path)
    return out


def _audit(paths: list[str], out: Path, **kw: Any) -> Any:
    summary = run_audit(AuditOptions(tuple(paths), out, jobs=kw.pop("jobs", 1), **kw))
    write_outputs(summary, compiled_ruleset().ruleset)
    return summary


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code)


def test_audit_outputs_and_incremental_rerun(tmp_path: Path) -> None:
    _write(tmp_path / "in", list(yearly_series(24, seed=3)))
    first = _audit([str(tmp_path / "in")], tmp_path / "out", jobs=2)
    assert len(first.checked) == 24 and first.checked_now == 24
    assert any(r.previous for r in first.rows), "consecutive years are paired"
    for name in OUTPUT_FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    assert len(list((tmp_path / "out" / "results").glob("*/*.json"))) == 24
    second = _audit([str(tmp_path / "in")], tmp_path / "out")
    assert second.checked_now == 0 and second.ingested_now == 0
    assert [r.result for r in second.rows] == [r.result for r in first.rows]
    # one changed file: only it (and the report paired with it) is checked again
    changed = tmp_path / "in" / "r000.json"
    doc = json.loads(changed.read_text(encoding="utf-8"))
    doc["sections"]["other"]["text"] += "另有说明。"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    third = _audit([str(tmp_path / "in")], tmp_path / "out")
    assert third.ingested_now == 1 and 1 <= third.checked_now <= 2


def test_many_lookups_scan_the_table_with_the_same_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.audit import store
    _write(tmp_path / "in", list(yearly_series(8, seed=6)))
    first = _audit([str(tmp_path / "in")], tmp_path / "out")
    findings = (tmp_path / "out" / "findings.jsonl").read_bytes()
    (tmp_path / "out" / "findings.jsonl").unlink()  # the outputs are written again, from the database
    monkeypatch.setattr(store, "_SCAN_ABOVE", 0)  # every look-up scans
    second = _audit([str(tmp_path / "in")], tmp_path / "out")
    assert second.checked_now == 0 and second.ingested_now == 0
    assert [(r.path, r.previous, r.result) for r in second.rows] == [(r.path, r.previous, r.result) for r in first.rows]
    assert (tmp_path / "out" / "findings.jsonl").read_bytes() == findings and findings


def test_a_deleted_result_file_is_checked_again(tmp_path: Path) -> None:
    _write(tmp_path / "in", list(reports(3, seed=4)))
    first = _audit([str(tmp_path / "in")], tmp_path / "out")
    files = sorted((tmp_path / "out" / "results").glob("*/*.json"))
    body = files[0].read_bytes()
    files[0].unlink()
    second = _audit([str(tmp_path / "in")], tmp_path / "out")
    assert second.checked_now == 1 and files[0].read_bytes() == body
    assert [r.result for r in second.rows] == [r.result for r in first.rows]


def test_results_and_pages_of_reports_no_longer_audited_are_removed(tmp_path: Path) -> None:
    """A report dropped from the audit, or one whose result changed, leaves no result file or page of an
    earlier run in the output folder; the others' files are kept (and not checked again)."""
    paths = _write(tmp_path / "in", list(reports(3, seed=4)))
    _audit([str(tmp_path / "in")], tmp_path / "out")
    out = tmp_path / "out"
    results = sorted(p.relative_to(out).as_posix() for p in (out / "results").glob("*/*.json"))
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "reports").glob("*/*.html"))
    assert len(results) == len(pages) == 3
    paths[0].unlink()
    second = _audit([str(tmp_path / "in")], out)
    assert second.checked_now == 0
    kept = {f"results/{r.split('/', 1)[1]}" for r in results}
    now = sorted(p.relative_to(out).as_posix() for p in (out / "results").glob("*/*.json"))
    assert len(now) == 2 and set(now) < kept
    assert sorted(p.relative_to(out).as_posix() for p in (out / "reports").glob("*/*.html")) == [
        "reports/" + name.split("/", 1)[1][:-len(".json")] + ".html" for name in now]


def test_a_database_of_another_layout_is_emptied_not_misread(tmp_path: Path) -> None:
    from checker.audit.store import LAYOUT
    (tmp_path / "out").mkdir()
    db = sqlite3.connect(tmp_path / "out" / "audit.sqlite")
    db.executescript(f"CREATE TABLE results (key TEXT, junk TEXT); INSERT INTO results VALUES ('x', 'y');"
                     f"PRAGMA user_version = {LAYOUT - 1};")
    db.close()
    _write(tmp_path / "in", list(reports(2, seed=5)))
    summary = _audit([str(tmp_path / "in")], tmp_path / "out")
    assert len(summary.checked) == 2 and summary.checked_now == 2


def test_cross_year_findings_reach_the_outputs(tmp_path: Path) -> None:
    base = load_base()
    last = patch(base, {"/year": 2023, "/published": "2024-03-20", "/period/start": "2023-01-01",
                        "/period/end": "2023-12-31", "/title": "青禾县人民政府2023年政府信息公开工作年度报告"})
    _write(tmp_path / "in", [last, base])
    summary = _audit([str(tmp_path / "in")], tmp_path / "out")
    this = next(r for r in summary.rows if r.meta["year"] == 2024)
    assert this.previous and this.result["warnings"] >= 3
    lines = [json.loads(x) for x in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"GK-Y-001", "GK-Y-004", "GK-Y-005"} <= {x["rule_id"] for x in lines}
    with (tmp_path / "out" / "year_over_year.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 2


def test_bad_inputs_are_listed_and_never_stop_the_audit(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    docs = list(reports(3, defects=0.0, seed=5))
    paths = _write(folder, docs)
    shutil.copy(paths[0], folder / "copy.json")                       # duplicate
    (folder / "broken.json").write_text("{not json", encoding="utf-8")  # unreadable
    (folder / "menu.txt").write_text("食堂菜单\n周一 面条\n周二 米饭\n", encoding="utf-8")  # not a report
    (folder / "fake.pdf").write_text(to_text(docs[1]), encoding="utf-8")  # mislabelled (text named .pdf)
    other = dict(docs[2], sections={**docs[2]["sections"], "other": {"heading": "六、其他需要报告的事项",
                                                                     "text": "另一份。", "position": 5}})
    (folder / "conflict.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    summary = _audit([str(folder), str(tmp_path / "nothing-here")], tmp_path / "out")
    status = {Path(r.path).name: r.status for r in summary.rows}
    assert status["copy.json"] == "duplicate" or status["r000.json"] == "duplicate"
    assert status["broken.json"] == "unreadable"
    assert status["menu.txt"] == "non_report"
    assert status["nothing-here"] == "missing"
    assert status["fake.pdf"] == "duplicate" or status["fake.pdf"] == "checked"
    assert len(summary.conflicts) >= 1
    with (tmp_path / "out" / "problems.csv").open(encoding="utf-8-sig") as fh:
        kinds = {row[1] for row in csv.reader(fh)}
    assert {"重复文件", "无法读取", "不是年度报告", "找不到文件", "同一机关同一年度有多份报告", "标注不符"} <= kinds


def test_a_large_conflict_names_a_few_others_per_row(tmp_path: Path) -> None:
    from checker.audit.outputs import problems
    from checker.audit.runner import AuditSummary
    paths = [f"in/r{i:03d}.json" for i in range(40)]
    summary = AuditSummary([], [("城关镇人民政府", 2024, paths)], 0, 0.0, "v", AuditOptions((), tmp_path))
    rows = problems(summary)
    assert len(rows) == 40 and all(r[1] == "conflict" for r in rows)
    assert "in/r001.json" in rows[0][2] and "等 39 份" in rows[0][2] and "in/r039.json" not in rows[0][2]
    assert rows[0][3].count("in/r0") == 5 and "34 more" in rows[0][3]


def test_manifest_overrides_and_pairs_by_agency_id(tmp_path: Path) -> None:
    docs = list(reports(2, defects=0.0, seed=8))
    paths = _write(tmp_path / "in", docs)
    manifest = tmp_path / "list.csv"
    manifest.write_text("file,agency,agency_id,kind,level,region,year,published,url\n"
                        f"in/{paths[0].name},甲局,A1,department,county,示例县,2023,2024-01-20,https://x.invalid/1\n"
                        f"in/{paths[1].name},甲局,A1,department,county,示例县,2024,2025-01-20,https://x.invalid/2\n",
                        encoding="utf-8")
    summary = _audit([str(manifest)], tmp_path / "out")
    rows = sorted(summary.rows, key=lambda r: r.meta["year"])
    assert [r.meta["year"] for r in rows] == [2023, 2024] and rows[0].meta["region"] == "示例县"
    assert rows[1].previous == rows[0].key


def test_cli_exit_codes_and_text_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "in", list(yearly_series(6, seed=4)), form="txt")
    code = _cli(["audit", str(tmp_path / "in" / "*.txt"), "-o", str(tmp_path / "out"), "-j", "1", "-q",
                 "--fail-on", "info"])
    assert code == 1
    assert _cli(["audit", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--exit-zero"]) == 0
    assert "共检查 6 份报告" in capsys.readouterr().out
    db = sqlite3.connect(tmp_path / "out" / "audit.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_dashboard_escapes_report_values(tmp_path: Path) -> None:
    doc = patch(load_base(), {"/agency/name": "<script>alert(1)</script>局"})
    _write(tmp_path / "in", [doc])
    _audit([str(tmp_path / "in")], tmp_path / "out")
    html = (tmp_path / "out" / "audit.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_pairing_normalises_names_and_flags_conflicts() -> None:
    assert normalise_agency("城口县人民政府机关（县政府及其办公室）") == normalise_agency("城口县 人民政府机关")
    result = pair([Member("a", "x", 2023), Member("b", "x", 2024), Member("c", "y", 2024), Member("d", "y", 2024),
                   Member("e", "y", 2025)])
    assert result.previous == {"b": "a"}
    assert result.conflicts == [("y", 2024, ["c", "d"])]


def test_discover_globs_folders_and_missing(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "b", list(reports(2, seed=1)))
    (tmp_path / "a" / "notes.xlsx").write_bytes(b"x")
    entries, missing = discover([str(tmp_path / "a"), str(tmp_path / "a" / "b" / "*.json"), str(tmp_path / "zz")])
    assert len(entries) == 2 and [m[:2] for m in missing] == [(str(tmp_path / "zz"), "missing")]


def test_dask_executor_with_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    _write(tmp_path / "in", list(yearly_series(6, seed=6)))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = _audit([str(tmp_path / "in")], tmp_path / "out", executor="dask", scheduler=client)
    assert len(summary.checked) == 6


def test_dask_executor_reads_a_batch_of_pdfs(tmp_path: Path) -> None:
    """PDF reports go through the Dask executor (pdfium in its workers) with the results of the local executor."""
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("reportlab", reason="reportlab (test extra) generates the PDFs")
    import random

    sys.path.insert(0, str(ROOT / "tests" / "zoo"))
    from documents import make_document
    from forms import pdf_form

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        rng = random.Random(100 + i)
        (folder / f"r{i}.pdf").write_bytes(pdf_form(make_document(rng), rng)[1])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = _audit([str(folder)], tmp_path / "out", executor="dask", scheduler=client)
    local = _audit([str(folder)], tmp_path / "local")
    assert len(summary.checked) == 4 and {r.file_kind for r in summary.checked} == {"pdf"}
    assert sorted((Path(r.path).name, r.result) for r in summary.checked) == sorted(
        (Path(r.path).name, r.result) for r in local.checked)


def test_shared_corpus_audit(corpus_dir: Path, tmp_path: Path) -> None:
    code = _cli(["audit", str(corpus_dir), "-o", str(tmp_path / "out"), "-q", "--exit-zero"])
    assert code == 0
    for name in OUTPUT_FILES:
        assert (tmp_path / "out" / name).exists(), name
    with (tmp_path / "out" / "ranking.csv").open(encoding="utf-8-sig") as fh:
        ranking = list(csv.reader(fh))[1:]
    assert len(ranking) >= 30 and ranking[0][0] == "1"
    assert _cli(["audit", str(corpus_dir), "-o", str(tmp_path / "out"), "-q", "--exit-zero"]) == 0
    db = sqlite3.connect(tmp_path / "out" / "audit.sqlite")
    assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == len(ranking)


def test_worker_records_survive_pickling() -> None:
    """What goes between the audit's processes is pickled field by field (worker._Sent): nothing is lost."""
    import pickle

    from checker.audit.worker import Checked, CheckItem, Ingested
    items = [Ingested("a.json", "ab" * 32, 10, 20, "json", None, [("注", "note")], {"agency": "某局", "year": 2023},
                      b'{"c":1.0}', b"\x01\x02", None),
             CheckItem("k", "a.json", "ab" * 32, {"year": "2023"}, b"doc", ((b"{}", b"", "甲"), (b"{}", b"", "乙")), "p"),
             Checked("k", 91.5, "A", (1, 2, 3), 3, False, b"[]", b"{}", b"{}", ("internal", "错", "err"))]
    for item in items:
        assert pickle.loads(pickle.dumps(item)) == item


def test_every_finding_output_lists_the_same_findings(tmp_path: Path) -> None:
    """findings.jsonl, findings.csv and the workbook's sheet (streamed from the database by two processes),
    the failures-per-rule table and the result files agree finding for finding."""
    import openpyxl

    _write(tmp_path / "in", list(yearly_series(30, seed=8)))
    summary = _audit([str(tmp_path / "in")], tmp_path / "out", jobs=2)
    out = tmp_path / "out"
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*/*.json")]
    expected = sorted((r["source"], f["rule_id"], f["pointer"]) for r in results for f in r["findings"])
    assert len(results) == len(summary.checked) and len(expected) > 30
    lines = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((x["source"], x["rule_id"], x["pointer"]) for x in lines) == expected
    with (out / "findings.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[1:]
    assert sorted((r[0], r[3], r[7]) for r in rows) == expected
    with (out / "rules.csv").open(encoding="utf-8-sig") as fh:
        per_rule = {r[0]: (int(r[4]), int(r[6])) for r in list(csv.reader(fh))[1:]}
    for rule_id, (reports_failing, count) in per_rule.items():
        assert count == sum(1 for e in expected if e[1] == rule_id)
        assert reports_failing == len({e[0] for e in expected if e[1] == rule_id})
    book = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    sheet = list(book["全部问题"].iter_rows(values_only=True))
    assert len(sheet) == len(expected) + 1
    assert sorted((r[8], r[3]) for r in sheet[1:]) == sorted((e[0], e[1]) for e in expected)
