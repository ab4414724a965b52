"""PDF reader: the two corpus PDFs, and generated PDFs for page breaks and page numbers."""

from __future__ import annotations

import pytest
from format_builders import (
    CORPUS,
    PAGE_BREAK,
    VERTICAL_LABEL,
    Cell,
    TableSpec,
    pdf_bytes,
    t2_spec,
    t3_spec,
    t4_spec,
    value,
)

from checker.ingest.layout import Paragraph, Table
from checker.ingest.pdf import read_pdf

HUAIAN = CORPUS / "pdf" / "huaian-government-2024.pdf"
HONGZE = CORPUS / "pdf" / "hongze-government-2023.pdf"


def _read(path):
    if not path.exists():
        pytest.skip(f"corpus file absent: {path}")
    return read_pdf(path.read_bytes())


@pytest.fixture(scope="module")
def huaian():
    return _read(HUAIAN)


@pytest.fixture(scope="module")
def hongze():
    return _read(HONGZE)


def _tables(layout):
    return [b for b in layout.blocks if isinstance(b, Table)]


def _row(table, *labels):
    """The first row whose label cells contain all the given texts."""
    for row in table.rows:
        texts = [c.text for c in row]
        if all(any(label in t for t in texts) for label in labels):
            return texts
    raise AssertionError(f"no row with {labels}")


def _paragraphs(layout):
    return [b.text for b in layout.blocks if isinstance(b, Paragraph)]


# ----------------------------------------------------------------------------- corpus: 淮安市 2024


def test_huaian_three_tables_with_official_shapes(huaian):
    assert [(len(t.rows), len(t.rows[0])) for t in _tables(huaian)] == [(14, 4), (28, 10), (4, 15)]
    assert [t.loc.page for t in _tables(huaian)] == [3, 4, 5]


def test_huaian_table3_cells(huaian):
    t3 = _tables(huaian)[1]
    assert _row(t3, "一、本年新收")[-1] == "3119"
    assert _row(t3, "二、上年结转")[-1] == "34"
    assert _row(t3, "（七）总计")[3:] == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert _row(t3, "四、结转下年度")[-1] == "103"
    # the vertical label, one character per line, is one label on every result row
    assert {t3.rows[r][0].text for r in range(5, 27)} == {VERTICAL_LABEL}
    # wrapped row labels become one label
    assert _row(t3, "（二）部分公开")[1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert _row(t3, "2、申请人逾期")[2] == "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    # a merged label cut by the page break is joined with its continuation
    assert _row(t3, "2.没有现成信息")[1] == "（四）无法提供"
    assert t3.rows[15][1].origin and t3.rows[15][1].loc.page == 4 and t3.rows[16][3].loc.page == 5


def test_huaian_table2_joined_across_pages(huaian):
    t2 = _tables(huaian)[0]
    assert _row(t2, "规章")[1:] == ["1", "0", "11"]
    assert _row(t2, "行政规范性文件")[1:] == ["8", "26", "66"]
    assert _row(t2, "行政处罚")[1] == "3985758"
    assert _row(t2, "行政事业性收费")[1] == "96171.6"


def test_huaian_table4_cells(huaian):
    t4 = _tables(huaian)[2]
    assert [c.text for c in t4.rows[3]] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    assert t4.rows[2][5].text == "结果维持"


def test_huaian_paragraphs(huaian):
    texts = _paragraphs(huaian)
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in texts
    assert not any(t.strip("-— ").isdigit() for t in texts), "page numbers must be dropped"
    # a paragraph running over a page break is one paragraph, its lines joined without spaces
    applications = next(t for t in texts if t.startswith("（二）依申请公开情况"))
    assert "全市共受理政府信息公开申请 3119 件" in applications
    assert huaian.hints["doc_created"] == "2025-02-25"


# ----------------------------------------------------------------------------- corpus: 洪泽区 2023


def test_hongze_three_tables(hongze):
    assert [(len(t.rows), len(t.rows[0])) for t in _tables(hongze)] == [(14, 4), (26, 10), (4, 15)]


def test_hongze_cells(hongze):
    t2, t3, t4 = _tables(hongze)
    assert _row(t2, "行政许可")[1] == "550"
    assert _row(t2, "行政事业性收费")[1] == "7730.28"
    assert _row(t3, "一、本年新收")[3:] == ["21", "0", "0", "0", "0", "0", "21"]
    assert _row(t3, "1.本机关不掌握")[-1] == "10"
    assert _row(t3, "（六）其他处理")[1:3] == ["（六）其他处理", "（六）其他处理"]
    assert {t3.rows[r][0].text for r in range(5, 25)} == {VERTICAL_LABEL}
    assert [c.text for c in t4.rows[3]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]


def test_hongze_white_boxes_are_not_tables(hongze):
    # the PDF draws white boxes behind every text line; they must not become tables
    texts = _paragraphs(hongze)
    assert "一、总体情况" in texts
    assert any(t.startswith("本报告由淮安市洪泽区人民政府办公室") for t in texts)
    assert hongze.hints["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"


# ----------------------------------------------------------------------------- generated PDFs

LONG = "本县坚持以人民为中心，全面推进政务公开工作，持续完善制度机制，" * 6


@pytest.fixture(scope="module")
def generated():
    blocks = ["某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", LONG, "二、主动公开政府信息情况", t2_spec(),
              "三、收到和处理政府信息公开申请情况", t3_spec(), "四、政府信息公开行政复议、行政诉讼情况", t4_spec(),
              "五、存在的主要问题及改进情况", LONG]
    return read_pdf(pdf_bytes(blocks, repeat_rows=3))


def test_generated_tables_across_page_break_with_repeated_header(generated):
    tables = _tables(generated)
    assert [(len(t.rows), len(t.rows[0])) for t in tables] == [(14, 4), (28, 10), (4, 15)]
    t3 = tables[1]
    pages = {c.loc.page for row in t3.rows for c in row}
    assert len(pages) == 2, "table 三 should run over a page break"
    assert t3.rows[3][9].text == value(3, 9)
    assert t3.rows[27][3].text == value(27, 3)
    assert {t3.rows[r][0].text for r in range(5, 27)} == {VERTICAL_LABEL}


def test_generated_paragraphs_and_page_numbers(generated):
    texts = _paragraphs(generated)
    assert texts[:3] == ["某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", LONG]
    assert not any(t.startswith("-") for t in texts)
    first = next(b for b in generated.blocks if isinstance(b, Paragraph) and b.text == LONG)
    assert first.loc.page == 1 and first.loc.line == 3 and first.loc.end_line > 3


def test_paragraph_continues_over_page_break():
    text = "（一）主动公开情况。" + "全年通过政府网站主动公开各类政府信息，" * 120 + "共计三百条。"
    layout = read_pdf(pdf_bytes(["一、总体情况", text, "二、主动公开政府信息情况"]))
    texts = _paragraphs(layout)
    assert texts == ["一、总体情况", text, "二、主动公开政府信息情况"]


# ----------------------------------------------------------------------------- a row broken by a page break

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _piece(rows: list[tuple[list[tuple[int, int, str]], list[str]]], *, header: bool) -> TableSpec:
    """A piece of table 三 (10 columns): optional header row, then rows of label cells
    (column, colspan, text) and seven value texts ("" for a blank cell)."""
    cells: list[Cell] = []
    r = 0
    if header:
        cells += [Cell(0, 0, 1, 3, "申请人情况"), *(Cell(0, 3 + i, 1, 1, name) for i, name in enumerate(APPLICANTS))]
        r = 1
    for labels, values in rows:
        cells += [Cell(r, col, 1, span, text) for col, span, text in labels]
        cells += [Cell(r, 3 + i, 1, 1, text) for i, text in enumerate(values)]
        r += 1
    return TableSpec(r, 10, tuple(cells))


def _broken(stub: str, rest: str, following: str, values: tuple[str, ...] = ("6", "0", "0", "0", "0", "0", "6"),
            ) -> list[list[str]]:
    """Read a table whose row ``stub``+``rest`` is broken by a page break; the row texts."""
    blank = [""] * 7
    first = _piece([([(0, 3, "一、本年新收政府信息公开申请数量")], ["12", "3", "0", "0", "1", "0", "16"]),
                    ([(0, 1, "（四）无法提供"), (1, 2, stub)], blank)], header=True)
    second = _piece([([(0, 1, "（四）无法提供"), (1, 2, rest)], list(values)),
                     ([(0, 1, "（四）无法提供"), (1, 2, following)], ["1", "0", "0", "0", "0", "0", "1"])],
                    header=False)
    layout = read_pdf(pdf_bytes(["三、收到和处理政府信息公开申请情况", first, PAGE_BREAK, second, "四、其他"]))
    (table,) = _tables(layout)
    return [[c.text for c in row] for row in table.rows]


def test_row_broken_by_page_break_is_joined():
    rows = _broken("1.本机关不掌握", "相关政府信息", "2.没有现成信息需要另行制作")
    assert len(rows) == 4
    assert rows[2] == ["（四）无法提供", "1.本机关不掌握相关政府信息", "6", "0", "0", "0", "0", "0", "6"]
    assert rows[3][1] == "2.没有现成信息需要另行制作" and rows[3][2] == "1"


def test_next_row_on_the_new_page_is_not_joined():
    """A blank row at the end of a page is a row of its own when the next one starts with its number."""
    rows = _broken("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    assert len(rows) == 5
    assert rows[2][1] == "1.本机关不掌握相关政府信息" and rows[2][2:] == [""] * 7
    assert rows[3][1] == "2.没有现成信息需要另行制作" and rows[3][2] == "6"


def test_unnumbered_rows_across_a_page_break_are_not_joined():
    """Without numbering a blank row and the next row cannot be told from one broken row: kept apart."""
    rows = _broken("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")
    assert len(rows) == 5
    assert rows[2][2:] == [""] * 7 and rows[3][1] == "没有现成信息需要另行制作"


def test_blank_row_broken_by_page_break_is_joined():
    rows = _broken("2.没有现成信息需要另", "行制作", "3.补正后申请内容仍不明确", values=("",) * 7)
    assert len(rows) == 4
    assert rows[2] == ["（四）无法提供", "2.没有现成信息需要另行制作", *[""] * 7]
    assert rows[3][1] == "3.补正后申请内容仍不明确"
