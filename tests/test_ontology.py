"""Tests of the ontology file, its build, its release and its reasoning."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from oncograph.errors import OntologyError
from oncograph.ontology import (
    HAS_ROLE,
    ONTOLOGY_IRI,
    REQUIRED_INFERENCES,
    CheckReport,
    _static_checks,
    canonical_graph,
    check_ontology,
    load_ontology,
    ontology_path,
    prove_inferences,
    write_release,
    xref_converter,
)
from oncograph.vocab import ONC, PART_OF
from oncograph.vocabulary import vocabulary

REPO = Path(__file__).resolve().parents[1]
OWLCHECK = REPO.parent / "shared" / "tools" / "owlcheck" / "owlcheck"
BUILD = REPO / "scripts" / "build_ontology.py"
T = Namespace(str(ONC._NS))  # schema names and domain terms
OBO = "http://purl.obolibrary.org/obo/"
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")

def synonyms(graph: Graph, term: URIRef) -> set[str]:
    return {str(s) for s in graph.objects(term, OBOINOWL.hasExactSynonym)}


def restriction_fillers(graph: Graph, cls: URIRef, prop: URIRef) -> set[URIRef]:
    """Fillers of the asserted ``cls ⊑ prop some X`` axioms."""
    out = set()
    for sup in graph.objects(cls, RDFS.subClassOf):
        if isinstance(sup, BNode) and (sup, OWL.onProperty, prop) in graph:
            out.add(graph.value(sup, OWL.someValuesFrom))
    return out


# --- header and schema ---------------------------------------------------------------


def test_header_metadata() -> None:
    g = load_ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/oncograph/ontology/2026-12-02")
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(g.value(ONTOLOGY_IRI, DCTERMS.creator)) == "oncograph developers"
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo):
        assert g.value(ONTOLOGY_IRI, prop) is not None, prop


def test_part_of_is_reused_from_bfo() -> None:
    g = load_ontology()
    assert (PART_OF, RDF.type, OWL.ObjectProperty) in g
    assert (PART_OF, RDF.type, OWL.TransitiveProperty) in g
    assert str(g.value(PART_OF, RDFS.label)) == "part of"


def test_data_properties_use_owl2_datatypes_only() -> None:
    g = load_ontology()
    allowed = {URIRef("http://www.w3.org/2001/XMLSchema#" + t) for t in ("string", "integer", "decimal")}
    ranges = {p: g.value(p, RDFS.range) for p in g.subjects(RDF.type, OWL.DatatypeProperty)}
    assert ranges and all(r in allowed for r in ranges.values()), ranges
    assert ranges[T.startOffset] == URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_punned_value_properties_have_no_range() -> None:
    g = load_ontology()
    for prop in (T.hasSite, T.hasMarker, T.hasAgent, T.hasProcedure, T.hasTumorType):
        assert (prop, RDF.type, OWL.ObjectProperty) in g
        assert g.value(prop, RDFS.range) is None, prop


def test_metastasis_cross_references() -> None:
    g = load_ontology()
    xrefs = {str(o) for o in g.objects(T.Metastasis, OBOINOWL.hasDbXref)}
    assert {"MONDO:0024880", "MONDO:0024883"} <= xrefs


def test_has_role_is_reused_from_ro() -> None:
    g = load_ontology()
    assert (HAS_ROLE, RDF.type, OWL.ObjectProperty) in g
    assert str(g.value(HAS_ROLE, RDFS.label)) == "has role"


# --- our own checks --------------------------------------------------------------------


def test_static_checks_pass_and_measure() -> None:
    report = check_ontology(reasoner=False)
    assert isinstance(report, CheckReport)
    assert report.problems == ()
    assert report.ok
    assert report.n_object_properties == 35  # our namespace only; BFO part_of and RO has_role are reused
    assert report.n_datatype_properties == 65
    assert report.n_terms == report.n_classes - 44 == len([t for t in vocabulary() if t.ours])  # 44 schema classes
    assert report.inferences == () and report.owlcheck == ()


def test_static_checks_find_problems() -> None:
    bad = Graph()
    a, b, c = T["A"], T["B"], T["C"]
    for x in (a, b, c):
        bad.add((x, RDF.type, OWL.Class))
    bad.add((a, RDFS.label, Literal("same")))
    bad.add((b, RDFS.label, Literal("same")))
    bad.add((a, DEFINITION, Literal("d")))
    bad.add((b, DEFINITION, Literal("d")))
    bad.add((a, OBOINOWL.hasDbXref, Literal("FOO:1")))
    problems, facts = _static_checks(bad)
    text = "\n".join(problems)
    assert "onc:C" in text or "/C>" in text  # no label, no definition
    assert "label 'same' is given to 2 entities" in text
    assert "'FOO:1' has no known prefix" in text
    assert facts["n_classes"] == 3


def test_labels_unique_and_present() -> None:
    g = load_ontology()
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for s, label in g.subject_objects(RDFS.label):
        owners[str(label)].add(s)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for s in g.subjects(RDF.type, OWL.Class):
        if isinstance(s, URIRef):
            assert g.value(s, RDFS.label) is not None, s
            if str(s).startswith(str(ONC._NS)):
                assert g.value(s, DEFINITION) is not None, s


def test_xref_converter() -> None:
    conv = xref_converter()
    assert conv.expand("HGNC:6342") == "https://bioregistry.io/hgnc:6342"
    assert conv.expand("MESH:D059146") == "https://bioregistry.io/mesh:D059146"
    assert conv.expand("UBERON:0001130") == "http://purl.obolibrary.org/obo/UBERON_0001130"
    assert conv.compress("http://purl.obolibrary.org/obo/MONDO_0011719") == "MONDO:0011719"
    assert conv.expand("FOO:1") is None


# --- the import module of vocabulary terms -------------------------------------------------------


def graph_terms() -> set[str]:
    """The CURIEs of the terms the shipped graph's facts point at."""
    ds = Dataset()
    ds.parse(REPO / "graph" / "oncograph.nq", format="nquads")
    props = (ONC.hasSite, ONC.hasTumorType, ONC.hasMarker, ONC.hasAgent, ONC.hasProcedure)
    return {c for p in props for _, _, o, _ in ds.quads((None, p, None, None)) if (c := vocabulary().curie(str(o)))}


def test_every_term_the_graph_uses_is_in_the_module_with_its_ancestors() -> None:
    g = load_ontology()
    vocab = vocabulary()
    used = graph_terms()
    assert {"UBERON:0003690", "MONDO:0011719", "HGNC:6342", "CHEBI:45783"} <= used
    for curie in vocab.closure_of(used):
        iri = URIRef(vocab.iri(curie))
        assert (iri, RDF.type, OWL.Class) in g, curie
        assert g.value(iri, RDFS.label) is not None, curie


def test_anatomy_parents_are_kind_or_part_of() -> None:
    """UBERON's release does not tell is-a from part-of: each parent is stated as "P or part of some P"."""
    g = load_ontology()
    l3, lumbar = URIRef(OBO + "UBERON_0004619"), URIRef(OBO + "UBERON_0002414")
    assert (l3, RDFS.subClassOf, lumbar) not in g
    unions = [u for u in g.objects(l3, RDFS.subClassOf) if isinstance(u, BNode) and g.value(u, OWL.unionOf)]
    members = [set(Collection(g, g.value(u, OWL.unionOf))) for u in unions]
    (restriction,) = [m for ms in members if lumbar in ms for m in ms if m != lumbar]
    assert (restriction, OWL.onProperty, PART_OF) in g and (restriction, OWL.someValuesFrom, lumbar) in g
    # the top of the branch is bridged to our schema root
    assert (URIRef(OBO + "UBERON_0001062"), RDFS.subClassOf, ONC.AnatomicalSite) in g


def test_is_a_vocabularies_and_roles() -> None:
    g = load_ontology()
    gist, imatinib = URIRef(OBO + "MONDO_0011719"), URIRef(OBO + "CHEBI_45783")
    assert (gist, RDFS.subClassOf, URIRef(OBO + "MONDO_0018506")) in g  # mesenchymal tumor of small intestine
    assert URIRef(OBO + "CHEBI_38637") in restriction_fillers(g, imatinib, HAS_ROLE)
    assert (imatinib, RDFS.subClassOf, ONC.TherapeuticAgent) in g
    assert str(g.value(imatinib, OBOINOWL.id)) == "CHEBI:45783"
    # a display name where the release's label is jargon
    assert str(g.value(URIRef(OBO + "UBERON_0003690"), SKOS.prefLabel)) == "sacrum"


def test_own_terms_are_under_vocabulary_terms() -> None:
    g = load_ontology()
    wedge = T["WedgeResection"]
    assert (wedge, RDFS.subClassOf, T["Resection"]) in g
    assert (T["Resection"], RDFS.subClassOf, URIRef("https://bioregistry.io/mesh:D013514")) in g
    assert g.value(wedge, OBOINOWL.id) is None  # no external identifier: none is invented


def test_every_identifier_of_the_ontology_is_in_the_vocabulary() -> None:
    g = load_ontology()
    vocab = vocabulary()
    known = {t.curie for t in vocab} | {x for t in vocab for x in t.xrefs}
    xrefs = {str(o) for o in g.objects(None, OBOINOWL.hasDbXref)} | {str(o) for o in g.objects(None, OBOINOWL.id)}
    assert len(xrefs) > 200
    assert xrefs - known == set()
    for s in g.subjects(RDF.type, OWL.Class):
        if isinstance(s, URIRef) and not str(s).startswith(str(ONC._NS)):
            assert vocab.curie(str(s)) in vocab, s


# --- build, release ----------------------------------------------------------------------


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, check=False)


def test_generated_block_is_up_to_date(tmp_path: Path) -> None:
    done = run_build("--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("oncograph.ttl", "oncograph.owl", "mappings.sssom.tsv"):
        assert (tmp_path / name).read_bytes() == (REPO / "ontology" / name).read_bytes(), name


def test_owl_release_is_isomorphic_to_ttl(tmp_path: Path) -> None:
    ttl = load_ontology()
    owl = Graph().parse(ontology_path("owl"), format="xml")
    assert len(owl) == len(ttl)
    assert set(canonical_graph(owl)) == set(canonical_graph(ttl))  # isomorphic (blank nodes labelled by content)
    written = write_release(tmp_path, fmt="owl")
    assert written.name == "oncograph.owl"
    assert written.read_text(encoding="utf-8") == ontology_path("owl").read_text(encoding="utf-8")


def test_errors() -> None:
    with pytest.raises(OntologyError):
        ontology_path("json")  # type: ignore[arg-type]
    with pytest.raises(OntologyError):
        write_release(Path("x.owl"), fmt="json")


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="not found"):
        check_ontology(ttl=tmp_path / "nope.ttl", reasoner=False)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix : <x> . :a :b ", encoding="utf-8")
    with pytest.raises(OntologyError, match="cannot parse"):
        check_ontology(ttl=broken, reasoner=False)


def test_sssom_mappings() -> None:
    sssom_parsers = pytest.importorskip("sssom.parsers")
    path = ontology_path("ttl").with_name("mappings.sssom.tsv")
    msdf = sssom_parsers.parse_sssom_table(str(path))
    df = msdf.df
    g = load_ontology()
    expected = {(s, str(o)) for s, o in g.subject_objects(OBOINOWL.hasDbXref)
                if not str(s).startswith(str(ONC._NS))}
    assert len(df) == len(expected) > 40
    conv = msdf.converter
    for subject in set(df["subject_id"]):
        iri = URIRef(conv.expand(subject))
        assert (iri, RDF.type, OWL.Class) in g, subject
    row = df[(df["subject_id"] == "MONDO:0011719") & (df["object_id"] == "NCIT:C3868")]
    assert list(row["predicate_id"]) == ["oboInOwl:hasDbXref"]


# --- reasoning and owlcheck (slow) ----------------------------------------------------------


@pytest.mark.slow
def test_hermit_infers_required_axioms() -> None:
    proved, problems = prove_inferences(ontology_path("owl"))
    assert problems == []
    assert "UBERON:0004619 SubClassOf UBERON:0001130 or part_of some UBERON:0001130" in proved  # L3 in the spine
    assert "UBERON:0003690 SubClassOf UBERON:0001130 or part_of some UBERON:0001130" in proved  # sacrum
    assert "UBERON:0007119 SubClassOf UBERON:0000981 or part_of some UBERON:0000981" in proved  # femoral neck
    assert "CHEBI:45783 SubClassOf has_role some CHEBI:38637" in proved  # imatinib is a TKI
    assert "CHEBI:38940 SubClassOf has_role some CHEBI:38637" in proved  # sunitinib, through a narrower role
    assert len(proved) == len(REQUIRED_INFERENCES)


@pytest.mark.slow
def test_hermit_reports_a_missing_inference(tmp_path: Path) -> None:
    g = Graph().parse(ontology_path("ttl"))
    sacrum = URIRef(OBO + "UBERON_0003690")
    for sup in list(g.objects(sacrum, RDFS.subClassOf)):
        g.remove((sacrum, RDFS.subClassOf, sup))
    broken = tmp_path / "broken.owl"
    broken.write_text(g.serialize(format="xml"), encoding="utf-8")
    proved, problems = prove_inferences(broken)
    assert problems == ["reasoning: HermiT does not infer UBERON:0003690 SubClassOf UBERON:0001130 or part_of "
                        "some UBERON:0001130"]
    assert "UBERON:0004619 SubClassOf UBERON:0001130 or part_of some UBERON:0001130" in proved


@pytest.mark.slow
@pytest.mark.skipif(not OWLCHECK.exists(), reason="owlcheck is not available")
def test_owlcheck_strict_passes() -> None:
    report = check_ontology(owlcheck=OWLCHECK, strict=True)
    assert report.problems == ()
    assert len(report.inferences) == len(REQUIRED_INFERENCES)
    assert any(re.search(r"oncograph\.ttl: OK \(\d+ classes, \d+ axioms\)$", x) for x in report.owlcheck)
    assert any(re.search(r"oncograph\.owl: OK \(\d+ classes, \d+ axioms\)$", x) for x in report.owlcheck)
    assert len(report.owlcheck) == 2
