"""The metastasis network: where tumours spread from and to, across patients.

Nodes are anatomical sites (ontology terms, optionally rolled up to coarser
regions); a directed edge ``u → v`` says that some patients had their primary
tumour at ``u`` and a metastasis at ``v`` (``kind`` contains ``"primary"``), or a
metastasis at ``u`` followed, at the next dated time point, by one at ``v``
(``kind`` contains ``"sequential"``).  Edges carry ``weight`` (the number of
patients), ``patients``, ``documents`` and ``sites`` (the recorded site terms at
the head of the edge, before roll-up).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import networkx as nx

from .convert import curie, regions, targets

__all__ = [
    "metastasis_network",
    "patient_documents",
    "rollup",
    "site_centrality",
    "top_destinations",
]


def rollup(g: nx.MultiDiGraph, site: str, levels: Sequence[str]) -> str:
    """The level ``site`` rolls up to: the most specific of ``levels`` it lies in, else itself.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The knowledge graph (see :func:`~oncograph.analysis.convert.store_to_networkx`).
    site : str
        A site term.
    levels : sequence of str
        Region terms to roll up to.  A site inside several of them goes to the most
        specific one (the one lying inside the others); ties go to the first given.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("L1", "Spine", key="partOf")
    'partOf'
    >>> g.add_edge("Sacrum", "Spine", key="partOf")
    'partOf'
    >>> rollup(g, "L1", ["Spine"]), rollup(g, "Sacrum", ["Spine", "Sacrum"]), rollup(g, "Liver", ["Spine"])
    ('Spine', 'Sacrum', 'Liver')
    """
    inside = regions(g, site)
    candidates = [lv for lv in levels if lv in inside]
    for c in candidates:
        if not any(o != c and c in regions(g, o) for o in candidates):
            return c
    return site


def patient_documents(g: nx.MultiDiGraph, patient: str) -> list[str]:
    """The file names of the documents that report ``patient``."""
    return sorted(g.nodes[d].get("file_name", g.nodes[d].get("label", d)) for d in targets(g, patient, "reportedIn"))


def _patients(g: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, k in g.nodes(data="kind") if k == "Patient")


def metastasis_network(g: nx.MultiDiGraph, levels: Sequence[str] = ()) -> nx.DiGraph:
    """The directed network of primary and metastatic sites, weighted by patients.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The knowledge graph of patients, facts and terms.
    levels : sequence of str, optional
        Region terms to roll sites up to (see :func:`rollup`); by default none.

    Returns
    -------
    networkx.DiGraph
        Nodes: sites with ``label``, ``curie``, ``members`` (the recorded sites rolled
        into it), ``primary`` and ``metastatic`` (numbers of patients).  Edges:
        ``weight``, ``kind`` (sorted tuple of "primary"/"sequential"), ``patients``,
        ``documents``, ``sites``.  Self-loops (a roll-up joining both ends) are dropped.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", kind="Patient")
    >>> g.add_node("t", kind="PrimaryTumor"); g.add_node("m", kind="Metastasis", year=2004)
    >>> for u, v, k in [("p", "t", "hasPrimaryTumor"), ("p", "m", "hasMetastasis"),
    ...                 ("t", "Stomach", "hasSite"), ("m", "Liver", "hasSite")]:
    ...     _ = g.add_edge(u, v, key=k)
    >>> m = metastasis_network(g)
    >>> m["Stomach"]["Liver"]["weight"], m["Stomach"]["Liver"]["patients"]
    (1, ('p',))
    """
    edges: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"kind": set(), "patients": set(), "documents": set(), "sites": set()})
    members: dict[str, set[str]] = defaultdict(set)
    role: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"primary": set(), "metastatic": set()})

    def add(u: str, v: str, kind: str, patient: str, docs: Iterable[str], site: str) -> None:
        if u == v:
            return
        e = edges[(u, v)]
        e["kind"].add(kind)
        e["patients"].add(patient)
        e["documents"].update(docs)
        e["sites"].add(site)

    for p in _patients(g):
        docs = patient_documents(g, p)
        primaries: list[str] = []
        for t in targets(g, p, "hasPrimaryTumor"):
            for s in targets(g, t, "hasSite"):
                up = rollup(g, s, levels)
                members[up].add(s)
                role[up]["primary"].add(p)
                primaries.append(up)
        by_year: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for m in targets(g, p, "hasMetastasis"):
            year = g.nodes[m].get("year")
            for s in targets(g, m, "hasSite"):
                up = rollup(g, s, levels)
                members[up].add(s)
                role[up]["metastatic"].add(p)
                for src in primaries:
                    add(src, up, "primary", p, docs, s)
                if year is not None:
                    by_year[year].add((up, s))
        years = sorted(by_year)
        for y0, y1 in pairwise(years):
            for u, _ in sorted(by_year[y0]):
                for v, s in sorted(by_year[y1]):
                    add(u, v, "sequential", p, docs, s)

    out = nx.DiGraph()
    for site in sorted(members):
        out.add_node(site, label=_label(g, site), curie=curie(g, site),
                     members=tuple(sorted(_label(g, s) for s in members[site])),
                     primary=len(role[site]["primary"]), metastatic=len(role[site]["metastatic"]))
    for (u, v), e in sorted(edges.items()):
        out.add_edge(u, v, weight=len(e["patients"]), kind=tuple(sorted(e["kind"])),
                     patients=tuple(sorted(e["patients"])), documents=tuple(sorted(e["documents"])),
                     sites=tuple(sorted(_label(g, s) for s in e["sites"])))
    return out


def _label(g: nx.Graph, node: str) -> str:
    if node in g:
        return str(g.nodes[node].get("label", node))
    return node.rsplit("/", 1)[-1]


def top_destinations(m: nx.DiGraph, k: int | None = None) -> dict[str, list[tuple[str, int, tuple[str, ...]]]]:
    """The most frequent metastatic destinations of each primary site.

    Parameters
    ----------
    m : networkx.DiGraph
        A metastasis network (:func:`metastasis_network`).
    k : int, optional
        Keep the ``k`` most frequent destinations per primary site.

    Returns
    -------
    dict
        Primary site → list of (destination, number of patients, patients), most
        frequent first, ties by destination.

    Examples
    --------
    >>> import networkx as nx
    >>> m = nx.DiGraph()
    >>> m.add_edge("Stomach", "Liver", kind=("primary",), patients=("a", "b"), weight=2)
    >>> m.add_edge("Stomach", "Bone", kind=("primary",), patients=("a",), weight=1)
    >>> m.add_edge("Liver", "Bone", kind=("sequential",), patients=("a",), weight=1)
    >>> top_destinations(m)
    {'Stomach': [('Liver', 2, ('a', 'b')), ('Bone', 1, ('a',))]}
    """
    out: dict[str, list[tuple[str, int, tuple[str, ...]]]] = {}
    for u in sorted(m):
        dests = [(v, len(d["patients"]), tuple(d["patients"])) for _, v, d in m.out_edges(u, data=True)
                 if "primary" in d["kind"]]
        if dests:
            dests.sort(key=lambda x: (-x[1], x[0]))
            out[u] = dests[:k] if k is not None else dests
    return out


def site_centrality(m: nx.DiGraph) -> dict[str, dict[str, Any]]:
    """Per site: patient-weighted in- and out-degree and PageRank (where spread converges).

    Examples
    --------
    >>> import networkx as nx
    >>> m = nx.DiGraph()
    >>> m.add_edge("A", "B", weight=2); m.add_edge("C", "B", weight=1)
    >>> c = site_centrality(m)
    >>> c["B"]["in_weight"], c["A"]["out_weight"], c["B"]["pagerank"] > c["A"]["pagerank"]
    (3, 2, True)
    """
    pr = nx.pagerank(m, weight="weight") if m.number_of_edges() else {n: 0.0 for n in m}
    return {n: {"in_weight": int(m.in_degree(n, weight="weight")),
                "out_weight": int(m.out_degree(n, weight="weight")),
                "pagerank": float(pr.get(n, 0.0))} for n in sorted(m)}
