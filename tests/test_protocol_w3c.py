"""The W3C SPARQL 1.1 Protocol test cases that apply to a read-only endpoint (and to updates with a token).

Names follow the W3C protocol test manifest (``query_get``, ``bad_query_method``…); the data is
this suite's own tiny graphs G1 and G2, not the manifest's, so expected answers are written here.
Also curl, as the README shows it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterator

import pytest

from oncograph.server import EndpointConfig, SparqlServer

from .test_server import EX, G1, G2, TOKEN, json_rows, request, start, stop, tiny_store

NAMES = f"SELECT ?name WHERE {{ ?p <{EX}name> ?name }} ORDER BY ?name"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    s = start(tiny_store(tmp_path_factory.mktemp("w3c")), EndpointConfig(workers=2, write_token=TOKEN))
    yield s
    stop(s)


def q(server: SparqlServer, params: list[tuple[str, str]], data: bytes | None = None,
      headers: dict[str, str] | None = None, method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    return request(f"{server.url}/sparql?{urllib.parse.urlencode(params)}" if params else f"{server.url}/sparql",
                   data, headers, method)


def names(body: bytes) -> list[str]:
    return [r["name"] for r in json_rows(body)]


def test_query_get(server: SparqlServer) -> None:
    status, _, body = q(server, [("query", NAMES)])
    assert status == 200 and names(body) == ["Ada", "Bob", "Cy"]


def test_query_post_form(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": NAMES}).encode()
    status, _, body = q(server, [], form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and names(body) == ["Ada", "Bob", "Cy"]


def test_query_post_direct(server: SparqlServer) -> None:
    status, _, body = q(server, [], NAMES.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and names(body) == ["Ada", "Bob", "Cy"]


def test_query_dataset_default_graph(server: SparqlServer) -> None:
    status, _, body = q(server, [("query", NAMES), ("default-graph-uri", G2)])
    assert status == 200 and names(body) == ["Cy"]


def test_query_dataset_default_graphs_get(server: SparqlServer) -> None:
    status, _, body = q(server, [("query", NAMES), ("default-graph-uri", G1), ("default-graph-uri", G2)])
    assert status == 200 and names(body) == ["Ada", "Bob", "Cy"]


def test_query_dataset_default_graphs_post(server: SparqlServer) -> None:
    form = urllib.parse.urlencode([("query", NAMES), ("default-graph-uri", G1)]).encode()
    status, _, body = q(server, [], form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and names(body) == ["Ada", "Bob"]


def test_query_dataset_named_graphs_post(server: SparqlServer) -> None:
    text = f"SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?p <{EX}name> ?name }} }} ORDER BY ?name"
    form = urllib.parse.urlencode([("query", text), ("named-graph-uri", G2)]).encode()
    status, _, body = q(server, [], form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and [(r["g"], r["name"]) for r in json_rows(body)] == [(G2, "Cy")]


def test_query_dataset_full(server: SparqlServer) -> None:
    text = (f"SELECT ?name ?other WHERE {{ ?p <{EX}name> ?name OPTIONAL {{ GRAPH ?g {{ ?x <{EX}name> ?other }} }} }}"
            " ORDER BY ?name")
    status, _, body = q(server, [("query", text), ("default-graph-uri", G2), ("named-graph-uri", G1)])
    assert status == 200
    assert sorted((r["name"], r.get("other")) for r in json_rows(body)) == [("Cy", "Ada"), ("Cy", "Bob")]


def test_query_multiple_dataset(server: SparqlServer) -> None:
    # the protocol's dataset wins over the query's FROM
    text = f"SELECT ?name FROM <{G1}> WHERE {{ ?p <{EX}name> ?name }} ORDER BY ?name"
    status, _, body = q(server, [("query", text), ("default-graph-uri", G2)])
    assert status == 200 and names(body) == ["Cy"]


def test_query_own_from_is_honoured(server: SparqlServer) -> None:
    # before: the union default graph made FROM a no-op
    text = f"SELECT ?name FROM <{G2}> WHERE {{ ?p <{EX}name> ?name }}"
    status, _, body = q(server, [("query", text)])
    assert status == 200 and names(body) == ["Cy"]


@pytest.mark.parametrize(("text", "media"), [
    (NAMES, "application/sparql-results+"), (f"ASK {{ ?s <{EX}name> ?o }}", "application/sparql-results+"),
    (f"DESCRIBE <{EX}p1>", "text/turtle"), (f"CONSTRUCT WHERE {{ ?s <{EX}name> ?o }}", "text/turtle"),
])
def test_query_content_type(server: SparqlServer, text: str, media: str) -> None:
    status, h, _ = q(server, [("query", text)])
    assert status == 200 and h["Content-Type"].startswith(media)


def test_bad_query_method(server: SparqlServer) -> None:
    assert 400 <= q(server, [("query", NAMES)], b"", method="PUT")[0] < 500


def test_bad_multiple_queries(server: SparqlServer) -> None:
    assert q(server, [("query", NAMES), ("query", "ASK {}")])[0] == 400


def test_bad_query_wrong_media_type(server: SparqlServer) -> None:
    assert 400 <= q(server, [], NAMES.encode(), {"Content-Type": "text/plain"})[0] < 500


def test_bad_query_missing_form_type(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": NAMES}).encode()
    assert 400 <= q(server, [], form, {"Content-Type": ""})[0] < 500


def test_bad_query_missing_direct_type(server: SparqlServer) -> None:
    assert 400 <= q(server, [], NAMES.encode(), {"Content-Type": ""})[0] < 500


def test_bad_query_non_utf8(server: SparqlServer) -> None:
    body = "SELECT ?x WHERE { ?x ?p \"café\" }".encode("latin-1")
    assert q(server, [], body, {"Content-Type": "application/sparql-query"})[0] == 400


def test_bad_query_syntax(server: SparqlServer) -> None:
    assert q(server, [("query", "SELECT * WHERE {")])[0] == 400


def test_bad_update_get(server: SparqlServer) -> None:
    assert 400 <= q(server, [("update", "CLEAR ALL")])[0] < 500


def test_bad_multiple_updates(server: SparqlServer) -> None:
    form = urllib.parse.urlencode([("update", "CLEAR SILENT GRAPH <urn:x>"),
                                   ("update", "CLEAR SILENT GRAPH <urn:y>")]).encode()
    status, _, _ = q(server, [], form, {"Content-Type": "application/x-www-form-urlencoded",
                                        "Authorization": f"Bearer {TOKEN}"})
    assert status == 400


def test_bad_update_wrong_media_type(server: SparqlServer) -> None:
    assert 400 <= q(server, [], b"CLEAR ALL", {"Content-Type": "text/plain",
                                               "Authorization": f"Bearer {TOKEN}"})[0] < 500


def test_bad_update_non_utf8(server: SparqlServer) -> None:
    body = 'INSERT DATA { <urn:a> <urn:b> "café" }'.encode("latin-1")
    assert q(server, [], body, {"Content-Type": "application/sparql-update",
                                "Authorization": f"Bearer {TOKEN}"})[0] == 400


def test_bad_update_syntax(server: SparqlServer) -> None:
    assert q(server, [], b"INSERT DATA {", {"Content-Type": "application/sparql-update",
                                            "Authorization": f"Bearer {TOKEN}"})[0] == 400


def test_update_post_direct_and_form(server: SparqlServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    upd = f'INSERT DATA {{ GRAPH <{EX}w3c> {{ <{EX}w> <{EX}name> "W3C" }} }}'
    assert q(server, [], upd.encode(), {"Content-Type": "application/sparql-update", **auth})[0] == 204
    assert "W3C" in names(q(server, [("query", NAMES)])[2])
    form = urllib.parse.urlencode({"update": f"DROP GRAPH <{EX}w3c>"}).encode()
    assert q(server, [], form, {"Content-Type": "application/x-www-form-urlencoded", **auth})[0] == 204
    assert "W3C" not in names(q(server, [("query", NAMES)])[2])


def test_curl_as_the_readme_shows(server: SparqlServer) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("no curl here")
    out = subprocess.run([curl, "-sS", "-G", f"{server.url}/sparql", "--data-urlencode", "query=ASK { ?s ?p ?o }"],
                         capture_output=True, text=True, timeout=30)
    assert json.loads(out.stdout)["boolean"] is True
    out = subprocess.run([curl, "-sS", "-H", "Accept: text/csv", "--data-urlencode", f"query={NAMES}",
                          f"{server.url}/sparql"], capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == ["name", "Ada", "Bob", "Cy"]
