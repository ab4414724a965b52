"""The audit of reports on the web: fetch phase, stored versions, and rule GK-P-001's inputs.

Entries that name a web address (a manifest row with ``url`` and no ``file``, a URL given as a
path, a line of ``--urls``) are fetched before ingest (:func:`fetch_entries`):

* every address is fetched by :class:`checker.fetch.Fetcher` (robots.txt, per-host bounds and
  delay, retries, size and time bounds) with the validators (ETag, Last-Modified) of its
  latest stored version, so that an unchanged page answers 304 and is not downloaded;
* each new version (content not seen at that address before) is stored in the audit database
  (``snapshots`` and ``blobs``: address, time, status, headers, content hash, bytes); a 304 or
  the same bytes again only records when it was seen;
* the latest version of each address is written once as a file under ``<output>/web/`` (named by
  the address and the content), and the entry becomes that file, with the manifest's columns and
  ``url`` (the address) and ``fetched`` (when this content was first fetched) — so the rest of the
  audit (ingest, stored results, outputs) works as for files, and an unchanged page is neither
  read nor checked again;
* an address that cannot be fetched (404, 500 after retries, a timeout, over the size bound,
  disallowed by robots.txt) is an input problem of the audit with its reason, never a stop.

``offline`` fetches nothing: the latest stored version of each address is checked again.

After ingest, :func:`with_publication_records` gives each web entry its publication record
(:func:`checker.stability.publication_record`): the number of stored versions and, when there
are two or more, the change between the first version's report and the current one's.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from checker import __version__
from checker.audit.discover import Entry, Problem
from checker.audit.safe import clean, json_bytes, json_value
from checker.audit.store import Store
from checker.errors import InputError
from checker.messages import pick

_COMMIT, _COMMIT_BYTES = 500, 64 << 20  # new versions per transaction, and their bytes held at most


@dataclass(frozen=True)
class WebOptions:
    """How an audit fetches.

    Attributes:
        offline: fetch nothing; check the stored versions again.
        per_host: requests at a time to one host.
        delay: seconds between request starts on one host.
        threads: requests in flight over all hosts.
    """

    offline: bool = False
    per_host: int = 2
    delay: float = 0.5
    threads: int = 16


def fetch_entries(entries: list[Entry], store: Store, output: Path, options: WebOptions,
                  progress: Any, lang: str = "zh") -> tuple[list[Entry], list[Problem]]:
    """Fetch the web entries of an audit; return the entries (web ones as files of their latest version)
    and the problems (addresses that could not be fetched)."""
    web = [e for e in entries if e.web]
    if not web:
        return entries, []
    from checker.fetch import Fetcher, FetchError, NotModified, Page, Validators

    urls = list(dict.fromkeys(e.url for e in web))
    stored = store.snapshots(urls)
    failed: dict[str, FetchError] = {}
    if options.offline:
        for url in urls:
            if url not in stored:
                failed[url] = FetchError(
                    f"离线模式（--offline）下没有该网址的已存版本：{url}。请先联网运行一次审核。",
                    f"No stored version of {url} for --offline; run the audit once with the network.", "offline")
    else:
        progress.phase(pick(lang, "获取网页", "Fetching pages"), len(urls))
        new: list[tuple[str, str, int, str, dict[str, str], str, str, bytes]] = []
        seen: list[tuple[str, str]] = []
        try:
            with Fetcher(per_host=options.per_host, delay=options.delay) as fetcher:
                for url, outcome in fetcher.fetch_many(((u, _validators(stored.get(u), Validators)) for u in urls),
                                                       options.threads):
                    latest = stored.get(url, [None])[-1]
                    if isinstance(outcome, FetchError):
                        failed[url] = outcome
                    elif isinstance(outcome, NotModified):
                        seen.append((url, outcome.checked))
                    elif isinstance(outcome, Page):
                        if latest is not None and latest["sha256"] == outcome.sha256:
                            seen.append((url, outcome.fetched))
                        else:
                            new.append((url, outcome.fetched, outcome.status, outcome.final_url, outcome.headers,
                                        outcome.sha256, outcome.name, outcome.data))
                    if len(new) >= _COMMIT or sum(len(n[7]) for n in new) > _COMMIT_BYTES:
                        store.save_snapshots(new, seen)
                        new, seen = [], []
                    progress.advance(1)
        finally:  # also when interrupted: what was fetched is kept
            store.save_snapshots(new, seen)
        progress.done()
        stored = store.snapshots(urls)
    out: list[Entry] = []
    problems: list[Problem] = []
    folder = output / "web"
    written: dict[str, str] = {}
    for e in entries:
        if not e.web:
            out.append(e)
            continue
        url = e.url
        error = failed.get(url)
        if error is not None:
            problems.append((url, "unreadable", clean(f"无法获取网页：{error.zh}"),
                             clean(f"Cannot fetch the page: {error.en}")))
            continue
        latest = stored[url][-1]
        try:
            path = written.get(url) or _materialise(store, folder, latest)
        except (OSError, InputError) as exc:
            why = exc.zh if isinstance(exc, InputError) else (exc.strerror or str(exc))
            problems.append((url, "unreadable", clean(f"无法保存获取到的网页：{why}"),
                             clean(f"Cannot save the fetched page: {getattr(exc, 'en', why)}")))
            continue
        written[url] = path
        out.append(replace(e, path=path, overrides={**e.overrides, "url": url, "fetched": latest["fetched"]}))
    return out, problems


def _validators(versions: list[dict[str, Any]] | None, cls: Any) -> Any:
    if not versions:
        return None
    latest = versions[-1]
    headers = latest["headers"]
    etag, modified = {}, {}
    final = latest["final_url"]
    page = headers.get("wrapper.url")
    for url, prefix in ((final, ""), (page, "wrapper.")):
        if not url:
            continue
        if headers.get(prefix + "etag"):
            etag[url] = headers[prefix + "etag"]
        if headers.get(prefix + "last-modified"):
            modified[url] = headers[prefix + "last-modified"]
    if page is None:  # the address itself (before its redirects) may answer 304 too
        if headers.get("etag"):
            etag.setdefault(latest["url"], headers["etag"])
        if headers.get("last-modified"):
            modified.setdefault(latest["url"], headers["last-modified"])
    return cls(etag, modified)


def version_path(folder: Path, version: dict[str, Any]) -> Path:
    """Where a stored version is written for reading: by address and content, with its file's suffix."""
    url_hash = hashlib.sha256(version["url"].encode("utf-8", "surrogatepass")).hexdigest()
    suffix = Path(version["name"]).suffix or ".html"
    return folder / url_hash[:2] / f"{url_hash[:16]}-{version['sha256'][:12]}{suffix}"


def readable(store: Store, version: dict[str, Any]) -> bytes:
    """The bytes the reader is given for a stored version (:func:`checker.fetch.readable_bytes`)."""
    from checker.fetch import Page, readable_bytes

    body = store.blob(version["sha256"])
    if body is None:
        raise InputError("审核数据库中缺少该网页版本的内容，请去掉 --offline 重新获取。",
                         "The database lacks this version's bytes; run without --offline.")
    page = Page(version["url"], version["final_url"], version["fetched"], version["status"], version["headers"],
                body, version["name"])
    return readable_bytes(page)


def _materialise(store: Store, folder: Path, version: dict[str, Any]) -> str:
    target = version_path(folder, version)
    if target.is_file():
        return str(target)
    data = readable(store, version)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return str(target)


def with_publication_records(entries: list[Entry], store: Store, sha_of: dict[str, str]) -> list[Entry]:
    """The web entries with their publication record (``pub`` override, JSON): how many versions, and the
    change between the first and the current version's reports when there are two or more."""
    from checker.stability import publication_record

    web = [e for e in entries if e.web and "fetched" in e.overrides]
    if not web:
        return entries
    versions = store.snapshots(list(dict.fromkeys(e.url for e in web)))
    out = []
    for e in entries:
        history = versions.get(e.url) if e.web and "fetched" in e.overrides else None
        if not history:
            out.append(e)
            continue
        change = None
        if len(history) > 1:
            try:
                change = _change(store, history[0], history[-1], sha_of.get(e.path, ""))
            except InputError:
                change = None  # a version that cannot be read: its reading failure is reported on the row
        record = publication_record(history, change)
        out.append(replace(e, overrides={**e.overrides, "pub": json_bytes(record).decode()}))
    return out


def _change(store: Store, first: dict[str, Any], current: dict[str, Any], current_sha: str) -> dict[str, Any] | None:
    """:func:`checker.stability.compare` of two versions' documents (cached in the database)."""
    from checker.stability import compare

    name = f"pub|{__version__}|{first['sha256']}|{current['sha256']}"
    cached = store.get_state(name)
    if cached is not None:
        value = orjson.loads(cached)
        return value if value else None
    old, new = _document(store, first), _document(store, current, current_sha)
    change = compare(old, new) if old is not None and new is not None else None
    store.set_state(name, json_bytes(change or {}).decode())
    return change


def _document(store: Store, version: dict[str, Any], sha: str = "") -> dict[str, Any] | None:
    """The report document of a stored version: ingest's cached document, else read now."""
    from checker.ingest import parse_document

    data = readable(store, version)
    sha = sha or hashlib.sha256(data).hexdigest()
    cached = store.documents([sha], __version__).get(sha)
    if cached is not None:
        return json_value(zlib.decompress(cached))
    try:
        return parse_document(data, version["name"])
    except InputError:
        return None
