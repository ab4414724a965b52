"""The engine: run a compiled rule set over many report documents in one vectorized pass.

Frame instances run once over the cell frame of all reports (pandera); JSON instances run
once per report on a single merged schema (jsonschema); pair (cross-year) instances run once
over the profiles of the reports given with their previous year's. Outcomes per (report,
rule) are aggregated with numpy; findings are built only for failures.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Sequence

import numpy as np

from checker.compile import Compiled, applicability, format_mask, frame_failures
from checker.document import MISSING, pointer_to_path, resolve
from checker.frame import build_frame
from checker.kinds.base import Payload
from checker.kinds.pair import Profile
from checker.loader import Instance
from checker.model import Finding, ReportResult, Rule, RuleOutcome, Severity, Text
from checker.scoring import CODES, FACTOR, FAIL, NA, NAPP, PASS, score_matrix

_SECTION_OF_TABLE = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}


class _Values(dict):  # type: ignore[type-arg]
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


def locate(doc: dict[str, Any], pointer: str) -> dict[str, int] | None:
    """The source-map entry for ``pointer``, else its first mapped descendant, else its nearest ancestor."""
    smap = doc.get("source_map")
    if not isinstance(smap, dict):
        return None
    if pointer in smap:
        return smap[pointer]
    below = next((v for k, v in smap.items() if k.startswith(pointer + "/")), None)
    if below is not None:
        return below
    p = pointer.rsplit("/", 1)[0]
    while p:
        if p in smap:
            return smap[p]
        p = p.rsplit("/", 1)[0]
    return None


@dataclass
class _RuleAcc:
    active: np.ndarray
    failed: np.ndarray
    not_assessable: np.ndarray
    unknown: np.ndarray


Pair = tuple[Profile, Profile]


def run(docs: Sequence[dict[str, Any]], compiled: Compiled, sources: Sequence[str] | None = None,
        pairs: Sequence[Pair | None] | None = None) -> list[ReportResult]:
    """Check every document; one :class:`ReportResult` per document, in order.

    ``pairs`` gives, per document, the profiles of (this report, the same body's report of
    the previous year), or None; the cross-year rules are not applicable where it is None.

    The cyclic garbage collector is paused during the pass: the pass allocates many small
    objects while the batch's documents are alive, and each collection would walk them all
    (with 100,000 reports in memory that costs more than the checks). Nothing it creates
    forms reference cycles.
    """
    with gc_paused():
        return _run(docs, compiled, sources, pairs)


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


def _run(docs: Sequence[dict[str, Any]], compiled: Compiled, sources: Sequence[str] | None,
         pairs: Sequence[Pair | None] | None) -> list[ReportResult]:
    docs = list(docs)
    n = len(docs)
    if n == 0:
        return []
    sources = list(sources) if sources is not None else [""] * n
    df = build_frame(docs)
    rules = compiled.ruleset.rules
    rule_pos = {r.id: j for j, r in enumerate(rules)}
    acc = [_RuleAcc(np.zeros(n, int), np.zeros(n, int), np.zeros(n, int), np.zeros(n, bool)) for _ in rules]
    app_cache = {r.id: applicability(r, df) for r in rules}
    failures: list[tuple[int, Instance, list[Payload]]] = []

    def account(inst: Instance, assessable: np.ndarray, failed_rows: np.ndarray,
                scope: np.ndarray | bool = True) -> np.ndarray:
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
        return np.flatnonzero(failed)

    frame_fail = frame_failures(compiled.frame, df)
    for inst in compiled.frame_instances:
        rows = account(inst, compiled.frame.assessable[inst.key], frame_fail.get(inst.key, np.array([], dtype=int)))
        if len(rows):
            for r, payloads in zip(rows, inst.check.details(df, rows, docs)):
                failures.append((int(r), inst, payloads))

    if compiled.json_instances:
        decidable = _decidability(docs, compiled.json_instances)
        for inst in compiled.json_instances:
            rows = account(inst, decidable[inst.key], np.flatnonzero(compiled.plan.failing(inst, docs)))
            for r in rows:
                failures.append((int(r), inst, inst.check.describe(docs[r]) or [Payload("/")]))

    paired = np.array([r for r, p in enumerate(pairs or ()) if p is not None], dtype=int)
    if compiled.pair_instances and len(paired):
        failures.extend(_pair_failures(compiled.pair_instances, [pairs[r] for r in paired], paired, n,  # type: ignore
                                       account))
    return _results(docs, sources, rules, acc, failures)


def _pair_failures(instances: list[Instance], pairs: list[Pair], rows: np.ndarray, n: int,
                   account: Any) -> list[tuple[int, Instance, list[Payload]]]:
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


def _decidability(docs: list[dict[str, Any]], instances: list[Instance]) -> dict[str, np.ndarray]:
    paths = {p for inst in instances for p in inst.check.requires}
    present = {p: np.array([(v := resolve(d, p)) is not MISSING and v is not None for d in docs]) for p in paths}
    out = {}
    for inst in instances:
        mask = np.ones(len(docs), dtype=bool)
        for p in inst.check.requires:
            mask &= present[p]
        out[inst.key] = mask
    return out


def _results(docs: list[dict[str, Any]], sources: list[str], rules: tuple[Rule, ...], acc: list[_RuleAcc],
             failures: list[tuple[int, Instance, list[Payload]]]) -> list[ReportResult]:
    n, m = len(docs), len(rules)
    codes = np.full((n, m), NAPP, dtype=np.int8)
    for j, a in enumerate(acc):
        codes[:, j] = np.select(
            [a.failed > 0, a.unknown, a.active == 0, a.not_assessable > 0],
            [FAIL, NA, NAPP, NA], default=PASS)
    severity = np.array([[FACTOR[r.severity] * r.weight for r in rules]] * n, dtype=float).reshape(n, m)
    escalated = np.zeros((n, m), dtype=bool)
    for j, r in enumerate(rules):
        if r.escalate_at:
            escalated[:, j] = acc[j].failed >= r.escalate_at
    points = np.where(escalated, np.array([FACTOR[Severity.ERROR] * r.weight for r in rules]), severity)
    is_error = np.array([r.severity is Severity.ERROR for r in rules])
    error_fail = ((codes == FAIL) & (is_error | escalated)).any(axis=1)
    scores = score_matrix(codes, points, [r.category for r in rules], error_fail)

    position = {rule.id: j for j, rule in enumerate(rules)}
    per_report: list[list[Finding]] = [[] for _ in range(n)]
    for r, inst, payloads in failures:
        sev = Severity.ERROR if escalated[r, position[inst.rule.id]] else inst.rule.severity
        for p in payloads:
            per_report[r].append(_finding(docs[r], inst, sev, p))
    out = []
    for r, doc in enumerate(docs):
        agency = doc.get("agency") or {}
        findings = tuple(sorted(per_report[r], key=lambda f: (-f.severity.rank, f.rule_id)))
        out.append(ReportResult(
            source=sources[r], agency=agency.get("name", ""), year=doc.get("year"), format=doc.get("format"),
            agency_kind=agency.get("kind"), agency_level=agency.get("level"), published=doc.get("published"),
            outcomes=_LazyOutcomes(rules, codes[r], acc, r), findings=findings, score=scores[r]))
    return out


class _LazyOutcomes:
    """The per-rule outcomes of one report, built on first use.

    A batch of 100,000 reports rarely needs them all; the numbers stay in the batch arrays.
    """

    __slots__ = ("_rules", "_codes", "_acc", "_row", "_items")

    def __init__(self, rules: tuple[Rule, ...], codes: np.ndarray, acc: list[_RuleAcc], row: int) -> None:
        self._rules, self._codes, self._acc, self._row = rules, codes, acc, row
        self._items: tuple[RuleOutcome, ...] | None = None

    def _build(self) -> tuple[RuleOutcome, ...]:
        if self._items is None:
            r, items = self._row, []
            for j, rule in enumerate(self._rules):
                a = self._acc[j]
                code = int(self._codes[j])
                reason = ("metadata" if a.unknown[r] else "inputs") if code == NA else ""
                items.append(RuleOutcome(rule.id, CODES[code], int(a.active[r] - a.not_assessable[r]),
                                         int(a.failed[r]), int(a.not_assessable[r]), reason))
            self._items = tuple(items)
        return self._items

    def __getitem__(self, index: Any) -> Any:
        return self._build()[index]

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[RuleOutcome]:
        return iter(self._build())

    def __eq__(self, other: object) -> bool:
        return tuple(self._build()) == tuple(other) if isinstance(other, (tuple, list, _LazyOutcomes)) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._build())


def _finding(doc: dict[str, Any], inst: Instance, severity: Severity, payload: Payload) -> Finding:
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
                   {k: v for k, v in values.items() if not k.endswith("_en")}, related=related)
