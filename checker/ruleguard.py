"""What a configuration switches off, and when that is too much to run without being told.

A ``gkcheck.toml`` beside a report (or a ``[tool.gkcheck]`` table in a ``pyproject.toml``
above it, or ``--select``/``--ignore``) can leave rules out. A report then "passes" the
rules that are left; the outputs always say which rules did not run (see
:class:`~checker.model.Configuration`), and a configuration that leaves out too much is
an error unless the person running gkcheck allows it on the command line
(``--allow-partial-rules``): a file found next to a report cannot allow itself.

"Too much" is any of:

* **a whole family** of rules: every rule whose id starts with the same prefix (``GK-T3``,
  ``GK-N``, …; see :func:`~checker.model.family`);
* **a whole table or part**: every rule that reads the values of one of the report's three
  tables, or the text of one of its six parts in particular (a rule that reads the whole
  text at once belongs to no one part);
* **a rule of the minimum set** (:data:`CORE_RULES`): the rules that decide whether the
  report has the six parts the 条例 (Art. 50) requires and the tables the format notice
  prescribes, whether those tables are complete, and whether their figures add up. Every
  other rule refines these or reads the narrative; without them a report with a missing
  part or tables that do not balance can pass, and no local practice calls for turning
  them off.

A rule counts as off when it does not run, or when its severity is lowered to ``info``
(an info rule weighs nothing in the score and fails no report at the default
``--fail-on``). The baseline is the rules loaded for the run; when the configuration's
``rulesets`` key chose the rule files, the bundled rule sets it left out count as well —
except the local rule sets (one place's requirements, :func:`checker.loader.local_sets`),
which are off unless configured and so never count as switched off.
Rule files named with ``--rules`` on the command line are the baseline themselves (the
person running gkcheck chose them).

A configuration that leaves no rule at all is always an error: nothing would be checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from checker.document import label, path_to_pointer, pointer_to_path
from checker.errors import RuleSetError
from checker.formats import SECTION_IDS
from checker.frame import column_inputs
from checker.kinds.base import FrameCheck, JsonCheck
from checker.loader import RuleSet
from checker.model import RuleChange, Severity, family

CORE_RULES = (
    "GK-S-001",  # missing-section: the six parts (条例 Art. 50)
    "GK-S-103",  # table-not-presented: the three tables of the format
    "GK-T2-001", "GK-T3-001", "GK-T4-001",  # the tables are complete
    "GK-T3-010", "GK-T3-011", "GK-T3-012", "GK-T3-013", "GK-T4-010",  # the tables add up
)
"""The minimum rule set (see the module's documentation)."""

TABLES = ("proactive", "requests", "appeals")

# Names of the bundled families, for messages.
FAMILY_NAMES: dict[str, tuple[str, str]] = {
    "GK-S": ("报告结构", "report structure"),
    "GK-N": ("正文内容", "narrative content"),
    "GK-D": ("公布时间", "publication dates"),
    "GK-T2": ("第二部分表格", "the table of part 2"),
    "GK-T3": ("第三部分表格", "the table of part 3"),
    "GK-T4": ("第四部分表格", "the table of part 4"),
    "GK-V": ("表格数值", "table values"),
    "GK-L2": ("试行格式第二部分表格", "the trial-format table of part 2"),
    "GK-L3": ("试行格式第三部分表格", "the trial-format table of part 3"),
    "GK-X": ("正文数字与表格一致", "narrative numbers versus the tables"),
    "GK-Y": ("跨年度比较", "cross-year comparisons"),
    "GK-W": ("豁免", "waivers"),
    "GK-P": ("网上发布", "publication on the web"),
}


def family_label(prefix: str, lang: str = "zh") -> str:
    """A family prefix with its name when known: ``GK-T3（第三部分表格）``."""
    name = FAMILY_NAMES.get(prefix)
    if name is None:
        return prefix
    return f"{prefix}（{name[0]}）" if lang == "zh" else f"{prefix} ({name[1]})"


def subjects(ruleset: RuleSet) -> dict[str, set[str]]:
    """Per rule id, the tables (``table:<id>``) whose values and the parts (``part:<id>``) whose
    text its instances read in particular."""
    out: dict[str, set[str]] = {r.id: set() for r in ruleset.rules}
    for inst in ruleset.instances:
        pointers: list[str] = []
        check = inst.check
        if isinstance(check, FrameCheck):
            for column in check.columns:
                if column == "t:all" or (check.whole_text and column.startswith("t:sections.")):
                    continue  # the whole text at once: no one part
                pointers += [p for p, presence in column_inputs(column) if not presence]
        elif isinstance(check, JsonCheck) and not check.presence_only:
            pointers += [path_to_pointer(p) for p in check.reads]
        for pointer in pointers:
            parts = pointer_to_path(pointer)
            if len(parts) >= 2 and parts[0] == "tables" and parts[1] in TABLES:
                out[inst.rule.id].add(f"table:{parts[1]}")
            elif len(parts) >= 2 and parts[0] == "sections" and parts[1] in SECTION_IDS:
                out[inst.rule.id].add(f"part:{parts[1]}")
    return out


def subject_label(subject: str, lang: str = "zh") -> str:
    """``table:requests`` → the table's label; ``part:overview`` → the part's heading."""
    kind, _, key = subject.partition(":")
    return label("tables" if kind == "table" else "sections", key, lang)


@dataclass(frozen=True)
class Loss:
    """What a configuration switches off, relative to its baseline."""

    families: tuple[str, ...]
    subjects: tuple[str, ...]
    core: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.families or self.subjects or self.core)


def losses(baseline: RuleSet, off: set[str]) -> Loss:
    """The families, tables/parts and minimum-set rules of ``baseline`` of which no rule is left on."""
    on = [r for r in baseline.rules if r.id not in off]
    on_families = {family(r.id) for r in on}
    families = tuple(dict.fromkeys(family(r.id) for r in baseline.rules if family(r.id) not in on_families))
    reads = subjects(baseline)
    on_subjects = set().union(*(reads[r.id] for r in on)) if on else set()
    order = [f"table:{t}" for t in TABLES] + [f"part:{p}" for p in SECTION_IDS]
    read = set().union(*reads.values()) if reads else set()
    lost = tuple(s for s in order if s in read and s not in on_subjects)
    core = tuple(i for i in CORE_RULES if i in off and i in baseline.by_id)
    return Loss(families, lost, core)


def switched_off(baseline: RuleSet, effective: RuleSet) -> set[str]:
    """Ids of baseline rules that do not run in ``effective``, or run there lowered to ``info``."""
    running = effective.by_id
    off = set()
    for rule in baseline.rules:
        now = running.get(rule.id)
        if now is None or (now.severity is Severity.INFO and rule.severity is not Severity.INFO):
            off.add(rule.id)
    return off


def guard(baseline: RuleSet, effective: RuleSet, changes: Iterable[RuleChange], allowed: bool) -> None:
    """Refuse a configuration that leaves nothing, or (unless ``allowed``) too much, to check.

    Raises:
        RuleSetError: naming where the change was made (file and key, or the command-line
            option), and the families, tables or parts and minimum-set rules it switches off.
    """
    changes = list(changes)
    sources = _sources(changes)
    if not effective.rules:
        raise RuleSetError(
            f"{sources[0]} 停用了全部规则，没有任何检查可以运行。请修改配置（或命令行选项）。",
            f"{sources[1]}switch off every rule: nothing would be checked. Change the configuration.")
    if allowed:
        return
    loss = losses(baseline, switched_off(baseline, effective))
    if not loss:
        return
    names = {r.id: r.name for r in baseline.rules}
    what_zh, what_en = [], []
    if loss.families:
        what_zh.append("以下规则族的全部规则：" + _few([family_label(f) for f in loss.families], "、"))
        what_en.append("every rule of the families " + _few([family_label(f, "en") for f in loss.families], ", "))
    if loss.subjects:
        what_zh.append("检查以下表格或部分的全部规则：" + _few([subject_label(s) for s in loss.subjects], "、"))
        what_en.append("every rule that checks " + _few([subject_label(s, "en") for s in loss.subjects], "; "))
    if loss.core:
        what_zh.append("最低规则集中的规则：" + _few([f"{i} {names[i]}" for i in loss.core], "、"))
        what_en.append("minimum-set rules " + _few([f"{i} {names[i]}" for i in loss.core], ", "))
    raise RuleSetError(
        f"{sources[0]} 会停用{'；'.join(what_zh)}。停用这些规则后，有缺陷的报告也可能显示为“通过”。"
        "如确需只运行部分规则，请在命令行加上 --allow-partial-rules（输出中会列出未运行的规则）；"
        "否则请修改配置。",
        f"{sources[1]}would switch off {'; '.join(what_en)}. A defective report could then pass. To run "
        "part of the rules on purpose, add --allow-partial-rules to the command (the outputs list the rules "
        "not run); otherwise change the configuration.")


def _few(items: list[str], sep: str, n: int = 8) -> str:
    """At most ``n`` items joined, and how many more."""
    more = len(items) - n
    if more <= 0:
        return sep.join(items)
    return sep.join(items[:n]) + (f"等（另有 {more} 项）" if sep == "、" else f"{sep}and {more} more")


def _sources(changes: list[RuleChange]) -> tuple[str, str]:
    """Where the changes were made, for a message: ``配置文件 gkcheck.toml 的 select、命令行 --ignore ``."""
    zh, en = [], []
    for source, key in dict.fromkeys((c.source, c.key) for c in changes):
        if source.startswith("--"):
            zh.append(f"命令行选项 {source}")
            en.append(f"the option {source}")
        else:
            zh.append(f"配置文件 {source} 的 {key}")
            en.append(f"the key {key} of the configuration file {source}")
    if not zh:
        return "配置", "The configuration "
    joined = ", ".join(en)
    return "、".join(zh), joined[:1].upper() + joined[1:] + " "


def changes_of(baseline: RuleSet, loaded: RuleSet, effective: RuleSet, select: tuple[str, ...],
               sources: dict[str, str]) -> tuple[tuple[RuleChange, ...], tuple[RuleChange, ...]]:
    """(rules not run, rules at another severity) of ``effective`` against ``baseline``, each with
    the key that did it and where that key was set (``sources``: key → file or option).

    ``loaded``: the rules of the files the run loaded, before selection (a baseline rule not
    among them was left out by the ``rulesets`` key).
    """
    from checker.config import selected  # config imports this module

    running, present = effective.by_id, loaded.by_id
    deselected, severities = [], []
    for rule in baseline.rules:
        now = running.get(rule.id)
        if now is None:
            if rule.id not in present:
                key = "rulesets"
            elif select and not selected(present[rule.id], select, ()):
                key = "select"
            else:
                key = "ignore"
            deselected.append(RuleChange(rule.id, rule.name, key, sources.get(key, "")))
        elif now.severity is not present.get(rule.id, rule).severity:
            before = present.get(rule.id, rule).severity
            severities.append(RuleChange(rule.id, rule.name, "severity", sources.get("severity", ""),
                                         before.value, now.severity.value))
    return tuple(deselected), tuple(severities)
