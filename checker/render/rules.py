"""Rule catalogue outputs: ``gkcheck rules`` (text, markdown, json) and ``gkcheck explain``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from rich.console import Console
from rich.table import Table

from checker.loader import RuleSet, local_sets
from checker.messages import pick, term
from checker.model import CATEGORY_EN, Rule
from checker.render.names import severity_label
from checker.render.safe import json_text

if TYPE_CHECKING:
    from checker.wordings import Wording


def applies_text(rule: Rule, lang: str) -> str:
    """A short description of which reports the rule applies to."""
    a = rule.applies_to
    parts = []
    if rule.region is not None:
        parts.append(pick(lang, f"{rule.region.zh}的报告（地方规则，默认不启用）",
                          f"reports of {rule.region.en} (a local rule, off by default)"))
    if "formats" in a:
        parts.append(pick(lang, "、".join("2021年格式" if f == "2021" else "2019年试行格式" for f in a["formats"]),
                          ", ".join(f"{f} format" for f in a["formats"])))
    if "kinds" in a:
        parts.append(pick(lang, "、", ", ").join(term("kind", k, lang) for k in a["kinds"]))
    if "levels" in a:
        parts.append(pick(lang, "、", ", ").join(term("level", k, lang) for k in a["levels"]))
    if "year_min" in a:
        parts.append(pick(lang, f"{a['year_min']}年度及以后", f"years ≥ {a['year_min']}"))
    if "year_max" in a:
        parts.append(pick(lang, f"{a['year_max']}年度及以前", f"years ≤ {a['year_max']}"))
    return pick(lang, "；", "; ").join(parts)


def _severity(rule: Rule, lang: str) -> str:
    sev = severity_label(rule.severity, lang)
    if rule.escalate_at:
        sev += pick(lang, f"（{rule.escalate_at} 项及以上为错误）", f" (error when ≥{rule.escalate_at} fail)")
    return sev


def render_rules(ruleset: RuleSet, output_format: str, lang: str, console: Console) -> str | None:
    """The catalogue in ``output_format``: text (printed), markdown or json (returned)."""
    if output_format == "json":
        return json_text([_rule_dict(r, lang) for r in ruleset.rules], indent=2) + "\n"
    if output_format == "markdown":
        return _markdown(ruleset, lang)
    table = Table(show_lines=False)
    for zh, en in (("编号", "ID"), ("严重程度", "Severity"), ("类别", "Category"), ("标题", "Title"), ("依据", "Basis")):
        table.add_column(pick(lang, zh, en))
    for r in ruleset.rules:
        basis = r.basis.get(lang)
        title = r.title.get(lang) + (_local_mark(r, lang) if r.region is not None else "")
        table.add_row(r.id, _severity(r, lang), term("category", r.category, lang),
                      title, basis if len(basis) <= 40 else basis[:38] + "…")
    console.print(table)
    console.print(pick(lang, f"共 {len(ruleset.rules)} 条规则。运行 gkcheck explain 编号 查看详细说明。",
                       f"{len(ruleset.rules)} rules. Run 'gkcheck explain ID' for details."))
    for line in _local_lines(ruleset, lang):
        console.print(line)
    return None


def _local_mark(rule: Rule, lang: str) -> str:
    assert rule.region is not None
    return pick(lang, f"〔{rule.region.zh}·默认不启用〕", f" [{rule.region.en}; off by default]")


def _local_lines(ruleset: RuleSet, lang: str) -> list[str]:
    """One line per local rule set in ``ruleset``: its place, its rules, and how to switch it on."""
    out = []
    for found in local_sets():
        ids = [r.id for r in ruleset.rules if r.ruleset == found.ruleset]
        if not ids:
            continue
        out.append(pick(lang, f"地方规则集 {found.ruleset}（{found.region.zh}）：{'、'.join(ids)}，默认不启用；"
                              f"在 gkcheck.toml 中写 region = \"{found.names[0]}\"（或其所辖地区）、使用 --region，"
                              f"或在 rulesets 中列出 {found.ruleset} 时启用。",
                        f"Local rule set {found.ruleset} ({found.region.en}): {', '.join(ids)}, off by default; "
                        f"switched on by region = \"{found.names[0]}\" in gkcheck.toml (or a place within it), "
                        f"--region, or rulesets naming {found.ruleset}."))
    return out


def _rule_dict(r: Rule, lang: str) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "ruleset": r.ruleset, "title": r.title.get(lang),
            "severity": r.severity.value, "escalate_at": r.escalate_at, "weight": r.weight, "category": r.category,
            "basis": r.basis.get(lang), "basis_2019": r.basis_2019.get(lang) if r.basis_2019 else None,
            "unverified": r.unverified, "applies_to": r.applies_to,
            "region": {"zh": r.region.zh, "en": r.region.en} if r.region else None,
            "default_enabled": r.region is None,
            "check": r.check, "wordings": {w.name: w.as_data() for w in r.wordings},
            "doc": {k: getattr(r.doc, k).get(lang) for k in ("what", "why", "example_fail", "example_pass", "fix")}}


def _markdown(ruleset: RuleSet, lang: str) -> str:
    zh = lang != "en"
    lines = ["# gkcheck 规则目录" if zh else "# gkcheck rule catalogue", "",
             ("本文件由 `gkcheck rules --format markdown` 生成，请勿手工修改。" if zh else
              "Generated by `gkcheck rules --format markdown`; do not edit by hand."), "",
             "| 编号 | 名称 | 严重程度 | 类别 | 标题 |" if zh else "| ID | Name | Severity | Category | Title |",
             "|---|---|---|---|---|"]
    for r in ruleset.rules:
        title = r.title.get(lang) + (_local_mark(r, lang) if r.region is not None else "")
        lines.append(f"| [{r.id}](#{r.id.lower()}) | `{r.name}` | {_severity(r, lang)} | "
                     f"{r.category if zh else CATEGORY_EN[r.category]} | {title} |")
    local = _local_lines(ruleset, lang)
    if local:
        lines += ["", *local]
    families = ruleset.wordings
    if families:
        lines += ["", "措辞族：" if zh else "Wording families:", ""]
        lines += [f"- [`{w.name}`](#{w.name})：{w.title.zh}" if zh else f"- [`{w.name}`](#{w.name}): {w.title.en}"
                  for w in families.values()]
    for r in ruleset.rules:
        lines += ["", f"## {r.id}", "", f"**{r.title.get(lang)}** (`{r.name}`)", ""]
        lines += _details(r, lang, inline_wordings=False)
    if families:
        lines += ["", "## 措辞族（wordings）" if zh else "## Wording families", "", *_WORDINGS_INTRO[lang != "en"]]
        for w in families.values():
            users = [r.id for r in ruleset.rules if any(u.name == w.name for u in r.wordings)]
            lines += ["", f"## {w.name}", "", f"**{w.title.get(lang)}**", ""]
            lines += [("- **使用规则**：" if zh else "- **Used by**: ") + "、".join(f"[{u}](#{u.lower()})" for u in users),
                      ("- **规则集**：" if zh else "- **Rule set**: ") + w.ruleset]
            if w.doc is not None:
                lines += ["", w.doc.get(lang)]
            lines += ["", "```yaml", _wording_yaml(w), "```"]
    return "\n".join(lines) + "\n"


_WORDINGS_INTRO = {
    True: [("文本类规则认可的说法（同义的写法、否定的写法）写在规则文件的 `wordings:` 中，不写在程序里。"
            "每个措辞族有："),
           "",
           "- `match`：认可的说法，RE2 模式（见 checker/patterns.py），文本中任一处匹配即可；",
           ("- `unless`（可选）：否定或别的对象，如“暂无问题”“停车收费”：与某个匹配有重叠（至少共用一个字）的，"
            "这个匹配不算，同一文本中其他地方的匹配照常有效；"),
           ("- `examples`：必须匹配（`match`）和不得匹配（`no_match`）的例句。加载规则文件时逐句运行，"
            "例句不成立即为规则文件错误；测试（tests/test_wordings.py）也逐句运行。"),
           "",
           ("文本规则用 `wording: 名称` 要求文本中有这种说法（代替 `pattern`），用 `not_wording: 名称` 要求文本不能是"
            "这种说法（代替 `not_pattern`）；名称可以是 `for_each` 的变量（如 `'{side}'`）。一起加载的规则文件共用"
            "措辞族，名称重复为错误；没有定义的名称取自内置规则文件。")],
    False: [("What a text rule accepts as saying something (synonyms, negated forms) is written in the rule files "
             "under `wordings:`, not in the code. Each family has:"),
            "",
            "- `match`: the ways of saying it, RE2 patterns (see checker/patterns.py); a match anywhere in the text counts;",
            ("- `unless` (optional): negations or other objects, such as 暂无问题 (\"no problems for now\") or 停车收费 "
             "(parking charges): a match that one of them overlaps (shares a character with) does not count; matches "
             "elsewhere in the same text still do;"),
            ("- `examples`: sentences it must find (`match`) and must not find (`no_match`). They are run when the rule "
             "file is loaded (a failing example is a broken rule file) and by tests/test_wordings.py."),
            "",
            ("A text rule requires a family with `wording: name` (instead of `pattern`) and forbids one with "
             "`not_wording: name` (instead of `not_pattern`); the name may be a `for_each` variable such as `'{side}'`. "
             "The rule files loaded together share their families (a name defined twice is an error); a name none of "
             "them defines is taken from the bundled rule files.")],
}


def _wording_yaml(w: Wording) -> str:
    return yaml.safe_dump(w.as_data(), allow_unicode=True, sort_keys=False, width=1000).rstrip()


def _details(r: Rule, lang: str, inline_wordings: bool = True) -> list[str]:
    """A rule's documentation; the wording families it uses in full (``inline_wordings``) or as links."""
    zh = lang != "en"
    rows = [("严重程度" if zh else "Severity", _severity(r, lang)),
            ("权重" if zh else "Weight", str(r.weight)),
            ("类别" if zh else "Category", r.category if zh else CATEGORY_EN[r.category]),
            ("规则集" if zh else "Rule set", r.ruleset + ((f"（地方规则集，默认不启用；{r.region.zh}）" if zh else
                                                           f" (a local rule set, off by default; {r.region.en})")
                                                          if r.region is not None else "")),
            ("适用范围" if zh else "Applies to", applies_text(r, lang) or ("全部报告" if zh else "all reports")),
            (("依据（2021年度及以后的报告）" if zh else "Basis for reports of 2021 and later") if r.basis_2019 else
             ("依据" if zh else "Basis"), r.basis.get(lang)),
            *([("依据（2019、2020年度报告，适用2019年试行格式）" if zh else
                "Basis for reports of 2019 and 2020 (the 2019 trial format)", r.basis_2019.get(lang))]
              if r.basis_2019 else []),
            ("所据原文" if zh else "Source wording", ("未经核实（规则保持为警告或提示）" if zh else "unverified (kept as warning/info)")
             if r.unverified else ("已核实" if zh else "verified"))]
    out = [f"- **{k}**：{v}" if zh else f"- **{k}**: {v}" for k, v in rows]
    for key, zh_title, en_title in (("what", "检查什么", "What it checks"), ("why", "为什么重要", "Why it matters"),
                                    ("example_fail", "不合格示例", "Failing example"),
                                    ("example_pass", "合格示例", "Passing example"), ("fix", "如何修改", "How to fix")):
        out += ["", f"### {zh_title if zh else en_title}", "", getattr(r.doc, key).get(lang)]
    out += ["", "### 检查方式（规则文件原文）" if zh else "### The check (as written in the rule file)", "", "```yaml",
            yaml.safe_dump(r.check, allow_unicode=True, sort_keys=False).rstrip(), "```"]
    for w in r.wordings:
        if inline_wordings:
            out += ["", f"### 措辞族 {w.name}：{w.title.zh}" if zh else f"### Wording family {w.name}: {w.title.en}",
                    "", "```yaml", _wording_yaml(w), "```"]
        else:
            out += ["", f"措辞族 [`{w.name}`](#{w.name})：{w.title.zh}" if zh
                    else f"Wording family [`{w.name}`](#{w.name}): {w.title.en}"]
    return out


def render_explain(rule: Rule, lang: str, console: Console) -> None:
    """Print one rule's documentation."""
    from rich.markdown import Markdown

    text = "\n".join([f"# {rule.id} {rule.title.get(lang)}", "", f"`{rule.name}`", "", *_details(rule, lang)])
    console.print(Markdown(text))
