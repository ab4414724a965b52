"""Unreadable input fails with a clear Chinese InputError; odd encodings still read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from opencc import OpenCC

from checker.errors import InputError
from checker.ingest import read_document, sniff

MINI = """测试市测试局2024年政府信息公开工作年度报告

本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。

一、总体情况

（一）主动公开情况。本局主动公开信息12条。

二、主动公开政府信息情况

信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t1\t0\t3

五、存在的主要问题及改进情况

人员不足。
"""


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到文件"):
        read_document(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不是一个文件"):
        read_document(tmp_path)


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="空的"):
        read_document(_write(tmp_path, "empty.txt", data))


def test_binary_garbage(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    with pytest.raises(InputError, match="二进制"):
        read_document(_write(tmp_path, "garbage.txt", data))


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(InputError, match="文件大小超出上限.*GKCHECK_LIMIT_INPUT_MB"):
        read_document(path)


def test_not_a_report(tmp_path: Path) -> None:
    text = "关于召开春季运动会的通知\n各单位：定于下周三召开运动会，请准时参加。\n".encode()
    with pytest.raises(InputError, match="不像"):
        read_document(_write(tmp_path, "notice.txt", text))


def test_ofd_file_is_named(tmp_path: Path) -> None:
    """An OFD file (a zip with OFD.xml: the Chinese fixed-layout format) is refused by name, with a way out."""
    archive = tmp_path / "report.ofd"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD/>")
        zf.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    with pytest.raises(InputError, match="OFD") as caught:
        read_document(archive)
    assert "PDF" in caught.value.zh and "OFD" in caught.value.en


def test_legacy_word_and_other_zip(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.doc"):
        read_document(_write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x.txt", "x")
    with pytest.raises(InputError, match="压缩包"):
        read_document(archive)


def test_invalid_and_non_object_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="JSON"):
        read_document(_write(tmp_path, "bad.json", b'{"year": '))
    with pytest.raises(InputError, match="JSON 对象"):
        read_document(_write(tmp_path, "list.json", b"[1, 2]"))


def test_json_is_returned_as_is(tmp_path: Path) -> None:
    document = {"schema_version": "1.0", "year": 2024}
    assert read_document(_write(tmp_path, "r.json", json.dumps(document).encode())) == document


def test_missing_reader_module_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "checker.ingest.pdf", None)
    with pytest.raises(InputError, match="PDF"):
        read_document(_write(tmp_path, "r.pdf", b"%PDF-1.7\n"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    document = read_document(_write(tmp_path, "r.txt", MINI.encode(encoding)))
    assert document["agency"]["name"] == "测试市测试局"
    assert document["tables"]["proactive"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 3}
    assert document["sections"]["overview"]["parts"][0]["heading"] == "（一）主动公开情况"


def test_traditional_characters(tmp_path: Path) -> None:
    traditional = OpenCC("s2t").convert(MINI)
    assert traditional != MINI
    document = read_document(_write(tmp_path, "r.txt", traditional.encode("big5", errors="replace")))
    assert set(document["sections"]) == {"overview", "proactive", "problems"}
    assert document["tables"]["proactive"]["normative_documents"]["in_force"] == 3


def test_full_width_digits_and_year_override(tmp_path: Path) -> None:
    text = MINI.replace("行政规范性文件\t1\t0\t3", "行政规范性文件\t１\t０\t３").replace(
        "测试市测试局2024年", "测试市测试局二〇二四年")
    document = read_document(_write(tmp_path, "r.txt", text.encode()))
    assert document["year"] == 2024
    assert document["tables"]["proactive"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 3}
    assert read_document(_write(tmp_path, "r.txt", text.encode()), year=2023)["year"] == 2023


def test_no_year(tmp_path: Path) -> None:
    text = MINI.replace("2024年", "").encode()
    with pytest.raises(InputError, match="--year") as info:
        read_document(_write(tmp_path, "r.txt", text))
    assert info.value.message("en").startswith("The reported year")


@pytest.mark.parametrize(
    ("data", "suffix", "kind"),
    [(b'{"a": 1}', ".json", "json"), (b'{"a": 1}', "", "json"), (b"<!DOCTYPE html><html>", ".txt", "html"),
     (b"# t\n", "", "markdown"), (b"plain", ".md", "markdown"), (b"plain", "", "text"),
     (b"%PDF-1.4", ".txt", "pdf")],
)
def test_sniff(data: bytes, suffix: str, kind: str) -> None:
    assert sniff(data, suffix) == kind


def test_sniff_docx(tmp_path: Path) -> None:
    archive = tmp_path / "r.docx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert sniff(archive.read_bytes(), ".docx") == "docx"
