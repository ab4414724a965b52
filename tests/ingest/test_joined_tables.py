"""Tables 三 and 四 that came as one grid or one flattened paragraph are cut apart (and only they)."""

from __future__ import annotations

from checker.ingest.layout import Location, Table, TableCell
from checker.ingest.stream import flat_split
from checker.ingest.tables import split_joined

T3_ROWS = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "", ""],
    ["", "自然人", "法人或其他组织", "总计"],
    ["一、本年新收政府信息公开申请数量", "5", "1", "6"],
    ["二、上年结转政府信息公开申请数量", "0", "0", "0"],
    ["（一）予以公开", "3", "1", "4"],
    ["四、结转下年度继续办理", "1", "0", "1"],
]
T4_ROWS = [
    ["行政复议", "", "", "", "", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"],
    ["0", "1", "0", "0", "1", "0"],
]


def _grid(rows: list[list[str]]) -> Table:
    width = max(len(row) for row in rows)
    return Table([[TableCell(text, Location(line=k + 1, table=1, row=k, column=j))
                   for j, text in enumerate(row + [""] * (width - len(row)))] for k, row in enumerate(rows)],
                 Location(line=1, table=1))


def _texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_table_four_under_table_three_is_cut_off() -> None:
    parts = split_joined(_grid(T3_ROWS + T4_ROWS))
    assert len(parts) == 2
    assert _texts(parts[0]) == T3_ROWS  # the blank columns table 四's width gave it are gone
    assert _texts(parts[1]) == T4_ROWS
    assert parts[1].loc.row == len(T3_ROWS) and parts[1].loc.column is None  # where table 四 starts


def test_table_four_alone_or_table_three_alone_stays_whole() -> None:
    for rows in (T4_ROWS, T3_ROWS, T4_ROWS + T3_ROWS):
        grid = _grid(rows)
        assert split_joined(grid) == [grid]


def test_a_grid_that_is_no_format_table_above_stays_whole() -> None:
    grid = _grid([["项目", "数量"], ["宣传活动", "3"]] + T4_ROWS)  # above: no table's words
    assert split_joined(grid) == [grid]


def test_flattened_tables_run_on_are_cut_where_table_four_opens() -> None:
    rows = ["（三）不予公开1.属于国家秘密000", "（四）无法提供1.本机关不掌握相关政府信息101", "（五）不予处理1.信访举报投诉类申请000",
            "（六）其他处理000", "（七）总计415"]
    t3 = "".join("".join(row) for row in T3_ROWS[:-1]) + "".join(rows) + "".join(T3_ROWS[-1])
    t4 = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + "0" * 15
    assert flat_split(t3 + t4) == len(t3)
    assert flat_split(t4) is None  # table 四 alone
    assert flat_split(t3) is None  # table 三 alone
    prose = "本年度发生政府信息公开行政复议行政诉讼案件各1件，均已审结，结果维持。"
    assert flat_split(prose) is None
