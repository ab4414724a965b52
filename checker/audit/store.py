"""The audit database: an embedded SQLite file that makes audits incremental and resumable.

Tables:

* ``stat`` — path → (size, mtime_ns, sha256): unchanged files are not even re-hashed.
* ``ingested`` — sha256 → what ingest found (why the file cannot be checked, mislabelling
  notes and metadata as one JSON value; the cross-year profile), valid for one ``version``
  (gkcheck version and rule-set version).
* ``documents`` — sha256 → the compressed document of files that needed real ingest work
  (text, HTML, Word, PDF), valid for one gkcheck version: a rule change does not re-read PDFs.
* ``results`` — keyed by (report key, variant, previous report key): the score, counts,
  coverage (decided and applicable rules), number of reading notices,
  findings (one JSON value) and findings per rule (one small JSON value) of a report checked
  with one rule set, language and policy, against one previous-year report (or none). The full result of each report is its result
  JSON file in the output folder.
* ``state`` — small named values (the fingerprint of the last outputs written).
* ``snapshots`` — every version of every web address fetched (``gkcheck audit`` of URLs): the
  address, when this content was first and last seen, the HTTP status, the final address, the
  response headers (for conditional requests: ETag, Last-Modified), the content hash and a file
  name; ``blobs`` — the bytes of each content hash (compressed). Unlike the other tables these
  are not a cache of work: they are the record of what was published when (rule GK-P-001), and
  what ``--offline`` re-checks.

The file is opened in WAL mode and every chunk is committed in one transaction, so what
was recorded survives a crash or Ctrl-C and the next run resumes from there. A database
written by a gkcheck with another layout of these tables is emptied (it is a cache).
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from checker.audit.safe import clean, encodable, json_bytes
from checker.audit.worker import Checked, Ingested, coverage_fields, crashed
from checker.errors import InputError

LAYOUT = 4  # PRAGMA user_version: bump when the tables change
_TABLES = ("stat", "ingested", "documents", "results", "findings", "state", "snapshots", "blobs")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS stat (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT);
CREATE TABLE IF NOT EXISTS ingested (sha256 TEXT PRIMARY KEY, version TEXT, file_kind TEXT, info BLOB,
    cells BLOB, clauses BLOB);
CREATE TABLE IF NOT EXISTS documents (sha256 TEXT PRIMARY KEY, version TEXT, doc BLOB);
CREATE TABLE IF NOT EXISTS results (key TEXT, variant TEXT, previous TEXT, score REAL, grade TEXT,
    errors INTEGER, warnings INTEGER, infos INTEGER, max_rank INTEGER, passed INTEGER, error BLOB, findings BLOB,
    rules BLOB, decided INTEGER, applicable INTEGER, notices INTEGER, PRIMARY KEY (key, variant, previous));
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT, fetched TEXT, last_seen TEXT,
    status INTEGER, final_url TEXT, headers BLOB, sha256 TEXT, name TEXT);
CREATE INDEX IF NOT EXISTS snapshots_url ON snapshots (url, id);
CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, body BLOB);
"""
_BATCH = 900  # SQLite's default limit on bound parameters is 999
_SCAN_ABOVE = 20_000
_IN = re.compile(r" (?:AND|WHERE) \w+ IN \(\{\}\)")


class Store:
    """The audit database: one connection per process (the audit's main process writes; the
    processes writing outputs open it read-only)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                self.db = sqlite3.connect(Path(self.path).resolve().as_uri() + "?mode=ro", uri=True)
                return
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA wal_autocheckpoint=16384")  # checkpoint (and sync) every ~64 MB, not every 4 MB
            if self.db.execute("PRAGMA user_version").fetchone()[0] != LAYOUT:
                with self.db:
                    for table in _TABLES:
                        self.db.execute(f"DROP TABLE IF EXISTS {table}")
                    self.db.execute(f"PRAGMA user_version = {LAYOUT}")
            self.db.executescript(_SCHEMA)
            with self.db:  # a write, now: a database that cannot be written is refused before any work
                self.db.execute("INSERT OR REPLACE INTO state VALUES ('opened', '1')")
        except (sqlite3.Error, OSError) as exc:
            raise self.error(exc) from None

    def error(self, exc: BaseException) -> InputError:
        """The message for a database that cannot be opened or written (read-only, not a database, disk full)."""
        where = clean(self.path)
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            return InputError(f"审核数据库 {where} 不是 gkcheck 的数据库文件（可能是其他文件）。请用 --db 指定另一个文件，"
                              "或删除该文件后重新运行。",
                              f"The audit database {where} is not a database file. Choose another file with --db, "
                              "or delete it and run again.")
        why = getattr(exc, "strerror", None) or str(exc)
        return InputError(f"无法写入审核数据库 {where}（{why}）。请检查该文件及其所在文件夹是否可写、磁盘空间是否足够，"
                          "或用 --db 指定另一个位置。",
                          f"Cannot write the audit database {where} ({why}). Check that the file and its folder "
                          "are writable and the disk has space, or choose another location with --db.")

    def close(self) -> None:
        """Commit and close."""
        self.db.commit()
        self.db.close()

    def stats(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str]]:
        """Cached (size, mtime_ns, sha256) of these paths."""
        return {row[0]: (row[1], row[2], row[3]) for row in self._select_in(
            "SELECT path, size, mtime_ns, sha256 FROM stat WHERE path IN ({})", [p for p in paths if encodable(p)])}

    def ingested(self, hashes: Iterable[str], version: str) -> dict[str, dict[str, Any]]:
        """What ingest found for these contents (only records of ``version``): file_kind, error, notes, meta."""
        out = {}
        for sha, file_kind, info in self._select_in(
                "SELECT sha256, file_kind, info FROM ingested WHERE version = ? AND sha256 IN ({})",
                list(hashes), (version,)):
            out[sha] = {"file_kind": file_kind, **orjson.loads(info)}
        return out

    def profiles(self, hashes: Iterable[str]) -> dict[str, tuple[bytes, bytes]]:
        """Cross-year profile parts as stored (cells JSON, clause bytes) of these contents."""
        return {sha: (cells, clauses) for sha, cells, clauses in self._select_in(
            "SELECT sha256, cells, clauses FROM ingested WHERE sha256 IN ({})", list(hashes))}

    def documents(self, hashes: Iterable[str], version: str) -> dict[str, bytes]:
        """Cached compressed documents of these contents."""
        return dict(self._select_in("SELECT sha256, doc FROM documents WHERE version = ? AND sha256 IN ({})",
                                    list(hashes), (version,)))

    def save_ingested(self, items: Sequence[Ingested], version: str, doc_version: str) -> list[Ingested]:
        """Record a chunk of phase-1 results in one transaction; return them as recorded (a record the
        database cannot hold is recorded as that file's failure)."""
        def rows(i: Ingested) -> list[tuple[str, tuple[Any, ...]]]:
            out: list[tuple[str, tuple[Any, ...]]] = [("INSERT OR REPLACE INTO ingested VALUES (?, ?, ?, ?, ?, ?)",
                    (i.sha256, version, i.file_kind, i.info_json or json_bytes(i.info()), i.cells, i.clauses))]
            if encodable(i.path):  # a file name that is not UTF-8 is hashed again next time
                out.append(("INSERT OR REPLACE INTO stat VALUES (?, ?, ?, ?)", (i.path, i.size, i.mtime_ns, i.sha256)))
            if i.doc_blob:
                out.append(("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", (i.sha256, doc_version, i.doc_blob)))
            return out

        def as_failed(i: Ingested, exc: Exception) -> Ingested:
            return Ingested(i.path, i.sha256, i.size, i.mtime_ns, i.file_kind, crashed(exc, "保存", "storing"),
                            info_json=json_bytes({"error": crashed(exc, "保存", "storing"), "notes": [], "meta": {}}))

        return self._save([i for i in items if i.sha256], rows, as_failed) + [i for i in items if not i.sha256]

    def _save(self, items: Sequence[Any], rows: Any, as_failed: Any) -> list[Any]:
        """Insert the rows of ``items`` in one transaction. When that fails for a reason other than the
        database itself, each item is inserted alone, and one that cannot be is replaced by
        ``as_failed(item, exc)``: one report's value never stops the audit.

        Raises:
            InputError: the database cannot be written (read-only, disk full, damaged).
        """
        try:
            with self.db:
                for item in items:
                    for sql, values in rows(item):
                        self.db.execute(sql, values)
            return list(items)
        except sqlite3.OperationalError as exc:
            raise self.error(exc) from None
        except (sqlite3.Error, ValueError, TypeError, OverflowError):  # one item's value: find it below
            pass
        out = []
        for item in items:
            try:
                with self.db:
                    for sql, values in rows(item):
                        self.db.execute(sql, values)
                out.append(item)
            except sqlite3.OperationalError as exc:
                raise self.error(exc) from None
            except (sqlite3.Error, ValueError, TypeError, OverflowError) as exc:
                stand_in = as_failed(item, exc)
                with self.db:
                    for sql, values in rows(stand_in):
                        self.db.execute(sql, values)
                out.append(stand_in)
        return out

    def results(self, variant: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Stored results of ``variant`` for these (key, previous) pairs."""
        out = {}
        keys = sorted({k for k, _ in wanted})
        for row in self._select_in(
                "SELECT key, previous, score, grade, errors, warnings, infos, max_rank, passed, error, decided, "
                "applicable, notices FROM results WHERE variant = ? AND key IN ({})", keys, (variant,)):
            if (row[0], row[1]) in wanted:
                out[(row[0], row[1])] = {"score": row[2], "grade": row[3], "errors": row[4], "warnings": row[5],
                                         "infos": row[6], "max_rank": row[7], "passed": bool(row[8]),
                                         "error": orjson.loads(row[9]) if row[9] else None,
                                         **coverage_fields(row[10] or 0, row[11] or 0), "notices": row[12] or 0}
        return out

    def save_results(self, items: Sequence[tuple[Checked, str]], variant: str) -> list[Checked]:
        """Record a chunk of checked reports (each with its previous key) in one transaction; return them as
        recorded (a result the database cannot hold is recorded as that report's failure)."""
        previous = {c.key: prev for c, prev in items}

        def rows(c: Checked) -> list[tuple[str, tuple[Any, ...]]]:
            return [("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (c.key, variant, previous[c.key], c.score, c.grade, *c.counts, c.max_rank, int(c.passed),
                      json_bytes(c.error) if c.error else None, c.findings, c.rules, *c.coverage, c.notices))]

        def as_failed(c: Checked, exc: Exception) -> Checked:
            return Checked(c.key, None, "—", (0, 0, 0), 0, False, error=crashed(exc, "保存", "storing"))

        return self._save([c for c, _ in items], rows, as_failed)

    def findings(self, variant: str, wanted: set[tuple[str, str]]) -> Iterator[tuple[str, str, list[list[Any]]]]:
        """(key, previous, findings) of these results, by key; a finding is [rule_id, severity, category,
        zh, en, pointer, section, location JSON or None]."""
        yield from self._per_result("findings", variant, wanted)

    def rule_counts(self, variant: str, wanted: set[tuple[str, str]]) -> Iterator[tuple[str, str, dict[str, int]]]:
        """(key, previous, {rule id: number of findings}) of these results."""
        yield from self._per_result("rules", variant, wanted)

    def _per_result(self, column: str, variant: str, wanted: set[tuple[str, str]]) -> Iterator[tuple[str, str, Any]]:
        keys = sorted({k for k, _ in wanted})
        for key, previous, blob in self._select_in(
                f"SELECT key, previous, {column} FROM results WHERE variant = ? AND key IN ({{}}) ORDER BY key", keys,
                (variant,)):
            if (key, previous) in wanted and blob:
                yield key, previous, orjson.loads(blob)

    def get_state(self, name: str) -> str | None:
        """A named value."""
        row = self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_state(self, name: str, value: str) -> None:
        """Set a named value (committed)."""
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))
        except sqlite3.OperationalError as exc:
            raise self.error(exc) from None

    # ------------------------------------------------------------------ web snapshots

    def snapshots(self, urls: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Every stored version of these web addresses, oldest first: id, url, fetched, last_seen, status,
        final_url, headers (dict), sha256, name."""
        out: dict[str, list[dict[str, Any]]] = {}
        for row in self._select_in(
                "SELECT url, id, fetched, last_seen, status, final_url, headers, sha256, name FROM snapshots "
                "WHERE url IN ({}) ORDER BY id", list(urls)):
            out.setdefault(row[0], []).append(
                {"url": row[0], "id": row[1], "fetched": row[2], "last_seen": row[3], "status": row[4],
                 "final_url": row[5], "headers": orjson.loads(row[6]) if row[6] else {}, "sha256": row[7],
                 "name": row[8]})
        for versions in out.values():
            versions.sort(key=lambda v: v["id"])
        return out

    def blob(self, sha256: str) -> bytes | None:
        """The bytes of a stored web version."""
        row = self.db.execute("SELECT body FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return zlib.decompress(row[0]) if row else None

    def save_snapshots(self, new: Sequence[tuple[str, str, int, str, dict[str, str], str, str, bytes]],
                       seen: Sequence[tuple[str, str]]) -> None:
        """Record, in one transaction, new versions (url, fetched, status, final_url, headers, sha256, name,
        body) and addresses whose latest version was seen again (url, time: a 304 or the same bytes)."""
        try:
            with self.db:
                for url, fetched, status, final_url, headers, sha, name, body in new:
                    self.db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (sha, zlib.compress(body, 6)))
                    self.db.execute("INSERT INTO snapshots (url, fetched, last_seen, status, final_url, headers, "
                                    "sha256, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    (url, fetched, fetched, status, final_url, json_bytes(headers), sha, name))
                for url, when in seen:
                    self.db.execute("UPDATE snapshots SET last_seen = ? WHERE id = (SELECT MAX(id) FROM snapshots "
                                    "WHERE url = ?)", (when, url))
        except sqlite3.OperationalError as exc:
            raise self.error(exc) from None

    def _select_in(self, sql: str, values: Sequence[Any], before: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql``, whose last condition is ``<first selected column> IN ({})``, for ``values``.

        A few values are looked up with IN lists of at most 900; for many (an incremental re-run
        of a large audit) one scan of the table filtered here is about twice as fast.
        """
        if len(values) > _SCAN_ABOVE:
            wanted = set(values)
            scan = _IN.sub("", sql)
            yield from (row for row in self.db.execute(scan, before) if row[0] in wanted)
            return
        for start in range(0, len(values), _BATCH):
            part = values[start:start + _BATCH]
            yield from self.db.execute(sql.format(",".join("?" * len(part))), (*before, *part))
