"""The commands ``rules`` and ``explain``, and the terminal console of every command.

They read the rule catalogue (:func:`checker.rulecache.catalogue`), not the compiled rule set,
so that they import neither pandas nor pandera.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from checker.cli import _LANGS
from checker.errors import RuleSetError
from checker.render.safe import TerminalConsole
from checker.verdict import PASSED

if TYPE_CHECKING:
    from checker.loader import RuleSet


def _catalogue(rule_files: tuple[str, ...]) -> RuleSet:
    """The rule set of ``--rules`` files (default: every bundled one), for listing and explaining.

    The bundled files come from the catalogue cache; files given with ``--rules`` are compiled
    as ``check`` compiles them (so that every error in them is reported).
    """
    from checker.loader import default_files, load_ruleset
    from checker.rulecache import catalogue

    if rule_files:
        from checker.api import compiled_ruleset

        return compiled_ruleset(rule_files).ruleset
    return catalogue(default_files(), load_ruleset)


class _Console(TerminalConsole):
    """A console that prints no escape sequence from report text, and whose reader may go away."""

    def on_broken_pipe(self) -> None:
        # Rich would exit 1 (the code for "findings"); main() exits quietly with BROKEN_PIPE.
        self.quiet = True
        raise BrokenPipeError


def _console(color: str, file: Any = None) -> Console:
    """The console for terminal output: strings printed are never parsed for markup or emoji codes
    (a report's ``[bold red]`` or ``:warning:`` is shown as written), and report text cannot
    print escape sequences (see :class:`checker.render.safe.TerminalConsole`)."""
    force = {"always": True, "never": False}.get(color)
    no_color = color == "never" or (color == "auto" and "NO_COLOR" in os.environ)
    return _Console(file=file, force_terminal=force, no_color=no_color, highlight=False, soft_wrap=False,
                    markup=False, emoji=False)


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="输出格式")
@click.option("--lang", type=_LANGS, default="zh", show_default=True, help="输出语言")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False), help="规则文件（默认内置）")
def rules_cmd(output_format: str, lang: str, rule_files: tuple[str, ...]) -> int:
    """列出全部规则（编号、严重程度、类别、标题、依据），包括默认不启用的地方规则。"""
    ruleset = _catalogue(rule_files)
    from checker.render.rules import render_rules

    text = render_rules(ruleset, output_format, lang, _console("auto"))
    if text is not None:
        sys.stdout.write(text)
    return PASSED


@click.command()
@click.argument("rule")
@click.option("--lang", type=_LANGS, default="zh", show_default=True, help="输出语言")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False), help="规则文件（默认内置）")
def explain(rule: str, lang: str, rule_files: tuple[str, ...]) -> int:
    """查看一条规则的说明：检查什么、为什么、示例、如何修改。RULE 为编号或名称。"""
    ruleset = _catalogue(rule_files)
    found = ruleset.find(rule)
    if found is None:
        import difflib
        keys = [r.id for r in ruleset.rules] + [r.name for r in ruleset.rules]
        close = difflib.get_close_matches(rule, keys, n=3, cutoff=0.5)
        hint = f"。是否想查看：{'、'.join(close)}？" if close else "。运行 gkcheck rules 查看全部规则。"
        raise RuleSetError(f"没有编号或名称为“{rule}”的规则{hint}", f"No rule with id or name '{rule}'.")
    from checker.render.rules import render_explain

    render_explain(found, lang, _console("auto"))
    return PASSED
