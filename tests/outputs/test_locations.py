"""Locations a person can find (issue 15, item 3).

Word: "第 N 段（“first words……”）" with N the paragraph as a person counts it (paragraphs with
text, blank ones skipped), and "第 K 个表格 第 R 行第 C 列（表三 · row · column）" for a cell; PDF:
the page and the quote, never the extraction's lines; HTML: the quote; text: the line. JSON
Pointers only in JSON and SARIF, and with --verbose. --show-unassessed lists every rule that
could not be judged with its reason. Quotes from a report pass through the escaping of every
output. The documents are generated here (the examples' numbers, written as Word and PDF files
by the published-form zoo); nothing comes from the corpus.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from conftest import DEFECTIVE, ROOT, Runner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from checker import compiled_ruleset
from checker.annotate import annotate_docx
from checker.api import check_many as run
from checker.ingest import docx as docx_reader
from checker.ingest import parse_document
from checker.ingest.layout import QUOTE_CHARS, quote_of
from checker.render import RENDERERS, RenderContext
from checker.render.labels import location_text, place_text
from checker.render.unassessed import unassessed

sys.path.insert(0, str(ROOT / "tests" / "zoo"))
from forms import docx_form, pdf_form

# A sentence put before the applications sentence of part 一 (二), so that the narrative finding
# points inside a paragraph that does not start with the sentence it quotes.
LEAD = "本年度我局继续规范依申请公开工作流程，完善受理、审核、答复各环节。"
STATED = "全年新收政府信息公开申请12件"


def _document() -> dict[str, Any]:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    overview = doc["sections"]["overview"]
    overview["text"] = overview["text"].replace("（二）依申请公开情况全年", "（二）依申请公开情况" + LEAD + "全年")
    overview.pop("parts", None)
    return doc


def _with_blank_paragraphs(data: bytes) -> bytes:
    """The Word file with empty paragraphs (blank lines a person does not count) at the top and after
    every paragraph that has text."""
    word = docx.Document(io.BytesIO(data))
    body = word.element.body
    paragraphs = [p for p in body.iterchildren(qn("w:p"))]
    paragraphs[0].addprevious(OxmlElement("w:p"))
    paragraphs[0].addprevious(OxmlElement("w:p"))
    for p in paragraphs:
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            p.addnext(OxmlElement("w:p"))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("word") / "报告.docx"
    path.write_bytes(_with_blank_paragraphs(docx_form(_document(), random.Random(7))[1]))
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "报告.pdf"
    path.write_bytes(pdf_form(_document(), random.Random(7))[1])
    return path


def _checked(path: Path) -> tuple[dict[str, Any], Any]:
    doc = parse_document(path.read_bytes(), path.name)
    [result] = run([doc], compiled_ruleset(), [str(path)])
    return doc, result


def _person_paragraphs(path: Path) -> list[str]:
    """The Word file's paragraphs outside tables that hold text, in order: how a person counts them."""
    body = docx.Document(str(path)).element.body
    out = []
    for p in body.iter(qn("w:p")):
        if any(a.tag == qn("w:tbl") for a in p.iterancestors()):
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if text:
            out.append(text)
    return out


def _finding(result: Any, rule_id: str) -> Any:
    found = [f for f in result.findings if f.rule_id == rule_id]
    assert found, f"{rule_id} not found: {[f.rule_id for f in result.findings]}"
    return found[0]


# --------------------------------------------------------------------------- Word


def test_word_paragraph_is_numbered_as_a_person_counts(word: Path) -> None:
    doc, result = _checked(word)
    paragraphs = _person_paragraphs(word)
    late = _finding(result, "GK-D-001")  # published 2025-02-20, after 31 January
    loc = late.location
    assert loc["unit"] == "paragraph"
    assert paragraphs[loc["line"] - 1] == "二〇二五年二月二十日" == loc["quote"]
    assert place_text(late.pointer, loc, "zh") == f"第 {loc['line']} 段（“二〇二五年二月二十日”）  发布日期"
    assert place_text(late.pointer, loc, "en") == f"paragraph {loc['line']} (“二〇二五年二月二十日”)  Publication date"
    # the part's heading: its paragraph and its words
    heading = doc["source_map"]["/sections/requests"]
    assert paragraphs[heading["line"] - 1] == "三、收到和处理政府信息公开申请情况"
    assert heading["quote"] == quote_of("三、收到和处理政府信息公开申请情况")


def test_word_sentence_inside_a_long_paragraph(word: Path) -> None:
    _, result = _checked(word)
    paragraphs = _person_paragraphs(word)
    mismatch = _finding(result, "GK-X-001")
    [sentence] = [r for r in mismatch.related if r["pointer"] == "/sections/overview/text"]
    loc = sentence["location"]
    assert LEAD in paragraphs[loc["line"] - 1] and STATED in paragraphs[loc["line"] - 1]
    assert not paragraphs[loc["line"] - 1].startswith(STATED)
    # the quote is the start of the sentence the finding quotes, not of the paragraph
    assert loc["quote"] == STATED[:QUOTE_CHARS] + "……"
    assert STATED in mismatch.message.zh
    shown = place_text(sentence["pointer"], loc, "zh")
    assert shown.startswith(f"第 {loc['line']} 段（“{STATED[:QUOTE_CHARS]}……”）")


def test_word_cell_is_table_row_and_column_of_the_file(word: Path) -> None:
    doc, result = _checked(word)
    body = docx.Document(str(word)).element.body
    data_tables = [t for t in body.iter(qn("w:tbl")) if max(c.col + c.colspan for c in docx_reader.placed_cells(t)) >= 2]
    cells = [f for f in result.findings if f.pointer in ("/tables/requests/total/natural_person",
                                                          "/tables/requests/new/total")]
    assert cells
    for f in cells:
        loc = f.location
        table = data_tables[loc["table"] - 1]
        [hit] = [c for c in docx_reader.placed_cells(table)
                 if c.row <= loc["row"] - 1 < c.row + c.rowspan and c.col <= loc["column"] - 1 < c.col + c.colspan]
        text = "".join(t.text or "" for t in hit.tc.iter(qn("w:t"))).strip()
        value = doc["tables"]["requests"]
        for key in f.pointer.split("/")[3:]:
            value = value[key]
        assert text == str(value)
        field = {"/tables/requests/total/natural_person": "表三 · （七）总计 · 自然人",
                 "/tables/requests/new/total": "表三 · 一、本年新收政府信息公开申请数量 · 总计"}[f.pointer]
        assert place_text(f.pointer, loc, "zh") == (f"第 {loc['table']} 个表格 第 {loc['row']} 行第 {loc['column']} 列"
                                                    f"（{field}）")


def test_annotated_word_and_audit_use_the_same_words(word: Path, tmp_path: Path) -> None:
    """The comment's 位置 line and the audit's findings files say what the reports say."""
    from checker.audit.outputs import write_outputs
    from checker.audit.runner import AuditOptions, run_audit

    doc, result = _checked(word)
    annotated = docx.Document(io.BytesIO(annotate_docx(word.read_bytes(), result, doc, compiled_ruleset().ruleset)))
    comments = [c.text for c in annotated.comments]
    for f in result.findings:
        where = place_text(f.pointer, f.location, "zh")
        assert any(f.rule_id in c and "位置：" + where in c for c in comments), (f.rule_id, where)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / word.name).write_bytes(word.read_bytes())
    summary = run_audit(AuditOptions((str(folder),), tmp_path / "out", jobs=1))
    write_outputs(summary, compiled_ruleset().ruleset)
    lines = [json.loads(x) for x in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = sorted((f.rule_id, place_text(f.pointer, f.location, "zh")) for f in result.findings)
    assert sorted((x["rule_id"], x["where"]) for x in lines) == expected
    import csv
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][8] == "原文位置"
    assert sorted((r[3], r[8]) for r in rows[1:]) == expected


# --------------------------------------------------------------------------- PDF


def _page_texts(path: Path) -> list[str]:
    with pdfplumber.open(str(path)) as pdf:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]


def test_pdf_place_is_the_page_and_the_words(pdf: Path) -> None:
    doc, result = _checked(pdf)
    pages = _page_texts(pdf)
    late = _finding(result, "GK-D-001")
    loc = late.location
    assert loc["unit"] == "page-line" and "line" in loc  # kept in the data (SARIF, --verbose) ...
    shown = location_text(loc, "zh")
    assert shown == f"第 {loc['page']} 页（“{loc['quote']}”）" and "行" not in shown  # ... never shown
    assert loc["quote"].rstrip("…") in pages[loc["page"] - 1]
    assert f"第 {loc['line']} 行" in location_text(loc, "zh", verbose=True)
    mismatch = _finding(result, "GK-X-001")
    [sentence] = [r for r in mismatch.related if r["pointer"] == "/sections/overview/text"]
    said = sentence["location"]
    assert said["quote"] == STATED[:QUOTE_CHARS] + "……" and STATED in pages[said["page"] - 1]
    assert "行" not in location_text(said, "zh")
    # every part starts on the page its heading is printed on, and quotes it
    for name in ("overview", "requests", "problems"):
        entry = doc["source_map"][f"/sections/{name}"]
        assert entry["quote"].rstrip("…") in pages[entry["page"] - 1]
        if doc["sections"][name]["text"]:
            assert len(entry["text_pages"]) == doc["sections"][name]["text"].count("\n") + 1


def test_pdf_cells_name_page_table_row_and_column(pdf: Path) -> None:
    _, result = _checked(pdf)
    f = next(f for f in result.findings if f.pointer == "/tables/requests/total/natural_person")
    text = place_text(f.pointer, f.location, "zh")
    assert re.fullmatch(r"第 \d+ 页 第 \d+ 个表格 第 \d+ 行第 \d+ 列（表三 · （七）总计 · 自然人）", text), text


# --------------------------------------------------------------------------- HTML and text


def test_html_place_is_the_quote(tmp_path: Path) -> None:
    page = ("<html><head><title>某县2024年政府信息公开工作年度报告</title></head><body>\n"
            "<h1>某县人民政府2024年政府信息公开工作年度报告</h1>\n<h2>一、总体情况</h2>\n"
            f"<p>{LEAD}{STATED}。</p>\n<h2>二、主动公开政府信息情况</h2>\n<p>本年度主动公开信息。</p>\n</body></html>\n")
    doc = parse_document(page.encode(), "r.html", year=2024)
    entry = doc["source_map"]["/sections/overview"]
    assert entry["unit"] == "source-line" and entry["quote"] == "一、总体情况"
    assert location_text(entry, "zh") == "“一、总体情况”"
    assert location_text(entry, "zh", verbose=True) == f"源代码第 {entry['line']}–{entry['end_line']} 行（“一、总体情况”）"


def test_text_files_keep_their_lines() -> None:
    text = "某县人民政府2024年政府信息公开工作年度报告\n\n一、总体情况\n本年度工作情况良好。\n二、主动公开政府信息情况\n本年度主动公开。\n"
    doc = parse_document(text.encode(), "r.txt", year=2024)
    entry = doc["source_map"]["/sections/overview"]
    assert "unit" not in entry and location_text(entry, "zh") == "第 3–4 行"
    assert location_text({"line": 3}, "en") == "line 3"  # a place of an earlier version reads as lines


def test_text_output_shows_no_pointer_without_verbose(gk: Runner, word: Path) -> None:
    for target in (word, DEFECTIVE):
        code, out, _ = gk("check", target, "--color", "never")
        assert code == 1 and "位置：" in out
        assert "/tables/" not in out and "/sections/" not in out, out
        code, out, _ = gk("check", target, "--color", "never", "--verbose")
        assert "/tables/requests/" in out and "/sections/" in out
    code, out, _ = gk("check", word, "--color", "never")
    assert re.search(r"第 \d+ 个表格 第 \d+ 行第 \d+ 列（表三 · （七）总计 · 自然人）", out)
    assert re.search(r"第 \d+ 段（“二〇二五年二月二十日”）", out)
    for fmt in ("html", "markdown", "junit"):
        code, out, _ = gk("check", word, "--format", fmt)
        assert "/tables/" not in out and "/sections/" not in out, fmt
        code, out, _ = gk("check", word, "--format", fmt, "--verbose")
        assert "/tables/requests/" in out, fmt
    code, out, _ = gk("check", word, "--format", "sarif")
    assert "/tables/requests/" in out  # machine outputs keep the pointers


# --------------------------------------------------------------------------- not assessable


def test_show_unassessed_lists_every_rule_with_its_reason(gk: Runner) -> None:
    code, out, _ = gk("check", DEFECTIVE, "--color", "never")
    result = json.loads(gk("check", DEFECTIVE, "--format", "json")[1])["results"][0]
    na = [o["rule_id"] for o in result["outcomes"] if o["outcome"] == "not_assessable"]
    assert na and f"另有 {len(na)} 条规则无法判断" in out and "--show-unassessed" in out
    assert not any(f"○ {rule}" in out for rule in na)
    code, out, _ = gk("check", DEFECTIVE, "--color", "never", "--show-unassessed")
    assert f"无法判断的规则（{len(na)} 条" in out
    for rule in na:
        assert f"○ {rule} " in out
    assert out.count("原因：") == len(na)
    assert "空白：表三 · （四）无法提供 3.补正后申请内容仍不明确 · 商业企业" in out  # the blank cells, named
    assert "报告中没有找到：六、其他需要报告的事项" in out  # the part that is missing
    assert "正文中没有写明可与表格" in out  # a narrative rule with nothing to compare
    code, out, _ = gk("check", DEFECTIVE, "--color", "never", "--show-unassessed", "--lang", "en")
    assert "Rules that could not be judged" in out and out.count("Why: ") == len(na)
    code, html, _ = gk("check", DEFECTIVE, "--format", "html")
    folded = re.search(r'<details class="unassessed">(.*?)</details>', html, re.DOTALL)
    assert folded and all(rule in folded.group(1) for rule in na) and folded.group(1).count("原因：") == len(na)
    code, md, _ = gk("check", DEFECTIVE, "--format", "markdown", "--show-unassessed")
    assert code == 1 and "<details><summary>" in md and all(rule.replace("-", "\\-") in md or rule in md for rule in na)


def test_unassessed_reasons_by_kind() -> None:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc.pop("published")
    doc["agency"].pop("kind", None)
    [result] = run([doc], compiled_ruleset(), ["r.json"])
    reasons = {u.rule.id: u.reason for u in unassessed(result, compiled_ruleset().ruleset, doc, "zh")}
    assert any("机关类型或层级" in r for r in reasons.values())  # applicability unknown
    timing = [r for rid, r in reasons.items() if rid.startswith("GK-D-")]
    assert timing and all("发布日期" in r or "机关类型" in r for r in timing)
    # without the document (a renderer given only results) the reason is still said
    generic = {u.rule.id: u.reason for u in unassessed(result, compiled_ruleset().ruleset, None, "zh")}
    assert set(generic) == set(reasons) and all(generic.values())


# --------------------------------------------------------------------------- escaping


HOSTILE = "<script>alert(1)</script>\x1b]8;;http://x\x07[bold red]链接\x1b[2J\u202e**x**|`y`"


def _hostile_doc() -> dict[str, Any]:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["source_map"] = {"/published": {"line": 3, "unit": "paragraph", "quote": HOSTILE[:60]},
                         "/sections/other": {"line": 9, "unit": "source-line", "quote": "\n\r\t<b>粗体</b>&amp;"},
                         "/tables/requests/total/natural_person": {"table": 2, "row": 3, "column": 4,
                                                                   "quote": "<img src=x onerror=alert(1)>"}}
    return doc


def test_quotes_are_escaped_and_bounded_in_every_output() -> None:
    from checker.document import validate_document

    doc = _hostile_doc()
    validate_document(doc)  # the schema accepts unit and quote
    compiled = compiled_ruleset()
    [result] = run([doc], compiled, ["r.json"])
    assert any(f.location and "quote" in f.location for f in result.findings)
    ctx = RenderContext(compiled.ruleset, documents={"r.json": doc}, verbose=True, show_unassessed=True)
    shown = location_text(doc["source_map"]["/published"], "zh")
    assert len(shown) <= len("第 3 段（“”）") + QUOTE_CHARS + 2 and "\n" not in shown
    for name in ("text", "html", "markdown", "junit", "json", "sarif"):
        if name == "text":
            from rich.console import Console
            console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system="truecolor")
            RENDERERS[name]([result], RenderContext(compiled.ruleset, console=console, documents={"r.json": doc}))
            out = console.file.getvalue()  # type: ignore[attr-defined]
            out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # rich's own colours
        else:
            out = RENDERERS[name]([result], ctx) or ""
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, name
        if name in ("html", "junit"):
            assert "<script>" not in out and "<img" not in out and "<b>粗体" not in out, name
        if name in ("json", "sarif"):  # data: parses; JSON keeps the quote exactly, control characters as \u escapes
            assert json.loads(out) and (name == "sarif" or "\\u001b" in out), name
        if name == "markdown":
            assert "<script>" not in out and "**x**" not in out, name
    html = RENDERERS["html"]([result], ctx) or ""
    assert "&lt;script&gt;" in html or "“&lt;script&gt;alert(1)……”" in html
    comment = annotate_plain_texts(result, compiled)
    assert all("\x1b" not in c and "\x07" not in c for c in comment)


def annotate_plain_texts(result: Any, compiled: Any) -> list[str]:
    from checker.annotate import finding_text

    return [finding_text(f, compiled.ruleset) for f in result.findings]


def test_quote_of_is_one_bounded_line() -> None:
    assert quote_of("  一、\n总体\t情况  ") == "一、 总体 情况"
    long = "一二三四五六七八九十甲乙丙丁"
    assert quote_of(long) == long[:QUOTE_CHARS] + "……"
    assert quote_of("") == ""


def test_old_documents_still_render() -> None:
    """A result or document of an earlier version: places without unit and quote read as before."""
    assert location_text({"line": 12}, "zh") == "第 12 行"
    assert location_text({"line": 3, "end_line": 9, "page": 2}, "zh") == "第 2 页 第 3–9 行"
    assert location_text({"page": 3, "table": 2, "row": 5, "column": 3}, "zh") == "第 3 页 第 2 个表格 第 5 行第 3 列"
    doc = copy.deepcopy(_hostile_doc())
    doc["source_map"] = {"/sections/overview": {"line": 4, "end_line": 12}}
    [result] = run([doc], compiled_ruleset(), ["r.json"])
    assert result.findings
