"""Writing outputs safely: never half a file, never over an input.

* :func:`atomic_writer`, :func:`atomic_binary_writer`, :func:`write_atomic`: every output goes to a temporary file in
  the same folder and is renamed into place only when complete (``os.replace`` is atomic
  on one file system), so a run killed while writing leaves the previous file intact
  and no partial one.
* :func:`same_file`: whether two paths name the same file, by device and inode, so that
  hard links, symbolic links and different spellings of one path are all recognised.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """A text file whose content replaces ``path`` only when the ``with`` block ends without error."""
    with _atomic(Path(path)) as fd, os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


@contextmanager
def atomic_binary_writer(path: str | Path) -> Iterator[IO[bytes]]:
    """As :func:`atomic_writer`, for bytes."""
    with _atomic(Path(path)) as fd, os.fdopen(fd, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


@contextmanager
def _atomic(target: Path) -> Iterator[int]:
    """A descriptor of a new temporary file beside ``target``, renamed onto it when the block succeeds."""
    tmp = ""
    try:
        with _stop_signals_held():  # an interrupt arrives once ``tmp`` is known, so the file is always removed
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        yield fd
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        if tmp:
            try:
                os.close(fd)  # already closed by the writer in the usual case
            except OSError:
                pass
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Block Ctrl-C and SIGTERM while the block runs; a signal that came meanwhile is acted on at its end."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    if isinstance(data, bytes):
        with atomic_binary_writer(path) as fb:
            fb.write(data)
    else:
        with atomic_writer(path, encoding=encoding) as ft:
            ft.write(data)


def _keep_mode(target: Path, tmp: str) -> None:
    """Give the new file the old one's permissions, or the usual ones (mkstemp makes it 0600)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are the same file (device and inode); False when either does not exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def resolved(path: str | Path) -> Path:
    """``path`` absolute with links followed; as written (made absolute) when links loop.

    A loop is left for the reader or writer of the path to report in its own words.
    """
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        return Path(os.path.abspath(path))


def link_loop(path: str | Path) -> bool:
    """Whether ``path`` is a symbolic link whose chain of links never ends."""
    try:
        Path(path).resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False

