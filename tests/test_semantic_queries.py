"""The semantic queries of the library, each against a tiny hand-built graph with known answers.

The fixture ``tests/fixtures/access/mini.trig`` holds two case-report documents (three
patients) and two cohort studies; the ontology and its closure are loaded as
``oncograph ingest`` loads them.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from oncograph.errors import QueryError
from oncograph.ontology import load_ontology
from oncograph.query import list_queries, run_query
from oncograph.store import Store
from oncograph.vocabulary import vocabulary

FIXTURE = Path(__file__).parent / "fixtures" / "access" / "mini.trig"
D = "https://w3id.org/oncograph/data/"
ONC = "https://w3id.org/oncograph/ontology/"
OBO = "http://purl.obolibrary.org/obo/"
A1, A2, B1 = D + "a.txt/patient/1", D + "a.txt/patient/2", D + "b.txt/patient/1"
SEMANTIC = ("metastases-in-region", "bone-metastases", "drugs-by-role", "patients-by-marker-profile",
            "time-to-bone-metastasis", "evidence", "cohort-figures")


def load_fixture(store: Store) -> Store:
    """The fixture graphs plus the packaged ontology and its closure, in ``store``."""
    store.ensure_ontology(load_ontology(), vocabulary())
    store.oxigraph.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.add_terms(store.used_terms(vocabulary()), vocabulary())  # as ingest adds them
    return store


@pytest.fixture(scope="module")
def store() -> Store:
    return load_fixture(Store())


def rows(store: Store, name: str, **params: str) -> list[tuple[str, ...]]:
    return list(run_query(store, name, params).rows)


def test_library_lists_the_semantic_queries_with_headers() -> None:
    library = {q.name: q for q in list_queries()}
    for name in SEMANTIC:
        assert name in library
        assert library[name].question.endswith("?")
        assert library[name].returns


def test_metastases_in_the_vertebral_column_by_curie(store: Store) -> None:
    result = run_query(store, "metastases-in-region", {"region": "UBERON:0001130"})
    assert result.columns == ("patient", "document", "site_label", "site_xref", "year", "region")
    assert [(r[0], r[2], r[4]) for r in result.rows] == [
        (A1, "sacrum", "2016"),
        (A2, "L1 vertebra", "2017"),
        (A2, "L3 vertebra", "2017"),
    ]
    assert {r[5] for r in result.rows} == {OBO + "UBERON_0001130"}


def test_metastases_in_region_defaults_to_the_vertebral_column(store: Store) -> None:
    assert [r[:3] for r in rows(store, "metastases-in-region")] == [
        r[:3] for r in rows(store, "metastases-in-region", region="UBERON:0001130")]


def test_metastases_in_region_by_part_of_only(store: Store) -> None:
    # the sacrum is part of the bony pelvis (UBERON:0001270), not a kind of it
    assert [(r[0], r[2]) for r in rows(store, "metastases-in-region", region="UBERON:0001270")] == [
        (A1, "sacrum")]
    # the liver: itself only
    assert [(r[0], r[2]) for r in rows(store, "metastases-in-region", region="UBERON:0002107")] == [(A1, "liver")]


def test_metastases_in_region_by_label(store: Store) -> None:
    assert [r[2] for r in rows(store, "metastases-in-region", region="skeletal system")] == [
        "sacrum", "femur", "L1 vertebra", "L3 vertebra", "rib"]


def test_unknown_curie_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="no ontology term"):
        run_query(store, "metastases-in-region", {"region": "UBERON:9999999"})


def test_bone_metastases(store: Store) -> None:
    assert [(r[0], r[2], r[4], r[5]) for r in rows(store, "bone-metastases")] == [
        (A1, "sacrum", "right", "2016"),
        (A2, "femur", "", "2015"),
        (A2, "L1 vertebra", "", "2017"),
        (A2, "L3 vertebra", "", "2017"),
        (B1, "rib", "", "2020"),
    ]


def test_drugs_by_role_defaults_to_tyrosine_kinase_inhibitors(store: Store) -> None:
    assert [(r[0], r[2], r[4], r[5]) for r in rows(store, "drugs-by-role")] == [
        (A1, "imatinib", "tyrosine kinase inhibitor", "2004"),
        (A1, "sunitinib", "EC 2.7.10.1 (receptor protein-tyrosine kinase) inhibitor", "2016"),
        (A2, "imatinib", "tyrosine kinase inhibitor", "2010"),
    ]


def test_drugs_by_role_bone_density_agents(store: Store) -> None:
    assert [(r[0], r[2], r[5]) for r in rows(store, "drugs-by-role", role="CHEBI:50646")] \
        == [(A2, "zoledronic acid", "2017")]


def test_patients_by_marker_profile_kit_positive_sma_negative(store: Store) -> None:
    assert [r[:5] for r in rows(store, "patients-by-marker-profile")] == [
        (A1, "a.txt", "case 1", "KIT", "ACTA2")]
    # the same with CURIEs
    assert [r[0] for r in rows(store, "patients-by-marker-profile", positive="HGNC:6342",
                               negative="HGNC:130")] == [A1]
    # CD34+ and KIT-: nobody; KIT+ and ACTA2+ is not a negative
    assert rows(store, "patients-by-marker-profile", positive="HGNC:1662", negative="HGNC:6342") == []


_DENIED = """
@prefix onc: <https://w3id.org/oncograph/ontology/> .
@prefix d: <https://w3id.org/oncograph/data/> .
@prefix g: <https://w3id.org/oncograph/graph/document/> .
g:c.txt {
  d:c.txt a onc:Document ; onc:fileName "c.txt" .
  # KIT positive; ACTA2 denied ("no ACTA2 staining"): a negative finding, status absent
  d:c.txt\\/patient\\/1 a onc:Patient ; onc:patientLabel "case 1" ; onc:reportedIn d:c.txt ;
      onc:hasMarkerResult d:c.txt\\/patient\\/1\\/marker\\/1 ;
      onc:hasNegativeFinding d:c.txt\\/patient\\/1\\/negative\\/1 .
  d:c.txt\\/patient\\/1\\/marker\\/1 a onc:MarkerResult ; onc:hasMarker <https://bioregistry.io/hgnc:6342> ;
      onc:status "positive" .
  d:c.txt\\/patient\\/1\\/negative\\/1 a onc:NegativeFinding ; onc:hasMarker <https://bioregistry.io/hgnc:130> ;
      onc:status "absent" .
  # KIT positive; ACTA2 only suspected: an uncertain finding, not a negative
  d:c.txt\\/patient\\/2 a onc:Patient ; onc:patientLabel "case 2" ; onc:reportedIn d:c.txt ;
      onc:hasMarkerResult d:c.txt\\/patient\\/2\\/marker\\/1 ;
      onc:hasFinding d:c.txt\\/patient\\/2\\/negative\\/1 .
  d:c.txt\\/patient\\/2\\/marker\\/1 a onc:MarkerResult ; onc:hasMarker <https://bioregistry.io/hgnc:6342> ;
      onc:status "positive" .
  d:c.txt\\/patient\\/2\\/negative\\/1 a onc:UncertainFinding ; onc:hasMarker <https://bioregistry.io/hgnc:130> ;
      onc:status "uncertain" .
}
"""


def test_patients_by_marker_profile_counts_a_denied_marker_as_negative() -> None:
    store = load_fixture(Store())
    store.oxigraph.load(_DENIED.encode(), format=ox.RdfFormat.TRIG)
    got = [(r[0], r[2]) for r in rows(store, "patients-by-marker-profile")]
    assert got == [(A1, "case 1"), (D + "c.txt/patient/1", "case 1")]


def test_time_to_bone_metastasis(store: Store) -> None:
    result = run_query(store, "time-to-bone-metastasis")
    assert result.columns == ("patient", "document", "diagnosis_year", "bone_metastasis_year", "years",
                              "first_bone_sites")
    assert list(result.rows) == [
        (A1, "a.txt", "2003", "2016", "13", "sacrum"),
        (A2, "a.txt", "2009", "2015", "6", "femur"),
    ]


def test_evidence_of_a_fact(store: Store) -> None:
    fact = A1 + "/metastasis/2"
    assert rows(store, "evidence", fact=f"<{fact}>") == [
        (A1, fact, "Metastasis", "a.txt", "Case 1", "100", "146",
         "A mass in the right sacrum was found in 2016.")]


def test_evidence_of_a_patient(store: Store) -> None:
    assert [r[1] for r in rows(store, "evidence", patient=f"<{A1}>")] == [A1 + "/metastasis/2"]
    assert rows(store, "evidence", patient=f"<{A2}>") == []


def test_cohort_figures_across_studies(store: Store) -> None:
    result = run_query(store, "cohort-figures")
    assert [r[:8] for r in result.rows] == [
        ("5-year survival rate", "%", "1", "40", "45", "45", "45", "45"),
        ("median survival", "months", "2", "60", "40", "60", "50", "53.333333333333333333"),
    ]
    assert result.rows[1][8] in ("c.txt d.txt", "d.txt c.txt")
