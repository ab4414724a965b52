"""Text normalisation shared by the readers and the assembler.

Two kinds of normalisation are kept apart:

* :func:`match_key` is for *matching* only (headings, row and column labels):
  NFKC (so ``（一）`` and ``(一)``, full-width and ASCII digits compare equal),
  traditional to simplified characters, all whitespace removed.
* :func:`clean` is for text that goes *into* the report document: it keeps the
  punctuation as written, turns full-width digits and Latin letters into ASCII,
  collapses runs of whitespace, and converts traditional characters only when
  the caller says the document is written in traditional characters.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
#: Any key of :data:`_FULLWIDTH_ALNUM` (a scan in C, far cheaper than ``translate`` on Chinese text).
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WS = re.compile(r"\s+")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_CN_DIGITS = "〇零一二三四五六七八九十"
_CN_DATE = re.compile(rf"[{_CN_DIGITS}]{{4}}年[{_CN_DIGITS}]{{1,2}}月([{_CN_DIGITS}]{{1,3}}日)?")
_CN_YEAR = re.compile(rf"[{_CN_DIGITS}]{{4}}年")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import (
        OpenCC,  # imported on first use: reading a .json report does not need it
    )

    return OpenCC("t2s")


@dataclass(frozen=True, slots=True)
class _T2SKeys:
    """The keys of OpenCC's ``t2s`` dictionaries, for finding where a conversion can change the text."""

    keys: frozenset[str]
    prefixes: frozenset[str]
    first_chars: frozenset[str]


@lru_cache(maxsize=1)
def _t2s_keys() -> _T2SKeys | None:
    """The ``t2s`` dictionary keys, read as data from the ``opencc`` package (its config and dictionaries).

    None when they cannot be read, or when the conversion has more than one step (then a
    change made by one step could create a match for the next); texts are then handed to
    OpenCC whole.
    """
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    try:
        chain = json.loads((base / "config" / "t2s.json").read_text(encoding="utf-8"))["conversion_chain"]
        if len(chain) != 1:
            return None
        keys: set[str] = set()
        for name in _dictionary_files(chain):
            with (base / "dictionary" / name).open(encoding="utf-8") as handle:
                keys.update(line.strip().split("\t")[0] for line in handle if line.strip())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not keys or "" in keys:
        return None
    prefixes = frozenset(key[:n] for key in keys for n in range(1, len(key) + 1))
    return _T2SKeys(frozenset(keys), prefixes, frozenset(key[0] for key in keys))


def _dictionary_files(config: Any) -> list[str]:
    """Every dictionary file named anywhere in an OpenCC conversion-chain config."""
    if isinstance(config, list):
        return [name for item in config for name in _dictionary_files(item)]
    if isinstance(config, dict):
        names = [config["file"]] if isinstance(config.get("file"), str) else []
        return names + [name for key, value in config.items() if key != "file" for name in _dictionary_files(value)]
    return []


def _t2s_convert(text: str) -> str:
    """OpenCC ``t2s`` of ``text``, handing OpenCC only the stretches where a dictionary key occurs.

    The result is the one OpenCC gives for the whole text. OpenCC replaces the longest
    (then leftmost) key occurrence and converts the text left and right of it separately,
    so a place that no key occurrence spans splits the conversion into independent parts,
    and a part without any key occurrence comes back unchanged. Most characters of a
    simplified text start no key, which spares OpenCC's scan for phrases of every length
    at every position.
    """
    table = _t2s_keys()
    if table is None:
        return _t2s().convert(text)
    keys, prefixes = table.keys, table.prefixes
    pieces: list[str] = []
    done = 0  # text[:done] is converted (in pieces)
    span_start = span_end = -1  # the stretch of overlapping key occurrences being collected
    starts = sorted(i for char in table.first_chars.intersection(text) for i in _positions(text, char))
    for i in starts:
        end = i
        for j in range(i + 1, len(text) + 1):
            candidate = text[i:j]
            if candidate not in prefixes:
                break
            if candidate in keys:
                end = j
        if end == i:
            continue
        if i < span_end:
            span_end = max(span_end, end)
            continue
        if span_end >= 0:
            pieces += [text[done:span_start], _t2s().convert(text[span_start:span_end])]
            done = span_end
        span_start, span_end = i, end
    if span_end < 0:
        return text
    pieces += [text[done:span_start], _t2s().convert(text[span_start:span_end]), text[span_end:]]
    return "".join(pieces)


def _positions(text: str, char: str) -> Iterator[int]:
    """Every index of ``char`` in ``text``."""
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional to simplified characters (OpenCC ``t2s``)."""
    return _t2s_convert(text)


def is_traditional(text: str) -> bool:
    """Whether a text is written in traditional characters.

    Converting simplified text with OpenCC changes almost nothing; a text is
    taken as traditional when at least 2% of its CJK characters (and at least 5)
    change under ``t2s``.
    """
    sample = _NOT_CJK.sub("", text)[:20000]
    if not sample:
        return False
    converted = _t2s_convert(sample)
    if converted == sample:
        return False
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed >= 5 and changed / len(sample) >= 0.02


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The form of a label used for matching: NFKC, simplified, no whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _WS.sub("", text)


def clean(text: str, *, traditional: bool = False) -> str:
    """Text for the document: ASCII digits, single spaces, optionally simplified."""
    if not text.isascii():  # full-width letters, digits and spaces are not ASCII
        if _FULLWIDTH.search(text):
            text = text.translate(_FULLWIDTH_ALNUM)
        text = text.replace("\u3000", " ")
    if traditional:
        text = to_simplified(text)
    return _WS.sub(" ", text).strip()


def squeeze_cjk_spaces(text: str) -> str:
    """Drop spaces next to CJK characters ("2024 年政府" → "2024年政府")."""
    text = re.sub(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])\s+", "", text)
    return re.sub(r"\s+(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])", "", text)


def arabic_numerals(text: str) -> str:
    """Rewrite Chinese-numeral years and dates (二〇二四年一月二十日) with digits."""

    def repl(match: re.Match[str]) -> str:
        try:
            import cn2an  # imported on first use (slow to import)

            return str(cn2an.transform(match.group(0), "cn2an"))
        except (ValueError, KeyError):
            return match.group(0)

    text = _CN_DATE.sub(repl, text)
    return _CN_YEAR.sub(repl, text)


def iso_date(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` for a valid calendar date, else None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# Pinyin glosses that mirror pages put after words: "公開(gōng kāi)", "政府zhèngfǔ". Only runs of
# Latin letters that carry at least one tone mark are glosses; plain Latin text is kept.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS_WORD = rf"[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*"
# A bare gloss starts where a run of letters starts: tried inside a long run, it would be quadratic.
_GLOSS = re.compile(rf"\s?[（(]\s*{_GLOSS_WORD}(?:[\s'’-]+[a-zü{_TONED}]+)*\s*[)）]"
                    rf"|\s?(?<![a-zü{_TONED}]){_GLOSS_WORD}(?:[\s'’-]+{_GLOSS_WORD})*",
                    re.IGNORECASE)
_HAS_TONE = re.compile(rf"[{_TONED}]", re.IGNORECASE)


def has_glosses(text: str) -> bool:
    """Whether ``text`` may hold pinyin glosses (a letter with a tone mark occurs)."""
    return _HAS_TONE.search(text) is not None


def strip_glosses(text: str) -> str:
    """``text`` without pinyin glosses (tone-marked Latin words, bare or in brackets)."""
    if not has_glosses(text):
        return text
    return _GLOSS.sub("", text)
