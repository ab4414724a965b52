"""summary.xlsx as written by the audit (checker.audit.outputs._xlsx), read back as raw OOXML."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from checker.audit import outputs
from checker.audit.outputs import Table

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _tables() -> list[Table]:
    """Tables shaped like the audit's (ranking, rules, year over year, findings, problems)."""
    ranking = Table("ranking", "排名", ["名次", "机关", "年度", "得分", "文件"], [
        [1, "东泽县民政局", 2024, 98.5, "a/r1.json"],
        [2, "=1+1", None, None, "http://x"],
        [3, "", 2023, 71.0, "+SUM(A1)"],
    ])
    rules = Table("rules", "规则未通过情况", ["规则", "占比%"], [["GK-X-001", 46.4]])
    yoy = Table("year_over_year", "跨年度比较", ["机关", "年度"], [])
    findings = Table("findings", "全部问题", ["文件", "问题"],
                     [[f"r{i}.json", f"表三第 {i} 行不一致"] for i in range(7)])
    problems = Table("problems", "输入问题" + "很长" * 20, ["文件", "问题", "说明"], [["x.pdf", "无法读取", None]])
    return [ranking, rules, yoy, findings, problems]


def _book(path: Path) -> tuple[list[str], dict[str, etree._Element], etree._Element]:
    """(sheet names in order, {name: worksheet XML}, styles XML), resolving sheets through the relationships."""
    z = zipfile.ZipFile(path)
    wb = etree.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            .iter(f"{REL}Relationship")}
    names, sheets = [], {}
    for s in wb.iterfind("m:sheets/m:sheet", NS):
        target = rels[s.get(f"{{{NS['r']}}}id")].lstrip("/")
        names.append(s.get("name"))
        sheets[s.get("name")] = etree.fromstring(z.read(target if target.startswith("xl/") else "xl/" + target))
    return names, sheets, etree.fromstring(z.read("xl/styles.xml"))


def _cells(sheet: etree._Element) -> dict[str, etree._Element]:
    return {c.get("r"): c for c in sheet.iterfind("m:sheetData/m:row/m:c", NS)}


def _text(cell: etree._Element) -> str:
    """The text of a string cell: inline or shared strings are not mixed up here, only inline are written."""
    assert cell.get("t") == "inlineStr", etree.tostring(cell)
    return "".join(cell.find("m:is", NS).itertext())


def _write(tmp_path: Path, lang: str = "zh") -> tuple[list[str], dict[str, Any], etree._Element]:
    path = tmp_path / "summary.xlsx"
    outputs._xlsx(path, _tables(), lang)
    return _book(path)


def test_sheets_in_order_with_their_headers(tmp_path: Path) -> None:
    names, sheets, _ = _write(tmp_path)
    assert names == ["排名", "规则未通过情况", "跨年度比较", "全部问题", ("输入问题" + "很长" * 20)[:31]]
    assert all(len(n) <= 31 for n in names)
    for table, name in zip(_tables(), names):
        cells = _cells(sheets[name])
        assert [_text(cells[f"{chr(65 + j)}1"]) for j in range(len(table.headers))] == table.headers


def test_header_row_is_styled_frozen_and_columns_are_14_wide(tmp_path: Path) -> None:
    names, sheets, styles = _write(tmp_path)
    xfs = styles.findall("m:cellXfs/m:xf", NS)
    for name in names:
        sheet = sheets[name]
        pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
        assert pane.get("state") == "frozen" and pane.get("ySplit") == "1" and pane.get("topLeftCell") == "A2"
        assert pane.get("xSplit") is None
        [col] = sheet.findall("m:cols/m:col", NS)
        assert 14 <= float(col.get("width")) < 15  # 14 characters (plus Excel's padding)
        header = sheet.find("m:sheetData/m:row", NS)
        assert header.get("r") == "1"
        for c in header.iterfind("m:c", NS):
            xf = xfs[int(c.get("s"))]
            font = styles.findall("m:fonts/m:font", NS)[int(xf.get("fontId"))]
            fill = styles.findall("m:fills/m:fill", NS)[int(xf.get("fillId"))]
            border = styles.findall("m:borders/m:border", NS)[int(xf.get("borderId"))]
            assert font.find("m:b", NS) is not None
            assert fill.find("m:patternFill/m:fgColor", NS).get("rgb") == "FFDDE6F0"
            assert all(border.find(f"m:{side}", NS).get("style") == "thin" for side in ("left", "right", "top", "bottom"))


def test_values_keep_their_types(tmp_path: Path) -> None:
    names, sheets, _ = _write(tmp_path)
    cells = _cells(sheets["排名"])
    assert _text(cells["B2"]) == "东泽县民政局"
    for ref, value in (("A2", 1), ("C2", 2024), ("D2", 98.5), ("D4", 71.0)):  # numbers stored as numbers
        assert cells[ref].get("t") in (None, "n") and float(cells[ref].findtext("m:v", namespaces=NS)) == value
    # strings that look like formulas or links stay plain strings
    for ref, value in (("B3", "=1+1"), ("E3", "http://x"), ("E4", "+SUM(A1)")):
        assert cells[ref].find("m:f", NS) is None and _text(cells[ref]) == value
    assert not sheets["排名"].findall(".//m:f", NS) and not sheets["排名"].findall(".//m:hyperlinks", NS)
    # None and "" are empty cells (no cell at all)
    assert "C3" not in cells and "D3" not in cells and "B4" not in cells
    assert "C2" not in _cells(sheets[names[4]]) and _text(_cells(sheets[names[4]])["B2"]) == "无法读取"
    assert _text(_cells(sheets["全部问题"])["B8"]) == "表三第 6 行不一致"


def test_empty_table_has_only_its_header(tmp_path: Path) -> None:
    _, sheets, _ = _write(tmp_path)
    rows = sheets["跨年度比较"].findall("m:sheetData/m:row", NS)
    assert [r.get("r") for r in rows] == ["1"]
    assert [_text(c) for c in rows[0]] == ["机关", "年度"]


@pytest.mark.parametrize("lang, note", [("zh", "（另有 2 行，见 findings.csv）"), ("en", "(2 more rows in findings.csv)")])
def test_rows_past_the_cap_become_a_note_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             lang: str, note: str) -> None:
    monkeypatch.setattr(outputs, "EXCEL_MAX_ROWS", 5)
    _, sheets, _ = _write(tmp_path, lang)
    sheet = sheets["全部问题"]
    rows = sheet.findall("m:sheetData/m:row", NS)
    assert [r.get("r") for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]  # header, 5 data rows, note
    assert _text(_cells(sheet)["A6"]) == "r4.json"
    [cell] = rows[-1].findall("m:c", NS)
    assert cell.get("r") == "A7" and _text(cell) == note
    # tables within the cap get no note
    assert [r.get("r") for r in sheets["排名"].findall("m:sheetData/m:row", NS)] == ["1", "2", "3", "4"]


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate column header"):
        outputs._xlsx(tmp_path / "x.xlsx", [Table("t", "T", ["a", "a"], [[1, 2]])], "zh")
