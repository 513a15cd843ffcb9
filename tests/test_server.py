"""The SPARQL endpoint, with real HTTP requests on 127.0.0.1 (ephemeral port, server in a thread).

The data is a tiny graph of this file's own (``urn:ex:`` IRIs), so the tests do not depend on
the ontology's term IRIs; one test runs a library query on the access fixture.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from oncograph.errors import OncographError
from oncograph.server import EndpointConfig, SparqlServer, make_server, uses_service
from oncograph.store import Store

TOKEN = "s3cret-token"
EX = "urn:ex:"
G1, G2 = "urn:ex:graph/1", "urn:ex:graph/2"
Q_PEOPLE = f"SELECT ?p ?name WHERE {{ ?p <{EX}name> ?name }} ORDER BY ?p"


def tiny_store(path: Path) -> Path:
    """Three people with names (two graphs), one age; the store closed again (workers open it)."""
    store = Store(path)
    n = ox.NamedNode
    store.oxigraph.extend([
        ox.Quad(n(EX + "p1"), n(EX + "name"), ox.Literal("Ada"), n(G1)),
        ox.Quad(n(EX + "p2"), n(EX + "name"), ox.Literal("Bob"), n(G1)),
        ox.Quad(n(EX + "p3"), n(EX + "name"), ox.Literal("Cy", language="en"), n(G2)),
        ox.Quad(n(EX + "p1"), n(EX + "age"), ox.Literal("61", datatype=n("http://www.w3.org/2001/XMLSchema#integer")),
                n(G1)),
    ])
    store.flush()
    del store
    return path


def start(path: Path, config: EndpointConfig) -> SparqlServer:
    server = make_server(path, "127.0.0.1", 0, config)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server


def stop(server: SparqlServer) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    s = start(tiny_store(tmp_path_factory.mktemp("store")),
              EndpointConfig(timeout=10, max_rows=100, write_token=TOKEN, workers=2))
    yield s
    stop(s)


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get(server: SparqlServer, query: str, accept: str = "", **extra: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **extra})
    return request(f"{server.url}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def json_rows(body: bytes) -> list[dict[str, Any]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


PEOPLE = [{"p": EX + "p1", "name": "Ada"}, {"p": EX + "p2", "name": "Bob"}, {"p": EX + "p3", "name": "Cy"}]


# ---------------------------------------------------------------------------- the protocol
def test_get_select_json(server: SparqlServer) -> None:
    status, headers, body = get(server, Q_PEOPLE)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["head"]["vars"] == ["p", "name"]
    assert json_rows(body) == PEOPLE


def test_post_form_and_sparql_query(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": Q_PEOPLE}).encode()
    s1, _, b1 = request(f"{server.url}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    s2, _, b2 = request(f"{server.url}/sparql", Q_PEOPLE.encode(), {"Content-Type": "application/sparql-query"})
    assert s1 == s2 == 200
    assert json_rows(b1) == json_rows(b2) == PEOPLE


def test_xml_csv_tsv_by_accept(server: SparqlServer) -> None:
    _, h, body = get(server, Q_PEOPLE, "application/sparql-results+xml")
    assert h["Content-Type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [e.text for e in ET.fromstring(body).findall(".//r:binding[@name='p']/r:uri", ns)] == [
        EX + "p1", EX + "p2", EX + "p3"]
    _, h, body = get(server, Q_PEOPLE, "text/csv")
    assert h["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["p", "name"], [EX + "p1", "Ada"], [EX + "p2", "Bob"],
                                                            [EX + "p3", "Cy"]]
    _, h, body = get(server, Q_PEOPLE, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?p\t?name", f'<{EX}p1>\t"Ada"', f'<{EX}p2>\t"Bob"', f'<{EX}p3>\t"Cy"@en']


@pytest.mark.parametrize(("param", "value", "ctype"), [
    ("format", "csv", "text/csv"), ("output", "csv", "text/csv"), ("format", "text/csv", "text/csv"),
    ("format", "tsv", "text/tab-separated-values"), ("output", "xml", "application/sparql-results+xml"),
    ("format", "json", "application/sparql-results+json"),
])
def test_format_and_output_parameters_win_over_accept(server: SparqlServer, param: str, value: str,
                                                      ctype: str) -> None:
    # before: ?format=csv was ignored and JSON came back
    status, h, _ = get(server, Q_PEOPLE, "application/sparql-results+json;q=0.5", **{param: value})
    assert status == 200 and h["Content-Type"].startswith(ctype)


def test_unknown_format_parameter_is_400(server: SparqlServer) -> None:
    status, _h, body = get(server, Q_PEOPLE, format="excel")
    assert status == 400 and b"unknown format" in body


def test_ask(server: SparqlServer) -> None:
    assert json.loads(get(server, f"ASK {{ <{EX}p1> ?p ?o }}")[2])["boolean"] is True
    _, _h, body = get(server, f"ASK {{ <{EX}nobody> ?p ?o }}", format="csv")
    assert body.decode().split() == ["_askResult", "false"]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),  # SPARQLWrapper's and rdflib SPARQLStore's choice: was a 406
    ("application/rdf+xml, text/rdf+n3;q=0.9", "xml"),
])
def test_construct_in_every_graph_format(server: SparqlServer, accept: str, fmt: str) -> None:
    q = f"CONSTRUCT {{ ?p <{EX}called> ?n }} WHERE {{ ?p <{EX}name> ?n }}"
    status, h, body = get(server, q, accept)
    assert status == 200 and h["Content-Type"].startswith(accept.split(",")[0])
    g = Graph().parse(data=body, format=fmt)
    assert len(g) == 3 and (URIRef(EX + "p2"), URIRef(EX + "called"), None) in g


def test_construct_format_parameter_and_describe(server: SparqlServer) -> None:
    q = f"CONSTRUCT {{ ?p <{EX}called> ?n }} WHERE {{ ?p <{EX}name> ?n }}"
    _, h, body = get(server, q, format="rdfxml")
    assert h["Content-Type"].startswith("application/rdf+xml") and len(Graph().parse(data=body, format="xml")) == 3
    status, _, body = get(server, f"DESCRIBE <{EX}p1>")
    g = Graph().parse(data=body, format="turtle")
    assert status == 200 and (URIRef(EX + "p1"), URIRef(EX + "age"), None) in g


def test_default_and_named_graph_uri(server: SparqlServer) -> None:
    status, _, body = get(server, Q_PEOPLE, **{"default-graph-uri": G2})
    assert status == 200 and json_rows(body) == [PEOPLE[2]]
    q = f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ ?p <{EX}name> ?n }} }} ORDER BY ?p"
    status, _, body = get(server, q, **{"named-graph-uri": G1})
    assert status == 200 and [r["p"] for r in json_rows(body)] == [EX + "p1", EX + "p2"]


def test_bad_default_graph_uri_is_400_not_500(server: SparqlServer) -> None:
    status, h, body = get(server, Q_PEOPLE, **{"default-graph-uri": "not an iri"})
    assert status == 400 and h["Content-Type"].startswith("text/plain") and b"IRI" in body


def test_malformed_sparql_is_400_one_line(server: SparqlServer) -> None:
    status, h, body = get(server, "SELECT WHERE {")
    assert status == 400 and h["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("malformed SPARQL") and body.decode().count("\n") == 1


def test_not_acceptable_not_found_unsupported(server: SparqlServer) -> None:
    assert get(server, Q_PEOPLE, "image/png")[0] == 406
    assert request(f"{server.url}/nothing")[0] == 404
    assert request(f"{server.url}/sparql", b"x", {"Content-Type": "text/html"})[0] == 415


def test_service_page_without_query(server: SparqlServer) -> None:
    status, _h, body = request(f"{server.url}/sparql")
    assert status == 200 and b"SPARQL" in body


# ---------------------------------------------------------------------------- real clients
def test_sparqlwrapper_select_and_default_construct(server: SparqlServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(f"{server.url}/sparql")
    sw.setQuery(Q_PEOPLE)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Ada", "Bob", "Cy"]
    sw = SPARQLWrapper(f"{server.url}/sparql")  # the default return format: RDF/XML for CONSTRUCT
    sw.setQuery(f"CONSTRUCT {{ ?p <{EX}called> ?n }} WHERE {{ ?p <{EX}name> ?n }}")
    g = sw.query().convert()
    assert isinstance(g, Graph) and len(g) == 3


def test_rdflib_sparqlstore_select_and_construct(server: SparqlServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    st = SPARQLStore(f"{server.url}/sparql")
    g = Graph(store=st)
    names = sorted(str(r.name) for r in g.query(f"SELECT ?name WHERE {{ ?p <{EX}name> ?name }}"))
    assert names == ["Ada", "Bob", "Cy"]
    built = g.query(f"CONSTRUCT {{ ?p <{EX}called> ?n }} WHERE {{ ?p <{EX}name> ?n }}")
    assert len(built.graph) == 3
    assert (URIRef(EX + "p1"), URIRef(EX + "age"), None) in g  # triple patterns through the store


def test_pandas_read_csv_from_the_url(server: SparqlServer) -> None:
    import pandas as pd

    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": Q_PEOPLE, "format": "csv"})
    df = pd.read_csv(url)
    assert list(df.columns) == ["p", "name"] and list(df["name"]) == ["Ada", "Bob", "Cy"]


# ---------------------------------------------------------------------------- limits
def test_row_limit_is_refused_not_silently_cut(tmp_path: Path) -> None:
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(timeout=10, max_rows=2, workers=1))
    try:
        status, h, body = get(s, Q_PEOPLE, format="csv")
        assert status == 422 and b"more than 2 rows" in body  # before: 200 with 2 rows, a header only
        status, h, body = get(s, Q_PEOPLE, partial="true")
        assert status == 200 and h["X-Oncograph-Truncated"] == "true" and len(json_rows(body)) == 2
        assert get(s, Q_PEOPLE + " LIMIT 2")[0] == 200
    finally:
        stop(s)


def test_a_million_rows_stay_capped_and_cheap(server: SparqlServer) -> None:
    values = " ".join(str(i) for i in range(1000))
    q = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}"  # 10^6 rows
    status, _, body = get(server, q)
    assert status == 422 and b"more than 100 rows" in body
    status, _h, body = get(server, q, partial="true")
    assert status == 200 and len(json_rows(body)) == 100
    from oncograph.server import _rss

    assert all(_rss(w.process.pid) < 400 * 1024 * 1024 for w in server.pool._idle)


def _pids(server: SparqlServer) -> set[int]:
    return {w.process.pid for w in server.pool._idle + server.pool._busy}


def test_time_limit_kills_the_query(tmp_path: Path) -> None:
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(timeout=0.5, max_rows=10, workers=1))
    try:
        get(s, "ASK {}")
        before = _pids(s)
        slow = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { " + " ".join(map(str, range(300))) + " } "
                "VALUES ?b { " + " ".join(map(str, range(300))) + " } VALUES ?c { "
                + " ".join(map(str, range(300))) + " } FILTER(?a + ?b > ?c) }")
        t0 = time.monotonic()
        status, h, body = get(s, slow)
        assert status == 503 and b"time limit" in body and "Retry-After" in h
        assert time.monotonic() - t0 < 5
        for pid in before:  # the worker that ran it is gone: the query consumes nothing afterwards
            assert not Path(f"/proc/{pid}").exists()
        assert get(s, Q_PEOPLE)[0] == 200  # a new worker answers
    finally:
        stop(s)


def test_long_queries_leave_a_worker_for_short_ones(tmp_path: Path) -> None:
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(timeout=6, max_rows=10, workers=3, slow_after=0.3))
    try:
        get(s, "ASK {}")
        n = " ".join(map(str, range(400)))
        slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {n} }} VALUES ?b {{ {n} }} VALUES ?c {{ {n} }} }}"
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(get(s, slow)[0])) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        t0 = time.monotonic()
        assert get(s, Q_PEOPLE)[0] == 200  # while the long ones run
        assert time.monotonic() - t0 < 3
        for t in threads:
            t.join(30)
        assert 503 in results  # some long ones were refused with Retry-After rather than starving the rest
    finally:
        stop(s)


# ---------------------------------------------------------------------------- live store
def test_a_committed_write_is_visible_to_the_next_request(tmp_path: Path) -> None:
    path = tiny_store(tmp_path / "s")
    s = start(path, EndpointConfig(timeout=10, workers=1))
    try:
        assert len(json_rows(get(s, Q_PEOPLE)[2])) == 3
        writer = Store(path)  # what `oncograph ingest` does beside a running server
        writer.oxigraph.add(ox.Quad(ox.NamedNode(EX + "p4"), ox.NamedNode(EX + "name"), ox.Literal("Dee"),
                                    ox.NamedNode(G2)))
        writer.flush()
        assert [r["name"] for r in json_rows(get(s, Q_PEOPLE)[2])] == ["Ada", "Bob", "Cy", "Dee"]
        del writer
    finally:
        stop(s)


# ---------------------------------------------------------------------------- updates
UPDATE = f'INSERT DATA {{ GRAPH <{EX}test> {{ <{EX}a> <{EX}b> "c" }} }}'
ASK_UPDATE = f'ASK {{ <{EX}a> <{EX}b> "c" }}'


def post_update(server: SparqlServer, text: str, token: str | None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return request(f"{server.url}/sparql", text.encode(), headers)


def test_update_needs_the_token(server: SparqlServer) -> None:
    assert post_update(server, UPDATE, None)[0] == 401
    assert post_update(server, UPDATE, "wrong")[0] == 401
    assert request(f"{server.url}/sparql?{urllib.parse.urlencode({'update': UPDATE})}")[0] == 405
    assert json.loads(get(server, ASK_UPDATE)[2])["boolean"] is False
    assert post_update(server, UPDATE, TOKEN)[0] == 204
    assert json.loads(get(server, ASK_UPDATE)[2])["boolean"] is True
    form = urllib.parse.urlencode({"update": f"DROP GRAPH <{EX}test>"}).encode()
    assert request(f"{server.url}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Authorization": f"Bearer {TOKEN}"})[0] == 204
    assert json.loads(get(server, ASK_UPDATE)[2])["boolean"] is False


@pytest.mark.parametrize("load", ["LOAD <http://127.0.0.1:9/x.ttl>", "LOAD <file:///etc/passwd>",
                                  "load silent <file:///etc/passwd> into graph <urn:x>",
                                  "# LOAD nothing\nCLEAR GRAPH <urn:y> ; LOAD <file:///etc/passwd>"])
def test_load_is_refused_without_with_wrong_and_with_the_token(server: SparqlServer, load: str) -> None:
    assert post_update(server, load, None)[0] == 401
    assert post_update(server, load, "wrong")[0] == 401
    status, _, body = post_update(server, load, TOKEN)
    assert status == 403 and b"LOAD" in body


def test_read_only_without_token(tmp_path: Path) -> None:
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(workers=1))
    try:
        status, _, body = post_update(s, "CLEAR ALL", "x")
        assert status == 403 and b"read-only" in body
        assert len(json_rows(get(s, Q_PEOPLE)[2])) == 3
    finally:
        stop(s)


def test_an_update_past_the_time_limit_is_not_committed(tmp_path: Path) -> None:
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(timeout=0.5, write_token=TOKEN, workers=1))
    try:
        n = " ".join(map(str, range(250)))
        slow = (f"INSERT {{ GRAPH <{EX}slow> {{ <{EX}a> <{EX}b> ?x }} }} WHERE {{ VALUES ?a {{ {n} }} "
                f"VALUES ?b {{ {n} }} VALUES ?c {{ {n} }} BIND(?a * ?b + ?c AS ?x) }}")
        status, _, body = post_update(s, slow, TOKEN)
        assert status == 503 and b"not committed" in body
        assert json.loads(get(s, f"ASK {{ GRAPH <{EX}slow> {{ ?s ?p ?o }} }}")[2])["boolean"] is False
    finally:
        stop(s)


# ---------------------------------------------------------------------------- the page
def test_web_page_and_library(server: SparqlServer) -> None:
    status, h, body = request(f"{server.url}/")
    assert status == 200 and h["Content-Type"].startswith("text/html")
    assert b"/static/yasgui.min.js" in body
    status, h, js = request(f"{server.url}/static/yasgui.min.js")
    assert status == 200 and len(js) > 500_000
    library = json.loads(request(f"{server.url}/queries.json")[2])
    names = [q["name"] for q in library]
    assert "metastases-in-region" in names and "patients" in names
    assert not any(n.startswith("analysis-") for n in names)
    assert all(q["query"].startswith("# Question:") for q in library)


def test_library_query_on_the_access_fixture(tmp_path: Path) -> None:
    from oncograph.query import load_query

    from .test_semantic_queries import A1, A2, B1, load_fixture

    store = load_fixture(Store(tmp_path / "s"))
    store.flush()
    del store
    s = start(tmp_path / "s", EndpointConfig(workers=1))
    try:
        _, _, body = get(s, load_query("bone-metastases").text)
        assert [(r["patient"], r["site_label"]) for r in json_rows(body)] == [
            (A1, "sacrum"), (A2, "femur"), (A2, "L1 vertebra"), (A2, "L3 vertebra"), (B1, "rib")]
    finally:
        stop(s)


# ---------------------------------------------------------------------------- construction
def test_in_memory_store_or_missing_folder_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(OncographError, match="on-disk store"):
        make_server(Store(), port=0)
    with pytest.raises(OncographError, match="no store here"):
        make_server(tmp_path / "missing", port=0)


def test_port_in_use_is_one_error(server: SparqlServer) -> None:
    port = server.server_address[1]
    with pytest.raises(OncographError, match=f"cannot listen on 127.0.0.1:{port}"):
        make_server(server.store_path, "127.0.0.1", port)


def test_ipv6_loopback(tmp_path: Path) -> None:
    import socket

    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(workers=1))  # IPv4 still
    stop(s)
    s = make_server(tmp_path / "s", "::1", 0, EndpointConfig(workers=1))
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        assert s.url.startswith("http://[::1]:")
        assert json_rows(get(s, Q_PEOPLE)[2]) == PEOPLE
    finally:
        stop(s)


def test_uses_service_sees_keywords_not_text() -> None:
    assert uses_service("select * { service <x:y> {} }")
    assert not uses_service('SELECT ("SERVICE" AS ?x) {} # SERVICE')


def test_a_query_past_the_memory_limit_is_stopped(tmp_path: Path) -> None:
    # before: an ORDER BY over a cartesian product grew by ~300 MB/s, even after its 503
    s = start(tiny_store(tmp_path / "s"), EndpointConfig(timeout=30, max_rows=10, workers=1, max_memory_mb=300))
    try:
        get(s, "ASK {}")
        (pid,) = _pids(s)
        n = " ".join(map(str, range(3000)))
        hog = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {n} }} VALUES ?b {{ {n} }} BIND(STR(?a * ?b) AS ?c) }} ORDER BY ?c"
        t0 = time.monotonic()
        status, _, body = get(s, hog)
        assert status == 503 and b"memory limit of 300 MiB" in body
        assert time.monotonic() - t0 < 25
        assert not Path(f"/proc/{pid}").exists()
        assert get(s, Q_PEOPLE)[0] == 200
    finally:
        stop(s)
