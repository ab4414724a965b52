"""Rule GK-P-001 (PUB-STABILITY): a published report changed after publication without notice.

The rule needs what one report cannot give: two versions of the same web address, fetched at
different times (the audit's store keeps every version: :mod:`checker.audit.web`). It is
declared in ``rules/web.yaml`` and decided here, after the engine, as the waiver rules are
(:mod:`checker.waivers`):

* :func:`compare` reads the change between two report documents as the checker sees them —
  the table cells (each with its label, old and new value) and the text of each part (a short
  diff of sentences) — never the raw bytes: a page whose navigation, counters or scripts
  change while the report stays the same has not changed;
* :func:`publication_record` is what the audit passes to the worker for one report (JSON, part
  of the report's stored key): how many versions, the first and current fetch times, and the
  changes between the first version and the current one;
* :func:`decide_publication` sets the rule's outcome in the run's evaluation before it is waived and
  scored (:mod:`checker.run`): not applicable while only one version was ever fetched (never a pass
  by default), pass when the versions' reports are the same, fail with one finding naming the
  changed cells and texts and both fetch times otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from checker.document import cell_by_pointer, label
from checker.engine import Evaluation, render
from checker.loader import RuleSet
from checker.model import Finding, Text
from checker.scoring import FAIL, PASS

RULE_ID = "GK-P-001"
_MAX_CELLS, _MAX_CLAUSES, _CLAUSE_CHARS = 20, 6, 60
_SENTENCE = re.compile(r"(?<=[。！？；;!?\n])")
# Words of a web page's frame, not of a report: a sentence holding one is page chrome that ingest left in a
# part's text (a footer after part 六, a counter), and is left out of the comparison.
_CHROME = re.compile(r"主办单位|承办单位|网站标识码|ICP备|备案号|技术支持|版权所有|浏览次数|访问量|点击数|阅读次数|"
                     r"附件下载|文件下载|扫一扫|当前位置|您的位置|字号[:：]|发布时间[:：]|来源[:：]")


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed in the report between two documents: ``cells`` ([pointer, label zh, label en, old,
    new], in table order) and ``text`` ([part id, removed sentences, added sentences])."""
    old_cells, new_cells = _cells(old), _cells(new)
    cells = []
    for pointer in sorted(old_cells.keys() | new_cells.keys(), key=_cell_order):
        before, after = old_cells.get(pointer), new_cells.get(pointer)
        if before != after:
            cell = cell_by_pointer().get(pointer)
            cells.append([pointer, cell.zh if cell else pointer, cell.en if cell else pointer, before, after])
    text = []
    old_parts, new_parts = old.get("sections") or {}, new.get("sections") or {}
    for part in [*old_parts, *(p for p in new_parts if p not in old_parts)]:
        before, after = _part_text(old_parts.get(part)), _part_text(new_parts.get(part))
        if _normal(before) == _normal(after):
            continue
        removed, added = _sentence_diff(before, after)
        if removed or added:  # not only page chrome
            text.append([part, removed, added])
    return {"cells": cells, "text": text}


def publication_record(versions: Sequence[dict[str, Any]], change: dict[str, Any] | None) -> dict[str, Any]:
    """What the worker is told about a web report (``versions``: the stored versions, oldest first, each
    with ``fetched``; ``change``: :func:`compare` of the first and the current version's documents)."""
    record: dict[str, Any] = {"versions": len(versions), "first": versions[0]["fetched"] if versions else None,
                              "current": versions[-1]["fetched"] if versions else None}
    if len(versions) > 1 and change is not None:
        record["cells"] = change["cells"][:_MAX_CELLS]
        record["cells_more"] = max(0, len(change["cells"]) - _MAX_CELLS)
        record["text"] = change["text"]
    return record


def publication(overrides: dict[str, str]) -> dict[str, Any] | None:
    """The publication record an audit gave a report (its ``pub`` override; None: not a web report)."""
    raw = overrides.get("pub")
    return json.loads(raw) if raw else None


def decide_publication(evaluation: Evaluation, records: Sequence[dict[str, Any] | None], ruleset: RuleSet) -> None:
    """Decide GK-P-001 in a fresh evaluation, in place, before it is waived and scored (as
    :func:`checker.waivers.waive` decides the waiver rules): per report with a publication record, pass when its
    versions' reports are the same, fail with one finding when they differ; with one version, or without a
    record (not a web report), the engine's *not applicable* stands (the rule set applies to no report by
    itself). A rule not in ``ruleset`` (deselected) is left alone."""
    position = {rule.id: j for j, rule in enumerate(evaluation.rules)}
    j = position.get(RULE_ID)
    if j is None or RULE_ID not in ruleset.by_id:
        return
    for r, record in enumerate(records):
        if record is None or record.get("versions", 0) < 2 or "cells" not in record:
            continue
        changed = bool(record["cells"] or record["text"])
        evaluation.codes[r, j] = FAIL if changed else PASS
        evaluation.checked[r, j], evaluation.failed[r, j] = 1, int(changed)
        evaluation.not_assessable[r, j] = evaluation.reasons[r, j] = 0
        evaluation.findings[r] = [f for f in evaluation.findings[r] if f.rule_id != RULE_ID]
        if changed:
            evaluation.findings[r].append(_finding(record, ruleset))


def _finding(record: dict[str, Any], ruleset: RuleSet) -> Finding:
    rule = ruleset.by_id[RULE_ID]
    cells, more = record["cells"], record.get("cells_more", 0)
    cells_zh = "；".join(f"{c[1]} 由 {_shown(c[3])} 改为 {_shown(c[4])}" for c in cells)
    cells_en = "; ".join(f"{c[2]} from {_shown(c[3], 'en')} to {_shown(c[4], 'en')}" for c in cells)
    if more:
        cells_zh += f"；另有 {more} 个单元格"
        cells_en += f"; {more} more cell(s)"
    text_zh = "；".join(f"{label('sections', part)}：{_clauses(removed, added, 'zh')}" for part, removed, added in record["text"])
    text_en = "; ".join(f"{label('sections', part, 'en')}: {_clauses(removed, added, 'en')}"
                        for part, removed, added in record["text"])
    changes_zh = "；".join(x for x in (f"表格 {len(cells) + more} 处：{cells_zh}" if cells else "",
                                      f"正文 {len(record['text'])} 个部分：{text_zh}" if record["text"] else "") if x)
    changes_en = "; ".join(x for x in (f"{len(cells) + more} table cell(s): {cells_en}" if cells else "",
                                      f"the text of {len(record['text'])} part(s): {text_en}" if record["text"] else "")
                           if x)
    values = {"first": record["first"], "current": record["current"], "versions": record["versions"],
              "changes": changes_zh, "changes_en": changes_en}
    message = Text(render(rule.message.zh, values, "zh"), render(rule.message.en, values, "en"))
    first = cells[0][0] if cells else ""
    section = "tables" if cells else (record["text"][0][0] if record["text"] else "meta")
    return Finding(rule.id, rule.name, rule.severity, rule.category, message, first, section, None,
                   {"first": record["first"], "current": record["current"], "versions": record["versions"],
                    "cells": cells, "text": record["text"]})


def _shown(value: Any, lang: str = "zh") -> str:
    if value is None:
        return "（空）" if lang == "zh" else "(blank)"
    return str(value)


def _clauses(removed: list[str], added: list[str], lang: str) -> str:
    def cut(s: str) -> str:
        return s if len(s) <= _CLAUSE_CHARS else s[:_CLAUSE_CHARS] + "…"

    parts = []
    if removed:
        parts.append(("删去“" if lang == "zh" else "removed \"") + ("”“" if lang == "zh" else "\", \"").join(
            cut(s) for s in removed[:_MAX_CLAUSES]) + ("”" if lang == "zh" else "\""))
    if added:
        parts.append(("新增“" if lang == "zh" else "added \"") + ("”“" if lang == "zh" else "\", \"").join(
            cut(s) for s in added[:_MAX_CLAUSES]) + ("”" if lang == "zh" else "\""))
    return ("，" if lang == "zh" else ", ").join(parts) or ("文字有改动" if lang == "zh" else "the wording changed")


def _cells(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{pointer}/{i}")
        elif pointer in cell_by_pointer():
            out[pointer] = node

    walk(doc.get("tables") or {}, "/tables")
    return out


def _cell_order(pointer: str) -> tuple[int, str]:
    order = _order()
    return order.get(pointer, len(order)), pointer


@cache
def _order() -> dict[str, int]:
    return {p: i for i, p in enumerate(cell_by_pointer())}


def _part_text(part: Any) -> str:
    if isinstance(part, dict):
        return str(part.get("text") or "")
    return str(part or "")


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sentence_diff(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib  # only when two versions differ

    a = [s.strip() for s in _SENTENCE.split(before) if s.strip() and not _CHROME.search(s)]
    b = [s.strip() for s in _SENTENCE.split(after) if s.strip() and not _CHROME.search(s)]
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [_normal(s) for s in a], [_normal(s) for s in b],
                                                       autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += a[i1:i2]
        if tag in ("replace", "insert"):
            added += b[j1:j2]
    return removed, added
