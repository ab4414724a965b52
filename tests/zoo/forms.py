"""The published-form zoo: render a report document into each form real reports arrive in.

``FORMS[name](doc, rng) -> (file name, bytes)``. Every form prints the title, the publication
date as that kind of page or file carries it, each part heading the document has, the
narrative, and the tables 二/三/四 in the official layout (merged header cells, the vertical
三、本年度办理结果 label, group labels spanning their sub-rows). The forms differ in how that
reaches the reader: HTML with site chrome, GBK HTML, Word with a table broken across a page,
a ruled PDF, ``pdftotext -layout`` text, text copied from a page (tabs, pipes, one cell per
line, everything on one line), converter Markdown, a traditional-character mirror with pinyin
glosses, a copy with ASCII punctuation, and an excerpt cut after the first screen.

A renderer works on *blocks* built from the document (title, paragraphs, headings, table
grids with spans, the signature); all randomness comes from the ``rng`` argument, so a form
is deterministic for a given ``random.Random`` state. No text here is taken from real reports.
"""

from __future__ import annotations

import functools
import io
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from documents import COLS, NOTE, SECTION_KEYS, T3_GROUPS, T4_COLS, T4_GROUPS, cell_text

# Forms whose file may not carry the publication date (the excerpt is cut before the signature).
MAY_LOSE_PUBLISHED = frozenset({"excerpt"})

VERTICAL = "三、本年度办理结果"
CN_DIGITS = "〇一二三四五六七八九"

# ----------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class Cell:
    """A source cell: 0-based top-left position, spans and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    value: bool = False  # a value cell (a number, blank or text value), not a label
    pointer: str = ""  # the document cell a value cell prints


@dataclass
class Grid:
    """A table as printed: source cells with spans, and what each row is."""

    kind: str  # proactive | requests | appeals
    n_cols: int
    cells: list[Cell]
    roles: list[str]  # per row: caption | header | values
    value_col: int  # first column holding values

    @property
    def n_rows(self) -> int:
        return len(self.roles)

    def row_cells(self, r: int) -> list[Cell]:
        """The cells whose top-left corner is in row ``r``, left to right."""
        return sorted((c for c in self.cells if c.row == r), key=lambda c: c.col)

    def covering(self, r: int) -> list[Cell]:
        """The cells covering row ``r`` (merged cells from rows above included), left to right."""
        return sorted((c for c in self.cells if c.row <= r < c.row + c.rowspan), key=lambda c: c.col)

    def labels(self, r: int) -> list[str]:
        return [c.text for c in self.row_cells(r) if not c.value]

    def values(self, r: int) -> list[str]:
        return [c.text for c in self.row_cells(r) if c.value]


@dataclass
class Style:
    """Printing choices of one rendering (label punctuation, numbering, date style…)."""

    half_brackets: bool = False
    numbering: str = "1."  # "1." | "1. " | "1、"
    signed_change: bool = False
    chinese_date: bool = False
    spaced_digits: bool = False  # "2024 年" as pdftotext prints it

    def bracket(self, label: str) -> str:
        if not self.half_brackets:
            return label
        out = re.sub(r"^（([一二三四五六七])）", r"(\1) ", label)
        return out.replace("（", "(").replace("）", ")").replace("，", ", ").replace("：", ": ")

    def number(self, label: str) -> str:
        return re.sub(r"^(\d)\.", lambda m: m.group(1) + {"1.": ".", "1. ": ". ", "1、": "、"}[self.numbering], label)


def _style(rng: random.Random) -> Style:
    return Style(half_brackets=rng.random() < 0.3, numbering=rng.choice(("1.", "1.", "1. ", "1、")),
                 signed_change=rng.random() < 0.5, chinese_date=rng.random() < 0.3)


T3_LABELS = {
    "new": "一、本年新收政府信息公开申请数量", "carried_in": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "total": "（七）总计", "carried_over": "四、结转下年度继续办理",
}
T3_GROUP_LABELS = {
    "withheld": ("（三）不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                              "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")),
    "unavailable": ("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    "not_processed": ("（五）不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                                  "5.要求行政机关确认或重新出具已获取信息")),
    "other": ("（六）其他处理", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                             "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")),
}
ORG_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

T2_BLOCKS = {
    "2021": [("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
              [("regulations", "规章"), ("normative_documents", "行政规范性文件")], ("issued", "repealed", "in_force")),
             ("第二十条第（五）项", ("本年处理决定数量",), [("licensing", "行政许可")], ("decisions",)),
             ("第二十条第（六）项", ("本年处理决定数量",), [("penalties", "行政处罚"), ("coercion", "行政强制")], ("decisions",)),
             ("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("fees", "行政事业性收费")], ("amount",))],
    "2019": [("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
              [("regulations", "规章"), ("normative_documents", "规范性文件")], ("made", "published", "total_published")),
             ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
              [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")], ("previous", "change", "decisions")),
             ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
              [("penalties", "行政处罚"), ("coercion", "行政强制")], ("previous", "change", "decisions")),
             ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), [("fees", "行政事业性收费")], ("previous", "change")),
             ("第二十条第（九）项", ("采购项目数量", "采购总金额"), [("procurement", "政府集中采购")], ("projects", "amount"))],
}


def t2_grid(table: dict[str, Any], fmt: str, style: Style) -> Grid:
    """Table 二: per block a caption row, a header row and its value rows (4 columns)."""
    cells: list[Cell] = []
    roles: list[str] = []
    for caption, headers, rows, keys in T2_BLOCKS[fmt]:
        present = [(k, label) for k, label in rows if k in table]
        if not present:
            continue
        spans = {3: (1, 1, 1), 2: (1, 2), 1: (3,)}[len(headers)]
        r = len(roles)
        cells.append(Cell(r, 0, 1, 4, style.bracket(caption)))
        cells.append(Cell(r + 1, 0, 1, 1, "信息内容"))
        col = 1
        for head, span in zip(headers, spans):
            cells.append(Cell(r + 1, col, 1, span, style.bracket(head)))
            col += span
        roles += ["caption", "header"]
        for key, label in present:
            r = len(roles)
            cells.append(Cell(r, 0, 1, 1, label))
            col = 1
            for k, span in zip(keys, spans):
                text = cell_text(table[key].get(k), signed=style.signed_change and k == "change")
                cells.append(Cell(r, col, 1, span, text, value=True, pointer=f"/tables/proactive/{key}/{k}"))
                col += span
            roles.append("values")
    return Grid("proactive", 4, cells, roles, 1)


def _t3_entries(table: dict[str, Any], fmt: str, style: Style) -> list[tuple[str | None, str, str]]:
    """(group label or None, row label, row key path) for the result rows present, in order."""
    out: list[tuple[str | None, str, str]] = []
    for key in ("granted", "partially_granted"):
        if key in table:
            out.append((None, style.bracket(T3_LABELS[key]), key))
    for group, (head, subs) in T3_GROUP_LABELS.items():
        if group == "other" and fmt == "2019":
            if "other" in table:
                out.append((None, style.bracket(head), "other"))
            continue
        for sub_key, sub_label in zip(T3_GROUPS[group], subs):
            if sub_key in table.get(group, {}):
                out.append((style.bracket(head), style.number(style.bracket(sub_label)), f"{group}/{sub_key}"))
    if "total" in table:
        out.append((None, style.bracket(T3_LABELS["total"]), "total"))
    return out


def t3_grid(table: dict[str, Any], fmt: str, style: Style) -> Grid:
    """Table 三, 10 columns: the note over three header rows, the vertical label in column 0."""
    cells = [Cell(0, 0, 3, 3, style.bracket(NOTE)), Cell(0, 3, 1, 7, "申请人情况"),
             Cell(1, 3, 2, 1, "自然人"), Cell(1, 4, 1, 5, "法人或其他组织"), Cell(1, 9, 2, 1, "总计")]
    cells += [Cell(2, 4 + i, 1, 1, name) for i, name in enumerate(ORG_COLUMNS)]
    roles = ["header"] * 3

    def values(r: int, path: str) -> list[Cell]:
        row = table
        for key in path.split("/"):
            row = row[key]
        return [Cell(r, 3 + i, 1, 1, cell_text(row.get(c)), value=True, pointer=f"/tables/requests/{path}/{c}")
                for i, c in enumerate((*COLS, "total"))]

    for key in ("new", "carried_in"):
        if key in table:
            r = len(roles)
            cells += [Cell(r, 0, 1, 3, style.bracket(T3_LABELS[key])), *values(r, key)]
            roles.append("values")
    entries = _t3_entries(table, fmt, style)
    start = len(roles)
    i = 0
    while i < len(entries):
        group, label, row = entries[i]
        r = len(roles)
        if group is None:
            cells += [Cell(r, 1, 1, 2, label), *values(r, row)]
            roles.append("values")
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j][0] == group:
            j += 1
        cells.append(Cell(r, 1, j - i, 1, group))
        for k in range(i, j):
            rr = len(roles)
            cells += [Cell(rr, 2, 1, 1, entries[k][1]), *values(rr, entries[k][2])]
            roles.append("values")
        i = j
    if len(roles) > start:
        cells.append(Cell(start, 0, len(roles) - start, 1, VERTICAL))
    if "carried_over" in table:
        r = len(roles)
        cells += [Cell(r, 0, 1, 3, style.bracket(T3_LABELS["carried_over"])), *values(r, "carried_over")]
        roles.append("values")
    return Grid("requests", 10, cells, roles, 3)


def t4_grid(table: dict[str, Any]) -> Grid:
    """Table 四: 15 columns, three header rows and one value row."""
    cells = [Cell(0, 0, 1, 5, "行政复议"), Cell(0, 5, 1, 10, "行政诉讼")]
    cells += [Cell(1, i, 2, 1, name) for i, name in enumerate(T4_HEADS)]
    cells += [Cell(1, 5, 1, 5, "未经复议直接起诉"), Cell(1, 10, 1, 5, "复议后起诉")]
    cells += [Cell(2, 5 + i, 1, 1, T4_HEADS[i % 5]) for i in range(10)]
    cells += [Cell(3, g * 5 + i, 1, 1, cell_text(table[group].get(k)), value=True,
                   pointer=f"/tables/appeals/{group}/{k}")
              for g, group in enumerate(T4_GROUPS) for i, k in enumerate(T4_COLS)]
    return Grid("appeals", 15, cells, ["header"] * 3 + ["values"], 0)


# ----------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """One printed block: kind is title | para | heading | table | sign | date."""

    kind: str
    text: str = ""
    grid: Grid | None = None
    section: str = ""  # the part the block belongs to ("" = before 一、 or after 六、)


def cn_date(iso: str) -> str:
    """2025-01-20 → 二〇二五年一月二十日."""
    y, m, d = (int(x) for x in iso.split("-"))

    def small(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        return ("" if n < 20 else CN_DIGITS[n // 10]) + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return "".join(CN_DIGITS[int(ch)] for ch in str(y)) + f"年{small(m)}月{small(d)}日"


def date_text(iso: str, style: Style) -> str:
    if style.chinese_date:
        return cn_date(iso)
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def build_blocks(doc: dict[str, Any], style: Style, *, split_title: bool = False) -> list[Block]:
    """The report as printed, in reading order."""
    blocks: list[Block] = []
    title = doc["title"]
    name = doc["agency"]["name"]
    if split_title and title.startswith(name):
        blocks += [Block("title", name), Block("title", title[len(name):])]
    else:
        blocks.append(Block("title", title))
    blocks += [Block("para", p) for p in doc.get("preamble", "").split("\n") if p]
    tables = doc["tables"]
    fmt = doc["format"]
    for key in SECTION_KEYS:
        section = doc["sections"].get(key)
        if section is not None:
            blocks.append(Block("heading", section["heading"], section=key))
            blocks += [Block("para", p, section=key) for p in section.get("text", "").split("\n") if p]
        if key in tables:
            if key == "proactive":
                grid = t2_grid(tables[key], fmt, style)
            elif key == "requests":
                grid = t3_grid(tables[key], fmt, style)
            else:
                grid = t4_grid(tables[key])
            blocks.append(Block("table", grid=grid, section=key))
    blocks.append(Block("sign", name))
    if doc.get("published"):
        blocks.append(Block("date", date_text(doc["published"], style)))
    return blocks


def map_text(blocks: list[Block], fn: Callable[[str], str]) -> list[Block]:
    """The blocks with ``fn`` applied to every printed string (table labels and values included)."""
    out = []
    for block in blocks:
        if block.grid is not None:
            grid = block.grid
            cells = [replace(c, text=fn(c.text) if c.text else c.text) for c in grid.cells]
            out.append(replace(block, grid=Grid(grid.kind, grid.n_cols, cells, list(grid.roles), grid.value_col)))
        else:
            out.append(replace(block, text=fn(block.text)))
    return out


def _url(rng: random.Random, doc: dict[str, Any]) -> str:
    host = rng.choice(("www", "zwgk", "xxgk"))
    return (f"https://{host}.example.gov.cn/zfxxgk/zfxxgknb/{doc['year'] + 1}{rng.randint(1, 12):02d}/"
            f"t{doc['year'] + 1}0{rng.randint(1, 3)}{rng.randint(10, 28)}_{rng.randint(100000, 999999)}.html")


def _time(rng: random.Random) -> str:
    return f"{rng.randint(8, 18):02d}:{rng.choice((0, 5, 12, 30, 34, 45, 50)):02d}"


# ----------------------------------------------------------------------------- HTML


def _html_cell_text(text: str, rng: random.Random, markup: bool) -> str:
    if text == VERTICAL and rng.random() < 0.6:
        return "<br/>".join(escape(ch) for ch in text)
    if not markup or not text:
        return escape(text)
    if len(text) < 4:
        return f'<p style="text-align:center"><span style="font-size:12px">{escape(text)}</span></p>'
    half = len(text) // 2
    return f'<p><span>{escape(text[:half])}</span><font face="宋体"><span>{escape(text[half:])}</span></font></p>'


def html_table(grid: Grid, rng: random.Random) -> str:
    """A ``<table>`` with rowspan/colspan, cell text sometimes spread over inline markup."""
    markup = rng.random() < 0.5
    rows = []
    for r in range(grid.n_rows):
        tds = []
        for cell in grid.row_cells(r):
            attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
                    (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            tds.append(f"<td{attrs}>{_html_cell_text(cell.text, rng, markup)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    width = ' width="600"' if rng.random() < 0.5 else ""
    return f'<table border="1" cellspacing="0" cellpadding="0"{width}>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


def html_page(doc: dict[str, Any], rng: random.Random, *, charset: str = "utf-8",
              blocks: list[Block] | None = None, convert: Callable[[str], str] | None = None) -> str:
    """A government-site article page with chrome around the report."""
    style = _style(rng)
    blocks = blocks if blocks is not None else build_blocks(doc, style)
    title = "".join(b.text for b in blocks if b.kind == "title")
    mirror = convert is not None
    site = convert(doc["agency"]["name"]) if convert else doc["agency"]["name"]
    published = doc.get("published")
    stamp = f"{published} {_time(rng)}" if published else ""
    meta_charset = {"utf-8": '<meta charset="utf-8">', "gbk": rng.choice(('<meta charset="gbk">',
                    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
                    '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'))}[charset]
    head = [meta_charset, f"<title>{escape(title)}_{escape(site)}</title>"]
    if rng.random() < 0.4:
        head.append(f'<meta name="ArticleTitle" content="{escape(title)}">')
    chrome_top = [
        ('<div class="nav"><a href="/">首页</a> | <a href="#">机构概况</a> | <a href="#">政务公开</a> | '
         '<a href="#">政务服务</a> | <a href="#">互动交流</a></div>'),
        ('<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; '
         '<a href="#">政府信息公开</a> &gt; <a href="#">政府信息公开年报</a></div>'),
    ]
    if mirror:
        chrome_top.insert(0, '<div class="mirror">本页面为镜像页面 · 繁體 · 拼音注释</div>')
    info = [f"来源：{escape(site)}"]
    if stamp:
        info.append(f"发布时间：{stamp}")
    elif rng.random() < 0.5:
        info.append("发布时间：")
    info += ["浏览次数：" + str(rng.randint(20, 9000)), '字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>']
    article = [f'<h1 class="article-title">{escape(title)}</h1>',
               '<div class="info">' + "　".join(f"<span>{x}</span>" for x in info) + "</div>",
               '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>',
               '<div id="zoom" class="article-content">']
    for block in blocks:
        if block.kind == "title":
            if rng.random() < 0.5:
                article.append(f'<p style="text-align:center"><strong>{escape(block.text)}</strong></p>')
        elif block.kind == "heading":
            tag = rng.choice(("p", "p", "h3"))
            article.append(f"<{tag}><strong>{escape(block.text)}</strong></{tag}>")
        elif block.kind == "table":
            article.append(html_table(block.grid, rng))
        elif block.kind in ("sign", "date"):
            article.append(f'<p style="text-align:right">{escape(block.text)}</p>')
        else:
            article.append(f'<p style="text-indent:2em">{escape(block.text)}</p>')
    article.append("</div>")
    attach = f'<div class="attach">附件下载：<a href="#">{escape(title)}.pdf</a></div>' if rng.random() < 0.6 else ""
    tools = '<div class="tools"><a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></div>'
    footer = (f'<div class="footer">主办单位：{escape(site)}　网站标识码：{rng.randint(1000000000, 9999999999)}　'
              f"备案号：{rng.choice('京沪浙苏湘赣皖鲁')}ICP备{rng.randint(10000000, 99999999)}号</div>")
    body = "\n".join(chrome_top + article) + "\n" + attach + "\n" + tools
    if rng.random() < 0.3:  # a one-column layout table around the page body
        body = f'<table width="100%"><tr><td>\n{body}\n</td></tr></table>'
    script = "<script>var _hits = 1;</script>"
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{chr(10).join(head)}\n</head>\n<body>\n{body}\n{footer}\n{script}\n"
            "</body>\n</html>\n")


def html_merged(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    return "report.html", html_page(doc, rng).encode("utf-8")


def html_gbk(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    return rng.choice(("report.html", "report.htm", "index.shtml")), \
        html_page(doc, rng, charset="gbk").encode("gbk", errors="xmlcharrefreplace")


# ----------------------------------------------------------------------------- splitting a table across a page


#: Characters a line does not start with, and ones it does not end with (Chinese line breaking).
_NO_LINE_START = frozenset("）)]】》」』”’。，、．.:：；;！？!?%％")
_NO_LINE_END = frozenset("（([【《「『“‘")


def split_grid(grid: Grid, rng: random.Random, *, repeat_header: bool,
               values_first: bool = False) -> tuple[Grid, Grid]:
    """Table 三 cut by a page break inside a value row: the row's label starts on the first part
    (a stub row holding only its first characters) and ends on the second; the values are on the
    second part, or (``values_first``, as Word, WPS and LibreOffice break a row whose label
    wraps: the one-line values stay where the row starts) on the first, blank cells below them.

    Merged cells spanning the cut (the vertical label, a group label) keep all their text on the
    first part or are cut in two (``（四）无`` | ``法提供``).
    """
    value_rows = [r for r, role in enumerate(grid.roles) if role == "values"]
    candidates = value_rows[3:-3] or value_rows[1:] or value_rows
    s = rng.choice(candidates)
    cut_label = max((c for c in grid.row_cells(s) if not c.value), key=lambda c: c.col, default=None)
    head = [r for r, role in enumerate(grid.roles) if role == "header"] if repeat_header else []

    def cut(text: str) -> tuple[str, str]:
        # where a line of the label can end: not before closing punctuation, not after an opening
        # bracket (the line-breaking rules of Chinese text, which Word and WPS apply)
        places = [k for k in range(1, len(text)) if text[k] not in _NO_LINE_START and text[k - 1] not in _NO_LINE_END]
        if not places:
            return text, ""
        k = rng.choice(places)
        return text[:k], text[k:]

    first: list[Cell] = []
    second: list[Cell] = []
    off = len(head)
    for c in grid.cells:
        end = c.row + c.rowspan  # exclusive
        if c.row < s:
            if end <= s:
                first.append(c)
                continue
            # spans the cut: covers the stub row in part 1 and continues in part 2
            if c.text == VERTICAL or rng.random() < 0.5:
                text1, text2 = cut(c.text) if rng.random() < 0.4 else (c.text, "")
            else:
                text1, text2 = cut(c.text)
            first.append(replace(c, rowspan=s + 1 - c.row, text=text1))
            second.append(replace(c, row=off, rowspan=end - s, text=text2))
        elif c is cut_label:
            a, b = cut(c.text)
            first.append(replace(c, row=s, text=a))
            second.append(replace(c, row=off, text=b))
        else:
            if c.row == s and c.value:
                first.append(c if values_first else replace(c, text=""))
                second.append(replace(c, row=off, text="" if values_first else c.text))
                continue
            second.append(replace(c, row=c.row - s + off))
    second += [c for c in grid.cells if c.row in head and c.row + c.rowspan <= len(head)]
    g1 = Grid(grid.kind, grid.n_cols, first, grid.roles[:s] + ["values"], grid.value_col)
    g2 = Grid(grid.kind, grid.n_cols, second, ["header"] * off + grid.roles[s:], grid.value_col)
    return g1, g2


def split_wrapped_values(grid: Grid, rng: random.Random) -> tuple[Grid, Grid] | None:
    """Table 四 cut by a page break inside its value row, between the lines of wrapped numbers.

    A number of several digits wraps in a narrow column (``16`` over ``7``); the break leaves
    each number's first digits on the first part and the rest (``7``), under the same column,
    on the second, blank cells elsewhere. None when no number has two digits.
    """
    row = grid.n_rows - 1
    splits = {}
    for cell in grid.row_cells(row):
        if cell.value and len(cell.text) >= 2 and cell.text.isdigit() and rng.random() < 0.7:
            splits[cell.col] = rng.randint(1, len(cell.text) - 1)
    if not splits:
        return None
    first = [replace(c, text=c.text[:splits[c.col]]) if c.row == row and c.col in splits else c for c in grid.cells]
    second = [replace(c, row=0, text=c.text[splits[c.col]:] if c.col in splits else "")
              for c in grid.row_cells(row)]
    return Grid(grid.kind, grid.n_cols, first, grid.roles, grid.value_col), Grid(
        grid.kind, grid.n_cols, second, ["values"], grid.value_col)


# ----------------------------------------------------------------------------- Word


def docx_form(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """Word with merged cells; table 三 broken across a page into two tables inside a row (its values on either part)."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    style = _style(rng)
    blocks = build_blocks(doc, style, split_title=rng.random() < 0.4)
    document = docx.Document()
    if rng.random() < 0.5:
        document.core_properties.title = doc["title"]
    one_char = rng.random() < 0.5
    repeat = rng.random() < 0.5

    def add_table(grid: Grid) -> None:
        body = document.element.body
        body.insert(len(body) - 1, parse_xml(_docx_table_xml(grid, one_char)))

    for block in blocks:
        if block.kind == "table":
            if block.grid.kind == "requests":
                g1, g2 = split_grid(block.grid, rng, repeat_header=repeat, values_first=rng.random() < 0.5)
                add_table(g1)
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                add_table(g2)
            else:
                add_table(block.grid)
            continue
        _docx_paragraph(document, block)
    out = io.BytesIO()
    document.save(out)
    return "report.docx", _fixed_zip_times(out.getvalue())


def _running_line(doc: dict[str, Any], rng: random.Random) -> tuple[bool, str] | None:
    """A running header (True) or footer (False) as word processors print one on every page, or None."""
    name = doc["agency"]["name"]
    return rng.choice((None, None, (True, name), (True, doc["title"]), (False, f"{name}发布"),
                       (False, f"{name}  政府信息公开工作年度报告")))


def _docx_paragraph(document: Any, block: Block, size: int | None = None) -> None:
    """A block of text as a Word paragraph: the title centred and bold, the signature and date right,
    headings bold; ``size`` in half-points (None: the style's)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = document.add_paragraph()
    run = para.add_run(block.text)
    if size:
        run.font.size = Pt(size / 2)
    if block.kind in ("title", "sign", "date"):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if block.kind == "title" else WD_ALIGN_PARAGRAPH.RIGHT
        run.bold = block.kind == "title"
    elif block.kind == "heading":
        run.bold = True


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: Column widths (twentieths of a point) of a table as an office suite lays it out: 16 cm of text width.
_WORD_WIDTHS = {"requests": [450, 1000, 2100] + [800] * 7, "proactive": [2600, 2200, 2200, 2200],
                "appeals": [620] * 15}


def word_document(doc: dict[str, Any], rng: random.Random) -> bytes:
    """The report as its author writes it in Word or WPS: each table whole, with column widths;
    the header rows repeated on each page or not, the cells centred vertically or not, one of the
    usual font sizes, a running header or footer (页眉, 页脚) or none.

    Exported to PDF by an office suite (LibreOffice in the tests), the tables break across
    pages where the page ends: a row whose label wraps between its lines, a number that wraps
    in its narrow column between its digits.
    """
    import docx
    from docx.oxml import parse_xml

    style = _style(rng)
    blocks = build_blocks(doc, style, split_title=rng.random() < 0.4)
    document = docx.Document()
    one_char = rng.random() < 0.5
    repeat_header = rng.random() < 0.5
    centred = rng.random() < 0.5
    size = rng.choice((None, 21, 24, 28))  # half-points: the default, 五号, 小四, 四号
    running = _running_line(doc, rng)
    if running is not None:
        part = document.sections[0].header if running[0] else document.sections[0].footer
        part.paragraphs[0].text = running[1]
    for block in blocks:
        if block.kind == "table":
            xml = _docx_table_xml(block.grid, one_char, widths=_WORD_WIDTHS[block.grid.kind],
                                  repeat_header=repeat_header, centred=centred, size=size)
            body = document.element.body
            body.insert(len(body) - 1, parse_xml(xml))
            continue
        _docx_paragraph(document, block, size)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue())


def _docx_table_xml(grid: Grid, one_char: bool, *, widths: list[int] | None = None, repeat_header: bool = False,
                    centred: bool = False, size: int | None = None) -> str:
    """A ``w:tbl`` with merged cells as Word writes them (gridSpan, vMerge restart/continue);
    the vertical label one character per paragraph when ``one_char``. ``widths``: the columns'
    widths (twentieths of a point; none given: none written, the reader lays the table out);
    ``repeat_header``: the header rows repeated on each page; ``centred``: the cells centred
    vertically; ``size``: the font size in half-points."""
    run_props = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""

    def run(text: str) -> str:
        return f"<w:p><w:r>{run_props}<w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"

    def paragraphs(text: str) -> str:
        parts = list(text) if text else [""]
        return "".join(run(p) if p else "<w:p/>" for p in parts)

    align = '<w:vAlign w:val="center"/>' if centred else ""
    rows = []
    for r in range(grid.n_rows):
        tcs = []
        c = 0
        while c < grid.n_cols:
            cell = next((x for x in grid.cells if x.row <= r < x.row + x.rowspan and x.col == c), None)
            if cell is None:
                tcs.append(f"<w:tc><w:tcPr>{align}</w:tcPr><w:p/></w:tc>" if align else "<w:tc><w:p/></w:tc>")
                c += 1
                continue
            props = (f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else "")
            if cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if cell.row == r else "<w:vMerge/>"
            props += align
            pr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
            if cell.row != r:
                tcs.append(f"<w:tc>{pr}<w:p/></w:tc>")
            else:
                vertical = grid.kind == "requests" and cell.col == 0 and cell.colspan == 1 and grid.roles[r] == "values"
                text = paragraphs(cell.text) if one_char and vertical else (run(cell.text) if cell.text else "<w:p/>")
                tcs.append(f"<w:tc>{pr}{text}</w:tc>")
            c += cell.colspan
        header = "<w:trPr><w:tblHeader/></w:trPr>" if repeat_header and grid.roles[r] in ("caption", "header") else ""
        rows.append("<w:tr>" + header + "".join(tcs) + "</w:tr>")
    if widths:
        grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        table_width = f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
    else:
        grid_cols = "".join("<w:gridCol/>" for _ in range(grid.n_cols))
        table_width = '<w:tblW w:w="0" w:type="auto"/>'
    return (f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/>{table_width}</w:tblPr>'
            f"<w:tblGrid>{grid_cols}</w:tblGrid>" + "".join(rows) + "</w:tbl>")


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 (python-docx stamps the current time)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ----------------------------------------------------------------------------- PDF


def pdf_form(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """A reportlab PDF: ruled tables, vertical label one character per line, wrapped labels,
    table 三 broken across a page inside a row (its values on either part), table 四 sometimes
    broken inside its wrapped numbers, page numbers, a running header or footer or none."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Table as RLTable

    style = _style(rng)
    blocks = build_blocks(doc, style, split_title=rng.random() < 0.5)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    title_style = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0)
    right = ParagraphStyle("right", parent=body, alignment=2, firstLineIndent=0)
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    widths = {"requests": [22, 50, 106] + [40] * 7, "proactive": [130, 110, 110, 110],
              "appeals": [31] * 15}
    page_break_before_t3 = True
    repeat = rng.random() < 0.5

    def rl_table(grid: Grid) -> RLTable:
        data: list[list[object]] = [[""] * grid.n_cols for _ in range(grid.n_rows)]
        tstyle = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 8),
                  ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for cell in grid.cells:
            vertical = grid.kind == "requests" and cell.col == 0 and cell.colspan == 1 and grid.roles[cell.row] == "values"
            text = "<br/>".join(escape(ch) for ch in cell.text) if vertical else escape(cell.text)
            data[cell.row][cell.col] = Paragraph(text, cell_style)
            if cell.rowspan > 1 or cell.colspan > 1:
                tstyle.append(("SPAN", (cell.col, cell.row), (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)))
        return RLTable(data, colWidths=widths[grid.kind], style=TableStyle(tstyle))

    flow: list[object] = []
    for block in blocks:
        if block.kind == "title":
            flow.append(Paragraph(escape(block.text), title_style))
        elif block.kind in ("sign", "date"):
            flow.append(Paragraph(escape(block.text), right))
        elif block.kind == "table":
            if block.grid.kind == "requests":
                g1, g2 = split_grid(block.grid, rng, repeat_header=repeat, values_first=rng.random() < 0.5)
                flow += [rl_table(g1), PageBreak(), rl_table(g2)]
            elif block.grid.kind == "appeals" and rng.random() < 0.3 and (
                    parts := split_wrapped_values(block.grid, rng)) is not None:
                flow += [rl_table(parts[0]), PageBreak(), rl_table(parts[1])]
            else:
                flow.append(rl_table(block.grid))
            flow.append(Spacer(1, 8))
        else:
            if block.kind == "heading" and block.section == "requests" and page_break_before_t3:
                flow.append(PageBreak())
            flow.append(Paragraph(escape(block.text), body))
    dash = rng.choice(("- {} -", "-{}-", "— {} —"))
    running = _running_line(doc, rng)

    def number_page(canvas: Any, tpl: Any) -> None:
        canvas.setFont("Helvetica", 10)
        canvas.drawCentredString(A4[0] / 2, 30, dash.format(tpl.page))
        if running is not None:
            canvas.setFont("STSong-Light", 9)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 40 if running[0] else 44, running[1])

    out = io.BytesIO()
    title = doc["title"] if rng.random() < 0.5 else ""
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=50, rightMargin=50, topMargin=60,
                      bottomMargin=60, invariant=True).build(flow, onFirstPage=number_page, onLaterPages=number_page)
    return "report.pdf", out.getvalue()


# ----------------------------------------------------------------------------- pdftotext -layout


class Canvas:
    """Lines of text built from (column, text) pieces, as pdftotext -layout prints them."""

    def __init__(self) -> None:
        self.lines: list[list[tuple[int, str]]] = []

    def new(self, n: int = 1) -> int:
        """Append ``n`` empty lines; the index of the first."""
        self.lines.extend([] for _ in range(n))
        return len(self.lines) - n

    def put(self, line: int, col: int, text: str) -> None:
        while line >= len(self.lines):
            self.lines.append([])
        self.lines[line].append((col, text))

    def render(self) -> list[str]:
        out = []
        for pieces in self.lines:
            s = ""
            for col, text in sorted(pieces):
                if len(s) < col:
                    s += " " * (col - len(s))
                elif s:
                    s += "  "
                s += text
            out.append(s.rstrip())
        return out


def _chunks(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _spaced(text: str) -> str:
    """pdftotext's spaces between digits and Chinese characters (2024 年, 3119 件)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff，。、；：（）])(?=\d)", " ", text)
    return re.sub(r"(?<=\d)(?=[\u4e00-\u9fff，。、；：（）])", " ", text)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at ``width`` characters, never inside a run of digits."""
    lines = []
    while len(text) > width:
        k = width
        while 0 < k < len(text) and text[k - 1].isdigit() and text[k].isdigit():
            k -= 1
        k = k or width
        lines.append(text[:k])
        text = text[k:]
    return lines + [text] if text else lines


def _layout_row(canvas: Canvas, labels: list[tuple[int, int, str]], values: list[tuple[int, str]],
                gap: bool) -> tuple[int, int]:
    """One value row: wrapped labels (column, width, text) and values; the values sit on the
    middle line of the longest label. Returns (first line, line of the values)."""
    wrapped = [(col, _chunks(text, width)) for col, width, text in labels]
    k = max((len(w) for _, w in wrapped), default=1)
    height = k if k % 2 else k + 1
    mid = height // 2
    first = canvas.new(height)
    for col, chunks in wrapped:
        lines = list(range(height)) if len(chunks) == height else [i for i in range(height) if i != mid][:len(chunks)]
        if len(chunks) == 1:
            lines = [mid]
        for line, chunk in zip(lines, chunks):
            canvas.put(first + line, col, chunk)
    for col, text in values:
        if text:
            canvas.put(first + mid, col, text)
    if gap:
        canvas.new()
    return first, first + mid


def layout_table(grid: Grid, canvas: Canvas, rng: random.Random) -> tuple[int, int]:
    """Print a table into the canvas; the line range of its value rows."""
    gap = rng.random() < 0.7
    if grid.kind == "requests":
        pos = [34 + 9 * j for j in range(7)]
        top = canvas.new(7)
        canvas.put(top, pos[2] + 4, "申请人情况")
        note = next(c.text for c in grid.cells if c.row == 0 and c.col == 0)
        for i, chunk in enumerate(_chunks(note, 21)[:3]):
            canvas.put(top + 1 + i, 0, chunk)
        canvas.put(top + 1, pos[2] + 2, "法人或其他组织")
        canvas.put(top + 3, pos[0], "自然人")
        canvas.put(top + 3, pos[6], "总计")
        for j, name in enumerate(ORG_COLUMNS):
            for i, chunk in enumerate(_chunks(name, 3)):
                canvas.put(top + 4 + 2 * i, pos[1 + j], chunk)
        start = len(canvas.lines)
        row_lines: dict[int, tuple[int, int]] = {}
        for r in range(3, grid.n_rows):
            labels = []
            for c in grid.row_cells(r):
                if c.value or c.rowspan > 1:
                    continue
                col, width = {0: (0, 20), 1: (6, 20), 2: (13, 14)}[c.col]
                labels.append((col, width, c.text))
            values = [(pos[j], c.text) for j, c in enumerate(c for c in grid.row_cells(r) if c.value)]
            first = len(canvas.lines)
            _layout_row(canvas, labels, values, gap)
            row_lines[r] = (first, len(canvas.lines))
        for c in grid.cells:
            if c.value or c.rowspan < 2 or c.row < 3:
                continue
            lines = list(range(row_lines[c.row][0], row_lines[c.row + c.rowspan - 1][1]))
            if c.col == 0:  # the vertical label: one character per line, spread over its rows
                chars = ["三、", *c.text[2:]] if c.text.startswith("三、") else list(c.text)
                step = max(1, len(lines) // (len(chars) + 1))
                for i, ch in enumerate(chars):
                    canvas.put(lines[min(len(lines) - 1, (i + 1) * step)], 0, ch)
            else:  # a group label, wrapped in the middle of its rows
                chunks = _chunks(c.text, 4)
                at = lines[max(0, len(lines) // 2 - len(chunks)):]
                for line, chunk in zip(at[::2] if len(at) >= 2 * len(chunks) else at, chunks):
                    canvas.put(line, 6, chunk)
        return start, len(canvas.lines)
    if grid.kind == "proactive":
        start = len(canvas.lines)
        pos = [22, 40, 58]
        for r in range(grid.n_rows):
            cells = grid.row_cells(r)
            if grid.roles[r] == "caption":
                canvas.put(canvas.new(), 24, cells[0].text)
            elif grid.roles[r] == "header":
                line = canvas.new()
                canvas.put(line, 3, cells[0].text)
                col = 1
                for c in cells[1:]:
                    canvas.put(line, pos[col - 1] + (6 if c.colspan > 1 else 0), c.text)
                    col += c.colspan
            else:
                line = canvas.new()
                canvas.put(line, 3, cells[0].text)
                col = 1
                for c in cells[1:]:
                    if c.text:
                        canvas.put(line, pos[col - 1] + (14 if c.colspan == 3 else 6 if c.colspan == 2 else 0), c.text)
                    col += c.colspan
            if gap and grid.roles[r] == "values":
                canvas.new()
        return start, len(canvas.lines)
    pos = [7 * j for j in range(15)]
    top = canvas.new(7)
    canvas.put(top, 4, "行政复议")
    canvas.put(top, 56, "行政诉讼")
    canvas.put(top + 2, pos[5] + 6, "未经复议直接起诉")
    canvas.put(top + 2, pos[10] + 8, "复议后起诉")
    for j in range(15):
        head = T4_HEADS[j % 5]
        if head == "总计":
            canvas.put(top + 5, pos[j], head)
        else:
            canvas.put(top + 4, pos[j], head[:2])
            canvas.put(top + 6, pos[j], head[2:])
    line = canvas.new(2) + 1
    for j, c in enumerate(c for c in grid.row_cells(3) if c.value):
        if c.text:
            canvas.put(line, pos[j], c.text)
    return top, len(canvas.lines)


def layout_form(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """Text as ``pdftotext -layout`` prints a report PDF."""
    style = _style(rng)
    style.spaced_digits = rng.random() < 0.6
    blocks = build_blocks(doc, style, split_title=rng.random() < 0.6)
    fix = _spaced if style.spaced_digits else (lambda s: s)
    canvas = Canvas()
    width = rng.randint(28, 34)
    t3_range = (0, 0)
    for block in blocks:
        if block.kind == "title":
            canvas.put(canvas.new(), max(2, 20 - len(block.text) // 2), fix(block.text))
        elif block.kind == "table":
            rows = layout_table(block.grid, canvas, rng)
            if block.grid.kind == "requests":
                t3_range = rows
            canvas.new()
        elif block.kind in ("sign", "date"):
            canvas.put(canvas.new(), 40, fix(block.text))
        else:
            lines = _wrap(fix(block.text), width)
            for i, line in enumerate(lines):
                canvas.put(canvas.new(), 3 if i == 0 else 0, line)
    lines = canvas.render()
    page = rng.randint(40, 52)
    breaks = set(range(page, len(lines), page))
    if t3_range[1] > t3_range[0] + 4 and rng.random() < 0.8:
        forced = rng.randint(t3_range[0] + 2, t3_range[1] - 2)
        breaks = {b for b in breaks if abs(b - forced) > 8} | {forced}
    dash = rng.choice(("-{}-", "- {} -", "— {} —"))
    out = []
    number = 1
    for i, line in enumerate(lines):
        if i in breaks:
            out += ["", " " * 42 + dash.format(number), "\f"]
            number += 1
        out.append(line)
    out += ["", " " * 42 + dash.format(number), ""]
    text = "\n".join(out).replace("\n\f\n", "\n\f")
    return "report.txt", text.encode("utf-8")


# ----------------------------------------------------------------------------- copied text forms


def grid_cells(grid: Grid, r: int, expanded: bool) -> list[Cell | None]:
    """A row's fields: the cells starting in it (a browser copy), or every grid position with a
    merged cell at its top-left corner only (a spreadsheet copy; None elsewhere)."""
    if not expanded:
        return list(grid.row_cells(r))
    fields: list[Cell | None] = [None] * grid.n_cols
    for c in grid.cells:
        if c.row == r:
            fields[c.col] = c
    return fields


def grid_fields(grid: Grid, r: int, expanded: bool) -> list[str]:
    """The texts of :func:`grid_cells`."""
    return [c.text if c else "" for c in grid_cells(grid, r, expanded)]


@dataclass
class Line:
    """A line of copied text, with the part it belongs to and, for table rows, the table."""

    text: str
    section: str = ""
    table: str = ""
    cells: list[Cell | None] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return [c.text if c else "" for c in self.cells]


def tab_lines(blocks: list[Block], rng: random.Random, *, info_line: str = "") -> list[Line]:
    """Text copied from a web page: one paragraph per line, tables as tab-separated lines."""
    expanded = rng.random() < 0.4
    trailing = rng.random() < 0.3
    blank_between = rng.random() < 0.3
    out: list[Line] = []
    for block in blocks:
        if block.kind == "table":
            grid = block.grid
            for r in range(grid.n_rows):
                cells = grid_cells(grid, r, expanded)
                text = "\t".join(c.text if c else "" for c in cells) + ("\t" if trailing else "")
                out.append(Line(text, block.section, grid.kind, cells))
            if blank_between:
                out.append(Line("", block.section))
            continue
        out.append(Line(block.text, block.section))
        if block.kind == "title" and info_line and not any(b.kind == "title" for b in blocks[blocks.index(block) + 1:]):
            out.append(Line(info_line))
        if blank_between:
            out.append(Line("", block.section))
    return out


def _info_line(doc: dict[str, Any], rng: random.Random) -> str:
    if not doc.get("published") or rng.random() < 0.5:
        return ""
    return rng.choice((f"发布时间：{doc['published']} {_time(rng)}　来源：{doc['agency']['name']}",
                       f"发布日期：{doc['published']}", f"{doc['published']} {_time(rng)} 发布"))


def tab_copy(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    blocks = build_blocks(doc, _style(rng))
    text = "\n".join(line.text for line in tab_lines(blocks, rng, info_line=_info_line(doc, rng))) + "\n"
    return "report.txt", text.encode("utf-8")


def pipe_text(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """Tables as Markdown pipe tables, or as ``a | b | c |`` rows one per line."""
    blocks = build_blocks(doc, _style(rng))
    markdown = rng.random() < 0.5
    out: list[str] = []
    for block in blocks:
        if block.kind != "table":
            prefix = "## " if markdown and block.kind == "heading" else "# " if markdown and block.kind == "title" else ""
            out += [prefix + block.text, ""] if markdown else [prefix + block.text]
            continue
        grid = block.grid
        for r in range(grid.n_rows):
            if markdown:
                fields = grid_fields(grid, r, True)
                out.append("| " + " | ".join(fields) + " |")
                if r == 0:
                    out.append("|" + "---|" * grid.n_cols)
            else:
                out.append(" | ".join(grid_fields(grid, r, False)) + " |")
        out.append("")
    return ("report.md" if markdown else "report.txt"), ("\n".join(out) + "\n").encode("utf-8")


def cell_per_line(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """Each table cell on its own line, blank cells as empty lines (a crawler's field)."""
    blocks = build_blocks(doc, _style(rng))
    sep = rng.choice((0, 1, 2, 2))
    row_end = rng.choice((0, 1, 2)) if sep < 2 else 2
    out: list[str] = []
    for block in blocks:
        if block.kind != "table":
            out.append(block.text)
            continue
        out += [""] * (sep + row_end)
        grid = block.grid
        for r in range(grid.n_rows):
            for c in grid.row_cells(r):
                out.append(c.text)
                out += [""] * sep
            out += [""] * row_end
        out += [""] * sep
    return "report.txt", ("\n".join(out) + "\n").encode("utf-8")


def one_line(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """The whole report on one line: paragraphs run together (or joined by ideographic spaces),
    headings inline, table cells run together, sometimes a crawler's header and site chrome."""
    blocks = build_blocks(doc, _style(rng))
    joiner = rng.choice(("", "　　", "　　"))
    spaced_cells = rng.random() < 0.3
    pieces: list[str] = []
    for block in blocks:
        if block.kind == "table":
            cells = []
            for r in range(block.grid.n_rows):
                for c in block.grid.row_cells(r):
                    if c.text:
                        cells.append(c.text)
            text = ""
            for i, cell in enumerate(cells):
                if i and spaced_cells and rng.random() < 0.15:
                    text += " "
                text += cell
            pieces.append(text)
        else:
            pieces.append(block.text)
    body = joiner + joiner.join(pieces) if joiner else "".join(pieces)
    header = ""
    published = doc.get("published")
    if rng.random() < 0.5:
        stamp = f"{published} {_time(rng)}" if published else ""
        chrome = (f"当前位置： 首页政务公开政府信息公开政府信息公开年报 {doc['title']} 来源：{doc['agency']['name']} "
                  f"时间：{stamp} 微信 微博 QQ空间 打印 附件下载 ")
        body = chrome + body.lstrip("　")
        if rng.random() < 0.7:
            header = (f"标题: {doc['title']}\n发布时间: {stamp}\n原文链接: {_url(rng, doc)}\n"
                      + ("=" * 20 + " 正文 " + "=" * 20 + "\n" if rng.random() < 0.5 else ""))
    return "report.txt", (header + body + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- converter Markdown


def _md_row(fields: list[str]) -> str:
    return "| " + " | ".join(fields) + " |"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_md_row(header), "|" + "---|" * len(header), *(_md_row(r) for r in rows)]


PLACEHOLDER_HEAD = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]
WRONG_HEAD = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]


def converter_markdown(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """Markdown from a PDF/OCR converter: tables split per block with placeholder headers,
    a wrong header over a block, rows split, labels detached, a number floated out."""
    style = _style(rng)
    blocks = build_blocks(doc, style)
    out: list[str] = []
    mutations = set(rng.sample(("wrong_header", "split_row", "detached", "floated"), rng.randint(0, 3)))
    for block in blocks:
        if block.kind == "title":
            out += ["# " + block.text, ""]
        elif block.kind == "heading":
            out += [rng.choice(("## ", "")) + block.text, ""]
        elif block.kind != "table":
            out += [block.text, ""]
        elif block.grid.kind == "proactive":
            grid = block.grid
            rows: list[list[str]] = []
            header: list[str] = []
            for r in range(grid.n_rows):
                if grid.roles[r] == "caption":
                    if header:
                        out += _md_table(header, rows) + [""]
                    out += ["### " + grid.row_cells(r)[0].text]
                    rows = []
                elif grid.roles[r] == "header":
                    header = [c.text for c in grid.row_cells(r)]
                else:
                    rows.append([c.text for c in grid.row_cells(r)])
            out += _md_table(header, rows) + [""]
        elif block.grid.kind == "appeals":
            grid = block.grid
            values = grid.values(3)
            if rng.random() < 0.7:
                for g, name in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
                    out += ["### " + name] + _md_table(list(T4_HEADS), [values[g * 5:g * 5 + 5]]) + [""]
            else:
                out += ["行政复议行政诉讼", "未经复议直接起诉复议后起诉",
                        *_md_table(["维持", "纠正", "结果", "审结", "结果", "结果", "其他", "尚未", "结果", "结果", "其他",
                                    "尚未"], []), _md_row(values), "|" + "---|" * 15, ""]
        else:
            out += _converter_t3(block.grid, rng, mutations)
    return "report.md", ("\n".join(out) + "\n").encode("utf-8")


def _converter_t3(grid: Grid, rng: random.Random, mutations: set[str]) -> list[str]:
    out = [grid.cells[0].text, ""]
    if rng.random() < 0.5:
        out += ["### 申请人情况 (自然人)", *_md_table(["(数据项目)", "数量"], [["-", "-"]]), "",
                "### 申请人情况 (法人或其他组织)", *_md_table(list(ORG_COLUMNS), [["-"] * 5]), ""]
    # group the value rows into blocks: a top-level row alone, a group with its sub-rows
    blocks: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for r in range(3, grid.n_rows):
        labels = grid.labels(r)
        values = grid.values(r)
        group = next((c.text for c in grid.covering(r) if c.rowspan > 1 and c.col == 1 and not c.value), None)
        label = labels[-1] if labels else ""
        if group:
            if blocks and blocks[-1][0] == group:
                blocks[-1][1].append((label, values))
            else:
                blocks.append((group, [(label, values)]))
        else:
            if VERTICAL in labels and not any(b[0] == VERTICAL for b in blocks):
                blocks.append((VERTICAL, []))
            blocks.append((label, [(re.sub(r"^[一二三四]、|^[（(][一二三四五六七][）)]\s*", "", label), values)]))
    wrong_at = rng.randrange(len(blocks)) if "wrong_header" in mutations and blocks else -1
    split_at = rng.randrange(len(blocks)) if "split_row" in mutations and blocks else -1
    detach_at = rng.randrange(len(blocks)) if "detached" in mutations and blocks else -1
    float_at = rng.randrange(len(blocks)) if "floated" in mutations and blocks else -1
    for i, (title, rows) in enumerate(blocks):
        out.append("### " + title)
        if not rows:
            out.append("")
            continue
        head = WRONG_HEAD if i == wrong_at else PLACEHOLDER_HEAD
        floated: list[str] = []
        body = [[label, *values] for label, values in rows]
        if i == float_at:
            k = rng.randrange(len(body))
            j = rng.choice((7, 7, rng.randint(1, 7)))
            if body[k][j]:
                floated.append(body[k][j])
            del body[k][j]
        if i == detach_at and len(body) > 1:
            out += [row[0] for row in body] + [""]
            out += _md_table(head[1:], [row[1:] for row in body])
        elif i == split_at:
            k = rng.randrange(len(body))
            if k:
                out += _md_table(head, body[:k])
            out += ["", body[k][0], *_md_table(head[1:], [body[k][1:]])]
            if k + 1 < len(body):
                out += ["", *_md_table(head, body[k + 1:])]
        else:
            out += _md_table(head, body)
        out += [""] + ([*floated, ""] if floated else [])
    return out


# ----------------------------------------------------------------------------- transformed copies

PINYIN = {"政府": "zhèng fǔ", "信息": "xìn xī", "公开": "gōng kāi", "工作": "gōng zuò", "年度": "nián dù",
          "报告": "bào gào", "情况": "qíng kuàng", "申请": "shēn qǐng", "主动": "zhǔ dòng", "行政": "xíng zhèng",
          "复议": "fù yì", "诉讼": "sù sòng", "处理": "chǔ lǐ", "总计": "zǒng jì", "问题": "wèn tí", "改进": "gǎi jìn",
          "事项": "shì xiàng", "结果": "jié guǒ", "办理": "bàn lǐ", "平台": "píng tái", "监督": "jiān dū",
          "保障": "bǎo zhàng", "管理": "guǎn lǐ", "建设": "jiàn shè", "规章": "guī zhāng", "收费": "shōu fèi",
          "许可": "xǔ kě", "处罚": "chǔ fá", "强制": "qiáng zhì"}


@functools.cache
def _s2t() -> tuple[Any, dict[str, str], re.Pattern[str]]:
    """OpenCC's s2t converter, the glossed words in traditional characters, and their pattern."""
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    words = {s2t.convert(w): py for w, py in PINYIN.items()}
    return s2t, words, re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def _gloss(rng: random.Random) -> Callable[[str], str]:
    s2t, words, pattern = _s2t()
    form = rng.choice(("({})", "（{}）", "{}"))
    share = rng.uniform(0.15, 0.5)

    def gloss(m: re.Match[str]) -> str:
        if rng.random() >= share:
            return m.group(0)
        py = words[m.group(0)]
        return m.group(0) + form.format(py.replace(" ", "") if form == "{}" else py)

    def convert(text: str) -> str:
        return pattern.sub(gloss, s2t.convert(text))
    return convert


def traditional_pinyin(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """A mirror page: traditional characters with pinyin glosses after some words (HTML or copied text)."""
    style = _style(rng)
    convert = _gloss(rng)
    blocks = map_text(build_blocks(doc, style), convert)
    if rng.random() < 0.5:
        return "report.html", html_page(doc, rng, blocks=blocks, convert=convert).encode("utf-8")
    text = "\n".join(line.text for line in tab_lines(blocks, rng)) + "\n"
    return "report.txt", text.encode("utf-8")


def nfkc_punct(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """A stored copy of a page: full-width punctuation and brackets normalised to ASCII (NFKC)."""
    blocks = build_blocks(doc, _style(rng))
    text = "\n".join(line.text for line in tab_lines(blocks, rng, info_line=_info_line(doc, rng))) + "\n"
    return "report.txt", unicodedata.normalize("NFKC", text).encode("utf-8")


def excerpt_with_cut(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes, set[str]]:
    """The opening of a page: copied text cut after the first screen, inside parts 一–三
    (mid-sentence or mid-table, never inside a number). Also returns the pointers of the cells
    printed in whole rows before the cut (a reader must read those; the rest is cut off)."""
    blocks = build_blocks(doc, _style(rng))
    lines = tab_lines(blocks, rng, info_line=_info_line(doc, rng))
    candidates = [i for i, line in enumerate(lines) if line.section in ("overview", "proactive", "requests")
                  and line.text.strip()]
    if not candidates:
        candidates = [i for i, line in enumerate(lines) if line.text.strip()][1:] or [0]
    i = rng.choice(candidates)
    line = lines[i]
    if line.table:
        fields = line.fields
        k = rng.randint(1, max(1, len(fields) - 1))
        cut = "\t".join(fields[:k]) + "\t"
    else:
        positions = [p for p in range(4, len(line.text)) if not (line.text[p - 1].isdigit() or line.text[p].isdigit())]
        cut = line.text[:rng.choice(positions)] if positions else line.text
    text = "\n".join(x.text for x in lines[:i]) + "\n" + cut
    if rng.random() < 0.5:
        text = unicodedata.normalize("NFKC", text)
    printed = {c.pointer for x in lines[:i] for c in x.cells if c is not None and c.pointer}
    return "report.txt", text.encode("utf-8"), printed


def excerpt(doc: dict[str, Any], rng: random.Random) -> tuple[str, bytes]:
    """The opening of a page cut after the first screen (see :func:`excerpt_with_cut`)."""
    return excerpt_with_cut(doc, rng)[:2]


def printed_before_cut(form: str, doc: dict[str, Any], rng: random.Random) -> set[str] | None:
    """For a form that prints only part of the report, the cells printed in whole before the cut
    (with the rng state the form was rendered with); None for a complete form."""
    return excerpt_with_cut(doc, rng)[2] if form == "excerpt" else None


FORMS: dict[str, Callable[[dict[str, Any], random.Random], tuple[str, bytes]]] = {
    "html-merged": html_merged,
    "html-gbk": html_gbk,
    "docx-merged": docx_form,
    "pdf": pdf_form,
    "pdftotext-layout": layout_form,
    "tab-copy": tab_copy,
    "pipe-text": pipe_text,
    "cell-per-line": cell_per_line,
    "one-line": one_line,
    "converter-markdown": converter_markdown,
    "traditional-pinyin": traditional_pinyin,
    "nfkc-punct": nfkc_punct,
    "excerpt": excerpt,
}
# Forms that cost much more to build and read (fewer hypothesis examples).
SLOW_FORMS = frozenset({"pdf", "docx-merged"})
