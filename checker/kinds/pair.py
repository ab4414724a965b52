"""Cross-year check kinds: checks that need this year's report *and* the same body's previous report.

Two pure-function kinds (engine ``pair``), run by the engine for reports given with the
profile of their previous-year report (``gkcheck check --previous``, the batch audit);
without one their rules are ``not_applicable``:

* ``yoy_compare`` — ``sum(left) op sum(right)`` over cells of both years. A term is a cell
  id of this year's report, ``previous:<cell id>`` for last year's, with a leading ``-`` to
  subtract (e.g. 上年结转 = last year's 结转下年度继续办理).
* ``text_reuse`` — the share of this year's narrative (selected sections) whose clauses
  appear word for word in last year's report, digits ignored; fails above ``threshold``.

Each report is reduced to a small :class:`Profile` (the cells the pair rules read and one
hash per narrative clause), so the audit keeps profiles in its database instead of
documents. Each check evaluates all pairs of a batch at once with numpy.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from checker.document import cell_index

if TYPE_CHECKING:
    from checker.loader import Instance

PREVIOUS = "previous:"
NARRATIVE = ("overview", "proactive", "requests", "appeals", "problems", "other")
CLAUSE_DTYPE = np.dtype([("hash", "<u4"), ("length", "<u2"), ("section", "u1")])
# Full-width forms, general punctuation and enclosed numbers replaced by their compatibility
# decomposition (NFKD): NFKC of the result is NFKC of the text, and most reports' text is then
# already normalised, which is quick to confirm (see _nfkc).
_DECOMPOSE = {c: d for c in [*range(0x2000, 0x2070), *range(0x2460, 0x2500), *range(0x3000, 0x3040),
                             *range(0xFF00, 0xFFF0)]
              if (d := unicodedata.normalize("NFKD", chr(c))) != chr(c)}
_SPLIT = re.compile(r"[。！？；;!?\n，,：:、]+")
_NOISE_KEEPING_LINES = re.compile(r"[^\S\n]+|[0-9０-９.．%％\"“”'‘’（）()《》〈〉【】\[\]「」—\-－·…]+")
_MIN_CLAUSE = 4


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a ``yoy_compare`` sum: a cell of this year or of last year, added or subtracted."""

    cell: str
    previous: bool
    sign: float

    @classmethod
    def parse(cls, text: str) -> Term:
        """``-previous:proactive.normative_documents.in_force`` → Term(cell, previous=True, sign=-1)."""
        sign = -1.0 if text.startswith("-") else 1.0
        body = text.lstrip("-")
        previous = body.startswith(PREVIOUS)
        cell = body[len(PREVIOUS):] if previous else body
        if cell not in cell_index():
            raise KeyError(cell)
        return cls(cell, previous, sign)


class PairCheck:
    """A cross-year check: a function of the profiles of (this year's report, the same body's previous one).

    Attributes:
        pointer: where its finding points in this year's report.
        cells: the table cells it reads from each profile.
        sections: the parts whose texts it reads from each profile.
    """

    pointer: str
    cells: list[str]
    sections: tuple[str, ...]

    def evaluate(self, this: Sequence[Profile], prev: Sequence[Profile]) -> tuple[np.ndarray, np.ndarray,
                                                                                  list[dict[str, Any]]]:
        """(assessable, failed, message values) for each pair."""
        raise NotImplementedError


class YoyCompare(PairCheck):
    """``sum(left) op sum(right)`` over cells of this year's and last year's report (``op``: eq, le)."""

    def __init__(self, left: list[str], right: list[str], op: str = "eq", at: str | None = None,
                 **_: Any) -> None:
        self.left = [Term.parse(t) for t in left]
        self.right = [Term.parse(t) for t in right]
        self.op = op
        self.pointer = cell_index()[at or self.left[0].cell].pointer
        self.cells = sorted({t.cell for t in (*self.left, *self.right)})
        self.sections: tuple[str, ...] = ()

    def evaluate(self, this: Sequence[Profile], prev: Sequence[Profile]) -> tuple[np.ndarray, np.ndarray,
                                                                                  list[dict[str, Any]]]:
        """(assessable, failed, message values) for each pair."""
        lsum, lok = _sum(self.left, this, prev)
        rsum, rok = _sum(self.right, this, prev)
        ok = lok & rok
        with np.errstate(invalid="ignore"):
            bad = lsum > rsum + 1e-9 if self.op == "le" else np.abs(lsum - rsum) > 1e-9
        failed = ok & bad
        values = [{"left": _num(a), "right": _num(b), "diff": _num(abs(a - b))} if f else {}
                  for a, b, f in zip(lsum.tolist(), rsum.tolist(), failed.tolist())]
        return ok, failed, values


class TextReuse(PairCheck):
    """Share of this year's narrative (``sections``) repeated from last year's report, above ``threshold``."""

    def __init__(self, sections: list[str] | None = None, threshold: float = 0.5, min_chars: int = 100,
                 at: str | None = None, **_: Any) -> None:
        self.sections = tuple(sections or NARRATIVE)
        for s in self.sections:
            if s not in NARRATIVE:
                raise KeyError(s)
        self.codes = np.array([NARRATIVE.index(s) for s in self.sections], dtype=np.uint8)
        self.threshold = float(threshold)
        self.min_chars = int(min_chars)
        self.pointer = at or ("/sections/" + self.sections[0] if len(self.sections) == 1 else "/sections")
        self.cells: list[str] = []

    def evaluate(self, this: Sequence[Profile], prev: Sequence[Profile]) -> tuple[np.ndarray, np.ndarray,
                                                                                  list[dict[str, Any]]]:
        """(assessable, failed, message values) for each pair, all pairs in one numpy pass.

        A clause of pair ``i`` is keyed ``i << 32 | hash``, so one ``isin`` over every pair's
        clauses finds those repeated from the same pair's previous report.
        """
        n = len(this)
        if n == 0:
            return np.zeros(0, bool), np.zeros(0, bool), []
        pair_of = np.repeat(np.arange(n, dtype=np.uint64), [len(a.clauses) for a in this])
        clauses = np.concatenate([a.clauses for a in this])
        mine = np.isin(clauses["section"], self.codes)
        pair_of, clauses = pair_of[mine], clauses[mine]
        theirs_of = np.repeat(np.arange(n, dtype=np.uint64), [len(b.clauses) for b in prev])
        theirs = np.concatenate([b.clauses["hash"] for b in prev])
        lengths = clauses["length"].astype(float)
        seen = np.isin(pair_of << np.uint64(32) | clauses["hash"].astype(np.uint64),
                       theirs_of << np.uint64(32) | theirs.astype(np.uint64))
        total = np.bincount(pair_of.astype(np.intp), weights=lengths, minlength=n)
        repeated = np.bincount(pair_of[seen].astype(np.intp), weights=lengths[seen], minlength=n)
        ok = total >= self.min_chars
        share = np.divide(repeated, total, out=np.zeros(n), where=total > 0)
        failed = ok & (share > self.threshold)
        values = [{"share": round(100 * float(share[i]), 1), "repeated": int(repeated[i]), "total": int(total[i]),
                   "threshold": round(100 * self.threshold)} if failed[i] else {} for i in range(n)]
        return ok, failed, values




@dataclass(frozen=True, slots=True)
class Profile:
    """What the pair rules read from one report.

    Attributes:
        cells: numbers of the cells the pair rules read (cells that are blank, text or
            absent are left out: not assessable).
        clauses: one row per narrative clause: CRC-32 of the normalised clause, its length in
            characters, and the index of its section in :data:`NARRATIVE`.
        label: the report as messages quote it (agency and year).
    """

    cells: dict[str, float]
    clauses: np.ndarray
    label: str


def profile_cells(instances: Sequence[Instance[PairCheck]]) -> set[str]:
    """The cells the pair instances read."""
    return {c for inst in instances for c in inst.check.cells}


def profile(doc: dict[str, Any], cells: Collection[str]) -> Profile:
    """The profile of one (schema-valid) report document: these cells and its narrative clauses."""
    values: dict[str, float] = {}
    index = cell_index()
    for cid in cells:
        node: Any = doc
        for key in index[cid].path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            values[cid] = float(node)
    return Profile(values, clauses(doc), label((doc.get("agency") or {}).get("name"), doc.get("year")))


def label(agency: str | None, year: Any) -> str:
    """How messages quote a report: agency and year (e.g. 某某局2023年度报告)."""
    return f"{agency or ''}{year if year is not None else ''}年度报告"


def clauses(doc: dict[str, Any]) -> np.ndarray:
    """Hashes of the narrative clauses of ``doc``: split at punctuation, digits and spaces dropped."""
    rows: list[tuple[int, int, int]] = []
    sections = doc.get("sections") or {}
    for code, name in enumerate(NARRATIVE):
        sec = sections.get(name)
        text = sec.get("text") if isinstance(sec, dict) else None
        if not isinstance(text, str) or not text:
            continue
        # noise dropped before the split (newlines, which split, are kept): the same clauses as
        # dropping it from each piece, except for pieces left empty, which are too short anyway
        for clause in _SPLIT.split(_NOISE_KEEPING_LINES.sub("", _nfkc(text))):
            if len(clause) >= _MIN_CLAUSE:
                rows.append((zlib.crc32(clause.encode("utf-8")), min(len(clause), 65535), code))
    return np.array(rows, dtype=CLAUSE_DTYPE)


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, quicker on text that is NFKC once common forms are decomposed."""
    text = text.translate(_DECOMPOSE)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _sum(terms: list[Term], this: Sequence[Profile], prev: Sequence[Profile]) -> tuple[np.ndarray, np.ndarray]:
    n = len(this)
    total, ok = np.zeros(n), np.ones(n, bool)
    for t in terms:
        side = prev if t.previous else this
        vals = np.array([p.cells.get(t.cell, np.nan) for p in side], dtype=float)
        ok &= ~np.isnan(vals)
        total += t.sign * np.nan_to_num(vals)
    return total, ok


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 4)
