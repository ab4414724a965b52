"""The fresh-machine guard of ``tests/conftest.py``: a test that runs a bare interpreter or tool
from PATH makes the whole session fail, and the tests themselves never name one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from gk_testlib import BARE_PROGRAMS, GUARD_LOG_ENV

TESTS = Path(__file__).resolve().parent


def test_guard_is_installed_and_refuses_bare_programs() -> None:
    assert GUARD_LOG_ENV in os.environ
    log = Path(os.environ[GUARD_LOG_ENV])
    before = log.read_text(encoding="utf-8")
    shim = log.parent / "python3"
    done = subprocess.run([str(shim), "-c", "print(1)"], capture_output=True, text=True)
    assert done.returncode == 97 and "sys.executable" in done.stderr
    log.write_text(before, encoding="utf-8")  # the probe is not a violation


def test_a_suite_running_bare_python_fails(tmp_path: Path) -> None:
    """A throw-away suite whose test runs ``python3`` from PATH fails under this conftest."""
    (tmp_path / "conftest.py").write_text((TESTS / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "gk_testlib.py").write_text((TESTS / "gk_testlib.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_bare.py").write_text(
        "import subprocess\n\n"
        "PROGRAM = 'python3'  # from PATH: what a test must never do\n\n"
        "def test_runs_bare_python():\n"
        "    subprocess.run([PROGRAM, '-c', 'pass'])\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != GUARD_LOG_ENV}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "python3 -c pass" in done.stdout


def test_no_test_names_a_bare_program() -> None:
    """Static backstop: no test passes a bare program name as the first argument of a command."""
    names = "|".join(re.escape(n) for n in BARE_PROGRAMS)
    pattern = re.compile(rf"""\[\s*['"](?:{names})['"]""")
    offenders = [f"{p.relative_to(TESTS)}:{i}" for p in TESTS.rglob("*.py") if p.name != "test_fresh_machine.py"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
