"""Tests of the ontology file, its build, its release and its reasoning."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from oncograph.errors import OntologyError
from oncograph.ontology import (
    ONTOLOGY_IRI,
    CheckReport,
    _static_checks,
    check_ontology,
    load_ontology,
    ontology_path,
    prove_inferences,
    write_release,
    xref_converter,
)
from oncograph.vocab import ONC, PART_OF

REPO = Path(__file__).resolve().parents[1]
VOCAB = REPO.parent / "shared" / "vocab"
OWLCHECK = REPO.parent / "shared" / "tools" / "owlcheck" / "owlcheck"
BUILD = REPO / "scripts" / "build_ontology.py"
T = Namespace(str(ONC._NS))  # schema names and domain terms
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")

needs_vocab = pytest.mark.skipif(not VOCAB.is_dir(), reason="../shared/vocab is not available")


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
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/oncograph/ontology/2026-11-21")
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


def test_metastasis_close_matches() -> None:
    g = load_ontology()
    close = set(g.objects(T.Metastasis, SKOS.closeMatch))
    assert URIRef("http://purl.obolibrary.org/obo/NCIT_C3261") in close
    assert URIRef("http://purl.obolibrary.org/obo/MONDO_0024883") in close


# --- our own checks --------------------------------------------------------------------


def test_static_checks_pass_and_measure() -> None:
    report = check_ontology(reasoner=False)
    assert isinstance(report, CheckReport)
    assert report.problems == ()
    assert report.ok
    assert report.n_object_properties == 21  # our namespace only; BFO part_of is reused
    assert report.n_datatype_properties == 40
    assert report.n_terms == report.n_classes - 34 >= 180  # 34 schema classes
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
    bad.add((b, SKOS.exactMatch, URIRef("http://example.org/x")))
    problems, facts = _static_checks(bad)
    text = "\n".join(problems)
    assert "onc:C" in text or "/C>" in text  # no label, no definition
    assert "label 'same' is given to 2 entities" in text
    assert "'FOO:1' has no known prefix" in text
    assert "http://example.org/x" in text
    assert facts["n_classes"] == 3


def test_labels_unique_and_present() -> None:
    g = load_ontology()
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for s, label in g.subject_objects(RDFS.label):
        owners[str(label)].add(s)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for s in g.subjects(RDF.type, kind):
            if isinstance(s, URIRef) and str(s).startswith(str(T._NS)):
                assert g.value(s, RDFS.label) is not None, s
                assert g.value(s, DEFINITION) is not None, s


def test_xref_converter() -> None:
    conv = xref_converter()
    assert conv.expand("HGNC:6342") == "https://identifiers.org/hgnc:6342"
    assert conv.expand("MESH:D059146") == "http://id.nlm.nih.gov/mesh/D059146"
    assert conv.compress("http://purl.obolibrary.org/obo/MAXO_0009088") == "MAXO:0009088"
    assert conv.expand("FOO:1") is None


# --- domain terms ----------------------------------------------------------------------


def test_anatomy_structure() -> None:
    g = load_ontology()
    assert (T.L3Vertebra, RDFS.subClassOf, T.LumbarVertebra) in g
    assert (T.LumbarVertebra, RDFS.subClassOf, T.Vertebra) in g
    assert restriction_fillers(g, T.Vertebra, PART_OF) == {T.VertebralColumn}
    assert (T.Sacrum, RDFS.subClassOf, T.SacralRegionOfVertebralColumn) in g
    assert (T.Sacrum, RDFS.subClassOf, T.BoneElement) in g
    assert restriction_fillers(g, T.SubdivisionOfVertebralColumn, PART_OF) == {T.VertebralColumn}
    assert restriction_fillers(g, T.FemoralNeck, PART_OF) == {T.Femur}
    assert (T.GastricFundus, RDFS.subClassOf, T.ZoneOfStomach) in g
    assert restriction_fillers(g, T.ZoneOfStomach, PART_OF) == {T.Stomach}
    assert URIRef("http://purl.obolibrary.org/obo/UBERON_0004619") in set(
        g.objects(T.L3Vertebra, SKOS.exactMatch)
    )


def test_agent_roles() -> None:
    g = load_ontology()
    assert T.TyrosineKinaseInhibitorRole in restriction_fillers(g, T.Imatinib, T.hasRole)
    assert T.ReceptorTyrosineKinaseInhibitorRole in restriction_fillers(g, T.Sunitinib, T.hasRole)
    assert (T.ReceptorTyrosineKinaseInhibitorRole, RDFS.subClassOf, T.TyrosineKinaseInhibitorRole) in g
    assert T.BoneDensityConservationAgentRole in restriction_fillers(g, T.Bisphosphonate, T.hasRole)
    assert g.value(T.TyrosineKinaseInhibitor, OWL.equivalentClass) is not None
    # the defined class is not asserted as a superclass: the reasoner must infer it
    assert (T.Imatinib, RDFS.subClassOf, T.TyrosineKinaseInhibitor) not in g


@pytest.mark.parametrize(
    ("term", "spelling"),
    [
        (T.KIT, "CD117"),
        (T.KIT, "c-kit"),
        (T.ACTA2, "SMA"),
        (T.ACTA2, "α-SMA"),
        (T.ANO1, "DOG1"),
        (T.MKI67, "Ki-67"),
        (T.S100, "S-100"),
        (T.GastrointestinalStromalTumor, "GIST"),
        (T.VertebralColumn, "spine"),
        (T.BonyPelvis, "pelvis"),
        (T.Sacrum, "fused sacrum"),
        (T.L3Vertebra, "third lumbar vertebra"),
        (T.Imatinib, "Gleevec"),
        (T.Sunitinib, "Sutent"),
        (T.ZoledronicAcid, "zoledronate"),
        (T.Metastasectomy, "resection of metastasis"),
        (T.StereotacticRadiosurgery, "SRS"),
        (T.ComputedTomography, "CT"),
        (T.Immunohistochemistry, "IHC"),
    ],
)
def test_clinical_spellings(term: URIRef, spelling: str) -> None:
    assert spelling in synonyms(load_ontology(), term)


def test_synonym_hygiene() -> None:
    g = load_ontology()
    assert "pelvis" not in {s.casefold() for s in synonyms(g, T.PelvicRegionOfTrunk)}
    assert "Gastric" not in synonyms(g, T.Stomach)
    owners: dict[str, set[URIRef]] = defaultdict(set)
    labels = {str(o).casefold(): s for s, o in g.subject_objects(RDFS.label)}
    imaging = {T.ComputedTomography}
    for term, syn in g.subject_objects(OBOINOWL.hasExactSynonym):
        key = str(syn).casefold()
        owners[key].add(term)
        assert labels.get(key, term) == term, f"synonym {syn!r} of {term} is the label of another entity"
        assert len(str(syn)) > 2 or term in imaging, f"short synonym {syn!r} on {term}"
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


@needs_vocab
def test_every_xref_is_verified() -> None:
    with (VOCAB / "terms.tsv").open(encoding="utf-8", newline="") as handle:
        verified = {row["curie"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}
    with (VOCAB / "chebi_roles.tsv").open(encoding="utf-8", newline="") as handle:
        roles = {row["role_curie"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}
    g = load_ontology()
    xrefs = {str(o) for o in g.objects(None, OBOINOWL.hasDbXref)}
    assert len(xrefs) > 150
    assert xrefs - verified - roles == set()
    conv = xref_converter()
    for pred in (SKOS.exactMatch, SKOS.closeMatch):
        for o in g.objects(None, pred):
            assert conv.compress(str(o)) in verified | roles, o


# --- build, release ----------------------------------------------------------------------


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD), "--vocab", str(VOCAB), *args],
        capture_output=True,
        text=True,
        check=False,
    )


@needs_vocab
def test_generated_block_is_up_to_date(tmp_path: Path) -> None:
    done = run_build("--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("oncograph.ttl", "oncograph.owl", "mappings.sssom.tsv"):
        assert (tmp_path / name).read_bytes() == (REPO / "ontology" / name).read_bytes(), name


@needs_vocab
def test_build_refuses_an_unverified_identifier(tmp_path: Path) -> None:
    for name in ("terms.tsv", "oncograph.ttl"):
        shutil.copy(REPO / "ontology" / name, tmp_path / name)
    with (tmp_path / "terms.tsv").open("a", encoding="utf-8") as handle:
        handle.write(
            "Bogus\tanatomy\tbogus organ\tAnatomicalSite\t\tUBERON:9999999\t\tA made-up organ.\t\t\n"
        )
    done = run_build("--ontology-dir", str(tmp_path))
    assert done.returncode == 1
    assert "UBERON:9999999 is not a verified identifier" in done.stderr
    assert (tmp_path / "oncograph.ttl").read_bytes() == (REPO / "ontology" / "oncograph.ttl").read_bytes()


def test_owl_release_is_isomorphic_to_ttl(tmp_path: Path) -> None:
    ttl = load_ontology()
    owl = Graph().parse(ontology_path("owl"), format="xml")
    assert len(owl) == len(ttl)
    assert isomorphic(owl, ttl)
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
    expected = {(s, p, o) for p in (SKOS.exactMatch, SKOS.closeMatch) for s, o in g.subject_objects(p)}
    assert len(df) == len(expected) > 150
    conv = msdf.converter
    for subject in set(df["subject_id"]):
        iri = URIRef(conv.expand(subject))
        assert (iri, RDF.type, OWL.Class) in g, subject
    row = df[(df["subject_id"] == "onc:Imatinib") & (df["object_id"] == "CHEBI:45783")]
    assert list(row["predicate_id"]) == ["skos:exactMatch"]


# --- reasoning and owlcheck (slow) ----------------------------------------------------------


@pytest.mark.slow
def test_hermit_infers_required_axioms() -> None:
    proved, problems = prove_inferences(ontology_path("owl"))
    assert problems == []
    assert "L3Vertebra SubClassOf part_of some VertebralColumn" in proved
    assert "L1Vertebra SubClassOf part_of some VertebralColumn" in proved
    assert "Sacrum SubClassOf part_of some VertebralColumn" in proved
    assert "FemoralNeck SubClassOf part_of some Femur" in proved
    assert "GastricFundus SubClassOf part_of some Stomach" in proved
    assert "Imatinib SubClassOf TyrosineKinaseInhibitor" in proved
    assert "Sunitinib SubClassOf TyrosineKinaseInhibitor" in proved


@pytest.mark.slow
def test_hermit_reports_a_missing_inference(tmp_path: Path) -> None:
    g = Graph().parse(ontology_path("ttl"))
    for sup in list(g.objects(T.Sacrum, RDFS.subClassOf)):
        if sup == T.SacralRegionOfVertebralColumn:
            g.remove((T.Sacrum, RDFS.subClassOf, sup))
    broken = tmp_path / "broken.owl"
    broken.write_text(g.serialize(format="xml"), encoding="utf-8")
    proved, problems = prove_inferences(broken)
    assert problems == ["reasoning: HermiT does not infer Sacrum SubClassOf part_of some VertebralColumn"]
    assert "L3Vertebra SubClassOf part_of some VertebralColumn" in proved


@pytest.mark.slow
@pytest.mark.skipif(not OWLCHECK.exists(), reason="owlcheck is not available")
def test_owlcheck_strict_passes() -> None:
    report = check_ontology(owlcheck=OWLCHECK, strict=True)
    assert report.problems == ()
    assert len(report.inferences) == 7
    assert any(re.search(r"oncograph\.ttl: OK \(\d+ classes, \d+ axioms\)$", x) for x in report.owlcheck)
    assert any(re.search(r"oncograph\.owl: OK \(\d+ classes, \d+ axioms\)$", x) for x in report.owlcheck)
    assert len(report.owlcheck) == 2
