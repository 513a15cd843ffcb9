"""Facts to triples: graph content, punned terms, evidence, literals, and OWL 2 DL with the ontology."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from oncograph.emit import document_iri, emit, graph_iri, term_iri
from oncograph.facts import (
    DocumentFacts,
    Evidence,
    MarkerResult,
    Metastasis,
    NegativeFinding,
    Patient,
    PrimaryTumor,
    StudyFacts,
    StudySiteCount,
    StudyStatistic,
    Treatment,
)
from oncograph.vocab import ONC

OWLCHECK = Path("/work/shared/tools/owlcheck/owlcheck")

EV_MET = Evidence(100, 160, "A metastasis in the left lung was found in 2011.", "case")
EV_DRUG = Evidence(200, 240, "She was switched to sunitinib.", "case")
PATIENT = Patient(
    key=1, label="case 1", age=61, sex="female",
    primary=PrimaryTumor("MONDO:0011719", "UBERON:0000945", 2005, None, 8.5, None, "high",
                         (Evidence(10, 60, "A GIST of the stomach was resected in 2005.", "case"),)),
    metastases=(Metastasis("UBERON:0002048", "left", 2011, None, (EV_MET,)), Metastasis("UBERON:0003690")),
    markers=(MarkerResult("HGNC:6342", "positive"), MarkerResult("HGNC:7107", None, "8%", 8.0)),
    treatments=(
        Treatment("drug", "CHEBI:45783", dose="400 mg/day", dose_value=400.0, dose_unit="mg/day", year=2005),
        Treatment("drug", "CHEBI:38940", switched_from="CHEBI:45783", year=2012, evidence=(EV_DRUG,)),
        Treatment("radiotherapy", "MESH:D016634", dose_gy=24.0, fractions=3, site="UBERON:0003690"),
        Treatment("diagnostic", "MESH:D001707"),
    ),
    negatives=(NegativeFinding("metastasis", "UBERON:0002107", trigger="no evidence of"),
               NegativeFinding("tumor", "MONDO:0005058", status="uncertain", trigger="in the differential")),
)
FACTS = DocumentFacts("doc one.txt", "case_report", (PATIENT,), None, "test/1")
STUDY = DocumentFacts("cohort.txt", "cohort_study", (), StudyFacts(
    n_patients=24,
    tumor_types=("MONDO:0011719",),
    site_counts=(StudySiteCount("primary", "UBERON:0000945", 10),),
    statistics=(StudyStatistic("3-year survival rate", 63.7, "%"), StudyStatistic("median survival", 41.0, "months")),
), "test/1")

DOC = document_iri("doc one.txt")
P1 = URIRef(str(DOC) + "/patient/1")


@pytest.fixture(scope="module")
def triples() -> list:
    return emit(FACTS)


def objects(triples: list, s: URIRef, p: URIRef) -> set:
    return {o for s2, p2, o in triples if s2 == s and p2 == p}


def test_iris_are_minted_from_the_document_name() -> None:
    assert str(DOC) == "https://w3id.org/oncograph/data/doc_one.txt"
    assert str(graph_iri("doc one.txt")) == "https://w3id.org/oncograph/graph/document/doc_one.txt"
    # a term's IRI is its external identifier itself: the OBO PURL, the Bioregistry IRI, or ours
    assert str(term_iri("UBERON:0003690")) == "http://purl.obolibrary.org/obo/UBERON_0003690"
    assert str(term_iri("HGNC:6342")) == "https://bioregistry.io/hgnc:6342"
    assert str(term_iri("MESH:D016634")) == "https://bioregistry.io/mesh:D016634"
    assert term_iri("ONC:Resection") == ONC._NS["Resection"]


def test_patient_and_document(triples) -> None:
    assert (DOC, RDF.type, ONC.Document) in triples
    assert (P1, RDF.type, ONC.Patient) in triples
    assert (P1, ONC.reportedIn, DOC) in triples
    assert (P1, ONC.age, Literal(61, datatype=XSD.integer)) in triples
    assert (P1, ONC.sex, Literal("female", datatype=XSD.string)) in triples
    assert (P1, ONC.patientLabel, Literal("case 1", datatype=XSD.string)) in triples


def test_primary_tumour(triples) -> None:
    (primary,) = objects(triples, P1, ONC.hasPrimaryTumor)
    assert (primary, RDF.type, ONC.PrimaryTumor) in triples
    assert (primary, ONC.hasTumorType, term_iri("MONDO:0011719")) in triples
    assert (primary, ONC.hasSite, term_iri("UBERON:0000945")) in triples
    assert (primary, ONC.year, Literal(2005, datatype=XSD.integer)) in triples
    assert (primary, ONC.sizeCm, Literal(Decimal("8.5"), datatype=XSD.decimal)) in triples
    assert (primary, ONC.riskClass, Literal("high", datatype=XSD.string)) in triples


def test_metastases_point_at_punned_site_terms(triples) -> None:
    mets = objects(triples, P1, ONC.hasMetastasis)
    assert len(mets) == 2
    assert {next(iter(objects(triples, m, ONC.hasSite))) for m in mets} == {term_iri("UBERON:0002048"),
                                                                           term_iri("UBERON:0003690")}
    lung = next(m for m in mets if (m, ONC.hasSite, term_iri("UBERON:0002048")) in triples)
    assert (lung, RDF.type, ONC.Metastasis) in triples
    assert objects(triples, lung, ONC.laterality) == {Literal("left", datatype=XSD.string)}
    assert objects(triples, lung, ONC.year) == {Literal(2011, datatype=XSD.integer)}
    (primary,) = objects(triples, P1, ONC.hasPrimaryTumor)
    assert (lung, ONC.metastasisOf, primary) in triples
    sacrum = next(m for m in mets if m != lung)
    assert objects(triples, sacrum, ONC.year) == set()
    assert objects(triples, sacrum, ONC.laterality) == set()


def test_evidence_node_with_offsets(triples) -> None:
    lung = next(m for m in objects(triples, P1, ONC.hasMetastasis)
                if (m, ONC.hasSite, term_iri("UBERON:0002048")) in triples)
    (ev,) = objects(triples, lung, ONC.hasEvidence)
    assert str(ev).endswith("/evidence/100-160")
    assert (ev, RDF.type, ONC.Evidence) in triples
    assert (ev, ONC.fromDocument, DOC) in triples
    assert (ev, ONC.startOffset, Literal(100, datatype=XSD.integer)) in triples
    assert (ev, ONC.endOffset, Literal(160, datatype=XSD.integer)) in triples
    assert (ev, ONC.sentenceText, Literal(EV_MET.sentence, datatype=XSD.string)) in triples
    assert (ev, ONC.section, Literal("case", datatype=XSD.string)) in triples
    assert (ev, ONC.extractorVersion, Literal("test/1", datatype=XSD.string)) in triples


def test_markers(triples) -> None:
    results = objects(triples, P1, ONC.hasMarkerResult)
    table = {next(iter(objects(triples, r, ONC.hasMarker))): r for r in results}
    assert set(table) == {term_iri("HGNC:6342"), term_iri("HGNC:7107")}
    assert objects(triples, table[term_iri("HGNC:6342")], ONC.status) == {Literal("positive", datatype=XSD.string)}
    ki67 = table[term_iri("HGNC:7107")]
    assert objects(triples, ki67, ONC.status) == set()
    assert objects(triples, ki67, ONC.valueText) == {Literal("8%", datatype=XSD.string)}
    assert objects(triples, ki67, ONC.percentValue) == {Literal(Decimal(8), datatype=XSD.decimal)}


def test_treatments_switch_and_diagnostics(triples) -> None:
    treated = objects(triples, P1, ONC.hasTreatment)
    by_what = {next(iter(objects(triples, t, ONC.hasAgent) | objects(triples, t, ONC.hasProcedure))): t
               for t in treated}
    assert set(by_what) == {term_iri("CHEBI:45783"), term_iri("CHEBI:38940"), term_iri("MESH:D016634")}
    ima, suni = by_what[term_iri("CHEBI:45783")], by_what[term_iri("CHEBI:38940")]
    assert (ima, RDF.type, ONC.DrugTreatment) in triples
    assert (suni, ONC.switchedFrom, ima) in triples
    assert objects(triples, ima, ONC.doseText) == {Literal("400 mg/day", datatype=XSD.string)}
    assert objects(triples, ima, ONC.doseValue) == {Literal(Decimal(400), datatype=XSD.decimal)}
    rt = by_what[term_iri("MESH:D016634")]
    assert (rt, RDF.type, ONC.RadiotherapyEvent) in triples
    assert objects(triples, rt, ONC.totalDoseGy) == {Literal(Decimal(24), datatype=XSD.decimal)}
    assert objects(triples, rt, ONC.fractions) == {Literal(3, datatype=XSD.integer)}
    assert objects(triples, rt, ONC.hasSite) == {term_iri("UBERON:0003690")}
    # a biopsy is an event of the patient, not a treatment
    biopsy = [s for s, p, o in triples if p == ONC.hasProcedure and o == term_iri("MESH:D001707")]
    assert len(biopsy) == 1
    assert (biopsy[0], RDF.type, ONC.DiagnosticEvent) in triples
    assert (P1, ONC.hasEvent, biopsy[0]) in triples
    assert biopsy[0] not in treated


def test_negative_finding(triples) -> None:
    (neg,) = objects(triples, P1, ONC.hasNegativeFinding)
    assert (neg, RDF.type, ONC.NegativeFinding) in triples
    assert (neg, ONC.hasSite, term_iri("UBERON:0002107")) in triples
    assert (neg, ONC.status, Literal("absent", datatype=XSD.string)) in triples
    assert (neg, ONC.assertionTrigger, Literal("no evidence of", datatype=XSD.string)) in triples
    assert not any(o == term_iri("UBERON:0002107") for m in objects(triples, P1, ONC.hasMetastasis)
                   for o in objects(triples, m, ONC.hasSite))


def test_study_statistics_literals() -> None:
    t = emit(STUDY)
    doc = document_iri("cohort.txt")
    (study,) = objects(t, doc, ONC.describesStudy)
    assert (study, RDF.type, ONC.Study) in t
    assert (study, ONC.patientCount, Literal(24, datatype=XSD.integer)) in t
    stats = {str(next(iter(objects(t, s, ONC.measure)))): s for s in objects(t, study, ONC.hasStatistic)}
    assert set(stats) == {"3-year survival rate", "median survival"}
    three = stats["3-year survival rate"]
    assert objects(t, three, ONC.value) == {Literal(Decimal("63.7"), datatype=XSD.decimal)}
    assert objects(t, three, ONC.unit) == {Literal("%", datatype=XSD.string)}
    assert objects(t, stats["median survival"], ONC.value) == {Literal(Decimal(41), datatype=XSD.decimal)}
    (count,) = objects(t, study, ONC.hasSiteCount)
    assert objects(t, count, ONC.role) == {Literal("primary", datatype=XSD.string)}
    assert objects(t, count, ONC.hasSite) == {term_iri("UBERON:0000945")}
    assert objects(t, count, ONC.count) == {Literal(10, datatype=XSD.integer)}


def test_emit_is_deterministic_and_duplicate_free(triples) -> None:
    assert emit(FACTS) == triples
    assert len(set(triples)) == len(triples)


@pytest.mark.parametrize("fmt", ["nt", "xml"])
def test_round_trip_is_isomorphic(triples, fmt: str) -> None:
    g = Graph()
    for t in triples:
        g.add(t)
    back = Graph().parse(data=g.serialize(format=fmt), format=fmt)
    assert isomorphic(g, back)
    assert len(back) == len(triples)


def test_round_trip_through_turtle_keeps_values(triples) -> None:
    # Turtle writes the decimal "24" as 24.0: the lexical form changes, the value must not
    g = Graph()
    for t in triples:
        g.add(t)
    back = Graph().parse(data=g.serialize(format="turtle"), format="turtle")

    def values(graph: Graph) -> set:
        return {(s, p, o.toPython() if isinstance(o, Literal) else o) for s, p, o in graph}

    assert values(back) == values(g)


def test_every_term_used_is_declared_in_the_ontology(triples) -> None:
    from oncograph.ontology import load_ontology

    onto = load_ontology()
    ns = str(ONC._NS)
    used = {o for _s, _p, o in triples if isinstance(o, URIRef) and str(o).startswith(ns)}
    used |= {p for _s, p, _o in triples if str(p).startswith(ns)}
    undeclared = {u for u in used if (u, RDF.type, None) not in onto}
    assert undeclared == set()


@pytest.mark.slow
def test_owlcheck_strict_accepts_ontology_plus_data(tmp_path: Path, fixture_path) -> None:
    if not OWLCHECK.exists() or shutil.which("java") is None:
        pytest.skip("owlcheck (or java) is not available")
    from oncograph.extract import extract
    from oncograph.ontology import load_ontology
    from oncograph.read import read_string

    g = Graph()
    for t in load_ontology():
        g.add(t)
    for t in emit(FACTS) + emit(STUDY):
        g.add(t)
    for name in ("case_one.txt", "cohort.txt"):
        (doc,) = read_string(fixture_path(name).read_text(encoding="utf-8"), name)
        for t in emit(extract(doc), doc.metadata):
            g.add(t)
    out = tmp_path / "ontology-and-data.ttl"
    g.serialize(out, format="turtle")
    proc = subprocess.run([str(OWLCHECK), "--strict", str(out)], capture_output=True, text=True, timeout=600)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"owlcheck: {out}: OK" in proc.stdout


def test_uncertain_finding(triples) -> None:
    (f,) = objects(triples, P1, ONC.hasFinding)
    assert (f, RDF.type, ONC.UncertainFinding) in triples
    assert (f, ONC.hasTumorType, term_iri("MONDO:0005058")) in triples
    assert (f, ONC.status, Literal("uncertain", datatype=XSD.string)) in triples
    assert (f, ONC.assertionTrigger, Literal("in the differential", datatype=XSD.string)) in triples
