"""Totals of tables 三 and 四 that are the sum of other cells: what a blank total would be.

A 总计 cell is the sum of its parts in the format: in table 三 a row's 总计 column is the sum of
the six applicant columns, and each column of the （七）总计 row is the sum of the results
（一）to（六）; in table 四 each group's 总计 is 结果维持 + 结果纠正 + 其他结果 + 尚未审结. These are
the format's own arithmetic (the identities GK-T3-011, GK-T3-012 and GK-T4-010 check), not
wording. When a total is blank and its parts are all numbers, the total is derivable: the
narrative rules compare a statement with it (saying it was derived) and the blank-cell rule
gives the value instead of advising 0.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from checker.document import cells
from checker.formats import FORMATS
from checker.frame import BLANK, NUMBER

# Rows of table 三 that are not results (the results are summed into the （七）总计 row).
_NOT_RESULTS = frozenset({"new", "carried_in", "total", "carried_over"})


@cache
def derivations(fmt: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Per total cell id of format ``fmt``: the ways to add it up (each a tuple of cell ids)."""
    rows: dict[str, list[str]] = {}
    for c in cells():
        if fmt in c.formats and c.table in ("requests", "appeals"):
            rows.setdefault(c.id.rsplit(".", 1)[0], []).append(c.id)
    out: dict[str, list[tuple[str, ...]]] = {}
    for row, ids in rows.items():
        total = f"{row}.total"
        if total in ids:  # a row's total: the sum of its other columns
            out.setdefault(total, []).append(tuple(i for i in ids if i != total))
    results = [row for row in rows if row.startswith("requests.") and row.split(".")[1] not in _NOT_RESULTS]
    for cid in rows.get("requests.total", []):  # each column of the （七）总计 row: the sum of the results
        column = cid.rsplit(".", 1)[1]
        out.setdefault(cid, []).append(tuple(f"{row}.{column}" for row in results))
    return {k: tuple(v) for k, v in out.items()}


def parts_of(cell_id: str) -> tuple[str, ...]:
    """Every cell that a derivation of ``cell_id`` reads, in any format (empty: not a total)."""
    return tuple(dict.fromkeys(c for fmt in FORMATS for way in derivations(fmt).get(cell_id, ()) for c in way))


def derive_rows(cell_id: str, fmts: np.ndarray, values: dict[str, np.ndarray],
                status: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The value of the total ``cell_id`` from its parts where the total is blank, for many rows at
    once: (derivable, value) per row.

    ``fmts`` holds each row's format code (an index into ``FORMATS``; unknown is read as the
    first, as the frame lays it out), ``values`` and ``status`` the frame columns of the total and
    of every cell of :func:`parts_of`. A row is derivable when the total is blank, every part of
    one way of adding it up is a number, and the ways that can be added up agree.
    """
    n = len(fmts)
    codes = np.where(np.isnan(fmts), 0, fmts).astype(int) if fmts.dtype.kind == "f" else fmts
    ok = np.zeros(n, dtype=bool)
    out = np.full(n, np.nan)
    blank = status[cell_id] == BLANK
    if not blank.any():
        return ok, out
    for code, fmt in enumerate(FORMATS):
        rows = blank & (codes == code)
        if not rows.any():
            continue
        found = np.full(n, np.nan)
        clash = np.zeros(n, dtype=bool)
        for way in derivations(fmt).get(cell_id, ()):
            good = rows.copy()
            total = np.zeros(n)
            for c in way:
                good &= status[c] == NUMBER
                total = total + np.where(good, values[c], 0.0)
            clash |= good & ~np.isnan(found) & (np.abs(found - total) > 1e-9)
            found = np.where(good & np.isnan(found), total, found)
        hit = rows & ~np.isnan(found) & ~clash
        ok |= hit
        out = np.where(hit, found, out)
    return ok, out
