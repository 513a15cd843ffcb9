"""Virtuoso 7 as the store, started on loopback (Debian ``virtuoso-opensource-7``; skipped without it).

Reports written for these tests are ingested twice, into an embedded store and through
``--store http://…/sparql`` into Virtuoso; the graphs must be the same, and every query of the
library must answer the same rows on both.  Then what Virtuoso does its own way: blank nodes
(refused in ``INSERT DATA``, named ``nodeID://…`` in answers), answers cut at
``ResultSetMaxRows`` (an error, never a silent short table), its system graphs, and its bulk loader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from oncograph.analysis import store_to_networkx
from oncograph.cli import cli
from oncograph.errors import StoreError
from oncograph.pipeline import ingest
from oncograph.query import format_result, list_queries, run_query
from oncograph.remote import RemoteStore
from oncograph.shards import ShardWriter
from oncograph.store import ONTOLOGY_GRAPH, Store
from oncograph.virtuoso import LocalVirtuoso, virtuoso_installed

_MISSING = virtuoso_installed()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

MAX_ROWS = 3000  # below the ontology graph's size, above every answer on these reports
FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = [*sorted((FIXTURES / "cancers").glob("*.txt"))[:4], FIXTURES / "read" / "pdf_case.txt"]
PARAMS = {"metastases-in-region": {"region": "UBERON:0002107"},
          "patients-by-marker-profile": {"positive": "HGNC:6342", "negative": "HGNC:130"}}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalVirtuoso]:
    with LocalVirtuoso(tmp_path_factory.mktemp("virtuoso"), max_rows=MAX_ROWS, memory_mb=500,
                       allowed=[tmp_path_factory.getbasetemp()]) as server:
        yield server


@pytest.fixture(scope="module")
def stores(virtuoso: LocalVirtuoso, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, RemoteStore]:
    folder = _reports(tmp_path_factory)
    local = Store()
    assert ingest([folder], local).ok
    remote = RemoteStore(virtuoso.url)
    assert ingest([folder], remote).ok
    return local, remote


def _reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "reports"
    if not folder.exists():
        folder.mkdir()
        for report in REPORTS:
            (folder / report.name).write_bytes(report.read_bytes())
    return folder


def _graphs(store: Store | RemoteStore) -> dict[str, set[str]]:
    return {g: {f"{q.subject} {q.predicate} {q.object}" for q in store.quads(g)} for g in store.document_graphs()}


def test_virtuoso_is_recognised(virtuoso: LocalVirtuoso) -> None:
    store = RemoteStore(virtuoso.url)
    assert (store.server, store.gsp_url) == ("sparql", None)  # no request until one is needed
    assert store.query("ASK {}")
    assert (store.server, store.gsp_url) == ("virtuoso", virtuoso.url + "-graph-crud")  # its answer named it
    bare = RemoteStore(virtuoso.url.removesuffix("/sparql"))  # a bare URL asks at once
    assert (bare.server, bare.query_url) == ("virtuoso", virtuoso.url)
    given = RemoteStore(virtuoso.url, gsp_url="http://elsewhere/gsp")
    given.query("ASK {}")
    assert (given.server, given.gsp_url) == ("virtuoso", "http://elsewhere/gsp")


def test_an_ingest_into_virtuoso_equals_a_local_ingest(stores: tuple[Store, RemoteStore]) -> None:
    local, remote = stores
    graphs = _graphs(local)
    assert len(graphs) == len(REPORTS) and all(graphs.values())
    assert _graphs(remote) == graphs


def test_an_unchanged_report_is_not_ingested_again(stores: tuple[Store, RemoteStore],
                                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    _, remote = stores
    again = ingest([_reports(tmp_path_factory)], remote)
    assert again.documents == [] and len(again.skipped) == len(REPORTS)


def test_the_ontology_with_its_blank_nodes_is_loaded_whole(stores: tuple[Store, RemoteStore]) -> None:
    local, remote = stores
    mine = list(local.quads(ONTOLOGY_GRAPH.value))
    assert len(mine) > MAX_ROWS and any(isinstance(q.subject, ox.BlankNode) for q in mine)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?s ?p ?o }} }}"
    assert int(next(iter(remote.query(count)))["n"].value) == len(mine)
    with pytest.raises(StoreError, match="ResultSetMaxRows"):  # read back whole, or not at all
        list(remote.quads(ONTOLOGY_GRAPH.value))


@pytest.mark.parametrize("name", [q.name for q in list_queries(internal=True)
                                  if q.name != "analysis-individuals"])
def test_every_library_query_answers_the_same_rows(stores: tuple[Store, RemoteStore], name: str) -> None:
    local, remote = stores
    params = PARAMS.get(name, {})
    mine, theirs = run_query(local, name, params), run_query(remote, name, params)
    assert theirs.columns == mine.columns
    assert sorted(theirs.rows) == sorted(mine.rows)


def test_the_analysis_graph_is_the_same(stores: tuple[Store, RemoteStore]) -> None:
    local, remote = stores
    mine, theirs = store_to_networkx(local), store_to_networkx(remote)
    assert mine.number_of_nodes() > 20
    assert dict(theirs.nodes(data=True)) == dict(mine.nodes(data=True))  # Virtuoso's own graphs left out
    assert sorted(theirs.edges(keys=True)) == sorted(mine.edges(keys=True))


def test_blank_nodes_in_answers_are_blank_nodes(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    found = list(remote.query("SELECT ?r WHERE { GRAPH ?g { ?r <http://www.w3.org/2002/07/owl#onProperty> ?p } } "
                              "LIMIT 3"))
    assert found and all(isinstance(sol["r"], ox.BlankNode) for sol in found)


def test_an_answer_cut_at_result_set_max_rows_is_an_error(stores: tuple[Store, RemoteStore]) -> None:
    _, remote = stores
    with pytest.raises(StoreError, match=f"cut the answer at {MAX_ROWS} rows.*ResultSetMaxRows"):
        remote.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    n = next(iter(remote.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"]
    assert int(n.value) > MAX_ROWS  # a count is one row: not cut


def test_the_command_line_against_virtuoso(stores: tuple[Store, RemoteStore], virtuoso: LocalVirtuoso,
                                           tmp_path: Path) -> None:
    local, _ = stores
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "metastases", "--format", "csv", "--store", virtuoso.url])
    assert result.exit_code == 0, result.output
    assert result.output == format_result(run_query(local, "metastases"), "csv")
    out = tmp_path / "one.nq"
    name = REPORTS[0].name
    result = runner.invoke(cli, ["export", "--format", "nquads", "--document", name, "--store", virtuoso.url,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(_graphs(local)[
        "https://w3id.org/oncograph/graph/document/" + name])


def test_shards_go_in_through_the_bulk_loader(stores: tuple[Store, RemoteStore],
                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    local, _ = stores
    shards = tmp_path_factory.getbasetemp() / "bulk"
    writer = ShardWriter(shards, shard_quads=1000)
    assert ingest([_reports(tmp_path_factory)], writer).ok
    with LocalVirtuoso(tmp_path_factory.mktemp("virtuoso-bulk"), memory_mb=500, allowed=[shards]) as fresh:
        assert fresh.bulk_load(writer.parts()) == len(writer.parts()) > 2
        loaded = RemoteStore(fresh.url)
        assert _graphs(loaded) == _graphs(local)
        for name in ("metastases", "drugs-by-role", "evidence"):
            assert run_query(loaded, name).rows == run_query(local, name).rows, name
        bad = shards / "bad.nq"
        bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
        with pytest.raises(StoreError, match=r"bulk loader refused .*bad\.nq"):
            fresh.bulk_load([bad])
        turtle = shards / "x.ttl"
        turtle.write_text("", encoding="utf-8")
        with pytest.raises(StoreError, match="not an N-Quads file"):
            fresh.bulk_load([turtle])
