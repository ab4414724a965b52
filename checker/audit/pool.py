"""The audit's worker processes: supervised, bounded in time, and never outliving the audit.

:class:`Pool` runs tasks (a function and its arguments) in ``jobs`` worker processes and
yields each task with its outcome as it completes. Unlike ``ProcessPoolExecutor`` it can stop
ONE task: a worker says, through a small shared array, which item of its task it is working
on and until when (:func:`mark`); when that time passes, or the worker dies (a crash, the
kernel's out-of-memory killer), the pool kills it, starts a new one, and yields the task with
:class:`Stopped` naming the item, so that the caller records that one report as failed and
sends the rest again. Nothing else is lost, and the audit goes on.

Every worker (and every process started with :func:`start_child`):

* dies with the audit's process: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux, and a
  watchdog thread that exits when the parent process is gone (any platform);
* ignores Ctrl-C (SIGINT goes to the whole terminal process group): the audit's process
  alone handles the interrupt and stops the workers, so nothing prints a traceback.

A pool worker's memory is bounded (:func:`checker.limits.bound_memory`): a task that goes past
it fails with ``MemoryError`` (or the worker dies), and the audit records that report alone.

The pool is driven by the thread that uses it (no management thread): tasks are sent and
results read between the caller's own steps, and workers are started (forked) from that thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any, Self

from checker import limits

_PR_SET_PDEATHSIG = 1
_WATCHDOG_SECONDS = 1.0
_POLL_SECONDS = 0.2

_slot: Any = None  # this worker's shared [deadline (monotonic clock), item index]; None outside a pool worker


def mark(index: int, seconds: float) -> None:
    """In a pool worker: from now on the task works on its item ``index`` (-1: the whole task) for at most
    ``seconds``. A no-op elsewhere (an in-process run, a Dask worker)."""
    slot = _slot
    if slot is not None:
        slot[0] = 0.0  # no deadline while the index changes
        slot[1] = float(index)
        slot[0] = time.monotonic() + seconds


@dataclass
class Stopped(Exception):
    """A task's worker was stopped: its item ``index`` (-1: the task as a whole) went over the time it
    was given (``timed_out``), or the worker died (``exitcode``)."""

    index: int
    timed_out: bool
    exitcode: int | None = None

    def __str__(self) -> str:
        if self.timed_out:
            return f"item {self.index} went over its time"
        return f"the worker died (exit code {self.exitcode}) on item {self.index}"


class TaskError(Exception):
    """An exception a task raised in its worker (its type name and message; the original may not pickle)."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(f"{kind}: {text}")
        self.kind, self.text = kind, text

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return TaskError, (self.kind, self.text)


class Feed:
    """The tasks a pool runs: an iterator that the consumer can add tasks to (retries) while it runs."""

    def __init__(self, tasks: Iterable[Any]) -> None:
        self._tasks = iter(tasks)
        self._pushed: deque[Any] = deque()

    def push(self, task: Any) -> None:
        """Run ``task`` too (before the remaining ones)."""
        self._pushed.append(task)

    def next(self) -> tuple[bool, Any]:
        """(True, the next task) or (False, None) when there is none now."""
        if self._pushed:
            return True, self._pushed.popleft()
        for task in self._tasks:
            return True, task
        return False, None


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _forking() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a child is forked: Python runs at-fork hooks (e.g. logging's) in both
    processes, and an interrupt raised inside one is printed and lost. The signal is delivered when the
    fork is done (in the parent; the child ignores it, see :func:`die_with_parent`)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def die_with_parent(parent: int) -> None:
    """In a child process: exit when the process ``parent`` is gone, ignore Ctrl-C (the parent handles it),
    and let SIGTERM end it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(_WATCHDOG_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="gkcheck-parent-watchdog", daemon=True).start()


def child_process(target: Callable[..., Any], *args: Any) -> multiprocessing.process.BaseProcess:
    """A process (not yet started: see :func:`start_child`) that runs ``target(*args)``, dies with this
    process and ignores Ctrl-C (Linux)."""
    return multiprocessing.get_context("fork").Process(target=_child_main, args=(os.getpid(), target, args),
                                                       daemon=True)


def start_child(proc: multiprocessing.process.BaseProcess) -> None:
    """Start a :func:`child_process`. Keep a reference to ``proc`` *before* calling this: an interrupt held
    during the fork is raised here once the child runs, and the caller must still be able to stop it."""
    with _forking():
        proc.start()


def _child_main(parent: int, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    die_with_parent(parent)
    try:
        target(*args)
    except BaseException:  # noqa: BLE001 - the parent sees the exit code (and runs it again itself)
        os._exit(1)


def _worker_main(conn: Connection, slot: Any, parent: int) -> None:
    global _slot
    die_with_parent(parent)
    limits.bound_memory()
    _slot = slot
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args, seconds = message
        mark(-1, seconds)
        try:
            reply: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:  # noqa: BLE001 - sent back, never lost
            reply = (False, TaskError(type(exc).__name__, str(exc)))
        slot[0] = 0.0
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - a result that does not pickle
            conn.send((False, TaskError(type(exc).__name__, str(exc))))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.slot = ctx.RawArray("d", 2)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, self.slot, os.getpid()), daemon=True)
        with _forking():
            self.proc.start()
        child.close()
        self.task: Any = None
        self.busy = False

    def kill(self) -> None:
        if self.proc.is_alive():
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):
                pass
        self.proc.join(5)
        self.conn.close()


class Pool:
    """``jobs`` supervised worker processes (see the module's description).

    Use as a context manager; leaving it by an exception (Ctrl-C) kills the workers at once.
    """

    def __init__(self, jobs: int, method: str | None = None) -> None:
        self.ctx = multiprocessing.get_context(method)
        self.jobs = jobs
        self.workers: list[_Worker] = [_Worker(self.ctx) for _ in range(jobs)]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(kill=kind is not None)

    def close(self, kill: bool = False) -> None:
        """Stop the workers: ask them to exit (or kill them), and wait."""
        for w in self.workers:
            if not kill and not w.busy:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + (0 if kill else 5)
        for w in self.workers:
            if not kill:
                w.proc.join(max(0.0, deadline - time.monotonic()))
            w.kill()
        self.workers = []

    def stream(self, fn: Callable[..., Any], feed: Feed, *args: Any,
               seconds: Callable[[Any], float]) -> Iterator[tuple[Any, Any]]:
        """Run ``fn(task, *args)`` for every task of ``feed``; yield (task, result) as each completes, where
        the result is :class:`Stopped` or :class:`TaskError` when the task did not complete.

        ``seconds(task)``: how long the task may run before the worker function first calls :func:`mark`.
        """
        while True:
            for w in self.workers:
                if not w.busy:
                    more, task = feed.next()
                    if not more:
                        break
                    w.conn.send((fn, (task, *args), seconds(task)))
                    w.task, w.busy = task, True
            busy = [w for w in self.workers if w.busy]
            if not busy:
                return
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], _POLL_SECONDS)
            for w in busy:
                outcome = self._outcome(w, ready)
                if outcome is None:
                    continue
                task, w.task, w.busy = w.task, None, False
                if isinstance(outcome, Stopped):
                    self._replace(w)
                yield task, outcome[1] if isinstance(outcome, tuple) else outcome

    def _outcome(self, w: _Worker, ready: list[Any]) -> tuple[bool, Any] | Stopped | None:
        """What became of ``w``'s task: (ok, value), Stopped, or None while it runs."""
        if w.conn in ready:
            try:
                return w.conn.recv()
            except (EOFError, OSError):
                pass  # died while sending: below
            except Exception as exc:  # noqa: BLE001 - a reply that does not unpickle here: the task failed
                return False, TaskError(type(exc).__name__, str(exc))
        deadline, index = w.slot[0], int(w.slot[1])
        if w.proc.sentinel in ready or not w.proc.is_alive():
            w.proc.join(1)
            return Stopped(index, False, exitcode=w.proc.exitcode)
        if deadline and time.monotonic() > deadline:
            return Stopped(int(w.slot[1]), True)
        return None

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.workers[self.workers.index(w)] = _Worker(self.ctx)
