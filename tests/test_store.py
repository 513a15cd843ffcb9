"""The pyoxigraph store: named graphs per document, ontology and closure, canonical dumps."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, URIRef

from oncograph.emit import document_iri, emit, graph_iri, term_iri
from oncograph.errors import QueryError, StoreError
from oncograph.facts import DocumentFacts, Metastasis, Patient
from oncograph.ontology import load_ontology
from oncograph.store import CLOSURE_GRAPH, ONTOLOGY_GRAPH, TERMS_GRAPH, Store, to_ox
from oncograph.vocab import ONC
from oncograph.vocabulary import vocabulary


def facts(name: str, *sites: str) -> DocumentFacts:
    return DocumentFacts(name, "case_report",
                         (Patient(1, "patient", 50, "male", metastases=tuple(Metastasis(s) for s in sites)),))


def graph_triples(store: Store, name: str) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads(str(graph_iri(name)))}


def put(store: Store, f: DocumentFacts) -> int:
    return store.replace_graph(str(graph_iri(f.name)), emit(f))


def test_replace_graph_twice_leaves_no_duplicates() -> None:
    store = Store()
    f = facts("a.txt", "UBERON:0003690")
    n = put(store, f)
    assert n == len(emit(f))
    first = len(store)
    assert put(store, f) == n
    assert len(store) == first == n


def test_replacing_one_document_leaves_the_others_untouched() -> None:
    store = Store()
    put(store, facts("a.txt", "UBERON:0003690"))
    put(store, facts("b.txt", "UBERON:0002107"))
    before_b = graph_triples(store, "b.txt")
    put(store, facts("a.txt", "UBERON:0002048"))
    assert graph_triples(store, "b.txt") == before_b
    sites = {o for _s, p, o in graph_triples(store, "a.txt") if p == str(ONC.hasSite)}
    assert sites == {str(term_iri("UBERON:0002048"))}
    assert store.document_graphs() == sorted([str(graph_iri("a.txt")), str(graph_iri("b.txt"))])
    store.remove_graph(str(graph_iri("a.txt")))
    assert store.document_graphs() == [str(graph_iri("b.txt"))]
    assert graph_triples(store, "a.txt") == set()


def test_replace_graph_escapes_literals() -> None:
    store = Store()
    triples = [(document_iri("q.txt"), RDFS.label, to_rdflib_literal('say "hi" } \\ \n done'))]
    store.replace_graph(str(graph_iri("q.txt")), triples)
    (quad,) = list(store.quads(str(graph_iri("q.txt"))))
    assert quad.object.value == 'say "hi" } \\ \n done'


def to_rdflib_literal(text: str):  # type: ignore[no-untyped-def]
    from rdflib import Literal

    return Literal(text)


@pytest.fixture(scope="module")
def onto_store() -> Store:
    store = Store()
    assert store.ensure_ontology(load_ontology(), vocabulary()) is True
    return store


def test_ensure_ontology_loads_once(onto_store: Store) -> None:
    n = len(onto_store)
    assert onto_store.ensure_ontology(load_ontology(), vocabulary()) is False
    assert len(onto_store) == n
    onto = {(q.subject, q.predicate, q.object) for q in onto_store.oxigraph.quads_for_pattern(
        None, None, None, ONTOLOGY_GRAPH)}
    assert len(onto) == len(load_ontology())


def test_an_ingest_in_another_process_keeps_the_ontology(tmp_path: Path) -> None:
    """The ontology's blank nodes get new labels in every process: its hash must not depend on them."""
    import subprocess
    import sys

    path = tmp_path / "store"
    store = Store(path)
    assert store.ensure_ontology(load_ontology(), vocabulary()) is True
    store.flush()
    del store
    code = ("import sys; from oncograph.store import Store; from oncograph.ontology import load_ontology; "
            "from oncograph.vocabulary import vocabulary; "
            "print(Store(sys.argv[1]).ensure_ontology(load_ontology(), vocabulary()))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ontology_hash_follows_the_vocabulary() -> None:
    from oncograph.store import ontology_digest
    from oncograph.vocabulary import Term, Vocabulary

    prefixes: list[dict[str, object]] = [{"prefix": "UBERON", "uri_prefix": "http://purl.obolibrary.org/obo/UBERON_"}]
    one = Vocabulary([Term("UBERON:0000945", "anatomy", "site", "stomach", ())], prefixes)
    other = Vocabulary([Term("UBERON:0000945", "anatomy", "site", "stomach", ("gaster",))], prefixes)
    onto = load_ontology()
    assert ontology_digest(onto, one) == ontology_digest(onto, one)
    assert ontology_digest(onto, one) != ontology_digest(onto, other)
    assert ontology_digest(onto, vocabulary()) not in {ontology_digest(onto, one), ontology_digest(onto, other)}


def ask(store: Store, s: str, p: URIRef, o: str) -> bool:
    return ox.Quad(ox.NamedNode(str(term_iri(s))), ox.NamedNode(str(p)), ox.NamedNode(str(term_iri(o))),
                   CLOSURE_GRAPH) in store.oxigraph


# L3 vertebra, sacrum and T5 vertebra lie in the vertebral column; the fundus in the stomach
@pytest.mark.parametrize(("part", "whole"), [("UBERON:0004619", "UBERON:0001130"),
                                             ("UBERON:0003690", "UBERON:0001130"),
                                             ("UBERON:0004630", "UBERON:0001130"),
                                             ("UBERON:0001160", "UBERON:0000945")])
def test_closure_has_within_chains(onto_store: Store, part: str, whole: str) -> None:
    onto_store.add_terms([part, whole], vocabulary())
    assert ask(onto_store, part, ONC.within, whole)


def test_closure_is_reflexive_and_not_the_reverse(onto_store: Store) -> None:
    onto_store.add_terms(["UBERON:0004619", "UBERON:0002107", "MONDO:0011719"], vocabulary())
    assert ask(onto_store, "UBERON:0004619", ONC.within, "UBERON:0004619")
    assert not ask(onto_store, "UBERON:0001130", ONC.within, "UBERON:0004619")
    assert not ask(onto_store, "UBERON:0002107", ONC.within, "UBERON:0001130")
    # MONDO is is-a only: its chains are subclass chains too (GIST is a neoplasm)
    assert ask(onto_store, "MONDO:0011719", RDFS.subClassOf, "MONDO:0005070")
    # UBERON merges is-a and part-of: no subclass chain is claimed for it
    assert not ask(onto_store, "UBERON:0004619", RDFS.subClassOf, "UBERON:0001130")


def test_add_terms_describes_a_term_and_its_ancestors_once(onto_store: Store) -> None:
    vocab = vocabulary()
    assert onto_store.add_terms(["UBERON:0002369"], vocab) > 1  # adrenal gland and what it lies in
    assert onto_store.add_terms(["UBERON:0002369"], vocab) == 0
    label = ox.Quad(ox.NamedNode(vocab.iri("UBERON:0002369")), ox.NamedNode(str(RDFS.label)),
                    ox.Literal("adrenal gland"), TERMS_GRAPH)
    assert label in onto_store.oxigraph


def test_query_over_the_union_with_bindings(onto_store: Store) -> None:
    put(onto_store, facts("u.txt", "UBERON:0004619", "UBERON:0002107"))
    rows = list(onto_store.query(
        "PREFIX onc: <https://w3id.org/oncograph/ontology/>\n"
        "SELECT ?site ?region WHERE { ?p onc:hasMetastasis/onc:hasSite ?site . "
        "?site onc:within ?region }",
        {"region": ox.NamedNode(str(term_iri("UBERON:0001130")))}))
    assert [r["site"].value for r in rows] == [str(term_iri("UBERON:0004619"))]
    onto_store.remove_graph(str(graph_iri("u.txt")))


def test_malformed_query_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        Store().query("SELECT ?x WHERE { ?x ")


def test_dump_canonical_is_deterministic(tmp_path: Path) -> None:
    def build(order: list[str]) -> bytes:
        store = Store()
        for name in order:
            put(store, facts(name, "UBERON:0003690", "UBERON:0002048"))
        dest = tmp_path / f"{'-'.join(order)}.nq"
        n = store.dump_canonical(dest)
        data = dest.read_bytes()
        assert n == data.count(b"\n")
        return data

    first = build(["a.txt", "b.txt"])
    assert build(["a.txt", "b.txt"]) == first
    assert build(["b.txt", "a.txt"]) == first
    lines = first.decode().splitlines()
    assert lines == sorted(lines)
    assert all(line.endswith(" .") for line in lines)


def test_on_disk_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store(path)
    put(store, facts("a.txt", "UBERON:0003690"))
    expected = graph_triples(store, "a.txt")
    store.flush()
    del store
    reopened = Store(path, read_only=True)
    assert reopened.document_graphs() == [str(graph_iri("a.txt"))]
    assert graph_triples(reopened, "a.txt") == expected
    assert (str(document_iri("a.txt")), str(RDF.type), str(ONC.Document)) in expected


def test_read_only_store_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_to_ox_terms() -> None:
    from rdflib import XSD, Literal

    assert to_ox(URIRef("http://x/a")) == ox.NamedNode("http://x/a")
    assert to_ox(Literal(3, datatype=XSD.integer)) == ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))
    assert to_ox(Literal("chat", lang="fr")) == ox.Literal("chat", language="fr")
    with pytest.raises(TypeError):
        to_ox("not a term")  # type: ignore[arg-type]


def test_flush_gives_back_the_write_ahead_log(tmp_path: Path) -> None:
    from oncograph.pipeline import ingest

    store = Store(tmp_path / "store")
    ingest([Path(__file__).parent / "fixtures" / "extract" / "case_one.txt"], store, check=False)
    logs = sorted((tmp_path / "store").glob("*.log"))
    assert logs and sum(p.stat().st_size for p in logs) == 0  # before: the log held every quad written
    assert store.document_graphs()  # and the store is still open and whole
    store.replace_graph("https://w3id.org/oncograph/graph/document/x", [])


def test_flush_keeps_a_handle_someone_else_holds(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    held = store.oxigraph
    store.replace_graph("https://w3id.org/oncograph/graph/document/x", [(URIRef("http://x/a"), RDF.type,
                                                                        URIRef("http://x/B"))])
    store.flush()
    assert store.oxigraph is held and len(store) == 1


def test_flush_without_writes_leaves_the_files_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.replace_graph("https://w3id.org/oncograph/graph/document/x", [(URIRef("http://x/a"), RDF.type,
                                                                        URIRef("http://x/B"))])
    store.flush()
    files = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "store").iterdir()}
    store.flush()
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "store").iterdir()} == files
    assert len(store) == 1
