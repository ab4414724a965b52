"""The explicit registry of check kinds: name → how to build a check from parameters."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.errors import RuleSetError
from checker.kinds import (
    bodies,
    narrative,
    narrative_parts,
    pair,
    report_year,
    structure,
    table,
    text,
    timing,
)

FRAME, JSON, PAIR = "frame", "json", "pair"


@dataclass(frozen=True, slots=True)
class Kind:
    """A check kind.

    Attributes:
        name: the ``kind`` value in rule files.
        engine: ``frame`` (pandera over the cell frame), ``json`` (jsonschema on a projection
            of the document) or ``pair`` (a function of this year's and last year's report, see
            :mod:`checker.kinds.pair`; not applicable to a report checked without its previous one).
        build: constructor taking the instance's parameters.
        cells_param: name of the parameter holding a table selector resolved to cell ids, if any.
    """

    name: str
    engine: str
    build: Callable[..., Any]
    cells_param: str | None = None


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("sum_compare", FRAME, table.SumCompare),
    Kind("cell_number", FRAME, table.CellNumber, "cells"),
    Kind("cell_range", FRAME, table.CellRange, "cells"),
    Kind("cell_present", FRAME, table.CellPresent, "cells"),
    Kind("published_window", FRAME, timing.PublishedWindow),
    Kind("period_covers_year", FRAME, timing.PeriodCoversYear),
    Kind("in_order", FRAME, timing.InOrder),
    Kind("required", JSON, structure.required),
    Kind("text", FRAME, text.TextCheck),
    Kind("part_heading", FRAME, text.PartHeading),
    Kind("schema", JSON, structure.schema),
    Kind("narrative_numbers", FRAME, narrative.NarrativeNumbers),
    Kind("narrative_parts", FRAME, narrative_parts.NarrativeParts),
    Kind("title_year", FRAME, report_year.TitleYear),
    Kind("other_body", FRAME, bodies.OtherBody),
    # Cross-year kinds (need the same body's previous report).
    Kind("yoy_compare", PAIR, pair.YoyCompare),
    Kind("text_reuse", PAIR, pair.TextReuse),
)}


def get_kind(name: str) -> Kind:
    """The kind called ``name``; a RuleSetError with a suggestion when unknown."""
    try:
        return KINDS[name]
    except KeyError:
        close = difflib.get_close_matches(name, KINDS, n=1)
        hint = f"，是否想写“{close[0]}”？" if close else ""
        raise RuleSetError(f"未知的检查类型“{name}”{hint}", f"Unknown check kind '{name}'.") from None
