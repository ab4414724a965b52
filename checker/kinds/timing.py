"""Date and order kinds over the metadata columns of the cell frame."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from checker.document import SECTION_IDS, label
from checker.frame import meta_col
from checker.kinds.base import FrameCheck, Payload


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
    """The stated statistical period runs from 1 January to 31 December of the report year."""

    def __init__(self, **_: Any) -> None:
        self.columns = [meta_col("period_start"), meta_col("period_end"), meta_col("year")]

    def assessable(self, df: pd.DataFrame) -> np.ndarray:
        return (np.isfinite(df[meta_col("period_start")].to_numpy()) & np.isfinite(df[meta_col("period_end")].to_numpy())
                & np.isfinite(df[meta_col("year")].to_numpy()))

    def _expected(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        year = df[meta_col("year")].to_numpy()
        start = _date_in(year, {"years_after": 0, "month": 1, "day": 1})
        end = _date_in(year, {"years_after": 0, "month": 12, "day": 31})
        return start, end

    def violated(self, df: pd.DataFrame) -> np.ndarray:
        start, end = self._expected(df)
        return (df[meta_col("period_start")].to_numpy() != start) | (df[meta_col("period_end")].to_numpy() != end)

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        sub = df.iloc[rows]
        out = []
        for s, e, y in zip(sub[meta_col("period_start")], sub[meta_col("period_end")], sub[meta_col("year")]):
            out.append([Payload("/period", {"start": _iso(s), "end": _iso(e), "year": int(y)})])
        return out


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
        return (steps < 0).any(axis=1)

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
