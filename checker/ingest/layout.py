"""The neutral intermediate form between file readers and the report assembler.

Every reader (text, Markdown, HTML, Word, PDF) turns a file into a :class:`Layout`:
a sequence of paragraphs and tables in reading order, each carrying its
:class:`Location` in the original file. The assembler (``assemble.py``) turns a
Layout into the report document (``schemas/report.schema.json``): it finds the
sections by their headings, maps table cells to cell ids by their row and column
labels, and records a source map. Readers never decide what a cell means;
the assembler never looks at file bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: What ``Location.line`` counts (``unit``). Absent: lines of a text or Markdown file, which an
#: editor numbers, so a person finds them by number.
PARAGRAPH = "paragraph"
"""Word: the paragraphs that hold text, counted from the top of the body (a person counts them)."""
PAGE_LINE = "page-line"
"""PDF: lines on the page as the extraction saw them (no reader sees them: the page and the quote place it)."""
SOURCE_LINE = "source-line"
"""HTML: lines of the page's source (a browser shows none: the quote places it)."""
UNITS = (PARAGRAPH, PAGE_LINE, SOURCE_LINE)

#: How many characters of a paragraph a location quotes (its first words, to find it with Ctrl+F).
QUOTE_CHARS = 12
#: What ends a quote that was cut.
ELLIPSIS = "……"


def quote_of(text: str, limit: int = QUOTE_CHARS) -> str:
    """The first ``limit`` characters of ``text`` on one line (whitespace runs made one space),
    with :data:`ELLIPSIS` when cut: the short quote a location carries."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Location:
    """Where something stood in the original file. Unused fields stay None.

    Attributes:
        line: 1-based line number, in the ``unit`` the file has (text, Markdown: lines of the file;
            Word: paragraphs with text; PDF: lines on the page; HTML: lines of the source).
        end_line: last line when the item spans several lines.
        page: 1-based page number (PDF).
        table: 1-based index of the table in the file (HTML, Word, PDF, Markdown).
        row: 1-based row number inside that table.
        column: 1-based column number inside that table.
        unit: what ``line`` counts: :data:`PARAGRAPH`, :data:`PAGE_LINE`, :data:`SOURCE_LINE`, or None
            for lines of a text file.
        quote: the first words of the paragraph (:func:`quote_of`), so that a person can find it.
    """

    line: int | None = None
    end_line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    unit: str | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The non-empty fields, as stored in the document's ``source_map``."""
        return {k: v for k in self.__slots__ if (v := getattr(self, k)) is not None}


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of text outside tables (a heading is a paragraph too)."""

    text: str
    loc: Location


@dataclass(frozen=True, slots=True)
class TableCell:
    """One grid position of a table after rowspan/colspan are expanded.

    A merged cell appears at every grid position it covers, with ``origin``
    False on all but its top-left position, so label lookups see the label
    everywhere while values are read once.
    """

    text: str
    loc: Location
    origin: bool = True
    derived: bool = False  # placed by the table's own arithmetic (a number that floated out of its row)


@dataclass(slots=True)
class Table:
    """A table as a rectangular grid of cells (rows of equal length)."""

    rows: list[list[TableCell]]
    loc: Location


@dataclass(slots=True)
class Layout:
    """A whole file: blocks in reading order plus metadata hints from the container.

    ``hints`` carries what the file format itself says outside the body text,
    e.g. an HTML ``<title>`` or ``<meta name="PubDate">``, Word core properties,
    PDF metadata: keys ``title``, ``published`` (YYYY-MM-DD), ``agency``, ``url``.
    """

    blocks: list[Paragraph | Table]
    media_type: str
    hints: dict[str, str] = field(default_factory=dict)
