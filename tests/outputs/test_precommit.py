"""gkcheck as a pre-commit hook in a scratch repository: a defective report is refused, a clean one passes.

The hook repository is a snapshot of this working tree (tracked and untracked, not ignored
files) committed into a temporary git repository, so the test exercises the current
``.pre-commit-hooks.yaml`` and code, and pre-commit installs gkcheck from it into its own
virtual environment (from the package index configured for pip). pre-commit and the hook's
environment are made with the interpreter running the tests, never a Python found on PATH.

The configuration is the one ``docs/ci.md`` shows with ``files`` and ``args`` (its ``repo`` and
``rev`` replaced by the snapshot): the documented ``args`` must work, report files must be
taken whatever their names, and files that are not reports must be skipped quietly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CLEAN, DEFECTIVE, ROOT

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install 'pre-commit>=3.0')")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

GIT_ENV = {"GIT_AUTHOR_NAME": "gkcheck test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "gkcheck test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def snapshot(target: Path) -> str:
    """Commit the current working tree of this project into ``target``; returns the commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            dst = target / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD").stdout.strip()


def documented_config() -> dict:
    """The last .pre-commit-config.yaml of docs/ci.md that uses the gkcheck hook (the one with args)."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.DOTALL)
    configs = [yaml.safe_load(b) for b in blocks if "id: gkcheck" in b]
    assert configs and configs[-1]["repos"][0]["hooks"][0].get("args"), "docs/ci.md shows no hook with args"
    return configs[-1]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A git repository with .pre-commit-config.yaml using this project's gkcheck hook, hook installed."""
    hook_repo = tmp_path_factory.mktemp("gkcheck-hook-repo")
    rev = snapshot(hook_repo)
    repo = tmp_path_factory.mktemp("reports-repo")
    git(repo, "init", "-q")
    config = documented_config()
    config["repos"][0].update(repo=str(hook_repo), rev=rev)
    config["default_language_version"] = {"python": sys.executable}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (repo / "README.md").write_text("# 年度报告\n", encoding="utf-8")  # outside reports/: not looked at
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", ".pre-commit-config.yaml", "README.md")
    first = subprocess.run(["git", "commit", "-q", "-m", "setup"], cwd=repo, env=env, capture_output=True, text=True,
                           check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, env


def commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=repo, env=env, capture_output=True, text=True, check=False)


def commits(repo: Path) -> str:
    return git(repo, "rev-list", "--count", "HEAD").stdout.strip()


def test_defective_report_is_refused_and_clean_one_passes(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    (repo / "reports").mkdir()
    # files that are not reports, under the hook's extensions: skipped quietly, the commit passes
    (repo / "reports" / "README.md").write_text("# 说明\n\n政府信息公开工作年度报告按年份存放。\n", encoding="utf-8")
    (repo / "reports" / "package.json").write_text('{"name": "reports", "private": true}', encoding="utf-8")
    git(repo, "add", "reports")
    quiet = commit(repo, env, "notes")
    assert quiet.returncode == 0 and "Passed" in quiet.stdout + quiet.stderr, quiet.stdout + quiet.stderr
    assert commits(repo) == "2"

    report = repo / "reports" / "青禾县市场监督管理局2024年度政府信息公开工作报告.json"  # any name is taken
    report.write_bytes(DEFECTIVE.read_bytes())
    git(repo, "add", "reports")
    refused = commit(repo, env, "defective report")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output and f"reports/{report.name}:306:1: GK-T3-010 error " in output  # --format concise
    assert "╭" not in output  # no panels
    assert commits(repo) == "2"

    warned = json.loads(CLEAN.read_text(encoding="utf-8"))
    warned["tables"]["requests"]["unavailable"]["needs_creation"]["research"] = None  # a blank cell: a warning
    report.write_text(json.dumps(warned, ensure_ascii=False, indent=1), encoding="utf-8")
    git(repo, "add", "reports")
    refused = commit(repo, env, "a warning")  # args: [--fail-on, warning]
    assert refused.returncode != 0 and "GK-V-001 warning" in refused.stdout + refused.stderr
    assert commits(repo) == "2"

    report.write_bytes(CLEAN.read_bytes())
    git(repo, "add", "reports")
    accepted = commit(repo, env, "clean report")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert commits(repo) == "3"
