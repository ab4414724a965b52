"""Table kinds: arithmetic identities and cell values, vectorized over the cell frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from checker.document import cell_index
from checker.frame import ABSENT, BLANK, NUMBER, TEXT, meta_col, status_col, value_col
from checker.kinds.base import FrameCheck, Payload, number
from checker.totals import derive_rows, parts_of


class SumCompare(FrameCheck):
    """``sum(left) op sum(right)`` with op ``eq`` (equal) or ``le`` (at most)."""

    def __init__(self, left: list[str], right: list[str], op: str = "eq", at: str | None = None, **_: Any) -> None:
        index = cell_index()
        for cid in (*left, *right):
            if cid not in index:
                raise KeyError(cid)
        self.left, self.right, self.op = list(left), list(right), op
        self.uses_derived = op != "eq"  # an equality of sums is the arithmetic derived cells were split by
        self.cells = list(dict.fromkeys([*left, *right]))
        self.pointer = index[at or right[0]].pointer
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
    """Every cell of the table holds a number (blank or text cells fail), one finding per table row.

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
            out.append([self._blank_payload(ptr, items) for ptr, items in by_row.items()])
        return out

    def _blank_payload(self, row_pointer: str, items: list[tuple[Any, Any, float | None]]) -> Payload:
        """The finding of one table row, with its advice: fill in 0, or a derivable total's value."""
        payload = _blank_payload(row_pointer, [(c, raw) for c, raw, _ in items])
        totals = [(c, v) for c, _, v in items if v is not None]
        zh = [self.advice_total[0].format(cell=c.zh.split("·")[-1], value=number(v)) for c, v in totals]
        en = [self.advice_total[1].format(cell=c.en.split(" · ")[-1], value=number(v)) for c, v in totals]
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


def _blank_payload(row_pointer: str, items: list[tuple[Any, Any]]) -> Payload:
    row_zh = "·".join(items[0][0].zh.split("·")[:-1])
    row_en = " · ".join(items[0][0].en.split(" · ")[:-1])
    blank = [c for c, raw in items if raw is None]
    text = [(c, raw) for c, raw in items if raw is not None]
    zh_parts, en_parts = [], []
    if blank:
        zh_parts.append("、".join(c.zh.split("·")[-1] for c in blank) + f" {len(blank)} 个单元格为空")
        en_parts.append(", ".join(c.en.split(" · ")[-1] for c in blank) + f": {len(blank)} blank cell(s)")
    if text:
        zh_parts.append("、".join(f"{c.zh.split('·')[-1]}填写为“{raw}”" for c, raw in text))
        en_parts.append(", ".join(f"{c.en.split(' · ')[-1]} reads “{raw}”" for c, raw in text))
    return Payload(row_pointer, {"row": row_zh, "row_en": row_en, "problem": "；".join(zh_parts),
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
        return self._bad(df[self.value_cols].to_numpy()).any(axis=1)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        v = df[self.value_cols].to_numpy()[rows]
        bad = self._bad(v)
        return [[Payload(self.cells[j].pointer, {"cell": self.cells[j].zh, "cell_en": self.cells[j].en,
                                                  "value": number(v[i][j])})
                 for j in np.flatnonzero(bad[i])] for i in range(len(rows))]



class CellPresent(_TableCells):
    """The table has every row and column of its format (no missing cells), one finding per row."""

    def __init__(self, cell_ids: list[str], table: str, **_: Any) -> None:
        super().__init__(cell_ids, table)

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return (df[self.status_cols].to_numpy() == ABSENT).any(axis=1)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        s = df[self.status_cols].to_numpy()[rows]
        out = []
        for i in range(len(rows)):
            by_row: dict[str, list[Any]] = {}
            for j in np.flatnonzero(s[i] == ABSENT):
                by_row.setdefault(_row_pointer(self.cells[j].pointer), []).append(self.cells[j])
            payloads = []
            for ptr, missing in by_row.items():
                row_total = sum(1 for c in self.cells if _row_pointer(c.pointer) == ptr)
                zh_row = "·".join(missing[0].zh.split("·")[:-1])
                en_row = " · ".join(missing[0].en.split(" · ")[:-1])
                if len(missing) == row_total:
                    problem, problem_en = "整行缺失", "the whole row is missing"
                else:
                    problem = "缺少" + "、".join(c.zh.split("·")[-1] for c in missing) + "列"
                    problem_en = "missing column(s) " + ", ".join(c.en.split(" · ")[-1] for c in missing)
                payloads.append(Payload(ptr, {"row": zh_row, "row_en": en_row, "problem": problem,
                                              "problem_en": problem_en, "count": len(missing)}))
            out.append(payloads)
        return out
