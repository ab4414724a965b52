"""Receiving one uploaded report: a streaming multipart parser with a size bound.

The request body is read chunk by chunk (never whole into memory) and parsed with
python-multipart's push parser. The ``file`` part is written to a file in the request's own
temporary folder while it arrives, counting its bytes; the moment it passes
``limits.INPUT_MB`` writing stops, the partial file is deleted and the rest of the body is
read and thrown away (up to a bound), so that the browser, still sending, receives the answer
instead of a broken connection. Small text fields (``year``, ``published``, ...) are kept in
memory, each bounded. The file's name is kept only to name the file in the temporary folder
and in the result, never logged.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import (
    MultipartParseError,
    MultipartParser,
    parse_options_header,
)

from checker import limits
from checker.errors import InputError

#: Bytes of one text field (year, date, agency kind, ...): far more than any valid value.
FIELD_BYTES = 1024
#: Parts in one request: the file and a few text fields.
MAX_PARTS = 16
#: Multipart framing and text fields allowed on top of the file's own size.
OVERHEAD_BYTES = 256 * 1024
#: After an upload is found too large, at most this many more bytes are read (and dropped) before
#: answering, so that a browser still sending sees the answer; beyond it the connection is closed.
DRAIN_BYTES = 1024 * 1024 * 1024
#: The longest file name kept (characters; the suffix is kept).
NAME_CHARS = 120

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class UploadError(Exception):
    """An upload that cannot be checked: the HTTP status and the message (Chinese and English)."""

    def __init__(self, status: int, error: InputError) -> None:
        super().__init__(error.zh)
        self.status = status
        self.error = error


@dataclass
class Upload:
    """What a request carried: the file (saved in the work folder) and the text fields."""

    path: Path | None = None
    name: str = ""
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


def safe_name(raw: str) -> str:
    """A file name that is safe inside a folder: no folders, no control or reserved characters, bounded."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(name) > NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: NAME_CHARS - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 else name[:NAME_CHARS]
    return name or "report"


def megabytes(size_bytes: int) -> str:
    """A size in MB with one decimal, rounded up (a file just over 2 MB shows as 2.1, never as 2.0)."""
    return f"{math.ceil(size_bytes * 10 / 2**20) / 10:.1f}"


SERVE_HINT = ("（环境变量须在启动 gkcheck serve 之前设置。）", " (Set it before starting gkcheck serve.)")


def too_large_message(size: str, name: str = "") -> str:
    """The Chinese message for an upload of ``size`` MB over ``limits.INPUT_MB`` (the page's script fills in
    ``{size}`` and ``{name}`` of the same template before sending anything)."""
    return too_large_error(size, name).zh


def too_large_error(size: str, name: str = "") -> InputError:
    """The bound's own message (as the CLI gives it), and where the setting goes for the server."""
    where_zh = f"上传的文件 {name}" if name else "上传的文件"
    where_en = f"the uploaded file {name}" if name else "the uploaded file"
    error = limits.INPUT_MB.exceeded(size, where_zh=where_zh, where_en=where_en)
    return InputError(error.zh + SERVE_HINT[0], error.en + SERVE_HINT[1])


def too_large(size_bytes: int, name: str = "") -> InputError:
    """The error for an upload of ``size_bytes`` over ``limits.INPUT_MB``."""
    return too_large_error(megabytes(size_bytes), name)


def _bad_request(zh: str, en: str) -> UploadError:
    return UploadError(400, InputError(zh, en))


NO_FILE = ("没有收到文件。请选择或拖入一份年度报告文件（.docx、.pdf、.html、.txt、.md 或 .json）后再检查。",
           "No file was received. Choose a report file (.docx, .pdf, .html, .txt, .md or .json).")


class _Receiver:
    """The callbacks of the multipart parser: headers of each part, then its data."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.upload = Upload()
        self.parts = 0
        self.over = False
        self.error: UploadError | None = None
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._is_file = False
        self._fh: IO[bytes] | None = None
        self._value = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS and self.error is None:
            self.error = _bad_request("上传的表单字段过多。请只上传一个报告文件。", "Too many form fields.")
        self._headers, self._header_field, self._header_value = {}, b"", b""
        self._name, self._is_file, self._value = "", False, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._header_field.strip().lower()] = self._header_value.strip()
        self._header_field, self._header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if self._name != "file" or filename is None or self.error is not None:
            return
        if self.upload.path is not None:
            self.error = _bad_request("一次只能检查一个文件。请逐个上传。", "Upload one file at a time.")
            return
        self._is_file = True
        self.upload.name = safe_name(filename.decode("utf-8", "replace"))
        self.upload.path = self.folder / self.upload.name
        self._fh = open(self.upload.path, "xb")  # noqa: SIM115 - written by later callbacks, closed in part_end/close

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None or self.over:
            return
        n = end - start
        if self._is_file:
            self.upload.size += n
            if self.upload.size > self.limit:
                self.over = True
                self._discard_file()
                return
            assert self._fh is not None
            self._fh.write(data[start:end])
        elif self._name:
            self._value += data[start:end]
            if len(self._value) > FIELD_BYTES:
                self.error = _bad_request(f"表单字段“{self._name[:40]}”过长。", f"The form field '{self._name[:40]}' is too long.")

    def part_end(self) -> None:
        if self._is_file:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
        elif self._name and self.error is None:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace").strip()
        self._is_file = False

    def _discard_file(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self.upload.path is not None:
            self.upload.path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close a file left open by a body that ended early."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


async def receive(chunks: AsyncIterator[bytes], content_type: str, content_length: str | None,
                  folder: Path) -> Upload:
    """Parse a ``multipart/form-data`` body from ``chunks`` into ``folder``.

    Raises:
        UploadError: 413 when the file is over ``limits.INPUT_MB``; 400 when the request is not a
            form upload, carries no file, or is malformed.
    """
    limit = limits.INPUT_MB.bytes()
    mime, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise _bad_request("请以表单方式上传文件（multipart/form-data，文件字段名为 file）。",
                           "Upload the file as multipart/form-data in the field 'file'.")
    declared = int(content_length) if content_length and content_length.isdigit() else None
    if declared is not None and declared > limit + OVERHEAD_BYTES:
        if declared <= DRAIN_BYTES:
            await _drain(chunks)
        raise UploadError(413, too_large(declared))
    receiver = _Receiver(folder, limit)
    parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
    total = 0
    try:
        async for chunk in chunks:
            total += len(chunk)
            if receiver.over or total > limit + OVERHEAD_BYTES:
                receiver.close()
                await _drain(chunks)
                raise UploadError(413, too_large(max(receiver.upload.size, total), receiver.upload.name))
            parser.write(chunk)
            if receiver.error is not None:
                raise receiver.error
        parser.finalize()
    except MultipartParseError:
        raise _bad_request("上传的数据不完整或格式有误，请重新上传。", "The upload is malformed or incomplete.") from None
    finally:
        receiver.close()
    if receiver.over:
        raise UploadError(413, too_large(receiver.upload.size, receiver.upload.name))
    if receiver.error is not None:
        raise receiver.error
    if receiver.upload.path is None:
        raise _bad_request(*NO_FILE)
    return receiver.upload


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read and drop the rest of a body (at most :data:`DRAIN_BYTES` more)."""
    read = 0
    async for chunk in chunks:
        read += len(chunk)
        if read > DRAIN_BYTES:
            return
