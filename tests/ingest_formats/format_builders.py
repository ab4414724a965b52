"""Builders for the reader tests: the official tables 二/三/四 as span specs, and
writers that render them (and paragraphs) as Word, HTML and PDF files.

All report text here is written for the tests (the official table labels of the
2021 format, with made-up numbers); nothing is copied from the corpus.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

import docx

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
VERTICAL_LABEL = "三、本年度办理结果"
PAGE_BREAK = "\f"  # a block of pdf_bytes: start a new page


@dataclass(frozen=True)
class Cell:
    """A source cell: 0-based position, spans and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class TableSpec:
    """A table to render, as its source cells."""

    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]

    def at(self, row: int, col: int) -> Cell:
        """The cell whose top-left corner is (row, col)."""
        return next(c for c in self.cells if (c.row, c.col) == (row, col))


def value(row: int, col: int) -> str:
    """The made-up number written at a grid position."""
    return str(row * 10 + col)


def t2_spec() -> TableSpec:
    """Table 二 (proactive disclosure), 14 rows × 4 columns."""
    cells: list[Cell] = []
    row = 0
    blocks = [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
        ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
        ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ]
    for header, columns, labels in blocks:
        cells.append(Cell(row, 0, 1, 4, header))
        cells.append(Cell(row + 1, 0, 1, 1, "信息内容"))
        span = 3 // len(columns)
        cells.extend(Cell(row + 1, 1 + i * span, 1, span, name) for i, name in enumerate(columns))
        for j, label in enumerate(labels, start=2):
            cells.append(Cell(row + j, 0, 1, 1, label))
            cells.extend(Cell(row + j, 1 + i * span, 1, span, value(row + j, 1 + i * span)) for i in range(len(columns)))
        row += 2 + len(labels)
    return TableSpec(row, 4, tuple(cells))


T3_RESULTS: list[tuple[str, list[str]]] = [
    ("（一）予以公开", []),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                     "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                     "5.要求行政机关确认或重新出具已获取信息"]),
    ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
    ("（七）总计", []),
]


def t3_spec() -> TableSpec:
    """Table 三 (requests), 28 rows × 10 columns, with the vertical label in column 0."""
    cells = [
        Cell(0, 0, 3, 3, NOTE), Cell(0, 3, 1, 7, "申请人情况"),
        Cell(1, 3, 2, 1, "自然人"), Cell(1, 4, 1, 5, "法人或其他组织"), Cell(1, 9, 2, 1, "总计"),
    ]
    cells += [Cell(2, 4 + i, 1, 1, name) for i, name in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]

    def values(row: int) -> list[Cell]:
        return [Cell(row, c, 1, 1, value(row, c)) for c in range(3, 10)]

    cells += [Cell(3, 0, 1, 3, "一、本年新收政府信息公开申请数量"), *values(3)]
    cells += [Cell(4, 0, 1, 3, "二、上年结转政府信息公开申请数量"), *values(4)]
    row = 5
    for group, subs in T3_RESULTS:
        if subs:
            cells.append(Cell(row, 1, len(subs), 1, group))
            for sub in subs:
                cells += [Cell(row, 2, 1, 1, sub), *values(row)]
                row += 1
        else:
            cells += [Cell(row, 1, 1, 2, group), *values(row)]
            row += 1
    cells.append(Cell(5, 0, row - 5, 1, VERTICAL_LABEL))
    cells += [Cell(row, 0, 1, 3, "四、结转下年度继续办理"), *values(row)]
    return TableSpec(row + 1, 10, tuple(cells))


def t4_spec() -> TableSpec:
    """Table 四 (appeals), 4 rows × 15 columns."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells = [Cell(0, 0, 1, 5, "行政复议"), Cell(0, 5, 1, 10, "行政诉讼")]
    cells += [Cell(1, i, 2, 1, name) for i, name in enumerate(results)]
    cells += [Cell(1, 5, 1, 5, "未经复议直接起诉"), Cell(1, 10, 1, 5, "复议后起诉")]
    cells += [Cell(2, 5 + i, 1, 1, results[i % 5]) for i in range(10)]
    cells += [Cell(3, c, 1, 1, value(3, c)) for c in range(15)]
    return TableSpec(4, 15, tuple(cells))


# ----------------------------------------------------------------------------- Word


def docx_bytes(blocks: list[str | TableSpec], *, title: str = "", vertical_one_char_per_paragraph: bool = True) -> bytes:
    """A .docx with the given paragraphs and tables, merged cells made with python-docx."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=block.n_rows, cols=block.n_cols)
        table.style = "Table Grid"
        for cell in block.cells:
            target = table.cell(cell.row, cell.col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
            _write_cell(target, cell.text, vertical_one_char_per_paragraph and cell.text == VERTICAL_LABEL)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _write_cell(target: docx.table._Cell, text: str, one_char_per_paragraph: bool) -> None:
    """Write text into a cell, optionally one character per paragraph (a vertical label)."""
    if not one_char_per_paragraph:
        target.text = text
        return
    target.text = text[0]
    for char in text[1:]:
        target.add_paragraph(char)


# ----------------------------------------------------------------------------- HTML


def html_table(spec: TableSpec, *, split_spans: bool = True) -> str:
    """A ``<table>`` with rowspan/colspan; label text split over span/font/br when asked."""
    rows = []
    for r in range(spec.n_rows):
        tds = []
        for cell in sorted((c for c in spec.cells if c.row == r), key=lambda c: c.col):
            attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            tds.append(f"<td{attrs}>{_split_markup(cell.text) if split_spans else escape(cell.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def _split_markup(text: str) -> str:
    """Spread a cell's text over the inline markup that web editors produce."""
    if text == VERTICAL_LABEL:
        return "<br/>".join(escape(ch) for ch in text)
    if len(text) < 4:
        return f'<p style="text-align:center"><span style="font-size:12px">{escape(text)}</span></p>'
    half = len(text) // 2
    return f'<p><span>{escape(text[:half])}</span><font face="宋体"><span>{escape(text[half:])}</span></font></p>'


# ----------------------------------------------------------------------------- PDF


def pdf_bytes(blocks: list[str | TableSpec], *, repeat_rows: int = 0, page_numbers: bool = True) -> bytes:
    """A PDF with a real text layer (reportlab's built-in STSong-Light CID font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    flow = []
    for block in blocks:
        if block == PAGE_BREAK:
            flow.append(PageBreak())
            continue
        if isinstance(block, str):
            flow.append(Paragraph(escape(block), body))
            continue
        data: list[list[object]] = [[""] * block.n_cols for _ in range(block.n_rows)]
        style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 8),
                 ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]
        for cell in block.cells:
            text = "<br/>".join(cell.text) if cell.text == VERTICAL_LABEL else escape(cell.text)
            data[cell.row][cell.col] = Paragraph(text, cell_style)
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (cell.col, cell.row), (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)))
        widths = [60, 60, 100] + [40] * (block.n_cols - 3) if block.n_cols == 10 else None
        flow.append(RLTable(data, colWidths=widths, repeatRows=repeat_rows, style=TableStyle(style)))

    def number_page(canvas: object, doc: object) -> None:
        if page_numbers:
            canvas.setFont("Helvetica", 10)  # type: ignore[attr-defined]
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="测试报告").build(flow, onFirstPage=number_page, onLaterPages=number_page)
    return out.getvalue()
