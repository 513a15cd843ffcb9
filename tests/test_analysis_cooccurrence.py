"""Co-occurrence, similarity and communities on tiny hand-built graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from oncograph.analysis import (
    cooccurrence,
    cooccurrence_matrix,
    feature_graph,
    jaccard_similarity,
    patient_communities,
    similarity_graph,
)


def patients() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    spec = {
        "p": [("marker", "KIT", "positive"), ("marker", "SMA", "negative"), ("drug", "Imatinib", None),
              ("site", "L1", None)],
        "q": [("marker", "KIT", "positive"), ("drug", "Imatinib", None), ("site", "L3", None)],
        "r": [("marker", "KIT", "negative"), ("marker", "Ki67", None)],
    }
    for t in ("KIT", "SMA", "Ki67", "Imatinib", "L1", "L3", "Spine"):
        g.add_node(t, kind="Term", label=t)
    g.add_edge("L1", "Spine", key="partOf")
    g.add_edge("L3", "Spine", key="partOf")
    for p, facts in spec.items():
        g.add_node(p, kind="Patient", label=p.upper())
        for i, (kind, term, status) in enumerate(facts):
            f = f"{p}/{i}"
            if kind == "marker":
                g.add_node(f, kind="MarkerResult", **({"status": status} if status else {}))
                g.add_edge(p, f, key="hasMarkerResult")
                g.add_edge(f, term, key="hasMarker")
            elif kind == "drug":
                g.add_node(f, kind="DrugTreatment")
                g.add_edge(p, f, key="hasTreatment")
                g.add_edge(f, term, key="hasAgent")
            else:
                g.add_node(f, kind="Metastasis")
                g.add_edge(p, f, key="hasMetastasis")
                g.add_edge(f, term, key="hasSite")
    return g


def test_feature_graph_keeps_marker_status_apart() -> None:
    b = feature_graph(patients())
    assert sorted(b["p"]) == ["marker:KIT +", "marker:SMA −", "site:L1", "therapy:Imatinib"]
    assert sorted(b["r"]) == ["marker:KIT −", "marker:Ki67 (measured)"]
    assert sorted(feature_graph(patients(), ["Spine"])["q"])[-2:] == ["site:Spine", "therapy:Imatinib"]


def test_cooccurrence_counts_patients_having_both() -> None:
    c = cooccurrence(feature_graph(patients()))
    assert c["marker:KIT +"]["therapy:Imatinib"] == {"weight": 2, "patients": ("p", "q")}
    assert c["marker:KIT +"]["marker:SMA −"]["weight"] == 1
    assert not c.has_edge("marker:KIT +", "marker:KIT −")
    assert "site:L1" not in c
    labels, rows = cooccurrence_matrix(c)
    assert labels == ["Ki67 (measured)", "KIT +", "KIT −", "SMA −"]
    assert rows == [[1, 0, 1, 0], [0, 2, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]]


def test_jaccard_similarity_with_shared_features() -> None:
    sim = jaccard_similarity(feature_graph(patients()))
    assert sim[("p", "q")] == (pytest.approx(2 / 5), ("marker:KIT +", "therapy:Imatinib"))
    assert sim[("p", "r")] == (0.0, ())
    rolled = jaccard_similarity(feature_graph(patients(), ["Spine"]))
    assert rolled[("p", "q")][0] == pytest.approx(3 / 4)  # L1 and L3 are both "Spine" now
    markers_only = jaccard_similarity(feature_graph(patients()), kinds=("marker",))
    assert markers_only[("p", "q")][0] == pytest.approx(1 / 2)


def test_similarity_graph_and_communities() -> None:
    s = similarity_graph(feature_graph(patients()))
    assert sorted(s.edges) == [("p", "q")]
    assert patient_communities(s) == [frozenset({"p", "q"}), frozenset({"r"})]
    assert patient_communities(nx.Graph()) == []
