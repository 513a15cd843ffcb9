"""Hand curation that survives re-ingest: a TSV of decisions applied to each document's facts.

A curation file has one row per decision, tab-separated, with a header line
(``action document target property value previous evidence curator date reason``):

=========  ===========  ========================  ================  ==============  ========
action     document     target                    property          value           previous
=========  ===========  ========================  ================  ==============  ========
suppress   a.txt        patient/1/metastasis/2    hasSite                           UBERON:0002106
correct    a.txt        patient/1/follow-up-end   year              2017            2016
add        a.txt        patient/1                 hasMetastasis     UBERON:0002107
=========  ===========  ========================  ================  ==============  ========

with, on each row, ``evidence`` (for ``add``: the words of the document that state the
fact), ``curator``, ``date`` (YYYY-MM-DD) and ``reason``.

- ``target`` is a node of the document's graph, as the queries show it (the part of
  its IRI after ``data:<document>/``);
- ``suppress`` removes the target fact (with its evidence and its events); when
  ``property`` and ``previous`` are given, only while the fact still has that value;
- ``correct`` replaces the value ``previous`` of ``property`` by ``value``;
- ``add`` adds a fact the text states: ``hasMetastasis`` (a site), ``hasMarkerResult``
  (a marker and its status: ``HGNC:6342 positive``) or ``hasTreatment`` (a drug or a
  procedure) to a patient, or any other property and value to the target; ``evidence``
  quotes the text, which must hold it (its offsets become the fact's evidence).

Values are CURIEs of the vocabulary or literals.  Every decision applied is an
``onc:CurationDecision`` of the document's graph (action, curator, date, reason, the
previous and the curated value), and every fact it changed or added points at it by
``onc:curatedBy``.  A row whose target or previous value the graph no longer has (the
extraction changed) is not applied and is reported as stale: a curation never lands on
another fact than the one it was written for.

Examples
--------
>>> header = "\\t".join(COLUMNS) + "\\n"
>>> rows = parse_curation(header + "correct\\ta.txt\\tpatient/1\\tage\\t64\\t46\\t\\tann\\t2026-12-01\\tswapped\\n")
>>> rows[0].action, rows[0].target, rows[0].value
('correct', 'patient/1', '64')
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from .emit import document_iri
from .errors import InputError
from .vocab import ONC
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .validate import QuadSource

__all__ = ["COLUMNS", "CurationRow", "Outcome", "append_row", "apply_curation", "curation_digest", "draft_row",
           "format_row", "parse_curation", "read_curation", "rows_for"]

COLUMNS = ("action", "document", "target", "property", "value", "previous", "evidence", "curator", "date", "reason")
ACTIONS = ("suppress", "correct", "add")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[A-Za-z0-9_.\-]+$")

Triple = tuple[Node, Node, Node]

# the facts ``add`` creates on a patient: property → (class, the property of the value)
_NEW_FACT = {
    "hasMetastasis": (ONC.Metastasis, ONC.hasSite),
    "hasMarkerResult": (ONC.MarkerResult, ONC.hasMarker),
    "hasTreatment": (ONC.TreatmentEvent, None),  # typed by its value: a drug or a procedure
    "hasPrimaryTumor": (ONC.PrimaryTumor, ONC.hasTumorType),
}


@dataclass(frozen=True)
class CurationRow:
    """One decision of a curation file (``line`` is its line number, for messages)."""

    action: str
    document: str
    target: str
    property: str = ""
    value: str = ""
    previous: str = ""
    evidence: str = ""
    curator: str = ""
    date: str = ""
    reason: str = ""
    line: int = 0
    source: str = ""

    def where(self) -> str:
        return f"{self.source or 'curation'}:{self.line}"


@dataclass(frozen=True)
class Outcome:
    """What applying the rows of one document did: the triples, and the rows that no longer apply."""

    triples: list[Triple]
    applied: int
    stale: tuple[str, ...]  # one message per row not applied
    terms: frozenset[str] = frozenset()  # the CURIEs the decisions put in the graph (their terms must be described)


def parse_curation(text: str, source: str = "curation") -> list[CurationRow]:
    """The rows of a curation file's text.

    Raises
    ------
    InputError
        For a missing column, an unknown action, a row without document, target, curator or
        a YYYY-MM-DD date, or a ``correct`` without ``previous``: naming the file and line.
    """
    if not text.strip():
        return []
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(source, f"not a curation file: missing column(s) {', '.join(missing)} "
                                 f"(the header is: {' '.join(COLUMNS)})")
    rows = []
    for n, raw in enumerate(reader, 2):
        cells = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not any(cells.values()) or cells["action"].startswith("#"):
            continue
        row = CurationRow(**cells, line=n, source=source)
        problem = _problem(row)
        if problem:
            raise InputError(source, f"line {n}: {problem}")
        rows.append(row)
    return rows


def _problem(row: CurationRow) -> str:
    if row.action not in ACTIONS:
        return f"unknown action {row.action!r} (one of {', '.join(ACTIONS)})"
    for c in ("document", "target", "curator", "date"):
        if not getattr(row, c):
            return f"no {c}"
    if not _DATE.match(row.date):
        return f"the date {row.date!r} is not YYYY-MM-DD"
    if row.action == "correct" and not (row.property and row.value and row.previous):
        return "a correction needs property, value and previous"
    if row.action == "add" and not (row.property and row.value and row.evidence):
        return "an addition needs property, value and the evidence the text states"
    if row.action == "suppress" and bool(row.property) != bool(row.previous):
        return "a suppression names property and previous together, or neither"
    return ""


def read_curation(path: str | Path) -> list[CurationRow]:
    """The rows of the curation file at ``path`` (see :func:`parse_curation`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(p, "no such curation file") from None
    except UnicodeDecodeError as exc:
        raise InputError(p, f"a curation file is UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(p, f"cannot read the curation file ({exc.strerror})") from None
    return parse_curation(text, str(p))


def rows_for(rows: Iterable[CurationRow], document: str) -> list[CurationRow]:
    return [r for r in rows if r.document == document]


def curation_digest(rows: Sequence[CurationRow]) -> str:
    """A digest of a document's rows: a change to them makes ``ingest`` read the document again."""
    h = hashlib.sha256()
    for r in rows:
        h.update(_cells(r).encode() + b"\n")
    return h.hexdigest()[:16] if rows else ""


def _cells(row: CurationRow) -> str:
    return "\t".join(getattr(row, c) for c in COLUMNS)


def format_row(row: CurationRow) -> str:
    """The row as a line of a curation file (tabs and newlines in cells become spaces)."""
    return "\t".join(re.sub(r"[\t\r\n]+", " ", getattr(row, c)) for c in COLUMNS)


# ------------------------------------------------------------------------ applying


def apply_curation(triples: list[Triple], rows: Sequence[CurationRow], document: str, raw: str) -> Outcome:
    """Apply the rows of one document to its triples (what :func:`oncograph.emit.emit` made).

    Parameters
    ----------
    triples : list of triples
        The document's graph.
    rows : sequence of CurationRow
        The rows of this document, in file order.
    document : str
        The document's name.
    raw : str
        The original file's text, where an addition's evidence is looked for.
    """
    from .vocabulary import vocabulary

    vocab = vocabulary()
    doc = document_iri(document)
    graph = _Graph(triples)
    stale: list[str] = []
    applied = 0
    for n, row in enumerate(rows, 1):
        decision = URIRef(f"{doc}/curation/{n}")
        target = URIRef(f"{doc}/{row.target.strip('/')}")
        try:
            touched, previous = _apply(graph, row, target, decision, vocab, doc, raw)
        except _Stale as exc:
            stale.append(f"{row.where()}: {row.action} {row.target} no longer applies: {exc}")
            continue
        applied += 1
        graph.add(doc, ONC.hasCurationDecision, decision)
        graph.add(decision, RDF.type, ONC.CurationDecision)
        graph.add(decision, RDFS.label, Literal(f"{row.action} {row.target} ({row.curator}, {row.date})"))
        graph.add(decision, ONC.curationAction, Literal(row.action))
        graph.add(decision, ONC.curator, Literal(row.curator))
        graph.add(decision, ONC.curationDate, Literal(row.date))
        if row.reason:
            graph.add(decision, ONC.curationReason, Literal(row.reason))
        if previous:
            graph.add(decision, ONC.previousValue, Literal(previous))
        if row.value:
            graph.add(decision, ONC.curatedValue, Literal(row.value))
        graph.add(decision, ONC.concerns, touched)
        if row.action != "suppress":
            graph.add(touched, ONC.curatedBy, decision)
    terms = frozenset(r.value.split()[0] for r in rows if r.action != "suppress" and r.value
                      and r.value.split()[0] in vocab)
    return Outcome(graph.triples(), applied, tuple(stale), terms)


class _Stale(Exception):
    pass


class _Graph:
    """The triples of one document, with the few look-ups curation needs."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._t: dict[Triple, None] = dict.fromkeys(triples)

    def triples(self) -> list[Triple]:
        return list(self._t)

    def add(self, s: Node, p: Node, o: Node) -> None:
        self._t[(s, p, o)] = None

    def remove(self, t: Triple) -> None:
        self._t.pop(t, None)

    def objects(self, s: Node, p: Node) -> list[Node]:
        return [o for (s2, p2, o) in self._t if s2 == s and p2 == p]

    def has_subject(self, s: Node) -> bool:
        return any(t[0] == s for t in self._t)



def _value(text: str, vocab: Vocabulary, like: Node | None = None) -> Node:
    """A cell as an RDF term: a CURIE of the vocabulary, else a literal typed like ``like``."""
    if _CURIE.match(text) and text in vocab:
        return URIRef(vocab.iri(text))
    if isinstance(like, Literal) and like.datatype is not None:
        return Literal(text, datatype=like.datatype)
    if re.fullmatch(r"-?\d+", text):
        return Literal(int(text), datatype=XSD.integer)
    return Literal(text)


def _shown(node: Node, vocab: Vocabulary) -> str:
    if isinstance(node, URIRef):
        return vocab.curie(str(node)) or str(node)
    return str(node)


def _apply(graph: _Graph, row: CurationRow, target: URIRef, decision: URIRef, vocab: Vocabulary,
           doc: URIRef, raw: str) -> tuple[URIRef, str]:
    """Apply one row; return the node it concerns and the value it replaced or removed."""
    if not graph.has_subject(target):
        raise _Stale(f"the graph has no {row.target}")
    prop = ONC[row.property] if row.property else None
    if row.action == "suppress":
        previous = ""
        if prop is not None:
            values = graph.objects(target, prop)
            if not any(_shown(v, vocab) == row.previous for v in values):
                raise _Stale(f"its {row.property} is {', '.join(_shown(v, vocab) for v in values) or 'not given'}, "
                             f"not {row.previous}")
            previous = row.previous
        _suppress(graph, target)
        return target, previous
    assert prop is not None
    if row.action == "correct":
        old = [v for v in graph.objects(target, prop) if _shown(v, vocab) == row.previous]
        if not old:
            values = graph.objects(target, prop)
            raise _Stale(f"its {row.property} is {', '.join(_shown(v, vocab) for v in values) or 'not given'}, "
                         f"not {row.previous}")
        graph.remove((target, prop, old[0]))
        graph.add(target, prop, _value(row.value, vocab, old[0]))
        return target, row.previous
    # add: the quote must be in the text
    start = raw.find(row.evidence)
    if start < 0:
        raise _Stale(f"the document does not say {row.evidence!r}")
    node = target
    if row.property in _NEW_FACT and (target, RDF.type, ONC.Patient) in graph._t:
        cls, value_prop = _NEW_FACT[row.property]
        key = hashlib.sha256(_cells(row).encode()).hexdigest()[:8]
        node = URIRef(f"{target}/curated/{key}")
        parts = row.value.split()
        term = _value(parts[0], vocab)
        if not isinstance(term, URIRef):
            raise _Stale(f"{parts[0]} is not a term of the vocabulary")
        if row.property == "hasTreatment":
            branch = vocab[parts[0]].branch
            cls = ONC.DrugTreatment if branch == "drug" else ONC.TreatmentEvent
            value_prop = ONC.hasAgent if branch == "drug" else ONC.hasProcedure
        graph.add(target, prop, node)
        graph.add(node, RDF.type, cls)
        graph.add(node, value_prop, term)  # type: ignore[arg-type]
        if row.property == "hasMarkerResult" and len(parts) > 1:
            graph.add(node, ONC.status, Literal(parts[1]))
    else:
        graph.add(target, prop, _value(row.value, vocab))
    ev = URIRef(f"{node}/curated-evidence")
    for p, o in ((RDF.type, ONC.Evidence), (ONC.fromDocument, doc), (ONC.sentenceText, Literal(row.evidence)),
                 (ONC.startOffset, Literal(start, datatype=XSD.integer)),
                 (ONC.endOffset, Literal(start + len(row.evidence), datatype=XSD.integer)),
                 (ONC.extractorVersion, Literal(f"curated by {row.curator}"))):
        graph.add(ev, p, o)
    graph.add(node, ONC.hasEvidence, ev)
    return node, ""


def _suppress(graph: _Graph, node: URIRef) -> None:
    """Remove a fact: its triples, the links to it, its evidence and the nodes minted under it."""
    prefix = str(node) + "/"
    doomed: set[Node] = {node}
    doomed |= {t[0] for t in graph.triples() if isinstance(t[0], URIRef) and str(t[0]).startswith(prefix)}
    evidence = {o for s in doomed for o in graph.objects(s, ONC.hasEvidence)}
    shared = {o for (s, p, o) in graph.triples() if p == ONC.hasEvidence and s not in doomed}
    doomed |= {e for e in evidence if e not in shared}
    for t in graph.triples():
        if t[0] in doomed or t[2] in doomed:
            graph.remove(t)


# ------------------------------------------------------------------------ writing rows

_MAIN_TERM = ("hasSite", "hasMarker", "hasAgent", "hasProcedure", "hasTumorType")


def draft_row(store: QuadSource, action: str, target: str, property: str = "", value: str = "", *,
              curator: str, date: str, reason: str = "", evidence: str = "") -> CurationRow:
    """A row for a fact of the store, with its document and the value it guards filled in.

    ``target`` is the fact's IRI, or its short form ``data:<document>/<path>`` as the
    queries and ``oncograph validate`` show it.  For ``suppress``, the row guards the fact's
    term (its site, marker, drug, procedure or tumour type); for ``correct``, the value
    ``property`` has now.

    Raises
    ------
    InputError
        When the store has no such fact, or ``property`` has no single value to correct.
    """
    from .vocabulary import vocabulary

    vocab = vocabulary()
    iri = str(document_iri("x"))[:-1] + target[5:] if target.startswith("data:") else target
    records = store.records()
    owner = max((r for r in records.values() if iri.startswith(str(document_iri(r.name)) + "/")),
                key=lambda r: len(str(document_iri(r.name))), default=None)
    if owner is None:
        raise InputError(target, "no document of the store holds this node")
    base = str(document_iri(owner.name)) + "/"
    facts: dict[str, list[str]] = {}
    node = ox.NamedNode(iri)
    for q in store.quads(owner.graph):
        o = q.object
        if q.subject == node and q.predicate.value.startswith(str(ONC._NS)) and not isinstance(o, ox.Triple):
            name = q.predicate.value[len(str(ONC._NS)):]
            facts.setdefault(name, []).append((vocab.curie(o.value) or o.value) if isinstance(o, ox.NamedNode)
                                              else o.value)
    if not facts and action != "add":
        raise InputError(target, f"the document {owner.name} has no such fact")
    previous = ""
    if action == "suppress" and not property:
        property = next((p for p in _MAIN_TERM if p in facts), "")
    if action in ("suppress", "correct") and property:
        values = facts.get(property, [])
        if len(values) != 1:
            raise InputError(target, f"{property} has {len(values) or 'no'} value(s) here, not one"
                                     + (f": {', '.join(values)}" if values else ""))
        previous = values[0]
    row = CurationRow(action, owner.name, iri[len(base):], property, value, previous, evidence, curator, date, reason)
    problem = _problem(row)
    if problem:
        raise InputError(target, problem)
    return row


def append_row(path: str | Path, row: CurationRow) -> None:
    """Add ``row`` to the curation file at ``path`` (created with its header if missing)."""
    p = Path(path)
    new = not p.exists() or p.stat().st_size == 0
    if not new:
        read_curation(p)  # refuse to append to a file that is not a curation file
    try:
        with p.open("a", encoding="utf-8") as fh:
            if new:
                fh.write("\t".join(COLUMNS) + "\n")
            fh.write(format_row(row) + "\n")
    except OSError as exc:
        raise InputError(p, f"cannot write the curation file ({exc.strerror})") from None
