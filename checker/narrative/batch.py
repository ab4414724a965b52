"""What one batch of reports shares while its narrative texts are read (dropped with the batch)."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from checker.narrative.spec import _CACHE_LIMIT

# --------------------------------------------------------------------------- batch cache


class _BatchCache:
    """Extraction results of one batch of reports, shared by every narrative instance.

    The engine runs each instance over its own column subset of one cell frame; those
    subsets share the array that holds the frame's texts, which identifies the batch. The
    results are dropped when that array is freed or a frame of another batch comes, so
    nothing outlives the batch. Every entry is keyed by the text itself and by the lexer or
    extractor configuration, so a cache kept or dropped at the wrong time costs time, never a
    different result.
    """

    def __init__(self) -> None:
        self._anchor: weakref.ref[np.ndarray] | None = None
        self._tables: dict[str, dict[Any, Any]] = {}

    def table(self, key: str, column: np.ndarray | None = None) -> dict[Any, Any]:
        """The cache called ``key`` of the batch whose frame holds the text ``column`` (None: the current one)."""
        if column is not None:
            anchor = _owner(column)
            if self._anchor is None or self._anchor() is not anchor:
                self._tables = {}
                self._anchor = weakref.ref(anchor, self._forget)
        table = self._tables.get(key)
        if table is None or (column is None and len(table) >= _CACHE_LIMIT):
            table = self._tables[key] = {}
        return table

    def _forget(self, ref: weakref.ref[np.ndarray]) -> None:
        if ref is self._anchor:
            self._tables = {}
            self._anchor = None


def _owner(column: np.ndarray) -> np.ndarray:
    """The array that owns the memory of a frame column (shared by every column subset of the frame)."""
    while isinstance(column.base, np.ndarray):
        column = column.base
    return column


_BATCH = _BatchCache()
