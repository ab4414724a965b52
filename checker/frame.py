"""The cell frame: one row per report, one column per table cell, plus metadata columns.

Column families (all in one pandas DataFrame so one pandera schema sees everything):

* ``v:<cell id>`` — the cell's number (float64); NaN when blank, text or absent.
* ``s:<cell id>`` — the cell's status (int8): 0 number, 1 blank, 2 text, 3 absent, 4 unread
  (absent from the document, but at or under a pointer its ``reading`` block lists as
  unread: its words are printed in the source and the reader could not place them).
* ``t:<field>`` — texts (object dtype, None when absent): ``title``, ``preamble``,
  ``source.url``, ``agency.name``, ``period.text`` (the statistics period as printed),
  ``sections.<id>.heading`` and ``sections.<id>.text``,
  ``sections.overview.heads`` (the sub-part headings of 总体情况 one per line, or when it
  has no recorded parts the first 15 characters of each line of its text), and ``all``
  (title, preamble and every section heading and text, joined by newlines).
* ``m:<field>`` — metadata: ``year``, ``format`` (0 = 2021, 1 = 2019), ``kind`` and
  ``level`` (codes, -1 unknown), ``published``, ``period_start``, ``period_end``
  (proleptic ordinals, NaN unknown), ``pos:<section>`` (order of the section, NaN absent)
  and ``table:<name>`` (1 when the table is present).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress, repeat
from operator import call, itemgetter
from typing import Any

import numpy as np
import pandas as pd

from checker.document import MISSING, cells, pointer_to_path, resolve
from checker.formats import FORMATS, KINDS, LEVELS, SECTION_IDS, TABLES

NUMBER, BLANK, TEXT, ABSENT, UNREAD = 0, 1, 2, 3, 4


def value_col(cell_id: str) -> str:
    """Frame column holding the cell's number."""
    return "v:" + cell_id


def status_col(cell_id: str) -> str:
    """Frame column holding the cell's status code."""
    return "s:" + cell_id


def text_col(name: str) -> str:
    """Frame column holding a text field."""
    return "t:" + name


def meta_col(name: str) -> str:
    """Frame column holding a metadata field."""
    return "m:" + name


# Absent cells are marked with this very NaN object (compared by identity); documents come
# from JSON, which has no NaN (the loader refuses NaN and Infinity).
_ABSENT_VALUE = float("nan")
_STATUS_OF_TYPE = {int: NUMBER, float: NUMBER, type(None): BLANK, str: TEXT, bool: TEXT}
_NUMERIC = frozenset((int, float))
_EMPTY: dict[str, Any] = {}


def _tuple_getter(keys: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of ``keys`` (at least one) that always returns a tuple, as ``itemgetter`` of
    several keys does."""
    if len(keys) > 1:
        return itemgetter(*keys)
    key = keys[0]
    return lambda node: (node[key],)


# The rows of one row-holding node: (row key, its cell keys) in read order.
_Rows = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class _TableReader:
    """Reads the cells of one table of one format.

    A table's rows hang directly under it or under a row group (e.g. ``requests.withheld``).
    Values are read parent by parent (the table itself first), row by row, cell by cell.

    :meth:`read` fetches the row groups, the rows of every parent and the cells of every row
    with ``itemgetter`` (one C call per node, no Python code per cell). It subscripts
    blindly, so it raises KeyError or TypeError when a key is missing or a node is not an
    object; :meth:`read_slowly` then reads the table with the absent marker for every cell
    that is not there.

    Attributes:
        name: the table's key under ``tables``.
        parents: per row-holding node, its key (None for the table itself) and its rows.
        filler: the absent markers of all the table's cells (when the table is not there).
        groups: getter of the row groups of the table (those in ``parents``), None if none.
        row_getters: per parent, getter of its rows.
        cell_getters: per row in read order, getter of its cells.
    """

    name: str
    parents: tuple[tuple[str | None, _Rows], ...]
    filler: tuple[float, ...]
    groups: Callable[[dict[str, Any]], tuple[Any, ...]] | None
    row_getters: tuple[Callable[[Any], tuple[Any, ...]], ...]
    cell_getters: tuple[Callable[[Any], tuple[Any, ...]], ...]

    @classmethod
    def build(cls, name: str, parents: dict[str | None, _Rows]) -> _TableReader:
        """The reader of table ``name`` whose rows are ``parents`` (keyed by group, None first)."""
        ordered = sorted(parents.items(), key=lambda item: item[0] is not None)
        groups = tuple(key for key, _ in ordered if key is not None)
        width = sum(len(keys) for _, rows in ordered for _, keys in rows)
        return cls(name, tuple(ordered), (_ABSENT_VALUE,) * width, _tuple_getter(groups) if groups else None,
                   tuple(_tuple_getter(tuple(row for row, _ in rows)) for _, rows in ordered),
                   tuple(_tuple_getter(keys) for _, rows in ordered for _, keys in rows))

    def cell_ids(self) -> list[str]:
        """Ids of the values read, in read order."""
        return [".".join(k for k in (self.name, parent, row, key) if k is not None)
                for parent, rows in self.parents for row, keys in rows for key in keys]

    def read(self, table: dict[str, Any], raw: list[Any]) -> None:
        """Append the table's values to ``raw``; raises KeyError or TypeError when one is not
        there (after appending some)."""
        nodes = () if self.groups is None else self.groups(table)
        if self.parents[0][0] is None:
            nodes = (table, *nodes)
        rows = chain.from_iterable(map(call, self.row_getters, nodes))
        for row_values in map(call, self.cell_getters, rows):
            raw += row_values

    def read_slowly(self, table: dict[str, Any]) -> list[Any]:
        """The table's values, with the absent marker for every cell that is not there."""
        out: list[Any] = []
        for parent, rows in self.parents:
            node = table if parent is None else table.get(parent)
            for row, keys in rows:
                cells = node.get(row) if isinstance(node, dict) else None
                if isinstance(cells, dict):
                    out.extend(cells.get(k, _ABSENT_VALUE) for k in keys)
                else:
                    out.extend((_ABSENT_VALUE,) * len(keys))
        return out


@dataclass(frozen=True, slots=True)
class _FormatLayout:
    """How to read the tables of one format.

    Attributes:
        tables: the reader of each table, in ``TABLES`` order.
        columns: the cell index (position in ``cells()``) of each value read, in read order.
        amounts: the read positions of the amount cells (decimals allowed).
        plain_types: the value types of a plain row (see :class:`_CellValues`): ints, and in
            the amount cells floats (or ints).
        plain_packer: packs a plain row: C int64, and doubles in the amount cells.
        double_packer: packs a row of numbers as C doubles.
    """

    tables: tuple[_TableReader, ...]
    columns: np.ndarray
    amounts: list[int]
    plain_types: tuple[list[type], ...]
    plain_packer: struct.Struct
    double_packer: struct.Struct

    @classmethod
    def build(cls, tables: tuple[_TableReader, ...], columns: list[int]) -> _FormatLayout:
        """The layout of the format read by ``tables``, whose values go to ``columns``."""
        amounts = [i for i, column in enumerate(columns) if cells()[column].amount]
        ints: list[type] = [int] * len(columns)
        decimals: list[type] = [float if i in amounts else int for i in range(len(columns))]
        plain_types = (decimals, ints) if amounts else (ints,)
        codes = "".join("d" if i in amounts else "q" for i in range(len(columns)))
        return cls(tables, np.asarray(columns), amounts, plain_types,
                   struct.Struct("=" + codes), struct.Struct(f"={len(columns)}d"))


@cache
def _layout() -> dict[str, _FormatLayout]:
    """Per format: the reader of each table, and the frame column of each value read in order."""
    index = {c.id: i for i, c in enumerate(cells())}
    out = {}
    for fmt in FORMATS:
        readers = []
        for table in TABLES:
            rows: dict[str | None, dict[str, list[str]]] = {}
            for c in cells():
                if c.table == table and fmt in c.formats:
                    *path, row, key = c.id.split(".")[1:]
                    if len(path) > 1:
                        raise NotImplementedError(f"cell {c.id} is nested deeper than one row group")
                    rows.setdefault(path[0] if path else None, {}).setdefault(row, []).append(key)
            readers.append(_TableReader.build(table, {parent: tuple((row, tuple(keys)) for row, keys in found.items())
                                                      for parent, found in rows.items()}))
        order = [index[cid] for reader in readers for cid in reader.cell_ids()]
        assert sorted(order) == [i for i, c in enumerate(cells()) if fmt in c.formats]
        out[fmt] = _FormatLayout.build(tuple(readers), order)
    return out


def _read_tables(doc: dict[str, Any], layout: _FormatLayout, meta: list[float]) -> list[Any]:
    """The document's cell values in read order; appends the table-present flags to ``meta``.

    A value is the cell's number, None or text as in the document, or the absent marker.
    """
    raw: list[Any] = []
    tables = doc.get("tables") or _EMPTY
    for reader in layout.tables:
        table = tables.get(reader.name)
        if not isinstance(table, dict):
            meta.append(0.0)
            raw.extend(reader.filler)
            continue
        meta.append(1.0)
        mark = len(raw)
        try:
            reader.read(table, raw)
        except (KeyError, TypeError):
            del raw[mark:]
            raw.extend(reader.read_slowly(table))
    return raw


@dataclass(slots=True)
class _CellValues:
    """The cell values read from the documents of one format, until they are converted.

    A row is kept according to the types of its values (checked exactly, so that a bool is
    text and not a number):

    * plain: every value an int, but the amount cells' all floats or all ints (the usual
      case); packed as C int64 and doubles, converted by numpy at the end.
    * numeric: every value an int or a float (or the absent marker); packed as C doubles.
    * other: some blank or text values; kept as they are, with their types.

    Attributes:
        layout: how the format is read.
        plain_rows, numeric_rows, other_rows: the frame rows of each kind.
        plain_numbers, numeric_numbers: the packed values of those rows, row after row.
        other_values, other_types: the values of the other rows and their types, row after row.
    """

    layout: _FormatLayout
    plain_rows: list[int] = field(default_factory=list)
    plain_numbers: bytearray = field(default_factory=bytearray)
    numeric_rows: list[int] = field(default_factory=list)
    numeric_numbers: bytearray = field(default_factory=bytearray)
    other_rows: list[int] = field(default_factory=list)
    other_values: list[Any] = field(default_factory=list)
    other_types: list[type] = field(default_factory=list)

    def add(self, row: int, raw: list[Any]) -> None:
        """Keep the values of frame row ``row``."""
        types = list(map(type, raw))
        if types in self.layout.plain_types:
            try:
                self.plain_numbers += self.layout.plain_packer.pack(*raw)
            except struct.error:  # an int beyond 64 bits
                pass
            else:
                self.plain_rows.append(row)
                return
        if _NUMERIC.issuperset(types):
            self.numeric_numbers += self.layout.double_packer.pack(*raw)
            self.numeric_rows.append(row)
        else:
            self.other_rows.append(row)
            self.other_values += raw
            self.other_types += types

    def place_numbers(self, values: np.ndarray, whole_columns: bool) -> None:
        """Write the numbers of the plain and numeric rows into the values block (one row per
        frame column, one column per frame row).

        With ``whole_columns`` the format's cells of every other frame row are set to NaN, which
        is faster than writing at these rows only; use it for the first format placed.
        """
        columns, amounts = self.layout.columns, self.layout.amounts
        ints = np.frombuffer(self.plain_numbers, dtype=np.int64).reshape(-1, len(columns))
        decimals = np.frombuffer(self.plain_numbers, dtype=float).reshape(-1, len(columns))[:, amounts]
        numeric = np.frombuffer(self.numeric_numbers, dtype=float).reshape(-1, len(columns))
        if whole_columns:  # whole rows first, then whole columns: no element-wise scatter
            by_row = np.full((values.shape[1], len(columns)), np.nan)
            by_row[self.plain_rows] = ints
            by_row[np.ix_(self.plain_rows, amounts)] = decimals
            by_row[self.numeric_rows] = numeric
            values[columns] = by_row.T
        else:
            values[np.ix_(columns, self.plain_rows)] = ints.T  # type: ignore[arg-type]  # numpy's stubs reject a list of ints, which np.ix_ takes
            values[np.ix_(columns[amounts], self.plain_rows)] = decimals.T  # type: ignore[arg-type]  # numpy's stubs reject a list of ints, which np.ix_ takes
            values[np.ix_(columns, self.numeric_rows)] = numeric.T  # type: ignore[arg-type]  # numpy's stubs reject a list of ints, which np.ix_ takes

    def place_others(self, status: np.ndarray, values: np.ndarray) -> None:
        """Write the status codes and numbers of the other rows into the blocks."""
        if not self.other_rows:
            return
        found, types, count = self.other_values, self.other_types, len(self.other_values)
        try:
            codes = np.fromiter(map(_STATUS_OF_TYPE.__getitem__, types), dtype=np.int8, count=count)
        except KeyError:  # a value of another type: text
            codes = np.fromiter(map(_STATUS_OF_TYPE.get, types, repeat(TEXT)), dtype=np.int8, count=count)
        is_number = codes == NUMBER
        numbers = np.full(count, np.nan)
        numbers[is_number] = np.fromiter(compress(found, is_number.tolist()), dtype=float,
                                         count=int(np.count_nonzero(is_number)))
        # The absent markers are among the NaN numbers.
        codes[[i for i in np.flatnonzero(is_number & np.isnan(numbers)).tolist()
               if found[i] is _ABSENT_VALUE]] = ABSENT
        at = np.ix_(self.other_rows, self.layout.columns)  # type: ignore[arg-type]  # numpy's stubs reject a list of ints, which np.ix_ takes
        shape = (len(self.other_rows), len(self.layout.columns))
        status.T[at] = codes.reshape(shape)
        values.T[at] = numbers.reshape(shape)


def _ordinal(text: Any) -> float:
    if not isinstance(text, str):
        return np.nan
    try:
        return float(dt.date.fromisoformat(text).toordinal())
    except ValueError:
        return np.nan


class _Ordinals(dict[str, float]):
    """Memo of ``_ordinal`` over the dates of one batch (a batch has few distinct dates)."""

    def __missing__(self, text: str) -> float:
        value = self[text] = _ordinal(text)
        return value


def _codes(options: tuple[str, ...]) -> dict[str, float]:
    return {option: float(i) for i, option in enumerate(options)}


_FORMAT_CODES, _KIND_CODES, _LEVEL_CODES = _codes(FORMATS), _codes(KINDS), _codes(LEVELS)
_DEFAULT_POSITIONS = tuple(float(i) for i in range(len(SECTION_IDS)))
_HEADING = itemgetter("heading")


def build_frame(docs: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Build the cell frame for ``docs`` (valid report documents), one row each, in order.

    One pass over the documents appends each one's metadata and texts to two flat lists
    and keeps its cell values per format (see :class:`_CellValues`); few Python objects
    outlive a document, so the garbage collector has little to walk. The frame's four
    blocks (numbers, status codes, metadata, texts) are then made in a few numpy steps, in
    the layout pandas keeps them in, so the frame takes them without a copy.
    """
    all_cells = cells()
    n, m = len(docs), len(all_cells)
    layout = _layout()
    cell_values = {fmt: _CellValues(layout[fmt]) for fmt in FORMATS}
    meta: list[float] = []  # row after row, in _meta_names() order
    texts: list[str | None] = []  # row after row, in text_names() order
    ordinals = _Ordinals()
    read_partly: list[int] = []  # documents with a reading block (few: most are read whole)
    for r, doc in enumerate(docs):
        fmt: str = doc["format"] if doc.get("format") in layout else FORMATS[0]
        _describe(doc, ordinals, meta, texts)
        cell_values[fmt].add(r, _read_tables(doc, layout[fmt], meta))
        if "reading" in doc:
            read_partly.append(r)
    # The blocks are built in the layout pandas keeps them in (one row per frame column).
    # Numbers first, the format with the most numeric rows in whole columns; then every
    # NaN is an absent cell, except in the other rows, which are written last.
    values = np.full((m, n), np.nan)
    by_size = sorted(cell_values.values(), key=lambda found: -len(found.plain_rows) - len(found.numeric_rows))
    for found in by_size:
        found.place_numbers(values, whole_columns=found is by_size[0])
    status = np.isnan(values).view(np.int8) * np.int8(ABSENT - NUMBER) + np.int8(NUMBER)
    for found in by_size:
        found.place_others(status, values)
    for r in read_partly:
        _mark_unread(status, r, docs[r])
    meta_names, text_names_ = _meta_names(), text_names()
    meta_block = np.fromiter(meta, dtype=float, count=len(meta)).reshape(n, len(meta_names)).T.copy()
    text_block = np.empty((len(text_names_), n), dtype=object)
    for j, row in enumerate(text_block):
        row[:] = texts[j::len(text_names_)]
    return pd.concat([_frame(values, [value_col(c.id) for c in all_cells]),
                      _frame(status, [status_col(c.id) for c in all_cells]),
                      _frame(meta_block, [meta_col(k) for k in meta_names]),
                      _frame(text_block, [text_col(k) for k in text_names_])],
                     axis=1)


def unread_pointers(doc: dict[str, Any]) -> list[str]:
    """The unread pointers of ``doc``'s reading block that still apply.

    A pointer where the document holds a value (a cell a user filled in) is no longer unread:
    the document wins. A part or table that is present but listed (read only in part, e.g. a
    text cut off inside it) stays unread: what is absent under it was not read.
    """
    reading = doc.get("reading")
    unread = reading.get("unread") if isinstance(reading, dict) else None
    if not isinstance(unread, list):
        return []
    return [p for p in unread if isinstance(p, str) and p.startswith("/")
            and ((held := resolve(doc, pointer_to_path(p))) is MISSING or isinstance(held, dict))]


def derived_pointers(doc: dict[str, Any]) -> list[str]:
    """The derived cell pointers of ``doc``'s reading block (cells split by the table's arithmetic)."""
    reading = doc.get("reading")
    derived = reading.get("derived") if isinstance(reading, dict) else None
    return [p for p in derived if isinstance(p, str)] if isinstance(derived, list) else []


_META_POINTERS = {"year": "/year", "format": "/format", "kind": "/agency/kind", "level": "/agency/level",
                  "published": "/published", "period_start": "/period/start", "period_end": "/period/end"}


@cache
def column_inputs(column: str) -> tuple[tuple[str, bool], ...]:
    """The document places a frame column is made from: (JSON Pointer, presence only) pairs.

    *Presence only* means the column tells whether the place holds something, not what it
    holds (the table flags and section positions). Cell columns give the cell's pointer.
    """
    family, _, name = column.partition(":")
    if family in ("v", "s"):
        cell = _cell_pointers().get(name)
        return ((cell, False),) if cell else ()
    if family == "m":
        if name.startswith("table:"):
            return (("/tables/" + name[6:], True),)
        if name.startswith("pos:"):
            return (("/sections/" + name[4:], True),)
        return ((_META_POINTERS[name], False),) if name in _META_POINTERS else ()
    if family == "t":
        if name == "all":
            return (("/title", False), ("/preamble", False), *((f"/sections/{s}", False) for s in SECTION_IDS))
        if name == "sections.overview.heads":
            return (("/sections/overview/parts", False), ("/sections/overview/text", False))
        return (("/" + name.replace(".", "/"), False),)
    return ()


@cache
def _cell_pointers() -> dict[str, str]:
    return {c.id: c.pointer for c in cells()}


@cache
def _cells_under() -> dict[str, tuple[int, ...]]:
    """Every pointer at or above a table cell → the positions (in ``cells()``) of the cells at or under it."""
    out: dict[str, list[int]] = {}
    for j, c in enumerate(cells()):
        pointer = c.pointer
        while pointer:
            out.setdefault(pointer, []).append(j)
            pointer = pointer.rsplit("/", 1)[0]
    return {k: tuple(v) for k, v in out.items()}


def _mark_unread(status: np.ndarray, row: int, doc: dict[str, Any]) -> None:
    """Mark ``UNREAD`` the absent cells of frame row ``row`` (of the document's format) that are at
    or under an unread pointer of ``doc`` (``status`` holds one row per frame column)."""
    unread = unread_pointers(doc)
    if not unread:
        return
    fmt = doc.get("format") if doc.get("format") in FORMATS else FORMATS[0]
    under = _cells_under()
    all_cells = cells()
    for pointer in unread:
        for j in under.get(pointer, ()):
            if status[j, row] == ABSENT and fmt in all_cells[j].formats and resolve(doc, all_cells[j].path) is MISSING:
                status[j, row] = UNREAD


def _frame(block: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """A frame holding ``block`` (one row per column) as its only block, without a copy."""
    return pd.DataFrame(block.T, columns=columns, dtype=block.dtype, copy=False)


@cache
def text_names() -> tuple[str, ...]:
    """Names of the text columns (without the ``t:`` prefix)."""
    per_section = [f"sections.{s}.{f}" for s in SECTION_IDS for f in ("heading", "text")]
    return ("title", "preamble", "source.url", "agency.name", "period.text", *per_section, "sections.overview.heads",
            "all")


def _heads(section: dict[str, Any]) -> str:
    parts = section.get("parts")
    if isinstance(parts, list) and parts:
        try:
            return "\n".join(map(_HEADING, parts))  # every part an object with a heading
        except (KeyError, TypeError):
            return "\n".join([p.get("heading", "") for p in parts if isinstance(p, dict)])
    return "\n".join([line.strip()[:15] for line in str(section.get("text", "")).splitlines()])


@cache
def _meta_names() -> tuple[str, ...]:
    return ("year", "format", "kind", "level", "published", "period_start", "period_end",
            *("pos:" + s for s in SECTION_IDS), *("table:" + t for t in TABLES))


def _code(value: Any, codes: dict[str, float]) -> float:
    """The code of an option (its position in the option tuple), -1 when not one of them."""
    return codes.get(value, -1.0) if isinstance(value, str) else -1.0


def _describe(doc: dict[str, Any], ordinals: _Ordinals, meta: list[float], texts: list[str | None]) -> None:
    """Append the document's metadata up to the section positions to ``meta`` (the table flags
    follow), and its texts to ``texts`` (None where not a string)."""
    agency = doc.get("agency") or _EMPTY
    period = doc.get("period") or _EMPTY
    sections = doc.get("sections") or _EMPTY
    year, published = doc.get("year"), doc.get("published")
    start, end = period.get("start"), period.get("end")
    title, preamble = doc.get("title"), doc.get("preamble")
    url = (doc.get("source") or _EMPTY).get("url")
    meta += (float(year) if isinstance(year, int) else np.nan,
             _code(doc.get("format"), _FORMAT_CODES),
             _code(agency.get("kind"), _KIND_CODES),
             _code(agency.get("level"), _LEVEL_CODES),
             ordinals[published] if isinstance(published, str) else np.nan,
             ordinals[start] if isinstance(start, str) else np.nan,
             ordinals[end] if isinstance(end, str) else np.nan)
    joined: list[str] = []  # the parts of the ``all`` text
    if isinstance(title, str):
        joined.append(title)
    else:
        title = None
    if isinstance(preamble, str):
        joined.append(preamble)
    else:
        preamble = None
    name, period_text = agency.get("name"), period.get("text")
    texts += (title, preamble, url if isinstance(url, str) else None, name if isinstance(name, str) else None,
              period_text if isinstance(period_text, str) else None)
    for s, default_position in zip(SECTION_IDS, _DEFAULT_POSITIONS):
        sec = sections.get(s)
        if not isinstance(sec, dict):
            meta.append(np.nan)
            texts += (None, None)
            continue
        position = sec.get("position")
        meta.append(default_position if position is None else float(position))
        heading, body = sec.get("heading"), sec.get("text")
        if not isinstance(heading, str):
            heading = None
        elif heading:
            joined.append(heading)
        if not isinstance(body, str):
            body = None
        elif body:
            joined.append(body)
        texts += (heading, body)
    overview = sections.get("overview")
    texts += (_heads(overview) if isinstance(overview, dict) else None, "\n".join(joined))
