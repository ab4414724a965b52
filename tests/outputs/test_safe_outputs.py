"""Report text made safe for each output (checker.render.safe), fuzzed with hypothesis.

Whatever a report holds (escape sequences, control and format characters, lone surrogates,
markup), the terminal output holds no control character but ``\\n`` and ``\\t``; Markdown
renders as plain text; JUnit parses; JSON and SARIF parse and say exactly what the report
said; a CSV cell is never a formula.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from checker import check, compiled_ruleset
from checker.model import Text
from checker.render import RENDERERS, RenderContext
from checker.render.safe import (
    TerminalText,
    csv_cell,
    guard_console,
    html_text,
    json_text,
    markdown_text,
    terminal_markup,
    terminal_text,
    xml_text,
    xml_tree,
)

ROOT = Path(__file__).resolve().parents[2]
DEFECTIVE = ROOT / "examples" / "defective-report-2024.json"

# A character that must never reach a terminal raw: C0 but \t \n, DEL, C1, format characters,
# line/paragraph separators, noncharacters, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def unsafe(text: str) -> list[str]:
    """The characters of ``text`` that no output may hold raw."""
    return [c for c in text if UNSAFE.match(c) or unicodedata.category(c) == "Cf"]


ATTACKS = [
    "\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1b]8;;http://evil.example/\x1b\\点我\x1b]8;;\x1b\\",  # ... terminated by ST
    "\x1b]0;pwned\x07", "\x1b]2;title", "\x1b[2J\x1b[H", "\x1b[31m假红\x1b[0m", "\x1b[5;31m", "\x9b31m", "\x9d0;t\x9c",
    "\x1bP+q\x1b\\", "\x1b_apc\x07", "\x1bc", "\x1b(0", "\x1b", "\x1b[", "\x1b]", "\x07\x08\x7f",
    "\u202e反转\u202c", "\u2066\u2069", "\u200b\u200d\ufeff", "\U000e0041", "[bold red]红[/bold red]", "\x00",
    "\ud800", "\udfff", "\udcff", "a\r\nb\rc\x0bd\x0ce\x85f\u2028g\u2029h", "\ufffe\uffff\U0010ffff",
    "<script>alert(1)</script>", "[link](http://x) ![img](http://y) <http://z> *em* _em_ `code` ~~s~~ | cell |",
    "# heading", "- item", "1. item", "&amp; &lt;", "]]>", '" \' &',
]
hostile = st.one_of(
    st.text(),  # any code point, surrogates included
    st.text(st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"])),
    st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(max_size=5)), max_size=8).map("".join),
)


def _no_escape_sequence(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\x9d" not in text, repr(text)
    assert not unsafe(text), repr(text)


# ----------------------------------------------------------------------------------- the functions


@given(hostile)
@example("\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07")
def test_terminal_text_holds_no_control_character(s: str) -> None:
    out = terminal_text(s)
    _no_escape_sequence(out)
    assert terminal_text(out) == out  # idempotent: cleaning twice changes nothing


# Noncharacters: U+FDD0-U+FDEF and the last two code points of every plane (dropped; not ordinary text).
_NONCHARACTERS = "".join(map(chr, range(0xFDD0, 0xFDF0))) + "".join(
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Zl", "Zp"],
                             exclude_characters=_NONCHARACTERS)))
def test_terminal_text_keeps_ordinary_text(s: str) -> None:
    assert terminal_text(s) == s
    assert terminal_text(s + "\n\t" + s) == s + "\n\t" + s


def test_terminal_text_drops_whole_sequences_and_keeps_what_an_unterminated_one_would_hide() -> None:
    assert terminal_text("\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07") == "点我"
    assert terminal_text("某局\x1b]0;pwned\x07\x1b[2J\x1b[31m假红\x1b[0m") == "某局假红"
    assert terminal_text("\u202e反转") == "反转"
    assert terminal_text("a\x00b\x9b31mc") == "abc"
    assert terminal_text("\x1b]0;no end") == "0;no end"  # only the introducer goes: the text stays visible
    assert terminal_text("x\ud800y") == "x\ufffdy"
    assert terminal_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert terminal_text("[bold red]红") == "[bold red]红"  # markup is only escaped where it is parsed
    assert terminal_markup("[bold red]红\x1b[2J") == "\\[bold red]红"


def test_the_format_characters_are_every_cf_character() -> None:
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in cf if terminal_text(c)] == []


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@given(hostile)
@example("[link](http://x) ![img](http://y) <script>x</script> *em* `c` ~~s~~ | a | b |")
@example("# heading")
@example("- item")
@example("1. item")
@example("<http://z>")
def test_markdown_text_renders_as_plain_text(s: str) -> None:
    out = markdown_text(s)
    _no_escape_sequence(out)
    assert "\n" not in out
    parser = _Tags()
    parser.feed(_MARKDOWN.render(out))
    assert set(parser.tags) <= {"p"}, (s, out, _MARKDOWN.render(out))


def test_markdown_text_is_the_text() -> None:
    shown = _MARKDOWN.render(markdown_text("某局 [link](http://x) <b>&amp; *x*")).strip()
    assert shown == "<p>某局 [link](http://x) &lt;b&gt;&amp;amp; *x*</p>"


@given(hostile)
@example("]]>\x00\x1b[2J&<>\"'\ud800\ufffe")
def test_xml_text_always_parses(s: str) -> None:
    root = ET.Element("testsuite", name=xml_text(s))
    ET.SubElement(root, "failure", message=xml_text(s)).text = xml_text(s)
    parsed = ET.fromstring(ET.tostring(root, encoding="unicode").encode("utf-8"))
    assert parsed.get("name") == xml_text(s) and parsed[0].text == (xml_text(s) or None)
    _no_escape_sequence(xml_text(s))


@given(hostile, hostile)
def test_xml_tree_cleans_a_whole_tree(a: str, b: str) -> None:
    root = ET.Element("testsuites", name=a)
    child = ET.SubElement(root, "testcase", classname=b)
    child.text, child.tail = a, b
    text = ET.tostring(xml_tree(root), encoding="unicode")
    ET.fromstring(text.encode("utf-8"))
    _no_escape_sequence(text)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile, inner, max_size=4),
                    max_leaves=12))
def test_json_text_is_valid_utf8_json_with_the_same_data(obj: object) -> None:
    out = json_text(obj, indent=1)
    out.encode("utf-8")  # no lone surrogate
    _no_escape_sequence(out)

    def fix(value: object) -> object:  # surrogates (lone, or two in a row: not a character) are written as U+FFFD
        if isinstance(value, str):
            return re.sub("[\ud800-\udfff]", "\ufffd", value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        return value

    # fixed before the round trip: json.loads would join the escapes of two surrogates into one character
    assert json.loads(out) == json.loads(json.dumps(fix(obj)))


@given(hostile)
@example("=HYPERLINK(\"http://evil\",\"x\")")
@example("+cmd|' /C calc'!A0")
@example("-2+3+cmd|' /C calc'!A0")
@example("@SUM(1+1)*cmd|' /C calc'!A0")
@example("\t=1")
@example("\r=1")
@example("\x1b[0m=1")
def test_csv_cell_is_never_a_formula(s: str) -> None:
    cell = csv_cell(s)
    assert isinstance(cell, str)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    _no_escape_sequence(cell.replace("\t", " "))
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell, 1])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [cell, "1"]


def test_csv_cell_keeps_numbers_numbers() -> None:
    from decimal import Decimal

    assert [csv_cell(v) for v in (-3, -2.5, Decimal("-1.5"), 0, None)] == [-3, -2.5, Decimal("-1.5"), 0, None]
    assert csv_cell("-3") == "'-3"  # a number written as text is text
    assert csv_cell(True) == "True"
    assert csv_cell("青禾县") == "青禾县"


def test_html_text_escapes_and_cleans() -> None:
    assert html_text('<a href="x">\x1b[2J&\u202e') == "&lt;a href=&quot;x&quot;&gt;&amp;"


# ----------------------------------------------------------------------------------- rich


@given(hostile)
def test_terminal_text_object_and_guarded_console_print_no_escape_sequence(s: str) -> None:
    console = guard_console(Console(file=io.StringIO(), width=60, no_color=True, color_system=None,
                                    force_terminal=False, highlight=False))
    text = TerminalText("机关：")
    text.append(s, style="bold")
    console.print(text)
    console.print(s, markup=False)  # a plain str printed by anyone: the guard cleans it
    out = console.file.getvalue()
    _no_escape_sequence(out)


def test_colours_stay_and_report_text_colours_go() -> None:
    def render(value: str) -> str:
        console = guard_console(Console(file=io.StringIO(), width=60, force_terminal=True,
                                        color_system="standard", highlight=False))
        console.print(TerminalText("机关：").append(value, style="bold red"))
        return console.file.getvalue()

    hostile_out, clean_out = render("某局\x1b[5;32m假绿\x1b]0;t\x07"), render("某局假绿")
    assert hostile_out == clean_out and "\x1b[1;31m" in clean_out  # rich's own style is kept


def test_report_markup_is_literal_in_the_terminal() -> None:
    console = guard_console(Console(file=io.StringIO(), width=60, no_color=True, highlight=False))
    console.print(TerminalText("[bold red]红[/bold red]"))
    assert "[bold red]红[/bold red]" in console.file.getvalue()


def test_the_command_line_console_prints_strings_as_written() -> None:
    from checker.cli import _console

    buffer = io.StringIO()
    console = _console("always", buffer)
    console.print("某局[bold red]红[/bold red] :warning: [/b]\x1b]0;t\x07\x1b[2J")
    shown = SGR.sub("", buffer.getvalue())
    assert shown == "某局[bold red]红[/bold red] :warning: [/b]\n"


# ----------------------------------------------------------------------------------- the renderers

COMPILED = compiled_ruleset()
BASE = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
BASE_RESULT = check(BASE, COMPILED, source=str(DEFECTIVE))


def _hostile_result(s: str) -> tuple[object, dict[str, object]]:
    """The defective example's result with ``s`` in the agency name, source, messages and a waiver."""
    doc = copy.deepcopy(BASE)
    doc["agency"]["name"] = s
    findings = tuple(dataclasses.replace(f, message=Text(f.message.zh + s, f.message.en + s),
                                         waived=s if i == 0 else f.waived)
                     for i, f in enumerate(BASE_RESULT.findings))
    source = "reports/" + s.replace("\x00", "") + ".json"
    result = dataclasses.replace(BASE_RESULT, agency=s, source=source, findings=findings)
    return result, {source: doc}


def _render(fmt: str, s: str, lang: str) -> str:
    result, documents = _hostile_result(s)
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard", highlight=False)
    ctx = RenderContext(COMPILED.ruleset, lang, documents=documents, console=console)
    text = RENDERERS[fmt]([result], ctx)
    return console.file.getvalue() if text is None else text


SGR = re.compile(r"\x1b\[[0-9;]*m")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, st.sampled_from(["zh", "en"]))
@example("\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07\x1b]0;t\x07\x1b[2J\x1b[5;31m\u202e[bold red]\x00\ud800", "zh")
def test_every_renderer_output_is_clean_and_parses(s: str, lang: str) -> None:
    for fmt in RENDERERS:
        out = _render(fmt, s, lang)
        out.encode("utf-8")
        if fmt == "text":
            assert "\x1b[5;31m" not in out and "\x1b]" not in out
            out = SGR.sub("", out)  # rich's own colours (the report's went before rich saw them)
        _no_escape_sequence(out)
        if fmt in ("json", "sarif"):
            data = json.loads(out)
            agency = (data["results"][0]["report"]["agency"] if fmt == "json"
                      else data["runs"][0]["properties"]["reports"][0]["agency"])
            assert agency == re.sub("[\ud800-\udfff]", "\ufffd", s)  # exact: escaped, not removed
        if fmt == "junit":
            ET.fromstring(out.encode("utf-8"))
        if fmt in ("concise", "github"):  # one line per finding whatever the text, then the summary
            lines = out.splitlines()
            assert len(lines) == len(BASE_RESULT.findings) + 1, lines
            if fmt == "github":
                assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])
                assert lines[-1].startswith("gkcheck: ")
        if fmt == "gitlab":
            issues = json.loads(out)
            assert len(issues) == len({i["fingerprint"] for i in issues}) == len(BASE_RESULT.findings)
        if fmt == "html":
            assert "<script>" not in out.lower().replace('<meta http-equiv="content-security-policy"', "")
            assert out.count("<script") == 0
        if fmt == "markdown":
            parser = _Tags()
            parser.feed(_MARKDOWN.render(out))
            assert set(parser.tags) <= {"h3", "p", "strong", "br", "table", "thead", "tbody", "tr", "th", "td",
                                        "ul", "li", "s", "del"}, set(parser.tags)


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_agency_markup_and_links_are_shown_as_text(fmt: str) -> None:
    out = _render(fmt, "某局[bold red]红[/bold red][l](http://x)", "zh")
    if fmt == "text":
        assert "某局[bold red]红[/bold red][l](http://x)" in SGR.sub("", out)
    elif fmt == "markdown":
        assert "某局\\[bold red\\]红\\[/bold red\\]\\[l\\](http://x)" in out
    elif fmt in ("json", "sarif", "junit", "html", "concise", "github"):
        assert "某局[bold red]红[/bold red][l](http://x)" in out
