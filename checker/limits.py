"""The bounds on every resource that an input file controls, in one place.

Each bound has a default, an environment variable that raises (or lowers) it, and one
message, in Chinese and English, that names the bound, the value met and how to raise
it. Readers, the rule loader and the audit all read their bounds from here, so that a
hostile or broken file is refused in the same words wherever it arrives, and a user
with a genuine large file knows the one setting to change.

Environment variables (not command-line options) carry the settings so that they reach
the audit's worker processes unchanged.

Usage::

    from checker import limits
    if size > limits.INPUT_MB.bytes():
        raise limits.INPUT_MB.exceeded(f"{size / 2**20:.1f}", where_zh="文件 a.pdf", where_en="the file a.pdf")
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from checker.errors import InputError

_ENV_PREFIX = "GKCHECK_LIMIT_"


@dataclass(frozen=True)
class Limit:
    """One bound on a resource that input controls.

    Attributes:
        name: the suffix of the environment variable (``GKCHECK_LIMIT_<name>``).
        default: the bound when the variable is not set.
        what_zh / what_en: what is bounded (e.g. "文件大小").
        unit_zh / unit_en: the unit of the bound, printed after numbers (e.g. " MB").
    """

    name: str
    default: int
    what_zh: str
    what_en: str
    unit_zh: str = ""
    unit_en: str = ""

    @property
    def env(self) -> str:
        """The environment variable that sets this bound."""
        return _ENV_PREFIX + self.name

    def value(self) -> int:
        """The bound in force: the environment variable when it holds a positive integer, else the default."""
        raw = os.environ.get(self.env, "").strip().replace("_", "")
        if raw.isdigit() and int(raw) > 0:
            return int(raw)
        return self.default

    def bytes(self) -> int:
        """The bound in bytes, for bounds counted in MB."""
        return self.value() * 1024 * 1024

    def exceeded(self, actual: object, *, where_zh: str = "", where_en: str = "") -> InputError:
        """The error to raise when ``actual`` goes beyond the bound (``where``: the file or place, optional)."""
        limit = self.value()
        place_zh = f"{where_zh}：" if where_zh else ""
        place_en = f"{where_en}: " if where_en else ""
        return InputError(
            f"{place_zh}{self.what_zh}超出上限（{actual}{self.unit_zh}，上限 {limit}{self.unit_zh}），"
            f"gkcheck 为防止失控已停止读取。如确认文件无误，可设置环境变量 {self.env}=更大的数值 后重试。",
            f"{place_en}{self.what_en} is over the limit ({actual}{self.unit_en}; the limit is "
            f"{limit}{self.unit_en}). If the file is genuine, set the environment variable {self.env} "
            f"to a larger number and try again.",
        )


#: Size of one input file read from disk (reports, manifests, rule and configuration files).
INPUT_MB = Limit("INPUT_MB", 50, "文件大小", "the file size", " MB", " MB")
#: Bytes produced by inflating the compressed parts of one file (PDF streams, .docx zip members),
#: counted while inflating, never taken from the file's own declarations.
INFLATED_MB = Limit("INFLATED_MB", 256, "解压后的内容", "the inflated content", " MB", " MB")
#: Nesting depth of JSON documents and YAML rule files (the report format needs fewer than 10).
DEPTH = Limit("DEPTH", 64, "嵌套层数", "the nesting depth", " 层", " levels")
#: Characters in one field: a paragraph, a table cell, a manifest value, a string in a JSON document.
FIELD_CHARS = Limit("FIELD_CHARS", 200_000, "单个段落或字段的长度", "the length of one paragraph or field",
                    " 字符", " characters")
#: Digits of one number in a table cell (larger values cannot be exact counts in any output).
NUMBER_DIGITS = Limit("NUMBER_DIGITS", 15, "单元格数字的位数", "the digits of one number", " 位", " digits")
#: YAML aliases in one rule or configuration file (bounds "billion laughs" expansion).
YAML_ALIASES = Limit("YAML_ALIASES", 100, "YAML 别名（*引用）的数量", "the number of YAML aliases", " 个", "")
#: Wall-clock seconds the audit gives one report (ingest or check) before it stops that report's
#: worker and records the report as failed; a backstop behind the bounds above.
REPORT_SECONDS = Limit("REPORT_SECONDS", 300, "单份报告的处理时间", "the time spent on one report", " 秒", " s")

#: Memory (address space, in MB) a worker process may take beyond its size when it starts: each check of
#: ``gkcheck serve`` and each audit worker (:func:`bound_memory`). A backstop behind the bounds above, which
#: keep a report's reading far below it (the hostile fuzz's worst file takes under 500 MB).
MEMORY_MB = Limit("MEMORY_MB", 2048, "检查一份报告占用的内存", "the memory of checking a report", " MB", " MB")

#: Seconds LibreOffice may take to convert one old Word, WPS or RTF file to .docx (:mod:`checker.ingest.legacy`).
CONVERT_SECONDS = Limit("CONVERT_SECONDS", 120, "旧版 Word 文件的转换时间", "the conversion of an old Word file", " 秒", " s")

#: Seconds one web request may take, from connecting to the last byte (``gkcheck check URL``, web audits).
FETCH_SECONDS = Limit("FETCH_SECONDS", 30, "单次网页请求的时间", "the time of one web request", " 秒", " s")
#: Redirects followed for one web address (each hop is checked against robots.txt).
REDIRECTS = Limit("REDIRECTS", 5, "网址的重定向次数", "the number of redirects", " 次", "")
#: Attempts after a failed web request (server errors 5xx, 429, timeouts, dropped connections), with backoff.
FETCH_RETRIES = Limit("FETCH_RETRIES", 3, "网页请求的重试次数", "the retries of a web request", " 次", "")

ALL: tuple[Limit, ...] = (INPUT_MB, INFLATED_MB, DEPTH, FIELD_CHARS, NUMBER_DIGITS, YAML_ALIASES, REPORT_SECONDS)
#: The bounds of fetching from the web (not part of the audit's stored keys: they change what is fetched, not
#: how a fetched file is read).
WEB: tuple[Limit, ...] = (FETCH_SECONDS, REDIRECTS, FETCH_RETRIES)


def bound_memory(megabytes: int | None = None) -> None:
    """Bound this process's address space to its present size plus ``megabytes`` (default: :data:`MEMORY_MB`'s
    value here) (Linux; a no-op elsewhere).

    Past the bound an allocation fails: Python raises ``MemoryError``, which the caller turns into
    :data:`MEMORY_MB`'s message; a C library that cannot allocate ends the process, which the caller
    reports too. Called by ``gkcheck serve``'s check processes and the audit's workers, never by the
    process a user runs ``gkcheck check`` in.
    """
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + (MEMORY_MB.value() if megabytes is None else megabytes) * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
