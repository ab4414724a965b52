"""Old Word (.doc), WPS (.wps) and RTF files: read through LibreOffice when it is installed, a clear
refusal when it is not, bounded in time, never a traceback (``checker/ingest/legacy.py``).

The .doc and .rtf files are made by LibreOffice itself from a generated .docx (skipped when
LibreOffice is absent); the refusals and the time bound need no LibreOffice.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from format_builders import docx_bytes, t2_spec, t3_spec, t4_spec

from checker.errors import InputError
from checker.ingest import legacy, parse_document, sniff

_SOFFICE = legacy.soffice() if os.environ.get("GKCHECK_SOFFICE") is None else None
needs_soffice = pytest.mark.skipif(_SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _report_docx() -> bytes:
    return docx_bytes(["某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", "本机关依法主动公开政府信息。",
                       t2_spec(), "三、收到和处理政府信息公开申请情况", t3_spec(),
                       "四、政府信息公开行政复议、行政诉讼情况", t4_spec(), "五、存在的主要问题及改进情况",
                       "无。", "六、其他需要报告的事项", "无。"])


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The generated report as .docx, and as .doc and .rtf written by LibreOffice."""
    if _SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("legacy")
    source = folder / "report.docx"
    source.write_bytes(_report_docx())
    out = {"docx": source.read_bytes()}
    for target in ("doc", "rtf"):
        subprocess.run([_SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(folder), str(source)],
                       capture_output=True, timeout=300, check=True)
        out[target] = (folder / f"report.{target}").read_bytes()
    return out


def _content(document: dict) -> dict:
    """What the checks read: everything but where each value was found."""
    return {key: value for key, value in document.items() if key not in ("source_map", "source")}


@needs_soffice
@pytest.mark.parametrize(("kind", "name"), [("doc", "report.doc"), ("doc", "report.wps"), ("rtf", "report.rtf"),
                                            ("rtf", "report.doc")])
def test_old_word_files_read_as_the_docx_they_were_made_from(converted: dict[str, bytes], kind: str, name: str) -> None:
    """A .doc (also under a WPS .wps name) and an RTF file (also under a .doc name, as sites publish
    them) give the report document of the .docx: the same tables, parts and metadata."""
    data = converted[kind]
    assert sniff(data, Path(name).suffix) == "legacy"
    expected = parse_document(converted["docx"], "report.docx")
    document = parse_document(data, name)
    assert document["tables"] == expected["tables"]
    assert _content(document) == _content(expected)


def test_without_libreoffice_the_refusal_says_both_ways_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKCHECK_SOFFICE", "")
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(500)
    with pytest.raises(InputError) as caught:
        parse_document(data, "report.doc")
    assert "LibreOffice" in caught.value.zh and ".docx" in caught.value.zh
    assert "LibreOffice" in caught.value.en
    with pytest.raises(InputError, match="LibreOffice"):
        parse_document(b"{\\rtf1\\ansi report}", "report.doc")


def test_other_old_office_files_are_named_as_such() -> None:
    """An OLE file without a Word document stream (an old Excel workbook) is not sent to LibreOffice."""
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "Workbook".encode("utf-16-le") + bytes(500)
    with pytest.raises(InputError) as caught:
        sniff(data, ".doc")
    assert "Excel" in caught.value.zh


@needs_soffice
def test_a_damaged_doc_is_refused_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000) + "WordDocument".encode("utf-16-le") + os.urandom(3000)
    with pytest.raises(InputError) as caught:
        parse_document(data, "report.doc")
    assert caught.value.zh and caught.value.en


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX script stands in for LibreOffice")
def test_a_conversion_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A LibreOffice that never finishes (and starts a child that would outlive it) is stopped at
    CONVERT_SECONDS, its whole process group with it, and the file is refused with the bound's message."""
    marker = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!{sys.executable}\n"
                    "import os, subprocess, sys, time\n"
                    f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
                    f"open({str(marker)!r}, 'w').write(str(child.pid))\n"
                    "time.sleep(60)\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("GKCHECK_SOFFICE", str(fake))
    monkeypatch.setenv("GKCHECK_LIMIT_CONVERT_SECONDS", "2")
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse_document(b"{\\rtf1\\ansi report}", "report.rtf")
    assert time.monotonic() - started < 30
    assert "GKCHECK_LIMIT_CONVERT_SECONDS" in caught.value.zh
    child = int(marker.read_text())
    for _ in range(50):  # the group was killed: the child is gone (reaped by init) soon after
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the converter's child process outlived the bound")
