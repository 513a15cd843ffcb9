"""A SPARQL 1.1 Protocol endpoint over the store, with a YASGUI page preloaded with the query library.

``oncograph serve --store DIR`` answers at ``/sparql``:

* queries by GET (``?query=``) or POST (``application/x-www-form-urlencoded`` with
  ``query=``, or ``application/sparql-query``), with ``default-graph-uri`` and
  ``named-graph-uri``; results by the ``Accept`` header: SPARQL JSON (default), XML,
  CSV, TSV; CONSTRUCT/DESCRIBE as Turtle (default), N-Triples or JSON-LD;
* updates (POST ``application/sparql-update`` or ``update=``) only when the server was
  started with a write token and the request carries ``Authorization: Bearer TOKEN``;
* a per-query time limit (HTTP 503 when exceeded) and a result row limit (the first
  rows are sent, with ``X-Oncograph-Truncated: true``); queries that use ``SERVICE``
  are refused (HTTP 403) unless allowed;
* errors as one line of ``text/plain`` (400 for malformed SPARQL).

The page at ``/`` is YASGUI, served from the package (``oncograph/web``), so it works
offline; ``/queries.json`` lists the library for its example tabs.  The standard
library's :class:`http.server.ThreadingHTTPServer` does the HTTP; each query runs in a
worker thread (pyoxigraph releases the GIL) and is abandoned at its deadline.
"""

from __future__ import annotations

import concurrent.futures
import csv
import hmac
import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import OncographError
from .export import PREFIXES
from .query import list_queries
from .store import Store

__all__ = ["EndpointConfig", "SparqlServer", "make_server", "uses_service"]

log = logging.getLogger(__name__)

_MAX_BODY = 1 << 20  # 1 MiB of query or update text
_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_SELECT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
_GRAPH_TYPES = {
    "text/turtle": ("turtle", ox.RdfFormat.TURTLE),
    "application/x-turtle": ("turtle", ox.RdfFormat.TURTLE),
    "application/n-triples": ("ntriples", ox.RdfFormat.N_TRIPLES),
    "text/plain": ("ntriples", ox.RdfFormat.N_TRIPLES),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/json": ("jsonld", ox.RdfFormat.JSON_LD),
}
_GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
                "jsonld": "application/ld+json"}
_WEB_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
              "/index.html": ("index.html", "text/html; charset=utf-8"),
              "/static/yasgui.min.js": ("yasgui.min.js", "application/javascript; charset=utf-8"),
              "/static/yasgui.min.css": ("yasgui.min.css", "text/css; charset=utf-8"),
              "/static/oncograph.js": ("oncograph.js", "application/javascript; charset=utf-8")}


class HttpError(OncographError):
    """An error answered with an HTTP status and one line of text."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class EndpointConfig:
    """The endpoint's limits and permissions."""

    timeout: float = 30.0  # seconds per query
    max_rows: int = 10_000  # result rows (or triples) per response
    write_token: str | None = None  # updates allowed only with this bearer token
    allow_service: bool = False  # SERVICE to other hosts


def uses_service(sparql: str) -> bool:
    """Whether a query uses the ``SERVICE`` keyword (outside comments, strings and IRIs).

    Examples
    --------
    >>> uses_service('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', " ", sparql)
    text = re.sub(r"<[^<>\"{}|^`\\\s]*>", " ", text)
    text = re.sub(r"#[^\n]*", " ", text)
    return re.search(r"(?<![\w:?$])SERVICE\b", text, re.IGNORECASE) is not None


def _negotiate(accept: str, table: dict[str, Any], default: Any) -> Any:
    """The first type of ``accept`` (by q, then order) found in ``table``."""
    if not accept:
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, fields[0].lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    raise HttpError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in any of: {accept}")


# ---------------------------------------------------------------------------- results
def _json_term(t: Any) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "literal", "value": str(t)}  # pragma: no cover - triple terms


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"  # pragma: no cover


def serialize_select(variables: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV result format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None)
                       + "</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([["" if t is None else t.value for t in row] for row in rows])
        return buf.getvalue().encode("utf-8")
    # tsv: terms in SPARQL/Turtle syntax
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (("_askResult\n" if fmt == "csv" else "?_askResult\n") + ("true" if value else "false") + "\n").encode()


# ---------------------------------------------------------------------------- endpoint
class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the store, the limits and a pool of query workers."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Store, config: EndpointConfig) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.config = config
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="sparql")
        self.write_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def run_with_deadline(self, job: Callable[[float], Any]) -> Any:
        """Run ``job(deadline)`` in a worker; raise 503 when it passes the time limit."""
        deadline = time.monotonic() + self.config.timeout
        future = self.pool.submit(job, deadline)
        try:
            return future.result(timeout=self.config.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE,
                            f"query exceeded the time limit of {self.config.timeout:g} s") from None

    # -------------------------------------------------------------- query
    def answer_query(self, sparql: str, accept: str, default_graphs: list[str],
                     named_graphs: list[str]) -> tuple[bytes, str, bool]:
        """Evaluate ``sparql``: (body, content type, truncated)."""
        if not self.config.allow_service and uses_service(sparql):
            raise HttpError(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is disabled on this endpoint")
        kwargs: dict[str, Any] = {"use_default_graph_as_union": not default_graphs}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        limit = self.config.max_rows

        def job(deadline: float) -> tuple[str, Any, Any, bool]:
            try:
                result = self.store.oxigraph.query(sparql, **kwargs)
            except SyntaxError as exc:
                raise HttpError(HTTPStatus.BAD_REQUEST,
                                f"malformed SPARQL: {str(exc).splitlines()[0]}") from exc
            if isinstance(result, ox.QueryBoolean):
                return "ask", bool(result), None, False
            rows: list[Any] = []
            truncated = False
            for item in result:
                if len(rows) >= limit:
                    truncated = True
                    break
                if time.monotonic() > deadline:
                    raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE,
                                    f"query exceeded the time limit of {self.config.timeout:g} s")
                rows.append(item)
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                return "select", variables, [[sol[v] for v in variables] for sol in rows], truncated
            return "graph", None, rows, truncated

        try:
            kind, a, b, truncated = self.run_with_deadline(job)
        except (OSError, RuntimeError, ValueError) as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"query failed: {str(exc).splitlines()[0]}") from exc
        if kind == "ask":
            fmt = _negotiate(accept, _SELECT_TYPES, "json")
            return serialize_boolean(a, fmt), _SELECT_MEDIA[fmt], False
        if kind == "select":
            fmt = _negotiate(accept, _SELECT_TYPES, "json")
            return serialize_select(a, b, fmt), _SELECT_MEDIA[fmt], truncated
        name, rdf_format = _negotiate(accept, _GRAPH_TYPES, ("turtle", ox.RdfFormat.TURTLE))
        body = ox.serialize(b, format=rdf_format, prefixes=PREFIXES if name == "turtle" else None)
        return body or b"", _GRAPH_MEDIA[name], truncated

    # -------------------------------------------------------------- update
    def answer_update(self, sparql: str, authorization: str) -> None:
        """Run an update when the bearer token matches the server's write token."""
        token = self.config.write_token
        if not token:
            raise HttpError(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start it with --write-token)")
        given = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HttpError(HTTPStatus.UNAUTHORIZED, "updates need 'Authorization: Bearer <write token>'")
        if not self.config.allow_service and uses_service(sparql):
            raise HttpError(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is disabled on this endpoint")

        def job(deadline: float) -> None:
            with self.write_lock:
                try:
                    self.store.oxigraph.update(sparql)
                except SyntaxError as exc:
                    raise HttpError(HTTPStatus.BAD_REQUEST,
                                    f"malformed SPARQL update: {str(exc).splitlines()[0]}") from exc
                self.store.oxigraph.flush() if self.store.path is not None else None

        try:
            self.run_with_deadline(job)
        except (OSError, RuntimeError, ValueError) as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"update failed: {str(exc).splitlines()[0]}") from exc


def library_json() -> bytes:
    """The query library as JSON for the web page's example tabs."""
    return json.dumps([{"name": q.name, "question": q.question, "returns": q.returns, "query": q.text}
                       for q in list_queries()], ensure_ascii=False).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "oncograph-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # -------------------------------------------------------------- plumbing
    def _send(self, status: int, body: bytes, ctype: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.replace("\n", " ") + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if length > _MAX_BODY:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {_MAX_BODY} bytes")
        return self.rfile.read(length) if length else b""

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except HttpError as exc:
            self._error(exc.status, str(exc))
        except Exception as exc:
            log.exception("internal error")
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}")

    # -------------------------------------------------------------- methods
    def do_OPTIONS(self) -> None:
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain",
                   [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")])

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._guard(self._get)

    def do_POST(self) -> None:
        self._guard(self._post)

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
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such page: {url.path}")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            raise HttpError(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be sent by POST")
        if "query" not in params:
            self._send(HTTPStatus.OK, b"SPARQL 1.1 endpoint: send ?query=...\n", "text/plain; charset=utf-8")
            return
        self._query(params)

    def _post(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint: {url.path}")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/sparql-update":
            params["update"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                            "send application/sparql-query, application/sparql-update or a form")
        if "update" in params:
            if "query" in params:
                raise HttpError(HTTPStatus.BAD_REQUEST, "give either query or update, not both")
            self.server.answer_update(params["update"][0], self.headers.get("Authorization") or "")
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
            return
        if "query" not in params:
            raise HttpError(HTTPStatus.BAD_REQUEST, "missing query (or update) parameter")
        self._query(params)

    def _query(self, params: dict[str, list[str]]) -> None:
        if len(params["query"]) != 1:
            raise HttpError(HTTPStatus.BAD_REQUEST, "give exactly one query")
        body, ctype, truncated = self.server.answer_query(
            params["query"][0], self.headers.get("Accept") or "",
            params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        headers = [("X-Oncograph-Truncated", "true"),
                   ("X-Oncograph-Max-Rows", str(self.server.config.max_rows))] if truncated else []
        self._send(HTTPStatus.OK, body, ctype, headers)


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878,
                config: EndpointConfig | None = None) -> SparqlServer:
    """A ready (not yet serving) endpoint; ``port=0`` picks a free port (see ``server.url``).

    Examples
    --------
    >>> server = make_server(Store(), port=0)
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    try:
        return SparqlServer((host, port), store, config or EndpointConfig())
    except OSError as exc:
        raise OncographError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
