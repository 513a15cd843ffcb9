"""Short case reports of twelve cancers (tests/fixtures/cancers/, written for these tests): each comes out
with its tumour type and site, metastatic sites, markers with polarity or level, and drugs with roles,
every one an identifier of the vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncograph.extract import extract
from oncograph.facts import Patient
from oncograph.read import read_string
from oncograph.vocabulary import vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "cancers"

ANTINEOPLASTIC = "CHEBI:35610"
MONOCLONAL = "MESH:D000911"  # Antibodies, Monoclonal

#: file → (tumour, site, metastases, markers {curie: status or value}, drugs)
EXPECTED: dict[str, tuple[str, str, set[str], dict[str, str], set[str]]] = {
    "melanoma": ("MONDO:0005012", "UBERON:0002097", {"UBERON:0000955"},
                 {"MESH:D009418": "positive", "HGNC:10880": "positive", "HGNC:1097": "positive"},
                 {"MESH:C582435"}),
    "breast": ("MONDO:0004953", "UBERON:0000310", {"UBERON:0002107"},
               {"HGNC:3467": "negative", "HGNC:8910": "negative", "HGNC:3430": "positive"},
               {"CHEBI:45863", "MESH:D000068878"}),
    "lung": ("MONDO:0005061",  # lung adenocarcinoma, as the title names the case's adenocarcinoma
             "UBERON:0002167", {"UBERON:0011050", "UBERON:0000981", "UBERON:0000955"},
             {"HGNC:11825": "positive", "HGNC:15979": "negative", "HGNC:3236": "positive"},
             {"CHEBI:90943", "CHEBI:46557"}),
    "colorectal": ("MONDO:0004970", "UBERON:0001156", {"UBERON:0002107"},
                   {"HGNC:20412": "positive", "HGNC:1806": "positive", "HGNC:6445": "negative",
                    "HGNC:6407": "positive"},
                   {"MESH:C410216", "MESH:D000068258"}),
    "ovary": ("MONDO:0005211", "UBERON:0000992", {"UBERON:0002358"},
              {"HGNC:1100": "positive", "HGNC:12796": "positive", "HGNC:8622": "positive"},
              {"CHEBI:31355", "CHEBI:45863", "CHEBI:83766"}),
    "prostate": ("MONDO:0005082", "UBERON:0002367", {"UBERON:0002355", "UBERON:0002228"},
                 {"HGNC:6364": "48 ng/mL"},
                 {"CHEBI:6427", "CHEBI:68534", "MESH:D000069448"}),
    "kidney": ("MONDO:0005005", "UBERON:0004538", {"UBERON:0002048", "UBERON:0001233"},
               {"HGNC:8622": "positive", "HGNC:7154": "positive"},
               {"CHEBI:38940"}),
    "liver": ("MONDO:0007256", "UBERON:0002107", {"UBERON:0002048"},
              {"HGNC:317": "2300 ng/mL", "HGNC:4451": "positive"},
              {"CHEBI:50924"}),
    "thyroid": ("MONDO:0005075", "UBERON:0002046", {"UBERON:0002048", "UBERON:0002429"},
                {"HGNC:11764": "positive", "HGNC:11825": "positive", "HGNC:1097": "positive"},
                {"CHEBI:85994"}),
    "pancreas": ("MONDO:0005184", "UBERON:0001069", {"UBERON:0002107"},
                 {"MESH:D018395": "1200 U/mL"},
                 {"MESH:C000627770"}),
    "gist": ("MONDO:0011719", "UBERON:0000945", {"UBERON:0002107"},
             {"HGNC:6342": "positive", "HGNC:21625": "positive", "HGNC:2770": "negative"},
             {"CHEBI:45783", "CHEBI:38940"}),
    "bladder": ("MONDO:0005611", "UBERON:0001255", {"UBERON:0004618", "UBERON:0003690"},
                {"HGNC:4172": "positive", "HGNC:6445": "positive"},
                {"MESH:C000594389"}),
}


def _patient(name: str) -> Patient:
    path = FIXTURES / f"{name}.txt"
    docs = read_string(path.read_text(encoding="utf-8"), path.name)
    facts = extract(docs[0])
    assert facts.kind == "case_report"
    assert len(facts.patients) == 1
    return facts.patients[0]


def test_at_least_ten_cancers() -> None:
    assert len(EXPECTED) >= 10
    assert {p.stem for p in FIXTURES.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report(name: str) -> None:
    tumour, site, metastases, markers, drugs = EXPECTED[name]
    p = _patient(name)
    assert p.primary is not None
    assert (p.primary.tumor_type, p.primary.site) == (tumour, site)
    assert {m.site for m in p.metastases} == metastases
    found = {m.marker: (m.status or m.value) for m in p.markers}
    assert found == markers
    assert {t.term for t in p.treatments if t.kind == "drug"} == drugs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fact_has_an_identifier_and_an_iri(name: str) -> None:
    v = vocabulary()
    p = _patient(name)
    assert p.primary is not None
    terms = {p.primary.tumor_type, p.primary.site, *(m.site for m in p.metastases),
             *(m.marker for m in p.markers), *(t.term for t in p.treatments if t.term)}
    for curie in terms:
        assert curie in v, curie
        assert v.iri(curie).startswith(("http://purl.obolibrary.org/obo/", "https://bioregistry.io/",
                                        "https://w3id.org/oncograph/")), curie


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_drugs_have_a_role_or_a_class(name: str) -> None:
    """A small molecule carries ChEBI's antineoplastic role, an antibody sits under MeSH's class."""
    v = vocabulary()
    supportive = {"CHEBI:46557"}  # zoledronic acid: a bone density conservation agent
    for t in _patient(name).treatments:
        if t.kind != "drug":
            continue
        closure = v.closure_of([t.term])
        if t.term.startswith("CHEBI:") and t.term not in supportive:
            assert ANTINEOPLASTIC in closure, v[t.term].label
        elif t.term.startswith("MESH:") and v[t.term].kind == "drug":
            assert MONOCLONAL in closure, v[t.term].label
