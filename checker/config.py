"""Configuration: ``gkcheck.toml`` (or ``[tool.gkcheck]`` in ``pyproject.toml``).

Discovery: from the directory of the checked file (with several files, their deepest
common directory) upward, the first directory holding ``gkcheck.toml``, or a
``pyproject.toml`` with a ``[tool.gkcheck]`` table, wins (``gkcheck.toml`` first in one
directory). ``--config PATH`` names the file; ``--no-config`` disables it.

The file is parsed with :mod:`tomllib` and validated against ``schemas/config.schema.json``;
every problem is a :class:`~checker.errors.RuleSetError` naming the file, the line and the
problem (exit code 2). The configuration is applied to the loaded rules as pure functions
returning a new :class:`~checker.loader.RuleSet`, before compiling:

* ``select`` / ``ignore`` (ids, kebab names or id prefixes): for each rule the most specific
  matching entry decides — a kebab name or full id first, then the longest id prefix; on a
  tie ``ignore`` wins. Without ``select`` every rule is selected. Command-line ``--select`` /
  ``--ignore`` replace the file's list of the same name.
* ``[severity]``: per-rule severity (id or name → error | warning | info).
* ``[deadlines]``: local publication deadlines per agency kind (``"MM-DD"`` of the year after
  the report year), only ever earlier than the statutory one; they become the deadline of
  rule GK-D-005 ``local-deadline-missed``, which stays not applicable without them.
* ``rulesets``: bundled rule-set ids and/or rule files (relative to the configuration file).
* ``region``: where the agencies are (e.g. ``"甘肃省武威市"``); it switches on the bundled local rule
  sets of that place (a rule set file with a ``region``: see :func:`checker.loader.local_sets`),
  which run nowhere else. ``--region`` on the command line replaces it. A local rule set also runs
  when ``rulesets`` (or ``--rules``) names it; otherwise it is off, and not listed as a rule not run.
* ``[[waivers]]`` (or a separate ``waivers-file``): see :mod:`checker.waivers`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

import jsonschema
import numpy as np
import pandas as pd

from checker import limits
from checker.api import compiled_ruleset
from checker.compile import compile_ruleset
from checker.errors import RuleSetError
from checker.formats import KINDS
from checker.frame import meta_col
from checker.kinds.base import Payload
from checker.kinds.timing import PublishedWindow
from checker.loader import LocalSet, RuleSet, default_files, local_sets, standard_files
from checker.model import Configuration, LocalRuleSet, Rule, Severity
from checker.resources import load_schema
from checker.ruleguard import changes_of, guard
from checker.run import Configured
from checker.safeyaml import load_yaml
from checker.waivers import Waiver

CONFIG_FILE, PYPROJECT = "gkcheck.toml", "pyproject.toml"
LOCAL_DEADLINE_RULE = "GK-D-005"
LOCAL_RULESET = "local"
# The statutory deadlines (《条例》第四十九条), month and day of the year after the report year.
STATUTORY = {"department": (1, 31), "government": (3, 31), "office": (3, 31)}


@dataclass(frozen=True)
class Config:
    """A loaded configuration (empty when none was found).

    Attributes:
        path: the configuration file, or None.
        select: rules to run (ids, names, id prefixes); empty means all.
        ignore: rules not to run.
        severity: rule id or name → severity.
        deadlines: agency kind → (month, day) of the local deadline.
        rulesets: rule files to load (resolved), empty for the bundled ones.
        waivers: the waivers, rule references not yet resolved.
        region: where the checked reports' agencies are ("" when not set): enables local rule sets.
    """

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)
    rulesets: tuple[Path, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    region: str = ""
    cli: frozenset[str] = frozenset()
    """The keys (``select``, ``ignore``, ``region``) given on the command line instead of the file."""

    @property
    def shown(self) -> str:
        """The file name as shown in messages (relative to the working directory when inside it)."""
        return shown_path(self.path) if self.path else ""

    def with_cli(self, select: Sequence[str] = (), ignore: Sequence[str] = (), region: str | None = None) -> Config:
        """A copy where non-empty command-line ``--select`` / ``--ignore`` replace the file's lists, and
        ``--region`` its region."""
        cli = frozenset(k for k, v in (("select", select), ("ignore", ignore), ("region", region)) if v)
        return replace(self, select=tuple(select) or self.select, ignore=tuple(ignore) or self.ignore,
                       region=region.strip() if region and region.strip() else self.region, cli=cli)

    @property
    def local(self) -> list[LocalSet]:
        """The bundled local rule sets the configured region enables."""
        return [s for s in local_sets() if s.enabled_by(self.region)] if self.region else []


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else Path(rel).as_posix()


# ----------------------------------------------------------------------------------------- discovery


def discover(files: Sequence[str]) -> Path | None:
    """The configuration file for ``files``: searched upward from their deepest common directory."""
    if not files:
        return None
    dirs = [_folder_of(f) for f in files]
    start = Path(os.path.commonpath([str(d) for d in dirs]))
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _folder_of(file: str) -> Path:
    """The folder a report is in, links followed; a path that cannot be resolved (a link loop) as written.

    Such a path is refused with its own message when the report is read.
    """
    try:
        return Path(file).resolve().parent
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return Path(os.path.abspath(file)).parent


def _has_tool_table(pyproject: Path) -> bool:
    data = _parse_toml(pyproject)
    return isinstance(data.get("tool"), dict) and "gkcheck" in data["tool"]


# ----------------------------------------------------------------------------------------- reading


def load_config(path: str | Path) -> Config:
    """Read, validate and interpret one configuration file."""
    path = Path(path)
    data = _parse_toml(path)
    table: Any = data
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("gkcheck") if isinstance(data.get("tool"), dict) else None
        if not isinstance(table, dict):
            raise RuleSetError(f"配置文件 {shown_path(path)} 中没有 [tool.gkcheck] 表。",
                               f"Configuration file {shown_path(path)} has no [tool.gkcheck] table.")
    return config_from_table(table, path, path.read_text(encoding="utf-8"))


def config_from_table(table: dict[str, Any], path: Path, text: str = "") -> Config:
    """Validate and interpret a configuration table read from ``path`` (whose TOML ``text`` gives lines)."""
    plain = _jsonable(table)
    _validate(plain, "#", path, text)
    base = path.resolve().parent
    waivers = _waivers(plain.get("waivers", []), path, text, base)
    if "waivers-file" in plain:
        waivers += _waivers_file(base / plain["waivers-file"], base)
    return Config(
        path=path,
        select=tuple(plain.get("select", ())), ignore=tuple(plain.get("ignore", ())),
        severity={k: Severity(v) for k, v in plain.get("severity", {}).items()},
        deadlines=_deadlines(plain.get("deadlines", {}), path, text),
        rulesets=tuple(_ruleset_files(plain.get("rulesets", ()), path, text, base)),
        waivers=tuple(waivers), region=plain.get("region", "").strip())


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
        if size > limits.INPUT_MB.bytes():
            error = limits.INPUT_MB.exceeded(f"{size / 2**20:.1f}", where_zh=f"配置文件 {shown_path(path)}",
                                             where_en=f"Configuration file {shown_path(path)}")
            raise RuleSetError(error.zh, error.en)
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleSetError(f"无法读取配置文件 {shown_path(path)}：{exc.strerror}",
                           f"Cannot read configuration file {shown_path(path)}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RuleSetError(f"配置文件 {shown_path(path)} 不是 UTF-8 编码。",
                           f"Configuration file {shown_path(path)} is not UTF-8.") from None
    except RecursionError:
        error = limits.DEPTH.exceeded(_bracket_depth(raw), where_zh=f"配置文件 {shown_path(path)}",
                                      where_en=f"Configuration file {shown_path(path)}")
        raise RuleSetError(error.zh, error.en) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        problem, where_zh, where_en = str(exc), "", ""
        if found:
            problem = found.group(1)
            where_zh = f"第 {found.group(2)} 行第 {found.group(3)} 列"
            where_en = f" line {found.group(2)}, column {found.group(3)}"
        elif str(exc).endswith("(at end of document)"):
            problem = str(exc).removesuffix(" (at end of document)")
            last = raw.decode("utf-8").count("\n") or 1
            where_zh, where_en = f"第 {last} 行（文件末尾）", f" line {last} (end of file)"
        raise RuleSetError(f"配置文件 {shown_path(path)} {where_zh}不是合法的 TOML：{_toml_problem_zh(problem)}",
                           f"Configuration file {shown_path(path)}{where_en} is not valid TOML: {problem}") from None
    depth = _depth(data)
    if depth > limits.DEPTH.value():
        error = limits.DEPTH.exceeded(depth, where_zh=f"配置文件 {shown_path(path)}",
                                      where_en=f"Configuration file {shown_path(path)}")
        raise RuleSetError(error.zh, error.en)
    return data


# tomllib's messages (Python 3.11) in Chinese, most specific first; the original follows in brackets.
_TOML_PROBLEMS = (
    ("Cannot overwrite a value", "同一个键写了两次（或给已有的值又赋了一次值），请删去或合并其中一处"),
    ("Cannot declare", "同一个表（[…]）声明了两次，请把两处合并为一处"),
    ("Duplicate inline table key", "内联表 {…} 中同一个键写了两次"),
    ("Cannot mutate immutable namespace", "内联表或数组定义后不能再向其中添加键"),
    ("Cannot redefine namespace", "这个名称已经是一个值，不能再作为表使用"),
    ("Expected '=' after a key", "键的后面缺少“=”"),
    ("Invalid initial character for a key part", "键名中有不允许的字符（含中文等字符的键名请加双引号）"),
    ("Invalid value", "值的写法不对（字符串要加引号，日期写作 YYYY-MM-DD）"),
    ("Unclosed array", "数组缺少右方括号“]”"),
    ("Unclosed inline table", "内联表缺少右花括号“}”"),
    ("Unterminated string", "字符串缺少结束引号"),
    ("Unescaped '\\' in a string", "字符串中的反斜杠“\\”需写作“\\\\”，或改用单引号字符串"),
    ("Illegal character", "字符串中有不允许的控制字符"),
    ("Invalid date or datetime", "日期或时间无效"),
    ("Expected ']' at the end of a table declaration", "表头缺少右方括号“]”"),
    ("Expected ']]' at the end of an array declaration", "表数组的表头缺少“]]”"),
    ("Invalid statement", "这一行不是“键 = 值”或“[表]”"),
    ("Invalid hex value", "\\u 转义后的十六进制数无效"),
)


def _toml_problem_zh(problem: str) -> str:
    for start, zh in _TOML_PROBLEMS:
        if problem.startswith(start):
            return f"{zh}（{problem}）"
    return problem


def _bracket_depth(raw: bytes) -> int:
    """The deepest nesting of brackets and braces in a TOML text (strings not told apart: for a message)."""
    depth = deepest = 0
    for byte in raw:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


def _depth(value: Any) -> int:
    """Nesting depth of parsed TOML data (tables and arrays)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _jsonable(value: Any) -> Any:
    """TOML values as JSON values: dates and times become ISO strings."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _validate(data: Any, ref: str, path: Path, text: str) -> None:
    schema = load_schema("config.schema.json")
    root = schema if ref == "#" else {"$defs": schema["$defs"], "$ref": ref}
    validator = jsonschema.Draft202012Validator(root)
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    first = min(line_of(text, list(e.absolute_path)[:2]) or 0 for e in errors)  # the first problem in the file
    error = jsonschema.exceptions.best_match(
        e for e in errors if (line_of(text, list(e.absolute_path)[:2]) or 0) == first)
    keys = list(error.absolute_path)
    if error.validator == "additionalProperties" and "'" in error.message:
        keys.append(error.message.split("'")[1])
    dotted = ".".join(str(k) for k in keys) or "（文件根）"
    line = line_of(text, keys)
    at_zh = f"第 {line} 行 " if line else ""
    at_en = f" line {line}," if line else ""
    raise RuleSetError(f"配置文件 {shown_path(path)} {at_zh}{dotted}：{_problem_zh(error)}",
                       f"Configuration file {shown_path(path)}{at_en} {dotted}: {error.message}")


def _problem_zh(error: jsonschema.ValidationError) -> str:
    v = error.validator
    if v == "additionalProperties":
        return "不认识的配置项（可用的配置项见 docs/outputs.md）"
    if v == "required":
        return f"缺少必填项：{error.message.split(chr(39))[1] if chr(39) in error.message else error.message}"
    if v == "enum":
        return f"值 {error.instance!r} 不在允许范围内，可选值：{'、'.join(map(str, error.validator_value))}"  # type: ignore[arg-type]  # the stubs allow validator_value's unset default; an enum error has the list
    if v == "type":
        return f"值 {error.instance!r} 的类型不对（应为 {error.validator_value}）"
    if v == "pattern":
        return f"值 {error.instance!r} 的格式不对（期限写作 \"MM-DD\"，日期写作 YYYY-MM-DD）"
    if v == "anyOf":
        return "豁免必须用 files（报告路径）或 agencies（机关名称）说明适用于哪些报告"
    if v in ("minLength", "minItems", "minProperties"):
        return "不能为空"
    return error.message


_HEADER = re.compile(r"^\s*\[\[?\s*(?:tool\.gkcheck\.)?([A-Za-z0-9_.\"-]+?)\s*\]\]?\s*(#.*)?$")


def line_of(text: str, keys: Sequence[Any]) -> int | None:
    """The 1-based line in a TOML ``text`` where the value at ``keys`` is written, if found.

    Knows the shapes a configuration is written in: top-level keys, ``[table]`` and
    ``[[array]]`` headers (also under ``tool.gkcheck``), and keys inside them.
    """
    lines = text.splitlines()
    if not keys:
        return None
    head, rest = str(keys[0]), list(keys[1:])
    start = None
    if rest and isinstance(rest[0], int):
        headers = [i for i, ln in enumerate(lines) if (m := _HEADER.match(ln)) and m.group(1) == head
                   and ln.strip().startswith("[[")]
        if rest[0] < len(headers):
            start, rest = headers[rest[0]], rest[1:]
    if start is None:
        start = next((i for i, ln in enumerate(lines) if (m := _HEADER.match(ln)) and m.group(1) == head), None)
    if start is None:
        return _key_line(lines, head, 0)
    if not rest:
        return start + 1
    return _key_line(lines, str(rest[0]), start + 1) or start + 1


def _key_line(lines: list[str], key: str, begin: int) -> int | None:
    pattern = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
    for i in range(begin, len(lines)):
        if i > begin and lines[i].lstrip().startswith("[") and begin:
            return None
        if pattern.match(lines[i]):
            return i + 1
    return None


def _deadlines(table: dict[str, str], path: Path, text: str) -> dict[str, tuple[int, int]]:
    out = {}
    for kind, value in table.items():
        month, day = (int(x) for x in value.split("-"))
        line = line_of(text, ["deadlines", kind])
        where = f"{shown_path(path)}{f' 第 {line} 行' if line else ''} deadlines.{kind} = \"{value}\""
        try:
            dt.date(2023, month, day)  # a common year: 02-29 is no yearly deadline
        except ValueError:
            raise RuleSetError(f"配置文件 {where}：没有这一天。", f"{where}: no such day.") from None
        statutory = STATUTORY.get(kind)
        if statutory and (month, day) > statutory:
            legal = f"{statutory[0]:02d}-{statutory[1]:02d}"
            raise RuleSetError(
                f"配置文件 {where}：本地期限晚于《条例》第四十九条规定的法定期限 {legal}。"
                "地方规定只能把期限提前，不能放宽；法定期限由 GK-D-001、GK-D-002 检查。",
                f"Configuration {where}: the local deadline is later than the statutory {legal} "
                "(Regulations Art. 49); a local date may only be earlier.")
        out[kind] = (month, day)
    return out


def _ruleset_files(entries: Iterable[str], path: Path, text: str, base: Path) -> list[Path]:
    bundled = {p.stem: p for p in default_files()}
    out = []
    for entry in entries:
        if entry in bundled:
            out.append(bundled[entry])
            continue
        file = base / entry
        if not file.is_file():
            line = line_of(text, ["rulesets"])
            close = difflib.get_close_matches(entry, bundled, n=3, cutoff=0.5)
            hint = f"是否想写：{'、'.join(close)}？" if close else f"内置规则集：{'、'.join(bundled)}。"
            raise RuleSetError(
                f"配置文件 {shown_path(path)}{f' 第 {line} 行' if line else ''} rulesets：“{entry}”既不是内置规则集，"
                f"也不是存在的规则文件。{hint}",
                f"Configuration file {shown_path(path)} rulesets: '{entry}' is neither a bundled rule set nor a file.")
        out.append(file)
    return out


def _waivers(items: list[dict[str, Any]], path: Path, text: str, base: Path) -> list[Waiver]:
    out = []
    for i, item in enumerate(items):
        line = line_of(text, ["waivers", i])
        try:
            expires = dt.date.fromisoformat(item["expires"])
        except ValueError:
            raise RuleSetError(f"配置文件 {shown_path(path)}{f' 第 {line} 行' if line else ''} 的豁免："
                               f"expires = {item['expires']!r} 不是有效日期。",
                               f"{shown_path(path)} waiver: expires {item['expires']!r} is not a date.") from None
        out.append(Waiver(item["rule"], tuple(item.get("files", ())), tuple(item.get("agencies", ())),
                          item["reason"], item["approver"], expires, shown_path(path), line, base))
    return out


def _waivers_file(path: Path, base: Path) -> list[Waiver]:
    data = _jsonable(_parse_toml(path))
    text = path.read_text(encoding="utf-8")
    _validate(data, "#/$defs/waivers_file", path, text)
    return _waivers(data["waivers"], path, text, base)


# ----------------------------------------------------------------------------------------- applying


def find_config(files: Sequence[str], explicit: str | None = None, disabled: bool = False) -> Config:
    """The configuration for a run: ``explicit`` if given, else discovered from ``files``; empty when disabled."""
    if disabled:
        return Config()
    path = Path(explicit) if explicit else discover(files)
    return load_config(path) if path else Config()


def configured_ruleset(config: Config, cli_rules: Sequence[str] = (),
                       allow_partial: bool = False) -> Configured:
    """The compiled rules for a run under ``config``, and its waivers resolved against the rules.

    The rule set carries what the configuration changed (:class:`~checker.model.Configuration`,
    shown by every output) and a fingerprint of its rules and configuration. A configuration
    that switches off too much is refused unless ``allow_partial`` (``--allow-partial-rules``;
    see :mod:`checker.ruleguard`); one that switches off everything always is.

    Waivers are resolved against all loaded rules, so a waiver for a rule that is not
    selected is not an error (it is simply not applied).

    Raises:
        RuleSetError: a broken rule file or configuration, or a configuration that leaves too little.
    """
    base = compiled_ruleset(rule_files(config, cli_rules))
    ruleset = apply_config(base.ruleset, config)
    baseline = base.ruleset
    if config.rulesets and not cli_rules:  # the file chose the rule sets: the bundled ones left out count
        baseline = _with_bundled(base.ruleset)  # (the standard ones: a local rule set is off unless chosen)
    sources = {key: (f"--{key}" if key in config.cli else config.shown) for key in
               ("select", "ignore", "severity", "rulesets", "region")}
    deselected, severities = changes_of(baseline, base.ruleset, ruleset, config.select, sources)
    guard(baseline, ruleset, [*deselected, *severities], allow_partial)
    configuration = Configuration(config.shown, deselected, severities,
                                  {k: f"{m:02d}-{d:02d}" for k, (m, d) in config.deadlines.items()}, allow_partial,
                                  config.region, _local_in_run(base.ruleset, config, cli_rules, sources))
    if ruleset is base.ruleset:
        compiled = replace(base, ruleset=replace(ruleset, configuration=configuration))  # same instances
    else:
        compiled = compile_ruleset(replace(ruleset, configuration=configuration))
    return Configured(compiled, resolve_waivers(config, base.ruleset))


def _with_bundled(loaded: RuleSet) -> RuleSet:
    """``loaded`` with the bundled rules it lacks added first (the baseline of a ``rulesets`` choice)."""
    bundled = compiled_ruleset().ruleset
    ids = {r.id for r in bundled.rules}
    extra = [r for r in loaded.rules if r.id not in ids]
    extra_ids = {r.id for r in extra}
    return RuleSet((*bundled.rules, *extra),
                   (*bundled.instances, *(i for i in loaded.instances if i.rule.id in extra_ids)),
                   bundled.files, bundled.versions)


def _local_in_run(loaded: RuleSet, config: Config, cli_rules: Sequence[str],
                  sources: dict[str, str]) -> tuple[LocalRuleSet, ...]:
    """The local rule sets the run loaded, each with the key that enabled it and where that key was set."""
    by_region = {s.ruleset for s in config.local}
    out = []
    for found in local_sets():
        if found.ruleset not in loaded.versions:
            continue
        if found.ruleset in by_region:
            key, source = "region", sources["region"]
        elif cli_rules:
            key, source = "rules", "--rules"
        else:
            key, source = "rulesets", sources["rulesets"]
        out.append(LocalRuleSet(found.ruleset, found.region, found.rules, key, source))
    return tuple(out)


def rule_files(config: Config, cli_rules: Sequence[str]) -> list[Path] | None:
    """The rule files to load: ``--rules`` first, then the configuration's, else the bundled ones that
    run by default (None); the local rule sets of the configured region are added to either.

    The bundled ``local`` rule set is always added to a chosen list: its rules report on the
    configuration itself (local deadlines, waivers).
    """
    chosen = [Path(p) for p in cli_rules] or list(config.rulesets)
    regional = [s.path for s in config.local]
    if not chosen:
        return [*standard_files(), *regional] if regional else None
    local = next((p for p in default_files() if p.stem == LOCAL_RULESET), None)
    ids = {_ruleset_id(p) for p in chosen} - {None}
    for extra in (local, *regional):
        if (extra is not None and all(p.resolve() != extra.resolve() for p in chosen)
                and _ruleset_id(extra) not in ids):  # a copy of it chosen (e.g. all rule files copied) stands for it
            chosen.append(extra)
    return chosen


def _ruleset_id(path: Path) -> str | None:
    """The ``ruleset`` id a rule file declares (None when it cannot be read here: the loader then says why)."""
    try:
        return _declared_id(path.resolve(), path.stat().st_mtime_ns)
    except (OSError, RuntimeError):
        return None


@functools.lru_cache(maxsize=64)
def _declared_id(path: Path, mtime_ns: int) -> str | None:
    try:
        data = load_yaml(path)
    except RuleSetError:
        return None
    value = data.get("ruleset") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def apply_config(ruleset: RuleSet, config: Config) -> RuleSet:
    """A new rule set with the configuration's select/ignore, severities and deadlines applied.

    Raises:
        RuleSetError: a rule reference names no rule (with the closest ids suggested).
    """
    if not (config.select or config.ignore or config.severity or config.deadlines):
        return ruleset
    refs = _References(ruleset, config.shown or "命令行")
    for key, patterns in (("select", config.select), ("ignore", config.ignore)):
        for p in patterns:
            refs.prefix(p, key)
    severity = {refs.exact(k, "severity").id: v for k, v in config.severity.items()}
    kept = {r.id for r in ruleset.rules if selected(r, config.select, config.ignore)}
    rules: dict[str, Rule] = {}
    for r in ruleset.rules:
        if r.id in kept:
            rules[r.id] = replace(r, severity=severity[r.id]) if r.id in severity else r
    if LOCAL_DEADLINE_RULE in rules and config.deadlines:
        rules[LOCAL_DEADLINE_RULE] = replace(rules[LOCAL_DEADLINE_RULE],
                                             applies_to={"kinds": sorted(config.deadlines, key=KINDS.index)})
    instances = []
    for inst in ruleset.instances:
        if inst.rule.id not in rules:
            continue
        inst = replace(inst, rule=rules[inst.rule.id])
        if inst.rule.id == LOCAL_DEADLINE_RULE and config.deadlines:
            inst = replace(inst, check=LocalDeadline(config.deadlines, config.shown))
        instances.append(inst)
    return RuleSet(tuple(rules.values()), tuple(instances), ruleset.files, ruleset.versions, ruleset.digests)


def resolve_waivers(config: Config, ruleset: RuleSet) -> tuple[Waiver, ...]:
    """The configuration's waivers with their rule ids resolved against ``ruleset``."""
    out = []
    for w in config.waivers:
        refs = _References(ruleset, f"{w.origin}{f' 第 {w.line} 行' if w.line else ''}")
        out.append(replace(w, rule_id=refs.exact(w.rule, "waivers.rule").id))
    return tuple(out)


def selected(rule: Rule, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether ``rule`` runs: the most specific matching entry decides; ignore wins a tie.

    A kebab name or full id is the most specific match, then the longest id prefix. Without
    ``select`` every rule is selected (as by an empty prefix).
    """
    best: tuple[int, bool] | None = (0, True) if not select else None
    for patterns, enable in ((select, True), (ignore, False)):
        for p in patterns:
            strength = _strength(rule, p)
            if strength is None:
                continue
            if best is None or strength > best[0] or (strength == best[0] and not enable):
                best = (strength, enable)
    return best is not None and best[1]


def _strength(rule: Rule, pattern: str) -> int | None:
    if pattern == rule.name or pattern.upper() == rule.id.upper():
        return 1000
    if rule.id.upper().startswith(pattern.upper()):
        return len(pattern)
    return None


class _References:
    """Resolves rule references in the configuration, with suggestions for unknown ones.

    A reference to a rule of a bundled local rule set that is not loaded (its region not
    configured) is no error: a configuration shared by several places may name it; it changes
    nothing where the set is off.
    """

    def __init__(self, ruleset: RuleSet, origin: str) -> None:
        self.ruleset, self.origin = ruleset, origin

    def exact(self, ref: str, key: str) -> Rule:
        rule = self.ruleset.find(ref) or _off_local_rules(self.ruleset).find(ref)
        if rule is None:
            self._unknown(ref, key)
        return rule

    def prefix(self, ref: str, key: str) -> None:
        if not any(_strength(r, ref) is not None for r in self.ruleset.rules) and \
                _off_local_rules(self.ruleset).find(ref) is None:
            self._unknown(ref, key)

    def _unknown(self, ref: str, key: str) -> NoReturn:
        ids = [r.id for r in self.ruleset.rules]
        families = sorted({i.rsplit("-", 1)[0] for i in ids})
        typed = ref.upper().replace("O", "0").replace("I", "1")  # letters typed for digits
        close = difflib.get_close_matches(typed, ids + families, n=3, cutoff=0.5)
        close += difflib.get_close_matches(ref, [r.name for r in self.ruleset.rules], n=2, cutoff=0.6)
        hint_zh = f"是否想写：{'、'.join(close)}？" if close else "运行 gkcheck rules 查看全部规则。"
        hint_en = f"Did you mean: {', '.join(close)}?" if close else "Run 'gkcheck rules' for the list."
        raise RuleSetError(f"{self.origin} {key}：没有编号、名称或编号前缀为“{ref}”的规则。{hint_zh}",
                           f"{self.origin} {key}: no rule has the id, name or id prefix '{ref}'. {hint_en}")


def _off_local_rules(loaded: RuleSet) -> RuleSet:
    """The rules of the bundled local rule sets that ``loaded`` does not hold (for references to them)."""
    off = [s.path for s in local_sets() if s.ruleset not in loaded.versions]
    if not off:
        return RuleSet((), (), (), {})
    return compiled_ruleset(off).ruleset


class LocalDeadline(PublishedWindow):
    """``published_window`` with the deadline taken from the configuration, per agency kind.

    Rows of a kind without a configured deadline are never violated; the rule's
    applicability (set to the configured kinds by :func:`apply_config`) keeps them
    not applicable.
    """

    def __init__(self, deadlines: dict[str, tuple[int, int]], origin: str) -> None:
        super().__init__()
        self.by_kind = {KINDS.index(k): v for k, v in deadlines.items()}
        self.origin = origin
        self.columns = [*self.columns, meta_col("kind")]

    def _bounds(self, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        year = df[meta_col("year")].to_numpy()
        kind = df[meta_col("kind")].to_numpy()
        late = np.full(year.shape, np.inf)
        for i, (y, k) in enumerate(zip(year, kind)):
            if np.isfinite(y) and int(k) in self.by_kind:
                month, day = self.by_kind[int(k)]
                late[i] = dt.date(int(y) + 1, month, day).toordinal()
        return np.full(year.shape, -np.inf), late

    def details(self, df: pd.DataFrame, rows: np.ndarray, docs: list[dict[str, Any]]) -> list[list[Payload]]:
        return [[replace(p, values={**p.values, "config": self.origin}) for p in payloads]
                for payloads in super().details(df, rows, docs)]
