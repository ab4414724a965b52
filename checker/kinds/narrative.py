"""The check kind ``narrative_numbers``: the narrative's figures agree with the tables (the machinery is
:mod:`checker.narrative`)."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from checker.document import cell_index
from checker.formats import SECTION_IDS
from checker.frame import ABSENT, BLANK, NUMBER, meta_col, status_col, text_col, value_col
from checker.kinds.base import FrameCheck, Payload, number
from checker.narrative.batch import _BATCH
from checker.narrative.extract import Extractor, _Memo, _Text
from checker.narrative.locate import sentence_location
from checker.narrative.spec import BODY_NAMES, BODY_UNCLEAR, BODY_WIDER, Statement, _guards, _spec
from checker.patterns import compile_pattern
from checker.totals import derive_rows, parts_of

# --------------------------------------------------------------------------- the check


class _Found(NamedTuple):
    """A statement of one report with its section and its outcome.

    Attributes:
        derived: the reading's sum holds a blank total read as the sum of its parts.
    """

    section: str
    statement: Statement
    table: float | None
    reading: tuple[str, ...]
    other: _Found | None = None
    derived: bool = False


class _Outcome(NamedTuple):
    """The statements of one report: compared, mismatching, and left uncompared for their body."""

    decided: list[_Found]
    bad: list[_Found]
    other_body: list[_Found]


_NOTHING = _Outcome([], [], [])  # a row without compared statements (never changed)


class NarrativeNumbers(FrameCheck):
    """Quantitative statements of the narrative agree with their table cells.

    A report is assessable when at least one statement could be compared (its cells are
    numbers, or a blank total is the sum of its parts); it fails when at least one compared
    statement differs from its cell and from every alternative reading. Statements with
    ``agree`` are compared with each other. A statement about a wider or unclear body (see
    ``guards.bodies``) is never a mismatch: it counts as compared when it equals its cell, and
    otherwise it is left out; a report with nothing else to compare is not assessable with the
    reason ``scope``.

    The statements of each text are extracted once per batch and shared by the instances
    with the same patterns, and the tokenising by every instance with the same guards and
    units (see :class:`_BatchCache`).
    """

    def __init__(self, statements: list[dict[str, Any]], guards: dict[str, Any] | None = None,
                 sections: list[str] | None = None, keywords: str | None = None,
                 says: dict[str, dict[str, str]] | None = None, **_: Any) -> None:
        guards = guards or {}
        unit_map = {"件": 1.0, **{k: float(v) for k, v in guards.get("units", {}).items()}}
        self.guards = _guards(guards, guards.get("scopes", {}))
        self.specs = tuple(_spec(s, self.guards, unit_map) for s in statements)
        self.sections = tuple(sections or SECTION_IDS)
        for s in self.sections:
            if s not in SECTION_IDS:
                raise KeyError(s)
        self.extractor = Extractor(self.specs, self.guards, unit_map)
        self.cell_ids = tuple(dict.fromkeys(c for s in self.specs for r in s.readings for c in r))
        # The totals among the cells, and the cells their blank value is added up from: read
        # only to derive a blank total, so they are context, not inputs (an unread part leaves
        # the total underivable, nothing more).
        self._totals = tuple(c for c in self.cell_ids if parts_of(c))
        parts = tuple(dict.fromkeys(p for c in self._totals for p in parts_of(c) if p not in self.cell_ids))
        self.text_columns = [text_col(f"sections.{s}.text") for s in self.sections]
        self.columns = [*self.text_columns, *(value_col(c) for c in self.cell_ids),
                        *(status_col(c) for c in self.cell_ids), meta_col("year")]
        self.context_columns = (*(value_col(c) for c in parts), *(status_col(c) for c in parts),
                                *((meta_col("format"),) if self._totals else ()))
        # What the message says of the table: the cell's value, or a blank total's derived value.
        says = says or {}
        self._says = {key: (says.get(key, {}).get("zh", default[0]), says.get(key, {}).get("en", default[1]))
                      for key, default in (("cell", ("为 {table}", "says {table}")),
                                           ("derived", ("栏为空，按各栏相加为 {table}",
                                                        "is blank; its parts add up to {table}")))}
        # Words one of which every statement of the rule contains: a text without any is skipped.
        self.keywords = compile_pattern(keywords) if keywords else None
        self._value_columns = [value_col(c) for c in self.cell_ids]
        self._status_columns = [status_col(c) for c in self.cell_ids]
        # Every distinct reading of the specs (a sum of cells) with the positions of its cells
        # in cell_ids, and per spec the positions of its readings in that list (all readings,
        # and those with cells); the readings of all reports are summed at once.
        self._all_readings = tuple(dict.fromkeys(r for s in self.specs for r in s.readings))
        column = {c: k for k, c in enumerate(self.cell_ids)}
        self._reading_cells = tuple(tuple(column[c] for c in r) for r in self._all_readings)
        where = {r: k for k, r in enumerate(self._all_readings)}
        self._reading_pos = tuple(tuple(where[r] for r in s.readings) for s in self.specs)
        self._nonempty = tuple(tuple(k for k, r in zip(pos, s.readings) if r)
                               for s, pos in zip(self.specs, self._reading_pos))
        self._spec_cells = tuple(sorted({column[c] for r in s.readings for c in r}) for s in self.specs)
        # per reading: pointer of its first cell, its labels (zh, en), its id, pointers of the other cells
        index = cell_index()
        self._labels = {r: (index[r[0]].pointer, " + ".join(index[c].zh for c in r),
                            " + ".join(index[c].en for c in r), "+".join(r), tuple(index[c].pointer for c in r[1:]))
                        for r in self._all_readings if r}
        self._texts_key = "texts " + self.extractor.lexer.key
        self._candidates_key = "candidates " + self.extractor.key
        self._decisions_key = "decisions " + self.extractor.key
        self._statements_key = "statements " + repr((self.extractor.key, keywords or None))
        self._last: tuple[weakref.ref[pd.DataFrame], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    # -- FrameCheck -------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[0]

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[1]

    def undecided(self, df: pd.DataFrame) -> dict[str, np.ndarray]:
        """Rows left not assessable because every statement found speaks of a wider or unclear
        body (``scope``)."""
        scope = self._masks(df)[2]
        return {"scope": scope} if scope.any() else {}

    def _masks(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(assessable, violated, left out for the body) for ``df``; the engine asks for each on the
        same frame in turn."""
        if self._last is not None and self._last[0]() is df:
            return self._last[1]
        decided = np.zeros(len(df), dtype=bool)
        bad = np.zeros(len(df), dtype=bool)
        scope = np.zeros(len(df), dtype=bool)
        for k, outcome in self._evaluate(df).items():
            decided[k] = bool(outcome.decided)
            bad[k] = bool(outcome.bad)
            scope[k] = not outcome.decided and bool(outcome.other_body)
        self._last = (weakref.ref(df), (decided, bad, scope))
        return decided, bad, scope

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        results = self._evaluate(df, np.asarray(rows, dtype=np.intp))
        return [[self._payload(f, docs[r]) for f in results.get(k, _NOTHING).bad] for k, r in enumerate(rows)]

    # -- evaluation -------------------------------------------------------------------

    def statements(self, text: str | None) -> tuple[Statement, ...]:
        """The statements of one text (cached for the batch in progress)."""
        if not text:
            return ()
        cache, read = self._reader(None)
        hit = cache.get(text)
        return hit if hit is not None else read(text)

    def _reader(self, column: np.ndarray | None) -> tuple[dict[str, tuple[Statement, ...]],
                                                          Callable[[str], tuple[Statement, ...]]]:
        """The statements cache of the batch of the frame holding ``column`` (see :class:`_BatchCache`),
        and the function that fills it for one non-empty text."""
        cache: dict[str, tuple[Statement, ...]] = _BATCH.table(self._statements_key, column)
        prepared: dict[str, _Text] = _BATCH.table(self._texts_key)
        memo = _Memo(_BATCH.table(self._candidates_key), _BATCH.table(self._decisions_key))
        extractor, keywords = self.extractor, self.keywords

        def read(text: str) -> tuple[Statement, ...]:
            hit: tuple[Statement, ...] = ()
            if keywords is None or keywords.test(text):
                t = prepared.get(text)
                if t is None:
                    t = prepared[text] = extractor.lexer.prepare(text)
                hit = extractor.extract(text, t, memo)
            cache[text] = hit
            return hit

        return cache, read

    def _evaluate(self, df: pd.DataFrame, rows: np.ndarray | None = None) -> dict[int, _Outcome]:
        """The outcome of the statements of each row of ``df``, or of each position in ``rows``.

        Rows without any statement about this report's year are left out.
        """
        columns = [df[c].to_numpy() for c in self.text_columns]
        cache, read = self._reader(columns[0])
        get = cache.get
        if rows is not None:
            columns = [col[rows] for col in columns]
        found: dict[int, list[tuple[str, tuple[Statement, ...]]]] = {}
        for sec, col in zip(self.sections, columns):
            present = np.flatnonzero(col)  # rows with a non-empty text
            for k, text in zip(present.tolist(), col[present].tolist()):
                sts = get(text)
                if sts is None:
                    sts = read(text)
                if sts:
                    texts = found.get(k)
                    if texts is None:
                        found[k] = [(sec, sts)]
                    else:
                        texts.append((sec, sts))
        if not found:
            return {}
        at = sorted(found)
        where = np.asarray(at, dtype=np.intp) if rows is None else rows[at]
        year = df[meta_col("year")].to_numpy()[where].tolist()
        sums, codes, complete, derived = self._cells(df, where)
        out: dict[int, _Outcome] = {}
        for j, k in enumerate(at):
            here = [(sec, st) for sec, sts in found[k] for st in sts
                    if not st.years or self._in_year(st, year[j])]
            if here:
                out[k] = self._compare(here, sums[j], codes[j], complete[j], derived[j])
        return out

    def _cells(self, df: pd.DataFrame, where: np.ndarray
               ) -> tuple[list[list[float]], list[list[int]], list[list[bool]], list[list[bool]]]:
        """For each row in ``where``: the sum of each reading (in ``_all_readings`` order), the
        status code of each cell (in ``cell_ids`` order), for each spec whether all the cells of
        its readings are numbers, and for each reading whether its sum holds a derived total.

        A blank total whose parts are numbers counts as a number, of their sum (see
        :mod:`checker.totals`). Sums are added cell by cell in reading order, as ``sum`` would.
        """
        n = len(where)
        if not self.cell_ids:
            return [[]] * n, [[]] * n, [[False] * len(self.specs)] * n, [[]] * n
        values = df[self._value_columns].to_numpy()[where]
        codes = df[self._status_columns].to_numpy()[where]
        made = np.zeros(codes.shape, dtype=bool)
        if self._totals and (codes == BLANK).any():
            values, codes = values.copy(), codes.copy()
            fmts = df[meta_col("format")].to_numpy()[where]
            column = {c: k for k, c in enumerate(self.cell_ids)}
            for cid in self._totals:
                j = column[cid]
                if not (codes[:, j] == BLANK).any():
                    continue
                cols = (cid, *parts_of(cid))
                vals = {c: (values[:, column[c]] if c in column else df[value_col(c)].to_numpy()[where])
                        for c in cols}
                stat = {c: (codes[:, column[c]] if c in column else df[status_col(c)].to_numpy()[where])
                        for c in cols}
                ok, value = derive_rows(cid, fmts, vals, stat)
                values[ok, j] = value[ok]
                codes[ok, j] = NUMBER
                made[ok, j] = True
        sums = np.zeros((len(self._all_readings), n))
        derived = np.zeros((len(self._all_readings), n), dtype=bool)
        for k, cells in enumerate(self._reading_cells):
            for c in cells:
                sums[k] += values[:, c]
                derived[k] |= made[:, c]
        number = codes == NUMBER
        complete = np.column_stack([number[:, cells].all(axis=1) for cells in self._spec_cells])
        return sums.T.tolist(), codes.tolist(), complete.tolist(), derived.T.tolist()

    def _in_year(self, st: Statement, year: float) -> bool:
        """Year guard: the explicit years before the statement are the reported year."""
        return not (math.isnan(year) or any(y != int(year) for y in st.years))

    def _compare(self, found: list[tuple[str, Statement]], sums: list[float], codes: list[int],
                 complete: list[bool], derived: list[bool]) -> _Outcome:
        """The outcome of the statements of one report, given its row of :meth:`_cells`."""
        decided: list[_Found] = []
        bad: list[_Found] = []
        other_body: list[_Found] = []
        peers: dict[str, _Found] = {}
        for sec, st in found:
            i = st.spec
            spec = self.specs[i]
            if spec.agree is not None:
                if st.body in (BODY_WIDER, BODY_UNCLEAR):
                    continue  # a wider body's fees are not this body's
                first = peers.get(spec.agree)
                if first is None:
                    peers[spec.agree] = _Found(sec, st, None, ())
                    continue
                item = _Found(sec, st, first.statement.value, (), first)
                decided.append(item)
                if not _same(first.statement.value, st.value):
                    bad.append(item)
                continue
            readings = self._nonempty[i] if complete[i] else self._readings(i, codes)
            if not readings:
                continue
            item = _Found(sec, st, sums[readings[0]], self._all_readings[readings[0]], None, derived[readings[0]])
            agrees = _same(item.table, st.value) or any(_same(sums[k], st.value) for k in readings[1:])
            if st.body in (BODY_WIDER, BODY_UNCLEAR) and not agrees:
                other_body.append(item)  # may be the figure of a wider body: not compared
                continue
            decided.append(item)
            if not agrees:
                bad.append(item)
        return _Outcome(decided, _unique(bad), other_body)

    def _readings(self, spec: int, codes: list[int]) -> Sequence[int]:
        """The readings a statement of ``spec`` is compared with (positions in ``_all_readings``,
        the first is its cell): those whose cells exist in this report's table format; none
        when a cell of one of them is not a number."""
        readings = [k for k in self._reading_pos[spec] if not all(codes[c] == ABSENT for c in self._reading_cells[k])]
        if any(codes[c] != NUMBER for k in readings for c in self._reading_cells[k]):
            return ()
        return readings

    def explain(self, df: pd.DataFrame, row: int) -> list[dict[str, Any]]:
        """Every statement of one report row after the guards, with its outcome (for tests and debugging).

        Each item has ``section``, ``name`` (the pattern), ``cells`` (``+``-joined ids, or the
        ``agree`` key), ``value``, ``table`` (None when not compared), ``outcome``
        (``match`` | ``mismatch`` | ``not_assessable``), ``body`` (``none`` | ``own`` | ``wider``
        | ``unclear``: whose figure it gives), ``derived`` (the table value holds a blank total
        read as the sum of its parts) and ``quote``.
        """
        outcome = self._evaluate(df, np.array([row], dtype=np.intp)).get(0, _NOTHING)
        compared = {id(f.statement): f for f in outcome.decided}
        wrong = {id(f.statement) for f in outcome.bad}
        year = df[meta_col("year")].to_numpy()[row]
        cache, _ = self._reader(df[self.text_columns[0]].to_numpy())
        out = []
        for sec, col in zip(self.sections, self.text_columns):
            for st in cache.get(df[col].to_numpy()[row], ()):
                if st.years and not self._in_year(st, year):
                    continue
                spec = self.specs[st.spec]
                f = compared.get(id(st))
                result = "not_assessable" if f is None else ("mismatch" if id(st) in wrong else "match")
                out.append({"section": sec, "name": spec.name, "value": number(st.value),
                            "cells": spec.agree if spec.agree else "+".join(spec.readings[0]),
                            "table": None if f is None or f.table is None else number(f.table),
                            "outcome": result, "body": BODY_NAMES[st.body], "derived": bool(f and f.derived),
                            "quote": st.quote})
        return out

    # -- findings ---------------------------------------------------------------------

    def _payload(self, f: _Found, doc: dict[str, Any]) -> Payload:
        spec = self.specs[f.statement.spec]
        text_ptr = f"/sections/{f.section}/text"
        here = {"pointer": text_ptr,
                "location": sentence_location(doc, f.section, f.statement.start, f.statement.quote)}
        table = number(f.table or 0.0)
        says_zh, says_en = self._says["derived" if f.derived else "cell"]
        values: dict[str, Any] = {"stated": number(f.statement.value), "table": table,
                                  "subject": spec.label[0], "subject_en": spec.label[1],
                                  "sentence": f.statement.quote, "section": f.section,
                                  "table_says": says_zh.format(table=table), "table_says_en": says_en.format(table=table)}
        if f.other is not None:
            there = {"pointer": f"/sections/{f.other.section}/text",
                     "location": sentence_location(doc, f.other.section, f.other.statement.start,
                                                   f.other.statement.quote)}
            values.update({"other_sentence": f.other.statement.quote, "cell": "正文另一处", "cell_en": "elsewhere"})
            return Payload(text_ptr, values, (there, here) if f.other.section != f.section else (there, here))
        pointer, zh, en, cell_id, others = self._labels[f.reading]
        values.update({"cell": zh, "cell_en": en, "cell_id": cell_id})
        if f.derived:
            values["derived"] = True
        return Payload(pointer, values, (here, *({"pointer": p} for p in others)))


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _unique(items: list[_Found]) -> list[_Found]:
    if len(items) < 2:
        return items
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in items:
        key = (f.reading, f.statement.value, f.section, f.statement.quote)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
