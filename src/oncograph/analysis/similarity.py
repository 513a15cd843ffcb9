"""Patient similarity (Jaccard over shared sites, markers and therapies) and communities."""

from __future__ import annotations

from collections.abc import Collection
from itertools import combinations

import networkx as nx

__all__ = ["jaccard_similarity", "patient_communities", "similarity_graph"]


def _feature_set(b: nx.Graph, patient: str, kinds: Collection[str] | None) -> set[str]:
    return {f for f in b[patient] if kinds is None or b.nodes[f].get("kind") in kinds}


def jaccard_similarity(b: nx.Graph, kinds: Collection[str] | None = None
                       ) -> dict[tuple[str, str], tuple[float, tuple[str, ...]]]:
    """The Jaccard similarity of every pair of patients, with the features they share.

    Parameters
    ----------
    b : networkx.Graph
        A patient–feature graph (patients ``bipartite=0``, features ``bipartite=1``).
    kinds : collection of str, optional
        Feature kinds to compare on (default: all).

    Returns
    -------
    dict
        ``(p, q)`` with ``p < q`` → (|shared| / |union|, shared features sorted);
        pairs with nothing at all are left out.

    Examples
    --------
    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from(["p", "q"], bipartite=0)
    >>> b.add_nodes_from(["KIT+", "liver", "bone"], bipartite=1, kind="x")
    >>> b.add_edges_from([("p", "KIT+"), ("p", "liver"), ("q", "KIT+"), ("q", "bone")])
    >>> jaccard_similarity(b)
    {('p', 'q'): (0.3333333333333333, ('KIT+',))}
    """
    patients = sorted(n for n, d in b.nodes(data=True) if d.get("bipartite") == 0)
    sets = {p: _feature_set(b, p, kinds) for p in patients}
    out = {}
    for p, q in combinations(patients, 2):
        union = sets[p] | sets[q]
        if union:
            shared = sets[p] & sets[q]
            out[(p, q)] = (len(shared) / len(union), tuple(sorted(shared)))
    return out


def similarity_graph(b: nx.Graph, kinds: Collection[str] | None = None, min_similarity: float = 0.0) -> nx.Graph:
    """Patients linked by their Jaccard similarity (edges above ``min_similarity``).

    Examples
    --------
    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from(["p", "q", "r"], bipartite=0)
    >>> b.add_node("KIT+", bipartite=1)
    >>> b.add_edges_from([("p", "KIT+"), ("q", "KIT+")])
    >>> sorted(similarity_graph(b).edges(data="weight"))
    [('p', 'q', 1.0)]
    """
    s = nx.Graph()
    for n, d in b.nodes(data=True):
        if d.get("bipartite") == 0:
            s.add_node(n, label=d.get("label", n))
    for (p, q), (sim, shared) in jaccard_similarity(b, kinds).items():
        if sim > min_similarity:
            s.add_edge(p, q, weight=sim, shared=shared)
    return s


def patient_communities(s: nx.Graph, seed: int = 0) -> list[frozenset[str]]:
    """Communities of similar patients (Louvain on the weighted similarity graph), largest first.

    Examples
    --------
    >>> import networkx as nx
    >>> s = nx.Graph()
    >>> s.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0),
    ...                            ("x", "y", 1.0), ("y", "z", 1.0), ("x", "z", 1.0), ("c", "x", 0.1)])
    >>> [sorted(c) for c in patient_communities(s)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if s.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(s, weight="weight", seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), sorted(c)))
