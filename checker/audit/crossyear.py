"""Cross-year rules: checks that need this year's report *and* the same body's previous report.

Two pure-function check kinds (engine ``pair``; the single-report engine leaves their rules
``not_applicable``):

* ``yoy_compare`` — ``sum(left) op sum(right)`` over cells of both years. A term is a cell
  id of this year's report, ``previous:<cell id>`` for last year's, with a leading ``-`` to
  subtract (e.g. 上年结转 = last year's 结转下年度继续办理).
* ``text_reuse`` — the share of this year's narrative (selected sections) whose clauses
  appear word for word in last year's report, digits ignored; fails above ``threshold``.

Each report is reduced to a small :class:`Profile` (the cells the pair rules read and one
hash per narrative clause), so pairs are evaluated from profiles kept in the audit
database without holding documents in memory. :func:`evaluate` runs every pair instance
over many pairs at once with numpy; :func:`merge` folds the outcomes into a
:class:`~checker.model.ReportResult` (outcomes, findings, score).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from checker.document import cell_index
from checker.model import Finding, Outcome, ReportResult, RuleOutcome, Severity, Text

if TYPE_CHECKING:
    from checker.compile import Compiled
    from checker.loader import Instance, RuleSet

PAIR = "pair"
PREVIOUS = "previous:"
NARRATIVE = ("overview", "proactive", "requests", "appeals", "problems", "other")
CLAUSE_DTYPE = np.dtype([("hash", "<u4"), ("length", "<u2"), ("section", "u1")])
_SPLIT = re.compile(r"[。！？；;!?\n，,：:、]+")
_NOISE = re.compile(r"[\s0-9０-９.．%％\"“”'‘’（）()《》〈〉【】\[\]「」—\-－·…]+")
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


class YoyCompare:
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


class TextReuse:
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
        """(assessable, failed, message values) for each pair."""
        n = len(this)
        ok, failed, values = np.zeros(n, bool), np.zeros(n, bool), []
        for i, (a, b) in enumerate(zip(this, prev)):
            mine = a.clauses[np.isin(a.clauses["section"], self.codes)]
            total = int(mine["length"].sum())
            ok[i] = total >= self.min_chars
            repeated = int(mine["length"][np.isin(mine["hash"], b.clauses["hash"])].sum())
            share = repeated / total if total else 0.0
            failed[i] = ok[i] and share > self.threshold
            values.append({"share": round(100 * share, 1), "repeated": repeated, "total": total,
                           "threshold": round(100 * self.threshold)} if failed[i] else {})
        return ok, failed, values


@dataclass(frozen=True, slots=True)
class Profile:
    """What the pair rules read from one report.

    Attributes:
        cells: numbers of the cells the pair rules read (cells that are blank, text or
            absent are left out: not assessable).
        clauses: one row per narrative clause: CRC-32 of the normalised clause, its length in
            characters, and the index of its section in :data:`NARRATIVE`.
        meta: format, year, agency kind and level (for ``applies_to``), and a label of the
            report (agency and year) quoted in messages.
    """

    cells: dict[str, float]
    clauses: np.ndarray
    meta: dict[str, Any]


def pair_instances(ruleset: RuleSet) -> list[Instance]:
    """The instances of ``ruleset`` whose kind needs two reports."""
    return [i for i in ruleset.instances if i.engine == PAIR]


def profile(doc: dict[str, Any], instances: Sequence[Instance]) -> Profile:
    """The profile of one (schema-valid) report document for these pair instances."""
    wanted = {c for inst in instances for c in getattr(inst.check, "cells", [])}
    cells: dict[str, float] = {}
    index = cell_index()
    for cid in wanted:
        node: Any = doc
        for key in index[cid].path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            cells[cid] = float(node)
    agency = doc.get("agency") or {}
    meta = {"format": doc.get("format"), "year": doc.get("year"), "kind": agency.get("kind"),
            "level": agency.get("level"), "label": f"{agency.get('name', '')}{doc.get('year', '')}年度报告"}
    return Profile(cells, clauses(doc), meta)


def clauses(doc: dict[str, Any]) -> np.ndarray:
    """Hashes of the narrative clauses of ``doc``: split at punctuation, digits and spaces dropped."""
    rows: list[tuple[int, int, int]] = []
    sections = doc.get("sections") or {}
    for code, name in enumerate(NARRATIVE):
        sec = sections.get(name)
        text = sec.get("text") if isinstance(sec, dict) else None
        if not isinstance(text, str) or not text:
            continue
        for piece in _SPLIT.split(unicodedata.normalize("NFKC", text)):
            clause = _NOISE.sub("", piece)
            if len(clause) >= _MIN_CLAUSE:
                rows.append((zlib.crc32(clause.encode("utf-8")), min(len(clause), 65535), code))
    return np.array(rows, dtype=CLAUSE_DTYPE)


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


def _applies(inst: Instance, meta: dict[str, Any]) -> bool:
    """Whether the instance applies to this year's report (None when its metadata is unknown)."""
    spec = inst.rule.applies_to
    if meta.get("format") not in inst.formats:
        return False
    year = meta.get("year")
    if isinstance(year, int) and (year < spec.get("year_min", year) or year > spec.get("year_max", year)):
        return False
    for key, field in (("kinds", "kind"), ("levels", "level")):
        if key in spec and meta.get(field) is not None and meta[field] not in spec[key]:
            return False
    return True


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """The cross-year outcomes of one report: per pair rule (outcome, checked, failed, not assessable), and findings."""

    outcomes: dict[str, tuple[Outcome, int, int, int]]
    findings: tuple[tuple[Instance, dict[str, Any]], ...]


def evaluate(instances: Sequence[Instance], this: Sequence[Profile], prev: Sequence[Profile]) -> list[PairOutcome]:
    """Run every pair instance over all (this year, last year) pairs at once."""
    n = len(this)
    if n == 0:
        return []
    state: list[dict[str, list[int]]] = [{} for _ in range(n)]
    found: list[list[tuple[Instance, dict[str, Any]]]] = [[] for _ in range(n)]
    for inst in instances:
        active = np.array([_applies(inst, p.meta) for p in this], dtype=bool)
        ok, failed, values = inst.check.evaluate(this, prev)
        for i in range(n):
            acc = state[i].setdefault(inst.rule.id, [0, 0, 0])
            if not active[i]:
                continue
            acc[0] += 1
            if not ok[i]:
                acc[2] += 1
            elif failed[i]:
                acc[1] += 1
                found[i].append((inst, {**values[i], "previous": prev[i].meta["label"], **inst.bindings}))
    out = []
    for i in range(n):
        outcomes = {}
        for rule_id, (active_n, failed_n, na_n) in state[i].items():
            if failed_n:
                o = Outcome.FAIL
            elif active_n == 0:
                o = Outcome.NOT_APPLICABLE
            elif na_n:
                o = Outcome.NOT_ASSESSABLE
            else:
                o = Outcome.PASS
            outcomes[rule_id] = (o, active_n - na_n, failed_n, na_n)
        out.append(PairOutcome(outcomes, tuple(found[i])))
    return out


def merge(result: ReportResult, pair: PairOutcome, doc: dict[str, Any], ruleset: RuleSet) -> ReportResult:
    """``result`` with the cross-year outcomes and findings folded in and the score recomputed."""
    from checker.engine import locate, render, section_of
    from checker.scoring import score

    outcomes = []
    for o in result.outcomes:
        if o.rule_id in pair.outcomes:
            outcome, checked, failed, na = pair.outcomes[o.rule_id]
            reason = "inputs" if outcome is Outcome.NOT_ASSESSABLE else ""
            o = RuleOutcome(o.rule_id, outcome, checked, failed, na, reason)
        outcomes.append(o)
    findings = list(result.findings)
    for inst, values in pair.findings:
        rule = inst.rule
        vals = dict(values)
        for var, key in inst.bindings.items():
            zh, en = inst.var_labels.get(var, (key, key))
            vals.setdefault(var + "_label", zh)
            vals.setdefault(var + "_label_en", en)
        vals.setdefault("agency", result.agency)
        vals.setdefault("year", result.year)
        pointer = inst.check.pointer
        message = Text(render(rule.message.zh, vals, "zh"), render(rule.message.en, vals, "en"))
        findings.append(Finding(rule.id, rule.name, rule.severity, rule.category, message, pointer,
                                section_of(pointer), locate(doc, pointer),
                                {k: v for k, v in vals.items() if not k.endswith("_en")}))
    findings.sort(key=lambda f: (-f.severity.rank, f.rule_id))
    rules = ruleset.by_id
    new_score = score([(rules[o.rule_id].category, _effective(rules[o.rule_id], o), rules[o.rule_id].weight,
                        o.outcome) for o in outcomes])
    return replace(result, outcomes=tuple(outcomes), findings=tuple(findings), score=new_score)


def _effective(rule: Any, outcome: RuleOutcome) -> Severity:
    if rule.escalate_at and outcome.failed >= rule.escalate_at:
        return Severity.ERROR
    return rule.severity


def check_with_previous(doc: dict[str, Any], previous: dict[str, Any], compiled: Compiled | None = None,
                        source: str = "") -> ReportResult:
    """Check one report and run the cross-year rules against the same body's previous report.

    Both documents are validated against the report schema. This is what
    ``gkcheck check REPORT --previous LAST_YEAR_REPORT`` runs.

    Args:
        doc: this year's report document.
        previous: last year's report document of the same body.
        compiled: the compiled rule set (bundled rules by default).
        source: the file name shown in the result.

    Returns:
        The result, with the cross-year rules decided instead of ``not_applicable``.
    """
    from checker.api import check, compiled_ruleset
    from checker.document import validate_document

    compiled = compiled or compiled_ruleset()
    validate_document(previous)
    result = check(doc, compiled, source)
    instances = pair_instances(compiled.ruleset)
    if not instances:
        return result
    [pair] = evaluate(instances, [profile(doc, instances)], [profile(previous, instances)])
    return merge(result, pair, doc, compiled.ruleset)
