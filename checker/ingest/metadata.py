"""Metadata of a report as printed: title, agency (name, kind, level), year, statistics period,
publication date and preamble — all from the document's own text (and, for HTML/Word/PDF,
the container's declared title or date), never from anything outside the report.
"""

from __future__ import annotations

import re
from typing import Protocol

from checker.ingest.agency import classify_agency
from checker.ingest.layout import Layout, Location, Paragraph, Table
from checker.ingest.normalize import arabic_numerals, iso_date, match_key, squeeze_cjk_spaces

_TITLE_WORDS = re.compile(r"(政府信息公开|政务公开|信息公开).*(报告|年报)")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_PERIOD = re.compile(
    r"统计(?:期限|周期|时间|时限|区间|时段)[^。]*?(\d{4})年(\d{1,2})月(\d{1,2})日"
    r"[^。\d]{0,8}?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)
_PERIOD_WORD = re.compile(r"统计(期限|周期|时间|时限|区间|时段)")
_SENTENCE_SPLIT = re.compile(r"(?<=[。；;])")
_TITLE_END = re.compile(r"报告|年报|公开工作$")
_REPORT_WORD = re.compile(r"报告|年报")
_LEADING_YEAR = re.compile(r"^\d{4}")
_YEAR_IN_TITLE = re.compile(r"(\d{4})年")
_REPORT_YEAR = re.compile(r"(\d{4})年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告")
_PUBLISHED_LINE = re.compile(r"^[(（]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?$")
_NAME_END = re.compile(r"(局|政府|政府机关|机关|委员会|委|办公室|办|厅|署|院|中心|办事处|乡|镇|所|队|站|部|会|区|县|市)$")
_BREADCRUMB = re.compile(r"首页|[/>›»].*[/>›»]")
_PUBLISHED_META = re.compile(r"(\d{4})-(\d{2})-(\d{2})\s*发布")


class DocText(Protocol):
    """What the metadata readers need of the document being assembled."""

    def text(self, raw: str) -> str:
        """Text as it goes into the document."""

    def locate(self, pointer: str, loc: Location) -> None:
        """Record where ``pointer`` came from."""

    def notice(self, code: str, target: str, location: Location | None = None, **values: object) -> None:
        """Add a reading notice (``checker.ingest.reading``), e.g. ``year-inferred``."""


def title(front: list[Paragraph | Table], layout: Layout, doc: DocText) -> tuple[str, Location] | None:
    """The report title, joined from up to three short lines before the first section."""
    paragraphs = [b for b in front if isinstance(b, Paragraph)][:12]
    for k, para in enumerate(paragraphs):
        key = match_key(para.text)
        if "。" in key or len(key) > 70 or _BREADCRUMB.search(key) or not _TITLE_END.search(key):
            continue
        pieces = [para]
        if k + 1 < len(paragraphs) and not _REPORT_WORD.search(key) and len(paragraphs[k + 1].text) <= 12:
            pieces.append(paragraphs[k + 1])
        if k > 0 and _LEADING_YEAR.match(key) and _looks_like_name(paragraphs[k - 1].text):
            pieces.insert(0, paragraphs[k - 1])
        text = squeeze_cjk_spaces(doc.text("".join(p.text.strip() for p in pieces)))
        if _TITLE_WORDS.search(match_key(text)):
            return text, pieces[0].loc
    hinted = layout.hints.get("title")
    if hinted and _TITLE_WORDS.search(match_key(hinted)):
        return squeeze_cjk_spaces(doc.text(hinted)), Location()
    return None


def _looks_like_name(text: str) -> bool:
    key = match_key(text)
    return 2 <= len(key) <= 30 and "。" not in key and bool(_NAME_END.search(key))


def year(title: str, period: dict | None, paragraphs: list[str], hints: dict[str, str]) -> int | None:
    """Reported year: the title, else the statistics period, else 'YYYY年…年度报告' in the text, else hints."""
    match = _YEAR_IN_TITLE.search(match_key(arabic_numerals(title)))
    if match:
        return int(match.group(1))
    if period and period.get("end"):
        return int(period["end"][:4])
    for text in paragraphs[:40]:
        found = _REPORT_YEAR.search(match_key(arabic_numerals(text)))
        if found:
            return int(found.group(1))
    hinted = hints.get("year", "")
    return int(hinted) if re.fullmatch(r"\d{4}", hinted) else None


def agency(title: str, hints: dict[str, str]) -> dict:
    """Agency name from the title (text before the year, or after it), else from hints."""
    key = squeeze_cjk_spaces(arabic_numerals(title))
    name = ""
    match = re.match(r"^(.+?)(\d{4})\s*年", key)
    if match:
        name = match.group(1)
    else:
        match = re.match(r"^\d{4}\s*年度?(.+?)(政府信息公开|政务公开|信息公开)", key)
        if match:
            name = match.group(1)
    name = re.sub(r"(关于|印发|报送).*$", "", name).strip(" 《》“”\"")
    if name in ("政府", "政务", "本机关", "本单位"):
        name = ""
    if not name and hints.get("agency"):
        name = re.sub(r"[（(][^（()）]*[)）]\s*$", "", hints["agency"]).strip()
    agency: dict = {"name": name or "（未识别的机关）"}
    if name:
        info = classify_agency(name)
        for attribute in ("kind", "level", "region"):
            value = getattr(info, attribute)
            if value:
                agency[attribute] = value
    return agency


def period(paragraphs: list[str]) -> dict | None:
    """The statistics period sentence and its dates."""
    for text in paragraphs[:60]:
        if not _PERIOD_WORD.search(text):
            continue
        sentence = next((s for s in _SENTENCE_SPLIT.split(text) if _PERIOD_WORD.search(s)), text)
        period: dict = {"text": sentence.strip()}
        match = _PERIOD.search(match_key(arabic_numerals(sentence)))
        if match:
            y1, m1, d1, y2, m2, d2 = match.groups()
            period["start"] = iso_date(int(y1), int(m1), int(d1))
            period["end"] = iso_date(int(y2 or y1), int(m2), int(d2))
        return period
    return None


def published(paragraphs: list[Paragraph], front: list[Paragraph | Table], hints: dict[str, str],
               doc: DocText) -> str | None:
    """Publication date: a date line at the end (of ``paragraphs``, all of them) or under the title, else the hints."""
    candidates = paragraphs[-3:][::-1] + [b for b in front if isinstance(b, Paragraph)][:8]
    for para in candidates:
        key = match_key(arabic_numerals(para.text))
        match = _PUBLISHED_LINE.match(key) or _PUBLISHED_META.search(key)
        if match:
            date = iso_date(*(int(g) for g in match.groups()))
            if date:
                doc.locate("/published", para.loc)
                return date
    hinted = hints.get("published")
    return hinted if hinted and re.fullmatch(r"\d{4}-\d{2}-\d{2}", hinted) else None


def preamble(front: list[Paragraph | Table], title: tuple[str, Location] | None, doc: DocText) -> str:
    """Paragraphs before the first section, less the title lines and date lines."""
    texts: list[str] = []
    title_key = match_key(title[0]) if title else ""
    for block in front:
        if not isinstance(block, Paragraph):
            continue
        key = match_key(arabic_numerals(block.text))
        if key and (key in title_key or _PUBLISHED_LINE.match(key)):
            continue
        texts.append(doc.text(block.text))
    return "\n".join(t for t in texts if t)


def source(layout: Layout, source_name: str) -> dict:
    source = {"file": source_name, "media_type": layout.media_type}
    if layout.hints.get("url"):
        source["url"] = layout.hints["url"]
    return source
