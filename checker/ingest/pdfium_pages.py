"""The characters and rules of a PDF's pages with pdfium (pypdfium2), in pdfplumber's terms.

pdfplumber reads a page with pdfminer, a PDF interpreter in pure Python: 0.25–0.5 s of CPU
per report, nearly all of it interpreting the content streams. pdfium (pypdfium2, Apache-2.0 /
BSD-3-Clause, already installed as a dependency of pdfplumber) interprets them in C. This
module turns what pdfium finds into the objects pdfplumber's own table finder and text-line
grouping work on, so that :mod:`checker.ingest.pdf` runs the same geometry on either engine:

* **chars**: every character that a glyph draws (pdfium's generated spaces and line breaks
  left out), as a dict with ``text``, ``x0``, ``x1``, ``top``, ``bottom`` (pdfplumber's
  top-down coordinates): pdfminer's box of the character, from the origin over the advance
  width (pdfium's "loose" box) and from the descent (the loose box's bottom) up by the font
  size (the loose box goes up to the font's ascent instead); for a character of a
  vertical-writing font (``Identity-V``, ``UniGB-UCS2-V``: pdfium's origin below its text
  position's line), pdfminer's box by the font's vertical metrics, recovered from pdfium's
  loose box (:func:`_vertical`): from the origin, the font size wide and high, down by the
  vertical advance;
* **edges**: the rules of the visible drawing, classified as pdfminer classifies a path
  (one subpath at a time: two points are a ``line``, a closed axis-aligned four-point
  subpath a ``rect``, anything else a ``curve``) and turned into edges as pdfplumber does.

:func:`check_streams`, :func:`open_document` and :meth:`Document.page` raise :class:`Undecided`
whenever the two engines could read the file or page differently or the bounds of
:mod:`checker.ingest.pdfstreams` could not be kept; the caller then reads the file (or page)
with pdfplumber (the behaviour of before, errors included):

* a font descriptor gives a descent of 0 or above (pdfminer takes 0 as written and turns a
  positive one negative, pdfium measures the glyphs for 0 and keeps the sign); in a file with
  object streams (``/ObjStm``), every inflated stream is searched for descriptors too;
* the file is encrypted, or a stream is encoded with a filter other than FlateDecode
  (possibly after ASCII85/ASCIIHex), or a filter or its parameters (``/DecodeParms``) are given
  indirectly (they could stand in an object stream, unseen), or a predictor row is
  wider than :data:`_MAX_COLUMNS`; every Flate stream of the file is inflated first
  (:func:`check_streams`), and more than :data:`_FAST_INFLATED` bytes in all (far beyond any
  report: fonts and page contents of a 30-page report take a few MB) or than ``INFLATED_MB``
  also go to pdfplumber, which refuses a file past ``INFLATED_MB`` as before;
* a content stream may hold an inline image (:func:`_refuse_inline_images`): pdfium decodes its
  data while it loads the page, up to 1 GiB an image, where pdfminer keeps the data as it is;
* pdfium cannot open the file (pdfplumber then gives the clear error of before);
* (this page only) a page is rotated or its media box does not start at 0, 0;
* (this page only) a character has no Unicode mapping (pdfminer writes ``(cid:N)``, pdfium the code), is
  not upright, or has a box off its origin or wider than three times its size;
* (this page only) a character of a vertical-writing font whose box pdfium's values cannot be
  verified to give (:func:`_vertical`): the box of the font's vertical metrics, which pdfium
  gives unscaled, does not show beyond the glyph's box on the left or right and at the top and
  bottom (a text matrix scaled up with a small font size, or ``W2`` metrics close to the
  glyph); the position vector's vx is not 500 (pdfminer takes 500 where the font has no ``W2``
  entry, pdfium half the horizontal width); the vertical advance of the box and the font's
  differ; the text matrix scales x and y unequally (horizontal scaling ``Tz``, which pdfminer
  applies to the vertical advance and pdfium folds into the matrix, cannot be told apart). Not
  detectable and read by pdfium: fractional ``W2``/``DW2`` numbers (pdfium truncates them to
  integers, pdfminer keeps them), ``Tz`` exactly undone by the text matrix, and a vertical
  character whose origin pdfium puts exactly on its text position's line and not left of it
  (only with a non-positive vx);
* (this page only) a visible character has no outline: a font the file does not embed, which
  pdfium replaces by a font of this machine lacking the character (CJK text on a machine with no
  CJK fonts); pdfium then drops repeated text it takes for fake bold, so its reading would depend
  on the machine.

:data:`STATS` counts the files read by each engine and the reasons for falling back. pdfium's
functions called per character or page object go through cffi function pointers taking cffi
pointers (:func:`_plain`), cheaper calls than pypdfium2's ctypes bindings.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import ctypes
import re
import struct
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import cffi
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS

from checker import limits
from checker.ingest import pdfium_fonts  # noqa: F401  (our font for fonts a PDF does not embed)

try:  # ISA-L's inflate: zlib's output in less than half the time (the streams of a report inflate to ≈ 2 MB)
    from isal import isal_zlib

    #: The inflaters tried in turn: ISA-L's can fail on damaged data where zlib's gives what came
    #: before the damage (ISA-L reads ahead of the output asked for), so zlib's has the last word.
    _INFLATERS: tuple[Any, ...] = (isal_zlib, zlib)
except ImportError:  # no wheel of isal for this platform
    _INFLATERS = (zlib,)

#: pdfium is not thread-safe, not even across documents: one pdfium call at a time in the process
#: (the Dask executor and ``gkcheck serve`` read files in threads). Held while a page is extracted.
_PDFIUM = threading.Lock()

#: Files read by each engine (``pdfium``, ``pdfplumber``) and the reasons for falling back.
STATS: Counter[str] = Counter()

#: Bytes inflated from all Flate streams of a file above which pdfplumber reads it.
_FAST_INFLATED = 32 << 20
#: Widest predictor row (``/Columns``, ``/Colors``, ``/BitsPerComponent`` each) read by pdfium.
_MAX_COLUMNS = 100_000

_FLATE = rb"/(?:FlateDecode|Fl)"
_ASCII = rb"/(?:ASCII85Decode|A85|ASCIIHexDecode|AHx)"
_IMAGE_ONLY = rb"/(?:DCTDecode|DCT|JPXDecode|JBIG2Decode|CCITTFaxDecode|CCF)"
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,200}\]|/[A-Za-z0-9]+)?")
_ALLOWED_FILTER = re.compile(
    rb"\[\s*(?:" + _ASCII + rb"\s*)*(?:" + _FLATE + rb"\s*)?\]|" + _FLATE + rb"|" + _ASCII + rb"|" + _IMAGE_ONLY
    + rb"|\[\s*" + _IMAGE_ONLY + rb"\s*\]")
_PARAMETER = re.compile(rb"/(?:Columns|Colors|BitsPerComponent)\s*(\S{0,12})")
#: Why :func:`check_streams` leaves a file to pdfplumber, the first found in this order.
_REASONS = ("encrypted", "inline image", "font descent", "indirect parameters", "filter", "predictor")
#: The keys :func:`check_streams` reads (one search; a key found is then read with its own pattern).
_KEY = re.compile(rb"/(?:Encrypt|ObjStm|Descent|DecodeParms|Filter|Columns|Colors|BitsPerComponent)")
_INDIRECT_PARAMETERS = re.compile(rb"/DecodeParms\s*\[?\s*[0-9]+\s+[0-9]+\s+R")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
#: A font descriptor's descent (``/Descent -212``, ``/Descent 0``, ``/Descent 54``).
_DESCENT = re.compile(rb"/Descent\s*([-+]?[0-9.]+)")
#: The start of an indirect object (``12 0 obj``), its font name and the escapes of a name (``#20``).
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()%{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: A font descriptor's font program entry, a font dictionary's subtype, its ToUnicode map (see
#: :func:`_without_font_programs`).
_FONT_PROGRAM = re.compile(rb"/FontFile([23]?)(\s*\d+\s+\d+\s+R)")
_FONT_SUBTYPE = re.compile(rb"/Subtype\s*/(Type0|Type1|MMType1|TrueType|Type3)(?![A-Za-z0-9])")
_TO_UNICODE = re.compile(rb"/ToUnicode\s*\d+\s+\d+\s+R")
#: A subset font's tag (``BAAAAA+``), which pdfium leaves out of the names it gives.
_SUBSET_TAG = re.compile(rb"[A-Z]{6}\+")
#: The operator that starts an inline image: at the start of the data or after white space or the end
#: of a string, dictionary or array; followed by its dictionary, a comment, or the end of the data.
#: (The literal first, so that the search runs at the speed of a plain search; the byte before is
#: tested by the lookbehind.)
_INLINE_IMAGE = re.compile(rb"BI(?<![^\s\x00)>\]}]BI)(?=[\s\x00/%]|\Z)")
_EDGE_ORDER = {"line": 0, "rect_edge": 1, "curve_edge": 2}
_SPACES = frozenset(" \r\n\t\x00\xa0")


#: What :func:`_chars` has pdfium write per character: matrix, loose box, origin, glyph box (no padding).
_CHAR_BUFFER = struct.Struct("=6f4f2d4d")
_POINTER = type(ctypes.POINTER(ctypes.c_int))


_FFI = cffi.FFI()
#: C types of ctypes' scalar type codes (``_type_``); pointers (and ``P``, ``z``) are ``void *``.
_C_TYPES = {"i": "int", "I": "unsigned int", "l": "long", "L": "unsigned long", "h": "short", "H": "unsigned short",
            "b": "signed char", "B": "unsigned char", "q": "long long", "Q": "unsigned long long", "f": "float",
            "d": "double"}


def _plain(func: Any) -> Any:
    """pdfium's function ``func`` taking and returning cffi ``void *`` pointers where it takes typed pointers.

    The same C function (its address in the library pypdfium2 loaded), called through cffi (ABI
    mode, no compiler): a call costs ≈ 0.23 µs instead of ctypes' ≈ 0.55 µs (and 0.29 µs with
    addresses passed as ints: a cffi pointer converts faster than an int). Handles come from
    :func:`_handle`, buffers pdfium writes into are cffi's (``_FFI.new``).
    ``__stdcall`` is pdfium's convention on 32-bit Windows; cffi ignores it everywhere else.
    """
    def c_type(kind: Any) -> str:
        if kind is None:
            return "void"
        code = getattr(kind, "_type_", None)
        if isinstance(kind, _POINTER) or not isinstance(code, str) or code not in _C_TYPES:
            return "void *"
        return _C_TYPES[code]

    address = ctypes.cast(func, ctypes.c_void_p).value
    if not address:
        raise ImportError(f"pdfium has no {func.__name__}")
    arguments = ", ".join(c_type(kind) for kind in func.argtypes) or "void"
    return _FFI.cast(f"{c_type(func.restype)} (__stdcall *)({arguments})", address)


def _handle(obj: Any) -> Any:
    """The cffi ``void *`` of a pypdfium2 object's pdfium handle (``obj.raw``, a ctypes pointer)."""
    return _FFI.cast("void *", ctypes.cast(obj.raw, ctypes.c_void_p).value or 0)


_count_chars = _plain(pdfium_c.FPDFText_CountChars)
_loose_char_box = _plain(pdfium_c.FPDFText_GetLooseCharBox)
_is_generated = _plain(pdfium_c.FPDFText_IsGenerated)
_has_map_error = _plain(pdfium_c.FPDFText_HasUnicodeMapError)
_char_matrix = _plain(pdfium_c.FPDFText_GetMatrix)
_font_size = _plain(pdfium_c.FPDFText_GetFontSize)
_char_origin = _plain(pdfium_c.FPDFText_GetCharOrigin)
_glyph_box = _plain(pdfium_c.FPDFText_GetCharBox)
_text_object = _plain(pdfium_c.FPDFText_GetTextObject)
_object_font = _plain(pdfium_c.FPDFTextObj_GetFont)
_glyph_width = _plain(pdfium_c.FPDFFont_GetGlyphWidth)
_base_font_name = _plain(pdfium_c.FPDFFont_GetBaseFontName)
_page_count_objects = _plain(pdfium_c.FPDFPage_CountObjects)
_page_get_object = _plain(pdfium_c.FPDFPage_GetObject)
_form_count_objects = _plain(pdfium_c.FPDFFormObj_CountObjects)
_form_get_object = _plain(pdfium_c.FPDFFormObj_GetObject)
_object_type = _plain(pdfium_c.FPDFPageObj_GetType)
_object_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix)
_path_draw_mode = _plain(pdfium_c.FPDFPath_GetDrawMode)
_stroke_color = _plain(pdfium_c.FPDFPageObj_GetStrokeColor)
_fill_color = _plain(pdfium_c.FPDFPageObj_GetFillColor)
_path_count_segments = _plain(pdfium_c.FPDFPath_CountSegments)
_path_segment = _plain(pdfium_c.FPDFPath_GetPathSegment)
_segment_type = _plain(pdfium_c.FPDFPathSegment_GetType)
_segment_point = _plain(pdfium_c.FPDFPathSegment_GetPoint)
_segment_close = _plain(pdfium_c.FPDFPathSegment_GetClose)


class Undecided(Exception):
    """pdfium's reading could differ from pdfplumber's, or could not be bounded: read with pdfplumber."""


@dataclass(slots=True)
class PageView:
    """One page as pdfplumber's table finder and text extraction see it (``page`` for them)."""

    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]
    char_count: int
    unmapped_chars: int
    #: Every character upright, one character of text (:func:`checker.ingest.pdftext.applies`); None: not known.
    simple_text: bool | None = None

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


@dataclass(slots=True)
class Document:
    """What the fast path read: the page count, the pages (read one by one) and the information entries."""

    page_count: int
    pdf: Any
    info: dict[str, str]
    #: The font descents read from the file (:func:`check_streams`); empty: pdfium's boxes serve.
    descents: Descents = field(default_factory=dict)

    def page(self, index: int) -> PageView:
        """Page ``index`` (from 0) as a :class:`PageView`; :class:`Undecided` when pdfium cannot decide it."""
        with _PDFIUM:
            try:
                page = self.pdf[index]
            except pdfium.PdfiumError as exc:  # e.g. a page tree whose /Kids point back to an ancestor
                raise Undecided("pdfium cannot load the page") from exc
            try:
                return _page_view(page, self.descents)
            finally:
                page.close()

    def close(self) -> None:
        with _PDFIUM:
            self.pdf.close()


def check_streams(data: bytes) -> Descents:
    """:class:`Undecided` unless every stream is plainly encoded and all inflate to little.

    Returns the file's font descents (:func:`_descents`) when a font descriptor gives a
    descent of 0 or above (none: an empty mapping).

    pdfium inflates streams without a bound, so this runs before pdfium opens the file: every
    Flate stream (after its ASCII85/ASCIIHex layer, when it has one) is inflated here, at most
    to what is left of :data:`_FAST_INFLATED` or of ``INFLATED_MB``, whichever is smaller; more
    than that, a filter of another kind, or a Flate stream this does not find and inflate
    whole leaves the file to pdfplumber, whose decoders charge the budget as they go
    (:mod:`checker.ingest.pdfstreams`) and refuse a file past ``INFLATED_MB`` as before.
    """
    # one search of the file for the keys that matter, each key then read where it stands
    found: set[str] = set()  # what leaves the file to pdfplumber (a reason of _REASONS)
    flate_filters = 0
    for key in _KEY.finditer(data):
        name, at = key.group(), key.start()
        if name == b"/Encrypt":
            found.add("encrypted")
        elif name == b"/ObjStm":
            found.add("object streams")  # font descriptors may stand in them (not a reason)
        elif name == b"/Descent":
            if _positive_descent(_DESCENT.match(data, at)):
                found.add("font descent")  # read from the descriptors (_descents), else a reason
        elif name == b"/Filter":
            value = _FILTER.match(data, at).group(1)  # type: ignore[union-attr]  # the key matched here
            if value is None or not _ALLOWED_FILTER.fullmatch(value):
                found.add("filter")
            else:
                flate_filters += len(re.findall(_FLATE + rb"\b", value))
        elif name == b"/DecodeParms":
            if _INDIRECT_PARAMETERS.match(data, at):  # they could stand in an object stream, out of sight
                found.add("indirect parameters")
        else:  # /Columns, /Colors, /BitsPerComponent
            number = _PARAMETER.match(data, at).group(1)  # type: ignore[union-attr]
            if not number.isdigit() or int(number) > _MAX_COLUMNS:
                found.add("predictor")
    if _INLINE_IMAGE.search(data):  # in a content stream that is not encoded
        found.add("inline image")
    descents: Descents = {}
    for reason in _REASONS:  # the first, in the order of before
        if reason == "font descent" and reason in found:
            descents = _descents(data)  # Undecided when a descriptor cannot be read
        elif reason in found:
            raise Undecided("predictor" if reason == "indirect parameters" else reason)
    object_streams = "object streams" in found
    left = min(_FAST_INFLATED, limits.INFLATED_MB.bytes())
    streams = 0
    for match in _STREAM.finditer(data):
        if data[match.start() - 3:match.start()] == b"end":
            continue
        size = _inflate_at(data, match.end(), left, object_streams)
        if size is not None:
            streams += 1
            left -= size
            if left < 0:
                raise Undecided("large")
    if streams < flate_filters:
        raise Undecided("unread stream")
    return descents


#: A font's name (its descriptor's ``/FontName``, escapes decoded, subset tag left out) → its
#: descriptor's ``/Descent`` (per 1000 of the font size); None when two descriptors of the name differ.
Descents = dict[bytes, float | None]


def _descents(data: bytes) -> Descents:
    """The descents of the file's font descriptors, by font name (:data:`Descents`).

    pdfminer takes a descriptor's descent of 0 as written (LibreOffice writes ``/Ascent 0 /Descent 0``
    for its fonts, and Descent 0 is common in other producers' files too) and a positive one as
    negative, while pdfium measures the glyphs for the first and keeps the sign of the second. So
    for the characters of such a font, :func:`_chars` places pdfminer's box from the character's
    origin and this descent. A descriptor is read where it stands as an indirect object
    (``n 0 obj … endobj``) with one ``/FontName`` and one ``/Descent``; :class:`Undecided` when
    a descent of 0 or above stands anywhere else (a descriptor this does not read).
    """
    starts = [match.start() for match in _OBJECT.finditer(data)]
    ends = [match.start() for match in re.finditer(rb"endobj", data)]
    # an object (its index in starts) → its descriptor's font name and where it ends, when it is one
    read: dict[int, tuple[bytes, int] | None] = {}
    out: Descents = {}
    for match in _DESCENT.finditer(data):
        k = bisect.bisect_right(starts, match.start()) - 1
        if k not in read:  # each object read once (a file may hold many descents in one object)
            read[k] = _descriptor_name(data, starts, ends, k) if k >= 0 else None
        descriptor = read[k]
        name = descriptor[0] if descriptor is not None and match.start() < descriptor[1] else None
        if name is None or name.decode("latin-1") in FONT_METRICS:  # pdfminer reads a standard font's own metrics
            if _positive_descent(match):
                raise Undecided("font descent")
            continue
        try:
            descent = float(match.group(1))
        except ValueError:
            raise Undecided("font descent") from None
        out[name] = descent if out.get(name, descent) == descent else None
    return out


def _descriptor_name(data: bytes, starts: list[int], ends: list[int], k: int) -> tuple[bytes, int] | None:
    """The font name (escapes decoded, subset tag left out) of object ``k`` (``starts[k]``, up to the
    first ``endobj`` after it) and where the object ends, when it is a font descriptor with one
    ``/FontName`` and one ``/Descent`` and no stream; else None."""
    at = bisect.bisect_left(ends, starts[k])
    if at == len(ends) or (k + 1 < len(starts) and starts[k + 1] < ends[at]):
        return None  # no endobj before the next object starts
    body = data[starts[k]:ends[at]]
    found = _FONT_NAME.findall(body)
    if b"/FontDescriptor" not in body or len(found) != 1 or len(_DESCENT.findall(body)) != 1 or b"stream" in body:
        return None
    name = _SUBSET_TAG.sub(b"", _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), found[0]), count=1)
    return name, ends[at]


def _check_descents(content: bytes) -> None:
    """:class:`Undecided` when a font descriptor in the data gives a descent of 0 or above.

    pdfminer takes a descent of 0 as written (LibreOffice 7 writes ``/Ascent 0 /Descent 0``) and a
    positive one as negative; pdfium measures the glyphs for the first and keeps the sign of the
    second, so the characters' boxes (their top and bottom) would differ by up to a fifth of their size.
    """
    if any(map(_positive_descent, _DESCENT.finditer(content))):
        raise Undecided("font descent")


def _positive_descent(match: re.Match[bytes] | None) -> bool:
    """Whether a descriptor's ``/Descent`` (a match of :data:`_DESCENT`) is 0 or above."""
    return match is not None and not match.group(1).startswith(b"-")


def _inflate_at(data: bytes, start: int, left: int, object_streams: bool = False) -> int | None:
    """The inflated size (at most ``left + 1``) of the whole zlib data, or ASCII85/hex-encoded zlib
    data, at ``start``; None when there is none or it is damaged. ``object_streams``: the file has
    object streams, whose font descriptors are checked too (every inflated stream is searched)."""
    head = data[start:start + 2]
    if len(head) == 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0:
        raw: Any = memoryview(data)[start:]  # to the end of the zlib data, whatever bytes it holds
    else:
        end = data.find(b"endstream", start)
        body = data[start:end if end >= 0 else len(data)].rstrip()
        if not body.endswith(b">"):  # neither ASCII85 (~>) nor ASCIIHex (>): an image, or no filter
            return None
        text = re.sub(rb"\s", b"", body)
        try:
            if text.endswith(b"~>"):  # ASCII85: PDF leaves out the opening <~
                raw = base64.a85decode(text if text.startswith(b"<~") else b"<~" + text, adobe=True)
            elif text.endswith(b">"):  # ASCIIHex: an odd last digit is followed by 0
                digits = text[:-1]
                raw = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            else:
                return None
        except (ValueError, binascii.Error):
            return None
        _refuse_inline_images(raw)  # a content stream in ASCII85 or hex alone
    for module in _INFLATERS:
        inflater = module.decompressobj()
        try:
            inflated = inflater.decompress(raw, left + 1)
        except module.error:
            continue
        _refuse_inline_images(inflated)
        if object_streams:
            _check_descents(inflated)
        return len(inflated) if len(inflated) > left or inflater.eof else None
    return None


def _refuse_inline_images(content: bytes) -> None:
    """:class:`Undecided` when the data may hold an inline image (the operator ``BI``) of a content stream.

    pdfium decodes an inline image's data while it loads the page, to find where the data ends,
    with no bound but its own (1 GiB an image): a few KB of Flate data inflate to that. pdfminer
    keeps the data as it is. Every stream's decoded data and the file itself are searched (which
    streams are content streams is not known before pdfium reads the file); ``BI`` at the very
    end counts too (pdfium joins a page's content streams, so the next stream may go on with it).
    """
    if _INLINE_IMAGE.search(content):
        raise Undecided("inline image")


def open_document(data: bytes, descents: Descents | None = None) -> Document:
    """Open the file with pdfium (:class:`Undecided` when pdfium cannot); ``descents``: :func:`check_streams`'s.

    pdfium is given the file with its font programs out of sight when that changes no character
    (:func:`_without_font_programs`).
    """
    data = _without_font_programs(data)
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise Undecided("pdfium cannot open") from exc
        info = {key: value for key, value in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(value, str)}
        return Document(len(pdf), pdf, info, descents or {})


def _without_font_programs(data: bytes) -> bytes:
    """The file with its font descriptors' ``/FontFile``, ``/FontFile2`` and ``/FontFile3`` entries
    renamed (``/FontFilX…``, as long: the cross-reference offsets hold), when every font is a
    composite one with a ``/ToUnicode`` map (see below); else the file as it is.

    pdfminer reads no font program: a character's text comes from the font's ``ToUnicode`` map,
    its box from the font's widths and descriptor. pdfium loads each embedded program with
    FreeType (a third of the time it takes to load a page of a word processor's export). Without
    the programs it takes the fonts as not embedded and draws them with gkcheck's box font
    (:mod:`checker.ingest.pdfium_fonts`), whose boxes are pdfminer's as closely as the embedded
    fonts' (closer, on the corpus PDFs). The text stays the same only where every font maps its
    codes to text without its program: every font (``/Subtype`` Type0, Type1, MMType1, TrueType,
    Type3) has a ``/ToUnicode`` reference, and no font can hide in an object stream. And every
    font is a composite one (Type0: WPS's exports; Chromium's add Type3 fonts): pdfium finds the glyphs of a
    simple font that is not embedded by its codes, which a symbolic subset (LibreOffice's) maps
    to no glyph of the box font (its characters would have no outline: the page would go to
    pdfplumber, see :func:`_chars`).
    """
    if b"/FontFile" not in data or b"/ObjStm" in data:
        return data
    fonts = _FONT_SUBTYPE.findall(data)
    if not fonts or any(kind != b"Type0" for kind in fonts) or len(_TO_UNICODE.findall(data)) < len(fonts):
        return data
    return _FONT_PROGRAM.sub(rb"/FontFilX\1\2", data)


def _page_view(page: Any, descents: Descents) -> PageView:
    """Characters and visible edges of one page (``descents``: see :func:`_descents`)."""
    if page.get_rotation():
        raise Undecided("rotated page")
    left, bottom, right, top = page.get_mediabox()
    if left or bottom:
        raise Undecided("media box offset")
    textpage = page.get_textpage()
    try:
        chars, count, unmapped = _chars(textpage, top, descents)
    finally:
        textpage.close()
    edges: list[dict[str, Any]] = []
    _collect_paths(_handle(page), None, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), top, edges, 0)
    edges.sort(key=lambda edge: _EDGE_ORDER[edge["object_type"]])  # pdfplumber's order: lines, rects, curves
    return PageView(chars, edges, (0.0, 0.0, right, top), count, unmapped, simple_text=True)


def _chars(textpage: Any, page_top: float, descents: Descents | None = None) -> tuple[list[dict[str, Any]], int, int]:
    """The characters drawn on the page, in pdfplumber's form (``descents``: see :func:`_descents`)."""
    raw = _handle(textpage)
    count = _count_chars(raw)
    if count <= 0:
        return [], 0, 0
    text = textpage.get_text_range(0, count, errors="replace") if count else ""
    if len(text) != count:  # characters beyond the BMP: one at a time
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    # pdfium fills one buffer: the character's matrix (FS_MATRIX), its loose box (FS_RECTF: left,
    # top, right, bottom), its origin, its glyph's box (left, right, bottom, top)
    matrix_at = _FFI.new("char[]", _CHAR_BUFFER.size)
    buffer = _FFI.buffer(matrix_at)
    rect_at, origin_x_at, origin_y_at = matrix_at + 24, matrix_at + 40, matrix_at + 48
    glyph_left, glyph_right, glyph_bottom, glyph_top = matrix_at + 56, matrix_at + 64, matrix_at + 72, matrix_at + 80
    unpack = _CHAR_BUFFER.unpack_from
    box, generated, map_error = _loose_char_box, _is_generated, _has_map_error
    char_matrix, font_size, char_origin, glyph_box = _char_matrix, _font_size, _char_origin, _glyph_box
    spaces = _SPACES
    chars: list[dict[str, Any]] = []
    append = chars.append
    fonts: dict[Any, Any] = {}  # text object -> its font (characters of vertical-writing fonts only)
    width = _FFI.new("float *")
    own: dict[Any, float | None] = {}  # text object -> its font's descent when pdfium's box does not serve
    for index, char in enumerate(text):
        if char in spaces and generated(raw, index):
            continue
        if map_error(raw, index):
            raise Undecided("unmapped character")
        has_matrix = char_matrix(raw, index, matrix_at)
        box(raw, index, rect_at)
        char_origin(raw, index, origin_x_at, origin_y_at)
        glyph_box(raw, index, glyph_left, glyph_right, glyph_bottom, glyph_top)
        a, b, c, d, e, f, left, top, right, base, origin_x, origin_y, g_left, g_right, g_bottom, g_top = unpack(
            buffer)
        if not has_matrix or b or c or a <= 0 or d <= 0:
            raise Undecided("character not upright")
        points = font_size(raw, index)
        size = points * d
        if g_top - g_bottom < 0.02 * size and not char.isspace():
            # no outline for a visible character (pdfium gives it a box 0.01 high): a font the file
            # does not embed, replaced by a font of this machine without the character (a CJK font
            # on a machine with no CJK fonts); pdfium then takes text objects of such characters
            # repeated nearby for one drawn twice (fake bold) and drops them. pdfminer reads the
            # file alike on every machine
            raise Undecided("character without outline")
        if origin_y != f or origin_x < e:
            # the origin of an upright character of a horizontal font lies on its text position's
            # line (y == f); a character of a vertical-writing font hangs below it (see _vertical)
            box_of = _vertical(raw, index, char, points, a, d, (left, top, right, base),
                               (origin_x, origin_y), (g_left, g_right, g_bottom, g_top), fonts, width)
            if box_of is not None:
                x0, x1, low, high = box_of
                append({"text": char, "x0": x0, "x1": x1, "top": page_top - high, "bottom": page_top - low,
                        "doctop": page_top - high, "size": x1 - x0, "upright": True})
                continue
            if origin_y != f:
                raise Undecided("character box")
        # pdfium's loose box is pdfminer's box (origin, advance width, descent) but for its top (the
        # ascent, where pdfminer takes the font size); its bottom not for a descent pdfium measures
        descent = None
        if descents:
            text_object = _text_object(raw, index)
            if text_object not in own:
                own[text_object] = _own_descent(text_object, descents)
            descent = own[text_object]
        if abs(left - origin_x) > 0.05 * size + 0.01 or right - left > 3 * size or (
                descent is None and abs(base - origin_y) > 0.5 * size):
            raise Undecided("character box")
        bottom = page_top - base if descent is None else page_top - origin_y + descent * size
        top = bottom - size
        append({"text": char, "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
                "size": size, "upright": True})
    return chars, len(chars), 0


def _own_descent(text_object: Any, descents: Descents) -> float | None:
    """The descent (per font size, 0 or above) pdfminer gives the characters of a text object's
    font when pdfium's box does not serve (its descriptor's descent is 0 or above); None when it
    does (a negative descent); :class:`Undecided` when the font's descriptor is not known or two
    descriptors of its name differ."""
    font = _object_font(text_object)
    size = _base_font_name(font, _FFI.NULL, 0) if font else 0
    if not size or size > 1024:
        raise Undecided("font descent")
    buffer = _FFI.new("char[]", size)
    _base_font_name(font, buffer, size)
    name = _SUBSET_TAG.sub(b"", _FFI.string(buffer), count=1)
    descent = descents.get(name)
    if descent is None:
        raise Undecided("font descent")
    return descent / 1000 if descent >= 0 else None


def _vertical(raw: Any, index: int, char: str, points: float, a: float, d: float,
              loose: tuple[float, float, float, float], origin: tuple[float, float],
              glyph: tuple[float, float, float, float], fonts: dict[Any, Any],
              width: Any) -> tuple[float, float, float, float] | None:
    """pdfminer's box (x0, x1, y0, y1, PDF coordinates) of character ``index`` of a vertical-writing font.

    None when the character's font is not one of vertical writing (pdfium gives a negative
    vertical advance, its ``W2``/``DW2`` width, for those only); :class:`Undecided` when pdfminer's
    box cannot be verified from what pdfium gives. pdfminer (``LTChar``) places the character by
    the vertical origin (x, y) of its text position, with the font size s, the text matrix's scale
    (a, d), the position vector (vx, vy) and vertical advance w1y of the character's ``W2`` entry
    (else vx = 500, vy and w1y from ``DW2``, 880 and -1000 by default)::

        x0 = x - a*vx*s/1000   x1 = x0 + a*s   y1 = y + d*(1000 - vy)*s/1000   y0 = y1 + d*w1y*s/1000

    pdfium's origin is the glyph's (horizontal) origin, o = (x - a*vx'*s/1000, y - d*vy'*s/1000)
    with pdfium's own vx' (the ``W2`` entry's, else half the ``W``/``DW`` width) and vy' (the same
    as pdfminer's), so that x0 = o.x when vx = vx', y1 = o.y + d*s and y0 = y1 + d*w1y*s/1000.
    pdfium's loose box is the union of the glyph's box with the unscaled box
    [o.x + (vx' - 500)*s/1000, + s] x [o.y + vy'*s/1000 + w1y*s/1000, o.y + vy'*s/1000]: where a
    side of it lies outside the glyph's box it gives vx' (which must be 500, pdfminer's default,
    for pdfminer's vx to be known to be the same) and w1y (checked against the font's vertical
    advance of the character). Undecided: no side of the box in x, or neither its top nor its
    bottom, outside the glyph's box (a text matrix scaled up, with a small font size); vx' other
    than 500; the advance from the box and from the font differing; a != d (horizontal scaling
    ``Tz``, which pdfminer applies to the advance and pdfium folds into the matrix).
    """
    text_object = _text_object(raw, index)
    font = fonts.get(text_object)
    if font is None:
        font = fonts[text_object] = _object_font(text_object)
    if not font or not _glyph_width(font, ord(char), points, width):
        raise Undecided("character box")
    advance = width[0]
    if advance >= 0:  # a horizontal font
        return None
    left, top, right, bottom = loose
    origin_x, origin_y = origin
    g_left, g_right, g_bottom, g_top = glyph
    unit = 0.4 * points / 1000  # less than one unit of the font's (integer) metrics
    if left < g_left:
        nominal_left = left
    elif right > g_right:
        nominal_left = right - points
    else:
        raise Undecided("vertical character box")
    if (abs(nominal_left - origin_x) > unit or (left < g_left and right > g_right and abs(right - left - points) > unit)
            or not (top > g_top and bottom < g_bottom) or abs(bottom - top - advance) > unit
            or abs(a - d) > 1e-6 * d):
        raise Undecided("vertical character box")
    high = origin_y + d * points
    return origin_x, origin_x + a * points, high + d * advance, high


class _Scratch:
    """One buffer pdfium writes a path's values into (one per page: no allocation per object)."""

    #: matrix (6 floats), fill mode and stroke (2 ints), a colour (4 unsigned ints), a point (2 floats)
    LAYOUT = struct.Struct("=6f2i4I2f")

    def __init__(self) -> None:
        self.matrix = _FFI.new("char[]", self.LAYOUT.size)
        self.buffer = _FFI.buffer(self.matrix)
        self.fill_mode, self.stroke = self.matrix + 24, self.matrix + 28
        self.colour = (self.matrix + 32, self.matrix + 36, self.matrix + 40, self.matrix + 44)
        self.x, self.y = self.matrix + 48, self.matrix + 52


_MATRIX = struct.Struct("=6f")
_MODES = struct.Struct("=2i")
_COLOUR = struct.Struct("=3I")
_POINT = struct.Struct("=2f")


def _collect_paths(page: Any, form: Any, matrix: tuple[float, ...], page_top: float,
                   edges: list[dict[str, Any]], depth: int, scratch: _Scratch | None = None) -> None:
    """Edges of the visible paths of a page or form (forms' matrices applied; page and form: cffi handles)."""
    if depth > 8:
        raise Undecided("deep forms")
    if scratch is None:
        scratch = _Scratch()
    if form is None:
        count, get, parent = _page_count_objects(page), _page_get_object, page
    else:
        count, get, parent = _form_count_objects(form), _form_get_object, form
    buffer, matrix_at = scratch.buffer, scratch.matrix
    object_type, path_kind, form_kind = _object_type, _PATH_OBJECT, _FORM_OBJECT
    for index in range(count):
        obj = get(parent, index)
        kind = object_type(obj)
        if kind != path_kind and kind != form_kind:
            continue
        if not _object_matrix(obj, matrix_at):
            raise Undecided("no matrix")
        own = _compose(_MATRIX.unpack_from(buffer), matrix)
        if kind == form_kind:
            _collect_paths(page, obj, own, page_top, edges, depth + 1, scratch)
        else:
            _path_edges(obj, own, page_top, edges, scratch)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


_LINETO, _BEZIERTO, _MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO, pdfium_c.FPDF_SEGMENT_MOVETO
_PATH_OBJECT, _FORM_OBJECT = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM


def _path_edges(obj: Any, matrix: tuple[float, ...], page_top: float, edges: list[dict[str, Any]],
                scratch: _Scratch) -> None:
    """The edges of one path object's visible subpaths, as pdfminer and pdfplumber would make them."""
    buffer = scratch.buffer
    if not _path_draw_mode(obj, scratch.fill_mode, scratch.stroke):
        raise Undecided("path draw mode")
    fill_mode, stroke = _MODES.unpack_from(buffer, 24)
    stroke_white, fill_white = _white(obj, _stroke_color, scratch), _white(obj, _fill_color, scratch)
    a, b, c, d, e, f = matrix
    x_at, y_at = scratch.x, scratch.y
    get_segment, segment_type, segment_point, segment_close = (
        _path_segment, _segment_type, _segment_point, _segment_close)
    unpack_point = _POINT.unpack_from
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    bezier = 0
    for index in range(_path_count_segments(obj)):
        segment = get_segment(obj, index)
        kind = segment_type(segment)
        segment_point(segment, x_at, y_at)
        x, y = unpack_point(buffer, 48)
        point = (a * x + c * y + e, page_top - (b * x + d * y + f))
        if kind == _MOVETO:
            if shape:
                subpaths.append(("".join(shape), points))
            shape, points, bezier = ["m"], [point], 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # the end point; the two before are control points
                shape.append("c")
                points.append(point)
        elif kind == _LINETO:
            shape.append("l")
            points.append(point)
        else:
            raise Undecided("path segment")
        if segment_close(segment) and points:
            shape.append("h")
            points.append(points[0])
    if shape:
        subpaths.append(("".join(shape), points))
    for kind_shape, pts in subpaths:
        _subpath_edges(kind_shape, pts, bool(stroke), bool(fill_mode), stroke_white, fill_white, edges)


def _subpath_edges(shape: str, pts: list[tuple[float, float]], stroke: bool, fill: bool, stroke_white: bool,
                   fill_white: bool, edges: list[dict[str, Any]]) -> None:
    """pdfminer's classification of one subpath (converter.paint_path), then pdfplumber's edges and visibility."""
    if not shape.startswith("m"):
        return
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        if stroke_white:
            return
        (x0, y0), (x1, y1) = pts[0], pts[1]
        edges.append(_edge("line", min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1),
                           "h" if y0 == y1 else "v"))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts[:5]
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            visible = (stroke and not stroke_white) or (
                fill and min(right - left, bottom - top) <= 2 and not fill_white)
            if visible:
                edges.append(_edge("rect_edge", left, right, top, top, "h"))
                edges.append(_edge("rect_edge", left, right, bottom, bottom, "h"))
                edges.append(_edge("rect_edge", left, left, top, bottom, "v"))
                edges.append(_edge("rect_edge", right, right, top, bottom, "v"))
            return
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        orientation = "v" if x0 == x1 else ("h" if y0 == y1 else None)
        edges.append(_edge("curve_edge", min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1), orientation))


def _edge(kind: str, x0: float, x1: float, top: float, bottom: float, orientation: str | None) -> dict[str, Any]:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def _white(obj: Any, getter: Any, scratch: _Scratch) -> bool:
    """Whether the object's stroke or fill colour (as pdfium gives it, RGB) is white."""
    if not getter(obj, *scratch.colour):
        return False
    return min(_COLOUR.unpack_from(scratch.buffer, 32)) >= 253
