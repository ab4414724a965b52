"""One substitute font, ours, for every font a PDF does not embed: pdfium reads alike on every machine.

A PDF may name a font without embedding it (reportlab's and iText's ``STSong-Light``, common in
the reports of Chinese government systems). pdfium then asks its system-font source
(``FPDF_SYSFONTINFO``; by default a scan of the machine's font folders) for a substitute, and
what it finds changes its reading:

* a CJK font of the machine (Noto Sans CJK here) has CFF outlines that pdfium loads for every
  character: ≈ 12 ms of CPU per page of a report (pdfium loading the page and its text);
* a machine without CJK fonts has no outline for the characters: their glyph boxes are empty,
  and pdfium takes repeated text for fake bold and drops it
  (:mod:`checker.ingest.pdfium_pages` leaves such a page to pdfplumber);
* pdfium's loose character box is the union of the character's box (origin, advance width,
  ascent, descent) and its glyph's outline box, so a glyph wider than its advance moves
  ``x1``.

:func:`install` (run on import) gives pdfium a source of its own (``FPDF_SetSystemFontInfo``
with callbacks in ctypes) that answers every request with ``data/boxfont.ttf`` (built by
:mod:`checker.ingest.boxfont`, 880 bytes): one glyph for every code point but white space, a
thin box inside the box of any character. Loading it costs nothing, every visible character has
a proper glyph box, and the loose box is the character's box. pdfminer takes a character's box
from the PDF's widths and the font descriptor alone, so the fonts of the machine never mattered
to it. The standard 14 fonts (Helvetica, Times, Courier and their aliases, Symbol,
ZapfDingbats) are not answered: pdfium uses its built-in copies of them, as on a machine
without fonts (the box font's advance widths would replace theirs where a PDF gives none).
A page rendered by pdfium would show the boxes; gkcheck renders no PDF.

The callbacks are called from C in the thread that calls pdfium (under
``pdfium_pages._PDFIUM``); they and the font's buffer live as long as the process.
"""

from __future__ import annotations

import ctypes
from importlib import resources
from typing import Any

import pypdfium2.raw as pdfium_c  # importing pypdfium2 (its parent package) initialises pdfium

#: The font's face name, as pdfium's font mapper knows it.
FACE = b"GkcheckBox"
#: Charsets (Windows' ``*_CHARSET``) the font is listed for: all pdfium knows.
_CHARSETS = (0, 1, 2, 77, 128, 129, 130, 134, 136, 161, 162, 163, 177, 178, 186, 204, 222, 238, 255)
#: The family names pdfium asks for when a PDF names a standard 14 font (or one of its aliases,
#: such as Arial): not answered, so that pdfium uses its built-in copy (CFX_FontMapper::FindSubstFont).
_STANDARD = frozenset({
    "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-BoldOblique", "Helvetica-Oblique", "Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic",
    "Symbol", "ZapfDingbats"})

_FONT = resources.files("checker.ingest").joinpath("data", "boxfont.ttf").read_bytes()
_FONT_BUFFER = ctypes.create_string_buffer(_FONT, len(_FONT))


def _field(name: str) -> Any:
    """The ctypes function type of the ``FPDF_SYSFONTINFO`` member ``name``."""
    return dict(pdfium_c.FPDF_SYSFONTINFO._fields_)[name]


def _release(this: Any) -> None:
    return None


def _enum_fonts(this: Any, mapper: Any) -> None:
    for charset in _CHARSETS:
        pdfium_c.FPDF_AddInstalledFont(mapper, FACE, charset)


def _name(face: Any) -> str:
    """A face name pdfium passes (a C string; NULL: empty)."""
    return (ctypes.cast(face, ctypes.c_char_p).value or b"").decode("latin-1") if face else ""


def _handle(charset: int) -> int:
    """A font handle: the charset asked for, plus one (never NULL)."""
    return (charset & 0xFF) + 1


def _map_font(this: Any, weight: int, italic: int, charset: int, pitch_family: int, face: Any, exact: Any) -> int | None:
    if exact:
        exact[0] = 0
    if _name(face) in _STANDARD:
        return None
    return _handle(charset)


def _get_font(this: Any, face: Any) -> int | None:
    return None if _name(face) in _STANDARD else _handle(1)


def _get_font_data(this: Any, font: Any, table: int, buffer: Any, size: int) -> int:
    if table != 0:  # pdfium asks for the 'ttcf' table (a font collection: none), then for the whole file (0)
        return 0
    if buffer and size >= len(_FONT):
        ctypes.memmove(buffer, _FONT_BUFFER, len(_FONT))
    return len(_FONT)


def _get_face_name(this: Any, font: Any, buffer: Any, size: int) -> int:
    name = FACE + b"\0"
    if buffer and size >= len(name):
        ctypes.memmove(buffer, name, len(name))
    return len(name)


def _get_font_charset(this: Any, font: Any) -> int:
    return (font or 1) - 1


def _delete_font(this: Any, font: Any) -> None:
    return None


_INFO = pdfium_c.FPDF_SYSFONTINFO(
    version=1,
    Release=_field("Release")(_release),
    EnumFonts=_field("EnumFonts")(_enum_fonts),
    MapFont=_field("MapFont")(_map_font),
    GetFont=_field("GetFont")(_get_font),
    GetFontData=_field("GetFontData")(_get_font_data),
    GetFaceName=_field("GetFaceName")(_get_face_name),
    GetFontCharset=_field("GetFontCharset")(_get_font_charset),
    DeleteFont=_field("DeleteFont")(_delete_font),
)


def install() -> None:
    """Make :data:`_INFO` pdfium's system-font source (before pdfium loads any font of a PDF)."""
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_INFO))


install()
