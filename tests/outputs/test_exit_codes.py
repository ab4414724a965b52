"""The exit-code contract documented in docs/ci.md: 0 passed, 1 failed, 2 usage/input/configuration error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, DEFECTIVE, Runner


def waive_all(gk: Runner, expires: str) -> str:
    """Waivers for every rule that fails on the defective example."""
    _, out, _ = gk(DEFECTIVE, "--format", "json")
    failing = sorted({f["rule_id"] for f in json.loads(out)["results"][0]["findings"]})
    return "".join(f'[[waivers]]\nrule = "{r}"\nfiles = ["*"]\nreason = "已批准的例外"\napprover = "李明"\n'
                   f"expires = {expires}\n" for r in failing)


@pytest.mark.parametrize(("config", "args", "expected"), [
    (None, [CLEAN], 0),
    (None, [DEFECTIVE], 1),
    (None, [DEFECTIVE, "--exit-zero"], 0),
    (None, [CLEAN, "--min-score", "100"], 0),
    (None, [DEFECTIVE, "--select", "GK-V"], 2),                  # leaves out whole families: not without
    (None, [DEFECTIVE, "--select", "GK-V", "--allow-partial-rules"], 0),  # only a warning left
    (None, [DEFECTIVE, "--select", "GK-V", "--fail-on", "warning", "--allow-partial-rules"], 1),
    ('select = ["GK-W"]\n', [DEFECTIVE, "--min-score", "60"], 2),  # a configuration beside the report
    ('ignore = ["GK"]\n', [DEFECTIVE, "--allow-partial-rules"], 2),  # nothing left to check
    ('ignore = ["GK-S-104"]\n', [CLEAN], 0),                      # one rule off: allowed, and shown
    ('select = ["GK-T3-999"]\n', [CLEAN], 2),                     # unknown rule in the configuration
    ("select = [\n", [CLEAN, "--exit-zero"], 2),                  # malformed configuration, even with --exit-zero
    (None, [CLEAN, "--select", "nope"], 2),
    (None, [CLEAN, "--output", "nope=x.txt", "--output", "y.txt"], 2),  # two plain output files
    (None, [CLEAN, "--config", "missing.toml"], 2),
    (None, [CLEAN, "--format", "pdf"], 2),
])
def test_exit_code(gk: Runner, reports: Path, monkeypatch: pytest.MonkeyPatch, config: str | None,
                   args: list[object], expected: int) -> None:
    monkeypatch.chdir(reports)
    if config is not None:
        (reports / "gkcheck.toml").write_text(config, encoding="utf-8")
    args = [reports / a.name if isinstance(a, Path) else a for a in args]
    assert gk(*args)[0] == expected


@pytest.mark.parametrize(("expires", "expected"), [("2099-12-31", 0), ("2020-01-01", 1)])
def test_waived_findings_never_fail_the_run_until_the_waiver_expires(gk: Runner, reports: Path, expires: str,
                                                                      expected: int) -> None:
    (reports / "gkcheck.toml").write_text(waive_all(gk, expires), encoding="utf-8")
    assert gk(reports / DEFECTIVE.name)[0] == expected


def test_several_outputs_in_one_run(gk: Runner, tmp_path: Path) -> None:
    targets = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "sarif", "junit", "markdown", "html")}
    code, out, _ = gk(DEFECTIVE, *[x for fmt, p in targets.items() for x in ("--output", f"{fmt}={p}")])
    assert code == 1 and "青禾县市场监督管理局" in out  # --format text still goes to the terminal
    assert all(p.stat().st_size > 500 for p in targets.values())
    code, _, err = gk(DEFECTIVE, "--output", f"json={DEFECTIVE}")
    assert code == 2 and "覆盖" in err
    code, _, err = gk(CLEAN, "--output", f"json={tmp_path / 'a'}", "--output", f"sarif={tmp_path / 'a'}")
    assert code == 2 and "同一个文件" in err
