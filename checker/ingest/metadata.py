"""Metadata of a report as printed: title, agency (name, kind, level), year, statistics period,
publication date and preamble — all from the document's own text (and, for HTML/Word/PDF,
the container's declared title or date), never from anything outside the report.

What a careful reader does, in order:

* **Title**: a short line before 一、 that names the report, or the first piece of a line that
  lost its breaks (a crawler's one-line page). A crawler's ``标题:`` label, a ``【2019】`` prefix
  and a site name after the title (``…报告-XX网``) are not part of it. The agency's name on the
  line above joins it. A cover letter (``…关于报送…报告的函``) is taken only when the report's own
  title is not printed.
* **Year**: the title's year; else the statistics period's; else the report named with its year
  in the text (``现将XX2024年政府信息公开工作年度报告予以公开``); else the year the narrative
  speaks of (``2024年，我局……``), with a ``year-inferred`` reading notice.
* **Agency**: the name in the title; else the name the preamble gives the report; else the
  subject of the narrative's opening sentence (``2023年，厦门市统计局坚持……``); else the
  container's hint.
* **Period**: the 统计期限 sentence as printed and its dates (null when they cannot be read); without
  such a sentence, one giving the data's span as two readable dates (``本报告所列数据自…至…``).
* **Published**: a labelled date in the page header (发布日期/发布时间/时间 next to 来源), else the
  container's date, else the signature date, else 更新时间.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from checker.ingest.agency import classify_agency, leading_units
from checker.ingest.layout import Layout, Location, Paragraph, Table
from checker.ingest.normalize import iso_date, match_key, squeeze_cjk_spaces

# --------------------------------------------------------------------------- numerals

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "o": 0, "O": 0}
_CN_YEAR = re.compile(r"[〇○零Ｏ一二三四五六七八九]{4}(?=\s*年)")
_CN_SMALL = "一二三四五六七八九十"
# A month with its day (十二月三十一日), or a month right after a year (2021年一月): never 统一月度.
_CN_MONTH_DAY = re.compile(rf"(?<![{_CN_SMALL}])([{_CN_SMALL}]{{1,3}})\s*月\s*([{_CN_SMALL}]{{1,3}})\s*([日号])"
                           rf"|(?<=年)([{_CN_SMALL}]{{1,3}})\s*月")


def _small_number(text: str) -> int | None:
    """一 … 三十一 as an int (month and day numbers)."""
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    value = (_CN_DIGIT.get(tens, -99) if tens else 1) * 10 + (_CN_DIGIT.get(units, -99) if units else 0)
    return value if 0 < value <= 39 else None


def numerals(text: str) -> str:
    """Chinese-numeral years, months and days (二〇二一年十二月三十一日) written with digits."""
    if not re.search(r"[〇○零一二三四五六七八九十]", text):
        return text
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGIT[c]) for c in m.group(0)), text)

    def month_day(match: re.Match[str]) -> str:
        month = _small_number(match.group(1) or match.group(4))
        if month is None or month > 12:
            return match.group(0)
        if not match.group(2):
            return f"{month}月"
        day = _small_number(match.group(2))
        return f"{month}月{day}{match.group(3)}" if day else match.group(0)

    return _CN_MONTH_DAY.sub(month_day, text)


def _flat(text: str) -> str:
    """NFKC, digits for Chinese numerals, single spaces: the form labels and dates are matched in."""
    return re.sub(r"\s+", " ", numerals(unicodedata.normalize("NFKC", text))).strip()


# --------------------------------------------------------------------------- patterns

_TITLE_WORDS = re.compile(r"(政府信息公开|政务公开|信息公开).*(报告|年报)")
_TITLE_END = re.compile(r"报告|年报|公开工作$")
_REPORT_WORD = re.compile(r"报告|年报")
_LEADING_YEAR = re.compile(r"^\d{4}")
_YEAR_IN_TITLE = re.compile(r"(\d{4})年")
_BREADCRUMB = re.compile(r"首页|当前位置|您的位置|[/>›»].*[/>›»]")
_NAME_END = re.compile(r"(局|政府|政府机关|机关|委员会|委|办公室|办|厅|署|院|中心|办事处|乡|镇|所|队|站|部|会|区|县|市)$")
# Header labels that a crawler or a page puts before the title; a year prefix such as 【2019】.
_FIELD_LABEL = re.compile(
    r"^\s*(?:栏目|所属栏目|发布机构|文号|来源|信息来源|发布时间|发布日期|原文链接|本地目录|索引号|主题分类|分类|"
    r"发文机关|成文日期|所属机构|关键词|浏览次数)\s*[:：]")
_TITLE_LABEL = re.compile(r"^\s*(?:标题|题目|文章标题|信息名称|名称|主题|附件\s*\d{0,2})\s*[:：]\s*")
_BRACKET_PREFIX = re.compile(r"^\s*[【\[［〔(（]\s*\d{4}\s*(?:年度?)?\s*[】\]］〕)）]\s*")
# The match may only start where a run of spaces and dashes starts: tried at every position of a
# long run of dashes, the pattern would be quadratic.
_SITE_SUFFIX = re.compile(r"(?<![\s\-_|–—])\s*[-_|–—]+\s*[^-_|–—]{2,30}(?:网|网站|门户|公众网|政府网|官网|平台)\s*$")
_COVER_LETTER = re.compile(r"关于(?:报送|呈报|上报|印发|转发|公布).*(?:的函|的通知|的报告)$|的函$")
#: A title run together with the text after it: no sentence punctuation, no quoted document name, not a
#: clause (根据…, 关于…), ending with 年度报告 or 年报, text following.
_TITLE_THEN_TEXT = re.compile(r"^\s*(?!根据|按照|依据|依照|关于|现将|为)([^，,。；;：:！？《》“”\"]{6,70}?(?:年度报告|年报))(?=\S)")
# Pieces of a line that lost its breaks: runs of spaces, ideographic spaces, and page chrome labels.
_PIECE_BREAK = re.compile(r"\s{2,}|\u3000+|\s(?=(?:来源|发布时间|发布日期|时间|日期|作者|浏览|点击|字号|【)\s*[:：【]?)")

_PERIOD_WORD = re.compile(r"统计(?:数据)?的?(?:期限|周期|时间段|时段|时间|时限|区间|范围|期(?=为|自|从|是|:|：))|数据的?(?:统计)?(?:期限|时限)")
_DATE_PART = r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})(?!\d)\s*[日号]?"
_PERIOD = re.compile(
    _DATE_PART + r"[^。\d]{0,10}?" + r"(?:(\d{4})\s*(?:年|[-./])\s*)?(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})(?!\d)")
_PERIOD_YEAR = re.compile(r"(\d{4})\s*年")
# Without a statistics-period word, a sentence giving the data's or the report's span counts when its two
# dates can be read: 本报告所列数据自2020年1月1日起至2020年12月31日止; 涵盖了…2020年1月1日至12月31日期间的….
_PERIOD_SPAN = re.compile(r"所列(?:的)?(?:统计)?数据|数据(?:范围|区间)|(?:涵盖|覆盖)了?")
_SENTENCE_SPLIT = re.compile(r"(?<=[。；;])")

# The report named with its year in the text: 现将XX2024年政府信息公开工作年度报告予以公开.
_REPORT_NAME = r"(?:政府信息公开|政务公开|信息公开)[^，,。；;：:]{0,12}?(?:报告|年报)"
_REPORT_YEAR = re.compile(r"(\d{4})\s*年度?(?:的)?" + r"(?:[^，,。；;《》\d]{0,24}?的)?" + _REPORT_NAME)
_REPORT_VERB = r"(?:现将|现予公布|现公布|现发布|现向社会公布|公布|发布|特编制|编制了?|汇总|形成)"
# After 一、 a report named with its year is this report only when introduced as such (现将/现公布 …):
# 公开发布2021年年度报告 in a 2022 report is last year's.
_THIS_REPORT_VERB = r"(?:现将|现予公布|现公布|现发布|现向社会公布|特编制|现编制)"
_NAME_BEFORE_YEAR = re.compile(_REPORT_VERB + r"\s*《?\s*([^，,。；;《》“”\"、:：\d]{2,30}?)\s*(\d{4})\s*年度?" + _REPORT_NAME)
_NAME_AFTER_YEAR = re.compile(_REPORT_VERB + r"\s*《?\s*(\d{4})\s*年度?([^，,。；;《》“”\"、:：\d]{2,30}?)的?(?:政府信息公开|政务公开)")
_ABOUT = re.compile(r"关于[^，,。；;]*$")

# The subject of an opening sentence (2023年，厦门市统计局坚持……): the name up to the predicate.
_OPENING = re.compile(r"^\d{4}\s*年度?(?:以来|全年)?\s*[,，、]?\s*")
_PREDICATE = re.compile(
    r"坚持|认真|按照|围绕|深入|严格|全面|持续|进一步|积极|紧紧|紧扣|不断|高度|始终|扎实|切实|聚焦|立足|根据|依据|"
    r"结合|累计|通过|主动|着力|充分|大力|贯彻|落实|推进|加强|继续|牢固|坚决|依法|强化|重视|共|以|在|对|把|将|为|按|于|全年")
_NOT_A_NAME = re.compile(r"^(?:我|本|全|该|各|政府$|政务$)")
_NAME_TAIL = re.compile(r"(局|厅|署|委员会|委|办公室|办公厅|办|人民政府|政府|政府机关|办事处|街道|中心|县|区|市|州|镇|乡|旗|部|总局)$")

# Publication dates. Ranks: a labelled date in the header > the container's date > the
# signature date > 更新时间.
_DATE_ANY = r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)\s*日?"
_PUBLISH_LABEL = re.compile(r"(发布日期|发布时间|发布于|公开日期|发文日期|发表时间|更新时间|更新日期|修改时间|发布|时间|日期)\s*[:：]?\s*[\[【(（]?\s*"
                            + _DATE_ANY)
_DATE_THEN_PUBLISHED = re.compile(_DATE_ANY + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*发布")
_BRACKETED_DATE = re.compile(r"[\[【［]\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)\s*[\]】］]")
_NOT_PUBLISHED = ("办公", "受理", "统计", "工作", "服务", "开放")
_DATE_LINE = re.compile(r"^[(（]?\s*(?:落款日期|日期)?\s*[:：]?\s*" + _DATE_ANY + r"\s*[)）]?$")
_CHROME = re.compile(r"来源|浏览|点击|阅读|字号|字体|打印|作者|访问|分享|【")
_UPDATED = ("更新时间", "更新日期", "修改时间")
_RANK_LABEL, _RANK_HINT, _RANK_SIGNATURE, _RANK_UPDATED = 0, 1, 2, 3


class DocText(Protocol):
    """What the metadata readers need of the document being assembled."""

    def text(self, raw: str) -> str:
        """Text as it goes into the document."""

    def locate(self, pointer: str, loc: Location) -> None:
        """Record where ``pointer`` came from."""

    def notice(self, code: str, target: str, location: Location | None = None, **values: object) -> None:
        """Add a reading notice (``checker.ingest.reading``), e.g. ``year-inferred``."""


@dataclass(frozen=True, slots=True)
class ReportYear:
    """The reported year and how it was read.

    ``inferred`` is set when no title, period or report name states the year and it was taken
    from what the narrative speaks of; ``evidence`` then quotes that sentence (at most 40
    characters) and the assembler adds a ``year-inferred`` reading notice.
    """

    value: int
    source: str
    location: Location | None = None
    evidence: str = ""

    @property
    def inferred(self) -> bool:
        return self.source == "narrative"


# --------------------------------------------------------------------------- title


def _front_paragraphs(front: list[Paragraph | Table]) -> list[Paragraph]:
    return [b for b in front if isinstance(b, Paragraph)]


def _pieces(para: Paragraph) -> list[str]:
    """A header line as its own candidate, or the pieces of a line that lost its breaks (up to its first sentence);
    a title run together with the text after it (a PDF's title line as wide as the text and in its size, read as
    the first line of the preamble) is its own piece."""
    key = match_key(para.text)
    if len(key) <= 70 and "。" not in key:
        return [para.text]
    run_on = _TITLE_THEN_TEXT.match(para.text)
    if run_on:
        return [run_on.group(1)]
    pieces: list[str] = []
    for piece in _PIECE_BREAK.split(para.text):
        if piece.strip():
            pieces.append(piece)
        if "。" in piece or len(pieces) >= 8:
            break
    return pieces


def _clean_title(text: str) -> str:
    text = _TITLE_LABEL.sub("", text)
    text = _BRACKET_PREFIX.sub("", text)
    return _SITE_SUFFIX.sub("", text).strip()


def title(front: list[Paragraph | Table], layout: Layout, doc: DocText) -> tuple[str, Location] | None:
    """The report title, joined from up to three short lines (or pieces of a line) before the first section."""
    raw = [(piece, para.loc) for para in _front_paragraphs(front)[:12] for piece in _pieces(para)]
    lines = [(_clean_title(piece), loc) for piece, loc in raw]
    found: list[tuple[str, Location]] = []
    labelled: list[tuple[str, Location]] = []  # a crawler's or CMS's 标题: field, used when the body prints none
    for k, (text, loc) in enumerate(lines):
        key = match_key(numerals(text))
        if _FIELD_LABEL.match(raw[k][0]):
            continue  # another field of a page header (栏目: …, 来源: …), not the title
        if "。" in key or len(key) > 70 or _BREADCRUMB.search(key) or not _TITLE_END.search(key):
            continue
        pieces = [text]
        start = loc
        if k + 1 < len(lines) and not _REPORT_WORD.search(key) and len(lines[k + 1][0]) <= 12:
            pieces.append(lines[k + 1][0])
        if k > 0 and _LEADING_YEAR.match(key) and _looks_like_name(lines[k - 1][0]):
            pieces.insert(0, lines[k - 1][0])
            start = lines[k - 1][1]
        joined = squeeze_cjk_spaces(doc.text("".join(p.strip() for p in pieces)))
        if _TITLE_WORDS.search(match_key(joined)):
            if _TITLE_LABEL.match(raw[k][0]):
                labelled.append((joined, start))
            elif not _COVER_LETTER.search(match_key(joined)):
                return joined, start
            else:
                found.append((joined, start))
    if labelled or found:
        return (labelled or found)[0]
    hinted = layout.hints.get("title")
    if hinted and _TITLE_WORDS.search(match_key(hinted)):
        return squeeze_cjk_spaces(doc.text(_clean_title(hinted))), Location()
    return None


def _looks_like_name(text: str) -> bool:
    key = match_key(text)
    return 2 <= len(key) <= 30 and "。" not in key and bool(_NAME_END.search(key)) and not _BREADCRUMB.search(key)


# --------------------------------------------------------------------------- year


def year(title: tuple[str, Location] | None, period: dict | None, front: list[Paragraph | Table],
         body: list[Paragraph], doc: DocText) -> ReportYear | None:
    """The reported year: the title, the statistics period, the report named in the text, the narrative.

    Args:
        title: the title and its location, as read by :func:`title`.
        period: the statistics period, as read by :func:`period`.
        front: the blocks before the first section.
        body: every paragraph in order (the front's, then each section's heading and paragraphs).
        doc: the document being assembled (text as it goes into the document; source map).

    Returns:
        The year and where it came from, or None when nothing in the text names a year.
    """
    if title:
        match = _YEAR_IN_TITLE.search(match_key(numerals(title[0])))
        if match:
            return ReportYear(int(match.group(1)), "title", title[1])
    if period and period.get("end"):
        return ReportYear(int(period["end"][:4]), "period")
    if period and not period.get("start"):
        years = set(_PERIOD_YEAR.findall(match_key(numerals(period["text"]))))
        if len(years) == 1 and _plausible(int(next(iter(years)))):
            return ReportYear(int(years.pop()), "period")
    n_front = len(_front_paragraphs(front))
    for i, para in enumerate(body[:40]):
        found = _report_year(_flat(doc.text(para.text)), in_front=i < n_front)
        if found:
            return ReportYear(found, "report-name", para.loc)
    return _narrative_year(body, doc)


def _plausible(value: int) -> bool:
    return 2008 <= value <= date.today().year


def _outside_brackets(text: str) -> str:
    """``text`` with what stands inside 《…》, 〈…〉, “…” and （…） blanked out (document names, dates of laws)."""
    out = list(text)
    for pattern in (r"《[^《》]*》", r"〈[^〈〉]*〉", r"“[^“”]*”", r"<[^<>]*>", r"[(（][^()（）]*[)）]"):
        for match in re.finditer(pattern, text):
            out[match.start():match.end()] = "□" * (match.end() - match.start())
    return "".join(out)


def _report_year(text: str, *, in_front: bool) -> int | None:
    """Year of 'YYYY年…工作年度报告' naming this report: in the preamble (also as 《title》), or after 一、 when not quoted."""
    plain = _outside_brackets(text)
    for match in _REPORT_YEAR.finditer(text):
        inside = plain[match.start()] == "□"
        if inside:
            # a quoted report name counts only in the preamble and only when the quotes hold just the title
            opening = text.rfind("《", 0, match.start())
            closing = text.find("》", match.end())
            if not in_front or opening < 0 or closing < 0 or closing - match.end() > 2:
                continue
            if not _looks_like_name(text[opening + 1:match.start()]) and text[opening + 1:match.start()].strip():
                continue
        elif _ABOUT.search(text[:match.start()]):
            continue  # 关于做好2020年政府信息公开工作年度报告编制工作的通知
        elif not in_front and not re.search(_THIS_REPORT_VERB + r"\s*\S{0,20}$", text[max(0, match.start() - 24):match.start()]):
            continue
        value = int(match.group(1))
        if _plausible(value):
            return value
    return None


def _narrative_year(body: list[Paragraph], doc: DocText) -> ReportYear | None:
    """The most frequent plausible year in the opening of the narrative (ties: the first named)."""
    counts: Counter[int] = Counter()
    first: dict[int, tuple[Paragraph, str, int]] = {}
    budget = 1500
    for para in body:
        if budget <= 0:
            break
        text = _flat(doc.text(para.text))[:budget]
        budget -= len(text)
        plain = _outside_brackets(text)
        for match in re.finditer(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2})", plain):
            value = int(match.group(1))
            if not _plausible(value):
                continue
            counts[value] += 1
            first.setdefault(value, (para, text, match.start()))
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], -body.index(first[y][0]), -first[y][2]))
    para, text, position = first[best]
    return ReportYear(best, "narrative", para.loc, _evidence(text, position))


def _evidence(text: str, position: int) -> str:
    """The sentence around ``position``, at most 40 characters."""
    start = max(text.rfind(mark, 0, position) for mark in "。；;!！?？") + 1
    end_marks = [i for i in (text.find(mark, position) for mark in "。；;!！?？") if i >= 0]
    end = min(end_marks) + 1 if end_marks else len(text)
    sentence = text[start:end].strip()
    offset = position - start
    if len(sentence) <= 40:
        return sentence
    begin = 0 if offset < 30 else max(0, offset - 10)
    return sentence[begin:begin + 40]


# --------------------------------------------------------------------------- agency


def agency(title: tuple[str, Location] | None, front: list[Paragraph | Table], body: list[Paragraph],
           hints: dict[str, str], doc: DocText) -> dict:
    """The publishing body as printed: the title, the report's name in the preamble, the narrative's subject, the hint."""
    name, loc = "", None
    if title:
        name, loc = _name_from_title(title[0]), title[1]
    if not name:
        name, loc = _name_from_text(front, body, doc)
    if not name and hints.get("agency"):
        name = re.sub(r"[（(][^（()）]*[)）]\s*$", "", hints["agency"]).strip()
        name = re.sub(r"(网站|门户网站|网)$", "", name)
    agency: dict = {"name": name or "（未识别的机关）"}
    if name:
        if loc is not None and loc.to_dict():
            doc.locate("/agency/name", loc)
        info = classify_agency(name)
        for attribute in ("kind", "level", "region"):
            value = getattr(info, attribute)
            if value:
                agency[attribute] = value
    return agency


def _tidy_name(name: str) -> str:
    name = _TITLE_LABEL.sub("", _BRACKET_PREFIX.sub("", name))
    name = re.sub(r"(关于|印发|报送|转发).*$", "", name).strip(" 《》“”\"'‘’:：,，")
    if name.endswith("人民"):  # 沙塘镇人民|政府信息公开
        name += "政府"
    key = re.sub(r"[（(].*?[)）]", "", match_key(name))
    if not key or _NOT_A_NAME.match(key) or key in ("政府", "政务", "本级政府", "人民政府"):
        return ""
    return name


def _name_from_title(text: str) -> str:
    key = squeeze_cjk_spaces(numerals(_clean_title(text)))
    name = ""
    match = re.match(r"^(.+?)(\d{4})\s*年", key)
    if match:
        name = match.group(1)
    else:
        match = re.match(r"^\d{4}\s*年度?(.+?)(政府信息公开|政务公开|信息公开)", key)
        if match:
            name = match.group(1)
    return _tidy_name(name)


def _name_from_text(front: list[Paragraph | Table], body: list[Paragraph], doc: DocText) -> tuple[str, Location | None]:
    """The name the preamble gives the report, else the subject of the narrative's opening sentence."""
    opening = body[:8]
    for para in opening:
        text = _flat(doc.text(para.text))[:800]
        for pattern, group in ((_NAME_BEFORE_YEAR, 1), (_NAME_AFTER_YEAR, 2)):
            for match in pattern.finditer(text):
                name = _tidy_name(match.group(group).strip())
                if name and classify_agency(name).kind:
                    return name, para.loc
    for para in opening:
        text = _flat(doc.text(para.text))[:800]
        for sentence in re.split(r"(?<=[。；;])", text)[:3]:
            name = _subject(sentence.strip())
            if name:
                return name, para.loc
    return "", None


def _subject(sentence: str) -> str:
    """The body named at the start of '2023年，厦门市统计局坚持……', or ''."""
    opening = _OPENING.match(sentence)
    if not opening:
        return ""
    rest = re.split(r"[,，、。；;:：\s《“(（]", sentence[opening.end():], maxsplit=1)[0]
    # the predicate starts after the place names (于都县, 将乐县 and 共和县 hold a predicate's character)
    predicate = _PREDICATE.search(rest, max(2, leading_units(rest)))
    if not predicate or predicate.start() > 20:
        return ""
    name = _tidy_name(rest[:predicate.start()])
    if len(name) < 3 or not _NAME_TAIL.search(name):
        return ""
    info = classify_agency(name)
    if not info.kind or not (info.region or info.level):
        return ""
    return name


# --------------------------------------------------------------------------- period


def period(body: list[Paragraph], doc: DocText) -> dict | None:
    """The statistics period sentence as printed and its dates (null when they cannot be read).

    The first sentence with a statistics-period word whose dates can be read wins, else the
    first such sentence (with ``start`` and ``end`` null: ``自202111日起`` is kept as printed).
    The dates are taken as printed, also when they do not cover the report year (rules compare
    them). Its place goes to the source map as ``/period``.
    """
    first: tuple[dict, Location] | None = None
    for para in body[:60]:
        text = doc.text(para.text)
        if not _PERIOD_WORD.search(match_key(text)):
            continue
        for sentence in _SENTENCE_SPLIT.split(text):
            if not _PERIOD_WORD.search(match_key(sentence)):
                continue
            found: dict = {"text": sentence.strip()[:300], "start": None, "end": None}
            match = _PERIOD.search(numerals(unicodedata.normalize("NFKC", sentence)))
            if match:
                y1, m1, d1, y2, m2, d2 = match.groups()
                found["start"] = iso_date(int(y1), int(m1), int(d1))
                found["end"] = iso_date(int(y2 or y1), int(m2), int(d2))
            if found["start"] or found["end"]:
                first = (found, para.loc)
                break
            first = first or (found, para.loc)
        if first and (first[0]["start"] or first[0]["end"]):
            break
    if first is None:
        first = _period_span(body, doc)
    if first is None:
        return None
    if first[1].to_dict():
        doc.locate("/period", first[1])
    return first[0]


def _period_span(body: list[Paragraph], doc: DocText) -> tuple[dict, Location] | None:
    """A sentence without a statistics-period word that gives the data's span as two readable dates."""
    for para in body[:20]:
        text = doc.text(para.text)
        if not _PERIOD_SPAN.search(match_key(text)):
            continue
        for sentence in _SENTENCE_SPLIT.split(text):
            if not _PERIOD_SPAN.search(match_key(sentence)):
                continue
            match = _PERIOD.search(numerals(unicodedata.normalize("NFKC", sentence)))
            if not match:
                continue
            y1, m1, d1, y2, m2, d2 = match.groups()
            start, end = iso_date(int(y1), int(m1), int(d1)), iso_date(int(y2 or y1), int(m2), int(d2))
            if start and end:
                return {"text": sentence.strip()[:300], "start": start, "end": end}, para.loc
    return None


# --------------------------------------------------------------------------- publication date


def published(body: list[Paragraph], front: list[Paragraph | Table], hints: dict[str, str],
              doc: DocText) -> str | None:
    """Publication date as printed: a labelled header date > the container's date > the signature > 更新时间."""
    candidates: list[tuple[int, int, str, Location]] = []
    header = _front_paragraphs(front)[:15]
    for order, para in enumerate(header):
        candidates.extend((rank, order, value, para.loc) for rank, value in _header_dates(_flat(doc.text(para.text))))
    tail = body[-3:][::-1] if body else []
    for order, para in enumerate(tail, start=100):
        text = _flat(doc.text(para.text))
        found = _labelled(text[-200:], chrome=bool(_CHROME.search(text[-200:])))
        candidates.extend((rank, order, value, para.loc) for rank, value in found)
        pieces = [p for p in re.split(r"\s{2,}|\u3000+|(?<=[。；;])\s*", text) if p.strip()]
        if pieces and not found:
            candidates.extend((_RANK_SIGNATURE, order, value, para.loc)
                              for value in _dates([_DATE_LINE.match(pieces[-1].strip())]))
    hinted = hints.get("published")
    if hinted and re.fullmatch(r"\d{4}-\d{2}-\d{2}", hinted):
        candidates.append((_RANK_HINT, 50, hinted, Location()))
    if not candidates:
        return None
    _, _, value, loc = min(candidates, key=lambda c: (c[0], c[1]))
    if loc.to_dict():
        doc.locate("/published", loc)
    return value


def _header_dates(text: str) -> list[tuple[int, str]]:
    """Dates a header line prints: labelled, ``2021-02-09 发布``, ``[ 2022-01-18 ]``, or a date line."""
    head = text.split("。")[0][:300]
    chrome = bool(_CHROME.search(head)) or len(head) <= 40
    found = _labelled(head, chrome=chrome)
    for pattern in (_DATE_THEN_PUBLISHED, _BRACKETED_DATE):
        if pattern is _BRACKETED_DATE and not chrome:
            continue
        found.extend((_RANK_LABEL, value) for value in _dates(pattern.finditer(head)))
    found.extend((_RANK_SIGNATURE, value) for value in _dates([_DATE_LINE.match(text)]))
    return found


def _labelled(text: str, *, chrome: bool) -> list[tuple[int, str]]:
    """Dates after a publication label; a bare 时间/日期 counts only in a page-chrome line (来源… 时间：…)."""
    found: list[tuple[int, str]] = []
    for match in _PUBLISH_LABEL.finditer(text):
        label = match.group(1)
        if label in ("时间", "日期") and (not chrome or text[max(0, match.start() - 2):match.start()] in _NOT_PUBLISHED):
            continue
        for value in _dates([match], first=2):
            found.append((_RANK_UPDATED if label in _UPDATED else _RANK_LABEL, value))
    return found


def _dates(matches: Iterable[re.Match[str] | None], first: int = 1) -> list[str]:
    """ISO dates from matches whose groups ``first``… are year, month, day (impossible dates and years before 2008 dropped)."""
    out: list[str] = []
    for match in matches:
        if match is None:
            continue
        y, m, d = (int(g) for g in match.groups()[first - 1:first + 2])
        value = iso_date(y, m, d) if y >= 2008 else None
        if value:
            out.append(value)
    return out


# --------------------------------------------------------------------------- preamble and source


def preamble(front: list[Paragraph | Table], title: tuple[str, Location] | None, doc: DocText) -> str:
    """Paragraphs before the first section, less the title lines and date lines."""
    texts: list[str] = []
    title_key = match_key(title[0]) if title else ""
    for block in front:
        if not isinstance(block, Paragraph):
            continue
        key = match_key(numerals(_clean_title(block.text)))
        if key and (key in title_key or _DATE_LINE.match(key)):
            continue
        text = doc.text(block.text)
        run_on = _TITLE_THEN_TEXT.match(text)
        if run_on and title_key and match_key(numerals(_clean_title(run_on.group(1)))) == title_key:
            text = text[run_on.end():]  # the title run together with the preamble's first line
        texts.append(text)
    return "\n".join(t for t in texts if t)


def source(layout: Layout, source_name: str) -> dict:
    source = {"file": source_name, "media_type": layout.media_type}
    if layout.hints.get("url"):
        source["url"] = layout.hints["url"]
    return source
