"""Unreadable input: every case raises InputError with a Chinese message, quickly."""

from __future__ import annotations

import io
import random
import time
import zipfile
from functools import cache

import pytest
from format_builders import docx_bytes, pdf_bytes

from checker import limits
from checker.errors import InputError
from checker.ingest import docx as docx_reader
from checker.ingest import pdf as pdf_reader
from checker.ingest.docx import read_docx
from checker.ingest.html import read_html
from checker.ingest.pdf import read_pdf


@cache
def text_pdf() -> bytes:
    """A small PDF with a text layer, to encrypt or truncate."""
    return pdf_bytes(["一、总体情况", "本年度共受理政府信息公开申请十二件。"])


def refused(reader, data: bytes, *fragments: str) -> InputError:
    """Run the reader, expect InputError whose Chinese message has all fragments."""
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        reader(data)
    assert time.perf_counter() - start < 10
    for fragment in fragments:
        assert fragment in err.value.zh, err.value.zh
    assert err.value.en and err.value.en != err.value.zh
    return err.value


# ----------------------------------------------------------------------------- PDF


def test_scanned_pdf_without_text_layer():
    from PIL import Image

    image = Image.new("RGB", (200, 280), "white")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72)
    refused(read_pdf, out.getvalue(), "PDF 没有文字层（可能是扫描件），请提供可复制文字的版本或先进行 OCR")


def test_encrypted_pdf():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    refused(read_pdf, out.getvalue(), "加密", "未加密")


def test_pdf_with_only_owner_password_is_read():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert read_pdf(out.getvalue()).blocks[0].text == "一、总体情况"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=["garbage", "no-pages"],
)
def test_corrupt_pdf(data):
    refused(read_pdf, data, "PDF 文件已损坏")


def test_truncated_pdf():
    data = text_pdf()
    refused(read_pdf, data[: len(data) // 2], "PDF 文件已损坏")


def test_not_a_pdf():
    refused(read_pdf, b"<html><body>hello</body></html>", "不是 PDF")


def test_pdf_page_limit():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for _ in range(pdf_reader.MAX_PAGES + 1):
        c.drawString(72, 720, "page")
        c.showPage()
    c.save()
    refused(read_pdf, out.getvalue(), f"超过上限 {pdf_reader.MAX_PAGES} 页")


@pytest.mark.parametrize("reader", [read_pdf, read_docx, read_html], ids=["pdf", "docx", "html"])
def test_size_limit(reader, monkeypatch):
    monkeypatch.setenv(limits.INPUT_MB.env, "1")
    refused(reader, b"%PDF-" + b"0" * limits.INPUT_MB.bytes(), "文件大小超出上限", "上限 1 MB", limits.INPUT_MB.env)


@pytest.mark.parametrize("reader", [read_pdf, read_docx, read_html], ids=["pdf", "docx", "html"])
def test_empty_file(reader):
    refused(reader, b"", "空")


# ----------------------------------------------------------------------------- Word


@pytest.mark.parametrize(
    "data",
    [b"this is not a zip archive", b"PK\x03\x04" + b"\x00" * 200],
    ids=["not-zip", "broken-zip"],
)
def test_corrupt_docx(data):
    refused(read_docx, data, "已损坏或不是 .docx")


def test_truncated_docx():
    data = docx_bytes(["一、总体情况"])
    refused(read_docx, data[: len(data) // 2], "已损坏或不是 .docx")


def test_zip_without_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word file")
    refused(read_docx, out.getvalue(), "已损坏或不是 .docx")


def test_legacy_doc_or_encrypted_word():
    refused(read_docx, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".doc", "另存为 .docx")


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return out.getvalue()


def test_zip_bomb_by_ratio():
    refused(read_docx, _bomb(4 * 1024 * 1024), "压缩炸弹")


def test_inflated_size_bound(monkeypatch):
    """Entries that compress little (no bomb by ratio) are bounded in total by INFLATED_MB."""
    monkeypatch.setenv(limits.INFLATED_MB.env, "2")
    out = io.BytesIO()
    noise = random.Random(0).randbytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in range(3):
            archive.writestr(f"word/media/image{part}.png", noise)
    refused(read_docx, out.getvalue(), "解压后的内容超出上限", "上限 2 MB", limits.INFLATED_MB.env)


def test_zip_with_too_many_entries():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(docx_reader.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"word/media/{i}.xml", "")
    refused(read_docx, out.getvalue(), "条目")


def test_docx_without_text():
    refused(read_docx, docx_bytes([]), "没有可读取的文字")


# ----------------------------------------------------------------------------- HTML


def test_html_without_text():
    refused(read_html, b"<html><body><div><img src='a.png'></div></body></html>", "没有可读取的正文")
