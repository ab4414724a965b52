"""A row printed in two fonts is one text line (pdfplumber alone makes two of it).

A browser printing a report page, or Word setting the digits of a title in a Latin font, puts
Chinese characters and digits on one baseline; pdfminer's boxes hang from each font's own
descent, so at 24 pt their tops differ by 5 pt, more than the line tolerance (3): the title
鸣沙县人民政府2021年政府信息公开工作年度报告 read as 鸣沙县人民政府年政府信息公开工作年度报告 and
a line 2021, and the agency went unrecognised. Lines are joined only when they overlap in
height and their characters fill each other's gaps; lines inside tables are left alone.
"""

from __future__ import annotations

import random

from checker.ingest import pdftext


def _chars(text: str, x: float, top: float, size: float, width: float) -> list[dict[str, object]]:
    return [{"text": ch, "x0": x + k * width, "x1": x + (k + 1) * width, "top": top, "bottom": top + size,
             "doctop": top, "upright": True} for k, ch in enumerate(text)]


def _title(shift: float) -> list[dict[str, object]]:
    """鸣沙县人民政府 2021 年…报告 at 24 pt, the digits 12 pt wide and ``shift`` lower."""
    head = _chars("鸣沙县人民政府", 33.0, 89.25, 24.0, 24.0)
    digits = _chars("2021", 33.0 + 7 * 24, 89.25 + shift, 24.0, 12.0)
    tail = _chars("年政府信息公开工作年度报告", 33.0 + 7 * 24 + 48, 89.25, 24.0, 24.0)
    return head + digits + tail


def test_title_in_two_fonts_is_one_line() -> None:
    chars = _title(5.19)
    assert [line["text"] for line in pdftext.text_lines(chars)] == ["鸣沙县人民政府 年政府信息公开工作年度报告", "2021"]
    (line,) = pdftext.text_lines(chars, rows=True)
    assert line["text"] == "鸣沙县人民政府2021年政府信息公开工作年度报告"
    assert line["top"] == 89.25 and line["bottom"] == 89.25 + 24.0  # the first line's height


def test_title_in_two_fonts_inside_a_table_is_left_alone() -> None:
    chars = _title(5.19)
    box = (0.0, 80.0, 600.0, 130.0)
    assert pdftext.text_lines(chars, [box], rows=True) == pdftext.text_lines(chars, [box])


def test_lines_one_under_the_other_stay_apart() -> None:
    first = _chars("政府信息公开工作取得一定成效", 50.0, 100.0, 12.0, 12.0)
    for gap in (0.0, 3.5, 6.0, 12.0):
        second = _chars("但仍存在一些不足", 50.0, 112.0 + gap, 12.0, 12.0)
        assert len(pdftext.text_lines(first + second, rows=True)) == 2
    # overlapping in height (a tight leading) but the characters stand over one another: two lines
    second = _chars("但仍存在一些不足", 50.0, 104.0, 12.0, 12.0)
    assert len(pdftext.text_lines(first + second, rows=True)) == 2


def test_joining_rows_never_loses_or_adds_a_character() -> None:
    rng = random.Random(3)
    for _ in range(300):
        chars: list[dict[str, object]] = []
        for _ in range(rng.randrange(1, 6)):
            chars += _chars(rng.choice(["政务公开", "2021", "年度报告", "(一)", "12件"]), rng.uniform(30, 400),
                            rng.uniform(50, 140), rng.choice([12.0, 16.0, 24.0]), rng.choice([6.0, 12.0]))
        plain = pdftext.text_lines(chars)
        joined = pdftext.text_lines(chars, rows=True)
        assert len(joined) <= len(plain)
        assert sorted("".join(line["text"] for line in joined if line).replace(" ", "")) == sorted(
            "".join(line["text"] for line in plain if line).replace(" ", ""))
