"""Numbers in the narrative versus the tables: a quantitative-statement extractor and its check.

The extractor finds *statements* such as 收到政府信息公开申请17件 or 未收取信息处理费 in the
narrative texts and relates each one to a table cell (or a declared sum of cells). Everything
that is about Chinese report wording — subjects, verbs, units, connectors, guards, which cell
a statement speaks of — is data from the rule file. This module holds only the generic
machinery:

1. find number tokens (Arabic ``1,234`` / ``3.5`` or Chinese ``十七`` / ``两``) directly followed
   by a unit the rule knows;
2. for each token, try every statement pattern on the words just before it (``before``,
   anchored at the number by the ``connector``) or just after its unit (``after``); zero
   statements (未收到…申请) are searched as whole phrases;
3. drop tokens that a guard marks as unsafe: approximate (约、余), another year, another
   period (去年、同比), a subset (其中 …), or a statement that matches more than one cell;
   and note whose figure it gives: the *body words* in force (本级、本机关 for the body itself;
   全市、各级、所属单位 for a wider one; 我县、本市 when unclear);
4. compare the number with the cell: a statement is a mismatch only when it differs from the
   cell and from every alternative reading the rule declares (e.g. 新收 + 上年结转 for 受理). A
   blank total cell is read as the sum of its parts when they are all numbers (the message says
   so). A statement about a wider or unclear body is never a mismatch: when it equals its cell it
   counts as agreement, otherwise it is not compared (reason ``scope``).

Precision first: anything uncertain is not compared. See ``docs/narrative.md``.

Every pattern from the rule file runs on RE2 (:mod:`checker.patterns`): time linear in the
text. The few patterns of this module's own (sentence and clause marks, explicit years) stay
on ``re``: each is a character class, or a fixed run of at most four digits, with at most a
one-character look-around, so no position is tried more than a bounded number of times. And
the text each number's guards read is bounded: its sentence is taken back at most
``_SENTENCE_REACH`` characters, its clause ``_CLAUSE_REACH``, its words ``window``; a numeral
longer than ``_NUMERAL_CHARS`` is no number. So a text of any length (a run of a million
digits, a sentence without a full stop) is read in time linear in its length.

Extraction is the costly part of a batch, so within one batch (see :class:`_BatchCache`) each
text is tokenised once for all the rules that share guards and units, the statements of each
text are extracted once per rule (and shared by rules with the same patterns), and what the
words before a number decide is remembered for the other reports of the batch, which word
their statements alike. Nothing is kept once the batch is gone.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from checker.document import cell_index
from checker.formats import SECTION_IDS
from checker.frame import ABSENT, BLANK, NUMBER, meta_col, status_col, text_col, value_col
from checker.ingest.layout import quote_of
from checker.kinds.base import FrameCheck, Payload, number
from checker.patterns import NEVER, Match, Offsets, Pattern, PatternSet, compile_code_pattern, compile_pattern, encode
from checker.totals import derive_rows, parts_of

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"
_CHINESE = rf"[{_CHINESE_DIGITS}]+"
# Sentence and clause ends are these characters, except a "." before a digit (see _ends).
_SENTENCE_MARK = re.compile(r"[。！？!?\n.]")
_CLAUSE_MARK = re.compile(r"[，,；;。！？!?\n.]")
_CLAUSE_END = re.compile(r"[，,；;。！？!?\n]|\.(?!\d)")
_DIGIT = re.compile(r"\d")
_LINE_BREAK = re.compile(r"\n")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_QUOTE_LEN = 60
_CLAUSE_REACH = 200
# How far back a number's sentence is taken (and a quote forward): bounds the words the guards
# read for one number, so that a text without sentence ends costs linear time.
_SENTENCE_REACH = 1000
# A numeral longer than this is no count (and is not converted).
_NUMERAL_CHARS = 24
_CACHE_LIMIT = 200_000
# Longer sentences up to a number are not memoised: they seldom recur and would cost memory.
_MEMO_SENTENCE = 200


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Spec:
    """One compiled statement pattern of a rule.

    Attributes:
        name: the pattern's name in the rule file.
        label: (zh, en) of what the statement counts, for messages.
        before: matched against the text just before the number (anchored at the number).
        after: matched against the text just after the unit.
        zero: a phrase that states the count is zero (未收到…).
        unless: a phrase in the clause that cancels a zero statement.
        not_preceded: a qualifier that may not stand right before the ``before`` match (or, in
            its clause, right before a ``zero`` phrase).
        not_followed: words that may not follow a ``zero`` phrase, an ``after`` match, or (for a
            statement with ``before`` only) the unit.
        excludes: words the ``before`` match may not contain (a later start is then tried).
        units: accepted units and their factor to the statement's base unit.
        readings: cell sums, the first is the cell the statement speaks of, the others are
            alternative readings that also make the statement true.
        scope: the statement only counts where the latest scope word of its sentence is one of
            these (``None`` among them: where there is no scope word).
        subset_ok: whether the statement may stand in a 其中 … clause.
        agree: statements with this key are compared with each other instead of with cells.
    """

    name: str
    label: tuple[str, str]
    before: Pattern | None
    after: Pattern | None
    zero: Pattern | None
    unless: Pattern | None
    not_preceded: Pattern | None
    not_followed: Pattern | None
    excludes: Pattern | None
    units: dict[str, float]
    readings: tuple[tuple[str, ...], ...]
    scope: frozenset[str | None] | None
    subset_ok: bool
    agree: str | None

    @property
    def reads_tail(self) -> bool:
        """Whether the words after the unit decide the statement."""
        return self.after is not None or (self.before is not None and self.not_followed is not None)


# Whose figure a statement gives (see ``guards.bodies``): no body word, the body itself, a wider
# body (全市、各级、所属单位), or unclear (我县、本市: the body or its region).
BODY_NONE, BODY_OWN, BODY_WIDER, BODY_UNCLEAR = 0, 1, 2, 3
BODY_NAMES = ("none", "own", "wider", "unclear")
# The keys of ``guards.bodies``, in the order they are tried at one place: the body each word
# marks, and whether it holds to the end of its paragraph (or only in its own sentence).
_BODY_KEYS = {"wider": (BODY_WIDER, True), "wider_in_sentence": (BODY_WIDER, False), "own": (BODY_OWN, True),
              "unclear": (BODY_UNCLEAR, True)}


class Statement(NamedTuple):
    """A quantitative statement found in one text.

    Attributes:
        spec: index of the :class:`Spec` it matched.
        value: the number, in the spec's base unit.
        start: offset of the statement (subject or number, whichever comes first) in the text.
        end: offset just after the unit.
        years: explicit years (YYYY年) in the sentence before the number.
        body: whose figure it gives (``BODY_*``: the body word in force at the statement).
        quote: the sentence around the statement (at most 60 characters).
    """

    spec: int
    value: float
    start: int
    end: int
    years: tuple[int, ...]
    body: int
    quote: str


@dataclass(frozen=True, slots=True)
class Guards:
    """The compiled shared guards of a rule (see ``schemas/ruleset.schema.json``)."""

    connector: str
    window: int
    approx_before: Pattern
    approx_after: Pattern
    other_period: Pattern
    subset: Pattern
    subset_end: Pattern
    bodies: Pattern | None
    scopes: Pattern | None
    blocked_after: Pattern


def _compile(pattern: str | None, prefix: str = "", suffix: str = "", parts: tuple[str, ...] = ()) -> Pattern | None:
    """``pattern`` (from the rule file) wrapped in ``prefix``/``suffix`` and compiled for RE2.

    The rule's own pattern, and any rule ``parts`` the wrapping holds, are checked alone first,
    so that a refusal names what the rule file wrote.
    """
    if not pattern:
        return None
    for piece in (pattern, *parts):
        compile_pattern(piece)
    return compile_code_pattern(f"{prefix}(?:{pattern}){suffix}")


def _guard(raw: dict[str, Any], key: str, prefix: str = "", suffix: str = "", default: str | None = None) -> Pattern:
    return _compile(raw.get(key, default), prefix, suffix) or NEVER


def _guards(raw: dict[str, Any], scopes: dict[str, str]) -> Guards:
    for rx in scopes.values():
        compile_pattern(rx)
    scope_re = "|".join(f"(?P<{name}>{rx})" for name, rx in scopes.items()) if scopes else None
    bodies = {k: v for k, v in (raw.get("bodies") or {}).items() if k in _BODY_KEYS and v}
    for rx in bodies.values():
        compile_pattern(rx)
    # One alternation: at one place the key listed first in _BODY_KEYS wins (本局系统 is wider, 本局 own).
    body_re = "|".join(f"(?P<{k}>{bodies[k]})" for k in _BODY_KEYS if k in bodies) if bodies else None
    connector = raw.get("connector", r"\s*")
    compile_pattern(connector)
    return Guards(
        connector=connector,
        window=int(raw.get("window", 40)),
        approx_before=_guard(raw, "approx_before", suffix=r"\s*$"),
        approx_after=_guard(raw, "approx_after", prefix=r"^\s*"),
        other_period=_guard(raw, "other_period"),
        subset=_guard(raw, "subset"),
        subset_end=_guard(raw, "subset_end", default="[；;]"),
        bodies=compile_code_pattern(body_re) if body_re else None,
        scopes=compile_code_pattern(scope_re) if scope_re else None,
        blocked_after=_guard(raw, "blocked_after", prefix="^"),
    )


def _spec(raw: dict[str, Any], guards: Guards, units: dict[str, float]) -> Spec:
    cells = cell_index()
    readings = tuple(tuple(r) for r in [raw["cells"], *raw.get("also", [])]) if raw.get("cells") else ()
    for reading in readings:
        for cid in reading:
            if cid not in cells:
                raise KeyError(cid)
    if not (raw.get("before") or raw.get("after") or raw.get("zero")):
        raise ValueError(f"statement {raw['name']} needs before, after or zero")
    if bool(readings) == bool(raw.get("agree")):
        raise ValueError(f"statement {raw['name']} needs either cells or agree")
    label = raw.get("label", {"zh": raw["name"], "en": raw["name"]})
    return Spec(
        name=raw["name"], label=(label["zh"], label["en"]),
        before=_compile(raw.get("before"), suffix=f"{guards.connector}$", parts=(guards.connector,)),
        after=_compile(raw.get("after"), prefix="^"),
        zero=_compile(raw.get("zero")),
        unless=_compile(raw.get("unless")),
        not_preceded=_compile(raw.get("not_preceded"), suffix="$"),
        not_followed=_compile(raw.get("not_followed"), prefix="^"),
        excludes=_compile(raw.get("excludes")),
        units={u: float(units[u]) for u in raw.get("units", [])},
        readings=readings, scope=_scope_set(raw.get("scope")), subset_ok=bool(raw.get("subset_ok", False)),
        agree=raw.get("agree"))


def _scope_set(raw: str | list[str] | None) -> frozenset[str | None] | None:
    """A statement's ``scope`` as a set of scope names (``none``: no scope word), or None (any)."""
    if raw is None:
        return None
    names = [raw] if isinstance(raw, str) else raw
    return frozenset(None if n == "none" else n for n in names)


def to_number(token: str) -> float | None:
    """The value of an Arabic (``1,234``) or Chinese (``十七``, ``两``) numeral, else None."""
    token = token.replace(",", "").strip()
    if not token or len(token) > _NUMERAL_CHARS:
        return None
    if token[0].isdigit():
        try:
            return float(token)
        except ValueError:
            return None
    import cn2an  # imported on first use: it takes a sixth of gkcheck's start-up time

    try:
        value = cn2an.cn2an(token, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return float(value)


# --------------------------------------------------------------------------- extraction


class _Token(NamedTuple):
    """A number directly followed by a known unit that passed the number-level guards.

    Attributes:
        start: offset of the number.
        end: offset just after the unit.
        s_start: offset where its sentence begins.
        prefix: the text of its sentence just before the number (at most ``window`` characters).
        tail: the text just after the unit (at most ``window`` characters).
        value: the number.
        unit: the unit.
    """

    start: int
    end: int
    s_start: int
    prefix: str
    tail: str
    value: float
    unit: str


class _Text:
    """One text tokenised by a :class:`Lexer`, shared by every extractor that uses the same lexer.

    Besides the sentence ends and the guarded number tokens it keeps, computed on first use,
    what the guards work out from a text position alone (clause bounds, the scope word in
    force, explicit years, the body words), so extractors that relate the same number to
    different cells do that work once.
    """

    __slots__ = ("text", "sentences", "tokens", "_guards", "_marks", "_scope", "_after", "_before", "_bodies")

    def __init__(self, text: str, sentences: list[int], tokens: tuple[_Token, ...], guards: Guards) -> None:
        self.text = text
        self.sentences = sentences
        self.tokens = tokens
        self._guards = guards
        self._marks: list[int] | None = None
        self._scope: dict[tuple[int, int], str | None] = {}
        self._after: dict[int, bool] = {}
        self._before: dict[tuple[int, int], tuple[int, ...]] = {}
        self._bodies: _BodyWords | None = None

    def _clause_marks(self) -> list[int]:
        """Offsets of every clause-ending character (where ``_CLAUSE_END`` matches)."""
        if self._marks is None:
            self._marks = _ends(_CLAUSE_MARK, self.text)
        return self._marks

    def clause_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` begins: just after the last clause end before
        ``pos``, looking back at most 200 characters."""
        marks = self._clause_marks()
        lo = max(0, pos - _CLAUSE_REACH)
        k = bisect.bisect_left(marks, pos) - 1
        if k >= 0 and marks[k] >= lo:
            return marks[k] + 1
        return lo

    def clause_end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends, as :func:`_clause_end` finds it (from the clause marks).

        That search stops at ``pos + 200``, where a "." before a digit counts as an end; that
        one case is left to the search itself.
        """
        marks = self._clause_marks()
        n = len(self.text)
        stop = min(n, pos + _CLAUSE_REACH)
        k = bisect.bisect_left(marks, pos)
        if k < len(marks) and marks[k] < (stop if stop == n else stop - 1):
            return marks[k]
        return stop if stop == n else _clause_end(self.text, pos)

    def scope(self, s_start: int, at: int) -> str | None:
        """The scope word in force at ``at``: the latest one between ``s_start`` and ``at``."""
        key = (s_start, at)
        if key not in self._scope:
            current = None
            if self._guards.scopes is not None:
                for sm in self._guards.scopes.finditer(self.text[s_start:at]):
                    current = sm.lastgroup
            self._scope[key] = current
        return self._scope[key]

    def other_period_after(self, at: int) -> bool:
        """Whether the clause from ``at`` on speaks of another period."""
        hit = self._after.get(at)
        if hit is None:
            clause = self.text[max(at, self.clause_start(at)):self.clause_end(at)]
            hit = self._after[at] = self._guards.other_period.test(clause)
        return hit

    def years(self, s_start: int, at: int) -> tuple[int, ...]:
        """Explicit years between ``s_start`` and ``at``."""
        key = (s_start, at)
        hit = self._before.get(key)
        if hit is None:
            before = self.text[s_start:at]
            hit = self._before[key] = tuple(int(y) for y in _YEAR.findall(before)) if "年" in before else ()
        return hit

    def body(self, s_start: int, at: int) -> int:
        """The body word in force at ``at`` (``BODY_*``): the latest one of its sentence (from
        ``s_start``), else the latest one of its paragraph that holds to the paragraph's end."""
        if self._guards.bodies is None:
            return BODY_NONE
        if self._bodies is None:
            self._bodies = _BodyWords(self.text, self._guards.bodies)
        return self._bodies.at(s_start, at)


class _BodyWords:
    """The body words of one text (see ``guards.bodies``), found once, and the one in force at a place.

    Attributes:
        starts: where each word begins, in text order.
        bodies: the body each marks (``BODY_*``).
        carried: for each word, the index of the latest word up to it that holds to the end of
            its paragraph (-1: none).
        breaks: offsets of the paragraph ends (line breaks).
    """

    __slots__ = ("bodies", "breaks", "carried", "starts")

    def __init__(self, text: str, pattern: Pattern) -> None:
        self.starts: list[int] = []
        self.bodies: list[int] = []
        self.carried: list[int] = []
        last = -1
        for m in pattern.finditer(text):
            body, paragraph = _BODY_KEYS[m.lastgroup or ""]
            if paragraph:
                last = len(self.starts)
            self.starts.append(m.start())
            self.bodies.append(body)
            self.carried.append(last)
        self.breaks = [m.start() for m in _LINE_BREAK.finditer(text)] if self.starts else []

    def at(self, s_start: int, at: int) -> int:
        k = bisect.bisect_left(self.starts, at) - 1  # the latest word that begins before ``at``
        if k < 0:
            return BODY_NONE
        if self.starts[k] >= s_start:
            return self.bodies[k]
        k = self.carried[k]
        if k < 0:
            return BODY_NONE
        b = bisect.bisect_left(self.breaks, at) - 1  # the paragraph begins after the last break before ``at``
        return self.bodies[k] if b < 0 or self.starts[k] > self.breaks[b] else BODY_NONE


class Lexer:
    """Finds the guarded number tokens of texts (the part of extraction common to a rule file's rules).

    The rules of one file share their guards and units, so they share a lexer's work: see
    :attr:`key`.

    Args:
        guards: the compiled shared guards.
        units: every unit the rule knows, with factors.
    """

    def __init__(self, guards: Guards, units: dict[str, float]) -> None:
        self.guards = guards
        alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        # A numeral may not follow a digit, a decimal point or a thousands separator (it would
        # be the tail of another number), nor 第 or an opening bracket (an ordinal, a document
        # number). RE2 has no look-behind: the character before the numeral is consumed instead
        # (or the text begins there), and each next search starts one character before the end
        # of the previous match, so that character may be the last one of that match (see
        # ``Pattern.scan``). The numeral found at each position is the one ``re`` found.
        self.token = compile_code_pattern(
            rf"(?:^|[^\d.,．第〔\[])(?P<num>{_ARABIC}|{_CHINESE})\s*(?P<unit>{alternation})")
        # The two guards on the words after the unit, in one search.
        self.blocked_tail = compile_code_pattern(f"(?:{guards.approx_after.source})|(?:{guards.blocked_after.source})")
        self.key = repr((self.token.pattern, _guards_key(guards)))
        """Equal for lexers that tokenise every text the same way (their texts are shared)."""

    def prepare(self, text: str) -> _Text:
        """The sentence ends and the guarded number tokens of ``text``, in text order."""
        g = self.guards
        window = g.window
        approx_before, blocked_tail = g.approx_before.test, self.blocked_tail.test
        sentences = [p + 1 for p in _ends(_SENTENCE_MARK, text)]
        tokens = []
        num_group, unit_group = self.token.groupindex["num"], self.token.groupindex["unit"]
        data = encode(text)
        to_char = None if len(data) == len(text) else Offsets(data, len(text))
        match = self.token.match_bytes
        pos, size = 0, len(data)
        while pos < size:  # Pattern.scan(data, restart=1), inlined: this loop runs for every number
            spans = match(data, pos)
            if spans is None:
                break
            (b_start, b_num_end), (b_unit, b_end) = spans[num_group], spans[unit_group]
            pos = b_end - 1  # the next search starts at the last character of this match
            while data[pos] & 0xC0 == 0x80:
                pos -= 1
            if to_char is None:
                start, end = b_start, b_end
            else:
                start, end = to_char(b_start), to_char(b_end)
            s_start = _sentence_start(sentences, start)
            prefix = text[max(s_start, start - window):start]
            tail = text[end:end + window]
            if approx_before(prefix) or blocked_tail(tail):
                continue
            num, unit = data[b_start:b_num_end].decode(), data[b_unit:b_end].decode()
            value = to_number(num)
            if value is not None:
                tokens.append(_Token(start, end, s_start, prefix, tail, value, unit))
        return _Text(text, sentences, tuple(tokens), g)


def _guards_key(g: Guards) -> tuple[Any, ...]:
    """Everything a :class:`Guards` holds, as plain values (patterns as their source)."""
    return (g.connector, g.window, g.approx_before.pattern, g.approx_after.pattern, g.other_period.pattern,
            g.subset.pattern, g.subset_end.pattern, g.bodies.pattern if g.bodies is not None else None,
            g.scopes.pattern if g.scopes is not None else None, g.blocked_after.pattern)


def _spec_key(s: Spec) -> tuple[Any, ...]:
    """Everything a :class:`Spec` holds, as plain values (patterns as their source)."""
    patterns = tuple(p.pattern if p is not None else None
                     for p in (s.before, s.after, s.zero, s.unless, s.not_preceded, s.not_followed, s.excludes))
    scope = None if s.scope is None else sorted(s.scope, key=lambda n: n or "")
    return (s.name, s.label, patterns, sorted(s.units.items()), s.readings, scope, s.subset_ok, s.agree)


class _Candidate(NamedTuple):
    """A spec whose ``before`` pattern matches the words before a number (see :meth:`Extractor.candidates`)."""

    spec: int
    offset: int | None
    tail: bool


class _Decision(NamedTuple):
    """The statement a number makes (see :meth:`Extractor._decide`).

    Attributes:
        spec: index of the spec.
        begin: offset of the statement's start from the number's (0 or negative).
        years: explicit years in the sentence before the number.
    """

    spec: int
    begin: int
    years: tuple[int, ...]


class _Memo(NamedTuple):
    """What an extractor worked out from the words before numbers, kept for the texts of a
    batch (reports word their statements alike, so the same words recur from report to report).

    Attributes:
        candidates: (unit, the words just before the number) → :meth:`Extractor.candidates`.
        decisions: (unit, the sentence up to the number) → :meth:`Extractor._decide`, where
            that decides alone.
    """

    candidates: dict[tuple[str, str], tuple[_Candidate, ...]]
    decisions: dict[tuple[str, str], _Decision | tuple[()]]


class Extractor:
    """Finds the statements of a rule's specs in one text (linear in the text length).

    Args:
        specs: the compiled statement patterns, in priority order.
        guards: the compiled shared guards.
        units: every unit the rule knows (for tokenising), with factors.
    """

    def __init__(self, specs: Sequence[Spec], guards: Guards, units: dict[str, float]) -> None:
        self.specs = tuple(specs)
        self.guards = guards
        self.lexer = Lexer(guards, units)
        self.token = self.lexer.token
        self.zero_specs = tuple(i for i, s in enumerate(self.specs) if s.zero is not None)
        # per unit, the specs that accept it and match a number, in priority order
        self._by_unit = {u: tuple(i for i, s in enumerate(self.specs)
                                  if u in s.units and (s.before is not None or s.after is not None))
                         for u in units}
        # per unit, the ``before`` patterns of its specs in one set: one RE2 pass tells which may match
        self._before_sets = {u: (tuple(i for i in specs if self.specs[i].before is not None),
                                 PatternSet([b for i in specs if (b := self.specs[i].before) is not None]))
                             for u, specs in self._by_unit.items()
                             if any(self.specs[i].before is not None for i in specs)}
        self.key = repr((self.lexer.key, tuple(_spec_key(s) for s in self.specs)))
        """Equal for extractors that find the same statements in every text."""

    def extract(self, text: str, prepared: _Text | None = None, memo: _Memo | None = None) -> tuple[Statement, ...]:
        """Every guarded statement of ``text``, in text order.

        ``prepared`` is ``text`` already tokenised by an equal lexer (see :attr:`Lexer.key`);
        ``memo`` keeps what the words before numbers gave in other texts of the batch.
        """
        if not text:
            return ()
        t = prepared if prepared is not None else self.lexer.prepare(text)
        if memo is None:
            memo = _Memo({}, {})
        found: list[Statement] = []
        for token in t.tokens:
            st = self._number_statement(t, token, memo)
            if st is not None:
                found.append(st)
        for i in self.zero_specs:
            for m in self.specs[i].zero.finditer(text):  # type: ignore[union-attr]
                st = self._zero_statement(t, i, m)
                if st is not None:
                    found.append(st)
        found.sort(key=lambda s: s.start)
        return tuple(found)

    # -- one number ------------------------------------------------------------------

    def _number_statement(self, t: _Text, token: _Token, memo: _Memo) -> Statement | None:
        key = (token.unit, t.text[token.s_start:token.start])
        decision = memo.decisions.get(key)
        if decision is None:
            decision, general = self._decide(t, token, memo.candidates)
            if general and len(key[1]) <= _MEMO_SENTENCE:
                memo.decisions[key] = decision
        if not decision:
            return None
        i, begin, years = decision
        start = token.start + begin
        return Statement(i, token.value * self.specs[i].units[token.unit], start, token.end, years,
                         t.body(token.s_start, min(start, token.start)),
                         _quote(t.text, token.s_start, t.sentences, start, token.end))

    def _decide(self, t: _Text, token: _Token, memo: dict[tuple[str, str], tuple[_Candidate, ...]]
                ) -> tuple[_Decision | tuple[()], bool]:
        """Which spec states the number of ``token`` (empty when none does, or more than one
        cell fits), and whether that follows from its unit and the sentence up to the number.

        It does unless a spec reads the words after the number (an ``after`` pattern, or the
        period guard on the clause after a statement that begins at the number): every guard
        on the words before reads only that sentence, as its clause starts within it.
        """
        key = (token.unit, token.prefix)
        candidates = memo.get(key)
        if candidates is None:
            candidates = memo[key] = self.candidates(token.unit, token.prefix)
        start = token.start
        base = start - len(token.prefix)
        general = True
        hits: list[tuple[int, int]] = []
        for i, offset, tail in candidates:
            if tail:
                general = False
                if not _after_ok(self.specs[i], token.tail):
                    continue
            begin = start if offset is None else base + offset
            if begin >= start:
                general = False
            if self._context_ok(t, self.specs[i], token.s_start, begin, start):
                hits.append((i, begin))
        if not hits:
            return (), general
        if len(hits) > 1 and len({self.specs[i].readings or self.specs[i].agree for i, _ in hits}) > 1:
            return (), general  # the number fits two different cells: not compared
        i, begin = hits[0]
        return _Decision(i, min(begin, start) - start, t.years(token.s_start, start)), general

    def candidates(self, unit: str, prefix: str) -> tuple[_Candidate, ...]:
        """The specs that may state a number in ``unit`` after ``prefix``, in priority order.

        Each is (spec index, offset in ``prefix`` where the statement begins, or None when it
        begins at the number, whether the text after the unit must still be read).
        """
        out = []
        with_before = self._before_sets.get(unit)
        may_match = frozenset(with_before[0][k] for k in with_before[1].matching(prefix)) if with_before else frozenset()
        for i in self._by_unit.get(unit, ()):
            spec = self.specs[i]
            if spec.before is None:
                out.append(_Candidate(i, None, spec.reads_tail))
                continue
            if i not in may_match:
                continue
            begin = _before_start(spec, prefix)
            if begin is None:
                continue
            if spec.not_preceded is not None and spec.not_preceded.test(prefix[:begin]):
                continue
            out.append(_Candidate(i, begin, spec.reads_tail))
        return tuple(out)

    def _zero_statement(self, t: _Text, i: int, m: Match) -> Statement | None:
        spec = self.specs[i]
        if spec.not_followed is not None and spec.not_followed.test(t.text[m.end():m.end() + _CLAUSE_REACH]):
            return None
        s_start = _sentence_start(t.sentences, m.start())
        if spec.not_preceded is not None and spec.not_preceded.test(t.text[t.clause_start(m.start()):m.start()]):
            return None
        if spec.unless is not None:
            clause = t.text[t.clause_start(m.start()):t.clause_end(m.end())]
            if spec.unless.test(clause):
                return None
        if not self._context_ok(t, spec, s_start, m.start(), m.end()):
            return None
        return self._statement(t, i, 0.0, m.start(), m.end(), s_start, m.start())

    # -- guards ----------------------------------------------------------------------

    def _context_ok(self, t: _Text, spec: Spec, s_start: int, begin: int, at: int) -> bool:
        """Period, subset and scope guards (the year is decided per report, the body per statement)."""
        g = self.guards
        text = t.text
        c_start = t.clause_start(at)
        clause_before = text[c_start:min(begin, at)] if begin > c_start else ""
        if g.other_period.test(clause_before) or (begin >= at and t.other_period_after(at)):
            return False
        if not spec.subset_ok:
            sentence_before = text[s_start:min(begin, at)]
            sub = None
            for m in g.subset.finditer(sentence_before):
                sub = m  # the last match
            if (sub is not None and not g.subset_end.test(sentence_before[sub.end():])
                    and not self._own_share(sentence_before, sub.start(), sub.end())):
                return False
        if spec.scope is not None and t.scope(s_start, at) not in spec.scope:
            return False
        return True

    def _own_share(self, sentence: str, sub_start: int, sub_end: int) -> bool:
        """Whether a 其中 (from ``sub_start`` to ``sub_end`` in ``sentence``) splits a wider body's
        figure and what follows it is the body's own share (全市……，其中市政府本级新收87件): a
        wider body word before it, an own body word after it and no other body word after that."""
        if self.guards.bodies is None:
            return False
        wider_before = own_after = False
        for m in self.guards.bodies.finditer(sentence):
            body = _BODY_KEYS[m.lastgroup or ""][0]
            if m.start() < sub_start:
                wider_before = wider_before or body == BODY_WIDER
            elif m.start() >= sub_end:
                own_after = body == BODY_OWN
        return wider_before and own_after

    def _statement(self, t: _Text, i: int, value: float, start: int, end: int, s_start: int,
                   at: int) -> Statement:
        return Statement(i, value, start, end, t.years(s_start, at), t.body(s_start, start),
                         _quote(t.text, s_start, t.sentences, start, end))


def _before_start(spec: Spec, prefix: str) -> int | None:
    """Where in ``prefix`` the leftmost match of the spec's ``before`` begins that does not
    contain its ``excludes`` (None: there is none). Each retry starts one character later;
    ``prefix`` is at most ``window`` characters long."""
    assert spec.before is not None
    offset = 0
    while True:
        bm = spec.before.search(prefix[offset:] if offset else prefix)
        if bm is None:
            return None
        if spec.excludes is None or not spec.excludes.test(bm.group() or ""):
            return offset + bm.start()
        offset += bm.start() + 1


def _after_ok(spec: Spec, tail: str) -> bool:
    """Whether the spec's ``after`` pattern matches the start of ``tail`` in some way that its
    ``not_followed`` words do not follow (every end is tried: ``tail`` is at most ``window``
    characters long); without ``after``, whether ``tail`` does not begin with those words."""
    after, banned = spec.after, spec.not_followed
    if after is None:
        return banned is None or not banned.test(tail)
    if not after.test(tail):
        return False
    if banned is None:
        return True
    return any(after.fullmatch(tail[:e]) is not None and not banned.test(tail[e:])
               for e in range(len(tail) + 1))


def _sentence_start(ends: list[int], pos: int) -> int:
    """Where the sentence holding ``pos`` begins, at most ``_SENTENCE_REACH`` characters back."""
    k = bisect.bisect_right(ends, pos)
    return max(ends[k - 1] if k else 0, pos - _SENTENCE_REACH)


def _ends(mark: re.Pattern[str], text: str) -> list[int]:
    """Offsets of the characters ``mark`` finds in ``text``, but not of a "." before a digit.

    The same offsets as the one-character matches of ``[<characters>]|\\.(?!\\d)``, found
    quicker: a pattern that starts with a character set is scanned for in one C loop.
    """
    found = list(map(_start, mark.finditer(text)))
    if "." in text:
        found = [p for p in found if text[p] != "." or _DIGIT.match(text, p + 1) is None]
    return found


_start = operator.methodcaller("start")


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos, min(len(text), pos + _CLAUSE_REACH))
    return m.start() if m else min(len(text), pos + _CLAUSE_REACH)


def _quote(text: str, s_start: int, ends: list[int], start: int, end: int) -> str:
    k = bisect.bisect_right(ends, start)
    s_end = min(ends[k] if k < len(ends) else len(text), end + _SENTENCE_REACH)
    sentence = text[s_start:s_end].strip()
    if len(sentence) <= _QUOTE_LEN:
        return sentence
    offset = text.find(sentence, s_start)
    lo = max(0, start - offset - 20)
    hi = min(len(sentence), max(end - offset + 10, lo + _QUOTE_LEN - 2))
    lo = max(0, min(lo, hi - (_QUOTE_LEN - 2)))
    return ("…" if lo > 0 else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")


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


# --------------------------------------------------------------------------- the check


class _Found(NamedTuple):
    """A statement of one report with its section and its outcome.

    Attributes:
        derived: the reading's sum holds a blank total read as the sum of its parts.
    """

    section: str
    statement: Statement
    table: float | None
    reading: tuple[str, ...]
    other: _Found | None = None
    derived: bool = False


class _Outcome(NamedTuple):
    """The statements of one report: compared, mismatching, and left uncompared for their body."""

    decided: list[_Found]
    bad: list[_Found]
    other_body: list[_Found]


_NOTHING = _Outcome([], [], [])  # a row without compared statements (never changed)


class NarrativeNumbers(FrameCheck):
    """Quantitative statements of the narrative agree with their table cells.

    A report is assessable when at least one statement could be compared (its cells are
    numbers, or a blank total is the sum of its parts); it fails when at least one compared
    statement differs from its cell and from every alternative reading. Statements with
    ``agree`` are compared with each other. A statement about a wider or unclear body (see
    ``guards.bodies``) is never a mismatch: it counts as compared when it equals its cell, and
    otherwise it is left out; a report with nothing else to compare is not assessable with the
    reason ``scope``.

    The statements of each text are extracted once per batch and shared by the instances
    with the same patterns, and the tokenising by every instance with the same guards and
    units (see :class:`_BatchCache`).
    """

    def __init__(self, statements: list[dict[str, Any]], guards: dict[str, Any] | None = None,
                 sections: list[str] | None = None, keywords: str | None = None,
                 says: dict[str, dict[str, str]] | None = None, **_: Any) -> None:
        guards = guards or {}
        unit_map = {"件": 1.0, **{k: float(v) for k, v in guards.get("units", {}).items()}}
        self.guards = _guards(guards, guards.get("scopes", {}))
        self.specs = tuple(_spec(s, self.guards, unit_map) for s in statements)
        self.sections = tuple(sections or SECTION_IDS)
        for s in self.sections:
            if s not in SECTION_IDS:
                raise KeyError(s)
        self.extractor = Extractor(self.specs, self.guards, unit_map)
        self.cell_ids = tuple(dict.fromkeys(c for s in self.specs for r in s.readings for c in r))
        # The totals among the cells, and the cells their blank value is added up from: read
        # only to derive a blank total, so they are context, not inputs (an unread part leaves
        # the total underivable, nothing more).
        self._totals = tuple(c for c in self.cell_ids if parts_of(c))
        parts = tuple(dict.fromkeys(p for c in self._totals for p in parts_of(c) if p not in self.cell_ids))
        self.text_columns = [text_col(f"sections.{s}.text") for s in self.sections]
        self.columns = [*self.text_columns, *(value_col(c) for c in self.cell_ids),
                        *(status_col(c) for c in self.cell_ids), meta_col("year")]
        self.context_columns = (*(value_col(c) for c in parts), *(status_col(c) for c in parts),
                                *((meta_col("format"),) if self._totals else ()))
        # What the message says of the table: the cell's value, or a blank total's derived value.
        says = says or {}
        self._says = {key: (says.get(key, {}).get("zh", default[0]), says.get(key, {}).get("en", default[1]))
                      for key, default in (("cell", ("为 {table}", "says {table}")),
                                           ("derived", ("栏为空，按各栏相加为 {table}",
                                                        "is blank; its parts add up to {table}")))}
        # Words one of which every statement of the rule contains: a text without any is skipped.
        self.keywords = compile_pattern(keywords) if keywords else None
        self._value_columns = [value_col(c) for c in self.cell_ids]
        self._status_columns = [status_col(c) for c in self.cell_ids]
        # Every distinct reading of the specs (a sum of cells) with the positions of its cells
        # in cell_ids, and per spec the positions of its readings in that list (all readings,
        # and those with cells); the readings of all reports are summed at once.
        self._all_readings = tuple(dict.fromkeys(r for s in self.specs for r in s.readings))
        column = {c: k for k, c in enumerate(self.cell_ids)}
        self._reading_cells = tuple(tuple(column[c] for c in r) for r in self._all_readings)
        where = {r: k for k, r in enumerate(self._all_readings)}
        self._reading_pos = tuple(tuple(where[r] for r in s.readings) for s in self.specs)
        self._nonempty = tuple(tuple(k for k, r in zip(pos, s.readings) if r)
                               for s, pos in zip(self.specs, self._reading_pos))
        self._spec_cells = tuple(sorted({column[c] for r in s.readings for c in r}) for s in self.specs)
        # per reading: pointer of its first cell, its labels (zh, en), its id, pointers of the other cells
        index = cell_index()
        self._labels = {r: (index[r[0]].pointer, " + ".join(index[c].zh for c in r),
                            " + ".join(index[c].en for c in r), "+".join(r), tuple(index[c].pointer for c in r[1:]))
                        for r in self._all_readings if r}
        self._texts_key = "texts " + self.extractor.lexer.key
        self._candidates_key = "candidates " + self.extractor.key
        self._decisions_key = "decisions " + self.extractor.key
        self._statements_key = "statements " + repr((self.extractor.key, keywords or None))
        self._last: tuple[weakref.ref[pd.DataFrame], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    # -- FrameCheck -------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[0]

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[1]

    def undecided(self, df: pd.DataFrame) -> dict[str, np.ndarray]:
        """Rows left not assessable because every statement found speaks of a wider or unclear
        body (``scope``)."""
        scope = self._masks(df)[2]
        return {"scope": scope} if scope.any() else {}

    def _masks(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(assessable, violated, left out for the body) for ``df``; the engine asks for each on the
        same frame in turn."""
        if self._last is not None and self._last[0]() is df:
            return self._last[1]
        decided = np.zeros(len(df), dtype=bool)
        bad = np.zeros(len(df), dtype=bool)
        scope = np.zeros(len(df), dtype=bool)
        for k, outcome in self._evaluate(df).items():
            decided[k] = bool(outcome.decided)
            bad[k] = bool(outcome.bad)
            scope[k] = not outcome.decided and bool(outcome.other_body)
        self._last = (weakref.ref(df), (decided, bad, scope))
        return decided, bad, scope

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        results = self._evaluate(df, np.asarray(rows, dtype=np.intp))
        return [[self._payload(f, docs[r]) for f in results.get(k, _NOTHING).bad] for k, r in enumerate(rows)]

    # -- evaluation -------------------------------------------------------------------

    def statements(self, text: str | None) -> tuple[Statement, ...]:
        """The statements of one text (cached for the batch in progress)."""
        if not text:
            return ()
        cache, read = self._reader(None)
        hit = cache.get(text)
        return hit if hit is not None else read(text)

    def _reader(self, column: np.ndarray | None) -> tuple[dict[str, tuple[Statement, ...]],
                                                          Callable[[str], tuple[Statement, ...]]]:
        """The statements cache of the batch of the frame holding ``column`` (see :class:`_BatchCache`),
        and the function that fills it for one non-empty text."""
        cache: dict[str, tuple[Statement, ...]] = _BATCH.table(self._statements_key, column)
        prepared: dict[str, _Text] = _BATCH.table(self._texts_key)
        memo = _Memo(_BATCH.table(self._candidates_key), _BATCH.table(self._decisions_key))
        extractor, keywords = self.extractor, self.keywords

        def read(text: str) -> tuple[Statement, ...]:
            hit: tuple[Statement, ...] = ()
            if keywords is None or keywords.test(text):
                t = prepared.get(text)
                if t is None:
                    t = prepared[text] = extractor.lexer.prepare(text)
                hit = extractor.extract(text, t, memo)
            cache[text] = hit
            return hit

        return cache, read

    def _evaluate(self, df: pd.DataFrame, rows: np.ndarray | None = None) -> dict[int, _Outcome]:
        """The outcome of the statements of each row of ``df``, or of each position in ``rows``.

        Rows without any statement about this report's year are left out.
        """
        columns = [df[c].to_numpy() for c in self.text_columns]
        cache, read = self._reader(columns[0])
        get = cache.get
        if rows is not None:
            columns = [col[rows] for col in columns]
        found: dict[int, list[tuple[str, tuple[Statement, ...]]]] = {}
        for sec, col in zip(self.sections, columns):
            present = np.flatnonzero(col)  # rows with a non-empty text
            for k, text in zip(present.tolist(), col[present].tolist()):
                sts = get(text)
                if sts is None:
                    sts = read(text)
                if sts:
                    texts = found.get(k)
                    if texts is None:
                        found[k] = [(sec, sts)]
                    else:
                        texts.append((sec, sts))
        if not found:
            return {}
        at = sorted(found)
        where = np.asarray(at, dtype=np.intp) if rows is None else rows[at]
        year = df[meta_col("year")].to_numpy()[where].tolist()
        sums, codes, complete, derived = self._cells(df, where)
        out: dict[int, _Outcome] = {}
        for j, k in enumerate(at):
            here = [(sec, st) for sec, sts in found[k] for st in sts
                    if not st.years or self._in_year(st, year[j])]
            if here:
                out[k] = self._compare(here, sums[j], codes[j], complete[j], derived[j])
        return out

    def _cells(self, df: pd.DataFrame, where: np.ndarray
               ) -> tuple[list[list[float]], list[list[int]], list[list[bool]], list[list[bool]]]:
        """For each row in ``where``: the sum of each reading (in ``_all_readings`` order), the
        status code of each cell (in ``cell_ids`` order), for each spec whether all the cells of
        its readings are numbers, and for each reading whether its sum holds a derived total.

        A blank total whose parts are numbers counts as a number, of their sum (see
        :mod:`checker.totals`). Sums are added cell by cell in reading order, as ``sum`` would.
        """
        n = len(where)
        if not self.cell_ids:
            return [[]] * n, [[]] * n, [[False] * len(self.specs)] * n, [[]] * n
        values = df[self._value_columns].to_numpy()[where]
        codes = df[self._status_columns].to_numpy()[where]
        made = np.zeros(codes.shape, dtype=bool)
        if self._totals and (codes == BLANK).any():
            values, codes = values.copy(), codes.copy()
            fmts = df[meta_col("format")].to_numpy()[where]
            column = {c: k for k, c in enumerate(self.cell_ids)}
            for cid in self._totals:
                j = column[cid]
                if not (codes[:, j] == BLANK).any():
                    continue
                cols = (cid, *parts_of(cid))
                vals = {c: (values[:, column[c]] if c in column else df[value_col(c)].to_numpy()[where])
                        for c in cols}
                stat = {c: (codes[:, column[c]] if c in column else df[status_col(c)].to_numpy()[where])
                        for c in cols}
                ok, value = derive_rows(cid, fmts, vals, stat)
                values[ok, j] = value[ok]
                codes[ok, j] = NUMBER
                made[ok, j] = True
        sums = np.zeros((len(self._all_readings), n))
        derived = np.zeros((len(self._all_readings), n), dtype=bool)
        for k, cells in enumerate(self._reading_cells):
            for c in cells:
                sums[k] += values[:, c]
                derived[k] |= made[:, c]
        number = codes == NUMBER
        complete = np.column_stack([number[:, cells].all(axis=1) for cells in self._spec_cells])
        return sums.T.tolist(), codes.tolist(), complete.tolist(), derived.T.tolist()

    def _in_year(self, st: Statement, year: float) -> bool:
        """Year guard: the explicit years before the statement are the reported year."""
        return not (math.isnan(year) or any(y != int(year) for y in st.years))

    def _compare(self, found: list[tuple[str, Statement]], sums: list[float], codes: list[int],
                 complete: list[bool], derived: list[bool]) -> _Outcome:
        """The outcome of the statements of one report, given its row of :meth:`_cells`."""
        decided: list[_Found] = []
        bad: list[_Found] = []
        other_body: list[_Found] = []
        peers: dict[str, _Found] = {}
        for sec, st in found:
            i = st.spec
            spec = self.specs[i]
            if spec.agree is not None:
                if st.body in (BODY_WIDER, BODY_UNCLEAR):
                    continue  # a wider body's fees are not this body's
                first = peers.get(spec.agree)
                if first is None:
                    peers[spec.agree] = _Found(sec, st, None, ())
                    continue
                item = _Found(sec, st, first.statement.value, (), first)
                decided.append(item)
                if not _same(first.statement.value, st.value):
                    bad.append(item)
                continue
            readings = self._nonempty[i] if complete[i] else self._readings(i, codes)
            if not readings:
                continue
            item = _Found(sec, st, sums[readings[0]], self._all_readings[readings[0]], None, derived[readings[0]])
            agrees = _same(item.table, st.value) or any(_same(sums[k], st.value) for k in readings[1:])
            if st.body in (BODY_WIDER, BODY_UNCLEAR) and not agrees:
                other_body.append(item)  # may be the figure of a wider body: not compared
                continue
            decided.append(item)
            if not agrees:
                bad.append(item)
        return _Outcome(decided, _unique(bad), other_body)

    def _readings(self, spec: int, codes: list[int]) -> Sequence[int]:
        """The readings a statement of ``spec`` is compared with (positions in ``_all_readings``,
        the first is its cell): those whose cells exist in this report's table format; none
        when a cell of one of them is not a number."""
        readings = [k for k in self._reading_pos[spec] if not all(codes[c] == ABSENT for c in self._reading_cells[k])]
        if any(codes[c] != NUMBER for k in readings for c in self._reading_cells[k]):
            return ()
        return readings

    def explain(self, df: pd.DataFrame, row: int) -> list[dict[str, Any]]:
        """Every statement of one report row after the guards, with its outcome (for tests and debugging).

        Each item has ``section``, ``name`` (the pattern), ``cells`` (``+``-joined ids, or the
        ``agree`` key), ``value``, ``table`` (None when not compared), ``outcome``
        (``match`` | ``mismatch`` | ``not_assessable``), ``body`` (``none`` | ``own`` | ``wider``
        | ``unclear``: whose figure it gives), ``derived`` (the table value holds a blank total
        read as the sum of its parts) and ``quote``.
        """
        outcome = self._evaluate(df, np.array([row], dtype=np.intp)).get(0, _NOTHING)
        compared = {id(f.statement): f for f in outcome.decided}
        wrong = {id(f.statement) for f in outcome.bad}
        year = df[meta_col("year")].to_numpy()[row]
        cache, _ = self._reader(df[self.text_columns[0]].to_numpy())
        out = []
        for sec, col in zip(self.sections, self.text_columns):
            for st in cache.get(df[col].to_numpy()[row], ()):
                if st.years and not self._in_year(st, year):
                    continue
                spec = self.specs[st.spec]
                f = compared.get(id(st))
                result = "not_assessable" if f is None else ("mismatch" if id(st) in wrong else "match")
                out.append({"section": sec, "name": spec.name, "value": number(st.value),
                            "cells": spec.agree if spec.agree else "+".join(spec.readings[0]),
                            "table": None if f is None or f.table is None else number(f.table),
                            "outcome": result, "body": BODY_NAMES[st.body], "derived": bool(f and f.derived),
                            "quote": st.quote})
        return out

    # -- findings ---------------------------------------------------------------------

    def _payload(self, f: _Found, doc: dict[str, Any]) -> Payload:
        spec = self.specs[f.statement.spec]
        text_ptr = f"/sections/{f.section}/text"
        here = {"pointer": text_ptr,
                "location": sentence_location(doc, f.section, f.statement.start, f.statement.quote)}
        table = number(f.table or 0.0)
        says_zh, says_en = self._says["derived" if f.derived else "cell"]
        values: dict[str, Any] = {"stated": number(f.statement.value), "table": table,
                                  "subject": spec.label[0], "subject_en": spec.label[1],
                                  "sentence": f.statement.quote, "section": f.section,
                                  "table_says": says_zh.format(table=table), "table_says_en": says_en.format(table=table)}
        if f.other is not None:
            there = {"pointer": f"/sections/{f.other.section}/text",
                     "location": sentence_location(doc, f.other.section, f.other.statement.start,
                                                   f.other.statement.quote)}
            values.update({"other_sentence": f.other.statement.quote, "cell": "正文另一处", "cell_en": "elsewhere"})
            return Payload(text_ptr, values, (there, here) if f.other.section != f.section else (there, here))
        pointer, zh, en, cell_id, others = self._labels[f.reading]
        values.update({"cell": zh, "cell_en": en, "cell_id": cell_id})
        if f.derived:
            values["derived"] = True
        return Payload(pointer, values, (here, *({"pointer": p} for p in others)))


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _unique(items: list[_Found]) -> list[_Found]:
    if len(items) < 2:
        return items
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in items:
        key = (f.reading, f.statement.value, f.section, f.statement.quote)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# --------------------------------------------------------------------------- locations


def sentence_location(doc: dict[str, Any], section: str, offset: int, quote: str | None = None) -> dict[str, Any] | None:
    """Where the text offset of a section stood in the original file, from the source map.

    A document read from a file records where each line of a part's text starts
    (``text_lines``, and ``text_pages`` for a paged file): the line of the offset is exact. The
    place carries the file's ``unit`` and a short ``quote``: the start of ``quote`` (the sentence
    the finding quotes) when given, else of the text line.

    Without ``text_lines`` (a document of an earlier version), the source map gives the section's
    first (heading) line and last line. Ingest keeps one text line per paragraph and drops blank
    lines, so the line is exact when the section's span is a whole multiple of its text lines (one
    paragraph per line, with or without a blank line between paragraphs); otherwise (paragraphs
    reflowed over several lines, as in PDF extraction) it is estimated from the character offset
    inside the span.
    """
    smap = doc.get("source_map")
    entry = smap.get(f"/sections/{section}") if isinstance(smap, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("line"), int):
        return None
    text = ((doc.get("sections") or {}).get(section) or {}).get("text") or ""
    k = text.count("\n", 0, offset)
    out: dict[str, Any] = {key: entry[key] for key in ("page", "unit") if key in entry}
    line_end = text.find("\n", offset)
    line_text = text[text.rfind("\n", 0, offset) + 1:line_end if line_end >= 0 else len(text)]
    said = quote_of((quote or "").lstrip("…").strip() or line_text)
    if said:
        out["quote"] = said
    lines, pages = entry.get("text_lines"), entry.get("text_pages")
    if isinstance(lines, list) and k < len(lines) and isinstance(lines[k], int):
        out["line"] = lines[k]
        if isinstance(pages, list) and k < len(pages) and isinstance(pages[k], int) and pages[k] > 0:
            out["page"] = pages[k]
        return out
    first = int(entry["line"])
    last = entry["end_line"] if isinstance(entry.get("end_line"), int) else first
    n = text.count("\n") + 1
    span = last - first
    if span <= 0:
        return {**out, "line": first}
    if span + 1 == n:  # text starts on the heading line
        return {**out, "line": first + k}
    if span % n == 0:  # heading line, then one paragraph per `stride` lines
        stride = span // n
        return {**out, "line": first + stride * (k + 1)}
    share = offset / max(1, len(text))
    return {**out, "line": min(last, first + 1 + int(round((span - 1) * share)))}
