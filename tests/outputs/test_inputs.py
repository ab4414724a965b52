"""``gkcheck check`` on folders and quoted glob patterns, with reports recognised by content.

A folder holds reports in every published form, named any way (Chinese names included), beside
files that are not reports: a package.json, a README that talks about the reports, an empty
file, a binary file, gkcheck's own outputs. The reports are checked, the rest skipped and
counted; a file that looks like a report but cannot be read is an error.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, DEFECTIVE, ROOT, Runner

from checker.inputs import expand, read_found, screen

sys.path.insert(0, str(ROOT / "tests" / "zoo"))
from documents import make_document
from forms import FORMS

SUMMARY = re.compile(r"^(?P<path>.+?): .*：得分 ")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/ with reports in subfolders (JSON, Word, web page, text, Markdown) and non-reports."""
    root = tmp_path_factory.mktemp("repo") / "reports"
    (root / "2024" / "部门").mkdir(parents=True)
    (root / "2023").mkdir()
    (root / "2024" / "青禾县市场监督管理局2024年度政府信息公开工作报告.json").write_bytes(DEFECTIVE.read_bytes())
    (root / "2023" / "clean.json").write_bytes(CLEAN.read_bytes())
    doc = make_document(random.Random(5))
    for form, name in (("docx-merged", "2024" / Path("部门") / "年报.docx"), ("html-merged", "2024/page.html"),
                       ("tab-copy", "2023/copy.txt"), ("converter-markdown", "2023/notes-2023.md")):
        (root / name).write_bytes(FORMS[form](doc, random.Random(2))[1])
    (root / "package.json").write_text('{"name": "reports", "version": "1.0.0", "private": true}', encoding="utf-8")
    (root / "README.md").write_text("# 年报\n\n本仓库存放各部门2024年政府信息公开工作年度报告，按年份分文件夹。\n",
                                    encoding="utf-8")
    (root / "2023" / "empty.txt").write_bytes(b"")
    (root / "2023" / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (root / "tsconfig.json").write_text('[1, 2, 3]', encoding="utf-8")
    (root / ".hidden.json").write_bytes(DEFECTIVE.read_bytes())  # hidden files are left out
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a type gkcheck reads
    return root


REPORTS = 6  # two JSON reports and four published forms
NON_REPORTS = {"package.json", "README.md", "empty.txt", "blob.txt", "tsconfig.json"}


def checked(out: str) -> set[str]:
    return {Path(m["path"]).name for m in map(SUMMARY.match, out.splitlines()) if m}


def test_a_folder_is_read_recursively_and_non_reports_are_skipped(gk: Runner, folder: Path) -> None:
    code, out, err = gk(folder, "--format", "concise")
    assert code == 1
    assert len(checked(out)) == REPORTS and not checked(out) & NON_REPORTS
    assert "青禾县市场监督管理局2024年度政府信息公开工作报告.json" in checked(out)
    assert f"已跳过 {len(NON_REPORTS)} 个不是年度报告的文件：" in err and "错误" not in err
    _, _, err = gk(folder, "--format", "concise", "--lang", "en")
    assert f"Skipped {len(NON_REPORTS)} file(s) that are not annual reports" in err


def test_quoted_globs_are_expanded_recursively(gk: Runner, folder: Path) -> None:
    code, out, err = gk(f"{folder}/**/*.json", "--format", "concise")
    assert code == 1 and checked(out) == {"青禾县市场监督管理局2024年度政府信息公开工作报告.json", "clean.json"}
    assert "已跳过 2 个不是年度报告的文件" in err  # package.json, tsconfig.json
    code, out, _ = gk(f"{folder}/2023/*", "--format", "concise")
    assert code in (0, 1) and checked(out) == {"clean.json", "copy.txt", "notes-2023.md"}


def test_a_pattern_or_folder_naming_nothing_is_an_error_in_chinese(gk: Runner, folder: Path, tmp_path: Path) -> None:
    code, _, err = gk(f"{folder}/**/*.pdf")
    assert code == 2 and f"错误：通配符 {folder}/**/*.pdf 没有匹配到任何文件" in err and "加引号" in err
    code, _, err = gk(f"{folder}/*.png")
    assert code == 2 and "匹配到 1 个文件，但都不是 gkcheck 能读取的类型" in err
    (tmp_path / "empty").mkdir()
    code, _, err = gk(tmp_path / "empty")
    assert code == 2 and "中（含子文件夹）没有 gkcheck 能读取的文件" in err
    code, out, err = gk(f"{folder}/**/*.pdf", CLEAN, "--format", "concise")  # the others are still checked
    assert code == 2 and checked(out) == {CLEAN.name}


def test_a_folder_without_reports_is_an_error_unless_skip_non_reports(gk: Runner, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# 说明\n\n政府信息公开工作年度报告放在 reports 文件夹。\n", encoding="utf-8")
    (tmp_path / "docs" / "package.json").write_text("{}", encoding="utf-8")
    code, out, err = gk(tmp_path / "docs")
    assert code == 2 and out == "" and "错误：没有找到年度报告" in err
    code, out, err = gk(tmp_path / "docs", "--skip-non-reports")
    assert code == 0 and out == "" and "没有需要检查的年度报告" in err


def test_skip_non_reports_recognises_named_files_too(gk: Runner, folder: Path) -> None:
    readme, package = folder / "README.md", folder / "package.json"
    assert gk(readme)[0] == 1  # named on the command line: checked as a report (and fails)
    assert gk(package)[0] == 2
    code, out, err = gk(readme, package, folder / "2023" / "clean.json", "--skip-non-reports", "--format", "concise")
    assert code == 0 and checked(out) == {"clean.json"} and "已跳过 2 个" in err


def test_looks_like_a_report_but_cannot_be_read_is_an_error(gk: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "ok.json").write_bytes(CLEAN.read_bytes())
    broken = json.loads(CLEAN.read_text(encoding="utf-8"))
    broken["tables"] = "不是表格"
    (folder / "invalid.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    (folder / "truncated.json").write_text(CLEAN.read_text(encoding="utf-8")[:400], encoding="utf-8")
    (folder / "damaged.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    no_year = ("某县人民政府政府信息公开工作年度报告\n一、总体情况\n本县依法做好政府信息公开工作。\n"
               "二、主动公开政府信息情况\n主动公开各类信息。\n")
    (folder / "no-year.txt").write_text(no_year, encoding="utf-8")
    code, out, err = gk(folder, "--format", "concise")
    assert code == 2 and checked(out) == {"ok.json"}
    for name in ("invalid.json", "truncated.json", "damaged.docx", "no-year.txt"):
        assert f"无法读取 {folder / name}" in err, name
    assert "找不到报告年度" in err and "跳过" not in err


def test_outputs_of_the_run_and_of_earlier_runs_are_not_read(gk: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.json").write_bytes(DEFECTIVE.read_bytes())
    outputs = [("json", "out.json"), ("sarif", "out.sarif.json"), ("gitlab", "gl.json"), ("markdown", "comment.md"),
               ("html", "report.html"), ("junit", "junit.xml")]
    args = [a for fmt, name in outputs for a in ("--output", f"{fmt}={folder / name}")]
    for _ in range(2):  # the second run finds the first run's outputs in the folder
        code, out, err = gk(folder, "--format", "concise", *args)
        assert code == 1 and checked(out) == {"a.json"}, err
    code, out, err = gk(folder, "--format", "concise")  # a run without those outputs skips them by content
    assert code == 1 and checked(out) == {"a.json"} and "已跳过 5 个" in err


def test_a_leading_option_means_check(gk: Runner) -> None:
    code, out, _ = gk("--fail-on", "warning", "--format", "concise", CLEAN)
    assert code == 0 and out.startswith(f"{CLEAN}: ")
    assert gk("--fail-on", "warning", DEFECTIVE)[0] == 1


def test_expand_and_screen_directly(folder: Path) -> None:
    expanded = expand([str(folder), str(folder / "2023" / "clean.json")])
    assert len(expanded.files) == REPORTS + len(NON_REPORTS)  # clean.json once; no .png, no hidden file
    assert expanded.found == set(expanded.files) and not expanded.problems
    assert not screen(b'{"name": "x", "scripts": {}}', "package.json")
    assert screen(b'{"schema_version": "1.0"}', "x.json")
    assert screen(b'{"agency": {}, "year": 2024', "broken.json")  # not JSON, names the report's keys: read it
    assert not screen("<html><meta name=\"generator\" content=\"gkcheck\"><p>政府信息公开</p>".encode(), "r.html")
    assert screen("<p>政&#24220;信息公开</p>".encode(), "x.html")  # entities and tags do not hide the words
    assert screen("政 府 資 訊 公 開".encode(), "x.txt") is False  # 資訊 is Taiwan's word, not the mainland's
    assert screen("政府信息公開工作年度報告".encode(), "x.txt")  # traditional characters
    assert screen("某县人民政府2024年政府信息公开工作年度报告。本报告依据《条例》编制。\n".encode("gb18030") * 3, "x.txt")
    assert read_found(str(folder / "README.md")) is None


def test_pdf_files_are_recognised_by_reading_them(gk: Runner, tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    folder = tmp_path / "r"
    folder.mkdir()
    leaflet = canvas.Canvas(str(folder / "leaflet.pdf"))
    leaflet.drawString(72, 720, "Opening hours: Monday to Friday, 9:00-17:00.")
    leaflet.save()
    (folder / "report.pdf").write_bytes(FORMS["pdf"](make_document(random.Random(5)), random.Random(2))[1])
    code, out, err = gk(folder, "--format", "concise")
    assert code in (0, 1) and checked(out) == {"report.pdf"} and "已跳过 1 个不是年度报告的文件" in err


def test_skip_non_reports_skips_other_types_but_not_missing_files(gk: Runner, tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    code, _, err = gk(tmp_path / "scan.png", tmp_path / "table.xlsx", CLEAN, "--skip-non-reports")
    assert code == 0 and "已跳过 2 个" in err
    code, _, err = gk(tmp_path / "missing.json", CLEAN, "--skip-non-reports")
    assert code == 2 and "找不到文件" in err
