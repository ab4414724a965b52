"""The narrative extractor's data: statement specs, guards, body words and numerals, compiled from a rule file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from checker.document import cell_index
from checker.patterns import NEVER, Pattern, compile_code_pattern, compile_pattern

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
