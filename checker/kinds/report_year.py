"""The year in the title against the report year the rest of the report states.

The title's year is compared with the years that the report states *independently of its
title*, each one vote:

* ``declared``: the document's ``year`` — only when it differs from the title's. Read from a
  file, ``year`` is the title's year whenever the title names one (``checker.ingest.metadata``),
  so a ``year`` equal to the title's may be the title itself and proves nothing; a different
  one was given by the document's author or on the command line.
* ``period``: the year of the statistics period (its dates, both in one year; else the one
  year its printed text names).
* ``narrative``: the year the narrative of the given sections speaks of most (``2023年，我局……``),
  when it is named at least twice as often as any other year. Years inside 《…》 (names of
  documents) do not count.
* ``report_name``: the year of the report as the preamble names it (``现将……2023年政府信息公开
  工作年度报告公布如下``; a rule pattern with a group ``year``).

The check fails when at least ``min_agree`` votes name one year other than the title's and
outnumber the votes for the title's year. It passes when some vote names the title's year
(and it does not fail). Otherwise — no title year, or no vote, or a single vote against the
title — it is not assessable: one statement against another does not tell which is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from checker.formats import SECTION_IDS
from checker.frame import meta_col, text_col
from checker.kinds.base import FrameCheck, Payload
from checker.patterns import compile_pattern

_SOURCES = ("declared", "period", "narrative", "report_name")
_QUOTED = re.compile(r"《[^《》]*》")
_PERIOD_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_CN_ZERO = re.compile(r"[〇○零Ｏ]")


@dataclass(frozen=True, slots=True)
class _Votes:
    """The title's year and the year each independent source gives (None: the source is silent)."""

    title: int | None
    sources: dict[str, int]

    def outcome(self, min_agree: int) -> tuple[bool, bool, int | None, list[str]]:
        """(assessable, failed, the year against the title, the sources that name it)."""
        if self.title is None:
            return False, False, None, []
        support = sum(1 for y in self.sources.values() if y == self.title)
        against = Counter(y for y in self.sources.values() if y != self.title)
        if against:
            year, votes = against.most_common(1)[0]
            if votes >= min_agree and votes > support:
                return True, True, year, [s for s in _SOURCES if self.sources.get(s) == year]
        return support > 0, False, None, []


def _plain(text: str) -> str:
    """``text`` with years in Chinese numerals (二〇二三年) in digits; other text as it is (``\\d`` reads any digit)."""
    if not _CN_ZERO.search(text):
        return text  # a year in Chinese numerals has a 〇 (2000–2099)
    from checker.ingest.metadata import numerals

    return numerals(unicodedata.normalize("NFKC", text))


class TitleYear(FrameCheck):
    """The title's year agrees with the report year stated elsewhere in the report (see the module)."""

    whole_text = True

    def __init__(self, title_year: str, year: str, report_name: str, narrative: list[str],
                 labels: dict[str, dict[str, str]], min_agree: int = 2, **_: Any) -> None:
        unknown = [s for s in narrative if s not in SECTION_IDS]
        if unknown:
            raise KeyError(unknown[0])
        self.title_year = compile_pattern(title_year)
        self.year = compile_pattern(year)
        self.report_name = compile_pattern(report_name)
        for pattern in (self.title_year, self.year, self.report_name):
            if "year" not in pattern.groupindex:
                raise ValueError(f"pattern {pattern.pattern!r} needs a group named year")
        self.narrative = list(narrative)
        self.labels = labels
        self.min_agree = int(min_agree)
        self.columns = [text_col("title"), text_col("preamble"), text_col("period.text"), meta_col("year"),
                        meta_col("period_start"), meta_col("period_end"),
                        *(text_col(f"sections.{s}.text") for s in self.narrative)]
        self._last: tuple[weakref.ref[pd.DataFrame], list[_Votes]] | None = None

    # -- the votes -----------------------------------------------------------------------

    def _years(self, pattern: Any, text: str) -> list[int]:
        return [int(m.group("year")) for m in pattern.finditer(text) if 1990 <= int(m.group("year")) <= 2100]

    def _title(self, title: Any) -> int | None:
        if not isinstance(title, str):
            return None
        years = set(self._years(self.title_year, _plain(title)))
        return years.pop() if len(years) == 1 else None

    @staticmethod
    def _period(start: float, end: float, text: Any) -> int | None:
        if np.isfinite(start) and np.isfinite(end):
            first, last = dt.date.fromordinal(int(start)).year, dt.date.fromordinal(int(end)).year
            return first if first == last else None
        if isinstance(text, str):
            years = {int(y) for y in _PERIOD_YEAR.findall(_plain(text)) if 1990 <= int(y) <= 2100}
            return years.pop() if len(years) == 1 else None
        return None

    def _narrative(self, texts: list[Any]) -> int | None:
        counts: Counter[int] = Counter()
        for text in texts:
            if isinstance(text, str) and text:
                counts.update(self._years(self.year, _QUOTED.sub("", _plain(text))))
        if not counts:
            return None
        ranked = counts.most_common(2)
        best, votes = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        return best if votes >= 2 * second else None

    def _report_name(self, preamble: Any) -> int | None:
        if not isinstance(preamble, str):
            return None
        years = set(self._years(self.report_name, _plain(preamble)))
        return years.pop() if len(years) == 1 else None

    def _votes(self, df: pd.DataFrame) -> list[_Votes]:
        if self._last is not None and self._last[0]() is df:
            return self._last[1]
        titles = df[text_col("title")].tolist()
        preambles = df[text_col("preamble")].tolist()
        periods = df[text_col("period.text")].tolist()
        declared = df[meta_col("year")].to_numpy()
        starts, ends = df[meta_col("period_start")].to_numpy(), df[meta_col("period_end")].to_numpy()
        narrative = [df[text_col(f"sections.{s}.text")].tolist() for s in self.narrative]
        out = []
        for r in range(len(df)):
            title = self._title(titles[r])
            sources: dict[str, int] = {}
            if title is not None:
                found = {"declared": int(declared[r]) if np.isfinite(declared[r]) and declared[r] != title else None,
                         "period": self._period(starts[r], ends[r], periods[r]),
                         "narrative": self._narrative([column[r] for column in narrative]),
                         "report_name": self._report_name(preambles[r])}
                sources = {k: v for k, v in found.items() if v is not None}
            out.append(_Votes(title, sources))
        self._last = (weakref.ref(df), out)
        return out

    # -- the check -------------------------------------------------------------------------

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return np.array([v.outcome(self.min_agree)[0] for v in self._votes(df)], dtype=bool)

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        return np.array([v.outcome(self.min_agree)[1] for v in self._votes(df)], dtype=bool)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        out = []
        for votes in self._votes(df.iloc[rows]):
            _, _, year, sources = votes.outcome(self.min_agree)
            zh = [self.labels.get(s, {}).get("zh", s) for s in sources]
            en = [self.labels.get(s, {}).get("en", s) for s in sources]
            out.append([Payload("/title", {"title_year": votes.title, "other_year": year,
                                           "sources": "、".join(zh),
                                           "sources_en": ", ".join(en[:-1]) + " and " + en[-1] if len(en) > 1
                                           else "".join(en)})])
        return out
