"""The ASGI application of ``gkcheck serve`` (Starlette).

Routes:

* ``GET /`` — the upload page;
* ``POST /check`` — the page's form: the result page, or a page with the message;
* ``POST /api/check`` — multipart field ``file`` (optional ``year``, ``published``,
  ``agency_kind``, ``agency_level``, ``lang``): the JSON of ``gkcheck check --format json``;
  errors as ``{"error": ...}`` with 400 (bad request), 413 (file too large), 422 (not a
  readable report), 503 (busy), 500 (internal error, no details);
* ``GET /healthz`` — ``{"status": "ok", ...}``;
* ``GET /static/app.js``, ``/static/page.css`` — the page's own script and style.

Each request that carries a file gets its own folder under the app's work folder, removed when
the answer has been made, whatever happened. Checks run in worker threads, at most
``workers`` at a time; at most ``queue`` more wait, beyond that the answer is 503. Each check
runs in a process of its own, killed after ``REPORT_SECONDS`` (:mod:`checker.web.isolate`), so
a file that keeps a reader busy cannot hold a worker for good. Every
answer carries a Content-Security-Policy (scripts and everything else only from this server),
``no-store`` caching, and refuses framing; a Host header other than the loopback names is
refused when the server listens on loopback (DNS rebinding).
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker import __version__
from checker.errors import GkcheckError, InputError
from checker.web import isolate, pages
from checker.web.service import Checked, check_file, overrides_of
from checker.web.upload import UploadError, receive

log = logging.getLogger("checker.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
INTERNAL = ("gkcheck 内部错误：检查这个文件时出了问题，结果无法显示。请稍后重试；如仍然出错，请把文件反馈给开发者。",
            "Internal error: the file could not be checked. Please report it with the file.")
BUSY = ("正在检查的文件太多，请稍等一会儿再试。", "Too many checks are running; try again shortly.")
STATIC = {"app.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}


@dataclass
class Settings:
    """How the app runs: its work folder, worker threads, waiting room, and whether it is on loopback only."""

    workdir: Path
    workers: int = 2
    queue: int = 16
    loopback_only: bool = True


class _Busy(Exception):
    """Too many checks running and waiting."""


class _Unreadable(Exception):
    """The uploaded file (``name``) cannot be read as a report, or a form field is invalid."""

    def __init__(self, name: str, error: InputError) -> None:
        super().__init__(error.zh)
        self.name = name
        self.error = error


class _Guard:
    """Security headers on every answer, and the Host check that stops DNS rebinding on loopback."""

    def __init__(self, app: ASGIApp, loopback_only: bool) -> None:
        self.app = app
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.loopback_only and _host(scope) not in LOOPBACK_NAMES:
            response = Response("Host not allowed", status_code=421, media_type="text/plain")
            await response(scope, receive, self._send(scope, send))
            return
        await self.app(scope, receive, self._send(scope, send))

    def _send(self, scope: Scope, send: Send) -> Callable[[Message], Any]:
        static = scope.get("path", "").startswith("/static/")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                headers.append((b"cache-control", b"no-cache" if static else b"no-store"))
                message = {**message, "headers": headers}
            await send(message)
        return wrapped


def _host(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]", 1)[0] + "]"
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def create_app(workdir: Path | None = None, *, workers: int = 2, queue: int = 16,
               loopback_only: bool = True) -> Starlette:
    """The app. ``workdir``: the folder for uploads (each request gets and removes a subfolder; a new
    temporary folder, removed at shutdown, when None)."""
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="gkcheck-serve-")) if workdir is None else Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(folder, max(1, workers), max(0, queue), loopback_only)
    limiter = anyio.CapacityLimiter(settings.workers)
    state = {"pending": 0}
    static = {name: (resources.files("checker.web") / "static" / name).read_bytes() for name in STATIC}

    async def run_check(path: Path, overrides: dict[str, Any], lang: str, *, html: bool,
                        annotate: bool) -> Checked:
        if state["pending"] >= settings.workers + settings.queue:
            raise _Busy()
        state["pending"] += 1
        try:
            work = functools.partial(check_file, path, overrides, lang=lang, html=html, annotate=annotate)
            return await anyio.to_thread.run_sync(lambda: isolate.run(work, name=path.name), limiter=limiter)
        finally:
            state["pending"] -= 1

    async def checked(request: Request, *, html: bool, annotate: bool) -> Checked:
        """Receive the upload into its own folder, check it, and remove the folder whatever happens."""
        upload_dir = Path(tempfile.mkdtemp(dir=settings.workdir, prefix="req-"))
        try:
            upload = await receive(request.stream(), request.headers.get("content-type", ""),
                                   request.headers.get("content-length"), upload_dir)
            assert upload.path is not None
            try:
                overrides = overrides_of(upload.fields)
            except InputError as exc:
                raise UploadError(400, exc) from None
            lang = "en" if upload.fields.get("lang") == "en" else "zh"
            try:
                return await run_check(upload.path, overrides, lang, html=html, annotate=annotate)
            except InputError as exc:
                raise _Unreadable(upload.name, exc) from None
        finally:
            shutil.rmtree(upload_dir, ignore_errors=True)

    async def index(request: Request) -> Response:
        return HTMLResponse(pages.upload_page())

    async def check_page(request: Request) -> Response:
        try:
            result = await checked(request, html=True, annotate=True)
        except UploadError as exc:
            title = "文件太大" if exc.status == 413 else "无法检查"
            return _page_error(exc.status, title, exc.error.zh)
        except _Unreadable as exc:
            return _page_error(422, "无法检查这个文件", f"无法读取 {exc.name}：{exc.error.zh}")
        except _Busy:
            return _page_error(503, "请稍后再试", BUSY[0])
        except ClientDisconnect:  # the browser went away mid-upload: nobody to answer
            return Response(status_code=400)
        except Exception as exc:  # noqa: BLE001 - never a stack trace for a civil servant
            _log_internal(exc)
            return _page_error(500, "内部错误", INTERNAL[0])
        return HTMLResponse(pages.result_page(result))

    async def check_api(request: Request) -> Response:
        try:
            result = await checked(request, html=False, annotate=False)
        except UploadError as exc:
            return _json_error(exc.status, exc.error)
        except _Unreadable as exc:
            return _json_error(422, exc.error)
        except _Busy:
            return _json_error(503, InputError(*BUSY))
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as exc:  # noqa: BLE001 - an {error} answer, never a stack trace
            _log_internal(exc)
            return _json_error(500, InputError(*INTERNAL))
        return Response(result.json_text, media_type="application/json; charset=utf-8")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "workers": settings.workers,
                             "checks_running_or_waiting": state["pending"]})

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise HTTPException(404)
        return Response(static[name], media_type=STATIC[name])

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if request.url.path.startswith("/api/"):
            zh = "没有这个接口。" if status == 404 else "不支持这种请求方式。"
            return _json_error(status, InputError(zh, "Not found." if status == 404 else "Method not allowed."))
        if status == 405:
            return _page_error(405, "不支持这种请求方式", "请从首页上传文件进行检查。")
        return _page_error(status, "找不到这个页面", "请从首页上传文件进行检查。")

    async def server_error(request: Request, exc: Exception) -> Response:
        _log_internal(exc)
        if request.url.path.startswith("/api/"):
            return _json_error(500, InputError(*INTERNAL))
        return _page_error(500, "内部错误", INTERNAL[0])

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/check", check_page, methods=["POST"]),
        Route("/api/check", check_api, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(isolate.start)  # the checks' fork server, ready before the first upload
        try:
            yield
        finally:
            if own:
                shutil.rmtree(folder, ignore_errors=True)

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: server_error},
                    lifespan=lifespan, middleware=[Middleware(_Guard, loopback_only=loopback_only)])
    app.state.settings = settings
    return app


def _page_error(status: int, title: str, message: str) -> Response:
    headers = {"connection": "close"} if status == 413 else None
    return HTMLResponse(pages.message_page(status, title, message), status_code=status, headers=headers)


def _json_error(status: int, error: GkcheckError) -> Response:
    headers = {"connection": "close"} if status == 413 else None
    body = json.dumps({"error": error.zh, "error_i18n": {"zh": error.zh, "en": error.en}, "status": status},
                      ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json; charset=utf-8", headers=headers)


def _log_internal(exc: BaseException) -> None:
    """Log an unexpected error by its type only: its message may quote the uploaded file."""
    log.error("Internal error while checking an upload: %s", type(exc).__name__)
