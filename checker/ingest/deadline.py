"""A wall-clock bound on reading one report file (:data:`checker.limits.REPORT_SECONDS`).

The bounds on size, inflated bytes, depth and field length keep every reader's memory in
proportion to its input, but not its time: pdfminer, a pure-Python PDF parser, grows a
long token by copying it at every step (a PDF of 1 MB holding one long string of escapes
takes a minute, 200 MB of inflated zeros hours). :func:`reading_deadline` stops such a
read: when the bound passes, :class:`~checker.errors.InputError` is raised in the reading
code, and raised again every second until the read ends, so that a library catching broad
exceptions cannot swallow it for good.

The alarm (``SIGALRM``) is only used where it belongs to nobody else: in the main thread,
on a system that has it, and when no other alarm is pending (an audit worker that keeps
its own time is left to it).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from checker import limits
from checker.errors import InputError, ReadingTimeout

_REPEAT_SECONDS = 1.0


@contextmanager
def reading_deadline(name: str) -> Iterator[None]:
    """Raise InputError inside the block once :data:`checker.limits.REPORT_SECONDS` have passed.

    Args:
        name: the file being read, for the message.
    """
    if (not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0)
            or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None)):
        yield
        return
    seconds = limits.REPORT_SECONDS.value()
    bound = limits.REPORT_SECONDS.exceeded(seconds, where_zh=f"读取文件 {name}", where_en=f"reading the file {name}")
    error = ReadingTimeout(bound.zh, bound.en)
    fired: list[InputError] = []

    def on_alarm(signum: int, frame: Any) -> None:
        fired.append(error)
        raise error

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    except Exception:
        if fired:  # whatever the reader made of the interruption, the cause is the bound
            raise error from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0, 0.0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # raised inside the reader and swallowed there: the read still went over the bound
        raise error
