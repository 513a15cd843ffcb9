"""The domain terms of the ontology as a fast in-memory index.

Built once from the ontology graph: every class under one of the roots
(anatomical site, tumour type, marker, agent, procedure) with its label,
synonyms, external identifiers, superclasses and part-of parents.  The
recogniser's lexicon and the extractor's subsumption tests read it, so adding a
synonym to ``ontology/oncograph.ttl`` extends what is found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from .vocab import ONC, PART_OF

__all__ = ["CATEGORY_ROOTS", "Term", "TermIndex", "term_index"]

OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")

#: Category of a term, decided by the first root found among its ancestors (most specific first).
CATEGORY_ROOTS: tuple[tuple[str, URIRef], ...] = (
    ("imaging", ONC.ImagingProcedure),
    ("diagnostic", ONC.DiagnosticProcedure),
    ("surgery", ONC.SurgicalProcedure),
    ("radiotherapy", ONC.RadiotherapyProcedure),
    ("systemic", ONC.SystemicTherapy),
    ("procedure", ONC.Procedure),
    ("site", ONC.AnatomicalSite),
    ("tumor", ONC.TumorType),
    ("marker", ONC.Marker),
    ("agent", ONC.TherapeuticAgent),
    ("role", ONC.AgentRole),
)


@dataclass(frozen=True)
class Term:
    """One domain term of the ontology."""

    iri: URIRef
    name: str  # local name, e.g. "Sacrum"
    label: str
    synonyms: tuple[str, ...]
    category: str
    xrefs: tuple[str, ...]
    parents: tuple[str, ...]  # is-a parents (local names)
    part_of: tuple[str, ...]  # part-of parents (local names)


class TermIndex:
    """Terms by local name, with is-a and part-of closures.

    Parameters
    ----------
    graph : rdflib.Graph
        The ontology.
    """

    def __init__(self, graph: Graph) -> None:
        ns = str(ONC._NS)
        parents: dict[str, set[str]] = {}
        part_of: dict[str, set[str]] = {}
        for cls in graph.subjects(RDF.type, OWL.Class):
            if not isinstance(cls, URIRef) or not str(cls).startswith(ns):
                continue
            name = str(cls)[len(ns):]
            parents[name] = set()
            part_of[name] = set()
            for sup in graph.objects(cls, RDFS.subClassOf):
                if isinstance(sup, URIRef) and str(sup).startswith(ns):
                    parents[name].add(str(sup)[len(ns):])
                elif isinstance(sup, BNode):
                    prop = graph.value(sup, OWL.onProperty)
                    filler = graph.value(sup, OWL.someValuesFrom)
                    if prop == PART_OF and isinstance(filler, URIRef) and str(filler).startswith(ns):
                        part_of[name].add(str(filler)[len(ns):])
        self._parents = {k: tuple(sorted(v)) for k, v in parents.items()}
        self._part_of = {k: tuple(sorted(v)) for k, v in part_of.items()}
        self._ancestors: dict[str, frozenset[str]] = {}
        self._regions: dict[str, frozenset[str]] = {}
        roots = {str(iri)[len(ns):]: cat for cat, iri in CATEGORY_ROOTS}
        self.terms: dict[str, Term] = {}
        for name in sorted(parents):
            if name in roots:
                continue
            anc = self.ancestors(name)
            category = next((cat for cat, iri in CATEGORY_ROOTS if str(iri)[len(ns):] in anc), None)
            if category is None:
                continue
            iri = URIRef(ns + name)
            label = str(graph.value(iri, RDFS.label) or name)
            syns = sorted({str(s) for s in graph.objects(iri, OBOINOWL.hasExactSynonym)} - {label})
            xrefs = sorted({str(x) for x in graph.objects(iri, OBOINOWL.hasDbXref) if isinstance(x, Literal)})
            self.terms[name] = Term(iri, name, label, tuple(syns), category, tuple(xrefs),
                                    self._parents[name], self._part_of[name])

    def __contains__(self, name: object) -> bool:
        return name in self.terms

    def __getitem__(self, name: str) -> Term:
        return self.terms[name]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def ancestors(self, name: str) -> frozenset[str]:
        """Every is-a ancestor of ``name``, itself included."""
        if name not in self._ancestors:
            seen = {name}
            stack = [name]
            while stack:
                for p in self._parents.get(stack.pop(), ()):
                    if p not in seen:
                        seen.add(p)
                        stack.append(p)
            self._ancestors[name] = frozenset(seen)
        return self._ancestors[name]

    def regions(self, name: str) -> frozenset[str]:
        """Every term ``name`` is a kind of or a part of, through any chain of is-a and part-of."""
        if name not in self._regions:
            seen = {name}
            stack = [name]
            while stack:
                cur = stack.pop()
                for p in (*self._parents.get(cur, ()), *self._part_of.get(cur, ())):
                    if p not in seen:
                        seen.add(p)
                        stack.append(p)
            self._regions[name] = frozenset(seen)
        return self._regions[name]

    def subsumes(self, general: str, specific: str) -> bool:
        """Whether ``specific`` is ``general`` or a kind or part of it."""
        return general in self.regions(specific)

    def is_a(self, name: str, ancestor: str) -> bool:
        """Whether ``name`` is ``ancestor`` or one of its subclasses."""
        return ancestor in self.ancestors(name)

    def by_category(self, *categories: str) -> Iterable[Term]:
        """Terms of the given categories."""
        return (t for t in self.terms.values() if t.category in categories)

    def find_label(self, label: str) -> Term | None:
        """The term whose label or exact synonym is ``label`` (case-insensitive)."""
        key = label.casefold()
        for term in self.terms.values():
            if term.label.casefold() == key or any(s.casefold() == key for s in term.synonyms):
                return term
        return None


@cache
def term_index() -> TermIndex:
    """The index of the packaged ontology (built once per process)."""
    from .ontology import load_ontology

    return TermIndex(load_ontology())
