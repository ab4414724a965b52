"""A local web site for the tests and benchmarks of fetching (never the internet): http.server in a thread on
127.0.0.1, a random port, serving what a test puts in it.

``site.put(path, body, ...)`` serves ``body`` at ``path`` with a status, headers, a delay, an ETag and a
Last-Modified (answering conditional requests with 304), a redirect, or a sequence of statuses (500 then
200: a server that recovers). Every request is logged (method, path, request headers) so that a test can
assert what was sent.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Resource:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    trickle: float = 0.0  # seconds between 1 KiB pieces of the body
    etag: bool = True
    last_modified: float | None = None
    location: str | None = None  # a redirect
    statuses: list[int] = field(default_factory=list)  # answered in turn before ``status``
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True


class Site:
    """The site: resources by path; ``robots`` is served at /robots.txt (None: 404)."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.robots: str | None = "User-agent: *\nDisallow: /private/\n"
        self.robots_status = 200
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes | str = b"", **kwargs: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[path] = Resource(data, **kwargs)
        return self.url(path)

    def requests(self, path: str | None = None) -> list[tuple[str, str, dict[str, str]]]:
        with self.lock:
            return [r for r in self.log if path is None or r[1] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        path = urllib.parse.unquote(h.path)
        with self.lock:
            self.log.append(("GET", path, {k.lower(): v for k, v in h.headers.items()}))
        if path == "/robots.txt":
            if self.robots is None:
                return self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return self._send(h, self.robots_status, self.robots.encode(), {"Content-Type": "text/plain"})
        res = self.resources.get(path)
        if res is None:
            return self._send(h, 404, "<html><body>页面不存在</body></html>".encode(), {"Content-Type": "text/html"})
        if res.delay:
            time.sleep(res.delay)
        status = res.statuses.pop(0) if res.statuses else res.status
        headers = {"Content-Type": res.content_type, **res.headers}
        if res.location:
            headers["Location"] = res.location
            return self._send(h, status if 300 <= status < 400 else 302, b"", headers)
        if status != 200:
            return self._send(h, status, f"<html><body>error {status}</body></html>".encode(), headers)
        tag = '"' + hashlib.sha256(res.body).hexdigest()[:16] + '"'
        if res.etag:
            headers["ETag"] = tag
        if res.last_modified is not None:
            headers["Last-Modified"] = email.utils.formatdate(res.last_modified, usegmt=True)
        if res.etag and h.headers.get("If-None-Match") == tag:
            return self._send(h, 304, b"", {k: v for k, v in headers.items() if k != "Content-Type"})
        since = h.headers.get("If-Modified-Since")
        if not res.etag and res.last_modified is not None and since:
            parsed = email.utils.parsedate_to_datetime(since).timestamp()
            if res.last_modified <= parsed:
                return self._send(h, 304, b"", {})
        self._send(h, 200, res.body, headers, res.trickle, res.declare_length)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str], trickle: float = 0.0,
              declare_length: bool = True) -> None:
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            if status == 304:
                h.end_headers()
                return
            if declare_length:
                h.send_header("Content-Length", str(len(body)))
            else:
                h.send_header("Connection", "close")
                h.close_connection = True
            h.end_headers()
            if not trickle:
                h.wfile.write(body)
                return
            for i in range(0, len(body), 1024):
                h.wfile.write(body[i:i + 1024])
                h.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass
