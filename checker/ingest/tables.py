"""Map table cells to the cell ids of the report document by their labels.

Works on :class:`~checker.ingest.layout.Table` grids from any reader. Rows are
identified by the words of their row labels (「1.属于国家秘密」→
``withheld.state_secret``), columns by the header cells above them when the
header lines up with the values, else by the fixed column order of the format
(自然人 … 总计; 结果维持 … 总计 per group), which is what a careful reader of a
broken table does too. Value rows whose label was lost (converter damage) are
placed by the template order only when the gap between two recognised rows
holds exactly as many unlabelled rows as the template has rows there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from checker.formats import FORMATS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t2_columns, t3_rows
from checker.ingest.layout import Location, Table, TableCell
from checker.ingest.normalize import clean, match_key

Path = tuple[str, ...]

APPLICANT_COLUMNS = T3_COLUMNS
APPEAL_GROUPS = T4_GROUPS
APPEAL_COLUMNS = T4_COLUMNS

_PLACEHOLDER = re.compile(r"^([/／\\—–\-_*×xX]{1,3}|无|空|不适用)$")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?\d+\.\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_NUMBER = re.compile(r"^(?:[+-]?\d+|[+-]?\d+\.\d+|\d{1,3}(?:,\d{3})+)$")  # _INT, _FLOAT or _THOUSANDS
#: A label's own numbering (``1.``, ``（二）``, ``一、``; match keys have ASCII brackets).
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[.、．])")


class _Rules:
    """An ordered table of (name, pattern) rules.

    :meth:`first` gives the name of the first rule whose pattern occurs in a key. The
    answer depends on the key alone and the same labels recur in every report, so it is
    remembered per key (a bounded memo of a pure function).
    """

    def __init__(self, rules: Iterable[tuple[Any, str]]) -> None:
        self.rules = tuple((name, re.compile(pattern)) for name, pattern in rules)
        self.first = lru_cache(maxsize=4096)(self._first)

    def _first(self, key: str) -> Any:
        for name, pattern in self.rules:
            if pattern.search(key):
                return name
        return None


_T3_RULES = _Rules((
    (("new",), r"本年新收"),
    (("carried_in",), r"上年结转"),
    (("carried_over",), r"结转下年|下年度继续"),
    (("withheld", "state_secret"), r"国家秘密"),
    (("withheld", "prohibited_by_law"), r"禁止公开|法律行政|行政法规禁"),
    (("withheld", "three_safety_one_stability"), r"三安全|一稳定"),
    (("withheld", "third_party_rights"), r"第三方"),
    (("withheld", "internal_affairs"), r"内部事务"),
    (("withheld", "process_information"), r"过程性"),
    (("withheld", "enforcement_files"), r"执法案卷"),
    (("withheld", "administrative_query"), r"行政查询|查询事项"),
    (("unavailable", "not_held"), r"不掌握"),
    (("unavailable", "needs_creation"), r"另行制作|现成信息"),
    (("unavailable", "unclear_after_correction"), r"补正后|仍不明确"),
    (("not_processed", "petition_complaint"), r"信访|举报投诉"),
    (("not_processed", "duplicate"), r"重复申请"),
    (("not_processed", "publication"), r"出版物"),
    (("not_processed", "excessive"), r"大量反复|反复申请"),
    (("not_processed", "confirmation"), r"确认|重新出具"),
    (("other", "no_correction"), r"不补正|逾期不补"),
    (("other", "fee_unpaid"), r"缴纳费用|收费通知|缴费"),
    (("other", "other"), r"(^|[^\d])3[.、]?其他$|^其他$"),
    (("other",), r"其他处理"),
    (("group",), r"不予公开|无法提供|不予处理|办理结果"),
    (("partially_granted",), r"部分公开"),
    (("granted",), r"予以公开"),
    (("total",), r"总计|合计"),
))
T3_TEMPLATE = {fmt: t3_rows(fmt) for fmt in FORMATS}
"""Table 三's rows in order, per format (the format catalogue's)."""
_T3_HEADERS = _Rules((("natural_person", r"自然人"), ("commercial", r"商业"), ("research", r"科研"),
                      ("public_interest", r"公益"), ("legal_services", r"法律服务"), ("other_org", r"^其他$"),
                      ("total", r"^(总计|合计)$")))

_T2_ROWS = _Rules((("normative_documents", r"规范性文件"), ("regulations", r"规章"), ("licensing", r"行政许可"),
                   ("other_services", r"对外管理服务"), ("penalties", r"行政处罚"), ("coercion", r"行政强制"),
                   ("fees", r"事业性收费"), ("procurement", r"集中采购|政府采购")))
_T2_HEADERS = _Rules((("issued", r"制发件数"), ("repealed", r"废止件数"), ("in_force", r"现行有效"),
                      ("made", r"新制作"), ("published", r"新公开"), ("total_published", r"对外公开总数"),
                      ("previous", r"上一年项目"), ("change", r"增/减|增减|本年增"), ("projects", r"采购项目数"),
                      ("amount", r"金额"), ("decisions", r"处理决定数")))
T2_COLUMNS = {fmt: t2_columns(fmt) for fmt in FORMATS}
"""Table 二's rows and their columns, per format (the format catalogue's)."""
T2_SIGNATURES = {
    "2019": r"新制作|新公开|对外公开总数|上一年项目|增/减|对外管理服务|集中采购|采购项目|采购总金额|第\(九\)项",
    "2021": r"制发件数|废止件数|现行有效|收费金额|本年处理决定",
}
_T2_SIGNATURE_PATTERNS = {layout: re.compile(pattern) for layout, pattern in T2_SIGNATURES.items()}
_T4_GROUPS = _Rules((("litigation_direct", r"未经复议"), ("litigation_after_review", r"复议后"),
                     ("review", r"行政复议"), ("litigation", r"行政诉讼")))
_T4_HEADERS = _Rules((("upheld", r"维持"), ("corrected", r"纠正"), ("other", r"其他"), ("pending", r"尚未|审结"),
                      ("total", r"总计|合计")))


# --------------------------------------------------------------------------- cells and rows


def is_value_text(text: str) -> bool:
    """Whether a cell's text is a value (blank, a number, or a placeholder such as /)."""
    return _is_value_key(match_key(text))


def _is_value_key(key: str) -> bool:
    return not key or _is_number_key(key) or bool(_PLACEHOLDER.match(key))


def _is_number_key(key: str) -> bool:
    return _NUMBER.match(key) is not None


def cell_value(cell: TableCell | None, *, traditional: bool = False) -> int | float | str | None:
    """A cell as stored in the document: int, float, None for blank, else the raw text."""
    if cell is None or not cell.origin:
        return None
    text = clean(cell.text, traditional=traditional)
    key = match_key(text)
    if not key:
        return None
    if _INT.match(key):
        return int(key)
    if _THOUSANDS.match(key):
        return int(key.replace(",", ""))
    if _FLOAT.match(key):
        return float(key)
    return text


@dataclass(slots=True)
class Row:
    """One table row with its label cells told apart from its value cells.

    ``keys`` holds the match key of every cell; ``labels`` the keys of the cells that are
    not values, ``last_label`` the index of the last of them. ``has_numbers``: a number
    follows the last label; ``is_header``: the row has labels and no number at all.
    """

    cells: list[TableCell]
    context: str = ""
    labels: list[str] = field(default_factory=list)
    last_label: int = -1
    keys: list[str] = field(init=False)
    has_numbers: bool = field(init=False)
    is_header: bool = field(init=False)

    def __post_init__(self) -> None:
        self.keys = [match_key(cell.text) for cell in self.cells]
        numbers = [_is_number_key(key) for key in self.keys]
        for i, key in enumerate(self.keys):
            if key and not numbers[i] and not _PLACEHOLDER.match(key):
                self.labels.append(key)
                self.last_label = i
        self.has_numbers = any(numbers[self.last_label + 1:])
        # a header names columns only: a row with a value or a placeholder (／, 无) after its label is a row
        self.is_header = bool(self.labels) and not any(numbers) and not any(
            key and not numbers[i] and _PLACEHOLDER.match(key) for i, key in enumerate(self.keys))

    def values(self, count: int, positions: list[int] | None = None) -> list[TableCell] | None:
        """The ``count`` value cells of the row, by header positions when they fit.

        Without usable positions the cells after the last label are taken (positions
        covered by a merged cell count once);
        surplus blank cells are dropped from the end first (trailing separators
        of copied tables), then from the start. None when the count still differs.
        """
        if positions and self._fits(positions):
            return [self.cells[p] for p in positions]
        cells = [c for c in self.cells[self.last_label + 1:] if c.origin]
        while len(cells) > count and not cells[-1].text.strip():
            cells.pop()
        while len(cells) > count and not cells[0].text.strip():
            cells.pop(0)
        return cells if len(cells) == count else None

    def _fits(self, positions: list[int]) -> bool:
        if positions[-1] >= len(self.cells) or self.last_label >= positions[0]:
            return False
        if any(not self.cells[p].origin and not self.cells[p].text.strip() for p in positions):
            return False  # padding that stands for no cell of the file
        between = self.cells[self.last_label + 1:positions[0]] + self.cells[positions[-1] + 1:]
        return not any(c.text.strip() for c in between)


@dataclass(slots=True)
class Extracted:
    """Cells found for one table: nested values plus a location per JSON Pointer.

    ``unread``: pointers of cells whose digits are printed but could not be read (run
    together, blank places unknown); ``derived``: cells split by the table's arithmetic;
    ``printed``: the digits as printed for such cells (quoted in reading notices).
    """

    values: dict = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)

    def put(self, pointer_root: str, path: Path, column: str, cell: TableCell | None, *,
            traditional: bool) -> None:
        node = self.values
        for part in path:
            node = node.setdefault(part, {})
        node[column] = cell_value(cell, traditional=traditional)
        if cell is not None:
            pointer = f"{pointer_root}/{'/'.join(path)}/{column}"
            self.locations[pointer] = cell.loc
            if cell.derived:
                self.derived.append(pointer)


# --------------------------------------------------------------------------- table 3


def classify_t3(row: Row) -> Path | None:
    """The row id of a table-3 row from its labels (last label first), or None."""
    if not row.labels:
        return None
    found = _T3_RULES.first(row.labels[-1])
    if found is None or found == ("group",):
        found = _T3_RULES.first("".join(row.labels)) or found
    return found


def t3_header_positions(rows: list[Row]) -> list[int] | None:
    """Grid columns of 自然人 … 总计 when the header names all seven in order."""
    found: dict[str, int] = {}
    for row in rows:
        if not row.is_header:
            continue
        for i, key in enumerate(row.keys):
            name = _T3_HEADERS.first(key)
            if isinstance(name, str):
                found.setdefault(name, i)
    positions = [found.get(name) for name in APPLICANT_COLUMNS]
    if any(p is None for p in positions) or positions != sorted(set(positions)):  # type: ignore[type-var]
        return None
    return positions  # type: ignore[return-value]


def t3_layout(rows: list[Row]) -> str | None:
    """"2021" when （六） has sub-rows, "2019" when it is one row, None when unknown."""
    ids = {classify_t3(r) for r in rows if r.has_numbers or _all_blank_values(r)}
    if ids & {("other", "no_correction"), ("other", "fee_unpaid"), ("other", "other")}:
        return "2021"
    if ("other",) in ids:
        return "2019"
    return None


def extract_t3(tables: list[list[Row]], layout: str, *, traditional: bool) -> Extracted:
    """Table 3 cells keyed by row path and applicant column."""
    template = T3_TEMPLATE[layout]
    sequence: list[tuple[Path | None, Row, list[int] | None]] = []
    # A row broken by a page or table break: its first half (a label and blank cells) is held until
    # the next row with numbers shows whether it continues it (a repeated header may come between).
    held: tuple[Path | None, Row, list[int] | None] | None = None
    held_in_sequence = False  # the held half is also a row of its own (its label names a row)
    previous: tuple[Path | None, Row, list[int] | None] | None = None  # the last row of the body
    for rows in tables:
        positions = t3_header_positions(rows)
        seen_numbers = False
        body_rows = sum(1 for row in rows if row.has_numbers or _all_blank_values(row))
        for row in rows:
            path = classify_t3(row)
            if path is None and not row.labels and body_rows == 1 and row.context:
                above = _T3_RULES.first(row.context)  # the label printed just above a one-row table
                path = above if above in template else None
            if _is_column_header(row):
                if held is None and sequence and _all_blank_values(sequence[-1][1]):
                    held, held_in_sequence = sequence[-1], True
                continue
            ended = _ends_label(previous, row, template) if previous is not None else None
            if previous is not None and ended is not None:  # (the first test for mypy)
                _, stub_row, stub_positions = previous
                joined = (ended, stub_row, stub_positions)
                if sequence and sequence[-1][1] is stub_row:
                    sequence[-1] = joined
                else:  # (a row whose label named only its group was left out)
                    sequence.append(joined)
                previous, held, held_in_sequence = None, None, False
                continue
            previous = (path, row, positions)
            row_positions = positions
            if held is not None and (row.has_numbers or _all_blank_values(row)) and _continues(held, row):
                if held_in_sequence:
                    sequence.remove(held)
                path = held[0] or _T3_RULES.first(held[1].labels[-1] + (row.labels[-1] if row.labels else ""))
                if not any(row.keys[row.last_label + 1:]) and any(held[1].keys[held[1].last_label + 1:]):
                    row, row_positions = held[1], held[2]  # the placeholders (／, 无) are on the first half
            held, held_in_sequence = None, False
            if path in (None, ("group",)) and not row.has_numbers and row.labels and _all_blank_values(row):
                held = (None, row, row_positions)
            if path is None and not row.has_numbers and not (seen_numbers and not row.labels
                                                             and _all_blank_values(row)):
                continue  # (a row of blank cells whose label was printed apart is kept for its place)
            if path is not None and path not in template:
                continue
            if row.has_numbers or ((seen_numbers or path is not None) and _all_blank_values(row)):
                sequence.append((path, row, row_positions))
                if not row.has_numbers:
                    held, held_in_sequence = sequence[-1], True
            seen_numbers = seen_numbers or row.has_numbers
    _fill_gaps(sequence, template)
    found: dict[Path, list[TableCell]] = {}
    for path, row, positions in sequence:
        if path and path not in found:
            cells = row.values(len(APPLICANT_COLUMNS), positions)
            if cells is not None:
                found[path] = cells
    result = Extracted()
    for path in template:
        for column, cell in zip(APPLICANT_COLUMNS, found.get(path, ())):
            result.put("/tables/requests", path, column, cell, traditional=traditional)
    return result


def _continues(last: tuple[Path | None, Row, list[int] | None], row: Row) -> bool:
    """Whether ``row`` is the second half of the row ``last``, broken by a page or a table break:
    ``last`` has a label and blank cells and ends its table or page, ``row`` starts the next one,
    carries the numbers, and its own label names no other row (or, joined to the first half's, the same)."""
    stub_path, stub, _ = last
    if stub.has_numbers or not stub.labels or not _all_blank_values(stub) or not row.labels:
        return False  # (the second half of a broken row carries the rest of its label)
    first, second = stub.cells[stub.last_label].loc, row.cells[row.last_label].loc  # the two labels' cells
    broken = (first.table != second.table) or (first.page is not None and second.page is not None
                                                 and first.page != second.page)
    if not broken:
        return False
    own = _T3_RULES.first(row.labels[-1]) if row.labels else None  # the continuation's own label, not its groups
    joined = _T3_RULES.first(stub.labels[-1] + (row.labels[-1] if row.labels else ""))
    return own in (None, ("group",), stub_path) and (stub_path is not None or joined not in (None, ("group",)))


def _ends_label(last: tuple[Path | None, Row, list[int] | None], row: Row, template: tuple[Path, ...]) -> Path | None:
    """The row named when ``row`` is the rest of the label of the row ``last``, broken with its values on the
    first half; None when it is not.

    Word, WPS and LibreOffice break a row whose label wraps so that the one-line values stay on
    the first half (``2.没 | 107 | 0 …``) and the rest of the label goes on, over blank cells
    (``有现成信息需要另行制作 |  |  …``). ``last`` has numbers and a last label that names nothing
    (the row names at most its group), ``row`` a label without a numbering of its own (the two joined start with one)
    and only blank cells, and the two labels joined name a row of the table
    that ``row``'s own label names too or leaves open.
    """
    stub_path, stub, _ = last
    if stub_path in template or not stub.has_numbers or not stub.labels:
        return None  # (a row named by its group alone, ``（六）其他处理 | 1.申请人无正当理``, names no row)
    if _T3_RULES.first(stub.labels[-1]) is not None:
        return None  # its last label names a group (a group's subtotal row), not the start of a row's label
    if row.has_numbers or not row.labels or not _all_blank_values(row):
        return None
    if _NUMBERING.match(row.labels[-1]) or not _NUMBERING.match(stub.labels[-1] + row.labels[-1]):
        return None  # the rest of a label has no numbering of its own; the whole label has one
    joined = _T3_RULES.first(stub.labels[-1] + row.labels[-1])
    if joined in template and _T3_RULES.first(row.labels[-1]) in (None, ("group",), joined):
        return joined
    return None


def is_row_label(key: str) -> bool:
    """Whether a text (a match key) is the label of a row of table 三."""
    return _T3_RULES.first(key) not in (None, ("group",))


def place_floated(rows: list[Row], number: TableCell) -> list[Row]:
    """Put back a number that a converter floated out of its table (printed alone after it).

    It belongs to a row of table 三 that is one value short: each such row and each place in it
    is tried, and the number is placed only when exactly one (row, place) makes that row add up
    (the six applicant columns to 总计). The row's cells are then derived (placed by arithmetic).
    Otherwise the rows are left as they are (and read as unread).
    """
    value = cell_value(number)
    if not isinstance(value, int):
        return rows
    fits: list[tuple[int, list[TableCell]]] = []
    for k, row in enumerate(rows):
        if classify_t3(row) in (None, ("group",)) or not row.has_numbers:
            continue
        cells = [c for c in row.cells[row.last_label + 1:] if c.origin]
        while cells and not cells[-1].text.strip():
            cells.pop()
        if len(cells) != len(APPLICANT_COLUMNS) - 1:
            continue
        for at in range(len(cells) + 1):
            trial = [*cells[:at], number, *cells[at:]]
            values = [cell_value(c) for c in trial]
            if all(isinstance(v, int) for v in values) and sum(values[:-1]) == values[-1]:  # type: ignore[arg-type]
                fits.append((k, trial))
    if len({(k, tuple(cell_value(c) for c in trial)) for k, trial in fits}) != 1:
        return rows
    k, trial = fits[0]
    row = rows[k]
    cells = [*row.cells[:row.last_label + 1], *(replace(c, derived=True) for c in trial)]
    return [*rows[:k], Row(cells, row.context), *rows[k + 1:]]


def _is_column_header(row: Row) -> bool:
    """A header row of table 三 (the balance note, 申请人情况, the applicant columns)."""
    return not row.has_numbers and any("勾稽" in k or "申请人情况" in k or isinstance(_T3_HEADERS.first(k), str)
                                       for k in row.labels)


def _all_blank_values(row: Row) -> bool:
    """A row of a table's body whose cells are all blank or placeholders (／, 无): it is kept."""
    rest = row.keys[row.last_label + 1:]
    return len(rest) >= len(APPLICANT_COLUMNS) and all(_is_value_key(k) and not _is_number_key(k) for k in rest)


def _has(values: dict, path: Path) -> bool:
    node = values
    for part in path:
        if part not in node:
            return False
        node = node[part]
    return True


def _fill_gaps(sequence: list[tuple[Path | None, Row, list[int] | None]], template: tuple[Path, ...]) -> None:
    """Give unlabelled rows the template ids between two recognised rows when counts agree."""
    anchors = [(k, template.index(path)) for k, (path, _, _) in enumerate(sequence) if path in template]
    for (k1, t1), (k2, t2) in zip(anchors, anchors[1:]):
        gap = [k for k in range(k1 + 1, k2) if sequence[k][0] is None]
        if gap and len(gap) == t2 - t1 - 1 and len(gap) == k2 - k1 - 1:
            for k, t in zip(gap, range(t1 + 1, t2)):
                _, row, positions = sequence[k]
                sequence[k] = (template[t], row, positions)


def balance_note(tables: list[list[Row]], paragraphs: list[str]) -> tuple[str, Location | None] | None:
    """The 勾稽 note as written (a header cell, continued in the cell below, or a paragraph)."""
    for rows in tables:
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.cells):
                if "勾稽" in cell.text:
                    text = cell.text.strip()
                    below = r + 1
                    while not re.search(r"[)）]\s*$", text) and below < len(rows) and c < len(rows[below].cells):
                        text += rows[below].cells[c].text.strip()
                        below += 1
                    return text, cell.loc
    for text in paragraphs:
        match = re.search(r"[（(][^（()）]*勾稽[^（()）]*[)）]", text)
        if match:
            return match.group(0), None
    return None


# --------------------------------------------------------------------------- table 2


def t2_layout(tables: list[list[Row]]) -> str | None:
    """"2019" or "2021" from the signature headers and rows of table 2, else None."""
    text = "".join(label for rows in tables for row in rows for label in row.labels)
    if _T2_SIGNATURE_PATTERNS["2019"].search(text):
        return "2019"
    if _T2_SIGNATURE_PATTERNS["2021"].search(text):
        return "2021"
    return None


def extract_t2(tables: list[list[Row]], layout: str, *, traditional: bool) -> Extracted:
    """Table 2 cells keyed by row and column, columns from the nearest header above."""
    valid = T2_COLUMNS[layout]
    result = Extracted()
    for rows in tables:
        header: list[tuple[int, str | None]] = []
        for row in rows:
            if row.is_header:
                columns = _t2_header(row)
                if columns:
                    header = columns
                continue
            name = _T2_ROWS.first(row.labels[-1]) if row.labels else None
            if name is None or name not in valid or name in result.values:
                continue
            _t2_row(result, row, name, header, valid[name], traditional=traditional)
    result.values = {name: result.values[name] for name in valid if name in result.values}
    return result


def _t2_header(row: Row) -> list[tuple[int, str | None]]:
    columns = [(i, _T2_HEADERS.first(row.keys[i])) for i, c in enumerate(row.cells)
               if c.text.strip() and i > 0 and c.origin]
    return columns if any(name for _, name in columns) else []


def _t2_row(result: Extracted, row: Row, name: str, header: list[tuple[int, str | None]],
            defaults: tuple[str, ...], *, traditional: bool) -> None:
    ids = [col for _, col in header]
    if header and all(col in defaults for col in ids) and len(set(ids)) == len(ids):
        cells = row.values(len(ids), [i for i, _ in header])
        if cells is not None:
            named = [col for col in ids if col is not None]  # all of them: each is one of ``defaults``
            for col, cell in zip(named, cells):
                result.put("/tables/proactive", (name,), col, cell, traditional=traditional)
            return
    cells = row.values(len(defaults))
    if cells is not None:
        for col, cell in zip(defaults, cells):
            result.put("/tables/proactive", (name,), col, cell, traditional=traditional)


# --------------------------------------------------------------------------- table 4


def extract_t4(tables: list[list[Row]], *, traditional: bool) -> Extracted:
    """Table 4: one row of 15 cells, or rows of 5 cells under a group heading."""
    result = Extracted()
    for rows in tables:
        headers = [row for row in rows if row.is_header]
        # per header row and cell: the group (复议/诉讼) and the outcome (维持/纠正/…) the cell names
        groups = [[_T4_GROUPS.first(key) for key in header.keys] for header in headers]
        outcomes = [[_T4_HEADERS.first(key) for key in header.keys] for header in headers]
        for row in rows:
            if row.is_header or not row.has_numbers:
                continue
            cells = row.values(15)
            if cells is not None:
                pairs = _t4_positions(groups, outcomes, row, cells) or [
                    (g, c) for g in APPEAL_GROUPS for c in APPEAL_COLUMNS]
                for (group, column), cell in zip(pairs, cells):
                    if not _has(result.values, (group, column)):
                        result.put("/tables/appeals", (group,), column, cell, traditional=traditional)
                continue
            named = _t4_group(row, headers)
            cells = row.values(5)
            if named and cells is not None and named not in result.values:
                for column, cell in zip(_t4_columns(outcomes, row, cells), cells):
                    result.put("/tables/appeals", (named,), column, cell, traditional=traditional)
    result.values = {group: {c: result.values[group][c] for c in APPEAL_COLUMNS if c in result.values[group]}
                     for group in APPEAL_GROUPS if group in result.values}
    return result


def _t4_positions(groups: list[list[str | None]], outcomes: list[list[str | None]], row: Row,
                  cells: list[TableCell]) -> list[tuple[str, str]] | None:
    """(group, outcome) per value cell from a header that lines up, else None."""
    index = {id(c): i for i, c in enumerate(row.cells)}
    pairs: list[tuple[str, str]] = []
    for cell in cells:
        col = index[id(cell)]
        group = _t4_column_group(groups, col)
        outcome = next((names[col] for names in outcomes if col < len(names) and names[col]), None)
        if group is None or outcome is None:
            return None
        pairs.append((group, outcome))
    expected = {(g, c) for g in APPEAL_GROUPS for c in APPEAL_COLUMNS}
    return pairs if set(pairs) == expected and len(pairs) == 15 else None


def _t4_column_group(groups: list[list[str | None]], col: int) -> str | None:
    """The group of column ``col``: per header row, the nearest group name at or left of it."""
    found: set[str] = set()
    for names in groups:
        name = next((name for name in reversed(names[:col + 1]) if name), None)
        if name:
            found.add(name)
    for name in ("litigation_direct", "litigation_after_review", "review"):
        if name in found:
            return name
    return None


def _t4_group(row: Row, headers: list[Row]) -> str | None:
    texts = ["".join(row.labels), *("".join(h.labels) for h in headers), row.context]
    for text in texts:
        name = _T4_GROUPS.first(text)
        if name in APPEAL_GROUPS:
            return name
    return None


def _t4_columns(outcomes: list[list[str | None]], row: Row, cells: list[TableCell]) -> tuple[str, ...]:
    index = {id(c): i for i, c in enumerate(row.cells)}
    for names in outcomes:
        found = [names[index[id(c)]] if index[id(c)] < len(names) else None for c in cells]
        if len(set(found)) == 5 and None not in found:
            return tuple(found)  # type: ignore[arg-type]
    return APPEAL_COLUMNS


# --------------------------------------------------------------------------- table kinds


_KIND_WORDS = {
    "requests": r"本年新收|上年结转|予以公开|不予公开|无法提供|不予处理|其他处理|结转下年|国家秘密|不掌握|信访|勾稽|自然人|申请人情况|商业企业",
    "appeals": r"维持|纠正|审结|行政复议|行政诉讼|复议后起诉",
    "proactive": r"规章|规范性文件|行政许可|行政处罚|行政强制|事业性收费|第二十条|制发件数|处理决定数|集中采购",
}
_KIND_PATTERNS = {kind: re.compile(words) for kind, words in _KIND_WORDS.items()}


def table_kind(table: Table, section: str | None, previous: str | None, *, strict: bool = False) -> str | None:
    """Which of the three tables a grid belongs to: by its words, else its section or neighbour.

    With ``strict``, only by its words, and only when they name at least three of its rows or
    headings (a part is recognised by its table only then).
    """
    text = "".join(match_key(c.text) for row in table.rows for c in row)
    if strict:
        distinct = {kind: len(set(words.findall(text))) for kind, words in _KIND_PATTERNS.items()}
        best = max(distinct, key=lambda k: distinct[k])
        return best if distinct[best] >= 3 else None
    scores = {kind: len(words.findall(text)) for kind, words in _KIND_PATTERNS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best]:
        return best
    if section in _KIND_WORDS:
        return section
    return previous


#: The words that open table 四 (its group headings, or its outcome headings when those are lost).
_APPEALS_OPENING = re.compile(r"行政复议|行政诉讼|复议后起诉|未经复议直接起诉|结果维持.*结果纠正")


def split_joined(table: Table) -> list[Table]:
    """The tables one grid holds when table 四 was printed right under another table.

    With no heading between them, a copied text, a converter or a PDF whose tables touch
    gives tables 三 (or 二) and 四 as one grid. The grid is cut before its first row that
    opens table 四 (a row naming 行政复议 or 行政诉讼, or its outcome headings 结果维持 …
    结果纠正) when the rows above it are, by their own words, another of the format's
    tables and the rows from it are table 四; otherwise it is left whole. The cells keep
    their locations (the grid as printed); each part loses the blank columns at its right
    that only the other part's width gave it.
    """
    at = next((k for k, row in enumerate(table.rows[1:], start=1)
               if _APPEALS_OPENING.search("".join(match_key(cell.text) for cell in row))), None)
    if at is None:
        return [table]
    above = Table(_trimmed(table.rows[:at]), table.loc)
    below = Table(_trimmed(table.rows[at:]), _row_location(table.rows[at], table.loc))
    if table_kind(above, None, None, strict=True) not in (None, "appeals") and (
            table_kind(below, None, None, strict=True) == "appeals"):
        return [above, below]
    return [table]


def _trimmed(rows: list[list[TableCell]]) -> list[list[TableCell]]:
    """The rows without the columns at their right that are blank in every row."""
    width = max((k + 1 for row in rows for k, cell in enumerate(row) if cell.text.strip()), default=0)
    return [row[:width] for row in rows]


def _row_location(row: list[TableCell], fallback: Location) -> Location:
    """Where a row of a grid starts (its first cell's place, as a table's location)."""
    first = row[0].loc if row else fallback
    return replace(first, column=None, quote=None)
