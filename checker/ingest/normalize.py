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

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any


_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CN_DIGITS = "〇零一二三四五六七八九十"
_CN_DATE = re.compile(rf"[{_CN_DIGITS}]{{4}}年[{_CN_DIGITS}]{{1,2}}月([{_CN_DIGITS}]{{1,3}}日)?")
_CN_YEAR = re.compile(rf"[{_CN_DIGITS}]{{4}}年")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC  # imported on first use: reading a .json report does not need it

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional to simplified characters (OpenCC ``t2s``)."""
    return _t2s().convert(text)


def is_traditional(text: str) -> bool:
    """Whether a text is written in traditional characters.

    Converting simplified text with OpenCC changes almost nothing; a text is
    taken as traditional when at least 2% of its CJK characters (and at least 5)
    change under ``t2s``.
    """
    sample = "".join(_CJK.findall(text))[:20000]
    if not sample:
        return False
    converted = _t2s().convert(sample)
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
    text = text.translate(_FULLWIDTH_ALNUM).replace("\u3000", " ")
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
