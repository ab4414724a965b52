"""Text from a report made safe for the output it enters: one function per kind of output.

A report (or a file name) is hostile input: its agency name, its sections and the messages
that quote them may hold terminal escape sequences (an OSC 8 link, a title change, a screen
clear, fake colours), other control characters, bidirectional overrides (U+202E) and other
invisible format characters that make text read differently from what it is, and lone
surrogates, which no UTF-8 file can hold. Every string that comes from a report passes
through the function for its output where it enters that output:

* :func:`terminal_text` (the terminal, also Markdown/HTML documents as a whole):
  escape sequences removed whole, control characters and invisible format characters
  removed, line breaks of every kind made ``\\n``; ``\\n`` and ``\\t`` kept.
  :class:`TerminalText` is a ``rich`` Text that applies it to everything appended,
  :func:`guard_console` makes a console apply it to every segment it prints (rich styles,
  which are not text, stay), and :class:`TerminalConsole` is a console so guarded that also
  cleans every string it is given. Rich markup is never parsed from report text: a report's
  ``[bold red]`` stays literal (use :func:`terminal_markup` where a string is parsed as markup).
* :func:`line_text`: :func:`terminal_text` on one line (line breaks and tabs become a space),
  for line-oriented outputs such as ``--format concise``.
* :func:`markdown_text`: an inline Markdown value (one line) that can inject no link, image,
  emphasis, table cell or HTML.
* :func:`html_text`: HTML text or a quoted attribute value.
* :func:`xml_text`: a value for an XML library (ElementTree escapes ``& < > "``): no character
  XML 1.0 forbids (C0 controls but tab, line feed and carriage return; lone surrogates;
  U+FFFE, U+FFFF) and none that :func:`terminal_text` removes. :func:`xml_tree` applies it
  to a whole tree.
* :func:`json_text`: ``json.dumps`` whose output holds no raw control or format character
  (they are written as ``\\uXXXX`` escapes, so the data stays exact) and no lone surrogate
  (written as U+FFFD: JSON files are UTF-8, which cannot encode one).
* :func:`csv_cell`: a spreadsheet cell that cannot be a formula (OWASP "CSV injection"):
  a *text* cell starting with ``= + - @``, tab or carriage return gets a leading ``'``.
  Numbers (int, float, Decimal) are returned unchanged, so that a writer that passes numbers
  as numbers keeps ``-3`` a number; a number passed as text (``"-3"``) is text and is prefixed.

Removing instead of showing a placeholder: what a terminal would not print (or would act on)
is dropped, and an unterminated sequence loses only its introducer, so its text stays visible.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from rich.console import (
    Console,
    ConsoleOptions,
    RenderableType,
    RenderHook,
    RenderResult,
)
from rich.markup import escape as _escape_markup
from rich.segment import Segment
from rich.text import Text

# Unicode general category Cf (format characters: bidirectional controls, zero-width
# characters, the byte-order mark, tags ...), as of Unicode 15; a test checks that this
# covers every Cf character of the running Python.
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
           "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
# Noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_NONCHAR = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
_SURROGATE = "\ud800-\udfff"
# Line breaks other than \n: CR LF, CR, VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Everything that is removed once whole escape sequences are gone (C0 but \t \n, DEL, C1).
_DROP = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f{_FORMAT}{_NONCHAR}]")
# Whether a string needs any work (the usual case is no).
_SUSPECT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_FORMAT}{_NONCHAR}{_SURROGATE}]")
# ECMA-48 sequences, 7-bit (ESC ...) and 8-bit (C1) forms: CSI; the string commands OSC, DCS,
# SOS, PM, APC when terminated (BEL or ST); any other ESC sequence. A string body stops at the
# next introducer, so that no text is scanned twice.
_STRING_BODY = "[^\x07\x1b\x90\x98\x9c-\x9f]*"
_SEQUENCE = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    f"|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f]){_STRING_BODY}(?:\x07|\x1b\\\\|\x9c)"
    "|\x1b[ -/]*[0-~]")
_SURROGATES = re.compile(f"[{_SURROGATE}]")


def terminal_text(value: object) -> str:
    """``value`` as text a terminal shows as it is: no escape sequence, control or format character.

    Line breaks of every kind (CR LF, CR, VT, FF, NEL, U+2028, U+2029) become ``\\n``;
    ``\\n`` and ``\\t`` stay; lone surrogates become U+FFFD. Idempotent.
    """
    text = "" if value is None else str(value)
    if not _SUSPECT.search(text):
        return text
    text = _SURROGATES.sub("\ufffd", text)
    text = _SEQUENCE.sub("", text)
    text = _BREAK.sub("\n", text)
    return _DROP.sub("", text)


_LINE_BREAKS = re.compile(r"[ \t]*[\n\t][ \t\n]*")


def line_text(value: object) -> str:
    """``value`` as :func:`terminal_text` on one line: line breaks and tabs (with the spaces
    around them) become one space. For line-oriented outputs (``concise``, CI logs), where a
    line break in a message would start a line that seems to be another finding."""
    text = terminal_text(value)
    return _LINE_BREAKS.sub(" ", text) if ("\n" in text or "\t" in text) else text


def terminal_markup(value: object) -> str:
    """``value`` for a place where rich parses markup: :func:`terminal_text`, with ``[`` escaped."""
    return _escape_markup(terminal_text(value))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_SPACE_RUN = re.compile(r"\s+")  # linear; "\s*\n\s*" is quadratic on long runs of spaces


def _one_line(run: re.Match[str]) -> str:
    """A run of whitespace that holds a line break becomes one space; others stay as they are."""
    return " " if "\n" in run.group() else run.group()


_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def markdown_text(value: object) -> str:
    """``value`` as one line of inline Markdown that renders as the same plain text.

    HTML special characters become entities; Markdown punctuation that could start a link,
    an image, emphasis, code, a table cell, strike-through or a heading is backslash-escaped;
    line breaks become spaces; a leading list or heading marker is escaped.
    """
    text = html.escape(terminal_text(value), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _SPACE_RUN.sub(_one_line, text).strip()
    return _MD_LINE_START.sub(r"\\\1", text)


def html_text(value: object) -> str:
    """``value`` escaped for HTML text or a quoted attribute, with :func:`terminal_text`'s cleaning."""
    return html.escape(terminal_text(value), quote=True)


def xml_text(value: object) -> str:
    """``value`` for an ElementTree text or attribute (which escapes ``& < > "``).

    The result holds only characters XML 1.0 allows, and none that :func:`terminal_text`
    removes (a JUnit report is also read in terminals and CI logs).
    """
    return terminal_text(value)


def xml_tree(root: ET.Element) -> ET.Element:
    """Make every text, tail, attribute name and value of the tree :func:`xml_text`; returns ``root``."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        if any(_SUSPECT.search(k) or _SUSPECT.search(v) for k, v in element.attrib.items()):
            cleaned = {xml_text(k): xml_text(v) for k, v in element.attrib.items()}
            element.attrib.clear()
            element.attrib.update(cleaned)
    return root


# What json.dumps(ensure_ascii=False) leaves raw and a file should not hold raw (it escapes C0).
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{_FORMAT}{_NONCHAR}{_SURROGATE}]")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    if code > 0xFFFF:  # a UTF-16 surrogate pair, as JSON writes characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(obj: Any, **dumps: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **dumps)``, safe to write and to print.

    Characters that the JSON text would otherwise hold raw and that a terminal acts on or
    hides (DEL, C1 controls, format characters, U+2028/U+2029, noncharacters) are written as
    ``\\uXXXX`` escapes: the parsed data is exactly the same. Lone surrogates, which UTF-8
    cannot encode, are written as U+FFFD. Outside strings JSON text is ASCII, so the
    replacement only ever touches string contents.
    """
    return _JSON_RAW.sub(_json_escape, json.dumps(obj, ensure_ascii=False, **dumps))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet cannot evaluate as a formula.

    Numbers (``int``, ``float``, ``Decimal``, not ``bool``) are returned unchanged: write
    numbers as numbers and ``-3`` stays a number. Anything else is text: it is cleaned as
    :func:`terminal_text` does (line breaks kept as ``\\n``), and if it starts with
    ``= + - @``, a tab or a carriage return (OWASP's list) it gets a leading ``'``, which
    spreadsheets show as text and do not evaluate. ``None`` stays ``None`` (an empty cell).
    """
    if value is None or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)):
        return value
    raw = str(value)
    text = terminal_text(raw)
    if raw.startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


class TerminalText(Text):
    """A rich ``Text`` whose content (given or appended as ``str``) is :func:`terminal_text`.

    Cleaning where text enters (not only when it is printed) keeps widths and alignment right.
    """

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(terminal_text(text), *args, **kwargs)

    def append(self, text: str | Text, style: Any = None) -> TerminalText:
        super().append(terminal_text(text) if isinstance(text, str) else text, style)
        return self


class _Clean:
    """A renderable printing another one with every text segment :func:`terminal_text`."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or not _SUSPECT.search(segment.text):
                yield segment
            else:
                yield Segment(terminal_text(segment.text), segment.style)


class _Guard(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Clean(r) for r in renderables]


def guard_console(console: Console) -> Console:
    """Make ``console`` print no escape sequence or control character from any text it is given.

    Rich's own styling (colours, bold) is not text and is kept. Returns ``console``.
    """
    if not any(isinstance(h, _Guard) for h in getattr(console, "_render_hooks", ())):
        console.push_render_hook(_Guard())
    return console


class TerminalConsole(Console):
    """A guarded console (:func:`guard_console`) that also cleans every string it is given
    before rich reads it (rich drops BEL, which would leave an OSC sequence unterminated)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_console(self)

    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return super().render_str(terminal_text(text), *args, **kwargs)
