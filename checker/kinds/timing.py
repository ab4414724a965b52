"""Date and order kinds over the metadata columns of the cell frame."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from checker.document import label
from checker.formats import SECTION_IDS
from checker.frame import meta_col, text_col
from checker.kinds.base import FrameCheck, Payload
from checker.patterns import compile_pattern


def _date_in(year: np.ndarray, spec: dict[str, int]) -> np.ndarray:
    """Ordinal of day ``spec`` (years_after, month, day) relative to each report year.

    Computed once per distinct year and broadcast (a batch holds few distinct years).
    """
    finite = np.isfinite(year)
    out = np.full(year.shape, np.nan)
    if not finite.any():
        return out
    uniq, inverse = np.unique(year[finite], return_inverse=True)
    days = np.empty(len(uniq))
    for i, y in enumerate(uniq):
        target_year = int(y) + spec.get("years_after", 1)
        day = min(spec["day"], calendar.monthrange(target_year, spec["month"])[1])
        days[i] = dt.date(target_year, spec["month"], day).toordinal()
    out[finite] = days[inverse]
    return out


def _iso(ordinal: float) -> str:
    return dt.date.fromordinal(int(ordinal)).isoformat()


class PublishedWindow(FrameCheck):
    """The publication date lies on or before ``deadline`` (and on or after ``earliest``)."""

    def __init__(self, deadline: dict[str, int] | None = None, earliest: dict[str, int] | None = None, **_: Any) -> None:
        self.deadline, self.earliest = deadline, earliest
        self.columns = [meta_col("published"), meta_col("year")]

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return np.isfinite(df[meta_col("published")].to_numpy()) & np.isfinite(df[meta_col("year")].to_numpy())

    def _bounds(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        year = df[meta_col("year")].to_numpy()
        late = _date_in(year, self.deadline) if self.deadline else np.full(year.shape, np.inf)
        early = _date_in(year, self.earliest) if self.earliest else np.full(year.shape, -np.inf)
        return early, late

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        pub = df[meta_col("published")].to_numpy()
        early, late = self._bounds(df)
        with np.errstate(invalid="ignore"):
            return (pub > late) | (pub < early)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        sub = df.iloc[rows]
        pub = sub[meta_col("published")].to_numpy()
        early, late = self._bounds(sub)
        out = []
        for p, e, lt, y in zip(pub, early, late, sub[meta_col("year")].to_numpy()):
            values: dict[str, Any] = {"published": _iso(p), "year": int(y), "next_year": int(y) + 1}
            if np.isfinite(lt):
                values["deadline"] = _iso(lt)
                values["days_late"] = int(p - lt) if p > lt else 0
            if np.isfinite(e):
                values["earliest"] = _iso(e)
            out.append([Payload("/published", values)])
        return out


class PeriodCoversYear(FrameCheck):
    """The stated statistical period runs from 1 January to 31 December of the report year.

    The period's dates are the document's ``period.start`` and ``period.end`` when both are
    there. Otherwise its printed text (``period.text``) is read, in this order:

    1. ``garbled`` (a rule pattern) matches, or a printed date is impossible (``2月30日``): a
       date whose digits run together (``自202111日起``) cannot be read — the period is not
       stated as complete dates, and the rule fails;
    2. two dates (``2023年1月1日``, ``2023-1-1``, ``20230101``; a second ``12月31日`` takes
       the first one's year; with no year at all, the report year): the period they span;
    3. ``whole_year`` (a rule pattern with a group ``year``) matches: the whole of that year
       (``统计期限为2023年度``).

    A text that none of these read is ``not_assessable``; so is a report without a period
    (GK-S-005 reports that). The finding quotes the dates as printed and says what is wrong,
    with the words of ``problems`` (``garbled``, ``other_year``, ``not_whole_year``; each
    ``{zh, en}`` with ``{start}``, ``{end}``, ``{period_year}``, ``{year}`` filled in).
    """

    def __init__(self, whole_year: str | None = None, garbled: str | None = None,
                 problems: dict[str, dict[str, str]] | None = None, **_: Any) -> None:
        self.whole_year = compile_pattern(whole_year) if whole_year else None
        if self.whole_year is not None and "year" not in self.whole_year.groupindex:
            raise ValueError("whole_year needs a group named year")
        self.garbled = compile_pattern(garbled) if garbled else None
        self.problems = problems or {}
        self.columns = [meta_col("period_start"), meta_col("period_end"), meta_col("year"), text_col("period.text")]
        self._last: tuple[weakref.ref[pd.DataFrame], list[_Period | None]] | None = None

    def _periods(self, df: pd.DataFrame) -> list[_Period | None]:
        """Per row, the period as read (None: not stated or not readable); the engine asks twice per frame."""
        if self._last is not None and self._last[0]() is df:
            return self._last[1]
        starts = df[meta_col("period_start")].to_numpy()
        ends = df[meta_col("period_end")].to_numpy()
        years = df[meta_col("year")].to_numpy()
        texts = df[text_col("period.text")].tolist()
        out = [self._read(s, e, y, t) for s, e, y, t in zip(starts, ends, years, texts)]
        self._last = (weakref.ref(df), out)
        return out

    def _read(self, start: float, end: float, year: float, text: str | None) -> _Period | None:
        if not np.isfinite(year):
            return None
        if np.isfinite(start) and np.isfinite(end):
            return _Period(int(start), int(end), text or "", quote_dates(text or ""))
        if not text:
            return None
        dates, impossible = read_dates(text, int(year))
        if impossible or (self.garbled is not None and self.garbled.search(text)):
            return _Period(None, None, text, quote_dates(text))
        if len(dates) >= 2:
            return _Period(dates[0].toordinal(), dates[1].toordinal(), text, quote_dates(text))
        if self.whole_year is not None and (m := self.whole_year.search(text)):
            value = int(m.group("year"))
            if 1900 <= value <= 2100:
                return _Period(dt.date(value, 1, 1).toordinal(), dt.date(value, 12, 31).toordinal(), text,
                               text[m.start():m.end()].strip(" ，,。；;"))
        return None

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return np.array([p is not None for p in self._periods(df)], dtype=bool)

    def _expected(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        year = df[meta_col("year")].to_numpy()
        start = _date_in(year, {"years_after": 0, "month": 1, "day": 1})
        end = _date_in(year, {"years_after": 0, "month": 12, "day": 31})
        return start, end

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        start, end = self._expected(df)
        return np.array([p is not None and (p.start is None or p.start != s or p.end != e)
                         for p, s, e in zip(self._periods(df), start, end)], dtype=bool)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        sub = df.iloc[rows]
        out = []
        for p, y in zip(self._periods(sub), sub[meta_col("year")].to_numpy()):
            assert p is not None
            year = int(y)
            values: dict[str, Any] = {"year": year, "quote": p.quote}
            if p.start is None or p.end is None:
                problem = "garbled"
            else:
                first, last = dt.date.fromordinal(p.start), dt.date.fromordinal(p.end)
                values.update(start=_zh_date(first), start_en=first.isoformat(), end=_zh_date(last),
                              end_en=last.isoformat(), period_year=first.year)
                whole = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year
                problem = "other_year" if whole else "not_whole_year"
            if not p.quote:  # a document that gives the dates without the sentence
                values["quote"], values["quote_en"] = f"{values['start']}至{values['end']}", f"{first} – {last}"
            words = self.problems.get(problem, {})
            values["problem"] = _fill(words.get("zh", ""), values, "zh")
            values["problem_en"] = _fill(words.get("en", ""), values, "en")
            out.append([Payload("/period", values)])
        return out


@dataclass(frozen=True, slots=True)
class _Period:
    """A statistics period as read: ordinals of its first and last day (None: printed but unreadable)."""

    start: int | None
    end: int | None
    text: str
    quote: str


_DATE = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})\s*(?:年|[-./])\s*(?P<m>\d{1,2})\s*(?:月|[-./])\s*(?P<d>\d{1,2})(?!\d)"
    r"|(?P<ymd>\d{8})(?!\d)"
    r"|(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号])")
# What may stand at either end of the quoted dates: the year's or day's word, 自/从 … 起/止.
_DATE_TOKEN = re.compile(r"\d{4,8}|\d{1,2}\s*[月日号]")


def read_dates(text: str, year: int) -> tuple[list[dt.date], int]:
    """The dates printed in ``text`` in order, and how many printed dates are impossible (2月30日).

    A month and day without a year take the year before them (``2023年1月1日至12月31日``), or
    ``year`` when none is printed.
    """
    found: list[dt.date] = []
    impossible = 0
    current = None
    for m in _DATE.finditer(_digits(text)):
        try:
            if m.group("y"):
                current = int(m.group("y"))
                found.append(dt.date(current, int(m.group("m")), int(m.group("d"))))
            elif m.group("ymd"):
                digits = m.group("ymd")
                current = int(digits[:4])
                found.append(dt.date(current, int(digits[4:6]), int(digits[6:])))
            else:
                found.append(dt.date(current or year, int(m.group("m2")), int(m.group("d2"))))
        except ValueError:
            impossible += 1
    return found, impossible


def _digits(text: str) -> str:
    """``text`` with full-width digits and Chinese-numeral years, months and days as ASCII digits (only used to
    read dates: offsets change)."""
    from checker.ingest.metadata import numerals

    return numerals(unicodedata.normalize("NFKC", text))


def quote_dates(text: str) -> str:
    """The part of a period sentence that states its dates (``自202111日起至20211230日止``), at most 60 characters."""
    tokens = list(_DATE_TOKEN.finditer(text))
    if not tokens:
        return text.strip()[:60]
    start, end = tokens[0].start(), tokens[-1].end()
    if start > 0 and text[start - 1] in "自从":
        start -= 1
    while end < len(text) and text[end] in "年度全月日号起止 ":
        end += 1
    return text[start:end].strip()[:60]


def _zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _fill(template: str, values: dict[str, Any], lang: str) -> str:
    """A problem's words with the finding's values (``x_en`` in English)."""
    filled = dict(values)
    if lang == "en":
        filled.update({k[:-3]: v for k, v in values.items() if k.endswith("_en")})
    return template.format_map(_Keep(filled))


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class InOrder(FrameCheck):
    """The sections that are present appear in the given order."""

    def __init__(self, sections: list[str], **_: Any) -> None:
        unknown = [s for s in sections if s not in SECTION_IDS]
        if unknown:
            raise KeyError(unknown[0])
        self.sections = sections
        self.cols = [meta_col("pos:" + s) for s in sections]
        self.columns = list(self.cols)

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return np.isfinite(df[self.cols].to_numpy()).sum(axis=1) >= 2

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        pos = df[self.cols].to_numpy()
        # Carry the last seen position forward over absent sections, then look for a step back.
        filled = pd.DataFrame(pos).ffill(axis=1).to_numpy()
        with np.errstate(invalid="ignore"):
            steps = np.diff(filled, axis=1)
        return np.any(steps < 0, axis=1)  # (np.any: numpy's stubs type .any(axis=1) as "a bool or an array")

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        pos = df[self.cols].to_numpy()[rows]
        out = []
        for p in pos:
            present = [(v, s) for v, s in zip(p, self.sections) if np.isfinite(v)]
            order = [s for _, s in sorted(present)]
            out.append([Payload("/sections", {
                "order": " → ".join(label("sections", s).split("、")[0] for s in order),
                "order_en": " → ".join(label("sections", s, "en").split(".")[0] for s in order)})])
        return out
