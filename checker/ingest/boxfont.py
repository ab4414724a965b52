"""Builds ``data/boxfont.ttf``, the font pdfium takes for every font a PDF does not embed.

Run ``python -m checker.ingest.boxfont`` (needs fontTools, a test dependency) after changing
this module; ``tests/ingest_formats/test_pdfium_fonts.py`` builds it again and compares.

The font (see :mod:`checker.ingest.pdfium_fonts`): a 1000-unit em, one glyph ``box`` whose
outline is a thin rectangle from x 10 to 20 and y 50 to 600, lying inside the box of any
character (origin to advance width, descent to ascent; pdfium gives the character's loose box
as the union of that box and the glyph's), and one glyph ``space`` without an outline. A format
13 cmap ("many-to-one ranges", platform 3 encoding 10: FreeType's Unicode charmap) maps every
code point to ``box`` but white space (:meth:`str.isspace`) to ``space``; so does glyph 0 look
(``.notdef`` is a ``box`` too, for codes a font reaches by glyph index). The metrics (ascender
880, descender -120) are the usual ones of CJK fonts.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

#: Where the package keeps the built font.
PATH = Path(__file__).resolve().parent / "data" / "boxfont.ttf"
FAMILY = "GkcheckBox"
UNITS_PER_EM = 1000
ADVANCE = 1000
ASCENDER, DESCENDER = 880, -120
#: The box glyph's outline: left, bottom, right, top (font units).
BOX = (10, 50, 20, 600)
LAST_CODE_POINT = 0x10FFFF
#: head's creation and modification time (seconds from 1904): fixed, so that every build gives the same bytes.
_TIMESTAMP = 3786825600  # 2024-01-01


def build() -> bytes:
    """The font file's bytes (the same bytes on every run: no time stamps)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    order = [".notdef", "box", "space"]
    builder.setupGlyphOrder(order)
    left, bottom, right, top = BOX

    def box() -> Any:
        pen = TTGlyphPen(None)
        pen.moveTo((left, bottom))
        pen.lineTo((left, top))
        pen.lineTo((right, top))
        pen.lineTo((right, bottom))
        pen.closePath()
        return pen.glyph()

    builder.setupGlyf({".notdef": box(), "box": box(), "space": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({name: (ADVANCE, left if name != "space" else 0) for name in order})
    builder.setupHorizontalHeader(ascent=ASCENDER, descent=DESCENDER)
    subtable = CmapSubtable.newSubtable(13)
    subtable.platformID, subtable.platEncID, subtable.language = 3, 10, 0
    subtable.cmap = {code: "space" if chr(code).isspace() else "box" for code in range(LAST_CODE_POINT + 1)}
    cmap = newTable("cmap")
    cmap.tableVersion = 0
    cmap.tables = [subtable]
    builder.font["cmap"] = cmap
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENDER, sTypoDescender=DESCENDER, sTypoLineGap=0, usWinAscent=ASCENDER,
                     usWinDescent=-DESCENDER, achVendID="NONE", ulUnicodeRange1=0, ulCodePageRange1=0)
    builder.setupPost(keepGlyphNames=False)
    builder.updateHead(created=_TIMESTAMP, modified=_TIMESTAMP)
    builder.font.recalcTimestamp = False
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def main() -> int:
    data = build()
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_bytes(data)
    print(f"{PATH}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
