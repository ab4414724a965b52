"""Each check of ``gkcheck serve`` runs in a process of its own, killed after REPORT_SECONDS
(``checker/web/isolate.py``): a file that keeps a reader busy cannot hold a worker for good."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from web_helpers import CLEAN, Served, hanging_check, hoard, sleep_then_answer

from checker.errors import InputError
from checker.ingest import parse_document
from checker.web import isolate

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows: checks run in-thread")


def test_a_check_past_the_bound_is_killed_with_the_bounds_message(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKCHECK_LIMIT_REPORT_SECONDS", "2")
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        isolate.run(sleep_then_answer, 60, str(pid_file), name="slow.pdf")
    assert time.monotonic() - started < 30
    assert "slow.pdf" in caught.value.zh and "GKCHECK_LIMIT_REPORT_SECONDS" in caught.value.zh
    child = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="the memory bound is set on Linux")
def test_a_check_over_the_memory_bound_gets_the_bounds_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's memory is bounded (GKCHECK_LIMIT_MEMORY_MB, read by the server when it starts the check)."""
    monkeypatch.setenv("GKCHECK_LIMIT_MEMORY_MB", "256")
    assert isolate.run(hoard, 64, name="small.pdf") == 64 << 20
    with pytest.raises(InputError) as caught:
        isolate.run(hoard, 1024, name="big.pdf")
    assert "GKCHECK_LIMIT_MEMORY_MB" in caught.value.zh and "内存" in caught.value.zh


def test_values_and_input_errors_come_back_from_the_child(tmp_path: Path) -> None:
    assert isolate.run(sleep_then_answer, 0, str(tmp_path / "pid"), name="quick.txt") == "answered"
    assert int((tmp_path / "pid").read_text()) != os.getpid()
    with pytest.raises(InputError) as in_process:
        parse_document(b"\x00\x01\x02 not a report", "x.txt")
    with pytest.raises(InputError) as in_child:
        isolate.run(parse_document, b"\x00\x01\x02 not a report", "x.txt", name="x.txt")
    assert in_child.value.zh == in_process.value.zh and in_child.value.en == in_process.value.en


def test_the_page_still_answers_after_a_check_was_stopped(clean_served: Served,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A check stuck on a file is stopped at the bound (422 with the bound's message, well before its
    end); the server then checks the next upload as usual."""
    import checker.web.app

    monkeypatch.setenv("GKCHECK_LIMIT_REPORT_SECONDS", "2")
    with monkeypatch.context() as patch:
        patch.setattr(checker.web.app, "check_file", hanging_check)
        started = time.monotonic()
        reply = clean_served.post("/api/check", ("stuck.json", CLEAN.read_bytes()))
        assert time.monotonic() - started < 60
    assert reply.status == 422 and "GKCHECK_LIMIT_REPORT_SECONDS" in reply.json()["error"]
    reply = clean_served.post("/api/check", ("clean.json", CLEAN.read_bytes()))
    assert reply.status == 200 and reply.json()["results"][0]["score"]["overall"] == 100
