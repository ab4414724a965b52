"""``gkcheck check REPORT.docx --annotate OUT.docx``: a copy of the Word file with a comment (批注) at
each finding, anchored on the paragraph or table cell it concerns, a first comment with the score,
the original untouched; reopened with python-docx, and opened by LibreOffice (when installed) to
prove it is a valid document whose comments Word-compatible software reads."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from web_helpers import CLEAN, DEFECTIVE, child_env, load, pdf_file, word_file

from checker.document import cell_by_pointer, resolve

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args), "--no-config"], cwd=cwd, env=child_env(),
                          capture_output=True, text=True, timeout=300, check=False)


def text_of(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def comments_and_anchors(data: bytes) -> list[tuple[str, str, bool]]:
    """(comment text, text of the paragraph it is anchored on, whether that paragraph is in a table cell)."""
    document = docx.Document(io.BytesIO(data))
    texts = {c.comment_id: c.text for c in document.comments}
    out = []
    for start in document.element.body.iter(qn("w:commentRangeStart")):
        p = start.getparent()
        in_cell = any(a.tag == qn("w:tc") for a in p.iterancestors())
        out.append((texts[int(start.get(qn("w:id")))], text_of(p), in_cell))
    assert len(out) == len(texts), "every comment is anchored once"
    return out


def printed(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The defective example as a Word file, checked with --annotate (and --format json for the findings)."""
    folder = tmp_path_factory.mktemp("annotate")
    doc = load(DEFECTIVE)
    source = folder / "2024年报.docx"
    source.write_bytes(word_file(doc))
    before = hashlib.sha256(source.read_bytes()).hexdigest(), source.stat().st_mtime_ns
    done = run_cli(source.name, "--annotate", "批注版.docx", "--format", "json", cwd=folder)
    assert done.returncode == 1, done.stderr
    assert "已写入带批注的 Word 文件：批注版.docx" in done.stderr
    return {"doc": doc, "source": source, "before": before, "out": (folder / "批注版.docx").read_bytes(),
            "result": json.loads(done.stdout)["results"][0]}


def test_original_is_untouched(annotated: dict[str, Any]) -> None:
    source: Path = annotated["source"]
    assert (hashlib.sha256(source.read_bytes()).hexdigest(), source.stat().st_mtime_ns) == annotated["before"]
    assert annotated["out"] != source.read_bytes()


def test_first_comment_on_the_title_gives_score_and_counts(annotated: dict[str, Any]) -> None:
    anchors = comments_and_anchors(annotated["out"])
    result = annotated["result"]
    title_comments = [c for c, where, _ in anchors if c.startswith("gkcheck 检查结果")]
    assert len(title_comments) == 1
    [(first, where, _)] = [a for a in anchors if a[0] == title_comments[0]]
    assert where == annotated["doc"]["title"]
    errors = sum(f["severity"] == "error" for f in result["findings"])
    assert f"得分 {result['score']['overall']:.1f} / 100" in first and f"错误 {errors} 项" in first
    assert "未通过" in first and "原文件未被修改" in first


def test_every_finding_has_a_comment_with_fix_and_basis(annotated: dict[str, Any]) -> None:
    anchors = comments_and_anchors(annotated["out"])
    findings = annotated["result"]["findings"]
    numbered = [c for c, _, _ in anchors if c[:1].isdigit()]
    assert len(numbered) == len(findings)
    for f in findings:
        [text] = [c for c in numbered if f"{f['rule_id']} {f['title']}" in c.splitlines()[0] and f["message"] in c]
        assert f"如何修改：{f['fix']}" in text and f"依据：{f['basis']}" in text
        assert f"【{ {'error': '错误', 'warning': '警告', 'info': '提示'}[f['severity']] }】" in text


def test_comments_are_anchored_where_the_findings_are(annotated: dict[str, Any]) -> None:
    doc, findings = annotated["doc"], annotated["result"]["findings"]
    anchors = comments_and_anchors(annotated["out"])

    def anchor_of(f: dict[str, Any]) -> tuple[str, bool]:
        [(where, in_cell)] = [(w, c) for text, w, c in anchors if text.splitlines()[0].endswith(
            f"{f['rule_id']} {f['title']}") and f["message"] in text]
        return where, in_cell

    cells = cell_by_pointer()
    seen = set()
    for f in findings:
        where, in_cell = anchor_of(f)
        if f["pointer"] in cells:  # a number in a table: the cell itself
            assert in_cell and where.strip() == printed(resolve(doc, cells[f["pointer"]].path)), f
            seen.add("cell")
        elif f["pointer"].startswith("/tables/"):  # a row: its label
            assert in_cell and f["values"]["row"].split()[-1] in where, f
            seen.add("row")
        elif f["rule_id"] == "GK-S-001":  # a missing part: the heading of the part before it
            assert where.startswith("五、") and not in_cell
            seen.add("missing part")
        elif f["pointer"] == "/published":
            assert re.search("(2025|二〇二五)年", where) and not in_cell  # the date line, in either numerals
            seen.add("paragraph")
    assert seen == {"cell", "row", "missing part", "paragraph"}
    # the sentence that contradicts table 三 carries a comment pointing to the finding
    [x001] = [f for f in findings if f["rule_id"] == "GK-X-001"]
    related = [where for text, where, _ in anchors if text.startswith("与第") and "GK-X-001" in text]
    assert related and x001["values"]["sentence"][:12] in related[0]
    missing = [text for text, where, _ in anchors if "GK-S-001" in text.splitlines()[0]]
    assert "缺少的部分应排在本批注所在部分之后" in missing[0]


def test_refused_targets(tmp_path: Path) -> None:
    source = tmp_path / "r.docx"
    data = word_file(load(DEFECTIVE))
    source.write_bytes(data)
    os.link(source, tmp_path / "hard.docx")
    (tmp_path / "soft.docx").symlink_to(source)
    for target in ("r.docx", "hard.docx", "soft.docx", "./r.docx"):
        done = run_cli("r.docx", "--annotate", target, cwd=tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "是同一个文件" in done.stderr and done.stdout == ""
        assert source.read_bytes() == data
    (tmp_path / "r.pdf").write_bytes(pdf_file(load(DEFECTIVE)))
    done = run_cli("r.pdf", "--annotate", "x.docx", cwd=tmp_path)
    assert done.returncode == 2 and "只能为 Word（.docx）文件生成批注版：r.pdf 不是 .docx 文件" in done.stderr
    assert done.stdout == "" and not (tmp_path / "x.docx").exists()
    done = run_cli("r.docx", str(CLEAN), "--annotate", "x.docx", cwd=tmp_path)
    assert done.returncode == 2 and "--annotate 只能与一份 Word 报告一起使用" in done.stderr


def test_existing_comments_are_kept_and_empty_paragraphs_can_be_anchored(tmp_path: Path) -> None:
    from checker.annotate import _runs, annotate_docx
    from checker.api import check, compiled_ruleset
    from checker.ingest import parse_document

    word = docx.Document(io.BytesIO(word_file(load(DEFECTIVE))))
    word.add_comment(word.paragraphs[1].runs, text="科长：请核对", author="张三", initials="ZS")
    empty = word.add_paragraph()
    runs = _runs(empty._p, word)
    assert len(runs) == 1 and runs[0].text == ""
    word.add_comment(runs, text="空段落上的批注", author="gkcheck")
    buf = io.BytesIO()
    word.save(buf)
    data = buf.getvalue()
    document = parse_document(data, "r.docx")
    out = annotate_docx(data, check(document), document, compiled_ruleset().ruleset)
    texts = [c for c, _, _ in comments_and_anchors(out)]
    assert "科长：请核对" in texts and "空段落上的批注" in texts
    assert sum(t.startswith("gkcheck 检查结果") for t in texts) == 1


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: apt-get install -y "
                    "libreoffice-writer-nogui)")
def test_libreoffice_opens_the_copy_and_reads_every_comment(annotated: dict[str, Any], tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    copy = tmp_path / "annotated.docx"
    copy.write_bytes(annotated["out"])
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    done = subprocess.run([str(SOFFICE), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           "--convert-to", export, "--outdir", str(tmp_path), str(copy)],
                          capture_output=True, text=True, timeout=240, check=False)
    pdf = tmp_path / "annotated.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    reader = pypdf.PdfReader(pdf)
    notes = [str(a.get_object().get("/Contents")) for page in reader.pages for a in (page.get("/Annots") or [])
             if a.get_object().get("/Subtype") == "/Text"]
    expected = [c for c, _, _ in comments_and_anchors(annotated["out"])]
    assert len(notes) == len(expected)
    for text in expected:
        assert any(text.splitlines()[0] in note for note in notes), text
    assert "青禾县市场监督管理局" in "".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("seed", range(12))
def test_located_findings_anchor_on_their_place_in_generated_reports(seed: int) -> None:
    """Over the zoo's generated Word reports (random formats, merged cells, table 三 split over a page,
    planted defects): every finding the reader located lands on that place, and a finding on a table
    cell lands on a cell printing the document's value."""
    import random

    from documents import cell_text, make_document

    from checker.annotate import _Anchors, _BodyMap, _text
    from checker.api import check
    from checker.ingest import parse_document

    doc = make_document(random.Random(seed))
    data = word_file(doc, seed)
    read = parse_document(data, "r.docx")
    result = check(read)
    body = _BodyMap()
    body.read(docx.Document(io.BytesIO(data)).element.body)
    anchors = _Anchors(body, {k: v for k, v in read["source_map"].items() if isinstance(v, dict)})
    title = anchors.title()
    cells = cell_by_pointer()
    for f in result.findings:
        if not f.location:
            continue
        place = anchors.for_finding(f)
        assert place is not None and (place is not title or f.location.get("line") == 1), f
        in_cell = any(a.tag == qn("w:tc") for a in place.iterancestors())
        assert in_cell == bool(f.location.get("table")), f
        if f.pointer in cells:
            value = resolve(read, cells[f.pointer].path)
            assert _text(place).strip().lstrip("+") == cell_text(value).lstrip("+"), (f, _text(place))


def test_sum_findings_anchor_on_the_total_they_blame() -> None:
    """A row total (GK-T3-011), a results total (GK-T3-012) and a table 四 total (GK-T4-010) that disagree
    with their parts: each comment lands on the total cell, which prints the wrong total."""
    from checker.annotate import _Anchors, _BodyMap, _text
    from checker.api import check
    from checker.ingest import parse_document

    doc = load(CLEAN)
    requests, appeals = doc["tables"]["requests"], doc["tables"]["appeals"]
    requests["granted"]["total"] += 3  # the row total of （一）
    requests["total"]["commercial"] += 1  # the results total of one column ...
    requests["carried_over"]["commercial"] -= 1  # ... with the balance kept
    appeals["review"]["total"] += 2
    data = word_file(doc)
    read = parse_document(data, "r.docx")
    result = check(read)
    body = _BodyMap()
    body.read(docx.Document(io.BytesIO(data)).element.body)
    anchors = _Anchors(body, {k: v for k, v in read["source_map"].items() if isinstance(v, dict)})
    blamed = [f for f in result.findings if f.rule_id in ("GK-T3-011", "GK-T3-012", "GK-T4-010")]
    pointers = {(f.rule_id, f.pointer) for f in blamed}
    assert {("GK-T3-011", "/tables/requests/granted/total"), ("GK-T3-012", "/tables/requests/total/commercial"),
            ("GK-T4-010", "/tables/appeals/review/total")} <= pointers
    for rule_id, pointer in pointers:  # every one of them on a total: a row's total, or a cell of row （七）
        assert pointer.endswith("/total") or pointer.startswith("/tables/requests/total/"), (rule_id, pointer)
        assert rule_id != "GK-T3-012" or pointer.startswith("/tables/requests/total/"), pointer
    for f in blamed:
        place = anchors.for_finding(f)
        assert place is not None and any(a.tag == qn("w:tc") for a in place.iterancestors()), f
        assert _text(place).strip() == printed(resolve(read, cell_by_pointer()[f.pointer].path)), (f, _text(place))
