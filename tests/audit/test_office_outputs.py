"""What an office sends upward: summary.xlsx's 概览 and typed sheets, the draft 通报 (Word), audit.html's links
to each report's page, the roll-up by region, and ``gkcheck audit --year``."""

from __future__ import annotations

import csv
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from gk_testlib import ROOT

from checker.api import compiled_ruleset
from checker.audit import digest as digest_module
from checker.audit.outputs import output_files, write_outputs
from checker.audit.runner import AuditOptions, run_audit
from checker.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import to_text, yearly_series  # noqa: E402

REGIONS = ("甘肃省武威市", "甘肃省兰州市", "四川省成都市")


def _corpus(folder: Path, n: int = 24) -> Path:
    """Generated reports and a manifest giving each a region; returns the manifest."""
    folder.mkdir(parents=True)
    rows = []
    for i, doc in enumerate(yearly_series(n, seed=11)):
        (folder / f"r{i:03d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        rows.append({"file": f"r{i:03d}.json", "region": REGIONS[i % 3]})
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["file", "region"])
        w.writeheader()
        w.writerows(rows)
    return manifest


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("office")
    manifest = _corpus(root / "in")
    summary = run_audit(AuditOptions((str(manifest),), root / "out", jobs=1))
    assert write_outputs(summary, compiled_ruleset().ruleset)
    return root / "out"


def test_workbook_sheets_are_typed_frozen_filtered_and_print_a4_landscape(audited: Path) -> None:
    book = openpyxl.load_workbook(audited / "summary.xlsx")
    assert book.sheetnames == ["概览", "排名", "规则未通过情况", "跨年度比较", "全部问题", "输入问题", "配置"]
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.title != "概览":
            assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
            assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{max(ws.max_row, 2)}"
    ranking = book["排名"]
    headers = [c.value for c in ranking[1]]
    assert headers[:8] == ["名次", "机关", "年度", "机关类型", "层级", "地区", "得分", "等级"]
    col = {h: i for i, h in enumerate(headers)}
    rows = list(ranking.iter_rows(min_row=2))
    assert len(rows) == 24
    for row in rows:
        assert row[col["得分"]].data_type == "n" and row[col["年度"]].data_type == "n"
        assert row[col["可判断规则占比%"]].number_format == "0%" and 0 < row[col["可判断规则占比%"]].value <= 1
        published = row[col["发布日期"]]
        assert published.value is None or published.is_date
        assert row[col["地区"]].value in REGIONS and row[col["层级"]].value in ("国家级", "省级", "市级", "县级", "乡级")
    assert any(r[col["发布日期"]].is_date for r in rows)
    rules = book["规则未通过情况"]
    assert {r[2] for r in rules.iter_rows(min_row=2, values_only=True)} <= {"错误", "警告", "提示"}
    findings = book["全部问题"]
    fh = [c.value for c in findings[1]]
    assert fh == ["机关", "年度", "地区", "规则", "严重程度", "类别", "问题", "原文位置", "文件"]
    values = list(findings.iter_rows(min_row=2, values_only=True))
    assert values and {v[4] for v in values} <= {"错误", "警告", "提示"}
    assert not any(isinstance(x, str) and re.fullmatch(r"(/[\w-]+)+", x) for v in values for x in v)  # no pointer


def test_overview_sheet(audited: Path) -> None:
    ws = openpyxl.load_workbook(audited / "summary.xlsx")["概览"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    text = [str(v) for row in cells for v in row if v is not None]
    assert "年度政府信息公开工作年度报告检查概览" in cells[0][0] and "共检查报告 24 份" in cells[1][0]
    for block in ("一、按等级", "二、按层级", "三、按地区", "四、最常见的十个问题"):
        assert block in text
    ranking = _csv(audited / "ranking.csv")
    grades = {row[0]: row[1] for row in cells if row[0] in ("优秀", "良好", "合格", "不合格")}
    assert sum(grades.values()) == len(ranking)
    assert {row[0]: row[1] for row in cells if row[0] in REGIONS} == {r: sum(1 for x in ranking if x["地区"] == r)
                                                                      for r in REGIONS}
    top = [row for row in cells if row[0] and re.fullmatch(r"GK-[A-Z0-9]+-\d{3}", str(row[0]))]
    rules = _csv(audited / "rules.csv")
    assert [row[0] for row in top] == [r["规则"] for r in rules[:10]]
    findings = _csv(audited / "findings.csv")
    for rule_id, reports, share, count, title, example, agencies in (row[:7] for row in top):
        mine = [f for f in findings if f["规则"] == rule_id]
        assert reports == len({f["文件"] for f in mine}) and count == len(mine) and title
        assert share == pytest.approx(reports / len(ranking), abs=0.001)  # a fraction shown as a percentage
        agency, quoted = example.split("：", 1)
        assert any(f["机关"] == agency and f["问题"] in quoted for f in mine)  # a real finding, quoted
        named = agencies.split("等，")[0].split("、")
        assert named and set(named) <= {f["机关"] for f in mine}


def test_tongbao_lists_counts_problems_and_every_agency_with_findings(audited: Path) -> None:
    document = docx.Document(str(audited / "通报（草稿）.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、检查排名", "三、存在的主要问题", "四、各单位存在的问题", "五、下一步工作要求"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "通报" in document.paragraphs[0].text and "草稿" in body and "共检查报告 24 份" in body
    rules = _csv(audited / "rules.csv")
    problems = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(problems) == min(10, len(rules)) and problems[0].endswith(rules[0]["标题"])
    assert "附件1" in body and "附件2" in body
    ranking = _csv(audited / "ranking.csv")
    annex = document.tables[-1]
    listed = "\n".join(row.cells[0].text for row in annex.rows)
    with_findings = [r for r in ranking if int(r["错误"]) + int(r["警告"]) + int(r["提示"])]
    assert with_findings and len(with_findings) <= digest_module.LISTED_REPORTS
    for r in with_findings:
        assert r["机关"] in listed, r["机关"]
    ranked = document.tables[-2]
    assert [c.text for c in ranked.rows[0].cells] == ["名次", "机关", "地区", "得分", "等级"]
    assert len(ranked.rows) == len(ranking) + 1 and ranked.rows[1].cells[1].text == ranking[0]["机关"]
    # A4 portrait, the margins of an official document, a page number in the footer
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def test_dashboard_links_each_report_page_and_rolls_up_by_region(audited: Path) -> None:
    html = (audited / "audit.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    pages = [h for h in parser.links if h.endswith(".html")]
    assert len(pages) == 24 and all(h.startswith("reports/") for h in pages)
    for href in parser.links:
        assert (audited / href).is_file(), href  # every link resolves
    ranking = _csv(audited / "ranking.csv")
    for r in ranking:  # each report's page is its own: the agency, the score
        page = (audited / ("reports" + r["检查结果"][len("results"):-len(".json")] + ".html")).read_text(encoding="utf-8")
        assert r["机关"] in page and f"{float(r['得分']):g}" in page
    assert "按地区汇总" in html and all(region in html for region in REGIONS)


def test_pages_are_written_once_and_again_when_missing(audited: Path, tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    summary = run_audit(AuditOptions((str(manifest),), out, jobs=1))
    assert write_outputs(summary, compiled_ruleset().ruleset)
    pages = sorted((out / "reports").glob("*/*.html"))
    assert len(pages) == 6
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    assert not write_outputs(summary, compiled_ruleset().ruleset)  # up to date: nothing written
    pages[0].unlink()
    assert write_outputs(summary, compiled_ruleset().ruleset)  # a missing page makes the outputs stale
    assert pages[0].is_file() and all(p.stat().st_mtime_ns == stamps[p] for p in pages[1:])


def test_english_outputs(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    for lang in ("zh", "en"):
        summary = run_audit(AuditOptions((str(manifest),), out, jobs=1, lang=lang))
        write_outputs(summary, compiled_ruleset().ruleset)
    assert (out / "circular-draft.docx").is_file() and not (out / "通报（草稿）.docx").exists()
    assert all((out / name).is_file() for name in output_files("en"))
    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames[0] == "Overview"
    assert {r[4] for r in book["All findings"].iter_rows(min_row=2, values_only=True)} <= {"error", "warning", "info"}
    headings = [p.text for p in docx.Document(str(out / "circular-draft.docx")).paragraphs
                if p.style.name == "Heading 1"]
    assert headings[0] == "1. Overview"


def _yearless(doc: dict[str, Any]) -> str:
    """A copied-text report that states no reported year anywhere."""
    return re.sub(r"(?<!\d)20\d\d年?", "", to_text(doc))


def test_year_option_for_files_that_state_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = list(yearly_series(2, seed=4))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "no-year.txt").write_text(_yearless(docs[0]), encoding="utf-8")
    (folder / "stated.json").write_text(json.dumps(docs[1], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"

    def audit(*extra: str) -> dict[str, dict[str, str]]:
        with pytest.raises(SystemExit):
            main(["audit", str(folder), "-o", str(out), "-q", "--exit-zero", *extra])
        capsys.readouterr()
        return {Path(r["文件"]).name: r for r in _csv(out / "ranking.csv")}

    ranked = audit()
    assert "no-year.txt" not in ranked
    [problem] = [p for p in _csv(out / "problems.csv") if p["文件"].endswith("no-year.txt")]
    assert "--year" in problem["说明"]  # the advice names an option the audit has
    ranked = audit("--year", "2022")
    assert ranked["no-year.txt"]["年度"] == "2022"
    assert ranked["stated.json"]["年度"] == str(docs[1]["year"])  # a stated year is never overridden
    result = json.loads((out / ranked["no-year.txt"]["检查结果"]).read_text(encoding="utf-8"))
    assert result["report"]["year"] == 2022
    assert audit("--year", "2021")["no-year.txt"]["年度"] == "2021"  # another --year: read again
    assert "no-year.txt" not in audit()  # none: not a report again


def test_a_manifest_year_serves_files_that_state_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A manifest row's year is the year of its file when the file states none (before --year); a change of
    the row's year reads the file again."""
    docs = list(yearly_series(2, seed=4))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "no-year.txt").write_text(_yearless(docs[0]), encoding="utf-8")
    (folder / "also-none.txt").write_text(_yearless(docs[1]), encoding="utf-8")
    manifest = tmp_path / "list.csv"
    out = tmp_path / "out"

    def audit(year: str, *extra: str) -> dict[str, dict[str, str]]:
        manifest.write_text(f"file,year\nin/no-year.txt,{year}\nin/also-none.txt,\n", encoding="utf-8")
        with pytest.raises(SystemExit):
            main(["audit", str(manifest), "-o", str(out), "-q", "--exit-zero", *extra])
        capsys.readouterr()
        return {Path(r["文件"]).name: r for r in _csv(out / "ranking.csv")}

    ranked = audit("2023")
    assert ranked["no-year.txt"]["年度"] == "2023" and "also-none.txt" not in ranked
    result = json.loads((out / ranked["no-year.txt"]["检查结果"]).read_text(encoding="utf-8"))
    assert result["report"]["year"] == 2023
    assert audit("2022")["no-year.txt"]["年度"] == "2022"  # the row's year changed: read again
    ranked = audit("2022", "--year", "2021")  # the row's year first, --year for the row without one
    assert ranked["no-year.txt"]["年度"] == "2022" and ranked["also-none.txt"]["年度"] == "2021"
