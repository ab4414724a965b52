"""Another body's name left in the narrative: a sibling agency named as the one doing this report's work.

A report copied from a sibling agency's report keeps, here and there, that agency's name as
the subject of a sentence (``XX水利局高度重视政务公开工作`` in a 交通运输局's report). The
check finds sentences where a body's name opens a clause and is directly followed by what a
report's subject does, in a sentence about disclosure work; and reports the sentence when the
body is neither the publishing body nor one it names legitimately.

What a sentence must look like is data from the rule file (patterns, run by RE2):

* ``lead``: words that may open a clause before its subject (下一步，/ 2023年，/ 一是 …);
* ``body_words``: the words a body's name ends with (局, 委员会, 人民政府 …); a name is a run of
  at most ``name_length`` characters ending in one;
* ``predicate``: what must follow the name directly (高度重视, 全年, 将 …);
* ``topic``: the sentence is about disclosure work (政务公开, 信息公开 …);
* ``unless``: the sentence names the body for another reason (联合, 转办, 征求意见, 复议 …);
* ``not_a_name``: a "name" that is a pronoun or a part of the body (本局, 各单位, 局办公室 …);
* ``never``: bodies never reported (the State Council, party committees, courts …);
* ``governments``: the body words of a people's government or its office (人民政府, 管委会 …): a
  name whose body (after its places) is one of them names a government; a name that ends in
  one after words that are no place (不断提高政府…) names nothing.

Whether the named body is another one is decided from the two names, without word lists:
each is split into its places (``checker.ingest.agency.split_units``) and its body.

* The body itself: the names contain one another, or the bodies are equal or one is the
  other's abbreviation (交通局 / 交通运输局: the shorter one's characters appear in the longer
  one in order and both end alike).
* A department of the same place as a department (``青禾县水利局`` or ``县水利局`` or
  ``水利局`` in ``青禾县交通运输局``'s report), or the same kind of body at the same level
  in a sibling place (``松岭县交通运输局`` in ``青禾县交通运输局``'s; ``松岭县人民政府`` in
  ``青禾县人民政府``'s): another body.
* Another township or subdistrict in a township's or subdistrict's report: another body.
* Anything else — a superior (the place's government, a body of a higher place), a body of a
  lower place (the townships and departments a government's report speaks of), a place the
  name does not tell: not reported. A miss is better than a false alarm.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from checker.document import label
from checker.formats import KINDS, LEVELS, SECTION_IDS
from checker.frame import meta_col, text_col
from checker.kinds.base import FrameCheck, Payload
from checker.patterns import compile_code_pattern, compile_pattern

_SENTENCE_END = re.compile(r"[。！？!?\n；;]")
_QUOTE_LEN = 60
_MAX_FINDINGS = 5
_NAMES_KEPT = 20_000
# A name that starts with the bare word of its unit (县水利局, 区政府办公室), as agency.py reads it.
_BARE = re.compile(r"^(省|市|州|县|区|旗)(?![场域级直属辖])")
_GOVERNMENT_KINDS = ("government", "office")
_TOWNSHIP_KINDS = ("subdistrict",)


@dataclass(frozen=True, slots=True)
class _Name:
    """A body's name split into its places and its body (bare: the unit word it opens with, 县水利局).

    ``core`` is the body without its body word and without a leading government word
    (人民政府外事办公室 → 外事; 交通运输局 → 交通运输), what tells two bodies of one place apart.
    """

    full: str
    units: tuple[str, ...]
    body: str
    bare: str | None
    kind: str | None
    level: str | None
    core: str


def _abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` or may be its abbreviation: its characters appear in ``long`` in order
    (交通 / 交通运输, 住建 / 住房和城乡建设, 志 / 地方志). Generous on purpose: a body read as this one
    is never reported."""
    if short == long:
        return True
    if not short or len(short) > len(long):
        return False
    it = iter(long)
    return all(ch in it for ch in short)


def _place(cand: _Name, own: _Name) -> str:
    """Where ``cand`` stands from ``own``: same, above, below, sibling (another place, same depth), or unknown."""
    if not cand.units:
        if cand.bare is None:
            return "same"  # 水利局: a name without a place is read as of the report's place
        if own.bare == cand.bare or (own.units and own.units[-1].endswith(cand.bare)):
            return "same"
        if any(u.endswith(cand.bare) for u in own.units[:-1]):
            return "above"
        return "unknown"
    if not own.units:
        return "unknown"
    if cand.units[-1] == own.units[-1]:
        return "same"
    if cand.units[-1] in own.units[:-1]:
        return "above"
    if own.units[-1] in cand.units[:-1]:
        return "below"
    if cand.units[-1][-1] != own.units[-1][-1]:
        return "unknown"  # 青禾市 and 松岭区: not known to be of one level
    if len(cand.units) == len(own.units) and cand.units[:-1] == own.units[:-1]:
        # the same depth under the same places: a sibling, unless the levels are known to differ
        return "unknown" if cand.level and own.level and cand.level != own.level else "sibling"
    return "sibling" if cand.level is not None and cand.level == own.level else "unknown"


class OtherBody(FrameCheck):
    """No sentence of the narrative has another body as the one doing this report's work (see the module)."""

    whole_text = True

    def __init__(self, sections: list[str], lead: str, body_words: str, predicate: str, topic: str,
                 governments: str, name_length: int = 24, unless: str | None = None, not_a_name: str | None = None,
                 never: str | None = None, **_: Any) -> None:
        unknown = [s for s in sections if s not in SECTION_IDS]
        if unknown:
            raise KeyError(unknown[0])
        for part in (lead, body_words, predicate, governments):
            compile_pattern(part)
        # A clause opens the text or follows a mark; its lead words, then the name, then the predicate.
        self.subject = compile_code_pattern(
            rf"(?:^|[。！？!?\n；;，,：:])\s*(?:(?:{lead})\s*[，,、]?\s*)*"
            rf"(?P<body>\p{{Han}}{{1,{int(name_length)}}}?(?:{body_words}))(?:{predicate})")
        self.body_word = compile_code_pattern(rf"(?:{body_words})$")
        self.government_word = compile_code_pattern(rf"^(?:{governments})")
        self.government_tail = compile_code_pattern(rf"(?:{governments})$")
        self.governments = compile_pattern(governments)
        self.topic = compile_pattern(topic)
        self.unless = compile_pattern(unless) if unless else None
        self.not_a_name = compile_pattern(not_a_name) if not_a_name else None
        self.never = compile_pattern(never) if never else None
        self.sections = list(sections)
        self.columns = [text_col("agency.name"), meta_col("kind"), meta_col("level"),
                        *(text_col(f"sections.{s}.text") for s in self.sections)]
        self._last: tuple[weakref.ref[pd.DataFrame], list[list[dict[str, Any]] | None]] | None = None
        self._names: dict[str, _Name] = {}

    # -- names -----------------------------------------------------------------------------

    def name(self, text: str) -> _Name:
        """``text`` read as a body's name (remembered: a batch names the same bodies again and again)."""
        found = self._names.get(text)
        if found is None:
            if len(self._names) >= _NAMES_KEPT:
                self._names.clear()
            found = self._names[text] = self._read_name(text)
        return found

    def _read_name(self, text: str) -> _Name:
        from checker.ingest.agency import classify_agency, split_units
        from checker.ingest.normalize import match_key

        text = match_key(text)
        units, body = split_units(text)
        bare = None
        if not units and (m := _BARE.match(body)) and len(body) > 2:
            bare, body = m.group(1), body[1:]
        core = body
        if (head := self.government_word.search(core)) and head.end() < len(core):
            core = core[head.end():]
        if (tail := self.body_word.search(core)) and tail.start() > 0:
            core = core[:tail.start()]
        info = classify_agency(text)
        return _Name(text, units, body, bare, info.kind, info.level, core)

    @staticmethod
    def _township(name: _Name) -> bool:
        """A township's government or a subdistrict's office (not an office inside one: 镇党政办)."""
        return name.kind in _TOWNSHIP_KINDS or (name.kind == "government" and name.level == "township")

    def other(self, candidate: str, own: _Name, own_kind: str) -> bool:
        """Whether ``candidate`` (a name at a subject's place) is another body than ``own`` that it may not name so."""
        if self.not_a_name is not None and self.not_a_name.search(candidate):
            return False
        if self.never is not None and self.never.search(candidate):
            return False
        cand = self.name(candidate)
        if cand.full in own.full or own.full in cand.full:
            return False  # the body itself, its superior named in its name (市公安局 for 市公安局XX分局), or a part of it
        place = _place(cand, own)
        same = _abbreviates(cand.core, own.core) or _abbreviates(own.core, cand.core)
        if self.governments.fullmatch(cand.body):  # a government or a zone's committee, after its places
            return own_kind in _GOVERNMENT_KINDS and place == "sibling"
        if self._township(cand):
            return self._township(own) and place in ("same", "sibling") and not same
        if self.government_tail.search(cand.body):
            return False  # words before a government's word that are no place (不断提高政府…): not a name
        if own_kind == "department":
            return (place == "same" and not same) or place == "sibling"
        if own_kind in _GOVERNMENT_KINDS:
            return place == "sibling"
        return False

    # -- one report ------------------------------------------------------------------------

    def _report(self, name: Any, kind_code: float, level_code: float, texts: list[Any]) -> list[dict[str, Any]] | None:
        """The sentences naming another body as this report's subject (None: the body is not known)."""
        if not isinstance(name, str) or not name.strip() or not np.isfinite(kind_code) or kind_code < 0:
            return None
        own = self.name(name)
        # a body whose body word is a government's (a zone's 管理委员会) speaks as a government
        own_kind = "government" if self.governments.fullmatch(own.body) else KINDS[int(kind_code)]
        # what the document records of the body wins over what its name tells
        level = LEVELS[int(level_code)] if np.isfinite(level_code) and level_code >= 0 else own.level
        if level == "national":
            return []  # the State Council's bodies: one organ often has two names (国家新闻出版署 / 国家版权局)
        own = dataclasses.replace(own, kind=own_kind, level=level)
        if not own.body:
            return None
        found: list[dict[str, Any]] = []
        for section, text in zip(self.sections, texts):
            if not isinstance(text, str) or not text:
                continue
            for m in self.subject.finditer(text):
                body = m.group("body")
                start, end = _sentence(text, m.start("body"))
                sentence = text[start:end]
                if not self.topic.search(sentence) or (self.unless is not None and self.unless.search(sentence)):
                    continue
                if not self.other(body, own, own_kind):
                    continue
                found.append({"section": section, "body": body, "quote": _quote(text, start, end, m.start("body"))})
                if len(found) >= _MAX_FINDINGS:
                    return found
        return found

    def _found(self, df: pd.DataFrame) -> list[list[dict[str, Any]] | None]:
        if self._last is not None and self._last[0]() is df:
            return self._last[1]
        names = df[text_col("agency.name")].tolist()
        kinds, levels = df[meta_col("kind")].to_numpy(), df[meta_col("level")].to_numpy()
        texts = [df[text_col(f"sections.{s}.text")].tolist() for s in self.sections]
        out = [self._report(names[r], kinds[r], levels[r], [column[r] for column in texts]) for r in range(len(df))]
        self._last = (weakref.ref(df), out)
        return out

    # -- the check -------------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return np.array([f is not None for f in self._found(df)], dtype=bool)

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return np.array([bool(f) for f in self._found(df)], dtype=bool)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        out = []
        for found in self._found(df.iloc[rows]):
            out.append([Payload(f"/sections/{f['section']}/text",
                                {"body": f["body"], "quote": f["quote"],
                                 "section_label": label("sections", f["section"]),
                                 "section_label_en": label("sections", f["section"], "en")})
                        for f in found or ()])
        return out


def _sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence of ``text`` around offset ``at`` (start, end), its end mark included."""
    start = at
    while start > 0 and not _SENTENCE_END.match(text[start - 1]):
        start -= 1
        if at - start > 400:
            break
    m = _SENTENCE_END.search(text, at, at + 400)
    end = m.end() if m else min(len(text), at + 400)
    return start, end


def _quote(text: str, start: int, end: int, at: int) -> str:
    """The sentence, at most 60 characters, keeping the name."""
    sentence = text[start:end].strip()
    if len(sentence) <= _QUOTE_LEN:
        return sentence
    offset = max(0, min(at - start - 10, len(sentence) - _QUOTE_LEN))
    piece = sentence[offset:offset + _QUOTE_LEN]
    return ("…" if offset else "") + piece + ("…" if offset + _QUOTE_LEN < len(sentence) else "")
