"""A remote store: any SPARQL 1.1 Query/Update server, with the Graph Store Protocol when known.

:class:`RemoteStore` has the methods of :class:`~oncograph.store.Store` that the
pipeline, the query library and the exports use (``query``, ``replace_graph``,
``remove_graph``, ``ensure_ontology``, ``document_graphs``, ``quads``, ``flush``),
so ``--store http://…`` works for ``ingest``, ``query`` and ``export``.

Endpoints
---------
``RemoteStore("http://host:7878")`` (a URL without a path) asks the server once which it is:
``oncograph serve`` (``/sparql`` for queries and updates) or Oxigraph (``/query``,
``/update`` and ``/store``).  Any other URL is the query endpoint; the update
endpoint and the Graph Store Protocol endpoint are given as keywords, or by the
environment variables ``ONCOGRAPH_UPDATE_URL`` and ``ONCOGRAPH_GSP_URL``, and default to
the query URL and to none (whole graphs then go through SPARQL Update and SELECT).
``ONCOGRAPH_STORE_USER``/``ONCOGRAPH_STORE_PASSWORD`` add HTTP basic authentication, and
``ONCOGRAPH_STORE_TOKEN`` a bearer token (``oncograph serve --write-token``).

Virtuoso (``http://host:8890/sparql``) is known by the ``Server:`` header of its first answer (a
bare URL asks at once): graphs are then written through its Graph Store endpoint
(``/sparql-graph-crud``) and read back with SELECT; an answer it cut at ``ResultSetMaxRows``
(an ``X-SPARQL-MaxRows`` header) is an error, and its ``nodeID://`` blank nodes are read as blank
nodes.  See :mod:`oncograph.virtuoso` for a server on loopback and the bulk loader.

Every request has one deadline for the whole exchange (connect, headers, body): a server
that refuses, hangs or trickles its answer gives a one-line :class:`StoreError` within
``timeout`` seconds; one that answers HTML (a login page, a wrong URL) says so.  A
document's graph is written in one request (a Graph Store ``PUT``, or one update that
drops and inserts), so a failure leaves the old graph or the new one.

The queries of the library read document data from the default graph, so the server
must answer with the union of its named graphs as the default graph (Oxigraph
``--union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``, GraphDB and Virtuoso
do by default).  Parameters are sent as a ``VALUES`` block at the start of the
query's outer ``WHERE`` group, with terms written by pyoxigraph, never pasted text.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .errors import QueryError, StoreError
from .store import (
    _META,
    _ONTOLOGY_HASH,
    _ONTOLOGY_SOURCE,
    _REC,
    _WITHIN,
    CLOSURE_GRAPH,
    DOCUMENT_GRAPH_PREFIX,
    ONTOLOGY_GRAPH,
    TERMS_GRAPH,
    DocumentRecord,
    module_terms,
    ontology_digest,
    to_ox,
)
from .termgraph import closure_triples, term_triples
from .vocab import ONC
from .vocabulary import Vocabulary

__all__ = ["RemoteStore", "inject_values"]

_RESULTS_JSON = "application/sparql-results+json"
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*)"nodeID://')


def inject_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with ``VALUES (?k …) { (v …) }`` opening its outer ``WHERE`` group.

    Examples
    --------
    >>> inject_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.NamedNode("http://a")})
    'SELECT ?x WHERE { VALUES (?x) { (<http://a>) }\\n ?x ?p ?o }'
    """
    if not bindings:
        return sparql
    masked = re.sub(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"", lambda m: " " * len(m.group()), sparql)
    m = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE) or re.search(r"\{", masked)
    if m is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    return sparql[: m.end()] + f" VALUES ({names}) {{ ({values}) }}\n" + sparql[m.end():]


class RemoteStore:
    """A store on a SPARQL 1.1 server.

    Parameters
    ----------
    url : str
        The query endpoint, or the bare ``http://host:port`` of an Oxigraph server.
    update_url, gsp_url : str, optional
        The update and Graph Store Protocol endpoints (see the module notes).
    timeout : float
        Seconds per HTTP request.
    """

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = 120.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        self.timeout = timeout
        self.path = None
        user, password = os.environ.get("ONCOGRAPH_STORE_USER"), os.environ.get("ONCOGRAPH_STORE_PASSWORD")
        token = os.environ.get("ONCOGRAPH_STORE_TOKEN")
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password or ''}".encode()).decode()) if user else \
            (f"Bearer {token}" if token else None)
        base = url.rstrip("/")
        gsp_url = gsp_url or os.environ.get("ONCOGRAPH_GSP_URL")
        self.server = "sparql"
        if parts.path in ("", "/"):
            self.server = self._which(base + "/sparql") or "oxigraph"
            if self.server == "oxigraph":
                self.query_url, default_update, default_gsp = base + "/query", base + "/update", base + "/store"
            else:
                self.query_url, default_update, default_gsp = base + "/sparql", base + "/sparql", None
        else:
            self.query_url, default_update, default_gsp = url, url, None
        self.update_url = update_url or os.environ.get("ONCOGRAPH_UPDATE_URL") or default_update
        self.gsp_url = gsp_url or default_gsp
        self._gsp_given = gsp_url is not None
        if self.server == "virtuoso":
            self._virtuoso()

    def _virtuoso(self) -> None:
        """The server is Virtuoso (its ``Server:`` header says so, in any answer): write graphs through its
        Graph Store endpoint beside ``/sparql`` unless one was given, since its INSERT DATA refuses blank
        nodes and its compiler refuses updates of over 10,000 lines."""
        self.server = "virtuoso"
        if not self._gsp_given and self.query_url.endswith("/sparql"):
            self.gsp_url = self.query_url.removesuffix("/sparql") + "/sparql-graph-crud"

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    def _which(self, sparql_url: str) -> str | None:
        """``oncograph`` or ``virtuoso`` when the server at ``sparql_url`` names itself so, else None."""
        try:
            status, headers, _ = self._exchange("GET", sparql_url, None, {}, min(self.timeout, 10.0))
        except StoreError:
            return None
        server = headers.get("server", "")
        if status == 200 and server.startswith("oncograph-sparql"):
            return "oncograph"
        return "virtuoso" if server.startswith("Virtuoso/") else None

    # ------------------------------------------------------------------ HTTP
    def _exchange(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str],
                  timeout: float) -> tuple[int, dict[str, str], bytes]:
        """One request with one deadline for all of it; (status, headers in lower case, body)."""
        parts = urllib.parse.urlsplit(url)
        conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        deadline = time.monotonic() + timeout
        conn = conn_cls(parts.hostname or "", parts.port, timeout=timeout)  # the timer cuts at the deadline
        expired = threading.Event()

        def cut() -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(timeout, cut)
        timer.daemon = True
        timer.start()
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            conn.request(method, target, body=body, headers=dict(headers))
            resp = conn.getresponse()
            chunks = []
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = resp.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            if expired.is_set():
                raise TimeoutError
            length = resp.getheader("Content-Length")
            if length and length.isdigit() and sum(map(len, chunks)) < int(length):
                raise StoreError(f"{url}: the answer of the SPARQL server ended early")
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, b"".join(chunks)
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError):
                raise StoreError(f"{url}: the SPARQL server did not answer within {timeout:g} s") from exc
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            reason = " ".join(repr(reason)[1:-1].split())[:200]
            raise StoreError(f"{url}: cannot reach the SPARQL server: {reason}") from exc
        finally:
            timer.cancel()
            conn.close()

    def _http(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
              ok_missing: bool = False) -> bytes:
        return self._request(method, url, body, headers, ok_missing)[1]

    def _request(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                 ok_missing: bool = False) -> tuple[dict[str, str], bytes]:
        """One checked request: (headers in lower case, body)."""
        h = dict(headers or {})
        if self._auth:
            h["Authorization"] = self._auth
        status, rh, data = self._exchange(method, url, body, h, self.timeout)
        if self.server == "sparql" and rh.get("server", "").startswith("Virtuoso/"):
            self._virtuoso()  # known from its first answer: ingest asks before it writes
        if ok_missing and status == 404:
            return rh, b""
        if status >= 400:
            detail = data.decode("utf-8", "replace").strip().splitlines()
            first = detail[0][:300] if detail and "html" not in rh.get("content-type", "") else ""
            message = f"{method} {url}: HTTP {status}" + (f": {first}" if first else "")
            if status == 400:
                raise QueryError(message)
            raise StoreError(message)
        if "text/html" in rh.get("content-type", "") and (method == "GET" or url == self.query_url):
            raise StoreError(f"{url}: the server answered an HTML page, not SPARQL results "
                             "(is this the URL of the SPARQL endpoint?)")
        return rh, data

    def _graph_url(self, graph: str) -> str:
        assert self.gsp_url is not None
        sep = "&" if "?" in self.gsp_url else "?"
        return self.gsp_url + sep + urllib.parse.urlencode({"graph": graph})

    def update(self, sparql: str) -> None:
        """Run a SPARQL update on the server."""
        self._http("POST", self.update_url, sparql.encode("utf-8"),
                   {"Content-Type": "application/sparql-update"})

    # ------------------------------------------------------------------ queries
    def query(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Any:
        """Run a SELECT or ASK query; the answer as pyoxigraph solutions (or a boolean)."""
        text = inject_values(sparql, bindings or {})
        headers, body = self._request("POST", self.query_url, urllib.parse.urlencode({"query": text}).encode(),
                                      {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON})
        cut = headers.get("x-sparql-maxrows")
        if cut:  # Virtuoso's ResultSetMaxRows: it answers the first rows only, and says so in this header alone
            raise StoreError(f"{self.query_url}: the server cut the answer at {cut} rows (Virtuoso: raise "
                             "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
        if b'"nodeID://' in body:  # Virtuoso names blank nodes by an IRI-like nodeID://b123
            body = _VIRTUOSO_BNODE.sub(rb'\1"', body)
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.query_url}: the answer is not SPARQL JSON results "
                             "(only SELECT and ASK go through a remote store)") from exc

    # ------------------------------------------------------------------ graphs
    def _put(self, graph: str, triples: list[str], extra: str = "") -> None:
        if self.gsp_url:
            self._http("PUT", self._graph_url(graph), "".join(t + " .\n" for t in triples).encode("utf-8"),
                       {"Content-Type": "application/n-triples"})
        else:
            g = ox.NamedNode(graph)
            self.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n"
                        + "\n".join(t + " ." for t in triples) + "\n} }" + extra)
            return
        if extra:
            self.update(extra.lstrip(" ;\n"))

    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]],
                      record: DocumentRecord | None = None) -> int:
        """Replace the named graph ``graph`` by ``triples`` (one request), then its record; return the count."""
        return self._replace(graph, [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in triples], record)

    def replace_graph_quads(self, graph: str, quads: Iterable[ox.Quad], record: DocumentRecord | None = None) -> int:
        """:meth:`replace_graph` for quads already in pyoxigraph's terms (their graph names are ignored)."""
        return self._replace(graph, [f"{q.subject} {q.predicate} {q.object}" for q in quads], record)

    def _replace(self, graph: str, lines: list[str], record: DocumentRecord | None) -> int:
        g = ox.NamedNode(graph)
        extra = f" ;\nDELETE WHERE {{ GRAPH {_META} {{ {g} ?p ?o }} }}"
        if record is not None:
            extra += (f" ;\nINSERT DATA {{ GRAPH {_META} {{\n"
                      + "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in record.quads()) + "\n} }")
        self._put(graph, lines, extra)
        return len(lines)

    def remove_graph(self, graph: str) -> None:
        """Drop a named graph (and its document record) if it exists."""
        g = ox.NamedNode(graph)
        self.update(f"DROP SILENT GRAPH {g} ; DELETE WHERE {{ GRAPH {_META} {{ {g} ?p ?o }} }}")

    def records(self) -> dict[str, DocumentRecord]:
        """The record of every ingested document, by graph IRI."""
        fields: dict[str, dict[str, str]] = {}
        for sol in self.query(f"SELECT ?g ?p ?o WHERE {{ GRAPH {_META} {{ ?g ?p ?o }} }}"):
            g, p, o = sol["g"], sol["p"], sol["o"]
            if isinstance(g, ox.NamedNode) and isinstance(p, ox.NamedNode) and p.value.startswith(_REC):
                fields.setdefault(g.value, {})[p.value[len(_REC):]] = str(o.value)
        return {g: DocumentRecord(g, f.get("name", ""), f.get("source", ""), f.get("root", ""),
                                  f.get("contentHash", ""), f.get("codeHash", ""), f.get("fileHash", ""))
                for g, f in fields.items()}

    def ontology_source(self) -> str:
        """What the server's ontology was loaded by (``source`` of :meth:`ensure_ontology`), or ""."""
        found = self.query(f"SELECT ?s WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} {_ONTOLOGY_SOURCE} ?s }} }}")
        return next((str(sol["s"].value) for sol in found if sol["s"] is not None), "")

    def ensure_ontology(self, ontology: Graph, vocab: Vocabulary, *, source: str = "") -> bool:
        """Load the ontology and the closure of its terms unless this very version is already there."""
        digest = ontology_digest(ontology, vocab)
        found = self.query(f"SELECT ?h WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_HASH} {_ONTOLOGY_HASH} ?h }} }}")
        if any(sol["h"] is not None and sol["h"].value == digest for sol in found):
            if source and self.ontology_source() != source:
                self._set_source(source)
            return False
        # the hash goes first and comes back last: a failure in between leaves no hash, so the
        # next ingest loads the ontology again; document records in the same graph are kept
        self.update(f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_HASH} ?p ?o }} }} ; "
                    f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} ?p ?o }} }}")
        self._put(ONTOLOGY_GRAPH.value, [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in ontology])
        closure = closure_triples(module_terms(ontology, vocab), vocab)
        self._put(CLOSURE_GRAPH.value, [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in closure])
        self.update(f"DROP SILENT GRAPH {TERMS_GRAPH}")
        self._known = None
        used = self.query("SELECT DISTINCT ?t WHERE { GRAPH ?g { ?x ?p ?t } VALUES ?p { "
                          + " ".join(f"<{p}>" for p in (ONC.hasSite, ONC.hasTumorType, ONC.hasMarker, ONC.hasAgent,
                                                        ONC.hasProcedure)) + " } }")
        self.add_terms([c for sol in used if isinstance(sol["t"], ox.NamedNode)
                        and (c := vocab.curie(sol["t"].value)) is not None], vocab)
        self.update(f"INSERT DATA {{ GRAPH {_META} {{ {_ONTOLOGY_HASH} {_ONTOLOGY_HASH} {ox.Literal(digest)} }} }}")
        if source:
            self._set_source(source)
        return True

    def _set_source(self, source: str) -> None:
        self.update(f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} ?p ?o }} }} ; "
                    f"INSERT DATA {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} {_ONTOLOGY_SOURCE} {ox.Literal(source)} }} }}")

    _known: set[str] | None = None

    def add_terms(self, curies: Iterable[str], vocab: Vocabulary) -> int:
        """Describe the terms and their ancestors that the server does not hold yet (one update)."""
        if self._known is None:
            found = self.query(f"SELECT ?t WHERE {{ GRAPH {CLOSURE_GRAPH} {{ ?t {_WITHIN} ?t }} }}")
            self._known = {sol["t"].value for sol in found if isinstance(sol["t"], ox.NamedNode)}
        missing = sorted(c for c in vocab.closure_of(c for c in curies if c in vocab)
                         if vocab.iri(c) not in self._known)
        if not missing:
            return 0
        terms = [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for c in missing for s, p, o in term_triples(vocab[c], vocab)]
        closure = [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in closure_triples(missing, vocab)]
        if self.server == "virtuoso" and self.gsp_url:
            # Virtuoso compiles an update into SQL and refuses one of over 10,000 lines: a Graph Store POST
            # (which adds to a graph) each, the closure second, so that a term is known once both are in
            for graph, lines in ((TERMS_GRAPH, terms), (CLOSURE_GRAPH, closure)):
                self._http("POST", self._graph_url(graph.value), "".join(t + " .\n" for t in lines).encode("utf-8"),
                           {"Content-Type": "application/n-triples"})
        else:
            self.update(f"INSERT DATA {{ GRAPH {TERMS_GRAPH} {{\n" + "\n".join(t + " ." for t in terms) + "\n} "
                        f"GRAPH {CLOSURE_GRAPH} {{\n" + "\n".join(t + " ." for t in closure) + "\n} }")
        self._known.update(vocab.iri(c) for c in missing)
        return len(missing)

    def document_graphs(self) -> list[str]:
        """The named graphs of ingested documents, sorted."""
        found = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(STRSTARTS(STR(?g), ?prefix)) }", {"prefix": ox.Literal(DOCUMENT_GRAPH_PREFIX)})
        return sorted(sol["g"].value for sol in found if isinstance(sol["g"], ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of one named graph, or of every document graph."""
        for g in [graph] if graph is not None else self.document_graphs():
            name = ox.NamedNode(g)
            # Virtuoso's Graph Store GET cuts a graph at ResultSetMaxRows + 1 triples and says nothing;
            # its SELECT answers say so (an X-SPARQL-MaxRows header), which query() turns into an error
            if self.gsp_url and self.server != "virtuoso":
                body = self._http("GET", self._graph_url(g), headers={"Accept": "application/n-triples"},
                                  ok_missing=True)
                for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(t.subject, t.predicate, t.object, name)
            else:
                for sol in self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name}):
                    yield ox.Quad(sol["s"], sol["p"], sol["o"], name)

    def dump_canonical(self, dest: Path, graphs: Iterable[str] | None = None) -> int:
        """Write document graphs (all by default) as sorted N-Quads, like :meth:`Store.dump_canonical`."""
        from .safeio import atomic_path

        quads = self.quads() if graphs is None else (q for g in graphs for q in self.quads(g))
        lines = sorted({f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads})
        with atomic_path(dest) as tmp:
            tmp.write_text("".join(lines), encoding="utf-8")
        return len(lines)

    def flush(self) -> None:
        """Nothing to do: the server makes its writes durable."""
