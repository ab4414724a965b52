"""The self-contained HTML report: content, highlighted cells, no external assets, escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import CLEAN, DEFECTIVE, Runner

XSS = "<script>alert(1)</script>"


class _Tags(HTMLParser):
    """Collects start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def hostile_report(tmp_path: Path) -> Path:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["agency"]["name"] = f"青禾县{XSS}局"
    doc["sections"]["problems"]["text"] = f"存在的问题{XSS}<img src=x onerror=alert(2)>。改进措施：加强。"
    doc["tables"]["requests"]["unavailable"]["unclear_after_correction"]["commercial"] = "<b onmouseover=alert(3)>/"
    path = tmp_path / f"report{XSS}.json".replace("/", "_")
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_html_report_content(gk: Runner, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    code, _, _ = gk(DEFECTIVE, "--output", f"html={out}", "--exit-zero")
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page" in page and "size: A4" in page
    assert "Noto Sans CJK SC" in page and "Source Han Sans SC" in page and "PingFang SC" in page
    assert "Microsoft YaHei" in page
    assert "青禾县市场监督管理局" in page and re.search(r'data-score="\d+\.\d"', page)
    for text in ("分类得分", "问题清单", "GK-T3-010", "依据", "如何修改", "第一项加第二项之和为 14",
                 "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议"):
        assert text in page, text
    # the failing cells of the balance rule are highlighted and link to their finding
    flagged = [a for t, a in tags(page) if t == "td" and "flag" in (a.get("class") or "")]
    assert len(flagged) >= 3
    assert any("sev-error" in (a.get("class") or "") for a in flagged)
    assert re.search(r'<td class="flag sev-error"[^>]*>12<sup class="refs"><a href="#f-0-\d+">', page)
    # the row of blank cells is highlighted as a warning
    assert re.search(r'<tr class="flag sev-warning"><th scope="row">（四）无法提供 3\.', page)


def test_html_is_self_contained_and_has_no_script(gk: Runner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    gk(DEFECTIVE, CLEAN, "--format", "html", "-o", out)
    page = out.read_text(encoding="utf-8")
    found = tags(page)
    assert not [t for t, _ in found if t in ("script", "link", "iframe", "object", "embed", "img")]
    assert not [a for _, a in found for k, v in a.items() if k in ("src", "href") and v and not v.startswith("#")]
    assert "default-src 'none'" in page
    assert page.count('<section class="report"') == 2


def test_every_report_value_is_escaped(gk: Runner, tmp_path: Path) -> None:
    path = hostile_report(tmp_path)
    out = tmp_path / "r.html"
    gk(path, "--output", f"html={out}", "--exit-zero")
    page = out.read_text(encoding="utf-8")
    found = tags(page)
    assert not [t for t, _ in found if t in ("script", "img", "b")]
    assert not [k for _, a in found for k in a if k.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b onmouseover=alert(3)&gt;/" in page


def test_markdown_and_html_in_english(gk: Runner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    gk(CLEAN, "--lang", "en", "--output", f"html={out}")
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "No problems found." in page and "By category" in page
