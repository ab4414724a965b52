"""Load rule set files: YAML (safe, bounded: :mod:`checker.safeyaml`) → validated against ruleset.schema.json → Rules → instances.

A rule's ``check`` may use ``for_each`` over named sets (``$name``) or inline lists; each
combination of values (per table format when a set differs by format) becomes one
*instance* with its own compiled check. Identical instances of different formats merge.

A rule file may define wording families (``wordings:``, see :mod:`checker.wordings`); a
``text`` check names one in ``wording``/``not_wording``. The families of all files loaded
together are one namespace (a name defined twice is an error); a name none of them defines
is taken from the bundled rule files. Every family's examples are run when it is loaded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from checker.errors import RuleSetError
from checker.model import Configuration, Rule, RuleDoc, Severity, Text
from checker.resources import load_schema, rules_dir
from checker.rulecache import cached_read
from checker.safeyaml import load_yaml

if TYPE_CHECKING:  # the kinds (pandas, pandera) and patterns are imported when rules are compiled, so that
    # reading rule files (gkcheck rules, the local rule sets) stays light
    from checker.kinds.base import FrameCheck, JsonCheck
    from checker.kinds.pair import PairCheck
    from checker.wordings import Wording

ALL_FORMATS = ("2021", "2019")

CheckT = TypeVar("CheckT", bound="FrameCheck | JsonCheck | PairCheck")
"""The type of an instance's compiled check: ``Instance[FrameCheck]`` for the frame engine, and so on."""


@dataclass(frozen=True)
class Instance(Generic[CheckT]):
    """One compiled check of a rule (one value of its ``for_each``).

    Attributes:
        key: unique key, ``<rule id>#<n>``.
        rule: the rule.
        formats: table formats the instance applies to.
        bindings: ``for_each`` variable → value.
        var_labels: ``for_each`` variable → (zh, en) label of its value.
        check: the compiled check (its type — frame, JSON or cross-year — decides how the engine runs it).
    """

    key: str
    rule: Rule
    formats: tuple[str, ...]
    bindings: dict[str, str]
    var_labels: dict[str, tuple[str, str]]
    check: CheckT


@dataclass(frozen=True)
class RuleSet:
    """Rules of one or more rule set files, in order, with their compiled instances.

    Attributes:
        rules: the rules, in file order.
        instances: their compiled instances.
        files: the rule files.
        versions: rule set id → the ``version`` its file states.
        digests: per file, (rule set id, sha256 of its data as loaded, canonically serialised).
        configuration: what the run's configuration changed (see :func:`checker.config.configured_ruleset`).
    """

    rules: tuple[Rule, ...]
    instances: tuple[Instance[Any], ...]
    files: tuple[str, ...]
    versions: dict[str, str]
    digests: tuple[tuple[str, str], ...] = ()
    configuration: Configuration = field(default_factory=Configuration)

    @property
    def fingerprint(self) -> str:
        """sha256 (hex) of the rules as loaded and of what the configuration changes in the results.

        Covers every rule file's content (not its ``version`` string: a rule edited without
        bumping the version changes it), the rules that run, their severities and
        applicability (local deadlines), and the local deadlines themselves. Equal for the
        same files and configuration, whatever their paths or the order of keys in them.
        """
        payload = {"files": [list(d) for d in self.digests],
                   "rules": [[r.id, r.severity.value, r.applies_to] for r in self.rules],
                   "deadlines": self.configuration.deadlines}
        used = {w.name: w.as_data() for r in self.rules for w in r.wordings}
        if used:  # a family may come from a bundled file that was not loaded
            payload["wordings"] = used
        return hashlib.sha256(_canonical(payload)).hexdigest()

    @property
    def wordings(self) -> dict[str, Wording]:
        """The wording families the rules refer to, by name, in order of first use."""
        return {w.name: w for r in self.rules for w in r.wordings}

    @property
    def by_id(self) -> dict[str, Rule]:
        """Rules by id."""
        return {r.id: r for r in self.rules}

    def find(self, key: str) -> Rule | None:
        """A rule by id or kebab name (case-insensitive id)."""
        for r in self.rules:
            if r.id.lower() == key.lower() or r.name == key:
                return r
        return None

    @property
    def version(self) -> str:
        """A combined version string of all files (for result files and caches)."""
        return "+".join(f"{k}@{v}" for k, v in self.versions.items())


def _wording() -> type[Wording]:
    from checker.wordings import Wording

    return Wording


def default_files() -> list[Path]:
    """Every bundled rule set file, in a fixed order (local rule sets included: see :func:`standard_files`)."""
    return sorted(rules_dir().glob("*.yaml"))


@dataclass(frozen=True)
class LocalSet:
    """A bundled local rule set: the requirements of one place, switched off unless configured.

    Attributes:
        ruleset: its id (``local-wuwei``).
        path: its file.
        region: the place, in Chinese and English.
        names: the region names that enable it (a configured region that starts with one of them).
        rules: the ids of its rules.
    """

    ruleset: str
    path: Path
    region: Text
    names: tuple[str, ...]
    rules: tuple[str, ...]

    def enabled_by(self, region: str) -> bool:
        """Whether a configured ``region`` (e.g. 甘肃省武威市凉州区) is this set's place or a place within it."""
        wanted = "".join(region.split())
        return bool(wanted) and any(wanted.startswith(name) for name in self.names)


def local_sets() -> list[LocalSet]:
    """The bundled local rule sets (files with a ``region``), in file order."""
    return [found for path in default_files() if (found := _local_set(path, path.stat().st_mtime_ns)) is not None]


@lru_cache(maxsize=64)
def _local_set(path: Path, mtime_ns: int) -> LocalSet | None:
    data = _read(path)
    region = data.get("region")
    if region is None:
        return None
    return LocalSet(data["ruleset"], path, Text(region["zh"], region["en"]), tuple(region["names"]),
                    tuple(r["id"] for r in data["rules"]))


def standard_files() -> list[Path]:
    """The bundled rule set files that run by default: every one but the local rule sets."""
    local = {s.path for s in local_sets()}
    return [p for p in default_files() if p not in local]


def load_ruleset(paths: Iterable[str | Path] | None = None) -> RuleSet:
    """Load, validate and compile rule set files (by default the bundled ones that run by default:
    :func:`standard_files`)."""
    files = [Path(p) for p in paths] if paths is not None else standard_files()
    if not files:
        raise RuleSetError("没有找到规则文件。", "No rule files found.")
    rules: list[Rule] = []
    instances: list[Instance] = []
    versions: dict[str, str] = {}
    digests: list[tuple[str, str]] = []
    loaded = [(path, _read(path)) for path in files]
    families = _families(loaded)
    for path, data in loaded:
        versions[data["ruleset"]] = str(data["version"])
        digests.append((data["ruleset"], hashlib.sha256(_canonical(data)).hexdigest()))
        for raw in data["rules"]:
            rule = _rule(raw, data, path)
            if any(r.id == rule.id or r.name == rule.name for r in rules):
                raise RuleSetError(f"{path}：规则编号或名称重复：{rule.id} {rule.name}",
                                   f"{path}: duplicate rule id or name {rule.id} {rule.name}")
            made, used = _instances(rule, data.get("sets", {}), path, families)
            if used:
                rule = dataclasses.replace(rule, wordings=used)
                made = [dataclasses.replace(i, rule=rule) for i in made]
            rules.append(rule)
            instances.extend(made)
    return RuleSet(tuple(rules), tuple(instances), tuple(str(f) for f in files), versions, tuple(digests))


class _Families:
    """The wording families of the files loaded together, and the bundled ones as a fallback."""

    def __init__(self, own: dict[str, Wording]) -> None:
        self.own = own

    def get(self, name: str, rule: Rule, path: Path) -> Wording:
        found = self.own.get(name) or _bundled_families().get(name)
        if found is None:
            known = "、".join(sorted({*self.own, *_bundled_families()})) or "（无）"
            raise RuleSetError(f"{path}：规则 {rule.id} 引用了未定义的措辞族“{name}”（已定义：{known}）。",
                               f"{path}: rule {rule.id} refers to the undefined wording family '{name}' "
                               f"(defined: {known}).")
        return found


def _families(loaded: list[tuple[Path, dict[str, Any]]]) -> _Families:
    """The families defined by the loaded files, each compiled and its examples run.

    Raises:
        RuleSetError: a name defined twice, a pattern RE2 refuses, or an example the family gets wrong.
    """
    own: dict[str, Wording] = {}
    where: dict[str, Path] = {}
    for path, data in loaded:
        for name, raw in (data.get("wordings") or {}).items():
            if name in own:
                raise RuleSetError(f"{path}：措辞族“{name}”已在 {where[name]} 中定义。",
                                   f"{path}: the wording family '{name}' is already defined in {where[name]}.")
            own[name], where[name] = _checked(_wording().from_data(name, raw, data["ruleset"]), path), path
    return _Families(own)


def _checked(wording: Wording, path: Path) -> Wording:
    """``wording`` once its patterns compile and its examples come out as written."""
    from checker.patterns import PatternError

    try:
        failures = wording.example_failures()
    except PatternError as exc:
        raise RuleSetError(
            f"规则文件 {path}：措辞族“{wording.name}”的模式“{exc.pattern}”不能使用：{exc.reason.zh}。",
            f"Rule file {path}: wording family '{wording.name}', pattern '{exc.pattern}' cannot be used: "
            f"{exc.reason.en}.") from None
    if failures:
        zh = "；".join(f"“{s}”{'应当匹配但没有匹配' if should else '不应匹配但匹配了'}" for s, should in failures)
        en = "; ".join(f"'{s}' {'should match but does not' if should else 'should not match but does'}"
                       for s, should in failures)
        raise RuleSetError(f"规则文件 {path}：措辞族“{wording.name}”的示例不成立：{zh}。",
                           f"Rule file {path}: examples of the wording family '{wording.name}' fail: {en}.")
    return wording


@lru_cache(maxsize=1)
def _bundled_families() -> dict[str, Wording]:
    """The families of the bundled rule files (read once; their examples are run when they are loaded)."""
    out: dict[str, Wording] = {}
    for path in default_files():
        data = load_yaml(path)
        for name, raw in (data.get("wordings") or {}).items():
            out.setdefault(name, _wording().from_data(name, raw, data["ruleset"]))
    return out


def _canonical(data: Any) -> bytes:
    """One serialisation of loaded data, whatever the order of its keys (dates as ISO text)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _read(path: Path) -> dict[str, Any]:
    """The data of a rule file, valid against the schema (read once per content: :mod:`checker.rulecache`)."""
    return cached_read(path, _read_file)


def _read_file(path: Path) -> dict[str, Any]:
    import jsonschema

    data = load_yaml(path)  # bounded size, aliases and nesting; no duplicate keys
    validator = jsonschema.Draft202012Validator(load_schema("ruleset.schema.json"),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = _yaml_path(error.absolute_path, data)
        raise RuleSetError(f"规则文件 {path} 不符合规则文件格式：{where}：{error.message}",
                           f"Rule file {path} does not match ruleset.schema.json at {where}: {error.message}")
    return data


def _yaml_path(path: Iterable[Any], data: Any) -> str:
    parts, node = [], data
    for p in path:
        if isinstance(p, int):
            ident = node[p].get("id") if isinstance(node, list) and isinstance(node[p], dict) else None
            parts.append(f"[{p}]" + (f"({ident})" if ident else ""))
        else:
            parts.append(f".{p}")
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts).lstrip(".") or "（文件根）"


def _text(value: Any) -> Text:
    if isinstance(value, str):
        return Text(value, value)
    return Text(value["zh"], value["en"])


def _rule(raw: dict[str, Any], data: dict[str, Any], path: Path) -> Rule:
    applies = {**data.get("applies_to", {}), **raw.get("applies_to", {})}
    doc, doc_en = raw["doc"], raw.get("doc_en", raw["doc"])
    return Rule(
        id=raw["id"], name=raw["name"], ruleset=data["ruleset"], title=_text(raw["title"]),
        severity=Severity(raw["severity"]), weight=raw["weight"], category=raw["category"],
        basis=_text(raw["basis"]), check=raw["check"], applies_to=applies, message=_text(raw["message"]),
        doc=RuleDoc(**{k: Text(doc[k], doc_en[k]) for k in ("what", "why", "fix", "example_fail", "example_pass")}),
        examples=raw["examples"], escalate_at=raw.get("escalate_at"), unverified=raw.get("unverified", False),
        basis_2019=_text(raw["basis_2019"]) if "basis_2019" in raw else None,
        region=_text(data["region"]) if "region" in data else None)


def _set_for(sets: dict[str, Any], name: str, fmt: str, rule: Rule, path: Path) -> tuple[list[str], str]:
    spec = sets.get(name)
    if spec is None:
        raise RuleSetError(f"{path}：规则 {rule.id} 引用了未定义的集合“${name}”",
                           f"{path}: rule {rule.id} uses undefined set ${name}")
    items = spec.get("items") or spec.get(fmt)
    return (list(items) if items else []), spec.get("of")


_VAR = re.compile(r"\{([a-z_]+)\}")


def _substitute(value: Any, bindings: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _VAR.sub(lambda m: bindings.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_substitute(v, bindings) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, bindings) for k, v in value.items()}
    return value


_WORDING_PARAMS = ("wording", "not_wording")


def _instances(rule: Rule, sets: dict[str, Any], path: Path,
               families: _Families) -> tuple[list[Instance], tuple[Wording, ...]]:
    """The rule's compiled instances, and the wording families they use."""
    from checker.kinds.base import JsonCheck
    from checker.patterns import PatternError, schema_patterns
    from checker.registry import get_kind

    kind = get_kind(rule.check["kind"])
    used: dict[str, Wording] = {}
    formats = tuple(rule.applies_to.get("formats", ALL_FORMATS))
    merged: dict[str, dict[str, Any]] = {}
    for fmt in formats:
        axes: list[tuple[str, list[tuple[str, tuple[str, str]]]]] = []
        for var, spec in rule.check.get("for_each", {}).items():
            if isinstance(spec, str):
                items, ns = _set_for(sets, spec[1:], fmt, rule, path)
                axes.append((var, [(v, _labels(ns, v)) for v in items]))
            else:
                axes.append((var, [(v, (v, v)) if isinstance(v, str) else (v["value"], (v["zh"], v["en"]))
                                   for v in spec]))
        base = {k: v for k, v in rule.check.items() if k not in ("kind", "for_each")}
        base = _expand_sets(base, sets, fmt, rule, path)
        for combo in itertools.product(*[a[1] for a in axes]) if axes else [()]:
            bindings = {a[0]: v[0] for a, v in zip(axes, combo)}
            params = _substitute(base, bindings)
            if kind.cells_param:
                params.update(_select_cells(params.pop(kind.cells_param), fmt))
            sig = json.dumps([bindings, params], sort_keys=True, ensure_ascii=False)
            entry = merged.setdefault(sig, {"formats": [], "bindings": bindings, "params": params,
                                            "labels": {a[0]: v[1] for a, v in zip(axes, combo)}})
            entry["formats"].append(fmt)
    out = []
    for n, entry in enumerate(merged.values(), 1):
        params = dict(entry["params"])
        for key in _WORDING_PARAMS:
            if isinstance(params.get(key), str):
                params[key] = used.setdefault(params[key], families.get(params[key], rule, path))
        try:
            check = kind.build(**params)
            if not isinstance(check, kind.family):  # a kind builds checks of its one family
                raise TypeError(f"kind {kind.name} built a {type(check).__name__}, not a {kind.family.__name__}")
            if isinstance(check, JsonCheck):
                schema_patterns(check.schema)
        except PatternError as exc:
            raise RuleSetError(
                f"规则文件 {path}：规则 {rule.id} 的模式“{exc.pattern}”不能使用：{exc.reason.zh}。",
                f"Rule file {path}: rule {rule.id}, pattern '{exc.pattern}' cannot be used: {exc.reason.en}.") from None
        except KeyError as exc:
            raise RuleSetError(f"{path}：规则 {rule.id} 引用了不存在的单元格或部分：{exc.args[0]}",
                               f"{path}: rule {rule.id} refers to unknown cell or part {exc.args[0]}") from None
        except (re.error, TypeError, ValueError) as exc:
            raise RuleSetError(f"{path}：规则 {rule.id} 的检查参数有误：{exc}",
                               f"{path}: rule {rule.id} has bad check parameters: {exc}") from None
        out.append(Instance(f"{rule.id}#{n}", rule, tuple(entry["formats"]), entry["bindings"],
                            entry["labels"], check))
    return out, tuple(used.values())


def _select_cells(sel: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Resolve a table selector (table, optional ``only``/``exclude`` id prefixes) to cell ids."""
    def keep(cid: str) -> bool:
        if sel.get("only") and not any(cid.startswith(p) for p in sel["only"]):
            return False
        return not any(cid.startswith(p) for p in sel.get("exclude", []))
    from checker.document import cells

    ids = [c.id for c in cells() if c.table == sel["table"] and fmt in c.formats and keep(c.id)]
    if not ids:
        raise KeyError(f"{sel['table']} {sel.get('only', '')}")
    return {"table": sel["table"], "cell_ids": ids}


def _labels(ns: str | None, key: str) -> tuple[str, str]:
    if ns is None:
        return key, key
    from checker.document import label

    return label(ns, key, "zh"), label(ns, key, "en")


def _expand_sets(params: dict[str, Any], sets: dict[str, Any], fmt: str, rule: Rule, path: Path) -> dict[str, Any]:
    out = dict(params)
    for k, v in params.items():
        if isinstance(v, str) and v.startswith("$"):
            items, ns = _set_for(sets, v[1:], fmt, rule, path)
            out[k] = items
            if ns:
                out["label_ns"] = ns
    return out
