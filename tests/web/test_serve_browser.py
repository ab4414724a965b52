"""``gkcheck serve`` end to end in a real browser: headless Chromium (Debian's, never a downloaded one)
driven by Playwright. The officer's path: open the page, drop a report (the clean and the defective
examples, a Word file and a PDF built from a document), read the score and the findings, download
the annotated Word file; an oversized file and a file that is not a report get their messages.

Screenshots and the time from upload to result go to ``$GKCHECK_SCREENSHOTS`` when set (else the
test's temporary folder): ``timings.json`` and one PNG per step, for a person to look at.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from web_helpers import CLEAN, DEFECTIVE, child_env, load, pdf_file, word_file

from checker import check

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install -y "
                                "chromium fonts-noto-cjk)")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]
LIMIT_MB = 2
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("GKCHECK_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def timings(shots: Path) -> Iterator[dict[str, float]]:
    found: dict[str, float] = {}
    yield found
    (shots / "timings.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\nupload → result (s): " + ", ".join(f"{k} {v:.2f}" for k, v in found.items()))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``gkcheck serve --port 0`` as the officer starts it (the upload bound lowered to keep the test small)."""
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env(GKCHECK_LIMIT_INPUT_MB=str(LIMIT_MB)))
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "gkcheck serve printed nothing"
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found and "请在浏览器中打开" in line, line
        yield found.group(0).rstrip("/")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        assert "Traceback" not in (err or "")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        yield pg
    finally:
        assert dialogs == [], "a script ran from report text"
        context.close()


def upload(page: Any, path: Path, wait: str = ".gk-result") -> float:
    """Pick a file on the start page as an officer does; seconds until the result is shown."""
    start = time.monotonic()
    page.set_input_files("#gk-file", str(path))
    page.wait_for_selector(wait, timeout=120_000)
    return time.monotonic() - start


def score_of(page: Any) -> str:
    return page.inner_text(".score-value")


def test_examples(page: Any, server: str, shots: Path, timings: dict[str, float]) -> None:
    page.goto(server + "/")
    assert page.title() == "政府信息公开工作年度报告 合规检查"
    assert page.is_visible("text=把报告文件拖到这里") and not page.is_visible("#gk-start")  # the drop zone, no extra button
    page.screenshot(path=str(shots / "1-upload-page.png"), full_page=True)
    timings["clean example (.json)"] = upload(page, CLEAN)
    assert score_of(page) == "100.0" and page.is_visible("text=没有发现问题。")
    page.screenshot(path=str(shots / "2-clean-result.png"))
    page.click("text=检查另一份报告")
    timings["defective example (.json)"] = upload(page, DEFECTIVE)
    score = check(load(DEFECTIVE)).score.overall  # the defective example's score as the rules give it
    assert score_of(page) == f"{score:.1f}" and page.inner_text(".verdict") == "未通过"
    for text in ("问题清单", "GK-T3-010", "报告缺少“六、其他需要报告的事项”部分", "如何修改", "依据",
                 "三、收到和处理政府信息公开申请情况"):
        assert page.locator(f"text={text}").first.is_visible(), text
    assert page.locator("td.flag").count() >= 2  # the faulty cells are marked in the redrawn table
    assert not page.is_visible("text=下载带批注的 Word 文件")  # only for Word files
    assert page.is_visible("text=带批注的副本只能为 Word")
    page.screenshot(path=str(shots / "3-defective-result.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("text=下载检查结果（JSON）")
    data = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert dl.value.suggested_filename == "defective-report-2024-检查结果.json"
    assert data["results"][0]["score"]["overall"] == score


def test_word_file_and_annotated_download(page: Any, server: str, shots: Path, timings: dict[str, float],
                                          tmp_path: Path) -> None:
    original = tmp_path / "2024年政府信息公开工作年度报告.docx"
    original.write_bytes(word_file(load(DEFECTIVE)))
    before = original.read_bytes()
    page.goto(server + "/")
    timings["Word file (.docx)"] = upload(page, original)
    assert page.inner_text("h1") == "青禾县市场监督管理局" and "GK-T3-010" in page.inner_text(".findings")
    page.screenshot(path=str(shots / "4-word-result.png"))
    with page.expect_download() as dl:
        page.click("text=下载带批注的 Word 文件")
    assert dl.value.suggested_filename == "2024年政府信息公开工作年度报告-批注.docx"
    annotated = docx.Document(io.BytesIO(Path(dl.value.path()).read_bytes()))
    texts = [c.text for c in annotated.comments]
    shown = page.locator(".finding").count()
    assert sum(t.startswith("gkcheck 检查结果：得分") for t in texts) == 1
    assert sum(t[:1].isdigit() for t in texts) == shown
    assert original.read_bytes() == before
    with page.expect_download() as dl:
        page.click("text=下载检查报告（网页，可打印）")
    assert "问题清单" in Path(dl.value.path()).read_text(encoding="utf-8")


def test_pdf_file(page: Any, server: str, shots: Path, timings: dict[str, float], tmp_path: Path) -> None:
    pdf = tmp_path / "年报.pdf"
    pdf.write_bytes(pdf_file(load(DEFECTIVE)))
    page.goto(server + "/")
    timings["PDF"] = upload(page, pdf)
    assert page.inner_text("h1") == "青禾县市场监督管理局" and page.locator(".finding").count() >= 5
    page.screenshot(path=str(shots / "5-pdf-result.png"))


def test_oversized_and_not_a_report(page: Any, browser: Any, server: str, shots: Path, tmp_path: Path) -> None:
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (LIMIT_MB * 1024 * 1024 + 1))
    page.goto(server + "/")
    page.set_input_files("#gk-file", str(big))
    message = page.inner_text("#gk-client-error")
    assert "上传的文件 扫描件.pdf：文件大小超出上限" in message and f"上限 {LIMIT_MB} MB" in message
    assert page.url == server + "/"  # refused before sending anything
    page.screenshot(path=str(shots / "6-oversized.png"))
    # without the page's script the server refuses it (413) while the file streams in
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        plain = context.new_page()
        plain.goto(server + "/")
        plain.set_input_files("#gk-file", str(big))
        plain.click("#gk-start")
        plain.wait_for_selector("#gk-server-error")
        assert plain.get_attribute("#gk-server-error", "data-status") == "413"
        assert "文件大小超出上限" in plain.inner_text(".gk-error-text")
    finally:
        context.close()
    notice = tmp_path / "会议通知.txt"
    notice.write_text("关于召开年度工作会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "checker", notice.name, "--no-config"], cwd=tmp_path,
                          env=child_env(), capture_output=True, text=True, timeout=120, check=False)
    page.goto(server + "/")
    upload(page, notice, wait="#gk-server-error")
    assert page.inner_text(".gk-error-text") == done.stderr.strip()
    assert page.is_visible("text=把报告文件拖到这里")  # the next file can be dropped at once
    page.screenshot(path=str(shots / "7-not-a-report.png"))


def test_report_text_never_runs_as_script(page: Any, server: str, tmp_path: Path) -> None:
    doc = load(DEFECTIVE)
    doc["agency"]["name"] = f"青禾县{SCRIPT}局"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page.goto(server + "/")
    upload(page, hostile)
    assert page.inner_text("h1") == f"青禾县{SCRIPT}局"
    page.wait_for_timeout(500)
    # the page fixture asserts that no dialog was opened
