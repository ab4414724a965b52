"""Fetching reports from agencies' websites: ``gkcheck check URL`` and web audits.

A supervising office checks what is published, not files on a disk. :class:`Fetcher` gets one
web address's report the way a careful crawler does:

* **one client** (httpx) with a clear User-Agent (``gkcheck/<version> (+contact)``), a timeout
  per request (:data:`checker.limits.FETCH_SECONDS`, counted to the last byte: a server that
  trickles bytes is stopped too), a size bound (:data:`checker.limits.INPUT_MB`, enforced while
  the body arrives, after decompression) and at most :data:`checker.limits.REDIRECTS` redirects;
* **robots.txt** of every host is read first (``urllib.robotparser``) and obeyed for every hop,
  its ``Crawl-delay`` too (RFC 9309: a robots.txt that answers 4xx allows everything, one that
  cannot be reached because of a server error forbids everything);
* **politeness**: at most ``per_host`` requests to one host at a time, and ``delay`` seconds
  between the starts of two requests to one host;
* **retries** with exponential backoff for server errors (5xx), 429 (``Retry-After`` honoured,
  bounded) and network errors, up to :data:`checker.limits.FETCH_RETRIES`;
* **conditional requests**: given the validators of the stored version (ETag, Last-Modified),
  the server may answer 304 and nothing is downloaded (:class:`NotModified`);
* **wrapper pages**: a page that is not itself a report but links to an attachment named like
  one (``.pdf .docx .doc .wps``, link text or file name with 年度报告/年报) is followed to it.

The charset of a page is the reader's business (:mod:`checker.ingest.html`: BOM, ``<meta>``,
UTF-8, detection). The HTTP header's charset, when it decodes the page cleanly, is handed to
it the only way a byte string carries it: :func:`readable_bytes` re-encodes such a page as
UTF-8 with a byte-order mark, which the reader (like a browser) obeys before anything else.

Failures are :class:`FetchError` (an :class:`~checker.errors.InputError`) with a Chinese and an
English message and a ``category`` (``http``, ``timeout``, ``too_large``, ``robots``,
``network``, ``bad_url``). Network code lives here only; the engine never sees a URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from checker import __version__, limits
from checker.audit.discover import is_url as is_url
from checker.errors import InputError

#: The product token robots.txt rules are matched against.
ROBOTS_TOKEN = "gkcheck"
#: Where site operators learn who is fetching (overridden by ``GKCHECK_CONTACT``: a URL or an e-mail address).
DEFAULT_CONTACT = "+https://pypi.org/project/gkcheck/"
#: Defaults of politeness: requests at a time per host, seconds between request starts on one host.
PER_HOST, DELAY = 2, 0.5
_MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay beyond this is capped
_MAX_RETRY_AFTER = 60.0
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".wps")
_PREFERRED = {".pdf": 0, ".docx": 0, ".doc": 1, ".wps": 1}  # formats read without LibreOffice first
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告|信息公开")
_MEDIA_SUFFIX = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc", "application/kswps": ".wps", "application/vnd.ms-works": ".wps",
    "text/plain": ".txt", "text/markdown": ".md", "application/json": ".json",
}
_KNOWN_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".wps", ".txt", ".md", ".json"}
_WEAK_CHARSETS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def user_agent() -> str:
    """``gkcheck/<version> (+<contact>)``: who is fetching and where to learn more or complain."""
    contact = os.environ.get("GKCHECK_CONTACT", "").strip() or DEFAULT_CONTACT
    contact = re.sub(r"[^\x20-\x7e]", "", contact)[:200]
    return f"gkcheck/{__version__} ({contact})"


class FetchError(InputError):
    """A web address whose report could not be fetched.

    Attributes:
        category: ``http`` (an error status), ``timeout``, ``too_large``, ``robots``, ``network``, ``bad_url``.
        status: the HTTP status, when the server answered.
    """

    def __init__(self, zh: str, en: str, category: str, status: int | None = None) -> None:
        super().__init__(zh, en)
        self.category = category
        self.status = status


@dataclass(frozen=True)
class Validators:
    """What a conditional request sends: the stored version's ETag and Last-Modified, per URL fetched
    (the page asked for, and the attachment it led to)."""

    etag: dict[str, str] = field(default_factory=dict)
    last_modified: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One fetched version of a web address.

    Attributes:
        url: the address asked for.
        final_url: where the bytes came from (after redirects, and the attachment of a wrapper page).
        fetched: when (UTC, ISO 8601, seconds).
        status: the HTTP status of the final response.
        headers: the response headers that matter (content-type, etag, last-modified, content-length,
            date, content-disposition), and ``wrapper.*`` those of the wrapper page when one was followed.
        data: the body.
        name: a file name for the reader (its suffix from the media type, the address or the content).
    """

    url: str
    final_url: str
    fetched: str
    status: int
    headers: dict[str, str]
    data: bytes
    name: str

    @property
    def sha256(self) -> str:
        """The content hash of the body."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class NotModified:
    """The server said the stored version is current (304, or the same bytes again)."""

    url: str
    checked: str


Outcome = Page | NotModified | FetchError


def now_iso() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Host:
    """Politeness state of one host: a semaphore, the time of the next allowed request start, robots.txt."""

    def __init__(self, per_host: int) -> None:
        self.slots = threading.BoundedSemaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_error: FetchError | None = None
        self.robots_lock = threading.Lock()
        self.delay = 0.0
        self.client: httpx.Client | None = None


class Fetcher:
    """Fetches reports from the web politely (see the module docstring). Thread-safe: one fetcher serves
    the threads of :meth:`fetch_many`.

    Args:
        per_host: requests at a time to one host.
        delay: seconds between the starts of two requests to one host (a robots.txt ``Crawl-delay`` that is
            longer wins, up to 30 s).
        robots: obey robots.txt (tests of a local server may say False; the commands never do).
        transport: an httpx transport (tests).
        backoff: the first retry's wait in seconds (doubled at each retry).
    """

    def __init__(self, *, per_host: int = PER_HOST, delay: float = DELAY, robots: bool = True,
                 transport: httpx.BaseTransport | None = None, backoff: float = 1.0) -> None:
        self.per_host = max(1, per_host)
        self.delay = max(0.0, delay)
        self.obey_robots = robots
        self.backoff = backoff
        self.seconds = float(limits.FETCH_SECONDS.value())
        self.max_bytes = limits.INPUT_MB.bytes()
        self.redirects = limits.REDIRECTS.value()
        self.retries = limits.FETCH_RETRIES.value()
        self.agent = user_agent()
        self.transport = transport
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._ssl: ssl.SSLContext | None = None

    def _client(self) -> httpx.Client:
        """A client for one host: its connection pool holds that host's few connections (httpcore looks
        through every connection of a pool at each request: one pool for hundreds of hosts costs more CPU
        per request than the request itself)."""
        return httpx.Client(
            headers={"User-Agent": self.agent, "Accept": "text/html,application/xhtml+xml,application/pdf,"
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.8",
                     "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(self.seconds), follow_redirects=False, transport=self.transport, verify=self._tls(),
            limits=httpx.Limits(max_connections=self.per_host + 1, max_keepalive_connections=self.per_host + 1))

    def _tls(self) -> ssl.SSLContext:
        """One TLS context (certificate verification on, httpx's default) shared by every host's client: loading
        the certificate authorities takes ~0.1 s each time."""
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    def close(self) -> None:
        """Close the connections."""
        with self._hosts_lock:
            for host in self._hosts.values():
                if host.client is not None:
                    host.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one address

    def fetch(self, url: str, validators: Validators | None = None) -> Outcome:
        """The report at ``url``: a :class:`Page`, :class:`NotModified` (given the stored version's
        validators), or the :class:`FetchError` that prevented it (never raised)."""
        try:
            return self._fetch(url, validators or Validators())
        except FetchError as exc:
            return exc

    def _fetch(self, url: str, validators: Validators) -> Outcome:
        when = now_iso()
        response, final, data = self._get(url, validators)
        if response.status_code == 304:
            return NotModified(url, when)
        headers = _kept_headers(response.headers)
        name = _file_name(final, headers, data)
        if PurePosixPath(name).suffix == ".html":
            link = attachment_link(data, final)
            if link is not None and not _is_report_page(data):
                inner, inner_final, inner_data = self._get(link, validators)
                if inner.status_code == 304:
                    return NotModified(url, when)
                wrapper = {f"wrapper.{k}": v for k, v in headers.items()} | {"wrapper.url": final}
                headers = _kept_headers(inner.headers) | wrapper
                return Page(url, inner_final, when, inner.status_code, headers, inner_data,
                            _file_name(inner_final, _kept_headers(inner.headers), inner_data))
        return Page(url, final, when, response.status_code, headers, data, name)

    def _get(self, url: str, validators: Validators) -> tuple[httpx.Response, str, bytes]:
        """GET ``url`` following redirects (each hop: robots.txt, politeness, retries)."""
        current = url
        for _ in range(self.redirects + 1):
            parts = _checked_url(current)
            if self.obey_robots:
                self._allowed(current, parts)
            conditional = {}
            if current in validators.etag:
                conditional["If-None-Match"] = validators.etag[current]
            if current in validators.last_modified:
                conditional["If-Modified-Since"] = validators.last_modified[current]
            response, data = self._with_retries(current, conditional)
            if response.is_redirect and response.headers.get("location"):
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code == 304:
                return response, current, b""
            if response.status_code >= 400:
                raise _status_error(url, response.status_code)
            if not data.strip():
                raise FetchError(f"网址 {url} 返回的内容是空的，没有可检查的报告。",
                                 f"The address {url} returned an empty body.", "http", response.status_code)
            return response, current, data
        raise FetchError(f"网址 {url} 的重定向超过 {self.redirects} 次（可能是循环重定向），已停止。如确认网址无误，可设置环境变量 "
                         f"{limits.REDIRECTS.env}=更大的数值 后重试。",
                         f"The address {url} redirects more than {self.redirects} times (a loop?). If it is genuine, "
                         f"set {limits.REDIRECTS.env} to a larger number.", "http")

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        attempt = 0
        while True:
            wait = self.backoff * (2 ** attempt)
            try:
                response, data = self._request(url, headers)
            except FetchError as exc:
                if exc.category not in ("timeout", "network") or attempt >= self.retries:
                    raise
            else:
                if response.status_code not in _RETRY_STATUS or attempt >= self.retries:
                    return response, data
                after = _retry_after(response.headers.get("retry-after"))
                if after is not None:
                    wait = min(max(wait, after), _MAX_RETRY_AFTER)
            attempt += 1
            time.sleep(wait)

    def _request(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        """One polite GET: the body read up to the size bound and the time bound."""
        host = self._host(url)
        with host.slots:
            with host.lock:
                pause = host.next_start - time.monotonic()
                host.next_start = max(host.next_start, time.monotonic()) + max(self.delay, host.delay)
            if pause > 0:
                time.sleep(pause)
            deadline = time.monotonic() + self.seconds
            try:
                assert host.client is not None
                with host.client.stream("GET", url, headers=headers) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise self._too_large(url, int(declared))
                    chunks, total = [], 0
                    for chunk in response.iter_bytes():
                        total += len(chunk)
                        if total > self.max_bytes:
                            raise self._too_large(url, total)
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("deadline")
                        chunks.append(chunk)
                    return response, b"".join(chunks)
            except httpx.TimeoutException:
                raise FetchError(f"网址 {url} 在 {self.seconds:.0f} 秒内没有传完（服务器响应过慢），已重试 {self.retries} 次。"
                                 f"可稍后重试，或设置环境变量 {limits.FETCH_SECONDS.env}=更大的秒数。",
                                 f"The address {url} did not answer within {self.seconds:.0f} s. Try again later, or "
                                 f"set {limits.FETCH_SECONDS.env} to more seconds.", "timeout") from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise FetchError(f"无法连接网址 {url}（{type(exc).__name__}: {str(exc)[:200]}）。请检查网址是否正确、网站是否可以访问。",
                                 f"Cannot reach {url} ({type(exc).__name__}: {str(exc)[:200]}).", "network") from None

    def _too_large(self, url: str, size: int) -> FetchError:
        err = limits.INPUT_MB.exceeded(f"{size / 2**20:.1f}", where_zh=f"网址 {url} 的内容", where_en=f"the body of {url}")
        return FetchError(err.zh, err.en, "too_large")

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.per_host)
                host.client = self._client()
            return host

    # ------------------------------------------------------------------ robots.txt

    def _allowed(self, url: str, parts: Any) -> None:
        host = self._host(url)
        with host.robots_lock:
            if host.robots is None and host.robots_error is None:
                self._read_robots(host, f"{parts.scheme}://{parts.netloc}/robots.txt")
        if host.robots_error is not None:
            raise FetchError(f"{host.robots_error.zh} 按 robots.txt 协议（RFC 9309），无法读取时不抓取该网站：{url}",
                             f"{host.robots_error.en} By RFC 9309 the site is not fetched: {url}", "robots")
        assert host.robots is not None
        if not host.robots.can_fetch(ROBOTS_TOKEN, url):
            raise FetchError(f"网站的 robots.txt 不允许抓取网址 {url}，gkcheck 遵守该规定，未获取。请改用下载的报告文件检查。",
                             f"The site's robots.txt disallows {url}; gkcheck obeys it. Check a downloaded copy "
                             "instead.", "robots")

    def _read_robots(self, host: _Host, robots_url: str) -> None:
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            response, data = self._with_retries(robots_url, {})
            hops = 0
            while response.is_redirect and response.headers.get("location") and hops < self.redirects:
                robots_url = urljoin(robots_url, response.headers["location"])
                response, data = self._with_retries(robots_url, {})
                hops += 1
        except FetchError as exc:
            if exc.category == "too_large":  # RFC 9309: at least 500 KiB must be parsed; a huge file allows all
                parser.parse([])
                host.robots = parser
                return
            host.robots_error = FetchError(f"无法读取网站的 robots.txt（{exc.zh}）。", f"Cannot read robots.txt ({exc.en}).",
                                           "robots")
            return
        status = response.status_code
        if status >= 500 or response.is_redirect:
            host.robots_error = FetchError(f"网站的 robots.txt 返回服务器错误 HTTP {status}。",
                                           f"The site's robots.txt answers HTTP {status}.", "robots", status)
            return
        if 400 <= status < 500:
            parser.parse([])  # RFC 9309 §2.3.1.3: unavailable → no restriction
        else:
            parser.parse(data[:512 * 1024].decode("utf-8", errors="replace").splitlines())
        host.robots = parser
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host.delay = min(float(delay), _MAX_CRAWL_DELAY)

    # ------------------------------------------------------------------ many addresses

    def fetch_many(self, items: Iterable[tuple[str, Validators | None]], threads: int = 16) -> Iterator[
            tuple[str, Outcome]]:
        """(url, outcome) for each item, as they complete. At most ``threads`` requests are in flight (the
        per-host bounds hold across them) and twice as many items are taken ahead, so that the bodies held
        at once stay bounded; an interrupted caller leaves the requests under way to end on their own."""
        todo = iter(items)
        pool = ThreadPoolExecutor(max_workers=max(1, threads))
        running: dict[Future[Outcome], str] = {}
        try:
            while True:
                while len(running) < 2 * max(1, threads):
                    item = next(todo, None)
                    if item is None:
                        break
                    running[pool.submit(self.fetch, item[0], item[1])] = item[0]
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield running.pop(future), future.result()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def _checked_url(url: str) -> Any:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"不是有效的网址：{url}（应以 http:// 或 https:// 开头）。", f"Not a valid web address: {url}.",
                         "bad_url")
    return parts


def _status_error(url: str, status: int) -> FetchError:
    if status == 404 or status == 410:
        zh = f"网址 {url} 不存在（HTTP {status}），报告可能已被删除或移动。请核对网址。"
        en = f"The address {url} does not exist (HTTP {status}); the report may have been removed or moved."
    elif status in (401, 403):
        zh = f"网址 {url} 拒绝访问（HTTP {status}），可能需要登录或限制了访问。"
        en = f"The address {url} refuses access (HTTP {status})."
    elif status >= 500 or status == 429:
        zh = f"网址 {url} 的服务器出错（HTTP {status}），重试后仍然失败。请稍后再试。"
        en = f"The server of {url} fails (HTTP {status}), also after retries. Try again later."
    else:
        zh = f"网址 {url} 返回 HTTP {status}，无法获取报告。"
        en = f"The address {url} answers HTTP {status}; the report cannot be fetched."
    return FetchError(zh, en, "http", status)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = dt.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


_KEPT = ("content-type", "etag", "last-modified", "content-length", "date", "content-disposition", "content-encoding")


def _kept_headers(headers: httpx.Headers) -> dict[str, str]:
    return {k: headers[k][:1000] for k in _KEPT if k in headers}


def media_type(headers: dict[str, str]) -> tuple[str, str | None]:
    """The media type and charset of a Content-Type header."""
    raw = headers.get("content-type", "")
    kind, _, params = raw.partition(";")
    charset = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", params)
    return kind.strip().lower(), charset.group(1).lower() if charset else None


def _file_name(url: str, headers: dict[str, str], data: bytes) -> str:
    """A file name for the reader: the address's last segment, with the suffix of its media type (the
    content decides in the reader anyway)."""
    disposition = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", headers.get("content-disposition", ""))
    stem_source = unquote(disposition.group(1)) if disposition else unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    path = PurePosixPath(re.sub(r"[\x00-\x1f/\\]", "_", stem_source) or "index")
    suffix = path.suffix.lower()
    kind, _ = media_type(headers)
    by_type = _MEDIA_SUFFIX.get(kind)
    if suffix not in _KNOWN_SUFFIXES or (by_type and by_type != suffix and not (by_type == ".html" and suffix in
                                                                               (".htm", ".shtml", ".xhtml"))):
        suffix = by_type or _sniffed_suffix(data)
    if suffix in (".shtml", ".xhtml", ".htm"):
        suffix = ".html"
    stem = path.stem[:80] or "index"
    return stem + suffix


def _sniffed_suffix(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return ".docx"
    if head.startswith((b"<!doctype", b"<html")) or b"<html" in head:
        return ".html"
    if head.startswith((b"{", b"[")):
        return ".json"
    return ".txt"


def readable_bytes(page: Page) -> bytes:
    """The bytes the reader is given for a fetched page: the body itself, except an HTML page whose
    Content-Type names a charset (not a default Latin one) that decodes the body without error and
    that has no byte-order mark: then the body re-encoded as UTF-8 with a byte-order mark, which
    the HTML reader obeys before ``<meta>`` (the HTTP header outranks ``<meta>`` in browsers too)."""
    kind, charset = media_type(page.headers)
    if not page.name.endswith(".html") or not charset or charset in _WEAK_CHARSETS:
        return page.data
    if page.data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return page.data
    if charset in ("gb2312", "gbk", "x-gbk", "cp936"):
        charset = "gb18030"
    try:
        text = page.data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return page.data
    return b"\xef\xbb\xbf" + text.encode("utf-8", errors="surrogatepass")


# --------------------------------------------------------------------------- wrapper pages

_ANCHOR = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


def attachment_link(data: bytes, base: str) -> str | None:
    """The attachment a wrapper page links to as its report: a link to a .pdf/.docx/.doc/.wps file whose
    text or file name says 年度报告/年报 (the formats gkcheck reads first), or the page's only such link."""
    from checker.ingest.html import _decode  # the reader's decoding: BOM, <meta>, UTF-8, detection

    text = _decode(data[: 4 << 20])
    candidates: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for match in _ANCHOR.finditer(text):
        href = match.group(1).strip()
        if not unquote(href.split("#", 1)[0].split("?", 1)[0]).lower().endswith(_ATTACHMENT_SUFFIXES):
            continue  # cheap: most links of a page are not attachments
        if len(candidates) >= 1000:
            break
        end = lowered.find("</a", match.end(), match.end() + 500)  # the link text: bounded, never a scan to the end
        label = _TAGS.sub("", text[match.end():end if end >= 0 else match.end() + 200])
        target = urljoin(base, href.replace("&amp;", "&"))
        suffix = PurePosixPath(unquote(urlsplit(target).path)).suffix.lower()
        if suffix not in _ATTACHMENT_SUFFIXES or urlsplit(target).scheme not in ("http", "https"):
            continue
        like_report = bool(_REPORT_WORDS.search(label) or _REPORT_WORDS.search(unquote(href)))
        candidates.append((0 if like_report else 1, _PREFERRED[suffix], target))
    if not candidates:
        return None
    named = [c for c in candidates if c[0] == 0]
    if not named and len(candidates) > 1:
        return None  # several attachments, none named like a report: do not guess
    return min(named or candidates, key=lambda c: (c[0], c[1]))[2]


def _is_report_page(data: bytes) -> bool:
    """Whether an HTML page holds a report itself (a statistical table or several parts), not only a link."""
    from checker.ingest import parse_document

    try:
        doc = parse_document(data, "page.html", year=2000)  # a year: the question is the structure only
    except InputError:
        return False
    return bool(doc.get("tables")) or len(doc.get("sections") or {}) >= 3



def read_url(url: str, *, year: int | None = None, fetcher: Fetcher | None = None) -> dict[str, Any]:
    """The report document at a web address (``gkcheck check URL``): fetched once, read as a file of the
    same bytes is, with ``source.url`` (the address) and ``source.fetched`` (when) set.

    Raises:
        InputError: it cannot be fetched (:class:`FetchError`, with the reason) or read.
    """
    from checker.ingest import parse_document

    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        outcome = fetcher.fetch(url)
    finally:
        if own:
            fetcher.close()
    if isinstance(outcome, FetchError):
        raise outcome
    assert isinstance(outcome, Page)  # no validators were sent: never NotModified
    document = parse_document(readable_bytes(outcome), outcome.name, year=year)
    source = document.setdefault("source", {})
    source["url"], source["fetched"] = url, outcome.fetched
    return document
