"""``pdftotext -layout`` text: blank cells by column position, rows across page breaks.

The texts are written here: a helper puts labels and values at the places ``pdftotext
-layout`` prints them (values right-aligned or left-aligned under their column). Nothing
is copied from the corpus.
"""

from __future__ import annotations

from checker.ingest import parse_document
from checker.ingest.layout import Table
from checker.ingest.tables import Row
from checker.ingest.text import read_text

ENDS = (40, 49, 58, 67, 76, 85, 94)  # right ends of the seven applicant columns
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计")


def line(label: str = "", values: tuple[str | None, ...] = (), *, indent: int = 0, ends: tuple[int, ...] = ENDS,
         left: bool = False) -> str:
    """A layout line: a label at ``indent``, values right-aligned at ``ends`` (left-aligned at
    ``end - 4`` with ``left``); None leaves the column blank."""
    text = " " * indent + label
    for end, value in zip(ends, values):
        if value is None:
            continue
        start = end - 4 if left else end - len(value)
        text = text.ljust(start) if len(text) < start else text + "  "
        text += value
    return text


def header() -> list[str]:
    return ["                                    申请人情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，",
            "等于第三项加第四项之和）",
            line(values=APPLICANTS)]


def rows_of(text: str) -> list[list[str]]:
    tables = [b for b in read_text(text).blocks if isinstance(b, Table)]
    assert len(tables) == 1
    return [[c.text for c in row] for row in tables[0].rows]


def row_with(rows: list[list[str]], word: str) -> list[str]:
    (found,) = [r for r in rows if word in r[0]]
    return found


def page_break(number: int) -> list[str]:
    return ["", f"                                   - {number} -", "\f"]


def as_text(lines: list[str]) -> str:
    """The lines as pdftotext writes them: each page ends with a form feed."""
    return "\n".join(lines).replace("\n\f\n", "\n\f") + "\n\f"


# ----------------------------------------------------------------------------- blank cells


def test_blank_cell_is_placed_in_its_column():
    text = as_text(header() + [
        line("一、本年新收政府信息公开申请数量", ("3624", "143", "2", None, "28", "167", "4097")),
        line("二、上年结转政府信息公开申请数量", ("12", "0", "0", "1", "0", "3", "16")),
        line("（一）予以公开", ("1201", "88", "1", "0", "20", "94", "1404"), indent=6),
        line("（二）部分公开", (None, "5", None, "0", "1", "0", "6"), indent=6),
    ])
    rows = rows_of(text)
    assert row_with(rows, "本年新收") == ["一、本年新收政府信息公开申请数量", "3624", "143", "2", "", "28", "167", "4097"]
    assert row_with(rows, "部分公开") == ["（二）部分公开", "", "5", "", "0", "1", "0", "6"]
    assert row_with(rows, "上年结转")[1:] == ["12", "0", "0", "1", "0", "3", "16"]


def test_left_aligned_columns():
    text = as_text(header() + [
        line("一、本年新收政府信息公开申请数量", ("36", "143", "2", "7", "28", "167", "383"), left=True),
        line("二、上年结转政府信息公开申请数量", ("12", None, "0", "1", "0", None, "13"), left=True),
    ])
    assert row_with(rows_of(text), "上年结转")[1:] == ["12", "", "0", "1", "0", "", "13"]


def test_value_between_two_columns_is_not_placed():
    """A value as near one column as the next: the row keeps the values as printed, and the
    filling up to the table's width is no cell, so the row is not read as ending in blanks."""
    odd = line("二、上年结转政府信息公开申请数量", ("12", "0", "0", "1", "0", "16"), ends=ENDS[:4] + (80, 85, 94))
    text = as_text(header() + [
        line("一、本年新收政府信息公开申请数量", ("3624", "143", "2", "5", "28", "167", "4169")),
        odd,
    ])
    tables = [b for b in read_text(text).blocks if isinstance(b, Table)]
    grid = tables[0].rows
    short = next(r for r in grid if "上年结转" in r[0].text)
    assert [c.text for c in short if c.origin] == ["二、上年结转政府信息公开申请数量", "12", "0", "0", "1", "0", "16"]
    assert Row(short).values(7) is None


def test_header_columns_when_no_row_is_complete():
    """Table 四 has one row: its columns are the header cells over evenly spaced values."""
    heads = ["结果", "结果", "其他", "尚未", "", "结果", "结果", "其他", "尚未", "", "结果", "结果", "其他", "尚未", ""]
    lower = ["维持", "纠正", "结果", "审结", "", "维持", "纠正", "结果", "审结", "", "维持", "纠正", "结果", "审结", ""]
    ends = tuple(6 + 7 * j for j in range(15))
    values = ("0", "3", "0", "0", "3", "0", None, "1", "0", "1", "0", "0", "0", "3", "3")
    text = as_text([
        "    行政复议                                  行政诉讼",
        "                                   未经复议直接起诉              复议后起诉",
        line(values=tuple(h or None for h in heads), ends=ends),
        line(values=tuple("总计" if j % 5 == 4 else None for j in range(15)), ends=ends),
        line(values=tuple(h or None for h in lower), ends=ends),
        "",
        line(values=values, ends=ends),
    ])
    rows = rows_of(text)
    assert rows[-1] == [v or "" for v in values]


def test_rows_of_placeholders_are_rows():
    text = as_text(header() + [
        line("4.保护第三方合法权益", ("0", "0", "0", "0", "0", "0", "0"), indent=13),
        line("5.属于三类内部事务信息", ("/",) * 7, indent=13),
        line("6.属于四类过程性信息", ("1", "0", "0", "0", "0", "0", "1"), indent=13),
    ])
    rows = rows_of(text)
    assert row_with(rows, "内部事务") == ["5.属于三类内部事务信息", *["/"] * 7]
    assert row_with(rows, "第三方") == ["4.保护第三方合法权益", *["0"] * 7]


# ----------------------------------------------------------------------------- labels and page breaks


def test_wrapped_label_cut_by_a_page_break_joins_its_values():
    text = as_text(header() + [
        line("（一）予以公开", ("120", "8", "0", "0", "2", "1", "131"), indent=6),
        "",
        "      （二）部分公开（区分处理的，只计这一情形",
        "",
        *page_break(2),
        "",
        line("", ("14", "1", "0", "0", "0", "0", "15")),
        "      ，不计其他情形）",
        "",
        line("1.属于国家秘密", ("0", "0", "0", "0", "0", "0", "0"), indent=13),
    ])
    rows = rows_of(text)
    assert row_with(rows, "予以公开") == ["（一）予以公开", "120", "8", "0", "0", "2", "1", "131"]
    assert row_with(rows, "部分公开") == ["（二）部分公开（区分处理的，只计这一情形 ，不计其他情形）",
                                      "14", "1", "0", "0", "0", "0", "15"]
    assert row_with(rows, "国家秘密")[1:] == ["0"] * 7


def test_bare_page_numbers_counting_up_are_dropped():
    text = as_text(header() + [
        line("（一）予以公开", ("120", "8", "0", "0", "2", "1", "131"), indent=6),
        "      （二）部分公开（区分处理的，只计这一情形",
        "", "                                   7", "\f",
        line("", ("14", "1", "0", "0", "0", "0", "15")),
        "      ，不计其他情形）",
        line("1.属于国家秘密", ("0", "0", "0", "0", "0", "0", "0"), indent=13),
        "", "                                   8", "\f",
        "   四、政府信息公开行政复议、行政诉讼情况",
    ])
    rows = rows_of(text)
    assert row_with(rows, "部分公开")[1:] == ["14", "1", "0", "0", "0", "0", "15"]
    assert not any(r[0] in ("7", "8") or "7" == r[-1] for r in rows)


def test_numbered_label_without_values_is_a_row_of_blank_cells():
    text = as_text(header() + [
        line("3.要求提供公开出版物", ("1", "0", "0", "0", "0", "0", "1"), indent=13),
        "理     予处理    4.无正当理由大量反复申请",
        "             5.要求行政机关确认或重新出",
        line("", ("0", "0", "1", "0", "0", "0", "1")),
        "结            具已获取信息",
        "             1.申请人无正当理由逾期不补",
        line("（六）其   正、行政机关不再处理其政府信", ("2", "0", "0", "0", "0", "0", "2"), indent=6),
        "果            息公开申请",
    ])
    rows = rows_of(text)
    assert row_with(rows, "大量反复") == ["理 予处理 4.无正当理由大量反复申请", *[""] * 7]
    assert row_with(rows, "确认") == ["结 5.要求行政机关确认或重新出 具已获取信息", "0", "0", "1", "0", "0", "0", "1"]
    assert row_with(rows, "逾期不补")[1:] == ["2", "0", "0", "0", "0", "0", "2"]
    assert "逾期不补 正、行政机关" in row_with(rows, "逾期不补")[0]


def test_group_label_between_sub_rows_is_not_a_row():
    text = as_text(header() + [
        line("1.本机关不掌握相关政府信息", ("9", "0", "0", "0", "0", "0", "9"), indent=13),
        "      （四）无",
        line("2.没有现成信息需要另行制作", ("0", "1", "0", "0", "0", "0", "1"), indent=13),
        "      法提供",
        line("3.补正后申请内容仍不明确", ("0", "0", "0", "0", "0", "0", "0"), indent=13),
    ])
    rows = rows_of(text)
    assert not [r for r in rows if "无" in r[0] and not any(r[1:])]
    assert row_with(rows, "不掌握")[1:] == ["9", "0", "0", "0", "0", "0", "9"]
    assert row_with(rows, "另行制作")[1:] == ["0", "1", "0", "0", "0", "0", "1"]


# ----------------------------------------------------------------------------- through the assembler

REPORT = """\
                 某县统计局2024年政府信息公开工作年度报告

   一、总体情况
   2024年，某县统计局认真贯彻落实《中华人民共和国政府信息公开条例》，
全面推进政务公开工作。本报告所列数据的统计期限自2024年1月1日起至
2024年12月31日止。
   三、收到和处理政府信息公开申请情况
{table}

   四、政府信息公开行政复议、行政诉讼情况
\f"""


def test_blank_cell_read_as_null_by_the_assembler():
    table = "\n".join(header() + [
        line("一、本年新收政府信息公开申请数量", ("36", "14", "2", None, "28", "7", "87")),
        line("二、上年结转政府信息公开申请数量", ("3", "0", "0", "1", "0", "0", "4")),
        line("（一）予以公开", ("30", "10", "2", "1", "20", "7", "70"), indent=6),
    ])
    doc = parse_document(REPORT.format(table=table).encode(), "report.txt")
    new = doc["tables"]["requests"]["new"]
    assert new == {"natural_person": 36, "commercial": 14, "research": 2, "public_interest": None,
                   "legal_services": 28, "other_org": 7, "total": 87}


def test_labelled_page_numbers_inside_a_table_are_dropped():
    text = as_text(header() + [
        line("（一）予以公开", ("120", "8", "0", "0", "2", "1", "131"), indent=6),
        "      （二）部分公开（区分处理的，只计这一情形",
        "", "                              第 1 页 共 2 页", "\f",
        line("", ("14", "1", "0", "0", "0", "0", "15")),
        "      ，不计其他情形）",
        line("1.属于国家秘密", ("0", "0", "0", "0", "0", "0", "0"), indent=13),
    ])
    rows = rows_of(text)
    assert row_with(rows, "部分公开")[1:] == ["14", "1", "0", "0", "0", "0", "15"]
    assert not any("页" in cell for r in rows for cell in r)
