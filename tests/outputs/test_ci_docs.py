"""Every snippet of docs/ci.md is exercised: the ``gkcheck`` commands run against generated
reports, the YAML is loaded and what it refers to is checked.

The snippets run in a scratch repository holding ``reports/`` (the defective and the clean
example, a Word report named as the docs name it, a report in a subfolder named like
``…年度政府信息公开工作报告.json``, a README and a package.json). Commands are split as a
shell would (``shlex``) and run in-process through ``checker.cli.main`` — the console
script's own entry — from the repository's root. Nothing runs a program from PATH.

* ``bash`` blocks: every line is a ``gkcheck`` command (comments aside) and exits 0 or 1.
* ``text`` blocks: sample output; every line (``…`` ends a shortened one) is in the output of
  the command the section shows.
* ``yaml`` blocks: a pre-commit configuration is run as pre-commit would run the hook (the
  hook's entry from ``.pre-commit-hooks.yaml``, the configuration's ``args``, the files its
  ``files`` pattern selects); a GitHub workflow and a GitLab job run their ``gkcheck``
  commands, allow only the other commands listed here, and the files they upload or keep as
  artifacts must exist and be what the platform expects.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CLEAN, DEFECTIVE, ROOT, Runner
from lxml import etree

sys.path.insert(0, str(ROOT / "tests" / "zoo"))
from documents import make_document
from forms import FORMS

DOC = ROOT / "docs" / "ci.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Commands in CI snippets that are not gkcheck and are not run here: (pattern, why).
OTHER_COMMANDS = {
    r"pip install gkcheck": "installs gkcheck (the tests run the code of this tree)",
    r'cat gkcheck\.md >> "\$GITHUB_STEP_SUMMARY"': "shows the Markdown file gkcheck wrote (checked to exist)",
}
JUNIT_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("jenkins-junit.xsd"))))


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch repository with reports/ (see the module docstring), as the working directory."""
    reports = tmp_path / "reports"
    (reports / "2024").mkdir(parents=True)
    (reports / DEFECTIVE.name).write_bytes(DEFECTIVE.read_bytes())
    (reports / CLEAN.name).write_bytes(CLEAN.read_bytes())
    (reports / "2024" / "青禾县人民政府2024年度政府信息公开工作报告.json").write_bytes(CLEAN.read_bytes())
    (reports / "2024年度报告.docx").write_bytes(FORMS["docx-merged"](make_document(random.Random(7)), random.Random(1))[1])
    (reports / "README.md").write_text("# 年报\n\n各年度的政府信息公开工作年度报告。\n", encoding="utf-8")
    (reports / "package.json").write_text('{"name": "reports"}', encoding="utf-8")
    (tmp_path / "README.md").write_text("# 仓库\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_gkcheck(gk: Runner, line: str) -> tuple[int, str, str]:
    words = shlex.split(line, comments=True)
    assert words[0] == "gkcheck", line
    assert not set(words) & {"|", "||", "&&", ";", ">", ">>", "<"}, f"a shell construct the test cannot run: {line}"
    code, out, err = gk(*words[1:])
    assert code in (0, 1), f"{line}\n{err}"
    return code, out, err


def commands(script: str | list[str]) -> list[str]:
    """The command lines of a ``run:`` value or a ``script:`` list."""
    lines = script if isinstance(script, list) else script.splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def run_ci_commands(gk: Runner, script: str | list[str]) -> list[str]:
    """Run the gkcheck commands of a script (their standard output returned); know the others."""
    outputs = []
    for line in commands(script):
        if line.startswith("gkcheck "):
            outputs.append(run_gkcheck(gk, line)[1])
        else:
            assert any(re.fullmatch(p, line) for p in OTHER_COMMANDS), f"a command the test does not know: {line}"
    return outputs


# ----------------------------------------------------------------------------------- the kinds of block


def test_every_block_is_of_a_kind_the_tests_exercise() -> None:
    kinds = [kind for kind, _ in blocks()]
    assert set(kinds) <= {"bash", "text", "yaml"}, kinds
    assert kinds.count("yaml") >= 4 and kinds.count("bash") >= 2


def test_bash_blocks_run(gk: Runner, repo: Path) -> None:
    ran = 0
    for kind, body in blocks():
        if kind != "bash":
            continue
        for line in body.splitlines():
            if shlex.split(line, comments=True):
                _, out, _ = run_gkcheck(gk, line)
                assert out, line
                ran += 1
    assert ran >= 4


def test_text_blocks_are_real_output(gk: Runner, repo: Path) -> None:
    samples = [body for kind, body in blocks() if kind == "text"]
    assert samples
    _, out, _ = gk("check", "reports/", "--format", "concise")
    actual = out.splitlines()
    for sample in samples:
        for line in sample.splitlines():
            if line.endswith("…"):
                assert any(a.startswith(line[:-1]) for a in actual), line
            else:
                assert line in actual, line


# ----------------------------------------------------------------------------------- YAML


def yaml_blocks() -> list[dict]:
    return [yaml.safe_load(body) for kind, body in blocks() if kind == "yaml"]


def test_precommit_configurations_run_as_precommit_would(gk: Runner, repo: Path) -> None:
    manifest = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    configs = [c for c in yaml_blocks() if "repos" in c]
    assert len(configs) >= 2
    every_file = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file())
    for config in configs:
        for hook in (h for r in config["repos"] for h in r["hooks"]):
            base = manifest[hook["id"]]
            pattern = re.compile(hook.get("files", base["files"]))
            files = [f for f in every_file if pattern.search(f)]
            entry = shlex.split(base["entry"])
            assert entry[0] == "gkcheck"
            hook_args = hook.get("args", base.get("args", []))
            args = [*entry[1:], *hook_args, *files]
            code, out, err = gk(*args)
            assert code == 1, err  # the defective example is among the files
            assert DEFECTIVE.name in out and "README.md" not in out and "package.json" not in out
            assert "已跳过" in err and "错误" not in err
            # a commit that changes only files that are not reports passes
            only_notes = [f for f in files if f.endswith(("README.md", "package.json"))]
            assert gk(*entry[1:], *hook_args, *only_notes)[0] == 0
            # report files are taken whatever their names
            assert any("年度政府信息公开工作报告.json" in f for f in files)


def test_github_workflow_runs_and_writes_what_it_uploads(gk: Runner, repo: Path) -> None:
    [workflow] = [c for c in yaml_blocks() if "jobs" in c]
    steps = workflow["jobs"]["gkcheck"]["steps"]
    [out] = [out for step in steps if "run" in step for out in run_ci_commands(gk, step["run"])]
    assert all(line.startswith(("::error ", "::warning ", "::notice ", "gkcheck: ")) for line in out.splitlines())
    assert f"::error file=reports/{DEFECTIVE.name},line=306,col=1,title=GK-T3-010 " in out
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()"
    sarif = json.loads(Path(upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert Path("gkcheck.md").read_text(encoding="utf-8").startswith(("### gkcheck", "> "))
    assert workflow["permissions"]["security-events"] == "write"


def test_gitlab_job_runs_and_writes_its_artifacts(gk: Runner, repo: Path) -> None:
    [job] = [c["gkcheck"] for c in yaml_blocks() if "gkcheck" in c and "script" in c["gkcheck"]]
    [out] = run_ci_commands(gk, job["script"])
    assert f"reports/{DEFECTIVE.name}:306:1: GK-T3-010 error " in out
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    quality = json.loads(Path(artifacts["reports"]["codequality"]).read_text(encoding="utf-8"))
    assert quality and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
                           for i in quality)
    assert all(i["location"]["path"].startswith("reports/") for i in quality)
    junit = etree.parse(artifacts["reports"]["junit"])
    assert JUNIT_XSD.validate(junit), JUNIT_XSD.error_log
    for path in artifacts["paths"]:
        assert Path(path).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
