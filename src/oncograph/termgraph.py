"""Vocabulary terms as RDF: the one place that says how a term looks as triples.

Used for the import module of the application ontology (the terms the shipped
graph and the query library use, with all their ancestors) and by the store,
which adds the terms of each ingested document with their ancestors, so that
every term a fact points at has a label, synonyms, a definition, its
identifiers and its place in the hierarchy.

* is-a parents (MONDO, ChEBI, MeSH trees, ours) are ``rdfs:subClassOf``;
* the parents of a UBERON term come from a release that merges is-a and
  part-of without telling them apart, so each is stated as what is known:
  ``T ⊑ P ⊔ ∃ part_of.P`` ("a kind of P or a part of some P");
* roles (ChEBI ``has_role``) are ``T ⊑ ∃ RO:0000087.R``;
* the top of each branch is a subclass of our schema root (``UBERON:0001062 ⊑
  onc:AnatomicalSite``), and so is each drug, marker and procedure.

The closure (:func:`closure_triples`) is materialised for SPARQL: ``T onc:within A``
for every term A that T is, is a kind of or lies in (reflexive), and
``T rdfs:subClassOf A`` where the chain is is-a only, plus the schema root.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import Graph
from rdflib.namespace import Namespace
from rdflib.term import Node

from .vocab import ONC, PART_OF
from .vocabulary import Term, Vocabulary

__all__ = ["HAS_ROLE", "ROOT_OF_CATEGORY", "closure_triples", "term_triples", "terms_graph"]

OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
HAS_ROLE = URIRef("http://purl.obolibrary.org/obo/RO_0000087")

#: the schema root each category of term sits under
ROOT_OF_CATEGORY: dict[str, URIRef] = {
    "site": ONC.AnatomicalSite,
    "tumor": ONC.TumorType,
    "marker": ONC.Marker,
    "agent": ONC.TherapeuticAgent,
    "role": ONC.AgentRole,
    "surgery": ONC.SurgicalProcedure,
    "radiotherapy": ONC.RadiotherapyProcedure,
    "systemic": ONC.SystemicTherapy,
    "imaging": ONC.ImagingProcedure,
    "diagnostic": ONC.DiagnosticProcedure,
    "procedure": ONC.Procedure,
}
#: categories whose every term (not only the top of the branch) is bridged to the schema root
_BRIDGE_EACH = {"marker", "agent", "surgery", "radiotherapy", "systemic", "imaging", "diagnostic", "procedure"}

Triple = tuple[Node, Node, Node]


def _bridge(term: Term, vocab: Vocabulary) -> URIRef | None:
    root = ROOT_OF_CATEGORY.get(term.category)
    if root is None or (not term.match and term.category not in ("site", "tumor", "role")):
        return None
    if term.category in _BRIDGE_EACH:
        return root
    same = [p for p in term.parents if p in vocab and vocab[p].category == term.category and vocab[p].match]
    return None if same else root


def term_triples(term: Term, vocab: Vocabulary) -> list[Triple]:
    """The triples that describe one term (blank nodes for its class expressions)."""
    iri = URIRef(vocab.iri(term.curie))
    out: list[Triple] = [(iri, RDF.type, OWL.Class), (iri, RDFS.label, Literal(term.label))]
    if term.display:
        out.append((iri, SKOS.prefLabel, Literal(term.display)))
    if not term.ours:
        out.append((iri, OBOINOWL.id, Literal(term.curie)))
    if term.definition:
        out.append((iri, DEFINITION, Literal(term.definition)))
    out += [(iri, OBOINOWL.hasExactSynonym, Literal(s)) for s in term.synonyms]
    out += [(iri, OBOINOWL.hasDbXref, Literal(x)) for x in term.xrefs]
    for p in term.parents:
        if p not in vocab:
            continue
        piri = URIRef(vocab.iri(p))
        if term.relation == "within":
            part = BNode()
            union = BNode()
            out += [(part, RDF.type, OWL.Restriction), (part, OWL.onProperty, PART_OF),
                    (part, OWL.someValuesFrom, piri), (union, RDF.type, OWL.Class)]
            g = Graph()
            head = BNode()
            Collection(g, head, [piri, part])
            out += [(union, OWL.unionOf, head), *g, (iri, RDFS.subClassOf, union)]
        else:
            out.append((iri, RDFS.subClassOf, piri))
    for r in term.roles:
        if r not in vocab:
            continue
        node = BNode()
        out += [(node, RDF.type, OWL.Restriction), (node, OWL.onProperty, HAS_ROLE),
                (node, OWL.someValuesFrom, URIRef(vocab.iri(r))), (iri, RDFS.subClassOf, node)]
    root = _bridge(term, vocab)
    if root is not None:
        out.append((iri, RDFS.subClassOf, root))
    return out


def _isa_closure(curie: str, vocab: Vocabulary) -> set[str]:
    """Ancestors reached through is-a parents only (reflexive)."""
    seen = {curie}
    stack = [curie]
    while stack:
        t = vocab.get(stack.pop())
        if t is None or t.relation != "is_a":
            continue
        for p in t.parents:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def closure_triples(curies: Iterable[str], vocab: Vocabulary) -> Iterator[Triple]:
    """The materialised closure of each term (see the module docstring)."""
    for c in sorted(set(curies)):
        if c not in vocab:
            continue
        iri = URIRef(vocab.iri(c))
        for a in sorted(vocab.ancestors(c)):
            yield iri, ONC.within, URIRef(vocab.iri(a))
        for a in sorted(_isa_closure(c, vocab)):
            yield iri, RDFS.subClassOf, URIRef(vocab.iri(a))
        roots = {ROOT_OF_CATEGORY[vocab[a].category] for a in vocab.ancestors(c)
                 if a in vocab and vocab[a].category in ROOT_OF_CATEGORY and _bridge(vocab[a], vocab) is not None}
        for root in sorted(roots):
            yield iri, RDFS.subClassOf, root


def terms_graph(curies: Iterable[str], vocab: Vocabulary) -> Graph:
    """A graph of the terms and every ancestor of them."""
    g = Graph()
    for c in sorted(vocab.closure_of(c for c in curies if c in vocab)):
        for t in term_triples(vocab[c], vocab):
            g.add(t)
    return g
