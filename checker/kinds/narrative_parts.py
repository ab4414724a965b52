"""A narrative total against its own stated parts (主动公开政府信息5000条，其中……1200条、2300条、1100条).

The check reads sentences where a count is directly followed by words that introduce its parts
(其中、包括、分别为 …, from the rule file) and the parts follow as a list: counts of the same
unit, each with a short label (before or after it) and one list separator (、，；) between
them. It compares the total with the sum of the parts. Everything about wording — the
introducing words, the words that leave a list open (等、主要), the words that start another
statement (另、办结、同比 …), the asides a label may carry (占75%) — is data from the rule file;
the numbers are the tokens of :class:`checker.kinds.narrative.Lexer` (approximate numbers such
as 5500余条 are no tokens).

Precision first: a list is compared only when it is clean from its first part to its end. It
ends at the end of the sentence (or of the bracket it was opened in), or where the next count
is plainly not a part (another unit, another statement's word, a new clause of several
separators). A count that could be a part but does not read as one (a long label, digits in
its label, two separators) leaves the sentence not compared; so do fewer than two parts, a
list left open (……1100条等), and a count in brackets after a part (a part's own breakdown).
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from checker.formats import SECTION_IDS
from checker.frame import text_col
from checker.kinds.base import FrameCheck, Payload, number
from checker.narrative.batch import _BATCH
from checker.narrative.extract import Lexer, _quote, _sentence_start, _Text
from checker.narrative.locate import sentence_location
from checker.narrative.spec import _CHINESE_DIGITS, _guards
from checker.patterns import NEVER, Pattern, compile_code_pattern, compile_pattern

_OPEN, _CLOSE = "（(", "）)"
# The longest list read, in characters from its first part to the end of its sentence: what the
# check reads for one total is bounded, so a text without sentence ends costs linear time.
_REACH = 1000


class PartsStatement(NamedTuple):
    """A total and its parts in one text.

    Attributes:
        total: the stated total.
        parts: the parts, in text order.
        unit: their unit.
        start: offset of the total in the text.
        quote: the sentence (at most 60 characters).
    """

    total: float
    parts: tuple[float, ...]
    unit: str
    start: int
    quote: str


def _pattern(raw: str | None, prefix: str = "", suffix: str = "") -> Pattern:
    if not raw:
        return NEVER
    compile_pattern(raw)
    return compile_code_pattern(f"{prefix}(?:{raw}){suffix}")


class NarrativeParts(FrameCheck):
    """A total stated in the narrative equals the sum of the parts the same sentence lists.

    A report is assessable when at least one such sentence is read; it fails when a total
    differs from the sum of its parts.

    Args:
        introducers: words after a count that introduce its parts (其中、包括、分别为).
        open_list: words between the count and its first part that leave the list open
            (主要、重点、例如): such a list is not compared.
        open_end: words right after the last part that leave the list open (等).
        not_a_part: words in a count's label that start another statement (另、办结、同比).
        asides: text a label may carry that is not part of it (，占75%), removed before reading.
        separators: the characters that separate the parts of a list, weakest first (each item
            a rank: ``["、", "，,", "；;"]``).
        max_label: the longest label of a part, in characters.
        guards: the shared guards (units, approximate numbers, sentence ends), as for
            ``narrative_numbers``.
        sections: the sections read (default: all).
    """

    def __init__(self, introducers: str, guards: dict[str, Any] | None = None, open_list: str | None = None,
                 open_end: str | None = None, not_a_part: str | None = None, asides: str | None = None,
                 separators: list[str] | None = None, max_label: int = 16, sections: list[str] | None = None,
                 **_: Any) -> None:
        guards = guards or {}
        units = {"件": 1.0, **{k: float(v) for k, v in guards.get("units", {}).items()}}
        self.lexer = Lexer(_guards(guards, guards.get("scopes", {})), units)
        # A number in a label: any digit, or a Chinese numeral with a unit (三类 is a label, 三条 a count).
        unit_re = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        self._number = re.compile(rf"\d|[{_CHINESE_DIGITS}]+(?:{unit_re})")
        self.intro = _pattern(introducers, prefix=rf"^\s*(?P<open>[{re.escape(_OPEN)}])?\s*[，,：:]?\s*", suffix=r"\s*[：:，,]?")
        self.open_list = _pattern(open_list)
        self.open_end = _pattern(open_end, prefix=r"^\s*")
        self.not_a_part = _pattern(not_a_part)
        self.asides = _pattern(asides)
        # Each list separator with its rank (stronger ones end a list of weaker ones).
        self._rank = {ch: k for k, chars in enumerate(separators or ["、", "，,", "；;"]) for ch in chars}
        self.max_label = int(max_label)
        self.sections = tuple(sections or SECTION_IDS)
        for s in self.sections:
            if s not in SECTION_IDS:
                raise KeyError(s)
        self.text_columns = [text_col(f"sections.{s}.text") for s in self.sections]
        self.columns = list(self.text_columns)
        self._texts_key = "texts " + self.lexer.key
        self._key = "parts " + repr((self.lexer.key, introducers, open_list, open_end, not_a_part, asides,
                                     separators, max_label))

    # -- FrameCheck -------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[0]

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[1]

    def _masks(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        decided = np.zeros(len(df), dtype=bool)
        bad = np.zeros(len(df), dtype=bool)
        for col in self.text_columns:
            texts = df[col].to_numpy()
            cache = _BATCH.table(self._key, texts)
            for k in np.flatnonzero(texts).tolist():
                found = self._read(texts[k], cache)
                if found:
                    decided[k] = True
                    bad[k] |= any(not _same(sum(s.parts), s.total) for s in found)
        return decided, bad

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        out = []
        for r in rows.tolist():
            payloads = []
            for sec, col in zip(self.sections, self.text_columns):
                text = df[col].to_numpy()[r]
                if not text:
                    continue
                for st in self._read(text, _BATCH.table(self._key)):
                    if _same(sum(st.parts), st.total):
                        continue
                    unit = st.unit
                    values = {"sentence": st.quote, "stated": number(st.total), "sum": number(sum(st.parts)),
                              "parts": "、".join(f"{number(p)}{unit}" for p in st.parts),
                              "parts_en": ", ".join(f"{number(p)}" for p in st.parts),
                              "unit": unit, "section": sec}
                    here = {"pointer": f"/sections/{sec}/text", "location": sentence_location(docs[r], sec, st.start)}
                    payloads.append(Payload(f"/sections/{sec}/text", values, (here,)))
            out.append(payloads)
        return out

    # -- reading ------------------------------------------------------------------------

    def statements(self, text: str) -> tuple[PartsStatement, ...]:
        """Every total with its parts in ``text`` (for tests)."""
        return self._read(text, {})

    def _read(self, text: str, cache: dict[str, tuple[PartsStatement, ...]]) -> tuple[PartsStatement, ...]:
        hit = cache.get(text)
        if hit is None:
            prepared: dict[str, _Text] = _BATCH.table(self._texts_key)
            t = prepared.get(text)
            if t is None:
                t = prepared[text] = self.lexer.prepare(text)
            hit = cache[text] = self._extract(t)
        return hit

    def _extract(self, t: _Text) -> tuple[PartsStatement, ...]:
        text, tokens = t.text, t.tokens
        depth = _depths(text) if any(ch in text for ch in _OPEN) else None
        found = []
        for i, total in enumerate(tokens):
            m = self.intro.search(total.tail)
            if m is None:
                continue
            list_start = total.end + m.end()
            base = depth[total.start] if depth is not None else 0
            level = base + (1 if m.group("open") else 0)
            ends = t.sentences
            k = bisect.bisect_right(ends, list_start)
            s_end = ends[k] - 1 if k < len(ends) else len(text)  # where the sentence ends
            if s_end > list_start + _REACH:
                continue  # a list this long is not read
            if depth is not None and level > base:  # a list in brackets ends where they close
                s_end = next((k for k in range(list_start, s_end) if depth[k] < level), s_end)
            parts = self._parts(t, i + 1, list_start, s_end, level, depth, total.unit)
            if parts is None or len(parts) < 2:
                continue
            s_start = _sentence_start(ends, total.start)
            found.append(PartsStatement(total.value, tuple(parts), total.unit, total.start,
                                        _quote(text, s_start, ends, total.start, total.end)))
        return tuple(found)

    def _parts(self, t: _Text, first: int, start: int, stop: int, level: int, depth: list[int] | None,
               unit: str) -> list[float] | None:
        """The parts listed from ``start`` (tokens from index ``first``) to ``stop``, or None when
        the list does not read cleanly.

        The separator between the first two parts is the list's own. The list ends plainly
        before a count whose words begin with a stronger separator (、 then ，, ；), or are one
        separator and a word of another statement, or that is itself followed by words
        introducing parts; and after its last part, at the end of the sentence (or bracket), or
        where a separator other than the list's own follows. Its own separator after the last
        part may go on with items without a count: not compared.
        """
        text = t.text
        parts: list[float] = []
        own: int | None = None  # the rank of the list's own separator
        prev_end = start
        for tok in t.tokens[first:]:
            if tok.start >= stop:
                break
            if depth is not None:
                d = depth[tok.start]
                if d < level:
                    stop = tok.start
                    break  # the bracket the list was opened in has closed
                if d > level:
                    if not parts:
                        return None
                    continue  # a part's own breakdown in brackets: skipped
            segment = self._label(text, prev_end, tok.start, depth, level)
            if segment is None:
                return None
            seps = [self._rank[ch] for ch in segment if ch in self._rank]
            words = "".join(ch for ch in segment if ch not in self._rank).strip()
            if parts and own is not None and seps and seps[0] > own:
                return parts  # a stronger separator: the list has ended
            if parts and len(seps) == 1 and (self.not_a_part.test(words) or self._new_total(tok.tail)):
                return parts  # another statement begins right after the list
            if tok.unit != unit or self.not_a_part.test(words) or (not parts and self.open_list.test(words)):
                return None  # not a list of parts of this total, or one that names some parts only
            stripped = segment.strip()
            if (len(seps) != (1 if parts else 0) or len(words) > self.max_label or self._number.search(words)
                    or (seps and stripped[0] not in self._rank and stripped[-1] not in self._rank)):
                return None  # it may be a part, but does not read as one
            if len(parts) == 1:
                own = seps[0]
            parts.append(tok.value)
            prev_end = tok.end
        if not parts:
            return parts
        rest = self._label(text, prev_end, stop, depth, level) or ""
        lead = next((k for k, ch in enumerate(rest) if ch in self._rank), len(rest))
        if self.open_end.test(rest[:lead]):
            return None  # …… 1100条等: the list is open
        if lead < len(rest) and self._rank[rest[lead]] == own:
            return None  # the list may go on with items without a count
        return parts

    def _new_total(self, tail: str) -> bool:
        """Whether a count is followed by words introducing parts of its own (not in brackets)."""
        m = self.intro.search(tail)
        return m is not None and not m.group("open")

    def _label(self, text: str, start: int, end: int, depth: list[int] | None, level: int) -> str | None:
        """The words between two parts at the list's bracket depth, without asides (None: the
        words hold a sentence end)."""
        if depth is not None:
            segment = "".join(ch for k, ch in enumerate(text[start:end], start)
                              if depth[k] == level and ch not in _OPEN and ch not in _CLOSE)
        else:
            segment = text[start:end]
        if any(ch in segment for ch in "。！？!?\n"):
            return None
        if not segment:
            return segment
        if self.asides is NEVER:
            return segment
        kept, at = [], 0
        for m in self.asides.finditer(segment):
            kept.append(segment[at:m.start()])
            at = m.end()
        return "".join(kept) + segment[at:]


def _depths(text: str) -> list[int]:
    """The bracket depth at each offset of ``text`` (an opening bracket is inside its group, a
    closing one outside)."""
    out, d = [], 0
    for ch in text:
        if ch in _OPEN:
            d += 1
        out.append(d)
        if ch in _CLOSE and d > 0:
            d -= 1
            out[-1] = d
    out.append(d)
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
