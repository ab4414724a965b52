"""Rows a page break cuts, joined back, and rows that must stay apart (``pdf._join_broken_row``,
``tables._ends_label``). The generated forms (``tests/zoo``) cover the same shapes end to end;
these pin each decision. All text is written for the tests.
"""

from __future__ import annotations

import pytest

from checker.ingest import pdf, tables
from checker.ingest._shared import SpanCell
from checker.ingest.layout import Location, TableCell

LABEL, GROUP, ITEM = 0, 1, 2  # the label columns of table 三; seven value columns follow


def _row(row: int, item: str, values: list[str], page: int, *, group: str | None = None) -> list[SpanCell]:
    cells = [SpanCell(row, ITEM, 1, 1, item, page)]
    if group is not None:
        cells.append(SpanCell(row, GROUP, 1, 1, group, page))
    cells += [SpanCell(row, 3 + k, 1, 1, v, page) for k, v in enumerate(values)]
    return cells


def _joined(stub: list[SpanCell], first: list[SpanCell]) -> list[list[str]]:
    """The rows (texts by column) after joining ``first`` (the row after the break, row 1) to ``stub`` (row 0)."""
    placed = list(stub)
    kept = pdf._join_broken_row(placed, first, 1)
    cells = placed + kept
    rows = max(c.row for c in cells) + 1
    grid = [["" for _ in range(10)] for _ in range(rows)]
    for cell in cells:
        grid[cell.row][cell.col] = cell.text
    return [row[ITEM:] for row in grid]


VALUES = ["107", "0", "0", "0", "0", "0", "107"]
BLANK = [""] * 7


@pytest.mark.parametrize(("stub", "first", "expected"), [
    # Word, WPS, LibreOffice: the values stay on the first part
    (("2.没", VALUES), ("有现成信息需要另行制作", BLANK), [["2.没有现成信息需要另行制作", *VALUES]]),
    # a generator: the values go with the rest of the label
    (("2.没", BLANK), ("有现成信息需要另行制作", VALUES), [["2.没有现成信息需要另行制作", *VALUES]]),
    # the numbering alone before the break; a numbering cut in two
    (("3.", VALUES), ("补正后申请内容仍不明确", BLANK), [["3.补正后申请内容仍不明确", *VALUES]]),
    (("（二", VALUES), ("）部分公开", BLANK), [["（二）部分公开", *VALUES]]),
    # the label and a number wrap together: 105 over 6
    (("1.本机关不掌握", ["105", "0", "0", "0", "0", "0", "105"]),
     ("相关政府信息", ["6", "", "", "", "", "", "6"]), [["1.本机关不掌握相关政府信息", "1056", "0", "0", "0", "0", "0", "1056"]]),
    # only numbers wrap (the label fits on the first part)
    (("1.本机关不掌握相关政府信息", ["2231", "0", "0", "0", "0", "0", "2231"]),
     ("", ["6", "", "", "", "", "", "6"]), [["1.本机关不掌握相关政府信息", "22316", "0", "0", "0", "0", "0", "22316"]]),
])
def test_a_broken_row_is_joined(stub: tuple[str, list[str]], first: tuple[str, list[str]],
                                expected: list[list[str]]) -> None:
    assert _joined(_row(0, *stub, page=1), _row(1, *first, page=2)) == expected


@pytest.mark.parametrize(("stub", "first"), [
    # the next row, with its own numbering
    (("1.本机关不掌握相关政府信息", VALUES), ("2.没有现成信息需要另行制作", BLANK)),
    # two rows with values are two rows: the next row printed without its numbering, values in every column
    (("2.没", VALUES), ("有现成信息需要另行制作", VALUES)),
    (("1.本机关不掌握相关政府信息", VALUES), ("没有现成信息需要另行制作", ["3", "10", "0", "0", "0", "0", "13"])),
    # a first part that does not start a row (no numbering)
    (("其他", VALUES), ("处理", BLANK)),
    # digits after the break under a blank cell, or under a placeholder, continue nothing
    (("1.本机关不掌握相关政府信息", ["", "0", "0", "0", "0", "0", "0"]), ("", ["6", "", "", "", "", "", ""])),
    (("1.本机关不掌握相关政府信息", ["/", "0", "0", "0", "0", "0", "0"]), ("", ["6", "", "", "", "", "", ""])),
    # a row of numbers alone after a row of numbers is a row (no digit under digits is enough only with them)
    (("1.本机关不掌握相关政府信息", VALUES), ("", ["6", "x", "", "", "", "", "6"])),
])
def test_rows_that_are_two_rows_stay_apart(stub: tuple[str, list[str]], first: tuple[str, list[str]]) -> None:
    assert len(_joined(_row(0, *stub, page=1), _row(1, *first, page=2))) == 2


def _t3_row(*texts: str) -> tables.Row:
    return tables.Row([TableCell(text, Location(page=1, table=1)) for text in texts])


@pytest.mark.parametrize(("group", "start", "rest"), [
    ("（四）无法提供", "2.没", "有现成信息需要另行制作"),
    ("（六）其他处理", "1.申请人无正当理", "由逾期不补正、行政机关不再处理其政府信息公开申请"),  # a group with a path of its own
])
def test_the_table_reader_joins_a_label_whose_values_stayed_on_the_first_part(group: str, start: str, rest: str) -> None:
    """When the layout could not join the parts (a table whose columns differ from page to page, a vertical
    label read apart)."""
    template = tables.T3_TEMPLATE["2021"]
    stub = _t3_row("三、本年度办理结果", group, start, *VALUES)
    continuation = _t3_row("三、本年度办理结果", group, rest, *BLANK)
    assert tables._ends_label((tables.classify_t3(stub), stub, None), continuation, template)


def test_a_groups_subtotal_row_is_not_the_start_of_the_next_label() -> None:
    """A report that prints a subtotal for a group, then a row without its numbering and left blank."""
    template = tables.T3_TEMPLATE["2021"]
    subtotal = _t3_row("三、本年度办理结果", "（四）无法提供", "（四）无法提供", "3", "0", "0", "0", "0", "0", "3")
    row = _t3_row("三、本年度办理结果", "（四）无法提供", "本机关不掌握相关政府信息", *BLANK)
    assert not tables._ends_label((tables.classify_t3(subtotal), subtotal, None), row, template)
