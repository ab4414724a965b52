"""The engine: run a compiled rule set over many report documents in one vectorized pass.

Frame instances run once over the cell frame of all reports (pandera); JSON instances run
once per report on a single merged schema (jsonschema); pair (cross-year) instances run once
over the profiles of the reports given with their previous year's. Outcomes per (report,
rule) are aggregated with numpy into one :class:`Evaluation`; findings are built only for
failures. Waivers, scores and results are :mod:`checker.run`'s (the pipeline).

Documents read from a file that could not be read whole carry a ``reading`` block. For those
few (and only those: the others cost nothing), :class:`_PartlyRead` makes every instance that
needs something printed in the source but not read ``not_assessable`` (reason ``unread``),
unless its outcome rests on what the document holds, and every equality of sums over a cell
split by that very arithmetic ``not_assessable`` (reason ``derived``). One mechanism for all
kinds: it knows the inputs of a frame instance from its frame columns, and of a JSON instance
from the paths it reads and requires.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from checker.compile import Compiled, applicability, format_mask, frame_failures
from checker.document import MISSING, cells, path_to_pointer, pointer_to_path, resolve
from checker.frame import UNREAD, build_frame, column_inputs, derived_pointers, status_col, unread_pointers
from checker.kinds.base import FrameCheck, JsonCheck, Payload
from checker.kinds.pair import PairCheck, Profile
from checker.loader import Instance
from checker.model import Finding, Rule, Severity, Text
from checker.scoring import FAIL, NA, NAPP, PASS

_SECTION_OF_TABLE = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}


class _Values(dict[str, Any]):
    """Message values that leave an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: dict[str, Any], lang: str) -> str:
    """Fill a message template; in English, ``x_en`` values replace ``x``."""
    vals = _Values(values)
    if lang == "en":
        for k, v in values.items():
            if k.endswith("_en"):
                vals[k[:-3]] = v
    return template.format_map(vals)


@lru_cache(maxsize=4096)
def section_of(pointer: str) -> str:
    """The report section a JSON Pointer belongs to (``meta`` for metadata)."""
    parts = pointer_to_path(pointer)
    if len(parts) >= 2 and parts[0] in ("sections", "tables"):
        return parts[1]
    return "meta"


def locate(doc: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The source-map entry for ``pointer``, else its first mapped descendant, else its nearest ancestor
    (one place: a part's ``text_lines``/``text_pages`` are left out)."""
    smap = doc.get("source_map")
    if not isinstance(smap, dict):
        return None
    if pointer in smap:
        return _place(smap[pointer])
    below = next((v for k, v in smap.items() if k.startswith(pointer + "/")), None)
    if below is not None:
        return _place(below)
    p = pointer.rsplit("/", 1)[0]
    while p:
        if p in smap:
            return _place(smap[p])
        p = p.rsplit("/", 1)[0]
    return None


def _place(entry: dict[str, Any]) -> dict[str, Any]:
    """A source-map entry (a location object: the report schema) as one place (without the per-line lists of a part)."""
    if isinstance(entry, dict) and ("text_lines" in entry or "text_pages" in entry):
        return {k: v for k, v in entry.items() if k not in ("text_lines", "text_pages")}
    return entry


@dataclass
class _RuleAcc:
    active: np.ndarray
    failed: np.ndarray
    not_assessable: np.ndarray
    unknown: np.ndarray
    unread: np.ndarray | None = None
    """Rows where an instance was left undecided because an input was not read (None: none)."""
    derived: np.ndarray | None = None
    """Rows where an instance was left undecided because an input cell was derived (None: none)."""
    own: dict[str, np.ndarray] | None = None
    """Rows where an instance was left undecided for a reason of its own (``FrameCheck.undecided``), by reason."""


Pair = tuple[Profile, Profile]
_AnyInstance = Instance[FrameCheck] | Instance[JsonCheck] | Instance[PairCheck]


def evaluate(docs: Sequence[dict[str, Any]], compiled: Compiled,
             pairs: Sequence[Pair | None] | None = None) -> Evaluation:
    """Decide every rule for every document: one :class:`Evaluation` (rows in the order of ``docs``).

    ``pairs`` gives, per document, the profiles of (this report, the same body's report of
    the previous year), or None; the cross-year rules are not applicable where it is None.
    Scores, waivers and results are :mod:`checker.run`'s.

    The cyclic garbage collector is paused during the pass: the pass allocates many small
    objects while the batch's documents are alive, and each collection would walk them all
    (with 100,000 reports in memory that costs more than the checks). Nothing it creates
    forms reference cycles.
    """
    with gc_paused():
        return _evaluate(list(docs), compiled, pairs)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (batch code that creates many acyclic objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _evaluate(docs: list[dict[str, Any]], compiled: Compiled, pairs: Sequence[Pair | None] | None) -> Evaluation:
    n = len(docs)
    rules = compiled.ruleset.rules
    acc = [_RuleAcc(np.zeros(n, int), np.zeros(n, int), np.zeros(n, int), np.zeros(n, bool)) for _ in rules]
    if n == 0:
        return _evaluation(docs, rules, acc, [])
    df = build_frame(docs)
    rule_pos = {r.id: j for j, r in enumerate(rules)}
    app_cache = {r.id: applicability(r, df) for r in rules}
    failures: list[tuple[int, _AnyInstance, list[Payload]]] = []

    def account(inst: _AnyInstance, assessable: np.ndarray, failed_rows: np.ndarray, scope: np.ndarray | bool = True,
                unread: np.ndarray | None = None, derived: np.ndarray | None = None,
                own: dict[str, np.ndarray] | None = None) -> np.ndarray:
        applies, unknown = app_cache[inst.rule.id]
        fmt = format_mask(inst, df) & scope
        active = applies & ~unknown & fmt
        a = acc[rule_pos[inst.rule.id]]
        a.active += active
        a.unknown |= unknown & fmt
        a.not_assessable += active & ~assessable
        failed = np.zeros(n, dtype=bool)
        failed[failed_rows] = True
        failed &= active & assessable
        a.failed += failed
        if unread is not None:
            a.unread = (active & unread) if a.unread is None else a.unread | (active & unread)
        if derived is not None:
            a.derived = (active & derived) if a.derived is None else a.derived | (active & derived)
        for reason, rows in (own or {}).items():
            a.own = a.own or {}
            a.own[reason] = (active & rows) | a.own.get(reason, False)
        return np.flatnonzero(failed)

    # The few documents that could not be read whole (a ``reading`` block): what their checks
    # could not see makes those checks not assessable. Nothing is done for the others.
    partly = _PartlyRead.of(docs, df)
    frame_fail = frame_failures(compiled.frame, df)
    for inst in compiled.frame_instances:
        assessable, failed_rows = frame_fail[inst.key]
        unread = derived = None
        if partly is not None:
            assessable, unread, derived = partly.frame(inst.check, assessable, failed_rows)
        rows = account(inst, assessable, failed_rows, unread=unread, derived=derived, own=inst.check.undecided(df) if isinstance(inst.check, FrameCheck) else None)
        if len(rows):
            for r, payloads in zip(rows, inst.check.details(df, rows, docs)):
                failures.append((int(r), inst, payloads))

    if compiled.json_instances:
        decidable = _decidability(docs, compiled.json_instances)
        for json_inst in compiled.json_instances:
            decided, failing = decidable[json_inst.key], compiled.plan.failing(json_inst, docs)
            unread, kept = None, dict[int, list[Payload]]()
            if partly is not None:
                decided, unread, kept = partly.json(json_inst.check, decided, failing)
            rows = account(json_inst, decided, np.flatnonzero(failing), unread=unread)
            for r in rows:
                payloads = kept.get(int(r)) or json_inst.check.describe(docs[r]) or [Payload("/")]
                failures.append((int(r), json_inst, payloads))

    present = [(r, p) for r, p in enumerate(pairs or ()) if p is not None]
    paired = np.array([r for r, _ in present], dtype=int)
    if compiled.pair_instances and len(paired):
        failures.extend(_pair_failures(compiled.pair_instances, [p for _, p in present], paired, n, account))
    return _evaluation(docs, rules, acc, failures)


def _pair_failures(instances: list[Instance[PairCheck]], pairs: list[Pair], rows: np.ndarray, n: int,
                   account: Any) -> list[tuple[int, Instance[PairCheck], list[Payload]]]:
    """Run the cross-year instances over the (this year, last year) profiles of ``rows``."""
    scope = np.zeros(n, dtype=bool)
    scope[rows] = True
    this, prev = [p[0] for p in pairs], [p[1] for p in pairs]
    position = {int(r): i for i, r in enumerate(rows)}
    out = []
    for inst in instances:
        ok, bad, values = inst.check.evaluate(this, prev)
        assessable = np.zeros(n, dtype=bool)
        assessable[rows] = ok
        for r in account(inst, assessable, rows[ok & bad], scope):
            i = position[int(r)]
            out.append((int(r), inst, [Payload(inst.check.pointer, {**values[i], "previous": prev[i].label})]))
    return out


class _PartlyRead:
    """What the checks of the documents with a ``reading`` block could not see.

    A thing absent from a document whose pointer is at or under one of its unread pointers was
    printed in the source but not read: it is never missing, and a check that needs it is not
    assessable (reason ``unread``), unless its outcome rests on what the document does hold
    (``FrameCheck.failure_stands`` / ``pass_stands``; a structure check still fails on the parts
    that are really absent). A check of a table's arithmetic (``uses_derived`` False) is not
    assessable where one of its cells was split by that arithmetic (reason ``derived``).

    Built only when some document has a reading block, over those documents alone (``rows``),
    as boolean matrices: cells read from the frame's ``UNREAD`` status, other places (sections,
    texts, tables, metadata, the paths of JSON checks) computed once per distinct unread list.
    """

    def __init__(self, docs: list[dict[str, Any]], df: Any, rows: np.ndarray) -> None:
        self.docs, self.rows, self.n = docs, rows, len(docs)
        self.unread = [tuple(unread_pointers(docs[r])) for r in rows]
        self.positions = {c.pointer: j for j, c in enumerate(cells())}
        self.cell_unread = df.iloc[rows][[status_col(c.id) for c in cells()]].to_numpy() == UNREAD
        self.cell_derived = np.zeros(self.cell_unread.shape, dtype=bool)
        for i, r in enumerate(rows.tolist()):
            for pointer in derived_pointers(docs[r]):
                if pointer in self.positions:
                    self.cell_derived[i, self.positions[pointer]] = True
        self.places: dict[tuple[str, bool], int] = {}  # (pointer, presence only) → column of ``place_unread``
        self.place_unread = np.zeros((len(rows), 0), dtype=bool)
        self._inputs: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def of(cls, docs: list[dict[str, Any]], df: Any) -> _PartlyRead | None:
        """The reading state of ``docs``, or None when none of them has a reading block."""
        rows = [r for r, d in enumerate(docs) if "reading" in d]
        return cls(docs, df, np.asarray(rows, dtype=np.intp)) if rows else None

    def _columns(self, places: list[tuple[str, bool]]) -> np.ndarray:
        """The columns of ``place_unread`` for these places (computed on first use)."""
        new = [p for p in dict.fromkeys(places) if p not in self.places]
        if new:
            block = np.zeros((len(self.rows), len(new)), dtype=bool)
            by_unread: dict[tuple[str, ...], tuple[list[bool], list[int]]] = {}
            for i, unread in enumerate(self.unread):
                if not unread:
                    continue
                found = by_unread.get(unread)
                if found is None:
                    found = by_unread[unread] = _relations(unread, new)
                always, if_absent = found
                block[i] = always
                for k in if_absent:  # a place the check reads the presence of, with something unread under it
                    block[i, k] = resolve(self.docs[self.rows[i]], pointer_to_path(new[k][0])) is MISSING
            for k, place in enumerate(new):
                self.places[place] = self.place_unread.shape[1] + k
            self.place_unread = np.concatenate([self.place_unread, block], axis=1)
        return np.asarray([self.places[p] for p in places], dtype=np.intp)

    def _unread_mask(self, cell_js: np.ndarray, place_ks: np.ndarray) -> np.ndarray:
        """Partly read documents (positions in ``rows``) where one of these cells or places was not read."""
        mask: np.ndarray = np.any(self.cell_unread[:, cell_js], axis=1) | np.any(self.place_unread[:, place_ks], axis=1)
        return mask

    def _full(self, mask: np.ndarray) -> np.ndarray | None:
        """A mask over the partly read documents as a mask over all documents (None when empty)."""
        if not mask.any():
            return None
        out = np.zeros(self.n, dtype=bool)
        out[self.rows[mask]] = True
        return out

    def frame(self, check: FrameCheck, assessable: np.ndarray,
              failed_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(assessable rows, rows left undecided as unread, rows left undecided as derived) of a frame instance."""
        found = self._inputs.get(id(check))
        if found is None:
            read_cells: set[int] = set()
            places: list[tuple[str, bool]] = []
            for column in check.columns:
                for pointer, presence in column_inputs(column):
                    if column[0] in "vs" and pointer in self.positions:
                        read_cells.add(self.positions[pointer])
                    else:
                        places.append((pointer, presence))
            found = self._inputs[id(check)] = (np.asarray(sorted(read_cells), dtype=np.intp), self._columns(places))
        cell_js, place_ks = found
        unread = self._unread_mask(cell_js, place_ks)
        derived = (self.cell_derived[:, cell_js].any(axis=1) if not check.uses_derived
                   else np.zeros(len(self.rows), dtype=bool))
        if not (unread.any() or derived.any()):
            return assessable, None, None
        failed = np.isin(self.rows, failed_rows)
        stands = assessable[self.rows] & np.where(failed, check.failure_stands, check.pass_stands)
        off_unread = unread & ~stands
        out = assessable.copy()
        out[self.rows[off_unread | derived]] = False
        return out, self._full(off_unread), self._full(derived & ~off_unread)

    def json(self, check: JsonCheck, decided: np.ndarray,
             failing: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, dict[int, list[Payload]]]:
        """(decidable rows, rows left undecided as unread, payloads of the failures that stand) of a
        JSON instance.

        A structure check (presence only) that fails keeps its findings about places that are
        really absent; any other JSON check reading or requiring an unread place is not assessable.
        """
        required = self._columns([(path_to_pointer(p), True) for p in check.requires])
        read = self._columns([(path_to_pointer(p), check.presence_only) for p in check.reads])
        # np.any, not .any(): numpy's stubs type ``ndarray.any(axis=1)`` as "a bool or an array".
        off = np.any(self.place_unread[:, required], axis=1)
        reads_unread = np.any(self.place_unread[:, read], axis=1) & ~off
        kept: dict[int, list[Payload]] = {}
        if check.presence_only:
            for i in np.flatnonzero(reads_unread & failing[self.rows] & decided[self.rows]).tolist():
                r = int(self.rows[i])
                payloads = [p for p in check.describe(self.docs[r]) if not self._affected(i, p.pointer)]
                if payloads:
                    kept[r] = payloads
                    reads_unread[i] = False
        off |= reads_unread
        if not off.any():
            return decided, None, kept
        out = decided.copy()
        out[self.rows[off]] = False
        return out, self._full(off), kept

    def _affected(self, i: int, pointer: str) -> bool:
        """Whether the place a finding points at (its presence) was not read in the ``i``-th partly read document."""
        return bool(self.place_unread[i, self._columns([(pointer, True)])[0]])


def _relations(unread: tuple[str, ...], places: list[tuple[str, bool]]) -> tuple[list[bool], list[int]]:
    """For one list of unread pointers and some places: which places are unread whatever the document
    holds (the value of something at or under an unread pointer, or with an unread part), and which
    are unread only when absent (a check of presence: a place that is there is there)."""
    always, if_absent = [], []
    for k, (pointer, presence) in enumerate(places):
        hit = any(u == pointer or pointer.startswith(u + "/") for u in unread)
        below = not hit and any(u.startswith(pointer + "/") for u in unread)
        always.append((hit or below) and not presence)
        if (hit or below) and presence:
            if_absent.append(k)
    return always, if_absent


def _decidability(docs: list[dict[str, Any]], instances: list[Instance[JsonCheck]]) -> dict[str, np.ndarray]:
    paths = {p for inst in instances for p in inst.check.requires}
    present = {p: np.array([(v := resolve(d, p)) is not MISSING and v is not None for d in docs]) for p in paths}
    out = {}
    for inst in instances:
        mask = np.ones(len(docs), dtype=bool)
        for p in inst.check.requires:
            mask &= present[p]
        out[inst.key] = mask
    return out


REASONS = ("", "inputs", "unread", "derived", "scope", "metadata")
"""Why a rule was not assessable for a report (``Evaluation.reasons`` indexes this; 0: it was decided or does not
apply): ``inputs`` (blank or missing values), ``unread`` (an input printed in the source but not read),
``derived`` (an equality over cells split by that very arithmetic), ``scope`` (a check's own reason), ``metadata``
(the agency's kind or level is unknown)."""


@dataclass(slots=True, eq=False)
class Evaluation:
    """What the engine decided for a batch of reports: per report × rule, as arrays (n reports × m rules).

    Not frozen: :func:`checker.waivers.waive` adjusts a fresh evaluation in place (waived failures, the
    outcomes of the waiver rules) before :mod:`checker.run` scores it.

    Attributes:
        rules: the rules, in column order.
        codes: outcome codes (``checker.scoring.CODES``; never ``WAIVED``: waivers come after the engine).
        checked: instances decided (passed or failed).
        failed: instances failed.
        not_assessable: instances left undecided.
        reasons: for a not assessable rule, an index into :data:`REASONS`; 0 elsewhere.
        escalated: where a rule's failures reached its ``escalate_at`` (it counts as an error there).
        findings: per report, the findings of its failed instances (severity escalated where due).
    """

    rules: tuple[Rule, ...]
    codes: np.ndarray
    checked: np.ndarray
    failed: np.ndarray
    not_assessable: np.ndarray
    reasons: np.ndarray
    escalated: np.ndarray
    findings: list[list[Finding]]


def _evaluation(docs: list[dict[str, Any]], rules: tuple[Rule, ...], acc: list[_RuleAcc],
                failures: list[tuple[int, _AnyInstance, list[Payload]]]) -> Evaluation:
    n, m = len(docs), len(rules)
    codes = np.full((n, m), NAPP, dtype=np.int8)
    reasons = np.zeros((n, m), dtype=np.int8)
    escalated = np.zeros((n, m), dtype=bool)
    inputs, unread, derived, metadata = (REASONS.index(k) for k in ("inputs", "unread", "derived", "metadata"))
    for j, (rule, a) in enumerate(zip(rules, acc)):
        codes[:, j] = np.select(
            [a.failed > 0, a.unknown, a.active == 0, a.not_assessable > 0],
            [FAIL, NA, NAPP, NA], default=PASS)
        if rule.escalate_at:
            escalated[:, j] = a.failed >= rule.escalate_at
        # Not assessable for a reason of reading: unread wins over derived (only rows of partly read reports);
        # then a check's own reason (scope …); else its inputs were blank or missing.
        why = np.full(n, inputs, dtype=np.int8)
        for reason, rows in (a.own or {}).items():
            why[rows] = REASONS.index(reason)
        if a.derived is not None:
            why[a.derived] = derived
        if a.unread is not None:
            why[a.unread] = unread
        reasons[:, j] = np.where(codes[:, j] == NA, np.where(a.unknown, metadata, why), 0)
    checked = np.stack([a.active - a.not_assessable for a in acc], axis=1) if m else np.zeros((n, 0), int)
    failed = np.stack([a.failed for a in acc], axis=1) if m else np.zeros((n, 0), int)
    na = np.stack([a.not_assessable for a in acc], axis=1) if m else np.zeros((n, 0), int)

    position = {rule.id: j for j, rule in enumerate(rules)}
    per_report: list[list[Finding]] = [[] for _ in range(n)]
    for r, inst, payloads in failures:
        sev = Severity.ERROR if escalated[r, position[inst.rule.id]] else inst.rule.severity
        for p in payloads:
            per_report[r].append(_finding(docs[r], inst, sev, p))
    return Evaluation(rules, codes, checked, failed, na, reasons, escalated, per_report)


def _finding(doc: dict[str, Any], inst: _AnyInstance, severity: Severity, payload: Payload) -> Finding:
    values = dict(payload.values)
    for var, key in inst.bindings.items():
        values.setdefault(var, key)
        zh, en = inst.var_labels.get(var, (key, key))
        values.setdefault(var + "_label", zh)
        values.setdefault(var + "_label_en", en)
    values.setdefault("agency", (doc.get("agency") or {}).get("name", ""))
    values.setdefault("year", doc.get("year"))
    rule = inst.rule
    message = Text(render(rule.message.zh, values, "zh"), render(rule.message.en, values, "en"))
    related = tuple({"pointer": r["pointer"], "location": r.get("location") or locate(doc, r["pointer"])}
                    for r in payload.related)
    return Finding(rule.id, rule.name, severity, rule.category, message, payload.pointer,
                   section_of(payload.pointer), locate(doc, payload.pointer),
                   {k: v for k, v in values.items() if not k.endswith("_en")}, related=related,
                   basis=rule.basis_for(doc.get("year"), doc.get("format")) if rule.basis_2019 else None)
