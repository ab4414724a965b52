"""Progress display of ``gkcheck audit``: a rich bar (rate, ETA) on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from checker.messages import pick, say


class _Rate(ProgressColumn):
    """Reports per second."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.unit}" if speed else f"— {self.unit}", style="progress.data.speed")


class BarProgress:
    """A rich progress bar with count, rate and time remaining (for a terminal)."""

    def __init__(self, console: Console, lang: str = "zh") -> None:
        unit, left = pick(lang, "份/秒", "/s"), pick(lang, "剩余", "left")
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(unit),
                             TimeElapsedColumn(), TextColumn(left), TimeRemainingColumn(), console=console)
        self._task: TaskID | None = None

    def phase(self, label: str, total: int) -> None:
        """Start a bar for a phase."""
        if total == 0:
            return
        self._bar.start()
        self._task = self._bar.add_task(label, total=total)

    def advance(self, n: int) -> None:
        """Move the bar."""
        if self._task is not None:
            self._bar.advance(self._task, n)

    def done(self) -> None:
        """Close the bar."""
        if self._task is not None:
            self._bar.stop()
            self._task = None


class LineProgress:
    """Plain lines every ``every`` seconds (for logs and pipes): done/total, rate, time remaining."""

    def __init__(self, stream: TextIO = sys.stderr, every: float = 5.0, lang: str = "zh") -> None:
        self.stream, self.every, self.lang = stream, every, lang
        self.label, self.total, self.count, self.start, self.last = "", 0, 0, 0.0, 0.0

    def phase(self, label: str, total: int) -> None:
        """Start counting a phase."""
        self.label, self.total, self.count = label, total, 0
        self.start = self.last = time.monotonic()

    def advance(self, n: int) -> None:
        """Count; print a line at most every ``every`` seconds."""
        self.count += n
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line(now)

    def done(self) -> None:
        """Print the phase's last line."""
        if self.total:
            self._line(time.monotonic())

    def _line(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.count / elapsed
        left = (self.total - self.count) / rate if rate > 0 else 0.0
        print(say("progress.line", self.lang, label=self.label, count=self.count, total=self.total, rate=rate,
                  left=left), file=self.stream, flush=True)


def make_progress(lang: str, quiet: bool = False) -> BarProgress | LineProgress | None:
    """A bar on a terminal, lines otherwise, nothing when ``quiet``."""
    if quiet:
        return None
    if sys.stderr.isatty():
        return BarProgress(Console(stderr=True), lang)
    return LineProgress(lang=lang)
