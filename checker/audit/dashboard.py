"""``audit.html``: a self-contained dashboard (inline SVG charts, a few lines of inline JS, no CDN).

Every value that comes from a report (agency names, paths, messages) is HTML-escaped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from html import escape
from statistics import mean
from typing import TYPE_CHECKING, Any

from checker.loader import RuleSet
from checker.messages import pick, term
from checker.render.configuration import configuration_lines

if TYPE_CHECKING:
    from checker.audit.outputs import Table
    from checker.audit.runner import AuditSummary, Row

TABLE_LIMIT = 5000
_BLUE, _RED, _GREEN, _GREY = "#2f6db3", "#c0392b", "#2e8b57", "#8a94a6"


def _rows(table: Table) -> Sequence[list[Any]]:
    """The rows of a table the dashboard reads (made as lists in memory, never streamed)."""
    assert isinstance(table.rows, Sequence), table.name
    return table.rows


def render_dashboard(summary: AuditSummary, tabs: Sequence[Table], ruleset: RuleSet) -> str:
    """The dashboard HTML."""
    lang = summary.options.lang
    checked = summary.checked
    scores = [r.result["score"] for r in checked if r.result and r.result["score"] is not None]
    ranking, rules, yoy, problems = tabs[:4]
    config = configuration_lines(ruleset, lang) or [pick(lang, "未使用配置文件（运行全部默认规则）。",
                                                      "No configuration file (every default rule runs).")]
    parts = [
        _cards(summary, scores, len(_rows(problems)), lang),
        _figure(pick(lang, "得分分布", "Score distribution"), _histogram(scores, 0, 100, 10, _BLUE)),
        _figure(pick(lang, "最常见的问题（未通过的报告数）", "Most frequent failures (reports failing)"),
                _hbars([(f"{row[0]} {row[1]}", row[4]) for row in _rows(rules)[:15]], _RED, integer=True)),
        _figure(pick(lang, "各层级平均得分", "Average score by level"),
                _hbars(_average_by(checked, lambda r: _level(r.meta.get("level"), lang)), _BLUE)),
        _figure(pick(lang, "各地区平均得分（报告最多的 15 个地区）", "Average score by region (15 regions with most reports)"),
                _hbars(_average_by(checked, lambda r: r.meta.get("region") or pick(lang, "（未知）", "(unknown)"))[:15],
                       _BLUE)),
        _figure(pick(lang, "与上年度相比的得分变化（配对报告）", "Score change against the previous year (paired reports)"),
                _histogram([row[4] for row in yoy.rows if row[4] is not None], -50, 50, 10, _GREEN, signed=True)),
        _region_table(checked, lang),
        _ranking_table(ranking, lang),
        _problem_table(problems, lang),
    ]
    title = pick(lang, "政府信息公开工作年度报告 批量检查汇总", "Annual disclosure reports — audit summary")
    return f"""<!DOCTYPE html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style></head><body>
<h1>{escape(title)}</h1>
<p class="sub">{escape(pick(lang, "规则版本", "Rule sets"))}: {escape(ruleset.version)}</p>
<div class="config">{''.join(f'<p class="sub">{escape(line)}</p>' for line in config)}</div>
{''.join(parts)}
<script>{_JS}</script>
</body></html>
"""


def _cards(summary: AuditSummary, scores: list[float], problems: int, lang: str) -> str:
    withheld = sum(1 for r in summary.checked if r.result and r.result.get("grade") == "未评级")
    partly = sum(1 for r in summary.checked if r.result and r.result.get("notices"))
    items = [(pick(lang, "已检查报告", "Reports checked"), f"{len(summary.checked):,}"),
             (pick(lang, "未通过", "Failing"), f"{summary.failed:,}"),
             (pick(lang, "未评级（可判断规则不足六成）", "Not graded (under 60% judged)"), f"{withheld:,}"),
             (pick(lang, "有读取提示的报告", "Reports with reading notices"), f"{partly:,}"),
             (pick(lang, "平均得分", "Average score"), f"{mean(scores):.1f}" if scores else "—"),
             (pick(lang, "跨年度配对", "Year pairs"), f"{sum(1 for r in summary.checked if r.previous):,}"),
             (pick(lang, "输入问题", "Input problems"), f"{problems:,}"),
             (pick(lang, "冲突", "Conflicts"), f"{len(summary.conflicts):,}")]
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="v">{escape(v)}</div><div class="k">{escape(k)}</div></div>'
        for k, v in items) + "</div>"


def _figure(title: str, svg: str) -> str:
    return f'<section class="fig"><h2>{escape(title)}</h2>{svg}</section>'


def _level(level: str | None, lang: str) -> str:
    if not level:
        return pick(lang, "（未知）", "(unknown)")
    return term("level", level, lang)


def _average_by(rows: list[Row], group: Any) -> list[tuple[str, float, int]]:
    acc: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.result and r.result["score"] is not None:
            acc[group(r)].append(r.result["score"])
    out = [(k, round(mean(v), 1), len(v)) for k, v in acc.items()]
    return sorted(out, key=lambda x: (-x[2], x[0]))


def _histogram(values: list[float], lo: float, hi: float, step: float, color: str, signed: bool = False) -> str:
    if not values:
        return '<p class="empty">—</p>'
    nbins = int((hi - lo) / step)
    counts = Counter(min(max(int((v - lo) // step), 0), nbins - 1) for v in values)
    top = max(counts.values())
    w, h, pad = 640, 220, 36
    bw = (w - 2 * pad) / nbins
    bars = []
    for i in range(nbins):
        c = counts.get(i, 0)
        bh = (h - 2 * pad) * c / top
        x, y = pad + i * bw, h - pad - bh
        start = lo + i * step
        label = f"{start:+g}" if signed else f"{start:g}"
        bars.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{bh:.1f}" fill="{color}">'
                    f'<title>{escape(label)}–{start + step:g}: {c}</title></rect>'
                    f'<text x="{x + bw / 2:.1f}" y="{h - pad + 14}" class="ax">{escape(label)}</text>'
                    + (f'<text x="{x + bw / 2:.1f}" y="{y - 4:.1f}" class="n">{c}</text>' if c else ""))
    return (f'<svg viewBox="0 0 {w} {h}" class="chart" role="img">'
            f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#999"/>{"".join(bars)}</svg>')


def _hbars(items: Sequence[tuple[Any, ...]], color: str, integer: bool = False) -> str:
    if not items:
        return '<p class="empty">—</p>'
    w, row, left = 640, 22, 250
    h = row * len(items) + 10
    top = max(float(i[1]) for i in items) or 1.0
    out = []
    for n, item in enumerate(items):
        label, value = str(item[0]), float(item[1])
        extra = f" (n={item[2]})" if len(item) > 2 else ""
        y = 5 + n * row
        bw = (w - left - 70) * value / top
        shown = f"{int(value)}" if integer else f"{value:.1f}"
        short = label if len(label) <= 22 else label[:21] + "…"
        out.append(f'<text x="{left - 6}" y="{y + 15}" class="lb">{escape(short)}<title>{escape(label)}</title></text>'
                   f'<rect x="{left}" y="{y + 3}" width="{bw:.1f}" height="{row - 6}" fill="{color}"/>'
                   f'<text x="{left + bw + 4:.1f}" y="{y + 15}" class="n2">{escape(shown + extra)}</text>')
    return f'<svg viewBox="0 0 {w} {h}" class="chart" role="img">{"".join(out)}</svg>'


def _ranking_table(table: Table, lang: str) -> str:
    rows = _rows(table)
    note = ""
    if len(rows) > TABLE_LIMIT:
        rows = rows[-TABLE_LIMIT:]
        note = pick(lang, f"只列出得分最低的 {TABLE_LIMIT} 份报告；完整排名见 summary.xlsx 和 ranking.csv。",
                  f"Only the {TABLE_LIMIT} lowest-scoring reports are listed; the full ranking is in summary.xlsx and "
                  "ranking.csv.")
    from checker.audit.outputs import (
        AGENCY,
        COVERAGE,
        ERRORS,
        GRADE,
        LEVEL,
        NOTICES,
        PASSED,
        RANK,
        REGION,
        RESULT,
        SCORE,
        WARNINGS,
        YEAR,
    )
    from checker.audit.pages import page_of

    cols = [RANK, AGENCY, YEAR, LEVEL, REGION, SCORE, GRADE, COVERAGE, NOTICES, ERRORS, WARNINGS, PASSED]
    numeric = (RANK, YEAR, SCORE, COVERAGE, NOTICES, ERRORS, WARNINGS)
    head = "".join(f'<th data-n="{int(i in numeric)}">{escape(table.headers[i])}</th>' for i in cols)
    body = []
    for r in rows:
        cells = []
        for i in cols:
            v = "" if r[i] is None else r[i]
            cells.append(f'<td>{escape(str(v))}</td>')
        link = (f'<td><a href="{escape(page_of(r[RESULT]), quote=True)}">{escape(pick(lang, "查看", "view"))}</a> '
                f'<a class="raw" href="{escape(r[RESULT], quote=True)}">JSON</a></td>')
        cls = ' class="bad"' if r[PASSED] in ("否", "no") else ""
        body.append(f"<tr{cls}>{''.join(cells)}{link}</tr>")
    note += pick(lang, "“可判断规则占比”不足 60% 的报告不评等级（未评级），不参加排名；“读取提示”为原文中未能读出的内容条数。",
               " Reports where fewer than 60% of the rules could be judged are not graded (Not graded) and not "
               "ranked; 'Reading notices' counts what could not be read from the file.")
    return (f'<section><h2>{escape(pick(lang, "排名（点击表头排序）", "Ranking (click a header to sort)"))}</h2>'
            f'<p class="note">{escape(note)}</p><table class="sortable"><thead><tr>{head}'
            f'<th>{escape(pick(lang, "检查报告", "Report"))}</th></tr></thead><tbody>{"".join(body)}</tbody></table></section>')


def _region_table(rows: list[Row], lang: str) -> str:
    """Reports, average score, failing and not graded per region ("" when no report has a region: the manifest's
    ``region`` column or the report's own)."""
    if not any(r.meta.get("region") for r in rows):
        return ""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[str(r.meta.get("region") or pick(lang, "（未注明）", "(none given)"))].append(r)
    heads = [pick(lang, "地区", "Region"), pick(lang, "报告数", "Reports"), pick(lang, "平均得分", "Average score"),
             pick(lang, "最低得分", "Lowest score"), pick(lang, "未通过", "Failing"), pick(lang, "未评级", "Not graded")]
    body = []
    for name, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        scores = [r.result["score"] for r in members if r.result and r.result["score"] is not None]
        cells = [name, len(members), f"{mean(scores):.1f}" if scores else "—", f"{min(scores):g}" if scores else "—",
                 sum(1 for r in members if r.result and not r.result.get("passed")),
                 sum(1 for r in members if r.result and r.result.get("grade") == "未评级")]
        body.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th data-n="{int(i > 0)}">{escape(h)}</th>' for i, h in enumerate(heads))
    return (f'<section><h2>{escape(pick(lang, "按地区汇总（点击表头排序）", "By region (click a header to sort)"))}</h2>'
            f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></section>')


def _problem_table(table: Table, lang: str) -> str:
    if not table.rows:
        return ""
    body = "".join(f"<tr><td>{escape(str(a))}</td><td>{escape(str(b))}</td><td>{escape(str(c))}</td></tr>"
                   for a, b, c in _rows(table)[:1000])
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    return (f'<section><h2>{escape(pick(lang, "输入问题", "Input problems"))}</h2><table class="sortable">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>")


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px auto;max-width:1360px;
color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}.sub,.note{color:#666;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #dde;border-radius:6px;
padding:10px 16px;min-width:120px;background:#f7f9fc}.card .v{font-size:22px;font-weight:bold}.card .k{color:#555;
font-size:13px}
.fig{display:inline-block;vertical-align:top;width:660px;margin:8px 12px 16px 0}
svg.chart{width:100%;height:auto;font-size:11px}.ax,.n{text-anchor:middle;fill:#444}.lb{text-anchor:end;fill:#333}
.n2{fill:#333}
table{border-collapse:collapse;width:100%;font-size:13px;margin-bottom:24px}th,td{border:1px solid #dde;
padding:4px 6px;text-align:left}th{background:#eef2f7;cursor:pointer;position:sticky;top:0}tr.bad td{background:#fff4f2}
a.raw{color:#8a94a6;font-size:11px;margin-left:4px}
"""

_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],r=Array.from(b.rows),n=th.dataset.n==='1',d=th.dataset.d==='1'?-1:1;
r.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent;
if(n){a=parseFloat(a);c=parseFloat(c);a=isNaN(a)?-1e9:a;c=isNaN(c)?-1e9:c;return (a-c)*d;}
return a.localeCompare(c,'zh')*d;});th.dataset.d=d===1?'1':'0';r.forEach(function(x){b.appendChild(x);});});});
"""
