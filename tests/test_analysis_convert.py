"""The explicit store → networkx conversion, on a tiny TriG fixture."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from oncograph.analysis import AnalysisError, curie, regions, resolve_term, store_to_networkx
from oncograph.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "tiny.trig"
ONC = "https://w3id.org/oncograph/ontology/"
OBO = "http://purl.obolibrary.org/obo/"
P = "https://w3id.org/oncograph/data/a.txt/patient/1"


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store()
    s.oxigraph.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return s


def test_nodes_are_individuals_and_terms_with_literals_as_attributes(store: Store) -> None:
    g = store_to_networkx(store)
    assert g.nodes[P]["kind"] == "Patient"
    assert g.nodes[P]["age"] == 71
    assert g.nodes[P + "/metastasis/2"] == {"kind": "Metastasis", "label": "2", "year": 2016, "laterality": "right"}
    assert g.nodes[OBO + "UBERON_0000945"]["xrefs"] == ("UBERON:0000945",)
    # no literal, no class, no evidence ever becomes a node
    assert not any(str(n).startswith(("2016", "right")) for n in g)
    assert ONC + "Patient" not in g and ONC + "Metastasis" not in g


def test_edges_are_object_properties_and_closure(store: Store) -> None:
    g = store_to_networkx(store)
    assert g.has_edge(P, P + "/metastasis/2", key="hasMetastasis")
    assert g.has_edge(P + "/metastasis/2", OBO + "UBERON_0004617", key="hasSite")
    assert g.has_edge(P, "https://w3id.org/oncograph/data/a.txt", key="reportedIn")
    assert g.has_edge(OBO + "UBERON_0004617", OBO + "UBERON_0001130", key="within")
    assert not g.has_edge(OBO + "UBERON_0004617", OBO + "UBERON_0004617")  # the reflexive closure is left out
    assert regions(g, OBO + "UBERON_0004617") == {OBO + "UBERON_0004617", OBO + "UBERON_0001474",
                                                 OBO + "UBERON_0001130"}
    assert curie(g, OBO + "UBERON_0004617") == "UBERON:0004617"
    assert sorted({k for *_, k in g.edges(keys=True)}) == [
        "hasAgent", "hasEvent", "hasMarker", "hasMarkerResult", "hasMetastasis", "hasPrimaryTumor", "hasSite",
        "hasTreatment", "reportedIn", "within"]


def test_resolve_term(store: Store) -> None:
    assert resolve_term(store, "Vertebral Column") == OBO + "UBERON_0001130"
    assert resolve_term(store, "UBERON:0001130") == OBO + "UBERON_0001130"
    # a term the vocabulary knows resolves even when no fact of the store uses it
    assert resolve_term(store, "elbow") == OBO + "UBERON_0001461"
    with pytest.raises(AnalysisError, match="no ontology term"):
        resolve_term(store, "no such organ at all")


def test_empty_store_gives_empty_graph() -> None:
    assert store_to_networkx(Store()).number_of_nodes() == 0
