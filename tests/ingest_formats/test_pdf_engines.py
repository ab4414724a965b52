"""The PDF reader on pdfium gives the same report as on pdfplumber (the reader before it).

Every PDF is read twice, ``read_pdf(data)`` (pdfium, pdfplumber only where pdfium cannot
decide) and ``read_pdf(data, engine="pdfplumber")``; the report documents
(:func:`checker.ingest.parse_document`) and the layouts (every table cell, every paragraph,
with locations) must be equal. The PDFs: the zoo's PDF form of generated documents (styles,
split titles, table 三 broken inside a row across a page, repeated headers, page numbers),
the reader tests' tables, drawings the fast path classifies itself (lines, stroked and
filled rectangles, white boxes over text, shaded cells, a table in a form XObject), pages
it leaves to pdfplumber (rotated page, rotated text), and each corpus PDF when present.
"""

from __future__ import annotations

import functools
import io
import random
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from format_builders import CORPUS, PAGE_BREAK, pdf_bytes, t2_spec, t3_spec, t4_spec
from gk_testlib import one_page_pdf, pdf_of_objects
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.ingest import parse_document, pdf, pdfium_pages, pdftext
from checker.ingest.layout import Layout, Paragraph, Table

pytest.importorskip("reportlab", reason="reportlab (test extra) generates the PDFs")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "zoo"))
from documents import make_document  # noqa: E402
from forms import pdf_form  # noqa: E402

READ_PDF = pdf.read_pdf
LONG = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开，" * 6


def _blocks(layout: Layout) -> list[Any]:
    """Every block as plain data: paragraph text and location; table cells with their locations."""
    out: list[Any] = []
    for block in layout.blocks:
        if isinstance(block, Paragraph):
            out.append(("p", block.text, block.loc))
        else:
            assert isinstance(block, Table)
            out.append(("t", block.loc, [[(c.text, c.loc) for c in row] for row in block.rows]))
    return out


def _same(data: bytes) -> Layout:
    """Read ``data`` with both engines; assert the same layout and hints; the layout."""
    fast = READ_PDF(data)
    slow = READ_PDF(data, engine="pdfplumber")
    assert _blocks(fast) == _blocks(slow)
    assert fast.hints == slow.hints
    return fast


def _same_document(data: bytes, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The report documents read by both engines are equal; the document."""
    fast = parse_document(data, "report.pdf")
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "read_pdf", functools.partial(READ_PDF, engine="pdfplumber"))
        slow = parse_document(data, "report.pdf")
    assert fast == slow
    return fast


def _counts() -> dict[str, int]:
    return dict(pdfium_pages.STATS)


# ----------------------------------------------------------------------------- generated reports


@pytest.mark.parametrize("seed", range(6))
def test_zoo_pdf_reports_read_the_same(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    _, data = pdf_form(make_document(rng), rng)
    before = _counts().get("file read by pdfium", 0)
    document = _same_document(data, monkeypatch)
    assert document["tables"], "the generated report has tables"
    assert _counts()["file read by pdfium"] > before, "a generated report is read by pdfium"


def test_reader_test_tables_read_the_same() -> None:
    layout = _same(pdf_bytes(["某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", LONG, t2_spec(),
                              "三、收到和处理政府信息公开申请情况", t3_spec(), PAGE_BREAK, t4_spec(), LONG],
                             repeat_rows=3))
    assert sum(isinstance(b, Table) for b in layout.blocks) == 3


def _canvas_pdf(draw: Any, *, rotate_page: int = 0) -> bytes:
    """A one-page PDF drawn with reportlab's canvas (STSong-Light text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    if rotate_page:
        canvas.setPageRotation(rotate_page)
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(72, 780, "一、总体情况")
    canvas.drawString(96, 760, LONG[:30])
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _grid(canvas: Any, x: float, y: float, *, how: str, rows: int = 4, cols: int = 3) -> None:
    """A ruled table at (x, y) (top left): drawn with lines, stroked rectangles or thin filled bars."""
    width, height = 90, 20
    for r in range(rows):
        for c in range(cols):
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(x + c * width + 4, y - (r + 1) * height + 6, f"第{r}行{c}列" if c == 0 else str(r * 10 + c))
    canvas.setStrokeColorRGB(0, 0, 0)
    right, bottom = x + cols * width, y - rows * height
    if how == "lines":
        for r in range(rows + 1):
            canvas.line(x, y - r * height, right, y - r * height)
        for c in range(cols + 1):
            canvas.line(x + c * width, y, x + c * width, bottom)
    elif how == "rects":
        for r in range(rows):
            for c in range(cols):
                canvas.rect(x + c * width, y - (r + 1) * height, width, height, stroke=1, fill=0)
    else:  # thin filled bars, as some converters draw rules
        for r in range(rows + 1):
            canvas.rect(x, y - r * height - 0.25, right - x, 0.5, stroke=0, fill=1)
        for c in range(cols + 1):
            canvas.rect(x + c * width - 0.25, bottom, 0.5, y - bottom, stroke=0, fill=1)


@pytest.mark.parametrize("how", ["lines", "rects", "bars"])
def test_rules_drawn_in_each_way_read_the_same(how: str) -> None:
    layout = _same(_canvas_pdf(lambda canvas: _grid(canvas, 72, 700, how=how)))
    (table,) = [b for b in layout.blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[2]] == ["第2行0列", "21", "22"]


def test_white_boxes_shaded_cells_and_curves_read_the_same() -> None:
    def draw(canvas: Any) -> None:
        canvas.setFillColorRGB(0.85, 0.85, 0.85)
        canvas.rect(72, 680, 270, 20, stroke=0, fill=1)  # a shaded header row
        _grid(canvas, 72, 700, how="rects")
        canvas.drawString(72, 560, "被白色方框遮住的文字")
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setStrokeColorRGB(1, 1, 1)
        canvas.rect(60, 540, 300, 40, stroke=1, fill=1)  # a white box over text: not a table
        canvas.setStrokeColorRGB(0, 0, 0)
        canvas.circle(400, 500, 30)  # a curve
        canvas.roundRect(72, 400, 200, 60, 8)  # a frame with round corners
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(80, 430, "圆角方框里的一段文字")

    _same(_canvas_pdf(draw))


def test_table_inside_a_form_xobject_reads_the_same() -> None:
    def draw(canvas: Any) -> None:
        canvas.beginForm("table")
        canvas.setFont("STSong-Light", 12)
        _grid(canvas, 72, 700, how="lines")
        canvas.endForm()
        canvas.saveState()
        canvas.translate(10, -40)
        canvas.doForm("table")
        canvas.restoreState()

    before = _counts()
    layout = _same(_canvas_pdf(draw))
    assert any(isinstance(b, Table) for b in layout.blocks)
    assert _counts()["file read by pdfium"] == before.get("file read by pdfium", 0) + 1
    assert sum(_counts().values()) == sum(before.values()) + 3  # + this file by pdfium, and by pdfplumber asked for


def test_rotated_page_and_rotated_text_go_to_pdfplumber() -> None:
    before = _counts()
    _same(_canvas_pdf(lambda canvas: _grid(canvas, 72, 700, how="lines"), rotate_page=90))
    after = _counts()
    assert after.get("page read by pdfplumber: rotated page", 0) > before.get("page read by pdfplumber: rotated page", 0)

    def rotated(canvas: Any) -> None:
        canvas.saveState()
        canvas.translate(300, 300)
        canvas.rotate(30)
        canvas.drawString(0, 0, "旋转的文字")
        canvas.restoreState()

    _same(_canvas_pdf(rotated))
    assert _counts().get("page read by pdfplumber: character not upright", 0) > after.get(
        "page read by pdfplumber: character not upright", 0)


def test_threads_read_pdfs_together() -> None:
    """pdfium is not thread-safe: its calls are serialised, so threads (Dask, serve) read PDFs side by side."""
    from concurrent.futures import ThreadPoolExecutor

    rng = random.Random(21)
    files = [pdf_form(make_document(rng), rng)[1] for _ in range(3)]
    expected = [_blocks(READ_PDF(data)) for data in files]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda data: _blocks(READ_PDF(data)), files * 4))
    assert results == expected * 4


def test_text_drawn_twice_as_fake_bold_reads_once() -> None:
    """Bold imitated by drawing a heading twice, 0 or 0.3 pt apart: both engines read it once (pdfium drops
    the copy; pdfplumber's characters are de-duplicated), so the part heading is found."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setFont("STSong-Light", 16)
    for dx in (0, 0.3):
        canvas.drawString(100 + dx, 700, "一、总体情况")
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(100, 670, "本机关依法公开政府信息，总体情况良好。")
    canvas.showPage()
    canvas.save()
    layout = _same(out.getvalue())
    assert [b.text for b in layout.blocks if isinstance(b, Paragraph)][0] == "一、总体情况"


def test_our_character_de_duplication_is_pdfplumbers_in_page_order() -> None:
    """pdf._dedupe_chars keeps what pdfplumber's utils.dedupe_chars keeps, in the same order (pdfplumber's own
    orders by ``chars.index``: hours on a hostile page of 400,000 characters)."""
    import pdfplumber
    from pdfplumber.utils import dedupe_chars

    rng = random.Random(3)
    sources = [pdf_form(make_document(rng), rng)[1] for _ in range(3)]
    sources += [path.read_bytes() for path in sorted((CORPUS / "pdf").glob("*.pdf"))]
    pages = 0
    for data in sources:
        with pdfplumber.open(io.BytesIO(data)) as document:
            for page in document.pages:
                chars = page.chars
                shifted = [dict(c, x0=c["x0"] + 0.3, doctop=c["doctop"] + 0.2) for c in chars[:40]]
                doubled = chars + shifted  # a heading drawn twice
                assert pdf._dedupe_chars(doubled) == dedupe_chars(doubled)
                pages += 1
    assert pages >= 6


def test_vertical_writing_font_reads_the_same() -> None:
    """Text set in a vertical-writing CID font (UniGB-UCS2-V): the same as pdfplumber, by pdfium or by the page fallback."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light", isVertical=True))  # under the same name
    try:
        canvas = Canvas(out, pagesize=A4, invariant=True)
        canvas.setFont("STSong-Light", 10)
        canvas.drawString(100, 700, "三、本年度办理结果")
        canvas.showPage()
        canvas.save()
    finally:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    layout = _same(out.getvalue())
    assert "".join(b.text for b in layout.blocks if isinstance(b, Paragraph)) == "三、本年度办理结果"


_FONTLESS = r"""
import ctypes, functools, json, random, sys
sys.path[:0] = sys.argv[1:]
import pypdfium2.raw as pdfium_c
# a machine without system fonts (set before checker is imported, as pdfium starts): without
# checker.ingest.pdfium_fonts, pdfium would replace a font the file does not embed by its built-in
# Latin fonts, which have no CJK outlines
NO_FONTS = pdfium_c.FPDF_SYSFONTINFO(version=1)
pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(NO_FONTS))
from documents import make_document
from forms import pdf_form
from checker.ingest import parse_document, pdf, pdfium_pages
unequal, pages = 0, []
for seed in range(4):
    rng = random.Random(seed)
    data = pdf_form(make_document(rng), rng)[1]
    fast = parse_document(data, "report.pdf")
    read_pdf = pdf.read_pdf
    pdf.read_pdf = functools.partial(read_pdf, engine="pdfplumber")
    slow = parse_document(data, "report.pdf")
    pdf.read_pdf = read_pdf
    unequal += fast != slow
    document = pdfium_pages.open_document(data)
    pages += [document.page(index).chars for index in range(document.page_count)]
    document.close()
print(json.dumps({"unequal": unequal, "stats": dict(pdfium_pages.STATS), "pages": pages}))
"""


def test_non_embedded_cjk_font_reads_alike_with_and_without_system_fonts() -> None:
    """reportlab's STSong-Light is not embedded: pdfium asks its system-font source for a substitute,
    which would be a font of the machine (none without CJK fonts: characters without outlines, and
    text objects dropped as fake bold). :mod:`checker.ingest.pdfium_fonts` answers every such request
    with its own font, so a fresh process with pdfium's system fonts switched off reads every
    character as this process does (the machine's fonts at hand), with pdfium alone, the report
    documents equal to pdfplumber's."""
    import json
    import subprocess

    tests = Path(__file__).resolve().parents[1]
    paths = [str(tests.parent), str(tests), str(tests / "zoo")]
    done = subprocess.run([sys.executable, "-c", _FONTLESS, *paths], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["unequal"] == 0
    assert not [reason for reason in result["stats"] if reason.startswith("page read by pdfplumber")]
    here = []
    for seed in range(4):
        rng = random.Random(seed)
        document = pdfium_pages.open_document(pdf_form(make_document(rng), rng)[1])
        here += [document.page(index).chars for index in range(document.page_count)]
        document.close()
    assert result["pages"] == here


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("path", sorted((CORPUS / "pdf").glob("*.pdf")), ids=lambda p: p.stem)
def test_corpus_pdf_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    document = _same_document(data, monkeypatch)
    assert document["tables"]
    _same(data)


# ----------------------------------------------------------------------------- word and line grouping


def _plumber_pages(data: bytes) -> list[list[dict[str, Any]]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page.chars for page in document.pages]


def _table_boxes(data: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Each page's ruled-table boxes, as pdfplumber finds them."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return [[table.bbox for table in page.find_tables()] for page in document.pages]


def _sources() -> list[bytes]:
    rng = random.Random(11)
    sources = [pdf_form(make_document(rng), rng)[1] for _ in range(2)]
    return sources + [path.read_bytes() for path in sorted((CORPUS / "pdf").glob("*.pdf"))]


def test_words_and_lines_as_pdfplumber_groups_them() -> None:
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.text import chars_to_textmap

    rng = random.Random(5)
    boxed = 0
    for data in _sources():
        for chars, tables in zip(_plumber_pages(data), _table_boxes(data), strict=True):
            assert pdftext.applies(chars)
            expected = [{k: line[k] for k in ("text", "x0", "top", "x1", "bottom")}
                        for line in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False)]
            assert pdftext.text_lines(chars) == expected
            # with boxes (the page's tables; a random one), a line left out (None) is a line inside a
            # box, in its place: the others keep their numbers
            for boxes in (tables, [(rng.uniform(0, 300), rng.uniform(0, 400), rng.uniform(300, 600),
                                    rng.uniform(400, 850))]):
                found = pdftext.text_lines(chars, boxes)
                assert len(found) == len(expected)
                for line, full in zip(found, expected, strict=True):
                    assert line == full or (line is None and pdf._inside_any(full, boxes))
                boxed += found.count(None)
            for _ in range(40):  # runs of characters, as in table cells; and scattered ones
                start = rng.randrange(len(chars))
                run = chars[start:start + rng.randrange(1, 80)]
                scattered = rng.sample(chars, min(len(chars), rng.randrange(1, 30)))
                for sample in (run, scattered):
                    assert pdftext.extract_text(sample) == extract_text(sample)
                    assert pdftext.text_lines(sample) == [
                        {k: line[k] for k in ("text", "x0", "top", "x1", "bottom")}
                        for line in chars_to_textmap(sample).extract_text_lines(strip=True, return_chars=False)]
    assert boxed > 100


def test_cells_found_as_pdfplumber_finds_them() -> None:
    import pdfplumber
    from pdfplumber.table import TableFinder, TableSettings, intersections_to_cells

    found = 0
    for data in _sources():
        with pdfplumber.open(io.BytesIO(data)) as document:
            for page in document.pages:
                visible = page.filter(pdf._is_visible)
                settings = TableSettings.resolve({"explicit_horizontal_lines": pdf._closing_edges(visible.edges)})
                theirs = TableFinder(visible, settings)
                ours = pdf._TableFinder(visible, settings)
                assert pdf._intersections_to_cells(theirs.intersections) == intersections_to_cells(theirs.intersections)
                assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
                found += len(theirs.tables)
    assert found >= 6


# ----------------------------------------------------------------------------- files left to pdfplumber


def _minimal_pdf(content: bytes, stream_dict: bytes = b"", info: bytes = b"") -> bytes:
    return one_page_pdf(content, stream_dict, info)


TEXT = b"BT /F1 12 Tf 72 700 Td (Annual report 2024) Tj ET"


@pytest.mark.parametrize(("content", "stream_dict", "reason"), [
    (TEXT, b"", None),
    (zlib.compress(TEXT), b" /Filter /FlateDecode", None),
    (TEXT.hex().encode() + b">", b" /Filter /ASCIIHexDecode", None),
    (zlib.compress(TEXT), b" /Filter [/FlateDecode /FlateDecode]", "filter"),
    (TEXT, b" /Filter 9 0 R", "filter"),
    (zlib.compress(TEXT), b" /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1000000000 >>", "predictor"),
    (zlib.compress(TEXT), b" /Filter /FlateDecode /DecodeParms 9 0 R", "predictor"),  # could be in an object stream
    (zlib.compress(TEXT), b" /Filter [/FlateDecode] /DecodeParms [ 9 0 R ]", "predictor"),
])
def test_stream_encodings(content: bytes, stream_dict: bytes, reason: str | None) -> None:
    data = _minimal_pdf(content, stream_dict)
    if reason is None:
        pdfium_pages.check_streams(data)
    else:
        with pytest.raises(pdfium_pages.Undecided, match=reason):
            pdfium_pages.check_streams(data)


INLINE_BOMB = (b"q 10 0 0 10 72 600 cm BI /W 100 /H 100 /BPC 8 /CS /G /F /Fl ID "
               + zlib.compress(b"\0" * (64 << 20), 9) + b"\nEI Q")


@pytest.mark.parametrize(("content", "stream_dict"), [
    (zlib.compress(TEXT + b"\n" + INLINE_BOMB), b" /Filter /FlateDecode"),  # 64 MB from 65 KB, inflated by pdfium
    (TEXT + b"\n" + INLINE_BOMB, b""),  # a content stream not encoded
    ((TEXT + b"\nq BI\n").hex().encode() + b">", b" /Filter /ASCIIHexDecode"),  # BI ends the stream
    (zlib.compress(TEXT + b"\nq BI%comment\n/W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q"), b" /Filter /FlateDecode"),
])
def test_inline_images_go_to_pdfplumber(content: bytes, stream_dict: bytes) -> None:
    """pdfium decodes an inline image's data while it loads the page (up to 1 GiB an image, from a few KB
    of Flate data); pdfminer keeps it as it is. Pages that may hold one are read by pdfplumber."""
    data = _minimal_pdf(content, stream_dict)
    with pytest.raises(pdfium_pages.Undecided, match="inline image"):
        pdfium_pages.check_streams(data)
    assert [b[1] for b in _blocks(READ_PDF(data))] == ["Annual report 2024"]


def _reason_scan_by_scan(data: bytes) -> str | None:
    """check_streams' reason for a file without streams, as it was found before: one search per key, in order."""
    if b"/Encrypt" in data:
        return "encrypted"
    if pdfium_pages._INLINE_IMAGE.search(data):
        return "inline image"
    if any(not m.group(1).startswith(b"-") for m in pdfium_pages._DESCENT.finditer(data)):
        return "font descent"
    if pdfium_pages._INDIRECT_PARAMETERS.search(data):
        return "predictor"
    for match in pdfium_pages._FILTER.finditer(data):
        if match.group(1) is None or not pdfium_pages._ALLOWED_FILTER.fullmatch(match.group(1)):
            return "filter"
    for match in pdfium_pages._PARAMETER.finditer(data):
        if not match.group(1).isdigit() or int(match.group(1)) > pdfium_pages._MAX_COLUMNS:
            return "predictor"
    return None


_PIECES = [b"/Encrypt", b"/ObjStm", b"/Descent", b"/Descent ", b"-212", b"0", b"57", b"/DecodeParms", b" 9 0 R",
           b"[", b"]", b"/Filter", b" /FlateDecode", b"/Fl", b"/A85", b"/DCT", b"/LZW", b"/Columns", b"/Colors",
           b"/BitsPerComponent", b" 8", b" 100001", b"<<", b">>", b" ", b"\n", b"BI", b"/W", b"%"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map(b"".join))
def test_one_search_for_the_keys_finds_the_reason_of_one_search_per_key(data: bytes) -> None:
    """check_streams reads every key in one search of the file; the reason it gives is the one the searches of
    before (one per key, in order) gave."""
    try:
        pdfium_pages.check_streams(data)
        found = None
    except pdfium_pages.Undecided as undecided:
        found = str(undecided)
    expected = _reason_scan_by_scan(data)
    assert found == expected or (expected is None and found == "unread stream"), data


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=12) | st.lists(st.sampled_from([b"BI", b" ", b"\n", b"/", b"%", b")", b"(", b"]", b"x",
                                                         b"\x00", b"\x0b"]), max_size=8).map(b"".join))
def test_inline_image_search_finds_every_bi_operator(content: bytes) -> None:
    """The search finds ``BI`` wherever a token can start there (the data's start, white space, the end of
    a string, dictionary or array before it) and a dictionary, comment or the end of the data follows."""
    before, after = b" \t\n\r\f\x0b\x00)>]}", b" \t\n\r\f\x0b\x00/%"
    expected = any(content[at:at + 2] == b"BI" and (at == 0 or content[at - 1] in before)
                   and (at + 2 == len(content) or content[at + 2] in after) for at in range(len(content)))
    assert (pdfium_pages._INLINE_IMAGE.search(content) is not None) == expected


@pytest.mark.parametrize("content", [
    TEXT + b"\n/BI 1 def (BI /x) Tj",  # a name and a string that hold BI
    zlib.compress(TEXT + b" %BIG\n"),
])
def test_text_that_only_looks_like_an_inline_image_stays_with_pdfium(content: bytes) -> None:
    data = _minimal_pdf(content, b" /Filter /FlateDecode" if content[:1] == b"x" else b"")
    pdfium_pages.check_streams(data)


def _two_font_pdf(descent: bytes, *, helvetica: bool = True, descriptors: list[bytes] | None = None) -> bytes:
    """A line in Helvetica and a number in a font whose descriptor gives ``descent`` (LibreOffice 7 writes 0).

    ``helvetica``: False, the line in the descriptor's font too; ``descriptors``: more objects after
    the descriptor (other descriptors)."""
    content = (b"BT /F1 12 Tf 72 700 Td (Total) Tj /F2 12 Tf 40 0 Td (1024) Tj ET" if helvetica
               else b"BT /F2 12 Tf 72 700 Td (7781) Tj /F2 16 Tf 0 -30 Td (1024) Tj ET")
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        # a font name of no standard font (pdfminer reads a standard font's metrics, not its descriptor)
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+GkMono /FirstChar 48 /LastChar 57 /Widths [600 600 600"
        b" 600 600 600 600 600 600 600] /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+GkMono /Flags 33 /FontBBox [-23 -250 715 805] /ItalicAngle 0"
        b" /Ascent " + (b"0" if descent == b"0" else b"629") + b" /Descent " + descent + b" /CapHeight 562 /StemV 51 >>",
        *(descriptors or []),
    ])


@pytest.mark.parametrize(("descent", "reason"), [(b"-157", None), (b"0", "font descent")])
def test_font_descents_inside_object_streams_are_checked(descent: bytes, reason: str | None) -> None:
    """A font descriptor can stand in an object stream (PDF 1.5), compressed: in a file with object
    streams, every inflated stream is searched for descriptors."""
    descriptor = b"7 0 << /Type /FontDescriptor /FontName /Courier /Flags 33 /Descent " + descent + b" >>"
    objects = zlib.compress(descriptor)
    data = _minimal_pdf(zlib.compress(TEXT), b" /Filter /FlateDecode") + (
        b"8 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length " + str(len(objects)).encode()
        + b" /Filter /FlateDecode >>\nstream\n" + objects + b"\nendstream\nendobj\n")
    if reason is None:
        pdfium_pages.check_streams(data)
    else:
        with pytest.raises(pdfium_pages.Undecided, match=reason):
            pdfium_pages.check_streams(data)


@pytest.mark.parametrize(("descent", "descents"), [(b"-157", {}), (b"0", {b"GkMono": 0.0}),
                                                   (b"157", {b"GkMono": 157.0})])
def test_font_descents_pdfminer_reads_otherwise_are_read_from_the_descriptors(
        descent: bytes, descents: dict[bytes, float]) -> None:
    """pdfminer takes a descent of 0 as written and a positive one as negative, pdfium measures the glyphs
    for 0 and keeps the sign: the characters' tops and bottoms would differ (by 2–3 pt at 14 pt in
    LibreOffice 7's exports, enough to split a table cell's line). The descriptors' descents are read,
    by font name; a page with a font of no known descriptor (Helvetica here) goes to pdfplumber."""
    data = _two_font_pdf(descent)
    assert pdfium_pages.check_streams(data) == descents
    document = pdfium_pages.open_document(data, descents)
    if descents:
        _first_page_undecided(document, "font descent")
    else:
        try:
            document.page(0)
        finally:
            document.close()
    assert [b[1] for b in _blocks(_same(data))] == ["Total 1024"]


@pytest.mark.parametrize("descent", [b"0", b"157", b"-157"])
def test_characters_of_a_font_with_descent_zero_are_pdfminers(descent: bytes) -> None:
    """Every font of the page with a known descriptor: pdfium reads it, each character's box pdfminer's."""
    data = _two_font_pdf(descent, helvetica=False)
    document = pdfium_pages.open_document(data, pdfium_pages.check_streams(data))
    try:
        chars = document.page(0).chars
    finally:
        document.close()
    _assert_same_chars(chars, _plumber_chars(data))
    _same(data)


@pytest.mark.parametrize("other", [
    b"<< /Type /FontDescriptor /FontName /BCDEFG+GkMono /Flags 33 /Descent -200 >>",  # the same name, another descent
    b"<< /Type /Font /Subtype /Type1 /BaseFont /X /FontDescriptor << /Type /FontDescriptor /Descent 0 >> >>",  # not read
])
def test_font_descents_that_cannot_be_told_apart_go_to_pdfplumber(other: bytes) -> None:
    _undecided_descents(_two_font_pdf(b"0", helvetica=False, descriptors=[other]), {b"GkMono": None})


def test_a_standard_fonts_descriptor_is_not_taken() -> None:
    """pdfminer reads a standard font's (Courier's) own metrics, not its descriptor's: not decided here."""
    data = _two_font_pdf(b"0", helvetica=False).replace(b"ABCDEF+GkMono", b"Courier")
    _undecided_descents(data, {})


def _undecided_descents(data: bytes, expected: dict[bytes, float | None]) -> None:
    """The file's font descents are ``expected`` and its page goes to pdfplumber (or the file does)."""
    try:
        descents = pdfium_pages.check_streams(data)
    except pdfium_pages.Undecided as undecided:
        assert str(undecided) == "font descent"
    else:
        assert descents == expected
        _first_page_undecided(pdfium_pages.open_document(data, descents), "font descent")
    _same(data)


def _first_page_undecided(document: pdfium_pages.Document, reason: str) -> None:
    """The document's first page goes to pdfplumber for ``reason``; the document is closed."""
    try:
        with pytest.raises(pdfium_pages.Undecided, match=reason):
            document.page(0)
    finally:
        document.close()


def test_inflated_bound_holds_before_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streams past INFLATED_MB, or past what the fast path takes, never reach pdfium; pdfplumber refuses them."""
    monkeypatch.setenv("GKCHECK_LIMIT_INFLATED_MB", "2")
    data = _minimal_pdf(zlib.compress(TEXT + b" " * (3 << 20)), b" /Filter /FlateDecode")
    with pytest.raises(pdfium_pages.Undecided, match="large"):
        pdfium_pages.check_streams(data)
    with pytest.raises(InputError, match="解压后的内容超出上限"):
        READ_PDF(data)
    monkeypatch.delenv("GKCHECK_LIMIT_INFLATED_MB")
    big = _minimal_pdf(zlib.compress(TEXT + b" " * (40 << 20)), b" /Filter /FlateDecode")
    with pytest.raises(pdfium_pages.Undecided, match="large"):
        pdfium_pages.check_streams(big)
    truncated = _minimal_pdf(zlib.compress(TEXT + b" " * 5000)[:-20], b" /Filter /FlateDecode")
    with pytest.raises(pdfium_pages.Undecided, match="unread stream"):
        pdfium_pages.check_streams(truncated)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=3000) | st.text("年度报告 0123456789\n", max_size=3000).map(str.encode),
       level=st.sampled_from([0, 1, 6, 9]), damage=st.integers(min_value=-1, max_value=10_000),
       cut=st.booleans(), left=st.sampled_from([0, 99, 2999, 1 << 30]))
def test_inflaters_bound_streams_as_zlib_does(body: bytes, level: int, damage: int, cut: bool, left: int) -> None:
    """ISA-L's inflate (when installed) gives zlib's size for every whole stream; on damaged data it
    may refuse where zlib reads on, and then zlib's answer is taken: the bound never loosens."""
    compressed = bytearray(zlib.compress(body, level))
    if damage >= 0 and compressed:
        at = damage % len(compressed)
        if cut:
            del compressed[at:]
        else:
            compressed[at] ^= 1 << (damage % 8)
    data = b"stream\n" + bytes(compressed) + b"\nendstream"
    start = len(b"stream\n")
    inflated = functools.partial(pdfium_pages._inflate_at, data, start, left)
    found = inflated()
    original = pdfium_pages._INFLATERS
    try:
        pdfium_pages._INFLATERS = (zlib,)
        expected = inflated()
    finally:
        pdfium_pages._INFLATERS = original
    if damage < 0 or expected is not None:
        assert found == expected
    else:  # zlib finds no whole stream: ISA-L finds none either, or more than is left (both: not read by pdfium)
        assert found is None or found > left


@pytest.mark.parametrize("title", [
    b"(Annual report)", b"<FEFF" + "年度报告".encode("utf-16-be").hex().encode() + b">",
    b"(" + "年度报告".encode() + b")", b"(Caf\xe9 \x95)", b"(" + "年度报告".encode("gb18030") + b")",
])
def test_document_information_read_the_same(title: bytes) -> None:
    data = _minimal_pdf(TEXT, info=b"/Title " + title + b" /CreationDate (D:20250120093000+08'00')")
    layout = _same(data)
    assert layout.hints["doc_created"] == "2025-01-20"


def test_malformed_and_encrypted_files_keep_their_messages() -> None:
    good = _minimal_pdf(TEXT)
    broken = good[:200]
    messages = []
    for data in (broken, good.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard >>")):
        with pytest.raises(InputError) as fast:
            READ_PDF(data)
        with pytest.raises(InputError) as slow:
            READ_PDF(data, engine="pdfplumber")
        assert str(fast.value) == str(slow.value)
        messages.append(str(fast.value))
    assert all("PDF" in message for message in messages)


# ----------------------------------------------------------------------------- vertical writing


def _vertical_pdf(content: bytes, cid_font: bytes = b"", fonts: bytes = b"") -> bytes:
    """One page whose content stream ``content`` sets text in /F1, STSong-Light with the vertical-writing
    CMap UniGB-UCS2-V (text as UTF-16BE hex strings), its CIDFont dictionary holding ``cid_font`` besides
    (W, W2, DW2 entries); ``fonts``: more entries of the page's font resources."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R"
        + fonts + b" >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-V /DescendantFonts [<<"
        b" /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /FontDescriptor 6 0 R /DW 1000"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 0 >> " + cid_font + b" >>] >>",
        b"<< /Type /FontDescriptor /FontName /STSongStd-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 752 /Descent -271 /CapHeight 737 /StemV 58 >>",
    ]
    return pdf_of_objects(objects)


def _utf16(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().encode() + b">"


def _column(text: str, *, size: float = 10, matrix: str = "1 0 0 1 100 700", state: bytes = b"") -> bytes:
    """A column of vertical text: ``text`` shown at the text matrix ``matrix`` (Tm) in font size ``size``."""
    return (b"BT /F1 " + str(size).encode() + b" Tf " + state + b" " + matrix.encode() + b" Tm "
            + _utf16(text) + b" Tj ET")


VERTICAL = "三、本年度办理结果"
#: CIDs of UniGB-UCS2-V (Adobe-GB1) for 三, 、 and 本
CID_SAN, CID_COMMA, CID_BEN = 3288, 575, 1063
#: A text matrix scaled down with a large font size, as word processors write text (the box of the
#: font's vertical metrics that pdfium gives, unscaled, then lies outside the glyph's box)
WORD_LIKE = {"size": 199, "matrix": "0.05 0 0 0.05 100 700"}
W2 = (f"/W2 [{CID_SAN} [-1200 500 800] {CID_COMMA} {CID_COMMA} -600 500 500 {CID_BEN} [-1000 500 960]]"
      .encode())


def _plumber_chars(data: bytes) -> list[dict[str, Any]]:
    return [c for page in _plumber_pages(data) for c in page]


def _assert_same_chars(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    assert [c["text"] for c in ours] == [c["text"] for c in theirs]
    for mine, their in zip(ours, theirs, strict=True):
        for key in ("x0", "x1", "top", "bottom", "size", "doctop"):
            assert mine[key] == pytest.approx(their[key], abs=1e-3), (key, mine, their)
        assert mine["upright"] == their["upright"]


@pytest.mark.parametrize(("content", "cid_font"), [
    (_column(VERTICAL), b""),
    (_column(VERTICAL, size=7), b""),
    (_column(VERTICAL, size=23.5, matrix="1 0 0 1 300 780"), b""),
    (_column(VERTICAL, **WORD_LIKE), b""),
    (_column(VERTICAL, size=20, matrix="0.5 0 0 0.5 100 700"), b""),
    (b"0.8 0 0 0.8 20 30 cm " + _column(VERTICAL, size=12), b""),
    (_column(VERTICAL, state=b"2 Tc 3 Ts"), b""),
    (b"BT /F1 10 Tf 1 0 0 1 100 700 Tm [" + _utf16("三、") + b" -300 " + _utf16("本年度") + b"] TJ ET", b""),
    (_column(VERTICAL, **WORD_LIKE), b"/DW2 [860 -1100]"),
    (_column(VERTICAL, **WORD_LIKE), W2),
    (_column(VERTICAL, size=150, matrix="0.08 0 0 0.08 200 600"), W2 + b" /DW2 [900 -950]"),
], ids=["10pt", "7pt", "23.5pt", "word-like", "half-scale", "scaled-ctm", "spacing-rise", "TJ", "DW2", "W2",
        "W2+DW2"])
def test_vertical_writing_read_by_pdfium_as_pdfplumber_reads_it(content: bytes, cid_font: bytes) -> None:
    """Characters of a vertical-writing font get pdfminer's boxes (by the font's vertical metrics) from pdfium."""
    data = _vertical_pdf(content, cid_font)
    document = pdfium_pages.open_document(data)
    try:
        view = document.page(0)  # not Undecided: pdfium reads the page
    finally:
        document.close()
    _assert_same_chars(view.chars, _plumber_chars(data))
    before = _counts()
    _same(data)
    after = _counts()
    assert after["file read by pdfium"] == before.get("file read by pdfium", 0) + 1
    assert not any(key.startswith("page read by pdfplumber") and after[key] != before.get(key, 0) for key in after)


@pytest.mark.parametrize(("content", "cid_font"), [
    (_column(VERTICAL, **WORD_LIKE), f"/W2 [{CID_SAN} [-1000 400 880]]".encode()),  # vx other than 500
    (_column(VERTICAL, **WORD_LIKE), f"/W [{CID_SAN} [800]]".encode()),  # pdfium's vx: half the width
    (_column(VERTICAL, state=b"80 Tz"), b""),  # horizontal scaling
    (_column(VERTICAL, size=10, matrix="2 0 0 1 100 700"), b""),  # a text matrix scaled unevenly
    (_column(VERTICAL, size=1, matrix="12 0 0 12 100 700"), b""),  # the metrics' box inside the glyph's
    (_column(VERTICAL), f"/W2 [{CID_SAN} [-300 500 880]]".encode()),  # the glyph's box below the advance
])
def test_vertical_writing_pdfium_cannot_verify_goes_to_pdfplumber(content: bytes, cid_font: bytes) -> None:
    data = _vertical_pdf(content, cid_font)
    _first_page_undecided(pdfium_pages.open_document(data), "character box")
    _same(data)


def test_vertical_and_horizontal_text_on_one_page() -> None:
    """Horizontal text (kerned back before its text position, too) and vertical columns side by side."""
    horizontal = b"BT /F2 12 Tf 72 780 Td (Annual report) Tj ET BT /F2 12 Tf 72 760 Td [500 (kerned back)] TJ ET "
    data = _vertical_pdf(horizontal + _column(VERTICAL, **WORD_LIKE) + b" " + _column("结果", size=12,
                                                                                       matrix="1 0 0 1 300 500"),
                         fonts=b" /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    document = pdfium_pages.open_document(data)
    try:
        view = document.page(0)
    finally:
        document.close()
    vertical = [c for c in view.chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert len(vertical) == len(VERTICAL) + 2 - 1  # the ideographs of both columns
    _assert_same_chars(vertical, [c for c in _plumber_chars(data) if "\u4e00" <= c["text"] <= "\u9fff"])
    assert [c["text"] for c in view.chars] == [c["text"] for c in _plumber_chars(data)]
    _same(data)


@pytest.mark.parametrize("path", sorted((CORPUS / "pdf").glob("*.pdf")), ids=lambda p: p.stem)
def test_corpus_pdf_pages_all_read_by_pdfium(path: Path) -> None:
    document = pdfium_pages.open_document(path.read_bytes())
    try:
        for number in range(document.page_count):
            document.page(number)  # no page left to pdfplumber
    finally:
        document.close()


def _random_rules(rng: random.Random) -> list[dict[str, Any]]:
    """Edges of one or two ruled grids (rows and columns at random steps, some rules cut short, nudged by
    up to the tolerances, some doubled, some at integer heights as :func:`pdf._closing_edges` gives them)."""
    edges: list[dict[str, Any]] = []
    for _ in range(rng.randrange(1, 3)):
        left, top = rng.uniform(20, 300), rng.uniform(20, 500)
        xs = [left]
        for _ in range(rng.randrange(1, 7)):
            xs.append(xs[-1] + rng.choice([3.0, 5.5, 40.0, rng.uniform(1, 90)]))
        ys = [top]
        for _ in range(rng.randrange(1, 9)):
            ys.append(ys[-1] + rng.choice([3.0, 4.0, 20.0, rng.uniform(1, 40)]))

        def nudge(value: float) -> float:
            return value + rng.choice([0.0, 0.0, 1.0, -1.0, 3.0, -3.0, rng.uniform(-3.5, 3.5)])

        for y in ys:
            a, b = sorted(rng.sample(range(len(xs)), 2)) if rng.random() < 0.2 else (0, len(xs) - 1)
            y = float(round(y)) if rng.random() < 0.2 else nudge(y)
            for _ in range(2 if rng.random() < 0.1 else 1):
                edges.append({"orientation": "h", "x0": nudge(xs[a]), "x1": nudge(xs[b]), "top": y, "bottom": y})
        for x in xs:
            a, b = sorted(rng.sample(range(len(ys)), 2)) if rng.random() < 0.2 else (0, len(ys) - 1)
            x = nudge(x)
            edges.append({"orientation": "v", "x0": x, "x1": x, "top": nudge(ys[a]), "bottom": nudge(ys[b])})
    rng.shuffle(edges)
    return edges


def test_table_geometry_as_pdfplumber_finds_it() -> None:
    """Points, cells and tables of random rulings are pdfplumber's, in pdfplumber's order."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells

    rng = random.Random(23)
    tables = 0
    for _ in range(300):
        edges = _random_rules(rng)
        theirs = edges_to_intersections(edges, 3, 3)
        ours = pdf._edges_to_intersections(edges, 3, 3)
        assert list(ours) == list(theirs)
        assert all(ours[point]["v"] == theirs[point]["v"] and ours[point]["h"] == theirs[point]["h"] for point in theirs)
        cells = intersections_to_cells(theirs)
        assert pdf._intersections_to_cells(theirs) == cells
        assert pdf._cells_to_tables(cells) == cells_to_tables(cells)
        shuffled = rng.sample(cells, len(cells))  # any order of cells, as pdfplumber groups it
        assert pdf._cells_to_tables(shuffled) == cells_to_tables(shuffled)
        tables += len(cells_to_tables(cells))
    assert tables > 200


def test_words_of_one_line_and_of_lines_at_the_tolerance_as_pdfplumber_groups_them() -> None:
    """Characters whose tops differ by about the line tolerance (3) are grouped as pdfplumber groups them."""
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.text import chars_to_textmap

    rng = random.Random(7)
    for _ in range(400):
        chars = []
        x = rng.uniform(50, 100)
        base = rng.uniform(100, 700)
        for _ in range(rng.randrange(2, 12)):
            width = rng.choice([6.0, 10.5, 12.0])
            top = base + rng.choice([0.0, 0.0, 1.5, 2.9999999, 3.0, 3.0000001, 6.0, -3.0, rng.uniform(-4, 4)])
            chars.append({"text": rng.choice("政务公开12 ﬁa"), "x0": x, "x1": x + width, "top": top,
                          "bottom": top + 12.0, "upright": True, "doctop": top})
            x += width + rng.choice([0.0, 0.0, 2.0, 3.0, 3.5, -4.0])
        rng.shuffle(chars)
        assert pdftext.extract_text(chars) == extract_text(chars)
        assert pdftext.extract_lines(chars) == (extract_text(chars).split("\n") if extract_text(chars) else [])
        assert pdftext.text_lines(chars) == [
            {k: line[k] for k in ("text", "x0", "top", "x1", "bottom")}
            for line in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False)]


def test_clean_text_without_whitespace_only_folds_look_alikes() -> None:
    """The clean-up rules after the whitespace run apply to spaces only: text without whitespace is only folded."""
    import re

    from checker.ingest import _shared

    rng = random.Random(3)
    alphabet = "政务公开，。、（）《》“”ab1 \u3000\u00a0\u200b\t\n⼀⾦\ufeff—"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        folded = text.translate(_shared._RADICALS)
        if not re.search(r"[\s\u00a0\u3000\u200b\ufeff]", folded):
            assert _shared.clean_text(text) == folded
        full = _shared._SPACE_RUN.sub(" ", folded)
        for rule in (_shared._SPACE_BETWEEN_CJK, _shared._SPACE_BEFORE_CJK_PUNCT, _shared._SPACE_AFTER_CJK_PUNCT):
            full = rule.sub("", full)
        assert _shared.clean_text(text) == full.strip()


# ----------------------------------------------------------------------------- font programs out of sight


@pytest.mark.parametrize("path", sorted((CORPUS / "pdf").glob("*.pdf")), ids=lambda p: p.stem)
def test_corpus_fonts_read_without_their_programs(path: Path) -> None:
    """WPS's exports: every font composite (Type0) with a ToUnicode map. pdfium gets the file with its
    font programs out of sight (as long as before: the cross-reference holds), and reads every page,
    each character's box pdfminer's within a tenth of a point (the embedded programs: as far)."""
    data = path.read_bytes()
    blind = pdfium_pages._without_font_programs(data)
    assert len(blind) == len(data) and b"/FontFilX" in blind and b"/FontFile2" not in blind
    document = pdfium_pages.open_document(data, pdfium_pages.check_streams(data))
    try:
        views = [document.page(number) for number in range(document.page_count)]
    finally:
        document.close()
    for view, theirs in zip(views, _plumber_pages(data), strict=True):
        def placed(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted((c for c in chars if not c["text"].isspace()),
                          key=lambda c: (round(c["top"], 1), round(c["x0"], 1), c["text"]))
        ours, plumber = placed(view.chars), placed(theirs)
        assert [c["text"] for c in ours] == [c["text"] for c in plumber]
        for mine, their in zip(ours, plumber, strict=True):
            for key in ("x0", "x1", "top", "bottom"):
                assert mine[key] == pytest.approx(their[key], abs=0.1), (key, mine, their)


def _font_file(subtype: bytes, to_unicode: bool, extra: bytes = b"") -> bytes:
    """A page of text in one embedded font of ``subtype`` (the program a stub: it is never loaded here)."""
    content = b"BT /F1 12 Tf 72 700 Td <0001> Tj ET"
    font = (b"<< /Type /Font /Subtype /" + subtype + b" /BaseFont /ABCDEF+GkSans"
            + (b" /ToUnicode 8 0 R" if to_unicode else b"") + b" /FontDescriptor 6 0 R >>")
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        font,
        b"<< /Type /FontDescriptor /FontName /ABCDEF+GkSans /Flags 4 /Descent -200 /FontFile2 7 0 R >>",
        b"<< /Length 4 >>\nstream\nstub\nendstream",
        b"<< /Length 3 >>\nstream\nmap\nendstream" + extra,
    ])


@pytest.mark.parametrize(("subtype", "to_unicode", "extra", "blinded"), [
    (b"Type0", True, b"", True),
    (b"Type0", False, b"", False),  # its text could come from its program
    (b"TrueType", True, b"", False),  # a simple font found by its codes: a subset's glyphs are its own
    (b"Type0", True, b"\n% /Type /ObjStm", False),  # a font could stand in an object stream, unseen
])
def test_font_programs_are_put_out_of_sight_only_where_no_character_can_change(
        subtype: bytes, to_unicode: bool, extra: bytes, blinded: bool) -> None:
    data = _font_file(subtype, to_unicode, extra)
    out = pdfium_pages._without_font_programs(data)
    assert len(out) == len(data)
    assert (out != data) == blinded
    if blinded:
        assert out == data.replace(b"/FontFile2 7 0 R", b"/FontFilX2 7 0 R")
