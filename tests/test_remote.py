"""The remote store against a real SPARQL server: ``oxigraph serve`` (PyPI ``oxigraph``) on loopback.

The same questions as tests/test_semantic_queries.py, answered through HTTP, plus ingest
(replace a graph), export round trips and the command line with ``--store http://…``.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic

from oncograph.cli import cli
from oncograph.errors import QueryError, StoreError
from oncograph.export import export
from oncograph.ontology import load_ontology
from oncograph.query import run_query
from oncograph.remote import RemoteStore, inject_values
from oncograph.store import Store
from oncograph.vocabulary import vocabulary

from .test_export import store_graph
from .test_semantic_queries import A1, A2, B1, FIXTURE, load_fixture

G = "https://w3id.org/oncograph/graph/document/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < end, "oxigraph serve did not start"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def remote(server: str) -> RemoteStore:
    store = RemoteStore(server)
    assert store.ensure_ontology(load_ontology(), vocabulary()) is True
    assert store.ensure_ontology(load_ontology(), vocabulary()) is False  # same version: not reloaded
    body = FIXTURE.read_bytes()
    store._http("POST", server + "/store", body, {"Content-Type": "application/trig"})
    store.add_terms(_fixture_terms(), vocabulary())  # as ingest adds them
    return store


def _fixture_terms() -> set[str]:
    return load_fixture(Store()).used_terms(vocabulary())


def test_inject_values_goes_into_the_outer_where() -> None:
    q = "# WHERE { in a comment\nSELECT ?a WHERE { { SELECT ?b WHERE { ?b ?c ?d } } ?a ?p \"{\" }"
    out = inject_values(q, {"a": ox.NamedNode("http://x/a"), "n": ox.Literal("it's \"{")})
    assert out.startswith("# WHERE { in a comment\nSELECT ?a WHERE { VALUES (?a ?n) { (<http://x/a> \"it's \\\"{\") }")
    assert inject_values(q, {}) == q


def test_urls() -> None:
    s = RemoteStore("http://127.0.0.1:1")
    assert (s.query_url, s.update_url, s.gsp_url) == ("http://127.0.0.1:1/query", "http://127.0.0.1:1/update",
                                                      "http://127.0.0.1:1/store")
    f = RemoteStore("http://h:3030/ds/sparql", update_url="http://h:3030/ds/update")
    assert (f.query_url, f.update_url, f.gsp_url) == ("http://h:3030/ds/sparql", "http://h:3030/ds/update", None)
    with pytest.raises(StoreError):
        RemoteStore("ftp://x")
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteStore(f"http://127.0.0.1:{_free_port()}").document_graphs()


def test_document_graphs(remote: RemoteStore) -> None:
    assert remote.document_graphs() == [G + "a.txt", G + "b.txt", G + "c.txt", G + "d.txt"]


def norm(result: object) -> object:
    """Rows with the items of GROUP_CONCAT cells sorted (their order is the engine's)."""
    rows = result.rows  # type: ignore[attr-defined]
    def cell(c: str) -> str:
        tokens = c.split(" ")
        listed = len(tokens) > 1 and all(re.fullmatch(r"[A-Za-z]+:\w+|[\w-]+\.txt", t) for t in tokens)
        return " ".join(sorted(tokens)) if listed else c

    return [tuple(cell(c) for c in r) for r in rows]


def test_semantic_queries_match_the_local_store(remote: RemoteStore) -> None:
    local = load_fixture(Store())
    cases = [("metastases-in-region", {"region": "UBERON:0001130"}), ("bone-metastases", {}),
             ("drugs-by-role", {}), ("patients-by-marker-profile", {"positive": "HGNC:6342"}),
             ("time-to-bone-metastasis", {}), ("evidence", {"patient": f"<{A1}>"}), ("cohort-figures", {}),
             ("metastases", {}), ("patients", {})]
    for name, params in cases:
        assert norm(run_query(remote, name, params)) == norm(run_query(local, name, params)), name
    assert [r[2] for r in run_query(remote, "metastases-in-region", {"region": "UBERON:0001130"}).rows] == [
        "sacrum", "L1 vertebra", "L3 vertebra"]
    assert {r[0] for r in run_query(remote, "bone-metastases").rows} == {A1, A2, B1}


def test_malformed_query(remote: RemoteStore) -> None:
    with pytest.raises(QueryError):
        remote.query("SELECT WHERE {")


def test_replace_graph_and_export_round_trip(remote: RemoteStore, server: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import RDFS

    g = G + "e.txt"
    assert remote.replace_graph(g, [(URIRef("urn:x"), RDFS.label, Literal("one"))]) == 1
    assert remote.replace_graph(g, [(URIRef("urn:x"), RDFS.label, Literal("two"))]) == 1
    assert [q.object.value for q in remote.quads(g)] == ["two"]
    remote.remove_graph(g)
    assert g not in remote.document_graphs()
    ds = Dataset()
    ds.parse(data=export(remote, "trig", document="a.txt"), format="trig")
    assert isomorphic(ds.graph(URIRef(G + "a.txt")), store_graph(load_fixture(Store()), G + "a.txt"))


def test_without_graph_store_protocol(remote: RemoteStore, server: str) -> None:
    plain = RemoteStore(server + "/query", update_url=server + "/update")
    assert plain.gsp_url is None
    g = G + "f.txt"
    from rdflib import Literal
    from rdflib.namespace import RDFS

    plain.replace_graph(g, [(URIRef("urn:y"), RDFS.label, Literal("three"))])
    assert [(q.subject.value, q.object.value) for q in plain.quads(g)] == [("urn:y", "three")]
    plain.remove_graph(g)


def test_cli_against_the_server(server: str, remote: RemoteStore, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "metastases-in-region", "--param", "region=UBERON:0001130",
                                 "--format", "csv", "--store", server])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[2] for line in result.output.splitlines()[1:]] == ["sacrum", "L1 vertebra",
                                                                               "L3 vertebra"]
    out = tmp_path / "b.nq"
    result = runner.invoke(cli, ["export", "--format", "nquads", "--document", "b.txt", "--store", server,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(Dataset().parse(data=out.read_bytes(), format="nquads")) == 15


@pytest.mark.slow
def test_ingest_into_the_server(server: str, tmp_path: Path) -> None:
    docs = Path(__file__).parent / "fixtures" / "read"
    result = CliRunner().invoke(cli, ["ingest", str(docs / "pdf_case.txt"), "--store", server])
    assert result.exit_code == 0, result.output
    assert G + "pdf_case.txt" in RemoteStore(server).document_graphs()
