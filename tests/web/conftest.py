"""Fixtures for the tests of ``gkcheck serve``: the real app under uvicorn on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from web_helpers import DEFECTIVE, Served, load, pdf_file, word_file


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app under uvicorn on a free loopback port, in a thread."""
    uvicorn = pytest.importorskip("uvicorn")
    from checker.web import create_app

    workdir = tmp_path_factory.mktemp("serve-work")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(workdir, workers=2, queue=8), log_level="warning",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield Served("127.0.0.1", port, workdir)
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@pytest.fixture
def clean_served(served: Served) -> Iterator[Served]:
    """``served``, asserting after the test that no upload was left in the work folder."""
    yield served
    assert served.leftovers() == [], "an upload was left on disk"


@pytest.fixture(scope="session")
def defective_docx() -> bytes:
    return word_file(load(DEFECTIVE))


@pytest.fixture(scope="session")
def defective_pdf() -> bytes:
    return pdf_file(load(DEFECTIVE))
