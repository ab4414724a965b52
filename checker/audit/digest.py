"""What an office sends upward, in numbers and examples: the content of the workbook's sheet 概览 and of the
draft 通报 (:mod:`checker.audit.tongbao`).

A :class:`Digest` is made from the audit's rows and tables (counts by grade, level and region, the ranking),
then fed every finding once as the workbook streams them from the database (:meth:`Digest.feed`): it keeps,
for the ten rules failed by most reports, one quoted example and the first agencies affected, and for the
reports the 通报 lists (at most :data:`LISTED_REPORTS`, the lowest-scoring), their first findings. Memory
stays bounded whatever the number of reports or findings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import TYPE_CHECKING, Any

from checker.audit.safe import clean, json_value
from checker.loader import RuleSet
from checker.messages import pick, term
from checker.model import Severity
from checker.render.labels import place_text
from checker.scoring import GRADES, WITHHELD

if TYPE_CHECKING:
    from checker.audit.runner import AuditSummary, Row

TOP_RULES = 10
REGIONS_SHOWN = 30  # regions with most reports; the others are summed in one row
AGENCIES_NAMED = 12  # agencies named per frequent problem (then "等 N 个")
LISTED_REPORTS = 300  # reports whose problems the 通报 lists one by one (the lowest-scoring; the rest: summary.xlsx)
FINDINGS_LISTED = 20  # findings listed per report in the 通报


def where(f: Sequence[Any], lang: str) -> str:
    """Where a stored finding is, in the words of the reports (``place_text``: page, paragraph or line, quote,
    field); ``f`` is a stored finding (see :meth:`checker.audit.store.Store.findings`)."""
    try:
        location = json_value(f[7].encode()) if f[7] else None
    except ValueError:
        location = None
    return place_text(str(f[5] or ""), location if isinstance(location, dict) else None, lang)


def severity_text(value: Any, lang: str) -> str:
    """错误/警告/提示 (or the English value) of a stored severity."""
    try:
        sev = Severity(value)
    except ValueError:
        return str(value or "")
    return term("severity", sev.value, lang)


def grade_text(grade: Any, lang: str) -> str:
    """A grade as shown (the Chinese grade, or its English name)."""
    text = str(grade or "")
    return term("grade", text, lang)


@dataclass
class Problem:
    """One of the most frequent problems: its rule, how many reports and findings, an example, agencies."""

    rule_id: str
    title: str
    reports: int
    findings: int
    share: float
    example: tuple[str, str, str] | None = None  # (agency, where, message)
    agencies: list[str] = field(default_factory=list)


@dataclass
class Listed:
    """A report the 通报 lists with its problems."""

    row: Row
    rank: int | None
    findings: list[tuple[str, str, str, str]] = field(default_factory=list)  # (rule id, severity, message, where)
    more: int = 0


@dataclass
class Digest:
    """The audit in numbers and examples (see the module's documentation)."""

    lang: str
    day: dt.date
    rows: list[Row]
    ranks: dict[str, int | None]
    problems: int
    conflicts: int
    top: list[Problem]
    listed: dict[tuple[str, str], Listed]
    titles: dict[str, str]
    _top_of: dict[str, Problem] = field(default_factory=dict)
    _named: dict[str, set[str]] = field(default_factory=dict)

    # -- made from the audit ------------------------------------------------------------------------------------
    @classmethod
    def of(cls, summary: AuditSummary, ranked: Sequence[Row], ranks: Sequence[int | None], ruleset: RuleSet,
           per_rule: dict[str, tuple[int, int]], problems: int) -> Digest:
        """``ranked``: the checked rows in ranking order, ``ranks`` their 名次 (None: not ranked)."""
        lang = summary.options.lang
        total = len(ranked) or 1
        titles = {r.id: r.title.get(lang) for r in ruleset.rules}
        top = [Problem(rule_id, titles.get(rule_id, ""), n, count, round(100 * n / total, 1))
               for rule_id, (n, count) in sorted(per_rule.items(), key=lambda kv: (-kv[1][0], kv[0]))[:TOP_RULES]]
        with_findings = [(r, k) for r, k in zip(ranked, ranks) if _found(r)]
        chosen = with_findings[-LISTED_REPORTS:]  # the lowest-scoring, listed in ranking order
        listed = {(r.key, r.previous): Listed(r, k) for r, k in chosen}
        return cls(lang, dt.date.today(), list(ranked), {r.key + "|" + r.previous: k for r, k in zip(ranked, ranks)},
                   problems, len(summary.conflicts), top, listed, titles, {p.rule_id: p for p in top},
                   {p.rule_id: set() for p in top})

    def feed(self, row: Row, f: Sequence[Any]) -> None:
        """One stored finding of a checked report."""
        rule_id = f[0]
        problem = self._top_of.get(rule_id)
        lang = self.lang
        agency = row.meta.get("agency") or pick(lang, "（未识别的机关）", "(unknown body)")
        if problem is not None:
            message = str(f[4] if lang == "en" else f[3])
            if problem.example is None or ("“" not in problem.example[1] and "“" in where(f, lang)):
                problem.example = (agency, where(f, lang), message)
            named = self._named[rule_id]
            if len(named) < AGENCIES_NAMED and agency not in named:
                named.add(agency)
                problem.agencies.append(agency)
        item = self.listed.get((row.key, row.previous))
        if item is not None:
            if len(item.findings) < FINDINGS_LISTED:
                item.findings.append((rule_id, severity_text(f[1], lang), str(f[4] if lang == "en" else f[3]),
                                      where(f, lang)))
            else:
                item.more += 1

    # -- read by the workbook and the 通报 ----------------------------------------------------------------------
    @property
    def years(self) -> list[int]:
        return sorted({y for r in self.rows if isinstance(y := r.meta.get("year"), int)})

    def year_text(self) -> str:
        years = self.years
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}—{years[-1]}"

    def title(self, lang: str) -> str:
        year = self.year_text()
        return pick(lang, f"{year + '年度' if year else ''}政府信息公开工作年度报告检查概览",
                  f"Annual disclosure reports{' ' + year if year else ''}: audit overview")

    def scores(self) -> list[float]:
        return [r.result["score"] for r in self.rows if r.result and r.result.get("score") is not None]

    def failing(self) -> int:
        return sum(1 for r in self.rows if r.result and not r.result.get("passed"))

    def withheld(self) -> int:
        return sum(1 for r in self.rows if r.result and r.result.get("grade") == WITHHELD)

    def lines(self, lang: str) -> list[str]:
        """The audit in one or two sentences."""
        scores = self.scores()
        avg = f"{mean(scores):.1f}" if scores else "—"
        n, failing, withheld = len(self.rows), self.failing(), self.withheld()
        return [pick(lang, f"共检查报告 {n} 份，平均得分 {avg}；未通过 {failing} 份，未评级（可判断规则不足六成）{withheld} 份；"
                         f"未能检查或有标注问题的输入 {self.problems} 项，同一机关同一年度多份报告 {self.conflicts} 处。",
                   f"{n} reports checked, average score {avg}; {failing} failing, {withheld} not graded (under 60% "
                   f"judged); {self.problems} input problems; {self.conflicts} conflicts.")]

    def grades(self, lang: str) -> list[list[Any]]:
        counts = Counter(r.result.get("grade") for r in self.rows if r.result)
        total = len(self.rows) or 1
        order = [g for _, g in GRADES] + [WITHHELD] + sorted(str(g) for g in counts if g not in dict(GRADES).values()
                                                             and g != WITHHELD)
        return [[grade_text(g, lang), counts[g], round(100 * counts[g] / total, 1)] for g in order if counts[g]
                or g in dict(GRADES).values()]

    def _groups(self, key: Any) -> list[tuple[str, list[Row]]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for r in self.rows:
            groups[key(r)].append(r)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    @staticmethod
    def _stats(name: str, rows: list[Row]) -> list[Any]:
        scores = [r.result["score"] for r in rows if r.result and r.result.get("score") is not None]
        return [name, len(rows), round(mean(scores), 1) if scores else None,
                sum(1 for r in rows if r.result and not r.result.get("passed"))]

    def levels(self, lang: str) -> list[list[Any]]:
        def level(r: Row) -> str:
            v = r.meta.get("level")
            if not v:
                return pick(lang, "（未知）", "(unknown)")
            return term("level", str(v), lang)
        return [self._stats(name, rows) for name, rows in self._groups(level)]

    def has_regions(self) -> bool:
        return any(r.meta.get("region") for r in self.rows)

    def regions(self, lang: str) -> list[list[Any]]:
        unknown = pick(lang, "（未注明地区）", "(no region given)")
        groups = self._groups(lambda r: clean(str(r.meta.get("region") or "")) or unknown)
        shown = [self._stats(name, rows) for name, rows in groups[:REGIONS_SHOWN]]
        rest = [r for _, rows in groups[REGIONS_SHOWN:] for r in rows]
        if rest:
            n = len(groups) - REGIONS_SHOWN
            shown.append(self._stats(pick(lang, f"其他 {n} 个地区", f"{n} other regions"), rest))
        return shown

    def top_rows(self, lang: str) -> list[list[Any]]:
        return [[p.rule_id, p.reports, p.share, p.findings, p.title, self.example_text(p, lang),
                 self.agencies_text(p, lang)] for p in self.top]

    @staticmethod
    def example_text(p: Problem, lang: str) -> str:
        if p.example is None:
            return ""
        agency, at, message = p.example
        return pick(lang, f"{agency}：{message}" + (f"（位置：{at}）" if at else ""),
                  f"{agency}: {message}" + (f" (at {at})" if at else ""))

    @staticmethod
    def agencies_text(p: Problem, lang: str) -> str:
        names = pick(lang, "、", ", ").join(p.agencies)
        if p.reports > len(p.agencies):
            return pick(lang, f"{names}等，共 {p.reports} 份报告", f"{names} and others: {p.reports} reports")
        return names

    def rank_of(self, row: Row) -> int | None:
        return self.ranks.get(row.key + "|" + row.previous)


def _found(r: Row) -> bool:
    res = r.result or {}
    return bool((res.get("errors") or 0) + (res.get("warnings") or 0) + (res.get("infos") or 0))
