"""Read a YAML rule file safely: bounded size, aliases, nesting; no duplicate keys.

``yaml.safe_load`` builds no Python objects from tags, but it still accepts, silently:

* a "billion laughs" file, whose few aliases (``*name``) expand to billions of nodes when
  the data is walked (validated, expanded by ``for_each``, hashed): each alias is shared, not
  copied, by PyYAML, so the blow-up comes later and takes gigabytes;
* nesting thousands of levels deep (Python's recursion gives up with an internal error);
* the same key twice in one mapping (the second silently replaces the first: a rule edited
  in one place and not the other).

Before the data is built, :func:`load_yaml` reads the file's event stream (libyaml's
parser when present) and refuses it when the file is larger than ``limits.INPUT_MB``, when
its aliases, counted as if every one were expanded (an alias of a node that holds aliases
counts them all again), are more than ``limits.YAML_ALIASES``, when its nesting, aliases
expanded, is deeper than ``limits.DEPTH``, when an alias refers to a node that contains it,
or when a mapping repeats a key. Each refusal is a :class:`~checker.errors.RuleSetError`
naming the file and, where there is one, the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker import limits
from checker.errors import GkcheckError, RuleSetError

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_KEY = "<<"


@dataclass
class _Frame:
    """One open mapping or sequence."""

    mapping: bool
    anchor: str | None
    aliases: int = 0  # alias uses inside, as if expanded
    height: int = 1  # levels of collections, itself included
    keys: dict[Any, int] = field(default_factory=dict)  # key → line (mappings)
    expect_key: bool = True  # mappings: the next node is a key


def _as_rule_set_error(error: GkcheckError) -> RuleSetError:
    return RuleSetError(error.zh, error.en)


def load_yaml(path: Path, what_zh: str = "规则文件", what_en: str = "Rule file") -> Any:
    """The data of the YAML file ``path`` (safe tags only), after the checks above.

    Raises:
        RuleSetError: the file cannot be read, is not UTF-8, is not valid YAML, or fails a check.
    """
    where_zh, where_en = f"{what_zh} {path}", f"{what_en} {path}"
    try:
        size = path.stat().st_size
        if size > limits.INPUT_MB.bytes():
            raise _as_rule_set_error(limits.INPUT_MB.exceeded(f"{size / 2**20:.1f}", where_zh=where_zh,
                                                              where_en=where_en))
        raw = _read_bounded(path, limits.INPUT_MB.bytes())
    except OSError as exc:
        raise RuleSetError(f"无法读取{where_zh}：{exc.strerror}", f"Cannot read {where_en}: {exc.strerror}") from None
    if len(raw) > limits.INPUT_MB.bytes():  # grew since stat (or a device)
        raise _as_rule_set_error(limits.INPUT_MB.exceeded(f"> {limits.INPUT_MB.value()}", where_zh=where_zh,
                                                          where_en=where_en))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RuleSetError(f"{where_zh} 不是 UTF-8 编码。", f"{where_en} is not UTF-8.") from None
    try:
        check_events(text, where_zh, where_en)
        # The C implementation of the safe loader when libyaml is present: same rules as
        # yaml.safe_load (no tags that build Python objects), ten times faster.
        return yaml.load(text, Loader=_SAFE_LOADER)  # SafeConstructor only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own bound, met while scanning ahead
            line = f"第 {mark.line + 1} 行" if mark else ""
            raise _as_rule_set_error(limits.DEPTH.exceeded(
                f"> {limits.DEPTH.value()}", where_zh=f"{where_zh} {line}".strip(), where_en=where_en)) from None
        at_zh = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        at_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise RuleSetError(f"{where_zh} {at_zh}不是合法的 YAML：{problem}",
                           f"{where_en} is not valid YAML{at_en}: {problem}") from None


def _read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (read in pieces: nothing is allocated ahead)."""
    parts: list[bytes] = []
    got = 0
    with path.open("rb") as fh:
        while got <= limit:
            piece = fh.read(min(2**20, limit + 1 - got))
            if not piece:
                break
            parts.append(piece)
            got += len(piece)
    return b"".join(parts)


def check_events(text: str, where_zh: str, where_en: str) -> None:
    """Walk the YAML events of ``text``: bound the expanded aliases and depth; refuse duplicate keys."""
    max_aliases, max_depth = limits.YAML_ALIASES.value(), limits.DEPTH.value()
    stack: list[_Frame] = []
    done: dict[str, tuple[int, int]] = {}  # anchor → (alias uses inside, as if expanded; height)
    total = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if stack and stack[-1].mapping and stack[-1].expect_key:
                stack[-1].keys.setdefault(("complex", line), line)  # a collection as a key: never a duplicate
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), event.anchor))
            if len(stack) > max_depth:
                raise _as_rule_set_error(limits.DEPTH.exceeded(
                    len(stack), where_zh=f"{where_zh} 第 {line} 行", where_en=f"{where_en}, line {line}"))
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            if frame.anchor is not None:
                done[frame.anchor] = (frame.aliases, frame.height)
            if stack:
                parent = stack[-1]
                parent.aliases += frame.aliases
                parent.height = max(parent.height, frame.height + 1)
                _next(parent)
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in done:
                if any(f.anchor == event.anchor for f in stack):
                    raise RuleSetError(
                        f"{where_zh} 第 {line} 行：别名 *{event.anchor} 引用了包含它自己的内容（循环引用），无法展开。",
                        f"{where_en}, line {line}: the alias *{event.anchor} refers to a node that contains it.")
                continue  # an unknown anchor: the YAML parser reports it
            inside, height = done[event.anchor]
            total += 1 + inside
            if total > max_aliases:
                raise _as_rule_set_error(limits.YAML_ALIASES.exceeded(
                    total, where_zh=f"{where_zh} 第 {line} 行（别名按展开后计数）",
                    where_en=f"{where_en}, line {line} (aliases counted as expanded)"))
            if len(stack) + height > max_depth:
                raise _as_rule_set_error(limits.DEPTH.exceeded(
                    len(stack) + height, where_zh=f"{where_zh} 第 {line} 行", where_en=f"{where_en}, line {line}"))
            if stack:
                stack[-1].aliases += 1 + inside
                stack[-1].height = max(stack[-1].height, height + 1)
                if stack[-1].mapping and stack[-1].expect_key:
                    stack[-1].keys.setdefault(("alias", line), line)
                _next(stack[-1])
            continue
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                done[event.anchor] = (0, 0)
            if stack:
                frame = stack[-1]
                if frame.mapping and frame.expect_key and event.value != _MERGE_KEY:
                    key = (event.value, bool(event.implicit and event.implicit[0]))
                    first = frame.keys.get(key)
                    if first is not None:
                        raise RuleSetError(
                            f"{where_zh} 第 {line} 行：键“{event.value}”重复（第 {first} 行已有同一个键）。"
                            "同一层中的键不能重复，否则后写的会悄悄覆盖先写的；请删去或合并其中一处。",
                            f"{where_en}, line {line}: the key '{event.value}' is repeated (first on line {first}); "
                            "the second would silently replace the first.")
                    frame.keys[key] = line
                _next(frame)


def _next(frame: _Frame) -> None:
    if frame.mapping:
        frame.expect_key = not frame.expect_key
