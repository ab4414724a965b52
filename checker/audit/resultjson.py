"""The per-report result JSON of an audit, serialised fast (the same JSON value as ``result_to_dict``).

``json.dumps(result_to_dict(result, ctx))`` costs about half of a worker's checking time in a
batch: it materialises ~58 ``RuleOutcome`` objects and as many dicts per report.
:class:`ResultJson` writes the same JSON value (compact UTF-8, by orjson) with:

* the head (source, report, passed, score) from ``result_head``, as ``result_to_dict`` writes it;
* the outcomes from the batch arrays of the engine (when the outcomes are still the engine's
  lazy view), each rule's outcome JSON fragment cached by its values;
* the findings from ``Finding.to_dict`` with their rule's title, basis and fix (cached per rule).

``tests/audit/test_result_json.py`` checks the value equals ``result_to_dict``'s.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson

from checker.model import Finding, ReportResult
from checker.render.context import RenderContext
from checker.render.json_out import result_head
from checker.scoring import CODES, NA


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
        self._arrays: tuple[Any, ...] | None = None
        self._rows: dict[bytes, bytes] = {}

    def dumps(self, result: ReportResult) -> bytes:
        """``result_to_dict(result, ctx)`` as compact UTF-8 JSON."""
        head = result_head(result, self.ctx)
        head["outcomes"] = orjson.Fragment(b"[" + self._outcomes(result.outcomes) + b"]")
        head["findings"] = [self._finding(f) for f in result.findings]
        return orjson.dumps(head, default=_plain_value)

    # outcomes

    def _outcomes(self, outcomes: Any) -> bytes:
        lazy = self._lazy(outcomes)
        if lazy is not None:
            return lazy
        out = []
        frag = self._fragments
        for o in outcomes:
            key = (o.rule_id, o.outcome, o.checked, o.failed, o.not_assessable, o.reason)
            s = frag.get(key) if type(o.checked) is type(o.failed) is type(o.not_assessable) is int else None
            if s is None:
                s = orjson.dumps({"rule_id": o.rule_id, "outcome": o.outcome.value, "checked": o.checked,
                                  "failed": o.failed, "not_assessable": o.not_assessable, "reason": o.reason})
                frag[key] = s
            out.append(s)
        return b",".join(out)

    def _lazy(self, outcomes: Any) -> bytes | None:
        """The outcomes straight from the engine's batch arrays (None when not the engine's lazy view)."""
        if (type(outcomes).__name__ != "_LazyOutcomes" or getattr(outcomes, "_items", True) is not None
                or getattr(outcomes, "_reasons", True) is not None):  # reasons of reading: the plain way
            return None
        try:
            rules, codes, acc, r = outcomes._rules, outcomes._codes, outcomes._acc, outcomes._row
            arrays = self._arrays
            if arrays is None or arrays[0] is not acc:
                na = np.stack([a.not_assessable for a in acc], axis=1)
                checked = np.stack([a.active for a in acc], axis=1) - na
                failed = np.stack([a.failed for a in acc], axis=1)
                unknown = np.stack([a.unknown for a in acc], axis=1)
                whole = np.concatenate([checked, failed, na, unknown], axis=1).astype(np.int64)
                arrays = (acc, checked, failed, na, unknown, whole)
                self._arrays = arrays
            _, checked, failed, na, unknown, whole = arrays
            row_key = codes.tobytes() + whole[r].tobytes()  # many reports share every outcome
            cached = self._rows.get(row_key)
            if cached is not None:
                return cached
            rows = zip(rules, codes.tolist(), checked[r].tolist(), failed[r].tolist(), na[r].tolist(),
                       unknown[r].tolist())
        except (AttributeError, IndexError, ValueError, TypeError):
            return None
        frag = self._fragments
        out = []
        for rule, code, c, f, n, u in rows:
            key = (rule.id, code, c, f, n, u)
            s = frag.get(key)
            if s is None:
                reason = ("metadata" if u else "inputs") if code == NA else ""
                s = orjson.dumps({"rule_id": rule.id, "outcome": CODES[code].value, "checked": c, "failed": f,
                                  "not_assessable": n, "reason": reason})
                frag[key] = s
            out.append(s)
        text = self._rows[row_key] = b",".join(out)
        return text

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
