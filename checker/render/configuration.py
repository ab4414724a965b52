"""What every output says about the run's configuration (see :class:`checker.model.Configuration`).

A configuration that changes what is checked is never silent: each renderer shows the
configuration file, how many rules did not run (per family, and why) and which rules run at
another severity, in its own format, from the lines and the dict made here.
"""

from __future__ import annotations

from typing import Any

from checker.loader import RuleSet
from checker.model import Severity

_SEVERITY_ZH = {s.value: s.zh for s in Severity}
_KEY_ZH = {"select": "select（只运行）", "ignore": "ignore（不运行）", "rulesets": "rulesets（规则集）",
           "region": "region（地区）"}


def configuration_lines(ruleset: RuleSet, lang: str = "zh") -> list[str]:
    """The configuration of the run in a few lines of plain text (none when nothing to show)."""
    conf = ruleset.configuration
    if not conf.shown:
        return []
    en = lang == "en"
    lines = []
    if conf.file:
        lines.append(f"Configuration file: {conf.file}" if en else f"配置文件：{conf.file}")
    if conf.deselected:
        families = conf.families()
        per = ("，".join if not en else ", ".join)(f"{f} {n}" for f, n in families.items())
        by = dict.fromkeys((c.source, c.key) for c in conf.deselected)
        if en:
            how = "; ".join(f"{key} of {source}" if not source.startswith("--") else source for source, key in by)
            lines.append(f"Rules not run: {len(conf.deselected)} ({per}), left out by {how}. "
                         "The verdict covers only the rules that ran.")
        else:
            how = "、".join(f"{source} 的 {_KEY_ZH.get(key, key)}" if not source.startswith("--")
                           else f"命令行选项 {source}" for source, key in by)
            lines.append(f"未运行的规则：共 {len(conf.deselected)} 条（{per}），由 {how} 停用。"
                         "检查结论只涉及运行了的规则。")
    if conf.severities:
        items = [f"{c.rule_id} {c.before}→{c.after}" if en else
                 f"{c.rule_id} {_SEVERITY_ZH.get(c.before, c.before)}→{_SEVERITY_ZH.get(c.after, c.after)}"
                 for c in conf.severities]
        lines.append(("Severity changed by the configuration: " if en else "配置调整了严重程度：")
                     + ("; ".join(items) if en else "；".join(items)))
    if conf.deadlines:
        items = [f"{kind} {day}" for kind, day in conf.deadlines.items()]
        lines.append(("Local deadlines: " if en else "本地公布期限：") + ", ".join(items))
    for local in conf.local:
        cli = local.source.startswith("--")
        region = conf.region if local.key == "region" and conf.region else ""
        if en:
            by_en = local.source if cli else f"{local.key} of {local.source}"
            lines.append(f"Local rule set {local.ruleset} ({local.region.en}: {', '.join(local.rules)}), enabled by "
                         f"{by_en}{f' ({region})' if region else ''}.")
        else:
            by_zh = f"命令行选项 {local.source}" if cli else f"{local.source} 的 {_KEY_ZH.get(local.key, local.key)}"
            lines.append(f"地方规则集：{local.ruleset}（{local.region.zh}：{'、'.join(local.rules)}），"
                         f"由 {by_zh}{f'（{region}）' if region else ''}启用。")
    if conf.region and not any(local.key == "region" for local in conf.local):
        lines.append(f"Region: {conf.region} (no bundled local rule set for it)." if en else
                     f"地区：{conf.region}（没有这一地区的内置地方规则集）。")
    if conf.partial_allowed:
        lines.append("--allow-partial-rules: running part of the rules was allowed." if en else
                     "已使用 --allow-partial-rules：允许只运行部分规则。")
    return lines


def configuration_dict(ruleset: RuleSet) -> dict[str, Any]:
    """The ``configuration`` field of the JSON and SARIF outputs (see ``schemas/result.schema.json``)."""
    return ruleset.configuration.to_dict()
