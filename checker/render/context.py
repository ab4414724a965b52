"""What every renderer needs besides the results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checker.loader import RuleSet
from checker.model import Finding, Rule
from checker.verdict import Policy


@dataclass(frozen=True)
class RenderContext:
    """Rendering options shared by all formats.

    Attributes:
        ruleset: the rules that were run (titles, basis, fixes).
        lang: "zh" (default) or "en".
        policy: the pass/fail policy (shown in outputs).
        explain_score: print how the score was computed.
        console: a ``rich.console.Console`` for the text renderer (injected for tests).
        documents: the checked report documents by source (the HTML report redraws their tables).
        notices: run-level findings that belong to no report (waivers covering no checked report).
        config_file: the configuration file of the run, as shown to the user ("" when none).
        verbose: also show JSON Pointers and the lines no reader sees (PDF, HTML source) in the reports for
            people (text, HTML, Markdown, JUnit); JSON and SARIF always have them.
        show_unassessed: list every rule that could not be judged, with its reason, in the text report
            (the HTML report always has the list, folded).
    """

    ruleset: RuleSet
    lang: str = "zh"
    policy: Policy = Policy()
    explain_score: bool = False
    console: Any = None
    documents: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    notices: tuple[Finding, ...] = ()
    config_file: str = ""
    verbose: bool = False
    show_unassessed: bool = False

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        return self.ruleset.by_id[rule_id]

    def basis(self, f: Finding) -> str:
        """The basis of a finding's rule as chosen for its report (the rule's own when the finding has none)."""
        return (f.basis or self.rule(f.rule_id).basis).get(self.lang)

    def t(self, zh: str, en: str) -> str:
        """Pick the text for the current language."""
        return en if self.lang == "en" else zh
