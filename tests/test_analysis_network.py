"""The metastasis network on tiny hand-built graphs with known answers."""

from __future__ import annotations

import networkx as nx

from oncograph.analysis import metastasis_network, rollup, site_centrality, top_destinations
from oncograph.analysis.plots import network_layers


def patient_graph(*patients: tuple[str, str | None, list[tuple[str, int | None]]]) -> nx.MultiDiGraph:
    """Patients as (name, primary site, [(metastatic site, year)]), each reported in doc-<name>."""
    g = nx.MultiDiGraph()
    for name, primary, mets in patients:
        g.add_node(name, kind="Patient", label=name)
        g.add_node(f"doc-{name}", kind="Document", file_name=f"{name}.txt")
        g.add_edge(name, f"doc-{name}", key="reportedIn")
        if primary:
            g.add_node(f"{name}/t", kind="PrimaryTumor")
            g.add_edge(name, f"{name}/t", key="hasPrimaryTumor")
            g.add_edge(f"{name}/t", primary, key="hasSite")
        for i, (site, year) in enumerate(mets):
            g.add_node(f"{name}/m{i}", kind="Metastasis", **({"year": year} if year else {}))
            g.add_edge(name, f"{name}/m{i}", key="hasMetastasis")
            g.add_edge(f"{name}/m{i}", site, key="hasSite")
    for site in ("L1", "L3", "Sacrum"):
        g.add_edge(site, "Spine", key="partOf")
    g.add_edge("Sacrum", "Pelvis", key="partOf")
    return g


def test_rollup_picks_the_most_specific_level() -> None:
    g = patient_graph()
    assert rollup(g, "L1", ["Spine"]) == "Spine"
    assert rollup(g, "Sacrum", ["Spine"]) == "Spine"
    assert rollup(g, "Sacrum", ["Spine", "Sacrum"]) == "Sacrum"
    assert rollup(g, "Sacrum", ["Pelvis", "Spine"]) == "Pelvis"  # incomparable: the first given
    assert rollup(g, "Liver", ["Spine"]) == "Liver"


def test_primary_and_sequential_edges_weighted_by_patients() -> None:
    g = patient_graph(("a", "Stomach", [("Liver", 2004), ("Sacrum", 2016), ("L1", 2016)]),
                      ("b", "Stomach", [("Liver", None), ("L3", 2017)]))
    m = metastasis_network(g)
    assert sorted(m.edges) == [("Liver", "L1"), ("Liver", "Sacrum"), ("Stomach", "L1"), ("Stomach", "L3"),
                               ("Stomach", "Liver"), ("Stomach", "Sacrum")]
    assert m["Stomach"]["Liver"]["weight"] == 2
    assert m["Stomach"]["Liver"]["patients"] == ("a", "b")
    assert m["Stomach"]["Liver"]["documents"] == ("a.txt", "b.txt")
    assert m["Liver"]["Sacrum"]["kind"] == ("sequential",)
    assert m.nodes["Stomach"]["primary"] == 2 and m.nodes["Liver"]["metastatic"] == 2


def test_rollup_merges_sites_and_drops_self_loops() -> None:
    g = patient_graph(("a", "Stomach", [("L1", 2016), ("L3", 2017)]), ("b", "Stomach", [("L3", 2017)]))
    m = metastasis_network(g, ["Spine"])
    assert sorted(m.edges) == [("Stomach", "Spine")]
    assert m["Stomach"]["Spine"]["weight"] == 2
    assert m["Stomach"]["Spine"]["sites"] == ("L1", "L3")
    assert m.nodes["Spine"]["members"] == ("L1", "L3")


def test_a_patient_without_primary_site_adds_nodes_but_no_primary_edges() -> None:
    m = metastasis_network(patient_graph(("a", None, [("Rib", None)])))
    assert list(m.nodes) == ["Rib"] and m.number_of_edges() == 0


def test_top_destinations_and_centrality() -> None:
    g = patient_graph(("a", "Stomach", [("Liver", 2004)]), ("b", "Stomach", [("Liver", 2004), ("Lung", 2005)]),
                      ("c", "Colon", [("Liver", None)]))
    m = metastasis_network(g)
    assert top_destinations(m) == {"Colon": [("Liver", 1, ("c",))],
                                   "Stomach": [("Liver", 2, ("a", "b")), ("Lung", 1, ("b",))]}
    assert top_destinations(m, k=1)["Stomach"] == [("Liver", 2, ("a", "b"))]
    c = site_centrality(m)
    assert c["Liver"]["in_weight"] == 3 and c["Liver"]["out_weight"] == 1 and c["Stomach"]["out_weight"] == 3


def test_network_layers_follow_the_longest_chain_and_survive_cycles() -> None:
    assert network_layers(nx.DiGraph([("S", "L"), ("L", "B"), ("S", "B")])) == {"B": 2, "L": 1, "S": 0}
    assert network_layers(nx.DiGraph([("S", "A"), ("A", "B"), ("B", "A")])) == {"A": 1, "B": 1, "S": 0}
