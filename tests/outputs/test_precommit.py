"""gkcheck as a pre-commit hook in a scratch repository: a defective report is refused, a clean one passes.

The hook repository is a snapshot of this working tree (tracked and untracked, not ignored
files) committed into a temporary git repository, so the test exercises the current
``.pre-commit-hooks.yaml`` and code, and pre-commit installs gkcheck from it into its own
virtual environment (from the package index configured for pip). pre-commit and the hook's
environment are made with the interpreter running the tests, never a Python found on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A git repository with .pre-commit-config.yaml using this project's gkcheck hook, hook installed."""
    hook_repo = tmp_path_factory.mktemp("gkcheck-hook-repo")
    rev = snapshot(hook_repo)
    repo = tmp_path_factory.mktemp("reports-repo")
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"default_language_version:\n  python: {sys.executable}\n"
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: gkcheck\n", encoding="utf-8")
    (repo / "README.md").write_text("# 年度报告\n", encoding="utf-8")  # not a report: the hook leaves it alone
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", ".pre-commit-config.yaml", "README.md")
    first = subprocess.run(["git", "commit", "-q", "-m", "setup"], cwd=repo, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, env


def commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=repo, env=env, capture_output=True, text=True)


def test_defective_report_is_refused_and_clean_one_passes(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    report = repo / "reports" / "2024年度报告.json"
    report.parent.mkdir()
    report.write_bytes(DEFECTIVE.read_bytes())
    git(repo, "add", "reports")
    refused = commit(repo, env, "defective report")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "gkcheck" in output and "GK-T3-010" in output and "Failed" in output
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    report.write_bytes(CLEAN.read_bytes())
    git(repo, "add", "reports")
    accepted = commit(repo, env, "clean report")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"
