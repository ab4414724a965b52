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
   period (去年、同比), another region's aside (全市 in a department's report), a subset
   (其中 …), or a statement that matches more than one cell;
4. compare the number with the cell: a statement is a mismatch only when it differs from the
   cell and from every alternative reading the rule declares (e.g. 新收 + 上年结转 for 受理).

Precision first: anything uncertain is not compared. See ``docs/narrative.md``.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from checker.document import SECTION_IDS, cell_index
from checker.frame import ABSENT, LEVELS, NUMBER, KINDS, meta_col, status_col, text_col, value_col
from checker.kinds.base import FrameCheck, Payload, number

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?!\d)")
_CLAUSE_END = re.compile(r"[，,；;。！？!?\n]|\.(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_QUOTE_LEN = 60
_CACHE_LIMIT = 200_000


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
        not_preceded: a qualifier that may not stand right before the ``before`` match.
        units: accepted units and their factor to the statement's base unit.
        readings: cell sums, the first is the cell the statement speaks of, the others are
            alternative readings that also make the statement true.
        scope: the statement only counts where the latest scope word of its sentence is this.
        subset_ok: whether the statement may stand in a 其中 … clause.
        agree: statements with this key are compared with each other instead of with cells.
    """

    name: str
    label: tuple[str, str]
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    zero: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    not_preceded: re.Pattern[str] | None
    units: dict[str, float]
    readings: tuple[tuple[str, ...], ...]
    scope: str | None
    subset_ok: bool
    agree: str | None


@dataclass(frozen=True, slots=True)
class Statement:
    """A quantitative statement found in one text.

    Attributes:
        spec: index of the :class:`Spec` it matched.
        value: the number, in the spec's base unit.
        start: offset of the statement (subject or number, whichever comes first) in the text.
        end: offset just after the unit.
        years: explicit years (YYYY年) in the sentence before the number.
        regions: region characters of 全X/我X/本X words in the sentence before the number.
        quote: the sentence around the statement (at most 60 characters).
    """

    spec: int
    value: float
    start: int
    end: int
    years: tuple[int, ...]
    regions: tuple[str, ...]
    quote: str


@dataclass(frozen=True, slots=True)
class Guards:
    """The compiled shared guards of a rule (see ``schemas/ruleset.schema.json``)."""

    connector: str
    window: int
    approx_before: re.Pattern[str]
    approx_after: re.Pattern[str]
    other_period: re.Pattern[str]
    subset: re.Pattern[str]
    subset_end: re.Pattern[str]
    region: re.Pattern[str]
    region_kinds: frozenset[int]
    region_own: dict[int, frozenset[str]]
    scopes: re.Pattern[str] | None
    blocked_after: re.Pattern[str]


def _compile(pattern: str | None, prefix: str = "", suffix: str = "") -> re.Pattern[str] | None:
    return re.compile(f"{prefix}(?:{pattern}){suffix}") if pattern else None


def _guards(raw: dict[str, Any], scopes: dict[str, str]) -> Guards:
    own = {LEVELS.index(level): frozenset(chars) for level, chars in raw.get("region_own", {}).items()}
    scope_re = "|".join(f"(?P<{name}>{rx})" for name, rx in scopes.items()) if scopes else None
    return Guards(
        connector=raw.get("connector", r"\s*"),
        window=int(raw.get("window", 40)),
        approx_before=re.compile(f"(?:{raw.get('approx_before', '(?!)')})\\s*$"),
        approx_after=re.compile(f"^\\s*(?:{raw.get('approx_after', '(?!)')})"),
        other_period=re.compile(raw.get("other_period", "(?!)")),
        subset=re.compile(raw.get("subset", "(?!)")),
        subset_end=re.compile(raw.get("subset_end", "[；;]")),
        region=re.compile(raw.get("region", "(?!)")),
        region_kinds=frozenset(KINDS.index(k) for k in raw.get("region_kinds", [])),
        region_own=own,
        scopes=re.compile(scope_re) if scope_re else None,
        blocked_after=re.compile(f"^(?:{raw.get('blocked_after', '(?!)')})"),
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
        before=_compile(raw.get("before"), suffix=f"{guards.connector}$"),
        after=_compile(raw.get("after"), prefix="^"),
        zero=_compile(raw.get("zero")),
        unless=_compile(raw.get("unless")),
        not_preceded=_compile(raw.get("not_preceded"), suffix="$"),
        units={u: float(units[u]) for u in raw.get("units", [])},
        readings=readings, scope=raw.get("scope"), subset_ok=bool(raw.get("subset_ok", False)),
        agree=raw.get("agree"))


def to_number(token: str) -> float | None:
    """The value of an Arabic (``1,234``) or Chinese (``十七``, ``两``) numeral, else None."""
    token = token.replace(",", "").strip()
    if not token:
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
        alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        self.token = re.compile(
            rf"(?<![\d.,．第〔\[])(?P<num>{_ARABIC}|{_CHINESE})\s*(?P<unit>{alternation})")
        self.zero_specs = tuple(i for i, s in enumerate(self.specs) if s.zero is not None)

    def extract(self, text: str) -> tuple[Statement, ...]:
        """Every guarded statement of ``text``, in text order."""
        if not text:
            return ()
        sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
        found: list[Statement] = []
        for m in self.token.finditer(text):
            st = self._number_statement(text, m, sentences)
            if st is not None:
                found.append(st)
        for i in self.zero_specs:
            for m in self.specs[i].zero.finditer(text):  # type: ignore[union-attr]
                st = self._zero_statement(text, i, m, sentences)
                if st is not None:
                    found.append(st)
        found.sort(key=lambda s: s.start)
        return tuple(found)

    # -- one number ------------------------------------------------------------------

    def _number_statement(self, text: str, m: re.Match[str], sentences: list[int]) -> Statement | None:
        g = self.guards
        start, end = m.start("num"), m.end()
        s_start = _sentence_start(sentences, start)
        prefix = text[max(s_start, start - g.window):start]
        tail = text[end:end + g.window]
        if g.approx_before.search(prefix) or g.approx_after.search(tail) or g.blocked_after.search(tail):
            return None
        value = to_number(m.group("num"))
        if value is None:
            return None
        unit = m.group("unit")
        hits: list[tuple[int, int]] = []
        for i, spec in enumerate(self.specs):
            if unit not in spec.units or (spec.before is None and spec.after is None):
                continue
            begin = self._match(spec, prefix, tail, start)
            if begin is not None and self._context_ok(text, spec, s_start, begin, start):
                hits.append((i, begin))
        if not hits:
            return None
        if len({self.specs[i].readings or self.specs[i].agree for i, _ in hits}) > 1:
            return None  # the number fits two different cells: not compared
        i, begin = hits[0]
        spec = self.specs[i]
        return self._statement(text, i, value * spec.units[unit], min(begin, start), end, s_start, start, sentences)

    def _match(self, spec: Spec, prefix: str, tail: str, start: int) -> int | None:
        """Text offset where the statement begins, or None when the spec does not match."""
        if spec.before is not None:
            bm = spec.before.search(prefix)
            if bm is None:
                return None
            if spec.not_preceded is not None and spec.not_preceded.search(prefix[:bm.start()]):
                return None
            if spec.after is not None and not spec.after.search(tail):
                return None
            return start - len(prefix) + bm.start()
        if spec.after is not None and spec.after.search(tail):
            return start
        return None

    def _zero_statement(self, text: str, i: int, m: re.Match[str], sentences: list[int]) -> Statement | None:
        spec = self.specs[i]
        s_start = _sentence_start(sentences, m.start())
        if spec.unless is not None:
            clause = text[_clause_start(text, m.start()):_clause_end(text, m.end())]
            if spec.unless.search(clause):
                return None
        if not self._context_ok(text, spec, s_start, m.start(), m.end()):
            return None
        return self._statement(text, i, 0.0, m.start(), m.end(), s_start, m.start(), sentences)

    # -- guards ----------------------------------------------------------------------

    def _context_ok(self, text: str, spec: Spec, s_start: int, begin: int, at: int) -> bool:
        """Period, subset and scope guards (year and region are decided per report)."""
        g = self.guards
        c_start = _clause_start(text, at)
        clause_before = text[c_start:min(begin, at)] if begin > c_start else ""
        clause_after = text[max(at, c_start):_clause_end(text, at)]
        if g.other_period.search(clause_before) or (begin >= at and g.other_period.search(clause_after)):
            return False
        sentence_before = text[s_start:min(begin, at)]
        if not spec.subset_ok:
            sub = None
            for sub in g.subset.finditer(sentence_before):
                pass
            if sub is not None and not g.subset_end.search(sentence_before[sub.end():]):
                return False
        if spec.scope is not None:
            current = None
            if g.scopes is not None:
                for sm in g.scopes.finditer(text[s_start:at]):
                    current = sm.lastgroup
            if current != spec.scope:
                return False
        return True

    def _statement(self, text: str, i: int, value: float, start: int, end: int, s_start: int,
                   at: int, sentences: list[int]) -> Statement:
        before = text[s_start:at]
        years = tuple(int(y) for y in _YEAR.findall(before))
        regions = tuple(m.group(1) for m in self.guards.region.finditer(before) if m.groups())
        return Statement(i, value, start, end, years, regions, _quote(text, s_start, sentences, start, end))


def _sentence_start(ends: list[int], pos: int) -> int:
    k = bisect.bisect_right(ends, pos)
    return ends[k - 1] if k else 0


def _clause_start(text: str, pos: int) -> int:
    k = pos
    lo = max(0, pos - 200)
    while k > lo and not _CLAUSE_END.match(text, k - 1):
        k -= 1
    return k


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos, min(len(text), pos + 200))
    return m.start() if m else min(len(text), pos + 200)


def _quote(text: str, s_start: int, ends: list[int], start: int, end: int) -> str:
    k = bisect.bisect_right(ends, start)
    s_end = ends[k] if k < len(ends) else len(text)
    sentence = text[s_start:s_end].strip()
    if len(sentence) <= _QUOTE_LEN:
        return sentence
    offset = text.find(sentence, s_start)
    lo = max(0, start - offset - 20)
    hi = min(len(sentence), max(end - offset + 10, lo + _QUOTE_LEN - 2))
    lo = max(0, min(lo, hi - (_QUOTE_LEN - 2)))
    return ("…" if lo > 0 else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True, slots=True)
class _Found:
    """A statement of one report with its section and its outcome."""

    section: str
    statement: Statement
    table: float | None
    reading: tuple[str, ...]
    other: "_Found | None" = None


class NarrativeNumbers(FrameCheck):
    """Quantitative statements of the narrative agree with their table cells.

    A report is assessable when at least one statement could be compared (its cells are
    numbers); it fails when at least one compared statement differs from its cell and from
    every alternative reading. Statements with ``agree`` are compared with each other.
    """

    def __init__(self, statements: list[dict[str, Any]], guards: dict[str, Any] | None = None,
                 sections: list[str] | None = None, keywords: str | None = None, **_: Any) -> None:
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
        self.text_columns = [text_col(f"sections.{s}.text") for s in self.sections]
        self.columns = [*self.text_columns, *(value_col(c) for c in self.cell_ids),
                        *(status_col(c) for c in self.cell_ids), meta_col("year"), meta_col("kind"),
                        meta_col("level")]
        # Words one of which every statement of the rule contains: a text without any is skipped.
        self.keywords = re.compile(keywords) if keywords else None
        self._cache: dict[str, tuple[Statement, ...]] = {}
        self._last: tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray]] | None = None

    # -- FrameCheck -------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[0]

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return self._masks(df)[1]

    def _masks(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(assessable, violated) for ``df``; the engine asks for both on the same frame in turn."""
        if self._last is not None and self._last[0] is df:
            return self._last[1]
        results = self._evaluate(df)
        masks = (np.fromiter((bool(decided) for decided, _ in results), dtype=bool, count=len(df)),
                 np.fromiter((bool(bad) for _, bad in results), dtype=bool, count=len(df)))
        self._last = (df, masks)
        return masks

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        results = self._evaluate(df.iloc[rows])
        return [[self._payload(f, docs[r]) for f in bad] for r, (_, bad) in zip(rows, results)]

    # -- evaluation -------------------------------------------------------------------

    def statements(self, text: str | None) -> tuple[Statement, ...]:
        """The statements of one text (cached: the engine asks several times per run)."""
        if not text or (self.keywords is not None and self.keywords.search(text) is None):
            return ()
        hit = self._cache.get(text)
        if hit is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            hit = self._cache[text] = self.extractor.extract(text)
        return hit

    def _evaluate(self, df: pd.DataFrame) -> list[tuple[list[_Found], list[_Found]]]:
        """Per row: (compared statements, mismatching statements)."""
        n = len(df)
        texts = [df[c].to_numpy() for c in self.text_columns]
        values = {c: df[value_col(c)].to_numpy() for c in self.cell_ids}
        status = {c: df[status_col(c)].to_numpy() for c in self.cell_ids}
        year = df[meta_col("year")].to_numpy()
        kind = df[meta_col("kind")].to_numpy()
        level = df[meta_col("level")].to_numpy()
        out: list[tuple[list[_Found], list[_Found]]] = []
        for r in range(n):
            found = [(sec, st) for sec, col in zip(self.sections, texts) for st in self.statements(col[r])]
            if not found:
                out.append(([], []))
                continue
            found = [(sec, st) for sec, st in found if self._about_this_report(st, year[r], kind[r], level[r])]
            out.append(self._compare(found, {c: (values[c][r], status[c][r]) for c in self.cell_ids}))
        return out

    def _about_this_report(self, st: Statement, year: float, kind: float, level: float) -> bool:
        """Year and region guards: the statement speaks of this body in the reported year."""
        if st.years and (math.isnan(year) or any(y != int(year) for y in st.years)):
            return False
        if st.regions:
            if int(kind) not in self.guards.region_kinds:
                return False
            own = self.guards.region_own.get(int(level), frozenset())
            if any(ch not in own for ch in st.regions):
                return False
        return True

    def _compare(self, found: list[tuple[str, Statement]],
                 cells: dict[str, tuple[float, int]]) -> tuple[list[_Found], list[_Found]]:
        decided: list[_Found] = []
        bad: list[_Found] = []
        peers: dict[str, _Found] = {}
        for sec, st in found:
            spec = self.specs[st.spec]
            if spec.agree is not None:
                first = peers.get(spec.agree)
                if first is None:
                    peers[spec.agree] = _Found(sec, st, None, ())
                    continue
                item = _Found(sec, st, first.statement.value, (), first)
                decided.append(item)
                if not _same(first.statement.value, st.value):
                    bad.append(item)
                continue
            item = self._against_cells(sec, st, spec, cells)
            if item is None:
                continue
            decided.append(item)
            if not _same(item.table, st.value) and not any(
                    _same(_sum(r, cells), st.value) for r in self._readings(spec, cells)[1:]):
                bad.append(item)
        return decided, _unique(bad)

    @staticmethod
    def _readings(spec: Spec, cells: dict[str, tuple[float, int]]) -> list[tuple[str, ...]]:
        """The spec's readings whose cells exist in this report's table format."""
        return [r for r in spec.readings if not all(cells[c][1] == ABSENT for c in r)]

    def _against_cells(self, sec: str, st: Statement, spec: Spec,
                       cells: dict[str, tuple[float, int]]) -> _Found | None:
        readings = self._readings(spec, cells)
        if not readings or any(cells[c][1] != NUMBER for r in readings for c in r):
            return None
        return _Found(sec, st, _sum(readings[0], cells), readings[0])

    def explain(self, df: pd.DataFrame, row: int) -> list[dict[str, Any]]:
        """Every statement of one report row after the guards, with its outcome (for tests and debugging).

        Each item has ``section``, ``name`` (the pattern), ``cells`` (``+``-joined ids, or the
        ``agree`` key), ``value``, ``table`` (None when not compared), ``outcome``
        (``match`` | ``mismatch`` | ``not_assessable``) and ``quote``.
        """
        sub = df.iloc[[row]]
        decided, bad = self._evaluate(sub)[0]
        compared = {id(f.statement): f for f in decided}
        wrong = {id(f.statement) for f in bad}
        year, kind, level = (sub[meta_col(c)].to_numpy()[0] for c in ("year", "kind", "level"))
        out = []
        for sec, col in zip(self.sections, self.text_columns):
            for st in self.statements(sub[col].to_numpy()[0]):
                if not self._about_this_report(st, year, kind, level):
                    continue
                spec = self.specs[st.spec]
                f = compared.get(id(st))
                outcome = "not_assessable" if f is None else ("mismatch" if id(st) in wrong else "match")
                out.append({"section": sec, "name": spec.name, "value": number(st.value),
                            "cells": spec.agree if spec.agree else "+".join(spec.readings[0]),
                            "table": None if f is None or f.table is None else number(f.table),
                            "outcome": outcome, "quote": st.quote})
        return out

    # -- findings ---------------------------------------------------------------------

    def _payload(self, f: _Found, doc: dict[str, Any]) -> Payload:
        spec = self.specs[f.statement.spec]
        text_ptr = f"/sections/{f.section}/text"
        here = {"pointer": text_ptr, "location": sentence_location(doc, f.section, f.statement.start)}
        values: dict[str, Any] = {"stated": number(f.statement.value), "table": number(f.table or 0.0),
                                  "subject": spec.label[0], "subject_en": spec.label[1],
                                  "sentence": f.statement.quote, "section": f.section}
        if f.other is not None:
            there = {"pointer": f"/sections/{f.other.section}/text",
                     "location": sentence_location(doc, f.other.section, f.other.statement.start)}
            values.update({"other_sentence": f.other.statement.quote, "cell": "正文另一处", "cell_en": "elsewhere"})
            return Payload(text_ptr, values, (there, here) if f.other.section != f.section else (there, here))
        index = cell_index()
        cells = [index[c] for c in f.reading]
        values.update({"cell": " + ".join(c.zh for c in cells), "cell_en": " + ".join(c.en for c in cells),
                       "cell_id": "+".join(f.reading)})
        extra = tuple({"pointer": c.pointer} for c in cells[1:])
        return Payload(cells[0].pointer, values, (here, *extra))


def _sum(reading: Iterable[str], cells: dict[str, tuple[float, int]]) -> float:
    return float(sum(cells[c][0] for c in reading))


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _unique(items: list[_Found]) -> list[_Found]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in items:
        key = (f.reading, f.statement.value, f.section, f.statement.quote)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# --------------------------------------------------------------------------- locations


def sentence_location(doc: dict[str, Any], section: str, offset: int) -> dict[str, int] | None:
    """Where the text offset of a section stood in the original file, from the source map.

    The source map gives the section's first (heading) line and last line. Ingest keeps one
    text line per paragraph and drops blank lines, so the line is exact when the section's
    span is a whole multiple of its text lines (one paragraph per line, with or without a
    blank line between paragraphs); otherwise (paragraphs reflowed over several lines, as
    in PDF extraction) it is estimated from the character offset inside the span.
    """
    smap = doc.get("source_map")
    entry = smap.get(f"/sections/{section}") if isinstance(smap, dict) else None
    if not isinstance(entry, dict) or "line" not in entry:
        return None
    text = ((doc.get("sections") or {}).get(section) or {}).get("text") or ""
    first, last = int(entry["line"]), int(entry.get("end_line") or entry["line"])
    k = text.count("\n", 0, offset)
    n = text.count("\n") + 1
    span = last - first
    out = {k2: v for k2, v in entry.items() if k2 == "page"}
    if span <= 0:
        return {**out, "line": first}
    if span + 1 == n:  # text starts on the heading line
        return {**out, "line": first + k}
    if span % n == 0:  # heading line, then one paragraph per `stride` lines
        stride = span // n
        return {**out, "line": first + stride * (k + 1)}
    share = offset / max(1, len(text))
    return {**out, "line": min(last, first + 1 + int(round((span - 1) * share)))}
