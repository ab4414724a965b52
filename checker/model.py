"""Plain, frozen data records shared by the loader, the engine, scoring and the renderers.

Nothing here imports pandera, jsonschema, click or rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from checker.messages import TERMS


class Severity(str, Enum):
    """How serious a failed rule is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious (error 3, warning 2, info 1)."""
        return _SEVERITY_RANK[self]

    @property
    def zh(self) -> str:
        """Chinese name."""
        return TERMS["severity"][self.value][0]


_SEVERITY_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


class Outcome(str, Enum):
    """The result of one rule for one report."""

    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSABLE = "not_assessable"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"

    @property
    def zh(self) -> str:
        """Chinese name."""
        return TERMS["outcome"][self.value][0]


CATEGORIES = tuple(TERMS["category"])
CATEGORY_EN = {category: names[1] for category, names in TERMS["category"].items()}


@dataclass(frozen=True, slots=True)
class Text:
    """A message in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation (ruff's template)."""

    what: Text
    why: Text
    fix: Text
    example_fail: Text
    example_pass: Text


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, as loaded from a rule set file.

    Attributes:
        id: stable code such as ``GK-T3-001``.
        name: kebab-case name stating the bad thing, e.g. ``request-balance-mismatch``.
        ruleset: the id of the rule set file it comes from.
        title: short title for a civil servant.
        severity: error | warning | info.
        escalate_at: with this many failing instances in one report the severity becomes error.
        weight: relative weight in the score (1–5).
        category: 完整性 | 准确性 | 规范性 | 时效性.
        basis: the legal basis (article of the 条例 or clause of the format).
        check: the check as written in the rule file (kind and parameters).
        applies_to: restrictions on formats, agency kinds/levels and years.
        message: message template with ``{placeholders}``.
        doc: documentation.
        examples: machine-run pass/fail examples as written in the file.
        unverified: True when the rule rests on text marked [UNVERIFIED].
        wordings: the wording families (:class:`checker.wordings.Wording`) its check refers to.
        basis_2019: the basis for reports the 2019 trial format governs (years 2019 and 2020), when
            ``basis`` cites the 2021 format and the trial format has the same requirement; see
            :meth:`basis_for`.
        region: the place a local rule set's rules belong to (None for rules that apply everywhere);
            a local rule set runs only when the configuration enables it.
    """

    id: str
    name: str
    ruleset: str
    title: Text
    severity: Severity
    weight: int
    category: str
    basis: Text
    check: dict[str, Any]
    applies_to: dict[str, Any]
    message: Text
    doc: RuleDoc
    examples: dict[str, list[dict[str, Any]]]
    escalate_at: int | None = None
    unverified: bool = False
    wordings: tuple[Any, ...] = ()
    basis_2019: Text | None = None
    region: Text | None = None

    def basis_for(self, year: Any = None, fmt: Any = None) -> Text:
        """The basis for a report of ``year`` whose tables are in format ``fmt``: ``basis_2019`` when the
        2019 trial format governs the report (:func:`governing_format`) and the rule has one, else ``basis``."""
        if self.basis_2019 is not None and governing_format(year, fmt) == "2019":
            return self.basis_2019
        return self.basis


def governing_format(year: Any = None, fmt: Any = None) -> str:
    """The report format that governs a report: the 2019 trial format (国办公开办函〔2019〕60号) for the
    years 2019 and 2020, the 2021 format (国办公开办函〔2021〕30号) from 2021 on, whatever layout the
    report's tables have; without a year, the format of its tables (the 2021 format when unknown)."""
    if isinstance(year, int) and not isinstance(year, bool):
        return "2019" if year <= 2020 else "2021"
    return "2019" if fmt == "2019" else "2021"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one report.

    Attributes:
        rule_id: the rule's id.
        rule_name: the rule's kebab name.
        severity: the effective severity (after escalation or configuration).
        category: the rule's category.
        message: the message with the actual values filled in.
        pointer: JSON Pointer into the report document.
        section: the section of the report it concerns (``overview`` … ``other``, or ``meta``).
        location: where in the original file (line, table/row/column, page), if known.
        values: the numbers and texts quoted in the message.
        waived: the waiver reason when the finding is waived.
        related: other places the finding concerns: dicts with ``pointer`` and ``location``
            (e.g. the sentence that contradicts a table cell).
        basis: the rule's basis chosen for this report (:meth:`Rule.basis_for`); None: the rule's ``basis``.
    """

    rule_id: str
    rule_name: str
    severity: Severity
    category: str
    message: Text
    pointer: str
    section: str
    location: dict[str, int] | None = None
    values: dict[str, Any] = field(default_factory=dict)
    waived: str | None = None
    related: tuple[dict[str, Any], ...] = ()
    basis: Text | None = None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready form (message in ``lang``; both languages under ``message_i18n``)."""
        return {"rule_id": self.rule_id, "rule_name": self.rule_name, "severity": self.severity.value,
                "category": self.category, "message": self.message.get(lang), "pointer": self.pointer,
                "section": self.section, "location": dict(self.location) if self.location else self.location,
                "values": dict(self.values), "waived": self.waived, "related": [dict(r) for r in self.related],
                "message_i18n": {"zh": self.message.zh, "en": self.message.en}}


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """The outcome of one rule for one report, with how many of its instances were decided.

    ``severity`` is the rule's effective severity for this report (error where its failures were
    escalated); ``points`` what it counts in the score when decided (weight × severity factor; see
    :mod:`checker.scoring`): the points of passed rules over those of passed and failed rules are
    the score. ``reason`` says why a not assessable rule could not be decided.
    """

    rule_id: str
    outcome: Outcome
    checked: int
    failed: int
    not_assessable: int
    severity: Severity
    points: float
    reason: str = ""


class CategoryScore(NamedTuple):
    """Score of one category (a named tuple: a batch creates four per report)."""

    category: str
    score: float | None
    passed: int
    failed: int
    not_assessable: int


class Coverage(NamedTuple):
    """How much of the rule set could be judged for one report.

    ``decided`` rules passed, failed or were waived; ``applicable`` adds the not assessable
    ones (not applicable rules count in neither); ``ratio`` is decided ÷ applicable (None when
    nothing applies).
    """

    decided: int
    applicable: int
    ratio: float | None

    def percent(self) -> int | None:
        """The ratio in whole percent, rounded down (59.9 % shows as 59 %, below the 60 % line)."""
        return None if self.ratio is None else int(self.ratio * 100 + 1e-9)


@dataclass(frozen=True, slots=True)
class Score:
    """The scored result: overall 0–100, grade, per-category scores and counts."""

    overall: float | None
    grade: str
    categories: tuple[CategoryScore, ...]
    passed: int
    failed: int
    not_assessable: int
    not_applicable: int
    waived: int
    earned: float
    possible: float
    capped: bool
    coverage: Coverage = Coverage(0, 0, None)


@dataclass(frozen=True, slots=True)
class ReadingNotice:
    """What the reader could not read in one report, in words for the user (see ``checker.notices``).

    Attributes:
        code: ``table-unread`` | ``cells-derived`` | ``part-unplaced`` | ``text-incomplete`` |
            ``year-inferred``.
        target: JSON Pointer of the part or table concerned ("" for the whole report).
        message: what could not be read, where its words are, and what it means for the checks.
        advice: what to do.
        location: where in the original file (line, page, table), if known.
        values: the values quoted (as the document's reading block gives them).
    """

    code: str
    target: str
    message: Text
    advice: Text
    location: dict[str, int] | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready form (message and advice in ``lang``)."""
        return {"code": self.code, "target": self.target, "message": self.message.get(lang),
                "advice": self.advice.get(lang), "location": dict(self.location) if self.location else None,
                "values": dict(self.values)}


@dataclass(frozen=True, slots=True)
class ReportResult:
    """Everything gkcheck found about one report.

    ``notices`` are the reading notices of a report read from a file that could not be read
    whole; they never cost points, they make the rules that needed what was not read not
    assessable (and the report cannot pass, see ``checker.verdict``).
    """

    source: str
    agency: str
    year: int | None
    format: str | None
    agency_kind: str | None
    agency_level: str | None
    published: str | None
    outcomes: Sequence[RuleOutcome]
    findings: tuple[Finding, ...]
    score: Score
    notices: tuple[ReadingNotice, ...] = ()
    fetched: str | None = None  # a report fetched from the web: when this content was fetched (source.fetched)

    @property
    def coverage(self) -> Coverage:
        """How many of the applicable rules could be decided."""
        return self.score.coverage

    def to_frames(self, lang: str = "zh") -> Any:
        """This result as pandas DataFrames ``(reports, outcomes, findings)``: see :func:`checker.dataframes.frames`."""
        from checker.dataframes import frames

        return frames([self], lang=lang)

    def outcome_of(self, rule_id: str) -> Outcome:
        """The outcome of one rule."""
        for o in self.outcomes:
            if o.rule_id == rule_id:
                return o.outcome
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class RuleChange:
    """A rule that a run's configuration does not run, or runs at another severity.

    Attributes:
        rule_id: the rule's id.
        name: the rule's kebab name.
        key: what changed it: ``select``, ``ignore``, ``rulesets`` (its rule set was not
            chosen) or ``severity``.
        source: where that key was set: the configuration file as shown, or ``--select`` /
            ``--ignore`` for the command line.
        before / after: the severity before and after (``severity`` changes only).
    """

    rule_id: str
    name: str
    key: str
    source: str
    before: str = ""
    after: str = ""

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        out = {"rule_id": self.rule_id, "rule_name": self.name, "key": self.key, "source": self.source}
        if self.key == "severity":
            out.update({"from": self.before, "to": self.after})
        return out


def family(rule_id: str) -> str:
    """The family of a rule id: the id without its number (``GK-T3-010`` → ``GK-T3``)."""
    return rule_id.rsplit("-", 1)[0]


@dataclass(frozen=True)
class LocalRuleSet:
    """A local rule set a run enabled (the requirements of one place; off unless configured).

    Attributes:
        ruleset: its id (``local-wuwei``).
        region: its place.
        rules: the ids of its rules.
        key: what enabled it: ``region`` (the configured region is its place), ``rulesets`` (the
            configuration names it) or ``rules`` (``--rules`` names its file).
        source: where that key was set: the configuration file as shown, or ``--region`` / ``--rules``.
    """

    ruleset: str
    region: Text
    rules: tuple[str, ...]
    key: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"ruleset": self.ruleset, "region": self.region.zh, "region_en": self.region.en,
                "rules": list(self.rules), "key": self.key, "source": self.source}


@dataclass(frozen=True)
class Configuration:
    """What the configuration of a run changed about what is checked; every output shows it.

    Attributes:
        file: the configuration file as shown to the user ("" when none was used).
        deselected: the rules of the bundled (or chosen) rule sets that do not run.
        severities: the rules that run at another severity than their rule file gives.
        deadlines: local deadlines configured (agency kind → "MM-DD").
        partial_allowed: ``--allow-partial-rules`` was given (the run may leave out whole
            families, tables or parts, or rules of the minimum set).
        region: the configured region ("" when none).
        local: the local rule sets the run enabled (they are off by default; a run without them
            does not count their rules as not run).
    """

    file: str = ""
    deselected: tuple[RuleChange, ...] = ()
    severities: tuple[RuleChange, ...] = ()
    deadlines: dict[str, str] = field(default_factory=dict)
    partial_allowed: bool = False
    region: str = ""
    local: tuple[LocalRuleSet, ...] = ()

    @property
    def changes_rules(self) -> bool:
        """Whether any rule is left out or runs at another severity."""
        return bool(self.deselected or self.severities)

    @property
    def shown(self) -> bool:
        """Whether there is anything to show (a configuration file, or rules changed from the command line)."""
        return bool(self.file or self.changes_rules or self.partial_allowed or self.region or self.local)

    def families(self) -> dict[str, int]:
        """Deselected rules per family, in order of first appearance."""
        out: dict[str, int] = {}
        for change in self.deselected:
            out[family(change.rule_id)] = out.get(family(change.rule_id), 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``configuration`` field of the JSON result)."""
        return {"file": self.file or None, "deselected": [c.to_dict() for c in self.deselected],
                "deselected_families": self.families(), "severities": [c.to_dict() for c in self.severities],
                "deadlines": dict(self.deadlines), "partial_allowed": self.partial_allowed,
                "region": self.region or None, "local_rulesets": [s.to_dict() for s in self.local]}
