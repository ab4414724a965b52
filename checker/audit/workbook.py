"""``summary.xlsx`` for a clerk, written by XlsxWriter in constant-memory mode.

Every data sheet has a styled header row that is frozen and filtered (autofilter), columns as
wide as their kind of value needs (names, messages and places wrap), numbers stored as numbers
(percentages as percentages), dates as dates, and an A4 landscape print set-up one page wide
with the header row repeated on every page and page numbers in the footer. The first sheet,
概览 (:func:`write_overview`), is the overview an office sends upward.

Every text is written as text: never a formula, never a link (``strings_to_formulas`` and
``strings_to_urls`` off, and each cell written by its type).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from checker.audit.safe import clean
from checker.messages import pick

if TYPE_CHECKING:
    from checker.audit.digest import Digest
    from checker.audit.outputs import Table

EXCEL_MAX_ROWS = 1_000_000
XLSX_CELL_CHARS = 32_767  # Excel's limit on the text of one cell

#: Column kinds: (width in characters, number format, wrap). A table names one kind per column (text when not).
KINDS: dict[str, tuple[float, str, bool]] = {
    "int": (8, "0", False), "num": (8, "0.0", False), "pct": (9, "0%", False), "pct1": (9, "0.0%", False),
    "date": (11, "yyyy-mm-dd", False), "year": (7, "0", False), "code": (12, "", False), "short": (10, "", False),
    "text": (16, "", True), "name": (28, "", True), "long": (56, "", True), "file": (40, "", True),
}
_HEADER = {"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True, "valign": "vcenter",
           "align": "center"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet (East Asian wide characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class _Styles:
    header: Any
    title: Any
    subtitle: Any
    section: Any
    by_kind: dict[str, Any]


class Book:
    """A workbook written to a temporary file beside ``path`` and renamed into place by :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        self.wb = xlsxwriter.Workbook(self.tmp, {"constant_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        add = self.wb.add_format
        self.styles = _Styles(
            add(_HEADER), add({"bold": True, "font_size": 16}), add({"font_color": "#555555"}),
            add({"bold": True, "font_size": 12, "font_color": "#1F3864"}),
            {k: add({"num_format": fmt, "text_wrap": wrap, "valign": "top"} if fmt else
                    {"text_wrap": wrap, "valign": "top"}) for k, (_, fmt, wrap) in KINDS.items()})

    def sheet(self, name: str) -> Worksheet:
        ws = self.wb.add_worksheet(name[:31])
        _print_setup(ws)
        return ws

    def close(self) -> None:
        """Write the file and rename it into place."""
        self.wb.close()
        os.chmod(self.tmp, 0o666 & ~_umask())
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide, narrow margins, the sheet's name at the top and page numbers at the bottom."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("&L&A")
    ws.set_footer("&C&P / &N")
    ws.hide_gridlines(0)  # gridlines shown and printed: the sheets are tables


def cell(value: Any) -> Any:
    """A value the workbook can hold: text without lone surrogates and within Excel's 32,767 characters (the
    CSV files have it whole), integers within what a spreadsheet number keeps exactly (larger ones as text)."""
    if isinstance(value, str):
        return clean(value if len(value) <= XLSX_CELL_CHARS else value[:XLSX_CELL_CHARS - 1] + "…")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


def write(ws: Worksheet, row: int, col: int, value: Any, kind: str, styles: _Styles) -> None:
    """One cell, by its type: numbers as numbers, dates as dates, everything else as plain text."""
    value = cell(value)
    fmt = styles.by_kind.get(kind) or styles.by_kind["text"]
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        if kind in ("pct", "pct1"):
            value = value / 100
        ws.write_number(row, col, value, fmt)
    elif kind == "date" and isinstance(value, str):
        try:
            ws.write_datetime(row, col, dt.datetime.combine(dt.date.fromisoformat(value), dt.time()), fmt)
        except ValueError:
            ws.write_string(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _widths(ws: Worksheet, headers: Sequence[str], kinds: Sequence[str]) -> list[float]:
    widths = []
    for j, h in enumerate(headers):
        width = max(KINDS.get(kinds[j], KINDS["text"])[0], min(display_width(h) + 2, 30))
        ws.set_column(j, j, width)
        widths.append(width)
    return widths


_LINE_POINTS = 15.0  # the height of one line of 11-point text


def row_height(values: Sequence[Any], widths: Sequence[float], wraps: Sequence[bool]) -> float | None:
    """The height a row of wrapped text needs (None: one line). Spreadsheet programs do not all fit rows to
    wrapped text when they open a file, so the workbook says it; a character counts two columns (most are Chinese)."""
    lines = 1
    for v, w, wrap in zip(values, widths, wraps):
        if wrap and isinstance(v, str) and len(v) * 2 > w - 2:
            lines = max(lines, min(-(-len(v) * 2 // int(w - 2)), 20))
    return lines * _LINE_POINTS if lines > 1 else None


def write_table(book: Book, table: Table, lang: str, rows: Iterable[Sequence[Any]] | None = None) -> int:
    """One data sheet: header (frozen, filtered), then the first EXCEL_MAX_ROWS rows, then a note row when some
    were left out. Returns the data rows written."""
    if len(set(table.headers)) != len(table.headers):
        raise ValueError(f"duplicate column header in table {table.name}: {table.headers}")
    ws = book.sheet(table.sheet)
    order = list(table.order) or list(range(len(table.headers)))
    headers = [table.headers[j] for j in order]
    kinds = [table.kinds[j] if j < len(table.kinds) else "text" for j in order]
    widths = _widths(ws, headers, kinds)
    wraps = [KINDS.get(k, KINDS["text"])[2] for k in kinds]
    ws.set_row(0, 30)
    for j, h in enumerate(headers):
        ws.write_string(0, j, h, book.styles.header)
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    n = 0
    for n, values in enumerate(islice(table.rows if rows is None else rows, EXCEL_MAX_ROWS), 1):
        shown = [values[j] for j in order]
        height = row_height(shown, widths, wraps)
        if height:
            ws.set_row(n, height)
        for j, v in enumerate(shown):
            write(ws, n, j, v, kinds[j], book.styles)
    ws.autofilter(0, 0, max(n, 1), len(headers) - 1)
    if table.printed:  # the columns on paper: the file paths after them are for the screen
        ws.print_area(0, 0, max(n, 1), table.printed - 1)
    more = len(table) - EXCEL_MAX_ROWS
    if more > 0:
        ws.write_string(n + 1, 0, pick(lang, f"（另有 {more} 行，见 {table.name}.csv）",
                                     f"({more} more rows in {table.name}.csv)"))
    return n


def write_overview(book: Book, ws: Worksheet, digest: Digest, lang: str) -> None:
    """The sheet 概览: the audit in numbers, reports by grade, by level and by region, and the ten most frequent
    problems, each with a quoted example and the agencies affected. Columns: A label or rule, B–D numbers,
    E–G the problem, its example and the agencies."""
    s = book.styles
    widths = (24, 10, 10, 10, 30, 52, 40)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.set_row(0, 26)
    ws.write_string(0, 0, digest.title(lang), s.title)
    r = 1
    for line in digest.lines(lang):
        ws.write_string(r, 0, line, s.subtitle)
        r += 1
    ws.write_string(r, 0, pick(lang, "生成日期", "Generated on"), s.subtitle)
    ws.write_datetime(r, 1, dt.datetime.combine(digest.day, dt.time()), s.by_kind["date"])
    r += 2

    def block(title: str, headers: Sequence[str], kinds: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        nonlocal r
        ws.write_string(r, 0, title, s.section)
        r += 1
        for j, h in enumerate(headers):
            ws.write_string(r, j, h, s.header)
        r += 1
        for values in rows:
            height = row_height(values, widths, [KINDS[k][2] for k in kinds])
            if height:
                ws.set_row(r, height)
            for j, v in enumerate(values):
                write(ws, r, j, v, kinds[j], s)
            r += 1
        r += 1

    counts = [pick(lang, "报告数", "Reports"), pick(lang, "平均得分", "Average"), pick(lang, "未通过", "Failing")]
    kinds = ("text", "int", "num", "int")
    block(pick(lang, "一、按等级", "1. By grade"), [pick(lang, "等级", "Grade"), pick(lang, "报告数", "Reports"),
                                                  pick(lang, "占比", "Share")], ("text", "int", "pct1"),
          digest.grades(lang))
    block(pick(lang, "二、按层级", "2. By level"), [pick(lang, "层级", "Level"), *counts], kinds, digest.levels(lang))
    block(pick(lang, "三、按地区", "3. By region"), [pick(lang, "地区", "Region"), *counts], kinds, digest.regions(lang))
    block(pick(lang, "四、最常见的十个问题", "4. The ten most frequent problems"),
          [pick(lang, "规则", "Rule"), pick(lang, "报告数", "Reports"), pick(lang, "占比", "Share"),
           pick(lang, "问题数", "Findings"), pick(lang, "问题", "Problem"), pick(lang, "示例（原文）", "Example (quoted)"),
           pick(lang, "涉及机关", "Agencies affected")],
          ("code", "int", "pct1", "int", "text", "long", "long"), digest.top_rows(lang))
