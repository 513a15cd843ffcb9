"""Which markers and therapies go together: a patient–feature graph and its projection.

A *feature* is something a patient has: a marker result (``KIT +``, ``ACTA2 −``,
``MKI67 (measured)``), a therapy (a drug, surgery or radiotherapy procedure), or
a metastatic site.  :func:`feature_graph` builds the bipartite patient–feature
graph; :func:`cooccurrence` projects it onto the features, each edge weighted by
the patients that have both.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import combinations

import networkx as nx

from .convert import targets
from .network import rollup

__all__ = ["FEATURE_KINDS", "cooccurrence", "cooccurrence_matrix", "feature_graph"]

FEATURE_KINDS = ("marker", "therapy", "site")
_STATUS = {"positive": "+", "negative": "−"}


def feature_graph(g: nx.MultiDiGraph, levels: Sequence[str] = ()) -> nx.Graph:
    """The bipartite graph of patients and the features they have.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The knowledge graph of patients, facts and terms.
    levels : sequence of str, optional
        Region terms metastatic sites roll up to.

    Returns
    -------
    networkx.Graph
        Patient nodes (``bipartite=0``, ``label``) and feature nodes (``bipartite=1``,
        ``kind`` in :data:`FEATURE_KINDS`, ``label``); feature node keys are
        ``"<kind>:<label>"``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", kind="Patient", label="case 1")
    >>> g.add_node("r", kind="MarkerResult", status="positive")
    >>> g.add_node("KIT", kind="Term", label="KIT")
    >>> _ = g.add_edge("p", "r", key="hasMarkerResult"); _ = g.add_edge("r", "KIT", key="hasMarker")
    >>> sorted(feature_graph(g)["p"])
    ['marker:KIT +']
    """
    b = nx.Graph()
    for p in sorted(n for n, k in g.nodes(data="kind") if k == "Patient"):
        b.add_node(p, bipartite=0, label=str(g.nodes[p].get("label", p)))

        def have(kind: str, label: str, patient: str = p) -> None:
            key = f"{kind}:{label}"
            b.add_node(key, bipartite=1, kind=kind, label=label)
            b.add_edge(patient, key)

        for r in targets(g, p, "hasMarkerResult"):
            status = g.nodes[r].get("status")
            suffix = f" {_STATUS.get(status, status)}" if status else " (measured)"
            for m in targets(g, r, "hasMarker"):
                have("marker", str(g.nodes[m].get("label", m)) + suffix)
        for t in targets(g, p, "hasTreatment"):
            for what in targets(g, t, "hasAgent") + targets(g, t, "hasProcedure"):
                have("therapy", str(g.nodes[what].get("label", what)))
        for m in targets(g, p, "hasMetastasis"):
            for s in targets(g, m, "hasSite"):
                up = rollup(g, s, levels)
                have("site", str(g.nodes[up].get("label", up)) if up in g else up)
    return b


def _features(b: nx.Graph, kinds: Collection[str]) -> list[str]:
    return sorted(n for n, d in b.nodes(data=True) if d.get("bipartite") == 1 and d.get("kind") in kinds)


def cooccurrence(b: nx.Graph, kinds: Collection[str] = ("marker", "therapy")) -> nx.Graph:
    """The features of ``kinds`` linked by the patients that have both.

    Parameters
    ----------
    b : networkx.Graph
        A patient–feature graph (:func:`feature_graph`).
    kinds : collection of str
        Feature kinds to keep.

    Returns
    -------
    networkx.Graph
        Feature nodes with ``kind``, ``label`` and ``patients`` (how many have it);
        edges with ``weight`` (patients having both) and ``patients`` (sorted tuple).

    Examples
    --------
    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from(["p", "q"], bipartite=0)
    >>> b.add_nodes_from(["KIT", "CD34", "imatinib"], bipartite=1, kind="marker")
    >>> b.add_edges_from([("p", "KIT"), ("p", "CD34"), ("q", "KIT"), ("q", "CD34"), ("q", "imatinib")])
    >>> c = cooccurrence(b, kinds=("marker",))
    >>> c["KIT"]["CD34"]["weight"], c["KIT"]["imatinib"]["patients"]
    (2, ('q',))
    """
    out = nx.Graph()
    feats = _features(b, kinds)
    for f in feats:
        out.add_node(f, kind=b.nodes[f]["kind"], label=b.nodes[f].get("label", f), patients=b.degree(f))
    for u, v in combinations(feats, 2):
        both = sorted(set(b[u]) & set(b[v]))
        if both:
            out.add_edge(u, v, weight=len(both), patients=tuple(both))
    return out


def cooccurrence_matrix(c: nx.Graph, kinds: Collection[str] = ("marker",)) -> tuple[list[str], list[list[int]]]:
    """A square matrix of patient counts: off the diagonal both features, on it the feature alone.

    Returns
    -------
    (labels, rows)
        Feature labels in order, and the counts row by row.

    Examples
    --------
    >>> import networkx as nx
    >>> c = nx.Graph()
    >>> c.add_node("a", kind="marker", label="KIT +", patients=2)
    >>> c.add_node("b", kind="marker", label="CD34 +", patients=1)
    >>> c.add_edge("a", "b", weight=1)
    >>> cooccurrence_matrix(c)
    (['CD34 +', 'KIT +'], [[1, 1], [1, 2]])
    """
    nodes = sorted((n for n, k in c.nodes(data="kind") if k in kinds),
                   key=lambda n: str(c.nodes[n]["label"]).casefold())
    rows = [[int(c.nodes[u]["patients"]) if u == v else int(c[u][v]["weight"]) if c.has_edge(u, v) else 0
             for v in nodes] for u in nodes]
    return [str(c.nodes[n]["label"]) for n in nodes], rows
