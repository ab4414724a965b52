"""Wording families: the ways reports phrase one thing, as data in the rule files.

A rule file may define named families under ``wordings:``; a ``text`` rule refers to one by
name (``wording: fee_statement`` — the text must say it; ``not_wording: nothing_stated`` —
the text may not be just that)::

    wordings:
      fee_statement:
        title: {zh: 信息处理费收取情况的说明, en: a statement on information-processing fees}
        match:                       # any of these patterns (RE2, checker.patterns)
          - '(?:信息|公开)处理费'
          - '未(?:收取|发生)[^，。；]{0,8}?(?:费用|收费)'
        unless:                      # a match overlapped by one of these does not count
          - '停车|门票|乱收费'
        examples:                    # run when the file is loaded, and by tests/test_wordings.py
          match: [本年度未收取信息处理费。]
          no_match: [景区未收取停车费用。]

How a family reads a text: every match of every ``match`` pattern is a candidate (left to
right, matches of one pattern not overlapping); a candidate counts unless some match of an
``unless`` pattern overlaps it (shares at least one character with it; for an empty
candidate, covers its position). ``unless`` thus says what a match must not be part of —
the negation or the other object next to it (暂无问题 is no problem stated; 停车收费 is not
the information-processing fee) — without the look-arounds RE2 refuses, and without
silencing a genuine match elsewhere in the same text. The quoted span of a counted
candidate is its group ``found`` when it has one (as for ``not_pattern``).

A family's examples are checked when its rule file is loaded: a sentence of ``match`` that
the family does not find, or one of ``no_match`` that it does, is a broken rule file.
Families are shared by the rule files loaded together; a name none of them defines is looked
up in the bundled rule files (so a user's rule file, or a selection of the bundled ones, may
use the bundled families).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from checker.model import Text
from checker.patterns import Match, Pattern, compile_pattern, encode


@dataclass(frozen=True)
class Wording:
    """One family as written in a rule file.

    Attributes:
        name: its name (``[a-z][a-z0-9_]*``), unique among the rule files loaded together.
        title: what the family recognises, for a reader of the rule catalogue.
        match: patterns that say it.
        unless: patterns that veto a match they overlap.
        examples_match: sentences the family must find.
        examples_no_match: sentences it must not find.
        ruleset: the id of the rule set file that defines it.
        doc: an optional note on why the family reads as it does.
    """

    name: str
    title: Text
    match: tuple[str, ...]
    unless: tuple[str, ...]
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    ruleset: str
    doc: Text | None = None

    @classmethod
    def from_data(cls, name: str, raw: dict[str, Any], ruleset: str) -> Wording:
        """The family ``name`` as loaded from a rule file (already valid against ruleset.schema.json)."""
        doc = raw.get("doc")
        return cls(name, Text(raw["title"]["zh"], raw["title"]["en"]), tuple(raw["match"]),
                   tuple(raw.get("unless", ())), tuple(raw["examples"]["match"]),
                   tuple(raw["examples"]["no_match"]), ruleset,
                   Text(doc["zh"], doc["en"]) if doc else None)

    def as_data(self) -> dict[str, Any]:
        """The family as written (for fingerprints and the catalogue)."""
        out: dict[str, Any] = {"title": {"zh": self.title.zh, "en": self.title.en}, "match": list(self.match)}
        if self.unless:
            out["unless"] = list(self.unless)
        out["examples"] = {"match": list(self.examples_match), "no_match": list(self.examples_no_match)}
        return out

    def compiled(self) -> WordingMatcher:
        """The family compiled for searching (raises PatternError for a pattern RE2 refuses)."""
        return WordingMatcher(self)

    def example_failures(self) -> list[tuple[str, bool]]:
        """The examples the family gets wrong: (sentence, whether it should have matched)."""
        matcher = self.compiled()
        return ([(s, True) for s in self.examples_match if not matcher.test(s)]
                + [(s, False) for s in self.examples_no_match if matcher.test(s)])


class WordingMatcher:
    """A compiled family, with the ``test``/``search`` interface of a :class:`~checker.patterns.Pattern`."""

    __slots__ = ("name", "patterns", "vetoes")

    def __init__(self, wording: Wording) -> None:
        self.name = wording.name
        self.patterns: tuple[Pattern, ...] = tuple(compile_pattern(p) for p in wording.match)
        self.vetoes: tuple[Pattern, ...] = tuple(compile_pattern(p) for p in wording.unless)

    def __repr__(self) -> str:
        return f"WordingMatcher({self.name!r})"

    def test(self, text: str) -> bool:
        """Whether the family finds a match in ``text`` that no ``unless`` match overlaps."""
        if not self.vetoes:
            return any(p.test(text) for p in self.patterns)
        return self.search(text) is not None

    def search(self, text: str) -> Match | None:
        """The counted match that starts first (the first pattern's on a tie), or None.

        Candidates and vetoes are compared as byte spans of the text's one encoding (the same
        characters overlap either way); only the match returned is built.
        """
        data = encode(text)
        vetoes: _Vetoes | None = None
        best: tuple[Pattern, list[tuple[int, int]]] | None = None
        for pattern in self.patterns:
            for spans in pattern.scan(data):
                if best is not None and spans[0][0] >= best[1][0][0]:
                    break
                if self.vetoes:
                    if vetoes is None:
                        vetoes = _Vetoes([v[0] for p in self.vetoes for v in p.scan(data)])
                    if vetoes.overlap(spans[0]):
                        continue
                best = (pattern, spans)
                break
        return None if best is None else Match(best[0], text, data, best[1])


class _Vetoes:
    """The spans of the ``unless`` matches in one text, for overlap queries in logarithmic time."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends: list[int] = []  # running maximum of the ends, in order of the starts
        for _, e in spans:
            self.ends.append(max(e, self.ends[-1]) if self.ends else e)

    def overlap(self, span: tuple[int, int]) -> bool:
        """Whether some veto shares a character with ``span`` (covers its position when it is empty)."""
        a, b = span
        k = bisect.bisect_right(self.starts, a) if a == b else bisect.bisect_left(self.starts, b)
        return k > 0 and self.ends[k - 1] > a
