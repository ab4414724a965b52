"""pdfium draws every font a PDF does not embed with our box font (:mod:`checker.ingest.pdfium_fonts`).

The font file is what :mod:`checker.ingest.boxfont` builds; every code point but white space has
the box glyph; in pdfium, the characters of a non-embedded font (reportlab's CID fonts of the four
CJK character collections) have the box's glyph box, strictly inside their loose box, whose
horizontal extent is then pdfminer's (origin to origin plus the PDF's width); the standard 14
fonts keep pdfium's built-in outlines. Reading without the machine's fonts is tested in
``test_pdf_engines.py`` (a fresh process with pdfium's system fonts switched off).
"""

from __future__ import annotations

import ctypes
import io
import random
from typing import Any

import pytest
from gk_testlib import one_page_pdf

from checker.ingest import boxfont, pdfium_fonts, pdfium_pages

pytest.importorskip("reportlab", reason="reportlab (test extra) generates the PDFs")

#: reportlab's CID fonts (never embedded): GB1, CNS1, Japan1, Korea1.
CID_FONTS = ("STSong-Light", "MSung-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium")
LEFT, BOTTOM, RIGHT, TOP = boxfont.BOX


def _cid_pdf(font: str, rng: random.Random) -> bytes:
    """One page of lines in ``font``: CJK text, digits, Latin letters, full-width punctuation, spaces."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    words = ["政府信息公开", "年度报告", "2024年", "（一）", "ABC", "依申请公开", "行政复议", "第3项", "，", "。"]
    for line in range(12):
        page.setFont(font, rng.choice((8, 10.5, 12, 16)))
        page.drawString(rng.uniform(40, 120), 780 - 60 * line, " ".join(rng.choices(words, k=rng.randrange(2, 8))))
    page.showPage()
    page.save()
    return out.getvalue()


def _pdfium_boxes(data: bytes) -> list[tuple[str, float, tuple[float, ...], tuple[float, ...]]]:
    """Every character pdfium draws on page 1: text, font size, glyph box and loose box (left, bottom, right, top)."""
    with pdfium_pages._PDFIUM:
        document = pdfium_pages.pdfium.PdfDocument(data)
        try:
            page = document[0]
            textpage = page.get_textpage()
            out = []
            rect = pdfium_pages.pdfium_c.FS_RECTF()
            for index in range(textpage.count_chars()):
                text = chr(pdfium_pages.pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
                if pdfium_pages.pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
                    continue
                left, bottom, right, top = textpage.get_charbox(index)
                assert pdfium_pages.pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, ctypes.byref(rect))
                size = pdfium_pages.pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
                out.append((text, size, (left, bottom, right, top), (rect.left, rect.bottom, rect.right, rect.top)))
            textpage.close()
            page.close()
        finally:
            document.close()
    return out


def _plumber_chars(data: bytes) -> list[dict[str, Any]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return list(document.pages[0].chars)


def test_font_file_is_what_the_generator_builds() -> None:
    pytest.importorskip("fontTools", reason="fontTools (test extra) builds the font")
    shipped = boxfont.PATH.read_bytes()
    assert boxfont.build() == shipped
    assert len(shipped) < 20_000


def test_every_code_point_but_white_space_has_the_box() -> None:
    pytest.importorskip("fontTools", reason="fontTools (test extra) reads the font")
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(boxfont.PATH.read_bytes()))
    (subtable,) = font["cmap"].tables
    assert (subtable.format, subtable.platformID, subtable.platEncID) == (13, 3, 10)
    assert len(subtable.cmap) == boxfont.LAST_CODE_POINT + 1
    glyf, hmtx = font["glyf"], font["hmtx"]
    for code, name in subtable.cmap.items():
        glyph = glyf[name]
        if chr(code).isspace():
            assert glyph.numberOfContours == 0, hex(code)
        else:
            assert (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) == boxfont.BOX, hex(code)
    assert {hmtx[name][0] for name in font.getGlyphOrder()} == {boxfont.ADVANCE}
    # inside any character's box: from its origin over its advance, from its descent to its ascent
    assert 0 < LEFT < RIGHT <= 0.02 * boxfont.UNITS_PER_EM
    assert boxfont.DESCENDER < 0 < BOTTOM < TOP < boxfont.ASCENDER


@pytest.mark.parametrize("font", CID_FONTS)
def test_non_embedded_cid_font_is_drawn_with_the_box(font: str) -> None:
    data = _cid_pdf(font, random.Random(font))
    boxes = _pdfium_boxes(data)
    assert len(boxes) > 100
    for text, size, (g_left, g_bottom, g_right, g_top), (left, bottom, right, top) in boxes:
        if text.isspace():
            continue
        scale = size / boxfont.UNITS_PER_EM
        # the box glyph (not a CJK font of this machine, not an empty outline); pdfium gives its
        # height a little larger (0.559 of the size instead of 0.55)
        assert g_right - g_left == pytest.approx((RIGHT - LEFT) * scale, abs=0.01), text
        assert g_left - left == pytest.approx(LEFT * scale, abs=0.01), text
        assert (TOP - BOTTOM) * scale <= g_top - g_bottom <= (TOP - BOTTOM + 20) * scale, text
        # strictly inside the loose box, which the union with the glyph's box then leaves as it is
        assert left < g_left < g_right < right and bottom < g_bottom < g_top <= top, text
    pages = pdfium_pages.open_document(data)
    try:
        chars = pages.page(0).chars  # not Undecided: every visible character has an outline
    finally:
        pages.close()
    assert len(chars) == len(boxes)


def test_non_embedded_font_reads_as_pdfminer_reads_it() -> None:
    """The characters' horizontal extent, from the origin over the PDF's width, is pdfminer's."""
    for seed in range(3):
        data = _cid_pdf("STSong-Light", random.Random(seed))
        pages = pdfium_pages.open_document(data)
        try:
            ours = pages.page(0).chars
        finally:
            pages.close()
        theirs = _plumber_chars(data)
        assert len(ours) == len(theirs)

        def key(char: dict[str, Any]) -> tuple[float, float]:
            return round(char["bottom"]), round(char["x0"], 2)

        for mine, plumber in zip(sorted(ours, key=key), sorted(theirs, key=key), strict=True):
            assert mine["text"] == plumber["text"]
            assert mine["x0"] == pytest.approx(plumber["x0"], abs=1e-3)
            assert mine["x1"] == pytest.approx(plumber["x1"], abs=1e-3)


def test_standard_fonts_keep_pdfiums_own_outlines() -> None:
    """Helvetica (not embedded, no widths) is pdfium's built-in copy: letters of different heights."""
    data = one_page_pdf(b"BT /F1 20 Tf 72 700 Td (Hxo) Tj ET")
    heights = {text: top - bottom for text, _, (_, bottom, _, top), _ in _pdfium_boxes(data)}
    assert heights["H"] > 1.2 * heights["x"]
    assert heights["x"] == pytest.approx(heights["o"], rel=0.1)


def test_the_font_source_answers_as_pdfium_expects() -> None:
    """The callbacks: a handle for any family but the standard 14; the whole file for table 0, none else."""
    info = pdfium_fonts._INFO
    this = ctypes.byref(info)
    exact = ctypes.c_int(1)
    handle = info.MapFont(this, 400, 0, 134, 0, b"STSong-Light", ctypes.byref(exact))
    assert handle and exact.value == 0
    assert info.GetFontCharset(this, handle) == 134
    assert not info.MapFont(this, 400, 0, 0, 0, b"Helvetica-Bold", ctypes.byref(exact))
    size = info.GetFontData(this, handle, 0, None, 0)
    buffer = (ctypes.c_ubyte * size)()
    assert info.GetFontData(this, handle, 0, buffer, size) == size
    assert bytes(buffer) == boxfont.PATH.read_bytes()
    assert info.GetFontData(this, handle, 0x74746366, None, 0) == 0  # 'ttcf': not a collection
    name = ctypes.create_string_buffer(64)
    assert info.GetFaceName(this, handle, name, 64) == len(pdfium_fonts.FACE) + 1
    assert name.value == pdfium_fonts.FACE
