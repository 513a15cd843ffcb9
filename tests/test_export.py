"""Exports: round trips (export → parse with rdflib → isomorphic to the store), OWL, CSV, SSSOM, CLI."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from oncograph.cli import cli
from oncograph.export import ExportError, export, selected_graphs
from oncograph.store import CLOSURE_GRAPH, ONTOLOGY_GRAPH, Store

from .test_semantic_queries import FIXTURE, load_fixture

G = "https://w3id.org/oncograph/graph/document/"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OWLCHECK = Path("/work/shared/tools/owlcheck/owlcheck")


@pytest.fixture(scope="module")
def store() -> Store:
    return load_fixture(Store())


def _term(t: object) -> URIRef | BNode | Literal:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    assert isinstance(t, ox.Literal)
    if t.language:
        return Literal(t.value, lang=t.language)
    # RDF 1.1: a simple literal is an xsd:string; rdflib's parsers give it no datatype
    return Literal(t.value) if t.datatype.value == XSD_STRING else Literal(t.value, datatype=URIRef(t.datatype.value))


def store_graph(store: Store, *graphs: str) -> Graph:
    g = Graph()
    for name in graphs:
        for q in store.quads(name):
            g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return g


def test_selected_graphs(store: Store) -> None:
    assert selected_graphs(store) == [G + "a.txt", G + "b.txt", G + "c.txt", G + "d.txt",
                                      ONTOLOGY_GRAPH.value, CLOSURE_GRAPH.value]
    assert selected_graphs(store, "b.txt") == [G + "b.txt"]
    with pytest.raises(ExportError, match="no document"):
        selected_graphs(store, "nope.txt")


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_round_trip(store: Store, fmt: str, rdflib_format: str) -> None:
    ds = Dataset()
    ds.parse(data=export(store, fmt), format=rdflib_format)
    names = sorted(str(g.identifier) for g in ds.graphs() if len(g))
    assert names == sorted(selected_graphs(store))
    for name in names:
        assert isomorphic(ds.graph(URIRef(name)), store_graph(store, name)), name


def test_one_document_round_trip(store: Store) -> None:
    ds = Dataset()
    ds.parse(data=export(store, "trig", document="a.txt"), format="trig")
    assert [str(g.identifier) for g in ds.graphs() if len(g)] == [G + "a.txt"]
    got = ds.graph(URIRef(G + "a.txt"))
    assert isomorphic(got, store_graph(store, G + "a.txt"))
    assert (URIRef("https://w3id.org/oncograph/data/a.txt/patient/1/metastasis/2"),
            URIRef("https://w3id.org/oncograph/ontology/hasSite"),
            URIRef("http://purl.obolibrary.org/obo/UBERON_0003690")) in got


def test_turtle_round_trip_merges_graphs(store: Store) -> None:
    g = Graph().parse(data=export(store, "turtle", document="c.txt"), format="turtle")
    assert isomorphic(g, store_graph(store, G + "c.txt"))
    whole = Graph().parse(data=export(store, "turtle"), format="turtle")
    assert isomorphic(whole, store_graph(store, *selected_graphs(store)))


def test_owl_is_ontology_plus_instances_without_closure(store: Store) -> None:
    g = Graph().parse(data=export(store, "owl"), format="xml")
    documents = store.document_graphs()
    assert isomorphic(g, store_graph(store, ONTOLOGY_GRAPH.value, *documents))


@pytest.mark.slow
@pytest.mark.skipif(not OWLCHECK.exists(), reason="owlcheck is not installed")
def test_owl_export_passes_owlcheck(store: Store, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("owlcheck needs java")
    dest = tmp_path / "oncograph-data.owl"
    dest.write_bytes(export(store, "owl"))
    done = subprocess.run([str(OWLCHECK), "--strict", str(dest)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OWL 2 DL  : in profile" in done.stdout
    assert "consistent, no unsatisfiable classes" in done.stdout


def test_csv_of_a_query(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(export(store, "csv", query="metastases-in-region",
                                              params={"region": "UBERON:0001130"}).decode())))
    assert rows[0] == ["patient", "document", "site_label", "site_xref", "year", "region"]
    assert [r[2] for r in rows[1:]] == ["sacrum", "L1 vertebra", "L3 vertebra"]


def test_sssom_is_the_ontology_mappings(store: Store) -> None:
    text = export(store, "sssom").decode()
    assert "# mapping_set_id:" in text
    assert "MONDO:0011719\tgastrointestinal stromal tumor\toboInOwl:hasDbXref\tNCIT:C3868" in text


def test_bad_options(store: Store) -> None:
    with pytest.raises(ExportError, match="needs --query"):
        export(store, "csv")
    with pytest.raises(ExportError, match="only goes with"):
        export(store, "trig", query="patients")
    with pytest.raises(ExportError, match="unknown export format"):
        export(store, "xlsx")


def test_cli_export(tmp_path: Path) -> None:
    path = tmp_path / "store"
    s = load_fixture(Store(path))
    s.flush()
    del s
    out = tmp_path / "b.nq"
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--format", "nquads", "--document", "b.txt", "--store", str(path),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset().parse(data=out.read_bytes(), format="nquads")
    assert len(ds.graph(URIRef(G + "b.txt"))) == 15
    result = runner.invoke(cli, ["export", "--format", "csv", "--query", "bone-metastases", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(",rib,UBERON:0002228,,2020")


def test_fixture_exists() -> None:
    assert FIXTURE.is_file()


def test_write_files_creates_the_directory_and_refuses_a_name_that_leaves_it(tmp_path):
    from oncograph.export import write_files

    out = tmp_path / "new" / "dir"
    written = write_files({"b.tsv": b"2", "a.tsv": b"1"}, out)
    assert [p.name for p in written] == ["a.tsv", "b.tsv"]
    assert (out / "a.tsv").read_bytes() == b"1"
    with pytest.raises(ExportError, match="must not leave"):
        write_files({"../escape.tsv": b"x"}, out)
    assert not (tmp_path / "new" / "escape.tsv").exists()


def test_a_stream_format_has_no_files():
    from oncograph.export import export_files

    with pytest.raises(ExportError, match="one stream"):
        export_files(Store(), "nquads")
