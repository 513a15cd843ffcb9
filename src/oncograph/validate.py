"""Data-quality rules: the SHACL shapes of ``ontology/shapes.ttl`` checked with pySHACL.

The shapes say what a sound graph looks like: every fact has evidence with offsets
inside its document, a patient has at most one age and one sex, ages and doses lie in
plausible ranges, every term a fact points at is a class of the ontology, and dates do
not contradict each other (no event after the end of follow-up, no treatment switched
to before the one it replaced started; a metastasis dated before the primary tumour's
diagnosis is a warning).

Two uses:

- :func:`validate_store` checks the documents of a store (``oncograph validate``) and
  returns a :class:`ValidationReport`: one :class:`Issue` per result, with its
  evidence sentence;
- :func:`quality_triples` turns the issues of one document into ``onc:QualityIssue``
  nodes of its own graph, which ``ingest`` stores with the facts, so that the query
  ``quality-issues`` lists the doubtful facts of the whole graph.

A document's graph is checked together with the part of the ontology its rules need
(the schema's class hierarchy, and the class declarations and labels of the terms the
document uses), not the whole ontology: the rules read no more, and it keeps the check
fast enough to run on every ingest.

Examples
--------
>>> from oncograph.facts import DocumentFacts, Patient
>>> from oncograph.emit import emit
>>> facts = DocumentFacts("a.txt", "case_report", (Patient(1, "case 1", 130, "female"),))
>>> [i.rule for i in check_triples(emit(facts))]
['age-range']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .emit import document_iri
from .errors import OncographError
from .vocab import ONC

__all__ = ["SEVERITIES", "Issue", "ValidationError", "ValidationReport", "check_store", "check_triples",
           "load_shapes", "quality_triples", "validate_store"]

SH = Namespace("http://www.w3.org/ns/shacl#")
OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")
SEVERITIES = ("violation", "warning", "info")
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_ONC = str(ONC._NS)

Triple = tuple[Node, Node, Node]


class ValidationError(OncographError):
    """The shapes cannot be read or the validator failed."""


@dataclass(frozen=True, order=True)
class Issue:
    """One result of a data-quality rule.

    Attributes
    ----------
    severity : str
        ``violation``, ``warning`` or ``info``.
    rule : str
        The rule's name (the label of its shape: ``event-after-follow-up``).
    focus : str
        The IRI of the node the result is about (a patient, a fact, an evidence).
    message : str
        What is wrong, in words.
    value : str
        The offending value (an IRI or a literal's text), or "".
    evidence : str
        The sentence behind the value (or the focus node), or "".
    document : str
        The document's file name, where the focus node belongs to one.
    """

    severity: str
    rule: str
    focus: str
    message: str
    value: str = ""
    evidence: str = ""
    document: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """The issues of a store's documents, worst first."""

    issues: tuple[Issue, ...] = ()
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when no rule of severity ``violation`` failed."""
        return not self.counts.get("violation")

    def failed(self, at: str = "violation") -> bool:
        """True when an issue of severity ``at`` or worse was found."""
        worst = SEVERITIES[: SEVERITIES.index(at) + 1]
        return any(self.counts.get(s) for s in worst)

    def to_json(self) -> str:
        return json.dumps({"documents": self.documents, "counts": self.counts,
                           "issues": [asdict(i) for i in self.issues]}, indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        """One block per issue: severity, rule, focus node, message, evidence sentence."""
        lines = []
        for i in self.issues:
            where = f" [{i.document}]" if i.document else ""
            lines.append(f"{i.severity.upper()} {i.rule}{where}: {_short(i.focus)}")
            lines.append(f"    {i.message}")
            if i.value.startswith("http"):
                lines.append(f"    value: {_short(i.value)}")
            if i.evidence:
                lines.append(f"    evidence: {i.evidence}")
        summary = ", ".join(f"{self.counts.get(s, 0)} {s}{'s' if self.counts.get(s, 0) != 1 else ''}"
                            for s in SEVERITIES)
        lines.append(f"{self.documents} document{'s' if self.documents != 1 else ''} checked: {summary}")
        return "\n".join(lines)


def _short(iri: str) -> str:
    data = str(document_iri("x"))[:-1]
    return "data:" + iri[len(data):] if iri.startswith(data) else iri


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """The shapes graph shipped as ``ontology/shapes.ttl``."""
    text = resources.files("oncograph.resources.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    g = Graph()
    try:
        g.parse(data=text, format="turtle")
    except Exception as exc:
        raise ValidationError(f"ontology/shapes.ttl: cannot read the shapes ({exc})") from exc
    return g


@lru_cache(maxsize=1)
def _rule_names() -> dict[Node, str]:
    g = load_shapes()
    return {s: str(o) for s, o in g.subject_objects(RDFS.label) if (s, RDF.type, SH.NodeShape) in g}


def _schema_context(ontology: Graph | None) -> list[ox.Quad]:
    """The schema's class hierarchy (targets of a shape include the instances of subclasses)."""
    if ontology is None:
        from .ontology import load_ontology

        ontology = load_ontology()
    return [ox.Quad(ox.NamedNode(str(s)), _SUBCLASS, ox.NamedNode(str(o)))
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef) and str(s).startswith(_ONC)]


@lru_cache(maxsize=1)
def _default_schema() -> tuple[ox.Quad, ...]:
    return tuple(_schema_context(None))


_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))
_OWL_CLASS = ox.NamedNode(str(OWL_CLASS))
_OX_TERM_PROPERTIES = tuple(ox.NamedNode(str(p)) for p in (ONC.hasSite, ONC.hasTumorType, ONC.hasMarker, ONC.hasAgent,
                                                             ONC.hasProcedure, ONC.mentionsTerm))
_SENTENCE = ox.NamedNode(str(ONC.sentenceText))
_HAS_EVIDENCE = ox.NamedNode(str(ONC.hasEvidence))
_REPORTED_IN = ox.NamedNode(str(ONC.reportedIn))
_FROM_DOCUMENT = ox.NamedNode(str(ONC.fromDocument))
_FILE_NAME = ox.NamedNode(str(ONC.fileName))
_DOCUMENT = ox.NamedNode(str(ONC.Document))
_QUALITY_ISSUE = ox.NamedNode(str(ONC.QualityIssue))


def _vocabulary_context(data: ox.Store) -> list[ox.Quad]:
    """Class declarations and labels, from the vocabulary, of the terms the facts in ``data`` point at."""
    from .vocabulary import vocabulary

    vocab = vocabulary()
    out = []
    for term in {q.object for p in _OX_TERM_PROPERTIES for q in data.quads_for_pattern(None, p, None)
                 if isinstance(q.object, ox.NamedNode)}:
        curie = vocab.curie(term.value)
        t = vocab.get(curie) if curie else None
        if t is not None:
            out.append(ox.Quad(term, _TYPE, _OWL_CLASS))
            out.append(ox.Quad(term, _LABEL, ox.Literal(t.label)))
    return out


def check_store(data: ox.Store) -> list[Issue]:
    """Check the facts in the default graph of ``data`` (with their ontology context) against the shapes."""
    import pyshacl

    try:
        _, results, _ = pyshacl.validate(data, shacl_graph=load_shapes(),  # type: ignore[arg-type]
                                         inference="none", inplace=True, allow_warnings=True, allow_infos=True,
                                         abort_on_first=False)
    except Exception as exc:
        raise ValidationError(f"the SHACL validator failed: {exc}") from exc
    return sorted(_issues(results, data))


def check_triples(triples: Iterable[Triple]) -> list[Issue]:
    """The issues of one document's facts (what :func:`oncograph.emit.emit` returns).

    The facts are checked with the schema's class hierarchy and, for the terms they
    point at, the class declarations and labels of the vocabulary.
    """
    from .store import to_ox

    data = ox.Store()
    data.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples)  # type: ignore[arg-type]
    data.extend(_default_schema())
    data.extend(_vocabulary_context(data))
    return check_store(data)


def _issues(results: Graph, data: ox.Store) -> Iterable[Issue]:
    names = _rule_names()
    shapes = load_shapes()
    seen: set[tuple[str, str, str, str]] = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(r, SH.sourceShape)
        # a property shape is a blank node of its node shape: name the node shape
        node_shape = shape if shape in names else next(iter(shapes.subjects(SH.property, shape)), shape)
        focus = results.value(r, SH.focusNode)
        value = results.value(r, SH.value)
        message = str(results.value(r, SH.resultMessage) or "")
        severity = _SEVERITY.get(results.value(r, SH.resultSeverity), "violation")  # type: ignore[call-overload]
        rule = names.get(node_shape, str(node_shape)) if node_shape is not None else ""
        key = (rule, str(focus), str(value or ""), message)
        if key in seen:
            continue
        seen.add(key)
        yield Issue(severity, rule, str(focus), message, "" if value is None else str(value),
                    _evidence(data, value) or _evidence(data, focus), _document_of(data, focus))


def _one(data: ox.Store, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> Any:
    return min((q.object for q in data.quads_for_pattern(s, p, None)), key=str, default=None)


def _node(term: Node | None) -> ox.NamedNode | ox.BlankNode | None:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term is not None and not isinstance(term, Literal):
        return ox.BlankNode(str(term))
    return None


def _evidence(data: ox.Store, term: Node | None) -> str:
    node = _node(term)
    if node is None:
        return ""
    text = _one(data, node, _SENTENCE)
    if text is None:
        ev = _one(data, node, _HAS_EVIDENCE)
        text = _one(data, ev, _SENTENCE) if isinstance(ev, ox.NamedNode | ox.BlankNode) else None
    return "" if text is None else str(text.value)


def _document_of(data: ox.Store, term: Node | None) -> str:
    node = _node(term)
    if node is None:
        return ""
    for doc in (_one(data, node, _REPORTED_IN), _one(data, node, _FROM_DOCUMENT), node):
        if isinstance(doc, ox.NamedNode) and next(data.quads_for_pattern(doc, _TYPE, _DOCUMENT), None):
            name = _one(data, doc, _FILE_NAME)
            return "" if name is None else str(name.value)
    iri = node.value
    for q in data.quads_for_pattern(None, _TYPE, _DOCUMENT):
        if isinstance(q.subject, ox.NamedNode) and iri.startswith(q.subject.value + "/"):
            name = _one(data, q.subject, _FILE_NAME)
            return "" if name is None else str(name.value)
    return ""


def quality_triples(document: URIRef, issues: Iterable[Issue]) -> list[Triple]:
    """The ``onc:QualityIssue`` nodes of one document's issues (minted in the document's namespace)."""
    out: list[Triple] = []
    for n, i in enumerate(sorted(issues), 1):
        node = URIRef(f"{document}/quality-issue/{n}")
        out += [(document, ONC.hasQualityIssue, node), (node, RDF.type, ONC.QualityIssue),
                (node, RDFS.label, Literal(f"{i.rule}: {i.message}")),
                (node, ONC.severity, Literal(i.severity)), (node, ONC.qualityRule, Literal(i.rule)),
                (node, ONC.issueMessage, Literal(i.message)),
                # the offending fact where the rule names one (an event after follow-up), else the focus node
                (node, ONC.concerns, URIRef(i.value if i.value.startswith(str(document) + "/") else i.focus))]
    return out


class QuadSource(Protocol):
    def document_graphs(self) -> list[str]: ...

    def records(self) -> Mapping[str, Any]: ...

    def quads(self, graph: str | None = None) -> Iterable[ox.Quad]: ...


def validate_store(store: QuadSource, documents: Iterable[str] | None = None) -> ValidationReport:
    """Check the documents of ``store`` (all, or those named) against the shapes.

    The documents' graphs are checked together with the store's own ontology graph,
    so "every term resolves to a class" means: to a class of the ontology in the store
    (its schema and term module, and the terms added as documents needed them).
    The quality issues recorded at ingest are left out of the check.

    Raises
    ------
    ValidationError
        For a document name the store does not hold.
    """
    from .store import ONTOLOGY_GRAPH, TERMS_GRAPH

    graphs = store.document_graphs()
    if documents is not None:
        wanted = list(documents)
        by_name = _graphs_by_name(store, graphs)
        missing = [d for d in wanted if d not in by_name]
        if missing:
            raise ValidationError(f"no such document in the store: {', '.join(missing)}")
        graphs = [by_name[d] for d in wanted]
    data = ox.Store()
    for g in graphs:
        data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads(g))
    for q in list(data.quads_for_pattern(None, _TYPE, _QUALITY_ISSUE)):
        about = [*data.quads_for_pattern(q.subject, None, None), *data.quads_for_pattern(None, None, q.subject)]
        for t in about:
            data.remove(t)
    for context in (ONTOLOGY_GRAPH, TERMS_GRAPH):
        data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads(context.value))
    issues = check_store(data) if graphs else []
    issues.sort(key=lambda i: (SEVERITIES.index(i.severity), i.document, i.rule, i.focus, i.value))
    counts: dict[str, int] = {}
    for i in issues:
        counts[i.severity] = counts.get(i.severity, 0) + 1
    return ValidationReport(tuple(issues), len(graphs), counts)


def _graphs_by_name(store: QuadSource, graphs: list[str]) -> dict[str, str]:
    """Each document's graph, by the document's name (and by the graph's own IRI)."""
    return {**{g: g for g in graphs}, **{r.name: g for g, r in store.records().items()}}
