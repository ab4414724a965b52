"""Generated documentation stays in step with the rules."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from checker import compiled_ruleset
from checker.loader import default_files
from checker.render.rules import render_rules

ROOT = Path(__file__).resolve().parents[1]


def test_rules_md_is_up_to_date() -> None:
    expected = render_rules(compiled_ruleset(default_files()).ruleset, "markdown", "zh", Console())
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `gkcheck rules --format markdown > docs/rules.md`"


def test_limits_md_lists_every_limit_with_its_default() -> None:
    from checker import limits

    table = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for limit in (*limits.ALL, *limits.WEB):
        assert f"| `{limit.env}` | {limit.default} |" in table, f"docs/limits.md lacks {limit.env}"
