"""The cell frame equals a straightforward reference, whatever the documents look like.

:func:`checker.frame.build_frame` reads a whole batch in a few bulk steps. These tests
compare it with :func:`reference_frame`, a plain per-document, per-cell implementation of
the frame as ``checker/frame.py`` documents it, on the bundled report documents and on
many variants of them: missing sections, tables, rows and cells, blank (None) cells, text
and bools in number cells, decimals and huge integers, nodes of the wrong type, extra
unknown keys, 2019-format and unknown-format documents, reading blocks listing unread tables,
rows and cells (absent ones become UNREAD, filled-in ones keep their value), and (when ``../shared/corpus`` is
there) the reports of the corpus as gkcheck reads them. They also check that a batch gives
the same rows as each of its documents alone, and the frame's layout (columns, dtypes,
index, contiguous columns).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from checker.document import Cell, cells
from checker.formats import FORMATS, KINDS, LEVELS, SECTION_IDS, TABLES
from checker.frame import (
    ABSENT,
    BLANK,
    NUMBER,
    TEXT,
    UNREAD,
    build_frame,
    meta_col,
    status_col,
    text_col,
    text_names,
    value_col,
)

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted((ROOT / "examples").glob("*.json")) + sorted((ROOT / "tests" / "data").glob("*.report.json"))

Doc = dict[str, Any]

# ---------------------------------------------------------------------------------------
# The reference: one document at a time, one cell at a time.

_MISSING = object()  # a cell that is not in the document
META_NAMES = ("year", "format", "kind", "level", "published", "period_start", "period_end",
              *(f"pos:{s}" for s in SECTION_IDS), *(f"table:{t}" for t in TABLES))
_STATUS_OF_TYPE = {int: NUMBER, float: NUMBER, type(None): BLANK, str: TEXT, bool: TEXT}


def _cell_value(tables: dict[str, Any], cell: Cell) -> Any:
    """The document's value of ``cell`` (anything JSON holds), or ``_MISSING``."""
    node: Any = tables
    for key in cell.id.split("."):
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def _holds(doc: Doc, pointer: str) -> bool:
    """Whether ``doc`` holds a value (anything but an object, null included) at ``pointer``."""
    node: Any = doc
    for key in pointer.split("/")[1:]:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return not isinstance(node, dict)


def _unread(doc: Doc) -> list[str]:
    """The document's unread pointers that still apply (a value filled in wins; a part or table
    listed is read in part)."""
    reading = doc.get("reading")
    unread = reading.get("unread") if isinstance(reading, dict) else None
    if not isinstance(unread, list):
        return []
    return [p for p in unread if isinstance(p, str) and p.startswith("/") and not _holds(doc, p)]


def _cells_row(doc: Doc) -> tuple[list[float], list[int]]:
    """Values and status codes of every cell, in ``cells()`` order.

    The cells of the document's format are classified together: when all of them are
    numbers (or missing), a NaN number (which JSON cannot hold) counts as absent; otherwise
    each one is classified by its type (a bool is text) and only the missing ones are absent.
    A missing cell of the document's format at or under an unread pointer of its reading
    block is unread.
    """
    fmt = doc.get("format") if doc.get("format") in FORMATS else FORMATS[0]
    tables = doc.get("tables") or {}
    found = {c.id: _cell_value(tables, c) for c in cells() if fmt in c.formats}
    numeric = all(v is _MISSING or type(v) in (int, float) for v in found.values())
    unread = _unread(doc)
    values, status = [], []
    for c in cells():
        v = found.get(c.id, _MISSING)
        number = float(v) if type(v) in (int, float) else np.nan
        values.append(number)
        if v is _MISSING and c.id in found and any(c.pointer == u or c.pointer.startswith(u + "/") for u in unread):
            status.append(UNREAD)
        elif v is _MISSING:
            status.append(ABSENT)
        elif numeric:
            status.append(ABSENT if np.isnan(number) else NUMBER)
        else:
            status.append(_STATUS_OF_TYPE.get(type(v), TEXT))
    return values, status


def _code(value: Any, options: tuple[str, ...]) -> float:
    return float(options.index(value)) if value in options else -1.0


def _ordinal(value: Any) -> float:
    if not isinstance(value, str):
        return np.nan
    try:
        return float(dt.date.fromisoformat(value).toordinal())
    except ValueError:
        return np.nan


def _meta_row(doc: Doc) -> list[float]:
    agency = doc.get("agency") or {}
    period = doc.get("period") or {}
    sections = doc.get("sections") or {}
    tables = doc.get("tables") or {}
    row = [float(doc["year"]) if isinstance(doc.get("year"), int) else np.nan,
           _code(doc.get("format"), FORMATS), _code(agency.get("kind"), KINDS), _code(agency.get("level"), LEVELS),
           _ordinal(doc.get("published")), _ordinal(period.get("start")), _ordinal(period.get("end"))]
    for i, s in enumerate(SECTION_IDS):
        sec = sections.get(s)
        if isinstance(sec, dict):
            position = sec.get("position")
            row.append(float(i if position is None else position))
        else:
            row.append(np.nan)
    row.extend(1.0 if isinstance(tables.get(t), dict) else 0.0 for t in TABLES)
    return row


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _text_row(doc: Doc) -> list[str | None]:
    sections = doc.get("sections") or {}
    title, preamble = _string(doc.get("title")), _string(doc.get("preamble"))
    row = [title, preamble, _string((doc.get("source") or {}).get("url")),
           _string((doc.get("agency") or {}).get("name")), _string((doc.get("period") or {}).get("text"))]
    joined = [t for t in (title, preamble) if t is not None]
    for s in SECTION_IDS:
        sec = sections.get(s)
        heading = _string(sec.get("heading")) if isinstance(sec, dict) else None
        body = _string(sec.get("text")) if isinstance(sec, dict) else None
        row += [heading, body]
        joined += [t for t in (heading, body) if t]
    overview = sections.get("overview")
    heads = None
    if isinstance(overview, dict):
        parts = overview.get("parts")
        if isinstance(parts, list) and parts:
            heads = "\n".join(p.get("heading", "") for p in parts if isinstance(p, dict))
        else:
            heads = "\n".join(line.strip()[:15] for line in str(overview.get("text", "")).splitlines())
    return row + [heads, "\n".join(joined)]


def reference_frame(docs: list[Doc]) -> pd.DataFrame:
    """The cell frame of ``docs``, built the plain way."""
    rows = [_cells_row(d) for d in docs]
    metas = [_meta_row(d) for d in docs]
    texts = [_text_row(d) for d in docs]
    columns: dict[str, Any] = {}
    for j, c in enumerate(cells()):
        columns[value_col(c.id)] = np.array([r[0][j] for r in rows], dtype=float)
    for j, c in enumerate(cells()):
        columns[status_col(c.id)] = np.array([r[1][j] for r in rows], dtype=np.int8)
    for j, name in enumerate(META_NAMES):
        columns[meta_col(name)] = np.array([r[j] for r in metas], dtype=float)
    for j, name in enumerate(text_names()):
        columns[text_col(name)] = pd.Series([r[j] for r in texts], dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(docs)))


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns in the same order, dtypes, index, values (exactly), and None placement."""
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got, want, check_dtype=True, check_exact=True, check_column_type=True,
                                  check_index_type=True)
    for name in got.columns[got.dtypes == object]:  # noqa: E721 - an elementwise pandas mask, not a type test
        assert [v is None for v in got[name]] == [v is None for v in want[name]], name


# ---------------------------------------------------------------------------------------
# The documents: the bundled ones and variants of them.

def _load(path: Path) -> Doc:
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(doc: Doc) -> list[dict[str, Any]]:
    """Every table row (an object of cells) of ``doc``."""
    out = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node and all(not isinstance(v, dict) for v in node.values()):
                out.append(node)
            for v in node.values():
                walk(v)

    walk(doc.get("tables"))
    return out


def _set_cells(values: list[Any], share: float) -> Callable[[Doc, random.Random], None]:
    """A mutation setting about ``share`` of the cells to values drawn from ``values``."""
    def mutate(doc: Doc, rng: random.Random) -> None:
        for row in _rows(doc):
            for key, v in row.items():
                if isinstance(v, (int, float)) and rng.random() < share:
                    row[key] = rng.choice(values)
    return mutate


def _delete(path: tuple[str, ...]) -> Callable[[Doc, random.Random], None]:
    def mutate(doc: Doc, rng: random.Random) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return mutate


def _replace(path: tuple[str, ...], value: Any) -> Callable[[Doc, random.Random], None]:
    def mutate(doc: Doc, rng: random.Random) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[path[-1]] = copy.deepcopy(value)
    return mutate


def _delete_random_cells(doc: Doc, rng: random.Random) -> None:
    for row in _rows(doc):
        for key in [k for k in row if rng.random() < 0.1]:
            del row[key]


def _delete_random_rows(doc: Doc, rng: random.Random) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in [k for k, v in node.items() if isinstance(v, dict) and rng.random() < 0.15]:
                del node[key]
            for v in node.values():
                walk(v)
    walk(doc.get("tables"))


def _extra_keys(doc: Doc, rng: random.Random) -> None:
    doc["x-unknown"] = {"a": 1}
    for row in _rows(doc):
        row["x-extra"] = rng.choice([1, "note", None, {"deep": 1}])
    for table in (doc.get("tables") or {}).values():
        if isinstance(table, dict):
            table["x-table-note"] = "注"
    for sec in (doc.get("sections") or {}).values():
        if isinstance(sec, dict):
            sec["x-extra"] = [1, 2]


def _shuffle_keys(doc: Doc, rng: random.Random) -> None:
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            items = list(node.items())
            rng.shuffle(items)
            return {k: walk(v) for k, v in items}
        return node
    doc["tables"] = walk(doc.get("tables"))


def _wrong_nodes(doc: Doc, rng: random.Random) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if isinstance(node[key], dict) and rng.random() < 0.1:
                    node[key] = rng.choice([None, [], [1, 2], "文字", 0, {}])
                else:
                    walk(node[key])
    walk(doc.get("tables"))


def _section_texts(doc: Doc, rng: random.Random) -> None:
    for sec in (doc.get("sections") or {}).values():
        if isinstance(sec, dict):
            for key, choices in (("heading", [None, "", 3, "（二）"]),
                                 ("text", [None, "", 2.0, "  一行\n\n两行  \n三"]),
                                 ("position", [None, 0, 2.0, True])):
                if rng.random() < 0.3:
                    sec[key] = rng.choice(choices)
                elif rng.random() < 0.2:
                    sec.pop(key, None)


def _unread_rows(doc: Doc, rng: random.Random) -> None:
    """Delete some table rows and list them (and one row still there) as unread."""
    unread: list[str] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for key in [k for k, v in node.items() if isinstance(v, dict)]:
                if rng.random() < 0.15:
                    del node[key]
                    unread.append(f"{pointer}/{key}")
                elif rng.random() < 0.05:
                    unread.append(f"{pointer}/{key}")  # filled in: the document wins
                else:
                    walk(node[key], f"{pointer}/{key}")
    walk(doc.get("tables"), "/tables")
    doc["reading"] = {"unread": unread}


def _unread_cells(doc: Doc, rng: random.Random) -> None:
    """Delete some cells and list them as unread; list a few present cells and absent places too."""
    unread = ["/tables/requests/new/total", "/sections/problems", "/tables/nowhere/x"]

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if isinstance(node[key], dict):
                    walk(node[key], f"{pointer}/{key}")
                elif rng.random() < 0.1:
                    del node[key]
                    unread.append(f"{pointer}/{key}")
    walk(doc.get("tables"), "/tables")
    doc["reading"] = {"unread": unread, "derived": ["/tables/requests/carried_in/total"],
                      "notices": [{"code": "table-unread", "target": "/tables/requests", "values": {"count": 3}}]}


def _unread_table(doc: Doc, rng: random.Random) -> None:
    (doc.get("tables") or {}).pop("requests", None) if isinstance(doc.get("tables"), dict) else None
    doc["reading"] = {"unread": ["/tables/requests"]}


def _unread_group(doc: Doc, rng: random.Random) -> None:
    tables = doc.get("tables")
    if isinstance(tables, dict) and isinstance(tables.get("requests"), dict):
        tables["requests"].pop("withheld", None)
    doc["reading"] = {"unread": ["/tables/requests/withheld/state_secret", "/tables/requests/withheld/prohibited_by_law"]}


MUTATIONS: dict[str, Callable[[Doc, random.Random], None]] = {
    "blank cells": _set_cells([None], 0.2),
    "text cells": _set_cells(["12", "—", "", "无", " 3 "], 0.2),
    "bool cells": _set_cells([True, False], 0.1),
    "decimal cells": _set_cells([2.5, 3.0, -0.0, 1e-9, 1e300], 0.1),
    "huge cells": _set_cells([2 ** 63, -2 ** 63 - 1, 2 ** 70, 10 ** 20], 0.05),
    "nan cells": _set_cells([float("nan")], 0.05),
    "nan and blank cells": lambda doc, rng: (_set_cells([float("nan")], 0.05)(doc, rng),
                                             _set_cells([None], 0.05)(doc, rng)),
    "mixed cells": _set_cells([None, "x", True, 1.5, 7, 0], 0.3),
    "missing cells": _delete_random_cells,
    "missing rows": _delete_random_rows,
    "wrong nodes": _wrong_nodes,
    "extra keys": _extra_keys,
    "shuffled keys": _shuffle_keys,
    "section texts": _section_texts,
    "no tables": _delete(("tables",)),
    "tables null": _replace(("tables",), None),
    "no proactive table": _delete(("tables", "proactive")),
    "requests table a list": _replace(("tables", "requests"), [1, 2]),
    "appeals table empty": _replace(("tables", "appeals"), {}),
    "no withheld group": _delete(("tables", "requests", "withheld")),
    "withheld group a string": _replace(("tables", "requests", "withheld"), "无"),
    "no sections": _delete(("sections",)),
    "no overview": _delete(("sections", "overview")),
    "no problems": _delete(("sections", "problems")),
    "overview without parts": _delete(("sections", "overview", "parts")),
    "overview parts odd": _replace(("sections", "overview", "parts"),
                                   [{"heading": "（一）甲"}, "乙", {"text": "丙"}]),
    "overview parts empty": _replace(("sections", "overview", "parts"), []),
    "section a string": _replace(("sections", "other"), "其他"),
    "format 2019": _replace(("format",), "2019"),
    "format 2021": _replace(("format",), "2021"),
    "format unknown": _replace(("format",), "2030"),
    "no format": _delete(("format",)),
    "year text": _replace(("year",), "2024"),
    "year bool": _replace(("year",), True),
    "no year": _delete(("year",)),
    "bad dates": lambda doc, rng: (_replace(("published",), "2024-13-40")(doc, rng),
                                   _replace(("period", "start"), 20240101)(doc, rng),
                                   _delete(("period", "end"))(doc, rng)),
    "unknown kind and level": lambda doc, rng: (_replace(("agency", "kind"), "committee")(doc, rng),
                                                _replace(("agency", "level"), ["county"])(doc, rng)),
    "no agency": _delete(("agency",)),
    "title not text": lambda doc, rng: (_replace(("title",), 42)(doc, rng), _replace(("preamble",), "")(doc, rng)),
    "source url": _replace(("source",), {"url": "https://example.gov.cn/r.html"}),
    "source url not text": _replace(("source",), {"url": ["x"]}),
    "unread rows": _unread_rows,
    "unread cells": _unread_cells,
    "unread table": _unread_table,
    "unread rows of a missing group": _unread_group,
    "unread everything": _replace(("reading",), {"unread": ["/tables"]}),
    "reading odd": _replace(("reading",), {"unread": [1, None, "", "tables/requests", "/tables/requests/new"]}),
    "reading not an object": _replace(("reading",), ["/tables/requests"]),
    "reading notices only": _replace(("reading",), {"notices": [{"code": "year-inferred", "target": "/year"}]}),
}


def _variants(base: list[Doc], count: int, seed: int) -> list[Doc]:
    """Every mutation of every base document, then ``count`` random combinations."""
    rng = random.Random(seed)
    out = []
    for doc in base:
        for mutate in MUTATIONS.values():
            variant = copy.deepcopy(doc)
            mutate(variant, rng)
            out.append(variant)
    names = sorted(MUTATIONS)
    for _ in range(count):
        variant = copy.deepcopy(rng.choice(base))
        for name in rng.sample(names, rng.randint(2, 5)):
            MUTATIONS[name](variant, rng)
        out.append(variant)
    return out


@pytest.fixture(scope="module")
def base_docs() -> list[Doc]:
    docs = [_load(p) for p in DOCUMENTS]
    assert len(docs) >= 4 and {d["format"] for d in docs} == {"2019", "2021"}
    return docs


@pytest.fixture(scope="module")
def variant_docs(base_docs: list[Doc]) -> list[Doc]:
    return _variants(base_docs, count=300, seed=20240501)


# ---------------------------------------------------------------------------------------
# The tests.

def test_bundled_documents_match_the_reference(base_docs: list[Doc]) -> None:
    assert_same_frame(build_frame(base_docs), reference_frame(base_docs))


def test_variants_match_the_reference(base_docs: list[Doc], variant_docs: list[Doc]) -> None:
    docs = base_docs + variant_docs
    frame = build_frame(docs)
    assert_same_frame(frame, reference_frame(docs))
    # The variants do reach every kind of cell.
    status = frame[[status_col(c.id) for c in cells()]].to_numpy()
    assert {NUMBER, BLANK, TEXT, ABSENT, UNREAD} <= set(np.unique(status).tolist())


def test_batch_rows_equal_single_documents(base_docs: list[Doc], variant_docs: list[Doc]) -> None:
    docs = base_docs + variant_docs[::3]
    alone = pd.concat([build_frame([d]) for d in docs], ignore_index=True)
    assert_same_frame(build_frame(docs), alone)


def test_order_and_batch_split_do_not_matter(base_docs: list[Doc], variant_docs: list[Doc]) -> None:
    docs = base_docs + variant_docs
    order = random.Random(7).sample(range(len(docs)), len(docs))
    shuffled = build_frame([docs[i] for i in order])
    assert_same_frame(shuffled, reference_frame([docs[i] for i in order]))
    halves = pd.concat([build_frame(docs[:100]), build_frame(docs[100:])], ignore_index=True)
    assert_same_frame(halves, build_frame(docs))


def test_one_format_batches(base_docs: list[Doc], variant_docs: list[Doc]) -> None:
    for fmt in FORMATS:
        docs = [d for d in base_docs + variant_docs if d.get("format") == fmt]
        assert docs
        assert_same_frame(build_frame(docs), reference_frame(docs))


def test_empty_batch() -> None:
    assert_same_frame(build_frame([]), reference_frame([]))


def test_frame_layout(base_docs: list[Doc]) -> None:
    frame = build_frame(base_docs * 3)
    names = ([value_col(c.id) for c in cells()] + [status_col(c.id) for c in cells()]
             + [meta_col(m) for m in META_NAMES] + [text_col(t) for t in text_names()])
    assert list(frame.columns) == names
    assert isinstance(frame.index, pd.RangeIndex) and list(frame.index) == list(range(len(base_docs) * 3))
    dtypes = ([np.float64] * len(cells()) + [np.int8] * len(cells()) + [np.float64] * len(META_NAMES)
              + [object] * len(text_names()))
    assert list(frame.dtypes) == [np.dtype(t) for t in dtypes]
    # Each column's values lie together in memory, for fast column-wise checks.
    assert all(frame[name].to_numpy().flags.c_contiguous for name in names)


def test_corpus_documents_match_the_reference(corpus_dir: Path) -> None:
    from checker.errors import InputError
    from checker.ingest import read_document

    docs = []
    for path in sorted((corpus_dir / "text").glob("*.txt")):
        try:
            docs.append(read_document(path))
        except InputError:
            continue  # a report gkcheck cannot read without help (e.g. no year)
    assert len(docs) >= 20
    assert_same_frame(build_frame(docs), reference_frame(docs))
    variants = _variants(docs[:5], count=50, seed=3)
    assert_same_frame(build_frame(docs + variants), reference_frame(docs + variants))
