"""Old Word files (.doc, WPS .wps, RTF) converted to .docx by LibreOffice, when it is installed.

Agencies' sites often publish the report as a Word 97–2003 ``.doc`` (an OLE compound file), a
WPS Office ``.wps`` (the same container), or an RTF file under a ``.doc`` name. gkcheck does not
parse these formats itself; when LibreOffice is installed (``soffice``: found on ``PATH``, in the
usual install folders, or named by the environment variable ``GKCHECK_SOFFICE``), it converts the
bytes to .docx headless and the Word reader reads the result. Without LibreOffice the file is
refused with a message that says both ways out (save as .docx/PDF, or install LibreOffice).

Bounds and safety:

* each conversion runs in a fresh temporary folder (the input copy, the output and a
  LibreOffice profile of its own, so that conversions in threads or audit workers never share
  one; it costs ≈ 0.2 s), removed afterwards; the user's file is never touched;
* it is stopped (its whole process group) after :data:`checker.limits.CONVERT_SECONDS`, and
  the output is refused beyond :data:`checker.limits.INPUT_MB`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from checker import limits
from checker.errors import InputError

#: What LibreOffice is asked to write: Word 2007–365 (.docx).
_FILTER = "docx:MS Word 2007 XML"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream names of a Word document in an OLE directory (UTF-16LE): Word and WPS write "WordDocument".
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_INSTALL_PLACES = (
    "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe", r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def is_legacy(data: bytes) -> bool:
    """Whether the bytes are a Word/WPS document in an OLE container, or an RTF file."""
    if data.startswith(b"{\\rtf"):
        return True
    return data.startswith(_OLE) and _WORD_STREAM in data  # the directory may be anywhere in the file


def is_ole(data: bytes) -> bool:
    """Whether the bytes are an OLE compound file (old Word, Excel, PowerPoint, WPS...)."""
    return data.startswith(_OLE[:4])


def soffice() -> str | None:
    """The LibreOffice program to convert with, or None when none is installed."""
    named = os.environ.get("GKCHECK_SOFFICE")
    if named is not None:  # set: this one or none (an empty value switches conversion off)
        return named if named and Path(named).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((place for place in _INSTALL_PLACES if Path(place).is_file()), None)


def to_docx(data: bytes, kind_zh: str, kind_en: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (an old Word, WPS or RTF file).

    Raises:
        InputError: LibreOffice is not installed, fails, takes too long, or writes too much.
    """
    program = soffice()
    if program is None:
        raise InputError(
            f"这是{kind_zh}文件。gkcheck 通过 LibreOffice 读取这类文件，但本机没有安装 LibreOffice。"
            "请在 Word 或 WPS 中另存为 .docx 或 PDF 后重试，或安装 LibreOffice（可用环境变量 GKCHECK_SOFFICE 指定 soffice 的位置）。",
            f"This is {kind_en} file. gkcheck reads such files through LibreOffice, which is not installed here. "
            "Save it as .docx or PDF in Word or WPS, or install LibreOffice (GKCHECK_SOFFICE names its soffice).")
    with tempfile.TemporaryDirectory(prefix="gkcheck-convert-") as work:
        source = Path(work) / ("report.rtf" if data.startswith(b"{\\rtf") else "report.doc")
        source.write_bytes(data)
        out = Path(work) / "out"
        _run([program, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless", "--norestore",
              "--nolockcheck", "--nodefault", "--nologo", "--convert-to", _FILTER, "--outdir", str(out), str(source)],
             kind_zh, kind_en)
        result = out / "report.docx"
        if not result.is_file():
            raise InputError(f"LibreOffice 无法打开这个{kind_zh}文件，文件可能已损坏或不是 Word 文档。请在 Word 或 WPS 中另存为 .docx 或 PDF 后重试。",
                             f"LibreOffice could not open this {kind_en} file; it may be damaged or not a Word "
                             "document. Save it as .docx or PDF and try again.")
        if result.stat().st_size > limits.INPUT_MB.bytes():
            raise limits.INPUT_MB.exceeded(f"{result.stat().st_size / 2**20:.1f}", where_zh="转换后的 .docx 文件",
                                           where_en="the converted .docx file")
        return result.read_bytes()


def _run(command: list[str], kind_zh: str, kind_en: str) -> None:
    """Run LibreOffice; its whole process group is killed when it overruns or the caller is interrupted."""
    seconds = limits.CONVERT_SECONDS.value()
    posix = sys.platform != "win32"
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=posix)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        raise limits.CONVERT_SECONDS.exceeded(seconds, where_zh=f"用 LibreOffice 转换{kind_zh}文件",
                                              where_en=f"converting {kind_en} file with LibreOffice") from None
    finally:
        if process.poll() is None:
            if posix:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                process.kill()
            process.wait()

