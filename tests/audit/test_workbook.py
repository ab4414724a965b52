"""summary.xlsx as the audit writes its tables (checker.audit.outputs._xlsx, XlsxWriter), read back by openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checker.audit import outputs, workbook
from checker.audit.outputs import Table


def _tables() -> list[Table]:
    """Tables shaped like the audit's (ranking, rules, year over year, findings, problems)."""
    ranking = Table("ranking", "排名", ["名次", "机关", "年度", "得分", "可判断规则占比%", "文件", "发布日期"], [
        [1, "东泽县民政局", 2024, 98.5, 88, "a/r1.json", "2025-01-20"],
        [2, "=1+1", None, None, None, "http://x", None],
        [3, "", 2023, 71.0, 60, "+SUM(A1)", "not a date"],
    ], kinds=("int", "name", "year", "num", "pct", "file", "date"), order=(0, 1, 2, 3, 4, 6, 5), printed=6)
    rules = Table("rules", "规则未通过情况", ["规则", "占比%"], [["GK-X-001", 46.4]], kinds=("code", "pct1"))
    yoy = Table("year_over_year", "跨年度比较", ["机关", "年度"], [])
    findings = Table("findings", "全部问题", ["文件", "问题"],
                     [[f"r{i}.json", f"表三第 {i} 行不一致" * (i + 1)] for i in range(7)], kinds=("file", "long"))
    problems = Table("problems", "输入问题" + "很长" * 20, ["文件", "问题", "说明"], [["x.pdf", "无法读取", None]])
    return [ranking, rules, yoy, findings, problems]


def _write(tmp_path: Path, lang: str = "zh") -> Any:
    path = tmp_path / "summary.xlsx"
    outputs._xlsx(path, _tables(), lang)
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed into place
    return openpyxl.load_workbook(path)


def test_sheets_in_order_with_their_headers(tmp_path: Path) -> None:
    book = _write(tmp_path)
    names = book.sheetnames
    assert names == ["排名", "规则未通过情况", "跨年度比较", "全部问题", ("输入问题" + "很长" * 20)[:31]]
    for table, name in zip(_tables(), names):
        order = table.order or range(len(table.headers))
        assert [c.value for c in book[name][1]] == [table.headers[j] for j in order]


def test_every_sheet_is_frozen_filtered_and_prints_a4_landscape(tmp_path: Path) -> None:
    book = _write(tmp_path)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows == "$1:$1"  # the header row on every page
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # (1 when absent)
        assert int(ws.page_setup.fitToHeight) == 0  # one page wide, as many long as needed
        header = ws[1]
        assert all(c.font.b for c in header) and header[0].fill.fgColor.rgb.endswith("DDE6F0")
    ranking = book["排名"]
    assert ranking.auto_filter.ref == "A1:G4"
    assert str(ranking.print_area).endswith("$A$1:$F$4")  # the file paths are left off paper


def test_columns_are_as_wide_as_their_values_need(tmp_path: Path) -> None:
    ws = _write(tmp_path)["排名"]
    width = {c: ws.column_dimensions[c].width for c in "ABCDEFG"}
    assert width["B"] >= 28 and width["G"] >= 40  # a name, a file path
    assert width["A"] < 12 and width["C"] < 12  # a rank, a year
    assert len(set(width.values())) > 3
    long = _write(tmp_path)["全部问题"]
    assert long["B2"].alignment.wrap_text and long.row_dimensions[8].height > 15  # a long message wraps


def test_values_keep_their_types(tmp_path: Path) -> None:
    ws = _write(tmp_path)["排名"]
    assert ws["B2"].value == "东泽县民政局"
    for ref, value in (("A2", 1), ("C2", 2024), ("D2", 98.5), ("D4", 71.0)):  # numbers stored as numbers
        assert ws[ref].data_type == "n" and ws[ref].value == value
    assert ws["E2"].value == pytest.approx(0.88) and ws["E2"].number_format == "0%"  # a percentage
    assert ws["F2"].is_date and ws["F2"].value == dt.datetime(2025, 1, 20) and ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["F4"].value == "not a date" and not ws["F4"].is_date
    # strings that look like formulas or links stay plain strings
    for ref, value in (("B3", "=1+1"), ("G3", "http://x"), ("G4", "+SUM(A1)")):
        assert ws[ref].data_type == "s" and ws[ref].value == value and ws[ref].hyperlink is None
    # None and "" are empty cells
    assert ws["C3"].value is None and ws["D3"].value is None and ws["B4"].value is None


def test_written_as_text_never_as_a_formula(tmp_path: Path) -> None:
    import zipfile
    _write(tmp_path)
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name


def test_empty_table_has_only_its_header(tmp_path: Path) -> None:
    ws = _write(tmp_path)["跨年度比较"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["机关", "年度"]]


@pytest.mark.parametrize("lang, note", [("zh", "（另有 2 行，见 findings.csv）"), ("en", "(2 more rows in findings.csv)")])
def test_rows_past_the_cap_become_a_note_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             lang: str, note: str) -> None:
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 5)
    ws = _write(tmp_path, lang)["全部问题"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert len(rows) == 7 and rows[5][0] == "r4.json" and rows[6] == [note, None]
    assert [r[0] for r in _write(tmp_path, lang)["排名"].iter_rows(values_only=True)] == ["名次", 1, 2, 3]


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate column header"):
        outputs._xlsx(tmp_path / "x.xlsx", [Table("t", "T", ["a", "a"], [[1, 2]])], "zh")
    assert not list(tmp_path.glob(".*.tmp")) and not (tmp_path / "x.xlsx").exists()
