"""Word reader: body order, merged cells of the official tables, hints."""

from __future__ import annotations

import io

import docx
import pytest
from format_builders import NOTE, VERTICAL_LABEL, docx_bytes, t2_spec, t3_spec, t4_spec, value

from checker.ingest.docx import read_docx
from checker.ingest.layout import Location, Paragraph, Table


@pytest.fixture(scope="module")
def layout():
    blocks = [
        "某县人民政府2024年政府信息公开工作年度报告",
        "一、总体情况",
        "二、主动公开政府信息情况",
        t2_spec(),
        "三、收到和处理政府信息公开申请情况",
        t3_spec(),
        "四、政府信息公开行政复议、行政诉讼情况",
        t4_spec(),
        "五、存在的主要问题及改进情况",
    ]
    return read_docx(docx_bytes(blocks, title="某县2024年报"))


def _tables(layout):
    return [b for b in layout.blocks if isinstance(b, Table)]


def test_blocks_keep_body_order(layout):
    kinds = ["T" if isinstance(b, Table) else b.text[:2] for b in layout.blocks]
    assert kinds == ["某县", "一、", "二、", "T", "三、", "T", "四、", "T", "五、"]


def test_grids_have_official_shapes(layout):
    shapes = [(len(t.rows), len(t.rows[0])) for t in _tables(layout)]
    assert shapes == [(14, 4), (28, 10), (4, 15)]
    for table in _tables(layout):
        assert len({len(row) for row in table.rows}) == 1


def test_t3_merged_cells_expanded(layout):
    t3 = _tables(layout)[1]
    assert t3.rows[0][0].text == NOTE and t3.rows[0][0].origin
    assert t3.rows[2][2].text == NOTE and not t3.rows[2][2].origin
    assert [c.text for c in t3.rows[0][3:]] == ["申请人情况"] * 7
    assert [c.origin for c in t3.rows[0][3:]] == [True] + [False] * 6
    assert [c.text for c in t3.rows[1][4:9]] == ["法人或其他组织"] * 5
    assert t3.rows[2][3].text == "自然人" and not t3.rows[2][3].origin
    # the vertical label, one character per paragraph, is one label on every result row
    assert {t3.rows[r][0].text for r in range(5, 27)} == {VERTICAL_LABEL}
    assert t3.rows[5][0].origin and not any(t3.rows[r][0].origin for r in range(6, 27))
    assert t3.rows[12][1].text == "（三）不予公开" and not t3.rows[12][1].origin
    assert t3.rows[12][2].text == "6.属于四类过程性信息"
    assert t3.rows[3][9].text == value(3, 9)
    assert t3.rows[27][0].text == "四、结转下年度继续办理"


def test_cell_locations(layout):
    t4 = _tables(layout)[2]
    cell = t4.rows[3][14]
    assert cell.text == value(3, 14)
    assert cell.loc == Location(table=3, row=4, column=15)
    assert t4.loc == Location(table=3)


def test_paragraph_numbers_and_hints(layout):
    paragraphs = [b for b in layout.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].loc == Location(line=1, unit="paragraph", quote="某县人民政府2024年政……")
    assert paragraphs[-1].loc.line == 6 and paragraphs[-1].loc.quote == "五、存在的主要问题及改进情况"[:12] + "……"
    assert layout.hints["title"] == "某县2024年报"
    assert len(layout.hints["doc_created"]) == 10
    assert layout.media_type.endswith("wordprocessingml.document")


def test_runs_tracked_insertions_line_breaks_and_frame_tables():
    document = docx.Document()
    p = document.add_paragraph()
    for piece in ("一、", "总体", "情况"):
        p.add_run(piece)
    p.add_run().add_break()
    p.add_run("本年度共受理申请 12 件。")
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "（一）主动公开情况。"
    frame.cell(0, 0).add_paragraph("全年主动公开信息 300 条。")
    out = io.BytesIO()
    document.save(out)
    layout = read_docx(out.getvalue())
    texts = [b.text for b in layout.blocks]
    assert texts == ["一、总体情况", "本年度共受理申请 12 件。", "（一）主动公开情况。", "全年主动公开信息 300 条。"]
    assert not any(isinstance(b, Table) for b in layout.blocks)


def test_tracked_insertions_kept_and_deletions_dropped():
    document = docx.Document()
    p = document.add_paragraph("共受理")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    ins = etree.SubElement(p._p, f"{{{w}}}ins")
    etree.SubElement(etree.SubElement(ins, f"{{{w}}}r"), f"{{{w}}}t").text = "12"
    deleted = etree.SubElement(p._p, f"{{{w}}}del")
    etree.SubElement(etree.SubElement(deleted, f"{{{w}}}r"), f"{{{w}}}delText").text = "10"
    p.add_run("件")
    out = io.BytesIO()
    document.save(out)
    assert read_docx(out.getvalue()).blocks[0].text == "共受理12件"
