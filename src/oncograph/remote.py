"""A remote store: any SPARQL 1.1 Query/Update server, with the Graph Store Protocol when known.

:class:`RemoteStore` has the methods of :class:`~oncograph.store.Store` that the
pipeline, the query library and the exports use (``query``, ``replace_graph``,
``remove_graph``, ``ensure_ontology``, ``document_graphs``, ``quads``, ``flush``),
so ``--store http://…`` works for ``ingest``, ``query`` and ``export``.

Endpoints
---------
``RemoteStore("http://host:7878")`` (a URL without a path) assumes Oxigraph's layout:
``/query``, ``/update`` and ``/store``.  Any other URL is the query endpoint; the update
endpoint and the Graph Store Protocol endpoint are given as keywords, or by the
environment variables ``ONCOGRAPH_UPDATE_URL`` and ``ONCOGRAPH_GSP_URL``, and default to
the query URL and to none (whole graphs then go through SPARQL Update and SELECT).
``ONCOGRAPH_STORE_USER``/``ONCOGRAPH_STORE_PASSWORD`` add HTTP basic authentication.

The queries of the library read document data from the default graph, so the server
must answer with the union of its named graphs as the default graph (Oxigraph
``--union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``, GraphDB and Virtuoso
do by default).  Parameters are sent as a ``VALUES`` block at the start of the
query's outer ``WHERE`` group, with terms written by pyoxigraph, never pasted text.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .errors import QueryError, StoreError
from .store import _META, _ONTOLOGY_HASH, CLOSURE_GRAPH, DOCUMENT_GRAPH_PREFIX, ONTOLOGY_GRAPH, closure_triples, to_ox
from .terms import TermIndex

__all__ = ["RemoteStore", "inject_values"]

_RESULTS_JSON = "application/sparql-results+json"


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
        base = url.rstrip("/")
        if parts.path in ("", "/"):
            self.query_url, default_update, default_gsp = base + "/query", base + "/update", base + "/store"
        else:
            self.query_url, default_update, default_gsp = url, url, None
        self.update_url = update_url or os.environ.get("ONCOGRAPH_UPDATE_URL") or default_update
        self.gsp_url = gsp_url or os.environ.get("ONCOGRAPH_GSP_URL") or default_gsp
        self.timeout = timeout
        self.path = None
        user, password = os.environ.get("ONCOGRAPH_STORE_USER"), os.environ.get("ONCOGRAPH_STORE_PASSWORD")
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password or ''}".encode()).decode()) if user else None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # ------------------------------------------------------------------ HTTP
    def _http(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
              ok_missing: bool = False) -> bytes:
        h = dict(headers or {})
        if self._auth:
            h["Authorization"] = self._auth
        req = urllib.request.Request(url, data=body, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return bytes(r.read())
        except urllib.error.HTTPError as exc:
            if ok_missing and exc.code == 404:
                return b""
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = f"{method} {url}: HTTP {exc.code}: {detail[0][:300] if detail else exc.reason}"
            if exc.code == 400:
                raise QueryError(message) from exc
            raise StoreError(message) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server: {getattr(exc, 'reason', exc)}") from exc

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
        body = self._http("POST", self.query_url, urllib.parse.urlencode({"query": text}).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON})
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.query_url}: the answer is not SPARQL JSON results "
                             "(only SELECT and ASK go through a remote store)") from exc

    # ------------------------------------------------------------------ graphs
    def _put(self, graph: str, triples: list[str]) -> None:
        if self.gsp_url:
            self._http("PUT", self._graph_url(graph), "".join(t + " .\n" for t in triples).encode("utf-8"),
                       {"Content-Type": "application/n-triples"})
        else:
            g = ox.NamedNode(graph)
            self.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n"
                        + "\n".join(t + " ." for t in triples) + "\n} }")

    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace the named graph ``graph`` by ``triples``; return the triple count."""
        lines = [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in triples]
        self._put(graph, lines)
        return len(lines)

    def remove_graph(self, graph: str) -> None:
        """Drop a named graph if it exists."""
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def ensure_ontology(self, ontology: Graph, index: TermIndex) -> bool:
        """Load the ontology and its closure unless this very version is already there."""
        digest = hashlib.sha256(ontology.serialize(format="nt", encoding="utf-8")).hexdigest()
        found = self.query(f"SELECT ?h WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_HASH} {_ONTOLOGY_HASH} ?h }} }}")
        if any(sol["h"] is not None and sol["h"].value == digest for sol in found):
            return False
        self._put(ONTOLOGY_GRAPH.value, [f"{to_ox(s)} {to_ox(p)} {to_ox(o)}" for s, p, o in ontology])
        self._put(CLOSURE_GRAPH.value, [f"{s} {p} {o}" for s, p, o in closure_triples(index)])
        self._put(_META.value, [f"{_ONTOLOGY_HASH} {_ONTOLOGY_HASH} {ox.Literal(digest)}"])
        return True

    def document_graphs(self) -> list[str]:
        """The named graphs of ingested documents, sorted."""
        found = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(STRSTARTS(STR(?g), ?prefix)) }", {"prefix": ox.Literal(DOCUMENT_GRAPH_PREFIX)})
        return sorted(sol["g"].value for sol in found if isinstance(sol["g"], ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of one named graph, or of every document graph."""
        for g in [graph] if graph is not None else self.document_graphs():
            name = ox.NamedNode(g)
            if self.gsp_url:
                body = self._http("GET", self._graph_url(g), headers={"Accept": "application/n-triples"},
                                  ok_missing=True)
                for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(t.subject, t.predicate, t.object, name)
            else:
                for sol in self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name}):
                    yield ox.Quad(sol["s"], sol["p"], sol["o"], name)

    def flush(self) -> None:
        """Nothing to do: the server makes its writes durable."""
