"""Keep third-party libraries' warnings off the terminal.

The readers use pdfminer, pdfplumber, python-docx and lxml. They report what they find odd in a
file through :mod:`logging` (pdfminer logs "Could not get FontBBox from font descriptor ..." once
per glyph font of a PDF printed from a browser) and through :mod:`warnings`. Nothing is
configured to receive them, so Python's "last resort" handler prints every one to stderr: a
civil servant sees 160 lines of English noise above the result. None of it is actionable; what
matters for the report is already in gkcheck's own reading notices.

* :func:`silence_libraries` — for programs (the CLI, ``gkcheck serve``): called once at start.
  Warnings are routed into logging, the root logger gets a handler that drops them, and the
  libraries' loggers are set to ERROR. gkcheck's own messages do not use logging.
* :func:`quiet_libraries` — for the library API: the same, only while a file is read, restoring
  what the caller had configured (a notebook keeps its own logging set-up).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

#: Loggers of the libraries the readers use (children such as ``pdfminer.pdffont`` included).
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "docx", "lxml", "PIL", "charset_normalizer", "cpca", "jieba",
                   "fontTools", "multipart", "python_multipart")


def silence_libraries() -> None:
    """Route library warnings away from the terminal for the rest of the process (idempotent)."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        # a root handler turns off the "last resort" stderr handler for unhandled records
        root.addHandler(logging.NullHandler())
    for name in (*LIBRARY_LOGGERS, "py.warnings"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


@contextmanager
def quiet_libraries() -> Iterator[None]:
    """Drop library log records below ERROR and all warnings while the block runs; restore after."""
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)
