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
from checker.kinds.base import FrameCheck, JsonCheck
from checker.kinds.pair import PairCheck


@dataclass(frozen=True, slots=True)
class Kind:
    """A check kind.

    Attributes:
        name: the ``kind`` value in rule files.
        family: the type of check it builds, which decides how the engine runs it:
            :class:`~checker.kinds.base.FrameCheck` (a pandera check over the cell frame),
            :class:`~checker.kinds.base.JsonCheck` (jsonschema on a projection of the document) or
            :class:`~checker.kinds.pair.PairCheck` (a function of this year's and last year's report;
            not applicable to a report checked without its previous one).
        build: constructor taking the instance's parameters.
        cells_param: name of the parameter holding a table selector resolved to cell ids, if any.
    """

    name: str
    family: type[FrameCheck] | type[JsonCheck] | type[PairCheck]
    build: Callable[..., Any]
    cells_param: str | None = None


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("sum_compare", FrameCheck, table.SumCompare),
    Kind("cell_number", FrameCheck, table.CellNumber, "cells"),
    Kind("cell_range", FrameCheck, table.CellRange, "cells"),
    Kind("cell_present", FrameCheck, table.CellPresent, "cells"),
    Kind("published_window", FrameCheck, timing.PublishedWindow),
    Kind("period_covers_year", FrameCheck, timing.PeriodCoversYear),
    Kind("in_order", FrameCheck, timing.InOrder),
    Kind("required", JsonCheck, structure.required),
    Kind("text", FrameCheck, text.TextCheck),
    Kind("part_heading", FrameCheck, text.PartHeading),
    Kind("schema", JsonCheck, structure.schema),
    Kind("narrative_numbers", FrameCheck, narrative.NarrativeNumbers),
    Kind("narrative_parts", FrameCheck, narrative_parts.NarrativeParts),
    Kind("title_year", FrameCheck, report_year.TitleYear),
    Kind("other_body", FrameCheck, bodies.OtherBody),
    # Cross-year kinds (need the same body's previous report).
    Kind("yoy_compare", PairCheck, pair.YoyCompare),
    Kind("text_reuse", PairCheck, pair.TextReuse),
)}


def get_kind(name: str) -> Kind:
    """The kind called ``name``; a RuleSetError with a suggestion when unknown."""
    try:
        return KINDS[name]
    except KeyError:
        close = difflib.get_close_matches(name, KINDS, n=1)
        hint = f"，是否想写“{close[0]}”？" if close else ""
        raise RuleSetError(f"未知的检查类型“{name}”{hint}", f"Unknown check kind '{name}'.") from None
