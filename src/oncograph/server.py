"""A SPARQL 1.1 Protocol endpoint over an on-disk store, with a YASGUI page preloaded with the query library.

``oncograph serve --store DIR`` answers at ``/sparql``:

* queries by GET (``?query=``) or POST (``application/x-www-form-urlencoded`` with
  ``query=``, or ``application/sparql-query``), with ``default-graph-uri`` and
  ``named-graph-uri``; results by the ``Accept`` header or by a ``format=`` /
  ``output=`` parameter (as Fuseki and Virtuoso take them): SPARQL JSON (default),
  XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle (default), RDF/XML, N-Triples or JSON-LD;
* updates (POST ``application/sparql-update`` or ``update=``) only when the server was
  started with a write token and the request carries ``Authorization: Bearer TOKEN``;
  ``LOAD`` and ``SERVICE`` are refused (found by lexing the text, never by matching it);
* every query and update runs in a worker process (:mod:`oncograph.worker`) that is
  killed when it passes its time (``--timeout``) or memory limit: a query that was
  answered 503 consumes nothing afterwards, and an update that timed out is not
  committed.  At most ``workers`` run at once; others wait their turn for a bounded
  time, and at most half of them may run long (past ``slow_after`` seconds), so a
  short query always finds a worker; past that the answer is 503 with ``Retry-After``;
* a result over ``max_rows`` rows is refused (422) with the reason, unless the request
  says ``partial=true`` (then the first rows, with ``X-Oncograph-Truncated: true``);
* each query sees every ingest committed before it started (the workers re-open the
  store when its files change): no restart after ``oncograph ingest``;
* errors are one line of ``text/plain`` with a 4xx status (5xx only for the server's
  own failures); a ``Host`` header the server does not answer to is refused (against
  DNS rebinding), and cross-origin (CORS) headers are sent only for the origins given.

The HTTP layer is the standard library's :class:`http.server.ThreadingHTTPServer`
(a thread per connection, a listen backlog of 1024, idle connections closed after
``idle_timeout`` seconds, at most ``max_connections`` at once); the page at ``/`` is
YASGUI, served from the package (``oncograph/web``), so it works offline.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import OncographError, QueryError
from .export import PREFIXES
from .query import list_queries
from .sparqlcheck import inspect_sparql
from .store import Store
from .worker import Answer, Job

__all__ = ["EndpointConfig", "HttpError", "SparqlServer", "WorkerPool", "make_server", "uses_service"]

log = logging.getLogger(__name__)

_WEB_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
              "/index.html": ("index.html", "text/html; charset=utf-8"),
              "/static/yasgui.min.js": ("yasgui.min.js", "application/javascript; charset=utf-8"),
              "/static/yasgui.min.css": ("yasgui.min.css", "text/css; charset=utf-8"),
              "/static/oncograph.js": ("oncograph.js", "application/javascript; charset=utf-8")}
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class HttpError(OncographError):
    """An error answered with an HTTP status and one line of text."""

    def __init__(self, status: HTTPStatus | int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = int(status)
        self.retry_after = retry_after


@dataclass(frozen=True)
class EndpointConfig:
    """The endpoint's limits and permissions.

    Attributes
    ----------
    timeout : float
        Seconds a query or update may run; then its worker is killed (503).
    max_rows : int
        Rows (or triples) of one answer; a longer result is refused (422) unless ``partial=true``.
    write_token : str or None
        Updates are allowed only with ``Authorization: Bearer <write_token>``.
    allow_service : bool
        Allow ``SERVICE`` (federated queries to other hosts).
    workers : int
        Worker processes, the number of queries running at once.
    slow_after : float
        A query running longer than this is "long"; at most half the workers run long ones at once.
    queue_wait : float
        Seconds a request may wait for a free worker before a 503.
    max_memory_mb : int
        Resident memory of a worker (MiB) past which its query is stopped (503).
    max_depth, max_query_bytes, max_update_bytes : int
        Nesting depth of ``{ ( [`` and size of a query (or of an authorised update) text, checked
        before any engine sees it.
    allowed_hosts : tuple of str
        ``Host`` header names answered (besides the address listened on); ``("*",)`` for any.
    cors_origins : tuple of str
        Origins sent ``Access-Control-Allow-Origin`` (``("*",)`` for any); none by default.
    idle_timeout : float
        Seconds an idle or slow connection is kept open.
    max_connections : int
        Connections open at once; past that new ones get 503 and are closed.
    """

    timeout: float = 30.0
    max_rows: int = 10_000
    write_token: str | None = None
    allow_service: bool = False
    workers: int = 4
    slow_after: float = 2.0
    queue_wait: float = 10.0
    max_memory_mb: int = 2048
    max_depth: int = 128
    max_query_bytes: int = 1 << 20
    max_update_bytes: int = 256 << 20
    allowed_hosts: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    idle_timeout: float = 15.0
    max_connections: int = 512


def uses_service(sparql: str) -> bool:
    """Whether a query uses the ``SERVICE`` keyword (outside comments, strings and IRIs).

    Examples
    --------
    >>> uses_service('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    return inspect_sparql(sparql).uses_service


# ---------------------------------------------------------------------------- workers
@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    inbox: Connection  # answers from the worker
    outbox: Connection  # jobs to the worker
    started: float = 0.0  # when its current job started (0: idle)
    niced: bool = False  # lowered in priority while running a long query: replaced afterwards

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class WorkerPool:
    """Worker processes over one on-disk store; each job runs in one of them and can be killed."""

    store_path: Path
    size: int = 4
    _idle: list[_Worker] = field(default_factory=list, repr=False)
    _busy: list[_Worker] = field(default_factory=list, repr=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _waiting: int = 0
    _closed: bool = False
    _pending: int = 0  # workers being started

    def __post_init__(self) -> None:
        for _ in range(self.size):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        """A worker: ``python -m oncograph.worker`` with a pipe each way (no import of the caller's main module)."""
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "oncograph.worker", str(self.store_path), str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        return _Worker(proc, Connection(from_child_r, writable=False), Connection(to_child_w, readable=False))

    def _replace_later(self) -> None:
        """Start a replacement worker in the background (a dead one was dropped)."""
        with self._cond:
            self._pending += 1

        def run() -> None:
            try:
                w = self._spawn()
            except Exception:  # pragma: no cover - cannot start a process
                log.exception("cannot start a worker")
                with self._cond:
                    self._pending -= 1
                return
            with self._cond:
                self._pending -= 1
                if self._closed:
                    _kill(w)
                    return
                self._idle.append(w)
                self._cond.notify()

        threading.Thread(target=run, daemon=True, name="oncograph-respawn").start()

    def long_running(self, after: float) -> int:
        now = time.monotonic()
        with self._cond:
            return sum(1 for w in self._busy if w.started and now - w.started > after)

    def run(self, job: Job, config: EndpointConfig) -> Answer:
        """Run ``job`` in a free worker; kill it at the time or memory limit."""
        deadline_wait = time.monotonic() + config.queue_wait
        with self._cond:
            if self._waiting >= 4 * config.max_connections:
                raise HttpError(503, "the server is busy; retry later", retry_after=2)
            self._waiting += 1
            try:
                while not self._idle:
                    left = deadline_wait - time.monotonic()
                    if self._closed:
                        raise HttpError(503, "the server is stopping", retry_after=5)
                    if left <= 0:
                        raise HttpError(503, f"all {self.size} query workers are busy; retry later",
                                        retry_after=max(1, int(config.timeout // 4)))
                    self._cond.wait(min(left, 0.5))
                w = self._idle.pop()
                w.started = time.monotonic()
                self._busy.append(w)
            finally:
                self._waiting -= 1
        ok = False
        try:
            answer = self._drive(w, job, config)
            ok = True
            return answer
        finally:
            with self._cond:
                self._busy.remove(w)
                w.started = 0.0
                if ok and w.alive() and not self._closed and not w.niced:
                    self._idle.append(w)
                    self._cond.notify()
                else:
                    _kill(w)
                    if not self._closed:
                        self._replace_later()

    def _drive(self, w: _Worker, job: Job, config: EndpointConfig) -> Answer:
        try:
            w.outbox.send(job)
        except (OSError, ValueError) as exc:
            raise HttpError(503, "a query worker was lost; retry", retry_after=1) from exc
        start = w.started
        deadline = start + config.timeout
        limit = config.max_memory_mb * 1024 * 1024
        slow_checked = False
        while True:
            if w.inbox.poll(0.02):
                try:
                    return w.inbox.recv()  # type: ignore[no-any-return]
                except (EOFError, OSError) as exc:
                    raise HttpError(500, "the query engine failed on this query (its worker process died)") \
                        from exc
            now = time.monotonic()
            if not w.alive():
                raise HttpError(500, "the query engine failed on this query (its worker process died)")
            if self._closed:
                raise HttpError(503, "the server is stopping", retry_after=5)
            if now > deadline:
                what = "update" if job.kind == "update" else "query"
                raise HttpError(503, f"the {what} exceeded the time limit of {config.timeout:g} s"
                                     + (" and was not committed" if job.kind == "update" else ""),
                                retry_after=max(1, int(config.timeout)))
            if _rss(w.process.pid) > limit:
                raise HttpError(503, f"the query exceeded the memory limit of {config.max_memory_mb} MiB")
            if not slow_checked and now - start > config.slow_after:
                slow_checked = True
                allowed = max(1, self.size // 2)
                if self.long_running(config.slow_after) > allowed:
                    raise HttpError(503, f"{allowed} long queries are already running; retry later",
                                    retry_after=max(1, int(config.timeout // 2)))
                with contextlib.suppress(OSError, AttributeError):  # short queries first on the CPU
                    os.setpriority(os.PRIO_PROCESS, w.process.pid, 10)
                    w.niced = True

    def close(self) -> None:
        """Stop every worker at once."""
        with self._cond:
            self._closed = True
            workers = self._idle + self._busy
            self._idle = []
            self._cond.notify_all()
        for w in workers:
            _kill(w)


def _kill(w: _Worker) -> None:
    with contextlib.suppress(Exception):
        w.process.kill()
    with contextlib.suppress(Exception):
        w.process.wait(1)
    for conn in (w.inbox, w.outbox):
        with contextlib.suppress(Exception):
            conn.close()


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss(pid: int | None) -> int:
    """Resident memory of a process in bytes (0 where /proc is not there)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


# ---------------------------------------------------------------------------- HTTP
def library_json() -> bytes:
    """The query library as JSON for the web page's example tabs (the research questions only)."""
    return json.dumps([{"name": q.name, "question": q.question, "returns": q.returns, "query": q.text}
                       for q in list_queries()], ensure_ascii=False).encode("utf-8")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the store's path, the limits and the pool of worker processes."""

    daemon_threads = True
    request_queue_size = 1024
    block_on_close = False

    def __init__(self, address: tuple[str, int], store_path: Path, config: EndpointConfig) -> None:
        host = address[0]
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.config = config
        self.store_path = store_path
        self._connections = threading.BoundedSemaphore(config.max_connections)
        super().__init__(address, _Handler)
        self.pool = WorkerPool(store_path, max(1, config.workers))
        hosts = {h.lower() for h in config.allowed_hosts}
        bound = str(self.server_address[0]).lower()
        hosts.add(bound)
        if _is_loopback(bound) or bound in ("0.0.0.0", "::"):
            hosts.update(_LOOPBACK_NAMES)
        self.allowed_hosts = frozenset(hosts)

    @property
    def url(self) -> str:
        address, port = self.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6:
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        super().server_bind()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._connections.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 29\r\nConnection: close\r\n\r\ntoo many connections; retry\r\n")
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def server_close(self) -> None:
        super().server_close()
        pool = getattr(self, "pool", None)  # not there when binding failed
        if pool is not None:
            pool.close()

    # -------------------------------------------------------------- query and update
    def _checked(self, sparql: str, update: bool) -> None:
        size = len(sparql.encode("utf-8", "surrogatepass"))
        limit = self.config.max_update_bytes if update else self.config.max_query_bytes
        if size > limit:
            raise HttpError(413, f"the {'update' if update else 'query'} is {size} bytes; the limit is {limit}")
        shape = inspect_sparql(sparql)
        if shape.depth > self.config.max_depth:
            raise HttpError(400, f"the query nests {shape.depth} levels of {{ ( [; the limit is "
                                 f"{self.config.max_depth}")
        if shape.uses_service and not self.config.allow_service:
            raise HttpError(403, "SERVICE (federated query) is disabled on this endpoint")
        if update and shape.uses_load:
            raise HttpError(403, "LOAD (fetching a URL into the store) is disabled on this endpoint")

    def answer_query(self, sparql: str, accept: str, default_graphs: list[str], named_graphs: list[str],
                     fmt: str = "", partial: bool = False) -> Answer:
        """Evaluate ``sparql`` in a worker and return its answer."""
        self._checked(sparql, update=False)
        job = Job("query", sparql, accept, fmt, tuple(default_graphs), tuple(named_graphs), self.config.max_rows,
                  partial, PREFIXES)
        return self.pool.run(job, self.config)

    def answer_update(self, sparql: str, authorization: str) -> Answer:
        """Run an update when the bearer token matches the server's write token."""
        token = self.config.write_token
        if not token:
            raise HttpError(403, "this endpoint is read-only (start it with --write-token)")
        given = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HttpError(401, "updates need 'Authorization: Bearer <write token>'")
        self._checked(sparql, update=True)
        return self.pool.run(Job("update", sparql), self.config)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "oncograph-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.request.settimeout(self.server.config.idle_timeout)  # idle and slow connections are closed
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # any other method: 405, not the standard library's 501
            return self._not_allowed
        raise AttributeError(name)

    # -------------------------------------------------------------- plumbing
    def _cors(self) -> list[tuple[str, str]]:
        origins = self.server.config.cors_origins
        origin = self.headers.get("Origin") if self.headers else None
        if not origins or not origin:
            return []
        if "*" in origins:
            return [("Access-Control-Allow-Origin", "*")]
        if origin in origins:
            return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        return []

    def _send(self, status: int, body: bytes, ctype: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in [*self._cors(), *headers]:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors of the request line and headers: one line of plain text, like every other error."""
        self.close_connection = True
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:  # a client error, whatever the RFC's number
            code, message = 400, message or "unsupported HTTP version"
        if self.request_version == "HTTP/0.9":  # a request line that did not parse: answer in HTTP/1.1
            self.request_version = "HTTP/1.1"
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        text = f"{message or phrase}\n".replace("\r", " ").encode("utf-8", "replace")
        if not hasattr(self, "headers"):
            self.headers = None  # type: ignore[assignment]
        self.send_response(code, phrase)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(text)

    def _error(self, err: HttpError) -> None:
        headers = [("Retry-After", str(err.retry_after))] if err.retry_after is not None else []
        self._send(err.status, (str(err).replace("\n", " ") + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                   headers)

    def _guard(self, action: Any) -> None:
        try:
            self._check_host()
            action()
        except HttpError as exc:
            self._error(exc)
        except QueryError as exc:
            self._error(HttpError(400, str(exc)))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:
            log.exception("internal error")
            self.close_connection = True
            self._error(HttpError(500, f"internal error: {type(exc).__name__}"))

    def _check_host(self) -> None:
        if self.headers is not None and self.headers.defects:
            self.close_connection = True
            raise HttpError(400, "malformed request headers")
        allowed = self.server.allowed_hosts
        if "*" in allowed:
            return
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            if self.request_version == "HTTP/1.0":
                return
            raise HttpError(400, "missing Host header")
        name = host[1:host.index("]")] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0] \
            if host.count(":") == 1 else host
        if name not in allowed:
            raise HttpError(403, f"this server does not answer for host {name[:100]!r} (see --allowed-host)")

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise HttpError(411, "send the body with a Content-Length (chunked bodies are not accepted)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise HttpError(400, "bad Content-Length") from None
        config = self.server.config
        given = self.headers.get("Authorization") or ""
        given = given[7:].strip() if given.lower().startswith("bearer ") else ""
        authorised = bool(config.write_token) and hmac.compare_digest(given.encode(),
                                                                      (config.write_token or "").encode())
        limit = (max(config.max_update_bytes, config.max_query_bytes) if authorised else config.max_query_bytes) \
            + 4096
        if length > limit:
            self.close_connection = True
            raise HttpError(413, f"request body of {length} bytes; the limit is {limit}")
        data = self.rfile.read(length) if length else b""
        if len(data) < length:
            self.close_connection = True
            raise HttpError(400, "the request body ended early")
        return data

    # -------------------------------------------------------------- methods
    def _not_allowed(self) -> None:
        self.close_connection = True
        self._error(HttpError(405, f"method {str(self.command)[:20]} is not allowed; use GET, HEAD or POST"))

    def do_OPTIONS(self) -> None:
        def run() -> None:
            headers = [("Allow", "GET, HEAD, POST, OPTIONS")]
            if self._cors():
                headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                            ("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization"),
                            ("Access-Control-Max-Age", "600")]
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", headers)

        self._guard(run)

    def do_HEAD(self) -> None:
        self._guard(self._get)

    def do_GET(self) -> None:
        self._guard(self._get)

    def do_POST(self) -> None:
        self._guard(self._post)

    def _params(self, query: str) -> dict[str, list[str]]:
        try:
            return parse_qs(query, keep_blank_values=True, errors="strict", max_num_fields=1000)
        except (UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, f"bad query string: {exc}") from None

    def _get(self) -> None:
        url = urlsplit(self.path)
        if url.path in _WEB_FILES:
            name, ctype = _WEB_FILES[url.path]
            body = resources.files("oncograph.web").joinpath(name).read_bytes()
            self._send(HTTPStatus.OK, body, ctype, [("Cache-Control", "no-cache")])
            return
        if url.path == "/queries.json":
            self._send(HTTPStatus.OK, library_json(), "application/json")
            return
        if url.path != "/sparql":
            raise HttpError(404, f"no such page: {url.path[:200]}")
        params = self._params(url.query)
        if "update" in params:
            raise HttpError(405, "updates must be sent by POST")
        if "query" not in params:
            self._send(HTTPStatus.OK, b"SPARQL 1.1 endpoint: send ?query=...\n", "text/plain; charset=utf-8")
            return
        self._query(params)

    def _post(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path != "/sparql":
            raise HttpError(404, f"no such endpoint: {url.path[:200]}")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self._params(url.query)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(400, "the request body is not UTF-8") from None
        if ctype == "application/sparql-query":
            if "query" in params:
                raise HttpError(400, "a query in the body and in the URL: give one")
            params["query"] = [text]
        elif ctype == "application/sparql-update":
            if "update" in params:
                raise HttpError(400, "an update in the body and in the URL: give one")
            params["update"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in self._params(text).items():
                params.setdefault(k, []).extend(v)
        else:
            raise HttpError(415, "send application/sparql-query, application/sparql-update or a form")
        if "update" in params:
            if "query" in params:
                raise HttpError(400, "give either query or update, not both")
            if len(params["update"]) != 1:
                raise HttpError(400, "give exactly one update")
            answer = self.server.answer_update(params["update"][0], self.headers.get("Authorization") or "")
            self._answer(answer)
            return
        if "query" not in params:
            raise HttpError(400, "missing query (or update) parameter")
        self._query(params)

    def _query(self, params: dict[str, list[str]]) -> None:
        if len(params["query"]) != 1:
            raise HttpError(400, "give exactly one query")
        formats = params.get("format", []) + params.get("output", [])
        if len(set(formats)) > 1:
            raise HttpError(400, "give one format (format= or output=)")
        partial = (params.get("partial") or ["false"])[0].lower() in ("1", "true", "yes")
        answer = self.server.answer_query(
            params["query"][0], self.headers.get("Accept") or "",
            params.get("default-graph-uri", []), params.get("named-graph-uri", []),
            formats[0] if formats else "", partial)
        self._answer(answer)

    def _answer(self, answer: Answer) -> None:
        headers: list[tuple[str, str]] = [("Vary", "Accept")]
        if answer.truncated:
            headers += [("X-Oncograph-Truncated", "true"), ("X-Oncograph-Max-Rows", str(self.server.config.max_rows))]
        if answer.status == 503:
            headers.append(("Retry-After", "2"))
        self._send(answer.status, answer.body, answer.content_type, headers)


def make_server(store: Store | str | Path, host: str = "127.0.0.1", port: int = 7878,
                config: EndpointConfig | None = None) -> SparqlServer:
    """A ready (not yet serving) endpoint over an on-disk store; ``port=0`` picks a free port.

    Parameters
    ----------
    store : Store or path
        The store (its folder): the workers open it themselves, read-only.
    host, port : str, int
        Where to listen (``::1`` and other IPv6 addresses work).
    config : EndpointConfig, optional
        Limits and permissions.

    Raises
    ------
    OncographError
        For an in-memory store, a store folder that does not exist, or an address that cannot be listened on.
    """
    path = store.path if isinstance(store, Store) else Path(store)
    if path is None:
        raise OncographError("the endpoint serves an on-disk store: give a store folder")
    if not path.is_dir():
        raise OncographError(f"{path}: no store here (run `oncograph ingest` or `build` first)")
    try:
        return SparqlServer((host, port), path, config or EndpointConfig())
    except OverflowError as exc:
        raise OncographError(f"cannot listen on port {port}: {exc}") from exc
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise OncographError(f"cannot listen on {host}:{port}: {reason}") from exc
