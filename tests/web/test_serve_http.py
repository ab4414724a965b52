"""``gkcheck serve`` over HTTP: the JSON API answers what ``gkcheck check --format json`` prints, bad
files get the CLI's message, uploads over the size bound are refused while streaming (413, in
Chinese), several uploads at once all come back right, report text is escaped on the page,
security headers are on every answer, and nothing of an upload is left on disk."""

from __future__ import annotations

import html
import http.client
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from web_helpers import CLEAN, DEFECTIVE, Reply, Served, child_env, load, multipart

from checker.web import pages

NOT_A_REPORT = "这是一份会议通知，请各单位准时参加。\n".encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
SCRIPT = "<script>alert(1)</script>"


def cli(tmp_path: Path, name: str, data: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m checker NAME ARGS`` in a folder holding the file (so that ``source`` is the bare name)."""
    (tmp_path / name).write_bytes(data)
    return subprocess.run([sys.executable, "-m", "checker", name, "--no-config", *args], check=False, cwd=tmp_path,
                          env=child_env(), capture_output=True, text=True, timeout=300)


def error_page_message(page: str) -> str:
    found = re.search(r'<p class="gk-error-text">(.*?)</p>', page, re.DOTALL)
    assert found, page[:2000]
    return html.unescape(found.group(1))


def test_healthz_and_security_headers(clean_served: Served) -> None:
    reply = clean_served.request("GET", "/healthz")
    assert reply.status == 200 and reply.json()["status"] == "ok"
    for path in ("/", "/healthz"):
        headers = clean_served.request("GET", path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_page_is_self_contained(clean_served: Served) -> None:
    page = clean_served.request("GET", "/").text
    assert "把报告文件拖到这里" in page and 'action="/check"' in page and 'name="file"' in page
    # nothing from elsewhere: no absolute address, no inline script
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js" defer>']
    for name, kind in (("app.js", "javascript"), ("page.css", "css")):
        reply = clean_served.request("GET", f"/static/{name}")
        assert reply.status == 200 and kind in reply.headers["content-type"]
        assert "http://" not in reply.text and "https://" not in reply.text


def test_api_answers_the_cli_json(clean_served: Served, tmp_path: Path) -> None:
    data = DEFECTIVE.read_bytes()
    reply = clean_served.post("/api/check", (DEFECTIVE.name, data))
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    done = cli(tmp_path, DEFECTIVE.name, data, "--format", "json")
    assert done.returncode == 1, done.stderr
    assert reply.json() == json.loads(done.stdout)


def test_api_word_file_and_overrides(clean_served: Served, defective_docx: bytes) -> None:
    reply = clean_served.post("/api/check", ("2024年报.docx", defective_docx),
                              {"year": "2024", "published": "2025-01-20", "agency_kind": "department",
                               "agency_level": "prefectural"})
    assert reply.status == 200, reply.text
    [result] = reply.json()["results"]
    assert result["source"] == "2024年报.docx"
    assert result["report"] == {**result["report"], "year": 2024, "published": "2025-01-20", "kind": "department",
                                "level": "prefectural"}
    assert {f["rule_id"] for f in result["findings"]} >= {"GK-T3-010", "GK-S-001"}
    assert "GK-D-001" not in {f["rule_id"] for f in result["findings"]}  # published in time now


@pytest.mark.parametrize("fields, phrase", [
    ({"year": "abc"}, "“报告年度”应为 2008 至 2100 之间的年份"),
    ({"published": "2025-13-01"}, "不是有效日期，应写作 YYYY-MM-DD"),
    ({"agency_kind": "ministry"}, "“机关类型”应为"),
])
def test_api_bad_fields(clean_served: Served, fields: dict[str, str], phrase: str) -> None:
    reply = clean_served.post("/api/check", (CLEAN.name, CLEAN.read_bytes()), fields)
    assert reply.status == 400 and phrase in reply.json()["error"]


@pytest.mark.parametrize("name, data", [("通知.txt", NOT_A_REPORT), ("scan.png", PNG), ("empty.docx", b"")])
def test_not_a_report_gets_the_cli_message(clean_served: Served, tmp_path: Path, name: str, data: bytes) -> None:
    done = cli(tmp_path, name, data)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    cli_message = done.stderr.strip()
    assert cli_message.startswith(f"无法读取 {name}：")
    api = clean_served.post("/api/check", (name, data))
    assert api.status == 422
    assert f"无法读取 {name}：{api.json()['error']}" == cli_message
    page = clean_served.post("/check", (name, data))
    assert page.status == 422 and page.headers["content-type"].startswith("text/html")
    assert error_page_message(page.text) == cli_message
    assert "Traceback" not in page.text and "把报告文件拖到这里" in page.text  # the next file can be dropped


def test_no_file_and_malformed_requests(clean_served: Served) -> None:
    reply = clean_served.post("/api/check", None, {"year": "2024"})
    assert reply.status == 400 and "没有收到文件" in reply.json()["error"]
    reply = clean_served.request("POST", "/api/check", b"year=2024", {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400 and "multipart/form-data" in reply.json()["error"]
    body, ctype = multipart(("a.json", CLEAN.read_bytes()))
    reply = clean_served.request("POST", "/api/check", body[: len(body) // 2], {"Content-Type": ctype})
    assert reply.status in (400, 422) and "error" in reply.json()
    page = clean_served.request("POST", "/check", body[: len(body) // 2], {"Content-Type": ctype})
    assert page.status in (400, 422) and "gk-error-text" in page.text


def test_oversized_upload_is_refused_while_streaming(clean_served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKCHECK_LIMIT_INPUT_MB", "1")
    big = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    reply = clean_served.post("/api/check", ("big.json", big))
    assert reply.status == 413
    message = reply.json()["error"]
    assert "文件大小超出上限" in message and "上限 1 MB" in message and "GKCHECK_LIMIT_INPUT_MB" in message
    page = clean_served.post("/check", ("big.json", big))
    assert page.status == 413 and "文件大小超出上限" in error_page_message(page.text)
    # without a Content-Length (chunked): the bound is counted while the body arrives
    body, ctype = multipart(("big.json", big))
    conn = http.client.HTTPConnection(clean_served.host, clean_served.port, timeout=60)
    conn.request("POST", "/api/check", body=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                 headers={"Content-Type": ctype}, encode_chunked=True)
    resp = conn.getresponse()
    assert resp.status == 413 and "文件大小超出上限" in json.loads(resp.read())["error"]
    conn.close()
    # just under the bound is accepted
    ok = clean_served.post("/api/check", (CLEAN.name, CLEAN.read_bytes()))
    assert ok.status == 200


def test_page_limit_message_matches_the_server(clean_served: Served) -> None:
    page = clean_served.request("GET", "/").text
    assert "data-too-large=" in page and "文件大小超出上限" in page and "{size}" in page


def test_four_uploads_at_once(clean_served: Served, defective_docx: bytes, defective_pdf: bytes) -> None:
    uploads = [(CLEAN.name, CLEAN.read_bytes()), (DEFECTIVE.name, DEFECTIVE.read_bytes()),
               ("report.docx", defective_docx), ("report.pdf", defective_pdf)]
    replies: dict[int, Reply] = {}

    def send(i: int) -> None:
        replies[i] = clean_served.post("/api/check", uploads[i])

    start = time.monotonic()
    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(uploads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    elapsed = time.monotonic() - start
    assert sorted(replies) == [0, 1, 2, 3]
    results = {i: r.json()["results"][0] for i, r in replies.items() if r.status == 200}
    assert len(results) == 4, {i: r.text[:300] for i, r in replies.items() if r.status != 200}
    assert [results[i]["source"] for i in range(4)] == [name for name, _ in uploads]
    assert results[0]["score"]["overall"] == 100.0 and results[0]["passed"]
    for i in (1, 2, 3):
        assert results[i]["report"]["agency"] == "青禾县市场监督管理局" and not results[i]["passed"]
    print(f"4 uploads at once (json, json, docx, pdf): {elapsed:.1f} s")


def test_report_text_is_escaped_on_the_page(clean_served: Served) -> None:
    doc = load(DEFECTIVE)
    doc["agency"]["name"] = f"青禾县{SCRIPT}局"
    doc["title"] = f"青禾县{SCRIPT}局2024年政府信息公开工作年度报告"
    data = json.dumps(doc, ensure_ascii=False).encode()
    page = clean_served.post("/check", (f"a{SCRIPT}.json", data))
    assert page.status == 200, page.text[:500]
    assert SCRIPT not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/app.js" defer>']
    api = clean_served.post("/api/check", ("a.json", data))
    assert api.json()["results"][0]["report"]["agency"] == f"青禾县{SCRIPT}局"  # data, served as JSON


def test_result_page_carries_the_downloads(clean_served: Served, defective_docx: bytes) -> None:
    import base64
    import io

    import docx

    page = clean_served.post("/check", ("年报.docx", defective_docx)).text
    found = re.findall(r'href="data:[^"]*?;base64,([^"]+)" download="([^"]+)"', page)
    links = {name: base64.b64decode(b64) for b64, name in found}
    assert set(links) == {"年报-批注.docx", "年报-检查报告.html", "年报-检查结果.json"}
    annotated = docx.Document(io.BytesIO(links["年报-批注.docx"]))
    assert len(list(annotated.comments)) >= 8
    result = json.loads(links["年报-检查结果.json"])
    assert result["results"][0]["source"] == "年报.docx"
    assert "问题清单" in links["年报-检查报告.html"].decode()
    # a file other than Word: no annotated copy, and the page says why
    page = clean_served.post("/check", (DEFECTIVE.name, DEFECTIVE.read_bytes())).text
    assert "-批注.docx" not in page and "带批注的副本只能为 Word" in page


def test_unknown_paths_and_methods(clean_served: Served) -> None:
    reply = clean_served.request("GET", "/nothing")
    assert reply.status == 404 and "找不到这个页面" in reply.text
    reply = clean_served.request("GET", "/check")
    assert reply.status == 405 and "不支持这种请求方式" in reply.text
    reply = clean_served.request("GET", "/api/nothing")
    assert reply.status == 404 and reply.json()["error"]
    assert clean_served.request("GET", "/static/../conftest.py").status == 404


def test_dns_rebinding_host_is_refused(clean_served: Served) -> None:
    assert clean_served.request("GET", "/healthz", headers={"Host": "evil.example:8765"}).status == 421
    assert clean_served.request("GET", "/healthz", headers={"Host": f"localhost:{clean_served.port}"}).status == 200


def test_internal_error_shows_no_details(clean_served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.web.app as app_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret /home/officer/机密.docx")

    monkeypatch.setattr(app_module, "check_file", broken)
    page = clean_served.post("/check", (CLEAN.name, CLEAN.read_bytes()))
    assert page.status == 500 and "gkcheck 内部错误" in page.text
    assert "secret" not in page.text and "RuntimeError" not in page.text and "Traceback" not in page.text
    api = clean_served.post("/api/check", (CLEAN.name, CLEAN.read_bytes()))
    assert api.status == 500 and "secret" not in api.text and "内部错误" in api.json()["error"]


def test_file_names_are_made_safe() -> None:
    from checker.web.upload import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\年报.docx") == "年报.docx"
    assert safe_name("\x00\x1b[31m.docx") == "__[31m.docx"
    assert safe_name("..") == "report" and safe_name("") == "report"
    long = safe_name("长" * 500 + ".docx")
    assert long.endswith(".docx") and len(long) <= 120


def test_error_page_escapes_the_message() -> None:
    page = pages.message_page(422, "无法检查", f"无法读取 {SCRIPT}.txt：……")
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_an_upload_cut_off_by_the_browser_leaves_nothing(served: Served, caplog: pytest.LogCaptureFixture) -> None:
    import socket

    body, ctype = multipart(("a.json", DEFECTIVE.read_bytes() * 50))
    with socket.create_connection((served.host, served.port)) as sock:
        sock.sendall(f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
        time.sleep(0.5)
    deadline = time.monotonic() + 10
    while served.leftovers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served.leftovers() == []
    assert "Internal error" not in caplog.text
