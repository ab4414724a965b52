"""Text kinds: patterns and lengths over the text columns of the cell frame, vectorized.

A text check reads one text column (see ``checker.frame``); ``all_texts`` reads the
title, preamble and every heading and text joined together. Findings quote what was
found and point at the field where it stands.

Patterns run on RE2 (:mod:`checker.patterns`). ``not_pattern`` may be a list: a text is
forbidden when any of them matches, and the earliest match is quoted. A pattern that needs
context it must not quote (RE2 has no look-around) captures what to quote in a group named
``found``: ``(?:^|[^A-Za-z])(?P<found>XX)(?:$|[^A-Za-z])`` quotes ``XX``, not its neighbours.

``wording`` and ``not_wording`` name a wording family of the rule files (:mod:`checker.wordings`;
the loader passes the family itself): the text must say what the family recognises, or may not
be what it recognises. They stand in for ``pattern`` and ``not_pattern`` (a check has one of each
pair at most) and are read the same way, with the family's ``unless`` vetoes applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from checker.document import pointer_to_path, resolve
from checker.formats import SECTION_IDS
from checker.frame import meta_col, status_col, text_col, value_col
from checker.kinds.base import FrameCheck, Payload, number
from checker.patterns import Match, Pattern, compile_pattern
from checker.wordings import Wording, WordingMatcher

# Text pointers that map to a text column.
_POINTER_COLUMNS = {"/title": "title", "/preamble": "preamble", "/source/url": "source.url",
                    **{f"/sections/{s}/{f}": f"sections.{s}.{f}" for s in SECTION_IDS for f in ("heading", "text")}}


def _presence(df: pd.DataFrame, pointer: str) -> np.ndarray:
    """Rows where ``pointer`` holds a value: a section, a table, a cell or a text field."""
    column = _presence_column(pointer)
    values = df[column]
    if column.startswith("m:pos:"):
        return np.isfinite(values.to_numpy())
    if column.startswith("m:table:"):
        return values.to_numpy() == 1
    if column.startswith("s:"):
        return values.to_numpy() == 0
    return values.notna().to_numpy()


def _presence_column(pointer: str) -> str:
    """The frame column that tells whether ``pointer`` holds a value."""
    parts = pointer_to_path(pointer)
    if len(parts) == 2 and parts[0] == "sections":
        return meta_col("pos:" + parts[1])
    if len(parts) == 2 and parts[0] == "tables":
        return meta_col("table:" + parts[1])
    if parts and parts[0] == "tables":
        return status_col(".".join(parts[1:]))
    return text_col(_POINTER_COLUMNS[pointer])


def _search(series: pd.Series, pattern: Pattern | AnyOf | WordingMatcher) -> np.ndarray:
    test = pattern.test
    return np.fromiter((v is not None and test(v) for v in series.tolist()), dtype=bool, count=len(series))


def quoted(m: Match) -> tuple[int, int]:
    """The span of a match to quote: its group ``found`` when it has one that took part, else the whole match."""
    if "found" in m.re.groupindex:
        span = m.span("found")
        if span[0] >= 0:
            return span
    return m.span()


class AnyOf:
    """Several patterns searched as one: the match whose quoted span starts first (the first pattern on a tie)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(compile_pattern(p) for p in patterns)

    def test(self, text: str) -> bool:
        return any(p.test(text) for p in self.patterns)

    def search(self, text: str) -> Match | None:
        best: Match | None = None
        for p in self.patterns:
            m = p.search(text)
            if m is not None and (best is None or quoted(m)[0] < quoted(best)[0]):
                best = m
        return best


def _patterns(value: str | list[str] | None) -> AnyOf | None:
    if not value:
        return None
    return AnyOf([value] if isinstance(value, str) else value)


class TextCheck(FrameCheck):
    """A text matches ``pattern``, avoids ``not_pattern``, and has a bounded length.

    With ``when`` (a cell id and ``gt``), the check only bites for reports where that cell is
    a number greater than ``gt``; elsewhere it passes.
    """

    def __init__(self, at: str, pattern: str | None = None, not_pattern: str | list[str] | None = None,
                 min_length: int | None = None, max_length: int | None = None, all_texts: bool = False,
                 requires: list[str] | None = None, when: dict[str, Any] | None = None,
                 wording: Wording | None = None, not_wording: Wording | None = None, **_: Any) -> None:
        if not all_texts and at not in _POINTER_COLUMNS:
            raise KeyError(at)
        if (pattern and wording) or (not_pattern and not_wording):
            raise ValueError("a text check takes pattern or wording, not_pattern or not_wording, not both")
        self.at = at
        self.targets = [text_col("all" if all_texts else _POINTER_COLUMNS[at])]
        self.all_texts = all_texts
        self.pattern: Pattern | WordingMatcher | None = (
            wording.compiled() if wording else compile_pattern(pattern) if pattern else None)
        self.not_pattern: AnyOf | WordingMatcher | None = (
            not_wording.compiled() if not_wording else _patterns(not_pattern))
        self.min_length, self.max_length = min_length, max_length
        self.requires = list(requires) if requires is not None else ([] if all_texts else [at])
        self.when = when
        # A required wording or length fails on what is not there: more of the source could
        # supply it. A forbidden wording or length fails on what is there.
        self.failure_stands = self.pattern is None and min_length is None
        self.pass_stands = self.not_pattern is None and max_length is None and when is None
        extra = [value_col(when["cell"]), status_col(when["cell"])] if when else []
        self.columns = list(dict.fromkeys([*self.targets, *(_presence_column(p) for p in self.requires), *extra]))

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        mask = np.ones(len(df), dtype=bool)
        for pointer in self.requires:
            mask &= _presence(df, pointer)
        return mask

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        n = len(df)
        matched = np.zeros(n, dtype=bool)
        forbidden = np.zeros(n, dtype=bool)
        too_short = np.zeros(n, dtype=bool)
        too_long = np.zeros(n, dtype=bool)
        for column in self.targets:
            texts = df[column]
            if self.pattern is not None:
                matched |= _search(texts, self.pattern)
            if self.not_pattern is not None:
                forbidden |= _search(texts, self.not_pattern)
            if self.min_length is not None or self.max_length is not None:
                lengths = texts.str.len().fillna(0).to_numpy()
                if self.min_length is not None:
                    too_short |= lengths < self.min_length
                if self.max_length is not None:
                    too_long |= lengths > self.max_length
        bad = forbidden | too_short | too_long
        if self.pattern is not None:
            bad |= ~matched
        if self.when:
            with np.errstate(invalid="ignore"):
                bad &= df[value_col(self.when["cell"])].to_numpy() > self.when.get("gt", 0)
        return bad

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        out = []
        for r in rows:
            doc = docs[r]
            if self.all_texts and self.not_pattern is not None:
                out.append(self._matches(doc))
                continue
            if self.all_texts:
                out.append([Payload(self.requires[0] if self.requires else "/", {})])
                continue
            value = resolve(doc, pointer_to_path(self.at))
            values = self._values(value if isinstance(value, str) else "")
            if self.when:
                values["count"] = number(float(df[value_col(self.when["cell"])].iloc[r]))
            out.append([Payload(self.at, values)])
        return out

    def _values(self, text: str) -> dict[str, Any]:
        values: dict[str, Any] = {"length": len(text), "text": text if len(text) <= 60 else text[:57] + "…"}
        if self.not_pattern is not None and (m := self.not_pattern.search(text)):
            begin, end = quoted(m)
            start = max(0, begin - 8)
            values["match"] = text[begin:end]
            values["context"] = text[start:end + 8].replace("\n", " ")
        return values

    def _matches(self, doc: dict[str, Any]) -> list[Payload]:
        """One payload per field of the report where ``not_pattern`` matches."""
        assert self.not_pattern is not None
        found = []
        for pointer, text in _text_fields(doc):
            if self.not_pattern.test(text):
                found.append(Payload(pointer, self._values(text)))
        return found


def _text_fields(doc: dict[str, Any]) -> list[tuple[str, str]]:
    fields = [(f"/{k}", doc[k]) for k in ("title", "preamble") if isinstance(doc.get(k), str)]
    for s in SECTION_IDS:
        sec = (doc.get("sections") or {}).get(s)
        if isinstance(sec, dict):
            fields.extend((f"/sections/{s}/{f}", sec[f]) for f in ("heading", "text") if isinstance(sec.get(f), str))
    return fields


class PartHeading(FrameCheck):
    """Some sub-part of a section is about ``pattern``.

    A part counts when its heading (sub-heading or lead sentence) matches. A section
    without recorded parts counts when a line of its text mentions ``pattern`` within its
    first 15 characters (a paragraph that opens with the topic).
    """

    def __init__(self, at: str, pattern: str, **_: Any) -> None:
        parts = pointer_to_path(at)
        if len(parts) != 2 or parts[0] != "sections" or parts[1] not in SECTION_IDS:
            raise KeyError(at)
        self.at, self.section = at, parts[1]
        self.pattern = compile_pattern(pattern)
        if self.section != "overview":
            raise KeyError(at)
        self.column = text_col("sections.overview.heads")
        self.columns = [self.column]
        self.failure_stands, self.pass_stands = False, True  # fails on a heading that is not there

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return df[self.column].notna().to_numpy()

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return ~_search(df[self.column], self.pattern)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        out = []
        for r in rows:
            parts = ((docs[r].get("sections") or {}).get(self.section) or {}).get("parts")
            headings = [p.get("heading", "")[:20] for p in parts] if isinstance(parts, list) else []
            out.append([Payload(self.at, {"headings": "、".join(headings) or "（无小标题）",
                                          "headings_en": "; ".join(headings) or "(no sub-headings)"})])
        return out
