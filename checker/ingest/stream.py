"""Read a table whose grid was lost: align its flattened text with the format's template.

When a page is stored as one line, a table arrives as one run of text with its cell
boundaries gone::

    一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000三、…

A careful reader still recovers it, because the format fixes which rows come in which order
and how many cells each row has. This module does the same:

1. **Align** the row labels of the format with the text: every occurrence of each row's label
   words, then the longest chain of rows in template order (dynamic programming), so a header
   word (总计 in the header) or a label left out by the report never shifts the rows.
2. **Take each row's values**: the first run of numbers after its label, up to the next row's
   label; digits glued to the next label's numbering (``10000016.属于四类过程性信息``: the 6 is the
   numbering) go to the label.
3. **Split** each run into the row's cells. A space, a sign or a placeholder is a real cell
   boundary; a run of digits may hold several cells, and a number never starts with 0 unless
   it is 0. A blank cell leaves no trace, so the pieces may fill only some of the cells. A row
   whose digits can be read only one way (``0000000``) is read. A row with no digits at all is
   a row of blank cells.
4. **Use the table's own arithmetic** (row totals, the balance 一+二=三+四, result totals, table
   四's totals) to decide rows that can be split several ways: every combination of the
   candidate splits is tried (bounded), and a cell is *derived* when it has the same value in
   every combination that satisfies the arithmetic. A cell without a unique value is *unread*.
   No number is ever guessed.

The result is, per row found, its cells: a value (int, float, the placeholder text, or None for
blank), and whether the value was derived or could not be read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product
from math import comb

from checker.formats import T3_COLUMNS as APPLICANT_COLUMNS
from checker.formats import T4_COLUMNS as APPEAL_COLUMNS
from checker.formats import T4_GROUPS as APPEAL_GROUPS
from checker.formats import t2_columns, t3_rows
from checker.ingest.normalize import to_simplified

Path = tuple[str, ...]
Value = int | float | str | None

#: Upper bounds on the work done for one table (the text is input: every search is bounded).
MAX_SPLITS_PER_ROW = 20_000
MAX_COMBINATIONS = 200_000
MAX_RUN_DIGITS = 40


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One row of a format table: where it goes, how its label reads, its cells."""

    path: Path
    pattern: re.Pattern[str]
    columns: tuple[str, ...]
    numbering: str | None = None  # "1"…"8": the sub-row's number, which may be glued to digits
    evidence: re.Pattern[str] | None = None  # the label as printed anywhere, when ``pattern`` needs its place
    decimals: tuple[str, ...] = ()  # columns that hold amounts (a decimal point is allowed)
    signed: tuple[str, ...] = ()  # columns that hold a change (a sign is allowed)


@dataclass(frozen=True, slots=True)
class Template:
    """A format table: its rows in order and the arithmetic identities between its cells."""

    kind: str
    rows: tuple[RowSpec, ...]
    # Each identity: (cells summed on the left, cells summed on the right); a cell is (path, column).
    identities: tuple[tuple[tuple[tuple[Path, str], ...], tuple[tuple[Path, str], ...]], ...] = ()


@dataclass(slots=True)
class ReadCell:
    """A cell read from flattened text."""

    value: Value
    state: str = ""  # "" read as printed | "derived" by the arithmetic | "unread"


@dataclass(slots=True)
class ReadRow:
    """A row found in flattened text: its cells in column order, and the digits as printed."""

    spec: RowSpec
    cells: dict[str, ReadCell] = field(default_factory=dict)
    printed: str = ""


# --------------------------------------------------------------------------- templates


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# How each row of table 三 reads in flattened text (the rows, their order and their columns are the
# format catalogue's: checker.formats, from the report schema), and the number of a sub-row.
T3_WORDS: dict[Path, tuple[str, str | None]] = {
    ("new",): (r"本年新收", None),
    ("carried_in",): (r"上年结转", None),
    ("granted",): (r"予以公开", None),
    ("partially_granted",): (r"部分公开", None),
    ("withheld", "state_secret"): (r"国家秘密", "1"),
    ("withheld", "prohibited_by_law"): (r"禁止公开|法律行政法规禁", "2"),
    ("withheld", "three_safety_one_stability"): (r"三安全|一稳定", "3"),
    ("withheld", "third_party_rights"): (r"第三方", "4"),
    ("withheld", "internal_affairs"): (r"内部事务", "5"),
    ("withheld", "process_information"): (r"过程性", "6"),
    ("withheld", "enforcement_files"): (r"执法案卷", "7"),
    ("withheld", "administrative_query"): (r"行政查询|查询事项", "8"),
    ("unavailable", "not_held"): (r"不掌握", "1"),
    ("unavailable", "needs_creation"): (r"另行制作|现成信息", "2"),
    ("unavailable", "unclear_after_correction"): (r"补正后|仍不明确", "3"),
    ("not_processed", "petition_complaint"): (r"信访|举报投诉", "1"),
    ("not_processed", "duplicate"): (r"重复申请", "2"),
    ("not_processed", "publication"): (r"出版物", "3"),
    ("not_processed", "excessive"): (r"大量反复|反复申请", "4"),
    ("not_processed", "confirmation"): (r"确认或重新出具|重新出具", "5"),
    ("other", "no_correction"): (r"不补正|逾期不补", "1"),  # 2021
    ("other", "fee_unpaid"): (r"缴纳费用|收费通知", "2"),
    ("other", "other"): (r"其他", "3"),
    ("other",): (r"其他处理", None),  # 2019: one row
    ("total",): (r"总计|合计", None),
    ("carried_over",): (r"结转下年|下年度继续", None),
}


# Labels that the stream finds by their place in the row order ("其他" after 缴纳费用, "总计" after
# the results) are printed elsewhere too (the header has 其他 and 总计): as evidence that the row
# is printed, they must stand as a row label does, before its numbers.
_T3_EVIDENCE = {
    ("other", "other"): _rx(r"(?:^|[^0-9])3[.、．]?其他(?!处理)|其他(?=[0-9/／—–\-])"),
    ("total",): _rx(r"[(（]七[)）]总计|[(（]七[)）]合计|(?:总计|合计)(?=[0-9/／—–\-])"),
}


def _t3_template(fmt: str) -> Template:
    specs = tuple(RowSpec(path, _rx(T3_WORDS[path][0]), APPLICANT_COLUMNS, T3_WORDS[path][1], _T3_EVIDENCE.get(path))
                  for path in t3_rows(fmt))
    results = [s.path for s in specs if s.path not in {("new",), ("carried_in",), ("total",), ("carried_over",)}]
    identities: list[tuple[tuple[tuple[Path, str], ...], tuple[tuple[Path, str], ...]]] = []
    for spec in specs:  # each row: the six applicant columns add up to 总计
        identities.append((tuple((spec.path, c) for c in APPLICANT_COLUMNS[:-1]), ((spec.path, "total"),)))
    for column in APPLICANT_COLUMNS:
        identities.append((((("new",), column), (("carried_in",), column)),
                           ((("total",), column), (("carried_over",), column))))
        identities.append((tuple((path, column) for path in results), ((("total",), column),)))
    return Template("requests", specs, tuple(identities))


# How each row of table 二 reads (its columns are the format catalogue's).
T2_WORDS: dict[str, str] = {
    "regulations": r"规章", "normative_documents": r"规范性文件", "licensing": r"行政许可",
    "other_services": r"对外管理服务", "penalties": r"行政处罚", "coercion": r"行政强制",
    "fees": r"事业性收费", "procurement": r"集中采购|政府采购",
}
_AMOUNTS = {"amount"}


def _t2_template(fmt: str) -> Template:
    specs = tuple(RowSpec((row,), _rx(T2_WORDS[row]), columns,
                          decimals=tuple(c for c in columns if c in _AMOUNTS or (row == "fees" and fmt == "2019")),
                          signed=tuple(c for c in columns if c == "change"))
                  for row, columns in t2_columns(fmt).items())
    return Template("proactive", specs)


def _t4_template() -> Template:
    columns = tuple(f"{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_COLUMNS)
    spec = RowSpec(("appeals",), _rx(r"总计|合计"), columns)
    identities = tuple(
        (tuple((("appeals",), f"{g}.{c}") for c in APPEAL_COLUMNS[:-1]), ((("appeals",), f"{g}.total"),))
        for g in APPEAL_GROUPS)
    return Template("appeals", (spec,), identities)


@lru_cache(maxsize=8)
def template(kind: str, fmt: str) -> Template:
    """The template of table ``kind`` ("proactive" | "requests" | "appeals") in format ``fmt``."""
    if kind == "requests":
        return _t3_template(fmt)
    if kind == "proactive":
        return _t2_template(fmt)
    return _t4_template()


# --------------------------------------------------------------------------- finding the rows


_SPACE_AWAY_FROM_NUMBERS = re.compile(r"(?<![0-9+\-/／—–.])\s+|\s+(?![0-9+\-/／—–])")


def stream_key(text: str) -> str:
    """The text matched against row labels: NFKC, simplified characters, and no whitespace
    except one space where it separates numbers (``230 000023`` keeps its cell boundary)."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return _SPACE_AWAY_FROM_NUMBERS.sub("", re.sub(r"\s+", " ", text))


_VALUE_RUN = re.compile(r"[0-9\ue000][0-9.,，+\-/／—–\ue000\s]*|[+\-/／—–][0-9/／—–\ue000][0-9.,+\-/／—–\ue000\s]*"
                        r"|[/／—–\ue000](?=[^0-9]|$)")
_SIGN_SPLIT = re.compile(r"(?=[+\-])")
_NUMBERING_TAIL = re.compile(r"([0-9])[.、．]$")


def _align(key: str, specs: tuple[RowSpec, ...], table_start: int) -> list[tuple[RowSpec, int, int]]:
    """The longest chain of rows in template order, each at one occurrence of its label words.

    Returns (spec, label start, label end) for the rows found, in order.
    """
    occurrences = [[(m.start(), m.end()) for m in spec.pattern.finditer(key, table_start)] for spec in specs]
    # best[i][j]: (rows matched, -(sum of starts)) of the best chain ending with spec i at occurrence j
    best: list[list[tuple[int, int, tuple[int, int] | None]]] = []
    for i, occ in enumerate(occurrences):
        row: list[tuple[int, int, tuple[int, int] | None]] = []
        for start, _ in occ:
            choice: tuple[int, int, tuple[int, int] | None] = (1, -start, None)
            for pi in range(i):
                for pj, (_p_start, p_end) in enumerate(occurrences[pi]):
                    if p_end <= start:
                        count, neg, _ = best[pi][pj]
                        candidate = (count + 1, neg - start, (pi, pj))
                        if candidate[:2] > choice[:2]:
                            choice = candidate
            row.append(choice)
        best.append(row)
    end: tuple[int, int] | None = None
    top = (0, 0)
    for i, row in enumerate(best):
        for j, (count, neg, _) in enumerate(row):
            if (count, neg) > top:
                top, end = (count, neg), (i, j)
    chain: list[tuple[RowSpec, int, int]] = []
    while end is not None:
        i, j = end
        start, stop = occurrences[i][j]
        chain.append((specs[i], start, stop))
        end = best[i][j][2]
    return chain[::-1]


_NONE = "\ue000"  # a 无 cell inside a run of numbers (one character, read back as 无)
_NONE_CELL = re.compile(r"无(?=[0-9/／—–\-无]|$)")


def _value_run(zone: str, next_numbering: str | None) -> str:
    """The run of numbers right after a row's label: the first run in ``zone`` (its label's tail
    and the next label's start), less the next label's numbering glued to it. A 无 standing
    before a number (or at the end) is a cell that reads 无."""
    zone = _NONE_CELL.sub(_NONE, zone)
    match = _VALUE_RUN.search(zone)
    if not match:
        return ""
    run = match.group(0).rstrip()
    if next_numbering and run.endswith(next_numbering):
        after = zone[match.start() + len(run):match.start() + len(run) + 1]
        if after in ("、", ".", "．"):  # "0000002、其他法律…": the 2 numbers the next row
            run = run[:-len(next_numbering)]
    elif next_numbering:
        glued = _NUMBERING_TAIL.search(run)
        if glued and glued.group(1) == next_numbering:  # "10000016.属于…"
            run = run[:glued.start()]
    return run.strip().rstrip(".,，、．")


# --------------------------------------------------------------------------- splitting a run


def _chunks(run: str) -> list[str]:
    """The pieces of a run whose boundaries are printed: spaces, signs, placeholders."""
    out: list[str] = []
    for piece in run.replace("，", ",").split():
        for part in _SIGN_SPLIT.split(piece):
            if not part:
                continue
            buffer = ""
            for k, char in enumerate(part):
                signed_number = char == "-" and not buffer and part[k + 1:k + 2].isdigit()
                if char in "/／—–\ue000" or (char == "-" and not buffer and not signed_number):
                    if buffer:
                        out.append(buffer)
                        buffer = ""
                    out.append(char)
                else:
                    buffer += char
            if buffer:
                out.append(buffer)
    return [c for c in out if c]


_INTEGER = re.compile(r"0|[1-9][0-9]*")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+")


@lru_cache(maxsize=65536)
def _number(text: str) -> Value:
    """A cell's value from a piece of a run, or raise ValueError when it is not a valid number."""
    if text in {"/", "／", "—", "–", "-"}:
        return text
    if text == _NONE:
        return "无"
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:]
    if _INTEGER.fullmatch(text):
        return -int(text) if sign == "-" else int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(",", ""))
    if _DECIMAL.fullmatch(text):
        return -float(text) if sign == "-" else float(text)
    raise ValueError(text)


def _valid(text: str) -> bool:
    try:
        _number(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=16384)
def _splits(chunk: str, parts: int) -> tuple[tuple[str, ...], ...]:
    """Every way to cut ``chunk`` into ``parts`` pieces that are valid numbers."""
    if parts == 1:
        return ((chunk,),) if _valid(chunk) else ()
    sign = 1 if chunk[:1] in "+-" else 0
    out: list[tuple[str, ...]] = []
    for cut in range(sign + 1, len(chunk) - parts + 2):
        head = chunk[:cut]
        if _valid(head):
            out.extend((head, *rest) for rest in _splits(chunk[cut:], parts - 1))
    return tuple(out)


def _fits(piece: str, decimal: bool, signed: bool) -> bool:
    """Whether a piece of a run can stand in a column (amounts take decimals, changes a sign)."""
    if piece[:1] in "+" or (piece[:1] == "-" and len(piece) > 1):
        if not signed:
            return False
    return decimal or "." not in piece


def _fewest_numbers(chunk: str) -> int:
    """The fewest numbers a piece of a run can be cut into (a 0 starts no number but 0 itself)."""
    body = chunk.lstrip("+-")
    if not body or not body[0].isdigit():
        return 1
    leading_zeros = len(body) - len(body.lstrip("0"))
    return leading_zeros + (1 if body.lstrip("0") else 0)


def capacity(run: str) -> int:
    """The most cells a run can fill (each digit or placeholder one cell)."""
    return sum(1 if c in "/／—–-\ue000" else len(c.lstrip("+-")) for c in _chunks(run))


def candidates(run: str, columns: int, decimals: tuple[bool, ...], signed: tuple[bool, ...] | None = None,
               blanks: bool = False) -> list[tuple[Value, ...]] | None:
    """Every reading of a run of numbers as ``columns`` cells, in column order.

    Without ``blanks`` every cell holds a piece of the run; with ``blanks`` (the table shows
    that its rows may leave cells blank) the pieces may also stand in some of the cells, in
    order, with the others blank (None). Returns [] when no reading exists, [(None,)*columns]
    for an empty run (a row of blank cells), and None when the run is too long to enumerate
    within the bounds.
    """
    signed = signed or (False,) * columns
    chunks = _chunks(run)
    if not chunks:
        return [tuple(None for _ in range(columns))]
    if sum(len(c) for c in chunks) > MAX_RUN_DIGITS * 2:
        return None
    limits = [1 if c in "/／—–-\ue000" else len(c.lstrip("+-")) for c in chunks]
    digits = sum(limits)
    fewest = sum(_fewest_numbers(c) for c in chunks)
    fills = range(max(len(chunks), fewest), columns + 1) if blanks else (columns,)
    if sum(comb(digits - 1, filled - 1) * comb(columns, filled) for filled in fills if filled <= digits) \
            > MAX_SPLITS_PER_ROW * 20:
        return None  # more ways to cut the run than can be tried: it cannot be read
    out: list[tuple[Value, ...]] = []
    for filled in fills:
        for sizes in _compositions(filled, limits):
            per_chunk = [list(_splits(chunk, size)) for chunk, size in zip(chunks, sizes)]
            for combination in product(*per_chunk):
                pieces = [p for part in combination for p in part]
                places = combinations(range(columns), filled) if filled < columns else (tuple(range(columns)),)
                for place in places:
                    if not all(_fits(p, decimals[c], signed[c]) for p, c in zip(pieces, place)):
                        continue
                    row: list[Value] = [None] * columns
                    for p, c in zip(pieces, place):
                        row[c] = _number(p)
                    out.append(tuple(row))
                    if len(out) > MAX_SPLITS_PER_ROW:
                        return None
    return out


def _compositions(total: int, limits: list[int]) -> Iterator[tuple[int, ...]]:
    """Ways to give each chunk 1…limit cells so that the cells add up to ``total``."""
    if not limits:
        if total == 0:
            yield ()
        return
    rest_max = sum(limits[1:])
    for size in range(max(1, total - rest_max), min(limits[0], total - (len(limits) - 1)) + 1):
        for tail in _compositions(total - size, limits[1:]):
            yield (size, *tail)


# --------------------------------------------------------------------------- reading a table


def read_flat_table(text: str, tmpl: Template) -> list[ReadRow]:
    """The rows of ``tmpl`` found in the flattened table ``text``, with their cells.

    Rows whose label is not in the text are not returned (the caller decides whether their
    words are printed anywhere). Every returned row has a cell for each of its columns.
    """
    key = stream_key(text)
    if tmpl.kind == "appeals":
        return _read_appeals(key, tmpl)
    chain = _align(key, tmpl.rows, 0)
    rows: list[ReadRow] = []
    for k, (spec, _, stop) in enumerate(chain):
        following = chain[k + 1] if k + 1 < len(chain) else None
        zone = key[stop:following[1]] if following else key[stop:]
        rows.append(ReadRow(spec, printed=_value_run(zone, following[0].numbering if following else None)))
    # A blank cell leaves no trace in run-together digits. A row that no identity of the table
    # checks (table 二) is read only when every reading with blank cells agrees; in a table with
    # arithmetic a row's digits are taken to fill its cells, unless some row of the table shows
    # blanks (fewer digits than cells): then every reading with blanks is a candidate. Blanks
    # count as 0 in the arithmetic.
    checked = {path for left, right in tmpl.identities for path, _ in (*left, *right)}
    shows_blanks = any(0 < capacity(row.printed) < len(row.spec.columns) for row in rows)
    def readings(row: ReadRow, blanks: bool) -> list[tuple[Value, ...]] | None:
        return candidates(row.printed, len(row.spec.columns), tuple(c in row.spec.decimals for c in row.spec.columns),
                          tuple(c in row.spec.signed for c in row.spec.columns), blanks=blanks)

    options = []
    for row in rows:
        found = readings(row, blanks=shows_blanks or row.spec.path not in checked)
        if found and len(found) == 1 and not _own_identities_hold(row, found[0], tmpl):
            # the one reading without blank cells breaks the row's own arithmetic: a blank cell may
            # have vanished, so every reading with blanks is a candidate (the arithmetic decides)
            found = readings(row, blanks=True)
        options.append(found)
    _decide(rows, options, tmpl, blank_zero=True, with_blanks=lambda: [readings(row, blanks=True) for row in rows])
    return rows


def _own_identities_hold(row: ReadRow, reading: tuple[Value, ...], tmpl: Template) -> bool:
    """Whether a reading satisfies the identities that involve this row alone (its row total)."""
    col = {c: i for i, c in enumerate(row.spec.columns)}
    for left, right in tmpl.identities:
        if {path for path, _ in (*left, *right)} != {row.spec.path}:
            continue
        values = [reading[col[c]] for _, c in left], [reading[col[c]] for _, c in right]
        if any(not isinstance(v, (int, float)) for v in (*values[0], *values[1]) if v is not None):
            continue
        left_sum = sum(v for v in values[0] if isinstance(v, (int, float)))  # (numbers only: see above)
        right_sum = sum(v for v in values[1] if isinstance(v, (int, float)))
        if abs(left_sum - right_sum) > 1e-6:
            return False
    return True


def _read_appeals(key: str, tmpl: Template) -> list[ReadRow]:
    """Table 四 flattened: the header, then one run of 15 cells after the last header word."""
    spec = tmpl.rows[0]
    last = None
    for match in spec.pattern.finditer(key):
        last = match
    if last is None:
        return []
    run = _value_run(key[last.end():], None)
    row = ReadRow(spec, printed=run)
    plain = (False,) * len(spec.columns)
    found = candidates(run, len(spec.columns), plain)
    if not found or (len(found) == 1 and not _own_identities_hold(row, found[0], tmpl)):
        found = candidates(run, len(spec.columns), plain, blanks=True)  # a blank cell may have vanished
    _decide([row], [found], tmpl, blank_zero=True,
            with_blanks=lambda: [candidates(run, len(spec.columns), plain, blanks=True)])
    return [row]


def _decide(rows: list[ReadRow], options: list[list[tuple[Value, ...]] | None], tmpl: Template,
            blank_zero: bool, with_blanks: Callable[[], list[list[tuple[Value, ...]] | None]] | None = None
            ) -> None:
    """Fill each row's cells: read where one reading exists, derived where the arithmetic
    leaves one value, unread otherwise.

    ``options`` may assume that no cell is blank; ``with_blanks`` gives the readings without
    that assumption. When no combination of the assumed readings satisfies the arithmetic, the
    assumption is wrong somewhere (a blank cell vanished): the readings with blanks are used.
    """
    ambiguous = [k for k, opts in enumerate(options) if opts is not None and len(opts) > 1]
    solutions = _solve(rows, options, ambiguous, tmpl, blank_zero) if ambiguous else []
    if ambiguous and not solutions and with_blanks is not None:
        options = with_blanks()
        ambiguous = [k for k, opts in enumerate(options) if opts is not None and len(opts) > 1]
        solutions = _solve(rows, options, ambiguous, tmpl, blank_zero) if ambiguous else []
    for k, (row, opts) in enumerate(zip(rows, options)):
        columns = row.spec.columns
        if not opts:  # no reading at all, or too many to try
            row.cells = {c: ReadCell(None, "unread") for c in columns}
            continue
        if len(opts) == 1:
            row.cells = {c: ReadCell(v) for c, v in zip(columns, opts[0])}
            continue
        for i, column in enumerate(columns):
            printed = {o[i] for o in opts}
            if len(printed) == 1:  # every split agrees on this cell: it is read as printed
                row.cells[column] = ReadCell(opts[0][i])
                continue
            found = {s[k][i] for s in solutions} if solutions else set()
            if len(found) == 1:
                row.cells[column] = ReadCell(found.pop(), "derived")
            else:
                row.cells[column] = ReadCell(None, "unread")


def _solve(rows: list[ReadRow], options: list[list[tuple[Value, ...]] | None], ambiguous: list[int],
           tmpl: Template, blank_zero: bool) -> list[dict[int, tuple[Value, ...]]]:
    """Every combination of the ambiguous rows' readings that satisfies the table's identities,
    as {row index: reading}; [] when there is none, too many, or the table's printed rows show
    that it does not balance (then no split can be trusted to follow its arithmetic).

    Each identity is a sum over cells equal to 0 (left minus right). Identities that touch a
    row that was not found or cannot be read at all are not used.
    """
    index = {row.spec.path: k for k, row in enumerate(rows)}
    col = [{c: i for i, c in enumerate(row.spec.columns)} for row in rows]
    unsure = set(ambiguous)
    fixed = {k: opts[0] for k, opts in enumerate(options) if opts and len(opts) == 1}

    def number(value: Value) -> float | None:
        if value is None and blank_zero:
            return 0.0
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    # identity → (constant from fixed rows, terms on ambiguous rows [(row, column index, sign)])
    equations: list[tuple[float, list[tuple[int, int, int]]]] = []
    for left, right in tmpl.identities:
        terms = [(path, column, 1) for path, column in left] + [(path, column, -1) for path, column in right]
        if not all(path in index and options[index[path]] for path, _, _ in terms):
            continue
        constant, free, usable = 0.0, [], True
        for path, column, sign in terms:
            k = index[path]
            if k in unsure:
                free.append((k, col[k][column], sign))
                continue
            value = number(fixed[k][col[k][column]])
            if value is None:
                usable = False
                break
            constant += sign * value
        if not usable:
            continue
        if not free:
            if abs(constant) > 1e-6:
                return []  # the printed rows already break the table's arithmetic
            continue
        equations.append((constant, free))

    def holds(constant: float, free: list[tuple[int, int, int]], assignment: dict[int, tuple[float | None, ...]]
              ) -> bool:
        total = constant
        for k, i, sign in free:
            value = assignment[k][i]
            if value is None:
                return True  # a text cell: the identity says nothing
            total += sign * value
        return abs(total) < 1e-6

    # Readings of each ambiguous row (as numbers) that satisfy the identities touching no other
    # ambiguous row; the search works on their numbers and gives back the readings.
    choices: dict[int, list[tuple[tuple[float | None, ...], tuple[Value, ...]]]] = {}
    for k in ambiguous:
        local = [(c, f) for c, f in equations if {r for r, _, _ in f} == {k}]
        kept = []
        for reading in options[k] or ():
            numbers = tuple(number(v) for v in reading)
            if all(holds(c, f, {k: numbers}) for c, f in local):
                kept.append((numbers, reading))
        choices[k] = kept
        if not choices[k]:
            return []
    order = sorted(ambiguous, key=lambda k: len(choices[k]))
    rank = {k: n for n, k in enumerate(order)}
    due: dict[int, list[tuple[float, list[tuple[int, int, int]]]]] = {k: [] for k in order}
    for constant, free in equations:
        rows_in = {r for r, _, _ in free}
        if len(rows_in) > 1:
            due[max(rows_in, key=rank.__getitem__)].append((constant, free))
    solutions: list[dict[int, tuple[Value, ...]]] = []
    steps = 0

    chosen: dict[int, tuple[Value, ...]] = {}

    def search(depth: int, assignment: dict[int, tuple[float | None, ...]]) -> bool:
        nonlocal steps
        if depth == len(order):
            solutions.append(dict(chosen))
            return len(solutions) <= 1000
        k = order[depth]
        for numbers, reading in choices[k]:
            steps += 1
            if steps > MAX_COMBINATIONS:
                return False
            assignment[k], chosen[k] = numbers, reading
            if all(holds(c, f, assignment) for c, f in due[k]) and not search(depth + 1, assignment):
                return False
            del assignment[k], chosen[k]
        return True

    if not search(0, {}):
        return []
    return solutions


# --------------------------------------------------------------------------- which table a paragraph is


_KIND_WORDS = {
    "requests": [spec.pattern for spec in _t3_template("2021").rows if spec.path not in {("other", "other"),
                                                                                        ("total",)}],
    "proactive": [re.compile(p) for p in (r"第二十条", r"信息内容", r"规章", r"规范性文件", r"行政许可", r"行政处罚",
                                          r"行政强制", r"事业性收费", r"制发件数|新制作数量")],
    "appeals": [re.compile(p) for p in (r"结果维持", r"结果纠正", r"其他结果", r"尚未审结", r"未经复议", r"复议后起诉")],
}
_MIN_WORDS = {"requests": 5, "proactive": 4, "appeals": 3}
_PROSE_MARKS = re.compile(r"[。，；！？]")
_FLAT_T2_FORMAT = {"2019": re.compile(r"新制作|新公开|对外公开总数|上一年项目|对外管理服务|集中采购|采购项目"),
                   "2021": re.compile(r"制发件数|废止件数|现行有效|收费金额")}


@lru_cache(maxsize=4096)
def flat_table_kind(text: str) -> str | None:
    """Which format table a paragraph is, when it is one flattened into text, else None.

    A flattened table holds the words of many of its rows (or header cells) and is not prose:
    at most a few commas and full stops for its length.
    """
    if len(text) < 20:
        return None
    key = stream_key(text)
    if len(_PROSE_MARKS.findall(key)) > max(4, len(key) // 100):
        return None
    scores = {kind: sum(1 for p in words if p.search(key)) for kind, words in _KIND_WORDS.items()}
    kind = max(scores, key=lambda k: scores[k] / _MIN_WORDS[k])
    return kind if scores[kind] >= _MIN_WORDS[kind] else None


def flat_format(kind: str, text: str) -> str | None:
    """The format ("2021" | "2019") a flattened table's own words show, or None."""
    key = stream_key(text)
    if kind == "proactive":
        for fmt in ("2019", "2021"):
            if _FLAT_T2_FORMAT[fmt].search(key):
                return fmt
        return None
    if kind == "requests":
        if re.search(r"不补正|逾期不补|缴纳费用|收费通知", key):
            return "2021"
        if "其他处理" in key:
            return "2019"
    return None


#: Table 四's opening group headings, as printed (simplified or traditional characters).
_FLAT_APPEALS_OPENING = re.compile(r"行政[复復][议議]\s*行政[诉訴][讼訟]")


def flat_split(text: str) -> int | None:
    """Where table 四 starts in a paragraph holding two flattened tables, else None.

    With no heading between them, table 三 (or 二) and table 四 flattened into text run on in
    one paragraph. The paragraph is cut where table 四's group headings (行政复议 行政诉讼)
    stand, when the text before is another format table by its own words and the text from
    there is table 四.
    """
    found = _FLAT_APPEALS_OPENING.search(text, 1)
    if found is None:
        return None
    before, after = flat_table_kind(text[:found.start()]), flat_table_kind(text[found.start():])
    return found.start() if before not in (None, "appeals") and after == "appeals" else None
