"""Give back the paragraph structure of a text that lost it.

Crawlers and some page exports store a whole report on one line: paragraph breaks are
dropped or turned into runs of ideographic spaces (``　　``), the part headings sit inline
(``…质效。二、主动公开政府信息情况 第二十条…``), the page chrome is strung along the same
line (``当前位置： 首页… 来源：… 时间：… 微信 微博``) and table cells run together. A person still
sees the structure at once; :func:`reflow` cuts such a line where a person would see a break:

* before an inline part heading (``一、`` … ``六、`` followed by the words of a part title),
  and after it (at the first 情况/事项/措施… that ends the title) when text follows on the line;
* before a sub-heading ``（一）`` … that follows the end of a sentence;
* at runs of two or more ideographic spaces;
* in the page chrome before the report's first sentence, at the spaces between its items,
  and before a trailing chrome item (``附件下载``, ``打印本页`` …).

The pieces are returned in order; table text stays in one piece per part (the assembler
reads it as a flattened table). Lines that are not long, or hold no inline heading and no
paragraph marks, are returned unchanged.
"""

from __future__ import annotations

import re

# The words a part title starts with (after its numbering), as reports write them.
PART_TITLE_START = (
    r"(?:本年度|年度)?(?:政府信息公开)?(?:工作)?(?:的)?总体情况|(?:工作)?总体情况|概述|基本情况|主动公开(?:政府)?信息|主动公开(?:工作)?情况|收到和处理|收到及处理|"
    r"依申请公开(?:政府信息)?(?:工作)?情况|政府信息公开(?:的)?行政复议|因政府信息公开|政府信息公开申请行政复议|"
    r"(?:政府信息公开)?(?:工作)?存在的?主要问题|存在(?:的)?问题|其他需要报告|其他事项"
)
_INLINE_PART = re.compile(rf"(?<!第)[一二三四五六七八九十]{{1,2}}\s*[、．.]\s*(?={PART_TITLE_START})")
_HEADING_END = re.compile(r"^[一二三四五六七八九十]{1,2}\s*[、．.]\s*\S{0,30}?(?:情况|事项|措施|打算|计划|思路|概述|概况)")
_TITLE_FIRST = re.compile(
    r"^(\S{4,60}?(?:报告|年报))(?:\s+(?=\S)|(?=本报告|本年度报告|根据|按照|依据|依照|现将|为全面|\d{4}年[，,]))")
_SUBHEADING_AFTER_SENTENCE = re.compile(r"(?<=[。；！？!?;\s])\s*(?=[（(][一二三四五六七八九十]{1,2}[)）])")
_MARKS = re.compile(r"[\u3000]{2,}|\u3000+(?=[（(]?[一二三四五六七八九十]{1,2}[、）)])")
_CHROME_WORD = re.compile(
    r"当前位置|您的位置|首页|来源[:：]|发布时间|时间[:：]|浏览次数|字号|微信|微博|QQ空间|分享|打印|关闭|"
    r"附件下载|文件下载|相关链接|全真版|文字版|扫一扫|-->|【|】"
)
_TRAILING_CHROME = re.compile(
    r"\s+((?:附件下载|文件下载|打印本页|【打印】|【关闭】|关闭窗口|分享到|扫一扫在手机打开当前页)[\s\S]{0,60})$"
)
_SIGNATURE_END = re.compile(
    r"(?<=[。；;！!])\s*(\S{2,30}?)\s*((?:\d{4}|[〇零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,2}月"
    r"[\d〇零一二三四五六七八九十]{1,3}日)\s*$")
#: A line at least this long, with an inline part heading or paragraph marks, is reflowed.
LONG_LINE = 200


def needs_reflow(line: str) -> bool:
    """Whether a line looks like a whole report (or a large part of one) that lost its breaks."""
    if len(line) < LONG_LINE:
        return False
    inline = [m.start() for m in _INLINE_PART.finditer(line)]
    return len(inline) >= 2 or any(k > 0 and line[k - 1] in " 。；" for k in inline) or bool(_MARKS.search(line))


def reflow(line: str) -> list[str]:
    """The pieces of ``line`` a person would read as separate paragraphs (see module doc)."""
    if not needs_reflow(line):
        return [line]
    pieces: list[str] = []
    for chunk in _MARKS.split(line):
        for part in _split_at(_INLINE_PART, chunk):
            heading = _HEADING_END.match(part)
            if heading and heading.end() < len(part.rstrip()):
                pieces.append(part[:heading.end()])
                part = part[heading.end():]
            pieces.extend(_split_at(_SUBHEADING_AFTER_SENTENCE, part))
    pieces = [p.strip() for p in pieces if p.strip()]
    if pieces:
        pieces[:1] = _split_chrome(pieces[0])
        pieces[-1:] = _split_trailing_chrome(pieces[-1])
    return pieces


def _split_at(pattern: re.Pattern[str], text: str) -> list[str]:
    cuts = [m.start() for m in pattern.finditer(text) if m.start() > 0]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _split_chrome(first: str) -> list[str]:
    """Cut the chrome before the first sentence of the report at the spaces between its items,
    and a title followed by the report's first sentence."""
    title = _TITLE_FIRST.match(first)
    if title and "。" not in title.group(1):
        return [title.group(1), *_split_chrome(first[title.end():])]
    end = first.find("。")
    head_end = first.rfind(" ", 0, end) if end > 0 else len(first)
    if head_end <= 0 or not _CHROME_WORD.search(first[:head_end]):
        return [first]
    items = [item for item in re.split(r"\s+", first[:head_end]) if item]
    rest = first[head_end:].strip()
    return [*items, rest] if rest else items


def _split_trailing_chrome(last: str) -> list[str]:
    match = _TRAILING_CHROME.search(last)
    if match:
        return [*_split_signature(last[:match.start()].strip()), match.group(1).strip()]
    return _split_signature(last)


def _split_signature(last: str) -> list[str]:
    """The body, the signing body and the date, when they run on at the end (``…无。XX局2026年1月31日``)."""
    match = _SIGNATURE_END.search(last)
    if not match:
        return [last]
    return [piece for piece in (last[:match.start()].strip(), match.group(1), match.group(2)) if piece]
