"""Table kinds: arithmetic identities and cell values, vectorized over the cell frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from checker.document import cell_index, cells, titles
from checker.formats import FORMATS
from checker.frame import (
    ABSENT,
    BLANK,
    NUMBER,
    TEXT,
    UNREAD,
    meta_col,
    status_col,
    value_col,
)
from checker.kinds.base import FrameCheck, Payload, number
from checker.totals import derive_rows, parts_of


class SumCompare(FrameCheck):
    """``sum(left) op sum(right)`` with op ``eq`` (equal) or ``le`` (at most).

    A finding points at the cell ``at`` names: the cell it blames (a total compared with its
    parts, a figure larger than it may be). Without ``at``, the first cell of ``left`` (the
    side a rule writes the total or the bounded figure on).
    """


    def __init__(self, left: list[str], right: list[str], op: str = "eq", at: str | None = None, **_: Any) -> None:
        index = cell_index()
        for cid in (*left, *right):
            if cid not in index:
                raise KeyError(cid)
        self.left, self.right, self.op = list(left), list(right), op
        self.uses_derived = op != "eq"  # an equality of sums is the arithmetic derived cells were split by
        self.cells = list(dict.fromkeys([*left, *right]))
        self.pointer = index[at or left[0]].pointer
        self.columns = [value_col(c) for c in self.cells] + [status_col(c) for c in self.cells]

    def _sums(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        lsum = df[[value_col(c) for c in self.left]].to_numpy().sum(axis=1)
        rsum = df[[value_col(c) for c in self.right]].to_numpy().sum(axis=1)
        return lsum, rsum

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return (df[[status_col(c) for c in self.cells]].to_numpy() == NUMBER).all(axis=1)

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        lsum, rsum = self._sums(df)
        with np.errstate(invalid="ignore"):
            if self.op == "le":
                return lsum > rsum + 1e-9
            return np.abs(lsum - rsum) > 1e-9

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        lsum, rsum = self._sums(df.iloc[rows])
        return [[Payload(self.pointer, {"left": number(a), "right": number(b), "diff": number(abs(a - b))})]
                for a, b in zip(lsum, rsum)]


class _TableCells(FrameCheck):
    """Base for checks over every cell of one table (for the report's format)."""

    def __init__(self, cell_ids: list[str], table: str) -> None:
        self.table = table
        self.cells = [cell_index()[c] for c in cell_ids]
        self.status_cols = [status_col(c.id) for c in self.cells]
        self.value_cols = [value_col(c.id) for c in self.cells]
        self.columns = ["m:table:" + table, *self.status_cols, *self.value_cols]

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return df["m:table:" + self.table].to_numpy() == 1


def _row_pointer(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0]


class CellNumber(_TableCells):
    """Every cell of the table holds a number (blank or text cells fail): one finding per table.

    The finding names the row when one row has blank or text cells; it is about the table, at the
    table's pointer, when several have (naming the first rows and counting the cells: a table
    filled in only where something happened, its other rows left blank, is one finding, not one
    per row), and says the table is not filled in when it holds no number at all (none of its
    cells left unread).

    The finding's ``advice`` is the rule's ``advice`` (fill in 0), or, for a blank total whose
    parts are all numbers, ``advice_total`` with the total's label (``{cell}``) and the sum of its
    parts (``{value}``): such a total is not 0.
    """

    def __init__(self, cell_ids: list[str], table: str, advice: dict[str, str] | None = None,
                 advice_total: dict[str, str] | None = None, **_: Any) -> None:
        super().__init__(cell_ids, table)
        self.advice = (advice or {}).get("zh", ""), (advice or {}).get("en", "")
        self.advice_total = (advice_total or {}).get("zh", ""), (advice_total or {}).get("en", "")
        self._totals = [j for j, c in enumerate(self.cells) if parts_of(c.id)] if advice_total else []
        self.context_columns = (meta_col("format"),) if self._totals else ()

    def _derived(self, df: pd.DataFrame, rows: np.ndarray) -> dict[int, np.ndarray]:
        """Per total (its position in ``cells``): the sum of its parts in ``rows`` where it is blank
        and derivable, else NaN."""
        out: dict[int, np.ndarray] = {}
        fmts = df[meta_col("format")].to_numpy()[rows] if self._totals else None
        for j in self._totals:
            cid = self.cells[j].id
            cols = (cid, *parts_of(cid))
            ok, value = derive_rows(cid, fmts, {c: df[value_col(c)].to_numpy()[rows] for c in cols},  # type: ignore[arg-type]
                                    {c: df[status_col(c)].to_numpy()[rows] for c in cols})
            if ok.any():
                out[j] = np.where(ok, value, np.nan)
        return out

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        s = df[self.status_cols].to_numpy()
        return ((s == BLANK) | (s == TEXT)).any(axis=1)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        s = df[self.status_cols].to_numpy()[rows]
        derived = self._derived(df, np.asarray(rows))
        out = []
        for i, r in enumerate(rows):
            by_row: dict[str, list[tuple[Any, Any, float | None]]] = {}
            for j in np.flatnonzero((s[i] == BLANK) | (s[i] == TEXT)).tolist():
                cell = self.cells[j]
                raw = _raw(docs[r], cell.path) if s[i][j] == TEXT else None
                total = derived[j][i] if j in derived and not np.isnan(derived[j][i]) else None
                by_row.setdefault(_row_pointer(cell.pointer), []).append((cell, raw, total))
            plain = {ptr: [(c, raw) for c, raw, _ in items] for ptr, items in by_row.items()}
            every = [item for items in by_row.values() for item in items]
            if not ((s[i] == NUMBER) | (s[i] == UNREAD)).any():
                out.append([self._advised(_empty_table_payload(self.table, plain), every)])
            elif len(by_row) > 1:
                out.append([self._advised(_blank_rows_payload(self.table, plain), every, full=True)])
            else:
                out.append([self._advised(_blank_payload(ptr, plain[ptr]), items) for ptr, items in by_row.items()])
        return out

    def _advised(self, payload: Payload, items: list[tuple[Any, Any, float | None]], full: bool = False) -> Payload:
        """A finding's payload with its advice: fill in 0, or a derivable total's value (the total named by its
        column, or by row and column when the finding covers several rows: ``full``)."""
        totals = [(c, v) for c, _, v in items if v is not None]
        zh = [self.advice_total[0].format(cell=c.zh if full else c.column[0], value=number(v))
              for c, v in totals]
        en = [self.advice_total[1].format(cell=c.en if full else c.column[1], value=number(v))
              for c, v in totals]
        if len(totals) < len(items):  # other blank or text cells: the general advice too
            zh.insert(0, self.advice[0])
            en.insert(0, self.advice[1])
        payload.values.update({"advice": "".join(zh), "advice_en": " ".join(en)})
        if totals:
            payload.values["derived"] = {c.id: number(v) for c, v in totals}
        return payload


def _raw(doc: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = doc
    for k in path:
        node = node.get(k) if isinstance(node, dict) else None
    return node


def _empty_table_payload(table: str, by_row: dict[str, list[tuple[Any, Any]]]) -> Payload:
    """One finding for a table that holds no number at all: how many rows and cells, blank or text."""
    items = [item for found in by_row.values() for item in found]
    n, rows = len(items), len(by_row)
    blank = sum(1 for _, raw in items if raw is None)
    text = list(dict.fromkeys(str(raw) for _, raw in items if raw is not None))
    if blank == n:
        zh, en = f"{rows} 行共 {n} 个单元格均为空", f"all {n} cells of its {rows} rows are blank"
    else:
        shown = "、".join(f"“{t}”" for t in text[:3]) + ("等" if len(text) > 3 else "")
        shown_en = ", ".join(f"“{t}”" for t in text[:3]) + (" …" if len(text) > 3 else "")
        zh = f"{rows} 行共 {n} 个单元格没有一个数字（" + (f"{blank} 个为空，" if blank else "") + f"{n - blank} 个填写为{shown}）"
        en = (f"none of the {n} cells of its {rows} rows holds a number (" + (f"{blank} blank, " if blank else "")
              + f"{n - blank} reading {shown_en})")
    return Payload(f"/tables/{table}", {"place": "整表未填写", "place_en": " is not filled in", "row": "", "row_en": "",
                                        "problem": zh, "problem_en": en, "count": n, "rows": rows})


def _cells_problem(items: list[tuple[Any, Any]]) -> tuple[str, str]:
    """How many cells are blank, and what the others hold (at most three distinct texts shown)."""
    blank = sum(1 for _, raw in items if raw is None)
    text = list(dict.fromkeys(str(raw) for _, raw in items if raw is not None))
    zh, en = [], []
    if blank:
        zh.append(f"{blank} 个单元格为空")
        en.append(f"{blank} blank cell(s)")
    if text:
        zh.append(f"{len(items) - blank} 个单元格填写为" + "".join(f"“{t}”" for t in text[:3]) + ("等" if len(text) > 3 else ""))
        en.append(f"{len(items) - blank} cell(s) reading " + ", ".join(f"“{t}”" for t in text[:3])
                  + (" …" if len(text) > 3 else ""))
    return "，".join(zh), ", ".join(en)


def _blank_rows_payload(table: str, by_row: dict[str, list[tuple[Any, Any]]]) -> Payload:
    """One finding for the blank or text cells of several rows of one table: the first rows named, the cells counted."""
    items = [item for found in by_row.values() for item in found]
    labels = [found[0][0].row for found in by_row.values()]
    n = len(by_row)
    shown_zh = "".join(f"“{zh}”" for zh, _ in labels[:3]) + ("等" if n > 3 else "")
    shown_en = ", ".join(f"“{en}”" for _, en in labels[:3]) + (" and others" if n > 3 else "")
    cells_zh, cells_en = _cells_problem(items)
    return Payload(f"/tables/{table}", {"place": f"有 {n} 行没有填全", "place_en": f" has {n} rows not filled in",
                                        "row": "", "row_en": "", "problem": f"{shown_zh}，共 {cells_zh}",
                                        "problem_en": f"{shown_en}; {cells_en}", "count": len(items), "rows": n})


def _blank_payload(row_pointer: str, items: list[tuple[Any, Any]]) -> Payload:
    row_zh, row_en = items[0][0].row
    blank = [c for c, raw in items if raw is None]
    text = [(c, raw) for c, raw in items if raw is not None]
    zh_parts, en_parts = [], []
    if blank:
        zh_parts.append("、".join(c.column[0] for c in blank) + f" {len(blank)} 个单元格为空")
        en_parts.append(", ".join(c.column[1] for c in blank) + f": {len(blank)} blank cell(s)")
    if text:
        zh_parts.append("、".join(f"{c.column[0]}填写为“{raw}”" for c, raw in text))
        en_parts.append(", ".join(f"{c.column[1]} reads “{raw}”" for c, raw in text))
    return Payload(row_pointer, {"place": f"“{row_zh}”一行", "place_en": f", row “{row_en}”",
                                 "row": row_zh, "row_en": row_en, "problem": "；".join(zh_parts),
                                 "problem_en": "; ".join(en_parts), "count": len(items)})


class CellRange(_TableCells):
    """Every numeric cell of the table lies within [min, max] and is whole when ``integer``."""

    def __init__(self, cell_ids: list[str], table: str, min: float | None = None, max: float | None = None,
                 integer: bool = False, **_: Any) -> None:
        super().__init__(cell_ids, table)
        self.low, self.high, self.integer = min, max, integer

    def _bad(self, v: np.ndarray) -> np.ndarray:
        bad = np.zeros(v.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.low is not None:
                bad |= v < self.low
            if self.high is not None:
                bad |= v > self.high
            if self.integer:
                bad |= np.isfinite(v) & (np.floor(v) != v)
        return bad

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return np.any(self._bad(df[self.value_cols].to_numpy()), axis=1)  # (np.any: see engine._PartlyRead.json)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        v = df[self.value_cols].to_numpy()[rows]
        bad = self._bad(v)
        return [[Payload(self.cells[j].pointer, {"cell": self.cells[j].zh, "cell_en": self.cells[j].en,
                                                  "value": number(v[i][j])})
                 for j in np.flatnonzero(bad[i])] for i in range(len(rows))]



class CellPresent(_TableCells):
    """The table has every row and column of its format (no missing cells), one finding per row.

    A table that is there but holds no row at all (only its header or note) is one finding
    about the whole table, at the table's pointer, given by the instance that selects the
    table's first row (e.g. GK-T3-001); an instance of a few rows only (GK-T3-002, the
    sub-rows of （六）) is not assessable on such a table instead of repeating it.
    """

    def __init__(self, cell_ids: list[str], table: str, **_: Any) -> None:
        super().__init__(cell_ids, table)
        every = [c for c in cells() if c.table == table]
        first_row = _row_pointer(every[0].pointer)
        self.table_status_cols = [status_col(c.id) for c in every]
        self.table_rows = {fmt: len({_row_pointer(c.pointer) for c in every if fmt in c.formats})
                           for fmt in FORMATS}
        self.owner = any(_row_pointer(c.pointer) == first_row for c in self.cells)
        # An instance of a few rows reads the whole table to tell a table without rows (not its inputs).
        self.context_columns = () if self.owner else tuple(self.table_status_cols)

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        present = super().assessable(df)
        if self.owner:
            return present
        no_row = (df[self.table_status_cols].to_numpy() == ABSENT).all(axis=1)
        return present & ~no_row

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return (df[self.status_cols].to_numpy() == ABSENT).any(axis=1)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        s = df[self.status_cols].to_numpy()[rows]
        no_row = (df[self.table_status_cols].to_numpy()[rows] == ABSENT).all(axis=1)  # the whole frame here
        formats = df[meta_col("format")].to_numpy()[rows]
        out = []
        for i in range(len(rows)):
            if no_row[i]:
                fmt = FORMATS[int(formats[i])] if 0 <= formats[i] < len(FORMATS) else FORMATS[0]
                n = self.table_rows[fmt]
                out.append([Payload(f"/tables/{self.table}", {
                    "place": "整表未填写", "place_en": " is not filled in", "row": "", "row_en": "",
                    "problem": f"表格只有表头，格式规定的 {n} 行一行也没有",
                    "problem_en": f"the table has its header only, none of the format's {n} rows",
                    "count": int((s[i] == ABSENT).sum()), "rows": n})])
                continue
            by_row: dict[str, list[Any]] = {}
            for j in np.flatnonzero(s[i] == ABSENT):
                by_row.setdefault(_row_pointer(self.cells[j].pointer), []).append(self.cells[j])
            single = self._single_row_group(by_row, docs[rows[i]])
            if single is not None:
                out.append([single])
                continue
            payloads = []
            for ptr, missing in by_row.items():
                row_total = sum(1 for c in self.cells if _row_pointer(c.pointer) == ptr)
                zh_row, en_row = missing[0].row
                if len(missing) == row_total:
                    problem, problem_en = "整行缺失", "the whole row is missing"
                else:
                    problem = "缺少" + "、".join(c.column[0] for c in missing) + "列"
                    problem_en = "missing column(s) " + ", ".join(c.column[1] for c in missing)
                payloads.append(Payload(ptr, {"place": f"“{zh_row}”", "place_en": f", “{en_row}”",
                                              "row": zh_row, "row_en": en_row, "problem": problem,
                                              "problem_en": problem_en, "count": len(missing)}))
            out.append(payloads)
        return out

    def _single_row_group(self, by_row: dict[str, list[Any]], doc: dict[str, Any]) -> Payload | None:
        """One finding for a group of sub-rows written as one row (e.g. （六）其他处理 in one row, the trial
        format's way, in a table whose format splits it into three): every missing row is a whole sub-row
        of the same group, every sub-row of the group is missing, and the document holds the group as a
        row of values. None otherwise."""
        groups = {ptr.rsplit("/", 1)[0] for ptr in by_row}
        if len(groups) != 1:
            return None
        group = groups.pop()
        if group.count("/") < 3:  # a row of the table itself, not a sub-row of a group
            return None
        mine = list(dict.fromkeys(_row_pointer(c.pointer) for c in self.cells
                                  if _row_pointer(c.pointer).startswith(group + "/")))
        whole = all(len(cells_) == sum(1 for c in self.cells if _row_pointer(c.pointer) == ptr)
                    for ptr, cells_ in by_row.items())
        held = _raw(doc, tuple(group.strip("/").split("/")))
        if set(by_row) != set(mine) or not whole or not isinstance(held, dict) or not held \
                or any(isinstance(v, dict) for v in held.values()):
            return None
        key = ".".join(group.split("/")[2:])
        zh, en = titles().get(key, (key, key))
        subs = [titles().get(".".join(p.split("/")[2:]), ("", ""))[0].split(".", 1)[0] for p in mine]
        return Payload(group, {"place": f"“{zh}”", "place_en": f", “{en}”", "row": zh, "row_en": en,
                               "problem": f"只有一行，没有按格式分为 {'、'.join(subs)} 共 {len(mine)} 个分项",
                               "problem_en": f"a single row, not split into the format's {len(mine)} sub-rows",
                               "count": sum(len(v) for v in by_row.values())})
