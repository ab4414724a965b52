"""HTML reader: decoding, layout wrappers, spans, noise, hints."""

from __future__ import annotations

import pytest
from format_builders import NOTE, VERTICAL_LABEL, html_table, t2_spec, t3_spec, t4_spec, value

from checker.errors import InputError
from checker.ingest.html import read_html
from checker.ingest.layout import Location, Paragraph, Table

HEAD = """<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县人民政府2024年政府信息公开工作年度报告_某县人民政府</title>
<meta name="SiteName" content="某县人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="某县人民政府2024年政府信息公开工作年度报告">
<meta name="PubDate" content="2025/1/20 09:30">
<meta name="ContentSource" content="某县人民政府办公室">
<link rel="canonical" href="https://www.example.gov.cn/xxgk/2025/0120.html">
<script>var tracker = "二、不应出现";</script>
<style>.x { color: red }</style>
</head>"""


def page() -> str:
    """A government-site style page: nav, a one-column layout wrapper, the three tables."""
    return f"""<!DOCTYPE html>
<html>{HEAD}
<body>
<nav><a href="/">首页</a> | <a href="/xxgk">政务公开</a></nav>
<div style="display:none">隐藏的导航文字</div>
<table width="100%" class="wrapper"><tr><td>
<h1>某县人民政府<span>2024年</span>政府信息公开工作年度报告</h1>
<p>　　本报告依据《中华人民共和国政府信息公开条例》编制。</p>
<p><strong>　　一、总体情况</strong></p>
<p>　　2024年，<span style="font-family:宋体">本县</span><font color="#000">共受理</font>政府信息公开申请<b>12</b>件。<br>
（一）主动公开情况。全年主动公开信息300条。</p>
<p>二、主动公开政府信息情况</p>
{html_table(t2_spec())}
<p>三、收到和处理政府信息公开申请情况</p>
{html_table(t3_spec())}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
{html_table(t4_spec())}
<p>五、存在的主要问题及改进情况</p>
</td></tr></table>
<footer>版权所有：某县人民政府</footer>
<script>document.write("不应出现");</script>
</body></html>"""


@pytest.fixture(scope="module")
def layout():
    return read_html(page().encode("gb18030"))


def _tables(layout):
    return [b for b in layout.blocks if isinstance(b, Table)]


def test_gbk_page_decoded_and_wrapper_unwrapped(layout):
    texts = [b.text for b in layout.blocks if isinstance(b, Paragraph)]
    assert texts[0] == "某县人民政府2024年政府信息公开工作年度报告"
    assert "一、总体情况" in texts
    assert "2024年，本县共受理政府信息公开申请12件。" in texts
    assert "（一）主动公开情况。全年主动公开信息300条。" in texts
    assert not any("不应出现" in t or "隐藏" in t for t in texts)


def test_nav_and_scripts_dropped(layout):
    texts = " ".join(b.text for b in layout.blocks if isinstance(b, Paragraph))
    assert "首页" not in texts
    assert "不应出现" not in texts


def test_only_data_tables_reported(layout):
    shapes = [(len(t.rows), len(t.rows[0])) for t in _tables(layout)]
    assert shapes == [(14, 4), (28, 10), (4, 15)]
    kinds = ["T" if isinstance(b, Table) else b.text[:2] for b in layout.blocks]
    assert kinds.index("T") == kinds.index("二、") + 1


def test_spans_expanded_and_split_text_joined(layout):
    t3 = _tables(layout)[1]
    assert t3.rows[0][0].text == NOTE
    assert [c.origin for c in t3.rows[1][4:9]] == [True, False, False, False, False]
    assert {t3.rows[r][0].text for r in range(5, 27)} == {VERTICAL_LABEL}
    assert t3.rows[7][2].text == "1.属于国家秘密"
    assert t3.rows[3][0].text == "一、本年新收政府信息公开申请数量"
    assert t3.rows[3][9].text == value(3, 9)
    t2 = _tables(layout)[0]
    assert [c.text for c in t2.rows[6]] == ["行政许可"] + [value(6, 1)] * 3
    assert [c.origin for c in t2.rows[6]] == [True, True, False, False]


def test_locations(layout):
    t4 = _tables(layout)[2]
    assert t4.loc.table == 3 and t4.loc.line is not None
    assert t4.rows[3][0].loc == Location(table=3, row=4, column=1)
    first = next(b for b in layout.blocks if isinstance(b, Paragraph) and b.text == "一、总体情况")
    source_lines = page().splitlines()
    assert "一、总体情况" in source_lines[first.loc.line - 1]


def test_hints(layout):
    assert layout.hints == {
        "page_title": "某县人民政府2024年政府信息公开工作年度报告_某县人民政府",
        "title": "某县人民政府2024年政府信息公开工作年度报告",
        "published": "2025-01-20",
        "site_name": "某县人民政府",
        "column_name": "政府信息公开年报",
        "agency": "某县人民政府办公室",
        "url": "https://www.example.gov.cn/xxgk/2025/0120.html",
    }


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_undeclared_encodings_detected(encoding):
    body = (
        "<html><body><p>淮河县2024年政府信息公开工作年度报告</p>"
        "<p>一、总体情况。本年度共受理政府信息公开申请十二件，均已按期答复。</p></body></html>"
    )
    layout = read_html(body.encode(encoding))
    assert layout.blocks[0].text == "淮河县2024年政府信息公开工作年度报告"


def test_mislabelled_charset_falls_back():
    body = '<html><head><meta charset="utf-8"></head><body><p>政府信息公开工作年度报告，共受理申请十二件。</p></body></html>'
    layout = read_html(body.encode("gbk"))
    assert layout.blocks[0].text == "政府信息公开工作年度报告，共受理申请十二件。"


def test_two_column_prose_table_is_layout():
    long = "本机关坚持以人民为中心的发展思想，全面推进政务公开工作，" * 5
    html = f"<table><tr><td>栏目导航</td><td><p>{long}</p><p>{long}</p></td></tr></table>"
    layout = read_html(html.encode())
    assert not any(isinstance(b, Table) for b in layout.blocks)
    assert [b.text for b in layout.blocks] == ["栏目导航", long, long]


def test_rowspan_beyond_table_is_clamped():
    html = '<table><tr><td rowspan="65534">标签</td><td>1</td></tr><tr><td>2</td></tr></table>'
    table = read_html(html.encode()).blocks[0]
    assert [[c.text for c in row] for row in table.rows] == [["标签", "1"], ["标签", "2"]]


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"<html><head><title>x</title></head><body></body></html>",
        b"<html><body><img src='scan.png'><script>load()</script></body></html>",
        b"   \n\t  ",
    ],
)
def test_page_without_text_refused(html):
    with pytest.raises(InputError) as err:
        read_html(html)
    assert "HTML" in err.value.zh or "空" in err.value.zh


def test_other_format_refused():
    with pytest.raises(InputError, match="PDF"):
        read_html(b"%PDF-1.7\n...")


def test_preformatted_lines_are_paragraphs():
    html = "<html><body>\n<pre>一、总体情况\n本年度共受理申请 12 件。\n\n二、主动公开政府信息情况</pre></body></html>"
    layout = read_html(html.encode())
    assert [(b.text, b.loc.line) for b in layout.blocks] == [
        ("一、总体情况", 2), ("本年度共受理申请 12 件。", 3), ("二、主动公开政府信息情况", 5),
    ]
