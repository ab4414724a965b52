"""What every check kind provides.

A kind compiles the parameters of one rule instance (after ``for_each`` expansion) into
either a :class:`FrameCheck` (run as a pandera check over the cell frame, vectorized over
all reports) or a :class:`JsonCheck` (a JSON Schema fragment run by jsonschema on each
report document). Kinds never see pandera or jsonschema objects: the compiler wraps them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from checker.document import MISSING, resolve


@dataclass(frozen=True, slots=True)
class Payload:
    """The facts behind one finding: where it points and the values its message quotes.

    ``related`` lists other places the finding concerns, each a dict with ``pointer`` and
    optionally ``location`` (e.g. the sentence in the narrative that contradicts a cell).
    """

    pointer: str
    values: dict[str, Any] = field(default_factory=dict)
    related: tuple[dict[str, Any], ...] = ()


class FrameCheck:
    """A check over the cell frame. Subclasses set ``columns`` and implement the three methods.

    Attributes:
        columns: the frame columns the check reads (pandera validates only these plus the
            metadata that decides whether a rule applies).
        failure_stands: a failure rests on what the document holds, so it stands when some of
            the check's inputs could not be read from the source (more of the source could only
            add failures: a blank cell is blank whatever else the table holds). False for checks
            that fail on what is *not* there (a required wording).
        pass_stands: a pass stands when some inputs could not be read (a required wording was
            found in what was read). Otherwise such a report is ``not_assessable`` (``unread``).
        uses_derived: the check may decide on cells split by the table's own arithmetic
            (``reading.derived``); False for checks of that arithmetic (equalities of sums),
            which would only confirm the split.
        whole_text: the check reads the parts' texts as one narrative (a name or a year
            anywhere in them), not what one part must say: switching it off leaves no part
            unchecked (``checker.ruleguard``), as for the ``all`` text column.
        context_columns: further frame columns the check may read that are not its inputs (a
            blank total's parts, read to derive it): what could not be read there leaves the
            check's outcome as it is.
    """

    columns: list[str]
    failure_stands: bool = True
    pass_stands: bool = False
    uses_derived: bool = True
    whole_text: bool = False
    context_columns: tuple[str, ...] = ()

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        """Rows where every input of the check is known (True) — others are not_assessable."""
        raise NotImplementedError

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        """Rows where the check fails (meaningful only where :meth:`assessable`)."""
        raise NotImplementedError

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        """For each failing row, the findings it produces (usually one)."""
        raise NotImplementedError

    def undecided(self, df: pd.DataFrame) -> dict[str, np.ndarray]:
        """Rows not assessable for a reason of the check's own, by reason (e.g. ``scope``: the
        narrative speaks only of another body); the others are not assessable for their inputs."""
        return {}


@dataclass(frozen=True)
class JsonCheck:
    """A JSON Schema validated (by jsonschema) against a projection of the report.

    Attributes:
        schema: the full schema, from the document root down to the checked part.
        reads: the paths whose values make up the projection; the schema sees nothing else.
        requires: paths that must hold a value (not missing, not null) to decide.
        describe: turns a failing document into payloads for the findings.
        presence_only: the check depends only on whether ``reads`` are present, not on
            their values (the projection then records presence only).
    """

    schema: dict[str, Any]
    reads: tuple[tuple[str, ...], ...]
    requires: tuple[tuple[str, ...], ...]
    describe: Callable[[dict[str, Any]], list[Payload]]
    presence_only: bool = False

    def projection(self, doc: dict[str, Any]) -> tuple[Any, ...]:
        """A hashable key of everything the check can see in ``doc``."""
        values = []
        for path in self.reads:
            v = resolve(doc, path)
            if self.presence_only:
                values.append(v is not MISSING)
            else:
                values.append(_freeze(v))
        return tuple(values)

    def document(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The minimal document holding only what the check reads (what jsonschema validates)."""
        out: dict[str, Any] = {}
        for path in self.reads:
            v = resolve(doc, path)
            if v is MISSING or not path:
                continue
            node = out
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = True if self.presence_only else v
        return out



def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value if value is not MISSING else MISSING


def number(value: float) -> int | float:
    """A float from the frame shown as an integer when it is one."""
    if value == int(value):
        return int(value)
    return round(float(value), 4)
