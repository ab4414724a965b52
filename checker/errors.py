"""The two exception families of gkcheck.

Data problems in a report are never exceptions: they are findings. Exceptions are
only for input that cannot be read at all (:class:`InputError`) and for broken
configuration or rule files (:class:`RuleSetError`). Both carry a Chinese message
(shown by default) and an English one (``--lang en``); the CLI turns them into
exit code 2 without a traceback.
"""

from __future__ import annotations


def cause_text(exc: BaseException, limit: int = 200) -> str:
    """A third-party exception's text for a message: characters that do not print (controls, C1 bytes
    decoded as Latin-1, bidi overrides) written as escapes, at most ``limit`` characters."""
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(exc)[: limit * 2])
    return text if len(text) <= limit else text[: limit - 1] + "…"


class GkcheckError(Exception):
    """Base class: a problem the user must fix before gkcheck can run."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def message(self, lang: str = "zh") -> str:
        """The message in the requested language ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


class InputError(GkcheckError):
    """The input file cannot be read as a report (missing, unreadable, wrong format)."""


class NotAReport(InputError):
    """The file was read, but its content is not an annual report (no part heading, no table)."""


class ReadingTimeout(InputError):
    """Reading the file took longer than ``REPORT_SECONDS`` (:mod:`checker.ingest.deadline`)."""


class YearNotFound(InputError):
    """The file reads as a report, but no reported year was found in it (``--year`` is needed)."""


class RuleSetError(GkcheckError):
    """A rule file or configuration is broken; never silently skipped."""
