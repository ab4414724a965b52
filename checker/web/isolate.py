"""Each check of ``gkcheck serve`` in a process of its own, stopped after ``REPORT_SECONDS``.

A worker thread cannot be stopped, so a file that keeps a reader busy (a pathological PDF left to
pdfminer, a LibreOffice conversion that hangs) would hold one of the server's few workers for
good, and enough of them would leave the page answering "busy" until a restart. Here the check
runs in a child process: when :data:`checker.limits.REPORT_SECONDS` pass, the child is killed and
the upload gets the bound's message, like a report the audit gives up on. The child's memory is
bounded too (:func:`checker.limits.bound_memory`, ``MEMORY_MB``).

Children are forked from a *fork server* (multiprocessing's ``forkserver``): one clean,
single-threaded process started once, which has imported the checker and compiled the bundled
rules (:mod:`checker.web.warm`), so a child starts in milliseconds with the rules ready, and
never inherits the server's threads or locks. Where there is no fork server (Windows), the check
runs in the calling thread, as before, without the time bound.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from collections.abc import Callable
from typing import Any, TypeVar

from checker import limits
from checker.errors import InputError

T = TypeVar("T")

_PRELOAD = ["checker.web.warm"]


def _context() -> Any:
    """The fork server's multiprocessing context, or None where there is none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def start() -> None:
    """Start the fork server now (it imports the checker and compiles the rules: about two seconds)."""
    context = _context()
    if context is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run(function: Callable[..., T], *args: Any, name: str) -> T:
    """``function(*args)`` in a child process, its value returned and its InputError raised here.

    Args:
        name: the file being checked, for the messages.

    Raises:
        InputError: the function's, or the time bound's (the child is killed), or a child that died.
    """
    context = _context()
    if context is None:
        return function(*args)
    seconds = limits.REPORT_SECONDS.value()
    receiver, sender = context.Pipe(duplex=False)
    memory = limits.MEMORY_MB.value()  # (the fork server's environment may be older than this process's)
    child = context.Process(target=_child, args=(sender, function, args, memory), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise limits.REPORT_SECONDS.exceeded(seconds, where_zh=f"检查文件 {name}", where_en=f"checking the file {name}")
        ok, value = receiver.recv()
    except EOFError:
        raise InputError(f"检查文件 {name} 的进程意外退出（可能是内存不足）。请确认文件无误后重试，或把文件另存为其他格式。",
                         f"The process checking {name} ended unexpectedly (out of memory?). Check the file, "
                         "or save it in another format, and try again.") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if ok:
        return value
    raise value


def _child(sender: multiprocessing.connection.Connection, function: Callable[..., Any], args: tuple[Any, ...],
           memory: int) -> None:
    """In the child: bound its memory to ``memory`` MB more, run, send (True, value) or (False, exception) back."""
    limits.bound_memory(memory)
    try:
        result: tuple[bool, Any] = (True, function(*args))
    except InputError as exc:
        result = (False, exc)
    except MemoryError:
        result = (False, limits.MEMORY_MB.exceeded(f">{memory}"))
    except Exception as exc:  # noqa: BLE001 - the server logs it as an internal error, with its text
        result = (False, RuntimeError(f"{type(exc).__name__}: {exc}"))
    sender.send(result)
    sender.close()
