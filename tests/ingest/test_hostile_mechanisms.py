"""The mechanisms behind the hostile-input matrix (``tests/hostile/test_input.py``), in process.

* JSON: the fast path (orjson and its screens) and the careful path (json with hooks) agree,
  and refuse lone surrogates, repeated keys, deep nesting and numbers over the bound;
* the value walk over any document, and the field bound over what a reader produced;
* pdfminer's stream decoders, replaced by bounded ones that return what pdfminer's return;
* Word packages inflated under the bound, whatever their headers say;
* HTML parsed past libxml2's default limits, walked without recursion;
* the reading deadline; reading a file under INPUT_MB; a symbolic link loop.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import orjson
import pytest
from pdfminer import lzw, pdftypes, runlength

from checker import limits
from checker.errors import InputError
from checker.ingest import parse_document, pdfstreams, read_bytes
from checker.ingest._shared import clean_text
from checker.ingest.deadline import reading_deadline
from checker.ingest.docx import _inflated_package
from checker.ingest.html import _decode, read_html
from checker.ingest.jsonfile import _needs_walk, parse_json, text_depth
from checker.ingest.layout import Layout, Location, Paragraph, Table, TableCell
from checker.ingest.values import check_blocks, check_values

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json")) + [ROOT / "tests" / "data" / "xiangxiang-emergency-2024.report.json"]


def refused(fn: Any, *args: Any, phrases: tuple[str, ...] = ()) -> InputError:
    with pytest.raises(InputError) as err:
        fn(*args)
    for phrase in phrases:
        assert phrase in err.value.zh, err.value.zh
    assert err.value.en and err.value.en != err.value.zh
    return err.value


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_ordinary_reports_take_the_fast_path_unchanged(path: Path) -> None:
    data = path.read_bytes()
    assert not _needs_walk(data, orjson.loads(data))
    assert parse_json(data, path.name) == json.loads(data)


def test_repeated_keys_are_found_at_any_depth() -> None:
    for text, where in ((b'{"a": 1, "a": 2}', "文档根"), (b'{"t": {"r": [{"k": 1, "k": 1}]}}', "/t/r/0"),
                        (b'{"a:b": 1, "a:b": 2}', "文档根")):
        refused(parse_json, text, "r.json", phrases=("出现了不止一次", where))


def test_colons_in_strings_and_escaped_colons_are_no_keys() -> None:
    for text in (b'{"url": "https://a:b@c:80/", "t": "10:30"}', b'{"a": "\\u003a", "b": "\\u003A:"}',
                 b'{"k\\u003a": 1, "k": 2}'):
        assert parse_json(text, "r.json") == json.loads(text)


def test_repeated_key_hidden_by_an_escaped_colon_is_still_found() -> None:
    # one repeated key and one escaped colon: the colon counts alone would balance
    refused(parse_json, b'{"a": 1, "a": "\\u003a"}', "r.json", phrases=("“a”",))


def test_lone_surrogates_anywhere_are_refused_with_their_path() -> None:
    refused(parse_json, b'{"agency": {"name": "x\\ud800y"}}', "r.json", phrases=("/agency/name", "\\ud800", "第 2 个字符"))
    refused(parse_json, b'{"list": ["ok", "\\udc00"]}', "r.json", phrases=("/list/1",))
    refused(parse_json, b'{"k\\ud800": 1}', "r.json", phrases=("键名", "\\ud800"))
    assert parse_json(b'{"e": "\\ud83d\\ude00"}', "r.json") == {"e": "\U0001f600"}  # a pair is a character


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030", "utf-8-sig"])
def test_both_paths_read_the_same_document(encoding: str) -> None:
    data = EXAMPLES[0].read_text(encoding="utf-8").encode(encoding)
    assert parse_json(data, "r.json") == json.loads(EXAMPLES[0].read_bytes())


def test_depth_bound_is_exact_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.DEPTH.env, "5")
    # depth counts containers, empty ones too: {"a": [[[{"b": 1}]]]} is 5 deep
    assert parse_json(b'{"a": [[[{"b": 1}]]]}', "r.json")
    assert parse_json(b'{"a": [[[{"b": 1}]]], "c": "[[[[[["}', "r.json")  # brackets in strings are text
    refused(parse_json, b'{"a": [[[{"b": []}]]]}', "r.json", phrases=("6 层", "上限 5 层"))
    refused(parse_json, b'{"a": [[[{"b": [1]}]]]}', "r.json", phrases=("6 层", "上限 5 层"))
    assert parse_json(b'{"a": [[[{"b": 1e1}]]]}', "r.json")  # the careful path (an exponent): the same bound
    refused(parse_json, b'{"a": [[[{"b": [1e1]}]]]}', "r.json", phrases=("6 层",))
    refused(parse_json, '{"a": [[[{"b": [1]}]]]}'.encode("utf-16"), "r.json", phrases=("6 层",))


def test_depth_over_the_recursion_limit_is_measured_without_recursion() -> None:
    refused(parse_json, b"[" * 200_000 + b"]" * 200_000, "r.json", phrases=("200000 层",))
    refused(parse_json, b'{"a":' * 3000 + b"1" + b"}" * 3000, "r.json", phrases=("3000 层",))


def test_text_depth() -> None:
    assert text_depth('{"a": "[{[{", "b": [1, {"c": "\\"]"}]}') == 3
    assert text_depth('["unterminated [[[[') == 1
    assert text_depth('"a\\"[" [[') == 2
    assert text_depth("") == 0


@pytest.mark.parametrize(("literal", "digits"), [("1e400", "401 位"), ("-1e308", "309 位"), ("1.7e308", "309 位"),
                                                 (str(10**20), "21 位"), ("1000000000000000", "16 位"),
                                                 ("1e15", "16 位"), ("-1234567890123456.5", "16 位"),
                                                 ("9" * 5000, "5000 位")])
def test_numbers_over_the_digit_bound_are_refused(literal: str, digits: str) -> None:
    text = f'{{"tables": {{"requests": {{"new": {{"total": {literal}}}}}}}}}'.encode()
    refused(parse_json, text, "r.json", phrases=("单元格数字的位数超出上限", digits, "/tables/requests/new/total", "总计"))


@pytest.mark.parametrize("literal", ["999999999999999", "-999999999999999", "0.1234567890123456789", "1e-300",
                                     "123456789012345.5", "0", "-0.0"])
def test_numbers_within_the_bound_are_read(literal: str) -> None:
    assert parse_json(f'{{"n": {literal}}}'.encode(), "r.json") == {"n": json.loads(literal)}


def test_digit_bound_follows_its_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.NUMBER_DIGITS.env, "25")
    assert parse_json(f'{{"n": {10**20}}}'.encode(), "r.json") == {"n": 10**20}
    refused(parse_json, b'{"n": 1e400}', "r.json", phrases=("上限 25 位",))


def test_non_json_constants_and_non_objects() -> None:
    refused(parse_json, b'{"n": NaN}', "r.json", phrases=("NaN",))
    refused(parse_json, b"[1, 2]", "r.json", phrases=("不是一个 JSON 对象",))
    refused(parse_json, b'{"a": ', "r.json", phrases=("不是有效的 JSON",))


def test_long_strings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.FIELD_CHARS.env, "100")
    assert parse_json(json.dumps({"t": "x" * 100, "pad": ["y"] * 50}).encode(), "r.json")
    refused(parse_json, json.dumps({"t": "字" * 101}).encode(), "r.json", phrases=("/t", "101 字符", "上限 100 字符"))


def test_every_document_gets_the_value_walk() -> None:
    refused(check_values, {"a": [{"b": float("inf")}]}, "x", phrases=("/a/0/b", "不是有限的数"))
    refused(check_values, {"sections": {"overview": {"text": "a\udfffb"}}}, "x", phrases=("/sections/overview/text",))
    check_values({"a": [1, 2.5, None, True, "ok", {"b": []}]}, "x")


def test_field_bound_on_what_a_reader_produced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.FIELD_CHARS.env, "10")
    cell = TableCell("1" * 11, Location(page=2, table=3, row=4, column=5))
    layout = Layout([Paragraph("短", Location(line=1)), Table([[cell]], Location(table=3))], "text/html")
    refused(check_blocks, layout, "a.html", phrases=("第 2 页第 3 个表格第 4 行第 5 列的单元格", "11 字符"))
    check_blocks(Layout([Paragraph("1" * 10, Location(line=9))], "text/plain"), "a.txt")


# --------------------------------------------------------------------------- PDF streams


def _pdfminer_flate(data: bytes) -> bytes:
    """What pdfminer did before the bounded decoders: zlib.decompress, then its recovery, else nothing."""
    try:
        return zlib.decompress(data)
    except zlib.error:
        try:
            return _ORIGINAL_CORRUPTED(data)
        except zlib.error:
            return b""


def _ours(data: bytes) -> bytes:
    try:
        return pdfstreams.inflate(data)
    except zlib.error:
        return b""


_ORIGINAL_CORRUPTED = pdfstreams.PDFMINER["decompress_corrupted"]


def test_decoders_are_installed() -> None:
    import checker.ingest.pdf  # noqa: F401  (installs them)

    assert pdftypes.zlib.decompress is pdfstreams.inflate
    assert pdftypes.lzwdecode is pdfstreams.lzw_decode
    assert pdftypes.rldecode is pdfstreams.rl_decode
    pdfstreams.install()  # idempotent
    assert pdftypes.zlib.error is zlib.error


def test_inflate_returns_what_pdfminer_returned() -> None:
    rng = random.Random(12)
    samples = []
    for _ in range(60):
        raw = bytes(rng.choice(b"ab \n0123(") for _ in range(rng.randint(0, 3000)))
        good = zlib.compress(raw, rng.choice((1, 6, 9)))
        samples += [good, good + b"garbage", good[: rng.randint(0, len(good))], good[:-1] + bytes([good[-1] ^ 1]),
                    good[:-4] + b"\0\0\0\0"]
        broken = bytearray(good)
        if len(broken) > 6:
            broken[rng.randrange(2, len(broken) - 4)] ^= 0xFF
        samples.append(bytes(broken))
    samples += [b"", b"\x78", b"not zlib at all", zlib.compress(b"x" * 300_000)]
    for data in samples:
        assert _ours(data) == _pdfminer_flate(data), data[:40]


def test_lzw_and_run_length_return_what_pdfminer_returned() -> None:
    rng = random.Random(5)
    for _ in range(40):
        data = b"\x80" + bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))  # starts with a clear code
        assert _outcome(pdfstreams.lzw_decode, data) == _outcome(lzw.lzwdecode, data)
        runs = bytearray()
        for _ in range(rng.randint(0, 30)):
            if rng.random() < 0.5:
                n = rng.randint(0, 127)
                runs += bytes([n]) + bytes(rng.randrange(256) for _ in range(n + 1))
            else:
                runs += bytes([rng.randint(129, 255), rng.randrange(256)])
        if rng.random() < 0.5:
            runs.append(128)
        assert pdfstreams.rl_decode(bytes(runs)) == runlength.rldecode(bytes(runs))


def _outcome(decode: Any, data: bytes) -> tuple[str, Any]:
    try:
        return "data", decode(data)
    except Exception as exc:  # noqa: BLE001  (both decoders must fail the same way on the same data)
        return "error", type(exc)


def _zeros_zlib(total: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return b"\x78\xda" + block * (total >> 20) + b"\x03\x00" + (((total % 65521) << 16) | 1).to_bytes(4, "big")


def test_inflating_stops_at_the_bound_and_the_budget_is_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.INFLATED_MB.env, "4")
    assert len(pdfstreams.inflate(_zeros_zlib(3 << 20))) == 3 << 20  # alone: under the bound
    refused(pdfstreams.inflate, _zeros_zlib(64 << 20), phrases=("解压后的内容超出上限", "上限 4 MB"))
    with pdfstreams.budget() as spent:
        pdfstreams.inflate(_zeros_zlib(3 << 20))
        with pytest.raises(InputError):
            pdfstreams.inflate(_zeros_zlib(3 << 20))  # 6 MB for one file
        with pytest.raises(InputError):
            pdfstreams.rl_decode(b"\x00a")  # the budget stays spent: a swallowed error cannot be worked around
    assert spent.error is not None


def test_every_amplifying_decoder_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.INFLATED_MB.env, "1")
    refused(pdfstreams.rl_decode, b"\x81\x00" * 20_000)  # 2.5 MB of zeros
    refused(pdftypes.apply_png_predictor, 12, 1, 10**9, 8, b"\0" * 10)  # rows 10**9 wide
    refused(pdfstreams.fax_decode, b"\0" * 10, {"K": -1, "Columns": 10**9})


# --------------------------------------------------------------------------- Word


def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, raw data, method, declared compressed size, declared size); CRC of nothing."""
    out, central = bytearray(), bytearray()
    for name, data, method, csize, usize in entries:
        offset, encoded = len(out), name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, 0, csize, usize, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, 0, csize, usize,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def _raw_zeros(total: int) -> bytes:
    return _zeros_zlib(total)[2:-4]


def test_word_entries_are_measured_while_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.INFLATED_MB.env, "8")
    bomb = _raw_zeros(64 << 20)
    # sizes understated: inflating stops at what the headers declare (and the CRC fails)
    refused(_inflated_package, _zip([("a.xml", bomb, 8, len(bomb), 1000)]), phrases=("已损坏",))
    # compressed size overstated to hide the ratio: the bound on what is inflated holds
    big = _raw_zeros(1 << 30)
    refused(_inflated_package, _zip([("a.xml", big, 8, 2 * len(big), (1 << 30) - 1)]), phrases=("解压后的内容超出上限",))
    # honest headers: the ratio is checked while inflating
    monkeypatch.setenv(limits.INFLATED_MB.env, "256")
    refused(_inflated_package, _zip([("a.xml", bomb, 8, len(bomb), 64 << 20)]), phrases=("压缩炸弹",))
    # a compression method Word never writes (bzip2) is not inflated at all
    refused(_inflated_package, _zip([("a.xml", b"BZh9", 12, 4, 10)]), phrases=("已损坏",))


def test_word_package_is_handed_on_inflated_and_whole() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w/>" * 1000)
        archive.writestr("[Content_Types].xml", "<Types/>")
    with zipfile.ZipFile(io.BytesIO(_inflated_package(out.getvalue()))) as stored:
        assert {i.filename: (i.compress_type, stored.read(i)) for i in stored.infolist()} == {
            "word/document.xml": (zipfile.ZIP_STORED, b"<w/>" * 1000),
            "[Content_Types].xml": (zipfile.ZIP_STORED, b"<Types/>")}


# --------------------------------------------------------------------------- HTML and text


def _page(body: str) -> bytes:
    return f"<html><head><title>t</title></head><body>{body}</body></html>".encode()


def test_html_text_after_huge_nodes_is_read() -> None:
    for before in ('<img src="data:image/png;base64,' + "A" * 11_000_000 + '">', "<script>" + "x" * 11_000_000 + "</script>"):
        layout = read_html(_page(before + "<p>一、总体情况</p><p>正文。</p>"))
        assert [b.text for b in layout.blocks if isinstance(b, Paragraph)] == ["一、总体情况", "正文。"]


def test_html_deep_nesting_is_walked_and_past_the_parser_refused() -> None:
    layout = read_html(_page("<div>" * 1800 + "<p>深处的文字</p>" + "</div>" * 1800 + "<p>之后</p>"))
    assert [b.text for b in layout.blocks] == ["深处的文字", "之后"]
    refused(read_html, _page("<div>" * 2100 + "x" + "</div>" * 2100 + "<p>之后</p>"), phrases=("网页解析器的处理上限",))


def test_html_walk_order_with_tables_and_tails() -> None:
    html = ("<div>前<span>中</span>后<br>下一行<table><caption>表题</caption><tr><td><p>甲</p></td></tr></table>"
            "尾</div><table><tr><td>项目</td><td>数量</td></tr><tr><td>收到</td><td>3</td></tr></table>")
    layout = read_html(_page(html))
    paragraphs = [b.text for b in layout.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["前中后", "下一行", "表题", "甲", "尾"]
    assert sum(isinstance(b, Table) for b in layout.blocks) == 1


def test_reader_text_never_holds_a_lone_surrogate() -> None:
    assert clean_text("甲\ud800 乙") == "甲\ufffd 乙"


def test_html_declared_utf7_does_not_yield_surrogates() -> None:
    text = _decode(b'<meta charset="utf-7"><p>+2AA- plain</p>')
    assert "\ud800" not in text and "plain" in text


def test_text_detected_as_a_codec_that_yields_surrogates_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.ingest import text as text_reader

    class Best:
        encoding = "utf_7"

    monkeypatch.setattr(text_reader, "from_bytes", lambda data: type("R", (), {"best": lambda self: Best()})())
    refused(text_reader.decode_text, b"\xff+2AA- report", phrases=("编码",))


# --------------------------------------------------------------------------- deadline, files


def test_reading_deadline_stops_a_slow_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.REPORT_SECONDS.env, "1")
    start = time.monotonic()
    with pytest.raises(InputError, match="处理时间超出上限"), reading_deadline("a.pdf"):
        while time.monotonic() - start < 10:
            sum(range(10_000))
    assert time.monotonic() - start < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_read_stopped_by_its_own_deadline_is_an_audit_timeout(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    """In an audit worker, the reading's own alarm and the audit's stop of the worker race for a slow file:
    either way the file is listed as over the time bound (处理超时), not as unreadable."""
    from checker.audit import worker

    def slow(*args: Any, **kwargs: Any) -> Any:
        with reading_deadline("slow.txt"):
            time.sleep(5)

    monkeypatch.setenv(limits.REPORT_SECONDS.env, "1")
    monkeypatch.setattr(worker, "parse_with_year", slow)
    path = tmp_path / "slow.txt"
    path.write_text("2024年度报告", encoding="utf-8")
    item = worker.Ingested(str(path))
    worker._ingest_one(item, None, frozenset())
    assert item.error is not None and item.error[0] == "timeout" and limits.REPORT_SECONDS.env in item.error[1]


def test_reading_deadline_holds_when_the_reader_swallows_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.REPORT_SECONDS.env, "1")
    start = time.monotonic()
    swallowed = 0
    with pytest.raises(InputError, match="处理时间超出上限"), reading_deadline("a.pdf"):
        while time.monotonic() - start < 2.5:
            try:
                sum(range(10_000))
            except Exception:  # noqa: BLE001  (a library catching broadly)
                swallowed += 1
    assert swallowed >= 1


def test_reading_deadline_turns_what_the_reader_made_of_it_into_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.REPORT_SECONDS.env, "1")
    with pytest.raises(InputError, match="处理时间超出上限"), reading_deadline("a.pdf"):
        try:
            time.sleep(3)
        except InputError as exc:
            raise ValueError("the file is damaged") from exc


def test_reading_deadline_leaves_an_alarm_it_does_not_own(monkeypatch: pytest.MonkeyPatch) -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with reading_deadline("a.pdf"):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # still armed, untouched
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_read_bytes_follows_the_input_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * (2 << 20))
    monkeypatch.setenv(limits.INPUT_MB.env, "1")
    refused(read_bytes, path, phrases=("文件大小超出上限", "上限 1 MB", limits.INPUT_MB.env))
    monkeypatch.setenv(limits.INPUT_MB.env, "3")
    assert len(read_bytes(path)) == 2 << 20


def test_symlink_loop_is_named(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    refused(read_bytes, tmp_path / "a", phrases=("循环的符号链接",))


def test_parse_document_checks_what_readers_produced(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "2024年政府信息公开工作年度报告\n一、总体情况\n" + "本年度" * 10 + "。\n"
    monkeypatch.setenv(limits.FIELD_CHARS.env, "20")
    refused(parse_document, text.encode(), "r.txt", phrases=("第 3 行的段落", "单个段落或字段的长度超出上限"))
