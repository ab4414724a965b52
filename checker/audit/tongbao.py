"""The draft 通报 (circular) of an audit, as a Word document the office edits and sends: ``通报（草稿）.docx``
(``circular-draft.docx`` with ``--lang en``).

Laid out as a Chinese official document is (GB/T 9704: A4, margins 37/35/28/26 mm, title in 小标宋 二号,
body in 仿宋 三号, level-one headings in 黑体, level-two in 楷体; the fonts fall back to what the computer has):

* the title, a note that this is a draft made from automatic checks, and the opening paragraph;
* 一、总体情况: the counts, and tables by grade, by level and (when the reports or the manifest give them) by
  region;
* 二、检查排名: the ranking (every report up to :data:`RANKING_ROWS`, else the first and last halves of it);
* 三、存在的主要问题: the ten most frequent problems, each with how many reports, a quoted example and the
  agencies affected;
* 四、各单位存在的问题: each listed agency's problems with where they are (the lowest-scoring
  :data:`checker.audit.digest.LISTED_REPORTS` reports with a problem; the others are in summary.xlsx);
* 五、下一步工作要求: a placeholder for the office's own requirements, and the signature block.

Headings use Word's heading styles, so the navigation pane lists them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from checker.audit.digest import Digest, grade_text
from checker.fileio import write_atomic
from checker.messages import pick
from checker.render.safe import terminal_text

RANKING_ROWS = 200  # the whole ranking up to this many reports; else its first and last halves

_BODY_FONT, _TITLE_FONT, _H1_FONT, _H2_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"
_NUMBERS = "一二三四五六七八九十"


def file_name(lang: str) -> str:
    """The 通报's file name in the output folder."""
    return pick(lang, "通报（草稿）.docx", "circular-draft.docx")


def _text(value: Any) -> str:
    """Text fit for Word's XML: no control characters (which python-docx refuses), no lone surrogates."""
    return terminal_text(str(value)).encode("utf-8", "replace").decode("utf-8")


def _fonts(run_or_style: Any, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = "Times New Roman"
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _page_number(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)


class _Writer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_number(section)
        styles = self.doc.styles
        normal = styles["Normal"]
        _fonts(normal, _BODY_FONT, 16)
        normal.paragraph_format.line_spacing = Pt(28)
        normal.paragraph_format.space_after = Pt(0)
        for name, font in (("Heading 1", _H1_FONT), ("Heading 2", _H2_FONT)):
            style = styles[name]
            _fonts(style, font, 16, name == "Heading 2")
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
            style.paragraph_format.first_line_indent = Pt(32)
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.line_spacing = Pt(28)

    def t(self, zh: str, en: str) -> str:
        return pick(self.lang, zh, en)

    def title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(12)
        p.paragraph_format.line_spacing = Pt(36)
        _fonts(p.add_run(_text(text)), _TITLE_FONT, 22)

    def para(self, text: str, indent: bool = True, align: Any = None, italic: bool = False) -> Any:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if align is not None:
            p.alignment = align
        run = p.add_run(_text(text))
        run.italic = italic or None
        return p

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_text(text), level)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
        """A table in 仿宋 五号 (10.5 pt), header row bold and repeated on every page.

        Its rows are made as XML text and parsed at once: python-docx's cell by cell interface costs about
        a millisecond per cell, and the annex of a large audit has thousands of rows."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for j, width in enumerate(widths):
            table.columns[j].width = Mm(width)
        tbl = table._tbl
        tbl.remove(tbl.tr_lst[0])
        twips = [int(w * 56.7) for w in widths]
        xml = [f"<w:tbl {nsdecls('w')}>", _row(headers, twips, True)]
        xml += [_row(values, twips, False) for values in rows]
        xml.append("</w:tbl>")
        for tr in parse_xml("".join(xml)).findall(qn("w:tr")):
            tbl.append(tr)
        self.doc.add_paragraph()

    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        self.doc.save(buf)
        write_atomic(path, buf.getvalue())


def _row(values: Sequence[Any], twips: Sequence[int], header: bool) -> str:
    """One table row as WordprocessingML text."""
    font = _H1_FONT if header else _BODY_FONT
    rpr = (f'<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{font}"/>'
           f'{"<w:b/>" if header else ""}<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>')
    cells = []
    for v, width in zip(values, twips):
        text = _text("" if v is None else _number(v))
        runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                     f'<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr>'
                     f"<w:r>{rpr}{runs}</w:r></w:p></w:tc>")
    head = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    return f"<w:tr>{head}{''.join(cells)}</w:tr>"


def _number(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def write_tongbao(path: Path, digest: Digest) -> None:
    """Write the draft 通报 (atomically: a temporary file renamed into place)."""
    lang = digest.lang
    w = _Writer(lang)
    t = w.t
    year = digest.year_text()
    n = len(digest.rows)
    w.title(t(f"关于{year + '年度' if year else ''}政府信息公开工作年度报告检查情况的通报",
              f"Circular on the check of the {year + ' ' if year else ''}annual reports on government information "
              "disclosure"))
    w.para(t("（草稿）", "(draft)"), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.para(t("【草稿说明：本稿由 gkcheck 根据自动检查结果生成，数字、排名和问题均来自 summary.xlsx。"
             "自动检查可能误判，印发前请逐项核对，补充和修改后删除本段。】",
             "[Note on this draft: made by gkcheck from the automatic checks; the numbers, ranking and problems "
             "are those of summary.xlsx. Automatic checks can be wrong: verify each item, edit, and delete this "
             "note before sending.]"), italic=True)
    w.para(t("各有关单位：", "To the bodies concerned:"), indent=False)
    w.para(t(f"根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
             f"的要求，我们对 {n} 份{year + '年度' if year else ''}政府信息公开工作年度报告进行了检查。现将有关情况通报如下。",
             f"Under the Regulations on the Disclosure of Government Information and the official report format "
             f"(国办公开办函〔2021〕30号), {n} annual reports{' for ' + year if year else ''} were checked. "
             "The findings follow."))

    # 一、总体情况
    w.heading(t("一、总体情况", "1. Overview"), 1)
    for line in digest.lines(lang):
        w.para(line)
    w.para(t("按等级统计如下：", "By grade:"))
    w.table([t("等级", "Grade"), t("报告数", "Reports"), t("占比（%）", "Share (%)")], digest.grades(lang), (40, 30, 30))
    counts = [t("报告数", "Reports"), t("平均得分", "Average score"), t("未通过", "Failing")]
    w.para(t("按层级统计如下：", "By level:"))
    w.table([t("层级", "Level"), *counts], digest.levels(lang), (50, 30, 30, 30))
    if digest.has_regions():
        w.para(t("按地区统计如下：", "By region:"))
        w.table([t("地区", "Region"), *counts], digest.regions(lang), (60, 30, 30, 30))

    # 二、检查排名
    w.heading(t("二、检查排名", "2. Ranking"), 1)
    ranked = [r for r in digest.rows if digest.rank_of(r)]
    names = pick(lang, "、", ", ")
    w.para(t("检查满分 100 分，按得分从高到低排列；可判断的规则不足六成的报告不评等级（未评级），不参加排名。完整排名见附件1。",
             "Scores are out of 100, highest first; reports where under 60% of the rules could be judged are not "
             "graded and not ranked. The ranking is in annex 1."))
    if ranked:
        k = min(10, max(1, len(ranked) // 2))
        w.para(t(f"得分前 {k} 名：{names.join(_agency_score(r, lang) for r in ranked[:k])}。",
                 f"The first {k}: {names.join(_agency_score(r, lang) for r in ranked[:k])}."))
        if len(ranked) > k:
            w.para(t(f"得分后 {k} 名：{names.join(_agency_score(r, lang) for r in ranked[-k:])}。",
                     f"The last {k}: {names.join(_agency_score(r, lang) for r in ranked[-k:])}."))

    # 三、存在的主要问题
    w.heading(t("三、存在的主要问题", "3. The main problems"), 1)
    if not digest.top:
        w.para(t("本次检查未发现问题。", "No problem was found."))
    for i, p in enumerate(digest.top):
        number = f"（{_NUMBERS[i]}）" if i < len(_NUMBERS) else f"（{i + 1}）"
        w.heading(t(f"{number}{p.title}", f"({i + 1}) {p.title}"), 2)
        text = t(f"共有 {p.reports} 份报告（占 {p.share}%）存在此问题（规则 {p.rule_id}，共 {p.findings} 处）。",
                 f"{p.reports} reports ({p.share}%) have this problem (rule {p.rule_id}, {p.findings} findings).")
        if p.example:
            text += t(f"如，{digest.example_text(p, lang)}。", f" For example, {digest.example_text(p, lang)}.")
        w.para(text)
        w.para(t(f"涉及：{digest.agencies_text(p, lang)}。", f"Concerned: {digest.agencies_text(p, lang)}."))

    # 四、各单位存在的问题
    w.heading(t("四、各单位存在的问题", "4. Problems of each body"), 1)
    listed = list(digest.listed.values())
    with_problems = sum(1 for r in digest.rows if r.result and ((r.result.get("errors") or 0)
                                                                + (r.result.get("warnings") or 0)
                                                                + (r.result.get("infos") or 0)))
    if not listed:
        w.para(t("各单位的报告均未发现问题。", "No body's report has a problem."))
    else:
        w.para(t(f"有问题的报告共 {with_problems} 份，各单位存在的具体问题及其在报告中的位置见附件2。",
                 f"{with_problems} reports have problems; each body's problems and where they are: annex 2."))

    # 五、下一步工作要求
    w.heading(t("五、下一步工作要求", "5. What is required next"), 1)
    w.para(t("【请在此填写整改要求、整改时限和报送方式，例如：请上述单位对照问题清单逐项整改，于×月×日前更新已发布的年度报告，"
             "并将整改情况报送……】",
             "[Write the requirements here: what to correct, by when, and how to report back.]"))
    w.para("")
    w.para(t("【发文单位】", "[Issuing office]"), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    w.para(t(f"{digest.day.year}年{digest.day.month}月{digest.day.day}日", digest.day.isoformat()), indent=False,
           align=WD_ALIGN_PARAGRAPH.RIGHT)
    _annexes(w, digest, listed, with_problems)
    w.save(path)


def _agency_score(r: Any, lang: str) -> str:
    score = (r.result or {}).get("score")
    return pick(lang, f"{r.meta.get('agency') or '—'}（{score}）", f"{r.meta.get('agency') or '—'} ({score})")


def _annexes(w: _Writer, digest: Digest, listed: list[Any], with_problems: int) -> None:
    """附件1: the ranking; 附件2: each listed body's problems, one row each (in 五号, on new pages)."""
    t, lang = w.t, w.lang
    w.page_break()
    w.para(t("附件1", "Annex 1"), indent=False)
    w.title(t("检查排名", "Ranking"))
    rows = [[digest.rank_of(r) or "—", r.meta.get("agency") or "", r.meta.get("region") or "",
             (r.result or {}).get("score"), grade_text((r.result or {}).get("grade"), lang)] for r in digest.rows]
    if len(rows) > RANKING_ROWS:
        half = RANKING_ROWS // 2
        w.para(t(f"共 {len(rows)} 份报告，以下列出前 {half} 名和后 {half} 名，完整排名见 summary.xlsx 的“排名”表。",
                 f"{len(rows)} reports: the first and the last {half} are listed; the full ranking is in "
                 "summary.xlsx (sheet Ranking)."))
        rows = [*rows[:half], ["……", "", "", None, ""], *rows[-half:]]
    w.table([t("名次", "Rank"), t("机关", "Agency"), t("地区", "Region"), t("得分", "Score"), t("等级", "Grade")],
            rows, (16, 70, 40, 14, 16))
    w.page_break()
    w.para(t("附件2", "Annex 2"), indent=False)
    w.title(t("各单位存在的问题清单", "Problems of each body"))
    if with_problems > len(listed):
        w.para(t(f"有问题的报告共 {with_problems} 份，以下列出得分最低的 {len(listed)} 份，其余见 summary.xlsx 的“全部问题”表。",
                 f"{with_problems} reports have problems; the {len(listed)} lowest-scoring are listed, the others "
                 "are in summary.xlsx (sheet All findings)."))
    table_rows: list[list[Any]] = []
    for i, item in enumerate(listed, 1):
        r = item.row
        res = r.result or {}
        agency = r.meta.get("agency") or t("（未识别的机关）", "(unknown body)")
        year = r.meta.get("year")
        head = t(f"{i}. {agency}" + (f"（{year}年度）" if year else "") + f"\n得分 {res.get('score')}，"
                 f"{grade_text(res.get('grade'), lang)}" + (f"，第 {item.rank} 名" if item.rank else ""),
                 f"{i}. {agency}" + (f" ({year})" if year else "") + f"\nscore {res.get('score')}, "
                 f"{grade_text(res.get('grade'), lang)}" + (f", rank {item.rank}" if item.rank else ""))
        for j, (_rule_id, severity, message, at) in enumerate(item.findings, 1):
            table_rows.append([head if j == 1 else "", f"{j}. [{severity}] {message}", at])
        if item.more:
            table_rows.append(["", t(f"另有 {item.more} 个问题，见 summary.xlsx 的“全部问题”表。",
                                     f"{item.more} more problems: see summary.xlsx (sheet All findings)."), ""])
    w.table([t("单位", "Body"), t("问题", "Problem"), t("位置", "Where")], table_rows, (38, 80, 38))
