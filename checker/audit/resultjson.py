"""The per-report result JSON of an audit, serialised fast (the same JSON value as ``result_to_dict``).

``json.dumps(result_to_dict(result, ctx))`` costs about half of a worker's checking time in a
batch: it materialises ~58 ``RuleOutcome`` objects and as many dicts per report.
:class:`ResultJson` writes the same JSON value (compact UTF-8, by orjson) with:

* the head (source, report, passed, score) from ``result_head``, as ``result_to_dict`` writes it;
* the outcomes from the run's outcome table (:class:`checker.run.OutcomeTable`, when the outcomes
  are a row of it), each rule's outcome JSON fragment cached by its values;
* the findings from ``Finding.to_dict`` with their rule's title, basis and fix (cached per rule).

``tests/audit/test_result_json.py`` checks the value equals ``result_to_dict``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson

from checker.engine import REASONS
from checker.model import Finding, ReportResult, RuleOutcome
from checker.render.context import RenderContext
from checker.render.json_out import OUTCOME_KEYS, result_head
from checker.run import SEVERITIES, OutcomeRow, OutcomeTable
from checker.scoring import CODES


def _plain_value(value: Any) -> Any:
    """What orjson cannot write itself: numpy scalars as Python numbers, anything else as text."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


class ResultJson:
    """Serialises report results of one rule set, language and policy (one per chunk or process)."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self._fragments: dict[tuple[Any, ...], bytes] = {}
        self._rule_extra: dict[tuple[str, Any], dict[str, Any]] = {}
        self._table: OutcomeTable | None = None
        self._whole = np.zeros((0, 0), dtype=np.int64)
        self._ids: list[str] = []
        self._rows: dict[bytes, bytes] = {}

    def dumps(self, result: ReportResult) -> bytes:
        """``result_to_dict(result, ctx)`` as compact UTF-8 JSON."""
        head = result_head(result, self.ctx)
        head["outcomes"] = orjson.Fragment(b"[" + self._outcomes(result.outcomes) + b"]")
        head["findings"] = [self._finding(f) for f in result.findings]
        return orjson.dumps(head, default=_plain_value)

    # outcomes

    def _outcomes(self, outcomes: Sequence[RuleOutcome]) -> bytes:
        if isinstance(outcomes, OutcomeRow):
            return self._row(outcomes.table, outcomes.position)
        return b",".join(self._fragment(o.rule_id, o.outcome.value, o.checked, o.failed, o.not_assessable,
                                        o.severity.value, o.points, o.reason) for o in outcomes)

    def _fragment(self, *key: Any) -> bytes:
        """One outcome's JSON (cached by its values: a batch repeats few)."""
        s = self._fragments.get(key)
        if s is None:
            s = self._fragments[key] = orjson.dumps(dict(zip(OUTCOME_KEYS, key)))
        return s

    def _row(self, table: OutcomeTable, r: int) -> bytes:
        """The outcomes of report ``r`` straight from the run's outcome table."""
        if self._table is not table:
            self._table, self._rows = table, {}
            self._whole = np.concatenate([table.codes, table.checked, table.failed, table.not_assessable,
                                          table.reasons, table.severity], axis=1).astype(np.int64)
            self._ids = [rule.id for rule in table.rules]
        row_key = self._whole[r].tobytes() + table.points[r].tobytes()  # many reports share every outcome
        cached = self._rows.get(row_key)
        if cached is None:
            rows = zip(self._ids, table.codes[r].tolist(), table.checked[r].tolist(), table.failed[r].tolist(),
                       table.not_assessable[r].tolist(), table.severity[r].tolist(), table.points[r].tolist(),
                       table.reasons[r].tolist())
            cached = self._rows[row_key] = b",".join(
                self._fragment(rule_id, CODES[code].value, c, f, n, SEVERITIES[sev].value, p, REASONS[why])
                for rule_id, code, c, f, n, sev, p, why in rows)
        return cached

    # findings

    def _finding(self, f: Finding) -> dict[str, Any]:
        lang = self.ctx.lang
        key = (f.rule_id, f.basis)  # the basis chosen for the report, when the rule has one per format
        extra = self._rule_extra.get(key)
        if extra is None:
            rule = self.ctx.rule(f.rule_id)
            extra = {"title": rule.title.get(lang), "basis": self.ctx.basis(f), "fix": rule.doc.fix.get(lang),
                     "unverified": rule.unverified}
            self._rule_extra[key] = extra
        d = f.to_dict(lang)
        d.update(extra)
        return d
