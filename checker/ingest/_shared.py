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


#: The CJK Radicals Supplement (U+2E81–U+2EF3) and the ideographs they stand for, from Unicode's
#: EquivalentUnifiedIdeograph.txt (NFKC maps only two of them). A PDF whose font maps its glyphs
#: to these (a browser printing with a Japanese CJK font writes 人⺠ for 人民, ⻓ for 长) reads so.
_RADICALS_SUPPLEMENT = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182,
    0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F,
    0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3,
    0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x2B739, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C,
    0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD,
    0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA5: 0x722B,
    0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
    0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53,
    0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C,
    0x2EB8: 0x2634B, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
    0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980,
    0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D,
    0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091,
    0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
    0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810,
    0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F,
    0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
# Kangxi radicals, the radicals supplement and compatibility ideographs that PDF converters
# emit instead of the ordinary characters (e.g. U+2F00 "⼀" for U+4E00 "一"); and lone
# surrogates, which are no character (no output can hold one) and which a library's decoding
# should never yield: should one, it becomes U+FFFD, as any byte a reader cannot decode.
_RADICALS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for start, end in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF))
    for cp in range(start, end + 1)
    if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
} | {cp: chr(ideograph) for cp, ideograph in _RADICALS_SUPPLEMENT.items()} | dict.fromkeys(
    range(0xD800, 0xE000), "\ufffd")
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
