"""Finding quantitative statements in a text: the lexer (number tokens with their units) and the extractor."""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from checker.narrative.spec import (
    _ARABIC,
    _BODY_KEYS,
    _CHINESE,
    _CLAUSE_END,
    _CLAUSE_MARK,
    _CLAUSE_REACH,
    _DIGIT,
    _LINE_BREAK,
    _MEMO_SENTENCE,
    _QUOTE_LEN,
    _SENTENCE_MARK,
    _SENTENCE_REACH,
    _YEAR,
    BODY_NONE,
    BODY_OWN,
    BODY_WIDER,
    Guards,
    Spec,
    Statement,
    to_number,
)
from checker.patterns import Match, Offsets, Pattern, PatternSet, compile_code_pattern, encode

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
