"""The cell frame: one row per report, one column per table cell, plus metadata columns.

Column families (all in one pandas DataFrame so one pandera schema sees everything):

* ``v:<cell id>`` — the cell's number (float64); NaN when blank, text or absent.
* ``s:<cell id>`` — the cell's status (int8): 0 number, 1 blank, 2 text, 3 absent.
* ``t:<field>`` — texts (object dtype, None when absent): ``title``, ``preamble``,
  ``source.url``, ``sections.<id>.heading`` and ``sections.<id>.text``,
  ``sections.overview.heads`` (the sub-part headings of 总体情况 one per line, or when it
  has no recorded parts the first 15 characters of each line of its text), and ``all``
  (title, preamble and every section heading and text, joined by newlines).
* ``m:<field>`` — metadata: ``year``, ``format`` (0 = 2021, 1 = 2019), ``kind`` and
  ``level`` (codes, -1 unknown), ``published``, ``period_start``, ``period_end``
  (proleptic ordinals, NaN unknown), ``pos:<section>`` (order of the section, NaN absent)
  and ``table:<name>`` (1 when the table is present).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from checker.document import SECTION_IDS, cells

NUMBER, BLANK, TEXT, ABSENT = 0, 1, 2, 3
FORMATS = ("2021", "2019")
KINDS = ("government", "department", "office", "subdistrict", "other")
LEVELS = ("national", "provincial", "prefectural", "county", "township")
TABLES = ("proactive", "requests", "appeals")


def value_col(cell_id: str) -> str:
    """Frame column holding the cell's number."""
    return "v:" + cell_id


def status_col(cell_id: str) -> str:
    """Frame column holding the cell's status code."""
    return "s:" + cell_id


def text_col(name: str) -> str:
    """Frame column holding a text field."""
    return "t:" + name


def meta_col(name: str) -> str:
    """Frame column holding a metadata field."""
    return "m:" + name


# Absent cells are marked with this very NaN object (compared by identity); documents come
# from JSON, which has no NaN (the loader refuses NaN and Infinity).
_ABSENT_VALUE = float("nan")
_STATUS_OF_TYPE = {int: NUMBER, float: NUMBER, type(None): BLANK, str: TEXT, bool: TEXT}


@dataclass(frozen=True)
class _RowPlan:
    """How to read one table row of one format: path from the table, keys, and a C-level getter."""

    path: tuple[str, ...]
    keys: tuple[str, ...]
    getter: Callable[[dict[str, Any]], Any]
    filler: tuple[float, ...]


@cache
def _layout() -> dict[str, tuple[dict[str, tuple[_RowPlan, ...]], np.ndarray]]:
    """Per format: the row plans of each table, and the frame column of each value read in order."""
    all_cells = cells()
    out = {}
    for fmt in FORMATS:
        plans: dict[str, list[_RowPlan]] = {t: [] for t in TABLES}
        order: list[int] = []
        for table in TABLES:
            rows: dict[tuple[str, ...], list[tuple[int, str]]] = {}
            for i, c in enumerate(all_cells):
                if c.table == table and fmt in c.formats:
                    keys = c.id.split(".")
                    rows.setdefault(tuple(keys[1:-1]), []).append((i, keys[-1]))
            for path, items in rows.items():
                keys = tuple(k for _, k in items)
                getter = itemgetter(*keys) if len(keys) > 1 else (lambda d, k=keys[0]: (d[k],))
                plans[table].append(_RowPlan(path, keys, getter, (_ABSENT_VALUE,) * len(keys)))
                order.extend(i for i, _ in items)
        out[fmt] = ({t: tuple(p) for t, p in plans.items()}, np.asarray(order))
    return out


def _ordinal(text: Any) -> float:
    if not isinstance(text, str):
        return np.nan
    try:
        return float(dt.date.fromisoformat(text).toordinal())
    except ValueError:
        return np.nan


def _code(value: Any, options: tuple[str, ...]) -> int:
    try:
        return options.index(value)
    except ValueError:
        return -1


def build_frame(docs: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Build the cell frame for ``docs`` (valid report documents), one row each, in order."""
    all_cells = cells()
    n, m = len(docs), len(all_cells)
    layout = _layout()
    by_format: dict[str, tuple[list[int], list[list[Any]]]] = {f: ([], []) for f in FORMATS}
    meta: dict[str, list[float]] = {name: [] for name in _meta_names()}
    texts: dict[str, list[str | None]] = {name: [] for name in text_names()}
    empty: dict[str, Any] = {}
    for r, doc in enumerate(docs):
        fmt = doc.get("format") if doc.get("format") in layout else FORMATS[0]
        plans = layout[fmt][0]
        raw: list[Any] = []
        tables = doc.get("tables") or empty
        for table in TABLES:
            tdoc = tables.get(table)
            present = isinstance(tdoc, dict)
            meta["table:" + table].append(1.0 if present else 0.0)
            for plan in plans[table]:
                node: Any = tdoc if present else None
                for k in plan.path:
                    node = node.get(k) if isinstance(node, dict) else None
                if not isinstance(node, dict):
                    raw.extend(plan.filler)
                    continue
                try:
                    raw.extend(plan.getter(node))
                except KeyError:
                    raw.extend(node.get(k, _ABSENT_VALUE) for k in plan.keys)
        rows, raws = by_format[fmt]
        rows.append(r)
        raws.append(raw)
        _fill_meta(meta, doc)
        _fill_texts(texts, doc)
    status = np.full((n, m), ABSENT, dtype=np.int8)
    values = np.full((n, m), np.nan)
    for fmt, (rows, raws) in by_format.items():
        if rows:
            s_part, v_part = _classify(raws)
            cols = layout[fmt][1]
            status[np.ix_(rows, cols)] = s_part
            values[np.ix_(rows, cols)] = v_part
    frame = pd.concat([pd.DataFrame(values, columns=[value_col(c.id) for c in all_cells]),
                       pd.DataFrame(status, columns=[status_col(c.id) for c in all_cells]),
                       pd.DataFrame({meta_col(k): np.asarray(v, dtype=float) for k, v in meta.items()}),
                       pd.DataFrame({text_col(k): pd.Series(v, dtype=object) for k, v in texts.items()})],
                      axis=1)
    return frame


def _classify(raws: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Status codes and numbers of raw cell values (all rows of one format).

    Rows holding only numbers and absent cells (the usual case) are converted in one numpy
    call; rows with blanks or text are classified cell by cell.
    """
    n, m = len(raws), len(raws[0])
    fast_idx, fast_rows, slow_idx = [], [], []
    numeric = {int, float}
    for r, raw in enumerate(raws):
        if set(map(type, raw)) <= numeric:
            fast_idx.append(r)
            fast_rows.append(raw)
        else:
            slow_idx.append(r)
    values = np.full((n, m), np.nan)
    if fast_rows:
        values[fast_idx] = np.array(fast_rows, dtype=float)
    status = np.where(np.isnan(values), ABSENT, NUMBER).astype(np.int8)
    codes, absent = _STATUS_OF_TYPE, _ABSENT_VALUE
    for r in slow_idx:
        raw = raws[r]
        status[r] = [ABSENT if v is absent else codes.get(type(v), TEXT) for v in raw]
        values[r] = [v if type(v) in numeric else np.nan for v in raw]
    return status, values


@cache
def text_names() -> tuple[str, ...]:
    """Names of the text columns (without the ``t:`` prefix)."""
    per_section = [f"sections.{s}.{f}" for s in SECTION_IDS for f in ("heading", "text")]
    return ("title", "preamble", "source.url", *per_section, "sections.overview.heads", "all")


def _heads(section: dict[str, Any]) -> str:
    parts = section.get("parts")
    if isinstance(parts, list) and parts:
        return "\n".join(p.get("heading", "") for p in parts if isinstance(p, dict))
    return "\n".join(line.strip()[:15] for line in str(section.get("text", "")).splitlines())


def _fill_texts(texts: dict[str, list[str | None]], doc: dict[str, Any]) -> None:
    joined: list[str] = []
    for key in ("title", "preamble"):
        value = doc.get(key)
        if isinstance(value, str):
            texts[key].append(value)
            joined.append(value)
        else:
            texts[key].append(None)
    url = (doc.get("source") or _EMPTY).get("url")
    texts["source.url"].append(url if isinstance(url, str) else None)
    sections = doc.get("sections") or _EMPTY
    for s in SECTION_IDS:
        sec = sections.get(s)
        heading = sec.get("heading") if isinstance(sec, dict) else None
        body = sec.get("text") if isinstance(sec, dict) else None
        heading = heading if isinstance(heading, str) else None
        body = body if isinstance(body, str) else None
        texts[f"sections.{s}.heading"].append(heading)
        texts[f"sections.{s}.text"].append(body)
        if heading:
            joined.append(heading)
        if body:
            joined.append(body)
    overview = sections.get("overview")
    texts["sections.overview.heads"].append(_heads(overview) if isinstance(overview, dict) else None)
    texts["all"].append("\n".join(joined))


_EMPTY: dict[str, Any] = {}


@cache
def _meta_names() -> tuple[str, ...]:
    return ("year", "format", "kind", "level", "published", "period_start", "period_end",
            *("pos:" + s for s in SECTION_IDS), *("table:" + t for t in TABLES))


def _fill_meta(meta: dict[str, list[float]], doc: dict[str, Any]) -> None:
    agency = doc.get("agency") or {}
    period = doc.get("period") or {}
    sections = doc.get("sections") or {}
    meta["year"].append(float(doc["year"]) if isinstance(doc.get("year"), int) else np.nan)
    meta["format"].append(float(_code(doc.get("format"), FORMATS)))
    meta["kind"].append(float(_code(agency.get("kind"), KINDS)))
    meta["level"].append(float(_code(agency.get("level"), LEVELS)))
    meta["published"].append(_ordinal(doc.get("published")))
    meta["period_start"].append(_ordinal(period.get("start")))
    meta["period_end"].append(_ordinal(period.get("end")))
    for s in SECTION_IDS:
        sec = sections.get(s)
        pos = sec.get("position") if isinstance(sec, dict) else None
        if isinstance(sec, dict) and pos is None:
            pos = SECTION_IDS.index(s)
        meta["pos:" + s].append(float(pos) if pos is not None else np.nan)
