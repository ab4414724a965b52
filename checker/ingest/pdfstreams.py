"""Bound the bytes pdfminer inflates while reading one PDF (:data:`checker.limits.INFLATED_MB`).

pdfminer decodes every stream in one place, ``PDFStream.decode``, with module-level
functions of ``pdfminer.pdftypes``: ``zlib.decompress`` (and ``decompress_corrupted`` when
that fails), ``lzwdecode``, ``rldecode``, ``ccittfaxdecode`` and the predictors. Each of them
can turn a few bytes into gigabytes: a 2 MB FlateDecode stream inflates to 2 GB of zeros,
and a predictor or fax filter allocates rows as wide as a ``/Columns`` number says.
:func:`install` replaces these names with versions that produce their output a piece at a
time and charge every piece to the budget of the PDF being read, before it is kept; the
piece that passes the bound raises :class:`~checker.errors.InputError`. What the readers
return is otherwise what pdfminer's own functions return (including its treatment of
damaged zlib data).

pdfminer parses a font's ``/ToUnicode`` CMap in pure Python, about 1 MB a second: a
50 MB ToUnicode stream (a few KB deflated) held one page for minutes. The CMaps pdfminer
parses for one file are bounded too, :data:`MAX_CMAP_BYTES` in all (a whole CJK font's
ToUnicode is under 1 MB); the CMap that passes it raises :class:`~checker.errors.InputError`.
Content streams likewise (a 50 MB page of zeros took minutes): :data:`MAX_CONTENT_BYTES` for
one page's or form's streams, :data:`MAX_FILE_CONTENT_BYTES` for all that one file has parsed,
charged as each stream is loaded, before it is parsed.

:func:`budget` opens the budget for one file. A charge outside any budget is bounded per
decoding, so pdfminer used elsewhere in gkcheck is bounded too.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from pdfminer import ccitt, cmapdb, lzw, pdffont, pdfinterp, pdftypes
from pdfminer.pdfexceptions import PDFValueError

from checker import limits
from checker.errors import InputError

#: Inflate this many bytes at a time (the most one step may hold beyond the bound).
_STEP = 1 << 20
#: Input fed to zlib in one call; a failing call is replayed byte by byte from a saved state.
_FEED = 1 << 16
#: Bytes of ToUnicode CMaps pdfminer may parse for one file (its parser reads about 1 MB a second).
MAX_CMAP_BYTES = 4 << 20
#: Bytes of one content stream set (a page's, or a form XObject's) pdfminer may parse, and of all for one file.
MAX_CONTENT_BYTES = 16 << 20
MAX_FILE_CONTENT_BYTES = 64 << 20
#: What a Python list holds per item: the predictors and the fax decoder keep rows as lists.
_LIST_ITEM_BYTES = 9


@dataclass
class _Budget:
    """Bytes still allowed for one file, and the error once it is spent (then every charge fails)."""

    left: int
    where_zh: str
    where_en: str
    error: InputError | None = None
    cmap_left: int = MAX_CMAP_BYTES
    content_left: int = MAX_FILE_CONTENT_BYTES

    def charge_content(self, size: int, total: int) -> None:
        """Charge a content stream's bytes (``total``: of its page or form so far) to the content bounds."""
        self.content_left -= size
        self._check(self.content_left >= 0 and total <= MAX_CONTENT_BYTES, lambda: InputError(
            f"{self.where_zh}的页面内容流过大（单页或单个表单超过 {MAX_CONTENT_BYTES >> 20} MB，或全部超过 "
            f"{MAX_FILE_CONTENT_BYTES >> 20} MB），不像是正常的报告 PDF，gkcheck 为防止失控已停止读取。"
            "请重新导出 PDF，或改用 Word/HTML 版本。",
            f"{self.where_en}: the page content streams are too large (over {MAX_CONTENT_BYTES >> 20} MB for one "
            f"page or form, or {MAX_FILE_CONTENT_BYTES >> 20} MB in all); reading stopped."))

    def charge_cmap(self, size: int) -> None:
        """Charge a CMap's bytes to the file's CMap bound (then every charge fails, as :meth:`charge`)."""
        self.cmap_left -= size
        self._check(self.cmap_left >= 0, lambda: InputError(
            f"{self.where_zh}中字体的 Unicode 映射表（ToUnicode CMap）过大（超过 {MAX_CMAP_BYTES >> 20} MB），"
            "不像是正常的 PDF，gkcheck 为防止失控已停止读取。请重新导出 PDF，或改用 Word/HTML 版本。",
            f"{self.where_en}: the fonts' Unicode maps (ToUnicode CMaps) are over {MAX_CMAP_BYTES >> 20} MB, "
            "which no genuine PDF needs; reading stopped."))

    def charge(self, size: int) -> None:
        self.left -= size
        self._check(self.left >= 0, lambda: limits.INFLATED_MB.exceeded(
            f"> {limits.INFLATED_MB.value()}", where_zh=self.where_zh, where_en=self.where_en))

    def _check(self, within: bool, error: Callable[[], InputError]) -> None:
        """Raise the file's error: the first bound passed (``within`` false) sets it, every later charge repeats it."""
        if self.error is None:
            if within:
                return
            self.error = error()
        raise self.error


_current: ContextVar[_Budget | None] = ContextVar("gkcheck_pdf_budget", default=None)


@contextmanager
def budget(where_zh: str = "PDF 文件", where_en: str = "the PDF file") -> Iterator[_Budget]:
    """Charge every stream pdfminer decodes inside the block to one budget of ``INFLATED_MB``.

    The budget is returned: when pdfminer swallowed the error somewhere (it catches broadly
    in places), ``error`` still tells that the file went over the bound.
    """
    state = _Budget(limits.INFLATED_MB.bytes(), where_zh, where_en)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def _charge(size: int) -> None:
    state = _current.get()
    if state is not None:
        state.charge(size)


def _bounded(decoder: Callable[..., bytes]) -> Callable[..., bytes]:
    """Run ``decoder`` under the file's budget, or under a budget of its own outside any file."""

    @functools.wraps(decoder)
    def run(*args: Any) -> bytes:
        if _current.get() is not None:
            return decoder(*args)
        with budget():
            return decoder(*args)

    return run


# --------------------------------------------------------------------------- ToUnicode CMaps


class _BoundedCMapParser(cmapdb.CMapParser):
    """pdfminer's CMap parser, charging the CMap's bytes to the file's CMap bound before parsing."""

    def __init__(self, cmap: Any, fp: Any) -> None:
        size = fp.getbuffer().nbytes if isinstance(fp, BytesIO) else 0
        state = _current.get()
        # outside any file's budget: a bound of its own for this CMap
        (state or _Budget(limits.INFLATED_MB.bytes(), "PDF 文件", "the PDF file")).charge_cmap(size)
        super().__init__(cmap, fp)


class _BoundedContentParser(pdfinterp.PDFContentParser):
    """pdfminer's content stream parser, charging each stream's bytes to the content bounds as it is loaded."""

    def fillfp(self) -> bool:
        filled = super().fillfp()
        if filled and isinstance(self.fp, BytesIO):
            size = self.fp.getbuffer().nbytes
            self._gk_total = getattr(self, "_gk_total", 0) + size
            (_current.get() or _Budget(limits.INFLATED_MB.bytes(), "PDF 文件", "the PDF file")).charge_content(
                size, self._gk_total)
        return filled


# --------------------------------------------------------------------------- Flate


@_bounded
def inflate(data: bytes) -> bytes:
    """What pdfminer's ``zlib.decompress``, then ``decompress_corrupted`` on failure, returns.

    A complete stream inflates whole (bytes after its end are ignored); a truncated one
    gives what it holds; one with an error in its last 3 bytes (a bad checksum) gives what
    came before; an error earlier raises ``zlib.error`` (pdfminer then uses no data).
    Output is charged to the budget a step at a time.
    """
    decompressor = zlib.decompressobj()
    out: list[bytes] = []
    fed = 0
    while fed < len(data) and not decompressor.eof:
        piece = data[fed:fed + _FEED]
        saved, kept = decompressor.copy(), len(out)
        try:
            _drain(decompressor, piece, out)
        except zlib.error:
            # Replay this piece one byte at a time to find the byte that fails, as pdfminer does.
            _charge(-sum(len(chunk) for chunk in out[kept:]))
            del out[kept:]
            decompressor = saved
            for offset in range(len(piece)):
                try:
                    _drain(decompressor, piece[offset:offset + 1], out)
                except zlib.error:
                    if fed + offset < len(data) - 3:
                        raise
                    return b"".join(out)
            raise  # unreachable: the piece failed as a whole  # pragma: no cover
        fed += len(piece)
    return b"".join(out)


def _drain(decompressor: Any, piece: bytes, out: list[bytes]) -> None:
    """Feed ``piece`` and collect the output, a step at a time, charging each step."""
    chunk = decompressor.decompress(piece, _STEP)
    while True:
        if chunk:
            _charge(len(chunk))
            out.append(chunk)
        tail = decompressor.unconsumed_tail
        if not tail:
            if decompressor.eof or len(chunk) < _STEP:
                return
            chunk = decompressor.decompress(b"", _STEP)  # output still waiting in the window
            continue
        chunk = decompressor.decompress(tail, _STEP)


def _failed_decompress_corrupted(data: bytes) -> bytes:
    """:func:`inflate` already did pdfminer's recovery: reaching this means no data."""
    raise zlib.error("damaged zlib data")


# --------------------------------------------------------------------------- LZW, RunLength


@_bounded
def lzw_decode(data: bytes) -> bytes:
    """pdfminer's ``lzwdecode``, charging each decoded piece."""
    out: list[bytes] = []
    for piece in lzw.LZWDecoder(BytesIO(data)).run():
        _charge(len(piece))
        out.append(piece)
    return b"".join(out)


@_bounded
def rl_decode(data: bytes) -> bytes:
    """RunLengthDecode (PDF reference 3.3.4), as pdfminer's ``rldecode``, charging as it goes.

    A run cut short by the end of the data is an error, as in pdfminer.
    """
    out = bytearray()
    i, n = 0, len(data)
    charged = 0
    while i < n:
        length = data[i]
        i += 1
        if length == 128:
            break
        if length < 128:
            end = i + length + 1
            if end > n:
                raise PDFValueError("RunLength data ends inside a literal run")
            out += data[i:end]
            i = end
        else:
            if i >= n:
                raise PDFValueError("RunLength data ends inside a repeated run")
            out += data[i:i + 1] * (257 - length)
            i += 1
        if len(out) - charged >= _STEP:
            _charge(len(out) - charged)
            charged = len(out)
    _charge(len(out) - charged)
    return bytes(out)


# --------------------------------------------------------------------------- CCITT fax, predictors


class _BoundedFax(ccitt.CCITTFaxDecoder):
    """pdfminer's fax decoder, each output row charged before it is kept."""

    def output_line(self, y: int, bits: Any) -> None:
        _charge((len(bits) + 7) // 8 + _LIST_ITEM_BYTES * len(bits))
        super().output_line(y, bits)


@_bounded
def fax_decode(data: bytes, params: dict[str, object]) -> bytes:
    """pdfminer's ``ccittfaxdecode``; the row width (``/Columns``) is charged before rows are built."""
    if params.get("K") != -1:
        raise PDFValueError(params.get("K"))
    columns = _int(params.get("Columns"))
    _charge(3 * _LIST_ITEM_BYTES * max(columns, 0))  # the decoder keeps a few rows of this width
    parser = _BoundedFax(columns, bytealign=bool(params.get("EncodedByteAlign")),
                         reversed=bool(params.get("BlackIs1")))
    parser.feedbytes(data)
    return parser.close()


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@_bounded
def _bounded_png_predictor(pred: int, colors: int, columns: int, bitspercomponent: int, data: bytes) -> bytes:
    _charge(_LIST_ITEM_BYTES * max(columns, 0) + len(data) * (_LIST_ITEM_BYTES + 1))
    return _PNG_PREDICTOR(pred, colors, columns, bitspercomponent, data)


@_bounded
def _bounded_tiff_predictor(colors: int, columns: int, bitspercomponent: int, data: bytes) -> bytes:
    _charge(len(data) * (_LIST_ITEM_BYTES + 1))
    return _TIFF_PREDICTOR(colors, columns, bitspercomponent, data)


# --------------------------------------------------------------------------- installation

_REPLACED = ("zlib", "decompress_corrupted", "lzwdecode", "rldecode", "ccittfaxdecode",
             "apply_png_predictor", "apply_tiff_predictor")
#: pdfminer's own functions, as imported (before :func:`install`).
PDFMINER: dict[str, Any] = {name: getattr(pdftypes, name, None) for name in _REPLACED}
_PNG_PREDICTOR = PDFMINER["apply_png_predictor"]
_TIFF_PREDICTOR = PDFMINER["apply_tiff_predictor"]


def install() -> None:
    """Put the bounded decoders in place of pdfminer's (idempotent).

    Raises:
        ImportError: pdfminer no longer decodes streams with these names: the bound would
            not hold, so PDF reading is refused as unavailable rather than run unbounded.
    """
    missing = [name for name in _REPLACED if not hasattr(pdftypes, name)]
    missing += [] if getattr(pdffont, "CMapParser", None) in (cmapdb.CMapParser, _BoundedCMapParser) \
        else ["pdffont.CMapParser"]
    missing += [] if hasattr(pdfinterp, "PDFContentParser") and hasattr(pdfinterp.PDFContentParser, "fillfp") \
        else ["pdfinterp.PDFContentParser.fillfp"]
    if missing or not hasattr(pdftypes.PDFStream, "decode"):
        raise ImportError(f"pdfminer.pdftypes has changed (no {', '.join(missing) or 'PDFStream.decode'}): "
                          "gkcheck cannot bound the streams it inflates", name="pdfminer")
    pdftypes.zlib = SimpleNamespace(decompress=inflate, error=zlib.error,  # type: ignore[assignment]
                                    decompressobj=zlib.decompressobj)
    pdftypes.decompress_corrupted = _failed_decompress_corrupted
    pdftypes.lzwdecode = lzw_decode
    pdftypes.rldecode = rl_decode
    pdftypes.ccittfaxdecode = fax_decode
    pdftypes.apply_png_predictor = _bounded_png_predictor
    pdftypes.apply_tiff_predictor = _bounded_tiff_predictor
    pdffont.CMapParser = _BoundedCMapParser  # type: ignore[misc]
    pdfinterp.PDFContentParser = _BoundedContentParser  # type: ignore[misc]
