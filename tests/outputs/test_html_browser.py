"""The HTML report in a real browser: headless Chromium shows the score and the findings and runs no
script smuggled in through the report's text. A screenshot is written for a person to look at
(kept in the pytest temporary folder)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DEFECTIVE, Runner

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                "(Debian: apt-get install -y chromium fonts-noto-cjk)")
INJECTED = "<script>document.title='PWNED'</script>"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def title_of(dom: str) -> str:
    found = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert found, dom[:500]
    return html.unescape(found.group(1))


def test_defective_report_renders_with_score_and_findings(gk: Runner, tmp_path: Path) -> None:
    page = tmp_path / "defective.html"
    gk(DEFECTIVE, "--output", f"html={page}", "--exit-zero")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    score = json.loads(gk(DEFECTIVE, "--format", "json")[1])["results"][0]["score"]["overall"]
    assert f'data-score="{score:.1f}"' in dom and "等级：合格" in dom and "未通过" in dom
    for text in ("问题清单", "GK-T3-010", "第一项加第二项之和为 14", "GK-S-001", "报告缺少“六、其他需要报告的事项”部分",
                 "如何修改", "三、收到和处理政府信息公开申请情况"):
        assert text in dom, text
    assert title_of(dom).startswith("青禾县市场监督管理局")
    shot = tmp_path / "defective.png"
    chromium(tmp_path, "--window-size=1000,2400", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000


def test_script_in_a_report_is_not_executed(gk: Runner, tmp_path: Path) -> None:
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["agency"]["name"] = f"青禾县{INJECTED}局"
    doc["sections"]["problems"]["text"] = (f"存在的问题{INJECTED}<img src=x onerror=\"document.title='PWNED2'\">。"
                                          "改进措施：加强审核。")
    report = tmp_path / "hostile.json"
    report.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page = tmp_path / "hostile.html"
    gk(report, "--output", f"html={page}", "--exit-zero")
    dom = chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri()).stdout
    title = title_of(dom)
    assert "PWNED" not in title.replace(INJECTED, "")
    assert title.startswith(f"青禾县{INJECTED}局")
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
