"""The audit's supervised worker pool and its safe values (in-process, fast)."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from checker.audit.pool import Feed, Pool, Stopped, TaskError, mark
from checker.audit.safe import clean, json_bytes, json_value
from checker.render.safe import csv_cell


def _work(task: list[Any]) -> list[Any]:
    """Each item: a number (returned), "sleep" (hangs past its time), "die" (the worker exits), "raise",
    "hoard" (takes 1 GB of memory)."""
    out = []
    for i, item in enumerate(task):
        mark(i, 0.5)
        if item == "sleep":
            time.sleep(60)
        elif item == "die":
            os._exit(3)
        elif item == "raise":
            raise ValueError("bad item")
        elif item == "hoard":
            item = len(bytearray(1 << 30))
        out.append(item)
    return out


def _run(tasks: list[list[Any]]) -> list[tuple[list[Any], Any]]:
    with Pool(2) as pool:
        return list(pool.stream(_work, Feed(tasks), seconds=lambda task: 5.0))


def test_a_task_over_its_time_is_stopped_and_names_its_item() -> None:
    start = time.monotonic()
    done = {tuple(t): r for t, r in _run([[1, 2], [3, "sleep", 4], [5]])}
    assert time.monotonic() - start < 10
    assert done[(1, 2)] == [1, 2] and done[(5,)] == [5]
    stopped = done[(3, "sleep", 4)]
    assert isinstance(stopped, Stopped) and stopped.timed_out and stopped.index == 1


def test_a_worker_that_dies_is_replaced() -> None:
    done = {tuple(t): r for t, r in _run([["die"], [1], [2], [3]])}
    assert isinstance(done[("die",)], Stopped) and not done[("die",)].timed_out and done[("die",)].exitcode == 3
    assert done[(1,)] == [1] and done[(2,)] == [2] and done[(3,)] == [3]


def test_an_exception_comes_back_as_the_tasks_outcome() -> None:
    [(_, outcome)] = _run([["raise"]])
    assert isinstance(outcome, TaskError) and outcome.kind == "ValueError" and "bad item" in outcome.text


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="the memory bound is set on Linux")
def test_a_task_over_the_memory_bound_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's memory is bounded (GKCHECK_LIMIT_MEMORY_MB): the task that goes past it fails with
    MemoryError, the worker lives on and the other tasks complete."""
    monkeypatch.setenv("GKCHECK_LIMIT_MEMORY_MB", "256")
    done = {tuple(t): r for t, r in _run([["hoard"], [1], [2]])}
    assert isinstance(done[("hoard",)], TaskError) and done[("hoard",)].kind == "MemoryError"
    assert done[(1,)] == [1] and done[(2,)] == [2]


def test_feed_takes_tasks_pushed_while_running() -> None:
    feed = Feed([[1]])
    seen = []
    with Pool(1) as pool:
        for task, result in pool.stream(_work, feed, seconds=lambda task: 5.0):
            seen.append(result)
            if task == [1]:
                feed.push([2])
    assert seen == [[1], [2]]


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_never_start_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert cell.startswith("'") and cell[1:].replace("\n", "\r") == value


def test_csv_numbers_and_plain_text_unchanged() -> None:
    assert csv_cell(-3.5) == -3.5 and csv_cell(None) is None and csv_cell("甲局") == "甲局"
    assert csv_cell("a\ud800b") == "a\ufffdb" and clean("x\udcb1") == "x\ufffd"


def test_json_beyond_64_bits_round_trips_exactly() -> None:
    value = {"n": 10**20, "m": -(10**30), "f": float("inf"), "s": "甲"}
    assert json_value(json_bytes(value)) == {"n": 10**20, "m": -(10**30), "f": None, "s": "甲"}
    with pytest.raises(UnicodeEncodeError):
        json_bytes({"s": "\ud800"})


def test_a_report_over_the_memory_bound_is_recorded_with_the_bounds_message() -> None:
    """The audit's stored failure names the bound and the variable that raises it."""
    from checker.audit.runner import _why

    category, zh, en = _why(TaskError("MemoryError", ""), "big.pdf", "读取", "reading")
    assert category == "error" and "big.pdf" in zh and "GKCHECK_LIMIT_MEMORY_MB" in zh and "memory" in en
