"""Helpers for the tests of ``gkcheck serve``, ``--annotate``, the quiet CLI and the notebook API.

* :class:`Served` — a running app: requests with http.client (no extra client library), and
  what is left in its work folder;
* :func:`multipart` — a form upload body;
* :func:`word_file`, :func:`pdf_file` — a report document as a Word file or a PDF, built with the
  published-form zoo (``tests/zoo/forms.py``);
* :func:`child_env` — the environment for a child ``python -m checker`` that imports this checkout.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import checker

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "clean-report-2024.json"
DEFECTIVE = EXAMPLES / "defective-report-2024.json"
sys.path.insert(0, str(ROOT / "tests" / "zoo"))

from forms import docx_form, pdf_form


def code_root() -> str:
    """The folder holding the ``checker`` package the tests imported (a worktree, a checkout or site-packages)."""
    return str(Path(checker.__file__).resolve().parents[1])


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child ``python -m checker``: this checkout first on the path, no colours."""
    path = os.pathsep.join(p for p in (code_root(), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "COLUMNS": "120", **extra}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def word_file(doc: dict[str, Any], seed: int = 7) -> bytes:
    """The document as a Word file as agencies write them (merged cells, table 三 split over a page)."""
    return docx_form(doc, random.Random(seed))[1]


def pdf_file(doc: dict[str, Any], seed: int = 7) -> bytes:
    """The document as a ruled PDF (reportlab, CID font)."""
    return pdf_form(doc, random.Random(seed))[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def multipart(file: tuple[str, bytes] | None, fields: dict[str, str] | None = None) -> tuple[bytes, str]:
    """(body, content type) of a form upload with the file in the field ``file``."""
    boundary = f"gk{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for key, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    if file is not None:
        name, data = file
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Served:
    """A running app: its address and work folder."""

    host: str
    port: int
    workdir: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 120) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def post(self, path: str, file: tuple[str, bytes] | None, fields: dict[str, str] | None = None) -> Reply:
        body, ctype = multipart(file, fields)
        return self.request("POST", path, body, {"Content-Type": ctype})

    def leftovers(self) -> list[str]:
        """What is left in the work folder (nothing, once every request is answered)."""
        return sorted(p.name for p in self.workdir.rglob("*"))




def hoard(megabytes: int) -> int:
    """Take ``megabytes`` of memory at once (a file that makes a reader hoard memory); their count in bytes."""
    return len(bytearray(megabytes << 20))


def sleep_then_answer(seconds: float, pid_file: str) -> str:
    """Write this process's id to ``pid_file``, sleep, answer (a check that keeps its worker busy)."""
    import time

    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(seconds)
    return "answered"


def hanging_check(path: Path, overrides: dict[str, Any], *, lang: str, html: bool, annotate: bool) -> Any:
    """Stands in for the app's ``check_file``: a check that never ends (a reader stuck on a file)."""
    import time

    time.sleep(600)
    raise AssertionError("not stopped")
