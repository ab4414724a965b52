"""Helpers shared by the binary-format readers (HTML, Word, PDF).

Size limits and the text clean-up rules every reader applies in the same way:
whitespace between two Chinese characters is an artefact of justification or
of markup, so it is removed; lines of one cell or one paragraph are joined
without a space unless both sides are Latin letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from checker import limits
from checker.errors import InputError
from checker.ingest.layout import Location, TableCell

_CJK = (
    "\u2e80-\u2fff"  # radicals
    "\u3000-\u303f"  # CJK punctuation
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # compatibility forms
    "\uff00-\uffef"  # full-width forms
    "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"  # dashes and quotes used in Chinese text
)
_SPACE_RUN = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_SPACE_BEFORE_CJK_PUNCT = re.compile(r" (?=[\u3001\u3002\uff0c\uff1a\uff1b\uff1f\uff01\uff09\u300b\u201d])")
_SPACE_AFTER_CJK_PUNCT = re.compile(r"(?<=[\uff08\u300a\u201c\u3001\u3002\uff0c\uff1a\uff1b]) ")


def _ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    """The code points as runs (first, last) of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


# Kangxi radicals and compatibility ideographs that PDF converters emit instead of
# the ordinary characters (e.g. U+2F00 "⼀" for U+4E00 "一"); and lone surrogates, which
# are no character (no output can hold one) and which a library's decoding should never
# yield: should one, it becomes U+FFFD, as any byte a reader cannot decode.
_RADICALS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for start, end in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF))
    for cp in range(start, end + 1)
    if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
} | dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
#: Any character of :data:`_RADICALS` (a scan in C, far cheaper than ``translate``'s look-up per character).
_RADICAL = re.compile("[" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in _ranges(_RADICALS)) + "]")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def check_size(data: bytes, what_zh: str, what_en: str) -> None:
    """Refuse input that is empty or larger than :data:`checker.limits.INPUT_MB`.

    Args:
        data: the file content.
        what_zh: the kind of file, in Chinese (e.g. "PDF 文件").
        what_en: the kind of file, in English.

    Raises:
        InputError: when the file is empty or too large.
    """
    if not data:
        raise InputError(f"{what_zh}是空的（0 字节），请检查文件是否完整。", f"The {what_en} is empty (0 bytes).")
    if len(data) > limits.INPUT_MB.bytes():
        raise limits.INPUT_MB.exceeded(f"{len(data) / 2**20:.1f}", where_zh=what_zh, where_en=f"the {what_en}")


def clean_text(text: str) -> str:
    """Collapse whitespace and drop the spaces that sit between Chinese characters.

    Args:
        text: raw text of a paragraph or a cell line.

    Returns:
        The text with radical look-alikes folded to ordinary characters (lone
        surrogates to U+FFFD), runs
        of whitespace collapsed to one space, no space between two Chinese
        characters or next to Chinese punctuation, stripped.
    """
    if _RADICAL.search(text):
        text = text.translate(_RADICALS)
    text, spaces = _SPACE_RUN.subn(" ", text)
    if spaces:  # else there is no space for the other rules to drop, nor for strip()
        text = _SPACE_BETWEEN_CJK.sub("", text)
        text = _SPACE_BEFORE_CJK_PUNCT.sub("", text)
        text = _SPACE_AFTER_CJK_PUNCT.sub("", text)
        text = text.strip()
    return text


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one cell or paragraph into one string.

    Lines are joined without a separator (Chinese text and numbers wrap
    anywhere) except between two Latin letters, where a space is kept.

    Args:
        lines: the lines, in order; blank lines are skipped.

    Returns:
        The joined and cleaned text.
    """
    out = ""
    for line in lines:
        line = clean_text(line)
        if not line:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(line):
            out += " "
        out += line
    return out


#: Largest table grid (rows × columns after spans are expanded) a reader builds.
MAX_GRID_CELLS = 1_000_000


@dataclass(slots=True)
class SpanCell:
    """A source cell placed on the grid, before spans are expanded (0-based)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    page: int | None = None


def build_grid(cells: list[SpanCell], table_index: int) -> list[list[TableCell]]:
    """Expand spanning cells into a rectangular grid of :class:`TableCell`.

    A cell covers ``rowspan × colspan`` positions; the top-left one has
    ``origin`` True, the others repeat its text with ``origin`` False. Where
    two cells claim a position the first one keeps it; positions no cell
    covers become blank cells.

    Args:
        cells: the source cells with their grid positions.
        table_index: 1-based index of the table in the file.

    Returns:
        The rows of the grid, all of equal length.

    Raises:
        InputError: when the grid would exceed :data:`MAX_GRID_CELLS`.
    """
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    if n_rows * n_cols > MAX_GRID_CELLS:
        raise InputError(
            f"第 {table_index} 个表格过大（{n_rows} 行 × {n_cols} 列），无法作为报告表格读取，请检查文件。",
            f"Table {table_index} is too large ({n_rows} rows x {n_cols} columns).",
        )
    grid: list[list[TableCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if grid[r][c] is None:
                    loc = Location(page=cell.page, table=table_index, row=r + 1, column=c + 1)
                    grid[r][c] = TableCell(cell.text, loc, origin=(r, c) == (cell.row, cell.col))
    return [
        [
            cell or TableCell("", Location(table=table_index, row=r + 1, column=c + 1))
            for c, cell in enumerate(row)
        ]
        for r, row in enumerate(grid)
    ]
