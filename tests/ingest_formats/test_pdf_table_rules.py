"""Two tables on one page whose column rules stand a few points apart keep their own columns.

pdfplumber snaps the rules of a whole page together (rules within 3 pt of one another, one after
another, move to their mean). A browser printing a page draws each cell's own border, three
rules 0.75 pt apart at each column boundary, so the rules of table 三 above and table 四 below
chain into one cluster when their columns lie a few points apart: the boundary of table 四
moved by 4 pt and the first digit of its “18” fell into the cell to its left (“0 1” and “8”, a
false total error). Each table is now found from its own rules when two tables' rules snap
together. Both engines read the same.
"""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from checker.ingest.layout import Table
from checker.ingest.pdf import read_pdf

UPPER = (50.0, 150.0, 250.0, 350.0)  # column rules of the table above
LOWER = (50.0, 147.0, 247.0, 350.0)  # the table below: its inner rules 3 pt to the left


def _ruled(c: canvas.Canvas, xs: tuple[float, ...], top: float, rows: list[list[str]], *, per_cell: bool,
           size: float = 10) -> None:
    """A ruled table: each cell's own border (three rules at each boundary, as a browser prints) or plain rules."""
    height = 20.0
    for r, row in enumerate(rows):
        y = top - (r + 1) * height
        for k, text in enumerate(row):
            x0, x1 = xs[k], xs[k + 1]
            if per_cell:
                c.rect(x0 + 0.75, y + 0.75, x1 - x0 - 1.5, height - 1.5)
            c.setFont("Helvetica", size)
            c.drawString(x0 + (0.8 if per_cell else 0.5), y + 6, text)  # a number right against its left border
    if not per_cell:
        bottom = top - len(rows) * height
        for x in xs:
            c.line(x, top, x, bottom)
        for r in range(len(rows) + 1):
            c.line(xs[0], top - r * height, xs[-1], top - r * height)


def _pdf(per_cell: bool) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(400, 400), invariant=True)
    _ruled(c, UPPER, 390, [["label", "7", "70"]] * 16, per_cell=per_cell)  # many rules: they outweigh the others
    _ruled(c, LOWER, 60, [["A", "B", "C"], ["0", "18", "18"]], per_cell=per_cell, size=6)
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("per_cell", [True, False])
@pytest.mark.parametrize("engine", ["auto", "pdfplumber"])
def test_each_table_keeps_its_own_columns(per_cell: bool, engine: str) -> None:
    tables = [block for block in read_pdf(_pdf(per_cell), engine=engine).blocks if isinstance(block, Table)]
    assert len(tables) == 2
    assert [[cell.text for cell in row] for row in tables[1].rows] == [["A", "B", "C"], ["0", "18", "18"]]
    assert all([cell.text for cell in row] == ["label", "7", "70"] for row in tables[0].rows)
    assert len(tables[0].rows) == 16
