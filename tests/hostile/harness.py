"""Run gkcheck as a user would on a hostile input, with a bound on time and memory.

Each hostile try is a :class:`Case`: it builds its input in a fresh folder, names the
command line, and says what must come out: the exit code, a phrase of the message, and
the most time and memory it may take. :func:`run_case` runs ``python -m checker`` in its
own process group (``sys.executable``, never a program from PATH), kills the whole group
when the time bound passes, and measures the child's peak memory with ``wait4``.

What every case must also show: no Python traceback and no "internal error" message.

With ``GKCHECK_HOSTILE_LOG`` set to a file, each run appends one JSON line (case id,
exit code, seconds, peak MB) so that a closing note can give the matrix's counts and
the largest time and memory any hostile input took.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import checker

#: A safety net under every run, far above any bound a case asserts: a regression must
#: fail its case, not take the machine down with it.
_ADDRESS_SPACE_CAP = 12 * 1024**3

INTERNAL_ERROR_MARKS = ("Traceback (most recent call last)", "内部错误", "internal error")


@dataclass(frozen=True)
class Run:
    """What one command did."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: bool  # the time bound passed and the process group was killed

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Case:
    """One hostile try.

    Attributes:
        id: a short name, shown by pytest.
        build: makes the input in the given folder and returns the arguments after ``gkcheck``.
        exit: the exit code (or codes) allowed.
        message: phrases that must all appear in stdout+stderr (e.g. the Chinese message).
        seconds: the most wall-clock time the command may take.
        memory_mb: the most memory (peak RSS) the command may take.
        env: extra environment variables.
        check: further assertions on the run and the folder, if any.
        during: called in a thread with the running process and the folder, once the process
            has started (e.g. to send it a signal once it has begun writing an output).
    """

    id: str
    build: Callable[[Path], Sequence[str]]
    exit: int | frozenset[int]
    message: tuple[str, ...] = ()
    seconds: float = 60.0
    memory_mb: float = 1500.0
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[Run, Path], None] | None = None
    during: Callable[[subprocess.Popen[bytes], Path], None] | None = None


def run_gkcheck(args: Sequence[str], *, cwd: Path, seconds: float, env: dict[str, str] | None = None,
                stdin: bytes | None = None,
                during: Callable[[subprocess.Popen[bytes], Path], None] | None = None) -> Run:
    """Run ``python -m checker ARGS`` in its own process group; kill the group after ``seconds``.

    ``during``, if given, is called in a thread with the process and ``cwd`` once it has started.
    """
    # The child runs the same checker this test process imported (a worktree, a checkout or
    # the installed package), whatever folder it is started in.
    code_root = str(Path(checker.__file__).resolve().parent.parent)
    python_path = os.pathsep.join(p for p in (code_root, os.environ.get("PYTHONPATH", "")) if p)
    full_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "PYTHONPATH": python_path, **(env or {})}

    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=cwd, env=full_env,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    resource.prlimit(proc.pid, resource.RLIMIT_AS, (_ADDRESS_SPACE_CAP, _ADDRESS_SPACE_CAP))
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(seconds, kill)
    timer.start()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()))  # type: ignore[misc]
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    peak_kb = [0]
    done = threading.Event()
    watcher = threading.Thread(target=_watch_memory, args=(proc.pid, peak_kb, done), daemon=True)
    watcher.start()
    if during is not None:
        readers.append(threading.Thread(target=during, args=(proc, cwd), daemon=True))
        readers[-1].start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    done.set()
    watcher.join(timeout=5)
    timer.cancel()
    try:  # workers left behind by a killed parent would hold the pipes open
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for r in readers:
        r.join(timeout=10)
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream is not None:
            stream.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(returncode=proc.returncode, stdout=b"".join(out).decode("utf-8", "replace"),
               stderr=b"".join(err).decode("utf-8", "replace"), seconds=elapsed,
               peak_mb=(peak_kb[0] or usage.ru_maxrss) / 1024, killed=killed.is_set())


def _watch_memory(pid: int, peak_kb: list[int], done: threading.Event) -> None:
    """The largest VmHWM (peak resident memory since exec) of ``pid`` and its children, polled.

    ``wait4``'s ``ru_maxrss`` cannot be used alone: a child forked from a large test process
    starts with that process's peak (Linux records the old memory's high-water mark at exec),
    so a long test session would make every run look as large as pytest itself.
    """
    while not done.is_set():
        for p in _family(pid):
            try:
                with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            peak_kb[0] = max(peak_kb[0], int(line.split()[1]))
                            break
            except (OSError, ValueError):
                pass
        done.wait(0.02)


def _family(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc/PID/task/PID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            pass
    return found


def run_case(case: Case, folder: Path) -> Run:
    """Build the case's input in ``folder``, run it, and assert everything the case promises."""
    args = list(case.build(folder))
    run = run_gkcheck(args, cwd=folder, seconds=case.seconds, env=case.env, during=case.during)
    _log(case, run)
    assert not run.killed, f"{case.id}: still running after {case.seconds} s"
    for mark in INTERNAL_ERROR_MARKS:
        assert mark not in run.output, f"{case.id}: {mark!r} in output:\n{run.output[-3000:]}"
    allowed = case.exit if isinstance(case.exit, frozenset) else frozenset({case.exit})
    assert run.returncode in allowed, f"{case.id}: exit {run.returncode}, expected {sorted(allowed)}:\n{run.output[-3000:]}"
    for phrase in case.message:
        assert phrase in run.output, f"{case.id}: {phrase!r} not in output:\n{run.output[-3000:]}"
    assert run.peak_mb <= case.memory_mb, f"{case.id}: peak memory {run.peak_mb:.0f} MB > {case.memory_mb} MB"
    if case.check is not None:
        case.check(run, folder)
    return run


def _log(case: Case, run: Run) -> None:
    target = os.environ.get("GKCHECK_HOSTILE_LOG")
    if not target:
        return
    line = json.dumps({"case": case.id, "exit": run.returncode, "seconds": round(run.seconds, 2),
                       "peak_mb": round(run.peak_mb, 1), "killed": run.killed}, ensure_ascii=False)
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
