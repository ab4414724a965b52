"""The run pipeline: from report documents to one :class:`Run`, the results every output reads.

The steps, once each, in this order (``gkcheck check``, ``gkcheck audit``, ``gkcheck serve`` and the
library API all come through :func:`check_documents`):

1. **configure** (before this module): :func:`checker.config.configured_ruleset` compiles the rule
   files under the configuration (selection, severities, escalation, local deadlines) and resolves
   its waivers: a :class:`Configured`;
2. **ingest** (before this module): :mod:`checker.ingest` reads each file into a report document;
3. **evaluate**: :func:`checker.engine.evaluate` decides every rule for every report
   (outcome codes, instance counts, reasons, escalation, findings) as arrays;
4. **waive**: :func:`checker.waivers.waive` turns the waived failures into ``waived`` and decides the
   waiver rules (GK-W-001/002);
5. **score**: each rule's effective severity and points per report (weight × severity factor, an
   escalated rule counting as an error), then :func:`checker.scoring.score_matrix` — the only place
   a score is computed;
6. **results**: one :class:`ReportResult` per report whose ``outcomes`` are rows of the run's
   :class:`OutcomeTable` (rule, outcome, counts, effective severity, points, reason).

A :class:`Run` holds the results, the outcome table, the run-level notices (waivers covering no
report) and the flat findings table; renderers, the audit's store and its result JSON read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

import numpy as np

from checker.compile import Compiled
from checker.engine import REASONS, Evaluation, Pair, evaluate
from checker.loader import RuleSet
from checker.model import Finding, ReportResult, Rule, RuleOutcome, Severity
from checker.notices import reading_notices
from checker.scoring import CODES, FACTOR, FAIL, score_matrix
from checker.stability import decide_publication
from checker.waivers import Waiver, waive

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
"""The order of :attr:`OutcomeTable.severity`'s codes."""


class Configured(NamedTuple):
    """A compiled rule set under a configuration, and the configuration's waivers
    (:func:`checker.config.configured_ruleset`)."""

    compiled: Compiled
    waivers: tuple[Waiver, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class OutcomeTable:
    """Every report × rule of a run as arrays (n reports × m rules), read-only.

    Attributes:
        rules: the rules, in column order.
        codes: outcome codes (:data:`checker.scoring.CODES`).
        checked, failed, not_assessable: instance counts.
        reasons: why a not assessable rule was not decided (an index into :data:`checker.engine.REASONS`).
        severity: the effective severity (an index into :data:`SEVERITIES`).
        points: what a decided rule counts in the score (weight × the factor of its effective severity).
    """

    rules: tuple[Rule, ...]
    codes: np.ndarray
    checked: np.ndarray
    failed: np.ndarray
    not_assessable: np.ndarray
    reasons: np.ndarray
    severity: np.ndarray
    points: np.ndarray

    def __post_init__(self) -> None:
        for name in ("codes", "checked", "failed", "not_assessable", "reasons", "severity", "points"):
            getattr(self, name).flags.writeable = False

    def row(self, r: int) -> OutcomeRow:
        """The outcomes of the ``r``-th report."""
        return OutcomeRow(self, r)

    def outcome(self, r: int, j: int) -> RuleOutcome:
        """The outcome of rule ``j`` for report ``r``."""
        return RuleOutcome(self.rules[j].id, CODES[int(self.codes[r, j])], int(self.checked[r, j]),
                           int(self.failed[r, j]), int(self.not_assessable[r, j]),
                           SEVERITIES[int(self.severity[r, j])], float(self.points[r, j]),
                           REASONS[int(self.reasons[r, j])])


class OutcomeRow(Sequence[RuleOutcome]):
    """The per-rule outcomes of one report: a row of the run's :class:`OutcomeTable`, built on first use
    (a batch of 100,000 reports rarely needs them as objects; ``table`` and ``position`` give the arrays)."""

    __slots__ = ("table", "position", "_items")

    def __init__(self, table: OutcomeTable, position: int) -> None:
        self.table, self.position = table, position
        self._items: tuple[RuleOutcome, ...] | None = None

    def _build(self) -> tuple[RuleOutcome, ...]:
        if self._items is None:
            self._items = tuple(self.table.outcome(self.position, j) for j in range(len(self.table.rules)))
        return self._items

    @overload
    def __getitem__(self, index: int) -> RuleOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RuleOutcome, ...]: ...

    def __getitem__(self, index: int | slice) -> RuleOutcome | tuple[RuleOutcome, ...]:
        return self._build()[index]

    def __len__(self) -> int:
        return len(self.table.rules)

    def __iter__(self) -> Iterator[RuleOutcome]:
        return iter(self._build())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, OutcomeRow)):
            return self._build() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a tuple of outcomes, but not hashable

    def __repr__(self) -> str:
        return repr(self._build())


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One row of a run's flat findings table: the report (its position in :attr:`Run.results`) and a finding."""

    report: int
    result: ReportResult
    finding: Finding


@dataclass(frozen=True, slots=True, eq=False)
class Run:
    """What one run decided: every output reads this.

    Attributes:
        ruleset: the rules that ran (under the configuration).
        results: one per report, in input order.
        table: every report × rule (outcome, counts, effective severity, points, reason).
        notices: run-level findings (waivers that cover no report of this run).
        documents: the checked report documents, in the order of ``results``.
    """

    ruleset: RuleSet
    results: tuple[ReportResult, ...]
    table: OutcomeTable
    notices: tuple[Finding, ...] = ()
    documents: tuple[dict[str, Any], ...] = field(default=())

    def findings(self) -> list[FindingRow]:
        """Every finding of the run, report by report (the flat findings table)."""
        return [FindingRow(r, result, f) for r, result in enumerate(self.results) for f in result.findings]


def check_documents(docs: Sequence[dict[str, Any]], configured: Configured | Compiled,
                    sources: Sequence[str] | None = None, pairs: Sequence[Pair | None] | None = None,
                    *, today: dt.date | None = None,
                    publications: Sequence[dict[str, Any] | None] | None = None) -> Run:
    """Run the pipeline over valid report documents (already schema-valid): evaluate, waive, score, once.

    Args:
        docs: the report documents.
        configured: the rule set under its configuration, with its waivers (a bare :class:`Compiled`: none).
        sources: per document, the name its result carries (default: "").
        pairs: per document, the cross-year profiles of (it, its previous-year report), or None.
        today: the date waivers' expiry is judged against (default: today).
        publications: per report fetched from the web, its publication record (the versions the audit
            stored: :func:`checker.stability.publication_record`), None for the others: rule GK-P-001.
    """
    if isinstance(configured, Compiled):
        configured = Configured(configured)
    ruleset = configured.compiled.ruleset
    docs = list(docs)
    sources = list(sources) if sources is not None else [""] * len(docs)
    evaluation = evaluate(docs, configured.compiled, pairs)
    if publications is not None and any(p is not None for p in publications):
        decide_publication(evaluation, publications, ruleset)  # GK-P-001, before waivers (it can be waived)
    agencies = [str((doc.get("agency") or {}).get("name", "")) for doc in docs]
    notices: list[Finding] = []
    if configured.waivers:
        notices = waive(evaluation, list(zip(sources, agencies)), configured.waivers, today or dt.date.today(),
                        ruleset)
    table = _scored_table(evaluation)
    scores = score_matrix(table.codes, table.points, [r.category for r in table.rules],
                          ((table.codes == FAIL) & (table.severity == 0)).any(axis=1))
    results = []
    for r, doc in enumerate(docs):
        agency = doc.get("agency") or {}
        findings = tuple(sorted(evaluation.findings[r], key=lambda f: (-f.severity.rank, f.rule_id)))
        results.append(ReportResult(
            source=sources[r], agency=agencies[r], year=doc.get("year"), format=doc.get("format"),
            agency_kind=agency.get("kind"), agency_level=agency.get("level"), published=doc.get("published"),
            outcomes=table.row(r), findings=findings, score=scores[r],
            notices=reading_notices(doc) if "reading" in doc else (),
            fetched=(doc.get("source") or {}).get("fetched")))
    return Run(ruleset, tuple(results), table, tuple(notices), tuple(docs))


def _scored_table(evaluation: Evaluation) -> OutcomeTable:
    """The evaluation with each rule's effective severity and points per report."""
    rules = evaluation.rules
    base = np.array([SEVERITIES.index(r.severity) for r in rules], dtype=np.int8)
    severity = np.where(evaluation.escalated, np.int8(0), base[np.newaxis, :]).astype(np.int8)
    weights = np.array([float(r.weight) for r in rules])
    factors = np.array([FACTOR[s] for s in SEVERITIES])
    points = weights[np.newaxis, :] * factors[severity]
    return OutcomeTable(rules, evaluation.codes, evaluation.checked, evaluation.failed, evaluation.not_assessable,
                        evaluation.reasons, severity, points)
