"""The format catalogue: the official report's parts and tables, read from ``schemas/report.schema.json``.

The report schema is the one place the layout of the two formats (2021: 国办公开办函〔2021〕30号;
2019: the trial format 〔2019〕60号) is written down. Everything else that needs the layout — the
cell frame (:mod:`checker.frame`), the document helpers (:mod:`checker.document`), the table
readers of ingest (:mod:`checker.ingest.tables`) — takes it from here, so that a row added to the
schema is a row everywhere (``tests/ingest/test_format_catalogue.py`` holds ingest's label words
to the schema's row titles).

Paths are tuples of keys under a table, e.g. ``("withheld", "state_secret")`` in table 三.
"""

from __future__ import annotations

from typing import Any

from checker.messages import pick
from checker.resources import load_schema

_SCHEMA = load_schema("report.schema.json")
_DEFS: dict[str, Any] = _SCHEMA["$defs"]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its local ``$ref`` followed (the node's own title kept). Of the alternatives of an
    ``anyOf`` the first is the format's own layout (the others are what the schema also accepts, e.g. the
    single （六） row of the trial format kept in a 2021 table)."""
    while "properties" not in node and ("$ref" in node or "anyOf" in node):
        ref = node["$ref"] if "$ref" in node else node["anyOf"][0]["$ref"]
        node = {**_DEFS[ref.rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k not in ("$ref", "anyOf")}}
    return node


def _is(node: dict[str, Any], definition: str) -> bool:
    ref = node.get("$ref") or (node.get("anyOf") or [{}])[0].get("$ref", "")
    return str(ref).endswith("/" + definition)


FORMATS: tuple[str, ...] = tuple(_SCHEMA["properties"]["format"]["enum"])
"""The table formats: ``2021`` and ``2019`` (the trial format)."""
KINDS: tuple[str, ...] = tuple(_SCHEMA["properties"]["agency"]["properties"]["kind"]["enum"])
"""Agency kinds."""
LEVELS: tuple[str, ...] = tuple(_SCHEMA["properties"]["agency"]["properties"]["level"]["enum"])
"""Agency levels."""
SECTION_IDS: tuple[str, ...] = tuple(_SCHEMA["properties"]["sections"]["properties"])
"""The report's parts 一–六, in order."""
TABLES: tuple[str, ...] = tuple(_SCHEMA["properties"]["tables"]["properties"])
"""The tables 二–四, in order."""


def t2_columns(fmt: str) -> dict[str, tuple[str, ...]]:
    """Table 二 of a format: its rows, each with its columns, in order."""
    rows = _DEFS[f"proactive_{fmt}"]["properties"]
    return {row: tuple(_resolve(node)["properties"]) for row, node in rows.items()}


def _t3_rows(node: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key, child in _resolve(node).get("properties", {}).items():
        if _is(child, "t3_row"):
            out.append((*path, key))
        elif "$ref" in child or "anyOf" in child or "properties" in child:
            out.extend(_t3_rows(child, (*path, key)))
    return out


def t3_rows(fmt: str) -> tuple[tuple[str, ...], ...]:
    """Table 三 of a format: the paths of its value rows, in the order the format prints them."""
    return tuple(_t3_rows(_DEFS[f"requests_{fmt}"]))


T3_COLUMNS: tuple[str, ...] = tuple(_DEFS["t3_row"]["properties"])
"""Table 三's columns: the applicant kinds, then the total (自然人 … 总计)."""
T4_GROUPS: tuple[str, ...] = tuple(_DEFS["appeals"]["properties"])
"""Table 四's groups: review, lawsuits without review, lawsuits after review."""
T4_COLUMNS: tuple[str, ...] = tuple(_DEFS["t4_group"]["properties"])
"""The columns of each group of table 四 (结果维持 … 总计)."""


def title(table: str, path: tuple[str, ...], fmt: str = "2021", lang: str = "zh") -> str:
    """The schema's title of a row (or group) of a table, as the format prints it."""
    definition = {"proactive": f"proactive_{fmt}", "requests": f"requests_{fmt}", "appeals": "appeals"}[table]
    node: dict[str, Any] = _DEFS[definition]
    for key in path:
        node = _resolve(node)["properties"][key]
    return str(node.get(pick(lang, "title", "x-title-en"), path[-1] if path else table))
