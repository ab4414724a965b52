"""Reports from the web: the fetcher (robots.txt, redirects, retries, bounds, charset, wrapper pages), ``gkcheck
check URL`` and ``gkcheck audit`` of URLs (stored versions, 304, --offline, GK-P-001), all against a site served
on 127.0.0.1 by the test (tests/gk_webserver.py) — never the internet."""

from __future__ import annotations

import copy
import csv
import json
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "zoo"))
from documents import make_document
from forms import docx_form, html_gbk, html_merged, pdf_form
from gk_webserver import Site

from checker.fetch import Fetcher, FetchError, NotModified, Page, Validators, attachment_link, read_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short bounds, so that the slow and failing cases take a second, not minutes."""
    monkeypatch.setenv("GKCHECK_LIMIT_FETCH_SECONDS", "1")
    monkeypatch.setenv("GKCHECK_LIMIT_FETCH_RETRIES", "2")


def _doc(seed: int) -> dict[str, Any]:
    return make_document(random.Random(seed), fmt="2021")


def _fetcher(**kw: Any) -> Fetcher:
    return Fetcher(delay=0, backoff=0.01, **kw)


# ----------------------------------------------------------------------------- the fetcher


def test_gbk_page_is_read_with_the_header_charset_and_names_its_url(site: Site) -> None:
    doc = _doc(1)
    _, body = html_gbk(doc, random.Random(1))
    url = site.put("/gk/2024.shtml", body, content_type="text/html; charset=GBK")
    got = read_url(url)
    assert got["agency"]["name"] == doc["agency"]["name"]
    assert got["tables"]["requests"]["new"]["total"] == doc["tables"]["requests"]["new"]["total"]
    assert got["source"]["url"] == url and got["source"]["fetched"].endswith("Z")
    ua = site.requests("/gk/2024.shtml")[0][2]["user-agent"]
    assert ua.startswith("gkcheck/") and "(+" in ua


def test_header_charset_outranks_a_wrong_meta(site: Site) -> None:
    doc = _doc(2)
    page = html_merged(doc, random.Random(2))[1].decode("utf-8").replace('<meta charset="utf-8">',
                                                                         '<meta charset="big5">')
    url = site.put("/r.html", page.encode("gb18030"), content_type="text/html; charset=gb18030")
    assert read_url(url)["agency"]["name"] == doc["agency"]["name"]


def test_redirects_are_followed_and_bounded(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _doc(3)
    target = site.put("/new/report.html", html_merged(doc, random.Random(3))[1])
    site.put("/old/report.html", location=target, status=301)
    with _fetcher() as f:
        page = f.fetch(site.url("/old/report.html"))
    assert isinstance(page, Page) and page.final_url == target and page.url == site.url("/old/report.html")
    site.put("/loop-a", location=site.url("/loop-b"))
    site.put("/loop-b", location=site.url("/loop-a"))
    monkeypatch.setenv("GKCHECK_LIMIT_REDIRECTS", "3")
    with _fetcher() as f:
        err = f.fetch(site.url("/loop-a"))
    assert isinstance(err, FetchError) and "重定向超过 3 次" in err.zh
    assert len(site.requests("/loop-a")) + len(site.requests("/loop-b")) == 4


def test_404_is_not_retried_and_500_is_retried_with_backoff(site: Site, quick: None) -> None:
    with _fetcher() as f:
        missing = f.fetch(site.url("/nothing.html"))
        site.put("/down.html", "x", status=500)
        down = f.fetch(site.url("/down.html"))
        site.put("/flaky.html", html_merged(_doc(4), random.Random(4))[1], statuses=[503, 500])
        flaky = f.fetch(site.url("/flaky.html"))
    assert isinstance(missing, FetchError) and missing.status == 404 and "不存在（HTTP 404）" in missing.zh
    assert len(site.requests("/nothing.html")) == 1
    assert isinstance(down, FetchError) and down.status == 500 and "重试后仍然失败" in down.zh
    assert len(site.requests("/down.html")) == 3  # 1 + GKCHECK_LIMIT_FETCH_RETRIES
    assert isinstance(flaky, Page) and len(site.requests("/flaky.html")) == 3


def test_slow_and_oversized_responses_are_stopped(site: Site, quick: None, monkeypatch: pytest.MonkeyPatch) -> None:
    site.put("/slow.html", "x", delay=2.5)
    site.put("/trickle.html", b"<p>" + b"x" * 40_000 + b"</p>", trickle=0.1)
    monkeypatch.setenv("GKCHECK_LIMIT_FETCH_RETRIES", "0")
    monkeypatch.setenv("GKCHECK_LIMIT_INPUT_MB", "1")
    site.put("/big.html", b"<p>" + b"x" * (2 << 20) + b"</p>")
    site.put("/big-undeclared.html", b"<p>" + b"x" * (2 << 20) + b"</p>", declare_length=False)
    with _fetcher() as f:
        slow, trickle = f.fetch(site.url("/slow.html")), f.fetch(site.url("/trickle.html"))
        big, undeclared = f.fetch(site.url("/big.html")), f.fetch(site.url("/big-undeclared.html"))
    assert isinstance(slow, FetchError) and slow.category == "timeout" and "GKCHECK_LIMIT_FETCH_SECONDS" in slow.zh
    assert isinstance(trickle, FetchError) and trickle.category == "timeout"
    for err in (big, undeclared):
        assert isinstance(err, FetchError) and err.category == "too_large" and "GKCHECK_LIMIT_INPUT_MB" in err.zh


def test_robots_txt_is_obeyed_for_every_hop(site: Site) -> None:
    site.robots = "User-agent: gkcheck\nDisallow: /secret/\nCrawl-delay: 0\n"
    site.put("/secret/r.html", "x")
    site.put("/open.html", location=site.url("/secret/r.html"))
    with _fetcher() as f:
        direct, via = f.fetch(site.url("/secret/r.html")), f.fetch(site.url("/open.html"))
    for err in (direct, via):
        assert isinstance(err, FetchError) and err.category == "robots" and "robots.txt 不允许" in err.zh
    assert site.requests("/secret/r.html") == []
    assert len(site.requests("/robots.txt")) == 1  # read once per host


def test_robots_txt_server_error_forbids_and_404_allows(site: Site, quick: None) -> None:
    site.robots = None  # 404: everything allowed (RFC 9309)
    url = site.put("/r.html", html_merged(_doc(5), random.Random(5))[1])
    with _fetcher() as f:
        assert isinstance(f.fetch(url), Page)
    other = Site()
    try:
        other.robots_status = 503  # unreachable by a server error: nothing is fetched
        page = other.put("/r.html", html_merged(_doc(5), random.Random(5))[1])
        with _fetcher() as f:
            err = f.fetch(page)
        assert isinstance(err, FetchError) and err.category == "robots" and "HTTP 503" in err.zh
        assert other.requests("/r.html") == []
    finally:
        other.close()


def test_politeness_per_host_delay(site: Site) -> None:
    urls = [site.put(f"/p{i}.html", html_merged(_doc(10), random.Random(i))[1]) for i in range(4)]
    import time

    with Fetcher(delay=0.3, per_host=1, backoff=0.01) as f:
        start = time.monotonic()
        outcomes = list(f.fetch_many((u, None) for u in urls))
        spent = time.monotonic() - start
    assert all(isinstance(o, Page) for _, o in outcomes)
    assert spent >= 0.3 * 4  # robots.txt and four pages, 0.3 s apart


def test_conditional_requests_answer_not_modified(site: Site) -> None:
    url = site.put("/r.html", html_merged(_doc(6), random.Random(6))[1], last_modified=1_700_000_000)
    with _fetcher() as f:
        first = f.fetch(url)
        assert isinstance(first, Page)
        again = f.fetch(url, Validators({url: first.headers["etag"]}, {url: first.headers["last-modified"]}))
    assert isinstance(again, NotModified)
    sent = site.requests("/r.html")[-1][2]
    assert sent["if-none-match"] == first.headers["etag"] and "if-modified-since" in sent


def test_wrapper_page_leads_to_its_attachment(site: Site) -> None:
    doc = _doc(7)
    pdf = pdf_form(doc, random.Random(7))[1]
    site.put("/files/附件1.pdf", pdf, content_type="application/pdf")
    site.put("/files/other.pdf", b"%PDF-1.4 not the report", content_type="application/pdf")
    wrapper = ('<html><head><meta charset="utf-8"><title>年报</title></head><body><div class="nav">首页</div>'
               '<p>现将本机关2024年政府信息公开工作年度报告予以公布。</p>'
               '<a href="other.pdf">办事指南.pdf</a> <a href="附件1.pdf">2024年政府信息公开工作年度报告</a></body></html>')
    url = site.put("/files/index.html", wrapper)
    assert attachment_link(wrapper.encode(), url) == site.url("/files/附件1.pdf")
    got = read_url(url)
    assert got["source"]["url"] == url
    assert got["tables"]["requests"]["new"]["total"] == doc["tables"]["requests"]["new"]["total"]
    # a page that is the report itself is not left for a link on it
    page = html_merged(doc, random.Random(8))[1].replace(b"</body>", b'<a href="x.pdf">2024\xe5\xb9\xb4\xe6\x8a\xa5</a></body>')
    own = site.put("/own.html", page)
    with _fetcher() as f:
        fetched = f.fetch(own)
    assert isinstance(fetched, Page) and fetched.final_url == own


def test_check_url_command(site: Site, tmp_path: Path) -> None:
    doc = _doc(9)
    url = site.put("/r.html", html_merged(doc, random.Random(9))[1])
    env = {"PYTHONPATH": str(ROOT), "GKCHECK_CONTACT": "mailto:gk@example.org", "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    ok = subprocess.run([sys.executable, "-m", "checker", "check", url, "--format", "json", "--exit-zero"],
                        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert ok.returncode == 0, ok.stderr
    result = json.loads(ok.stdout)["results"][0]
    assert result["source"] == url and result["fetched"].endswith("Z")
    assert any(o["rule_id"] == "GK-P-001" and o["outcome"] == "not_applicable" for o in result["outcomes"])
    assert "mailto:gk@example.org" in site.requests("/r.html")[0][2]["user-agent"]
    bad = subprocess.run([sys.executable, "-m", "checker", "check", site.url("/gone.html")], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert bad.returncode == 2 and "不存在（HTTP 404）" in bad.stderr and "Traceback" not in bad.stderr


# ----------------------------------------------------------------------------- the audit


def _audit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "GKCHECK_LIMIT_FETCH_SECONDS": "2", "GKCHECK_LIMIT_FETCH_RETRIES": "1"}
    return subprocess.run([sys.executable, "-m", "checker", "audit", "-o", str(tmp_path / "out"), "-j", "1",
                           "--delay", "0", "-q", *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)


def _results(out: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for f in (out / "results").glob("*/*.json"):
        r = json.loads(f.read_text(encoding="utf-8"))
        if r["source"] not in found or r.get("fetched", "") > found[r["source"]].get("fetched", ""):
            found[r["source"]] = r
    return found


def _problems(out: Path) -> dict[str, str]:
    with (out / "problems.csv").open(encoding="utf-8-sig") as fh:
        return {row[0]: row[2] for row in list(csv.reader(fh))[1:]}


def test_audit_of_urls_versions_304_offline_and_publication_changes(site: Site, tmp_path: Path) -> None:
    docs = {p: _doc(20 + i) for i, p in enumerate(("gbk", "utf8", "pdf", "docx"))}
    rng = random.Random(20)
    gbk_page = html_gbk(docs["gbk"], rng)[1]
    site.put("/a/gbk.html", gbk_page, content_type="text/html")
    site.put("/a/utf8.html", html_merged(docs["utf8"], rng)[1])
    site.put("/a/2024年报.pdf", pdf_form(docs["pdf"], rng)[1], content_type="application/pdf")
    site.put("/a/pdf.html", '<html><meta charset="utf-8"><body><p>年度报告</p>'
                            '<a href="2024年报.pdf">2024年政府信息公开工作年度报告</a></body></html>')
    site.put("/a/report.docx", docx_form(docs["docx"], rng)[1],
             content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    site.put("/a/slow.html", "x", delay=5)
    site.put("/a/down.html", "x", status=500)
    site.put("/private/r.html", "x")
    site.put("/a/news.html", '<html><meta charset="utf-8"><body><h1>本局召开安全生产工作会议</h1>'
                             '<p>会议传达了上级文件精神，部署了下一阶段的工作。</p></body></html>')
    urls = {p: site.url(p) for p in ("/a/gbk.html", "/a/utf8.html", "/a/pdf.html", "/a/report.docx", "/a/gone.html",
                                     "/a/slow.html", "/a/down.html", "/private/r.html", "/a/news.html")}
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "agency_id"])
        for i, u in enumerate(urls.values()):
            w.writerow([u, f"body-{i}"])
    first = _audit(tmp_path, str(manifest))
    assert first.returncode == 1, first.stderr  # some addresses could not be fetched: listed, the others checked
    out = tmp_path / "out"
    results = _results(out)
    assert set(results) == {urls[p] for p in ("/a/gbk.html", "/a/utf8.html", "/a/pdf.html", "/a/report.docx")}
    assert results[urls["/a/gbk.html"]]["report"]["agency"] == docs["gbk"]["agency"]["name"]
    assert results[urls["/a/pdf.html"]]["report"]["agency"] == docs["pdf"]["agency"]["name"]
    assert all(r["fetched"].endswith("Z") for r in results.values())
    lines = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines and all(f["fetched"] == results[f["source"]]["fetched"] for f in lines)  # each finding: URL, time
    problems = _problems(out)
    assert "不存在（HTTP 404）" in problems[urls["/a/gone.html"]]
    assert "服务器出错（HTTP 500）" in problems[urls["/a/down.html"]]
    assert "秒内没有传完" in problems[urls["/a/slow.html"]]
    assert "robots.txt 不允许" in problems[urls["/private/r.html"]]
    assert urls["/a/news.html"] in problems  # not a report: listed by ingest, named by its address
    with (out / "ranking.csv").open(encoding="utf-8-sig") as fh:
        ranking = fh.read()
    assert all(urls[p] in ranking for p in ("/a/gbk.html", "/a/utf8.html", "/a/pdf.html", "/a/report.docx"))
    assert str(out / "web") not in ranking
    for r in results.values():
        assert next(o for o in r["outcomes"] if o["rule_id"] == "GK-P-001")["outcome"] == "not_applicable"
    db = sqlite3.connect(out / "audit.sqlite")
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 5  # the news page too
    row = db.execute("SELECT url, status, headers, sha256 FROM snapshots WHERE url = ?", (urls["/a/utf8.html"],)).fetchone()
    assert row[1] == 200 and "etag" in json.loads(row[2]) and len(row[3]) == 64

    # second run: every page answers 304 (nothing downloaded) and nothing is checked again
    before = len(site.log)
    second = _audit(tmp_path, str(manifest))
    assert "本次检查 0 份" in second.stdout, second.stdout
    sent = [r for r in site.log[before:] if r[1].startswith("/a/") and r[1] not in ("/a/gone.html", "/a/slow.html",
                                                                                      "/a/down.html")]
    assert sent and all("if-none-match" in r[2] for r in sent)
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 5  # the news page too

    # the table of one report changes, and the chrome of another: one new version each, one GK-P-001 finding
    changed = copy.deepcopy(docs["utf8"])
    changed["tables"]["requests"]["new"]["natural_person"] += 7
    changed["tables"]["requests"]["new"]["total"] += 7
    site.put("/a/utf8.html", html_merged(changed, random.Random(20))[1])
    chrome = re.sub(r"浏览次数：\d+", "浏览次数：123456", gbk_page.decode("gbk")).replace(
        "<body>", '<body><div class="notice">网站维护通知：本站将于周六升级。</div>')
    site.put("/a/gbk.html", chrome.encode("gbk", errors="xmlcharrefreplace"), content_type="text/html")
    third = _audit(tmp_path, str(manifest))
    assert "本次检查 2 份" in third.stdout, third.stdout
    results = _results(out)
    utf8 = results[urls["/a/utf8.html"]]
    (finding,) = [f for f in utf8["findings"] if f["rule_id"] == "GK-P-001"]
    old = docs["utf8"]["tables"]["requests"]["new"]["total"]
    assert f"由 {old} 改为 {old + 7}" in finding["message"] and "首次获取" in finding["message"]
    gbk = results[urls["/a/gbk.html"]]
    assert next(o for o in gbk["outcomes"] if o["rule_id"] == "GK-P-001")["outcome"] == "pass"  # chrome only
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 7
    with (out / "findings.csv").open(encoding="utf-8-sig") as fh:
        assert any("GK-P-001" in line for line in fh)

    # offline: the stored versions are checked again without one request
    before = len(site.log)
    offline = _audit(tmp_path, str(manifest), "--offline", "--force")
    assert len(site.log) == before
    assert "本次检查 4 份" in offline.stdout, offline.stdout
    assert "离线模式" in _problems(out)[urls["/a/gone.html"]]


def test_urls_file_and_bad_lines(site: Site, tmp_path: Path) -> None:
    url = site.put("/r.html", html_merged(_doc(30), random.Random(30))[1])
    (tmp_path / "urls.txt").write_text(f"# 年报\n\n{url}\n", encoding="utf-8")
    ok = _audit(tmp_path, "--urls", str(tmp_path / "urls.txt"))
    assert ok.returncode in (0, 1) and "共检查 1 份报告" in ok.stdout, ok.stderr
    (tmp_path / "bad.txt").write_text(f"{url}\nftp://x/y\n", encoding="utf-8")
    bad = _audit(tmp_path, "--urls", str(tmp_path / "bad.txt"))
    assert bad.returncode == 2 and "第 2 行不是有效的网址" in bad.stderr and "Traceback" not in bad.stderr
