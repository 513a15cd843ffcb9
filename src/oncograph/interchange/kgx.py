"""KGX: the patients' facts as Biolink nodes and edges (``nodes.tsv``, ``edges.tsv``).

`KGX <https://github.com/biolink/kgx>`_ TSV is what Biolink-model knowledge graphs exchange: one
row a node (``id``, ``category``, ``name``…) and one row an edge (``subject``, ``predicate``,
``object`` and the association slots). Multi-valued cells are joined with ``|``.

=====================================  ==========================================================
oncograph                              KGX
=====================================  ==========================================================
patient                                node ``biolink:Case``, ``ONCDATA:`` id
document                               node ``biolink:Publication``: ``PMID:``, else ``ONCDATA:`` id
                                       (a DOI has a ``/``: it goes to ``xref`` and ``publications``)
tumour type / site / marker / drug /   ``biolink:Disease`` / ``AnatomicalEntity`` / ``Gene`` or
procedure term                         ``Protein`` / ``Drug`` or ``ChemicalEntity`` / ``Procedure``
primary tumour type                    case ``biolink:has_phenotype`` disease
primary site, metastatic site          disease ``biolink:disease_has_location`` anatomy
                                       (``original_subject`` the case, ``original_predicate``
                                       ``ONC:hasPrimaryTumor`` or ``ONC:hasMetastasis``)
marker result                          case ``biolink:has_biomarker`` gene (``negated`` when negative)
treatment                              drug or procedure ``biolink:applied_to_treat`` the case's
                                       disease (``original_subject`` the case)
negative finding ("no … metastasis")   the same edge as its kind, ``negated`` True
=====================================  ==========================================================

Every edge says ``knowledge_level`` ``observation`` (a case report tells what was seen in one
patient), ``agent_type`` ``text_mining_agent``, ``primary_knowledge_source`` ``infores:oncograph``
(oncograph has no entry in the Information Resource Registry: the CURIE is ours, unregistered),
``publications`` (the report's PMID or DOI) and ``supporting_text`` (the evidence sentences).
Uncertain and hypothetical findings are left out. KGX CURIEs take no ``/`` in their local part,
so an ``ONCDATA:`` id writes the ``/`` of the data IRI as ``%2F``; ``iri`` holds the IRI itself.

``export`` (one stream) refuses: the format is two files (``--out DIR``); KGX JSON Lines is not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..export import ExportError
from ..vocab import DATA, ONC
from ..vocabulary import vocabulary

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "PROJECT_PREFIXES", "SOURCE", "export", "export_files"]

#: the infores CURIE oncograph gives itself (not registered in the Information Resource Registry)
SOURCE = "infores:oncograph"
#: the CURIE prefixes of oncograph's own ids, which Biolink's prefix map lacks
PROJECT_PREFIXES = {"ONC": str(ONC), "ONCDATA": str(DATA)}

NODE_COLUMNS = ("id", "category", "name", "xref", "iri", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "category", "negated", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications", "supporting_text", "original_subject",
                "original_predicate")

_UNIT = "\u001f"  # the separator of the evidence sentences in export-kgx-facts

_BRANCH_CATEGORY = {"tumor": "biolink:Disease", "anatomy": "biolink:AnatomicalEntity",
                    "procedure": "biolink:Procedure"}
_KIND_CATEGORY = {("marker", "gene"): "biolink:Gene", ("marker", "protein"): "biolink:Protein",
                  ("drug", "drug"): "biolink:Drug", ("drug", "regimen"): "biolink:Drug"}


@dataclass
class _Graph:
    """Nodes and edges by id, as rows of cells."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[str, dict[str, str]] = field(default_factory=dict)

    def node(self, row: dict[str, str]) -> None:
        self.nodes.setdefault(row["id"], row)

    def edge(self, row: dict[str, str]) -> None:
        self.edges.setdefault(row["id"], row)


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)


def _rows(store: Any, name: str) -> list[dict[str, str]]:
    from ..query import select

    columns, rows = select(store, f"export-kgx-{name}")
    return [{c: _value(t) for c, t in zip(columns, row, strict=True)} for row in rows]


def data_curie(iri: str) -> str:
    """The ``ONCDATA:`` CURIE of an IRI of oncograph's data (``/`` written ``%2F``: KGX CURIEs take none)."""
    if not iri.startswith(str(DATA)):
        raise ExportError(f"{iri}: not an IRI of oncograph's data")
    return "ONCDATA:" + iri[len(str(DATA)):].replace("/", "%2F")


def term_curie(iri: str) -> str:
    """The CURIE of an ontology term's IRI (``UBERON:0002107``, ``ONC:SoftTissue``)."""
    curie = vocabulary().curie(iri)
    if curie is None:
        raise ExportError(f"{iri}: no CURIE prefix for this term")
    return curie


def term_category(curie: str) -> str:
    """The Biolink category of a vocabulary term, from its branch and kind."""
    term = vocabulary().get(curie)
    if term is None:
        return "biolink:NamedThing"
    return _KIND_CATEGORY.get((term.branch, term.kind)) or _BRANCH_CATEGORY.get(term.branch) or (
        "biolink:ChemicalEntity" if term.branch == "drug" else "biolink:NamedThing")


def _join(values: Iterable[str]) -> str:
    return "|".join(sorted({v for v in values if v}))


def _publication(doc: Mapping[str, str]) -> tuple[str, list[str]]:
    """A document's node id (its PMID, else ours) and its other ids (DOI, PMCID).

    A DOI is no node id: it has a ``/``, which KGX CURIEs do not take.
    """
    others = [f"doi:{doc['doi']}" if doc["doi"] else "", f"PMCID:{doc['pmcid']}" if doc["pmcid"] else ""]
    node = f"PMID:{doc['pmid']}" if doc["pmid"] else data_curie(doc["document"])
    return node, [o for o in others if o]


def _documents(store: Any, graph: _Graph) -> dict[str, tuple[str, str]]:
    """Publication nodes; document IRI -> (node id, the ``publications`` cell of its edges)."""
    out = {}
    for doc in _rows(store, "documents"):
        node, others = _publication(doc)
        graph.node({"id": node, "category": "biolink:Publication", "name": doc["title"] or doc["file"],
                    "xref": _join(others), "iri": doc["document"], "provided_by": SOURCE})
        cited = [i for i in (node, *others) if i.startswith(("PMID:", "doi:"))] or [node]
        out[doc["document"]] = (node, _join(cited))
    return out


def _patients(store: Any, graph: _Graph) -> None:
    for p in _rows(store, "patients"):
        graph.node({"id": data_curie(p["patient"]), "category": "biolink:Case", "name": p["label"],
                    "xref": "", "iri": p["patient"], "provided_by": SOURCE})


def _terms(store: Any, graph: _Graph) -> None:
    for t in _rows(store, "terms"):
        curie = term_curie(t["term"])
        graph.node({"id": curie, "category": term_category(curie), "name": t["label"],
                    "xref": _join(t["xrefs"].split()), "iri": t["term"], "provided_by": SOURCE})


def _local(iri: str) -> str:
    return iri[len(str(ONC)):] if iri.startswith(str(ONC)) else iri


#: (link, property) of a fact -> (what the edge states, Biolink predicate, association category)
_EDGES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("hasPrimaryTumor", "hasTumorType"): ("case", "biolink:has_phenotype", "biolink:CaseToDiseaseAssociation"),
    ("hasPrimaryTumor", "hasSite"): ("site", "biolink:disease_has_location", "biolink:Association"),
    ("hasMetastasis", "hasSite"): ("site", "biolink:disease_has_location", "biolink:Association"),
    ("hasMarkerResult", "hasMarker"): ("case", "biolink:has_biomarker", "biolink:CaseToGeneAssociation"),
    ("hasTreatment", "hasAgent"): ("treatment", "biolink:applied_to_treat", "biolink:Association"),
    ("hasTreatment", "hasProcedure"): ("treatment", "biolink:applied_to_treat", "biolink:Association"),
    ("hasNegativeFinding", "hasTumorType"): ("case", "biolink:has_phenotype", "biolink:CaseToDiseaseAssociation"),
    ("hasNegativeFinding", "hasSite"): ("site", "biolink:disease_has_location", "biolink:Association"),
    ("hasNegativeFinding", "hasMarker"): ("case", "biolink:has_biomarker", "biolink:CaseToGeneAssociation"),
    ("hasNegativeFinding", "hasAgent"): ("treatment", "biolink:applied_to_treat", "biolink:Association"),
    ("hasNegativeFinding", "hasProcedure"): ("treatment", "biolink:applied_to_treat", "biolink:Association"),
}


def _ends(shape: str, case: str, term: str, tumor: str) -> tuple[str, str] | None:
    """(subject, object) of an edge of ``shape``; None when it needs the case's disease and there is none."""
    if shape == "case":
        return case, term
    if not tumor:
        return None
    return (tumor, term) if shape == "site" else (term, tumor)


def _edge(fact: Mapping[str, str], documents: Mapping[str, tuple[str, str]]) -> dict[str, str] | None:
    """The edge row of one fact, or None when Biolink cannot state it here."""
    link, prop = _local(fact["link"]), _local(fact["property"])
    shape_predicate = _EDGES.get((link, prop))
    if shape_predicate is None:
        return None
    shape, predicate, category = shape_predicate
    case = data_curie(fact["patient"])
    ends = _ends(shape, case, term_curie(fact["term"]), term_curie(fact["tumor"]) if fact["tumor"] else "")
    if ends is None:
        return None
    negated = link == "hasNegativeFinding" or fact["status"] == "negative"
    fact_id = data_curie(fact["fact"]) + ("" if prop != "hasSite" or link != "hasPrimaryTumor" else "%2Fsite")
    return {"id": fact_id, "subject": ends[0], "predicate": predicate, "object": ends[1], "category": category,
            "negated": "True" if negated else "False", "knowledge_level": "observation",
            "agent_type": "text_mining_agent", "primary_knowledge_source": SOURCE,
            "publications": documents.get(fact["document"], ("", ""))[1],
            "supporting_text": _join(s.replace("|", "/") for s in fact["evidence"].split(_UNIT)),
            "original_subject": case if ends[0] != case else "", "original_predicate": f"ONC:{link}"}


def _clean(cell: str) -> str:
    """A TSV cell: no tab or line break inside."""
    return " ".join(cell.split())


def _tsv(columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> bytes:
    lines = ["\t".join(columns)]
    lines += ["\t".join(_clean(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(store: Any, document: str | None = None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The node rows and edge rows, sorted by id (of one document's facts, when ``document`` is given)."""
    from ..export import selected_graphs

    wanted = None
    if document is not None:
        graph_iri = selected_graphs(store, document)[0]
        wanted = str(DATA) + graph_iri.rsplit("/document/", 1)[1]
    graph = _Graph()
    documents = _documents(store, graph)
    _patients(store, graph)
    _terms(store, graph)
    for fact in _rows(store, "facts"):
        if wanted is None or fact["document"] == wanted:
            row = _edge(fact, documents)
            if row is not None:
                graph.edge(row)
    edges = [graph.edges[k] for k in sorted(graph.edges)]
    used = {e[end] for e in edges for end in ("subject", "object")}
    if wanted is not None:
        used |= {documents[wanted][0]} if wanted in documents else set()
        used |= {n for n, row in graph.nodes.items() if row["category"] == "biolink:Case"
                 and row["iri"].startswith(wanted + "/")}
        nodes = [graph.nodes[k] for k in sorted(graph.nodes) if k in used]
    else:
        nodes = [graph.nodes[k] for k in sorted(graph.nodes)]
    return nodes, edges


def export_files(store: Any, fmt: str = "kgx", document: str | None = None) -> dict[str, bytes]:
    """``nodes.tsv`` and ``edges.tsv`` of the store (or of one document)."""
    nodes, edges = build(store, document)
    return {"nodes.tsv": _tsv(NODE_COLUMNS, nodes), "edges.tsv": _tsv(EDGE_COLUMNS, edges)}


def export(store: Any, fmt: str = "kgx", document: str | None = None) -> bytes:
    """Refused: KGX TSV is two files."""
    raise ExportError("--format kgx writes nodes.tsv and edges.tsv: give --out DIR")
