"""Why a rule could not be judged for a report (``--show-unassessed``, the HTML report's folded list).

A rule is ``not_assessable`` for one of four reasons (``RuleOutcome.reason``): ``metadata`` (the
agency's kind or level is unknown, so whether it applies is unknown), ``unread`` (something it
needs is printed in the file but could not be read), ``derived`` (a cell it checks was split from
run-together digits by the very arithmetic it checks) or ``inputs`` (something it needs is not in
the report, blank, or not a number). For ``inputs`` the places are named when the report document
is at hand: the inputs of the rule's instances for the report's table format that are absent,
blank or not a number (a part or table that is absent stands for everything under it). A rule
whose inputs are all there but that found nothing to judge (the text states no number to compare
with the tables) says so in the words of its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.document import (
    MISSING,
    cell_by_pointer,
    path_to_pointer,
    pointer_to_path,
    resolve,
)
from checker.frame import column_inputs
from checker.kinds.base import JsonCheck
from checker.loader import RuleSet
from checker.messages import pick
from checker.model import Outcome, ReportResult, Rule, Text
from checker.render.labels import field_text

#: How many places a reason names before "等 N 项".
_SHOWN = 3

_REASONS = {
    "metadata": Text("报告中未能识别机关类型或层级，无法确定本规则是否适用（可在检查时指明机关类型和层级）",
                     "the agency's kind or level was not recognised, so whether the rule applies is unknown "
                     "(give them when checking)"),
    "unread": Text("所需内容印在原文中，但未能读出（见读取提示）",
                   "something it needs is printed in the source but could not be read (see the reading notices)"),
    "derived": Text("所需单元格的数字在原文中连在一起，是按本规则核对的勾稽关系拆分得出的，不能再用来核对该关系",
                    "a cell it checks was split from run-together digits by the very arithmetic it checks"),
    "inputs": Text("所需数据空白、不是数字或缺失", "something it needs is blank, not a number or missing"),
}
# What "inputs" means for kinds that judge what the text states, when nothing needed is absent.
_KIND_REASONS = {
    "narrative_numbers": Text("正文中没有写明可与表格（或正文其他处）核对的数字",
                              "the text states no number to compare with the tables (or with the text elsewhere)"),
    "yoy_compare": Text("本年度或上一年度报告中缺少所需数据", "a value it needs is missing from this or last year's report"),
    "text_reuse": Text("本年度或上一年度报告中缺少所需正文", "a text it needs is missing from this or last year's report"),
}


@dataclass(frozen=True)
class Unassessed:
    """A rule that could not be judged for a report, and why (in the output's language)."""

    rule: Rule
    reason: str


def unassessed(result: ReportResult, ruleset: RuleSet, document: dict[str, Any] | None, lang: str) -> list[Unassessed]:
    """The report's not assessable rules, in the rule set's order, each with its reason."""
    out = []
    for outcome in result.outcomes:
        if outcome.outcome is not Outcome.NOT_ASSESSABLE:
            continue
        rule = ruleset.by_id.get(outcome.rule_id)
        if rule is None:
            continue
        out.append(Unassessed(rule, reason_text(rule, outcome.reason, ruleset, document, lang)))
    return out


def reason_text(rule: Rule, reason: str, ruleset: RuleSet, document: dict[str, Any] | None, lang: str) -> str:
    """Why ``rule`` could not be judged, for a person (``reason`` as in ``RuleOutcome.reason``)."""
    if reason != "inputs" and reason in _REASONS:
        return _REASONS[reason].get(lang)
    if isinstance(document, dict):
        named = _named(_missing(rule, ruleset, document), lang)
        if named:
            return named
    kind = rule.check.get("kind") if isinstance(rule.check, dict) else None
    return _KIND_REASONS.get(str(kind), _REASONS["inputs"]).get(lang)


def _missing(rule: Rule, ruleset: RuleSet, doc: dict[str, Any]) -> dict[str, str]:
    """The inputs of ``rule``'s instances for the document's format that are not there: pointer → ``absent``,
    ``blank`` or ``text`` (a cell that is not a number). A part or table that is absent stands for what is in it."""
    if isinstance(rule.check, dict) and rule.check.get("kind") in _KIND_REASONS:
        return {}  # they judge what the text states: a blank cell is not why
    fmt = doc.get("format")
    places: list[str] = []
    for inst in ruleset.instances:
        if inst.rule.id != rule.id or (fmt in ("2019", "2021") and fmt not in inst.formats):
            continue
        check = inst.check
        if isinstance(check, JsonCheck):
            places.extend(path_to_pointer(tuple(str(k) for k in p)) for p in check.requires)
        elif isinstance(getattr(check, "requires", None), list):  # a text check: what it requires
            places.extend(str(p) for p in check.requires)
        else:
            places.extend(pointer for column in getattr(check, "columns", ()) for pointer, _ in column_inputs(column))
    found: dict[str, str] = {}
    for pointer in dict.fromkeys(places):
        state = _state(doc, pointer)
        if state is None:
            continue
        container = _absent_container(doc, pointer)
        if container is not None:
            found.setdefault(container, "absent")
        else:
            found.setdefault(pointer, state)
    return found


def _state(doc: dict[str, Any], pointer: str) -> str | None:
    """``absent``, ``blank``, ``text`` (a cell that is not a number), or None when the place holds a value."""
    value = resolve(doc, pointer_to_path(pointer))
    if value is MISSING:
        return "absent"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "blank"
    if isinstance(value, str) and pointer in cell_by_pointer():
        return "text"
    return None


def _absent_container(doc: dict[str, Any], pointer: str) -> str | None:
    """The part (``/sections/x``) or table (``/tables/x``) holding ``pointer`` when it is absent, else None."""
    path = pointer_to_path(pointer)
    if len(path) > 2 and path[0] in ("sections", "tables"):
        container = "/" + "/".join(path[:2])
        if resolve(doc, path[:2]) is MISSING:
            return container
    return None


def _named(found: dict[str, str], lang: str) -> str:
    """The places by state, e.g. "报告中没有找到：发布日期；空白：表三 · （一）予以公开 · 自然人"."""
    words = {"absent": ("报告中没有找到", "not found in the report"), "blank": ("空白", "blank"),
             "text": ("不是数字", "not a number")}
    out = []
    for state, (zh, en) in words.items():
        labels = [field_text(p, lang) or (pick(lang, "（未命名的字段）", "(unnamed field)")) for p, s in found.items() if s == state]
        labels = list(dict.fromkeys(labels))
        if not labels:
            continue
        shown = (pick(lang, "、", "; ")).join(labels[:_SHOWN])
        more = len(labels) - _SHOWN
        if more > 0:
            shown += pick(lang, f" 等 {len(labels)} 项", f" and {more} more")
        out.append(pick(lang, f"{zh}：{shown}", f"{en}: {shown}"))
    return (pick(lang, "；", "; ")).join(out)
