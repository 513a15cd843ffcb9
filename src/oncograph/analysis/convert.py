"""The store as a networkx graph: the one explicit RDF → networkx conversion.

Nodes are individuals (patients, documents, tumours, marker results, treatments,
events) and ontology terms; edges are oncograph's object properties
(``hasMetastasis``, ``hasSite``…), keyed by the property's local name, plus the
``within`` edges of the materialised closure from each term to every term it is
a kind of or lies in.  Literals become node attributes (``year``,
``status``…); ``rdf:type`` becomes the ``kind`` attribute.  Nothing else of the
RDF enters the graph.

Node attributes
---------------
``kind``
    ``"Term"`` for an ontology term, else the class local name of the
    individual (``"Patient"``, ``"Metastasis"``, ``"DrugTreatment"``…).
``label``
    ``rdfs:label`` (for a document, its file name).
``xrefs``
    For terms: a tuple of CURIEs (``"UBERON:0000945"``…).
``year``, ``month``, ``status``, ``value``, ``dose``, ``dose_gy``, ``fractions``,
``laterality``, ``intent``, ``age``, ``sex``
    The individual's data values, when stated.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..errors import OncographError
from ..query import load_query
from ..store import Store
from ..vocab import ONC

__all__ = [
    "REGION_KEYS",
    "AnalysisError",
    "curie",
    "regions",
    "resolve_term",
    "store_to_networkx",
]

#: Edge keys that lead from a term to a region it lies in (closure graph).
REGION_KEYS = ("within", "subClassOf", "partOf")

_NS = str(ONC._NS)
_PATIENT = _NS + "Patient"
#: the links from a patient to the individuals that become nodes beside it
_HOPS = frozenset({"reportedIn", "hasPrimaryTumor", "hasMetastasis", "hasMarkerResult", "hasTreatment", "hasEvent"})
#: the links from a fact to the term it names
_TERM_LINKS = frozenset({"hasSite", "hasTumorType", "hasMarker", "hasAgent", "hasProcedure"})
#: property IRI -> node attribute (``class`` becomes ``kind``)
_ATTRIBUTES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "class",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    **{_NS + local: name for local, name in (
        ("fileName", "file_name"), ("year", "year"), ("month", "month"), ("status", "status"),
        ("valueText", "value"), ("doseText", "dose"), ("totalDoseGy", "dose_gy"), ("fractions", "fractions"),
        ("laterality", "laterality"), ("intent", "intent"), ("age", "age"), ("sex", "sex"))},
}
#: node attribute -> how its value is read (when a node has several, the least is kept)
_CONVERT: dict[str, Any] = {
    **{name: str for name in ("label", "file_name", "status", "value", "dose", "laterality", "intent", "sex")},
    **{name: int for name in ("year", "month", "fractions", "age")},
    "dose_gy": float,
}


class AnalysisError(OncographError, ValueError):
    """An analysis cannot run: an unknown term, an empty store, a bad option."""


def _local(iri: str) -> str:
    return iri[len(_NS):] if iri.startswith(_NS) else iri.rsplit("/", 1)[-1]


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def store_to_networkx(store: Store) -> nx.MultiDiGraph:
    """Every patient of the store, its facts and the terms they point at, as a networkx graph.

    Parameters
    ----------
    store : oncograph.store.Store
        A store with ingested documents and the ontology closure.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI, edges keyed by the object property's local name.

    Examples
    --------
    >>> from oncograph.store import Store
    >>> store_to_networkx(Store()).number_of_nodes()
    0
    """
    g = nx.MultiDiGraph()
    values: dict[str, dict[str, list[str]]] = {}
    for row in store.query(load_query("analysis-individuals").text):
        name = _ATTRIBUTES.get(str(row["property"].value))
        if name is not None:
            values.setdefault(str(row["node"].value), {}).setdefault(name, []).append(str(row["value"].value))
    links = sorted({(str(r["subject"].value), _local(str(r["property"].value)), str(r["object"].value))
                    for r in store.query(load_query("analysis-edges").text)})
    patients = {n for n, v in values.items() if _PATIENT in v.get("class", ())}
    individuals = patients | {o for s, p, o in links if p in _HOPS and s in patients}
    for node in sorted(individuals):
        found = values.get(node, {})
        classes = sorted(c for c in found.get("class", ()) if c.startswith(_NS))
        if not classes:  # not one of ours (a term reached by a link, say): not an individual
            continue
        attrs: dict[str, Any] = {"kind": _local(classes[0])}
        for name, convert in _CONVERT.items():
            if name in found:
                attrs[name] = min(convert(v) for v in found[name])
        if "label" not in attrs:
            attrs["label"] = _local(node)
        g.add_node(node, **attrs)
    named = {o for s, p, o in links if p in _TERM_LINKS and s in g}
    for row in store.query(load_query("analysis-terms").text):
        term = str(row["term"].value)
        if term not in named:  # a term only a study or a cited claim names
            continue
        g.add_node(term, kind="Term", label=str(row["label"].value),
                   xrefs=tuple(sorted((_value(row["xrefs"]) or "").split())))
        if row["region"] is not None:
            region = str(row["region"].value)
            if region not in g:
                g.add_node(region, kind="Term", label=str(row["region_label"].value),
                           xrefs=tuple(sorted((_value(row["region_xrefs"]) or "").split())))
            g.add_edge(term, region, key=str(row["relation"].value))
    for s, p, o in links:
        if s in g and o in g:
            g.add_edge(s, o, key=p)
    return g


def targets(g: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    """The nodes ``node`` links to by the property ``key``, sorted."""
    return sorted(v for _, v, k in g.out_edges(node, keys=True) if k == key)


def regions(g: nx.MultiDiGraph, term: str) -> frozenset[str]:
    """``term`` and every region it is a kind of or a part of (closure edges).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("L1", "VertebralColumn", key="partOf")
    'partOf'
    >>> sorted(regions(g, "L1"))
    ['L1', 'VertebralColumn']
    """
    if term not in g:
        return frozenset({term})
    return frozenset({term} | {v for _, v, k in g.out_edges(term, keys=True) if k in REGION_KEYS})


def curie(g: nx.MultiDiGraph, term: str, prefixes: tuple[str, ...] = ("UBERON", "MONDO", "HGNC", "CHEBI")) -> str:
    """The preferred CURIE of a term (first of ``prefixes`` found, else its first xref, else "")."""
    xrefs: tuple[str, ...] = g.nodes[term].get("xrefs", ()) if term in g else ()
    for prefix in prefixes:
        for x in xrefs:
            if x.startswith(prefix + ":"):
                return x
    return xrefs[0] if xrefs else ""


def resolve_term(store: Store, name: str) -> str:
    """The IRI of the ontology term whose label, exact synonym or CURIE is ``name`` (any case).

    Raises
    ------
    AnalysisError
        When no term, or more than one, has that name.
    """
    if name.startswith(_NS) or name.startswith("http"):
        return name.strip("<>")
    from ..errors import QueryError
    from ..lookup import resolve_term as resolve_in_vocabulary

    try:  # the vocabulary knows every term, the store only those its documents use
        iri = resolve_in_vocabulary(name, required=False)
    except QueryError as exc:
        raise AnalysisError(str(exc)) from exc
    if iri is not None:
        return iri
    rows = list(store.query(load_query("analysis-term-lookup").text, {"text": ox.Literal(name.strip())}))
    found = sorted({str(r["term"].value) for r in rows})
    if not found:
        raise AnalysisError(f"no ontology term is called or mapped to {name!r}")
    if len(found) > 1:
        labels = ", ".join(sorted({str(r['label'].value) for r in rows}))
        raise AnalysisError(f"{name!r} names several terms ({labels}); use a CURIE")
    return found[0]
