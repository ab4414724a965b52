"""Year-over-year pairing: which report is the same body's report of the previous year.

Reports are grouped by the manifest's ``agency_id`` when given, else by the agency name
normalised (NFKC, spaces, brackets and their contents, and punctuation removed, so
``城口县人民政府机关（县政府及其办公室）`` and ``城口县人民政府机关`` agree). Two
different reports for the same body and year are a *conflict*: both are still checked,
neither takes part in year-over-year pairing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_NOISE = re.compile(r"[\s\u3000·•,，、.。:：;；\"'“”‘’《》<>-]+")


def normalise_agency(name: str) -> str:
    """The agency name reduced to what identifies the body ("" for an empty name)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _BRACKETS.sub("", text)
    return _NOISE.sub("", text).lower()


@dataclass(frozen=True, slots=True)
class Member:
    """One checkable report as the pairing sees it: its key, body id and year."""

    key: str
    body: str
    year: int | None


@dataclass(frozen=True, slots=True)
class Pairing:
    """The outcome of pairing.

    Attributes:
        previous: report key → key of the same body's report for the previous year.
        conflicts: (body, year, keys) where one body has several different reports for one year.
    """

    previous: dict[str, str]
    conflicts: list[tuple[str, int, list[str]]]


def pair(members: Sequence[Member]) -> Pairing:
    """Pair each report with its body's report of the year before (when exactly one exists)."""
    by_body_year: dict[tuple[str, int], list[str]] = {}
    for m in members:
        if m.body and isinstance(m.year, int):
            keys = by_body_year.setdefault((m.body, m.year), [])
            if m.key not in keys:
                keys.append(m.key)
    conflicts = [(body, year, keys) for (body, year), keys in by_body_year.items() if len(keys) > 1]
    previous = {}
    for (body, year), keys in by_body_year.items():
        before = by_body_year.get((body, year - 1))
        if len(keys) == 1 and before is not None and len(before) == 1:
            previous[keys[0]] = before[0]
    return Pairing(previous, sorted(conflicts, key=lambda c: (c[0], c[1])))
