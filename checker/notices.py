"""The message catalogue of reading notices: what the reader could not read, in words for the user.

Ingest records codes and values only (the ``reading.notices`` of a report document, see
``checker/ingest/reading.py`` and ``#/$defs/notice`` of ``schemas/report.schema.json``). Here
each code becomes a Chinese and an English message, built from its values and the place in the
original file, and advice on what to do. A notice never costs points: it tells why some rules
are not assessable (and, for an unread table or a cut text, why the report cannot pass).

Codes:

* ``table-unread`` — a table is printed in the source but (some of) its cells could not be
  read. Values: ``count`` (cells not read; 0 or missing: the whole table), ``rows`` (row labels),
  ``reason`` (``layout`` | ``run-together`` | ``blank-position`` | ``empty``: the part holds only
  its heading).
* ``cells-derived`` — digits run together in the source were split by the table's own
  arithmetic. Values: ``count``, ``sample`` (a digit run as printed).
* ``part-unplaced`` — a heading that could not be placed among the six parts. Values: ``heading``.
* ``text-incomplete`` — the text seems cut off. Values: ``last`` (its last words), ``parts``
  (section ids not present after the cut).
* ``year-inferred`` — the report year was inferred from the body text. Values: ``year``, ``evidence``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.document import MISSING, cell_by_pointer, cells, label, pointer_to_path, resolve
from checker.formats import SECTION_IDS
from checker.frame import unread_pointers
from checker.ingest.layout import ELLIPSIS, PARAGRAPH, QUOTE_CHARS, quote_of
from checker.model import ReadingNotice, Text

ORDER = ("text-incomplete", "table-unread", "part-unplaced", "cells-derived", "year-inferred")
"""The order notices are shown in: a cut text first (it explains the rest)."""

TITLES = {
    "text-incomplete": Text("文本可能不完整", "The text may be incomplete"),
    "table-unread": Text("表格未能完整读取", "A table could not be read completely"),
    "part-unplaced": Text("有标题未能归入格式规定的部分", "A heading could not be placed"),
    "cells-derived": Text("连在一起的数字已按勾稽关系拆分", "Run-together digits were split by the table's arithmetic"),
    "year-inferred": Text("报告年度系从正文推断", "The report year was inferred from the text"),
}
"""A short title per code (headings, SARIF notification descriptors)."""


def title(code: str) -> Text:
    """The short title of a notice code (the code itself when unknown)."""
    return TITLES.get(code, Text(code, code))

_PART_ZH = dict(zip(SECTION_IDS, "一二三四五六"))
_PART_EN = {s: str(i) for i, s in enumerate(SECTION_IDS, 1)}
_QUOTE = 30

_REASON = {
    "run-together": Text("（数字连在一起，无法唯一拆分）", " (the digits run together and cannot be split in only one way)"),
    "layout": Text("（表格版式无法识别）", " (the table's layout could not be recognised)"),
    "blank-position": Text("（无法确定空白单元格所在的栏目）", " (the columns of its blank cells could not be told)"),
}
_ASK_FOR_FILE = Text("请提供 Word 文件或 JSON 文档，或运行 gkcheck convert 生成 JSON、补正{what}后再检查。",
                     "Provide the Word file or a JSON document, or run gkcheck convert to produce the JSON, "
                     "complete {what} and check again.")


def reading_notices(doc: dict[str, Any]) -> tuple[ReadingNotice, ...]:
    """The reading notices of a report document, worded (text-incomplete first).

    A table with unread cells always has a ``table-unread`` notice (one is made from the unread
    pointers when the reading block has none for it): a report whose table was not read whole
    never passes, and the user is told why.
    """
    reading = doc.get("reading")
    raw = reading.get("notices") if isinstance(reading, dict) else None
    raw = [n for n in raw if isinstance(n, dict) and isinstance(n.get("code"), str)] if isinstance(raw, list) else []
    unread = unread_pointers(doc)
    made = [notice(_counted(doc, n, unread)) for n in [*raw, *_implied(doc, raw, unread)]]
    rank = {code: i for i, code in enumerate(ORDER)}
    return tuple(sorted(made, key=lambda n: rank.get(n.code, len(ORDER))))


def _implied(doc: dict[str, Any], given: list[dict[str, Any]], unread: list[str]) -> list[dict[str, Any]]:
    """``table-unread`` notices for tables with unread cells that no notice speaks of."""
    if not unread:
        return []
    told = {str(n.get("target", "")) for n in given if n.get("code") == "table-unread"}
    out = []
    for table in ("proactive", "requests", "appeals"):
        root = f"/tables/{table}"
        if not any(t == root or t.startswith(root + "/") for t in told) and _lost(doc, root, unread):
            out.append({"code": "table-unread", "target": root})
    return out


def _counted(doc: dict[str, Any], raw: dict[str, Any], unread: list[str]) -> dict[str, Any]:
    """``raw`` with the ``count`` of cells filled in from the reading block when the notice has none:
    the unread cells of a table not unread as a whole, the derived cells of a table."""
    code, target = raw.get("code"), raw.get("target")
    values: dict[str, Any] = raw["values"] if isinstance(raw.get("values"), dict) else {}
    if code not in ("table-unread", "cells-derived") or not isinstance(target, str) or _count(values):
        return raw
    if not target.startswith("/tables/"):
        return raw
    if code == "table-unread":
        if any(target == u or target.startswith(u + "/") for u in unread):
            return raw  # the whole table
        count = _lost(doc, target, unread)
    else:
        derived = (doc.get("reading") or {}).get("derived")
        count = sum(1 for p in derived if isinstance(p, str) and (p == target or p.startswith(target + "/"))) \
            if isinstance(derived, list) else 0
    return {**raw, "values": {**values, "count": count}} if count else raw


def _lost(doc: dict[str, Any], target: str, unread: list[str]) -> int:
    """How many cells at or under ``target`` (of the document's format) are absent and unread."""
    fmt = doc.get("format") if doc.get("format") in ("2021", "2019") else "2021"
    return sum(1 for c in cells() if fmt in c.formats and (c.pointer.startswith(target + "/") or c.pointer == target)
               and any(c.pointer == u or c.pointer.startswith(u + "/") for u in unread)
               and resolve(doc, c.path) is MISSING)


def notice(raw: dict[str, Any]) -> ReadingNotice:
    """One notice of a document's reading block, worded."""
    code: str = raw["code"]
    target: str = raw["target"] if isinstance(raw.get("target"), str) else ""
    values: dict[str, Any] = raw["values"] if isinstance(raw.get("values"), dict) else {}
    place: dict[str, Any] = raw["location"] if isinstance(raw.get("location"), dict) else {}
    location = {k: v for k, v in place.items() if isinstance(v, int) and not isinstance(v, bool)} or None
    words = _CATALOGUE.get(code)
    if words is None:
        message, advice = Text(f"读取提示（{code}）：{_target(target).zh}", f"Reading notice ({code}): {_target(target).en}"), \
            Text("", "")
    else:
        message, advice = words(target, values, location)
    return ReadingNotice(code, target, message, advice, location, dict(values))


# --------------------------------------------------------------------------- words


def _target(target: str) -> Text:
    """What a notice is about: 第三部分表格（收到和处理政府信息公开申请情况）, 第五部分（…）, a row or a cell."""
    path = pointer_to_path(target)
    if not path:
        return Text("整份报告", "The whole report")
    if path[0] == "sections" and len(path) >= 2 and path[1] in _PART_ZH:
        zh, en = _part(path[1])
        return Text(zh, en[:1].upper() + en[1:])
    if path[0] == "tables" and len(path) >= 2 and path[1] in _PART_ZH:
        zh, en = _part(path[1])
        table = Text(f"{zh.replace('部分（', '部分表格（', 1)}", f"The table of {en}")
        if len(path) == 2:
            return table
        cell = cell_by_pointer().get(target)
        what = (cell.zh, cell.en) if cell else (label(path[1], ".".join(path[2:])), label(path[1], ".".join(path[2:]), "en"))
        return Text(f"{table.zh}“{what[0]}”", f"{table.en}, “{what[1]}”")
    return Text(target, target)


def _part(section: str) -> tuple[str, str]:
    """("第三部分（收到和处理政府信息公开申请情况）", "part 3 (Applications received and handled)")."""
    zh = label("sections", section).split("、", 1)[-1]
    en = label("sections", section, "en").split(". ", 1)[-1]
    return f"第{_PART_ZH[section]}部分（{zh}）", f"part {_PART_EN[section]} ({en})"


def _where(location: dict[str, int] | None, onward: bool = True) -> Text:
    """Where in the source: 原文第 3 页第 12 行起 / 原文第 4 段起“三、收到和处理……”处 / 原文第 2 个表格 / 原文中
    (PDF lines on the page and HTML source lines, which no reader sees, are left out: the quote places them)."""
    if not location:
        return Text("原文中", "in the source")
    zh, en = [], []
    if "page" in location:
        zh.append(f"第 {location['page']} 页")
        en.append(f"page {location['page']}")
    unit = location.get("unit")  # lines a reader does not see (PDF, HTML source) are not named
    if "line" in location and unit in (None, PARAGRAPH):
        word_zh, word_en = ("段", "paragraph") if unit == PARAGRAPH else ("行", "line")
        zh.append(f"第 {location['line']} {word_zh}" + ("起" if onward else ""))
        en.append(f"{'from ' if onward else ''}{word_en} {location['line']}")
    elif "table" in location:
        zh.append(f"第 {location['table']} 个表格")
        en.append(f"table {location['table']}")
    quote = location.get("quote")
    if isinstance(quote, str) and quote.strip() and unit is not None:
        said = quote_of(quote, QUOTE_CHARS + len(ELLIPSIS))
        zh.append(f"（“{said}”）" if zh else f"“{said}”处")
        en.append(f"at “{said}”")
    if not zh:
        return Text("原文中", "in the source")
    return Text("原文" + "".join(zh), "in the source (" + ", ".join(en) + ")")


def _count(values: dict[str, Any], key: str = "count") -> int:
    value = values.get(key)
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


def _quote(value: Any, tail: bool = False) -> str:
    """A short quote of the source (the end of it when ``tail``), on one line."""
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) <= _QUOTE:
        return text
    return "…" + text[-_QUOTE:] if tail else text[:_QUOTE] + "…"


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def _table_unread(target: str, values: dict[str, Any], location: dict[str, int] | None) -> tuple[Text, Text]:
    what, where, count = _target(target), _where(location), _count(values)
    reason = _REASON.get(str(values.get("reason", "")), Text("", ""))
    rows = _strings(values.get("rows"))
    rows_zh = rows_en = ""
    if rows:
        shown = rows[:3]
        rows_zh = "，涉及" + "".join(f"“{_quote(r)}”" for r in shown) + (f"等 {len(rows)} 行" if len(rows) > 3 else "行")
        rows_en = "; rows " + ", ".join(f"“{_quote(r)}”" for r in shown) + (
            f" and {len(rows) - 3} more" if len(rows) > 3 else "")
    if values.get("reason") == "empty":
        message = Text(f"{what.zh}：{where.zh}只有这一部分的标题，没有表格，也没有文字（表格可能是图片，或在复制时丢失）；"
                       "相关检查记为“无法判断”。",
                       f"{what.en}: {where.en} the part has its heading and nothing else, neither table nor text (the "
                       "table may be an image, or was lost when the text was copied); the checks that need it are "
                       "marked “not assessable”.")
        return message, Text(_ASK_FOR_FILE.zh.format(what="该表"), _ASK_FOR_FILE.en.format(what="the table"))
    if count:
        lost_zh, lost_en = f"但其中 {count} 个单元格未能读出", f"but {count} of its cells could not be read"
        fix = Text("这些单元格", "these cells")
    else:
        lost_zh, lost_en = "但整张表未能读出", "but could not be read"
        fix = Text("该表", "the table")
    message = Text(f"{what.zh}：{where.zh}印有该表，{lost_zh}{reason.zh}{rows_zh}；相关检查记为“无法判断”。",
                   f"{what.en}: the table is printed {where.en}, {lost_en}{reason.en}{rows_en}; "
                   "the checks that need it are marked “not assessable”.")
    advice = Text(_ASK_FOR_FILE.zh.format(what=fix.zh), _ASK_FOR_FILE.en.format(what=fix.en))
    return message, advice


def _cells_derived(target: str, values: dict[str, Any], location: dict[str, int] | None) -> tuple[Text, Text]:
    what, where, count = _target(target), _where(location), _count(values)
    sample = _quote(values.get("sample")) if values.get("sample") is not None else ""
    n_zh = f" {count} 个" if count else "一些"
    n_en = f"{count} cells" if count else "some cells"
    sample_zh, sample_en = (f"（如“{sample}”）", f" (such as “{sample}”)") if sample else ("", "")
    message = Text(f"{what.zh}：{where.zh}有{n_zh}单元格的数字连在一起{sample_zh}，已按表内勾稽关系拆分；"
                   "核对这些勾稽关系的检查记为“无法判断”，其他检查使用拆分结果。",
                   f"{what.en}: {where.en}, the digits of {n_en} run together{sample_en}; they were split by the "
                   "table's own arithmetic, so the checks of that arithmetic are marked “not assessable” and the "
                   "other checks use the split values.")
    advice = Text("请对照原文核对拆分结果（可运行 gkcheck convert 生成 JSON 查看）；如有误，在 JSON 文档中改正后再检查。",
                  "Compare the split values with the source (gkcheck convert shows them in the JSON); if one is "
                  "wrong, correct it in the JSON document and check again.")
    return message, advice


def _part_unplaced(target: str, values: dict[str, Any], location: dict[str, int] | None) -> tuple[Text, Text]:
    where = _where(location, onward=False)
    heading = _quote(values.get("heading")) if values.get("heading") is not None else ""
    head_zh, head_en = (f"的标题“{heading}”", f" the heading “{heading}”") if heading else ("有一个标题", " a heading")
    path = pointer_to_path(target)
    if len(path) >= 2 and path[0] == "sections" and path[1] in _PART_ZH:
        maybe_zh = f"（可能是“{label('sections', path[1])}”）"
        maybe_en = f" (perhaps {_part(path[1])[1]})"
        checks_zh, checks_en = "缺少该部分的检查", "the checks that need this part"
    else:
        maybe_zh = maybe_en = ""
        checks_zh, checks_en = "相关检查", "the checks that need it"
    message = Text(f"{where.zh}{head_zh}未能对应到报告格式规定的六个部分{maybe_zh}，其下内容未能读出；"
                   f"{checks_zh}记为“无法判断”。",
                   f"{where.en[:1].upper() + where.en[1:]},{head_en} could not be matched to one of the six parts "
                   f"of the format{maybe_en}, and what follows it was not read; {checks_en} are marked “not assessable”.")
    advice = Text("请核对该标题是否为格式规定的部分之一（如“五、存在的主要问题及改进情况”）；"
                  "可提供 Word 文件或 JSON 文档，或运行 gkcheck convert 生成 JSON、补正后再检查。",
                  "Check whether this heading is one of the format's parts (such as 五、存在的主要问题及改进情况); "
                  "provide the Word file or a JSON document, or run gkcheck convert, complete the JSON and check again.")
    return message, advice


def _text_incomplete(target: str, values: dict[str, Any], location: dict[str, int] | None) -> tuple[Text, Text]:
    last = _quote(values.get("last"), tail=True) if values.get("last") is not None else ""
    parts = [p for p in _strings(values.get("parts")) if p in _PART_ZH]
    cut_zh, cut_en = (f"在“{last}”处中断", f"it breaks off at “{last}”") if last else ("", "")
    if parts:
        zh_parts = "第" + "、".join(_PART_ZH[p] for p in parts) + "部分"
        en_parts = ("parts " if len(parts) > 1 else "part ") + ", ".join(_PART_EN[p] for p in parts)
        missing_zh = f"其后的{zh_parts}未出现" if last else f"{zh_parts}未出现"
        missing_en = f"{en_parts} {'do' if len(parts) > 1 else 'does'} not appear after it" if last else \
            f"{en_parts} {'do' if len(parts) > 1 else 'does'} not appear"
        checks_zh, checks_en = "缺少这些部分的检查", "the checks that need these parts"
    else:
        missing_zh = missing_en = ""
        checks_zh, checks_en = "缺少内容的检查", "the checks that need what is missing"
    said_zh = "，".join(x for x in (cut_zh, missing_zh) if x)
    said_en = ", and ".join(x for x in (cut_en, missing_en) if x)
    where = _where(location, onward=False)
    at_zh = f"（{where.zh}）" if where.zh != "原文中" else ""
    at_en = f" ({where.en.removeprefix('in the source (').removesuffix(')')} of the source)" \
        if where.zh != "原文中" else ""
    message = Text(f"文本可能不完整：{said_zh}{at_zh}；{checks_zh}记为“无法判断”。" if said_zh else
                   f"文本可能不完整{at_zh}；{checks_zh}记为“无法判断”。",
                   f"The text may be incomplete: {said_en}{at_en}; {checks_en} are marked “not assessable”."
                   if said_en else f"The text may be incomplete{at_en}; {checks_en} are marked “not assessable”.")
    advice = Text("请确认原文是否完整（网页是否只复制了一部分、PDF 是否缺页），用完整的文件重新检查。",
                  "Make sure the source is complete (the whole web page copied, no pages missing from the PDF) "
                  "and check the complete file again.")
    return message, advice


def _year_inferred(target: str, values: dict[str, Any], location: dict[str, int] | None) -> tuple[Text, Text]:
    year = values.get("year")
    year_text = str(year) if year is not None else "?"
    evidence = _quote(values.get("evidence")) if values.get("evidence") is not None else ""
    source_zh, source_en = (f"取自正文“{evidence}”", f"was taken from the body text “{evidence}”") if evidence else \
        ("取自正文", "was taken from the body text")
    message = Text(f"报告年度（{year_text}）{source_zh}，标题和统计期限中均未写明，请核对；如有误请用 --year 指定。",
                   f"The report year ({year_text}) {source_en}; neither the title nor the statistics period states "
                   "it. Please verify it; if it is wrong, give the year with --year.")
    advice = Text(f"在报告标题中写明年度，如“{year_text}年政府信息公开工作年度报告”。",
                  f"State the year in the report's title, e.g. “{year_text}年政府信息公开工作年度报告”.")
    return message, advice


_CATALOGUE: dict[str, Callable[[str, dict[str, Any], dict[str, int] | None], tuple[Text, Text]]] = {
    "table-unread": _table_unread,
    "cells-derived": _cells_derived,
    "part-unplaced": _part_unplaced,
    "text-incomplete": _text_incomplete,
    "year-inferred": _year_inferred,
}
