"""The per-report result JSON of an audit, serialised fast (same bytes as ``result_to_dict``).

``json.dumps(result_to_dict(result, ctx), ensure_ascii=False)`` costs about half of a
worker's checking time in a batch: it materialises ~58 ``RuleOutcome`` objects and as many
dicts per report, and ``Finding.to_dict`` goes through :func:`dataclasses.asdict`, which
deep-copies every value. :class:`ResultJson` writes the same text with:

* the head (source, report, passed, score) from ``result_to_dict`` itself, on a copy of the
  result without outcomes and findings;
* the outcomes from the batch arrays of the engine (when the outcomes are still the engine's
  lazy view), each rule's outcome JSON fragment cached by its values;
* the findings as plain dicts with the same keys, in the same order, as ``Finding.to_dict``
  (which falls back to ``to_dict`` whenever a value holds a dataclass ``asdict`` would convert).

``tests/audit/test_result_json.py`` checks byte equality with ``result_to_dict``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np

from checker.model import Finding, ReportResult
from checker.render.context import RenderContext
from checker.render.json_out import result_to_dict
from checker.scoring import CODES, NA

_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
_TAIL = ', "outcomes": [], "findings": []}'


def _plain(value: Any) -> bool:
    """True when ``asdict`` would leave ``value`` as it is for JSON (no dataclass inside)."""
    if isinstance(value, (str, int, float, type(None))):
        return True
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return not dataclasses.is_dataclass(value) and not isinstance(value, type)


class ResultJson:
    """Serialises report results of one rule set, language and policy (one per chunk or process)."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self._fragments: dict[tuple[Any, ...], str] = {}
        self._rule_extra: dict[str, dict[str, Any]] = {}
        self._arrays: tuple[Any, ...] | None = None

    def dumps(self, result: ReportResult) -> str:
        """The same text as ``json.dumps(result_to_dict(result, ctx), ensure_ascii=False)``."""
        ctx = self.ctx
        head = result_to_dict(dataclasses.replace(result, outcomes=(), findings=()), ctx)
        head["passed"] = not ctx.policy.report_failed(result)
        text = json.dumps(head, ensure_ascii=False)
        if not text.endswith(_TAIL):  # the layout changed: take the plain way
            return json.dumps(result_to_dict(result, ctx), ensure_ascii=False)
        findings = json.dumps([self._finding(f) for f in result.findings], ensure_ascii=False)
        return f'{text[:-len(_TAIL)]}, "outcomes": [{self._outcomes(result.outcomes)}], "findings": {findings}}}'

    # outcomes

    def _outcomes(self, outcomes: Any) -> str:
        lazy = self._lazy(outcomes)
        if lazy is not None:
            return lazy
        out = []
        frag = self._fragments
        for o in outcomes:
            key = (o.rule_id, o.outcome, o.checked, o.failed, o.not_assessable, o.reason)
            s = frag.get(key) if type(o.checked) is type(o.failed) is type(o.not_assessable) is int else None
            if s is None:
                s = json.dumps({"rule_id": o.rule_id, "outcome": o.outcome.value, "checked": o.checked,
                                "failed": o.failed, "not_assessable": o.not_assessable, "reason": o.reason},
                               ensure_ascii=False)
                frag[key] = s
            out.append(s)
        return ", ".join(out)

    def _lazy(self, outcomes: Any) -> str | None:
        """The outcomes straight from the engine's batch arrays (None when not the engine's lazy view)."""
        if type(outcomes).__name__ != "_LazyOutcomes" or getattr(outcomes, "_items", True) is not None:
            return None
        try:
            rules, codes, acc, r = outcomes._rules, outcomes._codes, outcomes._acc, outcomes._row
            arrays = self._arrays
            if arrays is None or arrays[0] is not acc:
                na = np.stack([a.not_assessable for a in acc], axis=1)
                arrays = (acc, np.stack([a.active for a in acc], axis=1) - na,
                          np.stack([a.failed for a in acc], axis=1), na, np.stack([a.unknown for a in acc], axis=1))
                self._arrays = arrays
            _, checked, failed, na, unknown = arrays
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
                s = json.dumps({"rule_id": rule.id, "outcome": CODES[code].value, "checked": c, "failed": f,
                                "not_assessable": n, "reason": reason}, ensure_ascii=False)
                frag[key] = s
            out.append(s)
        return ", ".join(out)

    # findings

    def _finding(self, f: Finding) -> dict[str, Any]:
        lang = self.ctx.lang
        extra = self._rule_extra.get(f.rule_id)
        if extra is None:
            rule = self.ctx.rule(f.rule_id)
            extra = {"title": rule.title.get(lang), "basis": rule.basis.get(lang), "fix": rule.doc.fix.get(lang),
                     "unverified": rule.unverified}
            self._rule_extra[f.rule_id] = extra
        d = {name: getattr(f, name) for name in _FIELDS}
        if not all(_plain(v) for k, v in d.items() if k not in ("severity", "message")):
            d = f.to_dict(lang)
        else:
            d["severity"] = f.severity.value
            d["message"] = f.message.get(lang)
            d["message_i18n"] = {"zh": f.message.zh, "en": f.message.en}
            d["related"] = list(f.related)
        d.update(extra)
        return d
