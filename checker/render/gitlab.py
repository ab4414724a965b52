"""GitLab Code Quality report (``--format gitlab``): a JSON array of issues for
``artifacts:reports:codequality``, shown in the merge request widget and on the changed lines.

Each finding is one issue with the fields GitLab requires:

* ``description``: the rule id and the message in ``--lang`` (with the page or table cell where
  the source map has one; a waived finding ends with its waiver);
* ``check_name``: the rule id;
* ``fingerprint``: SHA-256 of the file path, the rule id and the JSON Pointer of the finding —
  never of the message, whose numbers change as the report is corrected, so that GitLab
  recognises the same issue across commits. Findings of one rule at one pointer (a rule that
  names several missing topics of one part) are numbered in their order: the second and later
  ones add their number to the hash, as GitLab keeps only the first issue of a fingerprint;
* ``severity``: error → ``major``, warning → ``minor``, info → ``info``, a waived finding →
  ``info`` (GitLab's scale is info, minor, major, critical, blocker; gkcheck's errors are
  compliance defects, not ``critical`` or ``blocker`` breakages, and this is the mapping of
  common linters, so gkcheck's issues sort among theirs);
* ``location.path`` (the file as given on the command line, ``./`` removed: run gkcheck from
  the repository's root with relative paths) and ``location.lines.begin`` (as ``concise``: 1
  when no line is known).

A reading notice that keeps a report from passing (``table-unread``, ``text-incomplete``) is
an issue too, with ``check_name`` ``gkcheck/<code>`` and severity ``major``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from checker.model import ReportResult, Severity
from checker.render.concise import notice_line, where_suffix
from checker.render.context import RenderContext
from checker.render.safe import json_text
from checker.render.sources import finding_line
from checker.verdict import UNDECIDABLE

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report_path(source: str) -> str:
    """The path GitLab and GitHub show a finding on: as given, with ``/`` separators and no ``./``."""
    path = source.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return str(PurePosixPath(path)) if path else source


def fingerprint(*parts: str, occurrence: int = 0) -> str:
    """A stable hash of the parts (and the occurrence after the first)."""
    key = "\x1f".join(parts) + (f"\x1f{occurrence}" if occurrence else "")
    # surrogatepass: a lone surrogate (from a file name) still gives a stable key
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issues(result: ReportResult, ctx: RenderContext) -> list[dict[str, Any]]:
    """The Code Quality issues of one report."""
    path = report_path(result.source)
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for n in result.notices:
        if n.code in UNDECIDABLE:
            key = (f"gkcheck/{n.code}", n.target)
            out.append(_issue(n.message.get(ctx.lang), key[0], fingerprint(path, *key, occurrence=seen[key]),
                              "major", path, notice_line(n, result.source)))
            seen[key] += 1
    for f in result.findings:
        key = (f.rule_id, f.pointer)
        text = f"{f.rule_id} {f.message.get(ctx.lang)}{where_suffix(f.location, ctx)}"
        if f.waived:
            text += ctx.t(f"（已豁免：{f.waived}）", f" (waived: {f.waived})")
        out.append(_issue(text, f.rule_id, fingerprint(path, *key, occurrence=seen[key]),
                          "info" if f.waived else SEVERITY[f.severity], path, finding_line(f, result.source) or 1))
        seen[key] += 1
    return out


def _issue(description: str, check: str, print_: str, severity: str, path: str, line: int) -> dict[str, Any]:
    return {"type": "issue", "description": description, "check_name": check, "fingerprint": print_,
            "severity": severity, "location": {"path": path, "lines": {"begin": int(line)}}}


def render_gitlab(results: Sequence[ReportResult], ctx: RenderContext) -> str:
    """The run as a GitLab Code Quality report (pretty-printed JSON; ``[]`` when nothing was found)."""
    return json_text([issue for r in results for issue in issues(r, ctx)], indent=2) + "\n"
