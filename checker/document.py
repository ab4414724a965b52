"""The report document: validation against ``schemas/report.schema.json`` and the cell catalogue.

The schema is the contract. The catalogue of table cells (their ids, JSON
Pointers, Chinese and English labels, and the formats they belong to) is read
from the schema itself, so rules, ingest and the cell frame cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs

from checker.errors import InputError
from checker.resources import load_schema

SCHEMA_NAME = "report.schema.json"

# Which $defs hold the tables of each format.
_TABLE_DEFS: dict[str, dict[str, str]] = {
    "2021": {"proactive": "proactive_2021", "requests": "requests_2021", "appeals": "appeals"},
    "2019": {"proactive": "proactive_2019", "requests": "requests_2019", "appeals": "appeals"},
}


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell of the report document.

    Attributes:
        id: dotted id without the ``tables`` prefix, e.g. ``requests.new.total``.
        pointer: JSON Pointer into the document, e.g. ``/tables/requests/new/total``.
        table: ``proactive`` | ``requests`` | ``appeals``.
        zh: Chinese label (row and column, as shown), e.g. ``一、本年新收政府信息公开申请数量·总计``.
        en: English label.
        amount: True when decimals are allowed (money amounts).
        formats: the formats ("2021", "2019") whose tables contain this cell.
        row: the row's label (zh, en), with its group when it has one (``（三）不予公开 1.属于国家秘密``).
        column: the column's label (zh, en), e.g. ``总计``.
    """

    id: str
    pointer: str
    table: str
    zh: str
    en: str
    amount: bool
    formats: tuple[str, ...]
    row: tuple[str, str] = ("", "")
    column: tuple[str, str] = ("", "")

    @property
    def path(self) -> tuple[str, ...]:
        """The keys from the document root to the cell."""
        return ("tables", *self.id.split("."))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with a local ``$ref`` replaced by its definition (the node's own keys win)."""
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {**schema["$defs"][ref.split("/")[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _walk(schema: dict[str, Any], node: dict[str, Any], keys: tuple[str, ...],
          labels: tuple[tuple[str, str], ...]) -> Iterator[tuple[tuple[str, ...], tuple[tuple[str, str], ...], bool]]:
    ref = node.get("$ref", "")
    if ref in ("#/$defs/cell", "#/$defs/amount"):
        yield keys, labels, ref.endswith("amount")
        return
    node = _resolve(schema, node)
    if "anyOf" in node and "properties" not in node:
        # A row that may take two shapes: the first alternative is the format's own.
        first = dict(node["anyOf"][0])
        yield from _walk(schema, {**first, "title": node.get("title"), "x-title-en": node.get("x-title-en")},
                         keys, labels)
        return
    for key, child in node.get("properties", {}).items():
        if child.get("type") == "string":
            continue
        label = (child.get("title", key), child.get("x-title-en", key))
        yield from _walk(schema, child, keys + (key,), labels + (label,))


@cache
def cells() -> tuple[Cell, ...]:
    """Every table cell of every format, in table order (the union over formats)."""
    schema = load_schema(SCHEMA_NAME)
    found: dict[str, Cell] = {}
    for fmt, defs in _TABLE_DEFS.items():
        for table, def_name in defs.items():
            root = schema["$defs"][def_name]
            for keys, labels, amount in _walk(schema, root, (), ()):
                cid = ".".join((table, *keys))
                if cid in found:
                    old = found[cid]
                    found[cid] = replace(old, formats=old.formats + (fmt,))
                    continue
                parts = _label_parts(table, labels)
                row = ("·".join(p[0] for p in parts[:-1]), " · ".join(p[1] for p in parts[:-1]))
                zh, en = "·".join(p[0] for p in parts), " · ".join(p[1] for p in parts)
                found[cid] = Cell(cid, "/tables/" + "/".join((table, *keys)), table, zh, en, amount, (fmt,),
                                  row, parts[-1])
    return tuple(found.values())


def _label_parts(table: str, labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    # The row-group label (e.g. "（三）不予公开") and the row label are joined with a space.
    if table == "requests" and len(labels) == 3:
        return ((labels[0][0] + " " + labels[1][0], labels[0][1] + " " + labels[1][1]), labels[2])
    return labels


@cache
def cell_index() -> dict[str, Cell]:
    """Cells by id."""
    return {c.id: c for c in cells()}


@cache
def cell_by_pointer() -> dict[str, Cell]:
    """Cells by JSON Pointer."""
    return {c.pointer: c for c in cells()}


@cache
def titles() -> dict[str, tuple[str, str]]:
    """(zh, en) titles of named document parts: sections, tables and table rows.

    Keys are dotted ids such as ``sections.other``, ``requests.withheld.state_secret``,
    ``proactive.fees`` or ``appeals.review``.
    """
    schema = load_schema(SCHEMA_NAME)
    out: dict[str, tuple[str, str]] = {}
    for key, node in schema["properties"]["sections"]["properties"].items():
        out[f"sections.{key}"] = (node["title"], node["x-title-en"])
    for defs in _TABLE_DEFS.values():
        for table, def_name in defs.items():
            root = schema["$defs"][def_name]
            out.setdefault(table, (root["title"], root["x-title-en"]))
            _collect_titles(schema, root, table, out)
    return out


def _collect_titles(schema: dict[str, Any], node: dict[str, Any], prefix: str,
                    out: dict[str, tuple[str, str]]) -> None:
    node = _resolve(schema, node)
    if "anyOf" in node and "properties" not in node:
        node = _resolve(schema, node["anyOf"][0])
    for key, child in node.get("properties", {}).items():
        if child.get("$ref") in ("#/$defs/cell", "#/$defs/amount") or child.get("type") == "string":
            continue
        cid = f"{prefix}.{key}"
        out.setdefault(cid, (child.get("title", key), child.get("x-title-en", key)))
        _collect_titles(schema, child, cid, out)


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = load_schema(SCHEMA_NAME)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def _fast_validator() -> Any:
    """The schema compiled by jsonschema-rs (formats asserted, as with jsonschema's format checker)."""
    return jsonschema_rs.validator_for(load_schema(SCHEMA_NAME), validate_formats=True)


def schema_errors(doc: Any) -> list[str]:
    """Chinese descriptions of every way ``doc`` fails the report schema (empty when valid)."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [describe_schema_error(e) for e in _leaf_errors(errors)]


def _leaf_errors(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    out = []
    for err in errors:
        if err.context:
            best = jsonschema.exceptions.best_match(err.context)
            out.append(best if best is not None else err)
        else:
            out.append(err)
    return out


def describe_schema_error(err: jsonschema.ValidationError) -> str:
    """One schema violation as a Chinese sentence naming the field and the problem."""
    where = "/" + "/".join(str(p) for p in err.absolute_path) if err.absolute_path else "（文档根）"
    title = field_title(tuple(err.absolute_path))
    label = f"{where}（{title}）" if title else where
    v = err.validator
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        sub = field_title(tuple(err.absolute_path) + (missing,))
        return f"{label} 缺少必填字段“{missing}”{('（' + sub + '）') if sub else ''}"
    if v == "type":
        return f"{label} 的值 {_short(err.instance)} 类型不对，应为 {_type_zh(err.validator_value)}"
    if v == "enum":
        return f"{label} 的值 {_short(err.instance)} 不在允许范围内，可选值：{'、'.join(map(str, err.validator_value))}"  # type: ignore[arg-type]  # the stubs allow validator_value's unset default; an enum error has the list
    if v == "const":
        return f"{label} 的值 {_short(err.instance)} 应为 {err.validator_value!r}"
    if v == "additionalProperties":
        return f"{label} 含有文档格式中没有的字段：{err.message.split('(')[-1].rstrip(')')}"
    if v in ("pattern", "format"):
        return f"{label} 的值 {_short(err.instance)} 格式不对（日期应写作 YYYY-MM-DD）"
    if v in ("minimum", "maximum"):
        return f"{label} 的值 {_short(err.instance)} 超出允许范围"
    if v == "minLength":
        return f"{label} 不能为空"
    return f"{label} 不符合文档格式：{err.message}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _type_zh(types: Any) -> str:
    names = {"integer": "整数", "number": "数字", "string": "文字", "null": "空（null）",
             "object": "对象", "array": "数组", "boolean": "布尔值"}
    if isinstance(types, str):
        types = [types]
    return "或".join(names.get(t, t) for t in types)


def field_title(path: tuple[Any, ...], lang: str = "zh") -> str:
    """The title of the field at ``path`` (keys from the root), Chinese or (``lang`` "en") English;
    "" if unknown."""
    if not path:
        return ""
    en = lang == "en"
    dotted = ".".join(str(p) for p in path)
    if path[0] == "tables" and len(path) > 1:
        key = ".".join(str(p) for p in path[1:])
        cell = cell_index().get(key)
        if cell:
            return cell.en if en else cell.zh
        return titles().get(key, ("", ""))[1 if en else 0]
    if dotted in titles():
        return titles()[dotted][1 if en else 0]
    schema = load_schema(SCHEMA_NAME)
    node: dict[str, Any] = schema
    for key in path:
        node = _resolve(schema, node)
        props = node.get("properties", {})
        if key not in props:
            return ""
        node = props[key]
    return str(_resolve(schema, node).get("x-title-en" if en else "title", ""))


def validate_document(doc: Any) -> None:
    """Raise :class:`InputError` listing (in Chinese) why ``doc`` is not a valid report document.

    jsonschema-rs (compiled, ~20 µs per report) accepts valid documents; a document it rejects
    goes through jsonschema, which writes the Chinese list of problems and has the last word.
    """
    if not isinstance(doc, dict):
        raise InputError("报告文件的内容不是一个 JSON 对象（应以 { 开头）。",
                         "The report file does not contain a JSON object.")
    try:
        if _fast_validator().is_valid(doc):
            return
    except ValueError:  # a value jsonschema-rs cannot represent (e.g. a huge integer): jsonschema decides
        pass
    problems = schema_errors(doc)
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  …另有 {len(problems) - 20} 处" if len(problems) > 20 else ""
        raise InputError(f"报告文档不符合 gkcheck 文档格式（schemas/report.schema.json），共 {len(problems)} 处：\n{shown}{more}",
                         f"The report document does not match schemas/report.schema.json ({len(problems)} problems):\n{shown}{more}")


def resolve(doc: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in ``doc``, or :data:`MISSING` when absent."""
    node = doc
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def pointer_to_path(pointer: str) -> tuple[str, ...]:
    """Split a JSON Pointer into keys (``~1`` and ``~0`` unescaped)."""
    if pointer in ("", "/"):
        return ()
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/"))


def path_to_pointer(path: tuple[Any, ...]) -> str:
    """Join keys into a JSON Pointer."""
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


@cache
def labels() -> dict[str, dict[str, tuple[str, str]]]:
    """(zh, en) labels of keys by namespace, for messages.

    Namespaces: ``sections``; ``tables``; ``proactive``, ``requests``, ``appeals`` (rows and
    row groups, dotted, e.g. ``withheld.state_secret``); ``proactive.col``, ``requests.col``,
    ``appeals.col`` (column keys).
    """
    out: dict[str, dict[str, tuple[str, str]]] = {
        "sections": {}, "tables": {}, "proactive": {}, "requests": {}, "appeals": {},
        "proactive.col": {}, "requests.col": {}, "appeals.col": {}}
    for key, value in titles().items():
        head, _, rest = key.partition(".")
        if head == "sections":
            out["sections"][rest] = value
        elif rest:
            out[head][rest] = value
        else:
            out["tables"][head] = value
    for c in cells():
        col = c.id.split(".")[-1]
        out[c.table + ".col"].setdefault(col, c.column)
    # Sub-rows of a group read better with their group: "（三）不予公开 1.属于国家秘密".
    for key in list(out["requests"]):
        if "." in key:
            group = out["requests"][key.split(".")[0]]
            sub = out["requests"][key]
            out["requests"][key] = (group[0] + " " + sub[0], group[1] + " " + sub[1])
    return out


def label(namespace: str, key: str, lang: str = "zh") -> str:
    """The label of ``key`` in ``namespace`` (see :func:`labels`), or the key itself."""
    pair = labels().get(namespace, {}).get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
