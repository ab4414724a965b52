"""Shared fixtures for the top-level tests, and the fresh-machine guard.

The guard: on a fresh machine the only Python with gkcheck's packages is the one running the
tests (``sys.executable``, from the README's virtual environment). A test that starts a bare
``python``, ``python3``, ``pip``, ``pre-commit`` or ``pytest`` from PATH passes on a developer's
machine and fails on a fresh one. So for the whole session PATH starts with a folder of stand-ins
for those names that refuse to run and log the call; when any was called, the session fails
(``pytest_sessionfinish``), naming the command. ``tests/test_fresh_machine.py`` proves the guard.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import BARE_PROGRAMS, CORPUS, GUARD_LOG_ENV, load_base, stripped_corpus

_guard_dir: Path | None = None


def _install_path_guard() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gkcheck-path-guard-"))
    log = folder / "calls.log"
    log.touch()
    for name in BARE_PROGRAMS:
        shim = folder / name
        shim.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "{name} $*" >> "{log}"\n'
            f'echo "a test ran a bare \'{name}\' from PATH; use sys.executable -m ..." >&2\n'
            "exit 97\n", encoding="utf-8")
        shim.chmod(0o755)
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ[GUARD_LOG_ENV] = str(log)
    return folder


def pytest_configure(config: pytest.Config) -> None:
    global _guard_dir
    # A suite started in the background of a script (``bash .ci/run &``) inherits SIGINT ignored, and
    # so would every gkcheck it starts: the interrupt tests would then send a Ctrl-C nobody hears. A
    # handler set here is reset to the default in each child (at exec), as in a terminal.
    if os.name == "posix" and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if os.name == "posix" and GUARD_LOG_ENV not in os.environ:
        _guard_dir = _install_path_guard()
        # gkcheck's rule-file cache (checker/rulecache.py) goes to a folder of this session, not the
        # user's ~/.cache; every gkcheck the tests start inherits it
        cache = _guard_dir / "cache"
        cache.mkdir()
        os.environ["XDG_CACHE_HOME"] = str(cache)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _guard_dir is None:
        return
    calls = (_guard_dir / "calls.log").read_text(encoding="utf-8").strip()
    shutil.rmtree(_guard_dir, ignore_errors=True)
    if calls:
        reporter: Any = session.config.pluginmanager.get_plugin("terminalreporter")
        text = ("Tests ran programs from PATH instead of sys.executable "
                f"(they would fail on a fresh machine):\n{calls}")
        if reporter is not None:
            reporter.write_line(text, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def clean_doc() -> dict[str, Any]:
    """The clean 2024 example (2021 format)."""
    return load_base()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shared corpus without the collector's note lines (the product never sees
    them); tests using it are skipped when the corpus is absent."""
    if not (CORPUS / "text").is_dir():
        pytest.skip("../shared/corpus is not present")
    return stripped_corpus(tmp_path_factory.mktemp("corpus"))
